// Connected components, strongly connected components and core numbers: exact values on hand-drawn graphs
// (expected values by hand, checked with networkx 2.8 weakly_/strongly_connected_components and core_number),
// Boost.Graph as the oracle on random graphs, and deep paths for the no-recursion claim.
#include <cstdint>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/core_numbers.hpp>
#include <boost/graph/strong_components.hpp>
#include <gtest/gtest.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "cibgraph/algorithms/components/components.hpp"
#include "cibgraph/algorithms/components/kcore.hpp"
#include "cibgraph/boost_graph.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/graph.hpp"

namespace {

using cibgraph::Graph;
using Labels = std::vector<std::uint32_t>;
using Sizes = std::vector<std::uint64_t>;

Graph graph_of(std::uint32_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges, bool directed) {
  std::vector<std::uint32_t> src, dst;
  for (const auto& [u, v] : edges) {
    src.push_back(u);
    dst.push_back(v);
  }
  return Graph::from_edges(n, src, dst, {}, directed);
}

Graph graph_of(const cibgraph::datasets::EdgeList& e, bool directed) {
  return Graph::from_edges(e.n, e.src, e.dst, e.weights, directed);
}

// Relabels by first appearance, so partitions from different algorithms compare with ==.
Labels canonical(const std::vector<std::uint32_t>& raw) {
  Labels out(raw.size());
  std::vector<std::uint32_t> map(raw.size() + 1, ~0u);
  std::uint32_t next = 0;
  for (std::size_t v = 0; v < raw.size(); ++v) {
    if (map[raw[v]] == ~0u) map[raw[v]] = next++;
    out[v] = map[raw[v]];
  }
  return out;
}

Graph path(std::uint32_t n, bool directed) {
  std::vector<std::uint32_t> src(n - 1), dst(n - 1);
  for (std::uint32_t v = 0; v + 1 < n; ++v) {
    src[v] = v;
    dst[v] = v + 1;
  }
  return Graph::from_edges(n, src, dst, {}, directed);
}

const std::vector<std::pair<std::uint32_t, std::uint32_t>> two_cliques_edges = {
    {0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3},  // K4
    {4, 5}, {4, 6}, {4, 7}, {5, 6}, {5, 7}, {6, 7},  // K4
    {3, 4}};                                         // bridge

TEST(Components, PathStarAndCliques) {
  const auto p = cibgraph::connected_components(path(5, false));
  EXPECT_EQ(p.count, 1u);
  EXPECT_EQ(p.label, Labels(5, 0));
  EXPECT_EQ(p.sizes, Sizes{5});

  const auto star = cibgraph::connected_components(graph_of(6, {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}}, false));
  EXPECT_EQ(star.count, 1u);
  EXPECT_EQ(star.sizes, Sizes{6});

