#pragma once
// Spectral clustering: Ng, Jordan & Weiss, "On spectral clustering: analysis and an algorithm", NIPS 2001 (2002).
//
// The k eigenvectors of largest eigenvalue of the normalised adjacency N = D^-1/2 W D^-1/2 (equivalently the k
// smallest of the normalised Laplacian I - N) embed each vertex as a point in R^k; rows are scaled to unit length
// and grouped by k-means with k-means++ seeding (Arthur & Vassilvitskii, SODA 2007), best of kmeans_restarts runs
// by inertia (sum of squared distances to the centres), as scikit-learn's SpectralClustering does.
//
// Conventions:
//   * W: the arc weights (weighted) or 1 per arc; directed input is symmetrised as W = A + A^T. Self-loops are
//     left out (NJW set A_ii = 0). Weights must be >= 0 when weighted (InputError otherwise).
//   * Isolated vertices (no tie of positive weight to another vertex) have no embedding: each becomes a cluster of
//     its own, in addition to the k clusters of the others (a vertex with no ties has no evidence to join anyone).
//     So `count` can exceed k. k is capped at the number of vertices that are not isolated.
//   * Connected components. Eigenvalue 1 of N has one eigenvector per component, D^1/2 1_c / sqrt(vol c), known
//     in closed form; iterative solvers find repeated eigenvalues badly, so these are written down directly and
//     the solver runs on the rest of the spectrum (the operator is deflated: P (N + I)/2 P, P projecting out the
//     component vectors; the shift by I keeps the deflated directions, at 0, below every wanted eigenvalue). When
//     there are C >= k components the k leading eigenvectors only tell components apart and any k of them are as
//     good as any other: the result is then the components themselves (count = C plus the isolated vertices).
//   * Eigenvectors: dense Eigen::SelfAdjointEigenSolver up to dense_eigen_limit vertices, Spectra's Lanczos
//     (SymEigsSolver, LargestAlge) with a parallel SpMV over the CSR above, started from a SplitMix64(seed)
//     vector.
//   * k-means: Lloyd iterations until no point changes cluster or max_kmeans_iterations; a cluster left empty is
//     re-seeded with the point farthest from its centre. Ties between centres go to the lower cluster index.
//   * Deterministic for the seed whatever the thread count: each row of the SpMV and each point of the assignment
//     step is computed by one thread; sums over points are taken in point order.
//   * quality = inertia of the best k-means run (lower is better; 0 when the clusters are the components),
//     iterations = Lloyd iterations of that run.
//
// Complexity: the Lanczos solver costs O((n + m) * ncv) per restart with ncv = max(2k + 1, k + 20); the dense
// path O(n^3); k-means O(restarts * iterations * n * k^2). Memory O(n * ncv).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <Spectra/SymEigsSolver.h>

#include "cibgraph/algorithms/community/label_propagation.hpp"  // detail::require_nonnegative_weights
#include "cibgraph/algorithms/community/result.hpp"
#include "cibgraph/random.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace cibgraph {

struct SpectralOptions {
  std::uint32_t k = 2;
  std::uint64_t seed = 0;
  std::uint32_t kmeans_restarts = 10;
  std::uint32_t max_kmeans_iterations = 300;
  bool weighted = true;
};

namespace detail {

// Up to this many non-isolated vertices the eigenvectors come from a dense solver: exact, and faster than
// Lanczos restarts on small matrices.
inline constexpr std::uint32_t dense_eigen_limit = 600;

// Below this much work per step (arcs for the SpMV, points x centres x dimensions for k-means) one thread does
// it: the eigensolver and k-means run hundreds of short steps, and waking the team for each costs more than it
// saves, badly so when the cores are shared.
inline constexpr std::uint64_t spmv_parallel_threshold = 1'000'000;
inline constexpr std::uint64_t kmeans_parallel_threshold = 1'000'000;

// The spectral embedding works on the non-isolated vertices only, renumbered 0..n'-1 ("compact" ids).
template <class G>
struct SpectralGraph {
  const G& g;
  const G* reversed;  // in-arcs when g is directed, else nullptr
  bool weighted;
  std::vector<std::uint32_t> vertex_of;   // compact id -> vertex
  std::vector<std::uint32_t> compact_of;  // vertex -> compact id (unused for isolated vertices)
  std::vector<double> inv_sqrt_degree;    // by compact id
  std::vector<double> sqrt_degree;        // by compact id
  std::vector<std::uint32_t> component;   // by compact id
  std::vector<double> component_volume;
  std::uint32_t num_components = 0;

