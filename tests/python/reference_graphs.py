"""Real graphs for the reference comparisons: graph-tool's bundled collection and the shared data sets
($CIBGRAPH_SHARED_DATASETS, else ../shared/datasets).

Each loader returns a simple graph (no self-loops, no repeated edges) as (n, src, dst, directed, groups), so cibgraph,
networkx, igraph and leidenalg all see the same edges; `groups` is the known community of each vertex or None.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

from shared_datasets import missing_datasets, shared_datasets_dir

COLLECTION = pathlib.Path("/usr/lib/python3/dist-packages/graph_tool/collection")
SHARED = shared_datasets_dir()

# Vertex properties holding the known groups of the collection graphs that have them.
GROUP_PROPERTY = {"football": "value", "polblogs": "value"}


def simple_edges(src, dst, directed):
    """Drops self-loops and repeats (one edge per unordered pair when undirected)."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    if not directed:
        src, dst = np.minimum(src, dst), np.maximum(src, dst)
    pairs = np.unique(np.stack([src, dst], axis=1), axis=0)
    return pairs[:, 0].astype(np.uint32), pairs[:, 1].astype(np.uint32)


def collection_graph(name, directed=None):
    """A graph of graph-tool's collection as (n, src, dst, directed, groups); skips when graph-tool is missing."""
    gt = pytest.importorskip("graph_tool", reason="python3-graph-tool is not installed (scripts/bootstrap)")
    path = COLLECTION / f"{name}.gt.gz"
    if not path.exists():
        pytest.skip(f"{path} is missing")
    g = gt.load_graph(str(path))
    edges = g.get_edges()
    is_directed = g.is_directed() if directed is None else directed
    src, dst = simple_edges(edges[:, 0], edges[:, 1], is_directed)
    groups = None
    prop = GROUP_PROPERTY.get(name)
    if prop is not None and prop in g.vp:
        raw = np.asarray(g.vp[prop].a if g.vp[prop].a is not None else [g.vp[prop][v] for v in g.vertices()])
        _, groups = np.unique(raw, return_inverse=True)
    return g.num_vertices(), src, dst, is_directed, groups


def email_eu_core(directed=False):
    """SNAP email-Eu-core with its 42 departments, from the shared data sets; skips when absent (fails when they
    are required)."""
    edges_path = SHARED / "email-Eu-core.txt"
    labels_path = SHARED / "email-Eu-core-department-labels.txt"
    if not edges_path.exists() or not labels_path.exists():
        missing_datasets(f"{edges_path} or {labels_path.name}")
    e = np.loadtxt(edges_path, dtype=np.int64, ndmin=2)
    lab = np.loadtxt(labels_path, dtype=np.int64, ndmin=2)
    n = int(max(e.max(), lab[:, 0].max())) + 1
    groups = np.zeros(n, dtype=np.int64)
    groups[lab[:, 0]] = lab[:, 1]
    src, dst = simple_edges(e[:, 0], e[:, 1], directed)
    return n, src, dst, directed, groups


def to_networkx(n, src, dst, directed):
    import networkx as nx

    g = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(src.tolist(), dst.tolist()))
    return g


def to_igraph(n, src, dst, directed):
    import igraph as ig

    return ig.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist())), directed=directed)
