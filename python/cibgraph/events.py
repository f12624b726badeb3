"""Events: reading exports, loading HDF5 data sets, and handing columns to NumPy and pandas."""

from __future__ import annotations

import os
from typing import Optional, Union

import numpy as np

from . import _core, _options, _display
from ._columns import cells_of, columns_of, target_pairs
from ._progress import ProgressArg, run_with_progress

NO_TEXT = np.iinfo(np.uint32).max
NO_TIME = np.iinfo(np.int64).min

PathLike = Union[str, os.PathLike]


class Events:
    """A columnar table of actions: an account did an action on a target at a time.

    Columns are read-only NumPy views of the C++ memory (no copies): ``account``, ``action``,
    ``target`` (uint32 ids into the string lists ``accounts``, ``actions``, ``targets``), ``time``
    (int64 ms since the epoch, UTC), ``text`` (uint32 id into ``texts`` or ``NO_TEXT``) and
    ``target_time`` (int64 ms or ``NO_TIME``; ``None`` when no column was mapped).
    """

    def __init__(self, table: "_core.EventTable"):
        self._table = table
        self._accounts = None

    # Columns: NumPy views that keep the C++ table alive.
    @property
    def account(self) -> np.ndarray:
        """Account number of each event (uint32, into ``accounts``)."""
        return self._table.account

    @property
    def action(self) -> np.ndarray:
        """Action code of each event (uint8, into ``actions``)."""
        return self._table.action

    @property
    def target(self) -> np.ndarray:
        """Target number of each event (uint32, into ``targets``)."""
        return self._table.target

    @property
    def time(self) -> np.ndarray:
        """Time of each event: int64 milliseconds since the Unix epoch, UTC."""
        return self._table.time

    @property
    def text(self) -> np.ndarray:
        """Text number of each event (uint32, into ``texts``), or ``NO_TEXT``."""
        return self._table.text

    @property
    def target_time(self) -> Optional[np.ndarray]:
        """Creation time of each event's target (int64 ms, or ``NO_TIME``); None when no column was mapped."""
        return self._table.target_time

    # Dictionaries: id -> string.
    @property
    def accounts(self) -> list:
        """Account ids as strings, indexed by the ``account`` column's numbers (computed once, then cached)."""
        if self._accounts is None:
            self._accounts = self._table.accounts
        return self._accounts

    def account_array(self) -> np.ndarray:
        """The account ids as a NumPy object array (cached): ``ev.account_array()[ids]`` names many ids at once."""
        if getattr(self, "_account_array", None) is None:
            self._account_array = np.asarray(self.accounts, dtype=object)
        return self._account_array

    @property
    def actions(self) -> list:
        """Action names, indexed by the ``action`` column's codes."""
        return self._table.actions

    @property
    def targets(self) -> list:
        """Target ids as strings, indexed by the ``target`` column's numbers."""
        return self._table.targets

    @property
    def texts(self) -> list:
        """Distinct texts, indexed by the ``text`` column's numbers."""
        return self._table.texts

    @property
    def provenance(self) -> dict:
        """Inputs with SHA-256 and sizes, the column mapping, version, time of ingest, row counts."""
        return self._table.provenance

    @property
    def reject_reasons(self) -> dict:
        """Rejected rows by reason code (after read_events; empty after load_events)."""
        return dict(self._table.reject_reasons)

    @property
    def rejects(self):
        """The rejected rows as a pandas DataFrame: source_file, line, field, reason, raw (bytes)."""
        import pandas as pd

        frame = pd.DataFrame(self._table.rejects, columns=["source_file", "line", "field", "reason", "raw"])
        index = getattr(self, "_source_index", None)
        if index is not None:
            rows = frame["line"].to_numpy(dtype=np.int64) - 1
            frame["row"] = index[rows] if len(rows) else pd.Series([], dtype=object)
        return frame

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return (f"<cibgraph.Events {_display.counted(len(self), 'event')}, "
                f"{_display.counted(self._table.num_accounts, 'account')}, "
                f"{_display.counted(self._table.num_targets, 'target')}>")

    def summary(self) -> dict:
        """Sizes, time range, events per action and the ingest counts, as a dict (what the HTML display shows).

        Returns
        -------
        dict
            ``events``, ``accounts``, ``targets``, ``first``, ``last`` (ISO 8601 UTC or None), ``actions``
            (action -> events), ``rows_read``, ``rows_rejected``.
        """
        import pandas as pd

        t = self.time
        counts = np.bincount(self.action, minlength=len(self.actions)) if len(self) else np.zeros(0, np.int64)
        prov = self.provenance
        first = last = None
        if len(t):
            first = pd.Timestamp(int(t.min()), unit="ms", tz="UTC").isoformat()
            last = pd.Timestamp(int(t.max()), unit="ms", tz="UTC").isoformat()
        return {"events": len(self), "accounts": self._table.num_accounts, "targets": self._table.num_targets,
                "first": first, "last": last,
                "actions": {a: int(c) for a, c in zip(self.actions, counts)},
                "rows_read": prov["rows_read"], "rows_rejected": prov["rows_rejected"]}

    def _repr_html_(self) -> str:
        s = self.summary()
        head = _display.facts("cibgraph.Events", [("events", s["events"]), ("accounts", s["accounts"]),
                                                 ("targets", s["targets"]), ("rows read", s["rows_read"]),
                                                 ("rejected", s["rows_rejected"])])
        span = f"<div>from {_display.esc(s['first'])} to {_display.esc(s['last'])}</div>" if s["first"] else ""
        actions = _display.table(["action", "events"], sorted(s["actions"].items(), key=lambda kv: -kv[1]))
        return head + span + actions

    def strings(self, kind: str, ids) -> list:
        """The strings of some ids of one dictionary, without building the whole list.

        Parameters
        ----------
        kind : {"accounts", "targets", "texts", "actions"}
        ids : array_like of int

        Returns
        -------
        list of str
        """
        return self._table.strings(kind, np.asarray(ids, dtype=np.uint32))

    def find_account(self, name: str) -> Optional[int]:
        """The number of an account id, or None when it is not in the events.

        Parameters
        ----------
        name : str
        """
        return self._table.find_account(name)

    def save(self, path: PathLike) -> None:
        """Writes the events, dictionaries and provenance to an HDF5 file (layout: docs/hdf5-layout.md).

        Parameters
        ----------
        path : path
            The file to write (replaced if it exists).
        """
        self._table.save(os.fspath(path))

    def to_pandas(self, decode: bool = True):
        """The events as a pandas DataFrame.

        Parameters
        ----------
        decode : bool
            ``True``: ids become strings (categoricals for account, action and target) and times UTC datetimes;
            ``False``: the raw id and millisecond columns (NumPy views where pandas keeps them).

        Returns
        -------
        pandas.DataFrame
        """
        import pandas as pd

        if not decode:
            cols = {"account": self.account, "action": self.action, "target": self.target,
                    "time": self.time, "text": self.text}
            if self.target_time is not None:
                cols["target_time"] = self.target_time
            return pd.DataFrame(cols)
        texts = np.asarray(self.texts + [None], dtype=object)
        text_ids = np.where(self.text == NO_TEXT, len(self.texts), self.text)
        frame = {
            "account": pd.Categorical.from_codes(self.account.astype(np.int64), categories=_unique_index(self.accounts)),
            "action": pd.Categorical.from_codes(self.action.astype(np.int64), categories=_unique_index(self.actions)),
            "target": pd.Categorical.from_codes(self.target.astype(np.int64), categories=_unique_index(self.targets)),
            # pandas stores nanoseconds: this column is necessarily a converted copy.
            "time": pd.to_datetime(self.time.astype(np.int64, copy=True), unit="ms", utc=True),
            "text": texts[text_ids],
        }
        if self.target_time is not None:
            missing = self.target_time == NO_TIME
            tt = pd.Series(pd.to_datetime(np.where(missing, 0, self.target_time), unit="ms", utc=True))
            frame["target_time"] = tt.mask(missing)
        return pd.DataFrame(frame)


