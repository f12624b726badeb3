// One layer's projection (project_layer) and its first steps: the layer's events grouped by key, each key's delay
// bound (pass 1), and the sweep over each key's events within the bound that makes the pair records (pass 2).
#include <omp.h>
#include <parallel/algorithm>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "coaction_internal.hpp"
#include "parallel_sort.hpp"

namespace cibgraph::detail {

// Groups: runs of one key. The key's creation time: its target_time when given, else its first event.
void group_keys(LayerProjection& p) {
  const std::vector<LayerEvent>& evs = p.evs;
  std::vector<std::uint64_t>& group_start = p.group_start;
  std::vector<std::uint32_t>& group_key = p.group_key;
  std::vector<std::int64_t>& group_time = p.group_time;
  for (std::size_t i = 0; i < evs.size(); ++i) {
    if (i == 0 || evs[i].key != evs[i - 1].key) {
      group_start.push_back(i);
      group_key.push_back(evs[i].key);
      group_time.push_back(kNoTime);
    }
    if (evs[i].key_time != kNoTime && (group_time.back() == kNoTime || evs[i].key_time < group_time.back()))
      group_time.back() = evs[i].key_time;
  }
  for (std::size_t g = 0; g < group_time.size(); ++g)
    if (group_time[g] == kNoTime) group_time[g] = evs[group_start[g]].time;
  group_start.push_back(evs.size());
  p.groups = group_key.size();
}

// Pass 1, keys in parallel: each key's delay bound (the window, or less for a capped popular key) and the number
// of event pairs inside it, so the records can go straight to their place in one array.
void bound_keys(LayerProjection& p) {
  const std::vector<LayerEvent>& evs = p.evs;
  const CoactionOptions& opt = p.opt;
  const std::int64_t window = p.window;
  const std::size_t groups = p.groups;
  const std::vector<std::uint64_t>& group_start = p.group_start;
  const std::vector<std::uint32_t>& group_key = p.group_key;
  const int threads = p.threads = std::max(1, omp_get_max_threads());
  std::vector<std::int64_t>& group_bound = p.group_bound;
  std::vector<std::uint64_t>& group_pairs = p.group_pairs;
  std::vector<std::vector<CappedKey>>& capped = p.capped;
  std::vector<std::uint64_t>& left_out = p.left_out;
  group_bound.assign(groups, window);
  group_pairs.assign(groups, 0);
  capped.resize(static_cast<std::size_t>(threads));
  left_out.assign(static_cast<std::size_t>(threads), 0);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 256)
  for (std::int64_t gi = 0; gi < static_cast<std::int64_t>(groups); ++gi) {
    const auto g = static_cast<std::size_t>(gi);
    const auto t = static_cast<std::size_t>(omp_get_thread_num());
    const LayerEvent* first = evs.data() + group_start[g];
    const LayerEvent* last = evs.data() + group_start[g + 1];
    const std::uint64_t total = pairs_within(first, last, window);
    group_pairs[g] = total;
    if (total > opt.max_pairs_per_key) {
      // Largest d with at most the cap pairs at delay <= d.
      std::int64_t lo = -1, hi = window;
      while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (pairs_within(first, last, mid) <= opt.max_pairs_per_key) lo = mid;
        else hi = mid;
      }
      group_bound[g] = lo;
      group_pairs[g] = lo < 0 ? 0 : pairs_within(first, last, lo);
      capped[t].push_back({group_key[g], total, group_pairs[g], lo});
      left_out[t] += total - group_pairs[g];
    }
  }
  std::uint64_t total_pairs = 0;
  for (auto n : group_pairs) total_pairs += n;
  p.total_pairs = total_pairs;
  p.budget_records = std::max<std::uint64_t>(1 << 10, opt.memory_budget_bytes / sizeof(PairRecord));
}

