#include "cibgraph/significance.hpp"

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "cibgraph/error.hpp"

namespace cibgraph {

EdgeFilter parse_edge_filter(std::string_view name) {
  if (name == "fdr") return EdgeFilter::Fdr;
  if (name == "min-co-actions") return EdgeFilter::MinCoActions;
  if (name == "percentile") return EdgeFilter::Percentile;
  if (name == "none") return EdgeFilter::None;
  throw UsageError("unknown filter '" + std::string(name) + "' (use fdr, min-co-actions, percentile or none)");
}

std::string_view to_string(EdgeFilter filter) {
  switch (filter) {
    case EdgeFilter::Fdr: return "fdr";
    case EdgeFilter::MinCoActions: return "min-co-actions";
    case EdgeFilter::Percentile: return "percentile";
    case EdgeFilter::None: return "none";
  }
  return "fdr";
}

double binomial_upper_tail(std::uint32_t n, double p, std::uint32_t k) {
  if (k == 0) return 1.0;
  if (k > n) return 0.0;
  if (p <= 0) return 0.0;
  if (p >= 1) return 1.0;
  // P(X >= k) = I_p(k, n - k + 1)
  return boost::math::ibeta(static_cast<double>(k), static_cast<double>(n - k + 1), p);
}

double poisson_upper_tail(double lambda, double k) {
  if (k <= 0) return 1.0;
  if (lambda <= 0) return 0.0;
  // P(X >= k) = P(k, lambda), the regularised lower incomplete gamma function, for integer k.
  return boost::math::gamma_p(std::ceil(k), lambda);
}

std::vector<std::uint8_t> benjamini_hochberg(const std::vector<double>& p, double q) {
  const std::size_t m = p.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return p[x] < p[y]; });
  std::size_t last = 0;  // largest rank r (1-based) with p_(r) <= r q / m
  for (std::size_t r = 1; r <= m; ++r)
    if (p[order[r - 1]] <= static_cast<double>(r) * q / static_cast<double>(m)) last = r;
  std::vector<std::uint8_t> rejected(m, 0);
  for (std::size_t r = 0; r < last; ++r) rejected[order[r]] = 1;
  return rejected;
}

namespace {

// P(|X - Y| <= w) for X uniform over xs, Y uniform over ys, both sorted.
double prob_within(const std::int64_t* xs, std::size_t nx, const std::int64_t* ys, std::size_t ny, std::int64_t w) {
  if (nx == 0 || ny == 0) return 0.0;
  std::uint64_t count = 0;
  std::size_t lo = 0, hi = 0;
  for (std::size_t i = 0; i < nx; ++i) {
    while (lo < ny && ys[lo] < xs[i] - w) ++lo;
    if (hi < lo) hi = lo;
    while (hi < ny && ys[hi] <= xs[i] + w) ++hi;
    count += hi - lo;
  }
  return static_cast<double>(count) / (static_cast<double>(nx) * static_cast<double>(ny));
}

}  // namespace

void apply_null_model(LayerEdges& layer, std::int64_t window_ms) {
  const NullInputs& ni = layer.null_inputs;
  const auto m = static_cast<std::int64_t>(layer.size());
  layer.expected.assign(layer.size(), 0.0);
  layer.p_value.assign(layer.size(), 1.0);
#pragma omp parallel for schedule(dynamic, 1024)
  for (std::int64_t e = 0; e < m; ++e) {
    const auto i = static_cast<std::size_t>(e);
    const auto a = layer.a[i], b = layer.b[i];
    const double p = prob_within(ni.delays_ms.data() + ni.delay_offsets[a], ni.delay_offsets[a + 1] - ni.delay_offsets[a],
                                 ni.delays_ms.data() + ni.delay_offsets[b], ni.delay_offsets[b + 1] - ni.delay_offsets[b],
                                 window_ms);
    const std::uint32_t c = std::max(layer.common_keys[i], layer.distinct_targets[i]);
    layer.expected[i] = c * p;
    // Only pairs that co-acted at least once are ever tested, so the p-value is conditional on X >= 1:
    // P(X >= k | X >= 1). Without this, selecting the candidates would make the p-values of independent
    // accounts far from uniform; with it, one co-action alone has p = 1.
    const double at_least_one = binomial_upper_tail(c, p, 1);
    if (at_least_one <= 0) {
      layer.p_value[i] = 0.0;
      continue;
    }
    layer.p_value[i] = std::min(1.0, binomial_upper_tail(c, p, layer.distinct_targets[i]) / at_least_one);
  }
}

