// The cluster search's k-core (tie_groups.cpp, on the library's core_numbers) is the exact min_core-core of the
// live ties: an account that leaves takes with it only the accounts that then fall below min_core ties.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "cibgraph/coaction.hpp"
#include "cibgraph/significance.hpp"
#include "test_support.hpp"

namespace {

using namespace cibgraph;
using test_support::hand_layer;
using test_support::HandEdge;

TEST(ClusterCoreTest, AnAccountBelowTheCoreLeavesAloneItsTiesPartner) {
  // Accounts 1-4: a 4-clique of cluster edges (4 of 4 keys, expected 0.2, p 0.005, the clique of test_significance's
  // KeepClusterEdgesMarksOnlyTiesOfCoordinatedClusters); account 0: one such edge, to 1. With min_triangles 0 (no
  // truss) the 3-core is the clique: 0 (one tie) leaves, 1 keeps its three clique ties and the clique is a
  // coordinated cluster. (The private peeling used before counted 0's departure twice in 1's degree, dropped 1 and
  // with it the whole clique: no cluster.)
  std::vector<HandEdge> edges{{.a = 0, .b = 1, .distinct_targets = 4, .expected = 0.2, .p_value = 0.005}};
  for (std::uint32_t a = 1; a < 5; ++a)
    for (std::uint32_t b = a + 1; b < 5; ++b)
      edges.push_back({.a = a, .b = b, .distinct_targets = 4, .expected = 0.2, .p_value = 0.005});
  CoactionNetwork net;
  net.layers.push_back(hand_layer(Layer::CoShare, edges));
  SignificanceOptions s;
  s.min_triangles = 0;
  s.second_stage = false;
  const auto clusters = coordination_clusters(net, 5, s);
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_EQ(clusters[0].members, (std::vector<std::uint32_t>{1, 2, 3, 4}));
  EXPECT_TRUE(clusters[0].coordinated);

  // min_core 4: no account of the clique has four ties, so no cluster.
  s.min_core = 4;
  EXPECT_TRUE(coordination_clusters(net, 5, s).empty());
}

}  // namespace
