#pragma once
// cibgraph::Graph — the one graph type: a weighted graph in compressed sparse row (CSR) form.
//
// Row v of the CSR lists the arcs leaving v: targets[offsets[v] .. offsets[v+1]) with the same range of weights.
// Every algorithm, the Eigen view (eigen_view.hpp), the Boost.Graph adaptor (boost_graph.hpp) and the NumPy
// views in Python read these three arrays directly; nothing keeps a second copy.
//
// Invariants (established by from_edges, checked by the array constructor):
//   * offsets has n+1 entries, starts at 0, never decreases, ends at targets.size() == weights.size();
//   * n < 2^31 and every target < n, so vertex ids also fit the signed 32-bit indices of Eigen and friends;
//   * each row is sorted by target with no repeats (parallel edges are merged by a DuplicatePolicy);
//   * weights are finite;
//   * an undirected graph stores each edge u–v as the two arcs u→v and v→u with equal weights, and a
//     self-loop v–v once. So degree(v) counts a self-loop once, unlike the networkx convention of twice.
//
// The arrays are public so that views and bindings reach them without a getter per array; code that edits them
// must keep the invariants, or hand them to the array constructor, which checks.
//
// Complexity of from_edges with m input edges and n vertices: O(n + m) to count and scatter the arcs by source
// (sequential, keeps input order), then O(sum over rows of d log d) to sort each row by target and merge
// repeats, rows in parallel with OpenMP, then O(n + m) to close the gaps left by merged repeats, in place.
// Extra memory: O(n) plus one row buffer per thread, beyond the output arrays. The result is bit-identical
// whatever the thread count: each row is handled by one thread, which combines repeats in input order (stable
// sort), summing in double and rounding to float once.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

// How from_edges combines several input edges between the same two vertices (same direction when directed).
enum class DuplicatePolicy {
  Sum,    // weight = sum of the weights, added in input order in double, then rounded to float
  Max,    // weight = largest weight
  First,  // weight = weight of the first occurrence in the input
  Count,  // weight = number of occurrences; input weights are ignored
};

class Graph {
 public:
  // Largest vertex count: ids must fit in a signed 32-bit integer.
  static constexpr std::uint64_t max_vertices = (std::uint64_t{1} << 31) - 1;

  std::vector<std::uint64_t> offsets{0};  // n+1 row starts into targets / weights
  std::vector<std::uint32_t> targets;     // arc heads, row by row, ascending within a row
  std::vector<float> weights;             // one per arc
  bool directed = false;

  // The empty undirected graph with no vertices.
  Graph() = default;

  // Adopts CSR arrays built elsewhere (HDF5 store, Python) after checking every invariant listed at the top
  // of this file; throws InputError naming the first offending row otherwise. Empty weights mean all 1.
  // O(n + m log d) for the symmetry check of an undirected graph, O(n + m) otherwise.
  Graph(std::vector<std::uint64_t> row_offsets, std::vector<std::uint32_t> arc_targets,
        std::vector<float> arc_weights, bool is_directed);

  // Builds the graph from an edge list. Edge i goes from src[i] to dst[i] with weight weights[i] (1 when
  // weights is empty). Throws InputError on lengths that differ, ids >= n, weights that are not finite, or
  // n >= 2^31.
  static Graph from_edges(std::uint32_t n, std::span<const std::uint32_t> src, std::span<const std::uint32_t> dst,
                          std::span<const float> weights, bool directed,
                          DuplicatePolicy merge = DuplicatePolicy::Sum);

  std::uint32_t num_vertices() const noexcept {
    return offsets.empty() ? 0 : static_cast<std::uint32_t>(offsets.size() - 1);
  }
  // Stored entries: an undirected edge counts twice, a self-loop once.
  std::uint64_t num_arcs() const noexcept { return targets.size(); }
  // Edges as a user drew them: directed arcs, or undirected edges each once (self-loops once).
  // O(1) for directed graphs, O(n log d) for undirected ones (counts the self-loops).
  std::uint64_t num_edges() const noexcept {
    return directed ? num_arcs() : (num_arcs() + num_self_loops()) / 2;
  }
  // O(n log d): binary search of v in each row v.
  std::uint64_t num_self_loops() const noexcept;

