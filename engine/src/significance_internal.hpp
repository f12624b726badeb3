// What the significance stages share (null_model.cpp, edge_filter.cpp, tie_groups.cpp, cluster_search.cpp,
// cluster_summary.cpp): small per-edge tests, inline so the hot loops pay no call, and the cluster search's steps.
// Internal to cibgraph_engine; not installed.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "cibgraph/significance.hpp"

namespace cibgraph::detail {

// Keys both accounts acted on; tables built by hand may leave common_keys empty.
inline std::uint32_t common_of(const LayerEdges& l, std::size_t i) {
  return std::max(i < l.common_keys.size() ? l.common_keys[i] : 0u, l.distinct_targets[i]);
}

// An edge with enough distinct targets and co-actions for a p-value below 1.
inline bool tested(const LayerEdges& l, std::size_t i, const SignificanceOptions& opt) {
  return l.distinct_targets[i] >= opt.min_distinct_targets && l.co_actions[i] >= opt.min_co_actions;
}

// E[X | X >= 1] - 1 for X ~ Binomial(c, expected / c): what a candidate pair (selected for co-acting at least once)
// is expected to co-act beyond its first co-action under the null.
inline double conditional_excess(double expected, std::uint32_t c) {
  if (c == 0 || expected <= 0) return 0.0;
  const double p = std::min(1.0, expected / c);
  const double at_least_one = -std::expm1(static_cast<double>(c) * std::log1p(-std::min(p, 1.0 - 1e-15)));
  return at_least_one > 0 ? std::max(0.0, expected / at_least_one - 1.0) : 0.0;
}

// E[X | X >= 1] - 1 for X ~ Poisson(lambda): the same under the co-targeting null.
inline double poisson_conditional_excess(double lambda) {
  if (!(lambda > 0)) return 0.0;
  const double at_least_one = -std::expm1(-lambda);
  return at_least_one > 0 ? std::max(0.0, lambda / at_least_one - 1.0) : 0.0;
}

inline double cotarget_excess_of(const LayerEdges& l, std::size_t i) {
  return i < l.cotarget_expected.size() ? poisson_conditional_excess(l.cotarget_expected[i]) : 0.0;
}
inline bool has_cotarget(const LayerEdges& l) { return l.cotarget_expected.size() == l.size(); }

// Per layer and edge: the edge's conditional excess under each null (habits: conditional_excess; popularity:
// poisson_conditional_excess), computed once on every core for the cluster search, whose rounds would otherwise
// compute them again for the same edges in every pass (the same functions: the same bits).
struct EdgeExcess {
  std::vector<std::vector<double>> sync, cotarget;
  bool any_cotarget = false;  // some layer carries the co-targeting test (networks read from old stores do not)
};
EdgeExcess edge_excess(const CoactionNetwork& net);

// Which null a group's (or an account's) co-actions beyond each pair's first beat (for the co-targeting null, its
// co-acted keys at distinct moments, cotarget_count), as Cluster::kSynchrony | Cluster::kCoTargeting: each null's
// Poisson tail below alpha / 2 (Bonferroni over the two) and min_excess times over. Without the co-targeting test
// (old stores), the habits null alone at alpha.
inline std::uint8_t beats_nulls(double observed, double sync_expected, double cotarget_observed,
                                double cotarget_expected, bool with_cotarget, double alpha, double min_excess) {
  const double level = with_cotarget ? alpha / 2 : alpha;
  std::uint8_t out = 0;
  if (poisson_upper_tail(sync_expected, observed) < level && observed >= min_excess * sync_expected)
    out |= Cluster::kSynchrony;
  if (with_cotarget && poisson_upper_tail(cotarget_expected, cotarget_observed) < level &&
      cotarget_observed >= min_excess * cotarget_expected)
    out |= Cluster::kCoTargeting;
  return out;
}

using PairList = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
constexpr std::uint32_t kNoGroup = std::numeric_limits<std::uint32_t>::max();

// Groups of accounts tied by `pairs` (sorted, unique, a < b): the group of each account (its smallest member),
// kNoGroup outside every group (tie_groups.cpp).
std::vector<std::uint32_t> tie_groups(const CoactionNetwork& net, const EdgeExcess& excess, PairList pairs,
                                      std::size_t n_accounts, const SignificanceOptions& opt, double min_tie_share);

// A cluster tie: a cluster edge, or a tested edge of an account that joined in the second stage.
inline bool is_tie(const std::vector<std::vector<std::uint8_t>>& is_cluster, const std::vector<std::uint8_t>& recovered,
                   const LayerEdges& l, std::size_t li, std::size_t i, const SignificanceOptions& opt) {
  return is_cluster[li][i] || ((recovered[l.a[i]] || recovered[l.b[i]]) && tested(l, i, opt));
}

// summarise_clusters, with each edge's conditional excess precomputed (edge_excess) or, for nullptr, computed here.
std::vector<Cluster> summarise_groups(const CoactionNetwork& net, const EdgeExcess* excess,
                                      const std::vector<std::int64_t>& label, std::size_t count,
                                      const std::vector<std::vector<std::uint8_t>>& tie,
                                      const std::vector<std::uint8_t>& recovered, const std::vector<double>& alpha,
                                      const SignificanceOptions& opt);

// The clusters of `label` with the pipeline's ties: cluster edges, and tested edges of accounts that joined in the
// second stage.
std::vector<Cluster> summarise(const CoactionNetwork& net, const EdgeExcess& excess,
                               const std::vector<std::int64_t>& label, std::size_t count,
                               const std::vector<std::vector<std::uint8_t>>& is_cluster,
                               const std::vector<std::uint8_t>& recovered, const std::vector<double>& alpha,
                               const SignificanceOptions& opt);

}  // namespace cibgraph::detail
