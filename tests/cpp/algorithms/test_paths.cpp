// Shortest-path centralities (betweenness, closeness, harmonic): exact values on small hand-drawn graphs, taken
// from networkx 2.8.8 (betweenness_centrality, closeness_centrality, harmonic_centrality; the script that printed
// them is quoted before each test), and agreement with Boost.Graph on random graphs.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <gtest/gtest.h>
#include <omp.h>

#include "cibgraph/algorithms/centrality/betweenness.hpp"
#include "cibgraph/algorithms/centrality/closeness.hpp"
#include "cibgraph/boost_graph.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"

namespace {

using cibgraph::BetweennessOptions;
using cibgraph::ClosenessOptions;
using cibgraph::DuplicatePolicy;
using cibgraph::Graph;

struct WeightedEdge {
  std::uint32_t u, v;
  float weight = 1.0f;
};

Graph make_graph(std::uint32_t n, const std::vector<WeightedEdge>& edges, bool directed) {
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weights;
  for (const auto& e : edges) {
    src.push_back(e.u);
    dst.push_back(e.v);
    weights.push_back(e.weight);
  }
  return Graph::from_edges(n, src, dst, weights, directed);
}

// Random graph with integer weights 1..9: exact in float and double, so BGL (float distances) and cibgraph
// (double) see the same shortest paths, and ties, which exercise the path counts, are common.
Graph random_graph(std::uint32_t n, std::uint64_t m, std::uint64_t seed, bool directed, bool weighted) {
  auto e = cibgraph::datasets::erdos_renyi(n, m, seed, weighted);
  for (float& w : e.weights) w = std::floor(w);
  return Graph::from_edges(e.n, e.src, e.dst, e.weights, directed, DuplicatePolicy::Max);
}

void expect_scores(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t v = 0; v < expected.size(); ++v) EXPECT_DOUBLE_EQ(actual[v], expected[v]) << "vertex " << v;
}

void expect_close(const std::vector<double>& actual, const std::vector<double>& expected, double tolerance = 1e-9) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t v = 0; v < expected.size(); ++v) {
    EXPECT_NEAR(actual[v], expected[v], tolerance * std::max(1.0, std::abs(expected[v]))) << "vertex " << v;
  }
}

std::vector<double> betweenness_scores(const Graph& g, bool normalized = false, bool weighted = false) {
  BetweennessOptions o;
  o.normalized = normalized;
  o.weighted = weighted;
  const auto result = cibgraph::betweenness(g, o);
  EXPECT_EQ(result.sources, g.num_vertices());
  EXPECT_EQ(result.error_bound, 0.0);
  return result.scores;
}

std::vector<double> closeness_scores(const Graph& g, bool wf_improved = true, bool weighted = false) {
  ClosenessOptions o;
  o.weighted = weighted;
  o.wf_improved = wf_improved;
  return cibgraph::closeness(g, o);
}

// Runs f with exactly `threads` OpenMP threads, then restores the previous setting.
template <class F>
auto with_threads(int threads, F&& f) {
  const int before = omp_get_max_threads();
  omp_set_num_threads(threads);
  auto out = f();
  omp_set_num_threads(before);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Hand-drawn graphs. Expected values: /usr/bin/python3 with networkx 2.8.8, e.g.
//   G = nx.path_graph(5)
//   nx.betweenness_centrality(G, normalized=False|True); nx.closeness_centrality(G, wf_improved=True|False)
//   nx.harmonic_centrality(G)
// printed with repr() and pasted.

TEST(PathsTest, PathOfFive) {
  const Graph g = make_graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}}, false);
  expect_scores(betweenness_scores(g), {0, 3, 4, 3, 0});
  expect_scores(betweenness_scores(g, true), {0, 0.5, 0.6666666666666666, 0.5, 0});
  expect_scores(closeness_scores(g), {0.4, 0.5714285714285714, 0.6666666666666666, 0.5714285714285714, 0.4});
  expect_scores(cibgraph::harmonic_centrality(g),
                {2.083333333333333, 2.8333333333333335, 3.0, 2.833333333333333, 2.083333333333333});
}