  std::span<const std::uint32_t> neighbors(std::uint32_t v) const noexcept {
    assert(v < num_vertices());
    return {targets.data() + offsets[v], static_cast<std::size_t>(offsets[v + 1] - offsets[v])};
  }
  std::span<const float> neighbor_weights(std::uint32_t v) const noexcept {
    assert(v < num_vertices());
    return {weights.data() + offsets[v], static_cast<std::size_t>(offsets[v + 1] - offsets[v])};
  }
  // Out-degree when directed. A self-loop counts once.
  std::uint64_t degree(std::uint32_t v) const noexcept {
    assert(v < num_vertices());
    return offsets[v + 1] - offsets[v];
  }
  // Sum of the weights of the arcs leaving v, accumulated in double so long rows do not lose small weights.
  double strength(std::uint32_t v) const noexcept {
    double total = 0.0;
    for (float w : neighbor_weights(v)) total += w;
    return total;
  }

  // The graph with every arc reversed, rows sorted by target; an undirected graph is its own transpose and
  // comes back as a copy. O(n + m), no sorting: sources are visited in increasing order.
  Graph transpose() const;

  // The subgraph induced by the vertices whose flag in `keep` is set (one flag per vertex): every arc with an end
  // outside is dropped. Vertex ids do not change (a vertex left out stays, without arcs), so arrays indexed by
  // vertex still apply. O(n + m) and no sorting: each row keeps its order. Called on an rvalue,
  // `std::move(g).induced_subgraph(keep)`, it works in g's own arrays and allocates nothing, which is how a search
  // that drops vertices round after round keeps one graph of what is left; on an lvalue it works on a copy.
  // Spare capacity is released when fewer than 3/4 of the arcs stay, as from_edges does. Throws InputError
  // unless keep has num_vertices() flags.
  Graph induced_subgraph(std::span<const std::uint8_t> keep) const&;
  Graph induced_subgraph(std::span<const std::uint8_t> keep) &&;

  // The subgraph of the arcs whose flag in `keep` is set (one flag per arc, in CSR order, as k_truss_arcs returns
  // them); vertex ids do not change. In an undirected graph the two arcs of an edge must carry the same flag, or
  // the result breaks the symmetry invariant (not checked: that would cost a search per arc). O(n + m), in place
  // on an rvalue, like induced_subgraph. Throws InputError unless keep has num_arcs() flags.
  Graph edge_subgraph(std::span<const std::uint8_t> keep) const&;
  Graph edge_subgraph(std::span<const std::uint8_t> keep) &&;
};

// The algorithm templates state what they read of a graph as concepts (graph_concepts.hpp); Graph has all of it.
static_assert(OutAdjacencyGraph<Graph> && WeightedGraph<Graph> && TransposableGraph<Graph> && CsrGraph<Graph>);

// ---------------------------------------------------------------------------------------------------------
// Implementation.

