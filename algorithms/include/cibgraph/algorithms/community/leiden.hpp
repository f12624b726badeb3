#pragma once
// Leiden community detection: a partition of the vertices that maximises modularity (with resolution gamma) or
// the Constant Potts Model, with every community connected.
//
// Follows Traag, Waltman & van Eck (2019), "From Louvain to Leiden: guaranteeing well-connected communities",
// Sci. Rep. 9:5233, Algorithm A.2: fast local moving with a queue (a node that moves re-queues its neighbours
// outside its new community), refinement (inside each community, singletons merge into well-connected
// subcommunities, chosen at random with probability ~ exp(gain / randomness)), aggregation of the refined
// partition with the unrefined partition as the aggregate's starting partition; levels repeat while the
// aggregate shrinks and the partition is not all singletons (leidenalg's rule). One "iteration" is one such
// run of levels starting from the current partition; with max_iterations = -1 iterations repeat until one
// moves no node (capped at 1000 iterations; every move raises the quality, so there is no cycle, but graphs
// with weak structure, like R-MAT, keep finding small gains for a hundred iterations or more).
//
// Conventions:
//   * undirected; a directed graph is read as undirected with w(u,v) = w(u->v) + w(v->u) (so reciprocal arcs
//     add up; with weighted = false each arc weighs 1). leidenalg instead uses its directed quality variants.
//   * modularity: sum_c [ L_c / m - gamma * (d_c / 2m)^2 ], exactly networkx.community.modularity(resolution=
//     gamma): a self-loop counts twice in the strength. The reported quality is this normalised value.
//   * CPM: leidenalg's CPMVertexPartition(resolution_parameter=gamma).quality() with unit node sizes:
//     sum_c [2 L_c - gamma * n_c (n_c - 1)] (minus 2 gamma n when the graph has a self-loop, as leidenalg).
//   * weights must be >= 0 (InputError otherwise); a graph with no edge weight gives singletons, quality 0.
//   * after the last iteration, a community that is not connected (possible only when max_iterations stops
//     the algorithm before convergence) is split into its connected pieces, which never lowers the quality.
//     So every community is connected, always.
//   * deterministic for a seed, whatever the thread count: the random orders come from one SplitMix64; local
//     moving is sequential (as in igraph and leidenalg); the refinement runs communities in parallel (OpenMP,
//     levels over 2^21 arcs), each community drawing from its own stream derived from the seed and its id.
//   * result.iterations = Leiden iterations run; membership numbered by renumber_communities.
//
// Complexity: O(m) per pass of local moving over a level, O(n + m) per refinement and aggregation; levels shrink
// geometrically in practice, so one iteration costs a few passes over the arcs. Memory: O(n + m) for the scratch arrays and
// one aggregate, all allocated once up front (the aggregates reuse two buffers).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "cibgraph/algorithms/community/detail/local_moving.hpp"
#include "cibgraph/algorithms/community/result.hpp"
#include "cibgraph/random.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

enum class CommunityQuality { Modularity, CPM };

struct LeidenOptions {
  CommunityQuality quality = CommunityQuality::Modularity;
  double resolution = 1.0;  // gamma, >= 0
  std::uint64_t seed = 0;
  int max_iterations = -1;   // -1: iterate until an iteration moves no node; otherwise >= 1
  double randomness = 0.01;  // theta of the refinement, >= 0 (0: always the best merge)
  bool weighted = true;      // false: every arc weighs 1
};

