// Shortest-path centralities on R-MAT graphs (Graph500 parameters, undirected, 16 edges per vertex on average before
// merging): exact betweenness at 10^4 to 10^6 edges, sampled betweenness (k = 256 sources) at 10^4 to 10^7 edges,
// hop counts and weighted (lengths uniform in [1, 10)), closeness and harmonic centrality at 10^4 to 10^6 edges.
// Exact betweenness, closeness and harmonic cost O(n m): at 10^6 edges they run once, hop counts only.
// Wall-clock time (OpenMP). items_per_second counts arcs scanned by the single-source passes (sources x arcs).
#include <bit>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "cibgraph/algorithms/centrality/betweenness.hpp"
#include "cibgraph/algorithms/centrality/closeness.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/graph.hpp"
#include "bench_sizes.hpp"

namespace {

constexpr std::uint64_t edges_per_vertex = 16;
constexpr std::uint32_t sampled_sources = 256;

// One graph per (edge count, weighted), built once: R-MAT at 10^7 edges takes seconds to generate.
const cibgraph::Graph& rmat_graph(std::uint64_t m, bool weighted) {
  static std::map<std::pair<std::uint64_t, bool>, cibgraph::Graph> cache;
  const auto key = std::make_pair(m, weighted);
  auto it = cache.find(key);
  if (it == cache.end()) {
    const auto scale = static_cast<std::uint32_t>(std::bit_width(m / edges_per_vertex) - 1);
    auto e = cibgraph::datasets::rmat(scale, m, 2026);
    if (weighted) {
      cibgraph::datasets::SplitMix64 rng(7);
      e.weights.resize(e.src.size());
      for (float& w : e.weights) w = static_cast<float>(1.0 + 9.0 * rng.uniform());
    }
    it = cache.emplace(key, cibgraph::Graph::from_edges(e.n, e.src, e.dst, e.weights, false,
                                                        cibgraph::DuplicatePolicy::First))
             .first;
  }
  return it->second;
}

void set_counters(benchmark::State& state, const cibgraph::Graph& g, std::uint64_t sources) {
  state.counters["edges"] = static_cast<double>(g.num_edges());
  state.counters["vertices"] = static_cast<double>(g.num_vertices());
  state.counters["sources"] = static_cast<double>(sources);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sources * g.num_arcs()));
}

void betweenness(benchmark::State& state, bool weighted, std::uint32_t samples) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), weighted);
  cibgraph::BetweennessOptions o;
  o.weighted = weighted;
  o.samples = samples;
  o.seed = 1;
  std::uint32_t sources = 0;
  for (auto _ : state) {
    const auto result = cibgraph::betweenness(g, o);
    sources = result.sources;
    benchmark::DoNotOptimize(result.scores.data());
  }
  set_counters(state, g, sources);
}

void BM_BetweennessExact(benchmark::State& state) { betweenness(state, false, 0); }
void BM_BetweennessExactWeighted(benchmark::State& state) { betweenness(state, true, 0); }
void BM_BetweennessSampled(benchmark::State& state) { betweenness(state, false, sampled_sources); }
void BM_BetweennessSampledWeighted(benchmark::State& state) { betweenness(state, true, sampled_sources); }

void BM_Closeness(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), false);
  for (auto _ : state) {
    const auto scores = cibgraph::closeness(g);
    benchmark::DoNotOptimize(scores.data());
  }
  set_counters(state, g, g.num_vertices());
}

void BM_Harmonic(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), false);
  for (auto _ : state) {
    const auto scores = cibgraph::harmonic_centrality(g);
    benchmark::DoNotOptimize(scores.data());
  }
  set_counters(state, g, g.num_vertices());
}

void BM_HarmonicWeighted(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), true);
  for (auto _ : state) {
    const auto scores = cibgraph::harmonic_centrality(g, true);
    benchmark::DoNotOptimize(scores.data());
  }
  set_counters(state, g, g.num_vertices());
}

// All-sources kernels are O(n m): up to 10^5 edges timed as usual, 10^6 once (Iterations is per registration).
void all_sources_small(benchmark::internal::Benchmark* b) {
  cibgraph::bench::powers_of_ten(b, 10'000, 100'000);
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}
// 10^6 edges, registered only when CIBGRAPH_BENCH_MAX_EDGES allows that many (a benchmark without an argument
// cannot be registered).
void register_all_sources_large(const char* name, void (*fn)(benchmark::State&)) {
  if (!cibgraph::bench::within_cap(1'000'000)) return;
  benchmark::RegisterBenchmark(name, fn)->Arg(1'000'000)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
}

void sampled_sizes(benchmark::internal::Benchmark* b) {
  cibgraph::bench::powers_of_ten(b, 10'000, 10'000'000);
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_BetweennessSampled)->Apply(sampled_sizes);
BENCHMARK(BM_BetweennessSampledWeighted)->Apply(sampled_sizes);
BENCHMARK(BM_BetweennessExact)->Apply(all_sources_small);
BENCHMARK(BM_BetweennessExactWeighted)->Apply(all_sources_small);
BENCHMARK(BM_Closeness)->Apply(all_sources_small);
BENCHMARK(BM_Harmonic)->Apply(all_sources_small);
BENCHMARK(BM_HarmonicWeighted)->Apply(all_sources_small);
[[maybe_unused]] const bool all_sources_large_registered = [] {
  register_all_sources_large("BM_BetweennessExact", BM_BetweennessExact);
  register_all_sources_large("BM_Closeness", BM_Closeness);
  register_all_sources_large("BM_Harmonic", BM_Harmonic);
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
