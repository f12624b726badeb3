"""The investigator's pipeline from Python: :func:`analyze` runs what ``cibgraph analyze`` runs (ingest, co-action
layers, null model and edge filter, coordinated clusters refined by Leiden, account rankings) with the same options and
defaults, and :class:`Findings` writes the same files (report.html, report.json, accounts.csv, clusters.csv,
edges.csv, evidence.csv, rejects.csv, data.h5) through the same C++ function as the CLI.
"""

from __future__ import annotations

import json
import os
import pathlib
from typing import Dict, List, Optional, Sequence, Union

import numpy as np

from . import _core, _display, _notices, _options
from ._progress import ANALYSIS_STAGES, ProgressArg, run_with_progress
from .events import Events, PathLike, _is_dataframe, frame_mapping, from_pandas
from .network import CoordinationNetwork

# The mapping options (they apply to files and DataFrames; Events are ingested already) and their defaults.
_MAPPING_DEFAULTS = _options.defaults("mapping")

_ACCOUNT_COLUMNS = ["account_id", "cluster", "score", "pagerank", "betweenness", "degree", "core", "kept_edges",
                    "n_events", "first_seen", "last_seen"]
_CLUSTER_COLUMNS = ["cluster", "size", "density", "layers", "median_delay_s", "targets", "p_value", "observed",
                    "expected", "alpha", "score", "kept_edges", "detected_cluster", "split", "coordinated", "evidence",
                    "sync_p", "cotarget_p", "cotarget_expected", "members", "second_stage_members"]


