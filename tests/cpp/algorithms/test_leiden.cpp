// Leiden, Louvain, consensus and multi-resolution (algorithms/community/{leiden,louvain,consensus}.hpp).
// Expected qualities were computed with /usr/bin/python3: networkx.algorithms.community.modularity for modularity
// and leidenalg.CPMVertexPartition(...).quality() for CPM, as noted at each literal. The tests also recompute
// modularity here from the edge list, independently of the library's own code.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>
#include <omp.h>

#include "cibgraph/algorithms/community/consensus.hpp"
#include "cibgraph/algorithms/community/leiden.hpp"
#include "cibgraph/algorithms/community/louvain.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"

namespace {

using cibgraph::CommunityQuality;
using cibgraph::CommunityResult;
using cibgraph::Graph;
using cibgraph::LeidenOptions;
using cibgraph::LouvainOptions;

struct Edges {
  std::uint32_t n = 0;
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weights;
  void add(std::uint32_t u, std::uint32_t v, float w = 1.0f) {
    src.push_back(u);
    dst.push_back(v);
    weights.push_back(w);
  }
  Graph graph(bool directed = false) const { return Graph::from_edges(n, src, dst, weights, directed); }
};

void add_clique(Edges& e, std::uint32_t first, std::uint32_t size) {
  for (std::uint32_t i = first; i < first + size; ++i) {
    for (std::uint32_t j = i + 1; j < first + size; ++j) e.add(i, j);
  }
}

// Two 5-cliques {0..4} and {5..9} joined by the bridge 4-5.
Edges two_cliques() {
  Edges e;
  e.n = 10;
  add_clique(e, 0, 5);
  add_clique(e, 5, 5);
  e.add(4, 5);
  return e;
}

// networkx's modularity from an undirected edge list (each edge once, a self-loop adds 2w to its vertex's
// degree and w inside), written without the library's code.
double reference_modularity(const Edges& e, const std::vector<std::uint32_t>& membership, double gamma = 1.0) {
  std::vector<double> degree(e.n, 0.0);
  double m = 0.0;
  std::map<std::uint32_t, double> inside, total;
  for (std::size_t i = 0; i < e.src.size(); ++i) {
    const double w = e.weights.empty() ? 1.0 : e.weights[i];
    degree[e.src[i]] += w;
    degree[e.dst[i]] += w;
    m += w;
    if (membership[e.src[i]] == membership[e.dst[i]]) inside[membership[e.src[i]]] += w;
  }
  for (std::uint32_t v = 0; v < e.n; ++v) total[membership[v]] += degree[v];
  double q = 0.0;
  for (const auto& [c, d] : total) q += inside[c] / m - gamma * (d / (2 * m)) * (d / (2 * m));
  return q;
}

Edges from_list(const cibgraph::datasets::EdgeList& list) {
  Edges e;
  e.n = list.n;
  e.src = list.src;
  e.dst = list.dst;
  e.weights = list.weights;
  if (e.weights.empty()) e.weights.assign(e.src.size(), 1.0f);
  return e;
}

// Merged, undirected edges of a graph, each once (u <= v), for reference_modularity.
Edges edges_of(const Graph& g) {
  Edges e;
  e.n = g.num_vertices();
  for (std::uint32_t v = 0; v < e.n; ++v) {
    const auto row = g.neighbors(v);
    const auto w = g.neighbor_weights(v);
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (v <= row[i]) e.add(v, row[i], w[i]);
    }
  }
  return e;
}

// Every community induces a connected subgraph: BFS from each community's first vertex inside the community.
bool communities_connected(const Graph& g, const std::vector<std::uint32_t>& membership) {
  const std::uint32_t n = g.num_vertices();
  std::vector<std::uint8_t> seen(n, 0);
  std::vector<std::uint8_t> community_started(n, 0);
  for (std::uint32_t s = 0; s < n; ++s) {
    if (seen[s]) continue;
    if (community_started[membership[s]]) return false;  // a second piece of an already visited community
    community_started[membership[s]] = 1;
    std::vector<std::uint32_t> stack{s};
    seen[s] = 1;
    while (!stack.empty()) {
      const std::uint32_t v = stack.back();
      stack.pop_back();
      for (std::uint32_t u : g.neighbors(v)) {
        if (!seen[u] && membership[u] == membership[v]) {
          seen[u] = 1;
          stack.push_back(u);
        }
      }
    }
  }
  return true;
}

