"""The algorithms' Python layer: names, argument checking, array types and exact values on a hand-drawn graph."""

import numpy as np
import pytest

import cibgraph as cg

# Two triangles 0-1-2 and 3-4-5 joined by the bridge 2-3.
SRC = np.array([0, 0, 1, 3, 3, 4, 2], dtype=np.uint32)
DST = np.array([1, 2, 2, 4, 5, 5, 3], dtype=np.uint32)


@pytest.fixture()
def bridge():
    return cg.Graph.from_edges(SRC, DST)


def test_communities_find_the_two_triangles(bridge):
    expected = [0, 0, 0, 1, 1, 1]
    for membership in (cg.leiden(bridge, seed=3), cg.louvain(bridge, seed=3), cg.label_propagation(bridge, seed=3),
                       cg.spectral_clustering(bridge, k=2, seed=3), cg.consensus(bridge, runs=4)[0]):
        assert membership.dtype == np.uint32
        assert membership.tolist() == expected
    for membership in cg.multi_resolution(bridge, [0.5, 1.0]):
        assert membership.tolist() == expected
    # 7 edges, each triangle has 3 inside and degree sum 7: Q = 2 * (3/7 - (7/14)^2) = 5/14.
    assert cg.modularity(bridge, expected) == pytest.approx(5 / 14, abs=1e-12)
    membership, info = cg.leiden(bridge, return_info=True)
    assert info["count"] == 2 and info["quality"] == pytest.approx(5 / 14, abs=1e-12)
    # Coverage 6/7; conductance of each side: cut 1 over volume 7.
    assert cg.coverage(bridge, expected) == pytest.approx(6 / 7)
    assert cg.conductance(bridge, expected).tolist() == pytest.approx([1 / 7, 1 / 7])
    assert cg.normalized_mutual_information(expected, [1, 1, 1, 0, 0, 0]) == pytest.approx(1.0)
    assert cg.adjusted_rand_index(expected, [0, 0, 0, 0, 0, 0]) == pytest.approx(0.0)
    # Arc agreement: every run agrees on every arc, inside (1) and across the bridge (0).
    _, agreement = cg.consensus(bridge, runs=4)
    assert len(agreement) == bridge.num_arcs
    assert sorted(set(agreement.tolist())) == [0.0, 1.0]


def test_cpm_quality_exact_and_against_leidenalg(bridge):
    # CPM, leidenalg's convention: 2 * sum_c (w_c - gamma * n_c (n_c - 1) / 2). Each triangle: 3 inside, 3 pairs.
    assert cg.cpm_quality(bridge, [0, 0, 0, 1, 1, 1], resolution=0.5) == pytest.approx(2 * 2 * (3 - 0.5 * 3))
    # All in one: 7 edges inside, 15 pairs.
    assert cg.cpm_quality(bridge, [0] * 6, resolution=0.2) == pytest.approx(2 * (7 - 0.2 * 15))
    ig = pytest.importorskip("igraph", reason="python3-igraph is not installed (scripts/bootstrap)")
    la = pytest.importorskip("leidenalg", reason="python3-leidenalg is not installed (scripts/bootstrap)")
    karate = ig.Graph.Famous("Zachary")
    edges = np.array(karate.get_edgelist(), dtype=np.uint32)
    g = cg.Graph.from_edges(edges[:, 0], edges[:, 1], n=karate.vcount())
    rng = np.random.default_rng(5)
    for gamma in (0.05, 0.2):
        membership = rng.integers(0, 4, karate.vcount())
        ref = la.CPMVertexPartition(karate, initial_membership=membership.tolist(), resolution_parameter=gamma)
        assert cg.cpm_quality(g, membership, resolution=gamma) == pytest.approx(ref.quality(), rel=1e-12)


def test_centralities_on_the_bridge(bridge):
    assert cg.degrees(bridge).tolist() == [2, 2, 3, 3, 2, 2]
    assert cg.strengths(bridge).tolist() == [2, 2, 3, 3, 2, 2]
    ranks = cg.pagerank(bridge)
    assert ranks.sum() == pytest.approx(1.0) and ranks[2] == pytest.approx(ranks[3]) and ranks[2] > ranks[0]
    # Pairs through vertex 2: each of 0, 1 with each of 3, 4, 5 = 6 (networkx counts each pair once).
    assert cg.betweenness(bridge).tolist() == pytest.approx([0, 0, 6, 6, 0, 0])
    assert cg.betweenness(bridge, normalized=True)[2] == pytest.approx(6 / 10)
    scores, bound = cg.approximate_betweenness(bridge, samples=6)
    assert scores.tolist() == pytest.approx([0, 0, 6, 6, 0, 0]) and bound == 0
    # Closeness of 2: distances 1, 1, 1, 2, 2 -> 5 / 7.
    assert cg.closeness(bridge)[2] == pytest.approx(5 / 7)
    assert cg.harmonic_centrality(bridge)[2] == pytest.approx(4.0)
    assert cg.core_numbers(bridge).tolist() == [2, 2, 2, 2, 2, 2]
    assert cg.connected_components(bridge).tolist() == [0, 0, 0, 0, 0, 0]
    hubs, authorities = cg.hits(bridge)
    assert hubs.sum() == pytest.approx(1.0) and authorities.sum() == pytest.approx(1.0)
    ev = cg.eigenvector_centrality(bridge)
    assert np.linalg.norm(ev) == pytest.approx(1.0)
    assert cg.katz_centrality(bridge, alpha=0.1)[2] > cg.katz_centrality(bridge, alpha=0.1)[0]


def test_directed_components():
    # 0 -> 1 -> 2 -> 0 is a cycle; 3 hangs off it.
    g = cg.Graph.from_edges(np.array([0, 1, 2, 2]), np.array([1, 2, 0, 3]), directed=True)
    assert cg.strongly_connected_components(g).tolist() == [0, 0, 0, 1]
    assert cg.connected_components(g).tolist() == [0, 0, 0, 0]
    assert cg.degrees(g, "in").tolist() == [1, 1, 1, 1]
    assert cg.degrees(g, "all").tolist() == [2, 2, 3, 1]


def test_bad_arguments_raise_clear_errors(bridge):
    with pytest.raises(cg.UsageError, match="membership has 2 entries but the graph has 6 vertices"):
        cg.modularity(bridge, [0, 1])
    with pytest.raises(cg.UsageError, match="quality must be"):
        cg.leiden(bridge, quality="surprise")
    with pytest.raises(cg.UsageError, match="direction"):
        cg.degrees(bridge, "sideways")
    with pytest.raises(cg.UsageError):
        cg.spectral_clustering(bridge, k=0)
    with pytest.raises(cg.UsageError):
        cg.pagerank(bridge, damping=1.5)
    with pytest.raises(cg.UsageError):
        cg.pagerank(bridge, personalization=[1.0, 2.0])
    with pytest.raises(cg.Error):
        cg.normalized_mutual_information([0, 1, 1], [0, 1])


def test_results_own_their_memory(bridge):
    ranks = cg.pagerank(bridge)
    assert ranks.base is not None and ranks.flags.owndata is False  # the capsule owning the C++ vector
    del bridge
    assert ranks.sum() == pytest.approx(1.0)


def test_lfr_generator():
    lfr = cg.lfr(n=500, mixing=0.2, seed=4)
    assert lfr.n == 500 and len(lfr.src) == len(lfr.dst) and len(lfr.community) == 500
    assert abs(lfr.realised_mixing - 0.2) < 0.03
    again = cg.lfr(n=500, mixing=0.2, seed=4)
    assert np.array_equal(lfr.src, again.src) and np.array_equal(lfr.community, again.community)
