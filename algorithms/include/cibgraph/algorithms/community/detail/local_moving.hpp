#pragma once
// Shared machinery of Leiden (leiden.hpp) and Louvain (louvain.hpp); not a public interface.
//
// Both algorithms optimise a quality of the form
//     H = sum over communities c of [ w_in(c) - penalty * weight(c)^2 / 2 ] (up to a constant and a factor)
// where a vertex's "node weight" is its strength (modularity, penalty = gamma / 2m) or its size (CPM,
// penalty = gamma). Moving v from its community A to B then changes H by
//     gain(B) - gain(A \ v),   gain(C) = w(v, C) - penalty * node_weight(v) * weight(C),
// with w(v, C) the weight of the edges between v and C. Everything below works in these unnormalised units, as
// leidenalg and igraph do, so the refinement's randomness theta means the same thing as there.
//
// Levels: level 0 is the input graph read in place (its CSR arrays; a symmetrised copy only for directed input);
// each aggregate is a CSR with double weights and no self-loops (a move's gain does not depend on the node's own
// loop, and the final quality is computed on level 0). Scratch arrays are sized once for level 0 and reused by
// every level, so the inner loops never allocate. Neighbour communities are gathered in a dense weight array
// with a list of touched entries; aggregation is a counting sort of the nodes by group followed by the same
// gathering per group, so no hash map and no sort appears anywhere.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "cibgraph/random.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"

namespace cibgraph::community_detail {

inline constexpr std::uint32_t unset = ~std::uint32_t{0};

// Read-only CSR of one level. weights == nullptr means every arc weighs 1.
template <class Weight>
struct LevelView {
  std::uint32_t n = 0;
  const std::uint64_t* offsets = nullptr;
  const std::uint32_t* targets = nullptr;
  const Weight* weights = nullptr;

  double weight(std::uint64_t arc) const { return weights == nullptr ? 1.0 : static_cast<double>(weights[arc]); }
};

// Nodes are visited in random order, so each visit would wait on a cache miss for its offsets and another for its
// row; the loops below ask for both a few nodes ahead (offsets further ahead, since the row address needs them).
inline constexpr std::uint32_t prefetch_row_distance = 4;
inline constexpr std::uint32_t prefetch_offset_distance = 8;

template <class Weight>
inline void prefetch_offsets(const LevelView<Weight>& g, std::uint32_t v) {
  __builtin_prefetch(g.offsets + v);
}

template <class Weight>
inline void prefetch_row(const LevelView<Weight>& g, std::uint32_t v) {
  const std::uint64_t a = g.offsets[v];
  __builtin_prefetch(g.targets + a);
  if (g.weights != nullptr) __builtin_prefetch(g.weights + a);
}

// An aggregate level: nodes are groups of the level below, arcs the summed weights between groups.
struct Aggregate {
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint32_t> targets;
  std::vector<double> weights;
  LevelView<double> view() const {
    return {static_cast<std::uint32_t>(offsets.size() - 1), offsets.data(), targets.data(), weights.data()};
  }
};

// Level 0: the input graph in place when undirected, else an undirected copy with w(u,v) = w(u->v) + w(v->u).
struct InputLevel {
  const std::uint64_t* offsets = nullptr;
  const std::uint32_t* targets = nullptr;
  const float* weights = nullptr;  // nullptr: unweighted
  std::uint32_t n = 0;
  Graph symmetric;  // owns the arrays when the input was directed
  bool has_self_loop = false;

