// The cluster search's first step: groups of accounts tied by candidate pairs, by triangles, then the k-core,
// components and the membership test in rounds (tie_groups). The graph work runs on the library: one Graph of the
// ties, cut down in place by edge_subgraph and induced_subgraph (graph.hpp), k_truss_arcs, core_numbers and
// connected_components (algorithms/components/).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "cibgraph/algorithms/components/components.hpp"
#include "cibgraph/algorithms/components/kcore.hpp"
#include "cibgraph/algorithms/components/ktruss.hpp"
#include "cibgraph/graph.hpp"
#include "cibgraph/significance.hpp"
#include "significance_internal.hpp"

namespace cibgraph::detail {

namespace {

// The undirected graph of `pairs` (sorted, unique, a < b). In that order every row comes out sorted, so from_edges
// sorts nothing.
Graph tie_graph(const PairList& pairs, std::uint32_t n_accounts) {
  std::vector<std::uint32_t> src(pairs.size()), dst(pairs.size());
  for (std::size_t e = 0; e < pairs.size(); ++e) {
    src[e] = pairs[e].first;
    dst[e] = pairs[e].second;
  }
  return Graph::from_edges(n_accounts, src, dst, {}, false);
}

}  // namespace

// Groups of accounts tied by `pairs` (sorted, unique, a < b): the ties that close min_triangles triangles (the
// (min_triangles + 2)-truss: a coordinated group is a near-clique, every tie backed by shared partners; chance ties
// between organic accounts rarely close triangles), then until nothing changes (1) the min_core-core among live
// accounts, (2) its components, (3) the membership test: an account stays when its co-actions with the rest of its
// component, beyond the first one per pair (every candidate pair co-acted once by selection), exceed what the null
// expects of those pairs given that selection, with Poisson tail p below member_alpha and min_excess times over.
// An organic account tied to a campaign by a few chance co-actions, or a hyperactive account in a viral crowd,
// fails it; a campaign member co-acts with many of the others again and again. Returns the group of each account
// (its smallest member), kNoGroup outside every group.
std::vector<std::uint32_t> tie_groups(const CoactionNetwork& net, const EdgeExcess& excess, PairList pairs,
                                      std::size_t n_accounts, const SignificanceOptions& opt, double min_tie_share) {
  const auto n = static_cast<std::uint32_t>(n_accounts);
  // The live ties: built once, then only ever cut down, in place.
  Graph ties = tie_graph(pairs, n);
  PairList().swap(pairs);
  if (opt.min_triangles > 0) ties = std::move(ties).edge_subgraph(k_truss_arcs(ties, opt.min_triangles + 2));
  std::vector<std::uint8_t> alive(n_accounts, 0);
  for (std::uint32_t v = 0; v < n; ++v) alive[v] = ties.degree(v) > 0;
  std::vector<std::uint32_t> group(n_accounts);  // the smallest account of v's component
  std::vector<double> obs(n_accounts), exp(n_accounts), obs_cot(n_accounts), exp_cot(n_accounts);
  for (int round = 0; round < 64; ++round) {
    // (1) The min_core-core of the live accounts; ties then holds only the ties among what is left.
    {
      const std::vector<std::uint32_t> core = core_numbers(ties);
      for (std::uint32_t v = 0; v < n; ++v)
        if (core[v] < opt.min_core) alive[v] = 0;
    }
    ties = std::move(ties).induced_subgraph(alive);
    // (2) Its components, each named by its smallest account (labels run in order of smallest vertex).
    {
      const Components parts = connected_components(ties);
      std::vector<std::uint32_t> smallest(parts.count, kNoGroup);
      for (std::uint32_t v = 0; v < n; ++v) {
        std::uint32_t& first = smallest[parts.label[v]];
        if (first == kNoGroup) first = v;
        group[v] = first;
      }
    }
    std::fill(obs.begin(), obs.end(), 0.0);
    std::fill(exp.begin(), exp.end(), 0.0);
    std::fill(exp_cot.begin(), exp_cot.end(), 0.0);
    std::fill(obs_cot.begin(), obs_cot.end(), 0.0);
    for (std::size_t li = 0; li < net.layers.size(); ++li) {
      const auto& l = net.layers[li];
      for (std::size_t i = 0; i < l.size(); ++i) {
        const auto a = l.a[i], b = l.b[i];
        if (!alive[a] || !alive[b] || group[a] != group[b]) continue;
        const double x = static_cast<double>(l.distinct_targets[i]) - 1.0;
        const double e = excess.sync[li][i], ec = excess.cotarget[li][i];
        const double xc = static_cast<double>(cotarget_count(l, i)) - 1.0;
        obs[a] += x;
        obs[b] += x;
        obs_cot[a] += xc;
        obs_cot[b] += xc;
        exp[a] += e;
        exp[b] += e;
        exp_cot[a] += ec;
        exp_cot[b] += ec;
      }
    }
    std::vector<std::uint32_t> size(n_accounts, 0);
    if (min_tie_share > 0)
      for (std::uint32_t v = 0; v < n_accounts; ++v)
        if (alive[v]) ++size[group[v]];
    bool changed = false;
    for (std::uint32_t v = 0; v < n_accounts; ++v) {
      if (!alive[v]) continue;
      if (beats_nulls(obs[v], exp[v], obs_cot[v], exp_cot[v], excess.any_cotarget, opt.member_alpha, opt.min_excess) == 0 ||
          (min_tie_share > 0 && ties.degree(v) < min_tie_share * (size[group[v]] - 1))) {
        alive[v] = 0;
        changed = true;
      }
    }
    if (!changed) break;
    ties = std::move(ties).induced_subgraph(alive);
  }
  for (std::uint32_t v = 0; v < n_accounts; ++v)
    if (!alive[v]) group[v] = kNoGroup;
  return group;
}

}  // namespace cibgraph::detail
