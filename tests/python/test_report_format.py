"""The report page's number formats (report/src/format.js) against the shared table of cases
(tests/format_cases.json), which the C++ formats of the CLI and the report's sentences pass too
(tests/cpp/core/test_format.cpp): one number, one spelling."""

import json
import shutil
import subprocess

import numpy as np
import pytest

from conftest import ROOT

NODE = shutil.which("node")


def test_format_js_agrees_with_the_shared_table():
    if NODE is None:
        pytest.skip("node is missing (Debian package nodejs; scripts/bootstrap installs it)")
    r = subprocess.run([NODE, str(ROOT / "report" / "tests" / "format.mjs")], capture_output=True, text=True,
                       timeout=60)
    result = json.loads(r.stdout)
    assert r.returncode == 0 and result["ok"], "\n".join(result["failures"])
    cases = json.loads((ROOT / "tests" / "format_cases.json").read_text(encoding="utf-8"))
    assert result["checked"] >= sum(len(v) for k, v in cases.items() if k != "about")


def test_python_formats_agree_with_the_shared_table():
    """Python's reprs and notebook tables use the C++ rules through cibgraph._core: the same table of cases."""
    from cibgraph import _core, _display

    cases = json.loads((ROOT / "tests" / "format_cases.json").read_text(encoding="utf-8"))
    special = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}
    functions = {"count": _core.format_count, "ratio": _core.format_ratio, "p": _core.format_p,
                 "duration": _core.format_duration}
    checked = 0
    for kind, fn in functions.items():
        for x, want in cases[kind]:
            x = special.get(x, x) if isinstance(x, str) else float(x)
            assert fn(x) == want, (kind, x)
            checked += 1
    for x, singular, plural, want in cases.get("counted", []):
        assert _core.format_counted(float(x), singular, plural or "") == want
        checked += 1
    assert checked >= 95
    # Python integers keep every digit (they are not rounded through a double), numpy scalars are numbers too.
    assert _core.format_count(9007199254740993) == "9,007,199,254,740,993"
    assert _display.number(np.int64(2455)) == "2,455" and _display.number(np.float64(0.638138)) == "0.638"
    assert _display.number(np.bool_(True)) == "yes" and _display.number(float("nan")) == "\u2013"
    assert _display.p(0.0) == "below 1e-300" and _display.counted(1, "cluster") == "1 cluster"
