"""Graphs to and from pandas, networkx and igraph, with the vertex labels kept beside the CSR (a Graph's vertices
are numbers 0..n-1; the labels say which account or node each number is)."""

from __future__ import annotations

from typing import Optional, Sequence, Tuple

import numpy as np

from . import _core
from ._core import Graph

__all__ = ["graph_from_igraph", "graph_from_networkx", "graph_from_pandas", "graph_to_igraph", "graph_to_networkx",
           "graph_to_pandas"]


def _edge_arrays(graph: Graph):
    """Each edge of the graph once as (source, target, weight) arrays in CSR order. A self-loop is an edge like any
    other and is kept (a general Graph may have them; a co-action network never does)."""
    offsets = graph.offsets.astype(np.int64)
    src = np.repeat(np.arange(graph.num_vertices, dtype=np.int64), np.diff(offsets))
    dst = graph.targets.astype(np.int64)
    w = graph.weights.astype(float)
    if not graph.directed:  # both directions are stored; each edge once (self-loops once)
        keep = src <= dst
        src, dst, w = src[keep], dst[keep], w[keep]
    return src, dst, w


def _labels(graph: Graph, nodes: Optional[Sequence]):
    if nodes is None:
        return np.arange(graph.num_vertices)
    labels = np.asarray(nodes, dtype=object)
    if len(labels) != graph.num_vertices:
        raise _core.UsageError(f"nodes has {len(labels)} labels but the graph has {graph.num_vertices} vertices")
    return labels


def graph_to_pandas(graph: Graph, nodes: Optional[Sequence] = None):
    """The edges of a Graph as a DataFrame (each undirected edge once, ``source <= target`` by vertex number).

    Parameters
    ----------
    graph : Graph
    nodes : sequence, optional
        Label of each vertex (default: the vertex numbers).

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``target``, ``weight``.
    """
    import pandas as pd

    src, dst, w = _edge_arrays(graph)
    labels = _labels(graph, nodes)
    return pd.DataFrame({"source": labels[src], "target": labels[dst], "weight": w})


def graph_from_pandas(df=None, source="source", target="target", weight="weight", *, directed: bool = False,
                      merge: str = "sum") -> Tuple[Graph, "object"]:
    """A Graph from an edge list DataFrame; the labels become vertex numbers in order of first appearance.

    Parameters
    ----------
    df : pandas.DataFrame, optional
        The edge list (None when ``source`` and ``target`` are Series).
    source, target : str or pandas.Series
        Columns of the edge ends (any hashable labels: account ids, numbers): a column name of ``df``, or a Series
        (aligned on ``df``'s index, as ``df.assign`` does) or array of the edges.
    weight : str, pandas.Series or None
        Column of the weights, as for ``source`` (a name ``df`` lacks, or None: every edge weighs 1).
    directed : bool
    merge : {"sum", "max", "first", "count"}
        How parallel edges combine.

    Returns
    -------
    graph : Graph
    nodes : pandas.Index
        Label of each vertex: vertex i is ``nodes[i]``.
    """
    import pandas as pd

    from ._columns import columns_of

    optional_weight = isinstance(weight, str) and (df is None or weight not in df.columns)
    specs = {"source": source, "target": target, "weight": None if optional_weight else weight}
    columns, _, _ = columns_of(df, specs, "edge list")
    codes, nodes = pd.factorize(pd.concat([columns["source"], columns["target"]], ignore_index=True), sort=False)
    m = len(columns["source"])
    w = columns["weight"].to_numpy(dtype=np.float32) if "weight" in columns else None
    g = Graph.from_edges(codes[:m].astype(np.uint32), codes[m:].astype(np.uint32), w, n=len(nodes),
                         directed=directed, merge=merge)
    return g, nodes


def graph_to_networkx(graph: Graph, nodes: Optional[Sequence] = None, weight: str = "weight"):
    """A networkx Graph (DiGraph when directed) with the Graph's edges and weights.

    Parameters
    ----------
    graph : Graph
    nodes : sequence, optional
        Label of each vertex (default: the vertex numbers); every vertex becomes a node, isolated ones too.
    weight : str
        Name of the edge attribute holding the weight.

    Returns
    -------
    networkx.Graph or networkx.DiGraph
    """
    return _networkx(graph, _labels(graph, nodes), weight=weight)


