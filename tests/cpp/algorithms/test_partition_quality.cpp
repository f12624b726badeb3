// Partition quality (modularity, CPM, conductance, coverage) and partition agreement (NMI, ARI).
// Literals come from /usr/bin/python3 with networkx 2.8.8 (community.modularity, cuts.conductance,
// community.partition_quality), leidenalg (CPMVertexPartition(...).quality()) and igraph
// (compare_communities(a, b, "nmi" / "adjusted_rand")), printed with repr() and pasted here.
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "cibgraph/algorithms/community/quality.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"

namespace {

using cibgraph::Graph;
using Membership = std::vector<std::uint32_t>;

constexpr double tolerance = 1e-12;

struct WeightedEdge {
  std::uint32_t u, v;
  float w;
};

Graph graph_of(std::uint32_t n, const std::vector<WeightedEdge>& edges, bool directed) {
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weights;
  for (const auto& e : edges) {
    src.push_back(e.u);
    dst.push_back(e.v);
    weights.push_back(e.w);
  }
  return Graph::from_edges(n, src, dst, weights, directed);
}

// Two K4 {0..3} and {4..7} joined by the bridge 3–4, unit weights (networkx barbell-like).
Graph two_cliques() {
  std::vector<WeightedEdge> e;
  for (std::uint32_t base : {0u, 4u}) {
    for (std::uint32_t a = 0; a < 4; ++a) {
      for (std::uint32_t b = a + 1; b < 4; ++b) e.push_back({base + a, base + b, 1.0f});
    }
  }
  e.push_back({3, 4, 1.0f});
  return graph_of(8, e, false);
}

// Weighted triangle 0-1 (1), 1-2 (2), 0-2 (1) with a self-loop 0-0 (3); 2-3 (1), 3-4 (0.5), loop 4-4 (2.5).
Graph weighted_with_loops() {
  return graph_of(5, {{0, 1, 1}, {1, 2, 2}, {0, 2, 1}, {0, 0, 3}, {2, 3, 1}, {3, 4, 0.5f}, {4, 4, 2.5f}}, false);
}

// Directed: 0→1 (1), 1→2 (2), 2→0 (1.5), 2→3 (1), 3→4 (3), 4→3 (0.5), loop 1→1 (2), 4→0 (1).
Graph directed_with_loop() {
  return graph_of(5, {{0, 1, 1}, {1, 2, 2}, {2, 0, 1.5f}, {2, 3, 1}, {3, 4, 3}, {4, 3, 0.5f}, {1, 1, 2}, {4, 0, 1}},
                  true);
}

TEST(PartitionQuality, ModularityTwoCliques) {
  const Graph g = two_cliques();
  const Membership halves{0, 0, 0, 0, 1, 1, 1, 1};
  EXPECT_NEAR(cibgraph::modularity(g, halves), 0.42307692307692313, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, halves, 0.5), 0.6730769230769231, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, halves, 2.0), -0.07692307692307687, tolerance);
  const Membership three{0, 0, 0, 0, 1, 1, 2, 2};
  EXPECT_NEAR(cibgraph::modularity(g, three), 0.23964497041420124, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, three, 0.5), 0.4275147928994083, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, three, 2.0), -0.136094674556213, tolerance);
  // Everything in one community: Q = 1 - gamma.
  EXPECT_NEAR(cibgraph::modularity(g, Membership(8, 0)), 0.0, tolerance);
}

TEST(PartitionQuality, ModularityCountsUndirectedSelfLoopsTwiceInDegree) {
  // networkx (and igraph) count a loop of weight w as 2w in the degree and once in m: our CSR stores it once and
  // modularity doubles it. Values from networkx; stored once the first would be 0.2755 instead.
  const Graph g = weighted_with_loops();
  const Membership m{0, 0, 0, 1, 1};
  EXPECT_NEAR(cibgraph::modularity(g, m), 0.3429752066115702, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, m, 0.5), 0.6260330578512396, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, m, 2.0), -0.22314049586776863, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, m, 1.0, false), 0.3163265306122449, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, m, 0.5, false), 0.5867346938775511, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, m, 2.0, false), -0.22448979591836732, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, Membership(5, 0), 0.5), 0.5, tolerance);
}

