#pragma once
// The machinery shared by the walk centralities (PageRank, eigenvector, Katz, HITS), which are all power
// iterations x <- M x on the adjacency matrix or its transpose:
//   * in-arcs: a score flows along u→v into v, so each sweep "pulls" into v from its in-neighbours. A directed
//     graph is transposed once (O(n + m) time and memory); an undirected graph is its own transpose and is read
//     in place, with no copy;
//   * deterministic parallel sums: vertices are cut into blocks of a fixed size, whatever the thread count;
//     each block's partial sums (residual, norm, dangling mass) are stored in its slot and added in block order,
//     so the result is bit-identical for any number of threads. Blocks are handed out dynamically because
//     R-MAT hubs make their blocks far heavier than the rest;
//   * option and weight checks with one wording for the whole family.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph::centrality_detail {

// Large enough that a block amortises its scheduling (a few microseconds of work even on sparse rows), small
// enough that a 10^5-vertex graph still splits into tens of blocks for two or more threads.
inline constexpr std::uint32_t block_vertices = 2048;

// The arcs entering each vertex, as rows of a graph: the transpose when g is directed, g itself otherwise.
// Holds the transpose it made, so it is neither copied nor moved (the view would dangle).
template <class G>
class InArcs {
 public:
  explicit InArcs(const G& g) {
    if (g.directed) {
      reversed_.emplace(g.transpose());
      rows_ = &*reversed_;
    } else {
      rows_ = &g;
    }
  }
  InArcs(const InArcs&) = delete;
  InArcs& operator=(const InArcs&) = delete;
  const G& rows() const noexcept { return *rows_; }

 private:
  std::optional<G> reversed_;
  const G* rows_ = nullptr;
};

// sum over the row of v of weight * x[head]; with Weighted false every weight counts as 1. This gather is the
// whole cost of a sweep, so it is kept free of branches and of anything but the two streams and the lookups.
template <bool Weighted, class G>
inline double row_sum(const G& rows, std::uint32_t v, const double* x) noexcept {
  const std::span<const std::uint32_t> heads = rows.neighbors(v);
  double sum = 0.0;
  if constexpr (Weighted) {
    const std::span<const float> w = rows.neighbor_weights(v);
    for (std::size_t k = 0; k < heads.size(); ++k) sum += static_cast<double>(w[k]) * x[heads[k]];
  } else {
    for (std::size_t k = 0; k < heads.size(); ++k) sum += x[heads[k]];
  }
  return sum;
}

// Sum of the weights of the arcs leaving v, in double and in row order (what Graph::strength computes).
template <WeightedGraph G>
inline double out_strength(const G& g, std::uint32_t v) noexcept {
  double total = 0.0;
  for (const float w : g.neighbor_weights(v)) total += w;
  return total;
}

// A power iteration crosses a few team barriers per sweep, hundreds in all. A barrier costs microseconds when every
// thread has a core of its own, but a scheduler time slice (milliseconds) when another process holds the core a team
// member waits for: on 2 cores loaded by other work, PageRank on 37k vertices and 368k arcs took 0.22 s on two
// threads against 0.011 s on one (bench/contention/). So a sweep goes parallel only when it is large enough that
// the barriers are a small part of it even then, the size the other iterative algorithms use (Leiden's levels,
// spectral products, modularity).
// CIBGRAPH_ITERATION_PARALLEL (read once) overrides it, for benchmarks and tests: 0 makes every sweep parallel.
inline std::uint64_t iteration_parallel_threshold() noexcept {
  static const std::uint64_t threshold = [] {
    const char* env = std::getenv("CIBGRAPH_ITERATION_PARALLEL");
    return env != nullptr && *env != '\0' ? std::strtoull(env, nullptr, 10) : std::uint64_t{1'000'000};
  }();
  return threshold;
}

template <class G>
inline bool worth_parallel(const G& g) noexcept {
  return g.num_arcs() + g.num_vertices() > iteration_parallel_threshold();
}

// Runs body(begin, end) over fixed vertex blocks [begin, end) of [0, n), in parallel when `parallel`; body
// returns K partial sums for its block. Returns the K totals, added in block order (deterministic).
template <std::size_t K, class Body>
std::array<double, K> blocked_sums(std::uint32_t n, bool parallel, Body&& body) {
  const std::int64_t blocks = (std::int64_t{n} + block_vertices - 1) / block_vertices;
  std::vector<std::array<double, K>> partial(static_cast<std::size_t>(blocks));
#pragma omp parallel for schedule(dynamic, 1) if (parallel)
  for (std::int64_t b = 0; b < blocks; ++b) {
    const auto begin = static_cast<std::uint32_t>(b * block_vertices);
    const auto end = static_cast<std::uint32_t>(std::min<std::int64_t>(n, (b + 1) * block_vertices));
    partial[static_cast<std::size_t>(b)] = body(begin, end);
  }
  std::array<double, K> total{};
  for (const auto& p : partial) {
    for (std::size_t k = 0; k < K; ++k) total[k] += p[k];
  }
  return total;
}

inline void check_iteration_options(const char* algorithm, double tolerance, std::uint32_t max_iterations) {
  if (!(tolerance > 0.0) || !std::isfinite(tolerance)) {
    throw UsageError(std::string(algorithm) + ": tolerance must be a positive finite number, got " +
                     std::to_string(tolerance));
  }
  if (max_iterations == 0) throw UsageError(std::string(algorithm) + ": max_iterations must be at least 1");
}

// Perron–Frobenius (a non-negative dominant eigenvector, a stochastic matrix) needs non-negative weights.
template <class G>
void require_nonnegative_weights(const G& g, const char* algorithm) {
  const auto n = static_cast<std::int64_t>(g.num_vertices());
  std::int64_t first_bad = n;
#pragma omp parallel for schedule(static) reduction(min : first_bad) if (worth_parallel(g))
  for (std::int64_t v = 0; v < n; ++v) {
    for (float w : g.neighbor_weights(static_cast<std::uint32_t>(v))) {
      if (w < 0.0f) {
        first_bad = std::min(first_bad, v);
        break;
      }
    }
  }
  if (first_bad < n) {
    throw InputError(std::string(algorithm) + ": vertex " + std::to_string(first_bad) +
                     " has an arc of negative weight; weighted scores need non-negative weights "
                     "(or pass weighted = false)");
  }
}

}  // namespace cibgraph::centrality_detail
