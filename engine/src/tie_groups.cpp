// The cluster search's first step: groups of accounts tied by candidate pairs, by triangles (truss_edges, on the
// library's k-truss), then the k-core, components and the membership test in rounds (tie_groups).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "cibgraph/algorithms/components/ktruss.hpp"
#include "cibgraph/graph.hpp"
#include "cibgraph/significance.hpp"
#include "significance_internal.hpp"

namespace cibgraph::detail {

// The edges of `pairs` (sorted, unique, a < b) that lie in at least `support` triangles of kept edges: the
// (support + 2)-truss of the graph they form (algorithms/components/ktruss.hpp). A coordinated group is a
// near-clique, every tie backed by shared partners; chance ties between organic accounts rarely close triangles.
std::vector<std::uint8_t> truss_edges(const PairList& pairs, std::size_t n_accounts, std::uint32_t support) {
  const std::size_t m = pairs.size();
  if (support == 0) return std::vector<std::uint8_t>(m, 1);
  std::vector<std::uint32_t> src(m), dst(m);
  for (std::size_t e = 0; e < m; ++e) {
    src[e] = pairs[e].first;
    dst[e] = pairs[e].second;
  }
  const Graph g = Graph::from_edges(static_cast<std::uint32_t>(n_accounts), src, dst, {}, false);
  const std::vector<std::uint8_t> in = k_truss_arcs(g, support + 2);
  std::vector<std::uint8_t> kept(m);
  for (std::size_t e = 0; e < m; ++e) {  // the arc a -> b in a's sorted row
    const auto [a, b] = pairs[e];
    const auto row = g.neighbors(a);
    kept[e] = in[g.offsets[a] + static_cast<std::uint64_t>(std::lower_bound(row.begin(), row.end(), b) - row.begin())];
  }
  return kept;
}

// Groups of accounts tied by `pairs` (sorted, unique, a < b): the ties that close min_triangles triangles, then until
// nothing changes (1) the min_core-core among live accounts, (2) its components, (3) the membership test: an account
// stays when its co-actions with the rest of its component, beyond the first one per pair (every candidate pair
// co-acted once by selection), exceed what the null expects of those pairs given that selection, with Poisson tail
// p below member_alpha and min_excess times over. An organic account tied to a campaign by a few chance co-actions,
// or a hyperactive account in a viral crowd, fails it; a campaign member co-acts with many of the others again and
// again. Returns the group of each account (its smallest member), kNoGroup outside every group.
std::vector<std::uint32_t> tie_groups(const CoactionNetwork& net, const EdgeExcess& excess, PairList pairs,
                                      std::size_t n_accounts, const SignificanceOptions& opt, double min_tie_share) {
  {
    const auto in_truss = truss_edges(pairs, n_accounts, opt.min_triangles);
    std::size_t w = 0;
    for (std::size_t e = 0; e < pairs.size(); ++e)
      if (in_truss[e]) pairs[w++] = pairs[e];
    pairs.resize(w);
  }
  std::vector<std::uint32_t> parent(n_accounts);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<std::uint64_t> start(n_accounts + 1, 0);
  for (const auto& [a, b] : pairs) {
    ++start[a + 1];
    ++start[b + 1];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::uint32_t> adjacent(start.back());
  {
    std::vector<std::uint64_t> next(start.begin(), start.end() - 1);
    for (const auto& [a, b] : pairs) {
      adjacent[next[a]++] = b;
      adjacent[next[b]++] = a;
    }
  }
  std::vector<std::uint8_t> alive(n_accounts, 0);
  for (std::uint32_t v = 0; v < n_accounts; ++v) alive[v] = start[v + 1] > start[v];
  std::vector<std::uint32_t> degree(n_accounts);
  std::vector<std::uint32_t> queue;
  std::vector<double> obs(n_accounts), exp(n_accounts), obs_cot(n_accounts), exp_cot(n_accounts);
  for (int round = 0; round < 64; ++round) {
    for (std::uint32_t v = 0; v < n_accounts; ++v) {
      if (!alive[v]) continue;
      std::uint32_t d = 0;
      for (auto k = start[v]; k < start[v + 1]; ++k) d += alive[adjacent[k]];
      degree[v] = d;
      if (d < opt.min_core) {
        alive[v] = 0;
        queue.push_back(v);
      }
    }
    while (!queue.empty()) {
      const auto v = queue.back();
      queue.pop_back();
      for (auto k = start[v]; k < start[v + 1]; ++k) {
        const auto u = adjacent[k];
        if (alive[u] && --degree[u] < opt.min_core) {
          alive[u] = 0;
          queue.push_back(u);
        }
      }
    }
    std::iota(parent.begin(), parent.end(), 0);
    for (const auto& [a, b] : pairs) {
      if (!alive[a] || !alive[b]) continue;
      auto ra = find(a), rb = find(b);
      if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
    }
    std::fill(obs.begin(), obs.end(), 0.0);
    std::fill(exp.begin(), exp.end(), 0.0);
    std::fill(exp_cot.begin(), exp_cot.end(), 0.0);
    std::fill(obs_cot.begin(), obs_cot.end(), 0.0);
    for (std::size_t li = 0; li < net.layers.size(); ++li) {
      const auto& l = net.layers[li];
      for (std::size_t i = 0; i < l.size(); ++i) {
        const auto a = l.a[i], b = l.b[i];
        if (!alive[a] || !alive[b] || find(a) != find(b)) continue;
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
        if (alive[v]) ++size[find(v)];
    bool changed = false;
    for (std::uint32_t v = 0; v < n_accounts; ++v) {
      if (!alive[v]) continue;
      if (beats_nulls(obs[v], exp[v], obs_cot[v], exp_cot[v], excess.any_cotarget, opt.member_alpha, opt.min_excess) == 0 ||
          (min_tie_share > 0 && degree[v] < min_tie_share * (size[find(v)] - 1))) {
        alive[v] = 0;
        changed = true;
      }
    }
    if (!changed) break;
  }
  std::vector<std::uint32_t> group(n_accounts, kNoGroup);
  for (std::uint32_t v = 0; v < n_accounts; ++v)
    if (alive[v]) group[v] = find(v);
  return group;
}

}  // namespace cibgraph::detail
