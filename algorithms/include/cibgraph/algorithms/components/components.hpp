#pragma once
// Connected components: weakly connected (connected_components) and strongly connected
// (strongly_connected_components).
//
// Conventions. Labels run 0..count-1 in order of each component's smallest vertex, so the same graph always gets
// the same labels whatever the thread count; sizes[c] is the number of vertices labelled c. An isolated vertex is a
// component of its own. On a directed graph connected_components ignores arc directions (networkx
// weakly_connected_components); on an undirected graph strongly_connected_components is connected_components.
// Weights play no part. Nothing recurses: a path of 10^7 vertices needs no more than heap memory.
//
// connected_components: concurrent union-find over the arcs (OpenMP), linking the larger root under the smaller
// and halving paths on the way up, the lock-free scheme of Anderson & Woll (STOC 1991) as used by Jayanti &
// Tarjan (PODC 2016) and ConnectIt (Dhulipala, Hong & Shun, VLDB 2020). Because every parent pointer points to a
// smaller vertex, each root is the smallest vertex of its component, which makes the final labels a single
// in-order pass. O(m α(n)) work, O(n) extra memory (the label array doubles as the parent array).
//
// strongly_connected_components: Tarjan (SIAM J. Comput. 1972) with an explicit stack of (vertex, next arc)
// frames instead of recursion. Sequential, O(n + m) time, about 20 bytes per vertex of extra memory at worst.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <vector>

#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

struct Components {
  std::vector<std::uint32_t> label;  // label[v] in 0..count-1
  std::uint32_t count = 0;
  std::vector<std::uint64_t> sizes;  // vertices per label
};

namespace detail {

// Fewer arcs than this are not worth waking the OpenMP team for: below it the scan takes about a millisecond,
// less than a team wake-up costs on a busy machine.
inline constexpr std::uint64_t components_parallel_threshold = 1000000;

// Root of x in the union-find forest `parent`, halving the path as it climbs. Safe under concurrent unites: a
// non-root only ever has its parent replaced by one of its ancestors, which is smaller and in the same set, so a
// racing plain store can lose a shortcut but never break the forest.
inline std::uint32_t union_find_root(std::uint32_t* parent, std::uint32_t x) noexcept {
  for (;;) {
    const std::uint32_t up = std::atomic_ref<std::uint32_t>(parent[x]).load(std::memory_order_relaxed);
    if (up == x) return x;
    const std::uint32_t grand = std::atomic_ref<std::uint32_t>(parent[up]).load(std::memory_order_relaxed);
    if (grand == up) return up;
    std::atomic_ref<std::uint32_t>(parent[x]).store(grand, std::memory_order_relaxed);
    x = grand;
  }
}

// Joins the sets of a and b. The compare-and-swap only succeeds while the larger root is still a root, so two
// threads linking the same root cannot both win.
inline void union_find_unite(std::uint32_t* parent, std::uint32_t a, std::uint32_t b) noexcept {
  for (;;) {
    a = union_find_root(parent, a);
    b = union_find_root(parent, b);
    if (a == b) return;
    if (a < b) std::swap(a, b);
    std::uint32_t expected = a;
    if (std::atomic_ref<std::uint32_t>(parent[a]).compare_exchange_strong(expected, b, std::memory_order_acq_rel,
                                                                          std::memory_order_relaxed)) {
      return;
    }
  }
}

// Turns raw component ids (any values below n) into labels numbered by smallest vertex, and counts sizes.
inline Components labelled_by_smallest_vertex(std::vector<std::uint32_t> raw) {
  constexpr std::uint32_t unset = std::numeric_limits<std::uint32_t>::max();
  Components out;
  std::vector<std::uint32_t> label_of_raw(raw.size(), unset);
  for (auto& id : raw) {
    if (label_of_raw[id] == unset) {
      label_of_raw[id] = out.count++;
      out.sizes.push_back(0);
    }
    id = label_of_raw[id];
    ++out.sizes[id];
  }
  out.label = std::move(raw);
  return out;
}

}  // namespace detail

