#pragma once
// Random graphs for tests and benchmarks: G(n, m) (Erdős–Rényi with a fixed edge count) and R-MAT (Chakrabarti,
// Zhan & Faloutsos, SDM 2004: skewed degrees like real social graphs). Deterministic for a seed on every platform:
// the generator is SplitMix64 (Steele, Lea & Flood, OOPSLA 2014), not std::mt19937 + distributions, whose outputs
// differ between standard libraries. O(m) time and memory; edges may repeat and include self-loops unless asked
// otherwise (Graph::from_edges merges repeats).
#include <cstdint>
#include <vector>

namespace cibgraph::datasets {

// SplitMix64: a small, fast, statistically sound 64-bit generator; the state is one word.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for n < 2^32).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }

 private:
  std::uint64_t state_;
};

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
