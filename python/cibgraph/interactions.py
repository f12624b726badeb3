"""Interaction graphs: who retweeted, mentioned or replied to whom (directed, weighted by events)."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from . import _core, _display
from .events import Events

__all__ = ["InteractionNetwork", "interaction_graph"]


class InteractionNetwork:
    """A directed account -> account graph from events whose target is an account.

    Attributes
    ----------
    graph : Graph
        Directed; an arc's weight is the number of events from source to target. Vertex ``i`` is ``accounts[i]``.
    accounts : list of str
        The events' accounts, then the targets that named an account that never acted (``extra_accounts``).
    first_time_ms, last_time_ms : numpy.ndarray of int64
        Per arc (in CSR order, aligned with ``graph.targets``): the first and last event's time.
    events_used, self_loops_dropped : int
    """

    def __init__(self, core, events: Events):
        self._core = core
        self.graph = core.graph
        self.extra_accounts = list(core.extra_accounts)
        self.accounts = list(events.accounts) + self.extra_accounts
        self.first_time_ms = core.first_time_ms
        self.last_time_ms = core.last_time_ms
        self.events_used = core.events_used
        self.self_loops_dropped = core.self_loops_dropped

    def __cibgraph_graph__(self):
        return self.graph

    def to_pandas(self):
        """The arcs as a DataFrame, as ``cibgraph interactions --edges`` writes them.

        Returns
        -------
        pandas.DataFrame
            ``source``, ``target`` (account ids), ``events``, ``first_time``, ``last_time`` (UTC).
        """
        import pandas as pd

        g = self.graph
        offsets = g.offsets.astype(np.int64)
        src = np.repeat(np.arange(g.num_vertices, dtype=np.int64), np.diff(offsets))
        names = np.asarray(self.accounts, dtype=object)
        return pd.DataFrame({"source": names[src], "target": names[g.targets.astype(np.int64)],
                             "events": g.weights.astype(np.int64),
                             # pandas 1.5 cannot convert read-only arrays: these two columns are copies.
                             "first_time": pd.to_datetime(self.first_time_ms.copy(), unit="ms", utc=True),
                             "last_time": pd.to_datetime(self.last_time_ms.copy(), unit="ms", utc=True)})

    def to_networkx(self):
        """The graph as a networkx DiGraph with account ids as nodes and ``weight`` (events) on arcs.

        Returns
        -------
        networkx.DiGraph
        """
        from .interop import graph_to_networkx

        return graph_to_networkx(self.graph, self.accounts)

    def _repr_html_(self) -> str:
        return _display.facts("cibgraph.InteractionNetwork", [
            ("accounts", self.graph.num_vertices), ("arcs", self.graph.num_edges), ("events used", self.events_used),
            ("self-loops dropped", self.self_loops_dropped)])

    def __repr__(self) -> str:
        return (f"<cibgraph.InteractionNetwork {_display.counted(self.graph.num_vertices, 'account')}, "
                f"{_display.counted(self.graph.num_edges, 'arc')}, {_display.counted(self.events_used, 'event')}>")


def interaction_graph(events: Events, actions: Sequence[str] = ("retweet", "mention", "reply"), *,
                      self_loops: bool = False) -> InteractionNetwork:
    """The directed interaction graph of the events whose action is one of ``actions`` and whose target names an
    account, as ``cibgraph interactions``.

    Parameters
    ----------
    events : Events
    actions : sequence of str
        The actions whose target is an account.
    self_loops : bool
        Keep an account's interactions with itself.

    Returns
    -------
    InteractionNetwork
    """
    return InteractionNetwork(_core.interaction_graph(events._table, list(actions), bool(self_loops)), events)
