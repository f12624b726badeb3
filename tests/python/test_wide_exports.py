"""The first hour on a real export (issue 20): wide exports (`--targets` / ``targets=``: one event per non-empty
target cell, an empty cell no event and no reject), layers that read no event said loudly (a CLI warning or exit 3,
report.json's summary.warnings, Python's EmptyLayerWarning), every missing mapped column named at once with the flag
or keyword that fixes it, and --help listing the actions each layer reads."""

import csv
import json
import warnings

import pytest

import cibgraph as cg

HEADER = ["account_id", "post_id", "url_id", "hashtag_id", "domain_id", "phash_id", "timestamp"]
TARGETS = "share=post_id,url=url_id,hashtag=hashtag_id,domain=domain_id,image=phash_id"


def write_wide(path):
    """A CooRTweet-style wide export: five accounts posting the same image hash and domain within seconds (each post
    its own post_id, so co-share has events but no pairs), most cells empty, one row with no target at all."""
    base = 1629589000
    rows = []
    for k in range(4):
        for i, who in enumerate(["a", "b", "c", "d", "e"]):
            rows.append([who, f"p{k}{i}", "", "", f"dom{k}", 9280 + k, base + 600 * k + i])
    rows.append(["a", "", "u1", "", "", "", base + 5000])
    rows.append(["b", "", "u1", "#x", "", "", base + 5003])
    rows.append(["c", "", "", "", "", "", base + 5004])  # no target: accepted, no event
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    return path


EXPECTED_ACTIONS = {"share": 20, "domain": 20, "image": 20, "url": 2, "hashtag": 1}


def test_cli_wide_export_gives_one_event_per_filled_cell(cli, tmp_path):
    data = write_wide(tmp_path / "wide.csv")
    r = cli("analyze", data, "--targets", TARGETS, "--out", tmp_path / "out", "--min-core", "2", "--min-cluster-size", "2")
    assert r.returncode == 0, r.stderr
    assert "rows read 23 = accepted 23 + rejected 0" in r.stdout
    assert "1 accepted row has every mapped target cell empty: no event" in r.stdout
    assert "events 63," in r.stdout
    for action, n in EXPECTED_ACTIONS.items():
        assert f"{action}={n}" in r.stdout
    assert (tmp_path / "out" / "rejects.csv").read_text() == "source_file,line,field,reason,raw\n"
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["rows"]["without_target"] == 1 and report["rows"]["rejected"] == 0
    assert report["parameters"]["layers"] == ["co-share", "co-url", "co-hashtag", "co-image", "co-domain"]
    assert report["parameters"]["ingest"]["targets"][4] == {"action": "image", "column": "phash_id"}
    assert report["summary"]["warnings"] == []
    assert "co-image: 20 events" in r.stdout and "co-domain: 20 events" in r.stdout


def test_cli_without_targets_names_both_missing_columns_and_the_fix(cli, tmp_path):
    data = write_wide(tmp_path / "wide.csv")
    r = cli("analyze", data, "--out", tmp_path / "out", "--time", "created_at")
    assert r.returncode == 3
    err = r.stderr
    assert err.startswith(f"cibgraph: error: {data}:1: 3 mapped columns are missing:\n")
    assert "no column 'action' for the action; name the action column with --action COL, or give every row one " \
           "action with --action-value share" in err
    assert "no column 'target' for the target; name the target column with --target COL, or map each of this " \
           "header's target columns to its action with --targets " \
           "url=url_id,hashtag=hashtag_id,domain=domain_id,image=phash_id" in err
    assert "no column 'created_at' for the time; for instance --time timestamp" in err
    assert err.rstrip().endswith("the header has: " + ", ".join(HEADER))
    assert "Traceback" not in err


def test_cli_empty_layer_is_a_warning_and_in_report_json(cli, tmp_path):
    data = write_wide(tmp_path / "wide.csv")
    r = cli("analyze", data, "--targets", TARGETS, "--layers", "co-image,co-reply", "--out", tmp_path / "out",
            "--quiet")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    lines = [l for l in r.stderr.splitlines() if l.startswith("cibgraph: warning:")]
    assert len(lines) == 1
    assert lines[0].startswith("cibgraph: warning: co-reply read no events: it reads the actions reply, comment; "
                               "the data's actions are ")
    assert "share 20" in lines[0] and "(--layers co-share,co-url,co-hashtag,co-image,co-domain)" in lines[0]
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["summary"]["warnings"] == [lines[0][len("cibgraph: warning: "):]]


