"""cg.coordination_network: the same network as `cibgraph project`, its columns as zero-copy NumPy views, clusters,
evidence, storage, and the round trips with pandas, networkx and igraph."""

import gc

import numpy as np
import pandas as pd
import pytest

import cibgraph as cg

LAYERS = ["co-share", "co-text"]


@pytest.fixture(scope="module")
def planted(tmp_path_factory, cli):
    """Planted 10^5 (seed 4), ingested by the CLI, projected by the CLI with CSV outputs, and by Python."""
    d = tmp_path_factory.mktemp("pynet")
    data = cg.generate_planted(d, events=100_000, seed=4)
    assert cli("ingest", data.events_csv, "-o", d / "data.h5", "-q").returncode == 0
    r = cli("project", d / "data.h5", "--layers", ",".join(LAYERS), "--no-store", "-q", "--edges", d / "edges.csv",
            "--evidence", d / "evidence.csv", "--clusters", d / "clusters.csv", "--fused", d / "fused.csv")
    assert r.returncode == 0, r.stderr
    ev = cg.load_events(d / "data.h5")
    net = cg.coordination_network(ev, layers=LAYERS, window="60s", progress=False)
    return d, data, ev, net


def test_generate_planted_matches_the_cli(planted, cli, tmp_path):
    d, data, _, _ = planted
    assert data.summary["events"] == 100_000
    assert data.summary["network_sizes"] == [8, 21, 71, 267]  # the documented sizes at 10^5
    r = cli("generate", "planted", "--out", tmp_path, "--events", 100000, "--seed", 4, "-q")
    assert r.returncode == 0
    assert (tmp_path / "events.csv").read_bytes() == open(data.events_csv, "rb").read()
    truth = data.truth()
    assert list(truth.columns) == ["account_id", "kind", "group"]
    assert data.summary["squad_sizes"] == [10, 30]  # two squads from 10^4 events
    assert (truth.kind == "campaign").sum() == sum(data.summary["network_sizes"]) + sum(data.summary["squad_sizes"])


def test_edges_equal_the_cli_edges_csv(planted):
    d, _, _, net = planted
    cli_edges = pd.read_csv(d / "edges.csv", dtype={"account_a": str, "account_b": str})
    ours = net.to_pandas()
    assert list(ours.columns) == list(cli_edges.columns)
    assert len(ours) == len(cli_edges) == 37582  # pinned: changes when detection changes (20885 before squads and the co-targeting test)
    for c in ("account_a", "account_b", "layer", "co_actions", "distinct_targets", "common_targets", "a_led",
              "b_led", "kept_by"):
        assert (ours[c].to_numpy() == cli_edges[c].to_numpy()).all(), c
    assert set(ours["kept_by"]) <= {"fdr", "cluster"} and (ours["kept_by"] == "fdr").any()
    assert (ours["moments"].to_numpy() == cli_edges["moments"].to_numpy()).all()
    for c in ("weight", "p_value", "expected", "min_delay_s", "median_delay_s", "idf_weight", "tfidf_cosine", "sync_p",
              "cotarget_p", "cotarget_expected"):
        np.testing.assert_allclose(ours[c], cli_edges[c], rtol=1e-5, atol=1e-300, err_msg=c)  # CSV holds %.6g


def test_clusters_equal_the_cli_clusters_csv(planted):
    d, _, _, net = planted
    cli_clusters = pd.read_csv(d / "clusters.csv", dtype={"members": str, "second_stage_members": str},
                               keep_default_na=False)
    ours = net.clusters.to_pandas()
    assert list(ours.cluster) == list(cli_clusters.cluster) == list(range(1, 10))
    assert list(ours["size"]) == list(cli_clusters["size"])
    assert [";".join(m) for m in ours.members] == list(cli_clusters.members)
    assert [";".join(m) for m in ours.second_stage_members] == list(cli_clusters.second_stage_members)
    assert list(ours.coordinated.astype(int)) == list(cli_clusters.coordinated)
    for c in ("p_value", "sync_p", "cotarget_p", "cotarget_expected"):
        np.testing.assert_allclose(ours[c], cli_clusters[c], rtol=1e-5, err_msg=c)
    assert list(ours.evidence) == list(cli_clusters.evidence)
    assert [";".join(x) for x in ours.layers] == list(cli_clusters.layers)
    assert len(net.clusters.coordinated) == 9
    membership = net.clusters.membership()
    # all 407 planted members (networks and squads) and 122 fan-club members (docs/method.md, "Fan clubs")
    assert membership.index.name == "account" and len(membership) == len(net.clusters.flagged_accounts()) == 529