namespace detail {

struct WeightedArc {
  std::uint32_t target;
  float weight;
};

// Fewer arcs than this are not worth waking the OpenMP team for.
inline constexpr std::uint64_t parallel_threshold = 20000;

// Below this length a row is sorted by insertion sort, which is stable, allocation-free and fast on short rows.
inline constexpr std::size_t insertion_sort_limit = 32;

// Sorts one row by target keeping input order among equal targets, merges repeats with `merge` and writes the
// result back to the start of the row. Returns the merged row length. `scratch` is the calling thread's buffer.
inline std::size_t sort_and_merge_row(std::uint32_t* row_targets, float* row_weights, std::size_t length,
                                      DuplicatePolicy merge, std::vector<WeightedArc>& scratch) {
  if (std::is_sorted(row_targets, row_targets + length, std::less_equal<>{})) return length;  // strictly ascending

  scratch.resize(length);
  for (std::size_t i = 0; i < length; ++i) scratch[i] = {row_targets[i], row_weights[i]};
  const auto by_target = [](const WeightedArc& a, const WeightedArc& b) { return a.target < b.target; };
  if (length <= insertion_sort_limit) {
    for (std::size_t i = 1; i < length; ++i) {
      const WeightedArc arc = scratch[i];
      std::size_t j = i;
      for (; j > 0 && arc.target < scratch[j - 1].target; --j) scratch[j] = scratch[j - 1];
      scratch[j] = arc;
    }
  } else {
    std::stable_sort(scratch.begin(), scratch.end(), by_target);
  }

  std::size_t kept = 0;
  for (std::size_t begin = 0; begin < length;) {
    const std::uint32_t target = scratch[begin].target;
    double sum = 0.0;  // Sum and Count: added in input order, in double, rounded once
    float largest = scratch[begin].weight;
    std::size_t end = begin;
    for (; end < length && scratch[end].target == target; ++end) {
      sum += scratch[end].weight;
      largest = std::max(largest, scratch[end].weight);
    }
    float combined = scratch[begin].weight;  // First
    if (merge == DuplicatePolicy::Sum || merge == DuplicatePolicy::Count) combined = static_cast<float>(sum);
    if (merge == DuplicatePolicy::Max) combined = largest;
    row_targets[kept] = target;
    row_weights[kept] = combined;
    ++kept;
    begin = end;
  }
  return kept;
}

// What is wrong with row v of a CSR whose offsets are already known to be consistent; nullptr when nothing is.
// `bad_arc` receives the offending arc index.
inline const char* row_defect(const Graph& g, std::uint32_t v, std::uint64_t& bad_arc) noexcept {
  const std::uint32_t n = g.num_vertices();
  for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
    bad_arc = a;
    const std::uint32_t t = g.targets[a];
    if (t >= n) return "target out of range";
    if (a > g.offsets[v] && g.targets[a - 1] >= t) return "targets not strictly increasing within the row";
    if (!std::isfinite(g.weights[a])) return "weight is not finite";
    if (!g.directed) {
      const auto reverse = g.neighbors(t);
      const auto it = std::lower_bound(reverse.begin(), reverse.end(), v);
      if (it == reverse.end() || *it != v) return "undirected graph lacks the reverse arc";
      if (g.neighbor_weights(t)[static_cast<std::size_t>(it - reverse.begin())] != g.weights[a]) {
        return "undirected graph has a reverse arc with a different weight";
      }
    }
  }
  return nullptr;
}

// Ends g's arc arrays at `kept` arcs (offsets[n] included), giving memory back when a quarter or more of the `before`
// arcs the arrays held went.
inline void end_arcs(Graph& g, std::uint64_t kept, std::uint64_t before) {
  g.offsets[g.num_vertices()] = kept;
  g.targets.resize(kept);
  g.weights.resize(kept);
  if (kept < before - before / 4) {
    g.targets.shrink_to_fit();
    g.weights.shrink_to_fit();
  }
}

}  // namespace detail

inline Graph::Graph(std::vector<std::uint64_t> row_offsets, std::vector<std::uint32_t> arc_targets,
                    std::vector<float> arc_weights, bool is_directed)
    : offsets(std::move(row_offsets)),
      targets(std::move(arc_targets)),
      weights(std::move(arc_weights)),
      directed(is_directed) {
  const std::string what = "Graph from CSR arrays: ";
  if (offsets.empty()) throw InputError(what + "offsets is empty; it needs n+1 entries, at least {0}");
  if (offsets.size() - 1 > max_vertices) {
    throw InputError(what + std::to_string(offsets.size() - 1) + " vertices; at most 2^31-1 are supported");
  }
  if (weights.empty()) weights.assign(targets.size(), 1.0f);
  if (weights.size() != targets.size()) {
    throw InputError(what + std::to_string(targets.size()) + " targets but " + std::to_string(weights.size()) +
                     " weights");
  }
  if (offsets.front() != 0) throw InputError(what + "offsets[0] is " + std::to_string(offsets.front()) + ", not 0");
  for (std::size_t v = 0; v + 1 < offsets.size(); ++v) {
    if (offsets[v + 1] < offsets[v]) {
      throw InputError(what + "offsets decrease at vertex " + std::to_string(v) + " (" + std::to_string(offsets[v]) +
                       " then " + std::to_string(offsets[v + 1]) + ")");
    }
  }
  if (offsets.back() != targets.size()) {
    throw InputError(what + "offsets end at " + std::to_string(offsets.back()) + " but there are " +
                     std::to_string(targets.size()) + " targets");
  }

  const auto n = static_cast<std::int64_t>(num_vertices());
  std::int64_t first_bad_row = n;
#pragma omp parallel for schedule(dynamic, 1024) reduction(min : first_bad_row) \
    if (num_arcs() > detail::parallel_threshold)
  for (std::int64_t v = 0; v < n; ++v) {
    std::uint64_t unused = 0;
    if (detail::row_defect(*this, static_cast<std::uint32_t>(v), unused) != nullptr) {
      first_bad_row = std::min(first_bad_row, v);
    }
  }
  if (first_bad_row < n) {
    std::uint64_t bad_arc = 0;
    const char* defect = detail::row_defect(*this, static_cast<std::uint32_t>(first_bad_row), bad_arc);
    throw InputError(what + "vertex " + std::to_string(first_bad_row) + ", arc " + std::to_string(bad_arc) +
                     " (target " + std::to_string(targets[bad_arc]) + "): " + defect);
  }
}

