// The graph type and its two zero-copy views, on small hand-drawn graphs with exact expected values.
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <boost/graph/strong_components.hpp>
#include <gtest/gtest.h>
#include <omp.h>

#include "cibgraph/boost_graph.hpp"
#include "cibgraph/eigen_view.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"

namespace {

using cibgraph::DuplicatePolicy;
using cibgraph::Graph;

struct EdgeList {
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weights;

  void add(std::uint32_t u, std::uint32_t v, float w = 1.0f) {
    src.push_back(u);
    dst.push_back(v);
    weights.push_back(w);
  }
  Graph build(std::uint32_t n, bool directed, DuplicatePolicy merge = DuplicatePolicy::Sum) const {
    return Graph::from_edges(n, src, dst, weights, directed, merge);
  }
  Graph build_unweighted(std::uint32_t n, bool directed) const {
    return Graph::from_edges(n, src, dst, {}, directed);
  }
};

// 2→0 (1.5), 0→3 (2), 0→1 (1), 3→3 (4), 1→2 (0.5): rows come out sorted by target.
Graph small_directed() {
  EdgeList e;
  e.add(2, 0, 1.5f);
  e.add(0, 3, 2.0f);
  e.add(0, 1, 1.0f);
  e.add(3, 3, 4.0f);
  e.add(1, 2, 0.5f);
  return e.build(4, true);
}

// 0–1 (2), 1–2 (3), 2–2 (5, self-loop), 3–0 (1).
Graph small_undirected() {
  EdgeList e;
  e.add(0, 1, 2.0f);
  e.add(1, 2, 3.0f);
  e.add(2, 2, 5.0f);
  e.add(3, 0, 1.0f);
  return e.build(4, false);
}

template <class Function>
void expect_input_error(Function&& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no InputError; expected one mentioning \"" << fragment << "\"";
  } catch (const cibgraph::InputError& error) {
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

// ------------------------------------------------------------------------------------------------ GraphTest

TEST(GraphTest, DirectedFromEdgesSortsEachRowByTarget) {
  const Graph g = small_directed();
  EXPECT_TRUE(g.directed);
  EXPECT_EQ(g.offsets, (std::vector<std::uint64_t>{0, 2, 3, 4, 5}));
  EXPECT_EQ(g.targets, (std::vector<std::uint32_t>{1, 3, 2, 0, 3}));
  EXPECT_EQ(g.weights, (std::vector<float>{1.0f, 2.0f, 0.5f, 1.5f, 4.0f}));
  EXPECT_EQ(g.num_vertices(), 4u);
  EXPECT_EQ(g.num_arcs(), 5u);
  EXPECT_EQ(g.num_edges(), 5u);
  EXPECT_EQ(g.num_self_loops(), 1u);
  EXPECT_EQ(g.degree(0), 2u);
  EXPECT_EQ(g.degree(3), 1u);
  EXPECT_DOUBLE_EQ(g.strength(0), 3.0);
  EXPECT_EQ(std::vector<std::uint32_t>(g.neighbors(0).begin(), g.neighbors(0).end()),
            (std::vector<std::uint32_t>{1, 3}));
  EXPECT_EQ(std::vector<float>(g.neighbor_weights(0).begin(), g.neighbor_weights(0).end()),
            (std::vector<float>{1.0f, 2.0f}));
}

TEST(GraphTest, UndirectedStoresBothArcsAndSelfLoopsOnce) {
  const Graph g = small_undirected();
  EXPECT_FALSE(g.directed);
  EXPECT_EQ(g.offsets, (std::vector<std::uint64_t>{0, 2, 4, 6, 7}));
  EXPECT_EQ(g.targets, (std::vector<std::uint32_t>{1, 3, 0, 2, 1, 2, 0}));
  EXPECT_EQ(g.weights, (std::vector<float>{2.0f, 1.0f, 2.0f, 3.0f, 3.0f, 5.0f, 1.0f}));
  EXPECT_EQ(g.num_arcs(), 7u);
  EXPECT_EQ(g.num_edges(), 4u);
  EXPECT_EQ(g.num_self_loops(), 1u);
  EXPECT_EQ(g.degree(2), 2u);
  EXPECT_DOUBLE_EQ(g.strength(2), 8.0);
  EXPECT_EQ(g.degree(3), 1u);
}

TEST(GraphTest, EmptyWeightsMeanOne) {
  EdgeList e;
  e.add(0, 1);
  e.add(1, 2);
  const Graph g = e.build_unweighted(3, false);
  EXPECT_EQ(g.weights, (std::vector<float>{1.0f, 1.0f, 1.0f, 1.0f}));
  EXPECT_EQ(g.num_edges(), 2u);
}

TEST(GraphTest, NoEdgesAndNoVertices) {
  const Graph isolated = Graph::from_edges(3, {}, {}, {}, false);
  EXPECT_EQ(isolated.offsets, (std::vector<std::uint64_t>{0, 0, 0, 0}));
  EXPECT_EQ(isolated.num_edges(), 0u);
  EXPECT_EQ(isolated.degree(1), 0u);

  const Graph nothing = Graph::from_edges(0, {}, {}, {}, true);
  EXPECT_EQ(nothing.num_vertices(), 0u);
  EXPECT_EQ(nothing.offsets, (std::vector<std::uint64_t>{0}));

  const Graph default_constructed;
  EXPECT_EQ(default_constructed.num_vertices(), 0u);
  EXPECT_EQ(default_constructed.num_edges(), 0u);
}

// Row 0 receives 0→1 three times (weights 1, 4, 2.5 in input order) and 0→2 once; row 1 gets 1→0 once.
EdgeList directed_repeats() {
  EdgeList e;
  e.add(0, 1, 1.0f);
  e.add(0, 2, 7.0f);
  e.add(0, 1, 4.0f);
  e.add(1, 0, 2.0f);
  e.add(0, 1, 2.5f);
  return e;
}

TEST(GraphTest, DirectedRepeatsMergedByEachPolicy) {
  const EdgeList e = directed_repeats();
  const std::vector<std::uint64_t> offsets{0, 2, 3, 3};
  const std::vector<std::uint32_t> targets{1, 2, 0};
  const std::map<DuplicatePolicy, std::vector<float>> expected{
      {DuplicatePolicy::Sum, {7.5f, 7.0f, 2.0f}},
      {DuplicatePolicy::Max, {4.0f, 7.0f, 2.0f}},
      {DuplicatePolicy::First, {1.0f, 7.0f, 2.0f}},
      {DuplicatePolicy::Count, {3.0f, 1.0f, 1.0f}},
  };
  for (const auto& [policy, weights] : expected) {
    const Graph g = e.build(3, true, policy);
    EXPECT_EQ(g.offsets, offsets) << static_cast<int>(policy);
    EXPECT_EQ(g.targets, targets) << static_cast<int>(policy);
    EXPECT_EQ(g.weights, weights) << static_cast<int>(policy);
  }
}

TEST(GraphTest, UndirectedRepeatsInEitherDirectionMergeToOneSymmetricEdge) {
  EdgeList e;
  e.add(0, 1, 2.0f);
  e.add(2, 2, 1.0f);
  e.add(1, 0, 5.0f);  // the same undirected edge as 0–1
  e.add(2, 2, 3.0f);
  e.add(0, 1, 4.0f);
  // Rows: 0 → {1}, 1 → {0}, 2 → {2}; weights of rows 0 and 1 must agree.
  const std::map<DuplicatePolicy, std::vector<float>> expected{
      {DuplicatePolicy::Sum, {11.0f, 11.0f, 4.0f}},
      {DuplicatePolicy::Max, {5.0f, 5.0f, 3.0f}},
      {DuplicatePolicy::First, {2.0f, 2.0f, 1.0f}},
      {DuplicatePolicy::Count, {3.0f, 3.0f, 2.0f}},
  };
  for (const auto& [policy, weights] : expected) {
    const Graph g = e.build(3, false, policy);
    EXPECT_EQ(g.offsets, (std::vector<std::uint64_t>{0, 1, 2, 3})) << static_cast<int>(policy);
    EXPECT_EQ(g.targets, (std::vector<std::uint32_t>{1, 0, 2})) << static_cast<int>(policy);
    EXPECT_EQ(g.weights, weights) << static_cast<int>(policy);
    EXPECT_EQ(g.num_edges(), 2u);
  }
}

TEST(GraphTest, SumAddsInInputOrderInDouble) {
  // In float, 1e8 + 1 rounds back to 1e8 and the total would be 0; the double accumulator keeps the 1.
  EdgeList e;
  e.add(0, 1, 1e8f);
  e.add(0, 1, 1.0f);
  e.add(0, 1, -1e8f);
  EXPECT_EQ(e.build(2, true).weights, (std::vector<float>{1.0f}));
}

TEST(GraphTest, LongRowsUseTheStableSortPath) {
  // 100 arcs in one row, targets descending with a repeat of every target, so the row exceeds the insertion
  // sort limit and First must still pick the earlier copy.
  EdgeList e;
  for (std::uint32_t t = 50; t-- > 0;) e.add(0, t, static_cast<float>(t));
  for (std::uint32_t t = 50; t-- > 0;) e.add(0, t, 1000.0f);
  const Graph g = e.build(50, true, DuplicatePolicy::First);
  ASSERT_EQ(g.degree(0), 50u);
  for (std::uint32_t t = 0; t < 50; ++t) {
    EXPECT_EQ(g.targets[t], t);
    EXPECT_EQ(g.weights[t], static_cast<float>(t));
  }
}

TEST(GraphTest, FromEdgesRejectsInvalidInput) {
  const std::vector<std::uint32_t> src{0, 1}, dst{1, 2}, short_dst{1};
  const std::vector<float> weights{1.0f, 2.0f}, one_weight{1.0f};
  expect_input_error([&] { Graph::from_edges(3, src, short_dst, {}, true); }, "2 sources but 1 destinations");
  expect_input_error([&] { Graph::from_edges(3, src, dst, one_weight, true); }, "2 edges but 1 weights");
  expect_input_error([&] { Graph::from_edges(2, src, dst, weights, true); }, "edge 1 (1 -> 2) names a vertex >= n = 2");
  const std::vector<float> nan_weight{1.0f, std::numeric_limits<float>::quiet_NaN()};
  expect_input_error([&] { Graph::from_edges(3, src, dst, nan_weight, false); },
                     "edge 1 has a weight that is not finite");
  const std::vector<float> inf_weight{std::numeric_limits<float>::infinity(), 1.0f};
  expect_input_error([&] { Graph::from_edges(3, src, dst, inf_weight, false); }, "edge 0 has a weight");
  // Count never reads the weights, so it does not reject them either.
  EXPECT_EQ(Graph::from_edges(3, src, dst, nan_weight, false, DuplicatePolicy::Count).num_edges(), 2u);
  expect_input_error([&] { Graph::from_edges(std::uint32_t{1} << 31, {}, {}, {}, true); }, "at most 2^31-1");
  EXPECT_THROW(Graph::from_edges(2, src, dst, weights, true), cibgraph::Error);  // the common base
}

TEST(GraphTest, CsrConstructorAcceptsValidArraysAndFillsUnitWeights) {
  const Graph built = small_undirected();
  const Graph adopted(built.offsets, built.targets, built.weights, false);
  EXPECT_EQ(adopted.offsets, built.offsets);
  EXPECT_EQ(adopted.targets, built.targets);
  EXPECT_EQ(adopted.weights, built.weights);

  const Graph unit({0, 1, 1}, {1}, {}, true);
  EXPECT_EQ(unit.weights, (std::vector<float>{1.0f}));
}

TEST(GraphTest, CsrConstructorRejectsBrokenArrays) {
  expect_input_error([] { Graph({}, {}, {}, true); }, "offsets is empty");
  expect_input_error([] { Graph({1, 1}, {0}, {}, true); }, "offsets[0] is 1");
  expect_input_error([] { Graph({0, 2, 1, 2}, {0, 1}, {}, true); }, "offsets decrease at vertex 1");
  expect_input_error([] { Graph({0, 1, 1}, {1, 0}, {}, true); }, "offsets end at 1 but there are 2 targets");
  expect_input_error([] { Graph({0, 1}, {0}, {1.0f, 2.0f}, true); }, "1 targets but 2 weights");
  expect_input_error([] { Graph({0, 1, 1}, {2}, {}, true); }, "vertex 0, arc 0 (target 2): target out of range");
  expect_input_error([] { Graph({0, 2, 2, 2}, {2, 1}, {}, true); }, "vertex 0, arc 1 (target 1): targets not strictly");
  expect_input_error([] { Graph({0, 0, 2}, {0, 0}, {}, true); }, "vertex 1, arc 1 (target 0): targets not strictly");
  expect_input_error([] { Graph({0, 1, 1}, {1}, {std::numeric_limits<float>::infinity()}, true); }, "not finite");
  expect_input_error([] { Graph({0, 1, 1}, {1}, {}, false); }, "vertex 0, arc 0 (target 1): undirected graph lacks");
  expect_input_error([] { Graph({0, 1, 2}, {1, 0}, {1.0f, 2.0f}, false); }, "different weight");
}

TEST(GraphTest, TransposeReversesEveryArc) {
  const Graph g = small_directed();
  const Graph t = g.transpose();
  // Reversed arcs: 0→2 (1.5), 3→0 (2), 1→0 (1), 3→3 (4), 2→1 (0.5).
  EXPECT_TRUE(t.directed);
  EXPECT_EQ(t.offsets, (std::vector<std::uint64_t>{0, 1, 2, 3, 5}));
  EXPECT_EQ(t.targets, (std::vector<std::uint32_t>{2, 0, 1, 0, 3}));
  EXPECT_EQ(t.weights, (std::vector<float>{1.5f, 1.0f, 0.5f, 2.0f, 4.0f}));
  const Graph back = t.transpose();
  EXPECT_EQ(back.offsets, g.offsets);
  EXPECT_EQ(back.targets, g.targets);
  EXPECT_EQ(back.weights, g.weights);

  const Graph u = small_undirected();
  const Graph same = u.transpose();
  EXPECT_EQ(same.targets, u.targets);
  EXPECT_EQ(same.weights, u.weights);
}

// Random multigraph with many repeats, so every row exercises the sort and the merge.
EdgeList random_edges(std::uint32_t n, std::size_t m, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint32_t> vertex(0, n - 1);
  std::uniform_real_distribution<float> weight(-1.0f, 3.0f);
  EdgeList e;
  for (std::size_t i = 0; i < m; ++i) e.add(vertex(rng), vertex(rng), weight(rng));
  return e;
}

TEST(GraphTest, FromEdgesIsIdenticalWhateverTheThreadCount) {
  const EdgeList e = random_edges(2000, 100000, 42);
  const int saved_threads = omp_get_max_threads();
  for (const bool directed : {true, false}) {
    for (const DuplicatePolicy policy :
         {DuplicatePolicy::Sum, DuplicatePolicy::Max, DuplicatePolicy::First, DuplicatePolicy::Count}) {
      omp_set_num_threads(1);
      const Graph one = e.build(2000, directed, policy);
      omp_set_num_threads(2);
      const Graph two = e.build(2000, directed, policy);
      omp_set_num_threads(4);
      const Graph four = e.build(2000, directed, policy);
      EXPECT_EQ(one.offsets, two.offsets);
      EXPECT_EQ(one.targets, two.targets);
      EXPECT_EQ(one.weights, two.weights);
      EXPECT_EQ(one.offsets, four.offsets);
      EXPECT_EQ(one.targets, four.targets);
      EXPECT_EQ(one.weights, four.weights);
    }
  }
  omp_set_num_threads(saved_threads);
}

TEST(GraphTest, FromEdgesMatchesAMapOfSumsOnARandomMultigraph) {
  const std::uint32_t n = 300;
  const EdgeList e = random_edges(n, 20000, 7);
  for (const bool directed : {true, false}) {
    std::map<std::pair<std::uint32_t, std::uint32_t>, double> sums;  // summed in input order, like from_edges
    for (std::size_t i = 0; i < e.src.size(); ++i) {
      sums[{e.src[i], e.dst[i]}] += e.weights[i];
      if (!directed && e.src[i] != e.dst[i]) sums[{e.dst[i], e.src[i]}] += e.weights[i];
    }
    const Graph g = e.build(n, directed);
    ASSERT_EQ(g.num_arcs(), sums.size());
    std::size_t arc = 0;
    for (const auto& [key, sum] : sums) {  // std::map iterates rows, then targets, in CSR order
      ASSERT_EQ(g.targets[arc], key.second);
      ASSERT_GE(arc, g.offsets[key.first]);
      ASSERT_LT(arc, g.offsets[key.first + 1]);
      ASSERT_EQ(g.weights[arc], static_cast<float>(sum));
      ++arc;
    }
    // And the result passes the array constructor's checks, symmetry included.
    EXPECT_NO_THROW(Graph(g.offsets, g.targets, g.weights, directed));
  }
}

// ------------------------------------------------------------------------------------------------ EigenViewTest

TEST(EigenViewTest, SpmvEqualsHandComputedProduct) {
  const Graph g = small_directed();
  const cibgraph::EigenView view = cibgraph::eigen_view(g);
  EXPECT_EQ(view.matrix().rows(), 4);
  EXPECT_EQ(view.matrix().cols(), 4);
  EXPECT_EQ(view.matrix().nonZeros(), 5);
  const Eigen::VectorXf x = (Eigen::VectorXf(4) << 1.0f, 2.0f, 3.0f, 4.0f).finished();
  const Eigen::VectorXf y = view.matrix() * x;
  // Row 0: 1·x1 + 2·x3 = 10; row 1: 0.5·x2 = 1.5; row 2: 1.5·x0 = 1.5; row 3: 4·x3 = 16.
  EXPECT_EQ(y, (Eigen::VectorXf(4) << 10.0f, 1.5f, 1.5f, 16.0f).finished());
  EXPECT_EQ(view.matrix().coeff(0, 3), 2.0f);
  EXPECT_EQ(view.matrix().coeff(3, 0), 0.0f);
}

TEST(EigenViewTest, SharesTargetsAndWeightsWithTheGraph) {
  const Graph g = small_undirected();
  const cibgraph::EigenView view = cibgraph::eigen_view(g);
  EXPECT_EQ(static_cast<const void*>(view.matrix().innerIndexPtr()), static_cast<const void*>(g.targets.data()));
  EXPECT_EQ(view.matrix().valuePtr(), g.weights.data());
  // The row pointer is the one narrowed copy.
  for (std::size_t v = 0; v < g.offsets.size(); ++v) {
    EXPECT_EQ(static_cast<std::uint64_t>(view.matrix().outerIndexPtr()[v]), g.offsets[v]);
  }
}

TEST(EigenViewTest, UndirectedMatrixIsSymmetricAndMovingKeepsTheView) {
  const Graph g = small_undirected();
  cibgraph::EigenView original(g);
  const cibgraph::EigenView moved(std::move(original));
  const Eigen::VectorXf x = (Eigen::VectorXf(4) << 1.0f, -1.0f, 2.0f, 0.5f).finished();
  // A = [[0,2,0,1],[2,0,3,0],[0,3,5,0],[1,0,0,0]].
  const Eigen::VectorXf expected = (Eigen::VectorXf(4) << -1.5f, 8.0f, 7.0f, 1.0f).finished();
  EXPECT_EQ(Eigen::VectorXf(moved.matrix() * x), expected);
  EXPECT_EQ(Eigen::VectorXf(moved.matrix().transpose() * x), expected);
}

// ------------------------------------------------------------------------------------------------ BglTest

using cibgraph::bgl::Directed;
using cibgraph::bgl::Undirected;

BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<Undirected>));
BOOST_CONCEPT_ASSERT((boost::AdjacencyGraphConcept<Undirected>));
BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<Undirected>));
BOOST_CONCEPT_ASSERT((boost::EdgeListGraphConcept<Undirected>));
BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<Directed>));
BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<Directed>));
BOOST_CONCEPT_ASSERT((boost::EdgeListGraphConcept<Directed>));
BOOST_CONCEPT_ASSERT((boost::ReadablePropertyMapConcept<cibgraph::bgl::EdgeWeightMap, cibgraph::bgl::EdgeRef>));
BOOST_CONCEPT_ASSERT((boost::ReadablePropertyMapConcept<cibgraph::bgl::VertexIndexMap, std::uint32_t>));

