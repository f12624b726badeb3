"""How the benchmark scripts write their results: a Markdown table and, beside it, the same run as JSON.

Every file of a run (bench/run.py, `make bench`) goes to one results folder; the tracked tables under bench/ are
only rewritten when asked (`make bench PUBLISH=1`). The JSON of a comparison (bench/compare/*.py) is one object:

    {"schema": "cibgraph-bench/1", "benchmark": "compare_algorithms", "mode": "quick" | "full",
     "started": "2026-12-08T10:00:00Z", "seconds": 83.2, "commit": "...", "dirty": false,
     "cibgraph_version": "0.1.0", "cores": 2, "settings": {...the script's options...},
     "ratio": "cibgraph seconds / peer seconds (below 1: cibgraph is faster)",
     "rows": [{"kernel": "Louvain", "input": "cond-mat-2005", "vertices": 40421, "edges": 175693,
               "cibgraph": {"seconds": 0.057},
               "peers": {"igraph": {"seconds": 0.465, "ratio": 0.123},
                         "networkx": {"skipped": "above 2e+05 edges"},
                         "leidenalg": {"stopped_after": 600.0, "ratio_below": 0.26}},
               "ratio": 0.123, ...what the row measures besides (quality, agreement, memory)...}],
     "notes": [...], "markdown": "algorithms_results.md"}

A peer's entry is one of: `seconds` and `ratio` (it finished), `stopped_after` and `ratio_below` (killed at the
time limit: the ratio is at most that), `skipped` (a reason), `failed` (a reason). A row's `ratio` is against
the fastest peer that finished (null when none did). Google Benchmark's own JSON (--benchmark_out) is kept as the
programs write it; `gbench_markdown` makes their Markdown table.

    /usr/bin/python3 bench/bench_results.py gbench-table RESULTS/google-benchmark/*.json --out RESULTS/google_benchmark.md
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import subprocess

SCHEMA = "cibgraph-bench/1"
ROOT = pathlib.Path(__file__).resolve().parents[1]
RATIO = "cibgraph seconds / peer seconds (below 1: cibgraph is faster)"


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def git_state():
    """(commit, dirty) of the checkout, or (None, None) outside git."""
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, check=True).stdout
        return commit, bool(status.strip())
    except (OSError, subprocess.CalledProcessError):
        return None, None


def peer_entry(ours, peer):
    """A peer's JSON entry: peer is seconds (float), ("stopped", limit), ("skipped", why) or ("failed", why)."""
    if isinstance(peer, tuple):
        kind, value = peer
        if kind == "stopped":
            return {"stopped_after": float(value), "ratio_below": round(ours / value, 4) if ours is not None else None}
        return {kind: str(value)}
    return {"seconds": float(peer), "ratio": round(ours / peer, 4) if ours is not None and peer > 0 else None}


def side_by_side(ours, peers):
    """{"cibgraph": {...}, "peers": {...}, "ratio": ours / the fastest finished peer} for one row."""
    entries = {name: peer_entry(ours, p) for name, p in peers.items()}
    finished = [e["seconds"] for e in entries.values() if "seconds" in e and e["seconds"] > 0]
    return {"cibgraph": {"seconds": ours}, "peers": entries,
            "ratio": round(ours / min(finished), 4) if finished and ours is not None else None}


def document(benchmark, mode, started, rows, settings, notes=(), markdown=None, version=None):
    commit, dirty = git_state()
    return {"schema": SCHEMA, "benchmark": benchmark, "mode": mode, "started": iso(started),
            "seconds": round((utc_now() - started).total_seconds(), 3), "commit": commit, "dirty": dirty,
            "cibgraph_version": version, "cores": os.cpu_count(), "settings": settings, "ratio": RATIO,
            "rows": rows, "notes": list(notes), "markdown": markdown}


def write_json(path, doc):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, default=str) + "\n")
    return path


def json_beside(markdown_path):
    """The JSON file beside a Markdown result file: same name, .json."""
    return pathlib.Path(markdown_path).with_suffix(".json")


def write_between_markers(path, block, begin, end, title):
    """Puts `block` between the markers of the file at `path` (created with `title` when absent), keeping the rest."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_text() if path.exists() else f"{title}\n\n"
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        _, tail = rest.split(end, 1)
    else:
        head, tail = old + ("" if old.endswith("\n") else "\n"), "\n"
    path.write_text(head + begin + "\n" + block.strip("\n") + "\n" + end + tail)
    return path


def is_tracked_result(path):
    """True when `path` is inside the checkout's bench/ folder (where the published tables live)."""
    try:
        pathlib.Path(path).resolve().relative_to(ROOT / "bench")
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------------------------
# Google Benchmark's JSON as Markdown

def _human(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    a = abs(v)
    for div, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return f"{v / div:.3g}{suffix}"
    return f"{v:.3g}"


STANDARD_KEYS = {"name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
                 "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit", "aggregate_name",
                 "aggregate_unit", "error_occurred", "error_message", "label"}


def gbench_markdown(paths):
    """One table per program: benchmark, wall time, CPU time, iterations and its counters."""
    lines = []
    for p in sorted(map(pathlib.Path, paths)):
        try:
            data = json.loads(p.read_text())
        except ValueError:  # a program that crashed leaves its JSON unfinished
            lines += [f"## {p.stem}", "", f"`{p.name}` is not valid JSON: the program did not finish.", ""]
            continue
        ctx = data.get("context", {})
        lines += [f"## {p.stem}", "",
                  f"{ctx.get('date', '?')}, {ctx.get('num_cpus', '?')} CPUs, load average "
                  f"{', '.join(f'{x:.2f}' for x in ctx.get('load_avg', []))}; `{p.name}` has every field.", "",
                  "| benchmark | time | CPU | iterations | counters |", "|---|---:|---:|---:|---|"]
        for b in data.get("benchmarks", []):
            unit = b.get("time_unit", "ns")
            if b.get("error_occurred"):
                lines.append(f"| {b['name']} | | | | error: {b.get('error_message', '')} |")
                continue
            counters = ", ".join(f"{k} {_human(v)}" for k, v in b.items() if k not in STANDARD_KEYS)
            lines.append(f"| {b['name']} | {b['real_time']:.4g} {unit} | {b['cpu_time']:.4g} {unit} | "
                         f"{b.get('iterations', '')} | {counters} |")
        lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("gbench-table", help="Google Benchmark JSON files to one Markdown file")
    g.add_argument("json", nargs="+")
    g.add_argument("--out", required=True)
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    out.write_text("# Google Benchmark programs\n\n" + gbench_markdown(args.json))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