  const auto cliques = cibgraph::connected_components(graph_of(8, two_cliques_edges, false));
  EXPECT_EQ(cliques.count, 1u);
  // Without the bridge: two components.
  auto no_bridge = two_cliques_edges;
  no_bridge.pop_back();
  const auto apart = cibgraph::connected_components(graph_of(8, no_bridge, false));
  EXPECT_EQ(apart.count, 2u);
  EXPECT_EQ(apart.label, (Labels{0, 0, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(apart.sizes, (Sizes{4, 4}));
}

TEST(Components, LabelsFollowSmallestVertex) {
  // Components {0, 5}, {1, 3, 4} (3–4 and 1–4), {2}, {6, 7} with a self-loop on 2.
  const Graph g = graph_of(8, {{5, 0}, {4, 3}, {7, 6}, {4, 1}, {2, 2}}, false);
  const auto c = cibgraph::connected_components(g);
  EXPECT_EQ(c.count, 4u);
  EXPECT_EQ(c.label, (Labels{0, 1, 2, 1, 1, 0, 3, 3}));
  EXPECT_EQ(c.sizes, (Sizes{2, 3, 1, 2}));
  // An undirected graph's strong components are its components.
  const auto s = cibgraph::strongly_connected_components(g);
  EXPECT_EQ(s.label, c.label);
  EXPECT_EQ(s.sizes, c.sizes);
}

TEST(Components, EmptyGraph) {
  const auto c = cibgraph::connected_components(Graph{});
  EXPECT_EQ(c.count, 0u);
  EXPECT_TRUE(c.label.empty());
  EXPECT_TRUE(c.sizes.empty());
  const auto isolated = cibgraph::connected_components(graph_of(3, {}, true));
  EXPECT_EQ(isolated.label, (Labels{0, 1, 2}));
  const auto s = cibgraph::strongly_connected_components(graph_of(3, {}, true));
  EXPECT_EQ(s.label, (Labels{0, 1, 2}));
  EXPECT_EQ(s.sizes, (Sizes{1, 1, 1}));
}

TEST(Components, DirectedCycleWithDanglingNode) {
  // 0→1→2→0 and 2→3: one weak component, strong components {0,1,2} and {3}.
  const Graph g = graph_of(4, {{0, 1}, {1, 2}, {2, 0}, {2, 3}}, true);
  const auto weak = cibgraph::connected_components(g);
  EXPECT_EQ(weak.count, 1u);
  EXPECT_EQ(weak.label, Labels(4, 0));
  const auto strong = cibgraph::strongly_connected_components(g);
  EXPECT_EQ(strong.count, 2u);
  EXPECT_EQ(strong.label, (Labels{0, 0, 0, 1}));
  EXPECT_EQ(strong.sizes, (Sizes{3, 1}));
}

TEST(Components, DirectedMixed) {
  // networkx: SCCs [0,1,2] [3,4] [5,6,9] [7] [8] [10]; WCCs [0,1,2,3,4,7,8] [5,6,9] [10].
  const Graph g = graph_of(
      11, {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4}, {4, 3}, {5, 6}, {6, 5}, {4, 7}, {8, 1}, {6, 9}, {9, 6}}, true);
  const auto strong = cibgraph::strongly_connected_components(g);
  EXPECT_EQ(strong.count, 6u);
  EXPECT_EQ(strong.label, (Labels{0, 0, 0, 1, 1, 2, 2, 3, 4, 2, 5}));
  EXPECT_EQ(strong.sizes, (Sizes{3, 2, 3, 1, 1, 1}));
  const auto weak = cibgraph::connected_components(g);
  EXPECT_EQ(weak.count, 3u);
  EXPECT_EQ(weak.label, (Labels{0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 2}));
  EXPECT_EQ(weak.sizes, (Sizes{7, 3, 1}));
}

TEST(Components, AgreesWithBoostOnRandomGraphs) {
  // Sparse G(n, m) around the giant-component threshold (many components of all sizes) and R-MAT.
  const std::vector<cibgraph::datasets::EdgeList> inputs = {
      cibgraph::datasets::erdos_renyi(3000, 1200, 1), cibgraph::datasets::erdos_renyi(3000, 1600, 2),
      cibgraph::datasets::erdos_renyi(3000, 4000, 3), cibgraph::datasets::rmat(12, 3000, 4),
      cibgraph::datasets::rmat(12, 30000, 5)};
  for (const auto& e : inputs) {
    const Graph g = graph_of(e, false);
    std::vector<std::uint32_t> expected(g.num_vertices());
    const auto expected_count = boost::connected_components(cibgraph::bgl::Undirected(g), expected.data());
    const auto c = cibgraph::connected_components(g);
    EXPECT_EQ(c.count, expected_count);
    // BGL starts a new component at the smallest unvisited vertex, so its labels are ours exactly.
    EXPECT_EQ(c.label, expected);
    std::uint64_t total = 0;
    for (const auto s : c.sizes) total += s;
    EXPECT_EQ(total, g.num_vertices());

    // Weak components of the directed graph = components of its undirected version.
    const auto weak = cibgraph::connected_components(graph_of(e, true));
    EXPECT_EQ(weak.label, expected);
  }
}

TEST(Components, StrongAgreesWithBoostOnRandomGraphs) {
  const std::vector<cibgraph::datasets::EdgeList> inputs = {
      cibgraph::datasets::erdos_renyi(2000, 2000, 11), cibgraph::datasets::erdos_renyi(2000, 2600, 12),
      cibgraph::datasets::erdos_renyi(2000, 8000, 13), cibgraph::datasets::rmat(11, 6000, 14),
      cibgraph::datasets::rmat(11, 20000, 15)};
  for (const auto& e : inputs) {
    const Graph g = graph_of(e, true);
    std::vector<std::uint32_t> expected(g.num_vertices());
    const auto expected_count = boost::strong_components(cibgraph::bgl::Directed(g), expected.data());
    const auto s = cibgraph::strongly_connected_components(g);
    EXPECT_EQ(s.count, expected_count);
    EXPECT_EQ(s.label, canonical(expected));
    EXPECT_GT(s.count, 1u);
    EXPECT_LT(s.count, g.num_vertices());  // some non-trivial component, or the test is weak
  }
}

TEST(Components, SameLabelsForAnyThreadCount) {
#ifdef _OPENMP
  const Graph g = graph_of(cibgraph::datasets::erdos_renyi(1000000, 700000, 21), false);
  ASSERT_GT(g.num_arcs(), cibgraph::detail::components_parallel_threshold);  // or the team never wakes
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = cibgraph::connected_components(g);
  omp_set_num_threads(4);
  const auto four = cibgraph::connected_components(g);
  omp_set_num_threads(before);
  EXPECT_EQ(one.label, four.label);
  EXPECT_EQ(one.sizes, four.sizes);
#else
  GTEST_SKIP() << "built without OpenMP";
#endif
}

TEST(Components, MillionVertexPathsDoNotRecurse) {
  constexpr std::uint32_t n = 1'000'000;
  const auto weak = cibgraph::connected_components(path(n, false));
  EXPECT_EQ(weak.count, 1u);
  // A directed path: n singleton strong components, found at DFS depth n.
  const Graph directed_path = path(n, true);
  const auto strong = cibgraph::strongly_connected_components(directed_path);
  EXPECT_EQ(strong.count, n);
  EXPECT_EQ(strong.label[n - 1], n - 1);
  // Close the path into a cycle: one strong component, again at depth n.
  std::vector<std::uint32_t> src(n), dst(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    src[v] = v;
    dst[v] = (v + 1) % n;
  }
  const auto cycle = cibgraph::strongly_connected_components(Graph::from_edges(n, src, dst, {}, true));
  EXPECT_EQ(cycle.count, 1u);
  EXPECT_EQ(cycle.sizes, Sizes{n});
  const auto cores = cibgraph::core_numbers(path(n, false));
  EXPECT_EQ(cores, Labels(n, 1));
}

TEST(CoreNumbers, HandDrawnGraphs) {
  EXPECT_EQ(cibgraph::core_numbers(path(5, false)), Labels(5, 1));
  EXPECT_EQ(cibgraph::core_numbers(graph_of(6, {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}}, false)), Labels(6, 1));
  EXPECT_EQ(cibgraph::core_numbers(graph_of(8, two_cliques_edges, false)), Labels(8, 3));
  // K4 {0..3}, triangle {4,5,6} hanging from 3 by 3–4, pendant 7 on 6, separate edge 8–9, isolated 10.
  // networkx core_number: [3,3,3,3,2,2,2,1,1,1,0].
  const Graph mixed = graph_of(
      11, {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 4}, {6, 7}, {8, 9}}, false);
  EXPECT_EQ(cibgraph::core_numbers(mixed), (Labels{3, 3, 3, 3, 2, 2, 2, 1, 1, 1, 0}));
  EXPECT_TRUE(cibgraph::core_numbers(Graph{}).empty());
}

