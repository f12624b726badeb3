"""`cibgraph project`: the co-action network from the CLI, checked against a pandas self-join."""

import csv

import numpy as np
import pandas as pd
import pytest

csv.field_size_limit(1 << 30)


def pandas_pairs(events, window_ms):
    """Every pair of different accounts acting on the same target within the window (inclusive), per unordered
    pair: the number of event pairs and of distinct targets. The brute-force reference."""
    e = events.reset_index(drop=True)
    e["i"] = np.arange(len(e))
    m = e.merge(e, on="target", suffixes=("_a", "_b"))
    m = m[(m.account_a < m.account_b) & ((m.time_a - m.time_b).abs() <= window_ms)]
    return (m.groupby(["account_a", "account_b"])
             .agg(co_actions=("target", "size"), distinct_targets=("target", "nunique")).reset_index())


@pytest.fixture(scope="module")
def small_data(tmp_path_factory, cli):
    d = tmp_path_factory.mktemp("proj")
    rng = np.random.default_rng(3)
    n = 3000
    df = pd.DataFrame({
        "account_id": [f"acct{x:03d}" for x in rng.integers(0, 120, n)],
        "action": np.where(rng.random(n) < 0.9, "share", "like"),
        "target": [f"post{x}" for x in rng.integers(0, 60, n)],
        "timestamp": 1709251200 + rng.integers(0, 3600, n),
    })
    df.to_csv(d / "events.csv", index=False)
    r = cli("ingest", d / "events.csv", "-o", d / "data.h5", "-q")
    assert r.returncode == 0, r.stderr
    return d, df