std::vector<std::uint32_t> component_labels(const Graph& g) {
  const std::uint32_t n = g.num_vertices();
  std::vector<std::uint32_t> label(n, ~0u);
  for (std::uint32_t s = 0; s < n; ++s) {
    if (label[s] != ~0u) continue;
    std::vector<std::uint32_t> stack{s};
    label[s] = s;
    while (!stack.empty()) {
      const std::uint32_t v = stack.back();
      stack.pop_back();
      for (std::uint32_t u : g.neighbors(v)) {
        if (label[u] == ~0u) {
          label[u] = s;
          stack.push_back(u);
        }
      }
    }
  }
  cibgraph::renumber_communities(label);
  return label;
}

const std::vector<std::uint32_t> two_cliques_membership{0, 0, 0, 0, 0, 1, 1, 1, 1, 1};

// ---------------------------------------------------------------------------------------------------------
// Leiden on hand-drawn graphs.

TEST(LeidenTest, TwoCliquesJoinedByABridge) {
  const Edges e = two_cliques();
  const Graph g = e.graph();
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    LeidenOptions o;
    o.seed = seed;
    const CommunityResult r = cibgraph::leiden(g, o);
    EXPECT_EQ(r.membership, two_cliques_membership);
    EXPECT_EQ(r.count, 2u);
    EXPECT_NEAR(r.quality, 0.45238095238095233, 1e-12);  // networkx modularity of the split
    EXPECT_NEAR(r.quality, reference_modularity(e, r.membership), 1e-12);
    EXPECT_GE(r.iterations, 1u);
    EXPECT_TRUE(communities_connected(g, r.membership));
  }
  // The connectivity check itself: {0..3, 9} is in two pieces.
  EXPECT_FALSE(communities_connected(g, {0, 0, 0, 0, 1, 1, 1, 1, 1, 0}));
  LeidenOptions half;
  half.resolution = 0.5;
  const CommunityResult r = cibgraph::leiden(g, half);
  EXPECT_EQ(r.membership, two_cliques_membership);
  EXPECT_NEAR(r.quality, 0.7023809523809523, 1e-12);  // networkx modularity(resolution=0.5)
}

TEST(LeidenTest, RingOfCliquesFindsEachClique) {
  Edges e;  // networkx.ring_of_cliques(6, 5): clique i is 5i..5i+4, clique i joined to i+1 by 5i+1 - 5(i+1)
  e.n = 30;
  for (std::uint32_t c = 0; c < 6; ++c) add_clique(e, 5 * c, 5);
  for (std::uint32_t c = 0; c < 6; ++c) e.add(5 * c + 1, (5 * c + 5) % 30);
  const Graph g = e.graph();
  std::vector<std::uint32_t> expected(30);
  for (std::uint32_t v = 0; v < 30; ++v) expected[v] = v / 5;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    LeidenOptions o;
    o.seed = seed;
    const CommunityResult r = cibgraph::leiden(g, o);
    EXPECT_EQ(r.membership, expected);
    EXPECT_NEAR(r.quality, 0.7424242424242424, 1e-12);  // networkx modularity of the six cliques
  }
}

