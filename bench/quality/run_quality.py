#!/usr/bin/python3
"""Detection quality of the default `cibgraph project` pipeline on planted-campaign scenarios.

For every (events, seed) it generates the planted scenario (`cibgraph generate planted`: pages, organic accounts,
viral posts, fan clubs and planted coordinated networks, with the ground truth in truth.csv), ingests it, and for
every window runs `cibgraph project DATA.h5 --window W --clusters C.csv` with nothing else on the command line: the
same default flags for every scenario, no per-data-set tuning. The clusters are scored against truth.csv with
score_clusters.py, and the table goes to the planted section of results.md (the Russian-data section written by
russian.py is kept).

    /usr/bin/python3 bench/quality/run_quality.py                      # 10^4..10^6 x seeds 1,2,3 x 30s,60s,120s,auto
    /usr/bin/python3 bench/quality/run_quality.py --extra 10000000:1:60s   # plus one 10^7 scenario
    /usr/bin/python3 bench/quality/run_quality.py --only-analyze          # only `cibgraph analyze` (accounts.csv)
    /usr/bin/python3 bench/quality/run_quality.py --only-analyze --analyze-sizes 1e7 --analyze-seeds 1

`cibgraph analyze` is scored too (its own section of results.md): for every size in --analyze-sizes and seed in
--analyze-seeds, `cibgraph analyze events.csv --out DIR` with every flag at its default, the flagged accounts of
accounts.csv (cluster not empty) against truth.csv, with the time of each stage from report.json.

Scratch data (events, HDF5, clusters) goes under --work (/tmp/quality), never into the repository; generated data
is reused when it is already there for the same size, seed and binary.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from measure import measured  # noqa: E402
from score_clusters import diagnose, find_cibgraph, score, score_accounts  # noqa: E402

BEGIN, END = "<!-- planted:begin -->", "<!-- planted:end -->"
ANALYZE_BEGIN, ANALYZE_END = "<!-- analyze:begin -->", "<!-- analyze:end -->"
TARGET = 0.9  # the bar for precision and recall
BINARY_DIGEST = [""]  # sha256 of the cibgraph binary, set in main()


def parse_size(text):
    text = text.strip().lower().replace("_", "")
    m = re.fullmatch(r"10\^(\d+)", text)
    if m:
        return 10 ** int(m.group(1))
    return int(float(text))  # 10000, 1e4


def size_label(n):
    e = len(str(n)) - 1
    return f"10^{e}" if n == 10 ** e else f"{n:,}"


def run(cmd, log):
    """Runs cmd; returns (stdout, wall s, cpu s, peak RSS MiB) of that one child (bench/measure.py)."""
    log.write("$ " + " ".join(map(str, cmd)) + "\n")
    log.flush()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        rc, wall, cpu, peak = measured(cmd, out, err)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    log.write(stdout + stderr)
    if rc != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {rc}: {stderr.strip()[-2000:]}")
    return stdout, wall, cpu, peak / 2**20


def parse_project(out):
    info = {}
    m = re.search(r"^window ([0-9.]+) s", out, re.M)
    if m:
        info["window_s"] = float(m.group(1))
    m = re.search(r"co-share: (\d+) events, (\d+) co-acting pairs, (\d+) kept", out)
    if m:
        info["pairs"], info["kept"] = int(m.group(2)), int(m.group(3))
    m = re.search(r"(\d+) clusters, (\d+) coordinated, (\d+) accounts flagged", out)
    if m:
        info["clusters"], info["coordinated"], info["flagged"] = map(int, m.groups())
    m = re.search(r"(\d+) popular targets capped, (\d+) pairs left out", out)
    info["capped_targets"], info["capped_pairs"] = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    return info


def ensure_data(binary, work, events, seed, log):
    d = work / f"planted_e{events}_s{seed}"
    stamp = d / "stamp.json"
    # The generator lives in the binary: data from another build is made again.
    want = {"events": events, "seed": seed, "binary_sha256": BINARY_DIGEST[0]}
    if stamp.exists() and json.loads(stamp.read_text()) == want and (d / "data.h5").exists():
        return d
    if d.exists():
        shutil.rmtree(d)
    _, gen_wall, _, _ = run([binary, "generate", "planted", "--out", d, "--events", events, "--seed", seed, "-q"],
                              log)
    _, ing_wall, _, _ = run([binary, "ingest", d / "events.csv", "-o", d / "data.h5", "-q"], log)
    # The CSV is only needed for ingest; the big ones would fill /tmp.
    (d / "events.csv").unlink()
    stamp.write_text(json.dumps(want))
    print(f"  generated {size_label(events)} seed {seed} in {gen_wall:.1f} s, ingested in {ing_wall:.1f} s",
          flush=True)
    return d


def one_scenario(binary, work, events, seed, window, log, keep_edges, diagnose_max_events):
    d = ensure_data(binary, work, events, seed, log)
    tag = window.replace("/", "_")
    clusters = d / f"clusters_{tag}.csv"
    out, wall, cpu, rss = run([binary, "project", d / "data.h5", "--window", window, "--clusters", clusters], log)
    row = {"events": events, "seed": seed, "window": window, "project_wall_s": round(wall, 2),
           "project_cpu_s": round(cpu, 2), "project_rss_mib": round(rss)}
    row.update(parse_project(out))
    row.update(score(clusters, d / "truth.csv"))
    if below(row) and events > diagnose_max_events:
        row["diagnosis"] = diagnose(clusters, d / "truth.csv")
    elif below(row):
        # Diagnosis only (not timed): where the missed accounts are and what the false positives are.
        edges = d / f"edges_{tag}.csv"
        run([binary, "project", d / "data.h5", "--window", window, "--clusters", clusters, "--edges", edges, "-q"],
            log)
        row["diagnosis"] = diagnose(clusters, d / "truth.csv", edges)
        if not keep_edges:
            edges.unlink()
    return row


def below(row):
    return row["precision"] < TARGET or row["recall"] < TARGET


def fmt_window(row):
    w = row["window"]
    if w == "auto" and "window_s" in row:
        return f"auto ({row['window_s']:.0f} s)"
    return w


def fp_kinds(row):
    kinds = row.get("false_positives_by_kind") or {}
    return ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none"


def table(rows):
    lines = ["| events | seed | window | precision | recall | F1 | FPR organic | FPR fan club | networks found | "
             "flagged / planted | project wall (s) | project CPU (s) | peak RSS (MiB) |",
             "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        mark = lambda v: f"**{v:.3f}**" if v < TARGET else f"{v:.3f}"  # noqa: E731
        precision = mark(r["precision"]) if r["flagged"] else "**–** (none flagged)"
        lines.append(
            f"| {size_label(r['events'])} | {r['seed']} | {fmt_window(r)}{' ⚠' if below(r) else ''} | {precision} | "
            f"{mark(r['recall'])} | {r['f1']:.3f} | {r['fpr_organic']:.2e} | {r['fpr_fanclub']:.2e} | "
            f"{r['networks_found']} | {r['flagged']} / {r['planted']} | {r['project_wall_s']:.1f}"
            f" | {r['project_cpu_s']:.1f} | {r['project_rss_mib']} |")
    return "\n".join(lines)


def aggregate(rows):
    def agg(sel, label):
        if not sel:
            return None
        # Precision is undefined when nothing is flagged: those scenarios are counted apart, not as 0 or 1.
        p = [r["precision"] for r in sel if r["flagged"]]
        rc = [r["recall"] for r in sel]
        f = [r["f1"] for r in sel]
        n_below = sum(1 for r in sel if below(r))
        none = sum(1 for r in sel if not r["flagged"])
        pmin, pmean = (f"{min(p):.3f}", f"{sum(p) / len(p):.3f}") if p else ("–", "–")
        return (f"| {label} | {len(sel)} | {pmin} | {pmean} | {min(rc):.3f} | "
                f"{sum(rc) / len(rc):.3f} | {sum(f) / len(f):.3f} | {n_below} | {none} |")
    lines = ["| subset | scenarios | min precision | mean precision | min recall | mean recall | mean F1 | "
             "below 0.9 | nothing flagged |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    groups = [(rows, "all")]
    for w in dict.fromkeys(r["window"] for r in rows):
        groups.append(([r for r in rows if r["window"] == w], f"window {w}"))
    for n in dict.fromkeys(r["events"] for r in rows):
        groups.append(([r for r in rows if r["events"] == n], f"{size_label(n)} events"))
    fixed = [r for r in rows if r["window"] != "auto"]
    if fixed and len(fixed) != len(rows):
        groups.insert(1, (fixed, "fixed windows (30s/60s/120s)"))
    for sel, label in groups:
        line = agg(sel, label)
        if line:
            lines.append(line)
    return "\n".join(lines)


def weak_spots(rows):
    weak = [r for r in rows if below(r)]
    if not weak:
        return "Every scenario reaches precision and recall of at least 0.9."
    out = [f"{len(weak)} of {len(rows)} scenarios fall below 0.9 in precision or recall. Nothing was tuned; the "
           "rows below say where the errors are (`score_clusters.py --details` on the same outputs).", ""]
    for r in weak:
        d = r.get("diagnosis", {})
        precision = f"{r['precision']:.3f}" if r["flagged"] else "undefined (nothing flagged)"
        parts = [f"- **{size_label(r['events'])} events, seed {r['seed']}, window {fmt_window(r)}**: precision "
                 f"{precision}, recall {r['recall']:.3f}; false positives by kind: {fp_kinds(r)}"]
        if r.get("capped_targets"):
            parts.append(f"; {r['capped_targets']} popular target(s) hit the pair cap "
                         f"({r['capped_pairs']:,} pairs left out)")
        if d:
            nets = d.get("networks", {})
            parts.append("; recall per network (size: flagged): " + ", ".join(
                f"{v['size']}: {v['flagged']}" for _, v in sorted(nets.items(), key=lambda kv: kv[1]["size"])))
            m = d.get("missed_where", {})
            if m:
                parts.append("; missed campaign accounts: " + ", ".join(f"{v} {k}" for k, v in m.items()))
            fpw = d.get("false_positive_clusters")
            if fpw:
                parts.append("; clusters holding false positives (size, campaign members, FP): " + ", ".join(
                    f"({c['size']}, {c['campaign']}, {c['false_positives']})" for c in fpw[:5]))
        out.append("".join(parts) + ".")
    return "\n".join(out)


def write_section(out_path, body, begin=BEGIN, end=END):
    text = out_path.read_text() if out_path.exists() else "# Detection quality\n\n"
    section = f"{begin}\n{body.rstrip()}\n{end}"
    if begin in text and end in text:
        text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
    else:
        marker = "<!-- russian:begin -->"
        text = text.replace(marker, section + "\n\n" + marker) if marker in text else text.rstrip() + "\n\n" + section
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text.rstrip() + "\n")


_UNIT_SECONDS = {"s": 1.0, "min": 60.0, "h": 3600.0, "days": 86400.0}
_DURATION = r"(?:-?[0-9.]+(?:e-?[0-9]+)? (?:s|min|h|days)(?: |$))+"


def parse_duration(text):
    """Seconds of a duration as cibgraph prints one (core/include/cibgraph/format.hpp format_duration): "0.039 s",
    "4.8e-4 s", "2 min 5 s", "1 h 3 min", "2.5 days"."""
    parts = re.findall(r"(-?[0-9.]+(?:e-?[0-9]+)?) (s|min|h|days)", text)
    if not parts:
        raise ValueError(f"not a duration: {text!r}")
    return sum(float(x) * _UNIT_SECONDS[u] for x, u in parts)


def parse_stage_times(out):
    """Stage times from analyze's "wall time: ingest 0.02 s, projection 0.011 s, ...; total 1 min 5 s" line
    (report.json holds no run block, so that its bytes depend only on the input and parameters)."""
    m = re.search(r"^wall time: (.*); total (.+)$", out, re.M)
    if not m:
        raise RuntimeError("cibgraph analyze printed no 'wall time:' line")
    stages = {}
    for item in m.group(1).split(","):
        found = re.match(rf"\s*(.+?) ({_DURATION})$", item)
        if not found:
            raise RuntimeError(f"cannot read the stage time {item!r}")
        stages[found.group(1)] = parse_duration(found.group(2))
    return stages


def analyze_scenario(binary, work, events, seed, log):
    """`cibgraph analyze` at its defaults on one generated scenario; the events CSV is removed afterwards (the big
    ones would fill /tmp)."""
    d = work / f"analyze_e{events}_s{seed}"
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    run([binary, "generate", "planted", "--out", d, "--events", events, "--seed", seed, "-q"], log)
    out = d / "out"
    stdout, wall, cpu, rss = run([binary, "analyze", d / "events.csv", "--out", out], log)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    row = {"events": events, "seed": seed, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "rss_mib": round(rss),
           "stages": parse_stage_times(stdout),
           "report_mib": round((out / "report.html").stat().st_size / 2**20, 1),
           "betweenness": report["summary"]["betweenness"]}
    row.update(score_accounts(out / "accounts.csv", d / "truth.csv"))
    (d / "events.csv").unlink()
    for big in ["evidence.csv", "edges.csv", "data.h5"]:
        (out / big).unlink()
    return row


STAGES = ["ingest", "projection", "null model", "filter and clusters", "refinement", "rankings", "csv outputs", "data.h5"]


def analyze_table(rows):
    lines = ["| events | seed | precision | recall | F1 | FPR organic | FPR fan club | networks found | flagged / planted | "
             "clusters | " + " | ".join(f"{s} (s)" for s in STAGES) + " | wall (s) | CPU (s) | peak RSS (MiB) | "
             "report.html (MiB) | betweenness |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * len(STAGES) + "---:|---:|---:|---:|---|"]
    for r in rows:
        mark = lambda v: f"**{v:.3f}**" if v < TARGET else f"{v:.3f}"  # noqa: E731
        precision = mark(r["precision"]) if r["flagged"] else "**–** (none flagged)"
        b = r["betweenness"]
        between = "exact" if b["exact"] else f"{b['sources']} of {b['accounts']} sources"
        lines.append(
            f"| {size_label(r['events'])} | {r['seed']} | {precision} | {mark(r['recall'])} | {r['f1']:.3f} | "
            f"{r['fpr_organic']:.2e} | {r['fpr_fanclub']:.2e} | {r['networks_found']} | {r['flagged']} / "
            f"{r['planted']} | {r['coordinated_clusters']} | "
            + " | ".join(f"{r['stages'].get(s, 0):.2f}" for s in STAGES)
            + f" | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['rss_mib']} | {r['report_mib']} | {between} |")
    return "\n".join(lines)


def analyze_section(rows, version, built, digest, commit, seconds):
    below_rows = [r for r in rows if below(r)]
    summary = ("Every scenario reaches precision and recall of at least 0.9." if not below_rows else
               f"{len(below_rows)} of {len(rows)} scenarios fall below 0.9: " + "; ".join(
                   f"{size_label(r['events'])} seed {r['seed']} (precision {r['precision']:.3f}, recall "
                   f"{r['recall']:.3f})" for r in below_rows) + ".")
    p = [r["precision"] for r in rows if r["flagged"]]
    rc = [r["recall"] for r in rows]
    return f"""## `cibgraph analyze` at its defaults (accounts.csv)

