#pragma once
// k-truss: the largest subgraph in which every edge lies in at least k - 2 triangles of that subgraph (Cohen,
// "Trusses: cohesive subgraphs for social network analysis", 2008). It is unique, so any peeling order gives it.
//
// Conventions (networkx k_truss): undirected graphs only (std::invalid_argument otherwise, as networkx refuses
// directed graphs); weights play no part; self-loops are ignored (they close no triangle and are never in the
// truss); k <= 2 keeps every edge that is not a self-loop. networkx returns the truss as a subgraph on the vertices
// that keep an edge; here the result is one flag per arc of g, in CSR order (both arcs of an edge agree).
//
// Algorithm: support counting by sorted-row intersection, counted only up to k - 2 (dense groups cost little),
// then peeling: an edge below the support leaves and the edges of the triangles it closed are checked again.
// Each check intersects two sorted rows (O(d_u + d_v)); memory one byte and one source id per arc.
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

template <CsrGraph G>
std::vector<std::uint8_t> k_truss_arcs(const G& g, std::uint32_t k) {
  if (g.directed) throw std::invalid_argument("k_truss: the graph must be undirected");
  const std::uint32_t n = g.num_vertices();
  const std::uint64_t arcs = g.num_arcs();
  std::vector<std::uint8_t> in(arcs, 1);
  // The source vertex of every arc (the row it lies in); self-loops are never in.
  std::vector<std::uint32_t> source(arcs);
  for (std::uint32_t v = 0; v < n; ++v)
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      source[a] = v;
      if (g.targets[a] == v) in[a] = 0;
    }
  if (k <= 2) return in;
  const std::uint32_t support = k - 2;
  // The arc w -> v of the arc a = v -> w (rows are sorted: a binary search, only for the arcs peeling touches).
  const auto twin = [&](std::uint64_t a) {
    const std::uint32_t w = g.targets[a];
    const auto row = g.neighbors(w);
    return g.offsets[w] + static_cast<std::uint64_t>(std::lower_bound(row.begin(), row.end(), source[a]) - row.begin());
  };
  // Calls f(arc u-x, arc v-x) for each x adjacent to both ends u, v of arc a by arcs still in, until f returns false.
  const auto each_triangle = [&](std::uint64_t a, auto&& f) {
    const std::uint32_t u = source[a], v = g.targets[a];
    std::uint64_t i = g.offsets[u], j = g.offsets[v];
    const std::uint64_t ie = g.offsets[u + 1], je = g.offsets[v + 1];
    while (i < ie && j < je) {
      const std::uint32_t x = g.targets[i], y = g.targets[j];
      if (x < y) {
        ++i;
      } else if (y < x) {
        ++j;
      } else {
        if (x != u && x != v && in[i] && in[j] && !f(i, j)) return;
        ++i;
        ++j;
      }
    }
  };
  const auto enough = [&](std::uint64_t a) {
    std::uint32_t count = 0;
    each_triangle(a, [&](std::uint64_t, std::uint64_t) { return ++count < support; });
    return count >= support;
  };
  // Peel one undirected edge at a time, through its arc from the smaller end.
  std::vector<std::uint64_t> queue;
  for (std::uint64_t a = 0; a < arcs; ++a)
    if (in[a] && source[a] < g.targets[a] && !enough(a)) queue.push_back(a);
  std::vector<std::uint64_t> touched;
  while (!queue.empty()) {
    const std::uint64_t a = queue.back();
    queue.pop_back();
    if (!in[a]) continue;
    touched.clear();
    each_triangle(a, [&](std::uint64_t x, std::uint64_t y) {
      touched.push_back(x);
      touched.push_back(y);
      return true;
    });
    in[a] = 0;
    in[twin(a)] = 0;
    for (std::uint64_t t : touched) {
      const std::uint64_t lower = source[t] < g.targets[t] ? t : twin(t);
      if (in[lower] && !enough(lower)) queue.push_back(lower);
    }
  }
  return in;
}

}  // namespace cibgraph
