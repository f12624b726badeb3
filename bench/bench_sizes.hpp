// The sizes a benchmark program registers, and the one switch that caps them: CIBGRAPH_BENCH_MAX_EDGES (a count:
// "1e5", "10^5" or "100000"; unset or empty = no cap, the full range). `make bench-quick` sets 1e5, so every
// program runs its small sizes in seconds instead of the full range's minutes. Sizes are edges, or are converted
// to edges by the registration (LFR's argument is vertices, about 10 edges each); a size above the cap is not
// registered, except the smallest of each range, so that every benchmark runs at least once.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>

namespace cibgraph::bench {

// "1e6", "1000000" or "10^6"; throws on anything else.
inline std::uint64_t parse_count(const std::string& s) {
  if (auto caret = s.find('^'); caret != std::string::npos) {
    std::uint64_t v = 1;
    const auto base = std::stoull(s.substr(0, caret)), exp = std::stoull(s.substr(caret + 1));
    for (std::uint64_t i = 0; i < exp; ++i) v *= base;
    return v;
  }
  std::size_t used = 0;
  const double v = std::stod(s, &used);
  if (used != s.size() || v < 0) throw std::invalid_argument(s);
  return static_cast<std::uint64_t>(v);
}

// CIBGRAPH_BENCH_MAX_EDGES, or no cap. Read once (benchmarks register before main runs).
inline std::uint64_t max_edges() {
  static const std::uint64_t cap = [] {
    const char* env = std::getenv("CIBGRAPH_BENCH_MAX_EDGES");
    if (env == nullptr || *env == '\0') return std::numeric_limits<std::uint64_t>::max();
    try {
      return parse_count(env);
    } catch (const std::exception&) {
      std::cerr << "CIBGRAPH_BENCH_MAX_EDGES='" << env << "' is not a count (e.g. 1e5): ignored, full range\n";
      return std::numeric_limits<std::uint64_t>::max();
    }
  }();
  return cap;
}

inline bool within_cap(std::int64_t size, std::int64_t edges_per_unit = 1) {
  return static_cast<std::uint64_t>(size) * static_cast<std::uint64_t>(edges_per_unit) <= max_edges();
}

// lo, lo*10, ..., hi (as Google Benchmark's RangeMultiplier(10)->Range(lo, hi)), without the sizes above the cap
// but always with lo; `edges_per_unit` converts a size to edges for the cap.
inline void powers_of_ten(benchmark::internal::Benchmark* b, std::int64_t lo, std::int64_t hi,
                          std::int64_t edges_per_unit = 1) {
  for (std::int64_t v = lo; v <= hi; v *= 10)
    if (v == lo || within_cap(v, edges_per_unit)) b->Arg(v);
}

}  // namespace cibgraph::bench
