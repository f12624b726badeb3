#!/usr/bin/python3
"""cibgraph's graph kernels side by side with igraph, graph-tool, networkx and leidenalg, in the same run.

For every kernel and graph, each tool runs on the same simple graph (self-loops and repeated edges dropped) in this
process, wall-clock timed (best of --repeat), and the result is checked: communities by their modularity (higher is
better), centralities and integer results by their largest relative error against the reference (igraph, else
networkx). The table gives each peer's time, ours, and the ratio ours / fastest peer (below 1: we are faster).
Peers run with their defaults: igraph and networkx on one core, graph-tool's OpenMP kernels on all cores; cibgraph
uses all cores (OpenMP). Leiden is compared twice: with 2 iterations (leidenalg's default) and until an iteration
changes nothing. networkx is skipped above --networkx-max-edges edges, exact shortest-path kernels above
--paths-max-edges edges and Leiden until stable above --stable-max-edges (marked "skipped" with the reason).

Graphs: graph-tool's bundled collection (cond-mat-2005, email-Enron, pgp-strong-2009), ../shared/datasets
(soc-Slashdot0902, skipped with a message when absent), and a generated G(n, m) graph with --generated-edges
edges (10^7 by default).

    /usr/bin/python3 bench/compare/compare_algorithms.py [--out bench/compare/algorithms_results.md]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import gzip
import os
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build" / "python"))
sys.path.insert(0, str(ROOT / "tests" / "python"))

import cibgraph as cg  # noqa: E402
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


def max_rel_error(x, ref):
    x = np.asarray(x, dtype=float)
    ref = np.asarray(ref, dtype=float)
    scale = np.maximum(np.abs(ref), 1e-12 * max(1.0, np.abs(ref).max()))
    return float(np.max(np.abs(x - ref) / scale)) if len(ref) else 0.0


class Peers:
    """The graph in each tool's own form, built once per graph (building is not timed)."""

    def __init__(self, n, src, dst, with_networkx):
        import graph_tool as gt
        import igraph as ig

        self.n = n
        self.ours = cg.Graph.from_edges(src, dst, n=n)
        self.igraph = ig.Graph(n=n, edges=np.stack([src, dst], axis=1).tolist())
        self.gt = gt.Graph(directed=False)
        self.gt.add_vertex(n)
        self.gt.add_edge_list(np.stack([src, dst], axis=1))
        self.nx = None
        if with_networkx:
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

    def nx_or_none(fn):
        return lambda p: fn(p) if p.nx is not None else None

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
            "networkx": nx_or_none(lambda p: communities_to_membership(
                __import__("networkx").community.louvain_communities(p.nx, seed=1), p.n)),
        }),
        ("Label propagation", "community", lambda p: cg.label_propagation(p.ours, seed=1), {
            "igraph": lambda p: np.array(p.igraph.community_label_propagation().membership),
            "networkx": nx_or_none(lambda p: communities_to_membership(
                __import__("networkx").community.asyn_lpa_communities(p.nx, seed=1), p.n)),
        }),
        ("PageRank (tol 1e-9)", "scores", lambda p: cg.pagerank(p.ours, tol=1e-9, weighted=False), {
            "igraph": lambda p: np.array(p.igraph.pagerank()),
            "graph-tool": lambda p: np.array(gtc.pagerank(p.gt, epsilon=1e-9).a),
            "networkx": nx_or_none(lambda p: nx_vector(__import__("networkx").pagerank(p.nx, tol=1e-9 / p.n), p.n)),
        }),
        ("Eigenvector", "scores", lambda p: cg.eigenvector_centrality(p.ours, tol=1e-9), {
            "igraph": lambda p: unit(np.array(p.igraph.eigenvector_centrality(scale=False))),
            "graph-tool": lambda p: unit(np.array(gtc.eigenvector(p.gt, epsilon=1e-9)[1].a)),
        }),
        ("Core numbers", "scores", lambda p: cg.core_numbers(p.ours), {
            "igraph": lambda p: np.array(p.igraph.coreness()),
            "graph-tool": lambda p: np.array(gtt.kcore_decomposition(p.gt).a),
            "networkx": nx_or_none(lambda p: nx_vector(__import__("networkx").core_number(p.nx), p.n)),
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
    if args.only:
        graphs = [(g, f) for g, f in graphs if any(o in g for o in args.only.split(","))]
    rows, notes = [], []
    for gname, loader in graphs:
        loaded = loader()
        if loaded is None:
            notes.append(f"{gname}: skipped (../shared/datasets absent)")
            continue
        n, src, dst = loaded
        m = len(src)
        print(f"== {gname}: {n} vertices, {m} edges", flush=True)
        peers = Peers(n, src, dst, with_networkx=m <= args.networkx_max_edges)
        for kernel, kind, ours_fn, peer_fns in kernels():
            if kind == "paths" and m > args.paths_max_edges:
                rows.append((kernel, gname, {}, None, None, f"skipped: exact shortest paths above {args.paths_max_edges:.0e} edges"))
                continue
            if kind == "stable" and m > args.stable_max_edges:
                rows.append((kernel, gname, {}, None, None, f"skipped: leidenalg until stable above {args.stable_max_edges:.0e} edges"))
                continue
            repeat = 1 if kind == "paths" else args.repeat  # exact shortest paths take tens of seconds each
            t_ours, r_ours = best_time(lambda: ours_fn(peers), repeat)
            times, results = {}, {}
            for peer, fn in peer_fns.items():
                if peer == "networkx" and peers.nx is None:
                    times[peer] = None
                    continue
                t, r = best_time(lambda: fn(peers), repeat if peer != "networkx" else 1)
                times[peer], results[peer] = t, r
            equal = None  # fastest peer reaching our quality (within 0.002): the "at equal quality"
            if kind in ("community", "stable"):
                q = {k: cg.modularity(peers.ours, np.asarray(v, dtype=np.uint32)) for k, v in results.items()}
                q_ours = cg.modularity(peers.ours, r_ours)
                quality = f"Q {q_ours:.4f} (" + ", ".join(f"{k} {v:.4f}" for k, v in q.items()) + ")"
                as_good = [times[k] for k, v in q.items() if v >= q_ours - 0.002]
                equal = min(as_good) if as_good else float("inf")
            elif kind == "partition":
                ref = next(iter(results.values()))
                same = cg.adjusted_rand_index(r_ours, np.asarray(ref, dtype=np.uint32)) == 1.0
                quality = "same partition" if same else "DIFFERENT partition"
            else:
                ref_name = "igraph" if "igraph" in results else next(iter(results))
                quality = f"max rel. error {max_rel_error(r_ours, results[ref_name]):.1e} vs {ref_name}"
            rows.append((kernel, gname, times, t_ours, equal, quality))
            fastest = min((t for t in times.values() if t is not None), default=None)
            print(f"  {kernel}: ours {t_ours:.3f} s, " + ", ".join(
                f"{k} {'—' if v is None else f'{v:.3f} s'}" for k, v in times.items()) +
                  (f", ratio {t_ours / fastest:.2f}" if fastest else "") + f"; {quality}", flush=True)
        del peers
        gc.collect()
    return rows, notes


def markdown(rows, notes, args, started):
    peers = ["igraph", "graph-tool", "networkx", "leidenalg"]
    lines = [BEGIN, "",
             f"Run on {started:%Y-%m-%d %H:%M} UTC with cibgraph {cg.__version__} on {os.cpu_count()} cores "
             f"(`bench/compare/compare_algorithms.py`, best of {args.repeat}; networkx and exact shortest-path kernels once).", "",
             "| kernel | graph | " + " | ".join(peers) + " | cibgraph | ratio | ratio at equal quality | quality |",
             "|---|---|" + "---:|" * (len(peers) + 3) + "---|"]
    for kernel, gname, times, t_ours, equal, quality in rows:
        if t_ours is None:
            lines.append(f"| {kernel} | {gname} | " + " | ".join("" for _ in peers) + f" | | | | {quality} |")
            continue
        cells = [("—" if times.get(p) is None else f"{times[p]:.3f} s") if p in times else "" for p in peers]
        fastest = min((t for t in times.values() if t is not None), default=None)
        ratio = f"{t_ours / fastest:.2f}" if fastest else ""
        if equal is None:
            at_equal = ratio  # centralities and partitions: every peer computes the same values
        elif equal == float("inf"):
            at_equal = "no peer as good"
        else:
            at_equal = f"{t_ours / equal:.2f}"
        lines.append(f"| {kernel} | {gname} | " + " | ".join(cells) + f" | {t_ours:.3f} s | {ratio} | {at_equal} | {quality} |")
    lines += ["", "Ratio = cibgraph time / fastest peer's time (below 1: cibgraph is faster). Ratio at equal quality: "
              "against the fastest peer whose modularity is at least ours - 0.002 (for the other kernels every peer "
              "computes the same values, so it is the ratio). — : the peer was "
              f"skipped (networkx above {args.networkx_max_edges:.0e} edges)."] + [f"- {n}" for n in notes] + ["", END]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "compare" / "algorithms_results.md")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--generated-edges", type=int, default=10_000_000)
    ap.add_argument("--networkx-max-edges", type=float, default=2e5)
    ap.add_argument("--paths-max-edges", type=float, default=1.8e5)
    ap.add_argument("--stable-max-edges", type=float, default=1e6)
    ap.add_argument("--only", default="", help="comma-separated parts of graph names to run (default: all)")
    args = ap.parse_args()
    started = datetime.datetime.now(datetime.timezone.utc)
    rows, notes = run(args)
    table = markdown(rows, notes, args, started)
    text = args.out.read_text() if args.out.exists() else "# Graph kernels: cibgraph vs the peers\n\n" + BEGIN + "\n" + END + "\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    args.out.write_text(head + table + tail)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
