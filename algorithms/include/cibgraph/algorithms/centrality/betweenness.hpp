#pragma once
// Betweenness centrality: for each vertex v, the sum over ordered pairs of other vertices (s, t) of the share of
// shortest s–t paths that pass through v, computed exactly or estimated from a sample of sources.
//
// Conventions (networkx betweenness_centrality, endpoints=False):
//   * undirected graphs count each unordered pair once: the accumulated dependencies are halved;
//   * normalized: multiplied by 2/((n-1)(n-2)) for undirected graphs, 1/((n-1)(n-2)) for directed ones, nothing
//     when n <= 2 (every score is 0 there);
//   * weighted: arc weights are lengths and must be > 0 and finite (InputError otherwise); hop counts otherwise;
//   * self-loops lie on no shortest path and are ignored.
//   * samples = k with 0 < k < n: k distinct sources drawn uniformly (SplitMix64 from the seed, partial Fisher–
//     Yates), dependencies scaled by n/k, like networkx's `k=` option. (networkx 2.8 forgets the n/k factor for
//     directed unnormalized graphs; we apply it always, so the estimate is unbiased in every case.) k >= n is exact.
//
// Error bound of the sampled estimate (BetweennessResult::error_bound). For a fixed v, the estimate is
// n * mean of the dependencies delta_s(v) over the k sampled sources, and the exact value is n times their mean over
// all n sources. Each delta_s(v) lies in [0, n-2] (before the halving and normalization). Hoeffding's inequality,
// which also holds for sampling without replacement (Hoeffding 1963, section 6), gives
//   P(|mean_k - mean| >= t) <= 2 exp(-2 k t^2 / (n-2)^2);
// a union bound over the n vertices and setting the total to 1 - confidence gives, for every vertex at once,
//   |estimate - exact| <= n (n-2) sqrt(ln(2n / (1 - confidence)) / (2k))
// with probability >= confidence, then scaled like the scores (halving, normalization). This is the argument of
// Brandes & Pich 2007 ("Centrality estimation in large networks", after Eppstein & Wang 2004); Riondato &
// Kornaropoulos 2016 give tighter, VC-dimension based sample sizes for path sampling, which we do not use.
// The bound is worst-case and loose; it is what it promises, not a typical error.
//
// Algorithm: Brandes 2001 ("A faster algorithm for betweenness centrality", J. Math. Sociol. 25(2)): one
// single-source shortest-path pass per source (BFS, or Dijkstra with an indexed binary heap when weighted) that
// counts shortest paths (in double, which does not overflow where integers would), then dependencies accumulated in
// reverse order of distance. The backward pass rescans each vertex's out-arcs for successors
// (dist[w] == dist[v] + length) instead of storing predecessor lists: no per-source allocation, same O(m) per source.
//
// Complexity: O(k m) time unweighted, O(k (m + n) log n) weighted, with k = n when exact; memory O(n) per thread
// plus a copy of the graph renumbered by degree for cache locality (DegreeOrderedCsr).
// Parallel over sources with OpenMP and deterministic: the sources are cut into a fixed number of blocks (256,
// whatever the thread count), each block is accumulated by one thread in its own buffer, and the buffers are added
// to the total in block order, so the output is bit-identical for any number of threads. Buffers: up to 64 blocks
// of n doubles at a time (256 MiB at most, unless n > 8M), beyond the per-thread O(n).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include <omp.h>

#include "cibgraph/error.hpp"
#include "cibgraph/graph_concepts.hpp"
#include "cibgraph/random.hpp"

namespace cibgraph {

struct BetweennessOptions {
  bool normalized = false;
  bool weighted = false;        // false: hop counts; true: arc weights are lengths (> 0 and finite)
  std::uint32_t samples = 0;    // 0: exact (every vertex a source); k > 0: k sources drawn without replacement
  std::uint64_t seed = 0;
  double confidence = 0.95;     // for the error bound of the sampled estimate
};

struct BetweennessResult {
  std::vector<double> scores;   // indexed by vertex
  std::uint32_t sources = 0;    // sources used
  double error_bound = 0;       // 0 when exact; else the Hoeffding + union bound above, in the units of scores,
                                // holding for every vertex at once with probability >= confidence
};

namespace detail {

// Throws InputError unless every arc weight is a usable length for Dijkstra.
template <class G>
void check_arc_lengths(const G& g, const char* caller) {
  const std::uint32_t n = g.num_vertices();
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto row = g.neighbors(v);
    const auto lengths = g.neighbor_weights(v);
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      if (!(lengths[i] > 0.0f) || !std::isfinite(lengths[i])) {
        throw InputError(std::string(caller) + ": weighted shortest paths need arc weights > 0 and finite, but arc " +
                         std::to_string(v) + "->" + std::to_string(row[i]) + " has weight " +
                         std::to_string(lengths[i]));
      }
    }
  }
}

