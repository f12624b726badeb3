// Cluster summaries: each cluster's members, ties, evidence and its tests against both nulls (summarise_groups);
// the edges' conditional excess the cluster search reuses (edge_excess); the order of clusters by strength.
#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cibgraph/significance.hpp"
#include "significance_internal.hpp"

namespace cibgraph {

namespace detail {
namespace {

// An unordered pair of account ids as one sortable key.
std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
  return a < b ? (std::uint64_t{a} << 32) | b : (std::uint64_t{b} << 32) | a;
}

}  // namespace

EdgeExcess edge_excess(const CoactionNetwork& net) {
  EdgeExcess out;
  out.sync.resize(net.layers.size());
  out.cotarget.resize(net.layers.size());
  for (std::size_t li = 0; li < net.layers.size(); ++li) {
    const auto& l = net.layers[li];
    out.sync[li].resize(l.size());
    out.cotarget[li].resize(l.size());
    const bool cot = has_cotarget(l);
    out.any_cotarget = out.any_cotarget || cot;
#pragma omp parallel for schedule(static)
    for (std::int64_t e = 0; e < static_cast<std::int64_t>(l.size()); ++e) {
      const auto i = static_cast<std::size_t>(e);
      out.sync[li][i] = conditional_excess(l.expected[i], common_of(l, i));
      out.cotarget[li][i] = cot ? poisson_conditional_excess(l.cotarget_expected[i]) : 0.0;
    }
  }
  return out;
}

std::vector<Cluster> summarise(const CoactionNetwork& net, const EdgeExcess& excess,
                               const std::vector<std::int64_t>& label, std::size_t count,
                               const std::vector<std::vector<std::uint8_t>>& is_cluster,
                               const std::vector<std::uint8_t>& recovered, const std::vector<double>& alpha,
                               const SignificanceOptions& opt) {
  std::vector<std::vector<std::uint8_t>> tie(net.layers.size());
  for (std::size_t li = 0; li < net.layers.size(); ++li) {
    const auto& l = net.layers[li];
    tie[li].assign(l.size(), 0);
    for (std::size_t i = 0; i < l.size(); ++i) {
      const auto ca = label[l.a[i]];
      if (ca >= 0 && ca == label[l.b[i]]) tie[li][i] = is_tie(is_cluster, recovered, l, li, i, opt);
    }
  }
  return summarise_groups(net, &excess, label, count, tie, recovered, alpha, opt);
}

std::vector<Cluster> summarise_groups(const CoactionNetwork& net, const EdgeExcess* excess,
                                      const std::vector<std::int64_t>& label, std::size_t count,
                                      const std::vector<std::vector<std::uint8_t>>& tie,
                                      const std::vector<std::uint8_t>& recovered, const std::vector<double>& alpha,
                                      const SignificanceOptions& opt) {
  std::vector<Cluster> clusters(count);
  for (std::uint32_t v = 0; v < label.size(); ++v)
    if (label[v] >= 0) {
      auto& c = clusters[static_cast<std::size_t>(label[v])];
      c.members.push_back(v);
      if (v < recovered.size() && recovered[v]) c.recovered.push_back(v);
    }
  std::vector<double> excess_obs(count, 0.0), excess_exp(count, 0.0), excess_cot(count, 0.0), excess_obs_cot(count, 0.0);
  bool with_cotarget = excess != nullptr && excess->any_cotarget;
  if (excess == nullptr)
    for (const auto& l : net.layers) with_cotarget = with_cotarget || has_cotarget(l);
  std::vector<std::vector<std::int64_t>> edge_delays(count);
  std::vector<std::uint64_t> most_tie_targets(count, 0);  // the most distinct targets of one tie
  std::vector<std::uint8_t> evidence_cut(count, 0);         // a tie keeps fewer evidence rows than its co-actions
  // The member pairs tied in any layer (a pair tied in two layers is one pair of the density), kept only when there
  // are several layers: with one, every kept edge is a distinct pair.
  const bool several_layers = net.layers.size() > 1;
  std::vector<std::vector<std::uint64_t>> tied(several_layers ? count : 0);
  std::vector<std::set<std::pair<int, std::uint32_t>>> keys(count);
  std::vector<std::set<Layer>> layers(count);
  // Per layer and key: the cluster whose key set took it last. A tie's evidence rows repeat its cluster's few keys
  // over and over, so most of them need no set lookup.
  constexpr std::size_t kNoCluster = std::numeric_limits<std::size_t>::max();
  std::vector<std::vector<std::size_t>> last_cluster(net.layers.size());
  for (std::size_t li = 0; li < net.layers.size(); ++li) {
    const auto& l = net.layers[li];
    for (std::size_t i = 0; i < l.size(); ++i) {
      const auto ca = label[l.a[i]];
      if (ca < 0 || ca != label[l.b[i]]) continue;
      const auto c_index = static_cast<std::size_t>(ca);
      auto& c = clusters[c_index];
      c.observed += l.distinct_targets[i];
      c.expected += l.expected[i];
      excess_obs[c_index] += static_cast<double>(l.distinct_targets[i]) - 1.0;
      excess_exp[c_index] += excess != nullptr ? excess->sync[li][i] : conditional_excess(l.expected[i], common_of(l, i));
      excess_cot[c_index] += excess != nullptr ? excess->cotarget[li][i] : cotarget_excess_of(l, i);
      if (i < l.cotarget_expected.size()) c.cotarget_expected += l.cotarget_expected[i];
      c.moments += cotarget_count(l, i);
      excess_obs_cot[c_index] += static_cast<double>(cotarget_count(l, i)) - 1.0;
      if (!tie[li][i]) continue;
      ++c.kept_edges;
      most_tie_targets[c_index] = std::max<std::uint64_t>(most_tie_targets[c_index], l.distinct_targets[i]);
      if (i < l.evidence_total.size() && l.evidence_total[i] > l.evidence_offsets[i + 1] - l.evidence_offsets[i])
        evidence_cut[c_index] = 1;
      if (several_layers) tied[c_index].push_back(pair_key(l.a[i], l.b[i]));
      edge_delays[c_index].push_back(l.median_delay_ms[i]);
      layers[c_index].insert(l.layer);
      auto& last = last_cluster[li];
      for (auto k = l.evidence_offsets[i]; k < l.evidence_offsets[i + 1]; ++k) {
        const auto key = l.evidence_key[k];
        if (key >= last.size()) last.resize(std::max<std::size_t>(key + 1, 2 * last.size()), kNoCluster);
        if (last[key] == c_index) continue;  // already in this cluster's set
        last[key] = c_index;
        keys[c_index].insert({static_cast<int>(l.layer), key});
      }
    }
  }
  for (std::size_t c = 0; c < count; ++c) {
    auto& cl = clusters[c];
    const double n = static_cast<double>(cl.members.size());
    if (several_layers) {
      auto& t = tied[c];
      std::sort(t.begin(), t.end());
      cl.tied_pairs = static_cast<std::uint64_t>(std::unique(t.begin(), t.end()) - t.begin());
      std::vector<std::uint64_t>().swap(t);
    } else {
      cl.tied_pairs = cl.kept_edges;
    }
    cl.density = n > 1 ? static_cast<double>(cl.tied_pairs) / (n * (n - 1) / 2) : 0;
    cl.layers.assign(layers[c].begin(), layers[c].end());
    auto& d = edge_delays[c];
    if (!d.empty()) {
      auto mid = d.begin() + static_cast<std::ptrdiff_t>((d.size() - 1) / 2);
      std::nth_element(d.begin(), mid, d.end());
      cl.median_delay_ms = *mid;
    }
    cl.targets = std::max<std::uint64_t>(keys[c].size(), most_tie_targets[c]);
    cl.targets_at_least = evidence_cut[c] != 0;
    // The test is on the co-actions beyond each pair's first, against their null expectation given that every
    // candidate pair co-acted once (selection); observed and expected above are the plain sums, for reading.
    // Each null is tested at alpha / 2 (Bonferroni over the two); the cluster's p-value is twice the smaller.
    cl.sync_p = poisson_upper_tail(excess_exp[c], excess_obs[c]);
    cl.cotarget_p = with_cotarget ? poisson_upper_tail(excess_cot[c], excess_obs_cot[c]) : 1.0;
    cl.p_value = with_cotarget ? std::min(1.0, 2 * std::min(cl.sync_p, cl.cotarget_p)) : cl.sync_p;
    cl.alpha = alpha[c];
    // The member test's rule (beats_nulls), and the plain sums must exceed min_excess too.
    cl.evidence = beats_nulls(excess_obs[c], excess_exp[c], excess_obs_cot[c], excess_cot[c], with_cotarget, cl.alpha,
                              opt.min_excess);
    if (cl.observed < opt.min_excess * cl.expected) cl.evidence &= static_cast<std::uint8_t>(~Cluster::kSynchrony);
    if (cl.moments < opt.min_excess * cl.cotarget_expected) cl.evidence &= static_cast<std::uint8_t>(~Cluster::kCoTargeting);
    cl.coordinated = cl.members.size() >= opt.min_cluster_size && cl.evidence != 0;
  }
  return clusters;
}

}  // namespace detail

std::vector<Cluster> summarise_clusters(const CoactionNetwork& net, const std::vector<std::int64_t>& label,
                                        std::size_t count, const std::vector<std::vector<std::uint8_t>>& tie,
                                        const std::vector<std::uint8_t>& recovered, const std::vector<double>& alpha,
                                        const SignificanceOptions& opt) {
  return detail::summarise_groups(net, nullptr, label, count, tie, recovered, alpha, opt);
}

std::string cluster_evidence_name(std::uint8_t evidence) {
  const bool sync = evidence & Cluster::kSynchrony, cot = evidence & Cluster::kCoTargeting;
  if (sync && cot) return "synchrony+co-targeting";
  if (sync) return "synchrony";
  if (cot) return "co-targeting";
  return "";
}

bool stronger_cluster(const Cluster& x, const Cluster& y) {
  if (x.p_value != y.p_value) return x.p_value < y.p_value;
  const double ex = x.observed - x.expected, ey = y.observed - y.expected;
  if (ex != ey) return ex > ey;
  return x.members.size() > y.members.size();
}

}  // namespace cibgraph
