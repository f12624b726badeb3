"""Compact HTML summaries for Jupyter (``_repr_html_``). Every string that comes from data (account ids, targets,
layer names read from a file) is escaped: account names are chosen by whoever made the accounts."""

from __future__ import annotations

import html
from typing import Iterable, Sequence

_STYLE = "border-collapse:collapse;font-size:0.9em"
_CELL = "padding:2px 8px;text-align:left;border-bottom:1px solid #ddd"


def esc(value) -> str:
    """The value as HTML text (quotes escaped too, so it is also safe inside attributes)."""
    return html.escape(str(value), quote=True)


def number(x) -> str:
    """Integers with thousands separators, floats with 4 significant digits."""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int) or (hasattr(x, "dtype") and getattr(x.dtype, "kind", "") in "iu"):
        return f"{int(x):,}"
    if isinstance(x, float) or (hasattr(x, "dtype") and getattr(x.dtype, "kind", "") == "f"):
        return f"{float(x):.4g}"
    return esc(x)


def table(header: Sequence[str], rows: Iterable[Sequence], raw_columns: Sequence[int] = ()) -> str:
    """An HTML table; cells are escaped (numbers formatted) except in raw_columns, which hold ready HTML."""
    out = [f'<table style="{_STYLE}"><thead><tr>']
    out += [f'<th style="{_CELL}">{esc(h)}</th>' for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            text = cell if i in raw_columns else number(cell)
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
    return shown + (f" &hellip; (+{more:,})" if more > 0 else "")