def test_cli_run_where_no_layer_reads_anything_fails(cli, tmp_path):
    data = write_wide(tmp_path / "wide.csv")
    # The trap: every row one action no layer reads.
    r = cli("analyze", data, "--action-value", "post", "--target", "post_id", "--out", tmp_path / "out")
    assert r.returncode == 3
    assert r.stderr.startswith("cibgraph: error: no co-action layer reads the data's actions, so nothing was compared")
    assert "The data's actions are post 20." in r.stderr
    assert "--targets url=url_id,hashtag=hashtag_id" in r.stderr
    assert not (tmp_path / "out" / "report.json").exists()
    # project on the ingested data set says the same.
    assert cli("ingest", data, "--action-value", "post", "--target", "post_id", "-o", tmp_path / "d.h5").returncode == 0
    r = cli("project", tmp_path / "d.h5", "--layers", "co-url")
    assert r.returncode == 3 and "the layer co-url read no events" in r.stderr
    # project takes no mapping options: the fix names the step that maps columns.
    assert "cibgraph ingest ... --action-value share" in r.stderr, r.stderr
    assert "cibgraph ingest ... --targets url=url_id,hashtag=hashtag_id" in r.stderr
    assert "with --action-value" not in r.stderr and "with --targets" not in r.stderr


def test_cli_help_lists_the_actions_each_layer_reads(cli):
    for command in ("analyze", "project"):
        out = cli(command, "--help").stdout
        for layer in ("co-share (share, retweet, repost, reshare, quote, rt; alias co-retweet)", "co-url (url, link)",
                      "co-hashtag (hashtag, tag)", "co-reply (reply, comment)", "co-image (image, phash)",
                      "co-domain (domain)", "co-text (any event with text)"):
            assert layer in out, (command, layer)
    assert "--targets ACTION=COL,..." in cli("ingest", "--help").stdout


def test_python_targets_as_dict_or_text(tmp_path):
    data = write_wide(tmp_path / "wide.csv")
    as_dict = {"share": "post_id", "url": "url_id", "hashtag": "hashtag_id", "domain": "domain_id", "image": "phash_id"}
    ev = cg.read_events(data, targets=as_dict, progress=False)
    assert ev.provenance["rows_accepted"] == 23 and ev.provenance["rows_rejected"] == 0
    assert ev.provenance["rows_without_target"] == 1
    assert len(ev) == 63
    assert ev.to_pandas().action.value_counts().to_dict() == EXPECTED_ACTIONS
    assert len(cg.read_events(data, targets=TARGETS, progress=False)) == 63
    found = cg.analyze(data, targets=as_dict, progress=False, min_core=2, min_cluster_size=2)
    assert found.network.layers == ["co-share", "co-url", "co-hashtag", "co-image", "co-domain"]
    assert found.report["rows"]["without_target"] == 1


def test_python_missing_columns_name_the_keywords(tmp_path):
    data = write_wide(tmp_path / "wide.csv")
    with pytest.raises(cg.InputError) as e:
        cg.read_events(data, account="user", time="created_at", progress=False)
    msg = str(e.value)
    assert msg.startswith(f"{data}:1: 4 mapped columns are missing:\n")
    assert "no column 'user' for the account; for instance account='account_id'" in msg
    assert "give every row one action with action_value='share'" in msg
    assert ("targets={'url': 'url_id', 'hashtag': 'hashtag_id', 'domain': 'domain_id', 'image': 'phash_id'}"
            in msg)
    assert "no column 'created_at' for the time; for instance time='timestamp'" in msg
    assert "--" not in msg


def test_python_warns_on_an_empty_layer(tmp_path):
    data = write_wide(tmp_path / "wide.csv")
    ev = cg.read_events(data, targets=TARGETS, progress=False)
    with pytest.warns(cg.EmptyLayerWarning, match=r"^co-text read no events: it reads any event with text") as got:
        net = cg.coordination_network(ev, layers=["co-image", "co-text"], progress=False)
    assert "read_events(..., text='COL')" in str(got[0].message)  # coordination_network maps no columns
    assert got[0].filename == __file__  # points at the caller
    assert net.layers == ["co-image", "co-text"]
    with pytest.warns(cg.EmptyLayerWarning, match="nothing was compared"):
        cg.analyze(data, action_value="post", target="post_id", progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", cg.EmptyLayerWarning)
        cg.coordination_network(ev, progress=False)  # auto: every layer it runs reads events


def test_german_elections_wide_mapping(shared_datasets):
    """The real wide export (CooRTweet's sample): every row read, no reject, each column's events counted."""
    path = shared_datasets / "german_elections.csv.gz"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    ev = cg.read_events(path, targets=TARGETS, progress=False)
    p = ev.provenance
    assert (p["rows_read"], p["rows_accepted"], p["rows_rejected"], p["rows_without_target"]) == (218971, 218971, 0, 3)
    assert ev.to_pandas().action.value_counts().to_dict() == {
        "share": 218968, "domain": 73214, "hashtag": 51194, "url": 50785, "image": 20068}
    assert len(ev.rejects) == 0
