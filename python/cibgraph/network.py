"""Coordination networks: the pipeline of ``cibgraph project`` from Python, and its results in pandas, networkx and
igraph terms.

:func:`coordination_network` runs the same C++ pipeline as the CLI (core/pipeline.hpp: co-action projection, null
model, edge filter, clusters) with the same option names and defaults. The result keeps every layer's edge columns
and evidence as NumPy views of the C++ memory (no copies), the clusters, and the layers fused into one weighted
:class:`cibgraph.Graph` whose vertex ``i`` is account ``events.accounts[i]``.
"""

from __future__ import annotations

import json
import os
from typing import Dict, List, Optional, Sequence, Union

import numpy as np

from . import _core, _options, _display, _notices
from ._progress import ProgressArg, run_with_progress
from .events import Events, PathLike
from .interop import _edge_arrays, _networkx

__all__ = ["Clusters", "CoordinationNetwork", "Layer", "coordination_network", "list_networks", "load_network"]

_LAYER_COLUMNS = ("a", "b", "co_actions", "distinct_targets", "a_led", "b_led", "min_delay_ms", "median_delay_ms",
                  "idf_weight", "tfidf_cosine", "common_targets", "expected", "p_value", "kept", "kept_by",
                  "evidence_offsets",
                  "evidence_key", "evidence_time_a", "evidence_time_b", "evidence_total")


class Layer:
    """One layer's edges (one row per co-acting pair, account numbers ``a < b``) as read-only NumPy views.

    Columns: ``a``, ``b`` (uint32 account numbers into ``events.accounts``), ``co_actions``, ``distinct_targets``,
    ``a_led``, ``b_led``, ``min_delay_ms``, ``median_delay_ms``, ``idf_weight``, ``tfidf_cosine``,
    ``common_targets``, ``expected``, ``p_value``, ``kept`` (bool), ``kept_by`` (uint8 codes of why an edge is kept:
    ``_core.kept_by_names()[code]``); the evidence ledger as CSR over edges:
    ``evidence_offsets``, ``evidence_key``, ``evidence_time_a``, ``evidence_time_b`` and ``evidence_total``.
    Every array's memory is the C++ result's, which stays alive as long as any array does.
    """

    def __init__(self, network: "CoordinationNetwork", index: int):
        self._network = network
        self.index = index
        self.name = network.layers[index]
        self._columns = network._core.layer_columns(index)

    def __getattr__(self, name):
        columns = self.__dict__.get("_columns", {})
        if name == "kept":
            return columns["kept"].view(np.bool_)
        if name in columns:
            return columns[name]
        raise AttributeError(name)

    def __len__(self) -> int:
        return len(self._columns["a"])

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(_LAYER_COLUMNS))

    @property
    def info(self) -> dict:
        """Events read by the layer, co-acting pairs (``pairs``; ``stored_pairs`` of them held here: fewer when
        loaded from a store of the kept edges), kept edges, pairs left out by the popular-target cap, spilled runs, and
        whether the pair records were gathered account by account (``by_rows``: a dense layer within the memory
        budget) rather than swept into one sorted array or spilled runs; the edges are the same either way."""
        info = dict(self._network._core.layer_info(self.index))
        info.pop("capped")
        return info

    def capped_targets(self):
        """Targets whose pairs hit ``max_pairs_per_target``: the pairs in the window, those kept (the tightest) and
        the delay bound kept, as a DataFrame (empty when nothing was capped).

        Returns
        -------
        pandas.DataFrame
            Columns ``target``, ``pairs_in_window``, ``pairs_kept``, ``delay_kept_s``.
        """
        import pandas as pd

        capped = self._network._core.layer_info(self.index)["capped"]
        return pd.DataFrame({
            "target": self._network._core.key_strings(self.index, capped["key"]),
            "pairs_in_window": capped["pairs_in_window"],
            "pairs_kept": capped["pairs_kept"],
            "delay_kept_s": capped["delay_kept_ms"] / 1000.0,
        })

    def __repr__(self) -> str:
        info = self.info
        stored = "" if info["stored_pairs"] == info["pairs"] else ", the kept stored"
        return (f"<cibgraph.Layer {self.name}: {_display.counted(info['pairs'], 'pair')}, "
                f"{_display.count(info['kept'])} kept{stored}>")