  LevelView<float> view() const { return {n, offsets, targets, weights}; }
};

template <class G>
void prepare_input(const G& g, bool weighted, const char* who, InputLevel& level) {
  const std::uint32_t n = g.num_vertices();
  if (weighted) {
    for (std::size_t a = 0; a < g.weights.size(); ++a) {
      if (!(g.weights[a] >= 0.0f)) {
        throw InputError(std::string(who) + ": arc " + std::to_string(a) + " has a negative weight (" +
                         std::to_string(g.weights[a]) + "); the quality needs weights >= 0 (or weighted = false)");
      }
    }
  }
  level.n = n;
  if (g.directed) {
    std::vector<std::uint32_t> src(g.targets.size());
    for (std::uint32_t v = 0; v < n; ++v) {
      for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) src[a] = v;
    }
    const std::vector<float> no_weights;
    level.symmetric =
        Graph::from_edges(n, src, std::span<const std::uint32_t>(g.targets.data(), g.targets.size()),
                          weighted ? std::span<const float>(g.weights.data(), g.weights.size())
                                   : std::span<const float>(no_weights),
                          false, DuplicatePolicy::Sum);
    level.offsets = level.symmetric.offsets.data();
    level.targets = level.symmetric.targets.data();
    level.weights = level.symmetric.weights.data();  // unit weights were summed per direction by from_edges
  } else {
    level.offsets = g.offsets.data();
    level.targets = g.targets.data();
    level.weights = weighted ? g.weights.data() : nullptr;
  }
  // All weights 1 (the common unweighted graph stored with weights): read none, one stream less per pass.
  if (level.weights != nullptr &&
      std::all_of(level.weights, level.weights + level.offsets[n], [](float w) { return w == 1.0f; })) {
    level.weights = nullptr;
  }
  for (std::uint32_t v = 0; v < n && !level.has_self_loop; ++v) {
    for (std::uint64_t a = level.offsets[v]; a < level.offsets[v + 1]; ++a) {
      if (level.targets[a] == v) {
        level.has_self_loop = true;
        break;
      }
    }
  }
}

// Strength with a self-loop counted twice (networkx, igraph and leidenalg all do so).
inline void level0_strengths(const LevelView<float>& g, std::vector<double>& strength) {
  strength.assign(g.n, 0.0);
  for (std::uint32_t v = 0; v < g.n; ++v) {
    double s = 0.0;
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      s += g.targets[a] == v ? 2.0 * g.weight(a) : g.weight(a);
    }
    strength[v] = s;
  }
}

// What one thread needs to refine communities on its own.
struct ThreadScratch {
  std::vector<double> neighbour_weight;
  std::vector<std::uint32_t> mark, list, candidates;
  std::vector<double> candidate_gain;
};

// Scratch for every level, sized once for level 0.
struct Workspace {
  // The partition being improved, with per-community node weight and node count.
  std::vector<std::uint32_t> community;
  std::vector<double> community_weight;
  std::vector<std::uint32_t> community_count;
  std::vector<std::uint32_t> empty_communities;  // stack of ids with count 0
  std::uint32_t empty_top = 0;
  // Dense gathering of the weight from one node to each neighbouring community.
  std::vector<double> neighbour_weight;
  std::vector<std::uint32_t> touched_mark;  // not uint8: char stores would alias every pointer in sight
  std::vector<std::uint32_t> touched;
  // Fast local moving: circular queue.
  std::vector<std::uint32_t> queue;
  std::vector<std::uint32_t> in_queue;
  std::vector<std::uint32_t> order;
  // Refinement.
  std::vector<std::uint32_t> refined;
  std::vector<double> refined_weight;
  std::vector<double> refined_external;  // weight from the refined community to the rest of its community
  std::vector<std::uint32_t> refined_count;
  std::vector<ThreadScratch> thread_scratch;
  // Aggregation and renumbering.
  std::vector<std::uint32_t> group;
  std::vector<std::uint32_t> renumber;
  std::vector<std::uint32_t> members;
  std::vector<std::uint64_t> member_start;
  // Level bookkeeping: node weights of the current and next level, level node of every input vertex.
  std::vector<double> node_weight, next_node_weight;
  std::vector<std::uint32_t> vertex_node;

  void reserve(std::uint32_t n) {
    community.resize(n);
    community_weight.resize(n);
    community_count.resize(n);
    empty_communities.resize(n);
    neighbour_weight.assign(n, 0.0);
    touched_mark.assign(n, 0);
    touched.resize(n);
    queue.resize(n);
    in_queue.assign(n, 0);
    order.resize(n);
    refined.resize(n);
    refined_weight.resize(n);
    refined_external.resize(n);
    refined_count.resize(n);
    group.resize(n);
    renumber.assign(n, unset);
    members.resize(n);
    member_start.resize(std::size_t{n} + 1);
    node_weight.resize(n);
    next_node_weight.resize(n);
    vertex_node.resize(n);
  }
};

