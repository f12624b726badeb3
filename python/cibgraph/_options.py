"""The Python face of the one table of options (``pipeline/include/cibgraph/options.hpp``).

Every pipeline option is declared once, in C++; ``cibgraph._core.option_table()`` hands the table over, and the
functions that take options (:func:`coordination_network`, :func:`analyze`, :func:`read_events`) get their keyword
parameters, defaults and docstring entries from it through :func:`takes_options`. Their bodies receive the keywords as
``**options`` and pass them to C++, which parses and checks each value as the CLI does (errors name the keyword).
"""

import inspect
from typing import Dict, List

from . import _core

TABLE: List[dict] = list(_core.option_table())
BY_NAME: Dict[str, dict] = {o["name"]: o for o in TABLE}

_PY_TYPES = {
    "count": "int",
    "real": "float",
    "switch": "bool",
    "flag": "bool",
    "text": "str, optional",
    "duration": "str, float or pandas.Timedelta",
    "layers": "str or list of str",
    "pairs": "str or dict, optional",
}


def options_in(*scopes: str) -> List[dict]:
    """The table's options of any of the scopes ("mapping", "coordination", "analysis"), in the table's order."""
    return [o for o in TABLE if set(o["scope"]) & set(scopes)]


def defaults(*scopes: str) -> Dict[str, object]:
    """The Python default of every option of the scopes."""
    return {o["name"]: o["default"] for o in options_in(*scopes)}


def _type_text(o: dict) -> str:
    if o["kind"] == "choice":
        return "{" + ", ".join(f'"{c}"' for c in o["choices"]) + "}"
    return _PY_TYPES[o["kind"]]


def docs(options: List[dict]) -> str:
    """numpydoc entries of the options, indented for a function's docstring."""
    lines = []
    for o in options:
        lines.append(f"    {o['name']} : {_type_text(o)}")
        lines.append(f"        {o['help_line']}")
    return "\n".join(lines) + "\n"


def takes_options(*scopes: str, only=None):
    """Decorator: the function's ``**options`` become the table's keywords of these scopes (or the names in
    ``only``) in its signature, with the table's defaults; its parameters named like an option get that option's
    default in the signature (write them ``=None`` in the code: None means the default); ``@OPTIONS@`` in its
    docstring becomes the options' descriptions."""

    def wrap(fn):
        chosen = [BY_NAME[n] for n in only] if only is not None else options_in(*scopes)
        sig = inspect.signature(fn)
        own = [p for p in sig.parameters.values() if p.kind != inspect.Parameter.VAR_KEYWORD]
        own_names = {p.name for p in own}
        head = [p.replace(default=BY_NAME[p.name]["default"]) if p.name in BY_NAME else p
                for p in own if p.kind != inspect.Parameter.KEYWORD_ONLY]
        tail = [p for p in own if p.kind == inspect.Parameter.KEYWORD_ONLY]
        middle = [inspect.Parameter(o["name"], inspect.Parameter.KEYWORD_ONLY, default=o["default"])
                  for o in chosen if o["name"] not in own_names]
        fn.__signature__ = sig.replace(parameters=head + middle + tail)
        fn._option_names = [o["name"] for o in chosen]
        if fn.__doc__:
            named = [BY_NAME[p.name] for p in head if p.name in BY_NAME]
            fn.__doc__ = fn.__doc__.replace("    @OPTIONS@\n", docs(named + [o for o in chosen
                                                                           if o["name"] not in own_names]))
        return fn

    return wrap


def given(fn, local_values: Dict[str, object], options: Dict[str, object]) -> Dict[str, object]:
    """The options of a call to a :func:`takes_options` function: its own option-named parameters (when not None)
    and ``**options``. Keywords outside the table reach C++, which refuses them with the closest name."""
    out = {k: v for k, v in local_values.items() if k in BY_NAME and v is not None}
    out.update(options)
    return out
