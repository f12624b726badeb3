#pragma once
// Closeness and harmonic centrality: how near a vertex is to the others by shortest-path distance.
//
// Conventions (networkx closeness_centrality and harmonic_centrality):
//   * distances run TO the vertex: d(u, v) from every other u to v, which for a directed graph means paths along
//     the arcs into v (networkx reverses a directed graph for closeness, and sums 1/d(source, v) for harmonic);
//     undirected graphs have one distance per pair;
//   * closeness(v) = (r - 1) / (sum of the distances from the r - 1 vertices that reach v), 0 when none does;
//     with wf_improved (Wasserman & Faust 1994, the networkx default) multiplied by (r - 1) / (n - 1), so vertices
//     reached from few others in a disconnected graph do not score as if they were central;
//   * harmonic(v) = sum over u != v that reach v of 1 / d(u, v) (Marchiori & Latora 2000; Boldi & Vigna 2014);
//   * weighted: arc weights are lengths, > 0 and finite (InputError otherwise); hop counts otherwise.
//
// Algorithm: one single-source shortest-path pass per vertex, from v over the transpose (the graph itself when
// undirected): BFS, or Dijkstra with an indexed binary heap (betweenness.hpp) when weighted. The passes walk a copy
// renumbered by degree (DegreeOrderedCsr in betweenness.hpp, for cache locality), reversed when directed.
// Complexity: O(n m) unweighted, O(n (m + n) log n) weighted; O(n) memory per thread plus the O(n + m) copy. Parallel over vertices with OpenMP; each score is computed by one thread in a fixed order, so the
// output does not depend on the number of threads.
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <omp.h>

#include "cibgraph/algorithms/centrality/betweenness.hpp"  // DistanceHeap, DegreeOrderedCsr, check_arc_lengths
#include "cibgraph/error.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

struct ClosenessOptions {
  bool weighted = false;
  bool wf_improved = true;
};

namespace detail {

// One thread's distances, allocated once and reset only where the last pass reached.
struct DistanceWorkspace {
  DistanceWorkspace(std::uint32_t n, bool weighted)
      : hops(weighted ? 0 : n, -1), length(weighted ? n : 0, unreached), heap(weighted ? n : 0) {
    order.reserve(n);
  }
  static constexpr double unreached = std::numeric_limits<double>::infinity();

  std::vector<std::int32_t> hops;
  std::vector<double> length;
  std::vector<std::uint32_t> order;
  DistanceHeap heap;
};

// Calls visit(distance) for every vertex other than `source` reachable from it, in order of distance.
template <class G, class Visit>
void for_each_distance(const G& g, std::uint32_t source, bool weighted, DistanceWorkspace& work, Visit&& visit) {
  auto& order = work.order;
  order.clear();
  if (!weighted) {
    auto& hops = work.hops;
    order.push_back(source);
    hops[source] = 0;
    for (std::size_t head = 0; head < order.size(); ++head) {
      const std::uint32_t v = order[head];
      const std::int32_t next = hops[v] + 1;
      for (const std::uint32_t w : g.neighbors(v)) {
        if (hops[w] < 0) {
          hops[w] = next;
          order.push_back(w);
          visit(static_cast<double>(next));
        }
      }
    }
    for (const std::uint32_t v : order) hops[v] = -1;
    return;
  }
  auto& dist = work.length;
  auto& heap = work.heap;
  dist[source] = 0.0;
  heap.push_or_decrease(source, 0.0);
  while (!heap.empty()) {
    const std::uint32_t v = heap.pop_min();
    order.push_back(v);
    const double dist_v = dist[v];
    if (v != source) visit(dist_v);
    const auto targets = g.neighbors(v);
    const auto lengths = g.neighbor_weights(v);
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const double through_v = dist_v + static_cast<double>(lengths[i]);
      if (through_v < dist[targets[i]]) {
        dist[targets[i]] = through_v;
        heap.push_or_decrease(targets[i], through_v);
      }
    }
  }
  for (const std::uint32_t v : order) dist[v] = DistanceWorkspace::unreached;
}

// score[v] = finish(pass), where pass is an `Accumulator` fed the distance of every vertex reached from v in
// `traversal`, the graph whose paths from v are the original paths to v.
template <class G, class Accumulator, class Finish>
std::vector<double> per_vertex_distance_scores(const G& traversal, bool weighted, Finish&& finish) {
  const std::uint32_t n = traversal.num_vertices();
  std::vector<double> scores(n, 0.0);
  const bool worth_threads = std::uint64_t{n} * (traversal.num_arcs() + n) >= parallel_work_threshold;
#pragma omp parallel if (worth_threads)
  {
    DistanceWorkspace work(n, weighted);
#pragma omp for schedule(dynamic, 16)
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
      const auto v = static_cast<std::uint32_t>(i);
      Accumulator pass;
      for_each_distance(traversal, v, weighted, work, [&pass](double d) { pass.add(d); });
      scores[v] = finish(pass);
    }
  }
  return scores;
}

struct DistanceSum {
  double total = 0.0;
  std::uint64_t reached = 0;
  void add(double d) {
    total += d;
    ++reached;
  }
};

struct InverseDistanceSum {
  double total = 0.0;
  void add(double d) { total += 1.0 / d; }
};

}  // namespace detail

template <WeightedGraph G>
std::vector<double> closeness(const G& g, const ClosenessOptions& o = {}) {
  if (o.weighted) detail::check_arc_lengths(g, "closeness");
  const double others = static_cast<double>(g.num_vertices()) - 1.0;
  // Paths from v in the reversed graph are the paths to v in g (undirected: the same paths).
  const detail::DegreeOrderedCsr walked = detail::degree_ordered_copy(g, g.directed, o.weighted);
  return walked.to_original(detail::per_vertex_distance_scores<detail::DegreeOrderedCsr, detail::DistanceSum>(
      walked, o.weighted, [&](const detail::DistanceSum& sum) {
        if (sum.reached == 0 || !(sum.total > 0.0)) return 0.0;
        const double reached = static_cast<double>(sum.reached);
        double score = reached / sum.total;
        if (o.wf_improved) score *= reached / others;
        return score;
      }));
}

template <WeightedGraph G>
std::vector<double> harmonic_centrality(const G& g, bool weighted = false) {
  if (weighted) detail::check_arc_lengths(g, "harmonic_centrality");
  const detail::DegreeOrderedCsr walked = detail::degree_ordered_copy(g, g.directed, weighted);
  return walked.to_original(detail::per_vertex_distance_scores<detail::DegreeOrderedCsr, detail::InverseDistanceSum>(
      walked, weighted, [](const detail::InverseDistanceSum& sum) { return sum.total; }));
}

}  // namespace cibgraph
