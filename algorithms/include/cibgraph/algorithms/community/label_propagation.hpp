#pragma once
// Label propagation: Raghavan, Albert & Kumara, "Near linear time algorithm to detect community structures in
// large-scale networks", Phys. Rev. E 76, 036106 (2007).
//
// Every vertex starts with a label of its own. A sweep visits the vertices in a fresh random order and gives each
// the label carried by the largest total edge weight among its neighbours (asynchronous updates: a vertex sees the
// labels already changed earlier in the same sweep, which is what stops the oscillations of the synchronous
// version on bipartite parts). The run stops after the first sweep in which no vertex changed its label, i.e. when
// every vertex holds a label of maximal weight among its neighbours (the paper's stopping rule), or after
// max_iterations sweeps.
//
// Conventions:
//   * Ties: a vertex keeps its current label when that label is among the best (so a stable state is a fixed
//     point, as in networkx's asyn_lpa_communities); otherwise it takes one of the best labels uniformly at random.
//     Weights are summed in double and labels within a relative 1e-12 of the best count as tied, so float
//     rounding in the order of summation does not decide ties.
//   * The random order and the tie breaks come from SplitMix64(seed): the same graph and seed give the same
//     result on every platform and for every thread count (the sweeps are sequential by nature).
//   * weighted = false counts every arc as 1. Weights must be >= 0 when weighted (InputError otherwise); arcs of
//     weight 0 carry no vote.
//   * Self-loops are ignored in the vote: a vertex is not its own neighbour in the paper, and counting the loop
//     would only make the vertex stubborn.
//   * Directed input is read as undirected with W = A + A^T: a vertex hears its in- and out-neighbours, and a
//     reciprocated pair votes with both arcs.
//   * Isolated vertices (no arc of positive weight to another vertex) keep their own label: singletons.
//   * quality = modularity of the result on the input graph, exactly as networkx.community.modularity(G,
//     communities, weight = 'weight' or None) computes it: Newman's for undirected graphs (a self-loop adds its
//     weight twice to the degree), Leicht & Newman's directed modularity for directed ones; 0 when the graph has
//     no weight at all. iterations = sweeps done, including the last one that found nothing to change.
//
// Complexity: O(n + m) time per sweep, O(n) extra memory (plus the transpose of a directed graph). One scratch
// array of per-label weights indexed by label and a list of the labels touched, both allocated once.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cibgraph/algorithms/community/result.hpp"
#include "cibgraph/random.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

struct LabelPropagationOptions {
  std::uint64_t seed = 0;
  std::uint32_t max_iterations = 100;  // sweeps; >= 1
  bool weighted = true;
};

namespace detail {

// Modularity of `membership` (labels 0..count-1) on g, networkx's definition; see the header comment.
template <class G>
double label_propagation_modularity(const G& g, const std::vector<std::uint32_t>& membership, std::uint32_t count,
                                    bool weighted) {
  const std::uint32_t n = g.num_vertices();
  std::vector<double> out_total(count, 0.0), in_total(count, 0.0);
  double inside = 0.0;  // undirected: twice the weight inside communities; directed: the weight inside
  double total = 0.0;   // undirected: 2m; directed: m
  for (std::uint32_t u = 0; u < n; ++u) {
    const auto targets = g.neighbors(u);
    const auto weights = g.neighbor_weights(u);
    const std::uint32_t cu = membership[u];
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const std::uint32_t v = targets[i];
      const double w = weighted ? static_cast<double>(weights[i]) : 1.0;
      // An undirected self-loop is stored once but counts twice in the degree (networkx's convention).
      const double times = (!g.directed && v == u) ? 2.0 : 1.0;
      total += times * w;
      out_total[cu] += times * w;
      in_total[membership[v]] += times * w;
      if (membership[v] == cu) inside += times * w;
    }
  }
  if (total <= 0.0) return 0.0;
  double expected = 0.0;
  for (std::uint32_t c = 0; c < count; ++c) expected += out_total[c] * in_total[c];
  return inside / total - expected / (total * total);
}

// Arcs are numbered in row order, as in the CSR arrays.
template <WeightedGraph G>
void require_nonnegative_weights(const G& g, const char* who) {
  std::uint64_t a = 0;
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    for (const float w : g.neighbor_weights(v)) {
      if (w < 0.0f) {
        throw InputError(std::string(who) + ": arc " + std::to_string(a) + " has negative weight " +
                         std::to_string(w) + "; weights must be >= 0 (or pass weighted = false)");
      }
      ++a;
    }
  }
}

}  // namespace detail

template <class G>
  requires WeightedGraph<G> && TransposableGraph<G>
CommunityResult label_propagation(const G& g, const LabelPropagationOptions& o = {}) {
  if (o.max_iterations < 1) throw UsageError("label_propagation: max_iterations must be at least 1");
  if (o.weighted) detail::require_nonnegative_weights(g, "label_propagation");

  const std::uint32_t n = g.num_vertices();
  CommunityResult result;
  result.membership.resize(n);
  std::vector<std::uint32_t>& label = result.membership;
  for (std::uint32_t v = 0; v < n; ++v) label[v] = v;

  std::optional<G> reversed;  // in-arcs of a directed graph
  if (g.directed) reversed.emplace(g.transpose());

  SplitMix64 rng(o.seed);
  std::vector<std::uint32_t> order(label);
  std::vector<double> label_weight(n, 0.0);  // all zero between vertices
  std::vector<std::uint32_t> touched, best;
  touched.reserve(64);
  best.reserve(64);

  const auto collect = [&](std::uint32_t v, std::span<const std::uint32_t> targets, std::span<const float> weights) {
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const std::uint32_t u = targets[i];
      const double w = o.weighted ? static_cast<double>(weights[i]) : 1.0;
      if (u == v || !(w > 0.0)) continue;
      const std::uint32_t l = label[u];
      if (label_weight[l] == 0.0) touched.push_back(l);
      label_weight[l] += w;
    }
  };

  bool stable = false;
  std::uint32_t sweeps = 0;
  while (!stable && sweeps < o.max_iterations) {
    ++sweeps;
    stable = true;
    for (std::uint32_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    for (const std::uint32_t v : order) {
      collect(v, g.neighbors(v), g.neighbor_weights(v));
      if (reversed) collect(v, reversed->neighbors(v), reversed->neighbor_weights(v));
      if (touched.empty()) continue;

      double heaviest = 0.0;
      for (const std::uint32_t l : touched) heaviest = label_weight[l] > heaviest ? label_weight[l] : heaviest;
      const double tie_floor = heaviest * (1.0 - 1e-12);
      if (label_weight[label[v]] < tie_floor) {
        best.clear();
        for (const std::uint32_t l : touched) {
          if (label_weight[l] >= tie_floor) best.push_back(l);
        }
        label[v] = best.size() == 1 ? best[0] : best[rng.below(static_cast<std::uint32_t>(best.size()))];
        stable = false;
      }
      for (const std::uint32_t l : touched) label_weight[l] = 0.0;
      touched.clear();
    }
  }

  result.count = renumber_communities(label);
  result.iterations = sweeps;
  result.quality = detail::label_propagation_modularity(g, label, result.count, o.weighted);
  return result;
}

}  // namespace cibgraph
