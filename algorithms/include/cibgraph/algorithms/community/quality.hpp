#pragma once
// Quality of a partition of the vertices (membership[v] = community of v), and agreement between two partitions.
//
// modularity  Q = 1/(2m) sum_ij (A_ij - gamma k_i k_j / (2m)) delta(c_i, c_j), exactly networkx
//             community.modularity (Newman, "Networks: An Introduction", 2010; Clauset, Newman & Moore, PRE 2004):
//             sum over communities of L_c/m - gamma (K_c/(2m))^2, and for a directed graph
//             L_c/m - gamma K_c^out K_c^in / m^2 (Leicht & Newman, PRL 2008). Self-loops: networkx and igraph
//             count an undirected self-loop of weight w twice in the degree (A_vv = 2w) and once in m and L_c;
//             our CSR stores it once, so it is doubled here to give the same value. Directed loops count once.
// cpm_quality leidenalg's CPMVertexPartition.quality() (Traag, Van Dooren & Nesterov, PRE 2011):
//             (2 - directed) * sum_c (w_c - gamma P(n_c)), w_c the weight inside c (an undirected edge or loop
//             once), P(n) = n(n-1)/2 undirected, n(n-1) directed; when the graph has a self-loop leidenalg's
//             default correct_self_loops turns these into n(n+1)/2 and n^2, and so do we. Every vertex has size 1.
// conductance per community id c: cut(S, V\S) / min(vol(S), vol(V\S)), networkx cuts.conductance: the cut sums
//             the weights of edges leaving S (and, directed, entering it); the volume sums networkx degrees
//             (undirected loops twice) or, directed, out-degrees. NaN where the smaller volume is 0 (networkx
//             raises ZeroDivisionError): an empty id, a community holding every edge, ...
// coverage    weight of intra-community edges / weight of all edges; with weighted = false the count, which is
//             networkx community.partition_quality()[0]. Undirected edges and loops count once.
// normalized_mutual_information  2 I(a; b) / (H(a) + H(b)), the arithmetic-mean normalisation of sklearn's default
//             and igraph compare_communities(method="nmi") (Danon, Díaz-Guilera, Duch & Arenas, JSTAT 2005).
//             1 when both partitions have a single community (H = 0 on both sides), as both peers return.
// adjusted_rand_index  Hubert & Arabie (J. Classification 1985), computed from the pair confusion counts as
//             sklearn does: 1 when the partitions agree on every pair, which includes fewer than two elements and
//             identical all-in-one or all-singleton partitions (igraph returns NaN or raises there).
//
// weighted = false treats every weight as 1. Weights are used as stored (negative weights are not refused).
// Membership ids: any uint32 for the scalar measures; conductance returns one value per id 0..max id, so it
// requires ids < n (renumber_communities makes them so). A membership whose length is not num_vertices() throws
// UsageError. With no edges (total weight 0) modularity and coverage are NaN, like igraph's modularity; networkx
// raises ZeroDivisionError.
//
// Complexity: O(n + m) each; modularity and coverage scan the arcs in parallel over a fixed set of vertex blocks
// reduced in block order, so results are bit-identical for any thread count; the per-community sums are
// sequential over vertices. NMI and ARI: O(n + k_a + k_b) with a contingency table grouped by one side's ids.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "cibgraph/algorithms/community/result.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