// Binary min-heap of vertices keyed by tentative distance, with a position index for decrease-key, so it never
// holds more than n entries (a lazy-deletion heap can hold m). Sized once per thread, reused for every source.
class DistanceHeap {
 public:
  explicit DistanceHeap(std::uint32_t n) : position_(n, absent) { heap_.reserve(n); }

  bool empty() const noexcept { return heap_.empty(); }

  // Inserts v, or lowers its key if present; `key` must then not exceed the current one.
  void push_or_decrease(std::uint32_t v, double key) {
    std::size_t i = position_[v];
    if (i == absent) {
      i = heap_.size();
      heap_.push_back({key, v});
    } else {
      heap_[i].key = key;
    }
    sift_up(i);
  }

  std::uint32_t pop_min() {
    const std::uint32_t top = heap_.front().vertex;
    position_[top] = absent;
    const Entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) {
      heap_[0] = last;
      position_[last.vertex] = 0;
      sift_down(0);
    }
    return top;
  }

 private:
  struct Entry {
    double key;
    std::uint32_t vertex;
  };
  static constexpr std::uint32_t absent = std::numeric_limits<std::uint32_t>::max();

  void sift_up(std::size_t i) {
    const Entry moving = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!(moving.key < heap_[parent].key)) break;
      heap_[i] = heap_[parent];
      position_[heap_[i].vertex] = static_cast<std::uint32_t>(i);
      i = parent;
    }
    heap_[i] = moving;
    position_[moving.vertex] = static_cast<std::uint32_t>(i);
  }

  void sift_down(std::size_t i) {
    const Entry moving = heap_[i];
    const std::size_t size = heap_.size();
    while (true) {
      std::size_t child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heap_[child + 1].key < heap_[child].key) ++child;
      if (!(heap_[child].key < moving.key)) break;
      heap_[i] = heap_[child];
      position_[heap_[i].vertex] = static_cast<std::uint32_t>(i);
      i = child;
    }
    heap_[i] = moving;
    position_[moving.vertex] = static_cast<std::uint32_t>(i);
  }

  std::vector<Entry> heap_;
  std::vector<std::uint32_t> position_;
};

// The graph the passes walk: a copy of the input with vertices renumbered by decreasing degree (ties by id), and
// optionally every arc reversed. On skewed graphs (R-MAT, social networks) most arcs lead to a few hubs; numbered
// first, their distance and path-count entries share a few cache lines instead of being scattered over an array of
// n, which halves the time per source at 10^7 edges. Copying costs O(n log n + m) time and O(n + m) memory, once.
// Rows are not sorted by the new ids: the passes do not need it.
struct DegreeOrderedCsr {
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint32_t> targets;
  std::vector<float> weights;            // empty unless lengths were asked for
  std::vector<std::uint32_t> new_id;     // new_id[original vertex]

  std::uint32_t num_vertices() const noexcept { return static_cast<std::uint32_t>(offsets.size() - 1); }
  std::uint64_t num_arcs() const noexcept { return targets.size(); }
  std::span<const std::uint32_t> neighbors(std::uint32_t v) const noexcept {
    return {targets.data() + offsets[v], static_cast<std::size_t>(offsets[v + 1] - offsets[v])};
  }
  std::span<const float> neighbor_weights(std::uint32_t v) const noexcept {
    return {weights.data() + offsets[v], static_cast<std::size_t>(offsets[v + 1] - offsets[v])};
  }
  // result[original v] = values[new_id[v]].
  std::vector<double> to_original(const std::vector<double>& values) const {
    std::vector<double> out(new_id.size());
    for (std::size_t v = 0; v < new_id.size(); ++v) out[v] = values[new_id[v]];
    return out;
  }
};

// The copy costs about as much as ten single-source passes; fewer sources walk the input graph as it is.
inline constexpr std::size_t renumbering_pays_from_sources = 32;