TEST(PartitionQuality, ModularityDirected) {
  const Graph g = directed_with_loop();
  const Membership m{0, 0, 0, 1, 1};
  EXPECT_NEAR(cibgraph::modularity(g, m), 0.3020833333333333, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, m, 0.5), 0.5677083333333333, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, m, 2.0), -0.22916666666666669, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, m, 1.0, false), 0.21875, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, m, 0.5, false), 0.484375, tolerance);
  EXPECT_NEAR(cibgraph::modularity(g, m, 2.0, false), -0.3125, tolerance);
}

TEST(PartitionQuality, ModularityAcceptsAnyIds) {
  const Graph g = two_cliques();
  const Membership sparse_ids{4000000000u, 4000000000u, 4000000000u, 4000000000u, 7, 7, 9, 9};
  EXPECT_NEAR(cibgraph::modularity(g, sparse_ids), 0.23964497041420124, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(g, sparse_ids, 0.5), 8.0, tolerance);
  EXPECT_NEAR(cibgraph::coverage(g, sparse_ids), 0.6153846153846154, tolerance);
}

// The textbook double sum over all vertex pairs, as an independent check on a random weighted graph.
double modularity_by_definition(const Graph& g, const Membership& m, double gamma) {
  const std::uint32_t n = g.num_vertices();
  std::vector<double> a(std::size_t{n} * n, 0.0);
  for (std::uint32_t u = 0; u < n; ++u) {
    const auto row = g.neighbors(u);
    for (std::size_t i = 0; i < row.size(); ++i) {
      a[std::size_t{u} * n + row[i]] += g.neighbor_weights(u)[i] * (!g.directed && row[i] == u ? 2.0 : 1.0);
    }
  }
  std::vector<double> k_out(n, 0.0), k_in(n, 0.0);
  double total = 0.0;
  for (std::uint32_t u = 0; u < n; ++u) {
    for (std::uint32_t v = 0; v < n; ++v) {
      k_out[u] += a[std::size_t{u} * n + v];
      k_in[v] += a[std::size_t{u} * n + v];
      total += a[std::size_t{u} * n + v];
    }
  }
  double q = 0.0;
  for (std::uint32_t u = 0; u < n; ++u) {
    for (std::uint32_t v = 0; v < n; ++v) {
      if (m[u] == m[v]) q += a[std::size_t{u} * n + v] - gamma * k_out[u] * k_in[v] / total;
    }
  }
  return q / total;
}

TEST(PartitionQuality, ModularityMatchesDefinitionOnRandomGraphs) {
  for (const bool directed : {false, true}) {
    auto e = cibgraph::datasets::erdos_renyi(150, 700, directed ? 41 : 42, true);
    for (std::uint32_t v = 0; v < 150; v += 7) {  // some self-loops too
      e.src.push_back(v);
      e.dst.push_back(v);
      e.weights.push_back(2.5f);
    }
    const Graph g = Graph::from_edges(e.n, e.src, e.dst, e.weights, directed);
    cibgraph::datasets::SplitMix64 rng(43);
    Membership m(150);
    for (auto& c : m) c = rng.below(6);
    for (const double gamma : {1.0, 0.3}) {
      EXPECT_NEAR(cibgraph::modularity(g, m, gamma), modularity_by_definition(g, m, gamma), 1e-12);
    }
  }
}

TEST(PartitionQuality, ModularityIsTheSameForAnyThreadCount) {
#ifdef _OPENMP
  const auto e = cibgraph::datasets::rmat(17, 800000, 44);
  const Graph g = Graph::from_edges(e.n, e.src, e.dst, e.weights, false);
  ASSERT_GT(g.num_arcs(), cibgraph::detail::quality_parallel_threshold);  // or the team never wakes
  cibgraph::datasets::SplitMix64 rng(45);
  Membership m(g.num_vertices());
  for (auto& c : m) c = rng.below(100);
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const double one = cibgraph::modularity(g, m);
  const double cover_one = cibgraph::coverage(g, m);
  omp_set_num_threads(3);
  const double three = cibgraph::modularity(g, m);
  const double cover_three = cibgraph::coverage(g, m);
  omp_set_num_threads(before);
  EXPECT_EQ(one, three);  // bit-identical, not merely close
  EXPECT_EQ(cover_one, cover_three);
#else
  GTEST_SKIP() << "built without OpenMP";
#endif
}

