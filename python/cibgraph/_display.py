"""Compact HTML summaries for Jupyter (``_repr_html_``). Every string that comes from data (account ids, targets,
layer names read from a file) is escaped: account names are chosen by whoever made the accounts."""

from __future__ import annotations

import html
from typing import Iterable, Sequence

from . import _core

_STYLE = "border-collapse:collapse;font-size:0.9em"
_CELL = "padding:2px 8px;text-align:left;border-bottom:1px solid #ddd"


def esc(value) -> str:
    """The value as HTML text (quotes escaped too, so it is also safe inside attributes)."""
    return html.escape(str(value), quote=True)


def count(n) -> str:
    """A count as the CLI and the report spell it (format.hpp): "2,455"."""
    return _core.format_count(int(n) if _is_int(n) else float(n))


def ratio(x) -> str:
    """Any other real, 3 significant digits as everywhere: "0.638", "2,460", "1.23e-5"; not a number: an en dash."""
    return _core.format_ratio(float(x))


def p(x) -> str:
    """A p-value: as ratio, and "below 1e-300" where that is the truth (a p-value that underflowed to 0 included)."""
    return _core.format_p(float(x))


def duration(seconds) -> str:
    """A duration in seconds as the CLI and the report spell it: "12.5 s", "2 min 5 s", "2 h 30 min"."""
    return _core.format_duration(float(seconds))


def counted(n, singular: str, plural: str = "") -> str:
    """The count and its noun, singular for exactly 1: "1 cluster", "2,455 accounts"."""
    return _core.format_counted(float(n), singular, plural)


def _is_int(x) -> bool:
    return isinstance(x, int) or (hasattr(x, "dtype") and getattr(x.dtype, "kind", "") in "iu")


def number(x) -> str:
    """A cell or fact: yes/no, a count (integers), a ratio (reals), or escaped text; the same spelling as the CLI's
    and the report's (count, ratio)."""
    if isinstance(x, bool) or (hasattr(x, "dtype") and getattr(x.dtype, "kind", "") == "b"):
        return "yes" if x else "no"
    if _is_int(x):
        return count(x)
    if isinstance(x, float) or (hasattr(x, "dtype") and getattr(x.dtype, "kind", "") == "f"):
        return ratio(x)
    return esc(x)


def table(header: Sequence[str], rows: Iterable[Sequence], raw_columns: Sequence[int] = (),
          p_columns: Sequence[int] = ()) -> str:
    """An HTML table; cells are escaped (numbers formatted) except in raw_columns, which hold ready HTML; the cells
    of p_columns are p-values (p)."""
    out = [f'<table style="{_STYLE}"><thead><tr>']
    out += [f'<th style="{_CELL}">{esc(h)}</th>' for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            text = cell if i in raw_columns else p(cell) if i in p_columns else number(cell)
            out.append(f'<td style="{_CELL}">{text}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def facts(title: str, items: Sequence[tuple]) -> str:
    """A bold title and a line of "name: value" facts."""
    parts = [f"{esc(k)}: <b>{number(v)}</b>" for k, v in items]
    return f"<div><b>{esc(title)}</b><br>{' &middot; '.join(parts)}</div>"


def names(values: Sequence[str], limit: int = 5) -> str:
    """The first few strings, escaped, and how many more."""
    shown = ", ".join(esc(v) for v in list(values)[:limit])
    more = len(values) - limit
    return shown + (f" &hellip; (+{count(more)})" if more > 0 else "")
