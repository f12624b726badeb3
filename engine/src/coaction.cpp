#include "cibgraph/coaction.hpp"

#include <omp.h>
#include <parallel/algorithm>

#include <algorithm>
#include <functional>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <numeric>
#include <queue>

#include "cibgraph/error.hpp"

namespace cibgraph {

std::string_view layer_name(Layer layer) {
  switch (layer) {
    case Layer::CoShare: return "co-share";
    case Layer::CoUrl: return "co-url";
    case Layer::CoHashtag: return "co-hashtag";
    case Layer::CoReply: return "co-reply";
    case Layer::CoText: return "co-text";
    case Layer::SyncTime: return "sync-time";
  }
  return "co-share";
}

Layer parse_layer(std::string_view name) {
  if (name == "co-share" || name == "co-retweet") return Layer::CoShare;
  if (name == "co-url") return Layer::CoUrl;
  if (name == "co-hashtag") return Layer::CoHashtag;
  if (name == "co-reply") return Layer::CoReply;
  if (name == "co-text") return Layer::CoText;
  if (name == "sync-time") return Layer::SyncTime;
  throw UsageError("unknown layer '" + std::string(name) +
                   "' (use co-share, co-retweet, co-url, co-hashtag, co-reply, co-text, sync-time)");
}

std::vector<Layer> parse_layers(std::string_view list) {
  std::vector<Layer> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto name = list.substr(0, comma);
    if (!name.empty()) {
      const Layer l = parse_layer(name);
      if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  if (out.empty()) throw UsageError("no layers given");
  return out;
}

std::vector<std::string> default_layer_actions(Layer layer) {
  switch (layer) {
    case Layer::CoShare: return {"share", "retweet", "repost", "reshare", "quote", "rt"};
    case Layer::CoUrl: return {"url", "link"};
    case Layer::CoHashtag: return {"hashtag", "tag"};
    case Layer::CoReply: return {"reply", "comment"};
    case Layer::CoText:
    case Layer::SyncTime: return {};
  }
  return {};
}

namespace {

// Per action code of the table: whether the layer takes that action (opt.layer_actions, else the layer's defaults).
std::vector<bool> selected_actions(const EventTable& ev, const CoactionOptions& opt, Layer layer) {
  std::vector<std::string> actions = default_layer_actions(layer);
  if (opt.layer_actions.size() > static_cast<std::size_t>(layer) && !opt.layer_actions[static_cast<int>(layer)].empty())
    actions = opt.layer_actions[static_cast<int>(layer)];
  std::vector<bool> selected(ev.actions.size(), false);
  for (const auto& a : actions)
    if (auto code = ev.actions.find(a); code != StringDictionary::kMissing) selected[code] = true;
  return selected;
}

}  // namespace

std::string normalise_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  auto starts_with_ci = [&](std::size_t at, std::string_view prefix) {
    if (at + prefix.size() > text.size()) return false;
    for (std::size_t k = 0; k < prefix.size(); ++k) {
      char c = text[at + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[k]) return false;
    }
    return true;
  };
  while (i < text.size()) {
    const bool word_start = i == 0 || is_space(text[i - 1]);
    // URLs and @mentions are removed: campaigns vary them, and they are compared by other layers.
    if (word_start && (starts_with_ci(i, "http://") || starts_with_ci(i, "https://") || starts_with_ci(i, "www.") ||
                       (text[i] == '@' && i + 1 < text.size() && !is_space(text[i + 1])))) {
      while (i < text.size() && !is_space(text[i])) ++i;
      continue;
    }
    char c = text[i++];
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace {

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

// Selects the layer's events with their keys, sorted by (key, time, account).
std::vector<LayerEvent> select_layer_events(const EventTable& ev, Layer layer, const CoactionOptions& opt,
                                            std::vector<std::uint32_t>& text_key_of) {
  std::vector<LayerEvent> out;
  const bool has_tt = ev.has_target_time();
  if (layer == Layer::CoText) {
    // Texts with the same normal form share the key of the first such text.
    text_key_of.assign(ev.texts.size(), kNoKey);
    StringDictionary normal_forms;
    std::vector<std::uint32_t> first_text;
    for (std::uint32_t t = 0; t < ev.texts.size(); ++t) {
      const std::string norm = normalise_text(ev.texts[t]);
      if (norm.empty()) continue;
      const auto id = normal_forms.intern(norm);
      if (id == first_text.size()) first_text.push_back(t);
      text_key_of[t] = first_text[id];
    }
    for (std::size_t i = 0; i < ev.size(); ++i)
      if (ev.text[i] != kNoText && text_key_of[ev.text[i]] != kNoKey)
        out.push_back({text_key_of[ev.text[i]], ev.account[i], ev.time[i], kNoTime});
  } else if (layer == Layer::SyncTime) {
    std::vector<std::uint32_t> per_account(ev.accounts.size(), 0);
    for (auto acc : ev.account) ++per_account[acc];
    const std::int64_t bin = std::max<std::int64_t>(1, opt.sync_bin_ms);
    for (std::size_t i = 0; i < ev.size(); ++i) {
      if (per_account[ev.account[i]] < opt.sync_min_events) continue;
      const std::int64_t b = ev.time[i] / bin;
      if (b > std::numeric_limits<std::uint32_t>::max() - 1) throw Error("sync-time: too many bins; use a wider --sync-bin");
      out.push_back({static_cast<std::uint32_t>(b), ev.account[i], ev.time[i], b * bin});
    }
  } else {
    const std::vector<bool> selected = selected_actions(ev, opt, layer);
    // An empty target is no target: it never links two accounts (ingest rejects them; tables built by hand may not).
    const std::uint32_t empty_target = ev.targets.find("");
    auto take = [&](std::size_t i) { return selected[ev.action[i]] && ev.target[i] != empty_target; };
    std::size_t n = 0;
    for (std::size_t i = 0; i < ev.size(); ++i) n += take(i);
    out.reserve(n);  // one allocation, no copies while growing
    for (std::size_t i = 0; i < ev.size(); ++i)
      if (take(i)) out.push_back({ev.target[i], ev.account[i], ev.time[i], has_tt ? ev.target_time[i] : kNoTime});
  }
  // Events equal under this order differ at most in key_time, which only enters a minimum per key: any sort gives
  // the same result.
  __gnu_parallel::sort(out.begin(), out.end(), [](const LayerEvent& x, const LayerEvent& y) {
    if (x.key != y.key) return x.key < y.key;
    if (x.time != y.time) return x.time < y.time;
    return x.account < y.account;
  });
  return out;
}

// Pairs (i < j) in [first, last) with t_j - t_i <= d, counted with two pointers.
std::uint64_t pairs_within(const LayerEvent* first, const LayerEvent* last, std::int64_t d) {
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
  __gnu_parallel::sort(rows.begin(), rows.end(), [](const AK& x, const AK& y) {
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

LayerEdges project_layer(const EventTable& ev, Layer layer, const CoactionOptions& opt, std::int64_t window) {
  LayerEdges out;
  out.layer = layer;
  std::vector<std::uint32_t> text_key_of;
  const std::vector<LayerEvent> evs = select_layer_events(ev, layer, opt, text_key_of);
  out.events = evs.size();

  // Groups: runs of one key. The key's creation time: its target_time when given, else its first event.
  std::vector<std::uint64_t> group_start;
  std::vector<std::uint32_t> group_key;
  std::vector<std::int64_t> group_time;
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
  const std::size_t groups = group_key.size();

  // Pass 1, keys in parallel: each key's delay bound (the window, or less for a capped popular key) and the number
  // of event pairs inside it, so the records can go straight to their place in one array.
  const int threads = std::max(1, omp_get_max_threads());
  std::vector<std::int64_t> group_bound(groups, window);
  std::vector<std::uint64_t> group_pairs(groups, 0);
  std::vector<std::vector<CappedKey>> capped(static_cast<std::size_t>(threads));
  std::vector<std::uint64_t> left_out(static_cast<std::size_t>(threads), 0);
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
  const std::uint64_t budget_records = std::max<std::uint64_t>(1 << 10, opt.memory_budget_bytes / sizeof(PairRecord));

  // Pass 2: the records. Dense layers within the budget (more than kRowsFrom records per event) go account by account
  // (the rows, below, after the null inputs: no array of all records). Sparse layers within the budget: the keys
  // are swept into one array at each key's offset (no growth, no copies), then a parallel sort; streaming the
  // events in key order beats visiting them account by account when there are few records per event. Past the
  // budget: per-thread buffers spilled to disk as sorted runs and merged.
  RunStore runs(opt.spill_dir);
  std::vector<std::vector<PairRecord>> buffers(static_cast<std::size_t>(threads));
  std::unique_ptr<PairRecord[]> all;
  std::uint64_t all_size = 0;
  const bool in_memory = total_pairs <= budget_records;
  constexpr std::uint64_t kRowsFrom = 2;
  // (The rows index events with 32 bits; a layer of 2^32 events or more is swept.)
  const bool by_rows = in_memory && total_pairs > kRowsFrom * evs.size() && evs.size() < (std::uint64_t{1} << 32);
  out.by_rows = by_rows;
  const bool sorted_array = in_memory && !by_rows;
  std::vector<std::uint64_t> offset;
  if (sorted_array) {
    offset.assign(groups + 1, 0);
    for (std::size_t g = 0; g < groups; ++g) offset[g + 1] = offset[g] + group_pairs[g];
    all.reset(new PairRecord[total_pairs]);  // default-initialised: every slot used is written below
  }
  const std::size_t thread_budget = std::max<std::size_t>(1 << 10, budget_records / static_cast<std::size_t>(threads));
  std::atomic<std::uint64_t> done_events{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  // Runs work inside a parallel loop: an exception is kept (the first one) and stops every thread; the caller
  // rethrows it after the loop.
  auto guarded = [&](auto&& work) {
    try {
      work();
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      stop.store(true);
    }
  };
  auto rethrow_or_stop = [&] {
    if (failure) std::rethrow_exception(failure);
    if (stop.load()) throw Interrupted();
  };
  // Progress of the sweep, in events: thread 0 (the caller's thread, where Python can check for Ctrl-C) reports as
  // the work goes; it may have had none, so the caller's thread reports the end once more.
  auto sweep_progress = [&](std::size_t thread, std::uint64_t events) {
    const auto done = done_events.fetch_add(events) + events;
    if (thread == 0 && opt.progress && !opt.progress(ProgressUpdate{"co-action sweep", done, evs.size(), "events"}))
      stop.store(true);
  };
  auto sweep_done = [&] {
    if (opt.progress && !opt.progress(ProgressUpdate{"co-action sweep", evs.size(), evs.size(), "events"}))
      throw Interrupted();
  };
  if (!by_rows) {
#pragma omp parallel num_threads(threads)
    {
      const auto t = static_cast<std::size_t>(omp_get_thread_num());
      auto& buf = buffers[t];
#pragma omp for schedule(dynamic, 64)
      for (std::int64_t gi = 0; gi < static_cast<std::int64_t>(groups); ++gi) {
        if (stop.load(std::memory_order_relaxed)) continue;
        guarded([&] {
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
          sweep_progress(t, static_cast<std::uint64_t>(last - first));
        });
      }
      if (!in_memory) std::sort(buf.begin(), buf.end());
    }
    rethrow_or_stop();
    sweep_done();
  }
  if (sorted_array) {
    // Sort everything; the unused slots (account kNoKey, above every account id) end up past the records. Records
    // that compare equal are identical, so the order is the same whatever the thread count. (The in-place
    // balanced quicksort, which saves the mergesort's second array, was no faster at 10^7 events.)
    for (std::size_t g = 0; g < groups; ++g) all_size += group_pairs[g];
    __gnu_parallel::sort(all.get(), all.get() + total_pairs);
  }

  for (std::size_t t = 0; t < capped.size(); ++t) {
    out.capped_keys.insert(out.capped_keys.end(), capped[t].begin(), capped[t].end());
    out.pairs_left_out += left_out[t];
  }
  std::sort(out.capped_keys.begin(), out.capped_keys.end(), [](const CappedKey& x, const CappedKey& y) { return x.key < y.key; });
  out.spilled_runs = runs.paths().size();

  out.null_inputs = build_null_inputs(evs, group_start, group_time, ev.accounts.size());
  {
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
  const NullInputs& ni = out.null_inputs;
  const double n_layer = std::max<double>(1.0, ni.layer_accounts);
  std::vector<double> idf(groups);
  for (std::size_t g = 0; g < groups; ++g) idf[g] = std::log(n_layer / std::max<double>(1.0, ni.key_accounts[g]));
  std::vector<double> norm(ev.accounts.size(), 0.0);
  for (std::size_t a = 0; a < ev.accounts.size(); ++a) {
    double s = 0;
    for (auto k = ni.account_offsets[a]; k < ni.account_offsets[a + 1]; ++k) {
      const double w = ni.account_key_counts[k] * idf[ni.account_keys[k]];
      s += w * w;
    }
    norm[a] = std::sqrt(s);
  }

  // Aggregate the sorted records into one edge per pair: next(rec) yields them in order; the sink receives each
  // evidence row and then its edge.
  struct EdgeRow {
    std::uint32_t a, b, co, distinct, a_led, b_led;
    std::int64_t min_delay, median_delay;
    double idf_sum;
    std::uint32_t at_scale[LayerEdges::kScales - 1];
    std::uint32_t moments;
  };
  // Distinct moments (LayerEdges::moments): the co-acted keys' times, grouped greedily into spans of the organic scale.
  const std::int64_t moment_scale = std::max<std::int64_t>({opt.burst_scale_ms, 4 * window, 1});
  auto aggregate = [&](auto&& next, auto&& sink) {
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
  };
  auto saturate = [](std::uint32_t n) { return static_cast<std::uint16_t>(std::min<std::uint32_t>(n, 65535)); };
  // Appends each edge and its evidence rows to the columns.
  struct Append {
    LayerEdges& out;
    decltype(saturate)& sat;
    void evidence(std::uint32_t key, std::int64_t ta, std::int64_t tb) {
      out.evidence_key.push_back(key);
      out.evidence_time_a.push_back(ta);
      out.evidence_time_b.push_back(tb);
    }
    void edge(const EdgeRow& e) {
      for (auto n : e.at_scale) out.scale_targets.push_back(sat(n));
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
  // Every column at its final size before rows are written in place; the columns are spread over the threads, so
  // their first-touch page faults run side by side.
  auto size_columns = [&](std::uint64_t n_edges, std::uint64_t n_evidence) {
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
    for (std::int64_t c = 0; c < static_cast<std::int64_t>(sizing.size()); ++c) guarded(sizing[static_cast<std::size_t>(c)]);
    rethrow_or_stop();
  };
  // Writes each edge and its evidence rows at their places in columns sized beforehand.
  struct Place {
    LayerEdges& out;
    decltype(saturate)& sat;
    std::uint64_t e, v;  // next edge and evidence row
    void evidence(std::uint32_t key, std::int64_t ta, std::int64_t tb) {
      out.evidence_key[v] = key;
      out.evidence_time_a[v] = ta;
      out.evidence_time_b[v] = tb;
      ++v;
    }
    void edge(const EdgeRow& r) {
      for (int s = 0; s < LayerEdges::kScales - 1; ++s)
        out.scale_targets[e * (LayerEdges::kScales - 1) + static_cast<std::uint64_t>(s)] = sat(r.at_scale[s]);
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
  if (!in_memory) {
    // Streamed from the spilled runs.
    RecordMerger merger(runs, buffers);
    aggregate([&](PairRecord& rec) { return merger.next(rec); }, Append{out, saturate});
  } else if (sorted_array) {
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
    size_columns(edge_base.back(), evidence_base.back());
#pragma omp parallel for num_threads(static_cast<int>(n_parts)) schedule(static, 1)
    for (std::int64_t ti = 0; ti < static_cast<std::int64_t>(n_parts); ++ti) {
      const auto t = static_cast<std::size_t>(ti);
      guarded([&] {
        std::uint64_t k = bound[t];
        aggregate([&](PairRecord& rec) {
          if (k >= bound[t + 1]) return false;
          rec = all[k++];
          return true;
        }, Place{out, saturate, edge_base[t], evidence_base[t]});
      });
    }
    rethrow_or_stop();
    all.reset();
  } else {
    // In memory, account by account: a's row holds one record per pair of events on a key within the key's bound,
    // one of them a's and the other of an account b > a: (a, b, key, t_b - t_a, t_a), exactly the records the sweep
    // above makes for those pairs. Each of a's events finds them by walking its key's time-sorted events both ways
    // up to the bound. Rows go in blocks of accounts, in parallel: a first pass counts each block's edges and
    // evidence rows (distinct b's, and each b's records up to the evidence cap), every column is then allocated
    // once at its final size (the columns shared between the threads, so their first-touch page faults run side
    // by side), and a second pass sorts each row in cache and aggregates it straight into its place. Records that
    // compare equal are identical, so the result is the same for any thread count; no array of every record, and
    // no sort of it, is ever made.
    const std::size_t n_accounts = ev.accounts.size();
    std::vector<std::uint64_t> account_start(n_accounts + 1, 0);
    for (const auto& e : evs) ++account_start[e.account + 1];
    std::partial_sum(account_start.begin(), account_start.end(), account_start.begin());
    std::vector<std::uint32_t> account_events(evs.size());
    std::vector<std::uint32_t> group_of_key(groups > 0 ? static_cast<std::size_t>(group_key.back()) + 1 : 0);
    for (std::size_t g = 0; g < groups; ++g) group_of_key[group_key[g]] = static_cast<std::uint32_t>(g);
    {
      std::vector<std::uint64_t> next(account_start.begin(), account_start.end() - 1);
      for (std::size_t i = 0; i < evs.size(); ++i) account_events[next[evs[i].account]++] = static_cast<std::uint32_t>(i);
    }
    // Calls f(b, group, t_b - t_a, t_a) for every record of a's row, in the order of a's events.
    auto for_each_row_record = [&](std::uint32_t a, auto&& f) {
      for (auto k = account_start[a]; k < account_start[a + 1]; ++k) {
        const std::uint64_t i = account_events[k];
        const std::uint32_t g = group_of_key[evs[i].key];
        const std::int64_t d = group_bound[g];
        if (d < 0) continue;
        const std::int64_t ta = evs[i].time;
        for (std::uint64_t j = i; j > group_start[g] && evs[j - 1].time >= ta - d; --j)
          if (evs[j - 1].account > a) f(evs[j - 1].account, g, evs[j - 1].time - ta, ta);
        for (std::uint64_t j = i + 1; j < group_start[g + 1] && evs[j].time <= ta + d; ++j)
          if (evs[j].account > a) f(evs[j].account, g, evs[j].time - ta, ta);
      }
    };
    constexpr std::size_t kBlockAccounts = 256;
    const auto n_blocks = static_cast<std::size_t>((n_accounts + kBlockAccounts - 1) / kBlockAccounts);
    auto block_range = [&](std::size_t block) {
      const std::size_t first = block * kBlockAccounts;
      return std::pair{first, std::min(n_accounts, first + kBlockAccounts)};
    };

    // First pass: each block's edges and evidence rows.
    std::vector<std::uint64_t> edge_base(n_blocks + 1, 0), evidence_base(n_blocks + 1, 0);
#pragma omp parallel num_threads(threads)
    {
      std::vector<std::uint32_t> records_of(n_accounts, 0);  // per b: records in the current row
      std::vector<std::uint32_t> touched;
#pragma omp for schedule(dynamic, 4)
      for (std::int64_t bi = 0; bi < static_cast<std::int64_t>(n_blocks); ++bi) {
        if (stop.load(std::memory_order_relaxed)) continue;
        guarded([&] {
          const auto [first, last] = block_range(static_cast<std::size_t>(bi));
          std::uint64_t edges = 0, evidence = 0;
          for (std::size_t a = first; a < last; ++a) {
            for_each_row_record(static_cast<std::uint32_t>(a), [&](std::uint32_t b, std::uint32_t, std::int64_t, std::int64_t) {
              if (records_of[b]++ == 0) touched.push_back(b);
            });
            edges += touched.size();
            for (auto b : touched) {
              evidence += std::min<std::uint64_t>(records_of[b], opt.evidence_per_edge);
              records_of[b] = 0;
            }
            touched.clear();
          }
          edge_base[static_cast<std::size_t>(bi) + 1] = edges;
          evidence_base[static_cast<std::size_t>(bi) + 1] = evidence;
        });
      }
    }
    rethrow_or_stop();
    std::partial_sum(edge_base.begin(), edge_base.end(), edge_base.begin());
    std::partial_sum(evidence_base.begin(), evidence_base.end(), evidence_base.begin());
    size_columns(edge_base.back(), evidence_base.back());

    // Second pass: each row sorted and aggregated into its place. A row's records share a, so the sort is by b
    // and then within each b: a long row is radix-sorted by b; in a short one the records are counted per b, the
    // distinct b's sorted and the records scattered into their b's bucket; then each b's records (a pair's few
    // co-actions) are sorted on their own. Records that compare equal are identical, so this is the order
    // std::sort gives the whole row.
#pragma omp parallel num_threads(threads)
    {
      const auto t = static_cast<std::size_t>(omp_get_thread_num());
      std::vector<PairRecord> row, sorted;
      constexpr std::size_t kRadixRow = 64;  // records from which a row is radix-sorted (below: bucketed)
      constexpr unsigned kRadixBits = 11;
      constexpr std::uint32_t kRadixMask = (1u << kRadixBits) - 1;
      unsigned b_bits = 1;
      while (b_bits < 32 && (std::uint64_t{1} << b_bits) < n_accounts) ++b_bits;
      std::vector<std::uint32_t> bucket_of(n_accounts, 0);  // per b: records, then the next slot of its bucket
      std::vector<std::uint32_t> bs;                        // the row's distinct b's
#pragma omp for schedule(dynamic, 4)
      for (std::int64_t bi = 0; bi < static_cast<std::int64_t>(n_blocks); ++bi) {
        if (stop.load(std::memory_order_relaxed)) continue;
        guarded([&] {
          const auto [first, last] = block_range(static_cast<std::size_t>(bi));
          Place place{out, saturate, edge_base[static_cast<std::size_t>(bi)], evidence_base[static_cast<std::size_t>(bi)]};
          for (std::size_t ai = first; ai < last; ++ai) {
            const auto a = static_cast<std::uint32_t>(ai);
            row.clear();
            for_each_row_record(a, [&](std::uint32_t b, std::uint32_t g, std::int64_t delay, std::int64_t ta) {
              row.push_back({a, b, g, static_cast<std::int32_t>(delay), ta});
            });
            if (row.empty()) continue;
            PairRecord* ordered;  // the row's records sorted by b
            if (row.size() >= kRadixRow) {
              // A long row: a stable least-significant-digit radix sort by b (kRadixBits of b per pass, the counts in
              // cache, where the per-b buckets below would touch a random entry of an array over all accounts for
              // every record).
              sorted.resize(row.size());
              PairRecord* from = row.data();
              PairRecord* to = sorted.data();
              for (unsigned shift = 0; shift < b_bits; shift += kRadixBits) {
                std::uint32_t count[(1u << kRadixBits) + 1] = {};
                for (std::size_t k = 0; k < row.size(); ++k) ++count[((from[k].b >> shift) & kRadixMask) + 1];
                for (std::uint32_t d = 0; d < (1u << kRadixBits); ++d) count[d + 1] += count[d];
                for (std::size_t k = 0; k < row.size(); ++k) to[count[(from[k].b >> shift) & kRadixMask]++] = from[k];
                std::swap(from, to);
              }
              ordered = from;
            } else {
              // A short row: the records counted per b, the distinct b's sorted, the records scattered into their
              // b's bucket (in row order, as the radix sort leaves them).
              for (const PairRecord& r : row)
                if (bucket_of[r.b]++ == 0) bs.push_back(r.b);
              std::sort(bs.begin(), bs.end());
              std::uint32_t next = 0;  // bucket_of[b]: from b's count to the start of its bucket
              for (const std::uint32_t b : bs) {
                const std::uint32_t records = bucket_of[b];
                bucket_of[b] = next;
                next += records;
              }
              sorted.resize(row.size());
              for (const PairRecord& r : row) sorted[bucket_of[r.b]++] = r;
              for (const std::uint32_t b : bs) bucket_of[b] = 0;
              bs.clear();
              ordered = sorted.data();
            }
            // Then each b's records (a pair's few co-actions) sorted on their own.
            const std::size_t n_records = row.size();
            for (std::size_t k = 1, begin = 0; k <= n_records; ++k)
              if (k == n_records || ordered[k].b != ordered[begin].b) {
                if (k - begin > 1) std::sort(ordered + begin, ordered + k);
                begin = k;
              }
            std::size_t k = 0;
            aggregate([&](PairRecord& rec) {
              if (k >= n_records) return false;
              rec = ordered[k++];
              return true;
            }, place);
          }
          sweep_progress(t, account_start[last] - account_start[first]);
        });
      }
    }
    rethrow_or_stop();
    sweep_done();
  }

  // Common keys and TF-IDF cosine over each pair's full key lists, pairs in parallel. The edges come sorted by
  // (a, b), so each thread scatters a's keys once into a table indexed by key (the position in a's list + 1) and a
  // bit set, and scans each b's list against them, in key order as the merge does, with the same products: the sums
  // are bit for bit the merge's. A pair whose b has over 16 times a's keys uses the merge (binary searches in b's
  // list); when a's list is the long one, it is already in the table (loaded once for all of a's pairs), and
  // scanning b's short list against it is cheaper than binary searches in a's (warm projection at planted 10^7:
  // this pass 5.4-7.3 s -> 3.9-4.8 s).
  // The same pass leaves the null model each pair's sum of key floors over its common whole-window keys
  // (NullInputs::edge_whole_floor) and its common capped key (edge_capped_key), and each account's capped keys.
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
  out.expected.assign(m, 0.0);
  out.p_value.assign(m, 1.0);
  out.sync_p.assign(m, 1.0);
  out.cotarget_expected.assign(m, 0.0);
  out.cotarget_p.assign(m, 1.0);
  out.kept.assign(m, 1);
  return out;
}

}  // namespace

WindowEstimate estimate_window(const EventTable& ev, const CoactionOptions& opt) {
  // Use the first selected layer's keys (co-share by default), as CooRnet uses the shares of a link.
  const Layer layer = opt.layers.empty() ? Layer::CoShare : opt.layers.front();
  std::vector<std::uint32_t> unused;
  const auto evs = select_layer_events(ev, layer, opt, unused);
  // Per key with 2 or more events: time to the second event, and time to the first event past half of them.
  struct KeySpeed {
    std::int64_t to_second, to_half;
  };
  std::vector<KeySpeed> keys;
  std::size_t start = 0;
  for (std::size_t i = 1; i <= evs.size(); ++i) {
    if (i < evs.size() && evs[i].key == evs[start].key) continue;
    const std::size_t n = i - start;
    if (n >= 2) {
      std::size_t half = 0;  // 0-based rank r with (r + 1) / n > 0.5
      while (2 * (half + 1) <= n) ++half;
      keys.push_back({evs[start + 1].time - evs[start].time, evs[start + half].time - evs[start].time});
    }
    start = i;
  }
  WindowEstimate est;
  est.keys_used = keys.size();
  if (keys.size() < 10) {
    est.window_ms = opt.window_ms;
    est.method = "fewer than 10 keys with 2 or more events: kept the given window";
    return est;
  }
  auto quantile = [](std::vector<std::int64_t> v, double q) {
    auto it = v.begin() + static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), it, v.end());
    return *it;
  };
  std::vector<std::int64_t> second;
  for (const auto& k : keys) second.push_back(k.to_second);
  const std::int64_t fast = quantile(second, 0.1);
  std::vector<std::int64_t> half;
  for (const auto& k : keys)
    if (k.to_second <= fast) half.push_back(k.to_half);
  est.window_ms = std::clamp<std::int64_t>(quantile(half, 0.1), 1000, 3'600'000);
  est.method = "CooRnet-style: among the " + std::to_string(half.size()) + " of " + std::to_string(keys.size()) +
               " keys whose second event came fastest (10% quantile, " + std::to_string(fast / 1000) +
               " s), the 10% quantile of the time to reach half of their events; clamped to [1 s, 1 h]";
  return est;
}

CoactionNetwork coaction_projection(const EventTable& events, const CoactionOptions& options) {
  if (options.window_ms < 0) throw UsageError("the window must be non-negative");
  if (options.window_ms > std::numeric_limits<std::int32_t>::max())
    throw UsageError("the window must be under 24 days");
  CoactionNetwork net;
  net.window_ms = options.window_ms;
  if (options.auto_window) {
    net.window_estimate = estimate_window(events, options);
    net.window_ms = net.window_estimate.window_ms;
  }
  for (Layer layer : projection_layers(events, options))
    net.layers.push_back(project_layer(events, layer, options, net.window_ms));
  return net;
}

std::vector<Layer> layers_with_events(const EventTable& ev, const CoactionOptions& opt) {
  std::vector<Layer> out;
  const std::uint32_t empty_target = ev.targets.find("");
  for (const Layer layer : {Layer::CoShare, Layer::CoUrl, Layer::CoHashtag, Layer::CoReply}) {
    const std::vector<bool> selected = selected_actions(ev, opt, layer);
    for (std::size_t i = 0; i < ev.size(); ++i)
      if (selected[ev.action[i]] && ev.target[i] != empty_target) {
        out.push_back(layer);
        break;
      }
  }
  // co-text: some event's text keeps something after normalising (every text in the dictionary belongs to an event).
  for (std::uint32_t t = 0; t < ev.texts.size(); ++t)
    if (!normalise_text(ev.texts[t]).empty()) {
      out.push_back(Layer::CoText);
      break;
    }
  if (out.empty()) out.push_back(Layer::CoShare);
  return out;
}

std::vector<Layer> projection_layers(const EventTable& events, const CoactionOptions& options) {
  return options.auto_layers ? layers_with_events(events, options) : options.layers;
}

}  // namespace cibgraph

namespace cibgraph {

EdgeWeight parse_edge_weight(std::string_view name) {
  if (name == "count") return EdgeWeight::Count;
  if (name == "distinct") return EdgeWeight::DistinctTargets;
  if (name == "idf") return EdgeWeight::Idf;
  if (name == "tfidf") return EdgeWeight::TfIdf;
  throw UsageError("unknown weight '" + std::string(name) + "' (use count, distinct, idf or tfidf)");
}

double edge_weight(const LayerEdges& l, std::size_t i, EdgeWeight kind) {
  switch (kind) {
    case EdgeWeight::Count: return l.co_actions[i];
    case EdgeWeight::DistinctTargets: return l.distinct_targets[i];
    case EdgeWeight::Idf: return l.idf_weight[i];
    case EdgeWeight::TfIdf: return l.tfidf_cosine[i];
  }
  return 0;
}

Graph fuse_layers(const CoactionNetwork& net, std::uint32_t n_accounts, const FusionOptions& opt) {
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weight;
  for (const auto& l : net.layers) {
    double largest = 0;
    for (std::size_t i = 0; i < l.size(); ++i)
      if (!opt.kept_only || l.kept[i]) largest = std::max(largest, edge_weight(l, i, opt.weight));
    if (largest <= 0) continue;
    const auto li = static_cast<std::size_t>(l.layer);
    const double factor = (li < opt.layer_weights.size() ? opt.layer_weights[li] : 1.0) / largest;
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (opt.kept_only && !l.kept[i]) continue;
      const double w = edge_weight(l, i, opt.weight) * factor;
      if (w <= 0) continue;
      src.push_back(l.a[i]);
      dst.push_back(l.b[i]);
      weight.push_back(static_cast<float>(w));
    }
  }
  return Graph::from_edges(n_accounts, src, dst, weight, false, DuplicatePolicy::Sum);
}

}  // namespace cibgraph