inline std::uint64_t Graph::num_self_loops() const noexcept {
  const auto n = static_cast<std::int64_t>(num_vertices());
  std::uint64_t loops = 0;
#pragma omp parallel for schedule(static) reduction(+ : loops) if (num_arcs() > detail::parallel_threshold)
  for (std::int64_t v = 0; v < n; ++v) {
    const auto row = neighbors(static_cast<std::uint32_t>(v));
    loops += std::binary_search(row.begin(), row.end(), static_cast<std::uint32_t>(v)) ? 1 : 0;
  }
  return loops;
}

inline Graph Graph::from_edges(std::uint32_t n, std::span<const std::uint32_t> src,
                               std::span<const std::uint32_t> dst, std::span<const float> weights, bool directed,
                               DuplicatePolicy merge) {
  const std::string what = "Graph::from_edges: ";
  if (n > max_vertices) {
    throw InputError(what + std::to_string(n) + " vertices; at most 2^31-1 are supported");
  }
  if (src.size() != dst.size()) {
    throw InputError(what + std::to_string(src.size()) + " sources but " + std::to_string(dst.size()) +
                     " destinations");
  }
  if (!weights.empty() && weights.size() != src.size()) {
    throw InputError(what + std::to_string(src.size()) + " edges but " + std::to_string(weights.size()) +
                     " weights (pass none for weight 1)");
  }
  const std::size_t m = src.size();
  const bool unit_weights = weights.empty() || merge == DuplicatePolicy::Count;  // Count ignores the weights
  for (std::size_t i = 0; i < m; ++i) {
    if (src[i] >= n || dst[i] >= n) {
      throw InputError(what + "edge " + std::to_string(i) + " (" + std::to_string(src[i]) + " -> " +
                       std::to_string(dst[i]) + ") names a vertex >= n = " + std::to_string(n));
    }
    if (!unit_weights && !std::isfinite(weights[i])) {
      throw InputError(what + "edge " + std::to_string(i) + " has a weight that is not finite");
    }
  }

  // Counting scatter by source. An undirected edge places both of its arcs at its own input position, so the
  // two rows see repeats in the same order and merge them to the same weight.
  Graph g;
  g.directed = directed;
  g.offsets.assign(std::size_t{n} + 1, 0);
  for (std::size_t i = 0; i < m; ++i) {
    ++g.offsets[src[i] + std::size_t{1}];
    if (!directed && src[i] != dst[i]) ++g.offsets[dst[i] + std::size_t{1}];
  }
  for (std::size_t v = 0; v < n; ++v) g.offsets[v + 1] += g.offsets[v];
  const std::uint64_t scattered_arcs = g.offsets.back();
  g.targets.resize(scattered_arcs);
  g.weights.resize(scattered_arcs);

  std::vector<std::uint64_t> cursor(g.offsets.begin(), g.offsets.end() - 1);
  for (std::size_t i = 0; i < m; ++i) {
    const float w = unit_weights ? 1.0f : weights[i];
    std::uint64_t slot = cursor[src[i]]++;
    g.targets[slot] = dst[i];
    g.weights[slot] = w;
    if (!directed && src[i] != dst[i]) {
      slot = cursor[dst[i]]++;
      g.targets[slot] = src[i];
      g.weights[slot] = w;
    }
  }

  // Sort and merge each row in place; cursor is reused for the merged row lengths.
  std::vector<std::uint64_t>& merged_length = cursor;
  std::exception_ptr failure;
#pragma omp parallel if (scattered_arcs > detail::parallel_threshold)
  {
    std::vector<detail::WeightedArc> scratch;
#pragma omp for schedule(dynamic, 256)
    for (std::int64_t v = 0; v < static_cast<std::int64_t>(n); ++v) {
      const std::uint64_t begin = g.offsets[v];
      try {
        merged_length[v] = detail::sort_and_merge_row(g.targets.data() + begin, g.weights.data() + begin,
                                                      g.offsets[v + 1] - begin, merge, scratch);
      } catch (...) {  // an exception must not leave an OpenMP region; only bad_alloc can happen here
#pragma omp critical(cibgraph_from_edges_failure)
        if (!failure) failure = std::current_exception();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);

  // Compaction, only when repeats were merged away: rows slide left in place, in order, so no second pair of
  // arrays is allocated (fresh pages cost more than the copy). The spare capacity is released only when large.
  std::uint64_t compact_end = 0;
  for (std::size_t v = 0; v < n; ++v) {
    const std::uint64_t row_begin = g.offsets[v];
    g.offsets[v] = compact_end;
    if (row_begin != compact_end) {
      std::copy_n(g.targets.begin() + static_cast<std::ptrdiff_t>(row_begin), merged_length[v],
                  g.targets.begin() + static_cast<std::ptrdiff_t>(compact_end));
      std::copy_n(g.weights.begin() + static_cast<std::ptrdiff_t>(row_begin), merged_length[v],
                  g.weights.begin() + static_cast<std::ptrdiff_t>(compact_end));
    }
    compact_end += merged_length[v];
  }
  detail::end_arcs(g, compact_end, scattered_arcs);
  return g;
}

namespace detail {

// Slides the arcs for which keep_arc(source, arc) holds to the left, row by row and in order, in g's own arrays.
// Writes never pass reads (the write position is at most the arc read), so keep_arc may read g.targets[arc].
template <class KeepArc>
void keep_arcs_in_place(Graph& g, KeepArc&& keep_arc) {
  const std::uint32_t n = g.num_vertices();
  std::uint64_t kept = 0;
  std::uint64_t row_begin = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    const std::uint64_t row_end = g.offsets[v + 1];
    g.offsets[v] = kept;
    for (std::uint64_t a = row_begin; a < row_end; ++a) {
      if (!keep_arc(v, a)) continue;
      g.targets[kept] = g.targets[a];
      g.weights[kept] = g.weights[a];
      ++kept;
    }
    row_begin = row_end;
  }
  end_arcs(g, kept, g.targets.size());
}

}  // namespace detail

inline Graph Graph::induced_subgraph(std::span<const std::uint8_t> keep) && {
  if (keep.size() != num_vertices()) {
    throw InputError("Graph::induced_subgraph: " + std::to_string(keep.size()) + " flags for " +
                     std::to_string(num_vertices()) + " vertices");
  }
  detail::keep_arcs_in_place(*this, [&](std::uint32_t v, std::uint64_t a) { return keep[v] && keep[targets[a]]; });
  return std::move(*this);
}

inline Graph Graph::induced_subgraph(std::span<const std::uint8_t> keep) const& {
  Graph copy = *this;
  return std::move(copy).induced_subgraph(keep);
}

inline Graph Graph::edge_subgraph(std::span<const std::uint8_t> keep) && {
  if (keep.size() != num_arcs()) {
    throw InputError("Graph::edge_subgraph: " + std::to_string(keep.size()) + " flags for " +
                     std::to_string(num_arcs()) + " arcs");
  }
  detail::keep_arcs_in_place(*this, [&](std::uint32_t, std::uint64_t a) { return keep[a] != 0; });
  return std::move(*this);
}

inline Graph Graph::edge_subgraph(std::span<const std::uint8_t> keep) const& {
  Graph copy = *this;
  return std::move(copy).edge_subgraph(keep);
}

inline Graph Graph::transpose() const {
  if (!directed) return *this;
  const std::uint32_t n = num_vertices();
  Graph reversed;
  reversed.directed = true;
  reversed.offsets.assign(std::size_t{n} + 1, 0);
  for (std::uint32_t t : targets) ++reversed.offsets[t + std::size_t{1}];
  for (std::size_t v = 0; v < n; ++v) reversed.offsets[v + 1] += reversed.offsets[v];
  reversed.targets.resize(num_arcs());
  reversed.weights.resize(num_arcs());
  std::vector<std::uint64_t> cursor(reversed.offsets.begin(), reversed.offsets.end() - 1);
  for (std::uint32_t u = 0; u < n; ++u) {
    for (std::uint64_t a = offsets[u]; a < offsets[u + 1]; ++a) {
      const std::uint64_t slot = cursor[targets[a]]++;
      reversed.targets[slot] = u;
      reversed.weights[slot] = weights[a];
    }
  }
  return reversed;
}

}  // namespace cibgraph