def test_clusters_find_the_planted_networks(planted):
    _, data, _, net = planted
    truth = data.truth().set_index("account_id")
    flagged = net.clusters.flagged_accounts()
    kinds = truth.loc[flagged, "kind"]
    precision = (kinds == "campaign").mean()
    recall = len(set(flagged) & set(truth.index[truth.kind == "campaign"])) / (truth.kind == "campaign").sum()
    # Every planted member is found; the only false positives are fan-club members (docs/method.md, "Fan clubs").
    assert recall >= 0.95 and set(kinds) <= {"campaign", "fanclub"} and precision >= 0.7, (precision, recall)


def test_fused_graph_equals_the_cli_fused_csv(planted):
    d, _, ev, net = planted
    fused = pd.read_csv(d / "fused.csv", dtype={"account_a": str, "account_b": str})
    g = net.graph
    assert g.num_vertices == len(ev.accounts) and not g.directed and g.num_edges == len(fused)
    ours = cg.graph_to_pandas(g, ev.accounts)
    swap = ours.source > ours.target
    ours["a"] = np.where(swap, ours.target, ours.source)
    ours["b"] = np.where(swap, ours.source, ours.target)
    merged = fused.merge(ours, left_on=["account_a", "account_b"], right_on=["a", "b"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    np.testing.assert_allclose(merged.weight_x, merged.weight_y, rtol=1e-5)
    assert net.fused_graph("count").num_edges == g.num_edges
    assert net.fused_graph(kept_only=False).num_edges > g.num_edges


def test_evidence_of_a_pair_matches_the_cli_ledger(planted):
    d, _, _, net = planted
    ledger = pd.read_csv(d / "evidence.csv", dtype={"account_a": str, "account_b": str, "target": str})
    a, b = ledger.account_a[0], ledger.account_b[0]
    expected = ledger[(ledger.account_a == a) & (ledger.account_b == b)].reset_index(drop=True)
    got = net.evidence(a, b)
    assert list(got.columns) == ["layer", "target", "time_a", "time_b", "delay_s", "evidence_total", "kept"]
    assert list(got.layer) == list(expected.layer) and list(got.target) == list(expected.target)
    assert list(got.time_a.dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ").str[:23]) == \
        [t[:23] if "." in t else t[:-1] + ".000" for t in expected.time_a]
    np.testing.assert_allclose(got.delay_s, expected.delay_s)
    assert got.kept.all() and (got.evidence_total == expected.evidence_total).all()
    flipped = net.evidence(b, a)  # the other way round: times swap, delays change sign
    assert (flipped.time_a == got.time_b).all() and np.allclose(flipped.delay_s, -got.delay_s)
    lonely = np.flatnonzero(cg.degrees(net.fused_graph(kept_only=False)) == 0)[:2]  # co-acted with nobody
    none = net.evidence(*net.events.strings("accounts", lonely))
    assert len(none) == 0 and list(none.columns) == list(got.columns)
    with pytest.raises(cg.InputError, match="no account 'nobody'"):
        net.evidence("nobody", a)


def test_layer_columns_are_zero_copy_views_that_outlive_the_network(planted):
    _, _, ev, _ = planted
    net = cg.coordination_network(ev, layers=["co-share"], progress=False)
    layer = net.layer("co-share")
    a, kept, p = layer.a, layer.kept, layer.p_value
    assert a.dtype == np.uint32 and p.dtype == np.float64 and kept.dtype == np.bool_
    for arr in (a, p):
        assert not arr.flags.owndata and not arr.flags.writeable
        assert type(arr.base).__name__ == "PyCapsule"  # the base is the C++ owner's capsule, not a NumPy copy
    assert type(kept.base.base).__name__ == "PyCapsule"  # bool view of the uint8 column
    again = net.layer(0).a
    assert again is a or again.__array_interface__["data"][0] == a.__array_interface__["data"][0]
    fresh = net._core.layer_columns(0)["a"]  # a new view, same C++ memory
    assert fresh.__array_interface__["data"][0] == a.__array_interface__["data"][0] and fresh is not a
    copies = a.copy(), kept.copy(), p.copy()
    graph_targets = net.graph.targets
    graph_copy = graph_targets.copy()
    del net, layer, again, fresh
    gc.collect()
    assert np.array_equal(a, copies[0]) and np.array_equal(kept, copies[1]) and np.array_equal(p, copies[2])
    assert np.array_equal(graph_targets, graph_copy)
    assert len(a) > 1000 and kept.sum() > 1000


def test_layer_info_and_capped_targets(planted):
    _, _, ev, _ = planted
    net = cg.coordination_network(ev, max_pairs_per_target=50, progress=False)
    info = net.layer("co-share").info
    assert info["layer"] == "co-share" and info["pairs_left_out"] > 0
    assert info["spilled_runs"] == 0 and isinstance(info["by_rows"], bool)
    capped = net.layer(0).capped_targets()
    assert list(capped.columns) == ["target", "pairs_in_window", "pairs_kept", "delay_kept_s"]
    assert len(capped) > 0 and (capped.pairs_kept <= 50).all() and (capped.pairs_in_window > 50).all()
    assert capped.target.str.startswith("p").all()
    assert net.summary()["layers"][0]["capped_targets"] == len(capped)


def test_options_mirror_the_cli(planted, cli):
    d, _, ev, _ = planted
    net = cg.coordination_network(ev, window=30, filter="none", min_co_actions=3, weight="count", progress=False)
    r = cli("project", d / "data.h5", "--window", "30s", "--filter", "none", "--min-co-actions", 3, "--weight",
            "count", "--no-store", "-q", "--edges", d / "e30.csv")
    assert r.returncode == 0, r.stderr
    cli_edges = pd.read_csv(d / "e30.csv", dtype={"account_a": str, "account_b": str})
    ours = net.to_pandas()
    assert len(ours) == len(cli_edges) and (ours.weight.to_numpy() == cli_edges.weight.to_numpy()).all()
    assert net.window_ms == 30_000 and net.parameters["window"] == "30s" and net.parameters["filter"] == "none"
    auto = cg.coordination_network(ev, window="auto", progress=False)
    assert auto.window_method.startswith("CooRnet-style") and auto.window_ms == 17250
    assert auto.parameters["window"] == "auto" and auto.parameters["window_ms"] == 17250
    every = net.to_pandas(kept_only=False)
    assert "kept" in every.columns and every.kept.sum() == len(ours)
    assert (every.kept == (every.kept_by != "")).all() and set(ours.kept_by) == {"none"}  # filter none


def test_usage_and_input_errors(planted, tmp_path):
    _, _, ev, net = planted
    with pytest.raises(cg.UsageError, match="unknown layer 'co-nothing'"):
        cg.coordination_network(ev, layers=["co-nothing"])
    with pytest.raises(cg.UsageError, match="not a duration: 'fast'"):
        cg.coordination_network(ev, window="fast")
    with pytest.raises(cg.UsageError, match=r"fdr must be in \(0, 1\), got 1.5"):
        cg.coordination_network(ev, fdr=1.5)
    with pytest.raises(cg.UsageError, match=r"^member_alpha must be in \(0, 1\], got 0.0$"):
        cg.coordination_network(ev, member_alpha=0)
    with pytest.raises(cg.UsageError, match="weight"):
        cg.coordination_network(ev, weight="heaviest")
    with pytest.raises(cg.UsageError):
        cg.coordination_network(ev, filter="strict")
    with pytest.raises(TypeError, match="cibgraph.Events"):
        cg.coordination_network(ev.to_pandas())
    with pytest.raises(cg.UsageError, match="no layer 'co-url'"):
        net.layer("co-url")
    with pytest.raises(cg.UsageError, match="values has shape"):
        net.to_series(np.zeros(3))
    with pytest.raises(cg.InputError, match="missing.h5"):
        cg.load_network(tmp_path / "missing.h5")
    with pytest.raises(cg.InputError, match="nothing_here"):
        cg.load_network(planted[0] / "data.h5", "nothing_here")
    (tmp_path / "junk.h5").write_bytes(b"not a store" * 100)
    with pytest.raises(cg.FormatError, match="junk.h5"):
        cg.load_network(tmp_path / "junk.h5")
    # A bad column name names the file, the line (the header) and the column, as the CLI does.
    with pytest.raises(cg.InputError) as e:
        cg.read_events(planted[1].events_csv, account="user_id")
    assert str(e.value).startswith(f"{planted[1].events_csv}:1: no column 'user_id' for the account")
    assert all(issubclass(e, cg.Error) for e in (cg.InputError, cg.UsageError, cg.FormatError))


def test_save_load_round_trip(planted, tmp_path):
    d, _, ev, net = planted
    path = tmp_path / "store.h5"
    net.save(path, "run1", all_pairs=True)  # a new file gets the events first
    assert cg.list_networks(path) == ["run1"]
    back = cg.load_network(path, "run1")
    assert back.layers == net.layers and back.window_ms == net.window_ms and back.weight == "idf"
    assert back.parameters == net.parameters and back.created_at.endswith("Z")
    for i in range(len(net.layers)):
        for col in ("a", "b", "co_actions", "p_value", "kept", "evidence_key", "evidence_time_a"):
            assert np.array_equal(getattr(back.layer(i), col), getattr(net.layer(i), col)), col
    pd.testing.assert_frame_equal(back.clusters.to_pandas(), net.clusters.to_pandas())
    pd.testing.assert_frame_equal(back.to_pandas(), net.to_pandas())
    pd.testing.assert_frame_equal(back.to_pandas(kept_only=False), net.to_pandas(kept_only=False))
    assert back.events.accounts == ev.accounts

    # By default the kept edges only, each with its evidence, and the count of every pair: what an investigator
    # needs, a tenth of the rows here.
    net.save(path, "kept")
    kept = cg.load_network(path, "kept")
    for i in range(len(net.layers)):
        full, part = net.layer(i), kept.layer(i)
        keep = full.kept
        assert keep.sum() < len(full) and len(part) == keep.sum() and part.kept.all()
        assert part.info["pairs"] == full.info["pairs"] == len(full) and part.info["stored_pairs"] == len(part)
        for col in ("a", "b", "co_actions", "p_value", "tfidf_cosine", "evidence_total"):
            assert np.array_equal(getattr(part, col), getattr(full, col)[keep]), col
        rows = np.concatenate([np.arange(int(full.evidence_offsets[e]), int(full.evidence_offsets[e + 1]))
                               for e in np.flatnonzero(keep)] + [np.zeros(0, dtype=np.int64)])
        assert np.array_equal(part.evidence_time_b, full.evidence_time_b[rows])
        assert np.array_equal(np.diff(part.evidence_offsets), np.diff(full.evidence_offsets)[keep])
        assert "the kept stored" in repr(part) and f"{len(full):,} pairs" in repr(part)
    assert len(kept.layer(0)) > 0  # co-share keeps edges (co-text none, here)
    pd.testing.assert_frame_equal(kept.to_pandas(), net.to_pandas())
    pd.testing.assert_frame_equal(kept.clusters.to_pandas(), net.clusters.to_pandas())
    a, b = net.to_pandas().iloc[0][["account_a", "account_b"]]
    pd.testing.assert_frame_equal(kept.evidence(a, b), net.evidence(a, b))
    # Into the store the events came from, beside the CLI's networks; refused into a store of other events.
    net.save(d / "data.h5", "from_python")
    assert "from_python" in cg.list_networks(d / "data.h5")
    other = cg.from_pandas(pd.DataFrame({"account_id": ["x", "y"], "target": ["t", "t"],
                                         "timestamp": [1709251200, 1709251201], "action": "share"}))
    other.save(tmp_path / "other.h5")
    with pytest.raises(cg.UsageError, match="holds other events"):
        net.save(tmp_path / "other.h5", "x")
    with pytest.raises(cg.UsageError):
        net.save(tmp_path / "store.h5", "bad/name")


def test_pandas_round_trip_gives_the_same_network(planted):
    _, _, ev, net = planted
    df = ev.to_pandas()
    df["target_time"] = df["target_time"]  # NaT where missing: missing fields, as empty CSV cells
    again = cg.from_pandas(df, account="account", target="target", time="time", action="action", text="text",
                           target_time="target_time")
    assert len(again) == len(ev) and again.provenance["rows_rejected"] == 0
    assert again.provenance["inputs"][0]["path"] == "pandas.DataFrame"
    assert np.array_equal(again.time, ev.time) and again.accounts == ev.accounts
    net2 = cg.coordination_network(again, layers=LAYERS, progress=False)
    pd.testing.assert_frame_equal(net2.to_pandas(), net.to_pandas())
    pd.testing.assert_frame_equal(net2.clusters.to_pandas(), net.clusters.to_pandas())


def test_from_pandas_rejects_ledger_and_errors(tmp_path):
    df = pd.DataFrame({"user": ["a", "b", None, "c"], "url": ["x", "x", "x", "y"],
                       "at": ["2024-03-01T00:00:00Z", "soon", "2024-03-01T00:00:02Z", "2024-03-01T00:00:03Z"]},
                      index=[100, 200, 300, 400])
    ev = cg.read_events(df, account="user", target="url", time="at", action_value="share",
                        rejects=tmp_path / "rejects.csv")
    assert len(ev) == 2 and ev.provenance["rows_read"] == 4 and ev.provenance["rows_rejected"] == 2
    rej = ev.rejects
    assert list(rej.line) == [2, 3] and list(rej.row) == [200, 300]
    assert list(rej.field) == ["at", "user"] and (rej.source_file == "pandas.DataFrame").all()
    assert rej.reason[0].startswith("unparseable_time") and rej.reason[1].startswith("missing_field")
    ledger = pd.read_csv(tmp_path / "rejects.csv")
    assert list(ledger.columns) == ["source_file", "line", "field", "reason", "raw"]
    assert list(ledger.source_file) == ["pandas.DataFrame"] * 2 and list(ledger.line) == [2, 3]
    with pytest.raises(cg.InputError, match="no column 'account_id' for the account"):
        cg.from_pandas(df)
    tz = pd.DataFrame({"account_id": ["a", "b"], "target": ["t", "t"], "action": ["share", "share"],
                       "timestamp": pd.to_datetime(["2024-03-01 01:00:00", "2024-03-01 01:00:01.5"]).tz_localize(
                           "Europe/Berlin")})
    assert list(cg.from_pandas(tz).time) == [1709251200000, 1709251201500]  # 01:00 Berlin = 00:00 UTC


def test_algorithms_accept_a_network_and_map_back_to_accounts(planted):
    _, _, ev, net = planted
    parts = cg.leiden(net, resolution=1.0, seed=1)  # a Series over the accounts of to_networkx(), by account id
    assert parts.index.name == "account" and parts.name == "leiden" and len(parts) == 535
    assert list(parts.index) == list(net.to_networkx().nodes())
    ranks = cg.pagerank(net)
    assert np.isclose(ranks.sum(), 1.0) and ranks.name == "pagerank" and len(ranks) == 535
    top = ranks.idxmax()
    assert top in net.clusters.flagged_accounts()
    whole = cg.leiden(net.graph, resolution=1.0, seed=1)  # a Graph: an array over every account
    assert isinstance(whole, np.ndarray) and len(whole) == len(ev.accounts)
    labels = np.arange(len(ev.accounts)) + int(parts.max()) + 1  # unlinked accounts alone: no change to modularity
    labels[[ev.find_account(a) for a in parts.index]] = parts.to_numpy()
    assert cg.modularity(net, parts) == pytest.approx(cg.modularity(net.graph, labels), rel=1e-9)
    # Leiden on the fused graph finds exactly the nine coordinated clusters.
    clusters = net.clusters.membership()
    assert parts.loc[clusters.index].nunique() == 9
    assert cg.normalized_mutual_information(parts.loc[clusters.index], clusters) == pytest.approx(1.0)
    assert len(cg.connected_components(net)) == 535 and len(cg.connected_components(net.graph)) == len(ev.accounts)


def test_networkx_and_igraph_round_trips(planted):
    import networkx as nx

    _, _, ev, net = planted
    G = net.to_networkx()
    assert G.number_of_nodes() == 535 and G.number_of_edges() == net.graph.num_edges
    clusters = nx.get_node_attributes(G, "cluster")
    assert set(clusters.values()) == set(range(10))  # 0: the six accounts with a kept edge outside any cluster
    # networkx -> cibgraph -> networkx keeps nodes, edges and weights.
    g2, nodes = cg.graph_from_networkx(G)
    assert g2.num_edges == G.number_of_edges() and sorted(nodes) == sorted(G.nodes())
    G3 = cg.graph_to_networkx(g2, nodes)
    assert nx.utils.graphs_equal(G, nx.Graph(G3)) or (
        set(map(frozenset, G.edges())) == set(map(frozenset, G3.edges())))
    for u, v, w in list(G.edges(data="weight"))[:200]:
        assert G3[u][v]["weight"] == pytest.approx(w, rel=1e-6)
    # Modularity of the planted clusters: networkx, igraph and cibgraph agree.
    labels = np.array([clusters[v] for v in nodes])
    communities = [set(np.asarray(nodes, dtype=object)[labels == c]) for c in np.unique(labels)]
    q_nx = nx.community.modularity(G, communities, weight="weight")
    q_cg = cg.modularity(g2, labels)
    I = net.to_igraph()
    assert I.vcount() == 535 and I.ecount() == G.number_of_edges()
    q_ig = I.modularity(I.vs["cluster"], weights="weight")
    assert q_cg == pytest.approx(q_nx, rel=1e-5) and q_ig == pytest.approx(q_nx, rel=1e-5)
    # pandas edge list -> Graph: the same graph as the fused one.
    edges = cg.graph_to_pandas(net.graph, ev.accounts)
    g4, nodes4 = cg.graph_from_pandas(edges)
    assert g4.num_edges == net.graph.num_edges
    assert np.isclose(g4.weights.sum(), net.graph.weights.sum(), rtol=1e-6)
    directed, _ = cg.graph_from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}), directed=True)
    assert directed.directed and list(directed.offsets) == [0, 1, 2, 2]


