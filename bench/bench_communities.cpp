// Leiden and Louvain (algorithms/community/) on undirected R-MAT graphs (Graph500 parameters, 16 edges per
// vertex before merging repeats) from 10^4 to 10^7 edges; Leiden to convergence only up to 10^6. Wall-clock
// time; counters: edges, communities found, modularity reached, iterations. Leiden runs to convergence
// (max_iterations = -1, the default) and for a fixed two iterations, leidenalg's and igraph's default, which
// separates the cost of one iteration from the number of iterations. Also: Leiden with the CPM quality, the
// consensus over 5 seeds and a multi-resolution run of 3 resolutions (both run their Leiden jobs in parallel).
#include <cstdint>
#include <map>
#include <memory>

#include <benchmark/benchmark.h>

#include "cibgraph/algorithms/community/consensus.hpp"
#include "cibgraph/algorithms/community/leiden.hpp"
#include "cibgraph/algorithms/community/louvain.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/graph.hpp"
#include "bench_sizes.hpp"

namespace {

constexpr std::uint64_t edges_per_vertex = 16;

// One graph per size, built once and shared by every benchmark of that size.
const cibgraph::Graph& rmat_graph(std::uint64_t m) {
  static std::map<std::uint64_t, std::unique_ptr<cibgraph::Graph>> cache;
  auto& slot = cache[m];
  if (!slot) {
    std::uint32_t scale = 1;
    while ((std::uint64_t{1} << scale) * edges_per_vertex < m) ++scale;
    const auto e = cibgraph::datasets::rmat(scale, m, 12345);
    slot = std::make_unique<cibgraph::Graph>(cibgraph::Graph::from_edges(e.n, e.src, e.dst, e.weights, false));
  }
  return *slot;
}

void report(benchmark::State& state, const cibgraph::Graph& g, const cibgraph::CommunityResult& r,
            const char* quality = "modularity") {
  state.counters["edges"] = static_cast<double>(g.num_edges());
  state.counters["communities"] = r.count;
  state.counters[quality] = r.quality;
  state.counters["iterations"] = r.iterations;
}

void leiden_benchmark(benchmark::State& state, int max_iterations) {
  const cibgraph::Graph& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  cibgraph::LeidenOptions o;
  o.max_iterations = max_iterations;
  cibgraph::CommunityResult r;
  for (auto _ : state) {
    r = cibgraph::leiden(g, o);
    benchmark::DoNotOptimize(r.membership.data());
  }
  report(state, g, r);
}

void BM_LeidenConverged(benchmark::State& state) { leiden_benchmark(state, -1); }
void BM_LeidenTwoIterations(benchmark::State& state) { leiden_benchmark(state, 2); }

void BM_Louvain(benchmark::State& state) {
  const cibgraph::Graph& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  cibgraph::CommunityResult r;
  for (auto _ : state) {
    r = cibgraph::louvain(g);
    benchmark::DoNotOptimize(r.membership.data());
  }
  report(state, g, r);
}

// CPM at a resolution near the R-MAT graphs' density, so communities are neither singletons nor one block.
void BM_LeidenCpmTwoIterations(benchmark::State& state) {
  const cibgraph::Graph& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  cibgraph::LeidenOptions o;
  o.quality = cibgraph::CommunityQuality::CPM;
  o.resolution = 0.05;
  o.max_iterations = 2;
  cibgraph::CommunityResult r;
  for (auto _ : state) {
    r = cibgraph::leiden(g, o);
    benchmark::DoNotOptimize(r.membership.data());
  }
  report(state, g, r, "cpm");
}

void BM_Consensus5Seeds(benchmark::State& state) {
  const cibgraph::Graph& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  cibgraph::LeidenOptions o;
  o.max_iterations = 2;
  cibgraph::ConsensusResult r;
  for (auto _ : state) {
    r = cibgraph::consensus(g, 5, o);
    benchmark::DoNotOptimize(r.arc_agreement.data());
  }
  report(state, g, r.partition);
}

void BM_MultiResolution3(benchmark::State& state) {
  const cibgraph::Graph& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  const double resolutions[] = {0.5, 1.0, 2.0};
  cibgraph::LeidenOptions o;
  o.max_iterations = 2;
  std::vector<cibgraph::CommunityResult> r;
  for (auto _ : state) {
    r = cibgraph::multi_resolution(g, resolutions, o);
    benchmark::DoNotOptimize(r.data());
  }
  report(state, g, r[1]);
}

void edge_counts(benchmark::internal::Benchmark* b) {
  cibgraph::bench::powers_of_ten(b, 10'000, 10'000'000);
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

// R-MAT has little community structure, so convergence takes over a hundred iterations at 10^6 edges (each
// finding a sliver of modularity); 10^7 would take most of an hour, so the converged run stops at 10^6.
void edge_counts_to_a_million(benchmark::internal::Benchmark* b) {
  cibgraph::bench::powers_of_ten(b, 10'000, 1'000'000);
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_LeidenConverged)->Apply(edge_counts_to_a_million);
BENCHMARK(BM_LeidenTwoIterations)->Apply(edge_counts);
BENCHMARK(BM_Louvain)->Apply(edge_counts);
BENCHMARK(BM_LeidenCpmTwoIterations)->Apply(edge_counts);
BENCHMARK(BM_Consensus5Seeds)->Apply(edge_counts_to_a_million);
BENCHMARK(BM_MultiResolution3)->Apply(edge_counts_to_a_million);

}  // namespace

BENCHMARK_MAIN();
