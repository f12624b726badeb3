// The null models' inputs and the TF-IDF weights of one layer: per account its keys, counts and sorted delays; per
// key its organic floor, bound ratio and window share; per account its TF-IDF norm; and per edge its common keys,
// the null model's per-pair sums and the TF-IDF cosine (after the edges are aggregated).
#include <omp.h>
#include <parallel/algorithm>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "coaction_internal.hpp"
#include "parallel_sort.hpp"

namespace cibgraph::detail {

namespace {

// Per-account key lists with counts and sorted delays: the null model's inputs and the TF-IDF vectors.
NullInputs build_null_inputs(const std::vector<LayerEvent>& evs, const std::vector<std::uint64_t>& group_start,
                             const std::vector<std::int64_t>& group_time, std::size_t n_accounts) {
  NullInputs ni;
  const std::size_t groups = group_start.size() - 1;
  struct AK {
    std::uint32_t account, group;
    std::int64_t delay;
  };
  std::vector<AK> rows;
  rows.reserve(evs.size());
  for (std::size_t g = 0; g < groups; ++g)
    for (auto i = group_start[g]; i < group_start[g + 1]; ++i)
      rows.push_back({evs[i].account, static_cast<std::uint32_t>(g), evs[i].time - group_time[g]});
  // Rows equal under this order are identical: any sort gives the same result.
  cibgraph::detail::parallel_sort(rows.begin(), rows.end(), [](const AK& x, const AK& y) {
    if (x.account != y.account) return x.account < y.account;
    if (x.group != y.group) return x.group < y.group;
    return x.delay < y.delay;
  });
  ni.account_offsets.assign(n_accounts + 1, 0);
  ni.delay_offsets.assign(n_accounts + 1, 0);
  ni.key_accounts.assign(groups, 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const bool new_key = i == 0 || rows[i].account != rows[i - 1].account || rows[i].group != rows[i - 1].group;
    if (new_key) {
      ni.account_keys.push_back(rows[i].group);
      ni.account_key_counts.push_back(1);
      ++ni.account_offsets[rows[i].account + 1];
      ++ni.key_accounts[rows[i].group];
    } else {
      ++ni.account_key_counts.back();
    }
    ++ni.delay_offsets[rows[i].account + 1];
  }
  std::partial_sum(ni.account_offsets.begin(), ni.account_offsets.end(), ni.account_offsets.begin());
  std::partial_sum(ni.delay_offsets.begin(), ni.delay_offsets.end(), ni.delay_offsets.begin());
  ni.delays_ms.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) ni.delays_ms[i] = rows[i].delay;
#pragma omp parallel for schedule(dynamic, 4096)
  for (std::int64_t ai = 0; ai < static_cast<std::int64_t>(n_accounts); ++ai) {
    const auto a = static_cast<std::size_t>(ai);
    std::sort(ni.delays_ms.begin() + static_cast<std::ptrdiff_t>(ni.delay_offsets[a]),
              ni.delays_ms.begin() + static_cast<std::ptrdiff_t>(ni.delay_offsets[a + 1]));
  }
  for (std::size_t a = 0; a < n_accounts; ++a)
    if (ni.account_offsets[a + 1] > ni.account_offsets[a]) ++ni.layer_accounts;
  return ni;
}

}  // namespace

// The null inputs, then per key its organic floor (linear in the bound below the organic scale), its bound ratio
// and its window share.
void set_null_inputs(LayerProjection& p) {
  const EventTable& ev = p.ev;
  const CoactionOptions& opt = p.opt;
  const std::int64_t window = p.window;
  LayerEdges& out = p.out;
  const std::vector<LayerEvent>& evs = p.evs;
  const std::vector<std::uint64_t>& group_start = p.group_start;
  const std::vector<std::int64_t>& group_time = p.group_time;
  const std::vector<std::int64_t>& group_bound = p.group_bound;
  const std::size_t groups = p.groups;
  out.null_inputs = build_null_inputs(evs, group_start, group_time, ev.accounts.size());
  NullInputs& nim = out.null_inputs;
  nim.key_floor.assign(groups, 0.0f);
  nim.key_bound_ratio.assign(groups, 1.0f);
  nim.key_window_share.assign(groups, 0.0f);
  const std::int64_t h = std::max<std::int64_t>({opt.burst_scale_ms, 4 * window, 1});
#pragma omp parallel for schedule(dynamic, 256)
  for (std::int64_t gi = 0; gi < static_cast<std::int64_t>(groups); ++gi) {
    const auto g = static_cast<std::size_t>(gi);
    const LayerEvent* first = evs.data() + group_start[g];
    const LayerEvent* last = evs.data() + group_start[g + 1];
    const auto n = static_cast<double>(last - first);
    const std::int64_t d = std::max<std::int64_t>(group_bound[g], 0);
    nim.key_bound_ratio[g] = window > 0 ? static_cast<float>(static_cast<double>(d) / static_cast<double>(window)) : 1.0f;
    if (n < 2) continue;
    const double all_pairs = n * (n - 1) / 2;
    const double q = d <= h ? static_cast<double>(pairs_within(first, last, h)) / all_pairs * static_cast<double>(d) / static_cast<double>(h)
                            : static_cast<double>(pairs_within(first, last, d)) / all_pairs;
    nim.key_floor[g] = static_cast<float>(std::min(1.0, q));
    nim.key_window_share[g] =
        static_cast<float>(std::min(1.0, static_cast<double>(pairs_within(first, last, std::min(d, window))) / all_pairs));
  }
}

