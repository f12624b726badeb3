// The habits (synchrony) null: per edge, the chance the pair co-acts within the window and its finer scales by the
// accounts' own timing habits and the keys' organic crowds; the edge tests' p-values, and their combination with the
// co-targeting test (cotarget_null.cpp). See significance.hpp for the model.
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/pair_counts.hpp"
#include "cibgraph/significance.hpp"
#include "significance_internal.hpp"

namespace cibgraph {

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

using detail::common_of;

// P(|X - Y| <= w_s) for X uniform over xs, Y uniform over ys (both sorted), for the windows w_s = window >> s,
// s < scales, from exact counts of pairs (pair_counts.hpp).
void prob_within(const std::int64_t* xs, std::size_t nx, const std::int64_t* ys, std::size_t ny, std::int64_t window,
                 int scales, double* out) {
  std::uint64_t count[kMaxPairCountScales];
  count_pairs_within(xs, nx, ys, ny, window, scales, count);
  const double pairs = static_cast<double>(nx) * static_cast<double>(ny);
  for (int s = 0; s < scales; ++s) out[s] = pairs > 0 ? static_cast<double>(count[s]) / pairs : 0.0;
}

constexpr int S = LayerEdges::kScales;

// Per capped key (bound below the window): its per-scale terms, computed once instead of per pair, with the same
// operations. cover = covered / scale, the share of the scale the key's bound covers: scale is a power of two, so
// p * cover is bit for bit (p * covered) / scale; crowd = Q_k at the scale.
struct CappedTerms {
  double cover[S];
  double crowd[S];
};

// What apply_null_model decides once per layer: how many scales, which inputs the projection precomputed, and the
// capped keys' terms.
struct NullModelPlan {
  int max_scales = 1;
  bool has_keys = false;
  bool no_capped = false;
  bool precomputed = false;
  std::vector<std::uint32_t> capped_slot;  // per key: 1 + its index in capped_terms, 0 for a whole-window key
  std::vector<CappedTerms> capped_terms;
};

NullModelPlan plan_null_model(const LayerEdges& layer, std::int64_t window_ms) {
  const NullInputs& ni = layer.null_inputs;
  NullModelPlan plan;
  const bool multi_scale = layer.scale_targets.size() == layer.size() * (S - 1) && window_ms >= (1 << (S - 1));
  plan.max_scales = multi_scale ? S : 1;
  plan.has_keys = !ni.key_floor.empty();
  plan.no_capped = ni.capped_offsets.empty() &&
                   std::all_of(ni.key_bound_ratio.begin(), ni.key_bound_ratio.end(), [](float r) { return r >= 1.0f; });
  plan.precomputed = plan.has_keys && ni.edge_whole_floor.size() == layer.size() &&
                     layer.common_keys.size() == layer.size() &&
                     ((ni.capped_offsets.size() == ni.account_offsets.size() &&
                       ni.edge_capped_key.size() == layer.size()) ||
                      plan.no_capped);
  if (plan.has_keys && !plan.no_capped) {
    plan.capped_slot.assign(ni.key_bound_ratio.size(), 0);
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
      plan.capped_terms.push_back(t);
      plan.capped_slot[k] = static_cast<std::uint32_t>(plan.capped_terms.size());
    }
  }
  return plan;
}

}  // namespace

void apply_null_model(LayerEdges& layer, std::int64_t window_ms, const ProgressCallback& progress) {
  const NullInputs& ni = layer.null_inputs;
  const auto m = static_cast<std::int64_t>(layer.size());
  layer.expected.assign(layer.size(), 0.0);
  layer.p_value.assign(layer.size(), 1.0);
  const NullModelPlan plan = plan_null_model(layer, window_ms);
  const int max_scales = plan.max_scales;
  const bool has_keys = plan.has_keys;
  const bool no_capped = plan.no_capped;
  const bool precomputed = plan.precomputed;
  const std::vector<std::uint32_t>& capped_slot = plan.capped_slot;
  const std::vector<CappedTerms>& capped_terms = plan.capped_terms;
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

}  // namespace cibgraph
