// What the co-action projection's stages share (coaction.cpp, layer_projection.cpp,
// edge_aggregation.cpp, edge_rows.cpp, null_inputs.cpp): the layer's events and pair records, the spill runs, the
// parallel loops' failure and progress handling, one layer's projection state as project_layer's steps fill it, and
// the aggregation of sorted records into edges.
// Internal to cibgraph_engine; not installed.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/error.hpp"

namespace cibgraph::detail {

constexpr std::uint32_t kNoKey = std::numeric_limits<std::uint32_t>::max();

// One event of a layer: which key, who, when.
struct LayerEvent {
  std::uint32_t key;      // layer key value (target id, text id, time bin)
  std::uint32_t account;
  std::int64_t time;
  std::int64_t key_time;  // the key's own creation time when known (target_time), else kNoTime
};

// One co-action occurrence: accounts a < b on the key of group `group`, delay = t_b - t_a.
struct PairRecord {
  std::uint32_t a, b;
  std::uint32_t group;
  std::int32_t delay;
  std::int64_t time_a;

  bool operator<(const PairRecord& o) const {
    if (a != o.a) return a < o.a;
    if (b != o.b) return b < o.b;
    if (group != o.group) return group < o.group;
    if (delay != o.delay) return delay < o.delay;
    return time_a < o.time_a;
  }
};
static_assert(sizeof(PairRecord) == 24);

// Per action code of the table: whether the layer takes that action (opt.layer_actions, else the layer's defaults).
std::vector<bool> selected_actions(const EventTable& ev, const CoactionOptions& opt, Layer layer);

// Selects the layer's events with their keys, sorted by (key, time, account) (coaction.cpp).
std::vector<LayerEvent> select_layer_events(const EventTable& ev, Layer layer, const CoactionOptions& opt,
                                            std::vector<std::uint32_t>& text_key_of);

// Pairs (i < j) in [first, last) with t_j - t_i <= d, counted with two pointers.
inline std::uint64_t pairs_within(const LayerEvent* first, const LayerEvent* last, std::int64_t d) {
  std::uint64_t count = 0;
  const LayerEvent* hi = first;
  for (const LayerEvent* lo = first; lo != last; ++lo) {
    if (hi < lo + 1) hi = lo + 1;
    while (hi != last && hi->time - lo->time <= d) ++hi;
    count += static_cast<std::uint64_t>(hi - lo - 1);
  }
  return count;
}

// Sorted runs of records on disk, merged with the in-memory ones.
class RunStore {
 public:
  explicit RunStore(std::string dir) : dir_(std::move(dir)) {
    if (dir_.empty()) dir_ = std::filesystem::temp_directory_path().string();
  }
  ~RunStore() {
    for (const auto& p : paths_) std::remove(p.c_str());
  }

  void spill(std::vector<PairRecord>& records) {
    std::sort(records.begin(), records.end());
    std::lock_guard lock(mutex_);
    const std::string path = dir_ + "/cibgraph-run-" + std::to_string(::getpid()) + "-" +
                             std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "-" +
                             std::to_string(paths_.size());
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) throw Error("cannot write a spill file in " + dir_);
    const bool ok = std::fwrite(records.data(), sizeof(PairRecord), records.size(), f) == records.size();
    if (std::fclose(f) != 0 || !ok) throw Error("cannot write a spill file in " + dir_ + " (disk full?)");
    paths_.push_back(path);
    sizes_.push_back(records.size());
    records.clear();
    records.shrink_to_fit();
  }

  const std::vector<std::string>& paths() const { return paths_; }
  const std::vector<std::size_t>& sizes() const { return sizes_; }

 private:
  std::string dir_;
  std::mutex mutex_;
  std::vector<std::string> paths_;
  std::vector<std::size_t> sizes_;
};

// Work inside a parallel loop: an exception is kept (the first one) and stops every thread; the caller rethrows it
// after the loop (rethrow_or_stop). Progress of the sweep, in events: thread 0 (the caller's thread, where Python can
// check for Ctrl-C) reports as the work goes; it may have had none, so the caller's thread reports the end once more
// (done).
class SweepControl {
 public:
  SweepControl(const CoactionOptions& opt, const std::vector<LayerEvent>& evs) : opt_(opt), evs_(evs) {}

