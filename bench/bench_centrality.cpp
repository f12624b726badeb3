// The walk centralities (PageRank, eigenvector, Katz, HITS) and in-degrees on directed R-MAT graphs of 10^4 to
// 10^7 edges (16 per vertex, Graph500 skew), plus PageRank to 1e-9 on a directed G(n, m) with 10^6 vertices and
// 8 * 10^6 edges, the comparison point against graph-tool and igraph; run it alone with
//     bench_centrality --benchmark_filter=PageRankErdosRenyi
// Wall-clock time (the kernels are parallel); a run includes the transpose of the graph, which every call makes.
// Counters: edges, and sweeps (power iterations) of the last run.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>

#include <benchmark/benchmark.h>

#include "cibgraph/algorithms/centrality/degree.hpp"
#include "cibgraph/algorithms/centrality/eigenvector.hpp"
#include "cibgraph/algorithms/centrality/hits.hpp"
#include "cibgraph/algorithms/centrality/katz.hpp"
#include "cibgraph/algorithms/centrality/pagerank.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/graph.hpp"
#include "bench_sizes.hpp"

namespace {

constexpr std::uint64_t edges_per_vertex = 16;

// Building a 10^7-edge graph takes longer than most kernels on it: keep the last one for the next benchmark.
const cibgraph::Graph& rmat_graph(std::uint64_t m) {
  static std::pair<std::uint64_t, std::unique_ptr<cibgraph::Graph>> cached{0, nullptr};
  if (cached.first != m || !cached.second) {
    cached.second.reset();
    const auto scale = static_cast<std::uint32_t>(std::bit_width(m / edges_per_vertex) - 1);
    const auto e = cibgraph::datasets::rmat(scale, m, 42);
    cached.second =
        std::make_unique<cibgraph::Graph>(cibgraph::Graph::from_edges(e.n, e.src, e.dst, e.weights, true));
    cached.first = m;
  }
  return *cached.second;
}

void set_counters(benchmark::State& state, const cibgraph::Graph& g, std::uint32_t sweeps) {
  state.counters["edges"] = static_cast<double>(g.num_arcs());
  state.counters["sweeps"] = sweeps;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_arcs()));
}

// Times run() (a centrality returning scores and its sweep count) and reports the sweeps of the last run.
template <class Run>
void time_sweeps(benchmark::State& state, const cibgraph::Graph& g, Run&& run) {
  std::uint32_t sweeps = 0;
  for (auto _ : state) {
    const auto r = run();
    sweeps = r.iterations;
    benchmark::DoNotOptimize(r.scores.data());
  }
  set_counters(state, g, sweeps);
}

void BM_PageRank(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  time_sweeps(state, g, [&] { return cibgraph::pagerank(g); });
}

// Personalised: the jump goes to 1% of the vertices (every 100th), as when ranking around a set of seed accounts.
void BM_PageRankPersonalized(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  cibgraph::PageRankOptions o;
  o.personalization.assign(g.num_vertices(), 0.0);
  for (std::uint32_t v = 0; v < g.num_vertices(); v += 100) o.personalization[v] = 1.0;
  time_sweeps(state, g, [&] { return cibgraph::pagerank(g, o); });
}

void BM_Eigenvector(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  time_sweeps(state, g, [&] { return cibgraph::eigenvector_centrality(g); });
}

void BM_Katz(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  // lambda_max <= the largest in-degree, so this alpha converges, with a contraction of at most 1/2 per sweep.
  const auto in = cibgraph::degrees(g, cibgraph::Direction::In);
  cibgraph::KatzOptions o;
  o.alpha = 0.5 / static_cast<double>(std::max<std::uint64_t>(1, *std::max_element(in.begin(), in.end())));
  time_sweeps(state, g, [&] { return cibgraph::katz_centrality(g, o); });
}

void BM_Hits(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  cibgraph::HitsOptions o;
  o.max_iterations = 200;  // R-MAT's top singular values can be close; the cost per sweep is what is measured
  std::uint32_t sweeps = 0;
  for (auto _ : state) {
    const auto r = cibgraph::hits(g, o);
    sweeps = r.iterations;
    benchmark::DoNotOptimize(r.hubs.data());
  }
  set_counters(state, g, sweeps);
}

void BM_InDegrees(benchmark::State& state) {
  const auto& g = rmat_graph(static_cast<std::uint64_t>(state.range(0)));
  for (auto _ : state) {
    const auto d = cibgraph::degrees(g, cibgraph::Direction::In);
    benchmark::DoNotOptimize(d.data());
  }
  set_counters(state, g, 0);
}

// The comparison point: G(n, m), n = 10^6, m = 8 * 10^6, directed, damping 0.85, tolerance 1e-9.
// Argument: 0 = unweighted (as the peers run it), 1 = weighted (uniform weights in [1, 10)).
void BM_PageRankErdosRenyi(benchmark::State& state) {
  const bool weighted = state.range(0) != 0;
  const auto e = cibgraph::datasets::erdos_renyi(1'000'000, 8'000'000, 2024, weighted);
  const auto g = cibgraph::Graph::from_edges(e.n, e.src, e.dst, e.weights, true);
  cibgraph::PageRankOptions o;
  o.tolerance = 1e-9;
  o.weighted = weighted;
  time_sweeps(state, g, [&] { return cibgraph::pagerank(g, o); });
}

void edge_counts(benchmark::internal::Benchmark* b) {
  cibgraph::bench::powers_of_ten(b, 10'000, 10'000'000);
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_PageRank)->Apply(edge_counts);
BENCHMARK(BM_PageRankPersonalized)->Apply(edge_counts);
BENCHMARK(BM_Eigenvector)->Apply(edge_counts);
BENCHMARK(BM_Katz)->Apply(edge_counts);
BENCHMARK(BM_Hits)->Apply(edge_counts);
BENCHMARK(BM_InDegrees)->Apply(edge_counts);
// 8 * 10^6 edges: registered only when CIBGRAPH_BENCH_MAX_EDGES allows that many.
[[maybe_unused]] const bool erdos_renyi_registered = cibgraph::bench::within_cap(8'000'000) &&
    benchmark::RegisterBenchmark("BM_PageRankErdosRenyi", BM_PageRankErdosRenyi)
        ->ArgName("weighted")->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond) != nullptr;

}  // namespace

BENCHMARK_MAIN();
