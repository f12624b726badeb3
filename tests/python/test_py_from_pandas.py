"""cg.from_pandas (issue 20): the columns cross to C++ as NumPy arrays, through the same validation and rejects ledger
as a file, with ids kept as the user wrote them (no "23678.0"), Series accepted as columns, and no temporary file."""

import json
import tempfile

import numpy as np
import pandas as pd
import pytest

import cibgraph as cg

T0 = 1709251200  # 2024-03-01T00:00:00Z


def frame(**columns):
    base = {"account_id": ["a", "b", "c"], "action": ["share"] * 3, "target": ["p1", "p1", "p2"],
            "timestamp": [T0, T0 + 1, T0 + 2]}
    base.update(columns)
    return pd.DataFrame(base)


def test_integer_ids_with_missing_values_stay_integers():
    # pandas turns an integer column with a missing value into floats: the ids are still 23678, not 23678.0.
    upcast = frame(account_id=[23678, None, 7], target=[101, 102, None])
    assert upcast.account_id.dtype == np.float64
    ev = cg.from_pandas(upcast)
    assert ev.accounts == ["23678"] and ev.targets == ["101"]
    assert list(ev.rejects.line) == [2, 3] and list(ev.rejects.field) == ["account_id", "target"]
    nullable = frame(account_id=pd.array([23678, None, 7], dtype="Int64"), target=pd.array([1, 2, 3], dtype="UInt8"))
    ev = cg.from_pandas(nullable)
    assert ev.accounts == ["23678", "7"] and ev.targets == ["1", "3"] and ev.reject_reasons == {"missing_field": 1}
    plain = frame(account_id=np.array([2**40, -5, 0], dtype=np.int64), target=np.array([1.5, 2.0, 1e20]))
    ev = cg.from_pandas(plain)
    assert ev.accounts == [str(2**40), "-5", "0"] and ev.targets == ["1.5", "2", "1e+20"]  # as JSON writes it
    mixed = frame(account_id=["x", 12, 3.0], target=[np.int64(5), "p", True])  # object columns: each cell as written
    ev = cg.from_pandas(mixed)
    assert ev.accounts == ["x", "12", "3"] and ev.targets == ["5", "p", "true"]
    strings = frame(account_id=pd.array(["u1", None, "u3"], dtype="string"),
                    target=pd.Categorical(["p1", "p1", None]))
    ev = cg.from_pandas(strings)
    assert ev.accounts == ["u1"] and ev.targets == ["p1"] and ev.reject_reasons == {"missing_field": 2}


def test_times_as_datetimes_numbers_and_text():
    naive = pd.to_datetime(["2024-03-01 00:00:00", "2024-03-01 00:00:01.5", None])
    ev = cg.from_pandas(frame(timestamp=naive))  # naive datetimes are UTC; NaT is a missing time
    assert list(ev.time) == [T0 * 1000, T0 * 1000 + 1500] and ev.reject_reasons == {"missing_field": 1}
    berlin = naive.tz_localize("Europe/Berlin")
    assert list(cg.from_pandas(frame(timestamp=berlin)).time) == [(T0 - 3600) * 1000, (T0 - 3600) * 1000 + 1500]
    # A datetime column is a time whatever time_format says; numbers follow the time_format rules of files.
    assert len(cg.from_pandas(frame(timestamp=naive), time_format="iso8601")) == 2
    assert list(cg.from_pandas(frame(timestamp=[T0 * 1000, T0 * 1000 + 5, T0 * 1000 + 9])).time) == [
        T0 * 1000, T0 * 1000 + 5, T0 * 1000 + 9]  # unix_ms detected
    assert list(cg.from_pandas(frame(timestamp=[T0 + 0.25, T0 + 1.0, np.nan])).time) == [T0 * 1000 + 250,
                                                                                          (T0 + 1) * 1000]
    assert len(cg.from_pandas(frame(timestamp=[T0, T0, T0]), time_format="iso8601")) == 0  # numbers are not ISO
    text = cg.from_pandas(frame(timestamp=["2024-03-01T00:00:00Z", "soon", "2024-03-01 00:00:02"]))
    assert list(text.time) == [T0 * 1000, (T0 + 2) * 1000] and text.reject_reasons == {"unparseable_time": 1}
    tt = cg.from_pandas(frame(target_time=pd.to_datetime(["2024-02-01", None, "2024-02-02"], utc=True)))
    assert tt.target_time[1] == cg.events.NO_TIME and tt.target_time[0] == (T0 - 29 * 86400) * 1000


