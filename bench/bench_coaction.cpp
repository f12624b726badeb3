// Co-action projection throughput and peak memory: the co-share layer with a 60 s window and default options,
// and the stage after it (null model, Benjamini-Hochberg filter, clusters) timed apart. Wall-clock time is the
// measure (both stages run with OpenMP); CPU is the whole process's, all threads, so CPU / wall shows how much
// of the time more than one core was busy.
//
// Two inputs, each generated in memory once per size, outside the timed loop, and dropped before the next:
//   planted    the planted-campaign scenario (datasets/planted_campaigns.hpp), seed 1. Its planted networks
//              grow as E^0.75 and each is a near-clique of co-sharing accounts, so its pairs and edges grow
//              faster than its events (the per-target cap binds from 10^7 on): the realistic case, not a linear one.
//   synthetic  an organic background only, cheap to build at 10^8: E/20 posts at uniform times over 30 days with
//              Pareto(1.5) popularity capped at 300x (as the planted organic posts), accounts of heavy-tailed
//              activity (account i chosen with probability ~ i^-1/2: the busiest of 10^8 events acts ~24,000
//              times), delays log-normal with a median of 2 h and sigma 1.6 (the planted organic delays),
//              events in time order as in an export. 0.40-0.45 event pairs per event at every size: the linear case.
//
// Sizes: --sizes=1e5,1e6,1e7 (or CIBGRAPH_BENCH_SIZES) for planted, --synthetic-sizes=1e6,1e7 (or
// CIBGRAPH_BENCH_SYNTHETIC_SIZES) for synthetic; the flags win, an empty list runs none. "1e6", "10^6" and
// "1000000" all work. Run one size per process for memory figures that cannot be mixed up.
//
// Memory: before each timed run the process's peak RSS is reset (writing 5 to /proc/self/clear_refs), so
// `peak_rss` is the peak while the stage ran (the input table and everything else resident included) and
// `stage_extra` what the stage added on top of the RSS it started from. Where the reset is refused (an old
// kernel) `hwm_reset` is 0 and peak_rss is the process high-water mark so far: then run one size per process.
//
// 10^8 events: the planted generator accepts up to 10^9 events (the CLI stops at 2*10^7), but at 10^8 its
// largest network has ~47,000 members and the network it produces would not fit in memory; the synthetic input
// does at 10^8 (bench/compare/coaction_results.md has the figures and estimates).
#include <benchmark/benchmark.h>

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/datasets/planted_campaigns.hpp"
#include "cibgraph/significance.hpp"