def test_networkx_export_keeps_a_graphs_self_loops_and_a_network_has_none(planted):
    """One networkx export for every graph: a general Graph's self-loop is an edge (networkx, pandas and igraph keep
    it, once), as is an interaction graph's when asked for; a co-action network never pairs an account with itself,
    so its export is graph_to_networkx of its fused graph (with the cluster of each node)."""
    import networkx as nx

    g, nodes = cg.graph_from_pandas(pd.DataFrame({"source": ["a", "a", "b"], "target": ["a", "b", "c"],
                                                  "weight": [2.0, 1.0, 3.0]}))
    expected = [("a", "a", 2.0), ("a", "b", 1.0), ("b", "c", 3.0)]
    G = cg.graph_to_networkx(g, nodes)
    assert list(G.edges(data="weight")) == expected and nx.number_of_selfloops(G) == 1
    assert list(cg.graph_to_pandas(g, nodes).itertuples(index=False, name=None)) == expected
    assert cg.graph_to_igraph(g, nodes).ecount() == 3
    g2, nodes2 = cg.graph_from_networkx(G)
    assert list(cg.graph_to_networkx(g2, nodes2).edges(data="weight")) == expected
    df = pd.DataFrame({"account_id": ["a", "a"], "action": ["retweet", "retweet"], "target": ["a", "b"],
                       "timestamp": [1709251200, 1709251300]})
    assert nx.number_of_selfloops(cg.interaction_graph(cg.from_pandas(df), self_loops=True).to_networkx()) == 1
    assert nx.number_of_selfloops(cg.interaction_graph(cg.from_pandas(df)).to_networkx()) == 0
    _, _, ev, net = planted
    N = net.to_networkx(include_isolated=True)
    plain = cg.graph_to_networkx(net.graph, ev.account_array())
    assert nx.number_of_selfloops(N) == 0 and N.number_of_edges() == net.graph.num_edges
    assert list(N.nodes()) == list(plain.nodes())
    assert list(N.edges(data="weight")) == list(plain.edges(data="weight"))
    assert set(nx.get_node_attributes(N, "cluster").values()) == set(range(10))


