#pragma once
// PageRank (Page, Brin, Motwani & Winograd, "The PageRank citation ranking: bringing order to the web",
// Stanford InfoLab technical report 1999-66): the stationary distribution of a walk that follows an out-arc with
// probability `damping` (chosen in proportion to the arc weights when weighted) and otherwise jumps to a vertex
// drawn from the personalization vector p:
//     x_v = damping * (sum over arcs u→v of w_uv / s_u * x_u  +  D * p_v) + (1 - damping) * p_v,
// where s_u is the out-strength of u (out-degree when unweighted) and D the mass on dangling vertices (s_u = 0,
// which includes vertices whose arcs all weigh 0); dangling mass is spread like the jump, by p.
//
// Conventions match networkx.pagerank (its scipy path, with dangling = None): an undirected edge is an arc
// each way and a self-loop one arc of its weight; p is normalised to sum 1 (uniform when empty); the start
// vector is uniform. The scores sum to 1 (up to rounding; mass is conserved by every sweep). residual = L1 norm
// of the change over the last sweep; converged when residual < tolerance. networkx stops at N * tolerance, so
// at equal tolerance these scores are the more converged. Not converging within max_iterations is reported
// (converged = false, the last iterate returned), not thrown.
//
// Method: Jacobi power iteration (the networkx update, so both converge to the same vector along the same
// path), pull form: each sweep computes x_v from the in-neighbours of v, so every vertex is written by one
// thread and no atomics are needed; a directed graph is transposed once, an undirected one read in place.
// Each sweep gathers c_u = x_u / s_u (one multiply per vertex, precomputed 1/s_u, 0 for dangling vertices), so
// the inner loop is a branch-free weighted sum over the in-row. Residual and dangling mass are summed per fixed
// block (power_iteration.hpp): bit-identical for any thread count.
//
// Complexity: O(n + m) per sweep, O(k (n + m)) for k sweeps; the error shrinks about by damping * |lambda_2| per
// sweep. Memory: the transpose of a directed graph (O(n + m)) and five vectors of n doubles.
#include <algorithm>
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

struct PageRankOptions {
  double damping = 0.85;
  double tolerance = 1e-9;  // on the L1 norm of the change of the score vector
  std::uint32_t max_iterations = 1000;
  bool weighted = true;
  std::vector<double> personalization;  // empty = uniform; otherwise one non-negative entry per vertex
};

namespace centrality_detail {

// The jump distribution: the personalization normalised to sum 1, or uniform.
inline std::vector<double> jump_distribution(std::uint32_t n, const std::vector<double>& personalization) {
  if (personalization.empty()) return std::vector<double>(n, n == 0 ? 0.0 : 1.0 / n);
  if (personalization.size() != n) {
    throw UsageError("pagerank: personalization has " + std::to_string(personalization.size()) +
                     " entries but the graph has " + std::to_string(n) + " vertices");
  }
  double total = 0.0;
  for (std::uint32_t v = 0; v < n; ++v) {
    const double p = personalization[v];
    if (!std::isfinite(p) || p < 0.0) {
      throw UsageError("pagerank: personalization[" + std::to_string(v) + "] = " + std::to_string(p) +
                       "; entries must be finite and non-negative");
    }
    total += p;
  }
  if (!(total > 0.0) || !std::isfinite(total)) {
    throw UsageError("pagerank: personalization must have a positive finite sum");
  }
  std::vector<double> jump(n);
  for (std::uint32_t v = 0; v < n; ++v) jump[v] = personalization[v] / total;
  return jump;
}

template <bool Weighted, class G>
ScoresResult pagerank_sweeps(const G& g, const PageRankOptions& o, std::vector<double> jump) {
  const std::uint32_t n = g.num_vertices();
  const bool parallel = worth_parallel(g);

  // 1 / out-strength, 0 for dangling vertices: then c_u = x_u * inverse_out[u] needs no branch.
  std::vector<double> inverse_out(n);
#pragma omp parallel for schedule(static) if (parallel)
  for (std::int64_t v = 0; v < static_cast<std::int64_t>(n); ++v) {
    const double s = Weighted ? out_strength(g, static_cast<std::uint32_t>(v))
                              : static_cast<double>(g.neighbors(static_cast<std::uint32_t>(v)).size());
    inverse_out[v] = s > 0.0 ? 1.0 / s : 0.0;
  }

  const InArcs<G> in_arcs(g);
  const G& in_rows = in_arcs.rows();

  std::vector<double> x(n, 1.0 / n);
  std::vector<double> contribution(n), next_contribution(n);
  const auto start = blocked_sums<1>(n, parallel, [&](std::uint32_t begin, std::uint32_t end) {
    double dangling = 0.0;
    for (std::uint32_t v = begin; v < end; ++v) {
      contribution[v] = x[v] * inverse_out[v];
      dangling += inverse_out[v] == 0.0 ? x[v] : 0.0;
    }
    return std::array<double, 1>{dangling};
  });
  double dangling_mass = start[0];

  ScoresResult result;
  const double damping = o.damping;
  for (std::uint32_t sweep = 1; sweep <= o.max_iterations; ++sweep) {
    // Jump and dangling mass both land by the jump distribution: one coefficient per sweep.
    const double jump_weight = damping * dangling_mass + (1.0 - damping);
    const double* c = contribution.data();
    const auto sums = blocked_sums<2>(n, parallel, [&](std::uint32_t begin, std::uint32_t end) {
      double change = 0.0, dangling = 0.0;
      for (std::uint32_t v = begin; v < end; ++v) {
        const double updated = damping * row_sum<Weighted>(in_rows, v, c) + jump_weight * jump[v];
        change += std::abs(updated - x[v]);
        x[v] = updated;
        next_contribution[v] = updated * inverse_out[v];
        dangling += inverse_out[v] == 0.0 ? updated : 0.0;
      }
      return std::array<double, 2>{change, dangling};
    });
    contribution.swap(next_contribution);
    dangling_mass = sums[1];
    result.iterations = sweep;
    result.residual = sums[0];
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
ScoresResult pagerank(const G& g, const PageRankOptions& o = {}) {
  if (!(o.damping >= 0.0 && o.damping <= 1.0)) {
    throw UsageError("pagerank: damping must be in [0, 1], got " + std::to_string(o.damping));
  }
  centrality_detail::check_iteration_options("pagerank", o.tolerance, o.max_iterations);
  const std::uint32_t n = g.num_vertices();
  std::vector<double> jump = centrality_detail::jump_distribution(n, o.personalization);
  if (n == 0) {
    ScoresResult empty;
    empty.converged = true;
    return empty;
  }
  if (o.weighted) {
    centrality_detail::require_nonnegative_weights(g, "pagerank");
    return centrality_detail::pagerank_sweeps<true>(g, o, std::move(jump));
  }
  return centrality_detail::pagerank_sweeps<false>(g, o, std::move(jump));
}

}  // namespace cibgraph
