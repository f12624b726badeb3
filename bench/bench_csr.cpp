// Building the CSR (Graph::from_edges) and the SpMV through the Eigen view, on uniform random edge lists with
// an average of 16 edges per vertex, 10^4 to 10^7 edges. Wall-clock time: both are parallel (OpenMP), and
// process CPU time would count every thread.
#include <cstdint>
#include <random>
#include <vector>

#include <Eigen/Dense>
#include <benchmark/benchmark.h>

#include "cibgraph/eigen_view.hpp"
#include "cibgraph/graph.hpp"
#include "bench_sizes.hpp"

namespace {

constexpr std::uint64_t edges_per_vertex = 16;

struct RandomEdges {
  std::uint32_t n = 0;
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weights;
};

RandomEdges random_edges(std::uint64_t m) {
  RandomEdges e;
  e.n = static_cast<std::uint32_t>(m / edges_per_vertex);
  std::mt19937_64 rng(12345);
  std::uniform_int_distribution<std::uint32_t> vertex(0, e.n - 1);
  std::uniform_real_distribution<float> weight(0.0f, 1.0f);
  e.src.resize(m);
  e.dst.resize(m);
  e.weights.resize(m);
  for (std::uint64_t i = 0; i < m; ++i) {
    e.src[i] = vertex(rng);
    e.dst[i] = vertex(rng);
    e.weights[i] = weight(rng);
  }
  return e;
}

void from_edges(benchmark::State& state, bool directed) {
  const auto m = static_cast<std::uint64_t>(state.range(0));
  const RandomEdges e = random_edges(m);
  for (auto _ : state) {
    cibgraph::Graph g = cibgraph::Graph::from_edges(e.n, e.src, e.dst, e.weights, directed);
    benchmark::DoNotOptimize(g.targets.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * m));
  // Input read: source, target and weight per edge.
  constexpr std::uint64_t bytes_per_edge = 2 * sizeof(std::uint32_t) + sizeof(float);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * m * bytes_per_edge));
}

void BM_FromEdgesDirected(benchmark::State& state) { from_edges(state, true); }
void BM_FromEdgesUndirected(benchmark::State& state) { from_edges(state, false); }

void BM_EigenSpmv(benchmark::State& state) {
  const auto m = static_cast<std::uint64_t>(state.range(0));
  const RandomEdges e = random_edges(m);
  const cibgraph::Graph g = cibgraph::Graph::from_edges(e.n, e.src, e.dst, e.weights, false);
  const cibgraph::EigenView view = cibgraph::eigen_view(g);
  const Eigen::VectorXf x = Eigen::VectorXf::Ones(g.num_vertices());
  Eigen::VectorXf y(g.num_vertices());
  for (auto _ : state) {
    y.noalias() = view.matrix() * x;
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * g.num_arcs()));
  // Matrix streamed once (target + weight per arc) plus the row pointer; x gathered, y written.
  state.SetBytesProcessed(static_cast<std::int64_t>(
      state.iterations() * (g.num_arcs() * (sizeof(std::int32_t) + 2 * sizeof(float)) +
                            g.num_vertices() * (sizeof(std::int32_t) + sizeof(float)))));
}

void edge_counts(benchmark::internal::Benchmark* b) {
  cibgraph::bench::powers_of_ten(b, 10'000, 10'000'000);
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_FromEdgesDirected)->Apply(edge_counts);
BENCHMARK(BM_FromEdgesUndirected)->Apply(edge_counts);
BENCHMARK(BM_EigenSpmv)->Apply(edge_counts);

}  // namespace

BENCHMARK_MAIN();