Graph undirected_graph(std::uint32_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs,
                       const std::vector<float>& weights = {}) {
  EdgeList e;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    e.add(pairs[i].first, pairs[i].second, weights.empty() ? 1.0f : weights[i]);
  }
  return e.build(n, false);
}

std::vector<double> betweenness(const Undirected& view, bool weighted) {
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

TEST(BglTest, ViewChecksTheDirectednessFlag) {
  const Graph directed = small_directed();
  const Graph undirected = small_undirected();
  EXPECT_THROW(Undirected{directed}, cibgraph::UsageError);
  EXPECT_THROW(Directed{undirected}, cibgraph::UsageError);
  EXPECT_NO_THROW(Directed{directed});
  EXPECT_TRUE(cibgraph::bgl::with_bgl_view(directed, [](const auto& view) { return boost::is_directed(view); }));
  EXPECT_FALSE(cibgraph::bgl::with_bgl_view(undirected, [](const auto& view) { return boost::is_directed(view); }));
}

TEST(BglTest, TraversalReadsTheCsr) {
  const Graph g = small_undirected();
  const Undirected view(g);
  EXPECT_EQ(num_vertices(view), 4u);
  EXPECT_EQ(num_edges(view), 4u);
  EXPECT_EQ(out_degree(1, view), 2u);
  EXPECT_EQ(degree(2, view), 2u);

  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (auto [it, end] = out_edges(2, view); it != end; ++it) out.emplace_back(source(*it, view), target(*it, view));
  EXPECT_EQ(out, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{2, 1}, {2, 2}}));

  std::vector<std::uint32_t> adjacent;
  for (auto [it, end] = adjacent_vertices(0, view); it != end; ++it) adjacent.push_back(*it);
  EXPECT_EQ(adjacent, (std::vector<std::uint32_t>{1, 3}));

  // Each undirected edge once, from its smaller end; the self-loop once.
  const auto weight = get(boost::edge_weight, view);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> listed;
  std::vector<float> listed_weights;
  for (auto [it, end] = edges(view); it != end; ++it) {
    listed.emplace_back(source(*it, view), target(*it, view));
    listed_weights.push_back(get(weight, *it));
  }
  EXPECT_EQ(listed, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{0, 1}, {0, 3}, {1, 2}, {2, 2}}));
  EXPECT_EQ(listed_weights, (std::vector<float>{2.0f, 1.0f, 3.0f, 5.0f}));

  const Graph d = small_directed();
  const Directed directed_view(d);
  std::size_t arcs = 0;
  for (auto [it, end] = edges(directed_view); it != end; ++it) ++arcs;
  EXPECT_EQ(arcs, 5u);
  EXPECT_EQ(num_edges(directed_view), 5u);
}