  template <class Work>
  void guarded(Work&& work) {
    try {
      work();
    } catch (...) {
      std::lock_guard lock(failure_mutex_);
      if (!failure_) failure_ = std::current_exception();
      stop.store(true);
    }
  }
  void rethrow_or_stop() {
    if (failure_) std::rethrow_exception(failure_);
    if (stop.load()) throw Interrupted();
  }
  void progress(std::size_t thread, std::uint64_t events) {
    const auto done = done_events_.fetch_add(events) + events;
    if (thread == 0 && opt_.progress && !opt_.progress(ProgressUpdate{"co-action sweep", done, evs_.size(), "events"}))
      stop.store(true);
  }
  void done() {
    if (opt_.progress && !opt_.progress(ProgressUpdate{"co-action sweep", evs_.size(), evs_.size(), "events"}))
      throw Interrupted();
  }

  std::atomic<bool> stop{false};

 private:
  const CoactionOptions& opt_;
  const std::vector<LayerEvent>& evs_;
  std::atomic<std::uint64_t> done_events_{0};
  std::exception_ptr failure_;
  std::mutex failure_mutex_;
};

// One layer's projection as it goes: project_layer's steps (layer_projection.cpp) fill it in order.
struct LayerProjection {
  LayerProjection(const EventTable& events, const CoactionOptions& options, std::int64_t window_ms, LayerEdges& edges)
      : ev(events), opt(options), window(window_ms), out(edges) {}

  const EventTable& ev;
  const CoactionOptions& opt;
  const std::int64_t window;
  LayerEdges& out;
  std::vector<LayerEvent> evs;  // the layer's events by (key, time, account)
  // Groups: runs of one key in evs (group_start ends with evs.size()); the key's creation time.
  std::vector<std::uint64_t> group_start;
  std::vector<std::uint32_t> group_key;
  std::vector<std::int64_t> group_time;
  std::size_t groups = 0;
  int threads = 1;
  // Pass 1: each key's delay bound and event pairs inside it; the capped keys per thread.
  std::vector<std::int64_t> group_bound;
  std::vector<std::uint64_t> group_pairs;
  std::vector<std::vector<CappedKey>> capped;
  std::vector<std::uint64_t> left_out;
  std::uint64_t total_pairs = 0;
  std::uint64_t budget_records = 0;
  // Pass 2: the records, in the sorted array `all` (sorted_array), in per-thread buffers and spilled runs (past the
  // budget), or none (by_rows: made account by account while aggregating).
  std::optional<RunStore> runs;
  std::vector<std::vector<PairRecord>> buffers;
  std::unique_ptr<PairRecord[]> all;
  std::uint64_t all_size = 0;
  bool in_memory = false, by_rows = false, sorted_array = false;
  std::vector<std::uint64_t> offset;
  SweepControl control{opt, evs};
  // Per key its idf, per account the norm of its TF-IDF vector.
  std::vector<double> idf;
  std::vector<double> norm;
};

// One edge's aggregates, as aggregation makes them.
struct EdgeRow {
  std::uint32_t a, b, co, distinct, a_led, b_led;
  std::int64_t min_delay, median_delay;
  double idf_sum;
  std::uint32_t at_scale[LayerEdges::kScales - 1];
  std::uint32_t moments;
};

// Aggregates the sorted records into one edge per pair: next(rec) yields them in order; the sink receives each
// evidence row and then its edge.
class Aggregator {
 public:
  explicit Aggregator(const LayerProjection& p)
      : window(p.window),
        opt(p.opt),
        idf(p.idf),
        group_key(p.group_key),
        // Distinct moments (LayerEdges::moments): the co-acted keys' times, grouped greedily into spans of the
        // organic scale.
        moment_scale(std::max<std::int64_t>({p.opt.burst_scale_ms, 4 * p.window, 1})) {}