class Findings:
    """What :func:`analyze` found: ranked accounts, flagged clusters, the coordination network and the report.

    The same analysis as ``cibgraph analyze`` (core/analysis.hpp); :meth:`write` writes the same files through the
    same C++ function, byte for byte (report.json has no ``run`` block; report.html shows when and how long).

    Attributes
    ----------
    events : Events
        The events analysed (a table of their own: the caller's Events are left as they were).
    network : CoordinationNetwork
        The pipeline's co-action network with its layers, evidence and detected clusters (before the Leiden
        refinement; :attr:`clusters` are the flagged, refined ones).
    report_path : pathlib.Path or None
        report.html of the last :meth:`write` (or of ``analyze(..., out=...)``), else None.
    """

    def __init__(self, core: "_core.Analysis", command: Sequence[str], name: str = "coaction"):
        self._core = core
        self._command = [str(c) for c in command]
        self._name = name
        self.events = Events(core.network.events)
        self.network = CoordinationNetwork(core.network, self.events)
        self.report_path: Optional[pathlib.Path] = None
        self._report_json: Optional[str] = None
        self._stages = [tuple(s) for s in core.stages]
        self._accounts = None
        self._clusters = None

    # Rankings and clusters.
    @property
    def rankings(self) -> Dict[str, np.ndarray]:
        """Per-account columns indexed by account number (``events.accounts[i]``), read-only NumPy views of the C++
        records (no copies): ``account``, ``cluster`` (0 = not flagged), ``score``, ``pagerank``, ``betweenness``,
        ``degree``, ``core``, ``kept_edges``, ``best_edge_p``, ``n_events``, ``first_seen``, ``last_seen`` (int64
        ms since the epoch, UTC)."""
        return self._core.account_columns()

    @property
    def accounts(self):
        """Every account, as accounts.csv lists them (flagged accounts by cluster, then by decreasing score; then the
        others by decreasing score), as a pandas DataFrame with accounts.csv's columns: ``account_id`` (str),
        ``cluster`` (nullable Int64, <NA> when not flagged), ``score``, ``pagerank``, ``betweenness`` (float),
        ``degree``, ``core``, ``kept_edges``, ``n_events`` (int) and ``first_seen`` / ``last_seen`` (UTC
        timestamps). The CSV rounds reals to 6 significant digits; the frame has them exactly."""
        if self._accounts is None:
            import pandas as pd

            order = self._core.account_order()
            cols = self.rankings
            cluster = cols["cluster"][order].astype(np.int64)
            n_events = cols["n_events"][order]
            frame = pd.DataFrame({
                "account_id": self.events.account_array()[order],
                "cluster": pd.arrays.IntegerArray(cluster, cluster == 0),
                "score": cols["score"][order],
                "pagerank": cols["pagerank"][order],
                "betweenness": cols["betweenness"][order],
                "degree": cols["degree"][order].astype(np.int64),
                "core": cols["core"][order].astype(np.int64),
                "kept_edges": cols["kept_edges"][order].astype(np.int64),
                "n_events": n_events.astype(np.int64),
                "first_seen": pd.to_datetime(cols["first_seen"][order], unit="ms", utc=True),
                "last_seen": pd.to_datetime(cols["last_seen"][order], unit="ms", utc=True),
            })
            frame.loc[n_events == 0, ["first_seen", "last_seen"]] = pd.NaT
            self._accounts = frame
        return self._accounts

    @property
    def clusters(self):
        """The flagged clusters, strongest first (cluster 1 is the strongest), as a pandas DataFrame with
        clusters.csv's columns; ``layers``, ``members`` and ``second_stage_members`` are lists of str (the CSV joins
        them with ``;``), ``split`` and ``coordinated`` are bool, ``median_delay_s`` is in seconds. ``evidence`` names
        what flagged the cluster: ``synchrony`` (co-actions beyond the members' habits, p ``sync_p``),
        ``co-targeting`` (the same targets beyond their popularity and the members' activity, p ``cotarget_p``
        against ``cotarget_expected`` co-acted targets), or both; ``p_value`` is min(1, 2 min(sync_p, cotarget_p))."""
        if self._clusters is None:
            import pandas as pd

            names = self.events.account_array()
            rows = []
            for c in self._core.clusters():
                rows.append({
                    "cluster": c["cluster"], "size": c["size"], "density": c["density"], "layers": list(c["layers"]),
                    "median_delay_s": c["median_delay_ms"] / 1000.0, "targets": c["targets"],
                    "p_value": c["p_value"], "observed": c["observed"], "expected": c["expected"],
                    "alpha": c["alpha"], "score": c["score"], "kept_edges": c["kept_edges"],
                    "detected_cluster": c["detected_cluster"], "split": bool(c["split"]), "coordinated": True,
                    "evidence": c["evidence"], "sync_p": c["sync_p"], "cotarget_p": c["cotarget_p"],
                    "cotarget_expected": c["cotarget_expected"],
                    "members": list(names[c["members"]]),
                    "second_stage_members": list(names[c["second_stage_members"]])})
            self._clusters = pd.DataFrame(rows, columns=_CLUSTER_COLUMNS)
        return self._clusters

    @property
    def betweenness(self) -> dict:
        """How betweenness was computed: ``exact`` (bool), ``sources`` used, ``vertices`` (accounts with a kept
        edge) and the Hoeffding ``error_bound`` at 95% (0 when exact)."""
        return self._core.betweenness

    @property
    def stages(self) -> Dict[str, float]:
        """Wall time of each stage in seconds (ingest, projection, null model, filter and clusters, refinement,
        rankings; and ``csv outputs`` once written), in order."""
        return dict(self._stages)

    @property
    def report(self) -> dict:
        """The report (schema ``cibgraph-report/1``) as a dict: report.json's members plus the ``run`` block that
        report.html shows (when, how long per stage, threads, the call); after :meth:`write` the run block has the
        ``csv outputs`` and ``data.h5`` stages too."""
        if self._report_json is None:
            self._report_json = self._core.report_json(self._command)
        return json.loads(self._report_json)

    @property
    def suggestions(self) -> List[str]:
        """When no cluster was flagged: what to try, from what the data holds (layers it has events for that were not
        compared, a wider window or the data's own estimate, where the pairs stopped), naming the keywords of
        :func:`analyze` (``window='4m'``, ``layers='auto'``); empty when a cluster was flagged. report.json's
        ``summary.suggestions`` says the same with the CLI's flags."""
        return list(self._core.suggestions)

    @property
    def parameters(self) -> dict:
        """Every option of the analysis and the seed (report.json's ``parameters``; also stored in data.h5)."""
        return json.loads(self._core.parameters_json)

    def write(self, out: PathLike) -> pathlib.Path:
        """Writes what ``cibgraph analyze`` writes into a folder (created when missing): report.html, report.json,
        accounts.csv, clusters.csv, edges.csv, evidence.csv, rejects.csv and data.h5.

        rejects.csv is written when every rejected row is known (always after files or a DataFrame; Events from
        :func:`load_events` keep only the counts, so it is not written for them when rows were rejected).

        Parameters
        ----------
        out : path
            The output folder.

        Returns
        -------
        pathlib.Path
            The report.html written (also in :attr:`report_path`).

        Raises
        ------
        InputError
            A file that cannot be written (the message names it).
        """
        folder = pathlib.Path(out)
        stages, text = self._core.write(os.fspath(folder), self._command, self._name)
        self._stages = [tuple(s) for s in stages]
        self._report_json = text
        self.report_path = folder / "report.html"
        return self.report_path

    def summary(self) -> dict:
        """What the HTML display shows, as a dict: inputs, rows, window, edges, flagged clusters and accounts, the
        betweenness method and the stage times."""
        rep = self.report
        s = rep["summary"]
        return {
            "inputs": [i["path"] for i in rep["inputs"]],
            "rows_read": rep["rows"]["read"], "rows_accepted": rep["rows"]["accepted"],
            "rows_rejected": rep["rows"]["rejected"],
            "events": s["events"], "accounts": s["accounts"],
            "window_s": rep["window"]["seconds"], "window_auto": rep["window"]["auto"],
            "layers": list(s["layers"]), "edges_tested": s["edges_tested"], "edges_kept": s["edges_kept"],
            "clusters": s["clusters"], "accounts_flagged": s["accounts_flagged"],
            "betweenness_exact": s["betweenness"]["exact"],
            "seconds": sum(t for _, t in self._stages),
        }

    def _repr_html_(self) -> str:
        s = self.summary()
        head = _display.facts("cibgraph.Findings", [
            ("events", s["events"]), ("accounts", s["accounts"]), ("window", _display.duration(s["window_s"])),
            ("kept edges", s["edges_kept"]), ("flagged clusters", s["clusters"]),
            ("accounts flagged", s["accounts_flagged"])])
        inputs = (f"<div>inputs: {_display.names(s['inputs'], limit=3)} &middot; rows read "
                  f"<b>{_display.count(s['rows_read'])}</b> = accepted <b>{_display.count(s['rows_accepted'])}</b> "
                  f"+ rejected <b>{_display.count(s['rows_rejected'])}</b> &middot; layers: {_display.esc(', '.join(s['layers']))}"
                  f"{' (window estimated)' if s['window_auto'] else ''}</div>")
        rows = []
        frame = self.clusters
        for r in frame.head(10).itertuples(index=False):
            rows.append([r.cluster, r.size, r.density, _display.duration(r.median_delay_s), r.targets, r.p_value, r.score,
                         _display.esc(r.evidence),
                         _display.esc(", ".join(r.layers)) + (" (split)" if r.split else ""),
                         _display.names(r.members)])
        table = ""
        if rows:
            table = _display.table(["cluster", "accounts", "density", "median delay", "targets", "p", "score",
                                    "evidence", "layers", "members"], rows, raw_columns=(7, 8, 9),
                                   p_columns=(5,))
            more = len(frame) - len(rows)
            if more > 0:
                table += f"<div>(+{_display.counted(more, 'more cluster')})</div>"
        if not rows:
            tips = "".join(f"<li>{_display.esc(t)}</li>" for t in self.suggestions)
            table = f"<div>No cluster was flagged.{' Try:' if tips else ''}</div>" + (f"<ul>{tips}</ul>" if tips else "")
        where = (f"<div>report: {_display.esc(self.report_path)}</div>" if self.report_path is not None else "")
        return head + inputs + table + where

    def __repr__(self) -> str:
        s = self.summary()
        where = f", report {self.report_path}" if self.report_path is not None else ""
        return (f"<cibgraph.Findings {_display.counted(s['events'], 'event')}, "
                f"{_display.counted(s['accounts'], 'account')}: {_display.counted(s['clusters'], 'flagged cluster')}, "
                f"{_display.counted(s['accounts_flagged'], 'account')} flagged{where}>")


