#!/usr/bin/python3
"""Co-action projection the way researchers write it in pandas, and a side-by-side run against cibgraph.

Two subcommands:

  join     the pandas implementation. For each target, join its events with themselves (DataFrame.merge on the
           target), keep the pairs of events by different accounts with |t_a - t_b| <= window, and aggregate per
           unordered account pair: co_actions = number of event pairs, distinct_targets = targets with at least
           one. The same semantics as cibgraph's co-share layer (exact window, inclusive; an account's own events
           never pair; an account acting twice near another counts twice). Targets are processed in chunks whose
           self-join stays under --max-join-rows rows, so popular targets do not exhaust memory; a single target
           whose join alone would not fit in --memory-limit-gb is reported (exit 3), as is a MemoryError.

  compare  runs, for each input, `cibgraph ingest` + `cibgraph project --filter none` and `join` in their own
           processes (wall time, and peak RSS from GNU time), checks that both give the same pairs with
           the same co_actions and distinct_targets, and writes a markdown table between the markers of
           --results (default build/bench-results/coaction_results.md, untracked; the published table is
           bench/compare/coaction_results.md, written only when --results names it) and the same run as JSON
           to --json (default: beside --results; format in bench/bench_results.py). --quick: planted 10^4
           and 10^5 (seconds).

  /usr/bin/python3 bench/compare/coaction_pandas.py compare --cibgraph build/bin/cibgraph \
      --work /tmp/benchco --sizes 1e4,1e5,1e6 --results bench/compare/coaction_results.md

See bench/compare/README.md.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import bench_results  # noqa: E402
from measure import measured  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("CIBGRAPH_BUILD_DIR", os.path.join(ROOT, "build"))  # as the tests: the build to measure
SHARED = os.environ.get("CIBGRAPH_SHARED_DATASETS") or os.path.join(os.path.dirname(ROOT), "shared", "datasets")
SIZES = {"full": "1e4,1e5,1e6", "quick": "1e4,1e5"}

CO_SHARE_ACTIONS = {"share", "retweet", "repost", "reshare", "quote", "rt"}  # cibgraph's co-share defaults
JOIN_ROW_BYTES = 72  # measured order of magnitude: merged frame (5 int64 columns + index) plus filter masks


# --------------------------------------------------------------------------------------------------------------
# join: the pandas implementation
# --------------------------------------------------------------------------------------------------------------

def read_events(args):
    """The events of the layer as a DataFrame (target, account, t), t in integer milliseconds."""
    import pandas as pd

    usecols = [args.account, args.target, args.time] + ([args.action] if args.action else [])
    df = pd.read_csv(args.input, usecols=usecols, dtype=str, keep_default_na=False)
    rows = len(df)
    if args.action:
        df = df[df[args.action].str.strip().str.lower().isin(CO_SHARE_ACTIONS)]
    # An empty field is no target, account or time (cibgraph's ingest rejects such rows).
    df = df[(df[args.account] != "") & (df[args.target] != "") & (df[args.time] != "")]
    if args.time_unit == "iso8601":
        t = pd.to_datetime(df[args.time], utc=True)
        ms = t.values.astype("datetime64[ms]").astype("int64")
    elif args.time_unit == "s":
        ms = (pd.to_numeric(df[args.time]) * 1000).round().astype("int64").values
    else:
        ms = pd.to_numeric(df[args.time]).astype("int64").values
    events = pd.DataFrame({"target": df[args.target].values, "account": df[args.account].values, "t": ms})
    return events, rows


def coaction_pairs(events, window_ms, max_join_rows, memory_limit_bytes, log):
    """Per unordered account pair: co_actions and distinct_targets, by self-joins on the target."""
    import numpy as np
    import pandas as pd

    # Integer codes in string order, so that account_a < account_b means the same as for the ids themselves.
    events = events.copy()
    events["account"], accounts = pd.factorize(events["account"], sort=True)
    events["target"], _ = pd.factorize(events["target"])
    events = events.sort_values("target", kind="stable").reset_index(drop=True)

    # Chunks of whole targets whose self-joins (n^2 rows each) add up to at most max_join_rows.
    sizes = events.groupby("target", sort=True).size()
    rows_per_target = sizes.values.astype("int64") ** 2
    total_join_rows = int(rows_per_target.sum())
    biggest = int(sizes.values.max()) if len(sizes) else 0
    if biggest * biggest * JOIN_ROW_BYTES > memory_limit_bytes:
        raise MemoryError(
            f"one target has {biggest} events: its self-join alone is {biggest * biggest:,} rows "
            f"(~{biggest * biggest * JOIN_ROW_BYTES / 2**30:.1f} GiB), over the {memory_limit_bytes / 2**30:.1f} GiB limit")
    bounds = [0]
    acc = 0
    ends = np.cumsum(sizes.values)
    for i, r in enumerate(rows_per_target):
        if acc > 0 and acc + r > max_join_rows:
            bounds.append(int(ends[i - 1]))
            acc = 0
        acc += int(r)
    bounds.append(len(events))
    log(f"{len(events):,} events on {len(sizes):,} targets; self-joins {total_join_rows:,} rows in all "
        f"(~{total_join_rows * JOIN_ROW_BYTES / 2**30:.1f} GiB unchunked), {len(bounds) - 1} chunk(s)")

    parts = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        chunk = events.iloc[lo:hi]
        m = chunk.merge(chunk, on="target", suffixes=("_a", "_b"))
        m = m[(m["account_a"] < m["account_b"]) & ((m["t_a"] - m["t_b"]).abs() <= window_ms)]
        if len(m):
            parts.append(m.groupby(["account_a", "account_b"], sort=False)
                          .agg(co_actions=("target", "size"), distinct_targets=("target", "nunique")))
        del m
    if not parts:
        return pd.DataFrame({"account_a": [], "account_b": [], "co_actions": [], "distinct_targets": []}), total_join_rows
    # Chunks hold disjoint targets, so both counts add up across chunks.
    pairs = pd.concat(parts).groupby(level=[0, 1], sort=True).sum().reset_index()
    pairs["account_a"] = accounts[pairs["account_a"].values]
    pairs["account_b"] = accounts[pairs["account_b"].values]
    return pairs, total_join_rows


def run_join(args):
    log = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    t0 = time.perf_counter()
    events, rows = read_events(args)
    t1 = time.perf_counter()
    try:
        pairs, join_rows = coaction_pairs(events, args.window_ms, args.max_join_rows,
                                          int(args.memory_limit_gb * 2**30), log)
    except MemoryError as e:
        print(f"coaction_pandas: cannot join: {e or 'MemoryError'}", file=sys.stderr)
        if args.stats:
            with open(args.stats, "w") as f:
                json.dump({"error": str(e) or "MemoryError", "rows": rows, "events": len(events),
                           "read_s": t1 - t0}, f)
        return 3
    t2 = time.perf_counter()
    if args.out:
        pairs.to_csv(args.out, index=False)
    t3 = time.perf_counter()
    stats = {"rows": rows, "events": len(events), "pairs": len(pairs), "event_pairs": int(pairs["co_actions"].sum()),
             "join_rows": join_rows, "read_s": t1 - t0, "join_s": t2 - t1, "write_s": t3 - t2}
    log(json.dumps(stats))
    if args.stats:
        with open(args.stats, "w") as f:
            json.dump(stats, f)
    return 0


# --------------------------------------------------------------------------------------------------------------
# compare: the same inputs through cibgraph and pandas
# --------------------------------------------------------------------------------------------------------------

def timed(cmd, stdout=None, address_space_limit=None):
    """Runs cmd; returns (exit code, wall seconds, peak RSS bytes, stderr text) of that process alone
    (bench/measure.py: the peak from GNU time, so this Python's own RSS is not counted)."""
    import tempfile

    def limit():
        if address_space_limit:
            resource.setrlimit(resource.RLIMIT_AS, (address_space_limit, address_space_limit))
    with tempfile.TemporaryFile("w+") as err:
        rc, wall, _, peak = measured(cmd, stdout or subprocess.DEVNULL, err,
                                     preexec_fn=limit if address_space_limit else None)
        err.seek(0)
        return rc, wall, peak, err.read()


def check(cmd, what):
    rc, wall, rss, err = timed(cmd)
    if rc != 0:
        sys.exit(f"{what} failed ({rc}): {' '.join(cmd)}\n{err}")
    return wall, rss


def compare_pairs(cib_csv, pandas_csv):
    """Same set of unordered pairs with the same co_actions and distinct_targets? Returns (ok, text)."""
    import pandas as pd

    cols = ["account_a", "account_b", "co_actions", "distinct_targets"]
    c = pd.read_csv(cib_csv, usecols=cols + ["layer"], dtype={"account_a": str, "account_b": str},
                    keep_default_na=False)
    c = c[c["layer"] == "co-share"][cols]
    p = pd.read_csv(pandas_csv, dtype={"account_a": str, "account_b": str}, keep_default_na=False)[cols]
    for d in (c, p):
        lo = d[["account_a", "account_b"]].min(axis=1)
        hi = d[["account_a", "account_b"]].max(axis=1)
        d["account_a"], d["account_b"] = lo, hi
    dup_c = int(c.duplicated(["account_a", "account_b"]).sum())
    dup_p = int(p.duplicated(["account_a", "account_b"]).sum())
    m = c.merge(p, on=["account_a", "account_b"], how="outer", suffixes=("_cib", "_pd"), indicator=True)
    only_c = m[m["_merge"] == "left_only"]
    only_p = m[m["_merge"] == "right_only"]
    both = m[m["_merge"] == "both"]
    diff_co = both[both["co_actions_cib"] != both["co_actions_pd"]]
    diff_dt = both[both["distinct_targets_cib"] != both["distinct_targets_pd"]]
    ok = not (len(only_c) or len(only_p) or len(diff_co) or len(diff_dt) or dup_c or dup_p)
    if ok:
        return True, f"identical ({len(c):,} pairs)"
    parts = [f"only cibgraph {len(only_c)}", f"only pandas {len(only_p)}", f"co_actions differ {len(diff_co)}",
             f"distinct_targets differ {len(diff_dt)}"]
    if dup_c or dup_p:
        parts.append(f"duplicate pairs cibgraph {dup_c} pandas {dup_p}")
    examples = pd.concat([only_c.head(3), only_p.head(3), diff_co.head(3), diff_dt.head(3)])
    return False, "DIFFER: " + ", ".join(parts) + "\n" + examples.to_string()


def gib(b):
    return f"{b / 2**30:.2f} GiB" if b >= 2**30 else f"{b / 2**20:.0f} MiB"


def run_compare(args):
    started = bench_results.utc_now()
    here = os.path.abspath(__file__)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    cib = os.path.abspath(args.cibgraph)
    inputs = []
    for s in [x for x in args.sizes.split(",") if x]:
        n = int(float(s))
        d = os.path.join(work, f"planted-{n}")
        events_csv = os.path.join(d, "events.csv")
        if not os.path.exists(events_csv):
            check([cib, "generate", "planted", "--out", d, "--events", str(n), "--seed", "1"], "cibgraph generate")
        inputs.append({"name": f"planted 10^{len(str(n)) - 1}" if str(n).strip("0") == "1" else f"planted {n}",
                       "csv": events_csv, "dir": d,
                       "ingest": [],
                       "pandas": ["--account", "account_id", "--target", "target", "--time", "timestamp",
                                  "--action", "action", "--time-unit", "iso8601"]})
    if args.real:
        if os.path.exists(args.real):
            d = os.path.join(work, "russian")
            os.makedirs(d, exist_ok=True)
            inputs.append({"name": "russian_coord_tweets", "csv": os.path.abspath(args.real), "dir": d,
                           "ingest": ["--account", "account_id", "--target", "object_id", "--time", "timestamp_share",
                                      "--action-value", "retweet", "--time-format", "unix_s"],
                           "pandas": ["--account", "account_id", "--target", "object_id", "--time",
                                      "timestamp_share", "--time-unit", "s"]})
        else:
            print(f"skipping {args.real}: not found (the real data sets live in ../shared/datasets)")

    results = []
    window_s = args.window_ms / 1000
    for inp in inputs:
        d = inp["dir"]
        h5, edges = os.path.join(d, "data.h5"), os.path.join(d, "cib_edges.csv")
        pd_pairs, pd_stats = os.path.join(d, "pandas_pairs.csv"), os.path.join(d, "pandas_stats.json")
        print(f"== {inp['name']}: {inp['csv']}", flush=True)
        # cibgraph: ingest (CSV -> HDF5), then the projection with no filter; the cap on popular targets is
        # lifted so that the semantics are exactly the pandas ones (the default cap keeps the tightest pairs).
        w_ing, rss_ing = check([cib, "ingest", inp["csv"], "-o", h5, "--quiet"] + inp["ingest"], "cibgraph ingest")
        with open(os.path.join(d, "project.txt"), "w") as out:
            rc, w_proj, rss_proj, err = timed([cib, "project", h5, "--layers", "co-share", "--window",
                                               f"{window_s:g}s", "--filter", "none", "--min-co-actions", "1",
                                               "--min-targets", "1", "--max-pairs-per-target", str(10**15),
                                               "--edges", edges], stdout=out)
        if rc != 0:
            sys.exit(f"cibgraph project failed ({rc}):\n{err}")
        with open(os.path.join(d, "project.txt")) as f:
            project_out = f.read()
        rc, w_pd, rss_pd, err = timed([sys.executable, here, "join", inp["csv"], "--window-ms", str(args.window_ms),
                                       "--out", pd_pairs, "--stats", pd_stats, "--max-join-rows",
                                       str(args.max_join_rows), "--memory-limit-gb", str(args.memory_limit_gb)]
                                      + inp["pandas"], address_space_limit=int(args.memory_limit_gb * 2**30) + 2**31)
        print(err.strip(), flush=True)
        st = {}
        if os.path.exists(pd_stats):
            with open(pd_stats) as f:
                st = json.load(f)
        row = {"input": inp["name"], "events": st.get("rows"), "cib_ingest_s": w_ing, "cib_project_s": w_proj,
               "cib_rss": max(rss_ing, rss_proj), "pandas_s": w_pd, "pandas_rss": rss_pd, "pandas_rc": rc,
               "pandas_stats": st, "project_out": project_out.strip()}
        if rc == 0:
            ok, text = compare_pairs(edges, pd_pairs)
            row["ok"], row["agreement"] = ok, text
        else:
            row["ok"], row["agreement"] = None, f"pandas could not run: {st.get('error', err.strip()[-300:])}"
        print(f"   cibgraph ingest {w_ing:.2f} s + project {w_proj:.2f} s; pandas {w_pd:.2f} s; {row['agreement']}",
              flush=True)
        results.append(row)
        os.remove(edges) if args.clean else None
    write_results(args, results)
    settings = {k: v for k, v in vars(args).items() if k not in ("results", "json", "command")}
    bench_results.write_json(args.json, bench_results.document(
        "coaction_pandas", "quick" if args.quick else "full", started, json_rows(results), settings,
        markdown=args.results, version=cibgraph_version(args.cibgraph)))
    print(f"wrote {args.results} and {args.json}")
    return 0 if all(r["ok"] is not False for r in results) else 1


def cibgraph_version(binary):
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.split()
        return out[-1] if out else None
    except OSError:
        return None


def json_rows(results):
    """The measurements as bench_results' JSON: pandas beside cibgraph (time ratio cibgraph / pandas, as the
    other comparisons; the Markdown table gives pandas / cibgraph), with memory and the agreement check."""
    rows = []
    for r in results:
        cib = r["cib_ingest_s"] + r["cib_project_s"]
        pandas = r["pandas_s"] if r["pandas_rc"] == 0 else ("failed", r["agreement"])
        row = {"input": r["input"], "events": r["events"], **bench_results.side_by_side(cib, {"pandas": pandas})}
        row["cibgraph"].update({"ingest_seconds": r["cib_ingest_s"], "project_seconds": r["cib_project_s"],
                                "peak_rss_bytes": r["cib_rss"]})
        if r["pandas_rc"] == 0:
            row["peers"]["pandas"].update({"peak_rss_bytes": r["pandas_rss"],
                                           "memory_ratio": round(r["cib_rss"] / r["pandas_rss"], 4)
                                           if r["pandas_rss"] else None,
                                           "pairs": r["pandas_stats"].get("pairs"),
                                           "event_pairs": r["pandas_stats"].get("event_pairs")})
        row["same_pairs"] = r["ok"]
        row["agreement"] = r["agreement"]
        rows.append(row)
    return rows


def write_results(args, results):
    lines = [
        "| input | events | pandas time | cibgraph time (ingest + project) | ratio | pandas peak memory | "
        "cibgraph peak memory | pairs | event pairs in window | agreement |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        st = r["pandas_stats"]
        cib = r["cib_ingest_s"] + r["cib_project_s"]
        events = f"{r['events']:,}" if r["events"] is not None else "?"
        if r["pandas_rc"] == 0:
            pd_time = f"{r['pandas_s']:.2f} s (read {st['read_s']:.2f}, join {st['join_s']:.2f})"
            ratio = f"{r['pandas_s'] / cib:.1f}x"
            pairs, ep = f"{st['pairs']:,}", f"{st['event_pairs']:,}"
        else:
            pd_time, ratio, pairs, ep = "could not run", "-", "-", "-"
        agreement = "same pairs, co_actions and distinct_targets" if r["ok"] else r["agreement"].split("\n")[0]
        lines.append(f"| {r['input']} | {events} | {pd_time} | {cib:.2f} s ({r['cib_ingest_s']:.2f} + "
                     f"{r['cib_project_s']:.2f}) | {ratio} | {gib(r['pandas_rss'])} | {gib(r['cib_rss'])} | {pairs} | "
                     f"{ep} | {agreement} |")
    table = "\n".join(lines) + "\n"
    marker_start, marker_end = "<!-- compare:start -->", "<!-- compare:end -->"
    if args.quick:
        table = ("A quick run at small sizes (`coaction_pandas.py compare --quick`), not comparable with the full "
                 "table.\n\n" + table)
    bench_results.write_between_markers(args.results, table, marker_start, marker_end,
                                        "# Co-action projection: cibgraph and a pandas self-join")
    print(table)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    j = sub.add_parser("join", help="the pandas self-join on one CSV file")
    j.add_argument("input")
    j.add_argument("--account", default="account_id")
    j.add_argument("--target", default="target")
    j.add_argument("--time", default="timestamp")
    j.add_argument("--action", default=None, help="action column; rows whose action is a co-share action are kept")
    j.add_argument("--time-unit", choices=["iso8601", "s", "ms"], default="iso8601")
    j.add_argument("--window-ms", type=int, default=60_000)
    j.add_argument("--max-join-rows", type=int, default=10_000_000, help="self-join rows per chunk of targets")
    j.add_argument("--memory-limit-gb", type=float, default=8.0)
    j.add_argument("--out", help="pairs CSV: account_a,account_b,co_actions,distinct_targets")
    j.add_argument("--stats", help="timings and counts as JSON")
    j.add_argument("--quiet", action="store_true")
    c = sub.add_parser("compare", help="cibgraph and pandas on the same inputs")
    c.add_argument("--cibgraph", default=os.path.join(BUILD, "bin", "cibgraph"))
    c.add_argument("--work", default="/tmp/benchco", help="scratch folder for generated data and outputs")
    c.add_argument("--quick", action="store_true", help=f"small sizes: --sizes {SIZES['quick']} unless given")
    c.add_argument("--sizes", default=None, help=f"planted scenario sizes (events) [{SIZES['full']}]")
    c.add_argument("--real", default=os.path.join(SHARED, "russian_coord_tweets.csv.gz"),
                   help="the real data set ('' leaves it out) [$CIBGRAPH_SHARED_DATASETS or ../shared/datasets]")
    c.add_argument("--window-ms", type=int, default=60_000)
    c.add_argument("--max-join-rows", type=int, default=10_000_000)
    c.add_argument("--memory-limit-gb", type=float, default=8.0)
    c.add_argument("--results", default=os.path.join(BUILD, "bench-results", "coaction_results.md"),
                   help="markdown file to write the table into, between compare markers "
                        "[build/bench-results/coaction_results.md; bench/compare/coaction_results.md publishes]")
    c.add_argument("--json", help="the run as JSON [beside --results]")
    c.add_argument("--clean", action="store_true", help="remove the edge CSVs after comparing")
    args = ap.parse_args(argv)
    if args.command == "compare":
        if args.sizes is None:
            args.sizes = SIZES["quick" if args.quick else "full"]
        if args.json is None:
            args.json = str(bench_results.json_beside(args.results))
        if args.quick and bench_results.is_tracked_result(args.results):
            ap.error(f"--quick results are not published: --results {args.results} is a tracked table under bench/")
    return args


def main(argv=None):
    args = parse_args(argv)
    return run_join(args) if args.command == "join" else run_compare(args)


if __name__ == "__main__":
    sys.exit(main())
