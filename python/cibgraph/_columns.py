"""Columns of a DataFrame that a call names.

A function that reads fields from a frame (:func:`cibgraph.graph_from_pandas`) takes each field as a column name or as
a Series (or array); :func:`columns_of` resolves them to Series over the frame's rows.
"""

from __future__ import annotations

import numpy as np

from . import _core

FIELD_ROLES = {"account": "account", "target": "target", "time": "time", "action": "action", "text": "text",
               "target_time": "target time", "source": "source", "weight": "weight"}


def columns_of(df, specs: dict, label: str):
    """The columns of a frame that a call names: each spec is a column name of ``df``, a Series (aligned on ``df``'s
    index, as ``df.assign`` aligns) or an array of ``len(df)`` values; None leaves the field out. Without ``df``
    the Series are aligned on each other (the union of their indexes, as ``pandas.DataFrame`` of them).

    Returns (field -> Series over the rows, field -> the column's name: a Series' own name or else the field's,
    the rows' index)."""
    import pandas as pd

    given = {f: s for f, s in specs.items() if s is not None}
    names = {}
    series = {}
    for field, spec in given.items():
        if isinstance(spec, pd.Series):
            series[field] = spec
            names[field] = str(spec.name) if spec.name is not None else field
        elif isinstance(spec, (np.ndarray, list, tuple, pd.Index, pd.api.extensions.ExtensionArray)):
            series[field] = spec
            names[field] = field
        else:
            if df is None or spec not in df.columns:
                shown = "no frame" if df is None else "the frame has: " + ", ".join(map(str, df.columns))
                other = ", or give every row one action with action_value='share'" if field == "action" else ""
                raise _core.InputError(f"{label}: no column '{spec}' for the {FIELD_ROLES.get(field, field)} "
                                       f"({shown}); name its column with {field}='COLUMN' or pass it as a Series"
                                       f"{other}")
            names[field] = str(spec)
            series[field] = df[spec]
    if df is None:
        if not any(isinstance(s, pd.Series) for s in series.values()):
            lengths = {len(s) for s in series.values()}
            if len(lengths) > 1:
                raise _core.UsageError(f"{label}: the columns have different lengths ({sorted(lengths)})")
        frame = pd.DataFrame({f: s for f, s in series.items()})
        return {f: frame[f] for f in series}, names, frame.index
    out = {}
    for field, s in series.items():
        if isinstance(s, pd.Series):
            if not s.index.equals(df.index):
                if not s.index.is_unique:
                    raise _core.UsageError(f"{label}: the Series for {field} has another index, with repeated labels: "
                                           f"cannot align it on the frame's rows")
                s = s.reindex(df.index)
        else:
            if len(s) != len(df):
                raise _core.UsageError(f"{label}: {field} has {len(s):,} values for {len(df):,} rows")
            s = pd.Series(s, index=df.index)
        out[field] = s
    return out, names, df.index