TEST(PartitionQuality, CpmMatchesLeidenalg) {
  // leidenalg: undirected quality is 2 * sum_c (w_c - gamma C(n_c, 2)).
  const Graph cliques = two_cliques();
  const Membership halves{0, 0, 0, 0, 1, 1, 1, 1};
  EXPECT_NEAR(cibgraph::cpm_quality(cliques, halves), 0.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(cliques, halves, 0.5), 12.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(cliques, halves, 2.0), -24.0, tolerance);
  const Membership three{0, 0, 0, 0, 1, 1, 2, 2};
  EXPECT_NEAR(cibgraph::cpm_quality(cliques, three, 0.5), 8.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(cliques, three, 2.0), -16.0, tolerance);

  // With self-loops leidenalg counts n_c(n_c+1)/2 possible edges per community.
  const Graph loops = weighted_with_loops();
  const Membership m{0, 0, 0, 1, 1};
  EXPECT_NEAR(cibgraph::cpm_quality(loops, m, 1.0), 2.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(loops, m, 0.5), 11.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(loops, m, 2.0), -16.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(loops, m, 1.0, false), -6.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(loops, m, 0.5, false), 3.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(loops, Membership(5, 0), 0.5), 7.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(loops, Membership(5, 0), 2.0, false), -46.0, tolerance);

  // Directed: sum_c (w_c - gamma n_c^2) here, as the graph has a loop.
  const Graph directed = directed_with_loop();
  EXPECT_NEAR(cibgraph::cpm_quality(directed, m, 1.0), -3.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(directed, m, 0.5), 3.5, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(directed, m, 2.0, false), -20.0, tolerance);
  // Directed without loops: n_c (n_c - 1). leidenalg on 0→1→2→0, 2→3 with {0,1,2},{3}: 0.0 at gamma 0.5.
  const Graph cycle = graph_of(4, {{0, 1, 1}, {1, 2, 1}, {2, 0, 1}, {2, 3, 1}}, true);
  EXPECT_NEAR(cibgraph::cpm_quality(cycle, Membership{0, 0, 0, 1}, 0.5), 0.0, tolerance);
  EXPECT_NEAR(cibgraph::cpm_quality(cycle, Membership{0, 0, 0, 1}, 0.0), 3.0, tolerance);
}

TEST(PartitionQuality, ConductanceMatchesNetworkx) {
  const Graph cliques = two_cliques();
  auto c = cibgraph::conductance(cliques, Membership{0, 0, 0, 0, 1, 1, 1, 1});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_NEAR(c[0], 0.07692307692307693, tolerance);
  EXPECT_NEAR(c[1], 0.07692307692307693, tolerance);
  c = cibgraph::conductance(cliques, Membership{0, 0, 0, 0, 1, 1, 2, 2});
  ASSERT_EQ(c.size(), 3u);
  EXPECT_NEAR(c[0], 0.07692307692307693, tolerance);
  EXPECT_NEAR(c[1], 0.7142857142857143, tolerance);
  EXPECT_NEAR(c[2], 0.6666666666666666, tolerance);

  // Volumes count an undirected loop twice, as networkx degrees do.
  const Graph loops = weighted_with_loops();
  c = cibgraph::conductance(loops, Membership{0, 0, 0, 1, 1});
  EXPECT_NEAR(c[0], 0.14285714285714285, tolerance);
  EXPECT_NEAR(c[1], 0.14285714285714285, tolerance);
  c = cibgraph::conductance(loops, Membership{0, 0, 0, 1, 1}, false);
  EXPECT_NEAR(c[0], 0.2, tolerance);
  EXPECT_NEAR(c[1], 0.2, tolerance);

  // Directed: the cut counts arcs both ways, volumes are out-degrees.
  const Graph directed = directed_with_loop();
  c = cibgraph::conductance(directed, Membership{0, 0, 0, 1, 1});
  EXPECT_NEAR(c[0], 0.4444444444444444, tolerance);
  EXPECT_NEAR(c[1], 0.4444444444444444, tolerance);
  c = cibgraph::conductance(directed, Membership{0, 0, 0, 1, 1}, false);
  EXPECT_NEAR(c[0], 0.6666666666666666, tolerance);
  EXPECT_NEAR(c[1], 0.6666666666666666, tolerance);

  // NaN where networkx divides by zero: the whole graph, and ids no vertex carries (1 here).
  c = cibgraph::conductance(loops, Membership{2, 2, 2, 2, 2});
  ASSERT_EQ(c.size(), 3u);
  EXPECT_TRUE(std::isnan(c[0]));
  EXPECT_TRUE(std::isnan(c[1]));
  EXPECT_TRUE(std::isnan(c[2]));
}

