#!/usr/bin/python3
"""cibgraph's graph kernels side by side with igraph, graph-tool, networkx and leidenalg, in the same run.

For every kernel and graph, each tool runs on the same simple graph (self-loops and repeated edges dropped),
wall-clock timed (best of --repeat), and the result is checked: communities by their modularity (higher is
better), centralities and integer results by their largest relative error against the reference (igraph, else
networkx). The table gives each peer's time, ours, and the ratio ours / fastest peer (below 1: we are faster).
Peers run with their defaults: networkx, leidenalg and igraph on one core (igraph's PageRank, PRPACK, may use
OpenMP), graph-tool's OpenMP kernels on all cores; cibgraph uses all cores (OpenMP). Leiden is compared twice: with 2 iterations (leidenalg's default) and until an iteration
changes nothing. networkx is skipped above --networkx-max-edges edges, exact shortest-path kernels above
--paths-max-edges edges and Leiden until stable above --stable-max-edges (marked "skipped" with the reason).
Graphs above --large-edges edges are timed once (--large-repeat).

A peer that runs longer than --time-limit seconds is stopped and reported as "> LIMIT s (stopped)": igraph,
networkx and leidenalg run in a spawned child that is killed at the limit (a fresh process: igraph's PageRank
uses OpenMP, which does not survive a fork; the peer's graph is built there, untimed); graph-tool's OpenMP kernels run in this process and have no limit.

Graphs: graph-tool's bundled collection (cond-mat-2005, email-Enron, pgp-strong-2009), the shared data sets
($CIBGRAPH_SHARED_DATASETS, else ../shared/datasets: soc-Slashdot0902, skipped with a message when absent), and a
generated G(n, m) graph with --generated-edges edges (10^7 by default). --quick: cond-mat-2005 and G(n, m) with
2*10^4 edges, timed once, exact shortest paths up to 10^5 edges (about 2 minutes on 2 cores).

The table goes between the markers of --out (default build/bench-results/algorithms_results.md, untracked; the
published table is bench/compare/algorithms_results.md, written only when --out names it), the same run as JSON
to --json (default: beside --out; format in bench/bench_results.py).

    /usr/bin/python3 bench/compare/compare_algorithms.py [--quick] [--out FILE.md] [--json FILE.json]
    /usr/bin/python3 bench/compare/compare_algorithms.py --out bench/compare/algorithms_results.md   # publish
"""

from __future__ import annotations

import argparse
import datetime
import gc
import gzip
import multiprocessing
import os
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("CIBGRAPH_BUILD_DIR", ROOT / "build"))  # as the tests: the build to measure
sys.path.insert(0, str(BUILD / "python"))
sys.path.insert(0, str(ROOT / "tests" / "python"))
sys.path.insert(0, str(ROOT / "bench"))

import cibgraph as cg  # noqa: E402
import bench_results  # noqa: E402
from reference_graphs import COLLECTION, SHARED, simple_edges  # noqa: E402

BEGIN, END = "<!-- compare:start -->", "<!-- compare:end -->"


def load_collection(name):
    import graph_tool as gt

    g = gt.load_graph(str(COLLECTION / f"{name}.gt.gz"))
    e = g.get_edges()
    src, dst = simple_edges(e[:, 0], e[:, 1], False)
    return g.num_vertices(), src, dst


def load_slashdot():
    path = SHARED / "soc-Slashdot0902.txt.gz"
    if not path.exists():
        return None
    with gzip.open(path, "rt") as f:
        e = np.loadtxt((line for line in f if not line.startswith("#")), dtype=np.int64, ndmin=2)
    src, dst = simple_edges(e[:, 0], e[:, 1], False)
    return int(max(src.max(), dst.max())) + 1, src, dst


def generated(m, seed=1):
    n = max(1000, m // 10)
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, size=int(m * 1.05), dtype=np.int64)
    dst = rng.integers(0, n, size=int(m * 1.05), dtype=np.int64)
    src, dst = simple_edges(src, dst, False)
    return n, src[:m], dst[:m]


