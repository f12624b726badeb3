#pragma once
// Random graphs for tests and benchmarks: G(n, m) (Erdős–Rényi with a fixed edge count) and R-MAT (Chakrabarti,
// Zhan & Faloutsos, SDM 2004: skewed degrees like real social graphs). Deterministic for a seed on every platform:
// the generator is SplitMix64 (cibgraph/random.hpp), not std::mt19937 + distributions, whose outputs differ between
// standard libraries. O(m) time and memory; edges may repeat and include self-loops unless asked
// otherwise (Graph::from_edges merges repeats).
#include <cstdint>
#include <vector>

#include "cibgraph/random.hpp"

namespace cibgraph::datasets {

using cibgraph::SplitMix64;

struct EdgeList {
  std::uint32_t n = 0;
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weights;  // empty: unweighted
};

// m edges with endpoints drawn uniformly from [0, n); no self-loops. With weighted, weights uniform in [1, 10).
inline EdgeList erdos_renyi(std::uint32_t n, std::uint64_t m, std::uint64_t seed, bool weighted = false) {
  EdgeList out;
  out.n = n;
  if (n < 2) return out;
  SplitMix64 rng(seed);
  out.src.reserve(m);
  out.dst.reserve(m);
  if (weighted) out.weights.reserve(m);
  while (out.src.size() < m) {
    const auto a = rng.below(n), b = rng.below(n);
    if (a == b) continue;
    out.src.push_back(a);
    out.dst.push_back(b);
    if (weighted) out.weights.push_back(static_cast<float>(1.0 + 9.0 * rng.uniform()));
  }
  return out;
}

// R-MAT on 2^scale vertices: each edge descends `scale` levels choosing a quadrant with probabilities a, b, c and
// 1 - a - b - c (Graph500 uses 0.57, 0.19, 0.19); vertex ids are then permuted so hubs are not the low ids.
// Self-loops are dropped.
inline EdgeList rmat(std::uint32_t scale, std::uint64_t m, std::uint64_t seed, double a = 0.57, double b = 0.19,
                     double c = 0.19) {
  EdgeList out;
  out.n = std::uint32_t{1} << scale;
  SplitMix64 rng(seed);
  std::vector<std::uint32_t> permutation(out.n);
  for (std::uint32_t v = 0; v < out.n; ++v) permutation[v] = v;
  for (std::uint32_t v = out.n; v > 1; --v) std::swap(permutation[v - 1], permutation[rng.below(v)]);
  out.src.reserve(m);
  out.dst.reserve(m);
  while (out.src.size() < m) {
    std::uint32_t u = 0, v = 0;
    for (std::uint32_t level = 0; level < scale; ++level) {
      const double r = rng.uniform();
      const std::uint32_t bit = std::uint32_t{1} << level;
      if (r < a) {
      } else if (r < a + b) {
        v |= bit;
      } else if (r < a + b + c) {
        u |= bit;
      } else {
        u |= bit;
        v |= bit;
      }
    }
    if (u == v) continue;
    out.src.push_back(permutation[u]);
    out.dst.push_back(permutation[v]);
  }
  return out;
}

}  // namespace cibgraph::datasets
