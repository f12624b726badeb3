#pragma once
// Boost.Graph's view of a cibgraph::Graph, so BGL algorithms (Brandes betweenness, components, core numbers)
// run on the CSR arrays directly: no adjacency_list is built, nothing is copied.
//
// Directedness. BGL reads it at compile time from graph_traits<G>::directed_category; Graph carries it as a
// runtime flag. So the adaptor is two thin reference types over the same Graph:
//     cibgraph::bgl::Directed   view(g);   // throws UsageError unless g.directed
//     cibgraph::bgl::Undirected view(g);   // throws UsageError if g.directed
// or, when the flag is only known at run time, with_bgl_view(g, [](const auto& view) { ... }).
// A view holds a pointer to the Graph: keep the Graph alive and unmodified while the view is used.
//
// What BGL sees:
//   * vertex_descriptor: std::uint32_t, the vertex id; vertex_index is the identity map;
//   * edge_descriptor: cibgraph::bgl::EdgeRef {source, index of the arc in g.targets}; target = targets[index];
//   * out_edges(v) / adjacent_vertices(v): row v of the CSR. An undirected edge u–v appears in the rows of
//     both u and v, as BGL expects of an undirected IncidenceGraph; the two arcs are distinct descriptors;
//   * edges(g): directed — every arc; undirected — each edge once, as its arc with source <= target;
//   * get(boost::edge_weight, view): the weight of the arc, read from g.weights.
// Models IncidenceGraph, AdjacencyGraph, VertexListGraph and EdgeListGraph (not BidirectionalGraph: a directed
// Graph has no in-arc index; use Graph::transpose()). A self-loop is one arc, so it adds 1 to out_degree.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>

#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"

namespace cibgraph::bgl {

// One stored arc, named by its position in Graph::targets. The source is kept because BGL asks for it in O(1)
// and the CSR only knows it through a search of the offsets.
struct EdgeRef {
  std::uint32_t source = 0;
  std::uint64_t index = 0;

  friend bool operator==(const EdgeRef& a, const EdgeRef& b) noexcept { return a.index == b.index; }
  friend bool operator!=(const EdgeRef& a, const EdgeRef& b) noexcept { return a.index != b.index; }
  friend bool operator<(const EdgeRef& a, const EdgeRef& b) noexcept { return a.index < b.index; }
};

template <bool IsDirected>
class View {
 public:
  explicit View(const Graph& g) : graph_(&g) {
    if (g.directed != IsDirected) {
      throw UsageError(IsDirected ? "bgl::Directed view over an undirected Graph; use bgl::Undirected"
                                  : "bgl::Undirected view over a directed Graph; use bgl::Directed");
    }
  }
  const Graph& graph() const noexcept { return *graph_; }

 private:
  const Graph* graph_;  // a pointer, not a reference, so views are copy-assignable as BGL's concepts require
};

using Directed = View<true>;
using Undirected = View<false>;

// Calls f(bgl::Directed) or f(bgl::Undirected) according to g.directed; f is usually a generic lambda.
template <class Function>
decltype(auto) with_bgl_view(const Graph& g, Function&& f) {
  if (g.directed) return std::forward<Function>(f)(Directed(g));
  return std::forward<Function>(f)(Undirected(g));
}

// The arcs of one row as EdgeRefs. Random access, so BGL can take distances and degrees cheaply.
class OutEdgeIterator
    : public boost::iterator_facade<OutEdgeIterator, EdgeRef, boost::random_access_traversal_tag, EdgeRef> {
 public:
  OutEdgeIterator() = default;
  OutEdgeIterator(std::uint32_t source, std::uint64_t index) : source_(source), index_(index) {}

 private:
  friend class boost::iterator_core_access;
  EdgeRef dereference() const { return {source_, index_}; }
  bool equal(const OutEdgeIterator& other) const { return index_ == other.index_; }
  void increment() { ++index_; }
  void decrement() { --index_; }
  void advance(std::ptrdiff_t n) { index_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(index_) + n); }
  std::ptrdiff_t distance_to(const OutEdgeIterator& other) const {
    return static_cast<std::ptrdiff_t>(other.index_) - static_cast<std::ptrdiff_t>(index_);
  }