template <class G>
DegreeOrderedCsr degree_ordered_copy(const G& g, bool reverse_arcs, bool keep_weights) {
  const std::uint32_t n = g.num_vertices();
  // Out- and in-degree in the walked graph, whose arcs are g's, reversed when asked.
  std::vector<std::uint64_t> out_degree(n, 0), in_degree(n, 0);
  for (std::uint32_t v = 0; v < n; ++v) {
    for (const std::uint32_t w : g.neighbors(v)) {
      ++out_degree[reverse_arcs ? w : v];
      ++in_degree[reverse_arcs ? v : w];
    }
  }
  std::vector<std::uint32_t> by_degree(n);
  std::iota(by_degree.begin(), by_degree.end(), 0u);
  std::stable_sort(by_degree.begin(), by_degree.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return out_degree[a] > out_degree[b]; });
  DegreeOrderedCsr out;
  out.new_id.resize(n);
  for (std::uint32_t rank = 0; rank < n; ++rank) out.new_id[by_degree[rank]] = rank;

  // Two counting-sort passes, so that rows come out sorted by target (neighbours then are visited in memory order)
  // without a comparison sort: first the renumbered arcs head -> tail grouped by head, then, scanning heads in
  // increasing order, tail -> head grouped by tail.
  std::vector<std::uint64_t> by_head_offsets(std::size_t{n} + 1, 0);
  out.offsets.assign(std::size_t{n} + 1, 0);
  for (std::uint32_t rank = 0; rank < n; ++rank) {
    by_head_offsets[rank + 1] = by_head_offsets[rank] + in_degree[by_degree[rank]];
    out.offsets[rank + 1] = out.offsets[rank] + out_degree[by_degree[rank]];
  }
  const std::uint64_t arcs = out.offsets[n];
  std::vector<std::uint32_t> by_head_tails(arcs);
  std::vector<float> by_head_weights(keep_weights ? arcs : 0);
  std::vector<std::uint64_t> next(by_head_offsets.begin(), by_head_offsets.end() - 1);
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto row = g.neighbors(v);
    const auto lengths = g.neighbor_weights(v);
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::uint32_t tail = out.new_id[reverse_arcs ? row[i] : v];
      const std::uint32_t head = out.new_id[reverse_arcs ? v : row[i]];
      const std::uint64_t slot = next[head]++;
      by_head_tails[slot] = tail;
      if (keep_weights) by_head_weights[slot] = lengths[i];
    }
  }
  out.targets.resize(arcs);
  if (keep_weights) out.weights.resize(arcs);
  next.assign(out.offsets.begin(), out.offsets.end() - 1);
  for (std::uint32_t head = 0; head < n; ++head) {
    for (std::uint64_t a = by_head_offsets[head]; a < by_head_offsets[head + 1]; ++a) {
      const std::uint64_t slot = next[by_head_tails[a]]++;
      out.targets[slot] = head;
      if (keep_weights) out.weights[slot] = by_head_weights[a];
    }
  }
  return out;
}

// One thread's state for Brandes' passes, allocated once per thread. Between sources only the entries of the
// vertices reached from the last source are reset, so a source costs time proportional to what it reaches.
// Distances sit apart from path counts: most neighbour checks only read the distance (the neighbour is on another
// level), and the compact distance array stays in cache longer. `paths` holds sigma(v), the number of shortest
// paths from the source, until the backward pass reaches v; from then on (1 + delta(v)) / sigma(v), the share each
// predecessor of v collects from it, which is all that is still needed of v.
struct BrandesWorkspace {
  explicit BrandesWorkspace(std::uint32_t n, bool weighted)
      : hops(weighted ? 0 : n, unreached_hops),
        length(weighted ? n : 0, unreached_length),
        paths(n, 0.0),
        heap(weighted ? n : 0) {
    order.reserve(n);
  }

  static constexpr std::int32_t unreached_hops = -1;
  static constexpr double unreached_length = std::numeric_limits<double>::infinity();

  std::vector<std::int32_t> hops;    // unweighted
  std::vector<double> length;        // weighted
  std::vector<double> paths;
  std::vector<std::uint32_t> order;  // vertices in non-decreasing distance from the source
  DistanceHeap heap;
};