// Per key its idf over the layer's accounts; per account the norm of its TF-IDF vector.
void tfidf_weights(LayerProjection& p) {
  const EventTable& ev = p.ev;
  const std::size_t groups = p.groups;
  const LayerEdges& out = p.out;
  const NullInputs& ni = out.null_inputs;
  const double n_layer = std::max<double>(1.0, ni.layer_accounts);
  std::vector<double>& idf = p.idf;
  idf.resize(groups);
  for (std::size_t g = 0; g < groups; ++g) idf[g] = std::log(n_layer / std::max<double>(1.0, ni.key_accounts[g]));
  std::vector<double>& norm = p.norm;
  norm.assign(ev.accounts.size(), 0.0);
  for (std::size_t a = 0; a < ev.accounts.size(); ++a) {
    double s = 0;
    for (auto k = ni.account_offsets[a]; k < ni.account_offsets[a + 1]; ++k) {
      const double w = ni.account_key_counts[k] * idf[ni.account_keys[k]];
      s += w * w;
    }
    norm[a] = std::sqrt(s);
  }
}

void common_keys_and_cosine(LayerProjection& proj) {
  const EventTable& ev = proj.ev;
  LayerEdges& out = proj.out;
  const std::size_t groups = proj.groups;
  // Common keys and TF-IDF cosine over each pair's full key lists, pairs in parallel. The edges come sorted by
  // (a, b), so each thread scatters a's keys once into a table indexed by key (the position in a's list + 1) and a
  // bit set, and scans each b's list against them, in key order as the merge does, with the same products: the sums
  // are bit for bit the merge's. A pair whose b has over 16 times a's keys uses the merge (binary searches in b's
  // list); when a's list is the long one, it is already in the table (loaded once for all of a's pairs), and
  // scanning b's short list against it is cheaper than binary searches in a's (warm projection at planted 10^7:
  // this pass 5.4-7.3 s -> 3.9-4.8 s).
  // The same pass leaves the null model each pair's sum of key floors over its common whole-window keys
  // (NullInputs::edge_whole_floor) and its common capped key (edge_capped_key), and each account's capped keys.
  const NullInputs& ni = out.null_inputs;
  const std::vector<double>& idf = proj.idf;
  const std::vector<double>& norm = proj.norm;
  const std::size_t m = out.size();
  out.common_keys.assign(m, 0);
  out.tfidf_cosine.assign(m, 0.0);
  NullInputs& nif = out.null_inputs;
  std::vector<float> whole_floor(groups, 0.0f);  // key_floor for whole-window keys, 0 for capped ones
  for (std::size_t g = 0; g < groups; ++g)
    if (nif.key_bound_ratio[g] >= 1.0f) whole_floor[g] = nif.key_floor[g];
  // Capped-key lists only when some key is capped (empty lists: none is).
  if (std::any_of(nif.key_bound_ratio.begin(), nif.key_bound_ratio.end(), [](float r) { return !(r >= 1.0f); })) {
    nif.capped_offsets.assign(ev.accounts.size() + 1, 0);
    for (std::size_t a = 0; a < ev.accounts.size(); ++a) {
      for (auto k = ni.account_offsets[a]; k < ni.account_offsets[a + 1]; ++k)
        if (!(nif.key_bound_ratio[ni.account_keys[k]] >= 1.0f)) nif.capped_positions.push_back(k);
      nif.capped_offsets[a + 1] = nif.capped_positions.size();
    }
  }
  nif.edge_whole_floor.assign(m, 0.0);
  const bool any_capped = !nif.capped_offsets.empty();
  if (any_capped) nif.edge_capped_key.assign(m, NullInputs::kNoCappedKey);
  // Per position in account_keys: the key's idf and whole-window floor (-1 for a capped key), so that scanning b's
  // list reads memory in order; only a's slot table is looked up by key.
  std::vector<double> position_idf(ni.account_keys.size());
  std::vector<float> position_floor(ni.account_keys.size());
#pragma omp parallel for schedule(static)
  for (std::int64_t p = 0; p < static_cast<std::int64_t>(ni.account_keys.size()); ++p) {
    const auto k = ni.account_keys[static_cast<std::size_t>(p)];
    position_idf[static_cast<std::size_t>(p)] = idf[k];
    position_floor[static_cast<std::size_t>(p)] = nif.key_bound_ratio[k] >= 1.0f ? whole_floor[k] : -1.0f;
  }
#pragma omp parallel
  {
    std::vector<std::uint32_t> slot(groups, 0);
    std::vector<std::uint64_t> has((groups + 63) / 64, 0);  // a's keys, one bit each
    std::vector<double> a_weight(1, 0.0);  // per position in a's list + 1; [0] = 0
    std::uint32_t current = kNoKey;
    auto load = [&](std::uint32_t a) {
      if (a == current) return;
      if (current != kNoKey)
        for (auto k = ni.account_offsets[current]; k < ni.account_offsets[current + 1]; ++k) {
          slot[ni.account_keys[k]] = 0;
          has[ni.account_keys[k] >> 6] = 0;
        }
      a_weight.resize(1);
      for (auto k = ni.account_offsets[a]; k < ni.account_offsets[a + 1]; ++k) {
        has[ni.account_keys[k] >> 6] |= std::uint64_t{1} << (ni.account_keys[k] & 63);
        slot[ni.account_keys[k]] = static_cast<std::uint32_t>(k - ni.account_offsets[a] + 1);
        a_weight.push_back(ni.account_key_counts[k] * idf[ni.account_keys[k]]);
      }
      current = a;
    };
#pragma omp for schedule(dynamic, 1024)
    for (std::int64_t e = 0; e < static_cast<std::int64_t>(m); ++e) {
      const auto i = static_cast<std::size_t>(e);
      // b's lists lie anywhere in memory: its offsets are fetched ahead by 2 x kAhead edges and the first two cache
      // lines (up to 24 keys) of its key, count, idf and floor lists by kAhead, so the misses of several edges
      // overlap (the second lines: warm projection at planted 10^7 about 0.9 s less, 12.0 -> 11.1 s).
      constexpr std::int64_t kAhead = 16;
      if (e + 2 * kAhead < static_cast<std::int64_t>(m)) __builtin_prefetch(&ni.account_offsets[out.b[i + 2 * kAhead]]);
      if (e + kAhead < static_cast<std::int64_t>(m)) {
        const auto ahead = out.b[i + kAhead];
        const auto first = ni.account_offsets[ahead];
        const auto length = ni.account_offsets[ahead + 1] - first;
        __builtin_prefetch(&ni.account_keys[first]);
        __builtin_prefetch(&ni.account_key_counts[first]);
        __builtin_prefetch(&position_idf[first]);
        __builtin_prefetch(&position_floor[first]);
        if (length > 8) __builtin_prefetch(&position_idf[first + 8]);  // 8 doubles a line
        if (length > 16) {
          __builtin_prefetch(&ni.account_keys[first + 16]);
          __builtin_prefetch(&ni.account_key_counts[first + 16]);
          __builtin_prefetch(&position_idf[first + 16]);
          __builtin_prefetch(&position_floor[first + 16]);
        }
        if (length > 24) __builtin_prefetch(&position_idf[first + 24]);
      }
      const auto a = out.a[i], b = out.b[i];
      const auto na = ni.account_offsets[a + 1] - ni.account_offsets[a];
      const auto nb = ni.account_offsets[b + 1] - ni.account_offsets[b];
      std::uint32_t common = 0, common_capped = 0;
      std::uint32_t capped_key = NullInputs::kNoCappedKey;  // the first common capped key
      auto note_capped = [&](std::uint32_t k) {
        if (common_capped++ == 0) capped_key = k;
      };
      double dot = 0, floor_sum = 0;
      if (na * 16 < nb) {
        ni.for_each_common_key(a, b, [&](std::uint64_t pa, std::uint64_t pb) {
          ++common;
          const auto k = ni.account_keys[pa];
          const double idf_k = idf[k];
          dot += ni.account_key_counts[pa] * idf_k * ni.account_key_counts[pb] * idf_k;
          floor_sum += whole_floor[k];
          if (!(nif.key_bound_ratio[k] >= 1.0f)) note_capped(k);
        });
      } else {
        load(a);
        // a's keys are one bit each in `has` (a thirty-second of the slot table's size, so it stays in cache), so
        // b's keys that a lacks, most of them, are passed over without a lookup in the slot table; skipping their
        // + 0.0 terms leaves the sums bit for bit.
        for (auto pb = ni.account_offsets[b]; pb < ni.account_offsets[b + 1]; ++pb) {
          const std::uint32_t key = ni.account_keys[pb];
          if (((has[key >> 6] >> (key & 63)) & 1) == 0) continue;
          ++common;
          dot += a_weight[slot[key]] * ni.account_key_counts[pb] * position_idf[pb];  // (count_a idf) count_b idf
          const float f = position_floor[pb];  // -1 for a capped key, whose whole-window floor is 0
          if (f >= 0) floor_sum += static_cast<double>(f);
          else note_capped(key);
        }
      }
      out.common_keys[i] = common;
      nif.edge_whole_floor[i] = floor_sum;
      if (any_capped) nif.edge_capped_key[i] = common_capped <= 1 ? capped_key : NullInputs::kSeveralCappedKeys;
      const double denom = norm[a] * norm[b];
      out.tfidf_cosine[i] = denom > 0 ? dot / denom : 0.0;
    }
  }
}

}  // namespace cibgraph::detail
