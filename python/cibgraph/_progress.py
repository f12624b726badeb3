"""Progress of long C++ calls: tqdm bars in notebooks and terminals, silence elsewhere, or the caller's function.

Every long call takes ``progress=``:

* ``None`` or ``True``: tqdm bars when tqdm is importable and a notebook is running or stderr is a terminal
  (``tqdm.auto``'s widget in Jupyter when ipywidgets is installed, else a text bar); silent otherwise (logs,
  pipes, CI).
* ``False``: silent.
* a callable: called as ``progress(stage, done, total)``; returning ``False`` stops the work
  (``KeyboardInterrupt``).

Whatever the choice, Ctrl-C (or a notebook's stop button) interrupts the C++ work at its next progress point.
"""

from __future__ import annotations

import sys
from typing import Callable, Optional, Union

ProgressArg = Union[None, bool, Callable[[str, int, int], Optional[bool]]]

# The coordination pipeline reports its stages as "k of 3": shown as one bar, not one per stage.
_PIPELINE_STAGES = ("projection", "null model", "filter and clusters")
# cibgraph.analyze reports its stages as "k of 6" (ingest also reports bytes under the same name: a stage call is one
# whose total is the number of stages).
ANALYSIS_STAGES = ("ingest", "projection", "null model", "filter and clusters", "refinement", "rankings")
# Units of the stages the C++ reports, for the bars' labels.
_UNITS = {"ingest": "B", "storing": "B", "co-action sweep": "events"}


def in_notebook() -> bool:
    """True inside a Jupyter kernel (an IPython shell that talks to a frontend over ZMQ)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # pragma: no cover - IPython present but broken
        return False
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _tqdm_class(notebook: bool):
    """tqdm.auto's bar (the notebook widget) in a notebook with ipywidgets, else the text bar; None without tqdm."""
    try:
        if notebook:
            try:
                import ipywidgets  # noqa: F401  (tqdm's widget needs it; without it, text bars in the cell)
                from tqdm.auto import tqdm
                return tqdm
            except ImportError:
                pass
        from tqdm.std import tqdm
    except ImportError:
        return None
    return tqdm


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class TqdmProgress:
    """A progress callback drawing one tqdm bar per stage (the pipeline's stages share one bar).

    ``stages`` names the steps that share one bar (``steps``, titled ``title``): the coordination pipeline's three
    by default, :data:`ANALYSIS_STAGES` for :func:`cibgraph.analyze`.
    """

    def __init__(self, tqdm_class, stages=_PIPELINE_STAGES, title: str = "coordination"):
        self._tqdm = tqdm_class
        self._bar = None
        self._stage = None
        self._steps = tuple(stages)
        self._title = title

    def __call__(self, stage: str, done: int, total: int):
        step = stage in self._steps and total == len(self._steps)
        key = self._title if step else stage
        if key != self._stage:
            self.close()
            self._stage = key
            if step:
                self._bar = self._tqdm(total=len(self._steps), desc=self._title, unit="stage", leave=False)
            else:
                unit = _UNITS.get(stage, "")
                self._bar = self._tqdm(total=total or None, desc=stage, unit=unit or "it",
                                       unit_scale=unit == "B", leave=False)
        bar = self._bar
        if step:
            bar.set_postfix_str(stage, refresh=False)
        elif total and bar.total != total:
            bar.total = total
        if done > bar.n:
            bar.update(done - bar.n)
        return None

    def close(self):
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        self._stage = None


class _Caller:
    """Adapts a user's callable; nothing to close."""

    def __init__(self, fn):
        self._fn = fn

    def __call__(self, stage, done, total):
        return self._fn(stage, done, total)

    def close(self):
        pass


def resolve(progress: ProgressArg, stages=_PIPELINE_STAGES, title: str = "coordination"):
    """The callback to hand to the C++ call (or None for silence) and an object to close() afterwards.

    Parameters
    ----------
    progress : None, bool or callable
        See the module docstring.
    stages : sequence of str
        Steps reported as "k of len(stages)" that tqdm shows as one bar.
    title : str
        That bar's title.

    Returns
    -------
    callback : callable or None
    closer : object with a ``close()`` method
    """
    if progress is False:
        return None, _Caller(None)
    if progress is None or progress is True:
        notebook = in_notebook()
        tqdm = _tqdm_class(notebook) if notebook or _stderr_is_terminal() else None
        if tqdm is not None:
            bars = TqdmProgress(tqdm, stages, title)
            return bars, bars
        return None, _Caller(None)
    if callable(progress):
        return progress, _Caller(progress)
    raise TypeError(f"progress must be None, True, False or a callable, not {type(progress).__name__}")


def run_with_progress(progress: ProgressArg, call, stages=_PIPELINE_STAGES, title: str = "coordination"):
    """Runs ``call(callback)`` with the resolved callback and closes the bars afterwards, also on errors."""
    callback, closer = resolve(progress, stages, title)
    try:
        return call(callback)
    finally:
        closer.close()