TEST(LeidenTest, EmptyGraphAndIsolatedVertices) {
  const CommunityResult empty = cibgraph::leiden(Graph{});
  EXPECT_TRUE(empty.membership.empty());
  EXPECT_EQ(empty.count, 0u);
  EXPECT_EQ(empty.quality, 0.0);

  Edges none;
  none.n = 4;
  const CommunityResult singletons = cibgraph::leiden(none.graph());
  EXPECT_EQ(singletons.membership, (std::vector<std::uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(singletons.quality, 0.0);

  // Two cliques plus isolated vertices 10 and 11: the isolated ones stay alone.
  Edges e = two_cliques();
  e.n = 12;
  const CommunityResult r = cibgraph::leiden(e.graph());
  EXPECT_EQ(r.membership, (std::vector<std::uint32_t>{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 3}));
  EXPECT_NEAR(r.quality, 0.45238095238095233, 1e-12);  // isolated vertices change nothing
  EXPECT_EQ(r.count, 4u);
}

TEST(LeidenTest, SelfLoopsCountTwiceInTheStrength) {
  // Triangles 0-1-2 (loop on 0, weight 1) and 3-4-5 (loop on 4, weight 2), bridge 2-3.
  Edges e;
  e.n = 6;
  e.add(0, 1);
  e.add(1, 2);
  e.add(0, 2);
  e.add(0, 0);
  e.add(3, 4);
  e.add(4, 5);
  e.add(3, 5);
  e.add(4, 4, 2.0f);
  e.add(2, 3);
  const Graph g = e.graph();
  const std::vector<std::uint32_t> expected{0, 0, 0, 1, 1, 1};
  const CommunityResult r = cibgraph::leiden(g);
  EXPECT_EQ(r.membership, expected);  // leidenalg finds the same
  EXPECT_NEAR(r.quality, 0.395, 1e-12);  // networkx modularity with weight='weight'
  EXPECT_NEAR(r.quality, reference_modularity(e, r.membership), 1e-12);

  LeidenOptions cpm;
  cpm.quality = CommunityQuality::CPM;
  cpm.resolution = 0.5;
  const CommunityResult c = cibgraph::leiden(g, cpm);
  EXPECT_EQ(c.membership, expected);
  EXPECT_NEAR(c.quality, 6.0, 1e-12);  // leidenalg CPMVertexPartition(weights, resolution 0.5).quality()
}

TEST(LeidenTest, CpmQualityMatchesLeidenalg) {
  LeidenOptions cpm;
  cpm.quality = CommunityQuality::CPM;
  cpm.resolution = 0.5;
  const CommunityResult r = cibgraph::leiden(two_cliques().graph(), cpm);
  EXPECT_EQ(r.membership, two_cliques_membership);
  EXPECT_NEAR(r.quality, 20.0, 1e-12);  // leidenalg CPMVertexPartition(resolution 0.5).quality() of the split
}

TEST(LeidenTest, KarateClubReachesTheBestKnownModularity) {
  const std::uint32_t pairs[][2] = {
      {0, 1},   {0, 2},   {0, 3},   {0, 4},   {0, 5},   {0, 6},   {0, 7},   {0, 8},   {0, 10},  {0, 11},
      {0, 12},  {0, 13},  {0, 17},  {0, 19},  {0, 21},  {0, 31},  {1, 2},   {1, 3},   {1, 7},   {1, 13},
      {1, 17},  {1, 19},  {1, 21},  {1, 30},  {2, 3},   {2, 7},   {2, 8},   {2, 9},   {2, 13},  {2, 27},
      {2, 28},  {2, 32},  {3, 7},   {3, 12},  {3, 13},  {4, 6},   {4, 10},  {5, 6},   {5, 10},  {5, 16},
      {6, 16},  {8, 30},  {8, 32},  {8, 33},  {9, 33},  {13, 33}, {14, 32}, {14, 33}, {15, 32}, {15, 33},
      {18, 32}, {18, 33}, {19, 33}, {20, 32}, {20, 33}, {22, 32}, {22, 33}, {23, 25}, {23, 27}, {23, 29},
      {23, 32}, {23, 33}, {24, 25}, {24, 27}, {24, 31}, {25, 31}, {26, 29}, {26, 33}, {27, 33}, {28, 31},
      {28, 33}, {29, 32}, {29, 33}, {30, 32}, {30, 33}, {31, 32}, {31, 33}, {32, 33}};
  Edges e;
  e.n = 34;
  for (const auto& p : pairs) e.add(p[0], p[1]);
  const Graph g = e.graph();
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    LeidenOptions o;
    o.seed = seed;
    const CommunityResult r = cibgraph::leiden(g, o);
    // leidenalg's best over 10 seeds (n_iterations=-1), the known optimum of the karate club.
    EXPECT_NEAR(r.quality, 0.4197896120973044, 1e-9) << "seed " << seed;
    EXPECT_EQ(r.count, 4u);
    EXPECT_NEAR(r.quality, reference_modularity(e, r.membership), 1e-12);
  }
}

TEST(LeidenTest, DirectedInputIsReadAsSymmetrised) {
  // Arcs u->v and v->u add up: the directed graph equals the undirected one with summed weights.
  Edges d;
  d.n = 10;
  add_clique(d, 0, 5);
  add_clique(d, 5, 5);
  d.add(4, 5);
  d.add(1, 0, 2.0f);  // reverse of 0->1: the undirected edge 0-1 weighs 3
  Edges u = two_cliques();
  u.weights[0] = 3.0f;  // edge 0-1 is the first added
  const CommunityResult directed = cibgraph::leiden(d.graph(true));
  const CommunityResult undirected = cibgraph::leiden(u.graph());
  EXPECT_EQ(directed.membership, undirected.membership);
  EXPECT_DOUBLE_EQ(directed.quality, undirected.quality);
  EXPECT_NEAR(directed.quality, reference_modularity(u, directed.membership), 1e-12);
}

TEST(LeidenTest, UnweightedIgnoresTheWeights) {
  Edges e = two_cliques();
  e.weights.back() = 100.0f;  // a heavy bridge pulls 4 and 5 together when weights count
  LeidenOptions unweighted;
  unweighted.weighted = false;
  EXPECT_EQ(cibgraph::leiden(e.graph(), unweighted).membership, two_cliques_membership);
  EXPECT_NE(cibgraph::leiden(e.graph()).membership, two_cliques_membership);
}

TEST(LeidenTest, InvalidOptionsAndWeightsThrow) {
  const Graph g = two_cliques().graph();
  LeidenOptions o;
  o.resolution = -1.0;
  EXPECT_THROW(cibgraph::leiden(g, o), cibgraph::UsageError);
  o = {};
  o.randomness = std::nan("");
  EXPECT_THROW(cibgraph::leiden(g, o), cibgraph::UsageError);
  o = {};
  o.max_iterations = 0;
  EXPECT_THROW(cibgraph::leiden(g, o), cibgraph::UsageError);
  o.max_iterations = -2;
  EXPECT_THROW(cibgraph::leiden(g, o), cibgraph::UsageError);
  Edges negative = two_cliques();
  negative.weights[3] = -1.0f;
  EXPECT_THROW(cibgraph::leiden(negative.graph()), cibgraph::InputError);
  LeidenOptions unweighted;
  unweighted.weighted = false;  // the weights are not read, so their sign does not matter
  EXPECT_NO_THROW(cibgraph::leiden(negative.graph(), unweighted));
  LouvainOptions lo;
  lo.max_levels = 0;
  EXPECT_THROW(cibgraph::louvain(g, lo), cibgraph::UsageError);
  lo = {};
  lo.min_gain = -1.0;
  EXPECT_THROW(cibgraph::louvain(g, lo), cibgraph::UsageError);
  EXPECT_THROW(cibgraph::consensus(g, 0), cibgraph::UsageError);
  const double bad[] = {1.0, -0.5};
  EXPECT_THROW(cibgraph::multi_resolution(g, bad), cibgraph::UsageError);
}

// ---------------------------------------------------------------------------------------------------------
// Leiden on random graphs.

TEST(LeidenTest, CommunitiesAreConnectedAndQualityIsModularity) {
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    const auto list = seed % 2 == 0 ? cibgraph::datasets::erdos_renyi(600, 1500, seed, true)
                                    : cibgraph::datasets::rmat(10, 5000, seed);
    const Edges input = from_list(list);
    const Graph g = input.graph();
    const Edges merged = edges_of(g);
    for (const int iterations : {1, -1}) {
      for (const double gamma : {0.5, 1.0, 2.0}) {
        LeidenOptions o;
        o.seed = seed;
        o.resolution = gamma;
        o.max_iterations = iterations;
        const CommunityResult r = cibgraph::leiden(g, o);
        ASSERT_EQ(r.membership.size(), g.num_vertices());
        EXPECT_TRUE(communities_connected(g, r.membership)) << "seed " << seed << " gamma " << gamma;
        EXPECT_NEAR(r.quality, reference_modularity(merged, r.membership, gamma), 1e-9);
        EXPECT_EQ(r.count, *std::max_element(r.membership.begin(), r.membership.end()) + 1);
        if (iterations == -1) {
          EXPECT_LE(r.iterations, 1000u);
        } else {
          EXPECT_EQ(r.iterations, 1u);
        }
      }
      LeidenOptions cpm;
      cpm.quality = CommunityQuality::CPM;
      cpm.resolution = 0.05;
      cpm.seed = seed;
      cpm.max_iterations = iterations;
      EXPECT_TRUE(communities_connected(g, cibgraph::leiden(g, cpm).membership));
    }
  }
}

