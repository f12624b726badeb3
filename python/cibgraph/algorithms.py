"""Community detection, centrality, components and partition quality.

Every function runs in C++ with the GIL released. What it returns depends on what it is given:

- a :class:`cibgraph.Graph`: NumPy arrays indexed by vertex, owning the C++ result memory (moved, not copied);
- a network: a pandas Series indexed by account id (index name ``account``, Series name the measure) over exactly
  the accounts of the network's exports. A :class:`cibgraph.CoordinationNetwork` (or :class:`cibgraph.Findings`,
  its network) has the accounts with a kept edge, as ``net.to_networkx()``, ``net.to_igraph()`` and the accounts of
  ``net.to_pandas()``; the algorithm runs on its fused graph among those accounts, so the results are those of the
  same algorithm on ``net.to_networkx()`` (a PageRank sums to 1 over them; no community is an unlinked account
  alone). An :class:`cibgraph.InteractionNetwork` has all its accounts, as its ``to_networkx()``;
- a networkx graph or a python-igraph Graph: converted (edge weights from the ``weight`` attribute when present,
  else 1; parallel edges of a multigraph summed), and a Series indexed by node (index name ``node``; for igraph the
  vertex attribute ``name`` when present, else the vertex index).

Inputs per vertex (a membership, a personalisation) follow the same rule: with a labelled input, a Series or dict is
matched by label (account id or node), an array is taken in the order of the result's index. Definitions follow
networkx unless a docstring says otherwise, so results can be checked against it.
"""

from __future__ import annotations

import weakref
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

# The parameter every algorithm takes, described once (each docstring's "@GRAPH@" line becomes it).
_GRAPH_PARAMETER = """    graph : Graph, CoordinationNetwork, InteractionNetwork, Findings, networkx or igraph graph
        A Graph gives NumPy arrays by vertex. A network gives a pandas Series indexed by account id over the accounts
        of its exports: for a CoordinationNetwork (or Findings) those with a kept edge, as ``to_networkx()``, run on
        the fused graph among them; for an InteractionNetwork all its accounts. A networkx / igraph graph gives a
        Series indexed by node (its ``weight`` edge attribute read when present).
"""


def _documented(fn):
    if fn.__doc__:
        fn.__doc__ = fn.__doc__.replace("    @GRAPH@\n", _GRAPH_PARAMETER)
    return fn


class _Input:
    """What an algorithm runs on: the Graph, and for a labelled input (a network, a networkx or igraph graph) the
    label of each of its vertices (a pandas Index named ``account`` or ``node``).

    ``vertices`` are, for a network run on part of its graph, the network graph's vertex numbers of the labels (so an
    array over the whole graph, such as ``cg.leiden(net.graph)``, can still be matched); ``pair_names`` name the two
    ends of an edge in edge results."""

    __slots__ = ("graph", "labels", "vertices", "whole", "pair_names", "__weakref__")

    def __init__(self, graph: Graph, labels=None, vertices=None, whole: int = -1,
                 pair_names=("source", "target")):
        self.graph = graph
        self.labels = labels
        self.vertices = vertices
        self.whole = whole
        self.pair_names = pair_names

    @property
    def labelled(self) -> bool:
        return self.labels is not None


# A network's input is built once (the subgraph of its exported accounts) and kept while the network lives.
_network_inputs: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _network_input(network) -> _Input:
    """A CoordinationNetwork's fused graph among the accounts of its exports (to_networkx's nodes)."""
    import pandas as pd

    cached = _network_inputs.get(network)
    if cached is not None and cached[0] is network.graph:
        return cached[1]
    whole = network.graph
    vertices = network._node_ids(False).astype(np.uint32)
    labels = pd.Index(network.events.account_array()[vertices], name="account")
    made = _Input(whole.subgraph(vertices), labels, vertices, whole.num_vertices, ("account_a", "account_b"))
    _network_inputs[network] = (whole, made)
    return made