  double tie_weight(float w) const { return weighted ? static_cast<double>(w) : 1.0; }

  // Calls f(neighbour, weight) for each tie of v in W = A (undirected) or A + A^T (directed), loops excluded.
  template <class F>
  void for_each_tie(std::uint32_t v, F&& f) const {
    const auto visit = [&](const G& h) {
      const auto targets = h.neighbors(v);
      const auto weights = h.neighbor_weights(v);
      for (std::size_t i = 0; i < targets.size(); ++i) {
        if (targets[i] != v) f(targets[i], tie_weight(weights[i]));
      }
    };
    visit(g);
    if (reversed != nullptr) visit(*reversed);
  }

  std::uint32_t size() const { return static_cast<std::uint32_t>(vertex_of.size()); }

  // x -= sum over components c of u_c (u_c . x), u_c = D^1/2 1_c / sqrt(vol c): removes eigenvalue 1 of N.
  void project_out_components(double* x, std::vector<double>& scratch) const {
    scratch.assign(num_components, 0.0);
    const std::uint32_t n = size();
    for (std::uint32_t i = 0; i < n; ++i) scratch[component[i]] += sqrt_degree[i] * x[i];
    for (std::uint32_t c = 0; c < num_components; ++c) scratch[c] /= component_volume[c];
    for (std::uint32_t i = 0; i < n; ++i) x[i] -= scratch[component[i]] * sqrt_degree[i];
  }
};

template <class G>
SpectralGraph<G> make_spectral_graph(const G& g, const G* reversed, bool weighted) {
  SpectralGraph<G> s{g, reversed, weighted, {}, {}, {}, {}, {}, {}, 0};
  const std::uint32_t n = g.num_vertices();
  std::vector<double> degree(n, 0.0);
  for (std::uint32_t v = 0; v < n; ++v) {
    double d = 0.0;
    s.for_each_tie(v, [&](std::uint32_t, double w) { d += w; });
    degree[v] = d;
  }
  s.compact_of.assign(n, 0);
  for (std::uint32_t v = 0; v < n; ++v) {
    if (degree[v] > 0.0) {
      s.compact_of[v] = static_cast<std::uint32_t>(s.vertex_of.size());
      s.vertex_of.push_back(v);
    }
  }
  const std::uint32_t size = s.size();
  s.inv_sqrt_degree.resize(size);
  s.sqrt_degree.resize(size);
  for (std::uint32_t i = 0; i < size; ++i) {
    s.sqrt_degree[i] = std::sqrt(degree[s.vertex_of[i]]);
    s.inv_sqrt_degree[i] = 1.0 / s.sqrt_degree[i];
  }

  // Components over ties of positive weight, numbered in order of their smallest vertex.
  const std::uint32_t unvisited = ~std::uint32_t{0};
  s.component.assign(size, unvisited);
  std::vector<std::uint32_t> queue;
  queue.reserve(size);
  for (std::uint32_t root = 0; root < size; ++root) {
    if (s.component[root] != unvisited) continue;
    const std::uint32_t c = s.num_components++;
    double volume = 0.0;
    queue.clear();
    queue.push_back(root);
    s.component[root] = c;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const std::uint32_t i = queue[head];
      volume += degree[s.vertex_of[i]];
      s.for_each_tie(s.vertex_of[i], [&](std::uint32_t u, double w) {
        if (!(w > 0.0)) return;
        const std::uint32_t j = s.compact_of[u];
        if (s.component[j] == unvisited) {
          s.component[j] = c;
          queue.push_back(j);
        }
      });
    }
    s.component_volume.push_back(volume);
  }
  return s;
}

