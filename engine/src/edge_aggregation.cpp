// The pair records aggregated into edges, one per pair: counts, distinct keys, lead, delays, idf sum, per-scale
// counts, moments and the first evidence rows; from the spilled runs (merged), from the sorted array (in parts, in
// parallel), or account by account (the rows: each account's records made, sorted and aggregated in place).
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <numeric>
#include <queue>
#include <utility>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/error.hpp"
#include "coaction_internal.hpp"

namespace cibgraph::detail {

namespace {

// Streams records in sorted order from several sorted sources (files and vectors).
class RecordMerger {
 public:
  RecordMerger(const RunStore& runs, std::vector<std::vector<PairRecord>>& memory) {
    for (std::size_t i = 0; i < runs.paths().size(); ++i) {
      auto src = std::make_unique<Source>();
      src->file = std::fopen(runs.paths()[i].c_str(), "rb");
      if (!src->file) throw Error("cannot read a spill file");
      src->remaining = runs.sizes()[i];
      sources_.push_back(std::move(src));
    }
    for (auto& m : memory) {
      auto src = std::make_unique<Source>();
      src->buffer.swap(m);
      src->remaining = 0;
      sources_.push_back(std::move(src));
    }
    for (std::size_t i = 0; i < sources_.size(); ++i)
      if (refill(*sources_[i])) heap_.push({sources_[i]->buffer[sources_[i]->pos], i});
  }
  ~RecordMerger() {
    for (auto& s : sources_)
      if (s->file) std::fclose(s->file);
  }

  bool next(PairRecord& out) {
    if (heap_.empty()) return false;
    auto [rec, i] = heap_.top();
    heap_.pop();
    out = rec;
    Source& s = *sources_[i];
    ++s.pos;
    if (refill(s)) heap_.push({s.buffer[s.pos], i});
    return true;
  }

