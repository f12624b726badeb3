// Connected components (undirected), strongly connected components (directed), core numbers and modularity on
// R-MAT graphs (Graph500 parameters) of 10^4 to 10^7 edges, 16 edges per vertex on average before merging.
// Wall-clock time, since connected components and modularity run in parallel (OpenMP).
#include <bit>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "cibgraph/algorithms/community/quality.hpp"
#include "cibgraph/algorithms/components/components.hpp"
#include "cibgraph/algorithms/components/kcore.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/graph.hpp"
#include "bench_sizes.hpp"

namespace {

constexpr std::uint64_t edges_per_vertex = 16;

// One graph per (edge count, directedness), built once: R-MAT at 10^7 edges takes seconds to generate.
const cibgraph::Graph& rmat_graph(std::uint64_t m, bool directed) {
  static std::map<std::pair<std::uint64_t, bool>, cibgraph::Graph> cache;
  const auto key = std::make_pair(m, directed);
  auto it = cache.find(key);
  if (it == cache.end()) {
    const auto scale = static_cast<std::uint32_t>(std::bit_width(m / edges_per_vertex) - 1);
    const auto e = cibgraph::datasets::rmat(scale, m, 2026);
    it = cache.emplace(key, cibgraph::Graph::from_edges(e.n, e.src, e.dst, e.weights, directed)).first;
  }
  return it->second;
}

void set_counters(benchmark::State& state, const cibgraph::Graph& g) {
  state.counters["edges"] = static_cast<double>(g.num_edges());
  state.counters["vertices"] = static_cast<double>(g.num_vertices());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_arcs()));
}

void BM_ConnectedComponents(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), false);
  for (auto _ : state) {
    auto c = cibgraph::connected_components(g);
    benchmark::DoNotOptimize(c.label.data());
  }
  set_counters(state, g);
}

void BM_StronglyConnectedComponents(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), true);
  for (auto _ : state) {
    auto c = cibgraph::strongly_connected_components(g);
    benchmark::DoNotOptimize(c.label.data());
  }
  set_counters(state, g);
}

void BM_CoreNumbers(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), false);
  for (auto _ : state) {
    auto cores = cibgraph::core_numbers(g);
    benchmark::DoNotOptimize(cores.data());
  }
  set_counters(state, g);
}

void BM_Modularity(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), false);
  // A partition with the usual shape of a detection result: many communities, neighbours often together.
  // Weak components are too coarse on R-MAT (one giant), so vertices are grouped by id blocks of 64.
  std::vector<std::uint32_t> membership(g.num_vertices());
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) membership[v] = v / 64;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cibgraph::modularity(g, membership));
  }
  set_counters(state, g);
}

// The partition measures on two partitions of the same shape as above: blocks of 64 and blocks of 50 (so NMI and
// ARI compare two different partitions, as when two detection runs are compared).
std::vector<std::uint32_t> blocks_of(std::uint32_t n, std::uint32_t size) {
  std::vector<std::uint32_t> membership(n);
  for (std::uint32_t v = 0; v < n; ++v) membership[v] = v / size;
  return membership;
}

void BM_Conductance(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), false);
  const auto membership = blocks_of(g.num_vertices(), 64);
  for (auto _ : state) {
    auto c = cibgraph::conductance(g, membership);
    benchmark::DoNotOptimize(c.data());
  }
  set_counters(state, g);
}

void BM_Coverage(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), false);
  const auto membership = blocks_of(g.num_vertices(), 64);
  for (auto _ : state) benchmark::DoNotOptimize(cibgraph::coverage(g, membership));
  set_counters(state, g);
}

void BM_CpmQuality(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), false);
  const auto membership = blocks_of(g.num_vertices(), 64);
  for (auto _ : state) benchmark::DoNotOptimize(cibgraph::cpm_quality(g, membership, 0.05));
  set_counters(state, g);
}

void BM_NormalizedMutualInformation(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), false);
  const auto a = blocks_of(g.num_vertices(), 64), b = blocks_of(g.num_vertices(), 50);
  for (auto _ : state) benchmark::DoNotOptimize(cibgraph::normalized_mutual_information(a, b));
  set_counters(state, g);
}

void BM_AdjustedRandIndex(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)), false);
  const auto a = blocks_of(g.num_vertices(), 64), b = blocks_of(g.num_vertices(), 50);
  for (auto _ : state) benchmark::DoNotOptimize(cibgraph::adjusted_rand_index(a, b));
  set_counters(state, g);
}

void edge_counts(benchmark::internal::Benchmark* b) {
  cibgraph::bench::powers_of_ten(b, 10'000, 10'000'000);
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_ConnectedComponents)->Apply(edge_counts);
BENCHMARK(BM_StronglyConnectedComponents)->Apply(edge_counts);
BENCHMARK(BM_CoreNumbers)->Apply(edge_counts);
BENCHMARK(BM_Modularity)->Apply(edge_counts);
BENCHMARK(BM_Conductance)->Apply(edge_counts);
BENCHMARK(BM_Coverage)->Apply(edge_counts);
BENCHMARK(BM_CpmQuality)->Apply(edge_counts);
BENCHMARK(BM_NormalizedMutualInformation)->Apply(edge_counts);
BENCHMARK(BM_AdjustedRandIndex)->Apply(edge_counts);

}  // namespace

BENCHMARK_MAIN();