// The dense neighbour-community sums with their touched list, through raw pointers held in locals, so the
// compiler keeps them in registers across the stores of the inner loops.
struct NeighbourSums {
  double* weight;
  std::uint32_t* mark;
  std::uint32_t* list;
  std::uint32_t size = 0;

  explicit NeighbourSums(Workspace& ws)
      : weight(ws.neighbour_weight.data()), mark(ws.touched_mark.data()), list(ws.touched.data()) {}
  NeighbourSums(double* weight_, std::uint32_t* mark_, std::uint32_t* list_)
      : weight(weight_), mark(mark_), list(list_) {}
  void add(std::uint32_t c, double w) {
    if (!mark[c]) {
      mark[c] = 1;
      list[size++] = c;
    }
    weight[c] += w;
  }
  void clear() {
    for (std::uint32_t i = 0; i < size; ++i) {
      mark[list[i]] = 0;
      weight[list[i]] = 0.0;
    }
    size = 0;
  }
};

inline void shuffle_order(std::uint32_t n, std::vector<std::uint32_t>& order, SplitMix64& rng) {
  for (std::uint32_t v = 0; v < n; ++v) order[v] = v;
  for (std::uint32_t v = n; v > 1; --v) std::swap(order[v - 1], order[rng.below(v)]);
}

// Weights, counts and the empty-id stack of ws.community on a level of n nodes (ids must be < n).
inline void tally_communities(std::uint32_t n, const std::vector<double>& node_weight, Workspace& ws) {
  std::fill_n(ws.community_weight.begin(), n, 0.0);
  std::fill_n(ws.community_count.begin(), n, 0u);
  for (std::uint32_t v = 0; v < n; ++v) {
    ws.community_weight[ws.community[v]] += node_weight[v];
    ++ws.community_count[ws.community[v]];
  }
  ws.empty_top = 0;
  for (std::uint32_t c = n; c-- > 0;) {
    if (ws.community_count[c] == 0) ws.empty_communities[ws.empty_top++] = c;
  }
}

inline std::uint32_t count_nonempty(std::uint32_t n, const Workspace& ws) { return n - ws.empty_top; }

// Local moving shared by Leiden's queue and Louvain's sweeps: the partition's arrays as locals.
struct Mover {
  std::uint32_t* community;
  double* community_weight;
  std::uint32_t* community_count;
  std::uint32_t* empty;
  std::uint32_t empty_top;
  NeighbourSums sums;
  double penalty;

  Mover(Workspace& ws, double penalty_)
      : community(ws.community.data()),
        community_weight(ws.community_weight.data()),
        community_count(ws.community_count.data()),
        empty(ws.empty_communities.data()),
        empty_top(ws.empty_top),
        sums(ws),
        penalty(penalty_) {}
  void finish(Workspace& ws) const { ws.empty_top = empty_top; }

  // Evaluates every community next to v (and, when allow_empty, an empty one) and moves v to the best if that
  // beats staying by more than rounding noise. Returns the raw gain (0 when v stays); `chosen` gets v's community.
  template <class Weight>
  double move(const LevelView<Weight>& g, std::uint32_t v, double v_weight, bool allow_empty, std::uint32_t& chosen) {
    const std::uint32_t current = community[v];
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      const std::uint32_t u = g.targets[a];
      if (u != v) sums.add(community[u], g.weight(a));
    }
    community_weight[current] -= v_weight;
    --community_count[current];

    const double scaled = penalty * v_weight;
    const double current_link = sums.weight[current];
    const double current_gain = current_link - scaled * community_weight[current];
    std::uint32_t best = current;
    double best_gain = current_gain;
    for (std::uint32_t i = 0; i < sums.size; ++i) {
      const std::uint32_t c = sums.list[i];
      const double gain = sums.weight[c] - scaled * community_weight[c];
      if (gain > best_gain) {
        best = c;
        best_gain = gain;
      }
    }
    if (allow_empty && best_gain < 0.0 && community_count[current] > 0 && empty_top > 0) {
      best = empty[empty_top - 1];
      best_gain = 0.0;
    }
    // Gains are differences of sums that carry rounding; a move must beat that noise, or two nodes could trade
    // places forever.
    const double noise = 1e-12 * (sums.weight[best] + current_link +
                                  scaled * (community_weight[best] + community_weight[current]));
    double gain = best_gain - current_gain;
    if (best == current || !(gain > noise)) {
      best = current;
      gain = 0.0;
    }
    if (community_count[best] == 0 && best != current) --empty_top;  // best is the top of the stack
    community[v] = best;
    community_weight[best] += v_weight;
    ++community_count[best];
    if (best != current && community_count[current] == 0) empty[empty_top++] = current;
    sums.clear();
    chosen = best;
    return gain;
  }
};