  template <class Next, class Sink>
  void operator()(Next&& next, Sink&& sink) const {
    PairRecord r;
    bool have = next(r);
    thread_local std::vector<std::int64_t> delays;  // scratch, kept between calls (one call per account's row)
    thread_local std::vector<std::int64_t> key_times;
    while (have) {
      EdgeRow row{r.a, r.b, 0, 0, 0, 0, 0, 0, 0.0, {0, 0, 0}, 0};
      key_times.clear();
      std::uint32_t evidence = 0;
      std::uint32_t last_group = kNoKey;
      std::int64_t group_min = 0;  // smallest |delay| on the current key
      auto close_group = [&] {
        if (last_group == kNoKey) return;
        for (int s = 1; s < LayerEdges::kScales; ++s)
          if (group_min <= (window >> s)) ++row.at_scale[s - 1];
      };
      delays.clear();
      while (have && r.a == row.a && r.b == row.b) {
        ++row.co;
        if (r.group != last_group) {
          close_group();
          ++row.distinct;
          key_times.push_back(r.time_a);
          row.idf_sum += idf[r.group];
          last_group = r.group;
          group_min = std::abs(static_cast<std::int64_t>(r.delay));
        }
        group_min = std::min<std::int64_t>(group_min, std::abs(static_cast<std::int64_t>(r.delay)));
        if (r.delay > 0) ++row.a_led;
        else if (r.delay < 0) ++row.b_led;
        delays.push_back(std::abs(static_cast<std::int64_t>(r.delay)));
        if (evidence < opt.evidence_per_edge) {
          sink.evidence(group_key[r.group], r.time_a, r.time_a + r.delay);
          ++evidence;
        }
        have = next(r);
      }
      close_group();
      if (key_times.size() > 1) std::sort(key_times.begin(), key_times.end());
      for (std::size_t k = 0; k < key_times.size();) {
        const std::int64_t start = key_times[k];
        ++row.moments;
        while (k < key_times.size() && key_times[k] - start <= moment_scale) ++k;
      }
      row.min_delay = *std::min_element(delays.begin(), delays.end());
      // Median: the lower middle for an even count, so it is one of the observed delays.
      auto mid = delays.begin() + static_cast<std::ptrdiff_t>((delays.size() - 1) / 2);
      std::nth_element(delays.begin(), mid, delays.end());
      row.median_delay = *mid;
      sink.edge(row);
    }
  }

 private:
  const std::int64_t window;
  const CoactionOptions& opt;
  const std::vector<double>& idf;
  const std::vector<std::uint32_t>& group_key;
  const std::int64_t moment_scale;
};

inline std::uint16_t saturate(std::uint32_t n) { return static_cast<std::uint16_t>(std::min<std::uint32_t>(n, 65535)); }

// Writes each edge and its evidence rows at their places in columns sized beforehand.
struct Place {
  LayerEdges& out;
  std::uint64_t e, v;  // next edge and evidence row
  void evidence(std::uint32_t key, std::int64_t ta, std::int64_t tb) {
    out.evidence_key[v] = key;
    out.evidence_time_a[v] = ta;
    out.evidence_time_b[v] = tb;
    ++v;
  }
  void edge(const EdgeRow& r) {
    for (int s = 0; s < LayerEdges::kScales - 1; ++s)
      out.scale_targets[e * (LayerEdges::kScales - 1) + static_cast<std::uint64_t>(s)] = saturate(r.at_scale[s]);
    out.a[e] = r.a;
    out.b[e] = r.b;
    out.co_actions[e] = r.co;
    out.distinct_targets[e] = r.distinct;
    out.moments[e] = r.moments;
    out.a_led[e] = r.a_led;
    out.b_led[e] = r.b_led;
    out.min_delay_ms[e] = r.min_delay;
    out.median_delay_ms[e] = r.median_delay;
    out.idf_weight[e] = r.idf_sum;
    out.evidence_offsets[e + 1] = v;
    out.evidence_total[e] = r.co;
    ++e;
  }
};

// Every column at its final size, in parallel (edge_aggregation.cpp).
void size_columns(LayerProjection& p, std::uint64_t n_edges, std::uint64_t n_evidence);

// The edges made account by account, in memory (edge_rows.cpp).
void aggregate_rows(LayerProjection& p, const Aggregator& aggregate);

// project_layer's steps, in order.
void group_keys(LayerProjection& p);              // layer_projection.cpp
void bound_keys(LayerProjection& p);              // layer_projection.cpp
void sweep_pairs(LayerProjection& p);             // layer_projection.cpp
void set_null_inputs(LayerProjection& p);         // null_inputs.cpp
void tfidf_weights(LayerProjection& p);           // null_inputs.cpp
void aggregate_edges(LayerProjection& p);         // edge_aggregation.cpp
void common_keys_and_cosine(LayerProjection& p);  // null_inputs.cpp

// One layer's edges (layer_projection.cpp).
LayerEdges project_layer(const EventTable& ev, Layer layer, const CoactionOptions& opt, std::int64_t window);

}  // namespace cibgraph::detail
