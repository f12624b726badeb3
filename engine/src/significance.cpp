#include "cibgraph/significance.hpp"

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <omp.h>
#include <parallel/algorithm>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <utility>
#include <set>

#include "cibgraph/error.hpp"
#include "cibgraph/pair_counts.hpp"

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

double binomial_upper_tail(std::uint32_t n, double p, std::uint32_t k) {
  if (k == 0) return 1.0;
  if (k > n) return 0.0;
  if (p <= 0) return 0.0;
  if (p >= 1) return 1.0;
  // P(X >= 1) = 1 - (1 - p)^n in closed form; else P(X >= k) = I_p(k, n - k + 1), in double precision (boost
  // would otherwise promote to long double, several times slower on the hot path of millions of edges).
  if (k == 1) return -std::expm1(static_cast<double>(n) * std::log1p(-p));
  using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
  return boost::math::ibeta(static_cast<double>(k), static_cast<double>(n - k + 1), p, Policy());
}

double poisson_upper_tail(double lambda, double k) {
  if (k <= 0) return 1.0;
  if (lambda <= 0) return 0.0;
  // P(X >= k) = P(k, lambda), the regularised lower incomplete gamma function, for integer k.
  return boost::math::gamma_p(std::ceil(k), lambda);
}

namespace {

// Benjamini-Hochberg over candidates (p, index) of m p-values in all: only p-values <= q can pass (r q / m <= q for
// every rank r <= m), and they rank before all the others, so only they are sorted, by (p, index), a total order
// (what a stable sort of all of them would give). Returns how many of the sorted candidates are rejected: the
// largest rank r (1-based) with p_(r) <= r q / m.
std::size_t bh_rejected_prefix(std::vector<std::pair<double, std::size_t>>& candidates, std::size_t m, double q) {
  __gnu_parallel::sort(candidates.begin(), candidates.end());
  std::size_t last = 0;
  for (std::size_t r = 1; r <= candidates.size(); ++r)
    if (candidates[r - 1].first <= static_cast<double>(r) * q / static_cast<double>(m)) last = r;
  return last;
}

}  // namespace

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

namespace {

// P(|X - Y| <= w_s) for X uniform over xs, Y uniform over ys (both sorted), for the windows w_s = window >> s,
// s < scales, from exact counts of pairs (pair_counts.hpp).
void prob_within(const std::int64_t* xs, std::size_t nx, const std::int64_t* ys, std::size_t ny, std::int64_t window,
                 int scales, double* out) {
  std::uint64_t count[kMaxPairCountScales];
  count_pairs_within(xs, nx, ys, ny, window, scales, count);
  const double pairs = static_cast<double>(nx) * static_cast<double>(ny);
  for (int s = 0; s < scales; ++s) out[s] = pairs > 0 ? static_cast<double>(count[s]) / pairs : 0.0;
}

// Keys both accounts acted on; tables built by hand may leave common_keys empty.
std::uint32_t common_of(const LayerEdges& l, std::size_t i) {
  return std::max(i < l.common_keys.size() ? l.common_keys[i] : 0u, l.distinct_targets[i]);
}

// An edge with enough distinct targets and co-actions for a p-value below 1.
bool tested(const LayerEdges& l, std::size_t i, const SignificanceOptions& opt) {
  return l.distinct_targets[i] >= opt.min_distinct_targets && l.co_actions[i] >= opt.min_co_actions;
}

}  // namespace