// Pass 2: the records. Dense layers within the budget (more than kRowsFrom records per event) go account by account
// (the rows, below, after the null inputs: no array of all records). Sparse layers within the budget: the keys
// are swept into one array at each key's offset (no growth, no copies), then a parallel sort; streaming the
// events in key order beats visiting them account by account when there are few records per event. Past the
// budget: per-thread buffers spilled to disk as sorted runs and merged.
void sweep_pairs(LayerProjection& p) {
  const std::vector<LayerEvent>& evs = p.evs;
  const CoactionOptions& opt = p.opt;
  LayerEdges& out = p.out;
  const std::size_t groups = p.groups;
  const std::vector<std::uint64_t>& group_start = p.group_start;
  const std::vector<std::int64_t>& group_bound = p.group_bound;
  std::vector<std::uint64_t>& group_pairs = p.group_pairs;
  const int threads = p.threads;
  const std::uint64_t total_pairs = p.total_pairs;
  const std::uint64_t budget_records = p.budget_records;
  p.runs.emplace(opt.spill_dir);
  RunStore& runs = *p.runs;
  auto& buffers = p.buffers;
  buffers.resize(static_cast<std::size_t>(threads));
  auto& all = p.all;
  std::uint64_t& all_size = p.all_size;
  const bool in_memory = p.in_memory = total_pairs <= budget_records;
  constexpr std::uint64_t kRowsFrom = 2;
  // (The rows index events with 32 bits; a layer of 2^32 events or more is swept.)
  const bool by_rows = p.by_rows = in_memory && total_pairs > kRowsFrom * evs.size() && evs.size() < (std::uint64_t{1} << 32);
  out.by_rows = by_rows;
  const bool sorted_array = p.sorted_array = in_memory && !by_rows;
  std::vector<std::uint64_t>& offset = p.offset;
  if (sorted_array) {
    offset.assign(groups + 1, 0);
    for (std::size_t g = 0; g < groups; ++g) offset[g + 1] = offset[g] + group_pairs[g];
    all.reset(new PairRecord[total_pairs]);  // default-initialised: every slot used is written below
  }
  const std::size_t thread_budget = std::max<std::size_t>(1 << 10, budget_records / static_cast<std::size_t>(threads));
  SweepControl& control = p.control;
  if (!by_rows) {
#pragma omp parallel num_threads(threads)
    {
      const auto t = static_cast<std::size_t>(omp_get_thread_num());
      auto& buf = buffers[t];
#pragma omp for schedule(dynamic, 64)
      for (std::int64_t gi = 0; gi < static_cast<std::int64_t>(groups); ++gi) {
        if (control.stop.load(std::memory_order_relaxed)) continue;
        control.guarded([&] {
          const auto g = static_cast<std::size_t>(gi);
          const LayerEvent* first = evs.data() + group_start[g];
          const LayerEvent* last = evs.data() + group_start[g + 1];
          const std::int64_t d = group_bound[g];
          PairRecord* slot = sorted_array ? all.get() + offset[g] : nullptr;
          auto emit = [&](const PairRecord& rec) {
            if (slot) *slot++ = rec;
            else buf.push_back(rec);
          };
          if (d >= 0) {
            const LayerEvent* hi = first;
            for (const LayerEvent* lo = first; lo != last; ++lo) {
              if (hi < lo + 1) hi = lo + 1;
              while (hi != last && hi->time - lo->time <= d) ++hi;
              for (const LayerEvent* j = lo + 1; j != hi; ++j) {
                if (j->account == lo->account) continue;
                const std::int64_t delay = j->time - lo->time;  // >= 0: lo acted first
                if (lo->account < j->account)
                  emit({lo->account, j->account, static_cast<std::uint32_t>(g), static_cast<std::int32_t>(delay), lo->time});
                else
                  emit({j->account, lo->account, static_cast<std::uint32_t>(g), static_cast<std::int32_t>(-delay), j->time});
              }
            }
            if (!in_memory && buf.size() > thread_budget) runs.spill(buf);
          }
          // A key's own pairs (one account twice) leave slots unused: fill them with records that sort last, and
          // remember how many were written.
          if (sorted_array) {
            std::fill(slot, all.get() + offset[g + 1], PairRecord{kNoKey, kNoKey, kNoKey, 0, 0});
            group_pairs[g] = static_cast<std::uint64_t>(slot - (all.get() + offset[g]));
          }
          control.progress(t, static_cast<std::uint64_t>(last - first));
        });
      }
      if (!in_memory) std::sort(buf.begin(), buf.end());
    }
    control.rethrow_or_stop();
    control.done();
  }
  if (sorted_array) {
    // Sort everything; the unused slots (account kNoKey, above every account id) end up past the records. Records
    // that compare equal are identical, so the order is the same whatever the thread count. (The in-place
    // balanced quicksort, which saves the mergesort's second array, was no faster at 10^7 events.)
    for (std::size_t g = 0; g < groups; ++g) all_size += group_pairs[g];
    cibgraph::detail::parallel_sort(all.get(), all.get() + total_pairs);
  }
}

LayerEdges project_layer(const EventTable& ev, Layer layer, const CoactionOptions& opt, std::int64_t window) {
  LayerEdges out;
  out.layer = layer;
  LayerProjection p(ev, opt, window, out);
  std::vector<std::uint32_t> text_key_of;
  p.evs = select_layer_events(ev, layer, opt, text_key_of);
  out.events = p.evs.size();
  group_keys(p);
  bound_keys(p);
  sweep_pairs(p);
  for (std::size_t t = 0; t < p.capped.size(); ++t) {
    out.capped_keys.insert(out.capped_keys.end(), p.capped[t].begin(), p.capped[t].end());
    out.pairs_left_out += p.left_out[t];
  }
  std::sort(out.capped_keys.begin(), out.capped_keys.end(), [](const CappedKey& x, const CappedKey& y) { return x.key < y.key; });
  out.spilled_runs = p.runs->paths().size();

  set_null_inputs(p);
  tfidf_weights(p);
  aggregate_edges(p);
  common_keys_and_cosine(p);
  const std::size_t m = out.size();
  out.expected.assign(m, 0.0);
  out.p_value.assign(m, 1.0);
  out.sync_p.assign(m, 1.0);
  out.cotarget_expected.assign(m, 0.0);
  out.cotarget_p.assign(m, 1.0);
  out.kept.assign(m, 1);
  out.kept_by.assign(m, static_cast<std::uint8_t>(KeptBy::NoFilter));  // no filter has run yet
  return out;
}

}  // namespace cibgraph::detail