def test_unfiltered_network_equals_pandas_self_join(cli, small_data):
    d, df = small_data
    r = cli("project", d / "data.h5", "--window", "60s", "--filter", "none", "--min-co-actions", "2",
            "--edges", d / "edges.csv", "-q")
    assert r.returncode == 0, r.stderr
    got = pd.read_csv(d / "edges.csv")
    assert list(got.columns[:7]) == ["account_a", "account_b", "layer", "co_actions", "distinct_targets", "weight", "p_value"]
    assert (got.account_a < got.account_b).all()
    shares = df[df.action == "share"].rename(columns={"account_id": "account"})
    shares = shares.assign(time=shares.timestamp * 1000)[["account", "target", "time"]]
    ref = pandas_pairs(shares, 60000)
    ref = ref[ref.co_actions >= 2]
    merged = ref.merge(got, on=["account_a", "account_b"], how="outer", suffixes=("_ref", ""), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    assert (merged.co_actions_ref == merged.co_actions).all()
    assert (merged.distinct_targets_ref == merged.distinct_targets).all()
    assert len(got) > 50


def test_evidence_ledger_backs_every_kept_edge(cli, small_data):
    d, df = small_data
    r = cli("project", d / "data.h5", "--filter", "none", "--min-co-actions", "3", "--edges", d / "e.csv",
            "--evidence", d / "ev.csv", "--evidence-per-edge", "100", "-q")
    assert r.returncode == 0, r.stderr
    edges = pd.read_csv(d / "e.csv")
    ev = pd.read_csv(d / "ev.csv")
    assert list(ev.columns[:6]) == ["account_a", "account_b", "layer", "target", "time_a", "time_b"]
    per_edge = ev.groupby(["account_a", "account_b"]).size()
    joined = edges.set_index(["account_a", "account_b"]).join(per_edge.rename("rows"))
    assert (joined.rows == joined.co_actions).all()
    # Every evidence row is a real pair of events within the window.
    ev["ta"] = pd.to_datetime(ev.time_a).astype("int64") // 10**9
    ev["tb"] = pd.to_datetime(ev.time_b).astype("int64") // 10**9
    assert ((ev.ta - ev.tb).abs() <= 60).all()
    src = set(zip(df.account_id, df.target, df.timestamp))
    assert all((a, t, x) in src for a, t, x in zip(ev.account_a, ev.target, ev.ta))
    assert all((b, t, x) in src for b, t, x in zip(ev.account_b, ev.target, ev.tb))


def test_demo_like_scenario_finds_the_planted_networks(cli, tmp_path):
    r = cli("generate", "planted", "--out", tmp_path, "--events", 100000, "--seed", 4, "-q")
    assert r.returncode == 0, r.stderr
    assert cli("ingest", tmp_path / "events.csv", "-o", tmp_path / "data.h5", "-q").returncode == 0
    r = cli("project", tmp_path / "data.h5", "--clusters", tmp_path / "clusters.csv")
    assert r.returncode == 0, r.stderr
    assert "coordinated" in r.stdout
    import sys, pathlib
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench" / "quality"))
    from score_clusters import score
    s = score(tmp_path / "clusters.csv", tmp_path / "truth.csv")
    # Every planted member (networks and squads) is found and no organic account is flagged; the planted fan clubs
    # (organic followers sharing their page within minutes) beat the popularity null and are flagged by co-targeting:
    # the measured limit docs/method.md explains ("Fan clubs"), so precision is bounded below, not at 0.95.
    assert s["recall"] >= 0.95, s
    assert set(s["false_positives_by_kind"]) <= {"fanclub"}, s
    assert s["precision"] >= 0.7, s


def test_project_usage_errors(cli, small_data):
    d, _ = small_data
    assert cli("project", d / "data.h5", "--layers", "co-nothing").returncode == 2
    assert cli("project", d / "data.h5", "--window", "fast").returncode == 2
    assert cli("project", d / "missing.h5").returncode == 3


def test_network_is_stored_in_the_hdf5_file(cli, small_data):
    import h5py
    d, _ = small_data
    r = cli("project", d / "data.h5", "--name", "run1", "--filter", "none", "--min-co-actions", "2",
            "--edges", d / "stored.csv", "-q")
    assert r.returncode == 0, r.stderr
    edges = pd.read_csv(d / "stored.csv")
    with h5py.File(d / "data.h5", "r") as f:
        g = f["graphs/run1"]
        assert g.attrs["kind"] == "coaction" and int(g.attrs["window_ms"]) == 60000
        layer = g["layers/co-share"]
        kept = layer["kept"][:].astype(bool)
        assert kept.sum() == len(edges)
        assert (layer["co_actions"][:][kept] >= 2).all()
        assert "clusters" in f["results/run1"]
        # The kept edges are stored (with min-co-actions 2, fewer than the pairs), and the count of every pair.
        assert kept.all() and layer.attrs["edges_stored"] == "kept"
        assert int(layer.attrs["n_edges"]) == len(edges) < int(layer.attrs["n_pairs"])
        pairs = int(layer.attrs["n_pairs"])
    info = cli("info", d / "data.h5")
    assert info.returncode == 0 and "run1" in info.stdout
    assert f"run1 (co-share): {pairs:,} co-acting pairs, {len(edges):,} kept (kept stored)" in info.stdout

    # --store-all-pairs: every pair, its p-value and evidence, the same kept edges among them.
    r = cli("project", d / "data.h5", "--name", "run2", "--filter", "none", "--min-co-actions", "2",
            "--store-all-pairs", "-q")
    assert r.returncode == 0, r.stderr
    with h5py.File(d / "data.h5", "r") as f:
        one, two = f["graphs/run1/layers/co-share"], f["graphs/run2/layers/co-share"]
        assert two.attrs["edges_stored"] == "all" and int(two.attrs["n_edges"]) == pairs
        keep = two["kept"][:].astype(bool)
        assert keep.sum() == len(edges)
        for col in ("a", "b", "co_actions", "p_value", "evidence_total"):
            assert np.array_equal(two[col][:][keep], one[col][:]), col
        offsets = two["evidence_offsets"][:]
        rows = np.concatenate([np.arange(offsets[e], offsets[e + 1], dtype=np.int64) for e in np.flatnonzero(keep)])
        assert np.array_equal(two["evidence_time_a"][:][rows], one["evidence_time_a"][:])


def test_interactions_and_fused_outputs(cli, tmp_path):
    rows = ["account_id,action,target,timestamp",
            "a,retweet,b,1709251200", "a,retweet,b,1709251300", "b,mention,c,1709251400", "c,reply,ghost,1709251500",
            "a,share,p1,1709251200", "b,share,p1,1709251201", "a,url,http://x,1709251200", "b,url,http://x,1709251202",
            "a,share,p2,1709251210", "b,share,p2,1709251211"]
    (tmp_path / "e.csv").write_text("\n".join(rows) + "\n")
    assert cli("ingest", tmp_path / "e.csv", "-o", tmp_path / "d.h5", "-q").returncode == 0
    r = cli("interactions", tmp_path / "d.h5", "--edges", tmp_path / "i.csv")
    assert r.returncode == 0, r.stderr
    arcs = pd.read_csv(tmp_path / "i.csv")
    assert list(zip(arcs.source, arcs.target, arcs.events)) == [("a", "b", 2), ("b", "c", 1), ("c", "ghost", 1)]
    assert arcs.first_time[0] == "2024-03-01T00:00:00Z" and arcs.last_time[0] == "2024-03-01T00:01:40Z"
    r = cli("project", tmp_path / "d.h5", "--layers", "co-share,co-url", "--filter", "none", "--weight", "count",
            "--fused", tmp_path / "f.csv", "--no-store", "-q")
    assert r.returncode == 0, r.stderr
    fused = pd.read_csv(tmp_path / "f.csv")
    assert list(zip(fused.account_a, fused.account_b, fused.weight)) == [("a", "b", 2.0)]  # 1 (co-share) + 1 (co-url)


def test_outputs_are_byte_identical_across_thread_counts(cli, small_data):
    d, _ = small_data
    outs = []
    for threads in (1, 2):
        prefix = d / f"t{threads}"
        r = cli("project", d / "data.h5", "--threads", threads, "--filter", "none", "--no-store", "-q",
                "--edges", f"{prefix}-edges.csv", "--evidence", f"{prefix}-evidence.csv",
                "--clusters", f"{prefix}-clusters.csv")
        assert r.returncode == 0, r.stderr
        outs.append([(d / f"t{threads}-{kind}.csv").read_bytes() for kind in ("edges", "evidence", "clusters")])
    assert outs[0] == outs[1]
    assert len(outs[0][0]) > 1000