def test_the_same_events_and_ledger_as_the_file(tmp_path):
    """A frame and the CSV file of the same rows give the same events, dictionaries and rejects (the rows go through
    the one validation of core/src/ingest.cpp)."""
    df = pd.DataFrame({
        "account_id": ["alice", "bob", "", "carol", "dave", "é\u0301", "bob"],
        "action": ["share", "SHARE", "share", "", "reply", "share", "comment"],
        "target": ["p1", "p1", "p2", "p3", "", "p4", "p2"],
        "timestamp": ["2024-03-01T00:00:00Z", "2024-03-01T00:00:05.250Z", "2024-03-01T00:00:06Z",
                      "2024-03-01T00:00:07Z", "2024-03-01T00:00:08Z", "yesterday", "2024-03-01T00:01:00Z"],
        "text": ["hi", None, "x", None, None, None, "hi"],
    })
    df.to_csv(tmp_path / "same.csv", index=False)
    from_file = cg.read_events(tmp_path / "same.csv", rejects=tmp_path / "file_rejects.csv")
    from_frame = cg.from_pandas(df, rejects=tmp_path / "frame_rejects.csv")
    for column in ("account", "action", "target", "time", "text"):
        assert np.array_equal(getattr(from_file, column), getattr(from_frame, column)), column
    assert from_file.accounts == from_frame.accounts and from_file.targets == from_frame.targets
    assert from_file.actions == from_frame.actions and from_file.texts == from_frame.texts
    assert from_file.reject_reasons == from_frame.reject_reasons
    file_rej, frame_rej = from_file.rejects, from_frame.rejects
    assert list(file_rej.line - 1) == list(frame_rej.line)  # the file's line 1 is its header
    assert list(file_rej.field) == list(frame_rej.field) and list(file_rej.reason) == list(frame_rej.reason)
    ledger = pd.read_csv(tmp_path / "frame_rejects.csv", keep_default_na=False)
    assert set(ledger.source_file) == {"pandas.DataFrame"} and list(ledger.line) == [3, 4, 5, 6]
    assert json.loads(ledger.raw[0]) == {"account_id": "", "action": "share", "target": "p2",
                                         "timestamp": "2024-03-01T00:00:06Z", "text": "x"}
    prov = from_frame.provenance
    assert prov["inputs"][0]["path"] == "pandas.DataFrame" and prov["inputs"][0]["format"] == "pandas"
    assert len(prov["inputs"][0]["sha256"]) == 64
    assert prov["rows_read"] == 7 == prov["rows_accepted"] + prov["rows_rejected"]
    assert cg.from_pandas(df.copy()).provenance["inputs"][0]["sha256"] == prov["inputs"][0]["sha256"]


def test_no_temporary_file(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))
    ev = cg.from_pandas(frame())
    assert len(ev) == 3 and not list(scratch.iterdir())


def test_series_as_columns(tmp_path):
    df = pd.DataFrame({"user": ["A", "B", None], "url": ["x", "x", "y"], "at": [T0, T0 + 1, T0 + 2]},
                      index=[10, 20, 30])
    lower = df["user"].str.lower()
    ev = cg.from_pandas(df, account=lower, target="url", time="at", action_value="share")
    assert ev.accounts == ["a", "b"] and list(ev.rejects.row) == [30] and list(ev.rejects.field) == ["user"]
    # A Series with another index is aligned on the frame's rows, as df.assign aligns.
    shuffled = lower.iloc[::-1]
    assert cg.from_pandas(df, account=shuffled, target="url", time="at", action_value="share").accounts == ["a", "b"]
    # An unnamed Series or an array is named by its keyword in the ledger.
    unnamed = pd.Series(["a", None, "c"], index=df.index)
    ev = cg.from_pandas(df, account=unnamed, target="url", time="at", action_value="share")
    assert list(ev.rejects.field) == ["account"]
    ev = cg.from_pandas(df, account=np.array(["a", "b", "c"], dtype=object), target="url", time="at",
                        action_value="share")
    assert ev.accounts == ["a", "b", "c"]
    # No frame at all: the Series themselves.
    ev = cg.from_pandas(account=df["user"], target=df["url"], time=df["at"], action_value="share")
    assert ev.accounts == ["A", "B"] and list(ev.rejects.row) == [30]
    # read_events passes them on.
    ev = cg.read_events(df, account=lower, target="url", time="at", action_value="share")
    assert ev.accounts == ["a", "b"]
    with pytest.raises(cg.UsageError, match="has 2 values for 3 rows"):
        cg.from_pandas(df, account=["a", "b"], target="url", time="at", action_value="share")


