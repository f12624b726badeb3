"""cibgraph: find coordinated inauthentic account networks in social media data.

The heavy lifting is C++ (``cibgraph._core``); this package gives it Python names and NumPy / pandas / networkx /
igraph interop. Column arrays and edge columns are NumPy views of the C++ memory, not copies. Long calls release
the GIL, show progress (tqdm) and stop on Ctrl-C.

>>> import cibgraph as cg
>>> ev = cg.read_events("posts.csv", account="user_id", target="url", time="created_at", action_value="share")
>>> net = cg.coordination_network(ev, layers=["co-share"], window="60s")
>>> parts = cg.leiden(net, resolution=1.0, seed=1)    # a Series: account id -> community (accounts with a kept edge)
>>> cg.pagerank(net).nlargest(10)
>>> net.to_pandas(); net.to_networkx(); net.evidence("alice", "bob")
>>> found = cg.analyze("posts.csv", out="case-17", account="user_id", target="url", time="created_at")
>>> found.accounts.head(); found.clusters; found.report_path    # the investigator's pipeline, as `cibgraph analyze`
"""

import os as _os

# OpenMP threads that sleep rather than spin while they wait, unless the user chose: libgomp reads this once, when the
# extension module loads it (so it has no effect if another module loaded OpenMP first, graph-tool say); on a machine
# whose cores other processes hold, spinning made small parallel work 10-20x slower (docs/performance.md).
if "OMP_WAIT_POLICY" not in _os.environ and "GOMP_SPINCOUNT" not in _os.environ:
    _os.environ["OMP_WAIT_POLICY"] = "passive"

from ._core import Error, FormatError, InputError, UsageError, __version__  # noqa: E402
from .events import Events, from_pandas, load_events, read_events
from .graph import Graph
from .algorithms import *  # noqa: F401,F403  (the names are listed in algorithms.__all__)
from .algorithms import __all__ as _algorithm_names
from .network import (Clusters, CoordinationNetwork, Layer, coordination_network, list_networks, load_network,
                      seal_store)
from .interactions import InteractionNetwork, interaction_graph
from .interop import (graph_from_igraph, graph_from_networkx, graph_from_pandas, graph_to_igraph, graph_to_networkx,
                      graph_to_pandas)
from .datasets import LfrGraph, PlantedData, generate_planted, lfr
from .analysis import Findings, analyze
from ._notices import EmptyLayerWarning

Error.__doc__ = "Any error cibgraph reports (the C++ message, with file, line and field where there are any)."
InputError.__doc__ = "Bad input data or column mapping: a missing file, no header, a mapped column that is absent."
FormatError.__doc__ = "A stored file (HDF5) that is not cibgraph's, or is truncated or corrupted."
UsageError.__doc__ = "Wrong arguments or options: an unknown layer or filter, a value out of range."

__all__ = sorted(_algorithm_names) + [
    "Clusters",
    "CoordinationNetwork",
    "EmptyLayerWarning",
    "Error",
    "Events",
    "Findings",
    "FormatError",
    "Graph",
    "InputError",
    "InteractionNetwork",
    "Layer",
    "LfrGraph",
    "PlantedData",
    "UsageError",
    "__version__",
    "analyze",
    "coordination_network",
    "from_pandas",
    "generate_planted",
    "graph_from_igraph",
    "graph_from_networkx",
    "graph_from_pandas",
    "graph_to_igraph",
    "graph_to_networkx",
    "graph_to_pandas",
    "interaction_graph",
    "lfr",
    "list_networks",
    "load_events",
    "load_network",
    "read_events",
    "seal_store",
]