TEST(LeidenTest, MoreIterationsNeverLoseQuality) {
  const Graph g = from_list(cibgraph::datasets::rmat(11, 12000, 3)).graph();
  LeidenOptions one;
  one.max_iterations = 1;
  const double first = cibgraph::leiden(g, one).quality;
  const double converged = cibgraph::leiden(g).quality;
  EXPECT_GE(converged, first - 1e-12);
  EXPECT_GT(converged, 0.15);  // R-MAT: weak structure, modularity near 0.18 at this size
}

TEST(LeidenTest, CpmResolutionExtremes) {
  const Graph g = from_list(cibgraph::datasets::erdos_renyi(300, 400, 7)).graph();
  LeidenOptions cpm;
  cpm.quality = CommunityQuality::CPM;
  cpm.resolution = 2.0;  // more than any edge weight (1): every merge loses
  const CommunityResult high = cibgraph::leiden(g, cpm);
  EXPECT_EQ(high.count, g.num_vertices());
  EXPECT_EQ(high.quality, 0.0);
  cpm.resolution = 1e-6;  // a merge along an edge gains 1 - 1e-6 n^2 > 0: one community per component
  const CommunityResult low = cibgraph::leiden(g, cpm);
  EXPECT_EQ(low.membership, component_labels(g));
}

