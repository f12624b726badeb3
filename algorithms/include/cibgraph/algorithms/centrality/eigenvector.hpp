#pragma once
// Eigenvector centrality (Bonacich, "Factoring and weighting approaches to status scores and clique
// identification", Journal of Mathematical Sociology 2(1), 1972): the dominant eigenvector of A^T, so a vertex
// is central when its in-neighbours are, x_v proportional to sum over arcs u→v of w_uv x_u.
//
// Conventions match networkx.eigenvector_centrality (the pure-Python one, not the _numpy variant): power
// iteration on (A + I)^T from the uniform vector 1/n, which has the same dominant eigenvector as A^T but cannot
// oscillate on bipartite graphs (eigenvalues lambda and -lambda become 1 + lambda and 1 - lambda); each iterate
// is scaled to unit Euclidean norm; residual = (L1 norm of the change) / n, converged when residual <
// tolerance, i.e. networkx's test "L1 change < n * tol", so both stop at the same sweep. An undirected edge
// counts once for each endpoint, a self-loop once. Weights must be non-negative when weighted. Failure to
// converge (e.g. a directed acyclic graph, whose A is nilpotent) is reported as converged = false with the last
// iterate, not thrown as networkx does. A graph with no arcs gives 1/sqrt(n) everywhere, as networkx.
//
// Complexity: O(n + m) per sweep (a pull over in-arcs, then a streaming normalisation), O(k (n + m)) in all;
// memory: the transpose of a directed graph and two vectors of n doubles. Parallel over fixed vertex blocks:
// bit-identical for any thread count.
#include <array>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "cibgraph/algorithms/centrality/power_iteration.hpp"
#include "cibgraph/algorithms/centrality/result.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

struct EigenvectorOptions {
  double tolerance = 1e-9;  // on the mean absolute change per vertex (networkx: L1 change < n * tol)
  std::uint32_t max_iterations = 1000;
  bool weighted = true;
};

namespace centrality_detail {

template <bool Weighted, class G>
ScoresResult eigenvector_sweeps(const G& g, const EigenvectorOptions& o) {
  const std::uint32_t n = g.num_vertices();
  const bool parallel = worth_parallel(g);
  const InArcs<G> in_arcs(g);
  const G& in_rows = in_arcs.rows();

  std::vector<double> x(n, 1.0 / n), raw(n);
  ScoresResult result;
  for (std::uint32_t sweep = 1; sweep <= o.max_iterations; ++sweep) {
    const double* previous = x.data();
    const auto squares = blocked_sums<1>(n, parallel, [&](std::uint32_t begin, std::uint32_t end) {
      double sum = 0.0;
      for (std::uint32_t v = begin; v < end; ++v) {
        raw[v] = previous[v] + row_sum<Weighted>(in_rows, v, previous);
        sum += raw[v] * raw[v];
      }
      return std::array<double, 1>{sum};
    });
    const double norm = squares[0] > 0.0 ? std::sqrt(squares[0]) : 1.0;
    const auto change = blocked_sums<1>(n, parallel, [&](std::uint32_t begin, std::uint32_t end) {
      double sum = 0.0;
      for (std::uint32_t v = begin; v < end; ++v) {
        const double scaled = raw[v] / norm;
        sum += std::abs(scaled - x[v]);
        x[v] = scaled;
      }
      return std::array<double, 1>{sum};
    });
    result.iterations = sweep;
    result.residual = change[0] / n;
    if (result.residual < o.tolerance) {
      result.converged = true;
      break;
    }
  }
  result.scores = std::move(x);
  return result;
}

}  // namespace centrality_detail

template <class G>
  requires WeightedGraph<G> && TransposableGraph<G>
ScoresResult eigenvector_centrality(const G& g, const EigenvectorOptions& o = {}) {
  centrality_detail::check_iteration_options("eigenvector_centrality", o.tolerance, o.max_iterations);
  if (g.num_vertices() == 0) {
    ScoresResult empty;
    empty.converged = true;
    return empty;
  }
  if (o.weighted) {
    centrality_detail::require_nonnegative_weights(g, "eigenvector_centrality");
    return centrality_detail::eigenvector_sweeps<true>(g, o);
  }
  return centrality_detail::eigenvector_sweeps<false>(g, o);
}

}  // namespace cibgraph