def _networkx_input(g) -> _Input:
    import pandas as pd

    from .interop import graph_from_networkx

    graph, nodes = graph_from_networkx(g, weight="weight")
    return _Input(graph, pd.Index(nodes, name="node", tupleize_cols=False, dtype=object))


def _igraph_input(g) -> _Input:
    import pandas as pd

    from .interop import graph_from_igraph

    graph, nodes = graph_from_igraph(g, weight="weight")
    return _Input(graph, pd.Index(nodes, name="node", tupleize_cols=False))


def _is_from(obj, package: str) -> bool:
    return any(k.__module__.split(".")[0] == package for k in type(obj).__mro__)


def _input(graph) -> _Input:
    """What to run on, for any accepted input (see the module's notes)."""
    if isinstance(graph, Graph):
        return _Input(graph)
    from .analysis import Findings
    from .interactions import InteractionNetwork
    from .network import CoordinationNetwork

    if isinstance(graph, Findings):
        graph = graph.network
    if isinstance(graph, CoordinationNetwork):
        return _network_input(graph)
    if isinstance(graph, InteractionNetwork):
        import pandas as pd

        return _Input(graph.graph, pd.Index(graph.accounts, name="account", dtype=object))
    if _is_from(graph, "networkx"):
        return _networkx_input(graph)
    if _is_from(graph, "igraph"):
        return _igraph_input(graph)
    to_graph = getattr(graph, "__cibgraph_graph__", None)
    if to_graph is None:
        raise TypeError(f"expected a cibgraph.Graph, CoordinationNetwork, InteractionNetwork, Findings, networkx "
                        f"graph or igraph.Graph, not {type(graph).__name__}")
    return _Input(to_graph())


def _result(on: _Input, values: np.ndarray, name: str):
    """Values per vertex: the array itself for a Graph, a Series indexed by label for a labelled input."""
    if not on.labelled:
        return values
    import pandas as pd

    return pd.Series(values, index=on.labels, name=name)


def _per_vertex(on: _Input, values, what: str, *, fill=None) -> np.ndarray:
    """Values given per vertex, in the graph's vertex order. With a labelled input, a Series or dict is matched by
    label (labels it lacks get ``fill``, or are an error when ``fill`` is None) and an array is read in the order of
    the results' index (for a network, an array over all of its graph's vertices is accepted too)."""
    if not on.labelled:
        return np.asarray(values)
    import pandas as pd

    if isinstance(values, dict):
        values = pd.Series(values, dtype=object)
    if isinstance(values, pd.Series):
        if not values.index.is_unique:
            raise _core.UsageError(f"{what}: its index has repeated labels")
        aligned = values.reindex(on.labels)
        missing = aligned.isna().to_numpy()
        if missing.any():
            if fill is None:
                first = on.labels[np.flatnonzero(missing)[0]]
                raise _core.UsageError(f"{what} has no value for {int(missing.sum()):,} of the {len(on.labels):,} "
                                       f"{on.labels.name}s (e.g. {first!r})")
            aligned = aligned.where(~missing, fill)
        return aligned.to_numpy()
    values = np.asarray(values)
    if values.ndim == 1 and len(values) == len(on.labels):
        return values
    if values.ndim == 1 and on.vertices is not None and len(values) == on.whole:
        return values[on.vertices]
    whole = f" or the graph's {on.whole:,} vertices" if on.vertices is not None else ""
    raise _core.UsageError(f"{what} has shape {values.shape}, but there are {len(on.labels):,} "
                           f"{on.labels.name}s{whole}")


def _labels_as_codes(values: np.ndarray) -> np.ndarray:
    """Community labels as the C++ reads them (uint32): non-negative integers as they are, other labels (strings,
    negative numbers, floats) numbered in order of first appearance."""
    values = np.asarray(values)
    if values.dtype.kind in "iu" and (values.size == 0 or (values.min() >= 0 and values.max() < 2**32)):
        return values
    import pandas as pd

    codes, _ = pd.factorize(values, sort=False)
    if (codes < 0).any():
        raise _core.UsageError("a membership has missing labels")
    return codes