namespace community_detail {

inline void check_leiden_options(const LeidenOptions& o, const char* who) {
  const std::string name(who);
  if (!std::isfinite(o.resolution) || o.resolution < 0.0) {
    throw UsageError(name + ": resolution must be finite and >= 0, got " + std::to_string(o.resolution));
  }
  if (!std::isfinite(o.randomness) || o.randomness < 0.0) {
    throw UsageError(name + ": randomness must be finite and >= 0, got " + std::to_string(o.randomness));
  }
  if (o.max_iterations == 0 || o.max_iterations < -1) {
    throw UsageError(name + ": max_iterations must be -1 (until stable) or >= 1, got " +
                     std::to_string(o.max_iterations));
  }
}

// Everything one Leiden run keeps between iterations.
struct LeidenState {
  InputLevel input;
  std::vector<double> base_node_weight;  // strength (modularity) or 1 (CPM) per input vertex
  double penalty = 0.0;
  Workspace ws;
  Aggregate buffers[2];
};

// One iteration from `membership` (ids < n); returns whether any node moved.
inline bool leiden_iteration(LeidenState& s, const LeidenOptions& o, std::vector<std::uint32_t>& membership,
                             SplitMix64& rng) {
  Workspace& ws = s.ws;
  const std::uint32_t n0 = s.input.n;
  std::copy(membership.begin(), membership.end(), ws.community.begin());
  std::copy(s.base_node_weight.begin(), s.base_node_weight.end(), ws.node_weight.begin());
  for (std::uint32_t v = 0; v < n0; ++v) ws.vertex_node[v] = v;

  bool moved = false;
  int current_buffer = -1;  // -1: level 0 (the input)
  for (;;) {
    const auto step = [&](const auto& level) -> std::uint32_t {  // returns the aggregate's size, 0 to stop
      moved |= fast_move_nodes(level, ws.node_weight, s.penalty, ws, rng) > 0;
      const std::uint32_t communities = count_nonempty(level.n, ws);
      if (communities == level.n) return 0;
      const std::uint32_t refined = refine_partition(level, ws.node_weight, s.penalty, o.randomness, ws, rng);
      if (refined == level.n) return 0;
      Aggregate& next = s.buffers[current_buffer == 0 ? 1 : 0];
      aggregate(level, refined, ws, next);
      // The aggregate starts from the unrefined partition, renumbered below its node count.
      std::uint32_t k = 0;
      for (std::uint32_t v = 0; v < level.n; ++v) {
        const std::uint32_t node = ws.group[v];
        std::uint32_t& id = ws.renumber[ws.community[v]];
        if (id == unset) id = k++;
        ws.members[node] = id;  // scratch: community of each aggregate node
      }
      for (std::uint32_t v = 0; v < level.n; ++v) ws.renumber[ws.community[v]] = unset;
      for (std::uint32_t v0 = 0; v0 < n0; ++v0) ws.vertex_node[v0] = ws.group[ws.vertex_node[v0]];
      std::copy_n(ws.members.begin(), refined, ws.community.begin());
      std::swap(ws.node_weight, ws.next_node_weight);
      return refined;
    };
    const std::uint32_t next_n =
        current_buffer < 0 ? step(s.input.view()) : step(s.buffers[current_buffer].view());
    if (next_n == 0) break;
    current_buffer = current_buffer == 0 ? 1 : 0;
  }
  for (std::uint32_t v0 = 0; v0 < n0; ++v0) membership[v0] = ws.community[ws.vertex_node[v0]];
  return moved;
}

inline constexpr int max_iterations_cap = 1000;

}  // namespace community_detail

template <CsrGraph G>
CommunityResult leiden(const G& g, const LeidenOptions& o = {}) {
  using namespace community_detail;
  check_leiden_options(o, "leiden");
  CommunityResult result;
  const std::uint32_t n = g.num_vertices();
  if (n == 0) return result;

  LeidenState s;
  prepare_input(g, o.weighted, "leiden", s.input);
  const LevelView<float> level0 = s.input.view();
  std::vector<double> strength;
  level0_strengths(level0, strength);
  double total_strength = 0.0;
  for (double k : strength) total_strength += k;
  const bool modularity = o.quality == CommunityQuality::Modularity;
  s.base_node_weight = modularity ? strength : std::vector<double>(n, 1.0);
  s.penalty = modularity ? o.resolution / total_strength : o.resolution;
  s.ws.reserve(n);
  s.ws.node_weight.resize(n);
  s.ws.next_node_weight.resize(n);
  for (Aggregate& buffer : s.buffers) {  // an aggregate never has more arcs than level 0
    buffer.targets.reserve(level0.offsets[n]);
    buffer.weights.reserve(level0.offsets[n]);
  }

  result.membership.resize(n);
  for (std::uint32_t v = 0; v < n; ++v) result.membership[v] = v;
  if (total_strength > 0.0 || !modularity) {
    SplitMix64 rng(o.seed);
    const int limit = o.max_iterations < 0 ? max_iterations_cap : o.max_iterations;
    while (result.iterations < static_cast<std::uint32_t>(limit)) {
      const bool moved = leiden_iteration(s, o, result.membership, rng);
      ++result.iterations;
      if (!moved) break;
    }
  }
  split_disconnected(level0, result.membership, s.ws);
  result.quality = modularity ? modularity_of(level0, result.membership, o.resolution, strength, s.ws)
                              : cpm_of(level0, result.membership, o.resolution, s.input.has_self_loop, s.ws);
  result.count = renumber_communities(result.membership);
  return result;
}

}  // namespace cibgraph