class Clusters:
    """The clusters of a coordination network, strongest first (cluster 1 is the strongest).

    Each cluster has ``members`` (account ids), ``coordinated`` (passes the cluster test against the null),
    ``density``, ``median_delay_s``, ``targets``, ``observed`` / ``expected`` co-actions, ``p_value``, ``alpha`` and
    the ``second_stage_members`` that joined it by their ties to the cluster as a whole. ``len()``, iteration
    (dicts) and indexing work as on a list.
    """

    def __init__(self, network: "CoordinationNetwork"):
        self._network = network
        self._rows = network._core.clusters()

    def __len__(self) -> int:
        return len(self._rows)

    def _row(self, r: dict) -> dict:
        accounts = self._network.events.account_array()
        out = {k: v for k, v in r.items() if k not in ("members", "second_stage_members", "median_delay_ms")}
        out["size"] = len(r["members"])
        out["median_delay_s"] = r["median_delay_ms"] / 1000.0
        out["members"] = list(accounts[r["members"]])
        out["second_stage_members"] = list(accounts[r["second_stage_members"]])
        return out

    def __getitem__(self, i) -> dict:
        return self._row(self._rows[i])

    def __iter__(self):
        return (self._row(r) for r in self._rows)

    @property
    def coordinated(self) -> List[dict]:
        """The clusters that pass the coordination test."""
        return [self._row(r) for r in self._rows if r["coordinated"]]

    def flagged_accounts(self) -> List[str]:
        """The accounts of coordinated clusters, sorted."""
        accounts = self._network.events.account_array()
        ids = [r["members"] for r in self._rows if r["coordinated"]]
        if not ids:
            return []
        return sorted(accounts[np.unique(np.concatenate(ids))])

    def to_pandas(self):
        """The clusters as a DataFrame, as the CLI's ``--clusters`` CSV (members as lists of account ids).

        Returns
        -------
        pandas.DataFrame
            One row per cluster: ``cluster``, ``size``, ``density``, ``layers``, ``median_delay_s``, ``targets``,
            ``observed``, ``expected``, ``p_value``, ``alpha``, ``coordinated``, ``evidence`` (synchrony,
            co-targeting or both), ``sync_p``, ``cotarget_p``, ``cotarget_expected``, ``members``,
            ``second_stage_members``, ``kept_edges``.
        """
        import pandas as pd

        columns = ["cluster", "size", "density", "layers", "median_delay_s", "targets", "observed", "expected",
                   "p_value", "alpha", "coordinated", "evidence", "sync_p", "cotarget_p", "cotarget_expected", "members",
                   "second_stage_members", "kept_edges"]
        return pd.DataFrame([self._row(r) for r in self._rows], columns=columns)

    def membership(self, coordinated_only: bool = True):
        """The cluster of each account in a cluster, as a pandas Series indexed by account id.

        Parameters
        ----------
        coordinated_only : bool
            Only clusters that pass the coordination test.

        Returns
        -------
        pandas.Series of int
            Cluster number by account id (accounts in no cluster are absent).
        """
        import pandas as pd

        accounts = self._network.events.account_array()
        ids, labels = [], []
        for r in self._rows:
            if coordinated_only and not r["coordinated"]:
                continue
            ids.append(r["members"])
            labels.append(np.full(len(r["members"]), r["cluster"], dtype=np.int64))
        if not ids:
            return pd.Series([], dtype=np.int64, name="cluster", index=pd.Index([], name="account", dtype=object))
        ids = np.concatenate(ids)
        return pd.Series(np.concatenate(labels), index=pd.Index(accounts[ids], name="account"), name="cluster")

    def summary_rows(self, top: int = 10) -> list:
        """The first ``top`` clusters as dicts (what the HTML display shows).

        Parameters
        ----------
        top : int
            How many clusters.

        Returns
        -------
        list of dict
        """
        return [self._row(r) for r in self._rows[:top]]

    def _repr_html_(self) -> str:
        return _clusters_html(self, top=10)

    def __repr__(self) -> str:
        n_coord = sum(1 for r in self._rows if r["coordinated"])
        return f"<cibgraph.Clusters {_display.counted(len(self), 'cluster')}, {_display.count(n_coord)} coordinated>"