// y = P (N + I)/2 P x over compact ids, for Spectra. Rows in parallel, each by one thread: deterministic.
template <class G>
class DeflatedNormalisedAdjacency {
 public:
  using Scalar = double;

  explicit DeflatedNormalisedAdjacency(const SpectralGraph<G>& graph) : s_(graph) {}

  Eigen::Index rows() const { return s_.size(); }
  Eigen::Index cols() const { return s_.size(); }

  void perform_op(const double* x_in, double* y_out) const {
    const std::int64_t n = s_.size();
    projected_.assign(x_in, x_in + n);
    s_.project_out_components(projected_.data(), scratch_);
    // Indexed by vertex, not compact id, so the gather over each row needs no second lookup; isolated
    // vertices stay 0.
    for (std::int64_t i = 0; i < n; ++i) scaled_by_vertex_[s_.vertex_of[i]] = s_.inv_sqrt_degree[i] * projected_[i];
#pragma omp parallel for schedule(dynamic, 512) if (parallel_)
    for (std::int64_t i = 0; i < n; ++i) {
      double sum = 0.0;
      s_.for_each_tie(s_.vertex_of[i], [&](std::uint32_t u, double w) { sum += w * scaled_by_vertex_[u]; });
      y_out[i] = 0.5 * (s_.inv_sqrt_degree[i] * sum + projected_[i]);
    }
    s_.project_out_components(y_out, scratch_);
  }

 private:
  const SpectralGraph<G>& s_;
  mutable std::vector<double> projected_, scratch_;
  mutable std::vector<double> scaled_by_vertex_ = std::vector<double>(s_.g.num_vertices(), 0.0);
  const bool parallel_ = s_.g.num_arcs() > spmv_parallel_threshold;
};

// The `count` leading eigenvectors of the deflated operator, as columns.
template <class G>
Eigen::MatrixXd leading_deflated_eigenvectors(const SpectralGraph<G>& s, std::uint32_t count,
                                              SplitMix64& rng) {
  const std::uint32_t n = s.size();
  DeflatedNormalisedAdjacency<G> op(s);
  if (n <= dense_eigen_limit) {
    Eigen::MatrixXd dense(n, n);
    Eigen::VectorXd unit = Eigen::VectorXd::Zero(n);
    for (std::uint32_t j = 0; j < n; ++j) {  // the operator applied to each unit vector: exactly the same matrix
      unit[j] = 1.0;
      op.perform_op(unit.data(), dense.col(j).data());
      unit[j] = 0.0;
    }
    dense = 0.5 * (dense + dense.transpose()).eval();  // exact symmetry despite rounding
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(dense);
    if (solver.info() != Eigen::Success) throw Error("spectral_clustering: the dense eigensolver failed");
    return solver.eigenvectors().rightCols(count).rowwise().reverse();
  }

  Eigen::VectorXd start(n);
  for (std::uint32_t i = 0; i < n; ++i) start[i] = rng.uniform() - 0.5;
  std::vector<double> scratch;
  s.project_out_components(start.data(), scratch);
  // Two attempts: a wider Krylov basis and more restarts when the first does not converge.
  Eigen::Index basis = std::max<Eigen::Index>(2 * Eigen::Index{count} + 1, Eigen::Index{count} + 20);
  for (int attempt = 0; attempt < 2; ++attempt) {
    basis = std::min<Eigen::Index>(basis, n);
    Spectra::SymEigsSolver<DeflatedNormalisedAdjacency<G>> solver(op, count, basis);
    solver.init(start.data());
    solver.compute(Spectra::SortRule::LargestAlge, attempt == 0 ? 1000 : 5000, 1e-8);
    if (solver.info() == Spectra::CompInfo::Successful) return solver.eigenvectors();
    basis *= 2;
  }
  throw Error("spectral_clustering: the Lanczos eigensolver did not converge for k = " + std::to_string(count) +
              " on " + std::to_string(n) + " vertices");
}

