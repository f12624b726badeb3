#pragma once
// Core numbers: core[v] is the largest k such that v belongs to the k-core, the largest subgraph in which every
// vertex has degree at least k.
//
// Conventions (networkx core_number): weights play no part; on a directed graph the degree is in-degree plus
// out-degree, so a reciprocated pair u->v, v->u counts twice, as networkx's G.degree and all_neighbors do.
// Self-loops are ignored (networkx refuses graphs with self-loops; dropping them gives what it would return after
// G.remove_edges_from(nx.selfloop_edges(G))). An isolated vertex has core number 0.
//
// Algorithm: Batagelj & Zaversnik, "An O(m) algorithm for cores decomposition of networks" (2003): vertices kept
// in an array sorted by current degree with bucket starts, peeled in order of smallest current degree; each
// neighbour with a larger degree moves one bucket down by a swap. O(n + m) time, sequential; extra memory
// 3 uint32 per vertex plus one per distinct degree, and the transpose of a directed graph (its in-arcs).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

template <TransposableGraph G>
std::vector<std::uint32_t> core_numbers(const G& g) {
  const std::uint32_t n = g.num_vertices();
  // In-arcs of a directed graph; an undirected graph already lists every neighbour in its own row.
  std::optional<G> reversed;
  if (g.directed) reversed.emplace(g.transpose());
  const auto for_each_neighbour = [&](std::uint32_t v, auto&& visit) {
    for (const std::uint32_t w : g.neighbors(v)) {
      if (w != v) visit(w);
    }
    if (reversed) {
      for (const std::uint32_t w : reversed->neighbors(v)) {
        if (w != v) visit(w);
      }
    }
  };

  // degree becomes the core number as vertices are peeled; in+out degree < 2n < 2^32.
  std::vector<std::uint32_t> degree(n, 0);
  std::uint32_t max_degree = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    std::uint32_t d = 0;
    for_each_neighbour(v, [&](std::uint32_t) { ++d; });
    degree[v] = d;
    max_degree = d > max_degree ? d : max_degree;
  }

  // bucket_start[d]: first position in `order` of the vertices whose current degree is d.
  std::vector<std::uint32_t> bucket_start(std::size_t{max_degree} + 2, 0);
  for (std::uint32_t v = 0; v < n; ++v) ++bucket_start[degree[v] + std::size_t{1}];
  for (std::size_t d = 1; d < bucket_start.size(); ++d) bucket_start[d] += bucket_start[d - 1];
  std::vector<std::uint32_t> order(n), position(n);
  {
    std::vector<std::uint32_t> fill(bucket_start.begin(), bucket_start.end() - 1);
    for (std::uint32_t v = 0; v < n; ++v) {
      position[v] = fill[degree[v]]++;
      order[position[v]] = v;
    }
  }

  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t v = order[i];
    const std::uint32_t core_of_v = degree[v];  // final: v is never its own neighbour here
    for_each_neighbour(v, [&](std::uint32_t u) {
      const std::uint32_t d = degree[u];
      if (d <= core_of_v) return;
      // Swap u with the first vertex of its bucket, then shrink the bucket from the front: u drops to d - 1.
      const std::uint32_t first_pos = bucket_start[d];
      const std::uint32_t first = order[first_pos];
      if (first != u) {
        order[position[u]] = first;
        position[first] = position[u];
        order[first_pos] = u;
        position[u] = first_pos;
      }
      ++bucket_start[d];
      --degree[u];
    });
  }
  return degree;
}

}  // namespace cibgraph