TEST(BglTest, EdgeIteratorSkipsEmptyRows) {
  const Graph g = undirected_graph(6, {{4, 5}, {1, 1}});  // rows 0, 2 and 3 are empty
  const Undirected view(g);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> listed;
  for (auto [it, end] = edges(view); it != end; ++it) listed.emplace_back(source(*it, view), target(*it, view));
  EXPECT_EQ(listed, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{1, 1}, {4, 5}}));
}

TEST(BglTest, ConnectedComponentsFindsThreeComponents) {
  // {0,1,2} a path, {3,4} an edge, {5} alone with a self-loop.
  const Graph g = undirected_graph(6, {{0, 1}, {2, 1}, {4, 3}, {5, 5}});
  const Undirected view(g);
  std::vector<int> component(num_vertices(view));
  const int count = boost::connected_components(
      view, boost::make_iterator_property_map(component.begin(), get(boost::vertex_index, view)));
  EXPECT_EQ(count, 3);
  EXPECT_EQ(component, (std::vector<int>{0, 0, 0, 1, 1, 2}));
}

TEST(BglTest, BetweennessOnAPathOfFive) {
  const Graph g = undirected_graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
  const Undirected view(g);
  const std::vector<double> expected{0, 3, 4, 3, 0};
  EXPECT_EQ(betweenness(view, false), expected);
  EXPECT_EQ(betweenness(view, true), expected);
  // Other positive weights on a tree change no shortest path.
  const Graph weighted = undirected_graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}}, {2.0f, 0.5f, 7.0f, 1.0f});
  EXPECT_EQ(betweenness(Undirected(weighted), true), expected);
}