TEST(PartitionQuality, CoverageMatchesNetworkx) {
  EXPECT_NEAR(cibgraph::coverage(two_cliques(), Membership{0, 0, 0, 0, 1, 1, 1, 1}), 0.9230769230769231, tolerance);
  EXPECT_NEAR(cibgraph::coverage(two_cliques(), Membership{0, 0, 0, 0, 1, 1, 2, 2}), 0.6153846153846154, tolerance);
  const Membership m{0, 0, 0, 1, 1};
  // partition_quality counts edges (loops once); the weighted value is intra weight / total weight (10/11).
  EXPECT_NEAR(cibgraph::coverage(weighted_with_loops(), m, false), 0.8571428571428571, tolerance);
  EXPECT_NEAR(cibgraph::coverage(weighted_with_loops(), m), 0.9090909090909091, tolerance);
  EXPECT_NEAR(cibgraph::coverage(directed_with_loop(), m, false), 0.75, tolerance);
  EXPECT_NEAR(cibgraph::coverage(directed_with_loop(), m), 0.8333333333333334, tolerance);
}

TEST(PartitionQuality, EdgeCases) {
  const Graph g = two_cliques();
  EXPECT_THROW(cibgraph::modularity(g, Membership(7, 0)), cibgraph::UsageError);
  EXPECT_THROW(cibgraph::cpm_quality(g, Membership(9, 0)), cibgraph::UsageError);
  EXPECT_THROW(cibgraph::conductance(g, Membership{}), cibgraph::UsageError);
  EXPECT_THROW(cibgraph::coverage(g, Membership(3, 0)), cibgraph::UsageError);
  // conductance returns one value per id, so ids must be below n.
  EXPECT_THROW(cibgraph::conductance(g, Membership{0, 0, 0, 0, 8, 8, 8, 8}), cibgraph::UsageError);

  // No edges: modularity and coverage are NaN (igraph's modularity returns NaN too); CPM is defined.
  const Graph empty_edges = graph_of(3, {}, false);
  EXPECT_TRUE(std::isnan(cibgraph::modularity(empty_edges, Membership{0, 0, 1})));
  EXPECT_TRUE(std::isnan(cibgraph::coverage(empty_edges, Membership{0, 0, 1})));
  EXPECT_NEAR(cibgraph::cpm_quality(empty_edges, Membership{0, 0, 1}), -2.0, tolerance);
  EXPECT_TRUE(std::isnan(cibgraph::modularity(Graph{}, Membership{})));
  EXPECT_EQ(cibgraph::cpm_quality(Graph{}, Membership{}), 0.0);
  EXPECT_TRUE(cibgraph::conductance(Graph{}, Membership{}).empty());
}