// Adds the dependencies delta_s(v) of source s to `accumulated` (not for v = s), hop distances.
template <class G>
void accumulate_unweighted_source(const G& g, std::uint32_t s, BrandesWorkspace& work,
                                  std::vector<double>& accumulated) {
  auto& hops = work.hops;
  auto& paths = work.paths;
  auto& order = work.order;
  order.clear();
  hops[s] = 0;
  paths[s] = 1.0;
  order.push_back(s);
  for (std::size_t head = 0; head < order.size(); ++head) {
    const std::uint32_t v = order[head];
    const std::int32_t next = hops[v] + 1;
    const double sigma_v = paths[v];
    for (const std::uint32_t w : g.neighbors(v)) {
      if (hops[w] == BrandesWorkspace::unreached_hops) {
        hops[w] = next;
        paths[w] = sigma_v;
        order.push_back(w);
      } else if (hops[w] == next) {
        paths[w] += sigma_v;
      }
    }
  }
  for (std::size_t i = order.size(); i-- > 0;) {
    const std::uint32_t v = order[i];
    const std::int32_t next = hops[v] + 1;
    double collected = 0.0;
    for (const std::uint32_t w : g.neighbors(v)) {
      if (hops[w] == next) collected += paths[w];
    }
    const double sigma_v = paths[v];
    const double delta = sigma_v * collected;
    paths[v] = (1.0 + delta) / sigma_v;
    if (v != s) accumulated[v] += delta;
  }
  for (const std::uint32_t v : order) hops[v] = BrandesWorkspace::unreached_hops;
}

// The same with arc weights as lengths (Dijkstra).
template <class G>
void accumulate_weighted_source(const G& g, std::uint32_t s, BrandesWorkspace& work,
                                std::vector<double>& accumulated) {
  auto& dist = work.length;
  auto& paths = work.paths;
  auto& order = work.order;
  auto& heap = work.heap;
  order.clear();
  dist[s] = 0.0;
  paths[s] = 1.0;
  heap.push_or_decrease(s, 0.0);
  while (!heap.empty()) {
    const std::uint32_t v = heap.pop_min();
    order.push_back(v);
    const double dist_v = dist[v];
    const double sigma_v = paths[v];
    const auto targets = g.neighbors(v);
    const auto lengths = g.neighbor_weights(v);
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const std::uint32_t w = targets[i];
      const double through_v = dist_v + static_cast<double>(lengths[i]);
      if (through_v < dist[w]) {
        dist[w] = through_v;
        paths[w] = sigma_v;
        heap.push_or_decrease(w, through_v);
      } else if (through_v == dist[w]) {
        paths[w] += sigma_v;
      }
    }
  }
  for (std::size_t i = order.size(); i-- > 0;) {
    const std::uint32_t v = order[i];
    const double dist_v = dist[v];
    const auto targets = g.neighbors(v);
    const auto lengths = g.neighbor_weights(v);
    double collected = 0.0;
    for (std::size_t j = 0; j < targets.size(); ++j) {
      // The same double sum as in the forward pass, so the tie test agrees with it exactly.
      if (dist[targets[j]] == dist_v + static_cast<double>(lengths[j])) collected += paths[targets[j]];
    }
    const double sigma_v = paths[v];
    const double delta = sigma_v * collected;
    paths[v] = (1.0 + delta) / sigma_v;
    if (v != s) accumulated[v] += delta;
  }
  for (const std::uint32_t v : order) dist[v] = BrandesWorkspace::unreached_length;
}

// Below this many arc and vertex visits in all, waking the OpenMP team costs more than it saves.
inline constexpr std::uint64_t parallel_work_threshold = 1'000'000;

// The sources are cut into this many blocks whatever the thread count: the unit of the ordered reduction.
inline constexpr std::uint64_t betweenness_blocks = 256;

// Blocks are computed in rounds, one buffer of n doubles per block of the round, then added to the total in block
// order. The round length depends on n only (about 256 MiB of buffers, 4 to 64 blocks), never on the threads.
inline std::uint64_t blocks_per_round(std::uint32_t n) {
  const std::uint64_t budget_doubles = (std::uint64_t{256} << 20) / sizeof(double);
  return std::clamp<std::uint64_t>(budget_doubles / std::max<std::uint64_t>(n, 1), 4, 64);
}