def _clusters_html(clusters: Clusters, top: int) -> str:
    rows = []
    for c in clusters.summary_rows(top):
        rows.append([c["cluster"], "yes" if c["coordinated"] else "no", c["size"], c["density"],
                     _display.duration(c["median_delay_s"]),
                     c["targets"], c["p_value"], _display.esc(", ".join(c["layers"])),
                     _display.names(c["members"])])
    n_coord = sum(1 for r in clusters._rows if r["coordinated"])
    head = _display.facts("clusters", [("clusters", len(clusters)), ("coordinated", n_coord),
                                       ("accounts flagged", len(clusters.flagged_accounts()))])
    if not rows:
        return head
    more = len(clusters) - len(rows)
    tail = f"<div>(+{_display.counted(more, 'more cluster')})</div>" if more > 0 else ""
    return head + _display.table(["cluster", "coordinated", "accounts", "density", "median delay", "targets",
                                  "p", "layers", "members"], rows, raw_columns=(7, 8), p_columns=(6,)) + tail


class CoordinationNetwork:
    """A co-action network: per-layer edges with significance and evidence, the clusters, the fused graph.

    Made by :func:`coordination_network` or :func:`load_network`. Vertex ``i`` of :attr:`graph` and account number
    ``i`` in the layers' ``a`` / ``b`` columns are ``events.accounts[i]``.

    Attributes
    ----------
    events : Events
        The events the network was built from.
    window_ms : int
        The co-action window used (estimated when ``window="auto"``).
    window_method : str or None
        How the window was estimated (``window="auto"``), else None.
    layers : list of str
        Layer names, in the order they were asked for.
    weight : str
        The weight column of :meth:`to_pandas` and :attr:`graph` (count, distinct, idf, tfidf).
    parameters : dict
        The options that made the network (also stored by :meth:`save`).
    """

    def __init__(self, core: "_core.CoordinationNetwork", events: Optional[Events] = None):
        self._core = core
        self.events = events if events is not None else Events(core.events)
        self._graph = None
        self._layers: Dict[int, Layer] = {}
        self._clusters = None

    # What it is.
    @property
    def window_ms(self) -> int:
        """The co-action window used, in milliseconds (estimated when ``window='auto'``)."""
        return self._core.window_ms

    @property
    def window_method(self) -> Optional[str]:
        """How the window was estimated (``window='auto'``), else None."""
        return self._core.window_method

    @property
    def layers(self) -> List[str]:
        """Layer names, in the order they were asked for."""
        return self._core.layer_names

    @property
    def weight(self) -> str:
        """The weight column of :meth:`to_pandas` and :attr:`graph` (count, distinct, idf, tfidf)."""
        return self._core.weight

    @property
    def parameters(self) -> dict:
        """The options that made the network, as stored by :meth:`save`."""
        return json.loads(self._core.parameters_json) if self._core.parameters_json else {}

    @property
    def options(self) -> Dict[str, str]:
        """Every coordination option the network ran with, as ``cibgraph project`` would spell its value (``"60s"``,
        ``"on"``, ``"0.01"``); a loaded network's are restored from its stored parameters, so
        ``coordination_network(events, **net.options)`` runs it again."""
        return dict(self._core.options)

    @property
    def created_at(self) -> Optional[str]:
        """When the network was stored (for a loaded network), else None."""
        return self._core.created_at or None

    def layer(self, which: Union[int, str] = 0) -> Layer:
        """One layer's edge columns as NumPy views (see :class:`Layer`).

        Parameters
        ----------
        which : int or str
            Position in :attr:`layers` or the layer's name (``"co-share"``, ...).

        Returns
        -------
        Layer
        """
        index = self._layer_index(which)
        if index not in self._layers:
            self._layers[index] = Layer(self, index)
        return self._layers[index]

    def _layer_index(self, which) -> int:
        names = self.layers
        if isinstance(which, str):
            if which == "co-retweet":
                which = "co-share"
            if which not in names:
                raise _core.UsageError(f"no layer '{which}' in this network (layers: {', '.join(names)})")
            return names.index(which)
        index = int(which)
        if not 0 <= index < len(names):
            raise _core.UsageError(f"layer index {index} out of range ({len(names)} layers)")
        return index

    @property
    def clusters(self) -> Clusters:
        """The clusters, strongest first (see :class:`Clusters`)."""
        if self._clusters is None:
            self._clusters = Clusters(self)
        return self._clusters

    # The fused graph and algorithms.
    @property
    def graph(self) -> "_core.Graph":
        """The kept edges of all layers fused into one undirected weighted Graph over all accounts (each layer's
        weights normalised by its largest, summed), as ``cibgraph project --fused`` writes it."""
        if self._graph is None:
            self._graph = self.fused_graph()
        return self._graph

    def fused_graph(self, weight: Optional[str] = None, *, kept_only: bool = True,
                    layer_weights: Optional[Dict[str, float]] = None) -> "_core.Graph":
        """The layers fused into one weighted Graph, with another weight or layer weighting than :attr:`graph`.

        Parameters
        ----------
        weight : {"count", "distinct", "idf", "tfidf"}, optional
            The edge weight of each layer (default: the network's ``weight``).
        kept_only : bool
            Only kept edges (else every co-acting pair).
        layer_weights : dict, optional
            Layer name -> factor (missing layers weigh 1).

        Returns
        -------
        Graph
            Undirected; vertex i is ``events.accounts[i]``.
        """
        return self._core.fused_graph(weight or self.weight, kept_only, layer_weights)

    def __cibgraph_graph__(self):
        return self.graph

    def to_series(self, values, name: Optional[str] = None, *, connected_only: bool = False):
        """Per-vertex results (a membership from :func:`cibgraph.leiden`, scores from :func:`cibgraph.pagerank`, ...)
        as a pandas Series indexed by account id.

        Parameters
        ----------
        values : array_like
            One value per vertex of :attr:`graph` (per account of the events).
        name : str, optional
            The Series' name.
        connected_only : bool
            Keep only accounts with at least one edge in :attr:`graph`.

        Returns
        -------
        pandas.Series
        """
        import pandas as pd

        values = np.asarray(values)
        n = self.graph.num_vertices
        if values.ndim != 1 or len(values) != n:
            raise _core.UsageError(f"values has shape {values.shape} but the network has {n} accounts")
        index = pd.Index(self.events.account_array(), name="account")
        series = pd.Series(values, index=index, name=name)
        if connected_only:
            series = series[np.diff(self.graph.offsets.astype(np.int64)) > 0]
        return series

    # Tables.
    def to_pandas(self, *, kept_only: bool = True, weight: Optional[str] = None):
        """The edges of every layer as a DataFrame with account ids, as the CLI's ``--edges`` CSV.

        Parameters
        ----------
        kept_only : bool
            Only the kept edges (as the CLI writes); else every co-acting pair, with a ``kept`` column (and
            ``kept_by`` empty for the pairs not kept).
        weight : {"count", "distinct", "idf", "tfidf"}, optional
            The ``weight`` column (default: the network's ``weight``).

        Returns
        -------
        pandas.DataFrame
            ``account_a < account_b`` (string order), ``layer``, ``co_actions``, ``distinct_targets``, ``weight``,
            ``p_value``, ``expected``, ``common_targets``, ``a_led``, ``b_led``, ``min_delay_s``,
            ``median_delay_s``, ``idf_weight``, ``tfidf_cosine``, ``sync_p`` (synchrony beyond habits),
            ``cotarget_p`` (co-targeting beyond popularity), ``cotarget_expected``, ``moments``, ``kept_by`` (why the
            edge is kept: the filter's name, ``fdr`` by default, or ``cluster`` for a tie inside a coordinated
            cluster that the filter left out; ``unrecorded`` from a store written before kept_by) (and ``kept``);
            ``p_value`` = min(1, 2 min(sync_p, cotarget_p)), as edges.csv.
        """
        import pandas as pd

        accounts = self.events.account_array()
        kept_by_names = np.array(_core.kept_by_names(), dtype=object)
        frames = []
        for i, name in enumerate(self.layers):
            rows = self._core.edge_rows(i, kept_only, weight or self.weight)
            col = self._core.layer_columns(i)
            idx = rows["index"]
            frame = {
                "account_a": accounts[rows["a"]], "account_b": accounts[rows["b"]],
                "layer": np.full(len(idx), name, dtype=object),
                "co_actions": col["co_actions"][idx], "distinct_targets": col["distinct_targets"][idx],
                "weight": rows["weight"], "p_value": col["p_value"][idx], "expected": col["expected"][idx],
                "common_targets": col["common_targets"][idx], "a_led": rows["a_led"], "b_led": rows["b_led"],
                "min_delay_s": col["min_delay_ms"][idx] / 1000.0, "median_delay_s": col["median_delay_ms"][idx] / 1000.0,
                "idf_weight": col["idf_weight"][idx], "tfidf_cosine": col["tfidf_cosine"][idx],
                "sync_p": col["sync_p"][idx], "cotarget_p": col["cotarget_p"][idx],
                "cotarget_expected": col["cotarget_expected"][idx], "moments": col["moments"][idx],
                "kept_by": kept_by_names[col["kept_by"][idx]],
            }
            if not kept_only:
                frame["kept"] = col["kept"][idx].astype(bool)
            frames.append(pd.DataFrame(frame))
        if not frames:
            return pd.DataFrame()
        return pd.concat(frames, ignore_index=True)

    def evidence(self, a: str, b: str):
        """The co-actions behind the edge between two accounts, in every layer: which target, when each acted.

        Parameters
        ----------
        a, b : str
            Account ids as in the input. ``time_a`` is ``a``'s action.

        Returns
        -------
        pandas.DataFrame
            ``layer``, ``target`` (the target, text or time bin the two co-acted on), ``time_a``, ``time_b``
            (UTC), ``delay_s`` (b's time minus a's), ``evidence_total`` (co-actions of the pair in that layer; the
            rows are the first ``evidence_per_edge`` of them) and ``kept`` (the edge is kept). Empty when the two
            never co-acted.

        Raises
        ------
        InputError
            An account that is not in the events.
        """
        import pandas as pd

        d = self._core.evidence(str(a), str(b))
        return pd.DataFrame({
            "layer": pd.Series(d["layer"], dtype=object),
            "target": pd.Series(d["target"], dtype=object),
            "time_a": pd.to_datetime(d["time_a"], unit="ms", utc=True),
            "time_b": pd.to_datetime(d["time_b"], unit="ms", utc=True),
            "delay_s": (d["time_b"] - d["time_a"]) / 1000.0,
            "evidence_total": d["evidence_total"],
            "kept": d["kept"].astype(bool),
        })

    # Other libraries.
    def _node_ids(self, include_isolated: bool):
        n = self.graph.num_vertices
        if include_isolated:
            return np.arange(n)
        return np.flatnonzero(np.diff(self.graph.offsets.astype(np.int64)) > 0)

    def _cluster_of_vertex(self) -> np.ndarray:
        cluster = np.zeros(self.graph.num_vertices, dtype=np.int64)
        for r in self.clusters._rows:
            if r["coordinated"]:
                cluster[r["members"]] = r["cluster"]
        return cluster

    def to_networkx(self, *, include_isolated: bool = False):
        """The fused graph as a networkx Graph: nodes are account ids, edges carry ``weight``; each node has
        ``cluster``, its coordinated cluster's number (0 for none).

        Parameters
        ----------
        include_isolated : bool
            Also add the accounts without kept edges.

        Returns
        -------
        networkx.Graph
        """
        return _networkx(self.graph, self.events.account_array(), self._node_ids(include_isolated),
                         {"cluster": self._cluster_of_vertex()})

    def to_igraph(self, *, include_isolated: bool = False):
        """The fused graph as a python-igraph Graph: vertex attribute ``name`` (account id) and ``cluster``, edge
        attribute ``weight``.

        Parameters
        ----------
        include_isolated : bool
            Also add the accounts without kept edges.

        Returns
        -------
        igraph.Graph
        """
        import igraph as ig

        nodes = self._node_ids(include_isolated)
        local = np.full(self.graph.num_vertices, -1, dtype=np.int64)
        local[nodes] = np.arange(len(nodes))
        src, dst, w = _edge_arrays(self.graph)
        g = ig.Graph(n=len(nodes), edges=np.column_stack([local[src], local[dst]]).tolist(), directed=False)
        g.vs["name"] = list(self.events.account_array()[nodes])
        g.vs["cluster"] = self._cluster_of_vertex()[nodes].tolist()
        g.es["weight"] = w.tolist()
        return g

    # Storage.
    def save(self, path: PathLike, name: str = "coaction", progress: ProgressArg = None, *,
             all_pairs: bool = False) -> None:
        """Stores the network and its clusters in an HDF5 file (``/graphs/NAME``, ``/results/NAME``), as
        ``cibgraph project`` does; a new file gets the events first.

        Parameters
        ----------
        path : path
            A new file, or the store the events came from (a store holding other events is refused).
        name : str
            The network's name in the file (one path component).
        all_pairs : bool
            Store every co-acting pair with its p-value and evidence. By default only the kept edges are stored
            (with their evidence, and the count of all pairs): :func:`load_network` then gives those, and
            ``to_pandas(kept_only=False)`` has no unkept rows.
        progress : None, bool or callable
            ``None``/``True``: a tqdm bar of the bytes stored; ``False``: silent; a callable gets
            ``(stage, done, total)`` and may return False to stop. Stopping leaves the file as it was.

        Raises
        ------
        UsageError
            The file holds other events, or the name is not a valid HDF5 name.
        KeyboardInterrupt
            Ctrl-C, the notebook's stop button, or the progress callable returned False (the file is unchanged).
        """
        run_with_progress(progress, lambda cb: _core.save_network(self._core, os.fspath(path), name, cb,
                                                                  bool(all_pairs)),
                          stages=(), title="storing")

    # Display.
    def summary(self) -> dict:
        """Sizes of the network as a dict: window, per-layer pairs and kept edges, clusters, flagged accounts.

        Returns
        -------
        dict
        """
        layers = []
        for i, name in enumerate(self.layers):
            info = self._core.layer_info(i)
            layers.append({"layer": name, "events": info["events"], "pairs": info["pairs"], "kept": info["kept"],
                           "capped_targets": len(info["capped"]["key"]), "pairs_left_out": info["pairs_left_out"]})
        rows = self.clusters._rows
        return {"window_s": self.window_ms / 1000.0, "window_method": self.window_method, "layers": layers,
                "kept_edges": sum(l["kept"] for l in layers), "clusters": len(rows),
                "coordinated_clusters": sum(1 for r in rows if r["coordinated"]),
                "flagged_accounts": len(self.clusters.flagged_accounts())}

    def _repr_html_(self) -> str:
        s = self.summary()
        head = _display.facts("cibgraph.CoordinationNetwork", [
            ("window", _display.duration(s["window_s"])), ("kept edges", s["kept_edges"]), ("clusters", s["clusters"]),
            ("coordinated", s["coordinated_clusters"]), ("accounts flagged", s["flagged_accounts"])])
        method = f"<div>window: {_display.esc(s['window_method'])}</div>" if s["window_method"] else ""
        layers = _display.table(["layer", "events", "co-acting pairs", "kept", "capped targets"],
                                [[l["layer"], l["events"], l["pairs"], l["kept"], l["capped_targets"]]
                                 for l in s["layers"]])
        return head + method + layers + _clusters_html(self.clusters, top=5)

    def __repr__(self) -> str:
        s = self.summary()
        return (f"<cibgraph.CoordinationNetwork window {_display.duration(s['window_s'])}, layers "
                f"{', '.join(self.layers)}: {_display.counted(s['kept_edges'], 'kept edge')}, "
                f"{_display.counted(s['clusters'], 'cluster')}, {_display.count(s['coordinated_clusters'])} coordinated>")