template <OutAdjacencyGraph G>
Components connected_components(const G& g) {
  const std::uint32_t n = g.num_vertices();
  std::vector<std::uint32_t> parent(n);
  for (std::uint32_t v = 0; v < n; ++v) parent[v] = v;
  std::uint32_t* const forest = parent.data();

  // An undirected edge is stored as two arcs; uniting along one of them is enough.
  const bool both_arcs_stored = !g.directed;
  const auto signed_n = static_cast<std::int64_t>(n);
#pragma omp parallel for schedule(dynamic, 1024) if (g.num_arcs() > detail::components_parallel_threshold)
  for (std::int64_t i = 0; i < signed_n; ++i) {
    const auto u = static_cast<std::uint32_t>(i);
    for (const std::uint32_t w : g.neighbors(u)) {
      if (both_arcs_stored && w <= u) continue;
      if (w != u) detail::union_find_unite(forest, u, w);
    }
  }

  // Every parent is smaller than its child, so scanning in vertex order meets each vertex after its parent: the
  // parent array is overwritten with labels in place. When v is reached its own slot still holds its parent (a
  // vertex id, equal to v only for a root) and the parent's slot already holds the component's label.
  Components out;
  for (std::uint32_t v = 0; v < n; ++v) {
    if (parent[v] == v) {
      parent[v] = out.count++;
      out.sizes.push_back(1);
    } else {
      parent[v] = parent[parent[v]];
      ++out.sizes[parent[v]];
    }
  }
  out.label = std::move(parent);
  return out;
}

template <OutAdjacencyGraph G>
Components strongly_connected_components(const G& g) {
  if (!g.directed) return connected_components(g);
  const std::uint32_t n = g.num_vertices();
  constexpr std::uint32_t unvisited = std::numeric_limits<std::uint32_t>::max();
  constexpr std::uint32_t finished = unvisited - 1;  // index of a vertex already placed in a component

  // index[v]: discovery order, or a marker; low[v]: Tarjan's low-link while v is open, its component id after.
  // A visited vertex whose index is not `finished` is exactly a vertex on Tarjan's stack.
  std::vector<std::uint32_t> index(n, unvisited);
  std::vector<std::uint32_t> low(n, 0);
  std::vector<std::uint32_t> open_stack;
  struct Frame {
    std::uint32_t vertex;
    std::uint32_t next;  // position in the row; a row has fewer than 2^31 arcs (no repeated targets, n < 2^31)
  };
  std::vector<Frame> frames;
  std::uint32_t discovered = 0;
  std::uint32_t components = 0;

  for (std::uint32_t start = 0; start < n; ++start) {
    if (index[start] != unvisited) continue;
    index[start] = low[start] = discovered++;
    open_stack.push_back(start);
    frames.push_back({start, 0});
    while (!frames.empty()) {
      Frame& top = frames.back();
      const std::uint32_t v = top.vertex;
      const auto row = g.neighbors(v);
      // Scan v's row up to its next unvisited neighbour without going back through the frame stack.
      std::uint32_t next = top.next;
      std::uint32_t v_low = low[v];
      std::uint32_t descend_to = unvisited;
      for (; next < row.size(); ++next) {
        const std::uint32_t w = row[next];
        const std::uint32_t w_index = index[w];
        if (w_index == unvisited) {
          descend_to = w;
          break;
        }
        if (w_index != finished) v_low = std::min(v_low, w_index);
      }
      low[v] = v_low;
      if (descend_to != unvisited) {
        top.next = next + 1;
        index[descend_to] = low[descend_to] = discovered++;
        open_stack.push_back(descend_to);
        frames.push_back({descend_to, 0});  // invalidates `top`; the loop re-reads frames.back()
        continue;
      }
      frames.pop_back();
      if (low[v] == index[v]) {
        std::uint32_t w;
        do {
          w = open_stack.back();
          open_stack.pop_back();
          index[w] = finished;
          low[w] = components;
        } while (w != v);
        ++components;
      }
      if (!frames.empty()) {
        const std::uint32_t parent = frames.back().vertex;
        // v finished inside its parent's component: pass its low-link up. (If v closed a component, low[v] now
        // holds a component id, which must not be compared with indices.)
        if (index[v] != finished) low[parent] = std::min(low[parent], low[v]);
      }
    }
  }
  return detail::labelled_by_smallest_vertex(std::move(low));
}

}  // namespace cibgraph