namespace detail {

// Fewer arcs than this are not worth waking the OpenMP team for: below it the scan takes about a millisecond,
// less than a team wake-up costs on a busy machine.
inline constexpr std::uint64_t quality_parallel_threshold = 1000000;
// The arc scans are cut into this many vertex ranges of about equal arc counts, whatever the thread count, and
// their sums are added in range order: that is what keeps floating-point results independent of threads.
inline constexpr std::uint32_t quality_blocks = 256;

inline void check_membership_length(const char* function, std::size_t length, std::uint32_t n) {
  if (length != n) {
    throw UsageError(std::string(function) + ": membership has " + std::to_string(length) +
                     " entries but the graph has " + std::to_string(n) + " vertices");
  }
}

// Community ids usable as indices of arrays of n entries: the membership itself when every id is below n,
// otherwise a renumbered copy kept in `storage`.
inline std::span<const std::uint32_t> compact_ids(std::span<const std::uint32_t> membership,
                                                  std::vector<std::uint32_t>& storage, std::uint32_t& id_bound) {
  std::uint32_t largest = 0;
  for (const std::uint32_t c : membership) largest = std::max(largest, c);
  if (membership.empty() || largest < membership.size()) {
    id_bound = membership.empty() ? 0 : largest + 1;
    return membership;
  }
  storage.assign(membership.begin(), membership.end());
  id_bound = renumber_communities(storage);
  return storage;
}

// First vertex of each of `blocks` ranges with about the same number of arcs; entry `blocks` is n. Block b starts
// at the first vertex whose row starts at or after arc m * b / blocks (n when none does); one pass over the rows.
template <OutAdjacencyGraph G>
std::vector<std::uint32_t> arc_balanced_blocks(const G& g, std::uint32_t blocks) {
  std::vector<std::uint32_t> first(std::size_t{blocks} + 1);
  const std::uint64_t m = g.num_arcs();
  const std::uint32_t n = g.num_vertices();
  std::uint32_t v = 0;
  std::uint64_t row_start = 0;  // arcs in the rows before v
  for (std::uint32_t b = 0; b <= blocks; ++b) {
    const std::uint64_t arc = m / blocks * b + m % blocks * b / blocks;
    for (; v < n && row_start < arc; ++v) row_start += g.neighbors(v).size();
    first[b] = v;
  }
  first[blocks] = n;
  for (std::uint32_t b = blocks; b-- > 0;) first[b] = std::min(first[b], first[b + 1]);
  return first;
}

// Calls scan(first_vertex, end_vertex, block_sums) on each block, in parallel, then adds the blocks' Width
// sums in block order.
template <std::size_t Width, class G, class Scan>
std::array<double, Width> blockwise_sums(const G& g, Scan&& scan) {
  const std::uint32_t blocks = quality_blocks;
  const std::vector<std::uint32_t> first = arc_balanced_blocks(g, blocks);
  std::vector<std::array<double, Width>> partial(blocks);
#pragma omp parallel for schedule(dynamic, 1) if (g.num_arcs() > quality_parallel_threshold)
  for (std::int64_t b = 0; b < static_cast<std::int64_t>(blocks); ++b) {
    std::array<double, Width> sums{};
    scan(first[b], first[b + 1], sums);
    partial[b] = sums;
  }
  std::array<double, Width> total{};
  for (const auto& sums : partial) {
    for (std::size_t i = 0; i < Width; ++i) total[i] += sums[i];
  }
  return total;
}

}  // namespace detail

template <WeightedGraph G>
double modularity(const G& g, std::span<const std::uint32_t> membership, double resolution = 1.0,
                  bool weighted = true) {
  const std::uint32_t n = g.num_vertices();
  detail::check_membership_length("modularity", membership.size(), n);
  std::vector<std::uint32_t> storage;
  std::uint32_t id_bound = 0;
  const std::span<const std::uint32_t> community = detail::compact_ids(membership, storage, id_bound);

  // Row sums (out-strength, undirected loops doubled) kept per vertex so the community totals below need not
  // reread the arcs. Sums: [0] weight inside communities (as sum_ij A_ij delta), [1] total weight.
  const bool loops_twice = !g.directed;
  std::vector<double> strength(n);
  const auto sums = detail::blockwise_sums<2>(g, [&](std::uint32_t begin, std::uint32_t end, auto& acc) {
    for (std::uint32_t v = begin; v < end; ++v) {
      const auto row = g.neighbors(v);
      const auto row_weights = g.neighbor_weights(v);
      double row_total = 0.0, row_inside = 0.0;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const double w = weighted ? static_cast<double>(row_weights[i]) : 1.0;
        const double a = (loops_twice && row[i] == v) ? 2.0 * w : w;
        row_total += a;
        if (community[row[i]] == community[v]) row_inside += a;
      }
      strength[v] = row_total;
      acc[0] += row_inside;
      acc[1] += row_total;
    }
  });
  const double inside = sums[0], total = sums[1];
  if (total == 0.0) return std::numeric_limits<double>::quiet_NaN();

  std::vector<double> out_total(id_bound, 0.0);
  for (std::uint32_t v = 0; v < n; ++v) out_total[community[v]] += strength[v];
  double expected = 0.0;
  if (!g.directed) {
    for (const double k : out_total) expected += k * k;
  } else {
    std::vector<double> in_total(id_bound, 0.0);
    for (std::uint32_t v = 0; v < n; ++v) {
      const auto row = g.neighbors(v);
      const auto row_weights = g.neighbor_weights(v);
      for (std::size_t i = 0; i < row.size(); ++i) {
        in_total[community[row[i]]] += weighted ? static_cast<double>(row_weights[i]) : 1.0;
      }
    }
    for (std::uint32_t c = 0; c < id_bound; ++c) expected += out_total[c] * in_total[c];
  }
  return inside / total - resolution * expected / (total * total);
}