@_options.takes_options("mapping", "coordination", "analysis")
def analyze(
    inputs,
    out: Optional[PathLike] = None,
    *,
    name: str = "coaction",
    threads: Optional[int] = None,
    progress: ProgressArg = None,
    **options,
) -> Findings:
    """The investigator's pipeline, as ``cibgraph analyze`` runs it: ingest (with the rejects ledger), co-action
    layers, the null model and edge filter, coordinated clusters refined by Leiden, and account rankings (PageRank,
    betweenness, degree, k-core, coordination score). Options have the CLI's names (without dashes) and defaults; the
    same input, options and seed give the same findings and, with ``out``, the same files byte for byte.

    Parameters
    ----------
    inputs : path, list of paths, pandas.DataFrame or Events
        CSV / JSONL exports (as :func:`read_events`), a DataFrame (as :func:`from_pandas`: its mapping options may
        also be Series) or events already read (then the mapping options below must stay at their defaults).
    out : path, optional
        Also write the CLI's outputs into this folder (see :meth:`Findings.write`).
    @OPTIONS@
    name : str
        Name of the network in data.h5 (``/graphs/NAME``, ``/results/NAME``).
    threads : int, optional
        OpenMP threads for this call (default: OpenMP's, e.g. ``OMP_NUM_THREADS``); the findings are the same on any
        count.
    progress : None, bool or callable
        ``None``/``True``: tqdm bars in notebooks and terminals; ``False``: silent; a callable gets
        ``(stage, done, total)`` (the six stages arrive as ``(name, k, 6)``) and may return False to stop. Ctrl-C
        interrupts.

    Returns
    -------
    Findings

    Warns
    -----
    EmptyLayerWarning
        A layer that read no event (its empty result compared nothing): the message names the layer, the actions it
        reads, the data's actions and the keyword that fixes it (``layers=``, ``action_value=``, ``targets=``).

    Raises
    ------
    InputError
        Missing file, no header, mapped columns that do not exist (one message names them all, with the file's
        columns and the keyword that fixes each).
    UsageError
        An unknown layer, filter or weight, a malformed duration, an option out of range (the message names the
        keyword), mapping options with Events.
    TypeError
        A keyword that is not an option (the message names the closest one).
    KeyboardInterrupt
        Ctrl-C, the notebook's stop button, or the progress callable returned False.
    """
    if threads is not None and (isinstance(threads, bool) or int(threads) < 1):
        raise _core.UsageError(f"threads must be at least 1, not {threads!r}")
    given = dict(options)
    # A DataFrame's columns may be given as Series (as from_pandas takes them): they go to from_pandas as they are.
    columns = {k: given.pop(k) for k in list(given)
               if _is_dataframe(inputs) and k in _FRAME_COLUMNS and _holds_column_data(given[k])}
    # Checked (and refused with the closest name) before anything is read.
    _core.option_values(given, ["mapping", "coordination", "analysis"], "analyze")
    core_options = dict(given, threads=None if threads is None else int(threads))

    # The record of the call (the run block's command): the inputs, then the options that differ from defaults.
    defaults = _signature_defaults()
    call = dict(given, name=name, threads=threads)
    changed = [f"{k}={v!r}" for k, v in call.items() if k in defaults and _differs(v, defaults[k])]
    changed += [f"{k}=<{type(v).__name__}{'' if getattr(v, 'name', None) is None else ' ' + repr(v.name)}>"
                for k, v in columns.items()]

    from_frame = _is_dataframe(inputs)
    read_before = isinstance(inputs, Events)  # mapping options were read_events' (the fixes name it)
    mapping_given = {k: v for k, v in given.items() if k in _MAPPING_DEFAULTS}
    if from_frame:
        inputs = from_pandas(inputs, progress=progress, **columns, **frame_mapping(mapping_given, "analyze"))
    if isinstance(inputs, Events):
        mapping = [k for k, v in mapping_given.items() if _differs(v, _MAPPING_DEFAULTS[k])]
        if mapping and not from_frame:
            raise _core.UsageError(f"analyze: {', '.join(mapping)} apply to files; these Events are read already")
        for k in mapping_given:
            core_options.pop(k)
        label = "pandas.DataFrame" if from_frame else f"<Events: {len(inputs):,} events>"
        command = ["cibgraph.analyze", label, *changed]
        events = inputs
        core = run_with_progress(progress, lambda cb: _core.analyze_ingested(events._table, core_options, cb),
                                 ANALYSIS_STAGES, "analysis")
    else:
        paths = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
        paths = [os.fspath(p) for p in paths]
        command = ["cibgraph.analyze", *paths, *changed]
        core = run_with_progress(progress, lambda cb: _core.analyze(paths, core_options, cb), ANALYSIS_STAGES,
                                 "analysis")
    _notices.warn_empty_layers(core.network, remap="read_events" if read_before else "")
    findings = Findings(core, command, name)
    if out is not None:
        findings.write(out)
    return findings


_FRAME_COLUMNS = ("account", "target", "targets", "time", "action", "text", "target_time")


def _holds_column_data(value) -> bool:
    """A keyword's value that is a column's data rather than a column's name: a Series, an array, or a targets dict
    holding them."""
    if isinstance(value, dict):
        return any(_holds_column_data(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_column_data(v) for v in value)
    return hasattr(value, "__array__")


def _signature_defaults():
    import inspect

    return {k: p.default for k, p in inspect.signature(analyze).parameters.items()
            if p.default is not inspect.Parameter.empty and k not in ("out", "progress")}


def _differs(value, default) -> bool:
    if isinstance(default, tuple):
        return list(value) != list(default)
    return value != default
