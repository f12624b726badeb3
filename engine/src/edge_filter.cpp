// The edge filter: which edges stay (Benjamini-Hochberg over every layer's p-values, or a co-action threshold), which
// edges the cluster search builds on (cluster_edges), and the cluster ties kept afterwards (keep_cluster_edges).
#include <omp.h>
#include <parallel/algorithm>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/significance.hpp"
#include "significance_internal.hpp"
#include "parallel_sort.hpp"

namespace cibgraph {

EdgeFilter parse_edge_filter(std::string_view name) {
  if (name == "fdr") return EdgeFilter::Fdr;
  if (name == "min-co-actions") return EdgeFilter::MinCoActions;
  if (name == "percentile") return EdgeFilter::Percentile;
  if (name == "none") return EdgeFilter::None;
  throw UsageError("unknown filter '" + std::string(name) + "' (use fdr, min-co-actions, percentile or none)");
}

std::string_view to_string(EdgeFilter filter) {
  switch (filter) {
    case EdgeFilter::Fdr: return "fdr";
    case EdgeFilter::MinCoActions: return "min-co-actions";
    case EdgeFilter::Percentile: return "percentile";
    case EdgeFilter::None: return "none";
  }
  return "fdr";
}

KeptBy kept_by_filter(EdgeFilter filter) {
  switch (filter) {
    case EdgeFilter::Fdr: return KeptBy::Fdr;
    case EdgeFilter::MinCoActions: return KeptBy::MinCoActions;
    case EdgeFilter::Percentile: return KeptBy::Percentile;
    case EdgeFilter::None: return KeptBy::NoFilter;
  }
  return KeptBy::Fdr;
}

std::string_view kept_by_name(KeptBy reason) {
  switch (reason) {
    case KeptBy::NotKept: return "";
    case KeptBy::Fdr: return to_string(EdgeFilter::Fdr);
    case KeptBy::MinCoActions: return to_string(EdgeFilter::MinCoActions);
    case KeptBy::Percentile: return to_string(EdgeFilter::Percentile);
    case KeptBy::NoFilter: return to_string(EdgeFilter::None);
    case KeptBy::Cluster: return "cluster";
    case KeptBy::Unrecorded: return "unrecorded";
  }
  return "unrecorded";
}

KeptBy kept_reason(const LayerEdges& l, std::size_t i) {
  if (!l.kept[i]) return KeptBy::NotKept;
  if (l.kept_by.size() != l.size() || l.kept_by[i] == 0 || l.kept_by[i] > static_cast<std::uint8_t>(KeptBy::Unrecorded))
    return KeptBy::Unrecorded;
  return static_cast<KeptBy>(l.kept_by[i]);
}

namespace {

// Benjamini-Hochberg over candidates (p, index) of m p-values in all: only p-values <= q can pass (r q / m <= q for
// every rank r <= m), and they rank before all the others, so only they are sorted, by (p, index), a total order
// (what a stable sort of all of them would give). Returns how many of the sorted candidates are rejected: the
// largest rank r (1-based) with p_(r) <= r q / m.
std::size_t bh_rejected_prefix(std::vector<std::pair<double, std::size_t>>& candidates, std::size_t m, double q) {
  cibgraph::detail::parallel_sort(candidates.begin(), candidates.end());
  std::size_t last = 0;
  for (std::size_t r = 1; r <= candidates.size(); ++r)
    if (candidates[r - 1].first <= static_cast<double>(r) * q / static_cast<double>(m)) last = r;
  return last;
}

}  // namespace

using detail::tested;

std::vector<std::uint8_t> benjamini_hochberg(const std::vector<double>& p, double q) {
  const std::size_t m = p.size();
  std::vector<std::pair<double, std::size_t>> candidates;
  for (std::size_t i = 0; i < m; ++i)
    if (p[i] <= q) candidates.emplace_back(p[i], i);
  const std::size_t last = bh_rejected_prefix(candidates, m, q);
  std::vector<std::uint8_t> rejected(m, 0);
  for (std::size_t r = 0; r < last; ++r) rejected[candidates[r].second] = 1;
  return rejected;
}

std::uint64_t filter_edges(CoactionNetwork& net, const SignificanceOptions& opt) {
  std::uint64_t kept = 0;
  if (opt.filter == EdgeFilter::Fdr) {
    // Benjamini-Hochberg over the edges of all layers, numbered layer after layer, as benjamini_hochberg would over
    // their p-values put end to end: the candidates are gathered straight from the layers (no copy of every p-value).
    std::vector<std::pair<double, std::size_t>> candidates;
    std::vector<std::size_t> layer_start;
    std::size_t m = 0;
    for (const auto& l : net.layers) {
      layer_start.push_back(m);
      for (std::size_t i = 0; i < l.size(); ++i)
        if (l.p_value[i] <= opt.fdr) candidates.emplace_back(l.p_value[i], m + i);
      m += l.size();
    }
    const std::size_t last = bh_rejected_prefix(candidates, m, opt.fdr);
    for (auto& l : net.layers) l.kept.assign(l.size(), 0);
    for (std::size_t r = 0; r < last; ++r) {
      const std::size_t global = candidates[r].second;
      const auto li = static_cast<std::size_t>(std::upper_bound(layer_start.begin(), layer_start.end(), global) -
                                               layer_start.begin()) - 1;
      auto& l = net.layers[li];
      const std::size_t i = global - layer_start[li];
      l.kept[i] = l.co_actions[i] >= opt.min_co_actions && l.distinct_targets[i] >= opt.min_distinct_targets;
    }
  } else if (opt.filter == EdgeFilter::Percentile) {
    std::vector<std::uint32_t> all;
    for (const auto& l : net.layers) all.insert(all.end(), l.co_actions.begin(), l.co_actions.end());
    std::uint32_t threshold = 0;
    if (!all.empty()) {
      auto q = all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size() - 1, static_cast<std::size_t>(opt.percentile * static_cast<double>(all.size()))));
      std::nth_element(all.begin(), q, all.end());
      threshold = *q;
    }
    for (auto& l : net.layers)
      for (std::size_t i = 0; i < l.size(); ++i)
        l.kept[i] = l.co_actions[i] >= std::max(threshold, opt.min_co_actions) &&
                    l.distinct_targets[i] >= opt.min_distinct_targets;
  } else {
    const std::uint32_t min_distinct = opt.filter == EdgeFilter::None ? 1 : opt.min_distinct_targets;
    for (auto& l : net.layers)
      for (std::size_t i = 0; i < l.size(); ++i)
        l.kept[i] = l.co_actions[i] >= opt.min_co_actions && l.distinct_targets[i] >= min_distinct;
  }
  const auto by = static_cast<std::uint8_t>(kept_by_filter(opt.filter));
  for (auto& l : net.layers) {
    kept += static_cast<std::uint64_t>(std::count(l.kept.begin(), l.kept.end(), 1));
    l.kept_by.resize(l.size());
    for (std::size_t i = 0; i < l.size(); ++i) l.kept_by[i] = l.kept[i] ? by : 0;
  }
  return kept;
}

