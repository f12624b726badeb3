// Label propagation and spectral clustering on small hand-drawn graphs with exact expected partitions, planted
// partitions, and Boost.Graph's connected components as the oracle on random graphs.
#include <cstdint>
#include <vector>

#include <boost/graph/connected_components.hpp>
#include <gtest/gtest.h>
#include <omp.h>

#include "cibgraph/algorithms/community/label_propagation.hpp"
#include "cibgraph/algorithms/community/spectral.hpp"
#include "cibgraph/boost_graph.hpp"
#include "cibgraph/datasets/lfr.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"

namespace {

using cibgraph::CommunityResult;
using cibgraph::Graph;
using cibgraph::LabelPropagationOptions;
using cibgraph::SpectralOptions;
using Membership = std::vector<std::uint32_t>;

struct Edges {
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weights;
  void add(std::uint32_t u, std::uint32_t v, float w = 1.0f) {
    src.push_back(u);
    dst.push_back(v);
    weights.push_back(w);
  }
  void add_clique(std::uint32_t first, std::uint32_t size) {
    for (std::uint32_t i = first; i < first + size; ++i) {
      for (std::uint32_t j = i + 1; j < first + size; ++j) add(i, j);
    }
  }
  Graph build(std::uint32_t n, bool directed = false) const {
    return Graph::from_edges(n, src, dst, weights, directed);
  }
};

// K5 on 0..4 and K5 on 5..9 joined by the bridge 4-5 (plus `extra` isolated vertices from 10).
Graph two_cliques(bool directed = false, std::uint32_t extra = 0) {
  Edges e;
  e.add_clique(0, 5);
  e.add_clique(5, 5);
  e.add(4, 5);
  return e.build(10 + extra, directed);
}

const Membership two_clique_membership{0, 0, 0, 0, 0, 1, 1, 1, 1, 1};

// Blocks of `block` vertices, edge probability p_in inside a block and p_out between blocks.
Graph planted_partition(std::uint32_t blocks, std::uint32_t block, double p_in, double p_out, std::uint64_t seed) {
  cibgraph::datasets::SplitMix64 rng(seed);
  Edges e;
  const std::uint32_t n = blocks * block;
  for (std::uint32_t u = 0; u < n; ++u) {
    for (std::uint32_t v = u + 1; v < n; ++v) {
      if (rng.uniform() < (u / block == v / block ? p_in : p_out)) e.add(u, v);
    }
  }
  return e.build(n);
}

Membership block_membership(std::uint32_t blocks, std::uint32_t block) {
  Membership m(blocks * block);
  for (std::uint32_t v = 0; v < m.size(); ++v) m[v] = v / block;
  return m;
}

// Boost.Graph's connected components, numbered in order of their smallest vertex like CommunityResult.
Membership bgl_components(const Graph& g) {
  const cibgraph::bgl::Undirected view(g);
  std::vector<int> component(g.num_vertices());
  boost::connected_components(view, boost::make_iterator_property_map(component.begin(), get(boost::vertex_index, view)));
  Membership m(component.begin(), component.end());
  cibgraph::renumber_communities(m);
  return m;
}

Graph random_graph(std::uint32_t n, std::uint64_t m, std::uint64_t seed) {
  const auto e = cibgraph::datasets::erdos_renyi(n, m, seed);
  return Graph::from_edges(e.n, e.src, e.dst, e.weights, false);
}

// ---------------------------------------------------------------------------------------------------------
// Label propagation

TEST(LabelPropagation, FindsTwoCliquesJoinedByABridge) {
  const Graph g = two_cliques();
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const CommunityResult r = cibgraph::label_propagation(g, {.seed = seed});
    EXPECT_EQ(r.membership, two_clique_membership) << "seed " << seed;
    EXPECT_EQ(r.count, 2u);
    // networkx.community.modularity(G, [{0..4}, {5..9}]) = 0.45238095238095233 (= 20/21 - 1/2).
    EXPECT_NEAR(r.quality, 0.45238095238095233, 1e-12);
    EXPECT_GE(r.iterations, 2u);  // at least one sweep that changes labels and one that confirms
  }
}

TEST(LabelPropagation, DirectedInputIsReadAsUndirected) {
  const Graph g = two_cliques(true);  // every arc from the lower to the higher id
  const CommunityResult r = cibgraph::label_propagation(g, {.seed = 3});
  EXPECT_EQ(r.membership, two_clique_membership);
  // networkx.community.modularity(DiGraph of the same arcs, [{0..4}, {5..9}]) = 0.45351473922902485.
  EXPECT_NEAR(r.quality, 0.45351473922902485, 1e-12);
}