def test_lists_and_other_cells():
    df = frame(target=[["p1", "p2"], "p3", {"not": "a value"}], account_id=["a", "b", "c"])
    ev = cg.from_pandas(df)
    assert [ev.targets[t] for t in ev.target] == ["p1", "p2", "p3"] and list(ev.account) == [0, 0, 1]
    assert ev.reject_reasons == {"not_scalar": 1} and ev.rejects.field[0] == "target"
    nested = cg.from_pandas(frame(target=[["p1", ["p2"]], "p3", "p4"], account_id=["a", ["b"], "c"]))
    assert nested.reject_reasons == {"not_scalar": 2} and nested.accounts == ["c"]
    assert list(nested.rejects.field) == ["target", "account_id"]
    empty = cg.from_pandas(frame(target=[[], ["p1", None], np.array(["p5", "p6"])]))
    assert empty.reject_reasons == {"missing_field": 2} and empty.targets == ["p5", "p6"]


def test_missing_columns_name_the_keywords():
    df = frame()
    with pytest.raises(cg.InputError, match=r"no column 'user' for the account .*account='COLUMN'"):
        cg.from_pandas(df, account="user")
    with pytest.raises(cg.InputError, match=r"no column 'kind' for the action.*action_value='share'"):
        cg.from_pandas(df.drop(columns="action"), action="kind")
    assert "--" not in str(pytest.raises(cg.InputError, cg.from_pandas, df, time="when").value)


def test_durations_take_a_pandas_timedelta():
    rows = [(acc, "share", f"post{i}", T0 + i * 3600 + lag) for i in range(20)
            for acc, lag in (("a", 0), ("b", 100), ("c", 250))]
    ev = cg.from_pandas(pd.DataFrame(rows, columns=["account_id", "action", "target", "timestamp"]))
    by_text = cg.coordination_network(ev, layers=["co-share"], window="5min", filter="none", progress=False)
    by_delta = cg.coordination_network(ev, layers=["co-share"], window=pd.Timedelta("5min"), filter="none",
                                       progress=False)
    assert by_delta.window_ms == by_text.window_ms == 300_000 and by_delta.options["window"] == "300s"
    pd.testing.assert_frame_equal(by_delta.to_pandas(), by_text.to_pandas())
    short = cg.coordination_network(ev, layers=["co-share"], window=pd.Timedelta(seconds=120), filter="none",
                                    progress=False)
    assert short.window_ms == 120_000 and len(short.to_pandas()) < len(by_text.to_pandas())


def test_a_wide_frame_maps_columns_to_actions(tmp_path):
    if "targets" not in {o["name"] for o in cg._core.option_table()}:
        pytest.skip("the targets mapping option is not in this build's option table")
    df = pd.DataFrame({"user": ["a", "b", "c", "d"], "created_at": [T0, T0 + 1, T0 + 2, T0 + 3],
                       "url_id": ["u1", None, "u2", None], "tag1": ["h1", "h2", None, None],
                       "tag2": [None, "h3", None, None]})
    df.to_csv(tmp_path / "wide.csv", index=False)
    targets = {"url": "url_id", "hashtag": ["tag1", "tag2"]}
    from_file = cg.read_events(tmp_path / "wide.csv", account="user", time="created_at", targets=targets)
    from_frame = cg.from_pandas(df, account="user", time="created_at", targets=targets)
    for column in ("account", "action", "target", "time"):
        assert np.array_equal(getattr(from_file, column), getattr(from_frame, column)), column
    assert from_frame.actions == from_file.actions and from_frame.targets == from_file.targets
    assert from_frame.provenance["rows_without_target"] == from_file.provenance["rows_without_target"] == 1
    # As text, with Series, and with a list cell: one event per element.
    as_text = cg.from_pandas(df, account="user", time="created_at", targets="url=url_id,hashtag=tag1,hashtag=tag2")
    assert np.array_equal(as_text.target, from_frame.target)
    listed = cg.from_pandas(df.assign(tags=[["h1"], ["h2", "h3"], [], None]), account="user", time="created_at",
                            targets={"url": df["url_id"], "hashtag": "tags"})
    assert [listed.targets[t] for t in listed.target] == [listed.targets[t] for t in from_frame.target]
    with pytest.raises(cg.InputError, match=r"no column 'nope' for the url target.*targets=\{'url': 'COLUMN'\}"):
        cg.from_pandas(df, account="user", time="created_at", targets={"url": "nope"})