std::vector<std::vector<std::uint8_t>> cluster_edges(const CoactionNetwork& net, std::size_t n_accounts,
                                                     const SignificanceOptions& opt) {
  // Tested pairs per account: pairs with enough distinct targets to have a p-value below 1. Counted per thread over
  // slices of the edges and summed (integers: the same for any thread count), then every edge marked in parallel.
  std::vector<std::uint32_t> tested_pairs(n_accounts, 0);
  const int threads = std::max(1, omp_get_max_threads());
  std::vector<std::vector<std::uint32_t>> partial(static_cast<std::size_t>(threads) - 1,
                                                  std::vector<std::uint32_t>(n_accounts, 0));
#pragma omp parallel num_threads(threads)
  {
    const auto t = static_cast<std::size_t>(omp_get_thread_num());
    std::vector<std::uint32_t>& mine = t == 0 ? tested_pairs : partial[t - 1];
    for (const auto& l : net.layers) {
#pragma omp for schedule(static) nowait
      for (std::int64_t e = 0; e < static_cast<std::int64_t>(l.size()); ++e) {
        const auto i = static_cast<std::size_t>(e);
        if (tested(l, i, opt)) {
          ++mine[l.a[i]];
          ++mine[l.b[i]];
        }
      }
    }
  }
  for (const auto& counts : partial)
    for (std::size_t v = 0; v < n_accounts; ++v) tested_pairs[v] += counts[v];
  std::vector<std::vector<std::uint8_t>> out(net.layers.size());
  for (std::size_t li = 0; li < net.layers.size(); ++li) {
    const auto& l = net.layers[li];
    out[li].resize(l.size());
    std::uint8_t* mark = out[li].data();
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::int64_t e = 0; e < static_cast<std::int64_t>(l.size()); ++e) {
      const auto i = static_cast<std::size_t>(e);
      if (l.kept[i]) {
        mark[i] = 1;
        continue;
      }
      mark[i] = 0;
      if (opt.filter == EdgeFilter::None || !tested(l, i, opt)) continue;
      const double busiest = std::max<double>(1.0, std::max(tested_pairs[l.a[i]], tested_pairs[l.b[i]]));
      mark[i] = l.p_value[i] <= std::min(opt.cluster_edge_p, 1.0 / busiest);
    }
  }
  return out;
}

std::uint64_t keep_cluster_edges(CoactionNetwork& net, const std::vector<Cluster>& clusters, std::size_t n_accounts,
                                 const SignificanceOptions& opt) {
  const auto is_cluster = cluster_edges(net, n_accounts, opt);
  std::vector<std::uint32_t> cluster_of(n_accounts, 0);
  std::vector<std::uint8_t> recovered(n_accounts, 0);
  for (const auto& c : clusters)
    if (c.coordinated) {
      for (auto m : c.members) cluster_of[m] = c.id;
      for (auto m : c.recovered) recovered[m] = 1;
    }
  std::uint64_t added = 0;
  for (std::size_t li = 0; li < net.layers.size(); ++li) {
    auto& l = net.layers[li];
    if (l.kept_by.size() != l.size()) {  // a layer built by hand: its kept edges' reason is not known
      l.kept_by.resize(l.size());
      for (std::size_t i = 0; i < l.size(); ++i)
        l.kept_by[i] = l.kept[i] ? static_cast<std::uint8_t>(KeptBy::Unrecorded) : 0;
    }
#pragma omp parallel for schedule(static) reduction(+ : added)
    for (std::int64_t e = 0; e < static_cast<std::int64_t>(l.size()); ++e) {
      const auto i = static_cast<std::size_t>(e);
      if (!l.kept[i] && cluster_of[l.a[i]] != 0 && cluster_of[l.a[i]] == cluster_of[l.b[i]] &&
          detail::is_tie(is_cluster, recovered, l, li, i, opt)) {
        l.kept[i] = 1;
        l.kept_by[i] = static_cast<std::uint8_t>(KeptBy::Cluster);
        ++added;
      }
    }
  }
  return added;
}

}  // namespace cibgraph