template <WeightedGraph G>
double cpm_quality(const G& g, std::span<const std::uint32_t> membership, double resolution = 1.0,
                   bool weighted = true) {
  const std::uint32_t n = g.num_vertices();
  detail::check_membership_length("cpm_quality", membership.size(), n);
  std::vector<std::uint32_t> storage;
  std::uint32_t id_bound = 0;
  const std::span<const std::uint32_t> community = detail::compact_ids(membership, storage, id_bound);

  // Sums: [0] weight of arcs inside communities plus, undirected, the weight of inside loops once more, which
  // is 2 sum_c w_c for an undirected graph and sum_c w_c for a directed one; [1] number of self-loops.
  const bool undirected = !g.directed;
  const auto sums = detail::blockwise_sums<2>(g, [&](std::uint32_t begin, std::uint32_t end, auto& acc) {
    for (std::uint32_t v = begin; v < end; ++v) {
      const auto row = g.neighbors(v);
      const auto row_weights = g.neighbor_weights(v);
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (community[row[i]] != community[v]) continue;
        const double w = weighted ? static_cast<double>(row_weights[i]) : 1.0;
        const bool loop = row[i] == v;
        acc[0] += (undirected && loop) ? 2.0 * w : w;
        if (loop) acc[1] += 1.0;
      }
    }
  });
  const bool has_loops = sums[1] > 0.0;

  std::vector<std::uint64_t> size(id_bound, 0);
  for (const std::uint32_t c : community) ++size[c];
  // (2 - directed) P(n_c): n(n-1) both ways without loops; n(n+1) undirected or n^2 directed with loops.
  double possible = 0.0;
  for (const std::uint64_t s : size) {
    const double nc = static_cast<double>(s);
    possible += has_loops ? (undirected ? nc * (nc + 1.0) : nc * nc) : nc * (nc - 1.0);
  }
  return sums[0] - resolution * possible;
}

template <WeightedGraph G>
std::vector<double> conductance(const G& g, std::span<const std::uint32_t> membership, bool weighted = true) {
  const std::uint32_t n = g.num_vertices();
  detail::check_membership_length("conductance", membership.size(), n);
  std::uint32_t largest = 0;
  for (const std::uint32_t c : membership) largest = std::max(largest, c);
  if (n > 0 && largest >= n) {
    throw UsageError("conductance: community id " + std::to_string(largest) + " is not below the vertex count " +
                     std::to_string(n) + "; renumber the membership (renumber_communities) first");
  }
  const std::size_t ids = n == 0 ? 0 : std::size_t{largest} + 1;

  std::vector<double> cut(ids, 0.0), volume(ids, 0.0);
  double total_volume = 0.0;
  for (std::uint32_t v = 0; v < n; ++v) {
    const std::uint32_t c = membership[v];
    const auto row = g.neighbors(v);
    const auto row_weights = g.neighbor_weights(v);
    for (std::size_t i = 0; i < row.size(); ++i) {
      const double w = weighted ? static_cast<double>(row_weights[i]) : 1.0;
      const std::uint32_t t = row[i];
      const double degree_share = (!g.directed && t == v) ? 2.0 * w : w;
      volume[c] += degree_share;
      total_volume += degree_share;
      const std::uint32_t target_community = membership[t];
      if (target_community != c) {
        cut[c] += w;
        // An undirected crossing edge reaches the other side through its reverse arc; a directed arc does not.
        if (g.directed) cut[target_community] += w;
      }
    }
  }
  std::vector<double> result(ids);
  for (std::size_t c = 0; c < ids; ++c) {
    const double smaller = std::min(volume[c], total_volume - volume[c]);
    result[c] = smaller == 0.0 ? std::numeric_limits<double>::quiet_NaN() : cut[c] / smaller;
  }
  return result;
}