def _networkx(graph: Graph, labels: np.ndarray, vertices: Optional[np.ndarray] = None,
              node_attributes: Optional[dict] = None, weight: str = "weight"):
    """The one networkx export (graph_to_networkx, CoordinationNetwork.to_networkx, InteractionNetwork.to_networkx):
    a node per vertex in ``vertices`` (default: all) in vertex order, named ``labels[v]``, with the attributes
    ``{name: column[v]}`` of ``node_attributes``; then the edges of :func:`_edge_arrays` (self-loops kept)."""
    import networkx as nx

    g = nx.DiGraph() if graph.directed else nx.Graph()
    if vertices is None:
        vertices = np.arange(graph.num_vertices)
    names = labels[vertices].tolist()
    if node_attributes:
        columns = {k: np.asarray(v)[vertices].tolist() for k, v in node_attributes.items()}
        g.add_nodes_from((name, {k: c[i] for k, c in columns.items()}) for i, name in enumerate(names))
    else:
        g.add_nodes_from(names)
    src, dst, w = _edge_arrays(graph)
    g.add_weighted_edges_from(zip(labels[src].tolist(), labels[dst].tolist(), w.tolist()), weight=weight)
    return g


def graph_from_networkx(g, weight: Optional[str] = "weight") -> Tuple[Graph, list]:
    """A Graph from a networkx graph; nodes become vertex numbers in the graph's node order.

    Parameters
    ----------
    g : networkx.Graph, networkx.DiGraph or a multigraph
        Parallel edges of a multigraph are summed.
    weight : str or None
        Edge attribute holding the weight (missing on an edge: 1; None: every edge weighs 1).

    Returns
    -------
    graph : Graph
    nodes : list
        Label of each vertex: vertex i is ``nodes[i]``.
    """
    nodes = list(g.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    m = g.number_of_edges()
    src = np.empty(m, dtype=np.uint32)
    dst = np.empty(m, dtype=np.uint32)
    w = np.ones(m, dtype=np.float32)
    edges = g.edges() if weight is None else g.edges(data=weight, default=1.0)
    for k, edge in enumerate(edges):
        src[k] = index[edge[0]]
        dst[k] = index[edge[1]]
        if weight is not None:
            w[k] = edge[2]
    graph = Graph.from_edges(src, dst, w, n=len(nodes), directed=g.is_directed())
    return graph, nodes


def graph_from_igraph(g, weight: Optional[str] = "weight") -> Tuple[Graph, list]:
    """A Graph from a python-igraph Graph, with the same vertex numbers.

    Parameters
    ----------
    g : igraph.Graph
        Parallel edges are summed.
    weight : str or None
        Edge attribute holding the weight (absent: every edge weighs 1; None: ignore it).

    Returns
    -------
    graph : Graph
    nodes : list
        Label of each vertex: the vertex attribute ``name`` when the graph has it, else the vertex index.
    """
    n = g.vcount()
    edges = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    w = None
    if weight is not None and weight in g.es.attributes():
        w = np.asarray(g.es[weight], dtype=np.float32)
    nodes = list(g.vs["name"]) if "name" in g.vs.attributes() else list(range(n))
    graph = Graph.from_edges(edges[:, 0].astype(np.uint32), edges[:, 1].astype(np.uint32), w, n=n,
                             directed=g.is_directed())
    return graph, nodes


def graph_to_igraph(graph: Graph, nodes: Optional[Sequence] = None):
    """A python-igraph Graph with the same vertices (attribute ``name`` when labels are given) and weights.

    Parameters
    ----------
    graph : Graph
    nodes : sequence, optional
        Label of each vertex.

    Returns
    -------
    igraph.Graph
    """
    import igraph as ig

    src, dst, w = _edge_arrays(graph)
    g = ig.Graph(n=graph.num_vertices, edges=np.column_stack([src, dst]).tolist(), directed=graph.directed)
    if nodes is not None:
        g.vs["name"] = [str(x) for x in _labels(graph, nodes)]
    g.es["weight"] = w.tolist()
    return g