TEST(PathsTest, Star) {
  // Centre 0: every one of the C(4,2) = 6 leaf pairs passes through it.
  const Graph g = make_graph(5, {{0, 1}, {0, 2}, {3, 0}, {0, 4}}, false);
  expect_scores(betweenness_scores(g), {6, 0, 0, 0, 0});
  expect_scores(betweenness_scores(g, true), {1, 0, 0, 0, 0});
  const double leaf = 0.5714285714285714;  // 4 / (1 + 2 + 2 + 2)
  expect_scores(closeness_scores(g), {1.0, leaf, leaf, leaf, leaf});
  expect_scores(cibgraph::harmonic_centrality(g), {4.0, 2.5, 2.5, 2.5, 2.5});
}

TEST(PathsTest, TwoCliquesJoinedByABridge) {
  // K4 on {0,1,2,3} and K4 on {4,5,6,7}, bridge 3–4: 3 and 4 each carry 3 * 4 = 12 pairs.
  std::vector<WeightedEdge> edges{{3, 4}};
  for (std::uint32_t base : {0u, 4u}) {
    for (std::uint32_t a = 0; a < 4; ++a) {
      for (std::uint32_t b = a + 1; b < 4; ++b) edges.push_back({base + a, base + b});
    }
  }
  const Graph g = make_graph(8, edges, false);
  expect_scores(betweenness_scores(g), {0, 0, 0, 12, 12, 0, 0, 0});
  const double bridge = 0.5714285714285714;  // 12 * 2 / (7 * 6)
  expect_scores(betweenness_scores(g, true), {0, 0, 0, bridge, bridge, 0, 0, 0});
  expect_scores(closeness_scores(g), {0.5, 0.5, 0.5, 0.7, 0.7, 0.5, 0.5, 0.5});
  expect_scores(cibgraph::harmonic_centrality(g), {4.5, 4.5, 4.5, 5.5, 5.5, 4.5, 4.5, 4.5});
}

TEST(PathsTest, DirectedCycleWithADanglingNode) {
  // 0→1→2→3→0 and 1→4: 4 reaches nobody, so closeness of 0..3 is scaled by 3/4 under Wasserman–Faust;
  // distances run TO the vertex (4 is reached from all four others).
  const Graph g = make_graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {1, 4}}, true);
  expect_scores(betweenness_scores(g), {5, 6, 3, 4, 0});
  expect_scores(betweenness_scores(g, true), {0.41666666666666663, 0.5, 0.25, 0.3333333333333333, 0});
  expect_scores(closeness_scores(g, true), {0.375, 0.375, 0.375, 0.375, 0.4});
  expect_scores(closeness_scores(g, false), {0.5, 0.5, 0.5, 0.5, 0.4});
  expect_scores(cibgraph::harmonic_centrality(g),
                {1.8333333333333333, 1.8333333333333333, 1.8333333333333333, 1.8333333333333333,
                 2.0833333333333335});
}

TEST(PathsTest, WeightedShortestPathsDifferFromHopPaths) {
  // 0–3 has length 10 but 0–1–2–3 only 2 + 0.5 + 1.5 = 4: weighted, the graph behaves like the path 0–1–2–3–4.
  const Graph g = make_graph(5, {{0, 3, 10.0f}, {0, 1, 2.0f}, {1, 2, 0.5f}, {2, 3, 1.5f}, {3, 4, 3.0f}}, false);
  // nx.betweenness_centrality(G) / (G, weight="weight"), and likewise for closeness and harmonic with distance=.
  expect_scores(betweenness_scores(g, false, false), {1.0, 0.5, 1.0, 3.5, 0.0});
  expect_scores(betweenness_scores(g, false, true), {0, 3, 4, 3, 0});
  expect_scores(betweenness_scores(g, true, true), {0, 0.5, 0.6666666666666666, 0.5, 0});
  expect_scores(closeness_scores(g, true, false), {0.6666666666666666, 0.5714285714285714, 0.6666666666666666,
                                                   0.8, 0.5});
  expect_scores(closeness_scores(g, true, true), {0.25806451612903225, 0.42105263157894735, 0.4444444444444444,
                                                  0.38095238095238093, 0.20512820512820512});
  expect_scores(cibgraph::harmonic_centrality(g, false), {3.0, 2.8333333333333335, 3.0, 3.5, 2.333333333333333});
  expect_scores(cibgraph::harmonic_centrality(g, true),
                {1.2928571428571427, 3.2, 3.2888888888888888, 1.7499999999999998, 0.8984126984126984});
}