def test_analyze_takes_series_for_a_frames_columns():
    rows = [(acc, f"post{i}", T0 + i * 3600 + lag) for i in range(30)
            for acc, lag in (("A", 0), ("B", 2), ("C", 5), ("D", 7))]
    rows += [(f"o{k}", f"post{i}", T0 + i * 3600 + 900 + 97 * k) for i in range(30) for k in range(5)]
    df = pd.DataFrame(rows, columns=["user", "url", "at"])
    by_name = cg.analyze(df.assign(user=df.user.str.lower()), account="user", target="url", time="at",
                         action_value="share", progress=False)
    by_series = cg.analyze(df, account=df.user.str.lower(), target="url", time="at", action_value="share",
                           progress=False)
    pd.testing.assert_frame_equal(by_series.accounts, by_name.accounts)
    assert "account=<Series 'user'>" in by_series.report["run"]["command"]


def test_what_a_review_found_in_the_frame_path():
    """Each case below once went wrong on the DataFrame path while the CSV path of the same rows was right."""
    # A column name the frame has twice: a clear error naming it (was pandas' "truth value of a DataFrame").
    twice = pd.DataFrame([["a", "share", "p", T0, "b"]], columns=["account_id", "action", "target", "timestamp",
                                                                  "account_id"])
    with pytest.raises(cg.InputError, match="column 'account_id' appears more than once"):
        cg.from_pandas(twice)
    # Two ways of giving one thing are refused, as for files (one was silently ignored).
    wide = pd.DataFrame({"user": ["a", "b"], "act": ["share", "share"], "post": ["p", "q"], "ts": [T0, T0 + 1],
                         "u": ["x.org", "y.org"]})
    with pytest.raises(cg.UsageError, match="give targets or target, action and action_value, not both"):
        cg.from_pandas(wide, account="user", time="ts", target="post", targets={"url": "u"})
    with pytest.raises(cg.UsageError, match="give action or action_value, not both"):
        cg.from_pandas(wide, account="user", time="ts", target="post", action="act", action_value="share")
    # max_field_bytes applies to a frame's cells; the options about a file's bytes are refused, not ignored.
    long_text = frame(text=["x" * 50, "short", "short"])
    ev = cg.read_events(long_text, text="text", max_field_bytes=10, progress=False)
    assert ev.reject_reasons == {"oversized_field": 1} and len(ev) == 2
    assert cg.analyze(long_text, text="text", max_field_bytes=10, progress=False).report["rows"]["rejected"] == 1
    with pytest.raises(cg.UsageError, match="delimiter apply to files, not to a DataFrame"):
        cg.read_events(long_text, delimiter=";", progress=False)
    # Two Series of one name are two columns: both kept, the second named x#2 in the ledger.
    d = pd.DataFrame({"account_id": ["a", "b"], "timestamp": ["bad", T0], "x": ["u1", "u2"]})
    ev = cg.from_pandas(d, account=d.x, target=d.x.str.upper(), action_value="share")
    assert json.loads(ev.rejects.raw[0]) == {"x": "u1", "x#2": "U1", "timestamp": "bad"}
    ev = cg.from_pandas(d.assign(timestamp=T0), targets={"url": d.x, "domain": d.x.str.upper()})
    assert sorted(ev.targets) == ["U1", "U2", "u1", "u2"]
    # Cells as the CSV of the column spells them: NumPy bools in an object column, float32, timedelta64, a 0-d array.
    cells = frame(target=pd.Series([np.True_, True, "x"], dtype=object))
    assert cg.from_pandas(cells).targets == ["true", "x"]
    assert cg.from_pandas(frame(target=np.array([0.1, 2.5, 3], dtype=np.float32))).targets == ["0.1", "2.5", "3"]
    deltas = cg.from_pandas(frame(target=pd.to_timedelta([1, 2, 3], unit="s")))
    assert deltas.targets == ["0 days 00:00:01", "0 days 00:00:02", "0 days 00:00:03"]
    zero_d = cg.from_pandas(frame(target=pd.Series([np.array(5), "x", "x"], dtype=object)))
    assert zero_d.targets == ["5", "x"] and zero_d.reject_reasons == {}
    # A NumPy timedelta64 is a duration like a pandas Timedelta.
    ev = cg.from_pandas(frame())
    net = cg.coordination_network(ev, window=np.timedelta64(90, "s"), progress=False)
    assert net.window_ms == 90_000
