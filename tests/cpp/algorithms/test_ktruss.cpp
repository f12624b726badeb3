// k-truss (algorithms/components/ktruss.hpp): exact arcs on a hand-drawn graph, agreement with the definition
// applied literally (remove every edge below the support, recount, until nothing changes) on random graphs.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "cibgraph/algorithms/components/ktruss.hpp"
#include "cibgraph/graph.hpp"

using namespace cibgraph;

namespace {

using Edge = std::pair<std::uint32_t, std::uint32_t>;

Graph undirected(std::uint32_t n, const std::vector<Edge>& edges) {
  std::vector<std::uint32_t> src, dst;
  for (const auto& [a, b] : edges) {
    src.push_back(a);
    dst.push_back(b);
  }
  return Graph::from_edges(n, src, dst, {}, false);
}

// The edges (a < b) whose arcs are flagged; checks that both arcs of an edge agree.
std::set<Edge> truss_edges_of(const Graph& g, const std::vector<std::uint8_t>& in) {
  std::set<Edge> out;
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v)
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      const std::uint32_t w = g.targets[a];
      const auto row = g.neighbors(w);
      const auto back = g.offsets[w] + static_cast<std::uint64_t>(std::lower_bound(row.begin(), row.end(), v) - row.begin());
      EXPECT_EQ(in[a], in[back]) << v << "-" << w;
      if (in[a] && v < w) out.insert({v, w});
    }
  return out;
}

// The definition applied literally: count every edge's triangles among the remaining edges, drop all edges below
// k - 2 at once, repeat until nothing is dropped.
std::set<Edge> truss_by_definition(std::uint32_t n, std::set<Edge> edges, std::uint32_t k) {
  for (auto it = edges.begin(); it != edges.end();) it = it->first == it->second ? edges.erase(it) : std::next(it);
  if (k <= 2) return edges;
  for (;;) {
    std::vector<std::set<std::uint32_t>> adj(n);
    for (const auto& [a, b] : edges) {
      adj[a].insert(b);
      adj[b].insert(a);
    }
    std::set<Edge> next;
    for (const auto& [a, b] : edges) {
      std::uint32_t triangles = 0;
      for (auto x : adj[a]) triangles += adj[b].count(x);
      if (triangles >= k - 2) next.insert({a, b});
    }
    if (next.size() == edges.size()) return edges;
    edges = std::move(next);
  }
}

// K4 on 0-3; triangle 3-4-5 sharing vertex 3; pendant 5-6; a self-loop on 6; isolated vertex 7.
TEST(KTrussTest, HandDrawnGraphExactArcs) {
  const std::vector<Edge> edges = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}, {3, 4}, {3, 5}, {4, 5}, {5, 6}, {6, 6}};
  const Graph g = undirected(8, edges);
  const std::set<Edge> k4 = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};
  std::set<Edge> k3 = k4;
  k3.insert({{3, 4}, {3, 5}, {4, 5}});
  std::set<Edge> k2 = k3;
  k2.insert({5, 6});
  EXPECT_EQ(truss_edges_of(g, k_truss_arcs(g, 2)), k2);  // every edge but the self-loop
  EXPECT_EQ(truss_edges_of(g, k_truss_arcs(g, 3)), k3);  // every edge in a triangle
  EXPECT_EQ(truss_edges_of(g, k_truss_arcs(g, 4)), k4);  // each K4 edge lies in 2 triangles, the others in 1
  EXPECT_TRUE(truss_edges_of(g, k_truss_arcs(g, 5)).empty());
  // The self-loop's single arc is never in.
  const auto self = g.offsets[6] + 1;  // row 6 is {5, 6}
  ASSERT_EQ(g.targets[self], 6u);
  EXPECT_EQ(k_truss_arcs(g, 0)[self], 0);
}

TEST(KTrussTest, PeelingCascades) {
  // A chain of triangles 0-1-2, 1-2-3, 2-3-4 (a strip): edges 1-2 and 2-3 lie in 2 triangles, the rest in 1. At
  // k = 4 the outer edges fall first, which takes 1-2 and 2-3 below 2: nothing is left.
  const Graph g = undirected(5, {{0, 1}, {0, 2}, {1, 2}, {1, 3}, {2, 3}, {2, 4}, {3, 4}});
  EXPECT_TRUE(truss_edges_of(g, k_truss_arcs(g, 4)).empty());
  EXPECT_EQ(truss_edges_of(g, k_truss_arcs(g, 3)).size(), 7u);
}

TEST(KTrussTest, DirectedGraphsAreRefused) {
  std::vector<std::uint32_t> src{0}, dst{1};
  const Graph g = Graph::from_edges(2, src, dst, {}, true);
  EXPECT_THROW(k_truss_arcs(g, 3), std::invalid_argument);
}

TEST(KTrussTest, AgreesWithTheDefinitionOnRandomGraphs) {
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 30; ++trial) {
    const std::uint32_t n = 10 + static_cast<std::uint32_t>(rng() % 40);
    const std::uint32_t m = n * (1 + static_cast<std::uint32_t>(rng() % 6));
    std::set<Edge> edges;
    std::vector<Edge> list;
    for (std::uint32_t i = 0; i < m; ++i) {
      std::uint32_t a = static_cast<std::uint32_t>(rng() % n), b = static_cast<std::uint32_t>(rng() % n);
      if (a > b) std::swap(a, b);
      edges.insert({a, b});
      list.push_back({b, a});  // either orientation, repeats and self-loops included
    }
    const Graph g = undirected(n, list);
    for (std::uint32_t k = 2; k <= 6; ++k)
      EXPECT_EQ(truss_edges_of(g, k_truss_arcs(g, k)), truss_by_definition(n, edges, k))
          << "trial " << trial << ", n " << n << ", m " << m << ", k " << k;
  }
}

}  // namespace