def _membership_of(on: _Input, membership, what: str = "membership") -> np.ndarray:
    values = _per_vertex(on, membership, what)
    return _labels_as_codes(values) if on.labelled else values


def _with_info(on: _Input, result, name: str, return_info: bool):
    membership, info = result
    values = _result(on, membership, name)
    return (values, info) if return_info else values


def _edge_pairs(on: _Input, keep_arc: Optional[np.ndarray] = None):
    """The labels of each edge's ends (each undirected edge once, as source <= target by vertex) with a mask of the
    arcs taken, for results per edge."""
    g = on.graph
    offsets = np.asarray(g.offsets).astype(np.int64)
    source = np.repeat(np.arange(g.num_vertices, dtype=np.int64), np.diff(offsets))
    target = np.asarray(g.targets).astype(np.int64)
    take = np.ones(len(target), dtype=bool) if g.directed else source <= target
    if keep_arc is not None:
        take &= keep_arc
    return source, target, take


@_documented
def leiden(graph, resolution: float = 1.0, seed: int = 0, *, quality: str = "modularity",
           max_iterations: int = -1, randomness: float = 0.01, weighted: bool = True, return_info: bool = False):
    """Communities by the Leiden algorithm (Traag, Waltman & van Eck 2019).

    Local moving, refinement into well-connected subcommunities, aggregation; repeated until an iteration changes
    nothing. Every community is connected. Directed graphs are treated as undirected.

    Parameters
    ----------
    @GRAPH@
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
    numpy.ndarray of uint32, or pandas.Series named ``leiden``
        Community of each vertex (account, node), numbered 0, 1, ... in order of each community's first vertex.
    """
    on = _input(graph)
    return _with_info(on, _core.leiden(on.graph, resolution, seed, quality, max_iterations, randomness, weighted),
                      "leiden", return_info)


@_documented
def louvain(graph, resolution: float = 1.0, seed: int = 0, *, weighted: bool = True, return_info: bool = False):
    """Communities by the Louvain method (Blondel et al. 2008): local moving and aggregation of modularity.

    Parameters
    ----------
    @GRAPH@
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
    numpy.ndarray of uint32, or pandas.Series named ``louvain``
        Community of each vertex (account, node).
    """
    on = _input(graph)
    return _with_info(on, _core.louvain(on.graph, resolution, seed, weighted), "louvain", return_info)


@_documented
def label_propagation(graph, seed: int = 0, *, max_iterations: int = 100, weighted: bool = True,
                      return_info: bool = False):
    """Communities by asynchronous label propagation (Raghavan, Albert & Kumara 2007).

    Parameters
    ----------
    @GRAPH@
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
    numpy.ndarray of uint32, or pandas.Series named ``label_propagation``
        Community of each vertex (account, node).
    """
    on = _input(graph)
    return _with_info(on, _core.label_propagation(on.graph, seed, max_iterations, weighted), "label_propagation",
                      return_info)


@_documented
def spectral_clustering(graph, k: int, seed: int = 0, *, weighted: bool = True, return_info: bool = False):
    """Spectral clustering (Ng, Jordan & Weiss 2002): k leading eigenvectors of D^-1/2 A D^-1/2, then k-means.

    Parameters
    ----------
    @GRAPH@
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
    numpy.ndarray of uint32, or pandas.Series named ``spectral_clustering``
        Cluster of each vertex (account, node).
    """
    on = _input(graph)
    return _with_info(on, _core.spectral_clustering(on.graph, k, seed, weighted), "spectral_clustering", return_info)