def test_interaction_graph():
    df = pd.DataFrame({"account_id": ["a", "a", "b", "c", "a"], "action": ["retweet", "retweet", "mention", "reply",
                                                                        "share"],
                       "target": ["b", "b", "c", "ghost", "p1"],
                       "timestamp": [1709251200, 1709251300, 1709251400, 1709251500, 1709251200]})
    inter = cg.interaction_graph(cg.from_pandas(df))
    arcs = inter.to_pandas()
    assert list(zip(arcs.source, arcs.target, arcs.events)) == [("a", "b", 2), ("b", "c", 1), ("c", "ghost", 1)]
    assert str(arcs.first_time[0]) == "2024-03-01 00:00:00+00:00" and str(arcs.last_time[0]) == "2024-03-01 00:01:40+00:00"
    assert inter.extra_accounts == ["ghost"] and inter.graph.directed
    g = inter.to_networkx()
    assert g["a"]["b"]["weight"] == 2.0
    assert type(inter.graph.targets.base).__name__ == "PyCapsule"
    assert cg.pagerank(inter).shape == (4,) and list(cg.pagerank(inter).index) == ["a", "b", "c", "ghost"]


@pytest.mark.parametrize("sync_bin, bin_ms", [("60s", 60_000), ("1.5s", 1_500)])
def test_sync_time_evidence_names_the_bin_start(sync_bin, bin_ms):
    """A sync-time key is the start of its time bin in ISO 8601 (milliseconds only when non-zero): the string the
    CLI's evidence CSV and the report write, from the one core key_string."""
    t0 = 1709251200000  # 2024-03-01T00:00:00Z
    rows = [(acc, "share", f"post{i}{acc}", pd.Timestamp(t0 + i * 90_000 + off, unit="ms", tz="UTC"))
            for i in range(25) for acc, off in (("a", 5_000), ("b", 5_400), ("c", 20_000))]
    ev = cg.from_pandas(pd.DataFrame(rows, columns=["account_id", "action", "target", "timestamp"]))
    net = cg.coordination_network(ev, layers=["sync-time"], filter="none", sync_bin=sync_bin, progress=False)
    got = net.evidence("a", "b")
    starts = [(t0 + i * 90_000 + 5_000) // bin_ms * bin_ms for i in range(25)][:len(got)]
    expected = [pd.Timestamp(s, unit="ms").strftime("%Y-%m-%dT%H:%M:%S") + (f".{s % 1000:03d}" if s % 1000 else "")
                + "Z" for s in starts]
    assert len(got) == 20 and (got.layer == "sync-time").all()
    assert list(got.target) == expected
