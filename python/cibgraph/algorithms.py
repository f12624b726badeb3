"""Community detection, centrality, components and partition quality over :class:`cibgraph.Graph` (or a
:class:`cibgraph.CoordinationNetwork`, whose fused graph is used).

Every function runs in C++ with the GIL released and returns NumPy arrays indexed by vertex. The arrays own the
C++ result memory (moved, not copied). Definitions follow networkx unless a docstring says otherwise, so results
can be checked against it.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from . import _core
from ._core import Graph

__all__ = [
    "adjusted_rand_index",
    "approximate_betweenness",
    "betweenness",
    "closeness",
    "conductance",
    "connected_components",
    "consensus",
    "core_numbers",
    "coverage",
    "cpm_quality",
    "degrees",
    "eigenvector_centrality",
    "harmonic_centrality",
    "hits",
    "k_truss",
    "katz_centrality",
    "label_propagation",
    "leiden",
    "louvain",
    "modularity",
    "multi_resolution",
    "normalized_mutual_information",
    "pagerank",
    "spectral_clustering",
    "strengths",
    "strongly_connected_components",
]


def _as_graph(graph) -> Graph:
    """The Graph to run on: a Graph itself, or the fused graph of a CoordinationNetwork (anything with
    ``__cibgraph_graph__``)."""
    if isinstance(graph, Graph):
        return graph
    to_graph = getattr(graph, "__cibgraph_graph__", None)
    if to_graph is None:
        raise TypeError(f"expected a cibgraph.Graph or CoordinationNetwork, not {type(graph).__name__}")
    return to_graph()


def _membership(result, return_info: bool):
    membership, info = result
    return (membership, info) if return_info else membership


def leiden(graph: Graph, resolution: float = 1.0, seed: int = 0, *, quality: str = "modularity",
           max_iterations: int = -1, randomness: float = 0.01, weighted: bool = True, return_info: bool = False):
    """Communities by the Leiden algorithm (Traag, Waltman & van Eck 2019).

    Local moving, refinement into well-connected subcommunities, aggregation; repeated until an iteration changes
    nothing. Every community is connected. Directed graphs are treated as undirected.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    resolution : float
        Resolution gamma of the quality function.
    seed : int
        Seed of the random vertex order and of the refinement; the same seed gives the same partition.
    quality : {"modularity", "cpm"}
        Modularity (as networkx ``community.modularity``) or the Constant Potts Model (as leidenalg's
        ``CPMVertexPartition``).
    max_iterations : int
        Iterations to run; -1 runs until an iteration changes nothing.
    randomness : float
        Randomness theta of the refinement phase.
    weighted : bool
        Use the edge weights (else every edge weighs 1).
    return_info : bool
        Also return a dict with ``count``, ``quality`` and ``iterations``.

    Returns
    -------
    numpy.ndarray of uint32
        Community of each vertex, numbered 0, 1, ... in order of each community's smallest vertex.
    """
    return _membership(_core.leiden(_as_graph(graph), resolution, seed, quality, max_iterations, randomness, weighted),
                       return_info)


def louvain(graph: Graph, resolution: float = 1.0, seed: int = 0, *, weighted: bool = True,
            return_info: bool = False):
    """Communities by the Louvain method (Blondel et al. 2008): local moving and aggregation of modularity.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    resolution : float
        Resolution gamma of modularity.
    seed : int
        Seed of the random vertex order.
    weighted : bool
        Use the edge weights.
    return_info : bool
        Also return a dict with ``count``, ``quality`` (modularity) and ``iterations`` (levels).

    Returns
    -------
    numpy.ndarray of uint32
        Community of each vertex.
    """
    return _membership(_core.louvain(_as_graph(graph), resolution, seed, weighted), return_info)


def label_propagation(graph: Graph, seed: int = 0, *, max_iterations: int = 100, weighted: bool = True,
                      return_info: bool = False):
    """Communities by asynchronous label propagation (Raghavan, Albert & Kumara 2007).

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    seed : int
        Seed of the update order and of tie breaking.
    max_iterations : int
        Cap on the sweeps over all vertices.
    weighted : bool
        Use the edge weights.
    return_info : bool
        Also return a dict with ``count``, ``quality`` (modularity) and ``iterations`` (sweeps).

    Returns
    -------
    numpy.ndarray of uint32
        Community of each vertex.
    """
    return _membership(_core.label_propagation(_as_graph(graph), seed, max_iterations, weighted), return_info)


def spectral_clustering(graph: Graph, k: int, seed: int = 0, *, weighted: bool = True, return_info: bool = False):
    """Spectral clustering (Ng, Jordan & Weiss 2002): k leading eigenvectors of D^-1/2 A D^-1/2, then k-means.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    k : int
        Number of clusters.
    seed : int
        Seed of k-means++.
    weighted : bool
        Use the edge weights.
    return_info : bool
        Also return a dict with ``count``, ``quality`` and ``iterations``.

    Returns
    -------
    numpy.ndarray of uint32
        Cluster of each vertex.
    """
    return _membership(_core.spectral_clustering(_as_graph(graph), k, seed, weighted), return_info)


def consensus(graph: Graph, runs: int = 10, resolution: float = 1.0, seed: int = 0, *, quality: str = "modularity"):
    """Leiden over several seeds, and how often each pair of adjacent vertices lands together.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    runs : int
        Leiden runs, with seeds ``seed``, ``seed + 1``, ...
    resolution : float
        Resolution gamma.
    seed : int
        First seed.
    quality : {"modularity", "cpm"}

    Returns
    -------
    membership : numpy.ndarray of uint32
        The consensus partition.
    agreement : numpy.ndarray of float64
        Per arc of the graph (aligned with ``graph.targets``): the fraction of runs that put both ends together.
    """
    membership, agreement, _ = _core.consensus(_as_graph(graph), runs, resolution, seed, quality)
    return membership, agreement


def multi_resolution(graph: Graph, resolutions: Sequence[float], seed: int = 0, *, quality: str = "modularity"):
    """Leiden at each resolution, e.g. to scan from few large to many small communities.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    resolutions : sequence of float
        Resolutions gamma, run in order.
    seed : int
        Seed of every run.
    quality : {"modularity", "cpm"}

    Returns
    -------
    list of numpy.ndarray of uint32
        One membership per resolution, in order.
    """
    return [m for m, _ in _core.multi_resolution(_as_graph(graph), [float(r) for r in resolutions], seed, quality)]


def modularity(graph: Graph, membership, resolution: float = 1.0, *, weighted: bool = True) -> float:
    """Modularity of a partition, as networkx ``community.modularity`` (directed form for directed graphs).

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    membership : array_like of int
        Community of each vertex.
    resolution : float
        Resolution gamma.
    weighted : bool
        Use the edge weights.
    """
    return _core.modularity(_as_graph(graph), np.asarray(membership), resolution, weighted)


def cpm_quality(graph: Graph, membership, resolution: float = 1.0, *, weighted: bool = True) -> float:
    """Constant Potts Model quality of a partition, as leidenalg's ``CPMVertexPartition.quality()``.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    membership : array_like of int
        Community of each vertex.
    resolution : float
        Resolution gamma (the density threshold).
    weighted : bool
        Use the edge weights.

    Returns
    -------
    float
    """
    return _core.cpm_quality(_as_graph(graph), np.asarray(membership), resolution, weighted)


def conductance(graph: Graph, membership, *, weighted: bool = True) -> np.ndarray:
    """Conductance of each community: cut / min(volume inside, volume outside).

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    membership : array_like of int
        Community of each vertex.
    weighted : bool
        Use the edge weights.

    Returns
    -------
    numpy.ndarray of float64
        Indexed by community id.
    """
    return _core.conductance(_as_graph(graph), np.asarray(membership), weighted)


def coverage(graph: Graph, membership, *, weighted: bool = True) -> float:
    """Share of the edge weight inside communities (networkx ``partition_quality`` coverage).

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    membership : array_like of int
        Community of each vertex.
    weighted : bool
        Use the edge weights.

    Returns
    -------
    float
    """
    return _core.coverage(_as_graph(graph), np.asarray(membership), weighted)


def normalized_mutual_information(a, b) -> float:
    """Normalised mutual information of two partitions (arithmetic-mean normalisation, as igraph's "nmi").

    Parameters
    ----------
    a, b : array_like of int
        Two labelings of the same items (community of each vertex).

    Returns
    -------
    float
        1 for identical partitions, 0 for independent ones.
    """
    return _core.normalized_mutual_information(np.asarray(a), np.asarray(b))


def adjusted_rand_index(a, b) -> float:
    """Adjusted Rand index of two partitions (Hubert & Arabie 1985).

    Parameters
    ----------
    a, b : array_like of int
        Two labelings of the same items.

    Returns
    -------
    float
        1 for identical partitions, about 0 for random ones.
    """
    return _core.adjusted_rand_index(np.asarray(a), np.asarray(b))


def degrees(graph: Graph, direction: str = "out") -> np.ndarray:
    """Degree of each vertex.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    direction : {"out", "in", "all"}
        For directed graphs: out-, in- or in + out degree.

    Returns
    -------
    numpy.ndarray
    """
    return _core.degrees(_as_graph(graph), direction)


def strengths(graph: Graph, direction: str = "out") -> np.ndarray:
    """Sum of the edge weights at each vertex.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    direction : {"out", "in", "all"}
        For directed graphs: outgoing, incoming or both.

    Returns
    -------
    numpy.ndarray
    """
    return _core.strengths(_as_graph(graph), direction)


def pagerank(graph: Graph, damping: float = 0.85, tol: float = 1e-9, *, max_iterations: int = 1000,
             weighted: bool = True, personalization: Optional[Sequence[float]] = None, return_info: bool = False):
    """PageRank (weighted, personalised; dangling vertices handled as networkx does).

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    damping : float
        Probability of following an edge.
    tol : float
        Stop when the L1 norm of the change falls below this.
    max_iterations : int
        Iteration cap (``return_info`` tells whether it converged).
    weighted : bool
        Follow edges in proportion to their weights.
    personalization : sequence of float, optional
        Teleport distribution (normalised to sum 1); uniform when omitted. Dangling mass follows it too.
    return_info : bool
        Also return a dict with ``iterations``, ``residual`` and ``converged``.

    Returns
    -------
    numpy.ndarray of float64
        Scores summing to 1.
    """
    p = None if personalization is None else [float(x) for x in personalization]
    scores, info = _core.pagerank(_as_graph(graph), damping, tol, max_iterations, weighted, p)
    return (scores, info) if return_info else scores


def eigenvector_centrality(graph: Graph, tol: float = 1e-9, *, max_iterations: int = 1000, weighted: bool = True,
                           return_info: bool = False):
    """Eigenvector centrality as networkx (in-neighbours for directed graphs, unit Euclidean norm).

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    tol : float
        Stop when the change falls below this.
    max_iterations : int
        Iteration cap.
    weighted : bool
        Use the edge weights.
    return_info : bool
        Also return a dict with ``iterations``, ``residual`` and ``converged``.

    Returns
    -------
    numpy.ndarray of float64
    """
    scores, info = _core.eigenvector_centrality(_as_graph(graph), tol, max_iterations, weighted)
    return (scores, info) if return_info else scores


def katz_centrality(graph: Graph, alpha: float = 0.1, beta: float = 1.0, tol: float = 1e-9, *,
                    max_iterations: int = 1000, weighted: bool = True, normalized: bool = True,
                    return_info: bool = False):
    """Katz centrality as networkx ``katz_centrality``: x = alpha A^T x + beta.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    alpha : float
        Attenuation factor (below 1 / the largest eigenvalue).
    beta : float
        Weight every vertex gets.
    tol : float
        Stop when the change falls below this.
    max_iterations : int
        Iteration cap.
    weighted : bool
        Use the edge weights.
    normalized : bool
        Scale to unit Euclidean norm.
    return_info : bool
        Also return a dict with ``iterations``, ``residual`` and ``converged``.

    Returns
    -------
    numpy.ndarray of float64
    """
    scores, info = _core.katz_centrality(_as_graph(graph), alpha, beta, tol, max_iterations, weighted, normalized)
    return (scores, info) if return_info else scores


def hits(graph: Graph, tol: float = 1e-9, *, max_iterations: int = 1000, weighted: bool = True):
    """Hubs and authorities (Kleinberg 1999), each summing to 1 as networkx ``hits``.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    tol : float
        Stop when the change falls below this.
    max_iterations : int
        Iteration cap.
    weighted : bool
        Use the edge weights.

    Returns
    -------
    hubs, authorities : numpy.ndarray of float64
    """
    hubs, authorities, _ = _core.hits(_as_graph(graph), tol, max_iterations, weighted)
    return hubs, authorities


def betweenness(graph: Graph, normalized: bool = False, *, weighted: bool = False) -> np.ndarray:
    """Exact betweenness centrality (Brandes 2001), as networkx ``betweenness_centrality``.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    normalized : bool
        Scale as networkx does (by 2 / ((n-1)(n-2)) undirected, 1 / ((n-1)(n-2)) directed).
    weighted : bool
        Edge weights are lengths (shortest paths by Dijkstra); else hop counts.
    """
    scores, _ = _core.betweenness(_as_graph(graph), normalized, weighted, 0, 0, 0.95)
    return scores


def approximate_betweenness(graph: Graph, samples: int, seed: int = 0, *, normalized: bool = False,
                            weighted: bool = False, confidence: float = 0.95):
    """Betweenness estimated from ``samples`` random sources, with a bound on its error.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    samples : int
        Random source vertices.
    seed : int
        Seed of the sample.
    normalized : bool
        Scale as networkx does.
    weighted : bool
        Edge weights are lengths; else hop counts.
    confidence : float
        Probability that the error bound holds.

    Returns
    -------
    scores : numpy.ndarray of float64
    error_bound : float
        With probability at least ``confidence``, every score is within this of the exact value.
    """
    scores, info = _core.betweenness(_as_graph(graph), normalized, weighted, samples, seed, confidence)
    return scores, info["error_bound"]


def closeness(graph: Graph, *, weighted: bool = False, wf_improved: bool = True) -> np.ndarray:
    """Closeness centrality as networkx (incoming distances for directed graphs; Wasserman-Faust scaling).

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    weighted : bool
        Edge weights are lengths (Dijkstra); else hop counts.
    wf_improved : bool
        Scale by the share of vertices reached (Wasserman & Faust), as networkx's default.

    Returns
    -------
    numpy.ndarray of float64
    """
    return _core.closeness(_as_graph(graph), weighted, wf_improved)


def harmonic_centrality(graph: Graph, *, weighted: bool = False) -> np.ndarray:
    """Harmonic centrality as networkx: the sum of 1 / d(u, v) over the other vertices u.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).
    weighted : bool
        Edge weights are lengths (Dijkstra); else hop counts.

    Returns
    -------
    numpy.ndarray of float64
    """
    return _core.harmonic_centrality(_as_graph(graph), weighted)


def connected_components(graph: Graph) -> np.ndarray:
    """Component of each vertex (weakly connected for directed graphs), numbered by smallest vertex.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).

    Returns
    -------
    numpy.ndarray of uint32
    """
    return _core.connected_components(_as_graph(graph))


def strongly_connected_components(graph: Graph) -> np.ndarray:
    """Strongly connected component of each vertex, numbered by smallest vertex.

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).

    Returns
    -------
    numpy.ndarray of uint32
    """
    return _core.strongly_connected_components(_as_graph(graph))


def core_numbers(graph: Graph) -> np.ndarray:
    """k-core number of each vertex (Batagelj & Zaversnik 2003; in + out degree for directed graphs).

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        The graph (a network's fused graph is used).

    Returns
    -------
    numpy.ndarray of uint32
    """
    return _core.core_numbers(_as_graph(graph))


def k_truss(graph: Graph, k: int) -> np.ndarray:
    """Edges of the k-truss: the largest subgraph whose every edge lies in at least k - 2 of its triangles (Cohen
    2008; networkx ``k_truss`` conventions: undirected graphs, weights ignored, no self-loops).

    Parameters
    ----------
    graph : Graph or CoordinationNetwork
        An undirected graph (a network's fused graph is used).
    k : int
        The truss order (k <= 2 keeps every edge but self-loops).

    Returns
    -------
    numpy.ndarray of uint32, shape (edges, 2)
        One row (u, v) with u < v per edge of the truss, in CSR order.
    """
    g = _as_graph(graph)
    k = int(k)
    if k < 0:
        raise _core.UsageError("k_truss: k must be >= 0")
    inside = _core.k_truss_arcs(g, k).astype(bool)
    offsets = np.asarray(g.offsets)
    source = np.repeat(np.arange(len(offsets) - 1, dtype=np.uint32), np.diff(offsets).astype(np.int64))
    target = np.asarray(g.targets)
    keep = inside & (source < target)
    return np.stack([source[keep], target[keep]], axis=1).astype(np.uint32)
