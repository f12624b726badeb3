#!/usr/bin/python3
"""OpenMP under contention: small iterative work beside busy processes (issue 20).

Runs PageRank and eigenvector centrality on a random graph of the issue's size (37k vertices, 184k edges) and a
10x larger one, each in a fresh process (OpenMP reads its settings at start-up), idle and beside BUSY processes that
spin on the CPU (load about BUSY + 1 on the machine's cores), under four settings:

  default         what cibgraph does now: OMP_WAIT_POLICY=passive (set by cibgraph on import) and small sweeps on
                  one thread (iteration_parallel_threshold)
  spinning        OMP_WAIT_POLICY=active: libgomp's threads spin while they wait (the old default spun ~300k rounds)
  spinning, all   OMP_WAIT_POLICY=active and CIBGRAPH_ITERATION_PARALLEL=0 (every sweep parallel, as before)
  one thread      OMP_NUM_THREADS=1

and prints the median of REPEATS calls per setting as a Markdown table, with the JSON beside it when --out is given.

    /usr/bin/python3 bench/contention/contention.py [--busy 3] [--repeats 5] [--out DIR]
"""

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time

CHILD = r"""
import json, os, sys, time
import numpy as np
import cibgraph as cg
n, m, repeats = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(7)
src = rng.integers(0, n, m).astype(np.uint32)
dst = rng.integers(0, n, m).astype(np.uint32)
keep = src != dst
g = cg.Graph.from_edges(src[keep], dst[keep], n=n)
out = {}
for name, fn in (("pagerank", cg.pagerank), ("eigenvector", cg.eigenvector_centrality)):
    fn(g)
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(g); times.append(time.perf_counter() - t)
    out[name] = sorted(times)[len(times) // 2]
print(json.dumps(out))
"""

SETTINGS = {
    "default": {},
    "spinning": {"OMP_WAIT_POLICY": "active"},
    "spinning, all parallel": {"OMP_WAIT_POLICY": "active", "CIBGRAPH_ITERATION_PARALLEL": "0"},
    "one thread": {"OMP_NUM_THREADS": "1"},
}


def busy():
    while True:
        pass


def run(setting, n, m, repeats, pythonpath):
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS")}
    env.update(SETTINGS[setting])
    env["PYTHONPATH"] = pythonpath
    r = subprocess.run([sys.executable, "-c", CHILD, str(n), str(m), str(repeats)], env=env, capture_output=True,
                       text=True, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--busy", type=int, default=3, help="busy processes beside the timed one [3]")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--sizes", default="37000:184000,370000:1840000", help="vertices:edges,... [the issue's, x10]")
    ap.add_argument("--out", help="folder for contention.md and contention.json")
    a = ap.parse_args()
    pythonpath = os.path.join(a.build, "python")
    sizes = [tuple(int(x) for x in s.split(":")) for s in a.sizes.split(",")]
    rows = []
    for busy_count in (0, a.busy):
        workers = [multiprocessing.Process(target=busy, daemon=True) for _ in range(busy_count)]
        for w in workers:
            w.start()
        time.sleep(0.5)
        try:
            for n, m in sizes:
                for setting in SETTINGS:
                    t = run(setting, n, m, a.repeats, pythonpath)
                    rows.append({"busy": busy_count, "vertices": n, "edges": m, "setting": setting, **t})
                    print(f"busy {busy_count} n {n} m {m} {setting}: " +
                          ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in t.items()), file=sys.stderr)
        finally:
            for w in workers:
                w.terminate()
    lines = [f"OpenMP under contention ({os.cpu_count()} cores; median of {a.repeats} calls, fresh process per "
             f"setting; ratios against `default`)", "",
             "| busy processes | vertices | edges | setting | pagerank ms | ratio | eigenvector ms | ratio |",
             "|---:|---:|---:|---|---:|---:|---:|---:|"]
    for r in rows:
        base = next(x for x in rows if x["busy"] == r["busy"] and x["vertices"] == r["vertices"] and
                    x["setting"] == "default")
        lines.append(f"| {r['busy']} | {r['vertices']:,} | {r['edges']:,} | {r['setting']} | "
                     f"{r['pagerank'] * 1000:.1f} | {r['pagerank'] / base['pagerank']:.2f} | "
                     f"{r['eigenvector'] * 1000:.1f} | {r['eigenvector'] / base['eigenvector']:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        open(os.path.join(a.out, "contention.md"), "w").write(text)
        json.dump({"cores": os.cpu_count(), "repeats": a.repeats, "rows": rows},
                  open(os.path.join(a.out, "contention.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