 private:
  struct Source {
    std::FILE* file = nullptr;
    std::size_t remaining = 0;  // records still in the file
    std::vector<PairRecord> buffer;
    std::size_t pos = 0;
  };
  bool refill(Source& s) {
    if (s.pos < s.buffer.size()) return true;
    if (!s.file || s.remaining == 0) return false;
    const std::size_t n = std::min<std::size_t>(s.remaining, 1 << 16);
    s.buffer.resize(n);
    if (std::fread(s.buffer.data(), sizeof(PairRecord), n, s.file) != n) throw Error("short read from a spill file");
    s.remaining -= n;
    s.pos = 0;
    return true;
  }
  struct Entry {
    PairRecord rec;
    std::size_t source;
    bool operator>(const Entry& o) const { return o.rec < rec || (!(rec < o.rec) && source > o.source); }
  };
  std::vector<std::unique_ptr<Source>> sources_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
};

// Appends each edge and its evidence rows to the columns.
struct Append {
  LayerEdges& out;
  void evidence(std::uint32_t key, std::int64_t ta, std::int64_t tb) {
    out.evidence_key.push_back(key);
    out.evidence_time_a.push_back(ta);
    out.evidence_time_b.push_back(tb);
  }
  void edge(const EdgeRow& e) {
    for (auto n : e.at_scale) out.scale_targets.push_back(saturate(n));
    out.a.push_back(e.a);
    out.b.push_back(e.b);
    out.co_actions.push_back(e.co);
    out.distinct_targets.push_back(e.distinct);
    out.moments.push_back(e.moments);
    out.a_led.push_back(e.a_led);
    out.b_led.push_back(e.b_led);
    out.min_delay_ms.push_back(e.min_delay);
    out.median_delay_ms.push_back(e.median_delay);
    out.idf_weight.push_back(e.idf_sum);
    out.evidence_offsets.push_back(out.evidence_key.size());
    out.evidence_total.push_back(e.co);
  }
};

// Streamed from the spilled runs.
void aggregate_spilled(LayerProjection& p, const Aggregator& aggregate) {
  LayerEdges& out = p.out;
  RecordMerger merger(*p.runs, p.buffers);
  aggregate([&](PairRecord& rec) { return merger.next(rec); }, Append{out});
}

void aggregate_sorted_array(LayerProjection& p, const Aggregator& aggregate) {
  const CoactionOptions& opt = p.opt;
  LayerEdges& out = p.out;
  const std::uint64_t all_size = p.all_size;
  std::unique_ptr<PairRecord[]>& all = p.all;
  const int threads = p.threads;
  SweepControl& control = p.control;
  // In memory: the array is cut at pair boundaries into one part per thread; each part's edges and evidence rows
  // are counted, every column is allocated once (growing by doubling would copy and first-touch gigabytes at
  // 10^7 events), and the parts are aggregated in parallel straight into their places: the same result for any
  // thread count.
  const auto n_parts = static_cast<std::size_t>(all_size < (1u << 16) ? 1 : threads);
  std::vector<std::uint64_t> bound(n_parts + 1, all_size);
  bound[0] = 0;
  for (std::size_t t = 1; t < n_parts; ++t) {
    std::uint64_t k = std::max(bound[t - 1], all_size / n_parts * t);
    while (k > 0 && k < all_size && all[k].a == all[k - 1].a && all[k].b == all[k - 1].b) ++k;
    bound[t] = k;
  }
  std::vector<std::uint64_t> edge_base(n_parts + 1, 0), evidence_base(n_parts + 1, 0);
#pragma omp parallel for num_threads(static_cast<int>(n_parts)) schedule(static, 1)
  for (std::int64_t ti = 0; ti < static_cast<std::int64_t>(n_parts); ++ti) {
    const auto t = static_cast<std::size_t>(ti);
    std::uint64_t n_edges = 0, n_evidence = 0, run = 0;
    for (std::uint64_t k = bound[t]; k < bound[t + 1]; ++k) {
      if (k == bound[t] || all[k].a != all[k - 1].a || all[k].b != all[k - 1].b) {
        ++n_edges;
        run = 0;
      }
      if (run++ < opt.evidence_per_edge) ++n_evidence;
    }
    edge_base[t + 1] = n_edges;
    evidence_base[t + 1] = n_evidence;
  }
  std::partial_sum(edge_base.begin(), edge_base.end(), edge_base.begin());
  std::partial_sum(evidence_base.begin(), evidence_base.end(), evidence_base.begin());
  size_columns(p, edge_base.back(), evidence_base.back());
#pragma omp parallel for num_threads(static_cast<int>(n_parts)) schedule(static, 1)
  for (std::int64_t ti = 0; ti < static_cast<std::int64_t>(n_parts); ++ti) {
    const auto t = static_cast<std::size_t>(ti);
    control.guarded([&] {
      std::uint64_t k = bound[t];
      aggregate([&](PairRecord& rec) {
        if (k >= bound[t + 1]) return false;
        rec = all[k++];
        return true;
      }, Place{out, edge_base[t], evidence_base[t]});
    });
  }
  control.rethrow_or_stop();
  all.reset();
}


}  // namespace

// Every column at its final size before rows are written in place; the columns are spread over the threads, so
// their first-touch page faults run side by side.
void size_columns(LayerProjection& p, std::uint64_t n_edges, std::uint64_t n_evidence) {
  LayerEdges& out = p.out;
  const int threads = p.threads;
  const std::vector<std::function<void()>> sizing = {
      [&] { out.a.resize(n_edges); }, [&] { out.b.resize(n_edges); }, [&] { out.co_actions.resize(n_edges); },
      [&] { out.distinct_targets.resize(n_edges); }, [&] { out.a_led.resize(n_edges); },
      [&] { out.moments.resize(n_edges); },
      [&] { out.b_led.resize(n_edges); }, [&] { out.evidence_total.resize(n_edges); },
      [&] { out.min_delay_ms.resize(n_edges); }, [&] { out.median_delay_ms.resize(n_edges); },
      [&] { out.idf_weight.resize(n_edges); }, [&] { out.evidence_offsets.assign(n_edges + 1, 0); },
      [&] { out.scale_targets.resize(n_edges * (LayerEdges::kScales - 1)); },
      [&] { out.evidence_key.resize(n_evidence); }, [&] { out.evidence_time_a.resize(n_evidence); },
      [&] { out.evidence_time_b.resize(n_evidence); }};
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (std::int64_t c = 0; c < static_cast<std::int64_t>(sizing.size()); ++c) p.control.guarded(sizing[static_cast<std::size_t>(c)]);
  p.control.rethrow_or_stop();
}

void aggregate_edges(LayerProjection& p) {
  const Aggregator aggregate(p);
  if (!p.in_memory) aggregate_spilled(p, aggregate);
  else if (p.sorted_array) aggregate_sorted_array(p, aggregate);
  else aggregate_rows(p, aggregate);
}

}  // namespace cibgraph::detail
