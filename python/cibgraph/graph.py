"""The graph type: CSR arrays shared with C++ (NumPy views, no copies)."""

from __future__ import annotations

from ._core import Graph

__all__ = ["Graph"]