  std::uint32_t source_ = 0;
  std::uint64_t index_ = 0;
};

// All arcs in storage order; for an undirected graph only the arc with source <= target of each edge.
class EdgeIterator : public boost::iterator_facade<EdgeIterator, EdgeRef, boost::forward_traversal_tag, EdgeRef> {
 public:
  EdgeIterator() = default;
  EdgeIterator(const Graph& g, std::uint64_t index) : graph_(&g), index_(index) {
    if (index_ < g.num_arcs()) {
      // Source of the arc: the last row starting at or before it (rows may be empty).
      const auto row_end = std::upper_bound(g.offsets.begin(), g.offsets.end(), index_);
      source_ = static_cast<std::uint32_t>(row_end - g.offsets.begin() - 1);
      skip_reverse_arcs();
    } else {
      source_ = g.num_vertices();
    }
  }

 private:
  friend class boost::iterator_core_access;
  EdgeRef dereference() const { return {source_, index_}; }
  bool equal(const EdgeIterator& other) const { return index_ == other.index_; }
  void increment() {
    ++index_;
    skip_reverse_arcs();
  }
  // Moves source_ up to the row holding index_, then, for an undirected graph, past arcs with target < source,
  // which are the second copies of edges already listed from their other end.
  void skip_reverse_arcs() {
    const Graph& g = *graph_;
    for (; index_ < g.num_arcs(); ++index_) {
      while (index_ >= g.offsets[source_ + std::size_t{1}]) ++source_;
      if (g.directed || g.targets[index_] >= source_) return;
    }
    source_ = g.num_vertices();
  }

  const Graph* graph_ = nullptr;
  std::uint32_t source_ = 0;
  std::uint64_t index_ = 0;
};

struct TraversalCategory : boost::incidence_graph_tag,
                           boost::adjacency_graph_tag,
                           boost::vertex_list_graph_tag,
                           boost::edge_list_graph_tag {};

// Readable property map from an edge to its weight, straight out of Graph::weights.
class EdgeWeightMap : public boost::put_get_helper<float, EdgeWeightMap> {
 public:
  using key_type = EdgeRef;
  using value_type = float;
  using reference = float;
  using category = boost::readable_property_map_tag;

  EdgeWeightMap() = default;
  explicit EdgeWeightMap(const float* weights) : weights_(weights) {}
  float operator[](const EdgeRef& e) const { return weights_[e.index]; }

 private:
  const float* weights_ = nullptr;
};

using VertexIndexMap = boost::typed_identity_property_map<std::uint32_t>;

// The traits BGL reads. Specialised for View and const View alike: BGL instantiates graph_traits<const G>
// in places (Brandes' shortest-path helpers), and its primary template would look for members of View.
template <bool IsDirected>
struct ViewTraits {
  using vertex_descriptor = std::uint32_t;
  using edge_descriptor = EdgeRef;
  using directed_category = std::conditional_t<IsDirected, boost::directed_tag, boost::undirected_tag>;
  using edge_parallel_category = boost::disallow_parallel_edge_tag;  // from_edges merges repeats
  using traversal_category = TraversalCategory;

  using out_edge_iterator = OutEdgeIterator;
  using adjacency_iterator = const std::uint32_t*;
  using vertex_iterator = boost::counting_iterator<std::uint32_t>;
  using edge_iterator = EdgeIterator;
  using in_edge_iterator = void;

  using vertices_size_type = std::uint32_t;
  using edges_size_type = std::uint64_t;
  using degree_size_type = std::uint64_t;

  static vertex_descriptor null_vertex() { return std::numeric_limits<std::uint32_t>::max(); }
};

}  // namespace cibgraph::bgl