TEST(CoreNumbers, SelfLoopsAreIgnored) {
  // A triangle with a loop on every vertex and a pendant with a loop: as without the loops.
  const Graph g = graph_of(4, {{0, 1}, {1, 2}, {2, 0}, {0, 0}, {1, 1}, {2, 2}, {2, 3}, {3, 3}}, false);
  EXPECT_EQ(cibgraph::core_numbers(g), (Labels{2, 2, 2, 1}));
  const Graph d = graph_of(2, {{0, 0}, {1, 1}}, true);
  EXPECT_EQ(cibgraph::core_numbers(d), (Labels{0, 0}));
}

TEST(CoreNumbers, DirectedUsesInPlusOutDegree) {
  // networkx core_number of 0→1→2→0, 2→3: {0: 2, 1: 2, 2: 2, 3: 1}.
  EXPECT_EQ(cibgraph::core_numbers(graph_of(4, {{0, 1}, {1, 2}, {2, 0}, {2, 3}}, true)), (Labels{2, 2, 2, 1}));
  // networkx: [2,2,2,2,2,2,2,1,1,2,0]; the reciprocated pairs 3⇄4, 5⇄6, 6⇄9 count twice.
  const Graph g = graph_of(
      11, {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4}, {4, 3}, {5, 6}, {6, 5}, {4, 7}, {8, 1}, {6, 9}, {9, 6}}, true);
  EXPECT_EQ(cibgraph::core_numbers(g), (Labels{2, 2, 2, 2, 2, 2, 2, 1, 1, 2, 0}));
}

TEST(CoreNumbers, AgreesWithBoostOnRandomGraphs) {
  const std::vector<cibgraph::datasets::EdgeList> inputs = {
      cibgraph::datasets::erdos_renyi(2000, 8000, 31), cibgraph::datasets::erdos_renyi(500, 20000, 32),
      cibgraph::datasets::rmat(11, 20000, 33), cibgraph::datasets::rmat(12, 60000, 34)};
  for (const auto& e : inputs) {
    const Graph g = graph_of(e, false);
    std::vector<std::uint32_t> expected(g.num_vertices());
    cibgraph::bgl::Undirected view(g);
    boost::core_numbers(view, expected.data());
    const auto cores = cibgraph::core_numbers(g);
    EXPECT_EQ(cores, expected);
    std::uint32_t deepest = 0;
    for (const auto c : cores) deepest = std::max(deepest, c);
    EXPECT_GT(deepest, 2u);

    // Directed: BGL peels by in-degree only, so its oracle is the undirected multigraph with one edge per arc,
    // whose degree is our in + out degree (reciprocated arcs become two parallel edges).
    const Graph d = graph_of(e, true);
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> multigraph(d.num_vertices());
    for (std::uint32_t u = 0; u < d.num_vertices(); ++u) {
      for (const std::uint32_t v : d.neighbors(u)) boost::add_edge(u, v, multigraph);
    }
    std::vector<std::uint32_t> expected_directed(d.num_vertices());
    boost::core_numbers(multigraph, expected_directed.data());
    EXPECT_EQ(cibgraph::core_numbers(d), expected_directed);
  }
}

}  // namespace