def best_time(fn, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


class Stopped:
    """A peer stopped at the time limit (no result)."""

    def __init__(self, limit):
        self.limit = limit

    def __str__(self):
        return f"> {self.limit:.0f} s (stopped)"


def _child(conn, n, src, dst, kernel, peer, repeat):
    """Spawned child: build the peer's graph (not timed), say so, then time the kernel and send the result."""
    try:
        peers = Peers(n, src, dst, tools={"networkx" if peer == "networkx" else "igraph"})
        fn = next(k for k in kernels() if k[0] == kernel)[3][peer]
        conn.send(("ready", None, None))
        conn.send(("ok",) + best_time(lambda: fn(peers), repeat))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which re-raises
        conn.send(("error", repr(e), None))
    finally:
        conn.close()


def limited_time(n, src, dst, kernel, peer, repeat, limit):
    """best_time of one peer's kernel in a spawned child, killed after `limit` seconds per repeat.

    Returns (time, result), or (Stopped, None) at the limit. The child builds its own graph (igraph's PRPACK
    uses OpenMP, which does not survive a fork, so the child is spawned, not forked).
    """
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, n, src, dst, kernel, peer, repeat), daemon=True)
    proc.start()
    child.close()
    try:
        status, detail, _ = parent.recv()  # building the graph is not limited
        if status == "ready":
            if not parent.poll(limit * repeat):
                proc.kill()
                return Stopped(limit), None
            status, detail, out = parent.recv()
    except EOFError:
        status, detail = "error", f"child exited with code {proc.exitcode}"
    finally:
        proc.join()
    if status != "ok":
        raise RuntimeError(f"{peer} {kernel}: {detail}")
    return detail, out


def max_rel_error(x, ref):
    x = np.asarray(x, dtype=float)
    ref = np.asarray(ref, dtype=float)
    scale = np.maximum(np.abs(ref), 1e-12 * max(1.0, np.abs(ref).max()))
    return float(np.max(np.abs(x - ref) / scale)) if len(ref) else 0.0


class Peers:
    """The graph in each tool's own form (`tools`: which ones), built once per graph (building is not timed)."""

    def __init__(self, n, src, dst, tools):
        self.n = n
        self.ours = self.igraph = self.gt = self.nx = None
        if "cibgraph" in tools:
            self.ours = cg.Graph.from_edges(src, dst, n=n)
        if "igraph" in tools:
            import igraph as ig

            self.igraph = ig.Graph(n=n, edges=np.stack([src, dst], axis=1).tolist())
        if "graph-tool" in tools:
            import graph_tool as gt

            self.gt = gt.Graph(directed=False)
            self.gt.add_vertex(n)
            self.gt.add_edge_list(np.stack([src, dst], axis=1))
        if "networkx" in tools:
            import networkx as nx

            self.nx = nx.Graph()
            self.nx.add_nodes_from(range(n))
            self.nx.add_edges_from(zip(src.tolist(), dst.tolist()))


def nx_vector(d, n):
    return np.array([d[v] for v in range(n)], dtype=float)


