"""cg.analyze: the investigator's pipeline from Python. The same files as `cibgraph analyze` byte for byte (report.json
outside its "run" block), frames equal to the CSV files, Events and files giving the same findings, hostile account
names escaped in the display, errors as the package's exceptions, progress and stopping."""

import csv
import json
import math

import h5py
import numpy as np
import pandas as pd
import pytest

import cibgraph as cg

EVIL = '<img src=x onerror="alert(1)">&'
CSV_OUTPUTS = ["accounts.csv", "clusters.csv", "edges.csv", "evidence.csv", "rejects.csv"]
# Rows every ingest rejects, appended to the planted export so that rejects.csv has rows to compare.
BAD_ROWS = ['only,three,fields\n', 'acct_bad,share,post_x,not-a-time,,\n']


@pytest.fixture(scope="module")
def case(tmp_path_factory, cli):
    """A planted export of 20,000 events (seed 5) with two bad rows and a coordinated clique of hostile names,
    analysed by the CLI and by cg.analyze (from the file, and from Events read first)."""
    d = tmp_path_factory.mktemp("pyanalyze")
    data = cg.generate_planted(d / "data", events=20_000, seed=5)
    with open(data.events_csv, "a", encoding="utf-8", newline="") as f:
        # Each post is made at 08:00 of its day; the clique shares it 3 s apart after a lag that differs from post
        # to post (no habit of reacting fast that the null model would expect to co-act).
        for post in range(10):
            made = np.datetime64("2024-03-02T08:00:00") + np.timedelta64(post, "D")
            lag = 60 + (post * 733) % 2800
            for k, name in enumerate([EVIL, "x</td><script>", "carol", "dave", "erin"]):
                at = made + np.timedelta64(lag + 3 * k, "s")
                f.write(f'"{name.replace(chr(34), chr(34) * 2)}",share,evil_post_{post},{at}Z,,{made}Z\n')
        f.writelines(BAD_ROWS)
    r = cli("analyze", data.events_csv, "--out", d / "cli", "-q")
    assert r.returncode == 0, r.stderr
    seen = []
    found = cg.analyze(data.events_csv, out=d / "py", progress=lambda s, k, n: seen.append((s, k, n)))
    events = cg.read_events(data.events_csv, progress=False)
    from_events = cg.analyze(events, progress=False)
    return d, data, found, from_events, events, seen


def test_outputs_equal_the_cli_byte_for_byte(case):
    d, _, found, _, _, _ = case
    for name in CSV_OUTPUTS:
        assert (d / "py" / name).read_bytes() == (d / "cli" / name).read_bytes(), name
    cli_json = (d / "cli" / "report.json").read_text(encoding="utf-8")
    py_json = (d / "py" / "report.json").read_text(encoding="utf-8")
    assert py_json == cli_json and "run" not in json.loads(py_json)
    assert found.report_path == d / "py" / "report.html"
    html = found.report_path.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and 'id="cibgraph-data"' in html
    # data.h5: the same accounts table and the same network as the CLI's.
    with h5py.File(d / "py" / "data.h5", "r") as p, h5py.File(d / "cli" / "data.h5", "r") as c:
        for col in c["/results/coaction/accounts"]:
            assert np.array_equal(p["/results/coaction/accounts"][col][()], c["/results/coaction/accounts"][col][()])
    # The rejected rows are there, with their reasons.
    rejects = list(csv.DictReader(open(d / "py" / "rejects.csv", encoding="utf-8", newline="")))
    assert [r["reason"].split(":")[0] for r in rejects] == ["wrong_column_count", "unparseable_time"]
    assert found.report["rows"]["rejected"] == 2


def test_run_block_records_the_call_and_the_stages(case):
    d, data, found, _, _, _ = case
    run = found.report["run"]  # report.html's run block (report.json has none)
    assert run["command"][:2] == ["cibgraph.analyze", data.events_csv]
    assert [s["name"] for s in run["stages"]] == ["ingest", "projection", "null model", "filter and clusters",
                                                   "refinement", "rankings", "csv outputs", "data.h5"]
    assert list(found.stages) == [s["name"] for s in run["stages"]]
    assert run["seed"] == 1 and run["threads"] >= 1 and run["seconds"] > 0
    html = (d / "py" / "report.html").read_text(encoding="utf-8")
    assert json.dumps(run["command"][0]) in html and '"csv outputs"' in html


