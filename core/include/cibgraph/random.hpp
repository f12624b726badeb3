#pragma once
// The one random number generator of cibgraph's algorithms and generators: SplitMix64 (Steele, Lea & Flood,
// OOPSLA 2014). Its outputs are the same on every platform and standard library (unlike std::mt19937 with the
// std:: distributions), so a seed reproduces a result anywhere.
#include <cstdint>

namespace cibgraph {

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

}  // namespace cibgraph