@_documented
def consensus(graph, runs: int = 10, resolution: float = 1.0, seed: int = 0, *, quality: str = "modularity"):
    """Leiden over several seeds, and how often each pair of adjacent vertices lands together.

    Parameters
    ----------
    @GRAPH@
    runs : int
        Leiden runs, with seeds ``seed``, ``seed + 1``, ...
    resolution : float
        Resolution gamma.
    seed : int
        First seed.
    quality : {"modularity", "cpm"}

    Returns
    -------
    membership : numpy.ndarray of uint32, or pandas.Series named ``consensus``
        The consensus partition.
    agreement : numpy.ndarray of float64, or pandas.Series named ``agreement``
        For a Graph, per arc (aligned with ``graph.targets``); for a labelled input, per edge (each undirected edge
        once) indexed by its two ends (``account_a``, ``account_b`` for a network; ``source``, ``target`` for a
        networkx / igraph graph): the fraction of runs that put both ends together.
    """
    on = _input(graph)
    membership, agreement, _ = _core.consensus(on.graph, runs, resolution, seed, quality)
    if not on.labelled:
        return membership, agreement
    import pandas as pd

    source, target, take = _edge_pairs(on)
    index = pd.MultiIndex.from_arrays([on.labels[source[take]], on.labels[target[take]]], names=on.pair_names)
    return _result(on, membership, "consensus"), pd.Series(np.asarray(agreement)[take], index=index,
                                                           name="agreement")


@_documented
def multi_resolution(graph, resolutions: Sequence[float], seed: int = 0, *, quality: str = "modularity"):
    """Leiden at each resolution, e.g. to scan from few large to many small communities.

    Parameters
    ----------
    @GRAPH@
    resolutions : sequence of float
        Resolutions gamma, run in order.
    seed : int
        Seed of every run.
    quality : {"modularity", "cpm"}

    Returns
    -------
    list of numpy.ndarray of uint32, or list of pandas.Series
        One membership per resolution, in order; a Series is named by its resolution (a float), so
        ``pandas.concat(result, axis=1)`` is a table with a column per resolution.
    """
    on = _input(graph)
    resolutions = [float(r) for r in resolutions]
    runs = _core.multi_resolution(on.graph, resolutions, seed, quality)
    return [_result(on, m, r) for (m, _), r in zip(runs, resolutions)]


@_documented
def modularity(graph, membership, resolution: float = 1.0, *, weighted: bool = True) -> float:
    """Modularity of a partition, as networkx ``community.modularity`` (directed form for directed graphs).

    Parameters
    ----------
    @GRAPH@
    membership : array_like or pandas.Series
        Community of each vertex; for a labelled input a Series (or dict) by account id / node, such as another
        algorithm's result, or an array in the order of the results' index. Any labels (strings too).
    resolution : float
        Resolution gamma.
    weighted : bool
        Use the edge weights.
    """
    on = _input(graph)
    return _core.modularity(on.graph, _membership_of(on, membership), resolution, weighted)


@_documented
def cpm_quality(graph, membership, resolution: float = 1.0, *, weighted: bool = True) -> float:
    """Constant Potts Model quality of a partition, as leidenalg's ``CPMVertexPartition.quality()``.

    Parameters
    ----------
    @GRAPH@
    membership : array_like or pandas.Series
        Community of each vertex (as for :func:`modularity`).
    resolution : float
        Resolution gamma (the density threshold).
    weighted : bool
        Use the edge weights.

    Returns
    -------
    float
    """
    on = _input(graph)
    return _core.cpm_quality(on.graph, _membership_of(on, membership), resolution, weighted)


@_documented
def conductance(graph, membership, *, weighted: bool = True):
    """Conductance of each community: cut / min(volume inside, volume outside).

    Parameters
    ----------
    @GRAPH@
    membership : array_like or pandas.Series
        Community of each vertex (as for :func:`modularity`).
    weighted : bool
        Use the edge weights.

    Returns
    -------
    numpy.ndarray of float64, or pandas.Series named ``conductance``
        For a Graph, indexed by community id; for a labelled input, a Series indexed by the membership's community
        labels (index name ``community``, in sorted order).
    """
    on = _input(graph)
    if not on.labelled:
        return _core.conductance(on.graph, np.asarray(membership), weighted)
    import pandas as pd

    codes, communities = pd.factorize(_per_vertex(on, membership, "membership"), sort=True)
    values = _core.conductance(on.graph, codes, weighted)
    return pd.Series(values, index=pd.Index(communities, name="community"), name="conductance")