TEST(PathsTest, WeightedDirectedClosenessUsesIncomingDistances) {
  // The graph above made directed along 0→1→2→3→4→0 plus the long chord 0→3 (10).
  const Graph g =
      make_graph(5, {{0, 3, 10.0f}, {0, 1, 2.0f}, {1, 2, 0.5f}, {2, 3, 1.5f}, {3, 4, 3.0f}, {4, 0, 1.0f}}, true);
  expect_scores(betweenness_scores(g, false, true), {6, 6, 6, 6, 6});
  expect_scores(closeness_scores(g, true, true), {0.24242424242424243, 0.21621621621621623, 0.3076923076923077,
                                                  0.32, 0.20512820512820512});
  expect_scores(cibgraph::harmonic_centrality(g, true),
                {1.5984848484848484, 1.1333333333333333, 2.8395604395604392, 1.6166666666666665,
                 0.8984126984126984});
}

TEST(PathsTest, TinyAndEmptyGraphs) {
  const Graph empty;
  EXPECT_TRUE(cibgraph::betweenness(empty).scores.empty());
  EXPECT_TRUE(cibgraph::closeness(empty).empty());
  EXPECT_TRUE(cibgraph::harmonic_centrality(empty).empty());
  // Two vertices: nothing lies between; normalization is skipped rather than dividing by zero.
  const Graph pair = make_graph(2, {{0, 1}}, false);
  BetweennessOptions o;
  o.normalized = true;
  expect_scores(cibgraph::betweenness(pair, o).scores, {0, 0});
  o.samples = 1;
  const auto sampled = cibgraph::betweenness(pair, o);
  expect_scores(sampled.scores, {0, 0});
  EXPECT_EQ(sampled.sources, 1u);
  EXPECT_EQ(sampled.error_bound, 0.0);
  expect_scores(cibgraph::closeness(pair), {1, 1});
  // Isolated vertices and self-loops: closeness 0, no effect on betweenness.
  const Graph lonely = make_graph(3, {{0, 0}, {1, 2}}, false);
  expect_scores(betweenness_scores(lonely), {0, 0, 0});
  expect_scores(closeness_scores(lonely), {0, 0.5, 0.5});  // (1/1) * (1/2) under Wasserman–Faust
  expect_scores(cibgraph::harmonic_centrality(lonely), {0, 1, 1});
}

