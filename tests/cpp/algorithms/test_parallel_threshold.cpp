// Small iterative work stays on one thread (power_iteration.hpp): a sweep over fewer than a million arcs and vertices
// is not worth a team's barriers, hundreds of which a power iteration crosses (issue 20: OpenMP under contention).
#include <gtest/gtest.h>

#include "cibgraph/algorithms/centrality/power_iteration.hpp"

namespace cibgraph {
namespace {

struct Sized {
  std::uint64_t arcs, vertices;
  std::uint64_t num_arcs() const { return arcs; }
  std::uint32_t num_vertices() const { return static_cast<std::uint32_t>(vertices); }
};

TEST(ParallelThreshold, PowerIterationsGoParallelOnlyOnLargeSweeps) {
  if (std::getenv("CIBGRAPH_ITERATION_PARALLEL") != nullptr) GTEST_SKIP() << "CIBGRAPH_ITERATION_PARALLEL is set";
  EXPECT_EQ(centrality_detail::iteration_parallel_threshold(), 1'000'000u);
  EXPECT_FALSE(centrality_detail::worth_parallel(Sized{368'000, 37'000}));  // the PageRank graph
  EXPECT_FALSE(centrality_detail::worth_parallel(Sized{40'000, 20'000}));
  EXPECT_TRUE(centrality_detail::worth_parallel(Sized{3'680'000, 370'000}));
}

}  // namespace
}  // namespace cibgraph
