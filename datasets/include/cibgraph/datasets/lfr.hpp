#pragma once
// The LFR benchmark: Lancichinetti, Fortunato & Radicchi, "Benchmark graphs for testing community detection
// algorithms", Phys. Rev. E 78, 046110 (2008). An undirected, unweighted graph with planted communities whose
// vertex degrees and community sizes both follow power laws, and in which each vertex sends a fraction `mixing`
// (the paper's mu) of its edges out of its own community.
//
// Construction (datasets/src/lfr.cpp):
//   1. Degrees: a power law with exponent degree_exponent on [k_min, max_degree], k_min found by bisection so
//      that the expected degree is exactly average_degree (degrees are floor(x) of a continuous power law x on
//      [k_min, max_degree + 1), so the expectation is computed over the integers, not approximated).
//   2. Community sizes: a power law with exponent community_exponent on [min_community, max_community], drawn
//      until they cover n; the last one is trimmed, or spread over the others when trimming would take it below
//      min_community.
//   3. Each vertex v of degree k gets an external degree of mu*k rounded up or down at random with the
//      probability of the fractional part, so the expected share of external edges is exactly mu for every
//      vertex; the configuration model then realises these degrees exactly. (networkx's generator instead fills
//      each vertex's degree greedily, so early vertices hand external edges to later ones beyond their share,
//      and the realised mixing overshoots the request.)
//   4. Vertices go to communities in decreasing order of internal degree, each to a uniformly random free slot
//      among the communities large enough to hold all of its internal edges (size > internal degree).
//   5. Edges: the configuration model inside each community on the internal stubs, and once more over all
//      external stubs; then self-loops, repeated edges and external edges that fall inside one community are
//      removed by degree-preserving swaps with random other edges of the same model. Edges no swap can fix
//      within a bounded number of tries are dropped (rare; it lowers two degrees by one).
// Parity: a community whose internal stubs add up to an odd number gains or loses (at random) one internal stub
// of a random member, and likewise the external stubs as a whole: a degree moves by one, but no edge changes
// side, so mu = 0 gives disconnected communities and the mixing is not pushed one way.
//
// Deterministic for the seed: one SplitMix64 stream, sequential. O(n + m) expected time and memory, plus
// O(max_degree * 60) for the bisection. Throws UsageError on options no graph can satisfy.
#include <cstdint>
#include <vector>

namespace cibgraph::datasets {

struct LfrOptions {
  std::uint32_t n = 1000;
  double average_degree = 20;
  std::uint32_t max_degree = 50;
  double degree_exponent = 2.0;     // tau1 in the paper; >= 0
  double community_exponent = 1.0;  // tau2 in the paper; >= 0
  double mixing = 0.1;              // mu in [0, 1]
  std::uint32_t min_community = 20;
  std::uint32_t max_community = 100;
  std::uint64_t seed = 0;
};

struct LfrGraph {
  std::uint32_t n = 0;
  // Each undirected edge once, src < dst, sorted by (src, dst); no self-loops, no repeats.
  std::vector<std::uint32_t> src, dst;
  std::vector<std::uint32_t> community;  // planted community of each vertex, 0..C-1
  // Fraction of each vertex's edges leaving its community, averaged over the vertices with at least one edge.
  double realised_mixing = 0;
};

LfrGraph lfr(const LfrOptions& o);

}  // namespace cibgraph::datasets