Generated by `bench/quality/run_quality.py` on {time.strftime('%Y-%m-%d', time.gmtime())} with {version or "cibgraph ?"}
(binary `cibgraph` built {built}, sha256 {digest}…; repository HEAD {commit or '?'} when the run started),
{os.cpu_count()} cores shared with other work; the whole run took {seconds:.0f} s.
Each scenario is `cibgraph generate planted --events N --seed S`, then `cibgraph analyze events.csv --out DIR` with no
other flag (co-share, 60 s window, FDR 0.01, the cluster tests, Leiden refinement, rankings). An account is flagged when
its `cluster` in accounts.csv is not empty; positives are the planted network members. Stage times are those
analyze prints on its "wall time:" line (report.html's `run.stages`; wall seconds; "csv outputs" writes accounts, clusters, edges and evidence CSV);
wall, CPU and peak RSS are the whole `analyze` process, including report.json, report.html and data.h5.

{analyze_table(rows)}

Min precision {min(p) if p else float('nan'):.3f}, min recall {min(rc):.3f} over {len(rows)} scenarios. {summary}
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1e4,1e5,1e6", help="events per scenario, comma separated (1e4, 10^5, 100000)")
    ap.add_argument("--seeds", default="1,2,3", help="generator seeds, comma separated")
    ap.add_argument("--windows", default="30s,60s,120s,auto", help="project windows, comma separated")
    ap.add_argument("--extra", action="append", default=[], metavar="EVENTS:SEED:WINDOW",
                    help="one more scenario outside the grid (e.g. 1e7:1:60s); repeatable")
    ap.add_argument("--bin", default=str(ROOT / "build/bin/cibgraph"), help="cibgraph binary [build/bin/cibgraph]")
    ap.add_argument("--out", default=str(ROOT / "build" / "bench-results" / "quality_results.md"),
                    help="markdown file [build/bench-results/quality_results.md, untracked; --out bench/quality/results.md "
                         "publishes]")
    ap.add_argument("--work", default="/tmp/quality", help="scratch folder [/tmp/quality]")
    ap.add_argument("--keep-edges", action="store_true", help="keep the diagnosis edge CSVs")
    ap.add_argument("--analyze-sizes", default="1e4,1e5,1e6", help="events per `cibgraph analyze` scenario [1e4,1e5,1e6]")
    ap.add_argument("--analyze-seeds", default="1,2,3", help="generator seeds of the analyze scenarios [1,2,3]")
    ap.add_argument("--only-analyze", action="store_true", help="run only the analyze scenarios")
    ap.add_argument("--no-analyze", action="store_true", help="run only the project grid")
    ap.add_argument("--diagnose-max-events", default="2e6",
                    help="rerun weak scenarios up to this size with --edges to locate missed accounts [2e6]")
    args = ap.parse_args()

    binary = find_cibgraph(args.bin, "run_quality.py")
    work = Path(args.work)
    if work.resolve().is_relative_to(ROOT.resolve()):
        sys.exit(f"run_quality.py: --work {work} is inside the repository; use a scratch folder such as /tmp/quality")
    work.mkdir(parents=True, exist_ok=True)

    try:
        sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
        extra = []
        for spec in args.extra:
            e, s, w = spec.split(":")
            extra.append((parse_size(e), int(s), w))
        diagnose_max = parse_size(args.diagnose_max_events)
    except ValueError as exc:
        sys.exit(f"run_quality.py: bad --sizes/--seeds/--extra: {exc}")
    windows = [w.strip() for w in args.windows.split(",") if w.strip()]
    plan = [(n, s, w) for n in sizes for s in seeds for w in windows] + extra
    if args.only_analyze:
        plan = []
    try:
        analyze_plan = [] if args.no_analyze else [
            (parse_size(n), int(s)) for n in args.analyze_sizes.split(",") if n.strip()
            for s in args.analyze_seeds.split(",") if s.strip()]
    except ValueError as exc:
        sys.exit(f"run_quality.py: bad --analyze-sizes/--analyze-seeds: {exc}")

    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(binary.stat().st_mtime))
    BINARY_DIGEST[0] = hashlib.sha256(binary.read_bytes()).hexdigest()
    digest = BINARY_DIGEST[0][:12]
    log_path = work / "run_quality.log"
    rows = []
    t0 = time.perf_counter()
    with open(log_path, "a") as log:
        for n, s, w in plan:
            print(f"{size_label(n)} events, seed {s}, window {w}", flush=True)
            try:
                row = one_scenario(binary, work, n, s, w, log, args.keep_edges, diagnose_max)
            except RuntimeError as exc:
                sys.exit(f"run_quality.py: {exc}\n(full log: {log_path})")
            rows.append(row)
            print(f"  precision {row['precision']:.3f} recall {row['recall']:.3f} F1 {row['f1']:.3f} "
                  f"FP {fp_kinds(row)} networks {row['networks_found']} project {row['project_wall_s']:.1f} s "
                  f"(cpu {row['project_cpu_s']:.1f} s)", flush=True)
    (work / "run_quality.json").write_text(json.dumps(rows, indent=1))

    body = f"""## Planted-campaign scenarios

Generated by `bench/quality/run_quality.py` on {time.strftime('%Y-%m-%d', time.gmtime())} with {version or "cibgraph ?"}
(binary `{binary.name}` built {built}, sha256 {digest}…; repository HEAD {commit or '?'} when the run started),
{os.cpu_count()} cores shared with other work; the whole run took {time.perf_counter() - t0:.0f} s.
Each scenario is `cibgraph generate planted --events N --seed S`, ingested, then
`cibgraph project data.h5 --window W --clusters clusters.csv` with every other flag at its default (co-share layer,
habits and target-crowd null, Benjamini-Hochberg FDR 0.01, 4-truss clusters and their tests; see `cibgraph project --help`):
the same command for every scenario, nothing tuned per data set. Every scenario contains, by construction of the generator, viral
posts (hundreds to thousands of unrelated organic accounts co-sharing within an hour) and fan clubs (20-300 organic
followers who share each post of their page within minutes); they are the negatives the method must leave alone.

An account is flagged when it is in a cluster marked coordinated; positives are the planted network members (kind
`campaign`); precision, recall and F1 are over accounts; FPR organic = flagged organic accounts / organic accounts,
FPR fan club = flagged fan-club members / fan-club members; a network is found when at least half its members are
flagged. For `auto` the window the estimator chose is in brackets. Values below 0.9 are in bold and the row is marked ⚠.
Wall time is that of `cibgraph project` alone (2 threads, machine shared, so it varies from run to run).

{table(rows)}

### Aggregate

{aggregate(rows)}

### Below 0.9

{weak_spots(rows)}
"""
    if rows:
        write_section(Path(args.out), body)
        print(f"wrote {args.out} ({len(rows)} scenarios; raw results {work / 'run_quality.json'})")

    if analyze_plan:
        t1 = time.perf_counter()
        analyzed = []
        with open(log_path, "a") as log:
            for n, s in analyze_plan:
                print(f"analyze: {size_label(n)} events, seed {s}", flush=True)
                try:
                    row = analyze_scenario(binary, work, n, s, log)
                except RuntimeError as exc:
                    sys.exit(f"run_quality.py: {exc}\n(full log: {log_path})")
                analyzed.append(row)
                print(f"  precision {row['precision']:.3f} recall {row['recall']:.3f} wall {row['wall_s']:.1f} s "
                      f"stages {row['stages']}", flush=True)
        (work / "run_quality_analyze.json").write_text(json.dumps(analyzed, indent=1))
        write_section(Path(args.out), analyze_section(analyzed, version, built, digest, commit,
                                                      time.perf_counter() - t1), ANALYZE_BEGIN, ANALYZE_END)
        print(f"wrote {args.out} (analyze: {len(analyzed)} scenarios)")


if __name__ == "__main__":
    main()
