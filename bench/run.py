#!/usr/bin/python3
"""`make bench` and `make bench-quick`: every benchmark family, one results folder, JSON beside every Markdown table.

The families, in order:

  google-benchmark    every Google Benchmark program in BUILD/bin/bench_*, run from BUILD (generated inputs go to
                      BUILD/bench-data): google-benchmark/<program>.json (--benchmark_out) and .txt (the console
                      table), and google_benchmark.md, one table of them all
  coaction_pandas     bench/compare/coaction_pandas.py compare: the co-action projection against a pandas self-join
                      (coaction_results.md and .json)
  compare_algorithms  bench/compare/compare_algorithms.py: the graph kernels against igraph, graph-tool, networkx
                      and leidenalg (algorithms_results.md and .json)

Full run (the default): every size, 41-50 minutes on 2 cores (most of it compare_algorithms). --quick: the same
programs and scripts at small sizes, a few minutes: CIBGRAPH_BENCH_MAX_EDGES=1e5 (bench/bench_sizes.hpp),
CIBGRAPH_BENCH_INGEST_MB=16, CIBGRAPH_BENCH_SIZES=1e4,1e5 and CIBGRAPH_BENCH_SYNTHETIC_SIZES=1e5 (bench_coaction;
CIBGRAPH_BENCH_SIZES also sets coaction_pandas's planted sizes), Google Benchmark's minimum time 0.1 s, and the
comparison scripts' --quick. A variable already set in the environment wins over these.

Results go to --out (default BUILD/bench-results/<UTC time>-<quick|full>/, untracked; BUILD/bench-results/latest
points at the last one) with run.json, the run's index: mode, commit, each family's command, seconds, exit code and
files. --publish (full runs only) also rewrites the tracked tables bench/compare/algorithms_results.md and
bench/compare/coaction_results.md, which the docs quote. A family that fails does not stop the others; the exit code
is then 1.

    /usr/bin/python3 bench/run.py --build build [--quick] [--publish] [--out DIR] [--only FAMILY,...]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import bench_results  # noqa: E402

PYTHON = "/usr/bin/python3"
FAMILIES = ["google-benchmark", "coaction_pandas", "compare_algorithms"]
QUICK_ENV = {"CIBGRAPH_BENCH_MAX_EDGES": "1e5", "CIBGRAPH_BENCH_INGEST_MB": "16", "CIBGRAPH_BENCH_SIZES": "1e4,1e5",
             "CIBGRAPH_BENCH_SYNTHETIC_SIZES": "1e5"}
QUICK_MIN_TIME = "0.1"  # seconds; Google Benchmark 1.7 takes a plain number
PUBLISHED = {"coaction_pandas": ROOT / "bench" / "compare" / "coaction_results.md",
             "compare_algorithms": ROOT / "bench" / "compare" / "algorithms_results.md"}


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build", help="the build folder (relative to the checkout) [build]")
    ap.add_argument("--quick", action="store_true", help="small sizes: a few minutes instead of 41-50")
    ap.add_argument("--publish", action="store_true",
                    help="also rewrite the tracked tables in bench/compare (full runs only)")
    ap.add_argument("--out", help="results folder [BUILD/bench-results/<UTC time>-<quick|full>]")
    ap.add_argument("--only", default="", help=f"comma-separated families to run, of {','.join(FAMILIES)} [all]")
    args = ap.parse_args(argv)
    if args.publish and args.quick:
        ap.error("a quick run is not published: --publish needs the full run (drop --quick / QUICK=1)")
    args.families = [f for f in args.only.split(",") if f] or FAMILIES
    unknown = set(args.families) - set(FAMILIES)
    if unknown:
        ap.error(f"--only: no family {', '.join(sorted(unknown))} (families: {', '.join(FAMILIES)})")
    args.build = (ROOT / args.build).resolve()
    started = bench_results.utc_now()
    mode = "quick" if args.quick else "full"
    args.out = (pathlib.Path(args.out) if args.out else
                args.build / "bench-results" / f"{started:%Y-%m-%dT%H%M%SZ}-{mode}").resolve()
    if bench_results.is_tracked_result(args.out):
        ap.error(f"--out {args.out} is inside bench/, where the tracked tables live; --publish updates those")
    args.started, args.mode = started, mode
    return args


def run_step(name, cmd, env, cwd, log):
    """Runs one command, its output to the terminal and to `log`; returns (exit code, seconds)."""
    print(f"== {name}: {' '.join(map(str, cmd))}", flush=True)
    start = time.perf_counter()
    with open(log, "a") as f:
        proc = subprocess.Popen([str(c) for c in cmd], env=env, cwd=cwd, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1)
        for line in proc.stdout:
            sys.stdout.write(line)
            f.write(line)
        rc = proc.wait()
    return rc, time.perf_counter() - start


def google_benchmark(args, env):
    programs = sorted(p for p in (args.build / "bin").glob("bench_*") if os.access(p, os.X_OK))
    if not programs:
        return [{"name": "google-benchmark", "command": None, "exit_code": 1, "seconds": 0, "outputs": [],
                 "error": f"no benchmark programs in {args.build / 'bin'}: build the `benchmarks` target"}]
    folder = args.out / "google-benchmark"
    folder.mkdir(parents=True, exist_ok=True)
    steps = []
    for p in programs:
        out_json, out_txt = folder / f"{p.name}.json", folder / f"{p.name}.txt"
        cmd = [p, f"--benchmark_out={out_json}", "--benchmark_out_format=json"]
        if args.quick:
            cmd.append(f"--benchmark_min_time={QUICK_MIN_TIME}")
        rc, seconds = run_step(p.name, cmd, env, args.build, out_txt)
        steps.append({"name": p.name, "command": " ".join(map(str, cmd)), "exit_code": rc, "seconds": round(seconds, 3),
                      "outputs": [str(x.relative_to(args.out)) for x in (out_json, out_txt) if x.exists()]})
    written = sorted(folder.glob("*.json"))
    if written:
        table = args.out / "google_benchmark.md"
        table.write_text("# Google Benchmark programs\n\n" + bench_results.gbench_markdown(written))
        steps.append({"name": "google_benchmark.md", "command": "bench_results.gbench_markdown(google-benchmark/*.json)",
                      "exit_code": 0, "seconds": 0.0, "outputs": [table.name]})
    return steps


def comparison(args, env, name):
    script = HERE / "compare" / f"{name}.py"
    md = PUBLISHED[name] if args.publish else args.out / PUBLISHED[name].name
    js = args.out / PUBLISHED[name].with_suffix(".json").name
    if name == "coaction_pandas":
        cmd = [PYTHON, script, "compare", "--cibgraph", args.build / "bin" / "cibgraph", "--work",
               args.build / "bench-data" / "coaction", "--results", md, "--json", js, "--clean"]
        if env.get("CIBGRAPH_BENCH_SIZES"):
            cmd += ["--sizes", env["CIBGRAPH_BENCH_SIZES"]]
    else:
        cmd = [PYTHON, script, "--out", md, "--json", js]
    if args.quick:
        cmd.append("--quick")
    rc, seconds = run_step(name, cmd, env, ROOT, args.out / f"{name}.log")
    outputs = [js.name]
    if args.publish and md.exists():  # the run folder keeps its own copy of the published table
        (args.out / md.name).write_text(md.read_text())
    if (args.out / md.name).exists():
        outputs.insert(0, md.name)
    return [{"name": name, "command": " ".join(map(str, cmd)), "exit_code": rc, "seconds": round(seconds, 3),
             "outputs": [o for o in outputs if (args.out / o).exists()] + [f"{name}.log"],
             **({"published": str(md.relative_to(ROOT))} if args.publish else {})}]


def main(argv=None):
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["CIBGRAPH_BUILD_DIR"] = str(args.build)
    if args.quick:
        for k, v in QUICK_ENV.items():
            env.setdefault(k, v)
    latest = args.out.parent / "latest"
    if args.out.parent == args.build / "bench-results":
        if latest.is_symlink() or not latest.exists():
            latest.unlink(missing_ok=True)
            latest.symlink_to(args.out.name)
    print(f"bench: {args.mode} run, results in {args.out}", flush=True)
    steps = []
    for family in args.families:
        steps += google_benchmark(args, env) if family == "google-benchmark" else comparison(args, env, family)
    commit, dirty = bench_results.git_state()
    index = {"schema": bench_results.SCHEMA, "benchmark": "run", "mode": args.mode,
             "started": bench_results.iso(args.started),
             "seconds": round((bench_results.utc_now() - args.started).total_seconds(), 3),
             "commit": commit, "dirty": dirty, "cores": os.cpu_count(), "build": str(args.build),
             "published": args.publish, "environment": {k: env[k] for k in sorted(env) if k.startswith("CIBGRAPH_BENCH")},
             "steps": steps}
    bench_results.write_json(args.out / "run.json", index)
    failed = [s["name"] for s in steps if s["exit_code"] != 0]
    print(f"\nbench: {args.mode} run in {index['seconds']:.0f} s; results in {args.out}")
    for s in steps:
        print(f"  {s['name']:<34} {s['seconds']:8.1f} s  exit {s['exit_code']}  {', '.join(s['outputs'])}"
              + (f"  ({s['error']})" if s.get("error") else ""))
    if failed:
        print(f"bench: FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
