"""What the algorithms take and give back (issue 20): a network gives a Series indexed by account id over exactly
the accounts of its exports (to_networkx / to_pandas), equal to the same algorithm on to_networkx(); a networkx or
igraph graph gives a Series indexed by node; a plain Graph keeps giving NumPy arrays by vertex."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import cibgraph as cg

from conftest import write_coordinated_csv

CAMPAIGN = [f"bot{i}" for i in range(8)]

# Every per-account measure, with the Series name it carries.
PER_ACCOUNT = [
    ("leiden", lambda g: cg.leiden(g, seed=1)),
    ("louvain", lambda g: cg.louvain(g, seed=1)),
    ("label_propagation", lambda g: cg.label_propagation(g, seed=1)),
    ("spectral_clustering", lambda g: cg.spectral_clustering(g, 2, seed=1)),
    ("pagerank", cg.pagerank),
    ("eigenvector_centrality", cg.eigenvector_centrality),
    ("katz_centrality", lambda g: cg.katz_centrality(g, alpha=0.01)),
    ("betweenness", cg.betweenness),
    ("closeness", cg.closeness),
    ("harmonic_centrality", cg.harmonic_centrality),
    ("degree", cg.degrees),
    ("strength", cg.strengths),
    ("component", cg.connected_components),
    ("strong_component", cg.strongly_connected_components),
    ("core_number", cg.core_numbers),
    ("hubs", lambda g: cg.hits(g)[0]),
    ("authorities", lambda g: cg.hits(g)[1]),
    ("betweenness", lambda g: cg.approximate_betweenness(g, 4, seed=1)[0]),
    ("consensus", lambda g: cg.consensus(g, runs=3, seed=1)[0]),
]


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory):
    """A coordinated export, and 20 accounts that share only targets of their own (never co-acting)."""
    path = write_coordinated_csv(tmp_path_factory.mktemp("inputs") / "events.csv", CAMPAIGN, lambda p: f"post{p}", 40)
    with open(path, "a") as f:
        for i in range(20):
            f.write(f"lonely{i},share,own{i},{1709251200 + 7 * i}\n")
    return path


@pytest.fixture(scope="module")
def small(small_csv):
    """A network some of whose accounts have no kept edge (the 9,503 'communities' for 8 linked accounts of issue 20,
    in small)."""
    ev = cg.read_events(small_csv, progress=False)
    net = cg.coordination_network(ev, layers=["co-share"], window="60s", weight="count", progress=False)
    G = net.to_networkx()
    assert 0 < G.number_of_nodes() < len(ev.accounts)  # the point of the fixture: unlinked accounts exist
    return ev, net, G


@pytest.mark.parametrize("name, run", PER_ACCOUNT, ids=[f"{n}-{i}" for i, (n, _) in enumerate(PER_ACCOUNT)])
def test_network_results_are_series_over_the_exported_accounts(small, name, run):
    _, net, G = small
    got = run(net)
    assert isinstance(got, pd.Series) and got.name == name and got.index.name == "account"
    assert list(got.index) == list(G.nodes())  # to_networkx's nodes, in its order
    exported = set(net.to_pandas().account_a) | set(net.to_pandas().account_b)
    assert set(got.index) == exported
    assert not got.isna().any()


@pytest.mark.parametrize("name, run", PER_ACCOUNT[:3] + PER_ACCOUNT[4:5] + PER_ACCOUNT[7:8],
                         ids=["leiden", "louvain", "label_propagation", "pagerank", "betweenness"])
def test_a_graph_still_gives_arrays_by_vertex(small, name, run):
    _, net, _ = small
    got = run(net.graph)
    assert isinstance(got, np.ndarray) and len(got) == net.graph.num_vertices


def test_network_results_equal_the_algorithm_on_its_networkx_export(small):
    _, net, G = small
    ranks = cg.pagerank(net)
    assert ranks.sum() == pytest.approx(1.0)
    expected = pd.Series(nx.pagerank(G, weight="weight", tol=1e-12, max_iter=10000))
    pd.testing.assert_series_equal(ranks, expected.loc[ranks.index], check_names=False, rtol=1e-6)
    between = cg.betweenness(net, normalized=True)
    expected = pd.Series(nx.betweenness_centrality(G, normalized=True))
    pd.testing.assert_series_equal(between, expected.loc[between.index], check_names=False, rtol=1e-9)
    close = cg.closeness(net)
    expected = pd.Series(nx.closeness_centrality(G))
    pd.testing.assert_series_equal(close, expected.loc[close.index], check_names=False, rtol=1e-9)
    assert (cg.core_numbers(net) == pd.Series(nx.core_number(G))).all()
    # Communities cover the linked accounts only: no singleton of an unlinked account.
    parts = cg.leiden(net, seed=1)
    assert parts.nunique() < len(parts) and parts.nunique() == cg.leiden(net, seed=1, return_info=True)[1]["count"]


def test_findings_and_interaction_networks(small_csv):
    found = cg.analyze(small_csv, progress=False)
    ranks = cg.pagerank(found)  # Findings: its network's accounts with a kept edge
    pd.testing.assert_series_equal(ranks, cg.pagerank(found.network))
    assert list(ranks.index) == list(found.network.to_networkx().nodes())
    inter = cg.interaction_graph(cg.from_pandas(pd.DataFrame({
        "account_id": ["a", "a", "b", "c"], "action": "retweet", "target": ["b", "b", "c", "ghost"],
        "timestamp": [1709251200, 1709251300, 1709251400, 1709251500]})))
    ranks = cg.pagerank(inter)
    # An interaction network's to_networkx() has every account (those that acted, then the extra ones).
    assert list(ranks.index) == inter.accounts == list(inter.to_networkx().nodes()) and ranks.name == "pagerank"
    assert cg.degrees(inter).name == "out_degree" and cg.degrees(inter, "in").name == "in_degree"
    assert cg.degrees(inter, "all").name == "degree"


def test_networkx_and_igraph_graphs_are_taken_as_they_are():
    import igraph as ig

    G = nx.Graph()
    G.add_weighted_edges_from([("x", "y", 3.0), ("y", "z", 1.0), ("z", "x", 1.0), ("z", "w", 0.5)])
    G.add_node("lonely")
    ranks = cg.pagerank(G)
    assert list(ranks.index) == list(G.nodes()) and ranks.index.name == "node"
    expected = pd.Series(nx.pagerank(G, weight="weight", tol=1e-12, max_iter=10000))
    pd.testing.assert_series_equal(ranks, expected, check_names=False, rtol=1e-6)
    unweighted = nx.Graph([(1, 2), (2, 3)])
    pd.testing.assert_series_equal(cg.pagerank(unweighted), pd.Series(nx.pagerank(unweighted, tol=1e-12, max_iter=10000)),
                                   check_names=False, check_index_type=False, rtol=1e-6)
    D = nx.DiGraph([("a", "b"), ("b", "c")])
    assert cg.degrees(D, "in").to_dict() == {"a": 0, "b": 1, "c": 1}
    # A multigraph's parallel edges are summed, as from_edges merges them.
    M = nx.MultiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    assert cg.strengths(M).to_dict() == {"a": 2.0, "b": 3.0, "c": 1.0}
    # igraph: the vertex name when there is one, else the vertex index; weights from the "weight" attribute.
    I = ig.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])
    I.es["weight"] = [3.0, 1.0, 1.0, 0.5]
    by_index = cg.pagerank(I)
    assert list(by_index.index) == [0, 1, 2, 3]
    np.testing.assert_allclose(by_index.to_numpy(), I.pagerank(weights="weight"), rtol=1e-6)
    I.vs["name"] = ["x", "y", "z", "w"]
    assert list(cg.pagerank(I).index) == ["x", "y", "z", "w"]
    assert cg.strengths(I).to_dict() == {"x": 4.0, "y": 4.0, "z": 2.5, "w": 0.5}
    # The conversions themselves.
    g, nodes = cg.graph_from_igraph(I)
    assert nodes == ["x", "y", "z", "w"] and g.num_edges == 4 and not g.directed
    assert cg.graph_from_igraph(ig.Graph(directed=True, edges=[(0, 1)]))[0].directed
    with pytest.raises(TypeError, match="networkx graph or igraph.Graph"):
        cg.pagerank([(0, 1)])


def test_partitions_are_matched_by_label(small):
    _, net, G = small
    parts = cg.leiden(net, seed=1)
    communities = [set(parts.index[parts == c]) for c in parts.unique()]
    q = nx.community.modularity(G, communities, weight="weight")
    assert cg.modularity(net, parts) == pytest.approx(q, rel=1e-6)
    shuffled = parts.sample(frac=1.0, random_state=1)
    assert cg.modularity(net, shuffled) == pytest.approx(q, rel=1e-6)  # by account id, not by position
    assert cg.modularity(net, parts.to_dict()) == pytest.approx(q, rel=1e-6)
    assert cg.modularity(net, parts.to_numpy()) == pytest.approx(q, rel=1e-6)  # in the order of the index
    assert cg.modularity(net, ("c" + parts.astype(str)).to_numpy()) == pytest.approx(q, rel=1e-6)  # any labels
    whole = cg.leiden(net.graph, seed=1)  # an array over the whole fused graph is matched through its vertices
    assert cg.modularity(net, whole) == pytest.approx(cg.modularity(net.graph, whole), rel=1e-6)
    with pytest.raises(cg.UsageError, match="no value for 1 of the"):
        cg.modularity(net, parts.iloc[1:])
    with pytest.raises(cg.UsageError, match="has shape"):
        cg.modularity(net, np.zeros(3, dtype=np.uint32))
    cond = cg.conductance(net, parts)
    assert cond.name == "conductance" and cond.index.name == "community" and list(cond.index) == sorted(parts.unique())
    assert cg.coverage(net, parts) == pytest.approx(nx.community.partition_quality(G, communities)[0], rel=1e-6) or (
        cg.coverage(net, parts, weighted=False) == pytest.approx(nx.community.partition_quality(G, communities)[0]))
    # Two Series are matched by index, whatever their order.
    assert cg.normalized_mutual_information(parts, shuffled) == pytest.approx(1.0)
    assert cg.adjusted_rand_index(parts, shuffled) == pytest.approx(1.0)
    with pytest.raises(cg.UsageError, match="label different items"):
        cg.normalized_mutual_information(parts, parts.iloc[1:])


def test_personalization_and_edge_results_by_label(small):
    _, net, G = small
    first = G.nodes and list(G.nodes())[0]
    ranks = cg.pagerank(net, personalization={first: 1.0})
    expected = pd.Series(nx.pagerank(G, weight="weight", personalization={first: 1.0}, tol=1e-12, max_iter=10000))
    pd.testing.assert_series_equal(ranks, expected.loc[ranks.index], check_names=False, rtol=1e-5)
    truss = cg.k_truss(net, 3)
    assert list(truss.columns) == ["account_a", "account_b"]
    expected = {frozenset(e) for e in nx.k_truss(G, 3).edges()}
    assert {frozenset(e) for e in truss.itertuples(index=False, name=None)} == expected
    membership, agreement = cg.consensus(net, runs=3, seed=1)
    assert agreement.index.names == ["account_a", "account_b"] and len(agreement) == G.number_of_edges()
    assert agreement.between(0, 1).all()
    scan = cg.multi_resolution(net, [0.5, 2.0], seed=1)
    table = pd.concat(scan, axis=1)
    assert list(table.columns) == [0.5, 2.0] and list(table.index) == list(G.nodes())


def test_an_empty_network_gives_empty_series(tmp_path):
    df = pd.DataFrame({"account_id": ["a", "b"], "target": ["t", "u"], "action": "share",
                       "timestamp": [1709251200, 1709251201]})
    net = cg.coordination_network(cg.from_pandas(df), layers=["co-share"], progress=False)
    assert net.to_networkx().number_of_nodes() == 0
    for result in (cg.leiden(net), cg.pagerank(net), cg.degrees(net), cg.core_numbers(net)):
        assert isinstance(result, pd.Series) and len(result) == 0


def test_graph_from_pandas_takes_series_and_subgraph_renumbers():
    df = pd.DataFrame({"src": ["a", "b", "c"], "dst": ["b", "c", "a"], "w": [1.0, 2.0, 3.0]}, index=[10, 20, 30])
    by_name, nodes = cg.graph_from_pandas(df, "src", "dst", "w")
    by_series, nodes2 = cg.graph_from_pandas(df, df["src"], df["dst"].str.upper(), df["w"] * 2)
    assert list(nodes2) == ["a", "b", "c", "B", "C", "A"] and by_series.weights.sum() == 2 * by_name.weights.sum()
    alone, nodes3 = cg.graph_from_pandas(None, df["src"], df["dst"])  # Series without a frame
    assert list(nodes3) == list(nodes) and alone.weights.sum() == 6  # no weight column: every edge weighs 1
    shuffled = df["dst"].iloc[::-1]  # aligned on the frame's index, as df.assign aligns
    same, _ = cg.graph_from_pandas(df, "src", shuffled, "w")
    assert np.array_equal(same.targets, by_name.targets) and np.array_equal(same.weights, by_name.weights)
    with pytest.raises(cg.InputError, match="no column 'nope' for the target"):
        cg.graph_from_pandas(df, "src", "nope")
    sub = by_name.subgraph([0, 2])  # a -- c, renumbered 0 -- 1
    assert sub.num_vertices == 2 and list(sub.offsets) == [0, 1, 2] and list(sub.targets) == [1, 0]
    assert list(sub.weights) == [3.0, 3.0]
    with pytest.raises(cg.UsageError, match="ascending"):
        by_name.subgraph([2, 0])