std::uint64_t filter_edges(CoactionNetwork& net, const SignificanceOptions& opt) {
  std::uint64_t kept = 0;
  if (opt.filter == EdgeFilter::Fdr) {
    std::vector<double> all;
    for (const auto& l : net.layers) all.insert(all.end(), l.p_value.begin(), l.p_value.end());
    const auto rejected = benjamini_hochberg(all, opt.fdr);
    std::size_t pos = 0;
    for (auto& l : net.layers)
      for (std::size_t i = 0; i < l.size(); ++i, ++pos) l.kept[i] = rejected[pos] && l.co_actions[i] >= opt.min_co_actions &&
                                                                     l.distinct_targets[i] >= opt.min_distinct_targets;
  } else if (opt.filter == EdgeFilter::Percentile) {
    std::vector<std::uint32_t> all;
    for (const auto& l : net.layers) all.insert(all.end(), l.co_actions.begin(), l.co_actions.end());
    std::uint32_t threshold = 0;
    if (!all.empty()) {
      auto q = all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size() - 1, static_cast<std::size_t>(opt.percentile * static_cast<double>(all.size()))));
      std::nth_element(all.begin(), q, all.end());
      threshold = *q;
    }
    for (auto& l : net.layers)
      for (std::size_t i = 0; i < l.size(); ++i)
        l.kept[i] = l.co_actions[i] >= std::max(threshold, opt.min_co_actions) &&
                    l.distinct_targets[i] >= opt.min_distinct_targets;
  } else {
    const std::uint32_t min_distinct = opt.filter == EdgeFilter::None ? 1 : opt.min_distinct_targets;
    for (auto& l : net.layers)
      for (std::size_t i = 0; i < l.size(); ++i)
        l.kept[i] = l.co_actions[i] >= opt.min_co_actions && l.distinct_targets[i] >= min_distinct;
  }
  for (const auto& l : net.layers) kept += static_cast<std::uint64_t>(std::count(l.kept.begin(), l.kept.end(), 1));
  return kept;
}

bool is_cluster_edge(const LayerEdges& l, std::size_t i, const SignificanceOptions& opt) {
  if (l.kept[i]) return true;
  if (opt.filter == EdgeFilter::None) return false;
  return l.p_value[i] <= opt.cluster_edge_p && l.distinct_targets[i] >= opt.min_distinct_targets &&
         l.co_actions[i] >= opt.min_co_actions;
}

std::uint64_t keep_cluster_edges(CoactionNetwork& net, const std::vector<Cluster>& clusters, std::size_t n_accounts,
                                 const SignificanceOptions& opt) {
  std::vector<std::uint32_t> cluster_of(n_accounts, 0);
  for (const auto& c : clusters)
    if (c.coordinated)
      for (auto m : c.members) cluster_of[m] = c.id;
  std::uint64_t added = 0;
  for (auto& l : net.layers)
    for (std::size_t i = 0; i < l.size(); ++i)
      if (!l.kept[i] && cluster_of[l.a[i]] != 0 && cluster_of[l.a[i]] == cluster_of[l.b[i]] && is_cluster_edge(l, i, opt)) {
        l.kept[i] = 1;
        ++added;
      }
  return added;
}