// Traag et al. (2019), Algorithm A.2 MoveNodesFast: a queue of nodes in random order; a node that moves puts
// its neighbours outside its new community back in the queue. ws.community holds the partition on entry and on
// exit. Returns the number of moves.
template <class Weight>
std::uint64_t fast_move_nodes(const LevelView<Weight>& g, const std::vector<double>& node_weight, double penalty,
                              Workspace& ws, SplitMix64& rng) {
  const std::uint32_t n = g.n;
  tally_communities(n, node_weight, ws);
  shuffle_order(n, ws.queue, rng);
  std::uint32_t* queue = ws.queue.data();
  std::uint32_t* in_queue = ws.in_queue.data();
  const double* weight_of = node_weight.data();
  std::fill_n(in_queue, n, 1u);
  Mover mover(ws, penalty);
  std::uint32_t head = 0;
  std::uint32_t queued = n;
  std::uint64_t moves = 0;
  while (queued > 0) {
    const std::uint32_t v = queue[head];
    if (queued > prefetch_offset_distance) {
      const std::uint32_t far = head + prefetch_offset_distance, near = head + prefetch_row_distance;
      prefetch_offsets(g, queue[far >= n ? far - n : far]);
      prefetch_row(g, queue[near >= n ? near - n : near]);
    }
    head = head + 1 == n ? 0 : head + 1;
    --queued;
    in_queue[v] = 0;
    std::uint32_t chosen = 0;
    if (mover.move(g, v, weight_of[v], true, chosen) == 0.0) continue;
    ++moves;
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      const std::uint32_t u = g.targets[a];
      if (in_queue[u] || mover.community[u] == chosen) continue;
      in_queue[u] = 1;
      std::uint32_t tail = head + queued;
      if (tail >= n) tail -= n;
      queue[tail] = u;
      ++queued;
    }
  }
  mover.finish(ws);
  return moves;
}

// Blondel et al. (2008): sweeps over the nodes in a random order, each node to its best neighbouring community,
// until a sweep gains less than min_gain (in quality units: to_quality times the raw gain) or moves nothing.
// Returns the number of moves; `level_gain` receives the quality gained.
template <class Weight>
std::uint64_t sweep_move_nodes(const LevelView<Weight>& g, const std::vector<double>& node_weight, double penalty,
                               double to_quality, double min_gain, std::uint32_t max_sweeps, Workspace& ws,
                               SplitMix64& rng, double& level_gain) {
  const std::uint32_t n = g.n;
  tally_communities(n, node_weight, ws);
  shuffle_order(n, ws.order, rng);
  const std::uint32_t* order = ws.order.data();
  const double* weight_of = node_weight.data();
  Mover mover(ws, penalty);
  std::uint64_t moves = 0;
  level_gain = 0.0;
  for (std::uint32_t sweep = 0; sweep < max_sweeps; ++sweep) {
    double sweep_gain = 0.0;
    std::uint64_t sweep_moves = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint32_t v = order[i];
      if (i + prefetch_offset_distance < n) {
        prefetch_offsets(g, order[i + prefetch_offset_distance]);
        prefetch_row(g, order[i + prefetch_row_distance]);
      }
      std::uint32_t chosen = 0;
      const double gain = mover.move(g, v, weight_of[v], false, chosen);
      if (gain > 0.0) {
        ++sweep_moves;
        sweep_gain += gain;
      }
    }
    moves += sweep_moves;
    level_gain += sweep_gain * to_quality;
    // Converged when a sweep adds less than min_gain, or less than 1e-4 of what this level has gained so far: on
    // large random graphs every sweep still moves thousands of vertices for gains that add up to nothing, and an
    // absolute threshold alone kept one level sweeping for over ten minutes at 10^7 edges.
    if (sweep_moves == 0 || sweep_gain * to_quality < std::max(min_gain, 1e-4 * level_gain)) break;
  }
  mover.finish(ws);
  return moves;
}