TEST(LabelPropagation, IsolatedVerticesStayAlone) {
  // Triangle 0-1-2, isolated 3, isolated 4 with a self-loop, edge 5-6.
  Edges e;
  e.add(0, 1);
  e.add(1, 2);
  e.add(0, 2);
  e.add(4, 4);
  e.add(5, 6);
  const Graph g = e.build(7);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const CommunityResult r = cibgraph::label_propagation(g, {.seed = seed});
    EXPECT_EQ(r.membership, (Membership{0, 0, 0, 1, 2, 3, 3})) << "seed " << seed;
    EXPECT_EQ(r.count, 4u);
    // networkx.community.modularity(G with the self-loop 4-4, [{0,1,2},{3},{4},{5,6}]) = 0.56.
    EXPECT_NEAR(r.quality, 0.56, 1e-12);
  }
  const Graph empty = Edges{}.build(3);
  const CommunityResult r = cibgraph::label_propagation(empty);
  EXPECT_EQ(r.membership, (Membership{0, 1, 2}));
  EXPECT_EQ(r.quality, 0.0);
  EXPECT_EQ(r.iterations, 1u);
}

TEST(LabelPropagation, WeightsDecide) {
  // K6 on 1..6 and K6 on 7..12; vertex 0 has ties of weight 1 to 1, 2, 3 and of weight 2 to 7, 8. By weight
  // (4 against 3) vertex 0 belongs with the second clique, by count (2 against 3) with the first.
  Edges e;
  e.add_clique(1, 6);
  e.add_clique(7, 6);
  for (const std::uint32_t v : {1u, 2u, 3u}) e.add(0, v);
  for (const std::uint32_t v : {7u, 8u}) e.add(0, v, 2.0f);
  const Graph g = e.build(13);
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    const CommunityResult weighted = cibgraph::label_propagation(g, {.seed = seed});
    EXPECT_EQ(weighted.membership, (Membership{0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0})) << "seed " << seed;
    // networkx.community.modularity(G, [{1..6}, {0,7..12}], weight='weight') = 0.4130752373995617.
    EXPECT_NEAR(weighted.quality, 0.4130752373995617, 1e-12);
    const CommunityResult unweighted = cibgraph::label_propagation(g, {.seed = seed, .weighted = false});
    EXPECT_EQ(unweighted.membership, (Membership{0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1})) << "seed " << seed;
    // networkx.community.modularity(G, [{0..6}, {7..12}], weight=None) = 0.43918367346938764.
    EXPECT_NEAR(unweighted.quality, 0.43918367346938764, 1e-12);
  }
}

TEST(LabelPropagation, RecoversPlantedBlocks) {
  const Graph g = planted_partition(4, 50, 0.4, 0.005, 11);
  const CommunityResult r = cibgraph::label_propagation(g, {.seed = 1});
  EXPECT_EQ(r.membership, block_membership(4, 50));
}

TEST(LabelPropagation, CommunitiesStayInsideBglComponents) {
  // Sparse: hundreds of components. Labels travel along edges only, so no community may straddle two.
  const Graph g = random_graph(3000, 2000, 5);
  const Membership component = bgl_components(g);
  const CommunityResult r = cibgraph::label_propagation(g, {.seed = 2});
  std::vector<std::uint32_t> component_of_community(r.count, ~0u);
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    auto& c = component_of_community[r.membership[v]];
    if (c == ~0u) c = component[v];
    ASSERT_EQ(c, component[v]) << "community " << r.membership[v] << " spans two components";
  }
  EXPECT_GE(r.count, component.back() + 1);  // at least one community per component
}

TEST(LabelPropagation, DeterministicForASeed) {
  const auto e = cibgraph::datasets::rmat(14, 100000, 9);
  const Graph g = Graph::from_edges(e.n, e.src, e.dst, e.weights, false);
  omp_set_num_threads(1);
  const CommunityResult a = cibgraph::label_propagation(g, {.seed = 4});
  omp_set_num_threads(2);
  const CommunityResult b = cibgraph::label_propagation(g, {.seed = 4});
  EXPECT_EQ(a.membership, b.membership);
  EXPECT_EQ(a.quality, b.quality);
  EXPECT_EQ(a.iterations, b.iterations);
  const CommunityResult c = cibgraph::label_propagation(g, {.seed = 5});
  EXPECT_NE(a.membership, c.membership);  // another seed: another random order, another partition
  EXPECT_LE(a.iterations, 100u);
}

TEST(LabelPropagation, IterationCapAndBadInput) {
  const Graph g = planted_partition(2, 30, 0.5, 0.05, 3);
  const CommunityResult r = cibgraph::label_propagation(g, {.max_iterations = 1});
  EXPECT_EQ(r.iterations, 1u);
  EXPECT_THROW(cibgraph::label_propagation(g, {.max_iterations = 0}), cibgraph::UsageError);
  Edges e;
  e.add(0, 1, -1.0f);
  EXPECT_THROW(cibgraph::label_propagation(e.build(2)), cibgraph::InputError);
  EXPECT_NO_THROW(cibgraph::label_propagation(e.build(2), {.weighted = false}));
}

// ---------------------------------------------------------------------------------------------------------
// Spectral clustering

TEST(SpectralClustering, SplitsTwoCliquesJoinedByABridge) {
  const Graph g = two_cliques();
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const CommunityResult r = cibgraph::spectral_clustering(g, {.k = 2, .seed = seed});
    EXPECT_EQ(r.membership, two_clique_membership) << "seed " << seed;
    EXPECT_EQ(r.count, 2u);
    EXPECT_GT(r.quality, 0.0);  // the bridge ends pull away from their cliques: some inertia
    EXPECT_LT(r.quality, 1.0);
  }
  EXPECT_EQ(cibgraph::spectral_clustering(two_cliques(true), {.k = 2}).membership, two_clique_membership);
}

