#pragma once
// The result of the iterative centralities (PageRank, eigenvector, Katz): scores and how the iteration ended.
#include <cstdint>
#include <vector>

namespace cibgraph {

struct ScoresResult {
  std::vector<double> scores;  // indexed by vertex
  std::uint32_t iterations = 0;
  double residual = 0;         // the convergence measure at the last iteration (each algorithm states which)
  bool converged = false;      // residual below the tolerance within the iteration cap
};

}  // namespace cibgraph