def _unique_index(strings: list):
    import pandas as pd

    return pd.Index(strings, dtype=object)


@_options.takes_options("mapping")
def read_events(
    paths,
    account: Optional[str] = None,
    target: Optional[str] = None,
    time: Optional[str] = None,
    action: Optional[str] = None,
    text: Optional[str] = None,
    target_time: Optional[str] = None,
    action_value: Optional[str] = None,
    time_format: Optional[str] = None,
    format: Optional[str] = None,
    delimiter: Optional[str] = None,
    rejects: Optional[PathLike] = None,
    max_field_bytes: Optional[int] = None,
    max_record_bytes: Optional[int] = None,
    progress: ProgressArg = None,
    **options,
) -> Events:
    """Reads CSV or JSONL exports (or a pandas DataFrame) into events, with the same mapping and rejects ledger as
    ``cibgraph ingest``.

    Parameters
    ----------
    paths : path, list of paths or pandas.DataFrame
        CSV (RFC 4180, ``.gz`` too) or JSONL files; the format comes from the extension or is sniffed. A DataFrame
        goes through the same ingest (see :func:`from_pandas`).
    @OPTIONS@
    rejects : path, optional
        Also write the rejected rows to this CSV file. They are always available as ``Events.rejects``.
    progress : None, bool or callable
        ``None``/``True``: a tqdm bar in notebooks and terminals (silent otherwise); ``False``: silent; a callable is
        called as ``progress(stage, done_bytes, total_bytes)`` and may return False to stop. Ctrl-C interrupts.

    Returns
    -------
    Events
        ``provenance`` holds the row counts: rows_read == rows_accepted + rows_rejected.

    Raises
    ------
    InputError
        Missing file, no header, a mapped column that does not exist (the message names the file and column).
    KeyboardInterrupt
        Ctrl-C, the notebook's stop button, or the progress callable returned False.
    """
    given = _options.given(read_events, dict(
        account=account, target=target, time=time, action=action, text=text, target_time=target_time,
        action_value=action_value, time_format=time_format, format=format, delimiter=delimiter,
        max_field_bytes=max_field_bytes, max_record_bytes=max_record_bytes), options)
    if _is_dataframe(paths):
        return from_pandas(paths, rejects=rejects, progress=progress, **frame_mapping(given, "read_events"))
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    table = run_with_progress(progress, lambda cb: _core.read_events(
        [os.fspath(p) for p in paths], given, os.fspath(rejects) if rejects else "", cb))
    return Events(table)