struct KMeansResult {
  std::vector<std::uint32_t> assignment;
  double inertia = 0.0;
  std::uint32_t iterations = 0;
};

// Lloyd's k-means with k-means++ seeding on `points` (row-major, n x dim), best of `restarts` by inertia.
inline KMeansResult kmeans(const std::vector<double>& points, std::uint32_t n, std::uint32_t dim, std::uint32_t k,
                           std::uint32_t restarts, std::uint32_t max_iterations, SplitMix64& rng) {
  const bool parallel = std::uint64_t{n} * k * dim > kmeans_parallel_threshold;
  const auto squared_distance = [&](std::uint32_t i, const double* centre) {
    const double* p = points.data() + std::size_t{i} * dim;
    double d = 0.0;
    for (std::uint32_t t = 0; t < dim; ++t) d += (p[t] - centre[t]) * (p[t] - centre[t]);
    return d;
  };

  std::vector<double> centres(std::size_t{k} * dim), sums(std::size_t{k} * dim), distance(n);
  std::vector<std::uint32_t> assignment(n), members(k);
  KMeansResult best;
  best.inertia = std::numeric_limits<double>::infinity();

  for (std::uint32_t run = 0; run < restarts; ++run) {
    // k-means++: each next centre drawn with probability proportional to the squared distance to the nearest.
    std::uint32_t first = rng.below(n);
    std::copy_n(points.data() + std::size_t{first} * dim, dim, centres.data());
    for (std::uint32_t i = 0; i < n; ++i) distance[i] = squared_distance(i, centres.data());
    for (std::uint32_t c = 1; c < k; ++c) {
      double total = 0.0;
      for (std::uint32_t i = 0; i < n; ++i) total += distance[i];
      std::uint32_t chosen = 0;
      if (total > 0.0) {
        const double target = rng.uniform() * total;
        double running = 0.0;
        for (std::uint32_t i = 0; i < n; ++i) {
          if (distance[i] <= 0.0) continue;
          chosen = i;  // the last candidate wins if rounding leaves running just below target
          running += distance[i];
          if (running > target) break;
        }
      } else {
        chosen = rng.below(n);  // fewer distinct points than clusters
      }
      double* centre = centres.data() + std::size_t{c} * dim;
      std::copy_n(points.data() + std::size_t{chosen} * dim, dim, centre);
#pragma omp parallel for schedule(static) if (parallel)
      for (std::int64_t i = 0; i < n; ++i) {
        distance[i] = std::min(distance[i], squared_distance(static_cast<std::uint32_t>(i), centre));
      }
    }

    std::uint32_t iterations = 0;
    std::fill(assignment.begin(), assignment.end(), k);  // no cluster yet: the first pass changes every point
    while (iterations < max_iterations) {
      ++iterations;
      std::uint64_t changed = 0;
#pragma omp parallel for schedule(static) reduction(+ : changed) if (parallel)
      for (std::int64_t i = 0; i < n; ++i) {
        std::uint32_t nearest = 0;
        double nearest_distance = std::numeric_limits<double>::infinity();
        for (std::uint32_t c = 0; c < k; ++c) {
          const double d = squared_distance(static_cast<std::uint32_t>(i), centres.data() + std::size_t{c} * dim);
          if (d < nearest_distance) {
            nearest_distance = d;
            nearest = c;
          }
        }
        changed += assignment[i] != nearest ? 1 : 0;
        assignment[i] = nearest;
        distance[i] = nearest_distance;
      }
      if (changed == 0) break;

      std::fill(sums.begin(), sums.end(), 0.0);
      std::fill(members.begin(), members.end(), 0);
      for (std::uint32_t i = 0; i < n; ++i) {
        const double* p = points.data() + std::size_t{i} * dim;
        double* sum = sums.data() + std::size_t{assignment[i]} * dim;
        for (std::uint32_t t = 0; t < dim; ++t) sum[t] += p[t];
        ++members[assignment[i]];
      }
      for (std::uint32_t c = 0; c < k; ++c) {
        double* centre = centres.data() + std::size_t{c} * dim;
        if (members[c] > 0) {
          for (std::uint32_t t = 0; t < dim; ++t) centre[t] = sums[std::size_t{c} * dim + t] / members[c];
          continue;
        }
        // Empty cluster: take over the point worst served by its centre.
        std::uint32_t farthest = 0;
        for (std::uint32_t i = 1; i < n; ++i) farthest = distance[i] > distance[farthest] ? i : farthest;
        std::copy_n(points.data() + std::size_t{farthest} * dim, dim, centre);
        distance[farthest] = 0.0;
      }
    }

    double inertia = 0.0;
    for (std::uint32_t i = 0; i < n; ++i) inertia += distance[i];
    if (inertia < best.inertia) {
      best.inertia = inertia;
      best.assignment = assignment;
      best.iterations = iterations;
    }
  }
  return best;
}

}  // namespace detail

