"""Events: reading exports, loading HDF5 data sets, and handing columns to NumPy and pandas."""

from __future__ import annotations

import os
from typing import Callable, Iterable, Optional, Sequence, Union

import numpy as np

from . import _core

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

    # Columns: NumPy views that keep the C++ table alive.
    @property
    def account(self) -> np.ndarray:
        return self._table.account

    @property
    def action(self) -> np.ndarray:
        return self._table.action

    @property
    def target(self) -> np.ndarray:
        return self._table.target

    @property
    def time(self) -> np.ndarray:
        return self._table.time

    @property
    def text(self) -> np.ndarray:
        return self._table.text

    @property
    def target_time(self) -> Optional[np.ndarray]:
        return self._table.target_time

    # Dictionaries: id -> string.
    @property
    def accounts(self) -> list:
        return self._table.accounts

    @property
    def actions(self) -> list:
        return self._table.actions

    @property
    def targets(self) -> list:
        return self._table.targets

    @property
    def texts(self) -> list:
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

        return pd.DataFrame(self._table.rejects, columns=["source_file", "line", "field", "reason", "raw"])

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return (f"<cibgraph.Events {len(self):,} events, {len(self.accounts):,} accounts, "
                f"{len(self.targets):,} targets>")

    def save(self, path: PathLike) -> None:
        """Writes the events, dictionaries and provenance to an HDF5 file (layout: docs/hdf5-layout.md)."""
        self._table.save(os.fspath(path))

    def to_pandas(self, decode: bool = True):
        """The events as a pandas DataFrame.

        With ``decode=True`` ids become strings (categoricals for account, action and target) and times
        ``datetime64[ms, UTC]``; with ``decode=False`` the raw id and millisecond columns.
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


def read_events(
    paths: Union[PathLike, Sequence[PathLike]],
    account: str = "account_id",
    target: str = "target",
    time: str = "timestamp",
    action: str = "action",
    text: Optional[str] = None,
    target_time: Optional[str] = None,
    action_value: Optional[str] = None,
    time_format: str = "auto",
    format: str = "auto",
    delimiter: Optional[str] = None,
    rejects: Optional[PathLike] = None,
    max_field_bytes: int = 1 << 20,
    max_record_bytes: int = 16 << 20,
    progress: Optional[Callable[[str, int, int], Optional[bool]]] = None,
) -> Events:
    """Reads CSV or JSONL exports into events, with the same mapping and rejects ledger as ``cibgraph ingest``.

    Parameters
    ----------
    paths : path or list of paths
        CSV (RFC 4180, ``.gz`` too) or JSONL files; the format comes from the extension or is sniffed.
    account, target, time, action, text, target_time : str
        Column names (or JSON paths ``a.b.c``) of each event field. ``text`` and ``target_time`` are
        optional; columns named ``text`` / ``target_time`` are used when present.
    action_value : str, optional
        Give every row this action (for files without an action column), e.g. ``"share"``.
    time_format : {"auto", "iso8601", "unix_s", "unix_ms"}
        Detected per file from the first value when ``"auto"``.
    rejects : path, optional
        Also write the rejected rows to this CSV file. They are always available as ``Events.rejects``.
    progress : callable, optional
        Called as ``progress(stage, done_bytes, total_bytes)``; return False to stop. Ctrl-C interrupts.

    Returns
    -------
    Events
        ``provenance`` holds the row counts: rows_read == rows_accepted + rows_rejected.

    Raises
    ------
    InputError
        Missing file, no header, a mapped column that does not exist.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    table = _core.read_events(
        [os.fspath(p) for p in paths], account, action, target, time, text or "", target_time or "",
        action_value or "", time_format, format, delimiter or "", os.fspath(rejects) if rejects else "",
        int(max_field_bytes), int(max_record_bytes), progress)
    return Events(table)


def load_events(path: PathLike) -> Events:
    """Loads events, dictionaries and provenance from a cibgraph HDF5 file (checked as it is read).

    Raises
    ------
    FormatError
        The file is not a cibgraph data set, or is truncated or corrupted.
    InputError
        The file does not exist.
    """
    return Events(_core.load_events(os.fspath(path)))