// Sum over the given sources of their dependencies, raw (undirected pairs counted from both ends), deterministic.
// Rounds rather than an `omp ordered` section: with ordered, a thread that finished block b+1 idles (spinning, on a
// busy machine) until block b is added; here threads only meet at the end of a round.
template <class G>
std::vector<double> accumulate_dependencies(const G& g, const std::vector<std::uint32_t>& sources, bool weighted) {
  const std::uint32_t n = g.num_vertices();
  std::vector<double> total(n, 0.0);
  const auto count = static_cast<std::uint64_t>(sources.size());
  if (count == 0) return total;
  const std::uint64_t blocks = std::min(betweenness_blocks, count);
  const std::uint64_t round_length = std::min(blocks, blocks_per_round(n));
  std::vector<std::vector<double>> block_sums(round_length);
  const bool worth_threads = count * (g.num_arcs() + n) >= parallel_work_threshold;
#pragma omp parallel if (worth_threads)
  {
#pragma omp for schedule(static, 1)
    for (std::int64_t slot = 0; slot < static_cast<std::int64_t>(round_length); ++slot) {
      block_sums[static_cast<std::size_t>(slot)].assign(n, 0.0);
    }
    BrandesWorkspace work(n, weighted);
    for (std::uint64_t round_first = 0; round_first < blocks; round_first += round_length) {
      const auto in_round = static_cast<std::int64_t>(std::min(round_length, blocks - round_first));
#pragma omp for schedule(dynamic, 1)
      for (std::int64_t slot = 0; slot < in_round; ++slot) {
        const std::uint64_t b = round_first + static_cast<std::uint64_t>(slot);
        auto& block_sum = block_sums[static_cast<std::size_t>(slot)];
        for (std::uint64_t i = count * b / blocks; i < count * (b + 1) / blocks; ++i) {
          if (weighted) {
            accumulate_weighted_source(g, sources[i], work, block_sum);
          } else {
            accumulate_unweighted_source(g, sources[i], work, block_sum);
          }
        }
      }
#pragma omp for schedule(static)
      for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
        double sum = total[static_cast<std::size_t>(i)];
        for (std::int64_t slot = 0; slot < in_round; ++slot) {
          double& part = block_sums[static_cast<std::size_t>(slot)][static_cast<std::size_t>(i)];
          sum += part;
          part = 0.0;
        }
        total[static_cast<std::size_t>(i)] = sum;
      }
    }
  }
  return total;
}

// k distinct vertices drawn uniformly: the first k entries of a partial Fisher–Yates shuffle.
inline std::vector<std::uint32_t> sample_sources(std::uint32_t n, std::uint32_t k, std::uint64_t seed) {
  std::vector<std::uint32_t> vertices(n);
  std::iota(vertices.begin(), vertices.end(), 0u);
  SplitMix64 rng(seed);
  for (std::uint32_t i = 0; i < k; ++i) std::swap(vertices[i], vertices[i + rng.below(n - i)]);
  vertices.resize(k);
  return vertices;
}

}  // namespace detail

template <WeightedGraph G>
BetweennessResult betweenness(const G& g, const BetweennessOptions& o = {}) {
  if (!(o.confidence > 0.0 && o.confidence < 1.0)) {
    throw UsageError("betweenness: confidence must lie strictly between 0 and 1, got " + std::to_string(o.confidence));
  }
  if (o.weighted) detail::check_arc_lengths(g, "betweenness");
  const std::uint32_t n = g.num_vertices();
  const bool exact = o.samples == 0 || o.samples >= n;

  std::vector<std::uint32_t> sources;
  if (exact) {
    sources.resize(n);
    std::iota(sources.begin(), sources.end(), 0u);
  } else {
    sources = detail::sample_sources(n, o.samples, o.seed);
  }

  BetweennessResult result;
  result.sources = static_cast<std::uint32_t>(sources.size());
  if (sources.size() < detail::renumbering_pays_from_sources) {
    std::sort(sources.begin(), sources.end());
    result.scores = detail::accumulate_dependencies(g, sources, o.weighted);
  } else {
    const detail::DegreeOrderedCsr walked = detail::degree_ordered_copy(g, false, o.weighted);
    for (std::uint32_t& s : sources) s = walked.new_id[s];
    std::sort(sources.begin(), sources.end());
    result.scores = walked.to_original(detail::accumulate_dependencies(walked, sources, o.weighted));
  }

  // One factor turns raw dependencies into the scores: halving for undirected pairs counted twice, or the
  // normalization (whose undirected 2/((n-1)(n-2)) absorbs the halving); a sample is then scaled by n/k.
  const double nd = static_cast<double>(n);
  double units = 1.0;
  if (o.normalized) {
    if (n > 2) units = 1.0 / ((nd - 1.0) * (nd - 2.0));
  } else if (!g.directed) {
    units = 0.5;
  }
  const double k = static_cast<double>(sources.size());
  const double scale = exact ? units : units * nd / k;
  if (scale != 1.0) {
    for (double& score : result.scores) score *= scale;
  }

  if (!exact && n > 2) {
    // Hoeffding + union bound (see the top of the file) on the raw sum n * mean, then in the units of the scores.
    const double deviation_of_mean = (nd - 2.0) * std::sqrt(std::log(2.0 * nd / (1.0 - o.confidence)) / (2.0 * k));
    result.error_bound = nd * deviation_of_mean * units;
  }
  return result;
}

}  // namespace cibgraph