TEST(PathsTest, InvalidWeightsAndOptionsThrow) {
  for (const float bad : {0.0f, -1.0f}) {
    const Graph g = make_graph(3, {{0, 1, 1.0f}, {1, 2, bad}}, false);
    BetweennessOptions o;
    o.weighted = true;
    EXPECT_THROW(cibgraph::betweenness(g, o), cibgraph::InputError);
    EXPECT_THROW(closeness_scores(g, true, true), cibgraph::InputError);
    EXPECT_THROW(cibgraph::harmonic_centrality(g, true), cibgraph::InputError);
    // Hop counts ignore the weights.
    expect_scores(betweenness_scores(g), {0, 1, 0});
  }
  const Graph g = make_graph(3, {{0, 1}, {1, 2}}, false);
  for (const double confidence : {0.0, 1.0, -0.5, 2.0, std::numeric_limits<double>::quiet_NaN()}) {
    BetweennessOptions o;
    o.samples = 2;
    o.confidence = confidence;
    EXPECT_THROW(cibgraph::betweenness(g, o), cibgraph::UsageError) << confidence;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Boost.Graph as the oracle. Its brandes_betweenness_centrality already halves undirected graphs (it divides by
// two itself; see BglTest.BetweennessOnAPathOfFive in test_graph.cpp), so its raw output is networkx's.

template <class View>
std::vector<double> bgl_betweenness(const View& view, bool weighted) {
  std::vector<double> centrality(num_vertices(view), 0.0);
  const auto centrality_map = boost::make_iterator_property_map(centrality.begin(), get(boost::vertex_index, view));
  if (weighted) {
    boost::brandes_betweenness_centrality(
        view, boost::centrality_map(centrality_map).weight_map(get(boost::edge_weight, view)));
  } else {
    boost::brandes_betweenness_centrality(view, centrality_map);
  }
  return centrality;
}

struct BglDistanceScores {
  std::vector<double> closeness, harmonic;
};

// Closeness (Wasserman–Faust) and harmonic from BGL's Dijkstra run forward from every source, summing d(s, t)
// into t: the opposite direction from cibgraph's passes over the transpose. Unweighted: every arc length 1.
template <class View>
BglDistanceScores bgl_distance_scores(const View& view, const Graph& g, bool weighted) {
  const std::uint32_t n = g.num_vertices();
  std::vector<double> total(n, 0.0), inverse(n, 0.0);
  std::vector<std::uint32_t> reached(n, 0);
  std::vector<float> unit_lengths(g.num_arcs(), 1.0f);
  const cibgraph::bgl::EdgeWeightMap lengths(weighted ? g.weights.data() : unit_lengths.data());
  std::vector<double> dist(n);
  for (std::uint32_t s = 0; s < n; ++s) {
    boost::dijkstra_shortest_paths(
        view, s,
        boost::weight_map(lengths).distance_map(
            boost::make_iterator_property_map(dist.begin(), get(boost::vertex_index, view))));
    for (std::uint32_t t = 0; t < n; ++t) {
      if (t == s || dist[t] == std::numeric_limits<double>::max()) continue;
      total[t] += dist[t];
      inverse[t] += 1.0 / dist[t];
      ++reached[t];
    }
  }
  BglDistanceScores out{std::vector<double>(n, 0.0), inverse};
  for (std::uint32_t t = 0; t < n; ++t) {
    if (reached[t] > 0) out.closeness[t] = reached[t] / total[t] * (reached[t] / (n - 1.0));
  }
  return out;
}

class PathsBglTest : public ::testing::TestWithParam<std::tuple<bool, bool>> {};

TEST_P(PathsBglTest, BetweennessClosenessAndHarmonicAgreeWithBoostGraph) {
  const auto [directed, weighted] = GetParam();
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    // Sparse enough to leave several components and unreachable pairs, dense enough for many tied paths.
    const Graph g = random_graph(120, directed ? 300 : 200, seed, directed, weighted);
    std::vector<double> expected;
    BglDistanceScores expected_distances;
    cibgraph::bgl::with_bgl_view(g, [&](const auto& view) {
      expected = bgl_betweenness(view, weighted);
      expected_distances = bgl_distance_scores(view, g, weighted);
    });
    const auto actual = betweenness_scores(g, false, weighted);
    expect_close(actual, expected);
    // Guard against an oracle that agrees because both are trivially zero.
    EXPECT_GT(*std::max_element(expected.begin(), expected.end()), 100.0);
    expect_close(closeness_scores(g, true, weighted), expected_distances.closeness);
    expect_close(cibgraph::harmonic_centrality(g, weighted), expected_distances.harmonic);
  }
}

INSTANTIATE_TEST_SUITE_P(DirectedWeighted, PathsBglTest,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool()),
                         [](const auto& param_info) {
                           return std::string(std::get<0>(param_info.param) ? "Directed" : "Undirected") +
                                  (std::get<1>(param_info.param) ? "Weighted" : "Hops");
                         });

// ---------------------------------------------------------------------------------------------------------
// Sampling.

TEST(PathsTest, SampledEstimateIsWithinItsErrorBound) {
  for (const bool directed : {false, true}) {
    const Graph g = random_graph(300, 900, 7, directed, false);
    const auto exact = cibgraph::betweenness(g).scores;
    for (const std::uint64_t seed : {1u, 2u}) {
      BetweennessOptions o;
      o.samples = 60;
      o.seed = seed;
      const auto sampled = cibgraph::betweenness(g, o);
      EXPECT_EQ(sampled.sources, 60u);
      // n (n-2) sqrt(ln(2n / 0.05) / (2k)), halved when undirected.
      const double n = 300.0;
      const double bound = n * (n - 2.0) * std::sqrt(std::log(2.0 * n / 0.05) / 120.0) * (directed ? 1.0 : 0.5);
      EXPECT_NEAR(sampled.error_bound, bound, 1e-9 * bound);
      for (std::size_t v = 0; v < exact.size(); ++v) {
        EXPECT_LE(std::abs(sampled.scores[v] - exact[v]), sampled.error_bound) << "vertex " << v;
      }
      // An estimate, not the exact value, but with the same total scale: the sums agree within 25%.
      double sum_exact = 0, sum_sampled = 0;
      for (std::size_t v = 0; v < exact.size(); ++v) {
        sum_exact += exact[v];
        sum_sampled += sampled.scores[v];
      }
      EXPECT_NE(sampled.scores, exact);
      EXPECT_NEAR(sum_sampled, sum_exact, 0.25 * sum_exact);
    }
  }
}

TEST(PathsTest, SampledStarIsScaledByNOverK) {
  // Star with centre 0 and 9 leaves: a leaf source gives the centre a dependency of 8 (before halving), the centre
  // as source gives 0. So with k sources the estimate is (10/k) * (leaves among them) * 8 / 2.
  std::vector<WeightedEdge> edges;
  for (std::uint32_t leaf = 1; leaf < 10; ++leaf) edges.push_back({0, leaf});
  const Graph g = make_graph(10, edges, false);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    BetweennessOptions o;
    o.samples = 4;
    o.seed = seed;
    const auto sampled = cibgraph::betweenness(g, o);
    const double centre = sampled.scores[0];
    EXPECT_TRUE(centre == 10.0 / 4 * 4 * 4 || centre == 10.0 / 4 * 3 * 4) << centre;
    for (std::uint32_t leaf = 1; leaf < 10; ++leaf) EXPECT_EQ(sampled.scores[leaf], 0.0);
  }
}