def test_accounts_frame_matches_accounts_csv(case):
    d, _, found, _, _, _ = case
    frame = found.accounts
    table = pd.read_csv(d / "cli" / "accounts.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(table.columns)
    assert len(frame) == len(table) == found.report["summary"]["accounts"]
    assert list(frame.account_id) == list(table.account_id)
    assert [("" if pd.isna(c) else str(c)) for c in frame.cluster] == table.cluster.tolist()
    for col in ("score", "pagerank", "betweenness"):
        assert np.allclose(frame[col].to_numpy(), table[col].astype(float).to_numpy(), rtol=1e-5, atol=0), col
    for col in ("degree", "core", "kept_edges", "n_events"):
        assert frame[col].tolist() == table[col].astype(int).tolist(), col
    iso = frame.first_seen.dt.strftime("%Y-%m-%dT%H:%M:%S")
    assert [t.startswith(i) for t, i in zip(table.first_seen, iso)] == [True] * len(table)
    # The rankings are views of the C++ records, indexed by account number.
    r = found.rankings
    assert not r["score"].flags.writeable and r["score"].base is not None
    assert r["account"].tolist() == list(range(len(found.events.accounts)))
    top = frame.iloc[0]
    assert r["score"][found.events.accounts.index(top.account_id)] == top.score


def test_clusters_frame_matches_clusters_csv(case):
    d, _, found, _, _, _ = case
    frame = found.clusters
    table = pd.read_csv(d / "cli" / "clusters.csv", keep_default_na=False, dtype=str)
    assert list(frame.columns) == list(table.columns)
    assert len(frame) == len(table) == found.report["summary"]["clusters"] > 0
    assert frame.cluster.tolist() == list(range(1, len(table) + 1)) == table.cluster.astype(int).tolist()
    assert frame["size"].tolist() == table["size"].astype(int).tolist()
    assert [";".join(m) for m in frame.members] == table.members.tolist()
    assert [";".join(m) for m in frame.second_stage_members] == table.second_stage_members.tolist()
    assert [";".join(l) for l in frame.layers] == table.layers.tolist()
    assert frame.split.astype(int).astype(str).tolist() == table.split.tolist()
    for col in ("density", "p_value", "observed", "expected", "alpha", "score", "median_delay_s"):
        assert np.allclose(frame[col].to_numpy(float), table[col].astype(float).to_numpy(), rtol=1e-5, atol=0), col
    # The hostile clique is flagged, names intact.
    hostile = [set(m) for m in frame.members if EVIL in m]
    assert hostile == [{EVIL, "x</td><script>", "carol", "dave", "erin"}]


def test_from_events_equals_from_files(case, tmp_path):
    d, _, found, from_events, events, _ = case
    pd.testing.assert_frame_equal(from_events.accounts, found.accounts)
    pd.testing.assert_frame_equal(from_events.clusters, found.clusters)
    a, b = dict(found.report), dict(from_events.report)
    a.pop("run"), b.pop("run")
    assert a == b
    # Its write gives the same files as the CLI's too, rejects.csv included (read_events keeps every rejected row).
    from_events.write(tmp_path / "ev")
    for name in CSV_OUTPUTS:
        assert (tmp_path / "ev" / name).read_bytes() == (d / "cli" / name).read_bytes(), name
    assert from_events.report["run"]["command"][1] == f"<Events: {len(events):,} events>"
    # The caller's Events are left as they were; the findings' network is the pipeline's.
    assert len(events) == len(from_events.events) and events.accounts == from_events.events.accounts
    net = from_events.network
    assert isinstance(net, cg.CoordinationNetwork) and net.window_ms == 60_000
    assert sum(int(net.layer(i).kept.sum()) for i in range(len(net.layers))) == from_events.report["summary"]["edges_kept"]


def test_display_escapes_hostile_names(case):
    _, _, found, _, _, _ = case
    html = found._repr_html_()
    assert "cibgraph.Findings" in html and "flagged clusters: <b>" in html
    assert "<img" not in html and "<script>" not in html and "</td><script" not in html
    # The clique is one of the top clusters shown (the display lists ten), with its members' names escaped.
    clique = found.clusters[found.clusters.members.map(lambda m: EVIL in m)]
    assert len(clique) == 1 and int(clique.cluster.iloc[0]) <= 10
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in html and "x&lt;/td&gt;&lt;script&gt;" in html
    assert "rows read <b>20,052</b> = accepted <b>20,050</b> + rejected <b>2</b>" in html
    assert f"report: {found.report_path}" in html
    n = len(found.clusters)
    assert repr(found) == (f"<cibgraph.Findings 20,050 events, {len(found.events.accounts):,} accounts: "
                           f"{n} flagged cluster{'' if n == 1 else 's'}, {found.clusters['size'].sum():,} accounts "
                           f"flagged, report {found.report_path}>")


def test_hostile_cluster_row_in_display(tmp_path):
    # Only the hostile clique is coordinated: its members are in the top-clusters table, escaped.
    rng = np.random.default_rng(1)
    names = [EVIL, "bob & co", "carol", "dave", "eve"]
    rows = [(a, "share", f"post{p}", 1709251200 + 86400 * p + 5 * k) for p in range(10) for k, a in enumerate(names)]
    for i in range(300):
        for p in rng.choice(60, 3, replace=False):
            rows.append((f"user{i}", "share", f"post{p}", 1709251200 + int(rng.integers(0, 30 * 86400))))
    df = pd.DataFrame(rows, columns=["account_id", "action", "target", "timestamp"])
    found = cg.analyze(df, progress=False)
    assert found.clusters.members.tolist() == [sorted(names, key=lambda s: s.encode())] or \
        set(found.clusters.members[0]) == set(names)
    html = found._repr_html_()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in html and "bob &amp; co" in html
    assert "<img" not in html
    assert found.report["run"]["command"][1] == "pandas.DataFrame"


def test_an_empty_result_says_what_to_try_with_keywords(case):
    """Nothing flagged: Findings.suggestions names analyze's keywords (report.json, shared with the CLI, its flags),
    and the notebook display shows them instead of an empty table."""
    _, _, _, _, events, _ = case
    found = cg.analyze(events, layers="co-share", window="1ms", progress=False)
    assert len(found.clusters) == 0
    tips = found.suggestions
    assert tips and any("layers='auto'" in t for t in tips) and any("window='" in t for t in tips), tips
    assert not any("--" in t for t in tips), tips
    flags = found.report["summary"]["suggestions"]
    assert len(flags) == len(tips) and any("--layers auto" in t for t in flags)
    html = found._repr_html_()
    assert "No cluster was flagged. Try:" in html and "layers=&#x27;auto&#x27;" in html
    assert cg.analyze(events, progress=False).suggestions == []


def test_progress_sees_the_stages(case):
    _, _, _, _, _, seen = case
    steps = [(s, k) for s, k, n in seen if n == 6]
    assert steps == [("ingest", 1), ("projection", 2), ("null model", 3), ("filter and clusters", 4),
                     ("refinement", 5), ("rankings", 6)]
    assert any(s == "ingest" and n > 6 for s, _, n in seen)  # bytes read


def test_progress_returning_false_stops(case):
    _, data, _, _, _, _ = case
    calls = []

    def stop_at_projection(stage, done, total):
        calls.append(stage)
        return stage != "projection"

    with pytest.raises(KeyboardInterrupt):
        cg.analyze(data.events_csv, progress=stop_at_projection)
    assert "projection" in calls and "rankings" not in calls


def test_errors(case, tmp_path):
    _, data, _, _, events, _ = case
    bad = tmp_path / "bad.csv"
    bad.write_text("user,action,target,timestamp\nalice,share,p1,2024-01-01T00:00:00Z\n", encoding="utf-8")
    with pytest.raises(cg.InputError) as e:
        cg.analyze(bad, progress=False)
    assert "bad.csv" in str(e.value) and "account_id" in str(e.value) and ":1" in str(e.value)
    with pytest.raises(cg.InputError):
        cg.analyze(tmp_path / "missing.csv", progress=False)
    with pytest.raises(cg.UsageError, match="min_split_modularity"):
        cg.analyze(data.events_csv, min_split_modularity=2.0, progress=False)
    with pytest.raises(cg.UsageError, match="layer"):
        cg.analyze(events, layers=["co-nothing"], progress=False)
    with pytest.raises(cg.UsageError, match="fdr"):
        cg.analyze(events, fdr=0.0, progress=False)
    with pytest.raises(cg.UsageError, match=r"cluster_alpha must be in \(0, 1\], got 0.0"):
        cg.analyze(events, cluster_alpha=0.0, progress=False)
    with pytest.raises(cg.UsageError, match="timeline_bins"):
        cg.analyze(events, timeline_bins=0, progress=False)
    with pytest.raises(cg.UsageError, match="read already"):
        cg.analyze(events, account="user", progress=False)


def test_defaults_are_the_cli_defaults(case):
    _, _, found, _, _, _ = case
    p = found.parameters
    assert p["seed"] == 1 and p["window"] == "60s" and p["layers"] == found.network.layers and p["fdr"] == 0.01
    assert math.isclose(p["cluster_alpha"], 1e-6) and p["min_excess"] == 2 and p["min_cluster_size"] == 3
    assert p["layers_chosen"].startswith("auto") and "co-share" in p["layers"]
    assert p == json.loads(json.dumps(found.report["parameters"]))


def test_ctrl_c_during_the_analysis_raises_keyboard_interrupt(case, python_ctrl_c):
    # SIGINT delivered while the pipeline runs (from its progress callback, after the projection stage): the
    # interpreter's handler raises KeyboardInterrupt, which stops the C++ work and reaches the caller.
    import signal

    _, data, _, _, _, _ = case
    calls = []

    def ctrl_c_after_projection(stage, done, total):
        calls.append(stage)
        if stage == "projection" and total == 6:
            signal.raise_signal(signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        cg.analyze(data.events_csv, progress=ctrl_c_after_projection)
    assert "projection" in calls and "refinement" not in calls and "rankings" not in calls
