// The cluster search: groups of the cluster edges (first stage), then accounts joining the coordinated clusters and
// groups among the weak tested edges left (second stage); join_clusters, the joining alone on clusters already found.
#include <parallel/algorithm>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "cibgraph/significance.hpp"
#include "significance_internal.hpp"
#include "parallel_sort.hpp"

namespace cibgraph {

namespace {

using detail::EdgeExcess;
using detail::PairList;
using detail::kNoGroup;
using detail::beats_nulls;
using detail::edge_excess;
using detail::summarise;
using detail::tested;
using detail::tie_groups;

// Appends the groups of `group` (kNoGroup for none) to `label` as new cluster indices, numbered by smallest member.
void label_groups(const std::vector<std::uint32_t>& group, std::vector<std::int64_t>& label, std::size_t& count) {
  std::vector<std::int64_t> index_of(group.size(), -1);
  for (std::uint32_t v = 0; v < group.size(); ++v) {
    if (group[v] == kNoGroup) continue;
    auto& index = index_of[group[v]];
    if (index < 0) index = static_cast<std::int64_t>(count++);
    label[v] = index;
  }
}

// Second stage, account by account: an account outside every cluster joins a coordinated cluster when its own
// co-actions with that cluster's members (beyond each pair's first, given the selection) exceed the null's
// expectation with Poisson tail p below level / M (M the (account, cluster) candidates with min_core or more tested
// ties to the cluster: Bonferroni over the search) and min_excess times over. Returns how many joined.
std::size_t attach_accounts(const CoactionNetwork& net, const EdgeExcess& excess, const std::vector<Cluster>& clusters,
                            std::vector<std::int64_t>& label, std::vector<std::uint8_t>& recovered,
                            const SignificanceOptions& opt, double level) {
  std::size_t joined = 0;
  struct Entry {
    std::uint32_t account;
    std::uint32_t cluster;
    double obs, exp, obs_cot, exp_cot;
    std::uint32_t ties;
  };
  std::vector<Entry> entries;
  for (std::size_t li = 0; li < net.layers.size(); ++li) {
    const auto& l = net.layers[li];
    for (std::size_t i = 0; i < l.size(); ++i) {
      const auto la = label[l.a[i]], lb = label[l.b[i]];
      if ((la < 0) == (lb < 0)) continue;
      const auto inside = la >= 0 ? la : lb;
      if (!clusters[static_cast<std::size_t>(inside)].coordinated) continue;
      entries.push_back({la >= 0 ? l.b[i] : l.a[i], static_cast<std::uint32_t>(inside),
                         static_cast<double>(l.distinct_targets[i]) - 1.0, excess.sync[li][i],
                         static_cast<double>(cotarget_count(l, i)) - 1.0, excess.cotarget[li][i],
                         tested(l, i, opt) ? 1u : 0u});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
    return x.account != y.account ? x.account < y.account : x.cluster < y.cluster;
  });
  std::size_t w = 0;  // merge entries of the same (account, cluster): several layers, or several edges
  for (std::size_t r = 0; r < entries.size(); ++r) {
    if (w > 0 && entries[w - 1].account == entries[r].account && entries[w - 1].cluster == entries[r].cluster) {
      entries[w - 1].obs += entries[r].obs;
      entries[w - 1].exp += entries[r].exp;
      entries[w - 1].exp_cot += entries[r].exp_cot;
      entries[w - 1].obs_cot += entries[r].obs_cot;
      entries[w - 1].ties += entries[r].ties;
    } else {
      entries[w++] = entries[r];
    }
  }
  entries.resize(w);
  const auto candidates = static_cast<double>(std::count_if(
      entries.begin(), entries.end(), [&](const Entry& e) { return e.ties >= opt.min_core; }));
  const double alpha = level / std::max(1.0, candidates);
  for (std::size_t r = 0; r < entries.size();) {
    std::size_t end = r;
    double best_p = alpha;
    std::int64_t best = -1;
    for (; end < entries.size() && entries[end].account == entries[r].account; ++end) {
      const auto& e = entries[end];
      if (e.ties < opt.min_core) continue;
      // Either null, each at half the level (Bonferroni); the smaller p (doubled) picks the cluster.
      const std::uint8_t beaten =
          beats_nulls(e.obs, e.exp, e.obs_cot, e.exp_cot, excess.any_cotarget, alpha, opt.min_excess);
      if (beaten == 0) continue;
      const double factor = excess.any_cotarget ? 2.0 : 1.0;
      double p = 1.0;
      if (beaten & Cluster::kSynchrony) p = std::min(p, factor * poisson_upper_tail(e.exp, e.obs));
      if (beaten & Cluster::kCoTargeting) p = std::min(p, factor * poisson_upper_tail(e.exp_cot, e.obs_cot));
      if (p < best_p) {
        best_p = p;
        best = e.cluster;
      }
    }
    if (best >= 0) {
      label[entries[r].account] = best;
      recovered[entries[r].account] = 1;
      ++joined;
    }
    r = end;
  }
  return joined;
}

// The second stage's joining in rounds: accounts that joined in a round are members when the next round looks for
// candidates, so an account whose ties are to members that joined too can follow them. Round r (0-based) tests at
// member_alpha / 2^r, so all rounds together stay below 2 x member_alpha; the rounds stop when one adds nobody (at
// most kMaxJoinRounds). The clusters themselves stay those of the first stage: accounts join them, never each other,
// so a chain has to pass the test against an existing cluster at every link.
constexpr int kMaxJoinRounds = 32;
void attach_in_rounds(const CoactionNetwork& net, const EdgeExcess& excess, const std::vector<Cluster>& clusters,
                      std::vector<std::int64_t>& label, std::vector<std::uint8_t>& recovered,
                      const SignificanceOptions& opt) {
  double level = opt.member_alpha;
  for (int round = 0;
       round < kMaxJoinRounds && attach_accounts(net, excess, clusters, label, recovered, opt, level) > 0; ++round)
    level /= 2;
}

}  // namespace

std::vector<Cluster> coordination_clusters(const CoactionNetwork& net, std::size_t n_accounts,
                                           const SignificanceOptions& opt) {
  // First stage: groups of the cluster edges (layers merged, each pair once).
  const auto is_cluster = cluster_edges(net, n_accounts, opt);
  PairList pairs;
  for (std::size_t li = 0; li < net.layers.size(); ++li)
    for (std::size_t i = 0; i < net.layers[li].size(); ++i)
      if (is_cluster[li][i]) pairs.emplace_back(net.layers[li].a[i], net.layers[li].b[i]);
  cibgraph::detail::parallel_sort(pairs.begin(), pairs.end());  // a total order: the same for any thread count
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::vector<std::int64_t> label(n_accounts, -1);
  std::size_t count = 0;
  const EdgeExcess excess = edge_excess(net);
  label_groups(tie_groups(net, excess, std::move(pairs), n_accounts, opt, 0.0), label, count);
  std::vector<std::uint8_t> recovered(n_accounts, 0);
  std::vector<double> alpha(count, opt.cluster_alpha);
  auto clusters = summarise(net, excess, label, count, is_cluster, recovered, alpha, opt);
  if (opt.second_stage && opt.filter != EdgeFilter::None) {
    // Second stage: the evidence of a small operation is spread over many weak pairs. (a) Accounts join the
    // coordinated clusters of the first stage by their co-actions with each cluster as a whole, in rounds. (b) Among the
    // accounts still outside every cluster, groups of all tested edges (triangles, core, membership test, and ties
    // to at least min_tie_share of the group) become clusters of their own, tested at a level corrected for the
    // search; then (a) again for the clusters (b) found.
    attach_in_rounds(net, excess, clusters, label, recovered, opt);
    pairs.clear();
    for (const auto& l : net.layers)
      for (std::size_t i = 0; i < l.size(); ++i)
        if (label[l.a[i]] < 0 && label[l.b[i]] < 0 && tested(l, i, opt)) pairs.emplace_back(l.a[i], l.b[i]);
    cibgraph::detail::parallel_sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    const std::size_t first_new = count;
    // A group is a set of ties, so the candidate groups grow faster than the M ties searched: cluster_alpha / M^2
    // stands in for their number, conservatively (at cluster_alpha / M, a 4-clique of organic accounts sharing two
    // posts within a second passed).
    const double searched = std::max(1.0, static_cast<double>(pairs.size()));
    label_groups(tie_groups(net, excess, std::move(pairs), n_accounts, opt, opt.min_tie_share), label, count);
    alpha.resize(count, opt.cluster_alpha / (searched * searched));
    for (std::uint32_t v = 0; v < n_accounts; ++v)
      if (label[v] >= static_cast<std::int64_t>(first_new)) recovered[v] = 1;
    if (count > first_new) {
      clusters = summarise(net, excess, label, count, is_cluster, recovered, alpha, opt);
      attach_in_rounds(net, excess, clusters, label, recovered, opt);
    }
    clusters = summarise(net, excess, label, count, is_cluster, recovered, alpha, opt);
  }
  // Strongest first: coordinated before not, then by p-value (log scale ties by excess), then size.
  std::stable_sort(clusters.begin(), clusters.end(), [](const Cluster& x, const Cluster& y) {
    if (x.coordinated != y.coordinated) return x.coordinated;
    return stronger_cluster(x, y);
  });
  for (std::size_t c = 0; c < clusters.size(); ++c) clusters[c].id = static_cast<std::uint32_t>(c + 1);
  return clusters;
}

std::size_t join_clusters(const CoactionNetwork& net, std::vector<Cluster>& clusters, std::size_t n_accounts,
                          const SignificanceOptions& opt) {
  if (!opt.second_stage || opt.filter == EdgeFilter::None || clusters.empty()) return 0;
  std::vector<std::int64_t> label(n_accounts, -1);
  std::vector<std::uint8_t> recovered(n_accounts, 0);
  std::vector<double> alpha(clusters.size());
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    alpha[c] = clusters[c].alpha;
    for (auto m : clusters[c].members) label[m] = static_cast<std::int64_t>(c);
    for (auto m : clusters[c].recovered) recovered[m] = 1;
  }
  const std::vector<std::uint8_t> before = recovered;
  const EdgeExcess excess = edge_excess(net);
  attach_in_rounds(net, excess, clusters, label, recovered, opt);
  std::size_t joined = 0;
  for (std::size_t v = 0; v < n_accounts; ++v) joined += recovered[v] != before[v];
  if (joined == 0) return 0;
  const auto is_cluster = cluster_edges(net, n_accounts, opt);
  auto next = summarise(net, excess, label, clusters.size(), is_cluster, recovered, alpha, opt);
  std::size_t kept_joined = 0;
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    if (!next[c].coordinated && clusters[c].coordinated) continue;  // the cluster with its joiners fails: as it was
    kept_joined += next[c].members.size() - clusters[c].members.size();
    next[c].id = clusters[c].id;
    clusters[c] = std::move(next[c]);
  }
  return kept_joined;
}

}  // namespace cibgraph