TEST(LeidenTest, DeterministicForASeedWhateverTheThreadCount) {
  const Graph g = from_list(cibgraph::datasets::rmat(13, 40000, 5)).graph();
  const int saved_threads = omp_get_max_threads();
  const std::uint64_t saved_threshold = cibgraph::community_detail::parallel_arcs;
  cibgraph::community_detail::parallel_arcs = 1000;  // refine in parallel at every level of this small graph
  LeidenOptions o;
  o.seed = 17;
  o.max_iterations = 3;  // R-MAT takes many iterations to converge; three exercise every phase
  omp_set_num_threads(1);
  const CommunityResult one = cibgraph::leiden(g, o);
  const CommunityResult louvain_one = cibgraph::louvain(g);
  const cibgraph::ConsensusResult consensus_one = cibgraph::consensus(g, 4, o);
  omp_set_num_threads(2);
  const CommunityResult two = cibgraph::leiden(g, o);
  const CommunityResult again = cibgraph::leiden(g, o);
  const CommunityResult louvain_two = cibgraph::louvain(g);
  const cibgraph::ConsensusResult consensus_two = cibgraph::consensus(g, 4, o);
  omp_set_num_threads(saved_threads);
  cibgraph::community_detail::parallel_arcs = saved_threshold;
  EXPECT_EQ(one.membership, two.membership);
  EXPECT_EQ(one.quality, two.quality);
  EXPECT_EQ(one.iterations, two.iterations);
  EXPECT_EQ(two.membership, again.membership);
  EXPECT_EQ(louvain_one.membership, louvain_two.membership);
  EXPECT_EQ(louvain_one.quality, louvain_two.quality);
  EXPECT_EQ(consensus_one.arc_agreement, consensus_two.arc_agreement);
  EXPECT_EQ(consensus_one.partition.membership, consensus_two.partition.membership);
  o.seed = 18;
  EXPECT_NE(cibgraph::leiden(g, o).membership, one.membership);  // the seed matters on a graph this size
}

// ---------------------------------------------------------------------------------------------------------
// Louvain.