def kernels():
    """(kernel, kind, ours, {peer: fn}); kind 'community' scores by modularity, else by error against igraph."""
    import graph_tool.centrality as gtc
    import graph_tool.topology as gtt
    import leidenalg as la

    return [
        ("Leiden, 2 iterations", "community", lambda p: cg.leiden(p.ours, seed=1, max_iterations=2), {
            "leidenalg": lambda p: np.array(la.find_partition(p.igraph, la.ModularityVertexPartition, seed=1,
                                                              n_iterations=2).membership),
            "igraph": lambda p: np.array(p.igraph.community_leiden(objective_function="modularity", n_iterations=2,
                                                                   weights=None).membership),
        }),
        ("Leiden, until stable", "stable", lambda p: cg.leiden(p.ours, seed=1), {
            "leidenalg": lambda p: np.array(la.find_partition(p.igraph, la.ModularityVertexPartition, seed=1,
                                                              n_iterations=-1).membership),
            "igraph": lambda p: np.array(p.igraph.community_leiden(objective_function="modularity", n_iterations=-1,
                                                                   weights=None).membership),
        }),
        ("Louvain", "community", lambda p: cg.louvain(p.ours, seed=1), {
            "igraph": lambda p: np.array(p.igraph.community_multilevel().membership),
            "networkx": (lambda p: communities_to_membership(
                __import__("networkx").community.louvain_communities(p.nx, seed=1), p.n)),
        }),
        ("Label propagation", "community", lambda p: cg.label_propagation(p.ours, seed=1), {
            "igraph": lambda p: np.array(p.igraph.community_label_propagation().membership),
            "networkx": (lambda p: communities_to_membership(
                __import__("networkx").community.asyn_lpa_communities(p.nx, seed=1), p.n)),
        }),
        ("PageRank (tol 1e-9)", "scores", lambda p: cg.pagerank(p.ours, tol=1e-9, weighted=False), {
            "igraph": lambda p: np.array(p.igraph.pagerank()),
            "graph-tool": lambda p: np.array(gtc.pagerank(p.gt, epsilon=1e-9).a),
            "networkx": (lambda p: nx_vector(__import__("networkx").pagerank(p.nx, tol=1e-9 / p.n), p.n)),
        }),
        ("Eigenvector", "scores", lambda p: cg.eigenvector_centrality(p.ours, tol=1e-9), {
            "igraph": lambda p: unit(np.array(p.igraph.eigenvector_centrality(scale=False))),
            "graph-tool": lambda p: unit(np.array(gtc.eigenvector(p.gt, epsilon=1e-9)[1].a)),
        }),
        ("Core numbers", "scores", lambda p: cg.core_numbers(p.ours), {
            "igraph": lambda p: np.array(p.igraph.coreness()),
            "graph-tool": lambda p: np.array(gtt.kcore_decomposition(p.gt).a),
            "networkx": (lambda p: nx_vector(__import__("networkx").core_number(p.nx), p.n)),
        }),
        ("Connected components", "partition", lambda p: cg.connected_components(p.ours), {
            "igraph": lambda p: np.array(p.igraph.connected_components().membership),
            "graph-tool": lambda p: np.array(gtt.label_components(p.gt)[0].a),
        }),
        ("Betweenness (exact)", "paths", lambda p: cg.betweenness(p.ours), {
            "igraph": lambda p: np.array(p.igraph.betweenness(directed=False)),
            "graph-tool": lambda p: np.array(gtc.betweenness(p.gt, norm=False)[0].a) / 1.0,
        }),
        ("Closeness", "paths", lambda p: cg.closeness(p.ours, wf_improved=False), {
            "igraph": lambda p: np.nan_to_num(np.array(p.igraph.closeness())),
            "graph-tool": lambda p: np.nan_to_num(np.array(gtc.closeness(p.gt, harmonic=False).a)),
        }),
        ("Harmonic", "paths", lambda p: cg.harmonic_centrality(p.ours), {
            "igraph": lambda p: np.array(p.igraph.harmonic_centrality(normalized=False)),
        }),
    ]


def unit(x):
    return x / np.linalg.norm(x)


def communities_to_membership(parts, n):
    out = np.zeros(n, dtype=np.int64)
    for i, c in enumerate(parts):
        out[list(c)] = i
    return out