// e^x for x in [-50, 0], to relative error below 2e-7: the refinement's sampling weights need no more. On
// unit-weight graphs almost every candidate falls inside the window, so there is one exp per arc; this is
// cheaper than std::exp and gives the same bits on every platform, which libm does not promise.
inline double exp_sampling_weight(double x) {
  const double t = x * 1.4426950408889634;  // x / ln 2
  const double whole = std::floor(t + 0.5);
  const double f = (t - whole) * 0.6931471805599453;  // |f| <= ln(2) / 2
  // Taylor series of e^f to degree 6: the remainder is below (ln 2 / 2)^7 / 7! < 1.3e-7.
  const double p =
      1.0 + f * (1.0 + f * (0.5 + f * (1.0 / 6 + f * (1.0 / 24 + f * (1.0 / 120 + f * (1.0 / 720))))));
  const auto exponent = static_cast<std::int64_t>(whole) + 1023;  // whole >= -73: a normal double
  return p * std::bit_cast<double>(static_cast<std::uint64_t>(exponent) << 52);
}

// Levels with fewer arcs than this refine on one thread. A parallel refinement takes a few milliseconds per
// million arcs and there is one per level per iteration; below this size the team's barriers cost more than they
// save, and far more on a loaded machine (measured on 2 shared cores: cond-mat-2005, 350k arcs, ran 2.5x slower
// on two threads with a 50k threshold). A variable, not a constant, so tests can exercise the parallel path on
// small graphs; the result does not depend on it.
inline std::uint64_t parallel_arcs = std::uint64_t{1} << 21;

inline int level_threads(std::uint64_t arcs) {
#ifdef _OPENMP
  // Inside consensus' parallel runs a nested team would get one thread anyway; do not size scratch for more.
  return arcs > parallel_arcs && !omp_in_parallel() ? omp_get_max_threads() : 1;
#else
  (void)arcs;
  return 1;
#endif
}

inline int thread_id() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

// Per-thread scratch of the parallel phases, sized for level 0 on first use and kept for every level.
inline void size_thread_scratch(Workspace& ws, int threads, std::uint32_t n) {
  if (ws.thread_scratch.size() < static_cast<std::size_t>(threads)) ws.thread_scratch.resize(threads);
  for (int t = 0; t < threads; ++t) {
    ThreadScratch& scratch = ws.thread_scratch[t];
    if (scratch.neighbour_weight.size() < n) {
      scratch.neighbour_weight.assign(n, 0.0);
      scratch.mark.assign(n, 0);
      scratch.list.resize(n);
      scratch.candidates.resize(n);
      scratch.candidate_gain.resize(n);
    }
  }
}

// Counting sort of the nodes by community: ws.members[ws.member_start[c] .. ws.member_start[c+1]) are the nodes of
// community c in increasing order.
inline void bucket_by_community(std::uint32_t n, Workspace& ws) {
  std::fill_n(ws.member_start.begin(), std::size_t{n} + 1, std::uint64_t{0});
  for (std::uint32_t v = 0; v < n; ++v) ++ws.member_start[ws.community[v] + std::size_t{1}];
  for (std::uint32_t c = 0; c < n; ++c) ws.member_start[c + 1] += ws.member_start[c];
  for (std::uint32_t v = 0; v < n; ++v) ws.members[ws.member_start[ws.community[v]]++] = v;
  for (std::uint32_t c = n; c > 0; --c) ws.member_start[c] = ws.member_start[c - 1];
  ws.member_start[0] = 0;
}

