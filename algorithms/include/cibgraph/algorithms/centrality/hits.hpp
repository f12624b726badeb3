#pragma once
// HITS hubs and authorities (Kleinberg, "Authoritative sources in a hyperlinked environment", Journal of the
// ACM 46(5), 1999): a good hub points to good authorities, a good authority is pointed to by good hubs,
//     authority_v = sum over arcs u→v of w_uv hub_u,      hub_u = sum over arcs u→v of w_uv authority_v,
// i.e. the dominant left and right singular vectors of A.
//
// Conventions match networkx.hits (normalized = True): hubs and authorities each scaled to sum 1; an undirected
// edge is an arc each way. networkx 2.8 computes the singular vectors with ARPACK (svds); here, Kleinberg's
// power iteration from uniform hubs 1/n: authorities from the hubs, then hubs from those authorities, both
// rescaled to sum 1 each sweep. residual = L1 change of the hubs + L1 change of the authorities over the last
// sweep (the authorities start from 0, so the first sweep never passes); converged when residual < tolerance.
// When the top singular value of A is repeated (e.g. several components with the same one, or an undirected
// bipartite graph) the singular vectors are not unique: the answer then depends on the start vector, and
// differs from ARPACK's. Weights must be non-negative when weighted. A graph without an arc of positive weight
// has no singular direction: hubs and authorities are all 1/n (converged, 0 iterations).
//
// Complexity: O(n + m) per sweep (one pull over in-arcs, one over out-arcs), O(k (n + m)) in all; the error
// shrinks by (sigma_2 / sigma_1)^2 per sweep. Memory: the transpose of a directed graph, three vectors of n
// doubles. Parallel over fixed vertex blocks: bit-identical for any thread count.
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "cibgraph/algorithms/centrality/power_iteration.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

struct HitsOptions {
  double tolerance = 1e-9;  // on L1 change of hubs + L1 change of authorities, both summing to 1
  std::uint32_t max_iterations = 1000;
  bool weighted = true;
};

struct HitsResult {
  std::vector<double> hubs, authorities;  // indexed by vertex, each summing to 1
  std::uint32_t iterations = 0;
  double residual = 0;
  bool converged = false;
};

namespace centrality_detail {

// One half-sweep: target[v] = row_sum over `rows` of source, then target scaled to sum 1 and its L1 change
// against `previous` returned; target and previous swapped so `previous` holds the new vector. Returns -1 when
// the raw sum is 0 (no positive-weight arc reaches any vertex).
template <bool Weighted, class G>
double hits_half_sweep(const G& rows, bool parallel, const std::vector<double>& source, std::vector<double>& previous,
                       std::vector<double>& target) {
  const std::uint32_t n = rows.num_vertices();
  const double* from = source.data();
  const auto total = blocked_sums<1>(n, parallel, [&](std::uint32_t begin, std::uint32_t end) {
    double sum = 0.0;
    for (std::uint32_t v = begin; v < end; ++v) {
      target[v] = row_sum<Weighted>(rows, v, from);
      sum += target[v];
    }
    return std::array<double, 1>{sum};
  });
  if (!(total[0] > 0.0)) return -1.0;
  const double scale = 1.0 / total[0];
  const auto change = blocked_sums<1>(n, parallel, [&](std::uint32_t begin, std::uint32_t end) {
    double sum = 0.0;
    for (std::uint32_t v = begin; v < end; ++v) {
      target[v] *= scale;
      sum += std::abs(target[v] - previous[v]);
    }
    return std::array<double, 1>{sum};
  });
  previous.swap(target);
  return change[0];
}

template <bool Weighted, class G>
HitsResult hits_sweeps(const G& g, const HitsOptions& o) {
  const std::uint32_t n = g.num_vertices();
  const bool parallel = worth_parallel(g);
  const InArcs<G> in_arcs(g);

  HitsResult result;
  result.hubs.assign(n, 1.0 / n);
  result.authorities.assign(n, 0.0);
  std::vector<double> scratch(n);
  for (std::uint32_t sweep = 1; sweep <= o.max_iterations; ++sweep) {
    const double authority_change =
        hits_half_sweep<Weighted>(in_arcs.rows(), parallel, result.hubs, result.authorities, scratch);
    // A positive authority implies a positive hub (its in-arc's tail), so only the first half can find 0.
    if (authority_change < 0.0) {
      result.hubs.assign(n, 1.0 / n);
      result.authorities.assign(n, 1.0 / n);
      result.iterations = 0;
      result.residual = 0.0;
      result.converged = true;
      return result;
    }
    const double hub_change = hits_half_sweep<Weighted>(g, parallel, result.authorities, result.hubs, scratch);
    result.iterations = sweep;
    result.residual = authority_change + hub_change;
    if (result.residual < o.tolerance) {
      result.converged = true;
      break;
    }
  }
  return result;
}

}  // namespace centrality_detail

template <class G>
  requires WeightedGraph<G> && TransposableGraph<G>
HitsResult hits(const G& g, const HitsOptions& o = {}) {
  centrality_detail::check_iteration_options("hits", o.tolerance, o.max_iterations);
  if (g.num_vertices() == 0) {
    HitsResult empty;
    empty.converged = true;
    return empty;
  }
  if (o.weighted) {
    centrality_detail::require_nonnegative_weights(g, "hits");
    return centrality_detail::hits_sweeps<true>(g, o);
  }
  return centrality_detail::hits_sweeps<false>(g, o);
}

}  // namespace cibgraph
