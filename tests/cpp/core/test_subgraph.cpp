// Graph::induced_subgraph and Graph::edge_subgraph: exact arrays on small hand-drawn graphs, ids kept, rows kept in
// order, the in-place form on an rvalue reusing the graph's arrays, and agreement with from_edges of the kept edges
// on random graphs.
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"

namespace {

using cibgraph::Graph;
using Flags = std::vector<std::uint8_t>;

Graph graph_of(std::uint32_t n, const std::vector<std::uint32_t>& src, const std::vector<std::uint32_t>& dst,
               const std::vector<float>& weights, bool directed) {
  return Graph::from_edges(n, src, dst, weights, directed);
}

// Undirected: 0–1 (1), 0–2 (2), 1–2 (3), 2–3 (4), 3–3 (5, self-loop), 3–4 (6).
Graph small_undirected() {
  return graph_of(5, {0, 0, 1, 2, 3, 3}, {1, 2, 2, 3, 3, 4}, {1, 2, 3, 4, 5, 6}, false);
}

void expect_arrays(const Graph& g, const std::vector<std::uint64_t>& offsets, const std::vector<std::uint32_t>& targets,
                   const std::vector<float>& weights) {
  EXPECT_EQ(g.offsets, offsets);
  EXPECT_EQ(g.targets, targets);
  EXPECT_EQ(g.weights, weights);
}

TEST(SubgraphTest, InducedSubgraphDropsEveryArcWithAnEndOutsideAndKeepsIds) {
  const Graph g = small_undirected();
  // Without 2: the triangle loses two edges, 3 keeps its loop and 4.
  const Graph h = g.induced_subgraph(Flags{1, 1, 0, 1, 1});
  EXPECT_EQ(h.num_vertices(), 5u);
  EXPECT_FALSE(h.directed);
  expect_arrays(h, {0, 1, 2, 2, 4, 5}, {1, 0, 3, 4, 3}, {1, 1, 5, 6, 6});
  // The lvalue form left g as it was.
  expect_arrays(g, {0, 2, 4, 7, 10, 11}, {1, 2, 0, 2, 0, 1, 3, 2, 3, 4, 3}, {1, 2, 1, 3, 2, 3, 4, 4, 5, 6, 6});
  // Everything kept, nothing kept.
  expect_arrays(g.induced_subgraph(Flags(5, 1)), g.offsets, g.targets, g.weights);
  expect_arrays(g.induced_subgraph(Flags(5, 0)), {0, 0, 0, 0, 0, 0}, {}, {});
}

TEST(SubgraphTest, InducedSubgraphOfADirectedGraphKeepsDirections) {
  // 0→1, 1→2, 2→0, 2→3, 3→1.
  const Graph g = graph_of(4, {0, 1, 2, 2, 3}, {1, 2, 0, 3, 1}, {1, 2, 3, 4, 5}, true);
  const Graph h = g.induced_subgraph(Flags{0, 1, 1, 1});
  EXPECT_TRUE(h.directed);
  expect_arrays(h, {0, 0, 1, 2, 3}, {2, 3, 1}, {2, 4, 5});
}

TEST(SubgraphTest, OnAnRvalueTheArraysAreReused) {
  Graph g = small_undirected();
  const std::uint32_t* targets_before = g.targets.data();
  const float* weights_before = g.weights.data();
  // Dropping only 4 keeps 9 of 11 arcs: more than 3/4, so the arrays are not reallocated either.
  g = std::move(g).induced_subgraph(Flags{1, 1, 1, 1, 0});
  expect_arrays(g, {0, 2, 4, 7, 9, 9}, {1, 2, 0, 2, 0, 1, 3, 2, 3}, {1, 2, 1, 3, 2, 3, 4, 4, 5});
  EXPECT_EQ(g.targets.data(), targets_before);
  EXPECT_EQ(g.weights.data(), weights_before);
  // Round after round, as a peeling search does: drop 3, then 0.
  g = std::move(g).induced_subgraph(Flags{1, 1, 1, 0, 0});
  g = std::move(g).induced_subgraph(Flags{0, 1, 1, 0, 0});
  expect_arrays(g, {0, 0, 1, 2, 2, 2}, {2, 1}, {3, 3});
  // Passes the array constructor's full check of the invariants.
  EXPECT_NO_THROW(static_cast<void>(Graph(g.offsets, g.targets, g.weights, g.directed)));
}

TEST(SubgraphTest, EdgeSubgraphKeepsTheFlaggedArcs) {
  const Graph g = small_undirected();
  // Arcs in CSR order: 0→1 0→2 | 1→0 1→2 | 2→0 2→1 2→3 | 3→2 3→3 3→4 | 4→3. Keep 0–2, 2–3 and the loop.
  const Flags keep = {0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0};
  const Graph h = g.edge_subgraph(keep);
  expect_arrays(h, {0, 1, 1, 3, 5, 5}, {2, 0, 3, 2, 3}, {2, 2, 4, 4, 5});
  EXPECT_NO_THROW(static_cast<void>(Graph(h.offsets, h.targets, h.weights, h.directed)));
  Graph moved = g;
  moved = std::move(moved).edge_subgraph(keep);
  expect_arrays(moved, h.offsets, h.targets, h.weights);
}

TEST(SubgraphTest, WrongFlagCountsAreRefused) {
  const Graph g = small_undirected();
  EXPECT_THROW(g.induced_subgraph(Flags(4, 1)), cibgraph::InputError);
  EXPECT_THROW(g.edge_subgraph(Flags(5, 1)), cibgraph::InputError);
  Graph h = g;
  EXPECT_THROW(std::move(h).induced_subgraph(Flags(6, 1)), cibgraph::InputError);
}

TEST(SubgraphTest, AgreeWithFromEdgesOfTheKeptEdgesOnRandomGraphs) {
  std::mt19937 rng(19);
  for (int trial = 0; trial < 20; ++trial) {
    const bool directed = trial % 2 == 1;
    const std::uint32_t n = 1 + rng() % 60;
    std::vector<std::uint32_t> src, dst;
    std::vector<float> w;
    for (std::uint32_t e = 0; e < 4 * n; ++e) {
      src.push_back(rng() % n);
      dst.push_back(rng() % n);
      w.push_back(static_cast<float>(1 + rng() % 8));
    }
    const Graph g = graph_of(n, src, dst, w, directed);
    Flags keep_vertex(n);
    for (auto& f : keep_vertex) f = rng() % 3 != 0;

    std::vector<std::uint32_t> kept_src, kept_dst;
    std::vector<float> kept_w;
    for (std::uint32_t u = 0; u < n; ++u) {
      const auto row = g.neighbors(u);
      for (std::size_t i = 0; i < row.size(); ++i) {
        // Each undirected edge once (from its smaller end), with its merged weight.
        if (!keep_vertex[u] || !keep_vertex[row[i]] || (!directed && row[i] < u)) continue;
        kept_src.push_back(u);
        kept_dst.push_back(row[i]);
        kept_w.push_back(g.neighbor_weights(u)[i]);
      }
    }
    const Graph expected = graph_of(n, kept_src, kept_dst, kept_w, directed);
    const Graph induced = g.induced_subgraph(keep_vertex);
    expect_arrays(induced, expected.offsets, expected.targets, expected.weights);

    // The same subgraph as an edge subgraph: the arcs whose ends are both kept (both arcs of an edge agree).
    Flags keep_arc(g.num_arcs());
    for (std::uint32_t u = 0; u < n; ++u)
      for (std::uint64_t a = g.offsets[u]; a < g.offsets[u + 1]; ++a) keep_arc[a] = keep_vertex[u] && keep_vertex[g.targets[a]];
    expect_arrays(g.edge_subgraph(keep_arc), expected.offsets, expected.targets, expected.weights);
  }
}

}  // namespace
