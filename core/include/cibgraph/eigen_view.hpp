#pragma once
// Eigen's view of a cibgraph::Graph: the n×n row-major sparse adjacency matrix A with A(u, v) = weight of the
// arc u→v, so `view.matrix() * x` is the SpMV behind PageRank, spectral methods and label propagation.
//
// Why one array is copied. Eigen::Map<SparseMatrix<Scalar, Options, StorageIndex>> takes a single signed
// StorageIndex for both the row pointer (outer index) and the column ids (inner index). Graph keeps the row
// pointer as uint64 (so a graph may hold more than 2^32 arcs) and the column ids as uint32. We pick int32:
//   * column ids: Graph guarantees n < 2^31, so every uint32 target has the same bits as a non-negative int32,
//     and C++ allows reading an object through the signed variant of its type, so the targets are mapped in
//     place (reinterpret_cast, no copy);
//   * weights: already float, mapped in place;
//   * row pointer: narrowed into an int32 copy of n+1 entries, O(n) time and memory. Offsets up to num_arcs
//     must fit, so eigen_view throws InputError when the graph has 2^31 arcs or more.
// Choosing int64 instead would force a copy of the targets (O(m)), which is what the view exists to avoid.
//
// Lifetime: the view reads the Graph's arrays; keep the Graph alive and unmodified while the view is used.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/SparseCore>

#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"

namespace cibgraph {

class EigenView {
 public:
  using Matrix = Eigen::SparseMatrix<float, Eigen::RowMajor, std::int32_t>;
  using ConstMap = Eigen::Map<const Matrix>;

  explicit EigenView(const Graph& g) : row_starts_(narrowed_row_starts(g)), matrix_(map_over(g, row_starts_)) {}

  // Copying would leave the copy's map pointing at the original's row pointer. Moving keeps the vector's
  // buffer, so the memberwise move (vector moved, map copied) stays valid.
  EigenView(const EigenView&) = delete;
  EigenView& operator=(const EigenView&) = delete;
  EigenView(EigenView&&) noexcept = default;
  EigenView& operator=(EigenView&&) = delete;  // a Map cannot be re-seated

  const ConstMap& matrix() const noexcept { return matrix_; }

 private:
  static std::vector<std::int32_t> narrowed_row_starts(const Graph& g) {
    if (g.num_arcs() > static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())) {
      throw InputError("eigen_view: the graph has " + std::to_string(g.num_arcs()) +
                       " arcs; Eigen's 32-bit sparse indices allow at most 2^31-1");
    }
    return std::vector<std::int32_t>(g.offsets.begin(), g.offsets.end());
  }

  static ConstMap map_over(const Graph& g, const std::vector<std::int32_t>& row_starts) {
    const auto n = static_cast<Eigen::Index>(g.num_vertices());
    return ConstMap(n, n, static_cast<Eigen::Index>(g.num_arcs()), row_starts.data(),
                    reinterpret_cast<const std::int32_t*>(g.targets.data()), g.weights.data());
  }

  std::vector<std::int32_t> row_starts_;  // declared before matrix_, which points into it
  ConstMap matrix_;
};

inline EigenView eigen_view(const Graph& g) { return EigenView(g); }

}  // namespace cibgraph
