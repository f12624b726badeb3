#pragma once
// Katz centrality (Katz, "A new status index derived from sociometric analysis", Psychometrika 18(1), 1953):
// the solution of x = alpha * A^T x + beta, i.e. x_v = alpha * sum over arcs u→v of w_uv x_u + beta, which
// counts the walks ending at v with a weight alpha^length. The series converges when alpha < 1 / lambda_max(A).
//
// Conventions match networkx.katz_centrality (the pure-Python one): Jacobi iteration from x = 0; residual =
// (L1 norm of the change) / n, converged when residual < tolerance (networkx: L1 change < n * tol, the same
// sweep); with normalized the result is scaled to unit Euclidean norm (left as is when that norm is 0). An
// undirected edge counts once for each endpoint, a self-loop once. Negative weights are allowed (the linear
// system is still well defined). Divergence (alpha too large) is reported as converged = false, stopping early
// once the iterate is no longer finite; networkx throws instead.
//
// Complexity: O(n + m) per sweep, O(k (n + m)) in all; the error shrinks by alpha * lambda_max per sweep.
// Memory: the transpose of a directed graph and two vectors of n doubles. Parallel over fixed vertex blocks:
// bit-identical for any thread count.
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cibgraph/algorithms/centrality/power_iteration.hpp"
#include "cibgraph/algorithms/centrality/result.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

struct KatzOptions {
  double alpha = 0.1;  // attenuation per step; must be below 1 / lambda_max(A) to converge
  double beta = 1.0;   // the score every vertex receives on its own
  double tolerance = 1e-9;  // on the mean absolute change per vertex (networkx: L1 change < n * tol)
  std::uint32_t max_iterations = 1000;
  bool weighted = true;
  bool normalized = true;
};

namespace centrality_detail {

template <bool Weighted, class G>
ScoresResult katz_sweeps(const G& g, const KatzOptions& o) {
  const std::uint32_t n = g.num_vertices();
  const bool parallel = worth_parallel(g);
  const InArcs<G> in_arcs(g);
  const G& in_rows = in_arcs.rows();

  std::vector<double> x(n, 0.0), next(n);
  ScoresResult result;
  for (std::uint32_t sweep = 1; sweep <= o.max_iterations; ++sweep) {
    const double* previous = x.data();
    const auto change = blocked_sums<1>(n, parallel, [&](std::uint32_t begin, std::uint32_t end) {
      double sum = 0.0;
      for (std::uint32_t v = begin; v < end; ++v) {
        next[v] = o.alpha * row_sum<Weighted>(in_rows, v, previous) + o.beta;
        sum += std::abs(next[v] - previous[v]);
      }
      return std::array<double, 1>{sum};
    });
    x.swap(next);
    result.iterations = sweep;
    result.residual = change[0] / n;
    if (result.residual < o.tolerance) {
      result.converged = true;
      break;
    }
    if (!std::isfinite(result.residual)) break;  // diverged: more sweeps cannot bring it back
  }
  if (o.normalized) {
    const auto squares = blocked_sums<1>(n, parallel, [&](std::uint32_t begin, std::uint32_t end) {
      double sum = 0.0;
      for (std::uint32_t v = begin; v < end; ++v) sum += x[v] * x[v];
      return std::array<double, 1>{sum};
    });
    const double norm = std::sqrt(squares[0]);
    if (norm > 0.0 && std::isfinite(norm)) {
      for (double& value : x) value /= norm;
    }
  }
  result.scores = std::move(x);
  return result;
}

}  // namespace centrality_detail

template <class G>
  requires WeightedGraph<G> && TransposableGraph<G>
ScoresResult katz_centrality(const G& g, const KatzOptions& o = {}) {
  if (!std::isfinite(o.alpha) || !(o.alpha > 0.0)) {
    throw UsageError("katz_centrality: alpha must be a positive finite number, got " + std::to_string(o.alpha));
  }
  if (!std::isfinite(o.beta)) throw UsageError("katz_centrality: beta must be finite");
  centrality_detail::check_iteration_options("katz_centrality", o.tolerance, o.max_iterations);
  if (g.num_vertices() == 0) {
    ScoresResult empty;
    empty.converged = true;
    return empty;
  }
  if (o.weighted) return centrality_detail::katz_sweeps<true>(g, o);
  return centrality_detail::katz_sweeps<false>(g, o);
}

}  // namespace cibgraph