template <WeightedGraph G>
double coverage(const G& g, std::span<const std::uint32_t> membership, bool weighted = true) {
  const std::uint32_t n = g.num_vertices();
  detail::check_membership_length("coverage", membership.size(), n);
  // Arc sums with undirected loops doubled, so that halving both gives each edge once; the ratio is unchanged.
  const bool loops_twice = !g.directed;
  const auto sums = detail::blockwise_sums<2>(g, [&](std::uint32_t begin, std::uint32_t end, auto& acc) {
    for (std::uint32_t v = begin; v < end; ++v) {
      const auto row = g.neighbors(v);
      const auto row_weights = g.neighbor_weights(v);
      for (std::size_t i = 0; i < row.size(); ++i) {
        const double w = weighted ? static_cast<double>(row_weights[i]) : 1.0;
        const double a = (loops_twice && row[i] == v) ? 2.0 * w : w;
        acc[1] += a;
        if (membership[row[i]] == membership[v]) acc[0] += a;
      }
    }
  });
  if (sums[1] == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return sums[0] / sums[1];
}

namespace detail {

// The contingency table of two partitions of the same elements, visited cell by cell (only non-zero cells):
// visit(count in a's class, count in b's class, count in both). Elements are grouped by a's class with a
// counting sort; b's classes are counted per group in a scratch array that is cleared through a touched list.
struct Contingency {
  std::vector<std::uint64_t> a_sizes, b_sizes;
  template <class Visit>
  void for_each_cell(std::span<const std::uint32_t> a_ids, std::span<const std::uint32_t> b_ids, Visit&& visit) {
    const std::size_t n = a_ids.size();
    std::vector<std::uint64_t> start(a_sizes.size() + 1, 0);
    for (std::size_t c = 0; c < a_sizes.size(); ++c) start[c + 1] = start[c] + a_sizes[c];
    std::vector<std::uint32_t> grouped(n);
    {
      std::vector<std::uint64_t> fill(start.begin(), start.end() - 1);
      for (std::size_t i = 0; i < n; ++i) grouped[fill[a_ids[i]]++] = b_ids[i];
    }
    std::vector<std::uint64_t> in_both(b_sizes.size(), 0);
    std::vector<std::uint32_t> touched;
    for (std::size_t c = 0; c < a_sizes.size(); ++c) {
      for (std::uint64_t i = start[c]; i < start[c + 1]; ++i) {
        if (in_both[grouped[i]]++ == 0) touched.push_back(grouped[i]);
      }
      for (const std::uint32_t d : touched) {
        visit(a_sizes[c], b_sizes[d], in_both[d]);
        in_both[d] = 0;
      }
      touched.clear();
    }
  }
};

inline Contingency contingency_of(const char* function, std::span<const std::uint32_t> a,
                                  std::span<const std::uint32_t> b, std::vector<std::uint32_t>& a_ids,
                                  std::vector<std::uint32_t>& b_ids) {
  if (a.size() != b.size()) {
    throw UsageError(std::string(function) + ": the partitions have " + std::to_string(a.size()) + " and " +
                     std::to_string(b.size()) + " elements");
  }
  a_ids.assign(a.begin(), a.end());
  b_ids.assign(b.begin(), b.end());
  Contingency table;
  table.a_sizes.assign(renumber_communities(a_ids), 0);
  table.b_sizes.assign(renumber_communities(b_ids), 0);
  for (const std::uint32_t c : a_ids) ++table.a_sizes[c];
  for (const std::uint32_t c : b_ids) ++table.b_sizes[c];
  return table;
}

}  // namespace detail

inline double normalized_mutual_information(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  std::vector<std::uint32_t> a_ids, b_ids;
  detail::Contingency table = detail::contingency_of("normalized_mutual_information", a, b, a_ids, b_ids);
  if (table.a_sizes.size() <= 1 && table.b_sizes.size() <= 1) return 1.0;
  const double n = static_cast<double>(a.size());
  const auto entropy = [n](const std::vector<std::uint64_t>& sizes) {
    double h = 0.0;
    for (const std::uint64_t s : sizes) {
      const double p = static_cast<double>(s) / n;
      h -= p * std::log(p);
    }
    return h;
  };
  const double h_a = entropy(table.a_sizes), h_b = entropy(table.b_sizes);
  double mutual = 0.0;
  table.for_each_cell(a_ids, b_ids, [&](std::uint64_t in_a, std::uint64_t in_b, std::uint64_t both) {
    const double nij = static_cast<double>(both);
    mutual += nij / n * std::log(n * nij / (static_cast<double>(in_a) * static_cast<double>(in_b)));
  });
  mutual = std::max(mutual, 0.0);  // rounding can leave independent partitions a hair below 0
  return std::min(1.0, 2.0 * mutual / (h_a + h_b));
}

inline double adjusted_rand_index(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  std::vector<std::uint32_t> a_ids, b_ids;
  detail::Contingency table = detail::contingency_of("adjusted_rand_index", a, b, a_ids, b_ids);
  // Unordered pairs: together in both, in a only, in b only, apart in both. Exact in 64-bit integers (n < 2^32
  // gives fewer than 2^63 pairs); the products below are taken in long double.
  const auto pairs = [](std::uint64_t s) { return s < 2 ? std::uint64_t{0} : s * (s - 1) / 2; };
  std::uint64_t together_both = 0, together_a = 0, together_b = 0;
  table.for_each_cell(a_ids, b_ids,
                      [&](std::uint64_t, std::uint64_t, std::uint64_t both) { together_both += pairs(both); });
  for (const std::uint64_t s : table.a_sizes) together_a += pairs(s);
  for (const std::uint64_t s : table.b_sizes) together_b += pairs(s);
  const std::uint64_t all = pairs(a.size());
  const std::uint64_t only_a = together_a - together_both, only_b = together_b - together_both;
  const std::uint64_t apart_both = all - together_a - only_b;
  if (only_a == 0 && only_b == 0) return 1.0;
  const long double tp = together_both, fa = only_a, fb = only_b, tn = apart_both;
  return static_cast<double>((tp * tn - fa * fb) / (((tp + fa) * (fa + tn) + (tp + fb) * (fb + tn)) / 2.0L));
}

}  // namespace cibgraph