TEST(PartitionAgreement, MatchesIgraph) {
  struct Case {
    Membership a, b;
    double nmi, ari;
  };
  const std::vector<Case> cases = {
      {{0, 0, 1, 1, 2, 2}, {0, 0, 1, 1, 1, 1}, 0.7336804366512112, 0.4444444444444443},
      {{0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 2, 2}, 0.5158037429793888, 0.242424242424242},
      {{0, 0, 0, 1, 1, 1, 2, 2, 2, 2}, {0, 0, 1, 1, 1, 2, 2, 2, 0, 0}, 0.39464837163589433, 0.09090909090909065},
      {{0, 0, 1, 1}, {1, 1, 0, 0}, 1.0, 1.0},
      {{0, 0, 0}, {0, 1, 2}, 0.0, 0.0},
      {{0, 1}, {0, 0}, 0.0, 0.0},
  };
  for (const auto& c : cases) {
    EXPECT_NEAR(cibgraph::normalized_mutual_information(c.a, c.b), c.nmi, tolerance);
    EXPECT_NEAR(cibgraph::normalized_mutual_information(c.b, c.a), c.nmi, tolerance);
    EXPECT_NEAR(cibgraph::adjusted_rand_index(c.a, c.b), c.ari, tolerance);
    EXPECT_NEAR(cibgraph::adjusted_rand_index(c.b, c.a), c.ari, tolerance);
  }
  // Ids are only names: large or sparse ids give the same values.
  EXPECT_NEAR(cibgraph::normalized_mutual_information(Membership{70, 70, 9, 9, 4000000000u, 4000000000u},
                                                      Membership{5, 5, 3, 3, 3, 3}),
              0.7336804366512112, tolerance);
  EXPECT_NEAR(cibgraph::adjusted_rand_index(Membership{70, 70, 9, 9, 4000000000u, 4000000000u},
                                            Membership{5, 5, 3, 3, 3, 3}),
              0.4444444444444443, tolerance);
}

TEST(PartitionAgreement, HandComputedAndDegenerateCases) {
  // ARI by hand for a = {0,1,2}{3,4}, b = {0,1}{2,3,4}: pairs together in both: {0,1},{3,4} = 2; in a: 3 + 1 = 4;
  // in b: 1 + 3 = 4; all pairs 10. Expected index = 4*4/10 = 1.6, max = 4: ARI = (2 - 1.6) / (4 - 1.6) = 1/6.
  EXPECT_NEAR(cibgraph::adjusted_rand_index(Membership{0, 0, 0, 1, 1}, Membership{0, 0, 1, 1, 1}), 1.0 / 6.0,
              tolerance);
  // NMI by hand for a = {0,1}{2,3}, b = {0,1,2,3}... H(b) = 0, I = 0: NMI = 0.
  EXPECT_EQ(cibgraph::normalized_mutual_information(Membership{0, 0, 1, 1}, Membership{0, 0, 0, 0}), 0.0);
  // Identical partitions give 1, including the degenerate ones (sklearn's convention; igraph's ARI is NaN there).
  for (const auto& p : {Membership{0, 0, 0}, Membership{0, 1, 2}, Membership{3, 1, 3, 2}, Membership{0}}) {
    EXPECT_EQ(cibgraph::normalized_mutual_information(p, p), 1.0);
    EXPECT_EQ(cibgraph::adjusted_rand_index(p, p), 1.0);
  }
  EXPECT_EQ(cibgraph::normalized_mutual_information(Membership{}, Membership{}), 1.0);
  EXPECT_EQ(cibgraph::adjusted_rand_index(Membership{}, Membership{}), 1.0);
  EXPECT_THROW(cibgraph::normalized_mutual_information(Membership{0, 1}, Membership{0}), cibgraph::UsageError);
  EXPECT_THROW(cibgraph::adjusted_rand_index(Membership{0, 1}, Membership{0}), cibgraph::UsageError);

  // Two independent random partitions of 10^5 elements: both measures near 0; a partition against a refinement
  // of itself: ARI strictly between.
  cibgraph::datasets::SplitMix64 rng(51);
  Membership a(100000), b(100000), refined(100000);
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = rng.below(20);
    b[i] = rng.below(20);
    refined[i] = a[i] * 2 + rng.below(2);
  }
  EXPECT_LT(std::abs(cibgraph::adjusted_rand_index(a, b)), 1e-3);
  EXPECT_LT(cibgraph::normalized_mutual_information(a, b), 5e-3);
  const double ari = cibgraph::adjusted_rand_index(a, refined);
  EXPECT_GT(ari, 0.3);
  EXPECT_LT(ari, 0.9);
}

}  // namespace
