"""The graph type: CSR arrays shared with C++ (NumPy views, no copies), with a compact HTML display."""

from __future__ import annotations

import numpy as np

from . import _display
from ._core import Graph

__all__ = ["Graph"]


def _summary(self) -> dict:
    """Vertices, edges, direction, weight range and degree range of the graph, as a dict.

    Returns
    -------
    dict
    """
    degrees = np.diff(self.offsets.astype(np.int64))
    w = self.weights
    return {"vertices": self.num_vertices, "edges": self.num_edges, "directed": self.directed,
            "isolated_vertices": int((degrees == 0).sum()) if len(degrees) else 0,
            "max_degree": int(degrees.max()) if len(degrees) else 0,
            "min_weight": float(w.min()) if len(w) else None, "max_weight": float(w.max()) if len(w) else None}


def _repr_html_(self) -> str:
    s = _summary(self)
    items = [("vertices", s["vertices"]), ("edges", s["edges"]), ("directed", s["directed"]),
             ("isolated", s["isolated_vertices"]), ("max degree", s["max_degree"])]
    if s["min_weight"] is not None:
        items.append(("weights", f"{_display.ratio(s['min_weight'])} to {_display.ratio(s['max_weight'])}"))
    return _display.facts("cibgraph.Graph", items)


Graph.summary = _summary
Graph._repr_html_ = _repr_html_