@_options.takes_options("coordination")
def coordination_network(
    events: Events,
    layers: Union[str, Sequence[str], None] = None,
    window: Union[str, float, None] = None,
    *,
    progress: ProgressArg = None,
    **options,
) -> CoordinationNetwork:
    """The co-action network of the accounts, its significance and its coordinated clusters: the pipeline of
    ``cibgraph project`` with the same options and defaults (names without dashes).

    Two accounts co-act when both acted on the same key (the target of a share, a URL, a hashtag, a reply's parent,
    a normalised text, a time bin) within the window of each other. Each pair's co-acted keys are tested against a
    null model that keeps each account's own reaction delays and each target's organic crowd; edges are kept under
    Benjamini-Hochberg FDR control; the clusters of the kept network are tested as groups.

    Parameters
    ----------
    events : Events
        From :func:`read_events`, :func:`from_pandas` or :func:`load_events`.
    @OPTIONS@
    progress : None, bool or callable
        ``None``/``True``: tqdm bars in notebooks and terminals; ``False``: silent; a callable gets
        ``(stage, done, total)`` and may return False to stop. Ctrl-C interrupts (``KeyboardInterrupt``).

    Returns
    -------
    CoordinationNetwork

    Warns
    -----
    EmptyLayerWarning
        A layer that read no event (its empty result compared nothing): the message names the layer, the actions it
        reads, the data's actions and the keyword that fixes it (``layers=``, ``action_value=``, ``targets=``).

    Raises
    ------
    UsageError
        An unknown layer, filter or weight, a malformed duration, an option out of range (the message names the
        keyword).
    TypeError
        A keyword that is not an option (the message names the closest one).
    KeyboardInterrupt
        Ctrl-C, the notebook's stop button, or the progress callable returned False.
    """
    if not isinstance(events, Events):
        raise TypeError(f"events must be cibgraph.Events (from read_events / from_pandas / load_events), "
                        f"not {type(events).__name__}")
    given = _options.given(coordination_network, dict(layers=layers, window=window), options)
    core = run_with_progress(progress, lambda cb: _core.coordination_network(events._table, given, cb))
    _notices.warn_empty_layers(core, remap="read_events")
    return CoordinationNetwork(core, events)