def run(args):
    graphs = []
    for name in ["cond-mat-2005", "email-Enron", "pgp-strong-2009"]:
        graphs.append((name, lambda name=name: load_collection(name)))
    graphs.append(("soc-Slashdot0902", load_slashdot))
    graphs.append((f"G(n,m) {args.generated_edges:.0e} edges".replace("+0", ""), lambda: generated(args.generated_edges)))
    only = args.only or (QUICK_GRAPHS if args.quick else "")
    if only:
        graphs = [(g, f) for g, f in graphs if any(o in g for o in only.split(","))]
    rows, notes, sizes = [], [], {}
    for gname, loader in graphs:
        loaded = loader()
        if loaded is None:
            notes.append(f"{gname}: skipped ({SHARED} absent)")
            continue
        n, src, dst = loaded
        m = len(src)
        sizes[gname] = (n, m)
        print(f"== {gname}: {n} vertices, {m} edges", flush=True)
        peers = Peers(n, src, dst, tools={"cibgraph", "graph-tool"})  # the others run in spawned children
        with_networkx = m <= args.networkx_max_edges
        for kernel, kind, ours_fn, peer_fns in kernels():
            if kind == "paths" and m > args.paths_max_edges:
                rows.append((kernel, gname, {}, None, None, f"skipped: exact shortest paths above {args.paths_max_edges:.0e} edges"))
                continue
            if kind == "stable" and m > args.stable_max_edges:
                rows.append((kernel, gname, {}, None, None, f"skipped: leidenalg until stable above {args.stable_max_edges:.0e} edges"))
                continue
            # exact shortest paths take tens of seconds each; large graphs minutes
            repeat = 1 if kind == "paths" else args.large_repeat if m > args.large_edges else args.repeat
            t_ours, r_ours = best_time(lambda: ours_fn(peers), repeat)
            times, results = {}, {}
            for peer, fn in peer_fns.items():
                if peer == "networkx" and not with_networkx:
                    times[peer] = None
                    continue
                peer_repeat = repeat if peer != "networkx" else 1
                if peer == "graph-tool":
                    t, r = best_time(lambda: fn(peers), peer_repeat)
                else:
                    t, r = limited_time(n, src, dst, kernel, peer, peer_repeat, args.time_limit)
                times[peer] = t
                if r is not None:
                    results[peer] = r
            equal = None  # fastest peer reaching our quality (within 0.002): the "at equal quality"
            if kind in ("community", "stable"):
                q = {k: cg.modularity(peers.ours, np.asarray(v, dtype=np.uint32)) for k, v in results.items()}
                q_ours = cg.modularity(peers.ours, r_ours)
                quality = f"Q {q_ours:.4f} (" + (", ".join(f"{k} {v:.4f}" for k, v in q.items()) or "no peer finished") + ")"
                as_good = [times[k] for k, v in q.items() if v >= q_ours - 0.002]  # finished peers only
                equal = min(as_good) if as_good else float("inf")
            elif not results:
                quality = "no peer finished"
            elif kind == "partition":
                ref = next(iter(results.values()))
                same = cg.adjusted_rand_index(r_ours, np.asarray(ref, dtype=np.uint32)) == 1.0
                quality = "same partition" if same else "DIFFERENT partition"
            else:
                ref_name = "igraph" if "igraph" in results else next(iter(results))
                quality = f"max rel. error {max_rel_error(r_ours, results[ref_name]):.1e} vs {ref_name}"
            rows.append((kernel, gname, times, t_ours, equal, quality))
            print(f"  {kernel}: ours {t_ours:.3f} s, " + ", ".join(f"{k} {cell(v)}" for k, v in times.items()) +
                  f", ratio {ratio_text(t_ours, times)}; {quality}", flush=True)
        peers = None  # free the graphs before the next one
        gc.collect()
    return rows, notes, sizes


def cell(t):
    return "—" if t is None else str(t) if isinstance(t, Stopped) else f"{t:.3f} s"


def ratio_text(t_ours, times):
    """Ours / the fastest peer that finished; '< x' when every peer that ran was stopped at the limit."""
    done = [t for t in times.values() if isinstance(t, float)]
    if done:
        return f"{t_ours / min(done):.2f}"
    stopped = [t.limit for t in times.values() if isinstance(t, Stopped)]
    return f"< {t_ours / max(stopped):.2f}" if stopped else ""


