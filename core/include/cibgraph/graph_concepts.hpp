#pragma once
// What the algorithm templates (algorithms/include/cibgraph/algorithms/...) need of a graph, as C++20 concepts, so
// that a second graph type (one over memory-mapped arrays, say) can be passed to them, and a type that lacks what an
// algorithm reads is refused at the call with the name of the missing requirement instead of an error deep inside
// the algorithm. cibgraph::Graph (graph.hpp) satisfies all four; docs/algorithms.md says which algorithm asks for
// which.
//
//   OutAdjacencyGraph  g.num_vertices(), g.num_arcs(), g.directed and g.neighbors(v), the row of v as a
//                      std::span<const std::uint32_t>. Components, core numbers (with TransposableGraph), degrees.
//   WeightedGraph      an OutAdjacencyGraph with g.neighbor_weights(v), the weights of that row as a
//                      std::span<const float>. Centralities, shortest paths, partition quality.
//   TransposableGraph  an OutAdjacencyGraph with g.transpose(), the same graph type with every arc reversed: how the
//                      algorithms that need in-arcs of a directed graph get them (PageRank and the other power
//                      iterations, core numbers, label propagation, spectral clustering).
//   CsrGraph           a WeightedGraph that also exposes its compressed sparse row arrays g.offsets (uint64),
//                      g.targets (uint32) and g.weights (float) as contiguous arrays (std::vector or std::span),
//                      for the algorithms that address arcs by their index in CSR order or hand the arrays on
//                      (k-truss, Leiden, Louvain, consensus).
//
// Rows are spans, not any range: the algorithms index them, take their size, binary-search them and pass them on
// as spans, and a span cannot hide a copy (a row returned as a std::vector would be copied at every visit).
//
// What the compiler cannot check, and every algorithm assumes: the invariants of graph.hpp. Vertices are
// 0 .. num_vertices() - 1 and num_vertices() < 2^31; num_arcs() is the sum of the row lengths; each row is sorted
// by target with no repeats; an undirected graph lists each edge u–v in both rows, with equal weights, and a
// self-loop once; neighbor_weights(v) has the length of neighbors(v); offsets, targets and weights are the rows laid
// end to end (neighbors(v) is targets[offsets[v] .. offsets[v+1])).
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

namespace cibgraph {

template <class G>
concept OutAdjacencyGraph = requires(const G& g, std::uint32_t v) {
  { g.num_vertices() } -> std::convertible_to<std::uint32_t>;
  { g.num_arcs() } -> std::convertible_to<std::uint64_t>;
  { g.directed } -> std::convertible_to<bool>;
  { g.neighbors(v) } -> std::same_as<std::span<const std::uint32_t>>;
};

template <class G>
concept WeightedGraph = OutAdjacencyGraph<G> && requires(const G& g, std::uint32_t v) {
  { g.neighbor_weights(v) } -> std::same_as<std::span<const float>>;
};

template <class G>
concept TransposableGraph = OutAdjacencyGraph<G> && requires(const G& g) {
  { g.transpose() } -> std::same_as<G>;
};

// One CSR array as the algorithms read it: indexed, sized, iterated and handed on by pointer.
template <class A, class T>
concept CsrArray = requires(const A& a, std::size_t i) {
  { a.data() } -> std::convertible_to<const T*>;
  { a.size() } -> std::convertible_to<std::size_t>;
  { a[i] } -> std::convertible_to<T>;
  a.begin();
  a.end();
};

template <class G>
concept CsrGraph = WeightedGraph<G> && requires(const G& g) {
  requires CsrArray<decltype(g.offsets), std::uint64_t>;
  requires CsrArray<decltype(g.targets), std::uint32_t>;
  requires CsrArray<decltype(g.weights), float>;
};

}  // namespace cibgraph
