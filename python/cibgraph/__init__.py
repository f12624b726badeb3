"""cibgraph: find coordinated inauthentic account networks in social media data.

The heavy lifting is C++ (``cibgraph._core``); this package gives it Python names and NumPy/pandas
interop. Column arrays are NumPy views of the C++ memory, not copies.

>>> import cibgraph as cg
>>> ev = cg.read_events("events.csv", account="account_id", target="target", time="timestamp")
>>> ev.time          # int64 milliseconds since the Unix epoch, UTC
>>> ev.to_pandas()
"""

from ._core import Error, FormatError, InputError, UsageError, __version__
from .events import Events, load_events, read_events
from .graph import Graph
from .algorithms import *  # noqa: F401,F403  (the names are listed in algorithms.__all__)
from .algorithms import __all__ as _algorithm_names
from ._core import LfrGraph, lfr

__all__ = sorted(_algorithm_names) + ["LfrGraph", "lfr"] + [
    "Error",
    "Events",
    "FormatError",
    "Graph",
    "InputError",
    "UsageError",
    "__version__",
    "load_events",
    "read_events",
]
