#pragma once
// Louvain community detection: a partition of the vertices that greedily maximises modularity with resolution
// gamma. Blondel, Guillaume, Lambiotte & Lefebvre (2008), "Fast unfolding of communities in large networks",
// J. Stat. Mech. P10008: at each level, sweep over the nodes in a random order moving each to the neighbouring
// community with the best modularity gain until a sweep gains less than min_gain; then collapse every community
// into one node (the same aggregation code as leiden.hpp) and repeat until a level moves nothing, gains less than
// min_gain or max_levels is reached. Unlike Leiden, a community may end up internally disconnected (the known
// defect of Louvain that Leiden fixes); none is split here, so the result is Louvain's own.
//
// Conventions as leiden.hpp: undirected (directed input read with w(u,v) = w(u->v) + w(v->u)), weights >= 0,
// quality = networkx.community.modularity(resolution = gamma) of the final partition, iterations = levels with
// at least one move, membership numbered by renumber_communities; deterministic for a seed (sequential).
//
// Complexity: O(m) per sweep; the number of sweeps per level and of levels is small in practice. Memory O(n + m),
// allocated once.
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

struct LouvainOptions {
  double resolution = 1.0;        // gamma, >= 0
  std::uint64_t seed = 0;
  std::uint32_t max_levels = 100;  // >= 1
  // Modularity gain below which a sweep or a level counts as converged, >= 0 (1e-7 as networkx's threshold); a
  // sweep also ends the level's moving when it adds less than 1e-4 of the level's gain so far.
  double min_gain = 1e-7;
  bool weighted = true;           // false: every arc weighs 1
};

template <CsrGraph G>
CommunityResult louvain(const G& g, const LouvainOptions& o = {}) {
  using namespace community_detail;
  if (!std::isfinite(o.resolution) || o.resolution < 0.0) {
    throw UsageError("louvain: resolution must be finite and >= 0, got " + std::to_string(o.resolution));
  }
  if (!std::isfinite(o.min_gain) || o.min_gain < 0.0) {
    throw UsageError("louvain: min_gain must be finite and >= 0, got " + std::to_string(o.min_gain));
  }
  if (o.max_levels == 0) throw UsageError("louvain: max_levels must be >= 1");
  constexpr std::uint32_t max_sweeps = 1000;  // a sweep that moves something raises the quality; this never binds

  CommunityResult result;
  const std::uint32_t n = g.num_vertices();
  if (n == 0) return result;
  InputLevel input;
  prepare_input(g, o.weighted, "louvain", input);
  const LevelView<float> level0 = input.view();
  std::vector<double> strength;
  level0_strengths(level0, strength);
  double total_strength = 0.0;
  for (double k : strength) total_strength += k;

  Workspace ws;
  ws.reserve(n);
  std::copy(strength.begin(), strength.end(), ws.node_weight.begin());
  for (std::uint32_t v = 0; v < n; ++v) {
    ws.community[v] = v;
    ws.vertex_node[v] = v;
  }
  result.membership.resize(n);
  if (total_strength > 0.0) {
    const double penalty = o.resolution / total_strength;
    const double to_modularity = 2.0 / total_strength;
    SplitMix64 rng(o.seed);
    Aggregate buffers[2];
    int current_buffer = -1;  // -1: level 0 (the input)
    for (;;) {
      const auto level_step = [&](const auto& level) -> bool {  // true: aggregate and go on
        double level_gain = 0.0;
        const std::uint64_t moves = sweep_move_nodes(level, ws.node_weight, penalty, to_modularity, o.min_gain,
                                                     max_sweeps, ws, rng, level_gain);
        if (moves == 0) return false;
        ++result.iterations;
        if (level_gain < o.min_gain || result.iterations >= o.max_levels) return false;
        const std::uint32_t k = communities_as_groups(level.n, ws);
        if (k == level.n) return false;
        Aggregate& next = buffers[current_buffer == 0 ? 1 : 0];
        aggregate(level, k, ws, next);
        for (std::uint32_t v0 = 0; v0 < n; ++v0) ws.vertex_node[v0] = ws.group[ws.vertex_node[v0]];
        for (std::uint32_t c = 0; c < k; ++c) ws.community[c] = c;
        std::swap(ws.node_weight, ws.next_node_weight);
        return true;
      };
      const bool go_on = current_buffer < 0 ? level_step(level0) : level_step(buffers[current_buffer].view());
      if (!go_on) break;
      current_buffer = current_buffer == 0 ? 1 : 0;
    }
  }
  for (std::uint32_t v0 = 0; v0 < n; ++v0) result.membership[v0] = ws.community[ws.vertex_node[v0]];
  result.quality = modularity_of(level0, result.membership, o.resolution, strength, ws);
  result.count = renumber_communities(result.membership);
  return result;
}

}  // namespace cibgraph