namespace {

using cibgraph::CoactionNetwork;
using cibgraph::EventTable;

// --- sizes -------------------------------------------------------------------------------------------------

// "1e6", "1000000" or "10^6".
std::uint64_t parse_count(const std::string& s) {
  if (auto caret = s.find('^'); caret != std::string::npos) {
    std::uint64_t v = 1;
    const auto base = std::stoull(s.substr(0, caret)), exp = std::stoull(s.substr(caret + 1));
    for (std::uint64_t i = 0; i < exp; ++i) v *= base;
    return v;
  }
  return static_cast<std::uint64_t>(std::stod(s));
}

std::vector<std::uint64_t> parse_sizes(const std::string& list) {
  std::vector<std::uint64_t> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    const std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(parse_count(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// --- memory --------------------------------------------------------------------------------------------------

// A field of /proc/self/status in bytes (VmRSS, VmHWM), 0 when unreadable.
std::uint64_t status_bytes(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t n = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':')
      return std::strtoull(line.c_str() + n + 1, nullptr, 10) * 1024;
  return 0;
}

// Resets VmHWM to the current RSS; false when the kernel refuses.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

struct MemoryProbe {
  std::uint64_t rss_before = 0;
  bool reset = false;
  void start() {
    reset = reset_peak_rss();
    rss_before = status_bytes("VmRSS");
  }
  void report(benchmark::State& state) const {
    const std::uint64_t peak = status_bytes("VmHWM");
    state.counters["peak_rss"] = benchmark::Counter(static_cast<double>(peak), benchmark::Counter::kDefaults,
                                                    benchmark::Counter::kIs1024);
    state.counters["stage_extra"] =
        benchmark::Counter(static_cast<double>(peak > rss_before ? peak - rss_before : 0),
                           benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
    state.counters["hwm_reset"] = reset ? 1 : 0;
  }
};

// --- inputs, one size at a time ------------------------------------------------------------------------------

enum class Source { Planted, Synthetic };

const char* source_name(Source s) { return s == Source::Planted ? "planted" : "synthetic"; }

// Walker's alias method: O(1) draws from a discrete distribution.
class AliasTable {
 public:
  explicit AliasTable(const std::vector<double>& weights) : prob_(weights.size()), alias_(weights.size()) {
    const std::size_t n = weights.size();
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / total;
      (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const auto s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (auto i : large) prob_[i] = 1.0, alias_[i] = i;
    for (auto i : small) prob_[i] = 1.0, alias_[i] = i;
  }
  std::uint32_t draw(std::mt19937_64& rng) const {
    const std::uint64_t bits = rng();
    const auto i = static_cast<std::uint32_t>((bits >> 32) * prob_.size() >> 32);
    const double u = static_cast<double>(bits & 0xffffffffu) / 4294967296.0;
    return u < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

double uniform_open(std::mt19937_64& rng) { return (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0; }

double standard_normal(std::mt19937_64& rng) {  // Box-Muller, one value per call
  return std::sqrt(-2.0 * std::log(uniform_open(rng))) * std::cos(6.283185307179586 * uniform_open(rng));
}

// The synthetic organic table described at the top of this file.
EventTable synthetic_event_table(std::uint64_t n_events, std::uint64_t seed) {
  constexpr std::int64_t start_ms = 1'709'251'200'000;  // 2024-03-01T00:00:00Z
  constexpr std::int64_t day_ms = 86'400'000;
  constexpr double delay_median_ms = 2.0 * 3'600'000, delay_sigma = 1.6;
  const std::uint64_t n_posts = std::max<std::uint64_t>(1, n_events / 20);
  const std::uint64_t n_accounts = std::max<std::uint64_t>(2, n_events / 6);
  std::mt19937_64 rng(seed);

  std::vector<std::int64_t> post_time(n_posts);
  std::vector<double> popularity(n_posts);
  for (std::uint64_t p = 0; p < n_posts; ++p) {
    post_time[p] = start_ms + static_cast<std::int64_t>(uniform_open(rng) * 29.0 * day_ms);
    popularity[p] = std::min(std::pow(uniform_open(rng), -1.0 / 1.5), 300.0);
  }
  const AliasTable posts(popularity);
  popularity = {};

  struct Row {
    std::int64_t time;
    std::uint32_t account, post;
  };
  std::vector<Row> rows(n_events);
  for (auto& r : rows) {
    r.post = posts.draw(rng);
    const double u = uniform_open(rng);
    r.account = static_cast<std::uint32_t>(std::min<double>(static_cast<double>(n_accounts) * u * u,
                                                            static_cast<double>(n_accounts - 1)));
    const double delay = delay_median_ms * std::exp(delay_sigma * standard_normal(rng));
    r.time = post_time[r.post] + std::max<std::int64_t>(5'000, static_cast<std::int64_t>(delay));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.time < b.time; });

  EventTable t;
  t.reserve(n_events);
  const std::uint32_t share = t.actions.intern("share");
  constexpr std::uint32_t kUnset = 0xFFFFFFFFu;
  std::vector<std::uint32_t> account_id(n_accounts, kUnset), post_id(n_posts, kUnset);
  for (const Row& r : rows) {  // ids interned in order of first appearance, as ingest does
    if (account_id[r.account] == kUnset) account_id[r.account] = t.accounts.intern("a" + std::to_string(r.account));
    if (post_id[r.post] == kUnset) post_id[r.post] = t.targets.intern("p" + std::to_string(r.post));
    t.account.push_back(account_id[r.account]);
    t.action.push_back(static_cast<std::uint8_t>(share));
    t.target.push_back(post_id[r.post]);
    t.time.push_back(r.time);
    t.text.push_back(cibgraph::kNoText);
  }
  return t;
}

struct Workload {
  Source source = Source::Planted;
  std::uint64_t requested = 0;
  EventTable events;
  double generate_seconds = 0;
  std::optional<CoactionNetwork> network;  // the last projection, for the significance benchmark
};

std::unique_ptr<Workload> current;

Workload& workload(Source source, std::uint64_t events) {
  if (current && current->source == source && current->requested == events) return *current;
  current.reset();  // free the previous input before building the next
  auto w = std::make_unique<Workload>();
  w->source = source;
  w->requested = events;
  const auto t0 = std::chrono::steady_clock::now();
  if (source == Source::Planted) {
    cibgraph::datasets::PlantedOptions o;
    o.events = events;
    o.seed = 1;
    const auto scenario = cibgraph::datasets::generate_planted_campaigns(o);
    w->events = cibgraph::datasets::planted_event_table(scenario);
  } else {
    w->events = synthetic_event_table(events, 1);
  }
  w->generate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  current = std::move(w);
  return *current;
}

cibgraph::CoactionOptions projection_options() {
  cibgraph::CoactionOptions o;  // co-share, 60 s, default cap, budget and evidence
  o.layers = {cibgraph::Layer::CoShare};
  o.window_ms = 60'000;
  return o;
}

void network_counters(benchmark::State& state, const CoactionNetwork& net) {
  std::uint64_t pairs = 0, edges = 0, capped = 0, left_out = 0, spilled = 0, layer_events = 0;
  for (const auto& l : net.layers) {
    edges += l.size();
    for (auto c : l.co_actions) pairs += c;
    capped += l.capped_keys.size();
    left_out += l.pairs_left_out;
    spilled += l.spilled_runs;
    layer_events += l.events;
  }
  state.counters["pairs"] = static_cast<double>(pairs);                // event pairs inside the window (kept)
  state.counters["edges"] = static_cast<double>(edges);                // unordered account pairs
  state.counters["layer_events"] = static_cast<double>(layer_events);  // share events the layer read
  state.counters["capped_keys"] = static_cast<double>(capped);         // popular targets over the cap
  state.counters["pairs_left_out"] = static_cast<double>(left_out);    // by the cap (the loosest pairs)
  state.counters["spilled_runs"] = static_cast<double>(spilled);
}

// --- benchmarks ----------------------------------------------------------------------------------------------

void BM_CoactionProjection(benchmark::State& state, Source source, std::uint64_t size) {
  Workload& w = workload(source, size);
  const auto options = projection_options();
  w.network.reset();
  MemoryProbe memory;
  memory.start();
  for (auto _ : state) {
    CoactionNetwork net = cibgraph::coaction_projection(w.events, options);
    benchmark::DoNotOptimize(net.layers.data());
    w.network = std::move(net);
  }
  memory.report(state);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * w.events.size()));
  state.counters["events"] = static_cast<double>(w.events.size());
  state.counters["accounts"] = static_cast<double>(w.events.accounts.size());
  state.counters["generate_s"] = w.generate_seconds;
  state.counters["threads"] = omp_get_max_threads();
  network_counters(state, *w.network);
}

// apply_null_model on every layer, the default filter (BH at q = 0.01, at least 2 distinct targets) and the
// clusters of the kept network. The projection it starts from is built outside the timed loop (or reused).
void BM_SignificanceAndClusters(benchmark::State& state, Source source, std::uint64_t size) {
  Workload& w = workload(source, size);
  if (!w.network) w.network = cibgraph::coaction_projection(w.events, projection_options());
  CoactionNetwork& net = *w.network;
  const cibgraph::SignificanceOptions sig;
  std::uint64_t kept = 0, clusters = 0, coordinated = 0, flagged = 0;
  MemoryProbe memory;
  memory.start();
  for (auto _ : state) {
    for (auto& l : net.layers) cibgraph::apply_null_model(l, net.window_ms);
    kept = cibgraph::filter_edges(net, sig);
    const auto found = cibgraph::coordination_clusters(net, w.events.accounts.size(), sig);
    clusters = found.size();
    coordinated = flagged = 0;
    for (const auto& c : found)
      if (c.coordinated) {
        ++coordinated;
        flagged += c.members.size();
      }
    benchmark::DoNotOptimize(kept);
  }
  memory.report(state);
  std::uint64_t edges = 0;
  for (const auto& l : net.layers) edges += l.size();
  // Items: the edges tested.
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * edges));
  state.counters["events"] = static_cast<double>(w.events.size());
  state.counters["edges"] = static_cast<double>(edges);
  state.counters["kept"] = static_cast<double>(kept);
  state.counters["clusters"] = static_cast<double>(clusters);
  state.counters["coordinated"] = static_cast<double>(coordinated);
  state.counters["flagged_accounts"] = static_cast<double>(flagged);
}

void register_size(Source source, std::uint64_t size) {
  const std::string suffix = std::string("/") + source_name(source) + "/events:" + std::to_string(size);
  benchmark::RegisterBenchmark(("BM_CoactionProjection" + suffix).c_str(), BM_CoactionProjection, source, size)
      ->Iterations(1)
      ->UseRealTime()
      ->MeasureProcessCPUTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("BM_SignificanceAndClusters" + suffix).c_str(), BM_SignificanceAndClusters, source,
                               size)
      ->Iterations(1)
      ->UseRealTime()
      ->MeasureProcessCPUTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
  std::string planted = "1e5,1e6,1e7", synthetic = "1e6,1e7";
  if (const char* env = std::getenv("CIBGRAPH_BENCH_SIZES")) planted = env;
  if (const char* env = std::getenv("CIBGRAPH_BENCH_SYNTHETIC_SIZES")) synthetic = env;
  // Take our own flags out of argv before Google Benchmark sees them.
  int kept_args = 0;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (i > 0 && (a.rfind("--sizes=", 0) == 0 || a.rfind("--size=", 0) == 0)) {
      planted = a.substr(a.find('=') + 1);
      continue;
    }
    if (i > 0 && a.rfind("--synthetic-sizes=", 0) == 0) {
      synthetic = a.substr(a.find('=') + 1);
      continue;
    }
    argv[kept_args++] = argv[i];
  }
  argc = kept_args;

  std::vector<std::uint64_t> planted_sizes, synthetic_sizes;
  try {
    planted_sizes = parse_sizes(planted);
    synthetic_sizes = parse_sizes(synthetic);
  } catch (const std::exception&) {
    std::cerr << "bench_coaction: cannot read the sizes '" << planted << "' / '" << synthetic
              << "' (e.g. --sizes=1e5,1e6 --synthetic-sizes=1e7)\n";
    return 2;
  }
  // Per input and size: the projection, then the significance stage on its result; sizes in the order given.
  for (const auto size : planted_sizes) register_size(Source::Planted, size);
  for (const auto size : synthetic_sizes) register_size(Source::Synthetic, size);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