def load_network(path: PathLike, name: str = "coaction") -> CoordinationNetwork:
    """A network stored by :meth:`CoordinationNetwork.save` or ``cibgraph project``, with the events of the same
    file.

    Parameters
    ----------
    path : path
        A cibgraph HDF5 store.
    name : str
        The network's name (``cibgraph project --name``; default ``coaction``).

    Returns
    -------
    CoordinationNetwork
        Null-model inputs are not stored; everything else (edges, p-values, evidence, clusters, parameters) is.
        A store holds the kept edges only unless it was saved with ``all_pairs=True`` (``cibgraph project
        --store-all-pairs``); each layer's ``info["pairs"]`` still counts every co-acting pair.

    Raises
    ------
    InputError
        The file or the network does not exist.
    FormatError
        The file is not a valid store.
    """
    return CoordinationNetwork(_core.load_network(os.fspath(path), name))


def seal_store(path: PathLike) -> dict:
    """Re-seals a cibgraph HDF5 file changed on purpose (an attribute added with h5py, say), as ``cibgraph seal``.

    Every cibgraph file records its size and SHA-256 in its first 512 bytes, and a file that differs from them is
    refused as corrupted (HDF5 itself can crash on some corruptions, so the check comes first). This records the
    file as it is now, then reads it back as every reader does; when that fails the old record is put back and the
    error raised, so a file cibgraph cannot read is never sealed.

    Parameters
    ----------
    path : path
        A file written by cibgraph (it has the 512-byte user block).

    Returns
    -------
    dict
        What changed: ``changed``, ``recorded_size`` and ``recorded_sha256`` (before), ``size`` and ``sha256`` (now).

    Raises
    ------
    FormatError
        The file, as changed, is not a valid cibgraph store (it stays refused).
    Error
        The file was not written by cibgraph (no user block), or cannot be written.
    """
    return dict(_core.seal_store(os.fspath(path)))


def list_networks(path: PathLike) -> List[str]:
    """The names of the co-action networks stored in a file, sorted.

    Parameters
    ----------
    path : path

    Returns
    -------
    list of str
    """
    return list(_core.list_networks(os.fspath(path)))