def json_rows(rows, sizes, args):
    """The rows as bench_results' JSON: every peer beside cibgraph, as seconds and ratios (see bench_results.py)."""
    out = []
    for kernel, gname, times, t_ours, equal, quality in rows:
        n, m = sizes.get(gname, (None, None))
        row = {"kernel": kernel, "input": gname, "vertices": n, "edges": m}
        if t_ours is None:
            out.append({**row, "cibgraph": None, "peers": {}, "ratio": None, "skipped": quality})
            continue
        peers = {}
        for peer, t in times.items():
            if t is None:
                peers[peer] = ("skipped", f"above {args.networkx_max_edges:.0e} edges")
            elif isinstance(t, Stopped):
                peers[peer] = ("stopped", t.limit)
            else:
                peers[peer] = t
        row.update(bench_results.side_by_side(t_ours, peers))
        if equal is None:
            row["ratio_at_equal_quality"] = row["ratio"]
        elif equal == float("inf"):
            row["ratio_at_equal_quality"] = None  # no finished peer was as good (the Markdown says which case)
        else:
            row["ratio_at_equal_quality"] = round(t_ours / equal, 4)
        row["quality"] = quality
        out.append(row)
    return out


def markdown(rows, notes, args, started):
    peers = ["igraph", "graph-tool", "networkx", "leidenalg"]
    quick = "a quick run at small sizes, not comparable with the full table; " if args.quick else ""
    lines = [BEGIN, "",
             f"Run on {started:%Y-%m-%d %H:%M} UTC with cibgraph {cg.__version__} on {os.cpu_count()} cores "
             f"({quick}`bench/compare/compare_algorithms.py`, best of {args.repeat}, once above {args.large_edges:.0e} edges; "
             f"networkx and exact shortest-path kernels once; peers other than graph-tool stopped after "
             f"{args.time_limit:.0f} s).", "",
             "| kernel | graph | " + " | ".join(peers) + " | cibgraph | ratio | ratio at equal quality | quality |",
             "|---|---|" + "---:|" * (len(peers) + 3) + "---|"]
    for kernel, gname, times, t_ours, equal, quality in rows:
        if t_ours is None:
            lines.append(f"| {kernel} | {gname} | " + " | ".join("" for _ in peers) + f" | | | | {quality} |")
            continue
        cells = [cell(times[p]) if p in times else "" for p in peers]
        ratio = ratio_text(t_ours, times)
        if equal is None:
            at_equal = ratio  # centralities and partitions: every peer computes the same values
        elif equal == float("inf"):
            stopped = [t.limit for t in times.values() if isinstance(t, Stopped)]
            # a stopped peer may or may not have matched us, but it took longer than the limit
            at_equal = f"< {t_ours / max(stopped):.2f}" if stopped else "no peer as good"
        else:
            at_equal = f"{t_ours / equal:.2f}"
        lines.append(f"| {kernel} | {gname} | " + " | ".join(cells) + f" | {t_ours:.3f} s | {ratio} | {at_equal} | {quality} |")
    lines += ["", "Ratio = cibgraph time / fastest peer's time (below 1: cibgraph is faster). Ratio at equal quality: "
              "against the fastest peer whose modularity is at least ours - 0.002 (for the other kernels every peer "
              "computes the same values, so it is the ratio). — : the peer was "
              f"skipped (networkx above {args.networkx_max_edges:.0e} edges). > {args.time_limit:.0f} s (stopped): "
              "the peer was still running at the limit and was killed; a ratio '< x' compares with the limit."] + [f"- {n}" for n in notes] + ["", END]
    return "\n".join(lines)


def merge_tables(old, new, started, reason):
    """The old table with the rows of `new` in place of the same (kernel, graph) rows, and a line saying so.

    A row the new run skipped does not replace a measured one."""
    def rows_of(block):
        return [line for line in block.splitlines() if line.startswith("| ") and not line.startswith("| kernel |")]

    def key(line):
        cells = [c.strip() for c in line.split("|")]
        return cells[1], cells[2]

    replaced = {key(line): line for line in rows_of(new) if "| skipped:" not in line}
    out, seen = [BEGIN, ""], set()
    for line in old.strip().splitlines():
        if line.startswith("| ") and not line.startswith("| kernel |"):
            seen.add(key(line))
            line = replaced.get(key(line), line)
        elif line.startswith("Ratio = "):
            per_graph = {}
            for kernel, graph in replaced:
                per_graph.setdefault(graph, []).append(kernel)
            out.append(f"Rows re-run on {started:%Y-%m-%d %H:%M} UTC ({reason}): " +
                       "; ".join(f"{graph} ({len(kernels)} rows: {' / '.join(kernels)})"
                                 for graph, kernels in per_graph.items()) + ".")
            out.append("")
        elif line == END:
            break
        out.append(line)
    extra = [line for k, line in replaced.items() if k not in seen]
    if extra:  # rows the old table did not have go at the end of the table
        last = max(i for i, line in enumerate(out) if line.startswith("| "))
        out[last + 1:last + 1] = extra
    return "\n".join(out + ["", END])