// Traag et al. (2019), Algorithm A.2 RefinePartition / MergeNodesSubset: inside each community S, starting from
// singletons, each node that is still alone and well connected to S joins a well-connected refined community
// inside S, chosen with probability ~ exp(gain / theta) among those with gain >= 0 (staying alone has gain 0);
// theta = 0 picks the best. Communities do not interact, so they are refined in parallel, each with its own random
// stream derived from one draw of `rng` and the community id: the result does not depend on the thread count.
// Writes the refined partition, renumbered 0..r-1 in order of each part's smallest node, to ws.group; returns r.
template <class Weight>
std::uint32_t refine_partition(const LevelView<Weight>& g, const std::vector<double>& node_weight, double penalty,
                               double theta, Workspace& ws, SplitMix64& rng) {
  const std::uint32_t n = g.n;
  tally_communities(n, node_weight, ws);  // exact community weights, without the drift of incremental updates
  bucket_by_community(n, ws);
  const int threads = level_threads(g.offsets[n]);
  size_thread_scratch(ws, threads, n);
  const std::uint32_t* community = ws.community.data();
  const double* community_weight = ws.community_weight.data();
  const double* weight_of = node_weight.data();
  std::uint32_t* refined = ws.refined.data();
  double* refined_weight = ws.refined_weight.data();
  double* refined_external = ws.refined_external.data();
  std::uint32_t* refined_count = ws.refined_count.data();
  std::uint32_t* members = ws.members.data();
  const std::uint64_t* member_start = ws.member_start.data();
  const std::uint64_t stream = rng.next();
  // A candidate whose weight exp((gain - best) / theta) is below e^-50 next to the best one's 1 is never drawn in
  // practice; skipping it saves the exp.
  const double negligible = -50.0 * theta;

#pragma omp parallel num_threads(threads)
  {
    ThreadScratch& scratch = ws.thread_scratch[thread_id()];
    NeighbourSums sums(scratch.neighbour_weight.data(), scratch.mark.data(), scratch.list.data());
    std::uint32_t* candidates = scratch.candidates.data();
    double* candidate_gain = scratch.candidate_gain.data();

#pragma omp for schedule(static)
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
      const auto v = static_cast<std::uint32_t>(i);
      refined[v] = v;
      refined_weight[v] = weight_of[v];
      refined_count[v] = 1;
      double inside = 0.0;
      const std::uint32_t c = community[v];
      for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
        const std::uint32_t u = g.targets[a];
        if (u != v && community[u] == c) inside += g.weight(a);
      }
      refined_external[v] = inside;
    }

#pragma omp for schedule(dynamic, 16)
    for (std::int64_t ci = 0; ci < static_cast<std::int64_t>(n); ++ci) {
      const auto c = static_cast<std::uint32_t>(ci);
      const std::uint64_t begin = member_start[c];
      const auto size = static_cast<std::uint32_t>(member_start[c + 1] - begin);
      if (size < 2) continue;
      std::uint32_t* nodes = members + begin;
      SplitMix64 local(stream ^ ((c + std::uint64_t{1}) * 0xD1B54A32D192ED03ULL));
      for (std::uint32_t k = size; k > 1; --k) std::swap(nodes[k - 1], nodes[local.below(k)]);
      const double community_total = community_weight[c];

      for (std::uint32_t i = 0; i < size; ++i) {
        const std::uint32_t v = nodes[i];
        if (i + prefetch_offset_distance < size) {
          prefetch_offsets(g, nodes[i + prefetch_offset_distance]);
          prefetch_row(g, nodes[i + prefetch_row_distance]);
        }
        if (refined_count[v] != 1 || refined[v] != v) continue;  // no longer a singleton
        const double v_weight = weight_of[v];
        if (refined_external[v] < penalty * v_weight * (community_total - v_weight)) continue;  // not well connected

        for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
          const std::uint32_t u = g.targets[a];
          if (u != v && community[u] == c) sums.add(refined[u], g.weight(a));
        }
        std::uint32_t count = 0;
        double best_gain = -1.0;  // a candidate (gain >= 0) beats staying alone (gain 0) when theta is 0
        std::uint32_t chosen = v;
        for (std::uint32_t k = 0; k < sums.size; ++k) {
          const std::uint32_t r = sums.list[k];
          const double r_weight = refined_weight[r];
          if (refined_external[r] < penalty * r_weight * (community_total - r_weight)) continue;
          const double gain = sums.weight[r] - penalty * v_weight * r_weight;
          if (gain < 0.0) continue;
          candidates[count] = r;
          candidate_gain[count] = gain;
          ++count;
          if (gain > best_gain) {
            best_gain = gain;
            chosen = r;
          }
        }
        if (count > 0 && theta > 0.0) {
          const double stay = -best_gain < negligible ? 0.0 : exp_sampling_weight(-best_gain / theta);
          double total = stay;
          for (std::uint32_t k = 0; k < count; ++k) {
            const double shifted = candidate_gain[k] - best_gain;
            candidate_gain[k] = shifted < negligible ? 0.0 : exp_sampling_weight(shifted / theta);
            total += candidate_gain[k];
          }
          double pick = local.uniform() * total - stay;
          chosen = v;
          for (std::uint32_t k = 0; pick >= 0.0 && k < count; ++k) {
            if (candidate_gain[k] == 0.0) continue;
            chosen = candidates[k];  // the last drawable candidate absorbs any rounding left in pick
            pick -= candidate_gain[k];
          }
        }
        if (chosen != v) {
          // The weight between v and the rest of S, counted once from each side, now lies inside.
          refined_external[chosen] += refined_external[v] - 2.0 * sums.weight[chosen];
          refined_weight[chosen] += v_weight;
          ++refined_count[chosen];
          refined[v] = chosen;
          refined_count[v] = 0;
        }
        sums.clear();
      }
    }
  }
  // Renumber in order of first appearance.
  std::uint32_t* renumber = ws.renumber.data();
  std::uint32_t* group = ws.group.data();
  std::uint32_t r = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    std::uint32_t& id = renumber[refined[v]];
    if (id == unset) id = r++;
    group[v] = id;
  }
  for (std::uint32_t v = 0; v < n; ++v) renumber[refined[v]] = unset;
  return r;
}

