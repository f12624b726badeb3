#pragma once
// Consensus clustering over Leiden runs, and Leiden at several resolutions.
//
// consensus(g, runs, base): runs Leiden with seeds base.seed .. base.seed + runs - 1; arc_agreement[a] is the
// fraction of runs that put both ends of arc a (in the order of g.targets) in the same community, a measure of
// how sure the grouping of that tie is. The partition is Leiden (options `base`, seed base.seed) on the
// agreement-weighted graph: g's arcs with weight = agreement, the co-classification matrix restricted to g's
// edges, as in Lancichinetti & Fortunato (2012), "Consensus clustering in complex networks", Sci. Rep. 2:336,
// done once instead of iterated. Ties that the runs never agree on weigh 0 and so cannot hold a community
// together. partition.quality is the quality of that partition on g itself (options `base`), so it compares
// with leiden(g).quality; partition.iterations are those of the Leiden run on the agreement graph.
//
// multi_resolution(g, resolutions, base): leiden(g) with base.resolution replaced by each value, in order.
//
// Both run the independent Leiden runs in parallel with OpenMP, one run per task, results stored by index and
// agreement summed in run order: the output does not depend on the thread count. Cost: runs (or resolutions)
// times one Leiden run, plus O(runs * m) for the agreement.
#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <vector>

#include "cibgraph/algorithms/community/leiden.hpp"
#include "cibgraph/algorithms/community/result.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

struct ConsensusResult {
  CommunityResult partition;          // Leiden on the agreement-weighted graph; quality measured on g
  std::vector<double> arc_agreement;  // per arc of g (order of g.targets): fraction of runs with both ends together
  std::uint32_t runs = 0;
};

namespace community_detail {

// Runs count independent jobs job(i) -> CommunityResult in parallel; exceptions are rethrown after the loop.
template <class Job>
std::vector<CommunityResult> run_independent(std::uint32_t count, const Job& job) {
  std::vector<CommunityResult> results(count);
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 1) if (count > 1)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(count); ++i) {
    try {
      results[static_cast<std::size_t>(i)] = job(static_cast<std::uint32_t>(i));
    } catch (...) {  // an exception must not leave an OpenMP region
#pragma omp critical(cibgraph_community_runs_failure)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  return results;
}

}  // namespace community_detail

template <CsrGraph G>
ConsensusResult consensus(const G& g, std::uint32_t runs, const LeidenOptions& base = {}) {
  if (runs == 0) throw UsageError("consensus: runs must be >= 1");
  community_detail::check_leiden_options(base, "consensus");
  ConsensusResult out;
  out.runs = runs;
  const std::uint32_t n = g.num_vertices();
  const std::vector<CommunityResult> partitions = community_detail::run_independent(runs, [&](std::uint32_t i) {
    LeidenOptions o = base;
    o.seed = base.seed + i;
    return leiden(g, o);
  });

  out.arc_agreement.assign(g.targets.size(), 0.0);
  std::vector<float> agreement_weight(g.targets.size());
#pragma omp parallel for schedule(static) if (g.targets.size() > 20000)
  for (std::int64_t v = 0; v < static_cast<std::int64_t>(n); ++v) {
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      std::uint32_t together = 0;
      for (const CommunityResult& p : partitions) together += p.membership[v] == p.membership[g.targets[a]];
      out.arc_agreement[a] = static_cast<double>(together) / runs;
      agreement_weight[a] = static_cast<float>(out.arc_agreement[a]);
    }
  }

  const Graph agreement_graph(std::vector<std::uint64_t>(g.offsets.begin(), g.offsets.end()),
                              std::vector<std::uint32_t>(g.targets.begin(), g.targets.end()),
                              std::move(agreement_weight), g.directed);
  LeidenOptions on_agreement = base;
  on_agreement.weighted = true;
  out.partition = leiden(agreement_graph, on_agreement);

  // The quality of that partition on g itself, computed as leiden() does.
  community_detail::InputLevel input;
  community_detail::prepare_input(g, base.weighted, "consensus", input);
  std::vector<double> strength;
  community_detail::level0_strengths(input.view(), strength);
  community_detail::Workspace ws;
  ws.reserve(n);
  out.partition.quality =
      base.quality == CommunityQuality::Modularity
          ? community_detail::modularity_of(input.view(), out.partition.membership, base.resolution, strength, ws)
          : community_detail::cpm_of(input.view(), out.partition.membership, base.resolution, input.has_self_loop,
                                     ws);
  return out;
}

template <CsrGraph G>
std::vector<CommunityResult> multi_resolution(const G& g, std::span<const double> resolutions,
                                              const LeidenOptions& base = {}) {
  community_detail::check_leiden_options(base, "multi_resolution");
  for (double r : resolutions) {
    if (!std::isfinite(r) || r < 0.0) {
      throw UsageError("multi_resolution: every resolution must be finite and >= 0, got " + std::to_string(r));
    }
  }
  return community_detail::run_independent(static_cast<std::uint32_t>(resolutions.size()), [&](std::uint32_t i) {
    LeidenOptions o = base;
    o.resolution = resolutions[i];
    return leiden(g, o);
  });
}

}  // namespace cibgraph