void apply_null_model(LayerEdges& layer, std::int64_t window_ms, const ProgressCallback& progress) {
  const NullInputs& ni = layer.null_inputs;
  const auto m = static_cast<std::int64_t>(layer.size());
  layer.expected.assign(layer.size(), 0.0);
  layer.p_value.assign(layer.size(), 1.0);
  constexpr int S = LayerEdges::kScales;
  const bool multi_scale = layer.scale_targets.size() == layer.size() * (S - 1) && window_ms >= (1 << (S - 1));
  const int max_scales = multi_scale ? S : 1;
  const bool has_keys = !ni.key_floor.empty();
  const bool no_capped = ni.capped_offsets.empty() &&
                         std::all_of(ni.key_bound_ratio.begin(), ni.key_bound_ratio.end(), [](float r) { return r >= 1.0f; });
  const bool precomputed = has_keys && ni.edge_whole_floor.size() == layer.size() &&
                           layer.common_keys.size() == layer.size() &&
                           ((ni.capped_offsets.size() == ni.account_offsets.size() &&
                             ni.edge_capped_key.size() == layer.size()) ||
                            no_capped);
  // Per capped key (bound below the window): its per-scale terms, computed once instead of per pair, with the same
  // operations. cover = covered / scale, the share of the scale the key's bound covers: scale is a power of two, so
  // p * cover is bit for bit (p * covered) / scale; crowd = Q_k at the scale.
  struct CappedTerms {
    double cover[S];
    double crowd[S];
  };
  std::vector<std::uint32_t> capped_slot;  // per key: 1 + its index in capped_terms, 0 for a whole-window key
  std::vector<CappedTerms> capped_terms;
  if (has_keys && !no_capped) {
    capped_slot.assign(ni.key_bound_ratio.size(), 0);
    for (std::size_t k = 0; k < ni.key_bound_ratio.size(); ++k) {
      if (ni.key_bound_ratio[k] >= 1.0f) continue;
      const double r = ni.key_bound_ratio[k];  // bound / window
      const double q = ni.key_floor[k];        // at the bound
      CappedTerms t{};
      for (int s = 0; s < S; ++s) {
        const double scale = 1.0 / static_cast<double>(1 << s);  // w_s / window
        const double covered = std::min(r, scale);                // bound at this scale / window
        t.cover[s] = covered / scale;
        t.crowd[s] = r > 0 ? q * covered / r : 0.0;
      }
      capped_terms.push_back(t);
      capped_slot[k] = static_cast<std::uint32_t>(capped_terms.size());
    }
  }
  // Progress and interruption: the edges go in blocks; thread 0 reports after each of its blocks (the callback may
  // take a lock, e.g. Python's GIL, so only one thread calls it), and once asked to stop every thread skips the
  // blocks left.
  constexpr std::int64_t kBlock = 4096;
  std::atomic<std::uint64_t> done{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t block = 0; block < (m + kBlock - 1) / kBlock; ++block) {
    if (stop.load(std::memory_order_relaxed)) continue;
    const std::int64_t block_end = std::min(m, (block + 1) * kBlock);
    for (std::int64_t e = block * kBlock; e < block_end; ++e) {
      const auto i = static_cast<std::size_t>(e);
      // The edges come by a, so a's delays stay in cache while each b's lie anywhere in memory: b's offsets are
      // fetched ahead by 2 x kAhead edges and b's first delays (up to three cache lines) by kAhead, so the misses
      // overlap instead of stalling one edge at a time (about a tenth of the null model's time at 10^7 events).
      constexpr std::int64_t kAhead = 16;
      if (e + 2 * kAhead < m) __builtin_prefetch(&ni.delay_offsets[layer.b[i + 2 * kAhead]]);
      if (e + kAhead < m) {
        const auto ahead = layer.b[i + kAhead];
        const std::int64_t* next = ni.delays_ms.data() + ni.delay_offsets[ahead];
        const auto length = ni.delay_offsets[ahead + 1] - ni.delay_offsets[ahead];
        __builtin_prefetch(next);
        if (length > 4) __builtin_prefetch(next + 8);
        if (length > 12) __builtin_prefetch(next + 16);
      }
      const auto a = layer.a[i], b = layer.b[i];
      const std::int64_t* da = ni.delays_ms.data() + ni.delay_offsets[a];
      const std::int64_t* db = ni.delays_ms.data() + ni.delay_offsets[b];
      const std::size_t na = ni.delay_offsets[a + 1] - ni.delay_offsets[a], nb = ni.delay_offsets[b + 1] - ni.delay_offsets[b];
      double p[S], expected[S] = {0, 0, 0, 0};
      // One co-acted target is never evidence (p = 1 at the window, and every finer count is at most 1): such pairs,
      // most of any network, need only the expectation at the window.
      const int scales = layer.distinct_targets[i] >= 2 ? max_scales : 1;
      prob_within(da, na, db, nb, window_ms, scales, p);
      // Per common key k and scale w_s = window / 2^s: P_k = 1 - (1 - P_ab(w_s) r_k)(1 - Q_k(w_s)): co-acting by the
      // accounts' habits or by the key's own organic crowd (key_floor, linear in the bound below the organic scale),
      // with r_k the share of w_s the key's delay bound covers (below 1 only for a capped popular key; the habits
      // part is scaled linearly there, an approximation).
      // A key whose bound is the whole window (every key but a capped popular one: r = 1) adds
      // 1 - (1 - P_ab(w_s))(1 - Q_k w_s / w) = P_ab(w_s) + (1 - P_ab(w_s)) Q_k w_s / w: summed over such keys, only
      // their number and the sum of their Q_k are needed, so the walk over common keys does no per-scale work.
      std::uint32_t common = 0, whole = 0;
      double floor_sum = 0.0;
      auto capped_key = [&](std::uint32_t k) {  // a common key whose bound is below the window
        const CappedTerms& t = capped_terms[capped_slot[k] - 1];
        for (int s = 0; s < scales; ++s) expected[s] += 1 - (1 - p[s] * t.cover[s]) * (1 - t.crowd[s]);
      };
      if (precomputed) {
        // The projection summed the whole-window keys' floors and noted the pair's capped key; only a pair with
        // several walks the capped-key lists (short).
        common = layer.common_keys[i];
        floor_sum = ni.edge_whole_floor[i];
        std::uint32_t capped = 0;
        const std::uint32_t noted = no_capped ? NullInputs::kNoCappedKey : ni.edge_capped_key[i];
        if (noted != NullInputs::kNoCappedKey && noted != NullInputs::kSeveralCappedKeys) {
          capped = 1;
          capped_key(noted);
        } else if (noted == NullInputs::kSeveralCappedKeys) {
          auto pa = ni.capped_offsets[a], pb = ni.capped_offsets[b];
          const auto ea = ni.capped_offsets[a + 1], eb = ni.capped_offsets[b + 1];
          while (pa < ea && pb < eb) {
            const auto ka = ni.account_keys[ni.capped_positions[pa]], kb = ni.account_keys[ni.capped_positions[pb]];
            if (ka == kb) {
              ++capped;
              capped_key(ka);
            }
            pa += ka <= kb;
            pb += kb <= ka;
          }
        }
        whole = common - capped;
      } else {
        ni.for_each_common_key(a, b, [&](std::uint64_t pa, std::uint64_t) {
          ++common;
          const auto k = ni.account_keys[pa];
          if (!has_keys || ni.key_bound_ratio[k] >= 1.0f) {
            ++whole;
            floor_sum += has_keys ? ni.key_floor[k] : 0.0;
            return;
          }
          capped_key(k);
        });
      }
      for (int s = 0; s < scales; ++s) {
        const double scale = 1.0 / static_cast<double>(1 << s);
        expected[s] += whole * p[s] + (1 - p[s]) * scale * floor_sum;
      }
      const std::uint32_t c = std::max(common, common_of(layer, i));
      for (int s = 0; s < scales; ++s)
        if (common < c) expected[s] += (c - common) * p[s];  // keys the lists do not show (tables built by hand)
      layer.expected[i] = expected[0];
      // X_s, the keys co-acted within w_s, is Poisson-binomial; its upper tail and P(X_0 >= 1) are bounded by those
      // of Binomial(C, mean P_k) (Hoeffding 1956), which makes each p-value conservative. Only pairs with X_0 >= 1 are
      // tested, so each is conditional: P(X_s >= x_s | X_0 >= 1) = P(X_s >= x_s) / P(X_0 >= 1) for x_s >= 1. The pair's
      // p-value is the smallest over the scales times their number (Bonferroni): a campaign's seconds-apart
      // co-actions stand out at the finer scales, where organic crowds thin out in proportion.
      const double mean0 = c > 0 ? std::min(1.0, expected[0] / c) : 0.0;
      // P(X_0 >= 1) is 0 exactly when there is no common key or the mean is 0 (binomial_upper_tail's first cases;
      // otherwise 1 - (1 - mean0)^c > 0): the observed co-action had no chance under the null.
      if (c == 0 || mean0 <= 0) {
        layer.p_value[i] = 0.0;
        continue;
      }
      if (scales == 1 && layer.distinct_targets[i] == 1) {
        layer.p_value[i] = 1.0;  // P(X_0 >= 1 | X_0 >= 1): most pairs of any network, with no tail to compute
        continue;
      }
      const double at_least_one = binomial_upper_tail(c, mean0, 1);  // > 0 here
      double best = 1.0;
      for (int s = 0; s < scales; ++s) {
        const std::uint32_t x = s == 0 ? layer.distinct_targets[i] : layer.scale_targets[i * (S - 1) + static_cast<std::size_t>(s - 1)];
        if (x == 0) continue;
        const double mean = c > 0 ? std::min(1.0, expected[s] / c) : 0.0;
        best = std::min(best, binomial_upper_tail(c, mean, x) / at_least_one);
      }
      layer.p_value[i] = std::min(1.0, best * max_scales);
    }
    const auto now = done.fetch_add(static_cast<std::uint64_t>(block_end - block * kBlock)) +
                     static_cast<std::uint64_t>(block_end - block * kBlock);
    if (progress && omp_get_thread_num() == 0) {
      try {
        if (!progress(ProgressUpdate{"edge tests", now, static_cast<std::uint64_t>(m), "edges"})) stop.store(true);
      } catch (...) {
#pragma omp critical(cibgraph_null_model_failure)
        if (!failure) failure = std::current_exception();
        stop.store(true);
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  if (stop.load()) throw Interrupted();
  // The second test, co-targeting beyond popularity, then one p-value per edge: Bonferroni over the two tests.
  layer.sync_p = layer.p_value;
  apply_cotarget_null(layer);
  combine_edge_tests(layer);
  // Thread 0 (the caller's thread, where Python can check for Ctrl-C) may have had no block: one last report.
  report_progress(progress, "edge tests", static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(m), "edges");
}

void combine_edge_tests(LayerEdges& layer) {
  const std::size_t m = layer.size();
  layer.p_value.resize(m);
  for (std::size_t i = 0; i < m; ++i) {
    const double sync = i < layer.sync_p.size() ? layer.sync_p[i] : 1.0;
    const double cot = i < layer.cotarget_p.size() ? layer.cotarget_p[i] : 1.0;
    layer.p_value[i] = std::min(1.0, 2.0 * std::min(sync, cot));
  }
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
  for (const auto& l : net.layers) kept += static_cast<std::uint64_t>(std::count(l.kept.begin(), l.kept.end(), 1));
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

namespace {

// E[X | X >= 1] - 1 for X ~ Binomial(c, expected / c): what a candidate pair (selected for co-acting at least once)
// is expected to co-act beyond its first co-action under the null.
double conditional_excess(double expected, std::uint32_t c) {
  if (c == 0 || expected <= 0) return 0.0;
  const double p = std::min(1.0, expected / c);
  const double at_least_one = -std::expm1(static_cast<double>(c) * std::log1p(-std::min(p, 1.0 - 1e-15)));
  return at_least_one > 0 ? std::max(0.0, expected / at_least_one - 1.0) : 0.0;
}

// E[X | X >= 1] - 1 for X ~ Poisson(lambda): the same under the co-targeting null.
double poisson_conditional_excess(double lambda) {
  if (!(lambda > 0)) return 0.0;
  const double at_least_one = -std::expm1(-lambda);
  return at_least_one > 0 ? std::max(0.0, lambda / at_least_one - 1.0) : 0.0;
}

double cotarget_excess_of(const LayerEdges& l, std::size_t i) {
  return i < l.cotarget_expected.size() ? poisson_conditional_excess(l.cotarget_expected[i]) : 0.0;
}
bool has_cotarget(const LayerEdges& l) { return l.cotarget_expected.size() == l.size(); }

// Per layer and edge: the edge's conditional excess under each null (habits: conditional_excess; popularity:
// poisson_conditional_excess), computed once on every core for the cluster search, whose rounds would otherwise
// compute them again for the same edges in every pass (the same functions: the same bits).
struct EdgeExcess {
  std::vector<std::vector<double>> sync, cotarget;
  bool any_cotarget = false;  // some layer carries the co-targeting test (networks read from old stores do not)
};
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

// Which null a group's (or an account's) co-actions beyond each pair's first beat (for the co-targeting null, its
// co-acted keys at distinct moments, cotarget_count): each null's Poisson tail below
// alpha / 2 (Bonferroni over the two) and min_excess times over. Without the co-targeting test (old stores), the
// habits null alone at alpha.
constexpr std::uint8_t kBeyondHabits = 1, kBeyondPopularity = 2;
std::uint8_t beats_nulls(double observed, double sync_expected, double cotarget_observed, double cotarget_expected,
                         bool with_cotarget, double alpha, double min_excess) {
  const double level = with_cotarget ? alpha / 2 : alpha;
  std::uint8_t out = 0;
  if (poisson_upper_tail(sync_expected, observed) < level && observed >= min_excess * sync_expected) out |= kBeyondHabits;
  if (with_cotarget && poisson_upper_tail(cotarget_expected, cotarget_observed) < level &&
      cotarget_observed >= min_excess * cotarget_expected)
    out |= kBeyondPopularity;
  return out;
}

// The edges of `pairs` (sorted, unique, a < b) that lie in at least `support` triangles of kept edges, found by
// peeling: an edge below the support leaves, and the edges of the triangles it closed are checked again. Support is
// counted only up to `support` (intersections stop early), so dense groups cost little. A coordinated group is a
// near-clique, every tie backed by shared partners; chance ties between organic accounts rarely close triangles.
std::vector<std::uint8_t> truss_edges(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs,
                                      std::size_t n_accounts, std::uint32_t support) {
  const std::size_t m = pairs.size();
  std::vector<std::uint8_t> kept(m, 1);
  if (support == 0) return kept;
  std::vector<std::uint64_t> start(n_accounts + 1, 0);
  for (const auto& [a, b] : pairs) {
    ++start[a + 1];
    ++start[b + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::uint32_t> nbr(start.back());
  std::vector<std::uint64_t> eid(start.back());
  {
    std::vector<std::uint64_t> next(start.begin(), start.end() - 1);
    for (std::size_t e = 0; e < m; ++e) {  // pairs sorted: every list comes out sorted by neighbour
      const auto [a, b] = pairs[e];
      nbr[next[a]] = b;
      eid[next[a]++] = e;
      nbr[next[b]] = a;
      eid[next[b]++] = e;
    }
  }
  // Calls f(edge u-w, edge v-w) for each w adjacent to both u and v by kept edges, until f returns false.
  auto common = [&](std::uint32_t u, std::uint32_t v, auto&& f) {
    auto i = start[u], j = start[v];
    while (i < start[u + 1] && j < start[v + 1]) {
      if (nbr[i] < nbr[j]) {
        ++i;
      } else if (nbr[j] < nbr[i]) {
        ++j;
      } else {
        if (kept[eid[i]] && kept[eid[j]] && !f(eid[i], eid[j])) return;
        ++i;
        ++j;
      }
    }
  };
  auto enough = [&](std::uint64_t e) {
    std::uint32_t n = 0;
    common(pairs[e].first, pairs[e].second, [&](std::uint64_t, std::uint64_t) { return ++n < support; });
    return n >= support;
  };
  std::vector<std::uint64_t> queue;
  for (std::size_t e = 0; e < m; ++e)
    if (!enough(e)) queue.push_back(e);
  while (!queue.empty()) {
    const auto e = queue.back();
    queue.pop_back();
    if (!kept[e]) continue;
    kept[e] = 0;
    std::vector<std::uint64_t> touched;
    common(pairs[e].first, pairs[e].second, [&](std::uint64_t x, std::uint64_t y) {
      touched.push_back(x);
      touched.push_back(y);
      return true;
    });
    for (auto t : touched)
      if (kept[t] && !enough(t)) queue.push_back(t);
  }
  return kept;
}

}  // namespace

namespace {

using PairList = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
constexpr std::uint32_t kNoGroup = std::numeric_limits<std::uint32_t>::max();

// Groups of accounts tied by `pairs` (sorted, unique, a < b): the ties that close min_triangles triangles, then until
// nothing changes (1) the min_core-core among live accounts, (2) its components, (3) the membership test: an account
// stays when its co-actions with the rest of its component, beyond the first one per pair (every candidate pair
// co-acted once by selection), exceed what the null expects of those pairs given that selection, with Poisson tail
// p below member_alpha and min_excess times over. An organic account tied to a campaign by a few chance co-actions,
// or a hyperactive account in a viral crowd, fails it; a campaign member co-acts with many of the others again and
// again. Returns the group of each account (its smallest member), kNoGroup outside every group.
std::vector<std::uint32_t> tie_groups(const CoactionNetwork& net, const EdgeExcess& excess, PairList pairs,
                                      std::size_t n_accounts, const SignificanceOptions& opt, double min_tie_share) {
  {
    const auto in_truss = truss_edges(pairs, n_accounts, opt.min_triangles);
    std::size_t w = 0;
    for (std::size_t e = 0; e < pairs.size(); ++e)
      if (in_truss[e]) pairs[w++] = pairs[e];
    pairs.resize(w);
  }
  std::vector<std::uint32_t> parent(n_accounts);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<std::uint64_t> start(n_accounts + 1, 0);
  for (const auto& [a, b] : pairs) {
    ++start[a + 1];
    ++start[b + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::uint32_t> adjacent(start.back());
  {
    std::vector<std::uint64_t> next(start.begin(), start.end() - 1);
    for (const auto& [a, b] : pairs) {
      adjacent[next[a]++] = b;
      adjacent[next[b]++] = a;
    }
  }
  std::vector<std::uint8_t> alive(n_accounts, 0);
  for (std::uint32_t v = 0; v < n_accounts; ++v) alive[v] = start[v + 1] > start[v];
  std::vector<std::uint32_t> degree(n_accounts);
  std::vector<std::uint32_t> queue;
  std::vector<double> obs(n_accounts), exp(n_accounts), obs_cot(n_accounts), exp_cot(n_accounts);
  for (int round = 0; round < 64; ++round) {
    for (std::uint32_t v = 0; v < n_accounts; ++v) {
      if (!alive[v]) continue;
      std::uint32_t d = 0;
      for (auto k = start[v]; k < start[v + 1]; ++k) d += alive[adjacent[k]];
      degree[v] = d;
      if (d < opt.min_core) {
        alive[v] = 0;
        queue.push_back(v);
      }
    }
    while (!queue.empty()) {
      const auto v = queue.back();
      queue.pop_back();
      for (auto k = start[v]; k < start[v + 1]; ++k) {
        const auto u = adjacent[k];
        if (alive[u] && --degree[u] < opt.min_core) {
          alive[u] = 0;
          queue.push_back(u);
        }
      }
    }
    std::iota(parent.begin(), parent.end(), 0);
    for (const auto& [a, b] : pairs) {
      if (!alive[a] || !alive[b]) continue;
      auto ra = find(a), rb = find(b);
      if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
    }
    std::fill(obs.begin(), obs.end(), 0.0);
    std::fill(exp.begin(), exp.end(), 0.0);
    std::fill(exp_cot.begin(), exp_cot.end(), 0.0);
    std::fill(obs_cot.begin(), obs_cot.end(), 0.0);
    for (std::size_t li = 0; li < net.layers.size(); ++li) {
      const auto& l = net.layers[li];
      for (std::size_t i = 0; i < l.size(); ++i) {
        const auto a = l.a[i], b = l.b[i];
        if (!alive[a] || !alive[b] || find(a) != find(b)) continue;
        const double x = static_cast<double>(l.distinct_targets[i]) - 1.0;
        const double e = excess.sync[li][i], ec = excess.cotarget[li][i];
        const double xc = static_cast<double>(cotarget_count(l, i)) - 1.0;
        obs[a] += x;
        obs[b] += x;
        obs_cot[a] += xc;
        obs_cot[b] += xc;
        exp[a] += e;
        exp[b] += e;
        exp_cot[a] += ec;
        exp_cot[b] += ec;
      }
    }
    std::vector<std::uint32_t> size(n_accounts, 0);
    if (min_tie_share > 0)
      for (std::uint32_t v = 0; v < n_accounts; ++v)
        if (alive[v]) ++size[find(v)];
    bool changed = false;
    for (std::uint32_t v = 0; v < n_accounts; ++v) {
      if (!alive[v]) continue;
      if (beats_nulls(obs[v], exp[v], obs_cot[v], exp_cot[v], excess.any_cotarget, opt.member_alpha, opt.min_excess) == 0 ||
          (min_tie_share > 0 && degree[v] < min_tie_share * (size[find(v)] - 1))) {
        alive[v] = 0;
        changed = true;
      }
    }
    if (!changed) break;
  }
  std::vector<std::uint32_t> group(n_accounts, kNoGroup);
  for (std::uint32_t v = 0; v < n_accounts; ++v)
    if (alive[v]) group[v] = find(v);
  return group;
}

// A cluster tie: a cluster edge, or a tested edge of an account that joined in the second stage.
bool is_tie(const std::vector<std::vector<std::uint8_t>>& is_cluster, const std::vector<std::uint8_t>& recovered,
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
    cl.density = n > 1 ? static_cast<double>(cl.kept_edges) / (n * (n - 1) / 2) : 0;
    cl.layers.assign(layers[c].begin(), layers[c].end());
    auto& d = edge_delays[c];
    if (!d.empty()) {
      auto mid = d.begin() + static_cast<std::ptrdiff_t>((d.size() - 1) / 2);
      std::nth_element(d.begin(), mid, d.end());
      cl.median_delay_ms = *mid;
    }
    cl.targets = keys[c].size();
    // The test is on the co-actions beyond each pair's first, against their null expectation given that every
    // candidate pair co-acted once (selection); observed and expected above are the plain sums, for reading.
    // Each null is tested at alpha / 2 (Bonferroni over the two); the cluster's p-value is twice the smaller.
    cl.sync_p = poisson_upper_tail(excess_exp[c], excess_obs[c]);
    cl.cotarget_p = with_cotarget ? poisson_upper_tail(excess_cot[c], excess_obs_cot[c]) : 1.0;
    cl.p_value = with_cotarget ? std::min(1.0, 2 * std::min(cl.sync_p, cl.cotarget_p)) : cl.sync_p;
    cl.alpha = alpha[c];
    const double level = with_cotarget ? cl.alpha / 2 : cl.alpha;
    cl.evidence = 0;
    if (cl.sync_p < level && excess_obs[c] >= opt.min_excess * excess_exp[c] &&
        cl.observed >= opt.min_excess * cl.expected)
      cl.evidence |= Cluster::kSynchrony;
    if (with_cotarget && cl.cotarget_p < level && excess_obs_cot[c] >= opt.min_excess * excess_cot[c] &&
        cl.moments >= opt.min_excess * cl.cotarget_expected)
      cl.evidence |= Cluster::kCoTargeting;
    cl.coordinated = cl.members.size() >= opt.min_cluster_size && cl.evidence != 0;
  }
  return clusters;
}

}  // namespace

std::vector<Cluster> summarise_clusters(const CoactionNetwork& net, const std::vector<std::int64_t>& label,
                                        std::size_t count, const std::vector<std::vector<std::uint8_t>>& tie,
                                        const std::vector<std::uint8_t>& recovered, const std::vector<double>& alpha,
                                        const SignificanceOptions& opt) {
  return summarise_groups(net, nullptr, label, count, tie, recovered, alpha, opt);
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

namespace {

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
      if (beaten & kBeyondHabits) p = std::min(p, factor * poisson_upper_tail(e.exp, e.obs));
      if (beaten & kBeyondPopularity) p = std::min(p, factor * poisson_upper_tail(e.exp_cot, e.obs_cot));
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
  __gnu_parallel::sort(pairs.begin(), pairs.end());  // a total order: the same for any thread count
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
    __gnu_parallel::sort(pairs.begin(), pairs.end());
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
#pragma omp parallel for schedule(static) reduction(+ : added)
    for (std::int64_t e = 0; e < static_cast<std::int64_t>(l.size()); ++e) {
      const auto i = static_cast<std::size_t>(e);
      if (!l.kept[i] && cluster_of[l.a[i]] != 0 && cluster_of[l.a[i]] == cluster_of[l.b[i]] &&
          is_tie(is_cluster, recovered, l, li, i, opt)) {
        l.kept[i] = 1;
        ++added;
      }
    }
  }
  return added;
}

}  // namespace cibgraph