// ws.group := ws.community renumbered 0..k-1 in order of first appearance; returns k.
inline std::uint32_t communities_as_groups(std::uint32_t n, Workspace& ws) {
  std::uint32_t k = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    std::uint32_t& id = ws.renumber[ws.community[v]];
    if (id == unset) id = k++;
    ws.group[v] = id;
  }
  for (std::uint32_t v = 0; v < n; ++v) ws.renumber[ws.community[v]] = unset;
  return k;
}

// Collapses the nodes of g into the r groups of ws.group: the arcs of all members of a group are gathered per
// neighbouring group (arcs inside a group dropped), node weights summed into ws.next_node_weight. Nodes are
// bucketed by a counting sort, so the cost is O(n + arcs) with no sorting of arcs.
template <class Weight>
void aggregate(const LevelView<Weight>& g, std::uint32_t r, Workspace& ws, Aggregate& out) {
  const std::uint32_t n = g.n;
  std::fill_n(ws.member_start.begin(), std::size_t{r} + 1, std::uint64_t{0});
  for (std::uint32_t v = 0; v < n; ++v) ++ws.member_start[ws.group[v] + std::size_t{1}];
  for (std::uint32_t c = 0; c < r; ++c) ws.member_start[c + 1] += ws.member_start[c];
  for (std::uint32_t v = 0; v < n; ++v) ws.members[ws.member_start[ws.group[v]]++] = v;
  for (std::uint32_t c = r; c > 0; --c) ws.member_start[c] = ws.member_start[c - 1];
  ws.member_start[0] = 0;

  out.offsets.resize(std::size_t{r} + 1);
  out.offsets[0] = 0;
  out.targets.clear();
  out.weights.clear();
  const std::uint32_t* group = ws.group.data();
  const std::uint32_t* members = ws.members.data();
  const double* weight_of = ws.node_weight.data();
  NeighbourSums sums(ws);
  for (std::uint32_t c = 0; c < r; ++c) {
    double weight = 0.0;
    for (std::uint64_t i = ws.member_start[c]; i < ws.member_start[c + 1]; ++i) {
      const std::uint32_t v = members[i];
      if (i + prefetch_offset_distance < n) {
        prefetch_offsets(g, members[i + prefetch_offset_distance]);
        prefetch_row(g, members[i + prefetch_row_distance]);
      }
      weight += weight_of[v];
      for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
        const std::uint32_t d = group[g.targets[a]];
        if (d != c) sums.add(d, g.weight(a));
      }
    }
    ws.next_node_weight[c] = weight;
    for (std::uint32_t k = 0; k < sums.size; ++k) {
      out.targets.push_back(sums.list[k]);
      out.weights.push_back(sums.weight[sums.list[k]]);
    }
    sums.clear();
    out.offsets[c + 1] = out.targets.size();
  }
}

