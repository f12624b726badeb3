"""The report page's number formats (report/src/format.js) against the shared table of cases
(tests/format_cases.json), which the C++ formats of the CLI and the report's sentences pass too
(tests/cpp/pipeline/test_format.cpp): one number, one spelling."""

import json
import shutil
import subprocess

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