TEST(SpectralClustering, IsolatedVerticesAreSingletons) {
  const CommunityResult r = cibgraph::spectral_clustering(two_cliques(false, 2), {.k = 2});
  EXPECT_EQ(r.membership, (Membership{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 3}));
  EXPECT_EQ(r.count, 4u);
}

TEST(SpectralClustering, RecoversThreePlantedBlocksDense) {
  const Graph g = planted_partition(3, 100, 0.2, 0.01, 21);  // 300 vertices: the dense eigensolver
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    EXPECT_EQ(cibgraph::spectral_clustering(g, {.k = 3, .seed = seed}).membership, block_membership(3, 100));
  }
}

TEST(SpectralClustering, RecoversThreePlantedBlocksLanczos) {
  const Graph g = planted_partition(3, 400, 0.05, 0.0025, 22);  // 1200 vertices: Spectra's Lanczos solver
  EXPECT_EQ(cibgraph::spectral_clustering(g, {.k = 3, .seed = 1}).membership, block_membership(3, 400));
}

TEST(SpectralClustering, DisconnectedGraphs) {
  // K4 on 0..3, K4 on 4..7, vertex 8 isolated.
  Edges e;
  e.add_clique(0, 4);
  e.add_clique(4, 4);
  const Graph g = e.build(9);
  const Membership components{0, 0, 0, 0, 1, 1, 1, 1, 2};
  for (const std::uint32_t k : {1u, 2u}) {  // k <= components: the components are the answer
    const CommunityResult r = cibgraph::spectral_clustering(g, {.k = k});
    EXPECT_EQ(r.membership, components) << "k " << k;
    EXPECT_EQ(r.quality, 0.0);
  }
  // k = 3: one K4 is split, nothing straddles the two.
  const CommunityResult r = cibgraph::spectral_clustering(g, {.k = 3});
  EXPECT_EQ(r.count, 4u);
  for (std::uint32_t v = 1; v < 4; ++v) {
    EXPECT_NE(r.membership[v], r.membership[4]);
    EXPECT_NE(r.membership[v + 4], r.membership[0]);
  }
}

TEST(SpectralClustering, ComponentsAgreeWithBgl) {
  const Graph g = random_graph(2000, 800, 8);  // many components, more than k
  const CommunityResult r = cibgraph::spectral_clustering(g, {.k = 10});
  EXPECT_EQ(r.membership, bgl_components(g));
}

TEST(SpectralClustering, DeterministicWhateverTheThreadCount) {
  // Large enough (1.2 million arcs, 30000 points x 6 x 6) for the parallel SpMV and k-means steps.
  cibgraph::datasets::LfrOptions o;
  o.n = 30000;
  o.average_degree = 40;
  o.max_degree = 100;
  o.mixing = 0.4;
  o.min_community = o.max_community = 5000;
  o.seed = 17;
  const auto lfr = cibgraph::datasets::lfr(o);
  const Graph g = Graph::from_edges(lfr.n, lfr.src, lfr.dst, {}, false);
  ASSERT_GT(g.num_arcs(), cibgraph::detail::spmv_parallel_threshold);
  omp_set_num_threads(1);
  const CommunityResult a = cibgraph::spectral_clustering(g, {.k = 6, .seed = 6, .kmeans_restarts = 3});
  omp_set_num_threads(2);
  const CommunityResult b = cibgraph::spectral_clustering(g, {.k = 6, .seed = 6, .kmeans_restarts = 3});
  EXPECT_EQ(a.membership, b.membership);
  EXPECT_EQ(a.quality, b.quality);
  EXPECT_EQ(a.iterations, b.iterations);
  Membership planted = lfr.community;
  cibgraph::renumber_communities(planted);
  EXPECT_EQ(a.membership, planted);  // six planted communities of 5000 at mu = 0.4: an easy case
}

TEST(SpectralClustering, ValidatesOptions) {
  const Graph g = two_cliques();
  EXPECT_THROW(cibgraph::spectral_clustering(g, {.k = 0}), cibgraph::UsageError);
  EXPECT_THROW(cibgraph::spectral_clustering(g, {.k = 11}), cibgraph::UsageError);
  EXPECT_THROW(cibgraph::spectral_clustering(Edges{}.build(0), {.k = 1}), cibgraph::UsageError);
  EXPECT_THROW(cibgraph::spectral_clustering(g, {.k = 2, .kmeans_restarts = 0}), cibgraph::UsageError);
  // k = n: every vertex alone.
  const CommunityResult r = cibgraph::spectral_clustering(g, {.k = 10});
  EXPECT_EQ(r.count, 10u);
  Edges negative;
  negative.add(0, 1, -2.0f);
  EXPECT_THROW(cibgraph::spectral_clustering(negative.build(2), {.k = 1}), cibgraph::InputError);
}

}  // namespace