namespace boost {

template <bool IsDirected>
struct graph_traits<cibgraph::bgl::View<IsDirected>> : cibgraph::bgl::ViewTraits<IsDirected> {};
template <bool IsDirected>
struct graph_traits<const cibgraph::bgl::View<IsDirected>> : cibgraph::bgl::ViewTraits<IsDirected> {};

template <bool IsDirected>
struct property_map<cibgraph::bgl::View<IsDirected>, vertex_index_t> {
  using type = cibgraph::bgl::VertexIndexMap;
  using const_type = type;
};
template <bool IsDirected>
struct property_map<const cibgraph::bgl::View<IsDirected>, vertex_index_t>
    : property_map<cibgraph::bgl::View<IsDirected>, vertex_index_t> {};

template <bool IsDirected>
struct property_map<cibgraph::bgl::View<IsDirected>, edge_weight_t> {
  using type = cibgraph::bgl::EdgeWeightMap;
  using const_type = type;
};
template <bool IsDirected>
struct property_map<const cibgraph::bgl::View<IsDirected>, edge_weight_t>
    : property_map<cibgraph::bgl::View<IsDirected>, edge_weight_t> {};

}  // namespace boost

// The free functions BGL calls unqualified; argument-dependent lookup finds them next to View.
namespace cibgraph::bgl {

template <bool D>
std::uint32_t num_vertices(const View<D>& view) noexcept {
  return view.graph().num_vertices();
}

template <bool D>
std::pair<boost::counting_iterator<std::uint32_t>, boost::counting_iterator<std::uint32_t>> vertices(
    const View<D>& view) {
  return {boost::counting_iterator<std::uint32_t>(0),
          boost::counting_iterator<std::uint32_t>(view.graph().num_vertices())};
}

template <bool D>
std::uint32_t vertex(std::uint32_t i, const View<D>&) noexcept {
  return i;
}

template <bool D>
std::pair<OutEdgeIterator, OutEdgeIterator> out_edges(std::uint32_t v, const View<D>& view) {
  const Graph& g = view.graph();
  return {OutEdgeIterator(v, g.offsets[v]), OutEdgeIterator(v, g.offsets[v + std::size_t{1}])};
}

template <bool D>
std::uint64_t out_degree(std::uint32_t v, const View<D>& view) noexcept {
  return view.graph().degree(v);
}

// BGL's degree is in + out for directed graphs, which a CSR without in-arcs cannot answer: undirected only.
inline std::uint64_t degree(std::uint32_t v, const Undirected& view) noexcept { return view.graph().degree(v); }

template <bool D>
std::uint32_t source(const EdgeRef& e, const View<D>&) noexcept {
  return e.source;
}

template <bool D>
std::uint32_t target(const EdgeRef& e, const View<D>& view) noexcept {
  return view.graph().targets[e.index];
}

template <bool D>
std::pair<const std::uint32_t*, const std::uint32_t*> adjacent_vertices(std::uint32_t v, const View<D>& view) {
  const auto row = view.graph().neighbors(v);
  return {row.data(), row.data() + row.size()};
}

template <bool D>
std::pair<EdgeIterator, EdgeIterator> edges(const View<D>& view) {
  const Graph& g = view.graph();
  return {EdgeIterator(g, 0), EdgeIterator(g, g.num_arcs())};
}

template <bool D>
std::uint64_t num_edges(const View<D>& view) noexcept {
  return view.graph().num_edges();
}

template <bool D>
VertexIndexMap get(boost::vertex_index_t, const View<D>&) noexcept {
  return {};
}

template <bool D>
std::uint32_t get(boost::vertex_index_t, const View<D>&, std::uint32_t v) noexcept {
  return v;
}

template <bool D>
EdgeWeightMap get(boost::edge_weight_t, const View<D>& view) noexcept {
  return EdgeWeightMap(view.graph().weights.data());
}

template <bool D>
float get(boost::edge_weight_t, const View<D>& view, const EdgeRef& e) noexcept {
  return view.graph().weights[e.index];
}

}  // namespace cibgraph::bgl