template <class G>
  requires WeightedGraph<G> && TransposableGraph<G>
CommunityResult spectral_clustering(const G& g, const SpectralOptions& o = {}) {
  const std::uint32_t n = g.num_vertices();
  if (o.k < 1 || o.k > n) {
    throw UsageError("spectral_clustering: k = " + std::to_string(o.k) + " must be between 1 and the number of " +
                     "vertices, " + std::to_string(n));
  }
  if (o.kmeans_restarts < 1) throw UsageError("spectral_clustering: kmeans_restarts must be at least 1");
  if (o.max_kmeans_iterations < 1) throw UsageError("spectral_clustering: max_kmeans_iterations must be at least 1");
  if (o.weighted) detail::require_nonnegative_weights(g, "spectral_clustering");

  std::optional<G> reversed;  // in-arcs of a directed graph
  if (g.directed) reversed.emplace(g.transpose());
  const detail::SpectralGraph<G> s = detail::make_spectral_graph(g, reversed ? &*reversed : nullptr, o.weighted);
  const std::uint32_t size = s.size();
  const std::uint32_t k = std::min(o.k, size);

  CommunityResult result;
  std::vector<std::uint32_t> cluster_of_compact;  // by compact id
  if (s.num_components >= k) {
    cluster_of_compact = s.component;
  } else if (k == size) {
    cluster_of_compact.resize(size);
    for (std::uint32_t i = 0; i < size; ++i) cluster_of_compact[i] = i;
  } else {
    SplitMix64 rng(o.seed);
    const std::uint32_t components = s.num_components;
    const Eigen::MatrixXd rest = detail::leading_deflated_eigenvectors(s, k - components, rng);
    std::vector<double> embedding(std::size_t{size} * k, 0.0);
    for (std::uint32_t i = 0; i < size; ++i) {
      double* row = embedding.data() + std::size_t{i} * k;
      row[s.component[i]] = s.sqrt_degree[i] / std::sqrt(s.component_volume[s.component[i]]);
      for (std::uint32_t t = components; t < k; ++t) row[t] = rest(i, t - components);
      double norm = 0.0;
      for (std::uint32_t t = 0; t < k; ++t) norm += row[t] * row[t];
      norm = std::sqrt(norm);
      if (norm > 0.0) {
        for (std::uint32_t t = 0; t < k; ++t) row[t] /= norm;
      }
    }
    detail::KMeansResult clusters =
        detail::kmeans(embedding, size, k, k, o.kmeans_restarts, o.max_kmeans_iterations, rng);
    cluster_of_compact = std::move(clusters.assignment);
    result.quality = clusters.inertia;
    result.iterations = clusters.iterations;
  }

  result.membership.resize(n);
  std::uint32_t next_singleton = size;  // above every cluster label
  for (std::uint32_t v = 0; v < n; ++v) {
    const bool isolated = size == 0 || s.vertex_of[s.compact_of[v]] != v;
    result.membership[v] = isolated ? next_singleton++ : cluster_of_compact[s.compact_of[v]];
  }
  result.count = renumber_communities(result.membership);
  return result;
}

}  // namespace cibgraph
