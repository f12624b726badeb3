// Label propagation on R-MAT graphs (10^4 to 10^7 edges), spectral clustering with k = 10 on R-MAT and on LFR
// graphs with 10 planted communities (10^4 to 10^6 edges), and the LFR generator itself at n = 10^4 and 10^5.
// Wall-clock time: the kernels are parallel (OpenMP) in parts, and process CPU time would count every thread.
//
// Spectral clustering on R-MAT: these graphs fall apart into many small components, and with 10 or more of them
// the answer is the components (see spectral.hpp), so the largest size measures the shortcut; the LFR rows
// measure the eigensolver and k-means on a graph whose 10 leading eigenvectors carry the planted communities.
#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include <benchmark/benchmark.h>

#include "cibgraph/algorithms/community/label_propagation.hpp"
#include "cibgraph/algorithms/community/spectral.hpp"
#include "cibgraph/datasets/lfr.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/graph.hpp"
#include "bench_sizes.hpp"

namespace {

constexpr std::uint64_t edges_per_vertex = 16;

// R-MAT with about edges_per_vertex edges per vertex, built once per size and kept for the other benchmarks.
const cibgraph::Graph& rmat_graph(std::uint64_t m) {
  static std::map<std::uint64_t, cibgraph::Graph> cache;
  auto it = cache.find(m);
  if (it == cache.end()) {
    std::uint32_t scale = 1;
    while ((std::uint64_t{1} << scale) * edges_per_vertex < m) ++scale;
    const auto e = cibgraph::datasets::rmat(scale, m, 12345);
    it = cache.emplace(m, cibgraph::Graph::from_edges(e.n, e.src, e.dst, e.weights, false)).first;
  }
  return it->second;
}

cibgraph::datasets::LfrOptions ten_communities(std::uint32_t n) {
  cibgraph::datasets::LfrOptions o;
  o.n = n;
  o.mixing = 0.3;
  o.min_community = o.max_community = n / 10;
  o.seed = 12345;
  return o;
}

void count_result(benchmark::State& state, const cibgraph::Graph& g, const cibgraph::CommunityResult& r) {
  state.counters["edges"] = static_cast<double>(g.num_edges());
  state.counters["communities"] = r.count;
  state.counters["iterations"] = r.iterations;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_edges()));
}

void BM_LabelPropagationRmat(benchmark::State& state) {
  const cibgraph::Graph& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  cibgraph::CommunityResult r;
  for (auto _ : state) {
    r = cibgraph::label_propagation(g, {.seed = 1});
    benchmark::DoNotOptimize(r.membership.data());
  }
  count_result(state, g, r);
  state.counters["modularity"] = r.quality;
}

void BM_SpectralRmat(benchmark::State& state) {
  const cibgraph::Graph& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  cibgraph::CommunityResult r;
  for (auto _ : state) {
    r = cibgraph::spectral_clustering(g, {.k = 10, .seed = 1});
    benchmark::DoNotOptimize(r.membership.data());
  }
  count_result(state, g, r);
}

void BM_SpectralLfr(benchmark::State& state) {
  const auto lfr = cibgraph::datasets::lfr(ten_communities(static_cast<std::uint32_t>(state.range(0))));
  const cibgraph::Graph g = cibgraph::Graph::from_edges(lfr.n, lfr.src, lfr.dst, {}, false);
  cibgraph::CommunityResult r;
  for (auto _ : state) {
    r = cibgraph::spectral_clustering(g, {.k = 10, .seed = 1});
    benchmark::DoNotOptimize(r.membership.data());
  }
  count_result(state, g, r);
  std::uint64_t agree = 0;  // vertices whose cluster's majority community is their own
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> overlap;
  for (std::uint32_t v = 0; v < lfr.n; ++v) ++overlap[{r.membership[v], lfr.community[v]}];
  std::map<std::uint32_t, std::uint64_t> best;
  for (const auto& [key, size] : overlap) best[key.first] = std::max(best[key.first], size);
  for (const auto& [cluster, size] : best) agree += size;
  state.counters["purity"] = static_cast<double>(agree) / lfr.n;
}

void BM_LfrGenerate(benchmark::State& state) {
  cibgraph::datasets::LfrOptions o;
  o.n = static_cast<std::uint32_t>(state.range(0));
  o.mixing = 0.3;
  o.seed = 12345;
  cibgraph::datasets::LfrGraph g;
  for (auto _ : state) {
    g = cibgraph::datasets::lfr(o);
    benchmark::DoNotOptimize(g.src.data());
  }
  state.counters["edges"] = static_cast<double>(g.src.size());
  state.counters["realised_mixing"] = g.realised_mixing;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.src.size()));
}

using cibgraph::bench::powers_of_ten;
BENCHMARK(BM_LabelPropagationRmat)
    ->Apply([](benchmark::internal::Benchmark* b) { powers_of_ten(b, 10'000, 10'000'000); })
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SpectralRmat)
    ->Apply([](benchmark::internal::Benchmark* b) { powers_of_ten(b, 10'000, 1'000'000); })
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
// n = 10^3 .. 10^5 vertices of average degree 20: about 10^4 .. 10^6 edges (10 per vertex, for the size cap).
BENCHMARK(BM_SpectralLfr)
    ->Apply([](benchmark::internal::Benchmark* b) { powers_of_ten(b, 1'000, 100'000, 10); })
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LfrGenerate)
    ->Apply([](benchmark::internal::Benchmark* b) { powers_of_ten(b, 10'000, 100'000, 10); })
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