@_documented
def coverage(graph, membership, *, weighted: bool = True) -> float:
    """Share of the edge weight inside communities (networkx ``partition_quality`` coverage).

    Parameters
    ----------
    @GRAPH@
    membership : array_like or pandas.Series
        Community of each vertex (as for :func:`modularity`).
    weighted : bool
        Use the edge weights.

    Returns
    -------
    float
    """
    on = _input(graph)
    return _core.coverage(on.graph, _membership_of(on, membership), weighted)


def _two_labelings(a, b):
    """Two labelings of the same items as codes: two Series are matched by index (b in a's order), anything else is
    taken in order."""
    import pandas as pd

    if isinstance(a, pd.Series) and isinstance(b, pd.Series) and not a.index.equals(b.index):
        if not (a.index.is_unique and b.index.is_unique):
            raise _core.UsageError("the two labelings' indexes differ and have repeated labels: cannot match them")
        if len(a) != len(b) or not a.index.isin(b.index).all():
            raise _core.UsageError(f"the two labelings label different items ({len(a):,} and {len(b):,}, "
                                   f"{int((~a.index.isin(b.index)).sum()):,} of the first not in the second)")
        b = b.reindex(a.index)
    return _labels_as_codes(np.asarray(a)), _labels_as_codes(np.asarray(b))


def normalized_mutual_information(a, b) -> float:
    """Normalised mutual information of two partitions (arithmetic-mean normalisation, as igraph's "nmi").

    Parameters
    ----------
    a, b : array_like or pandas.Series
        Two labelings of the same items (community of each vertex); any labels. Two Series are matched by their
        index (e.g. two algorithms' results on one network, or a result and ``net.clusters.membership()`` restricted
        to the same accounts); otherwise they are read in order.

    Returns
    -------
    float
        1 for identical partitions, 0 for independent ones.
    """
    a, b = _two_labelings(a, b)
    return _core.normalized_mutual_information(a, b)


def adjusted_rand_index(a, b) -> float:
    """Adjusted Rand index of two partitions (Hubert & Arabie 1985).

    Parameters
    ----------
    a, b : array_like or pandas.Series
        Two labelings of the same items, as for :func:`normalized_mutual_information`.

    Returns
    -------
    float
        1 for identical partitions, about 0 for random ones.
    """
    a, b = _two_labelings(a, b)
    return _core.adjusted_rand_index(a, b)


def _direction_name(on: _Input, measure: str, direction: str) -> str:
    return f"{direction}_{measure}" if on.graph.directed and direction in ("in", "out") else measure


@_documented
def degrees(graph, direction: str = "out"):
    """Degree of each vertex.

    Parameters
    ----------
    @GRAPH@
    direction : {"out", "in", "all"}
        For directed graphs: out-, in- or in + out degree.

    Returns
    -------
    numpy.ndarray, or pandas.Series named ``degree`` (``out_degree``, ``in_degree`` for a directed graph)
    """
    on = _input(graph)
    return _result(on, _core.degrees(on.graph, direction), _direction_name(on, "degree", direction))


@_documented
def strengths(graph, direction: str = "out"):
    """Sum of the edge weights at each vertex.

    Parameters
    ----------
    @GRAPH@
    direction : {"out", "in", "all"}
        For directed graphs: outgoing, incoming or both.

    Returns
    -------
    numpy.ndarray, or pandas.Series named ``strength`` (``out_strength``, ``in_strength`` for a directed graph)
    """
    on = _input(graph)
    return _result(on, _core.strengths(on.graph, direction), _direction_name(on, "strength", direction))