TEST(LouvainTest, TwoCliquesAndQuality) {
  const Edges e = two_cliques();
  const CommunityResult r = cibgraph::louvain(e.graph());
  EXPECT_EQ(r.membership, two_cliques_membership);
  EXPECT_NEAR(r.quality, 0.45238095238095233, 1e-12);  // networkx modularity of the split
  EXPECT_GE(r.iterations, 1u);

  const Graph g = from_list(cibgraph::datasets::rmat(10, 6000, 2)).graph();
  const Edges merged = edges_of(g);
  for (const double gamma : {0.5, 1.0}) {
    LouvainOptions o;
    o.resolution = gamma;
    const CommunityResult random = cibgraph::louvain(g, o);
    EXPECT_NEAR(random.quality, reference_modularity(merged, random.membership, gamma), 1e-9);
    EXPECT_GT(random.quality, 0.0);
  }
  LouvainOptions one_level;
  one_level.max_levels = 1;
  EXPECT_EQ(cibgraph::louvain(g, one_level).iterations, 1u);
  EXPECT_TRUE(cibgraph::louvain(Graph{}).membership.empty());
}

// ---------------------------------------------------------------------------------------------------------
// Consensus and multi-resolution.

TEST(ConsensusTest, AgreementOnTwoCliques) {
  const Graph g = two_cliques().graph();
  const cibgraph::ConsensusResult c = cibgraph::consensus(g, 8);
  EXPECT_EQ(c.runs, 8u);
  ASSERT_EQ(c.arc_agreement.size(), g.num_arcs());
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      const bool same_clique = (v < 5) == (g.targets[a] < 5);
      EXPECT_EQ(c.arc_agreement[a], same_clique ? 1.0 : 0.0);
    }
  }
  EXPECT_EQ(c.partition.membership, two_cliques_membership);
  EXPECT_NEAR(c.partition.quality, 0.45238095238095233, 1e-12);  // measured on g, not on the agreement graph
}

TEST(ConsensusTest, AgreementIsAFractionOfRuns) {
  const Graph g = from_list(cibgraph::datasets::rmat(10, 5000, 9)).graph();
  const std::uint32_t runs = 5;
  LeidenOptions base;
  base.seed = 100;
  const cibgraph::ConsensusResult c = cibgraph::consensus(g, runs, base);
  std::vector<CommunityResult> separate;
  for (std::uint32_t i = 0; i < runs; ++i) {
    LeidenOptions o = base;
    o.seed = base.seed + i;
    separate.push_back(cibgraph::leiden(g, o));
  }
  bool some_disagreement = false;
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      std::uint32_t together = 0;
      for (const auto& r : separate) together += r.membership[v] == r.membership[g.targets[a]];
      EXPECT_EQ(c.arc_agreement[a], static_cast<double>(together) / runs);
      EXPECT_GE(c.arc_agreement[a], 0.0);
      EXPECT_LE(c.arc_agreement[a], 1.0);
      some_disagreement |= c.arc_agreement[a] > 0.0 && c.arc_agreement[a] < 1.0;
    }
  }
  EXPECT_TRUE(some_disagreement);
  EXPECT_TRUE(communities_connected(g, c.partition.membership));
  EXPECT_NEAR(c.partition.quality, reference_modularity(edges_of(g), c.partition.membership), 1e-9);
}

TEST(ConsensusTest, MultiResolutionOneResultPerResolution) {
  const Graph g = from_list(cibgraph::datasets::rmat(10, 5000, 4)).graph();
  const std::vector<double> resolutions{0.25, 1.0, 4.0};
  const std::vector<CommunityResult> results = cibgraph::multi_resolution(g, resolutions);
  ASSERT_EQ(results.size(), resolutions.size());
  for (std::size_t i = 0; i < resolutions.size(); ++i) {
    LeidenOptions o;
    o.resolution = resolutions[i];
    const CommunityResult alone = cibgraph::leiden(g, o);
    EXPECT_EQ(results[i].membership, alone.membership);
    EXPECT_EQ(results[i].quality, alone.quality);
  }
  EXPECT_LT(results[0].count, results[2].count);  // higher resolution, smaller communities
  EXPECT_TRUE(cibgraph::multi_resolution(g, std::vector<double>{}).empty());
}

}  // namespace
