#pragma once
// Degree and strength (weighted degree) of every vertex, the simplest centralities (Freeman, "Centrality in
// social networks: conceptual clarification", Social Networks 1(3), 1978; strength: Barrat et al., PNAS 2004).
//
// Conventions: for a directed graph Out counts arcs leaving v, In arcs entering v, All both (a self-loop counts
// once in Out and once in In, so twice in All, as networkx's DiGraph.degree). For an undirected graph the three
// are the same and a self-loop counts once, the Graph convention (networkx's Graph.degree counts it twice).
// Degrees are raw counts, not networkx's degree_centrality (degree / (n - 1)). Strengths sum the arc weights in
// double, in increasing order of the other endpoint, so they are exact for integer weights below 2^53.
//
// Complexity: O(n) for Out (row lengths) and O(n + m) for strengths and In; In is a sequential scatter over the
// arcs (memory-bound; a parallel scatter needs atomics or per-thread copies that cost as much) and keeps the
// double sums in a fixed order.
#include <cstdint>
#include <vector>

#include "cibgraph/algorithms/centrality/power_iteration.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

enum class Direction { Out, In, All };

template <OutAdjacencyGraph G>
std::vector<std::uint64_t> degrees(const G& g, Direction d = Direction::Out) {
  const std::uint32_t n = g.num_vertices();
  std::vector<std::uint64_t> out(n, 0);
  if (!g.directed || d != Direction::In) {
    const auto count = static_cast<std::int64_t>(n);
#pragma omp parallel for schedule(static) if (centrality_detail::worth_parallel(g))
    for (std::int64_t v = 0; v < count; ++v) out[v] = g.neighbors(static_cast<std::uint32_t>(v)).size();
  }
  if (g.directed && d != Direction::Out) {
    for (std::uint32_t v = 0; v < n; ++v) {
      for (std::uint32_t head : g.neighbors(v)) ++out[head];
    }
  }
  return out;
}

template <WeightedGraph G>
std::vector<double> strengths(const G& g, Direction d = Direction::Out) {
  const std::uint32_t n = g.num_vertices();
  std::vector<double> out(n, 0.0);
  if (!g.directed || d != Direction::In) {
    const auto count = static_cast<std::int64_t>(n);
#pragma omp parallel for schedule(static) if (centrality_detail::worth_parallel(g))
    for (std::int64_t v = 0; v < count; ++v) out[v] = centrality_detail::out_strength(g, static_cast<std::uint32_t>(v));
  }
  if (g.directed && d != Direction::Out) {
    // Out-strength first (when All), then in-arcs by increasing source: a fixed order of additions.
    for (std::uint32_t v = 0; v < n; ++v) {
      const auto heads = g.neighbors(v);
      const auto w = g.neighbor_weights(v);
      for (std::size_t k = 0; k < heads.size(); ++k) out[heads[k]] += w[k];
    }
  }
  return out;
}

}  // namespace cibgraph