@_documented
def pagerank(graph, damping: float = 0.85, tol: float = 1e-9, *, max_iterations: int = 1000,
             weighted: bool = True, personalization=None, return_info: bool = False):
    """PageRank (weighted, personalised; dangling vertices handled as networkx does).

    Parameters
    ----------
    @GRAPH@
    damping : float
        Probability of following an edge.
    tol : float
        Stop when the L1 norm of the change falls below this.
    max_iterations : int
        Iteration cap (``return_info`` tells whether it converged).
    weighted : bool
        Follow edges in proportion to their weights.
    personalization : sequence of float, pandas.Series or dict, optional
        Teleport distribution (normalised to sum 1); uniform when omitted. Dangling mass follows it too. For a
        labelled input a Series or dict by account id / node (those it lacks get 0, as in networkx) or a sequence in
        the order of the result's index.
    return_info : bool
        Also return a dict with ``iterations``, ``residual`` and ``converged``.

    Returns
    -------
    numpy.ndarray of float64, or pandas.Series named ``pagerank``
        Scores summing to 1.
    """
    on = _input(graph)
    p = None
    if personalization is not None:
        p = [float(x) for x in _per_vertex(on, personalization, "personalization", fill=0.0)]
    scores, info = _core.pagerank(on.graph, damping, tol, max_iterations, weighted, p)
    scores = _result(on, scores, "pagerank")
    return (scores, info) if return_info else scores


@_documented
def eigenvector_centrality(graph, tol: float = 1e-9, *, max_iterations: int = 1000, weighted: bool = True,
                           return_info: bool = False):
    """Eigenvector centrality as networkx (in-neighbours for directed graphs, unit Euclidean norm).

    Parameters
    ----------
    @GRAPH@
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
    numpy.ndarray of float64, or pandas.Series named ``eigenvector_centrality``
    """
    on = _input(graph)
    scores, info = _core.eigenvector_centrality(on.graph, tol, max_iterations, weighted)
    scores = _result(on, scores, "eigenvector_centrality")
    return (scores, info) if return_info else scores


@_documented
def katz_centrality(graph, alpha: float = 0.1, beta: float = 1.0, tol: float = 1e-9, *,
                    max_iterations: int = 1000, weighted: bool = True, normalized: bool = True,
                    return_info: bool = False):
    """Katz centrality as networkx ``katz_centrality``: x = alpha A^T x + beta.

    Parameters
    ----------
    @GRAPH@
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
    numpy.ndarray of float64, or pandas.Series named ``katz_centrality``
    """
    on = _input(graph)
    scores, info = _core.katz_centrality(on.graph, alpha, beta, tol, max_iterations, weighted, normalized)
    scores = _result(on, scores, "katz_centrality")
    return (scores, info) if return_info else scores


@_documented
def hits(graph, tol: float = 1e-9, *, max_iterations: int = 1000, weighted: bool = True):
    """Hubs and authorities (Kleinberg 1999), each summing to 1 as networkx ``hits``.

    Parameters
    ----------
    @GRAPH@
    tol : float
        Stop when the change falls below this.
    max_iterations : int
        Iteration cap.
    weighted : bool
        Use the edge weights.

    Returns
    -------
    hubs, authorities : numpy.ndarray of float64, or pandas.Series named ``hubs`` and ``authorities``
    """
    on = _input(graph)
    hubs, authorities, _ = _core.hits(on.graph, tol, max_iterations, weighted)
    return _result(on, hubs, "hubs"), _result(on, authorities, "authorities")


@_documented
def betweenness(graph, normalized: bool = False, *, weighted: bool = False):
    """Exact betweenness centrality (Brandes 2001), as networkx ``betweenness_centrality``.

    Parameters
    ----------
    @GRAPH@
    normalized : bool
        Scale as networkx does (by 2 / ((n-1)(n-2)) undirected, 1 / ((n-1)(n-2)) directed; n counts the vertices
        of what it runs on: for a network, the accounts of its exports).
    weighted : bool
        Edge weights are lengths (shortest paths by Dijkstra); else hop counts.

    Returns
    -------
    numpy.ndarray of float64, or pandas.Series named ``betweenness``
    """
    on = _input(graph)
    scores, _ = _core.betweenness(on.graph, normalized, weighted, 0, 0, 0.95)
    return _result(on, scores, "betweenness")


