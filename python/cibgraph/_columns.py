"""Columns of a DataFrame that a call names, and their hand-over to C++ as NumPy arrays.

A function that reads fields from a frame (:func:`cibgraph.from_pandas`, :func:`cibgraph.graph_from_pandas`) takes
each field as a column name or as a Series (or array); :func:`columns_of` resolves them to Series over the frame's
rows, and :func:`cells_of` turns a Series into what ``_core.ingest_columns`` reads.
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
            names[field] = str(spec.name) if spec.name is not None else field.split(":")[-1]
        elif isinstance(spec, (np.ndarray, list, tuple, pd.Index, pd.api.extensions.ExtensionArray)):
            series[field] = spec
            names[field] = field.split(":")[-1]
        else:
            if df is None or spec not in df.columns:
                shown = "no frame" if df is None else "the frame has: " + ", ".join(map(str, df.columns))
                other = ", or give every row one action with action_value='share'" if field == "action" else ""
                role, keyword = FIELD_ROLES.get(field, field), f"{field}='COLUMN'"
                if field.startswith("targets:"):  # a wide frame's column: targets={action: column}
                    action = field.split(":", 2)[1]
                    role, keyword = f"{action} target", f"targets={{'{action}': 'COLUMN'}}"
                raise _core.InputError(f"{label}: no column '{spec}' for the {role} ({shown}); name its column with "
                                       f"{keyword} or pass it as a Series{other}")
            if not isinstance(df.columns.get_loc(spec), int):
                raise _core.InputError(f"{label}: column '{spec}' appears more than once in the frame's columns; "
                                       f"rename one (df.columns) or pass the one meant as a Series")
            names[field] = str(spec)
            series[field] = df[spec]
    # Each field's name must be its own: the rejects ledger keys a row's cells by name (two Series called 'x' become
    # 'x' and 'x#2'). Two fields naming one column of the frame keep its name: the cell is the same.
    taken = {}
    for field in list(names):
        name, source = names[field], given[field]
        key = id(source) if not isinstance(source, str) else ("column", source)
        n = 1
        while name in taken and taken[name] != key:
            n += 1
            name = f"{names[field]}#{n}"
        taken[name] = key
        names[field] = name
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


def cells_of(column):
    """A column as NumPy arrays for ``_core.ingest_columns``: (values, missing or None, is_datetime). Datetimes
    become int64 ms since the epoch, UTC (naive ones taken as UTC); nullable extension columns their NumPy values
    with a mask; everything else its NumPy array (object columns as they are: C++ reads each cell)."""
    import pandas as pd

    dtype = column.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        column = column.dt.tz_convert("UTC").dt.tz_localize(None)
        dtype = column.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        missing = column.isna().to_numpy()
        ns = column.to_numpy(dtype="datetime64[ns]").view(np.int64)
        return np.floor_divide(ns, 1_000_000), missing, True
    if isinstance(dtype, pd.CategoricalDtype):
        return column.astype(object).to_numpy(), column.isna().to_numpy(), False
    if pd.api.types.is_extension_array_dtype(dtype):
        missing = column.isna().to_numpy()
        numpy_dtype = getattr(dtype, "numpy_dtype", None)
        if numpy_dtype is not None and numpy_dtype.kind in "iub":
            return column.to_numpy(dtype=numpy_dtype, na_value=0), missing, False
        if numpy_dtype is not None and numpy_dtype.kind == "f":
            return column.to_numpy(dtype=numpy_dtype, na_value=np.nan), missing, False
        return column.to_numpy(dtype=object), missing, False
    if pd.api.types.is_timedelta64_dtype(dtype):  # as pandas writes them to CSV: "0 days 00:00:01"
        missing = column.isna().to_numpy()
        return column.astype(str).to_numpy(dtype=object), missing, False
    values = column.to_numpy()
    if values.dtype.kind == "O":
        return values, column.isna().to_numpy(), False
    if values.dtype.kind in "iubf":
        return values, None, False
    return values.astype(object), column.isna().to_numpy(), False


def target_pairs(targets) -> list:
    """A wide mapping as (action, column) pairs in order: ``"url=url_id,hashtag=tags"``, or a dict whose values are
    column names or Series, or lists of them (``{"url": "url_id", "hashtag": [df.tag1, df.tag2]}``)."""
    if isinstance(targets, str):
        pairs = []
        for part in filter(None, (p.strip() for p in targets.split(","))):
            action, eq, column = part.partition("=")
            if not eq or not action.strip() or not column.strip():
                raise _core.UsageError(f"targets: '{part}' is not ACTION=COLUMN (e.g. url=url_id,hashtag=hashtag_id)")
            pairs.append((action.strip().lower(), column.strip()))
        return pairs
    if isinstance(targets, dict):
        pairs = []
        for action, value in targets.items():
            for v in (value if isinstance(value, (list, tuple)) else [value]):
                pairs.append((str(action).lower(), v))
        return pairs
    raise _core.UsageError(f"targets must be a str such as 'url=url_id,hashtag=hashtag_id' or a dict such as "
                           f"{{'url': 'url_id'}}, not {type(targets).__name__}")