std::vector<Cluster> coordination_clusters(const CoactionNetwork& net, std::size_t n_accounts,
                                           const SignificanceOptions& opt) {
  // Union-find over kept edges.
  std::vector<std::uint32_t> parent(n_accounts);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  // The min_core-core of the cluster network (layers merged, each pair once), by peeling low-degree accounts.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (const auto& l : net.layers)
    for (std::size_t i = 0; i < l.size(); ++i)
      if (is_cluster_edge(l, i, opt)) pairs.emplace_back(l.a[i], l.b[i]);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
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
  std::vector<std::uint32_t> degree(n_accounts);
  std::vector<std::uint32_t> queue;
  std::vector<std::uint8_t> in_core(n_accounts, 0);
  for (std::uint32_t v = 0; v < n_accounts; ++v) {
    degree[v] = static_cast<std::uint32_t>(start[v + 1] - start[v]);
    in_core[v] = degree[v] > 0;
    if (in_core[v] && degree[v] < opt.min_core) {
      in_core[v] = 0;
      queue.push_back(v);
    }
  }
  while (!queue.empty()) {
    const auto v = queue.back();
    queue.pop_back();
    for (auto k = start[v]; k < start[v + 1]; ++k) {
      const auto u = adjacent[k];
      if (in_core[u] && --degree[u] < opt.min_core) {
        in_core[u] = 0;
        queue.push_back(u);
      }
    }
  }
  std::vector<std::uint8_t>& touched = in_core;
  for (const auto& [a, b] : pairs) {
    if (!in_core[a] || !in_core[b]) continue;
    auto ra = find(a), rb = find(b);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
  }
  // Components with two or more accounts, numbered by their smallest member.
  std::vector<std::int64_t> comp_of(n_accounts, -1);
  std::vector<Cluster> clusters;
  for (std::uint32_t v = 0; v < n_accounts; ++v) {
    if (!touched[v]) continue;
    const auto r = find(v);
    if (comp_of[r] < 0) {
      comp_of[r] = static_cast<std::int64_t>(clusters.size());
      clusters.emplace_back();
    }
    clusters[static_cast<std::size_t>(comp_of[r])].members.push_back(v);
  }
  std::vector<std::vector<std::int64_t>> edge_delays(clusters.size());
  std::vector<std::set<std::pair<int, std::uint32_t>>> keys(clusters.size());
  std::vector<std::set<Layer>> layers(clusters.size());
  for (const auto& l : net.layers)
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (!touched[l.a[i]] || !touched[l.b[i]]) continue;
      const auto ca = comp_of[find(l.a[i])], cb = comp_of[find(l.b[i])];
      if (ca != cb) continue;
      auto& c = clusters[static_cast<std::size_t>(ca)];
      c.observed += l.distinct_targets[i];
      c.expected += l.expected[i];
      if (!is_cluster_edge(l, i, opt)) continue;
      ++c.kept_edges;
      edge_delays[static_cast<std::size_t>(ca)].push_back(l.median_delay_ms[i]);
      layers[static_cast<std::size_t>(ca)].insert(l.layer);
      for (auto k = l.evidence_offsets[i]; k < l.evidence_offsets[i + 1]; ++k)
        keys[static_cast<std::size_t>(ca)].insert({static_cast<int>(l.layer), l.evidence_key[k]});
    }
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    auto& cl = clusters[c];
    const double n = static_cast<double>(cl.members.size());
    cl.density = n > 1 ? static_cast<double>(cl.kept_edges) / (n * (n - 1) / 2) : 0;
    cl.layers.assign(layers[c].begin(), layers[c].end());
    auto& d = edge_delays[c];
    if (!d.empty()) {
      auto mid = d.begin() + static_cast<std::ptrdiff_t>((d.size() - 1) / 2);
      std::nth_element(d.begin(), mid, d.end());
      cl.median_delay_ms = *mid;
    }
    cl.targets = keys[c].size();
    cl.p_value = poisson_upper_tail(cl.expected, cl.observed);
    cl.coordinated = cl.members.size() >= opt.min_cluster_size && cl.p_value < opt.cluster_alpha &&
                     cl.observed >= opt.min_excess * cl.expected;
  }
  // Strongest first: coordinated before not, then by p-value (log scale ties by excess), then size.
  std::stable_sort(clusters.begin(), clusters.end(), [](const Cluster& x, const Cluster& y) {
    if (x.coordinated != y.coordinated) return x.coordinated;
    if (x.p_value != y.p_value) return x.p_value < y.p_value;
    const double ex = x.observed - x.expected, ey = y.observed - y.expected;
    if (ex != ey) return ex > ey;
    return x.members.size() > y.members.size();
  });
  for (std::size_t c = 0; c < clusters.size(); ++c) clusters[c].id = static_cast<std::uint32_t>(c + 1);
  return clusters;
}

}  // namespace cibgraph