TEST(BglTest, BetweennessOnAStar) {
  // Centre 0, leaves 1..4: every one of the C(4,2) = 6 leaf pairs passes through the centre.
  const Graph g = undirected_graph(5, {{0, 1}, {0, 2}, {3, 0}, {0, 4}});
  const Undirected view(g);
  const std::vector<double> expected{6, 0, 0, 0, 0};
  EXPECT_EQ(betweenness(view, false), expected);
  EXPECT_EQ(betweenness(view, true), expected);
}

TEST(BglTest, BetweennessOnTwoTrianglesJoinedByABridge) {
  // Triangles {0,1,2} and {3,4,5}, bridge 2–3. Vertex 2 lies on the paths from {0,1} to {3,4,5}: 6 pairs;
  // vertex 3 symmetrically on {0,1,2} to {4,5}: 6 pairs.
  const Graph g = undirected_graph(6, {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {5, 3}, {2, 3}});
  const Undirected view(g);
  const std::vector<double> expected{0, 0, 6, 6, 0, 0};
  EXPECT_EQ(betweenness(view, false), expected);
  EXPECT_EQ(betweenness(view, true), expected);
}

TEST(BglTest, WeightedBetweennessFollowsTheWeightMap) {
  // Triangle with a heavy side 0–2 (3 > 1 + 1): weighted, the path 0–1–2 is the only shortest one.
  const Graph g = undirected_graph(3, {{0, 1}, {1, 2}, {0, 2}}, {1.0f, 1.0f, 3.0f});
  const Undirected view(g);
  EXPECT_EQ(betweenness(view, false), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(betweenness(view, true), (std::vector<double>{0, 1, 0}));
}

TEST(BglTest, BetweennessOnADirectedPathCountsOrderedPairs) {
  EdgeList e;
  e.add(0, 1);
  e.add(1, 2);
  const Graph g = e.build(3, true);
  const Directed view(g);
  std::vector<double> centrality(3, 0.0);
  boost::brandes_betweenness_centrality(
      view, boost::make_iterator_property_map(centrality.begin(), get(boost::vertex_index, view)));
  EXPECT_EQ(centrality, (std::vector<double>{0, 1, 0}));
}

TEST(BglTest, StrongComponentsOnASmallDirectedGraph) {
  // Cycle 0→1→2→0, then 2→3, cycle 3⇄4, and 5→0 with nothing back to 5.
  EdgeList e;
  e.add(0, 1);
  e.add(1, 2);
  e.add(2, 0);
  e.add(2, 3);
  e.add(3, 4);
  e.add(4, 3);
  e.add(5, 0);
  const Graph g = e.build(6, true);
  const Directed view(g);
  std::vector<int> component(num_vertices(view));
  const int count = boost::strong_components(
      view, boost::make_iterator_property_map(component.begin(), get(boost::vertex_index, view)));
  EXPECT_EQ(count, 3);
  // Tarjan's DFS from 0 closes {3,4} first, then {0,1,2}, then {5}.
  EXPECT_EQ(component, (std::vector<int>{1, 1, 1, 0, 0, 2}));
}

}  // namespace
