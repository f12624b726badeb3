"""The Python package: read_events / load_events return NumPy views; errors arrive as cibgraph exceptions."""

import gc

import numpy as np
import pytest

import cibgraph as cg

CSV = ("account_id,action,target,timestamp,text,target_time\n"
       "alice,share,p1,2024-03-01T00:00:00Z,,2024-02-29T23:00:00Z\n"
       "bob,share,p1,2024-03-01T00:00:05.250Z,hi,2024-02-29T23:00:00Z\n"
       "bob,comment,p2,2024-03-01T00:01:00Z,hi,\n"
       "mallory,share,p2,whenever,,\n")


@pytest.fixture
def events_csv(tmp_path):
    p = tmp_path / "events.csv"
    p.write_text(CSV)
    return p


def test_read_events_returns_numpy_columns(events_csv):
    ev = cg.read_events(events_csv)
    assert len(ev) == 3
    assert ev.time.dtype == np.int64 and ev.account.dtype == np.uint32 and ev.action.dtype == np.uint8
    assert list(ev.time) == [1709251200000, 1709251205250, 1709251260000]
    assert ev.accounts == ["alice", "bob"]
    assert [ev.actions[a] for a in ev.action] == ["share", "share", "comment"]
    assert ev.target_time[2] == cg.events.NO_TIME
    assert ev.text[0] == cg.events.NO_TEXT
    assert ev.provenance["rows_read"] == 4 and ev.provenance["rows_rejected"] == 1
    assert ev.reject_reasons == {"unparseable_time": 1}
    rej = ev.rejects
    assert list(rej["line"]) == [5] and rej["field"][0] == "timestamp"


def test_columns_are_zero_copy_views_that_outlive_the_table(events_csv):
    ev = cg.read_events(events_csv)
    t = ev.time
    assert not t.flags.owndata and not t.flags.writeable
    assert t.base is not None
    again = ev.time
    assert again.__array_interface__["data"][0] == t.__array_interface__["data"][0]  # same C++ memory
    del ev
    gc.collect()
    assert list(t) == [1709251200000, 1709251205250, 1709251260000]  # still valid: the array keeps the table alive


def test_to_pandas(events_csv):
    df = cg.read_events(events_csv).to_pandas()
    assert list(df.columns) == ["account", "action", "target", "time", "text", "target_time"]
    assert list(df["account"]) == ["alice", "bob", "bob"]
    assert str(df["time"].dtype) == "datetime64[ns, UTC]" or "UTC" in str(df["time"].dtype)
    assert df["text"].tolist() == [None, "hi", "hi"]
    assert df["target_time"].isna().tolist() == [False, False, True]


def test_save_and_load_round_trip(events_csv, tmp_path):
    ev = cg.read_events(events_csv)
    ev.save(tmp_path / "d.h5")
    back = cg.load_events(tmp_path / "d.h5")
    for col in ("account", "action", "target", "time", "text", "target_time"):
        assert np.array_equal(getattr(ev, col), getattr(back, col)), col
    assert back.accounts == ev.accounts and back.texts == ev.texts
    assert back.provenance == ev.provenance


def test_errors_are_cibgraph_exceptions(tmp_path, events_csv):
    with pytest.raises(cg.InputError, match="no such file"):
        cg.read_events(tmp_path / "missing.csv")
    with pytest.raises(cg.InputError, match="no column 'user'"):
        cg.read_events(events_csv, account="user")
    (tmp_path / "bad.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 100)
    with pytest.raises(cg.Error):
        cg.load_events(tmp_path / "bad.h5")
    assert issubclass(cg.InputError, cg.Error) and issubclass(cg.FormatError, cg.Error)


def test_progress_callback_can_stop(tmp_path):
    p = tmp_path / "big.csv"
    p.write_text("account_id,action,target,timestamp\n" + "a,share,p,1709251200\n" * 200000)
    seen = []

    def progress(stage, done, total):
        seen.append((stage, done, total))
        return False

    with pytest.raises(KeyboardInterrupt):
        cg.read_events(p, progress=progress)
    assert seen and seen[0][0] == "ingest"


def test_graph_from_edges_views():
    g = cg.Graph.from_edges(np.array([0, 1, 1]), np.array([1, 2, 2]), weights=np.array([1.0, 2.0, 3.0]))
    assert g.num_vertices == 3 and g.num_edges == 2
    assert list(g.offsets) == [0, 1, 3, 4]
    assert list(g.targets) == [1, 0, 2, 1]
    assert list(g.weights) == [1.0, 1.0, 5.0, 5.0]
    assert g.offsets.dtype == np.uint64 and g.targets.dtype == np.uint32 and g.weights.dtype == np.float32
    assert not g.targets.flags.owndata