// Splits every community that is not connected into its connected pieces (BFS on level 0). Splitting never lowers
// modularity or CPM (no edge is lost from inside, and the penalty is superadditive), so this only guarantees what
// Leiden already ensures once it has converged. Returns the number of communities split off.
inline std::uint32_t split_disconnected(const LevelView<float>& g, std::vector<std::uint32_t>& membership,
                                        Workspace& ws) {
  const std::uint32_t n = g.n;
  // ws.group: new label (the piece's first vertex); ws.renumber: community already given a piece.
  std::fill_n(ws.group.begin(), n, unset);
  std::uint32_t splits = 0;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (ws.group[s] != unset) continue;
    const std::uint32_t c = membership[s];
    if (ws.renumber[c] != unset) ++splits;
    ws.renumber[c] = s;
    std::uint32_t head = 0, tail = 0;
    ws.queue[tail++] = s;
    ws.group[s] = s;
    while (head < tail) {
      const std::uint32_t v = ws.queue[head++];
      for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
        const std::uint32_t u = g.targets[a];
        if (ws.group[u] != unset || membership[u] != c) continue;
        ws.group[u] = s;
        ws.queue[tail++] = u;
      }
    }
  }
  for (std::uint32_t v = 0; v < n; ++v) ws.renumber[membership[v]] = unset;
  for (std::uint32_t v = 0; v < n; ++v) membership[v] = ws.group[v];
  return splits;
}

// Modularity with resolution gamma, as networkx.community.modularity (self-loops count twice in the strength
// and once as an internal edge of weight w, i.e. 2w among the arcs).
inline double modularity_of(const LevelView<float>& g, const std::vector<std::uint32_t>& membership, double gamma,
                            const std::vector<double>& strength, Workspace& ws) {
  const std::uint32_t n = g.n;
  double total = 0.0;
  for (std::uint32_t v = 0; v < n; ++v) total += strength[v];
  if (total <= 0.0) return 0.0;
  std::fill_n(ws.community_weight.begin(), n, 0.0);
  double inside = 0.0;
  for (std::uint32_t v = 0; v < n; ++v) {
    ws.community_weight[membership[v]] += strength[v];
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      const std::uint32_t u = g.targets[a];
      if (membership[u] == membership[v]) inside += u == v ? 2.0 * g.weight(a) : g.weight(a);
    }
  }
  double squares = 0.0;
  for (std::uint32_t c = 0; c < n; ++c) squares += ws.community_weight[c] * ws.community_weight[c];
  return inside / total - gamma * squares / (total * total);
}

// CPM as leidenalg's CPMVertexPartition.quality() on an undirected graph: 2 * sum_c [w_in(c) - gamma * n_c(n_c-1)/2]
// with w_in counting each edge (and self-loop) once; when the graph has a self-loop leidenalg counts n_c(n_c+1)/2
// possible edges instead, which subtracts 2 * gamma * n.
inline double cpm_of(const LevelView<float>& g, const std::vector<std::uint32_t>& membership, double gamma,
                     bool has_self_loop, Workspace& ws) {
  const std::uint32_t n = g.n;
  std::fill_n(ws.community_weight.begin(), n, 0.0);
  double inside = 0.0;  // arcs: each edge twice, each loop once (so doubled below)
  for (std::uint32_t v = 0; v < n; ++v) {
    ws.community_weight[membership[v]] += 1.0;
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      const std::uint32_t u = g.targets[a];
      if (membership[u] == membership[v]) inside += u == v ? 2.0 * g.weight(a) : g.weight(a);
    }
  }
  double pairs = 0.0;
  for (std::uint32_t c = 0; c < n; ++c) pairs += ws.community_weight[c] * (ws.community_weight[c] - 1.0);
  return inside - gamma * pairs - (has_self_loop ? 2.0 * gamma * n : 0.0);
}

}  // namespace cibgraph::community_detail