TEST(PathsTest, SamplesAtLeastNIsExact) {
  const Graph g = random_graph(50, 120, 11, true, true);
  BetweennessOptions o;
  o.weighted = true;
  o.normalized = true;
  const auto exact = cibgraph::betweenness(g, o);
  for (const std::uint32_t k : {50u, 51u, 1000u}) {
    o.samples = k;
    const auto sampled = cibgraph::betweenness(g, o);
    EXPECT_EQ(sampled.scores, exact.scores);
    EXPECT_EQ(sampled.sources, 50u);
    EXPECT_EQ(sampled.error_bound, 0.0);
  }
}

TEST(PathsTest, SameSeedSameSampleOtherSeedOtherSample) {
  const Graph g = random_graph(200, 600, 5, false, false);
  BetweennessOptions o;
  o.samples = 20;
  o.seed = 42;
  const auto first = cibgraph::betweenness(g, o).scores;
  EXPECT_EQ(cibgraph::betweenness(g, o).scores, first);
  o.seed = 43;
  EXPECT_NE(cibgraph::betweenness(g, o).scores, first);
}

// ---------------------------------------------------------------------------------------------------------
// Determinism: more sources than blocks (256), so blocks hold several sources and threads interleave.

TEST(PathsTest, BitIdenticalForOneAndTwoThreads) {
  for (const bool directed : {false, true}) {
    for (const bool weighted : {false, true}) {
      const Graph g = random_graph(500, 2000, 13, directed, weighted);
      BetweennessOptions o;
      o.weighted = weighted;
      const auto one = with_threads(1, [&] { return cibgraph::betweenness(g, o).scores; });
      const auto two = with_threads(2, [&] { return cibgraph::betweenness(g, o).scores; });
      EXPECT_EQ(one, two);
      o.samples = 300;
      const auto sampled_one = with_threads(1, [&] { return cibgraph::betweenness(g, o).scores; });
      const auto sampled_two = with_threads(2, [&] { return cibgraph::betweenness(g, o).scores; });
      EXPECT_EQ(sampled_one, sampled_two);
      const auto closeness_one = with_threads(1, [&] { return closeness_scores(g, true, weighted); });
      const auto closeness_two = with_threads(2, [&] { return closeness_scores(g, true, weighted); });
      EXPECT_EQ(closeness_one, closeness_two);
      const auto harmonic_one = with_threads(1, [&] { return cibgraph::harmonic_centrality(g, weighted); });
      const auto harmonic_two = with_threads(2, [&] { return cibgraph::harmonic_centrality(g, weighted); });
      EXPECT_EQ(harmonic_one, harmonic_two);
    }
  }
}

}  // namespace