DATAFRAME_LABEL = "pandas.DataFrame"
# The mapping options that describe a file's bytes: they have no meaning for a DataFrame's columns.
_FILE_ONLY = ("format", "delimiter", "max_record_bytes")
_FRAME_KEYS = ("account", "target", "targets", "time", "action", "text", "target_time", "action_value", "time_format",
               "max_field_bytes")


def frame_mapping(given: dict, function: str) -> dict:
    """The mapping options of a call given a DataFrame, as :func:`from_pandas` takes them; a file-only option set to
    anything but its default is refused (it would be ignored)."""
    defaults = _options.defaults("mapping")
    ignored = [k for k in _FILE_ONLY if k in given and given[k] != defaults.get(k)]
    if ignored:
        raise _core.UsageError(f"{function}: {', '.join(ignored)} apply to files, not to a DataFrame's columns")
    return {k: v for k, v in given.items() if k in _FRAME_KEYS}


def _is_dataframe(x) -> bool:
    return type(x).__name__ == "DataFrame" and hasattr(x, "to_json")


def from_pandas(
    df=None,
    account="account_id",
    target="target",
    time="timestamp",
    action="action",
    text=None,
    target_time=None,
    action_value: Optional[str] = None,
    time_format: str = "auto",
    rejects: Optional[PathLike] = None,
    progress: ProgressArg = None,
    targets=None,
    max_field_bytes: Optional[int] = None,
) -> Events:
    """Events from a pandas DataFrame (or Series), through the same ingest as files: same column mapping, validation
    and rejects ledger.

    The columns cross to C++ as NumPy arrays, without a file in between. Ids are kept as written: strings as they
    are, integers in decimal, and a whole-number float (an integer column that pandas turned into floats because of a
    missing value, or a nullable ``Int64``) as an integer, ``23678.0`` -> ``"23678"``. datetime64 columns are times
    (naive ones taken as UTC) whatever ``time_format`` says; numbers and strings in a time column are read with the
    ``time_format`` rules of files (unix seconds or milliseconds detected from the first value, ISO 8601). Missing
    values (None, NaN, NaT, ``pd.NA``) are missing fields, as empty CSV cells. A list in the target column gives one
    event per element, as a JSON array does. In the rejects ledger ``source_file`` is ``"pandas.DataFrame"``,
    ``line`` the row's position (1 = first row) and ``raw`` the row's mapped cells as a JSON object;
    ``Events.rejects`` adds ``row``, the row's index label.

    Parameters
    ----------
    df : pandas.DataFrame, optional
        The frame; None when every field is given as a Series.
    account, target, time, action, text, target_time : str or pandas.Series
        Each event field's column: a column name of ``df``, or a Series (``df["user"].str.lower()``, a column of
        another frame), aligned on ``df``'s index as ``df.assign`` aligns, or an array of ``len(df)`` values. A
        Series' name (else the keyword) names the field in the rejects ledger. ``text`` and ``target_time`` are
        optional (columns named so are used when present).
    action_value : str, optional
        Give every row this action (when the frame has no action column).
    time_format : {"auto", "iso8601", "unix_s", "unix_ms"}
    rejects : path, optional
        Also write the rejected rows to this CSV file.
    progress : None, bool or callable
        As for :func:`read_events`.
    targets : dict or str, optional
        A wide frame, as for files: each action's target column(s), ``{"url": "url_id", "hashtag": ["tag1",
        "tag2"]}`` (names or Series) or ``"url=url_id,hashtag=tag1"``; a row gives one event per non-empty cell (per
        element of a list), with its column's action; ``target``, ``action`` and ``action_value`` are then not given.
    max_field_bytes : int, optional
        A cell longer than this (in UTF-8 bytes) rejects its row as ``oversized_field``, as in files [1 MiB].

    Returns
    -------
    Events

    Raises
    ------
    InputError
        A mapped column that the frame does not have.
    """
    pairs = target_pairs(targets) if targets is not None else []
    # The checks of files (options.cpp check_options): two ways of giving the same thing are refused, not one ignored.
    if pairs and (not _is_name(target, "target") or not _is_name(action, "action") or action_value is not None):
        raise _core.UsageError("give targets or target, action and action_value, not both: targets names each "
                               "column's action")
    if action_value is not None and not _is_name(action, "action"):
        raise _core.UsageError("give action or action_value, not both")
    specs = {"account": account, "time": time}
    if pairs:
        specs.update({f"targets:{a}:{k}": column for k, (a, column) in enumerate(pairs)})
        action_value = None
    else:
        specs["target"] = target
        if action_value is None:
            specs["action"] = action
    for field, given in (("text", text), ("target_time", target_time)):
        if given is not None:
            specs[field] = given
        elif df is not None and field in df.columns:
            specs[field] = field  # the conventional name, used when present (as for files)
    columns, names, index = columns_of(df, specs, DATAFRAME_LABEL)
    cells = {field: (names[field], *cells_of(column)) for field, column in columns.items()
             if not field.startswith("targets:")}
    mapping = {field: names[field] for field in ("account", "target", "time", "action") if field in names}
    if pairs:
        wide = [f"targets:{a}:{k}" for k, (a, _) in enumerate(pairs)]
        cells["targets"] = [(names[f], *cells_of(columns[f])) for f in wide]
        mapping["targets"] = ",".join(f"{a}={names[f]}" for (a, _), f in zip(pairs, wide))
    for field, given in (("text", text), ("target_time", target_time)):
        if given is not None:
            mapping[field] = names[field]
    mapping.update(action_value=action_value, time_format=time_format, max_field_bytes=max_field_bytes)
    rows = len(index)
    table = run_with_progress(progress, lambda cb: _core.ingest_columns(
        cells, rows, {k: v for k, v in mapping.items() if v is not None}, os.fspath(rejects) if rejects else "", cb,
        DATAFRAME_LABEL))
    events = Events(table)
    events._source_index = index
    return events


def _is_name(spec, name: str) -> bool:
    """spec is the column name `name` (a keyword left at its default), not another name or a Series."""
    return isinstance(spec, str) and spec == name


def load_events(path: PathLike) -> Events:
    """Loads events, dictionaries and provenance from a cibgraph HDF5 file (checked as it is read).

    Parameters
    ----------
    path : path
        A store written by ``cibgraph ingest``, :meth:`Events.save` or :meth:`CoordinationNetwork.save`.

    Returns
    -------
    Events

    Raises
    ------
    FormatError
        The file is not a cibgraph data set, or is truncated or corrupted.
    InputError
        The file does not exist.
    """
    return Events(_core.load_events(os.fspath(path)))
