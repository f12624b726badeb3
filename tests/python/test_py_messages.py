"""Error messages name what the reader typed (issue 20): Python keywords in Python (action_value='share', sync_bin),
the CLI's flags in the CLI (--action-value share, --sync-bin), from the one error that carries the option's name."""

import pandas as pd
import pytest

import cibgraph as cg

T0 = 1709251200


def test_a_jsonl_without_an_action_field(tmp_path, cli):
    path = tmp_path / "e.jsonl"
    path.write_text('{"account_id": "a", "target": "p", "timestamp": 1709251200}\n')
    with pytest.raises(cg.UsageError) as raised:
        cg.read_events(path, action="")
    assert "action_value='share'" in str(raised.value) and "--" not in str(raised.value)
    r = cli("ingest", path, "--action", "", "-o", tmp_path / "d.h5", "-q")
    assert r.returncode == 2 and "--action-value share" in r.stderr and "action_value" not in r.stderr


def test_too_many_sync_time_bins(tmp_path, cli):
    df = pd.DataFrame({"account_id": ["a", "b"], "action": "share", "target": ["p", "p"],
                       "timestamp": [T0, T0 + 1]})
    ev = cg.from_pandas(df)
    with pytest.raises(cg.UsageError) as raised:
        cg.coordination_network(ev, layers=["sync-time"], sync_bin="1ms", sync_min_events=1, progress=False)
    assert str(raised.value).endswith("use a wider sync_bin") and "--" not in str(raised.value)
    df.to_csv(tmp_path / "e.csv", index=False)
    r = cli("analyze", tmp_path / "e.csv", "--layers", "sync-time", "--sync-bin", "1ms", "--sync-min-events", "1",
            "--out", tmp_path / "out", "-q")
    assert r.returncode == 2 and r.stderr.rstrip().endswith("use a wider --sync-bin"), r.stderr


def test_a_missing_column_names_the_keyword(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("user,action,target,timestamp\na,share,p,1709251200\n")
    with pytest.raises(cg.InputError) as raised:
        cg.read_events(path)
    assert "account='user'" in str(raised.value) and "--account" not in str(raised.value)
    with pytest.raises(cg.InputError) as raised:
        cg.from_pandas(pd.read_csv(path))
    assert "account='COLUMN'" in str(raised.value) and "--" not in str(raised.value)
