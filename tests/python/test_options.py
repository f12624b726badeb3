"""The one table of options (pipeline/include/cibgraph/options.hpp) reaches every front end with the same name,
default and help: the CLI's flags and --help, the Python signatures and docstrings, the stored parameters and the
reader that restores them."""

import inspect
import json
import os
import re
import subprocess

import pytest

import cibgraph as cg
from cibgraph import _core, _options

BUILD = os.environ.get("CIBGRAPH_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CLI = os.path.join(BUILD, "bin", "cibgraph")
TABLE = _core.option_table()

# Front ends of each scope: (CLI command, Python function).
FRONT_ENDS = {
    "mapping": [("ingest", cg.read_events), ("analyze", cg.analyze)],
    "coordination": [("project", cg.coordination_network), ("analyze", cg.analyze)],
    "analysis": [("analyze", cg.analyze)],
}


def cli_help(command):
    return subprocess.run([CLI, command, "--help"], capture_output=True, text=True, check=True).stdout


def test_table_has_every_scope_and_no_option_twice():
    names = [o["name"] for o in TABLE]
    assert len(names) == len(set(names)) == 51
    for scope in FRONT_ENDS:
        assert any(scope in o["scope"] for o in TABLE)
    assert {"cluster_alpha", "min_excess", "min_cluster_size"} <= set(names)


@pytest.mark.parametrize("option", TABLE, ids=[o["name"] for o in TABLE])
def test_every_option_reaches_every_front_end_with_the_same_default(option):
    for scope in option["scope"]:
        for command, function in FRONT_ENDS[scope]:
            # CLI: the flag with the table's help line (range and default included).
            help_text = cli_help(command)
            line = next((l for l in help_text.splitlines() if re.search(rf"(^|\s){option['flag']}(\s|$)", l)), None)
            assert line is not None, f"cibgraph {command} --help lacks {option['flag']}"
            following = help_text[help_text.index(line):]
            assert option["help_line"] in " ".join(following.split()), (command, option["name"])
            # Python: the keyword with the table's default, and its description in the docstring.
            params = inspect.signature(function).parameters
            assert option["name"] in params, f"{function.__name__} lacks {option['name']}"
            assert params[option["name"]].default == option["default"], (function.__name__, option["name"])
            assert f"    {option['name']} : " in function.__doc__, (function.__name__, option["name"])
            assert option["help_line"] in function.__doc__


def test_from_pandas_mapping_defaults_are_the_tables():
    params = inspect.signature(cg.from_pandas).parameters
    by_name = {o["name"]: o for o in TABLE}
    for name in ("account", "target", "time", "action", "text", "target_time", "action_value", "time_format"):
        assert params[name].default == by_name[name]["default"], name


def test_python_values_are_read_as_the_cli_reads_text():
    import datetime

    import pandas as pd

    got = _core.option_values(dict(window=pd.Timedelta("5min"), burst_scale=datetime.timedelta(hours=1),
                                   sync_bin=90, layers=["co-share", "co-url"], second_stage=False, fdr=0.05,
                                   min_core=4, cluster_alpha="1e-8"), ["coordination"])
    assert got["window"] == "300s" and got["burst_scale"] == "1h" and got["sync_bin"] == "90s"
    assert got["layers"] == "co-share,co-url" and got["second_stage"] == "off"
    assert got["fdr"] == "0.05" and got["min_core"] == "4" and got["cluster_alpha"] == "1e-08"
    defaults = _core.option_values({}, ["coordination"])
    assert set(defaults) == {o["name"] for o in TABLE if "coordination" in o["scope"]}
    assert defaults["fdr"] == "0.01" and defaults["cluster_alpha"] == "1e-06" and defaults["sync_bin"] == "1m"
    assert defaults["layers"] == "auto" and defaults["window"] == "60s" and defaults["second_stage"] == "on"


def test_errors_name_the_python_keyword(tiny_events):
    with pytest.raises(cg.UsageError, match=r"^min_tie_share must be in \[0, 1\], got 1.5$"):
        cg.coordination_network(tiny_events, min_tie_share=1.5, progress=False)
    with pytest.raises(cg.UsageError, match=r"^min_core must be a whole number, not str|^min_core needs a whole"):
        cg.coordination_network(tiny_events, min_core="x", progress=False)
    with pytest.raises(cg.UsageError, match=r"^second_stage must be True or False, not int"):
        cg.coordination_network(tiny_events, second_stage=3, progress=False)
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'windw'; did you mean 'window'\?"):
        cg.coordination_network(tiny_events, windw="30s", progress=False)
    with pytest.raises(TypeError, match=r"analyze\(\) got an unexpected keyword argument 'min_cores'; did you mean "
                                        r"'min_core'\?"):
        cg.analyze(tiny_events, min_cores=2, progress=False)


@pytest.fixture
def tiny_events(tmp_path):
    rows = ["account_id,action,target,timestamp"]
    for k in range(6):
        for a in range(5):
            rows.append(f"u{a},share,p{k},2024-03-01T{10 + k:02d}:00:{a * 3:02d}Z")
    (tmp_path / "e.csv").write_text("\n".join(rows) + "\n")
    return cg.read_events(tmp_path / "e.csv", progress=False)


def test_cluster_options_reach_python_and_survive_the_store(tiny_events, tmp_path):
    net = cg.coordination_network(tiny_events, "co-share", "30s", cluster_alpha=1e-8, min_excess=3.5,
                                  min_cluster_size=4, second_stage=False, progress=False)
    assert net.parameters["cluster_alpha"] == 1e-8
    assert net.parameters["min_excess"] == 3.5
    assert net.parameters["min_cluster_size"] == 4
    assert net.options["cluster_alpha"] == "1e-08" and net.options["window"] == "30s"
    store = tmp_path / "net.h5"
    net.save(store)
    back = cg.load_network(store)
    assert back.options == net.options  # every stored option restored, none dropped
    again = cg.coordination_network(tiny_events, **net.options, progress=False)
    assert again.parameters == net.parameters


def test_cli_and_python_store_the_same_parameters(tiny_events, tmp_path):
    src = tmp_path / "e.csv"
    cg.analyze(src, tmp_path / "py", min_cluster_size=4, cluster_alpha=1e-7, window="30s", progress=False)
    subprocess.run([CLI, "analyze", str(src), "--out", str(tmp_path / "cli"), "--min-cluster-size", "4",
                    "--cluster-alpha", "1e-7", "--window", "30s", "-q"], check=True)
    py = json.load(open(tmp_path / "py" / "report.json"))["parameters"]
    cli = json.load(open(tmp_path / "cli" / "report.json"))["parameters"]
    assert py == cli
    stored = {o["stored"] for o in TABLE if o["stored"] and set(o["scope"]) & {"coordination", "analysis"}}
    assert stored <= set(cli)