@_documented
def approximate_betweenness(graph, samples: int, seed: int = 0, *, normalized: bool = False,
                            weighted: bool = False, confidence: float = 0.95):
    """Betweenness estimated from ``samples`` random sources, with a bound on its error.

    Parameters
    ----------
    @GRAPH@
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
    scores : numpy.ndarray of float64, or pandas.Series named ``betweenness``
    error_bound : float
        With probability at least ``confidence``, every score is within this of the exact value.
    """
    on = _input(graph)
    scores, info = _core.betweenness(on.graph, normalized, weighted, samples, seed, confidence)
    return _result(on, scores, "betweenness"), info["error_bound"]


@_documented
def closeness(graph, *, weighted: bool = False, wf_improved: bool = True):
    """Closeness centrality as networkx (incoming distances for directed graphs; Wasserman-Faust scaling).

    Parameters
    ----------
    @GRAPH@
    weighted : bool
        Edge weights are lengths (Dijkstra); else hop counts.
    wf_improved : bool
        Scale by the share of vertices reached (Wasserman & Faust), as networkx's default.

    Returns
    -------
    numpy.ndarray of float64, or pandas.Series named ``closeness``
    """
    on = _input(graph)
    return _result(on, _core.closeness(on.graph, weighted, wf_improved), "closeness")


@_documented
def harmonic_centrality(graph, *, weighted: bool = False):
    """Harmonic centrality as networkx: the sum of 1 / d(u, v) over the other vertices u.

    Parameters
    ----------
    @GRAPH@
    weighted : bool
        Edge weights are lengths (Dijkstra); else hop counts.

    Returns
    -------
    numpy.ndarray of float64, or pandas.Series named ``harmonic_centrality``
    """
    on = _input(graph)
    return _result(on, _core.harmonic_centrality(on.graph, weighted), "harmonic_centrality")


@_documented
def connected_components(graph):
    """Component of each vertex (weakly connected for directed graphs), numbered by smallest vertex.

    Parameters
    ----------
    @GRAPH@

    Returns
    -------
    numpy.ndarray of uint32, or pandas.Series named ``component``
    """
    on = _input(graph)
    return _result(on, _core.connected_components(on.graph), "component")


@_documented
def strongly_connected_components(graph):
    """Strongly connected component of each vertex, numbered by smallest vertex.

    Parameters
    ----------
    @GRAPH@

    Returns
    -------
    numpy.ndarray of uint32, or pandas.Series named ``strong_component``
    """
    on = _input(graph)
    return _result(on, _core.strongly_connected_components(on.graph), "strong_component")


@_documented
def core_numbers(graph):
    """k-core number of each vertex (Batagelj & Zaversnik 2003; in + out degree for directed graphs).

    Parameters
    ----------
    @GRAPH@

    Returns
    -------
    numpy.ndarray of uint32, or pandas.Series named ``core_number``
    """
    on = _input(graph)
    return _result(on, _core.core_numbers(on.graph), "core_number")


@_documented
def k_truss(graph, k: int):
    """Edges of the k-truss: the largest subgraph whose every edge lies in at least k - 2 of its triangles (Cohen
    2008; networkx ``k_truss`` conventions: undirected graphs, weights ignored, no self-loops).

    Parameters
    ----------
    @GRAPH@
    k : int
        The truss order (k <= 2 keeps every edge but self-loops).

    Returns
    -------
    numpy.ndarray of uint32, shape (edges, 2), or pandas.DataFrame
        For a Graph, one row (u, v) with u < v per edge of the truss, in CSR order. For a labelled input a
        DataFrame of the same edges by label: columns ``account_a``, ``account_b`` for a network, ``source``,
        ``target`` for a networkx / igraph graph.
    """
    on = _input(graph)
    k = int(k)
    if k < 0:
        raise _core.UsageError("k_truss: k must be >= 0")
    inside = _core.k_truss_arcs(on.graph, k).astype(bool)
    source, target, _ = _edge_pairs(on)
    keep = inside & (source < target)
    if not on.labelled:
        return np.stack([source[keep], target[keep]], axis=1).astype(np.uint32)
    import pandas as pd

    a, b = on.pair_names
    return pd.DataFrame({a: on.labels[source[keep]], b: on.labels[target[keep]]})
