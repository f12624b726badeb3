// The co-targeting null: which targets two accounts act on, beyond the targets' popularity and the accounts'
// activity (a bipartite configuration model over events, after Pacheco et al., "Uncovering Coordinated Networks on
// Social Media", ICWSM 2021, where co-targeting is the signal). See significance.hpp for the model and why it is
// needed beside the habits (synchrony) null.
//
// Per layer: e_a events of account a, m_k events on key k, E events in all. Under the null, a's events land on
// keys in proportion to their popularity, independently of b's: a acts on k e_a m_k / E times on average, and two
// events on k fall within k's bound of each other with probability s_k (NullInputs::key_window_share: the key's own
// timing, whatever made it). The expected number of pairs of a's and b's events on k within the bound is then
//     mu_abk = e_a e_b m_k^2 s_k / E^2,
// and the chance that the pair co-acts on k at all is at most min(1, mu_abk) (Markov; accounts that act on a key
// again and again, hashtags and retweeted users, are why events and not distinct keys are counted). The count X of
// keys the pair co-acts on has mean at most
//     lambda_ab = sum_k min(1, e_a e_b v_k / E^2),   v_k = m_k^2 s_k.
// With the keys ordered by v_k (descending) and suffix sums of v_k, lambda_ab is one binary search: the keys with
// v_k >= E^2 / (e_a e_b) count 1 each, the rest e_a e_b v_k / E^2. Cost: O(K log K) per layer, O(log K) per edge.
//
// X is a sum of independent Bernoulli variables (Poisson-binomial); its upper tail above the mean is bounded by the
// Poisson tail of the same mean (Poisson-binomial <= binomial <= Poisson in the convex order; Hoeffding 1956), and
// lambda_ab bounds the mean from above, so the p-value is conservative. The count tested is not X but the co-acted
// keys at distinct moments (LayerEdges::moments, at most X): keys co-acted in one burst are not independent draws
// (the announcement minute in which everyone retweets the same accounts), and P(moments >= x) <= P(X >= x). Only
// pairs with X >= 1 exist, so the p-value is conditional on that selection: p = P(X >= x) / P(X >= 1); one moment
// has p = 1.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "cibgraph/significance.hpp"

namespace cibgraph {

namespace {

// The keys' v_k = m_k^2 s_k in descending order with their suffix sums, and each account's events.
struct PopularityTable {
  double total_events = 0;            // E
  std::vector<double> weight;         // v_k, descending
  std::vector<double> weight_suffix;  // sum of weight[r..], size K + 1
  std::vector<double> account_events; // e_a
};

PopularityTable popularity_table(const NullInputs& ni) {
  PopularityTable t;
  const std::size_t n_accounts = ni.account_offsets.size() - 1;
  std::size_t n_keys = ni.key_window_share.size();
  for (const auto k : ni.account_keys) n_keys = std::max<std::size_t>(n_keys, static_cast<std::size_t>(k) + 1);
  const bool counted = ni.account_key_counts.size() == ni.account_keys.size();
  std::vector<double> key_events(n_keys, 0.0);
  t.account_events.assign(n_accounts, 0.0);
  for (std::size_t a = 0; a < n_accounts; ++a)
    for (auto p = ni.account_offsets[a]; p < ni.account_offsets[a + 1]; ++p) {
      const double c = counted ? ni.account_key_counts[p] : 1.0;
      key_events[ni.account_keys[p]] += c;
      t.account_events[a] += c;
      t.total_events += c;
    }
  // Without the keys' timing (a table built by hand), every pair of a key's events counts: the largest mean.
  const bool timed = ni.key_window_share.size() == n_keys;
  t.weight.resize(n_keys);
  for (std::size_t k = 0; k < n_keys; ++k)
    t.weight[k] = key_events[k] * key_events[k] * (timed ? static_cast<double>(ni.key_window_share[k]) : 1.0);
  std::sort(t.weight.begin(), t.weight.end(), std::greater<>());
  t.weight_suffix.assign(n_keys + 1, 0.0);
  for (std::size_t r = n_keys; r-- > 0;) t.weight_suffix[r] = t.weight_suffix[r + 1] + t.weight[r];
  return t;
}

}  // namespace

std::uint32_t cotarget_count(const LayerEdges& layer, std::size_t edge) {
  return layer.moments.size() == layer.size() ? std::min(layer.moments[edge], layer.distinct_targets[edge])
                                              : layer.distinct_targets[edge];
}

double poisson_conditional_p(double lambda, std::uint32_t observed) {
  if (observed <= 1) return 1.0;
  if (!(lambda > 0)) return 0.0;  // the observed co-actions had no chance under the null
  const double at_least_one = -std::expm1(-lambda);
  return std::min(1.0, poisson_upper_tail(lambda, observed) / at_least_one);
}

void apply_cotarget_null(LayerEdges& layer) {
  const NullInputs& ni = layer.null_inputs;
  const std::size_t m = layer.size();
  layer.cotarget_expected.assign(m, 0.0);
  layer.cotarget_p.assign(m, 1.0);
  if (ni.account_offsets.size() < 2 || ni.account_keys.empty()) return;  // no inputs: no test (p = 1)
  const PopularityTable t = popularity_table(ni);
  if (!(t.total_events > 0)) return;
  const double e2 = t.total_events * t.total_events;
#pragma omp parallel for schedule(static)
  for (std::int64_t e = 0; e < static_cast<std::int64_t>(m); ++e) {
    const auto i = static_cast<std::size_t>(e);
    const double scale = t.account_events[layer.a[i]] * t.account_events[layer.b[i]] / e2;
    // Keys with scale * v_k >= 1 count 1 each (a prefix of the descending order), the rest scale * v_k. Most pairs
    // cap no key at all (scale * v_max < 1): no search, and no random walk through the K weights.
    const auto capped =
        t.weight.empty() || scale * t.weight.front() < 1.0
            ? std::size_t{0}
            : static_cast<std::size_t>(
                  std::partition_point(t.weight.begin(), t.weight.end(), [&](double v) { return scale * v >= 1.0; }) -
                  t.weight.begin());
    const double lambda = static_cast<double>(capped) + scale * t.weight_suffix[capped];
    layer.cotarget_expected[i] = lambda;
    layer.cotarget_p[i] = poisson_conditional_p(lambda, cotarget_count(layer, i));
  }
}

}  // namespace cibgraph