# The full run's settings, and --quick's (an option given on the command line wins over both).
FULL = {"repeat": 2, "generated_edges": 10_000_000, "networkx_max_edges": 2e5, "paths_max_edges": 1.8e5,
        "stable_max_edges": 1e6, "large_edges": 2e6, "large_repeat": 1, "time_limit": 600.0}
QUICK = {**FULL, "repeat": 1, "generated_edges": 20_000, "paths_max_edges": 1e5, "time_limit": 120.0}
QUICK_GRAPHS = "cond-mat-2005,G(n,m)"


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help=f"small sizes, minutes: graphs {QUICK_GRAPHS} (unless --only), " +
                         ", ".join(f"{k.replace('_', '-')} {v:g}" for k, v in QUICK.items() if FULL[k] != v))
    ap.add_argument("--out", type=pathlib.Path, default=None,
                    help="Markdown file for the table (default: build/bench-results/algorithms_results.md; "
                         "bench/compare/algorithms_results.md publishes)")
    ap.add_argument("--json", type=pathlib.Path, default=None, help="the run as JSON (default: beside --out)")
    ap.add_argument("--repeat", type=int)
    ap.add_argument("--generated-edges", type=lambda s: int(float(s)))
    ap.add_argument("--networkx-max-edges", type=float)
    ap.add_argument("--paths-max-edges", type=float)
    ap.add_argument("--stable-max-edges", type=float)
    ap.add_argument("--large-edges", type=float, help="graphs above this many edges are timed once")
    ap.add_argument("--large-repeat", type=int)
    ap.add_argument("--time-limit", type=float, help="seconds before a peer is stopped")
    ap.add_argument("--merge", default="", metavar="REASON",
                    help="replace only the rows this run measured in the existing table, noting REASON")
    ap.add_argument("--only", default="", help="comma-separated parts of graph names to run (default: all)")
    args = ap.parse_args(argv)
    for k, v in (QUICK if args.quick else FULL).items():
        if getattr(args, k) is None:
            setattr(args, k, v)
    if args.out is None:
        args.out = BUILD / "bench-results" / "algorithms_results.md"
    if args.json is None:
        args.json = bench_results.json_beside(args.out)
    if args.quick and bench_results.is_tracked_result(args.out):
        ap.error(f"--quick results are not published: --out {args.out} is a tracked table under bench/")
    return args


def main():
    args = parse_args()
    started = datetime.datetime.now(datetime.timezone.utc)
    rows, notes, sizes = run(args)
    table = markdown(rows, notes, args, started)
    text = args.out.read_text() if args.out.exists() else "# Graph kernels: cibgraph vs the peers\n\n" + BEGIN + "\n" + END + "\n"
    head, _, rest = text.partition(BEGIN)
    old, _, tail = rest.partition(END)
    if args.merge:
        table = merge_tables(old, table, started, args.merge)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(head + table + tail)
    settings = {k: v for k, v in vars(args).items() if k not in ("out", "json")}
    bench_results.write_json(args.json, bench_results.document(
        "compare_algorithms", "quick" if args.quick else "full", started, json_rows(rows, sizes, args), settings,
        notes, markdown=str(args.out), version=cg.__version__))
    print(f"wrote {args.out} and {args.json}")


if __name__ == "__main__":
    main()
