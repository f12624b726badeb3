// Significance (significance.hpp) on hand-made networks with known p-values and statistics: the edge filters' exact
// kept sets, which edges build clusters, the cluster summary and test numbers, the ranking order, the clusters of a
// hand-drawn network, the second stage's joining against given clusters, and Poisson tails. (The habits null, the
// Benjamini-Hochberg reference comparison and the planted / second-stage scenarios are in test_coaction.cpp; the
// co-targeting null in test_cotarget.cpp.)
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cibgraph/coaction.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/significance.hpp"
#include "test_support.hpp"

namespace {

using namespace cibgraph;
using test_support::hand_layer;
using test_support::HandEdge;
using Flags = std::vector<std::uint8_t>;

// E[X | X >= 1] - 1 for X ~ Binomial(c, e / c): the null's co-actions beyond a candidate pair's first.
double conditional_excess(double e, double c) { return e / (1 - std::pow(1 - e / c, c)) - 1; }

// Two layers of p-values for the FDR filter: m = 7 edges in all.
CoactionNetwork fdr_network(double last_p) {
  CoactionNetwork net;
  net.layers.push_back(hand_layer(Layer::CoShare, {{.a = 0, .b = 1, .p_value = 0.001},
                                                   {.a = 0, .b = 2, .p_value = 0.04},
                                                   {.a = 1, .b = 2, .p_value = 0.012},
                                                   {.a = 2, .b = 3, .p_value = 0.5, .kept = true}}));
  net.layers.push_back(hand_layer(Layer::CoUrl, {{.a = 0, .b = 1, .p_value = 0.02},
                                                 {.a = 1, .b = 3, .p_value = 0.0005},
                                                 {.a = 0, .b = 3, .p_value = last_p}}));
  return net;
}

}  // namespace

TEST(SignificanceFilterTest, FdrKeepsTheExactBenjaminiHochbergSetOverAllLayers) {
  // q = 0.05, m = 7: rank r passes when p_(r) <= r x 0.05 / 7 = 0.00714, 0.01429, 0.02143, 0.02857, 0.03571,
  // 0.04286, 0.05. Sorted: 0.0005 (r1 ok), 0.001 (r2 ok), 0.012 (r3 ok), 0.02 (r4 ok), 0.04 (r5: > 0.03571, fails),
  // last_p (r6), 0.5.
  // With last_p = 0.042 <= 0.04286, rank 6 passes and, step-up, takes rank 5 (0.04) with it: 6 kept.
  auto net = fdr_network(0.042);
  SignificanceOptions s;
  s.fdr = 0.05;
  EXPECT_EQ(filter_edges(net, s), 6u);
  EXPECT_EQ(net.layers[0].kept, (Flags{1, 1, 1, 0}));  // the 0.5 edge preset kept is reset
  EXPECT_EQ(net.layers[1].kept, (Flags{1, 1, 1}));
  // With last_p = 0.044 > 0.04286, the largest passing rank is 4: 0.0005, 0.001, 0.012, 0.02.
  net = fdr_network(0.044);
  EXPECT_EQ(filter_edges(net, s), 4u);
  EXPECT_EQ(net.layers[0].kept, (Flags{1, 0, 1, 0}));
  EXPECT_EQ(net.layers[1].kept, (Flags{1, 1, 0}));
  // q = 0.01: thresholds 0.00143, 0.00286, 0.00429: 0.0005 and 0.001 pass, 0.012 is above q.
  s.fdr = 0.01;
  EXPECT_EQ(filter_edges(net, s), 2u);
  EXPECT_EQ(net.layers[0].kept, (Flags{1, 0, 0, 0}));
  EXPECT_EQ(net.layers[1].kept, (Flags{0, 1, 0}));
}

TEST(SignificanceFilterTest, FdrStillRequiresTheTargetAndCoActionMinimums) {
  // The 0.012 edge co-acted on one target only: it keeps its rank in the BH order (m stays 7, so the others pass as
  // before) but is not kept itself. The 0.02 edge has 2 co-actions, below min_co_actions 3.
  auto net = fdr_network(0.042);
  for (auto& l : net.layers) l.co_actions.assign(l.size(), 3);
  net.layers[0].distinct_targets[2] = 1;
  net.layers[1].co_actions[0] = 2;
  SignificanceOptions s;
  s.fdr = 0.05;
  s.min_co_actions = 3;
  EXPECT_EQ(filter_edges(net, s), 4u);
  EXPECT_EQ(net.layers[0].kept, (Flags{1, 1, 0, 0}));
  EXPECT_EQ(net.layers[1].kept, (Flags{0, 1, 1}));
}

TEST(SignificanceFilterTest, MinCoActionsPercentileAndNone) {
  // Co-actions layer 0: 5, 1, 3, 8 (distinct targets 2, 1, 2, 2); layer 1: 2, 8, 4 (distinct 2 each).
  auto make = [] {
    CoactionNetwork net;
    net.layers.push_back(hand_layer(Layer::CoShare, {{.a = 0, .b = 1, .co_actions = 5},
                                                     {.a = 0, .b = 2, .co_actions = 1, .distinct_targets = 1},
                                                     {.a = 1, .b = 2, .co_actions = 3},
                                                     {.a = 2, .b = 3, .co_actions = 8}}));
    net.layers.push_back(hand_layer(Layer::CoUrl, {{.a = 0, .b = 1, .co_actions = 2},
                                                   {.a = 1, .b = 3, .co_actions = 8},
                                                   {.a = 0, .b = 3, .co_actions = 4}}));
    return net;
  };
  SignificanceOptions s;
  auto net = make();
  // min-co-actions 4: 5, 8 | 8, 4.
  s.filter = EdgeFilter::MinCoActions;
  s.min_co_actions = 4;
  EXPECT_EQ(filter_edges(net, s), 4u);
  EXPECT_EQ(net.layers[0].kept, (Flags{1, 0, 0, 1}));
  EXPECT_EQ(net.layers[1].kept, (Flags{0, 1, 1}));
  // min-co-actions 1: everything but the one-target edge (min_distinct_targets 2).
  s.min_co_actions = 1;
  EXPECT_EQ(filter_edges(net, s), 6u);
  EXPECT_EQ(net.layers[0].kept, (Flags{1, 0, 1, 1}));
  // Percentile over all 7 co-action counts, sorted 1 2 3 4 5 8 8: the element at index floor(0.5 x 7) = 3, i.e. 4.
  s.filter = EdgeFilter::Percentile;
  s.percentile = 0.5;
  EXPECT_EQ(filter_edges(net, s), 4u);
  EXPECT_EQ(net.layers[0].kept, (Flags{1, 0, 0, 1}));
  EXPECT_EQ(net.layers[1].kept, (Flags{0, 1, 1}));
  // 0.99: index min(6, floor(6.93)) = 6, i.e. 8.
  s.percentile = 0.99;
  EXPECT_EQ(filter_edges(net, s), 2u);
  EXPECT_EQ(net.layers[0].kept, (Flags{0, 0, 0, 1}));
  EXPECT_EQ(net.layers[1].kept, (Flags{0, 1, 0}));
  // The threshold is never below min_co_actions: percentile 0 (threshold 1) with min_co_actions 3 keeps 5 3 8 | 8 4.
  s.percentile = 0;
  s.min_co_actions = 3;
  EXPECT_EQ(filter_edges(net, s), 5u);
  // None: every edge with min_co_actions, whatever its targets (the one-target edge with 1 co-action included).
  s.filter = EdgeFilter::None;
  s.min_co_actions = 1;
  EXPECT_EQ(filter_edges(net, s), 7u);
  s.min_co_actions = 3;
  EXPECT_EQ(filter_edges(net, s), 5u);
  EXPECT_EQ(net.layers[0].kept, (Flags{1, 0, 1, 1}));
  EXPECT_EQ(net.layers[1].kept, (Flags{0, 1, 1}));
  // kept_by names the filter on every kept edge, and nothing on the others.
  const auto none = static_cast<std::uint8_t>(KeptBy::NoFilter);
  EXPECT_EQ(net.layers[0].kept_by, (Flags{none, 0, none, none}));
  EXPECT_EQ(net.layers[1].kept_by, (Flags{0, none, none}));
  EXPECT_EQ(kept_by_name(kept_reason(net.layers[0], 0)), "none");
  EXPECT_EQ(kept_by_name(kept_reason(net.layers[0], 1)), "");
  s.filter = EdgeFilter::MinCoActions;
  s.min_co_actions = 4;
  filter_edges(net, s);
  EXPECT_EQ(kept_by_name(kept_reason(net.layers[0], 0)), "min-co-actions");
  s.filter = EdgeFilter::Percentile;
  s.percentile = 0.5;
  filter_edges(net, s);
  EXPECT_EQ(kept_by_name(kept_reason(net.layers[1], 1)), "percentile");
  EXPECT_EQ(kept_by_name(kept_reason(net.layers[1], 0)), "");
  // An empty network keeps nothing under every filter.
  CoactionNetwork empty;
  for (auto f : {EdgeFilter::Fdr, EdgeFilter::MinCoActions, EdgeFilter::Percentile, EdgeFilter::None}) {
    s.filter = f;
    EXPECT_EQ(filter_edges(empty, s), 0u);
  }
}

TEST(SignificanceFilterTest, FilterNamesRoundTrip) {
  for (auto f : {EdgeFilter::Fdr, EdgeFilter::MinCoActions, EdgeFilter::Percentile, EdgeFilter::None})
    EXPECT_EQ(parse_edge_filter(to_string(f)), f);
  EXPECT_EQ(to_string(EdgeFilter::MinCoActions), "min-co-actions");
  EXPECT_THROW(parse_edge_filter("FDR"), UsageError);
  EXPECT_THROW(parse_edge_filter(""), UsageError);
}

TEST(SignificanceClusterEdgesTest, KeptEdgesAndTestedEdgesBelowTheBusierAccountsBound) {
  // Account 0 has 20 tested pairs (0,1..20), so its edges need p <= min(0.1, 1/20) = 0.05:
  //   (0,1) p 0.04 yes; (0,2) p 0.06 no; (0,3) p 0.05 yes (the bound is inclusive); the rest p 0.5 no.
  // (21,22): one tested pair each, bound min(0.1, 1) = 0.1, p 0.1 yes. (23,24): p 0.01 but one target, not tested:
  // no. (25,26): p 0.7 but kept: yes.
  std::vector<HandEdge> edges;
  for (std::uint32_t k = 1; k <= 20; ++k)
    edges.push_back({.a = 0, .b = k, .p_value = k == 1 ? 0.04 : k == 2 ? 0.06 : k == 3 ? 0.05 : 0.5});
  edges.push_back({.a = 21, .b = 22, .p_value = 0.1});
  edges.push_back({.a = 23, .b = 24, .distinct_targets = 1, .p_value = 0.01});
  edges.push_back({.a = 25, .b = 26, .p_value = 0.7, .kept = true});
  CoactionNetwork net;
  net.layers.push_back(hand_layer(Layer::CoShare, edges));
  SignificanceOptions s;
  const auto flags = cluster_edges(net, 27, s);
  ASSERT_EQ(flags.size(), 1u);
  Flags expected(23, 0);
  expected[0] = 1;   // (0,1)
  expected[2] = 1;   // (0,3)
  expected[20] = 1;  // (21,22)
  expected[22] = 1;  // (25,26)
  EXPECT_EQ(flags[0], expected);
  // cluster_edge_p 0.03 lowers every bound below 0.04, 0.05 and 0.1: the kept edge alone.
  s.cluster_edge_p = 0.03;
  Flags kept_only(23, 0);
  kept_only[22] = 1;
  EXPECT_EQ(cluster_edges(net, 27, s)[0], kept_only);
  // With the filter none, only kept edges build clusters.
  s.cluster_edge_p = 0.1;
  s.filter = EdgeFilter::None;
  EXPECT_EQ(cluster_edges(net, 27, s)[0], kept_only);
}

TEST(SignificanceSummaryTest, SummariseClustersNumbers) {
  // Group 0 = accounts {0, 1, 2}; account 3 outside; group 1 = {4}.
  // Co-share: (0,1) 3 of 3 keys, expected 0.3, delay 1 s, keys 5 6, a tie;
  //           (0,2) 2 of 4 keys, expected 0.4, delay 3 s, keys 6 7, a tie;
  //           (1,2) 1 of 1 key,  expected 0.1, delay 2 s, key 9, not a tie (counts for the test, not the summary);
  //           (2,3) crosses out of the group: ignored.
  // Co-url:   (0,1) 2 of 2 keys, expected 0.2, delay 0.5 s, key 5 (another layer's key 5: a target of its own).
  CoactionNetwork net;
  net.layers.push_back(hand_layer(
      Layer::CoShare,
      {{.a = 0, .b = 1, .distinct_targets = 3, .median_delay_ms = 1000, .expected = 0.3, .evidence = {{5}, {6}}},
       {.a = 0, .b = 2, .distinct_targets = 2, .median_delay_ms = 3000, .common_keys = 4, .expected = 0.4,
        .evidence = {{6}, {7}}},
       {.a = 1, .b = 2, .distinct_targets = 1, .median_delay_ms = 2000, .expected = 0.1, .evidence = {{9}}},
       {.a = 2, .b = 3, .distinct_targets = 9, .expected = 0.1, .evidence = {{1}}}}));
  net.layers.push_back(hand_layer(
      Layer::CoUrl,
      {{.a = 0, .b = 1, .distinct_targets = 2, .median_delay_ms = 500, .expected = 0.2, .evidence = {{5}}}}));
  const std::vector<std::int64_t> label{0, 0, 0, -1, 1};
  const std::vector<Flags> tie{{1, 1, 0, 1}, {1}};
  const Flags recovered{0, 0, 1, 0, 0};
  SignificanceOptions s;
  auto clusters = summarise_clusters(net, label, 2, tie, recovered, {1e-3, 0.5}, s);
  ASSERT_EQ(clusters.size(), 2u);
  const auto& c = clusters[0];
  EXPECT_EQ(c.id, 0u);  // left for the caller
  EXPECT_EQ(c.members, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(c.recovered, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(c.kept_edges, 3u);      // the three ties inside: 0-1 and 0-2 in co-share, 0-1 in co-url
  // Density counts member pairs, not ties: 0-1 (tied in both layers) and 0-2 of the 3 pairs; 1-2 is untied. A pair
  // tied in two layers counting twice gave 3 / 3 = 1 here, and above 1 on real multi-layer clusters.
  EXPECT_EQ(c.tied_pairs, 2u);
  EXPECT_DOUBLE_EQ(c.density, 2.0 / 3.0);
  EXPECT_EQ(c.layers, (std::vector<Layer>{Layer::CoShare, Layer::CoUrl}));
  EXPECT_EQ(c.median_delay_ms, 1000);  // of the ties' 1000, 3000, 500: sorted 500 1000 3000, the middle
  EXPECT_EQ(c.targets, 4u);            // co-share 5 6 7, co-url 5
  EXPECT_DOUBLE_EQ(c.observed, 8.0);   // 3 + 2 + 1 + 2
  EXPECT_NEAR(c.expected, 1.0, 1e-12);  // 0.3 + 0.4 + 0.1 + 0.2
  // The test: co-actions beyond each pair's first, 2 + 1 + 0 + 1 = 4, against the conditional excess
  //   0.3/(1 - 0.9^3) - 1 = 0.3/0.271 - 1 = 0.1070111, 0.4/(1 - 0.9^4) - 1 = 0.4/0.3439 - 1 = 0.1631288,
  //   0.1/(1 - 0.9) - 1 = 0, 0.2/(1 - 0.9^2) - 1 = 0.2/0.19 - 1 = 0.0526316; lambda = 0.3227715.
  // P(Poisson(lambda) >= 4) = 1 - e^-lambda (1 + lambda + lambda^2/2 + lambda^3/6) = 3.4981747e-4.
  const double lambda = conditional_excess(0.3, 3) + conditional_excess(0.4, 4) + conditional_excess(0.2, 2);
  EXPECT_NEAR(lambda, 0.32277146557449976, 1e-12);
  const double tail = 1 - std::exp(-lambda) * (1 + lambda + lambda * lambda / 2 + lambda * lambda * lambda / 6);
  EXPECT_NEAR(c.sync_p, tail, 1e-12);
  EXPECT_NEAR(c.sync_p, 3.4981747092222e-4, 1e-12);
  EXPECT_EQ(c.p_value, c.sync_p);  // no co-targeting columns: the habits test alone
  EXPECT_EQ(c.cotarget_p, 1.0);
  EXPECT_EQ(c.alpha, 1e-3);
  // 3.5e-4 < 1e-3, 4 >= 2 x 0.32 and 8 >= 2 x 1.0: synchrony; 3 members: coordinated.
  EXPECT_EQ(c.evidence, Cluster::kSynchrony);
  EXPECT_TRUE(c.coordinated);
  // The lone account: nothing inside, p 1, density 0.
  EXPECT_EQ(clusters[1].members, (std::vector<std::uint32_t>{4}));
  EXPECT_EQ(clusters[1].sync_p, 1.0);
  EXPECT_EQ(clusters[1].density, 0.0);
  EXPECT_EQ(clusters[1].tied_pairs, 0u);
  EXPECT_EQ(clusters[1].alpha, 0.5);
  EXPECT_FALSE(clusters[1].coordinated);
  // At alpha 1e-4 the same group fails (3.5e-4 is not below it); with min_cluster_size 4 it passes the test but is
  // too small to be coordinated.
  clusters = summarise_clusters(net, label, 2, tie, recovered, {1e-4, 0.5}, s);
  EXPECT_EQ(clusters[0].evidence, 0);
  EXPECT_FALSE(clusters[0].coordinated);
  s.min_cluster_size = 4;
  clusters = summarise_clusters(net, label, 2, tie, {}, {1e-3, 0.5}, s);
  EXPECT_EQ(clusters[0].evidence, Cluster::kSynchrony);
  EXPECT_FALSE(clusters[0].coordinated);
  EXPECT_TRUE(clusters[0].recovered.empty());  // an empty recovered vector: none
}

TEST(SignificanceSummaryTest, CoTargetingTestNumbers) {
  // Accounts 0-2, a triangle: every pair co-acted on 3 of 3 keys at 3 distinct moments, expected 1.0 under the habits
  // null and 0.1 under the popularity null (cotarget_expected).
  //   Habits: 3 x (3 - 1) = 6 beyond each pair's first, against 3 x (1 / (1 - (2/3)^3) - 1) = 3 x 8/19 = 24/19
  //     = 1.2631579; P(Poisson >= 6) = 1.9358647e-3: not below alpha / 2.
  //   Popularity: 6 moments beyond each pair's first, against 3 x (0.1 / (1 - e^-0.1) - 1) = 0.1524996;
  //     P(Poisson >= 6) = 1.5331655e-8 < 1e-6 / 2, 6 >= 2 x 0.1525 and 9 moments >= 2 x 0.3.
  //   p = min(1, 2 x min(1.94e-3, 1.53e-8)) = 3.0663310e-8; evidence: co-targeting alone.
  CoactionNetwork net;
  net.layers.push_back(hand_layer(
      Layer::CoShare,
      {{.a = 0, .b = 1, .distinct_targets = 3, .moments = 3, .expected = 1.0, .cotarget_expected = 0.1},
       {.a = 0, .b = 2, .distinct_targets = 3, .moments = 3, .expected = 1.0, .cotarget_expected = 0.1},
       {.a = 1, .b = 2, .distinct_targets = 3, .moments = 3, .expected = 1.0, .cotarget_expected = 0.1}}));
  SignificanceOptions s;
  const auto clusters = summarise_clusters(net, {0, 0, 0}, 1, {{1, 1, 1}}, {}, {1e-6}, s);
  ASSERT_EQ(clusters.size(), 1u);
  const auto& c = clusters[0];
  EXPECT_DOUBLE_EQ(c.moments, 9.0);
  EXPECT_NEAR(c.cotarget_expected, 0.3, 1e-12);
  EXPECT_NEAR(c.sync_p / 1.9358646862405768e-3, 1.0, 1e-9);
  EXPECT_NEAR(c.cotarget_p / 1.5331654831226307e-8, 1.0, 1e-9);
  EXPECT_NEAR(c.p_value / 3.0663309662452613e-8, 1.0, 1e-9);
  EXPECT_EQ(c.p_value, 2 * c.cotarget_p);
  EXPECT_EQ(c.evidence, Cluster::kCoTargeting);
  EXPECT_TRUE(c.coordinated);
  // At alpha 3e-8 each null faces 1.5e-8, below 1.53e-8: nothing.
  EXPECT_EQ(summarise_clusters(net, {0, 0, 0}, 1, {{1, 1, 1}}, {}, {3e-8}, s)[0].evidence, 0);
  // Moments cap at distinct targets: 5 moments of 3 keys count as 3, the same numbers.
  net.layers[0].moments.assign(3, 5);
  EXPECT_EQ(summarise_clusters(net, {0, 0, 0}, 1, {{1, 1, 1}}, {}, {1e-6}, s)[0].cotarget_p, c.cotarget_p);
}

TEST(SignificanceSummaryTest, StrongerClusterOrder) {
  auto make = [](double p, double observed, double expected, std::size_t size) {
    Cluster c;
    c.p_value = p;
    c.observed = observed;
    c.expected = expected;
    c.members.resize(size);
    return c;
  };
  // Smaller p first, whatever the excess and size.
  EXPECT_TRUE(stronger_cluster(make(1e-9, 5, 4, 3), make(1e-8, 50, 1, 30)));
  EXPECT_FALSE(stronger_cluster(make(1e-8, 50, 1, 30), make(1e-9, 5, 4, 3)));
  // Equal p: more excess first (10 - 2 = 8 against 9 - 3 = 6), whatever the size.
  EXPECT_TRUE(stronger_cluster(make(0.0, 10, 2, 3), make(0.0, 9, 3, 10)));
  EXPECT_FALSE(stronger_cluster(make(0.0, 9, 3, 10), make(0.0, 10, 2, 3)));
  // Equal p and excess (8 - 2 = 7 - 1 = 6): more members first.
  EXPECT_TRUE(stronger_cluster(make(1e-5, 8, 2, 5), make(1e-5, 7, 1, 4)));
  EXPECT_FALSE(stronger_cluster(make(1e-5, 7, 1, 4), make(1e-5, 8, 2, 5)));
  // All equal: neither is stronger (a strict weak order).
  EXPECT_FALSE(stronger_cluster(make(1e-5, 8, 2, 5), make(1e-5, 8, 2, 5)));
}

TEST(SignificanceClustersTest, AHandDrawnCliqueAndItsChanceTies) {
  // Accounts 10-13: a 4-clique of strong kept ties (4 of 4 keys, expected 0.2), three edges in co-share and three in
  // co-url, plus a weak co-url edge 10-11 (1 key of 1, expected 0.5, not tested, not a tie).
  // Chance ties: account 5 tied to 10 and 11 by cluster edges (p 0.001: below min(0.1, 1 / 4)), each closing one
  // triangle only (5-10-11); accounts 0-2 a triangle of tested edges at p 0.5; 20-21 a lone kept edge.
  CoactionNetwork net;
  net.layers.push_back(hand_layer(
      Layer::CoShare,
      {{.a = 0, .b = 1, .p_value = 0.5},
       {.a = 0, .b = 2, .p_value = 0.5},
       {.a = 1, .b = 2, .p_value = 0.5},
       {.a = 5, .b = 10, .p_value = 0.001},
       {.a = 5, .b = 11, .p_value = 0.001},
       {.a = 10, .b = 11, .distinct_targets = 4, .median_delay_ms = 1000, .expected = 0.2, .p_value = 1e-6, .kept = true,
        .evidence = {{1}, {2}}},
       {.a = 10, .b = 12, .distinct_targets = 4, .median_delay_ms = 2000, .expected = 0.2, .p_value = 1e-6, .kept = true,
        .evidence = {{1}}},
       {.a = 10, .b = 13, .distinct_targets = 4, .median_delay_ms = 6000, .expected = 0.2, .p_value = 1e-6, .kept = true,
        .evidence = {{2}}},
       {.a = 20, .b = 21, .distinct_targets = 9, .p_value = 1e-9, .kept = true}}));
  net.layers.push_back(hand_layer(
      Layer::CoUrl,
      {{.a = 10, .b = 11, .distinct_targets = 1, .expected = 0.5, .p_value = 1},
       {.a = 11, .b = 12, .distinct_targets = 4, .median_delay_ms = 3000, .expected = 0.2, .p_value = 1e-6, .kept = true,
        .evidence = {{1}, {3}}},
       {.a = 11, .b = 13, .distinct_targets = 4, .median_delay_ms = 4000, .expected = 0.2, .p_value = 1e-6, .kept = true,
        .evidence = {{3}}},
       {.a = 12, .b = 13, .distinct_targets = 4, .median_delay_ms = 5000, .expected = 0.2, .p_value = 1e-6, .kept = true,
        .evidence = {{1}}}}));
  SignificanceOptions s;
  const auto clusters = coordination_clusters(net, 22, s);
  ASSERT_EQ(clusters.size(), 1u);
  const auto& c = clusters[0];
  EXPECT_EQ(c.id, 1u);
  EXPECT_EQ(c.members, (std::vector<std::uint32_t>{10, 11, 12, 13}));
  EXPECT_TRUE(c.recovered.empty());
  EXPECT_TRUE(c.coordinated);
  EXPECT_EQ(c.evidence, Cluster::kSynchrony);
  EXPECT_EQ(c.kept_edges, 6u);
  EXPECT_DOUBLE_EQ(c.density, 1.0);
  EXPECT_EQ(c.layers, (std::vector<Layer>{Layer::CoShare, Layer::CoUrl}));
  EXPECT_EQ(c.median_delay_ms, 3000);  // 1 2 3 4 5 6 s: index (6 - 1) / 2 = 2
  EXPECT_EQ(c.targets, 4u);            // co-share 1 2, co-url 1 3
  EXPECT_DOUBLE_EQ(c.observed, 25.0);  // 6 x 4 + 1
  EXPECT_NEAR(c.expected, 1.7, 1e-12);  // 6 x 0.2 + 0.5
  // 18 co-actions beyond each pair's first (6 x 3 + 0) against lambda = 6 x (0.2 / (1 - 0.95^4) - 1) + 0
  // = 6 x 0.0782034 = 0.4692207; P(Poisson(lambda) >= 18) = 1.2176245e-22 (the sum of its terms from 18 on).
  const double lambda = 6 * conditional_excess(0.2, 4);
  EXPECT_NEAR(lambda, 0.4692206610734817, 1e-12);
  double tail = 0, term = std::exp(-lambda);
  for (int k = 1; k <= 18; ++k) term *= lambda / k;  // e^-lambda lambda^18 / 18!
  for (int k = 18; k < 80; ++k) {
    tail += term;
    term *= lambda / (k + 1);
  }
  EXPECT_NEAR(c.sync_p / tail, 1.0, 1e-9);
  EXPECT_NEAR(c.sync_p / 1.2176245167974567e-22, 1.0, 1e-9);
  EXPECT_EQ(c.alpha, s.cluster_alpha);
  // keep_cluster_edges: the clique's ties are kept already; nothing to add. Account 5's cluster edges stay out.
  EXPECT_EQ(keep_cluster_edges(net, clusters, 22, s), 0u);
  EXPECT_EQ(net.layers[0].kept[3], 0);
  EXPECT_EQ(net.layers[0].kept[4], 0);
}

TEST(SignificanceClustersTest, KeepClusterEdgesMarksOnlyTiesOfCoordinatedClusters) {
  // The same clique as cluster edges that FDR did not keep (p 0.005 each, below min(0.1, 1 / 3)): keep_cluster_edges
  // marks the 6 of them, and returns 6; a second call finds them kept and adds 0. A cluster marked not coordinated
  // gets nothing.
  std::vector<HandEdge> edges;
  for (std::uint32_t a = 0; a < 4; ++a)
    for (std::uint32_t b = a + 1; b < 4; ++b)
      edges.push_back({.a = a, .b = b, .distinct_targets = 4, .expected = 0.2, .p_value = 0.005});
  CoactionNetwork net;
  net.layers.push_back(hand_layer(Layer::CoShare, edges));
  SignificanceOptions s;
  auto clusters = coordination_clusters(net, 4, s);
  ASSERT_EQ(clusters.size(), 1u);
  ASSERT_TRUE(clusters[0].coordinated);
  auto not_coordinated = clusters;
  not_coordinated[0].coordinated = false;
  EXPECT_EQ(keep_cluster_edges(net, not_coordinated, 4, s), 0u);
  EXPECT_EQ(net.layers[0].kept, Flags(6, 0));
  EXPECT_EQ(keep_cluster_edges(net, clusters, 4, s), 6u);
  EXPECT_EQ(net.layers[0].kept, Flags(6, 1));
  // Kept as cluster ties, and said so (kept_by cluster, not the filter's name).
  EXPECT_EQ(net.layers[0].kept_by, Flags(6, static_cast<std::uint8_t>(KeptBy::Cluster)));
  EXPECT_EQ(kept_by_name(kept_reason(net.layers[0], 0)), "cluster");
  EXPECT_EQ(keep_cluster_edges(net, clusters, 4, s), 0u);
}

TEST(SignificanceClustersTest, KeptByTellsTheFilterFromTheClusterTies) {
  // The clique of KeepClusterEdgesMarksOnlyTiesOfCoordinatedClusters, its first three ties at p 1e-9 (FDR keeps
  // them), the other three at 0.005 (cluster edges only): after the filter and keep_cluster_edges, three fdr, three
  // cluster.
  std::vector<HandEdge> edges;
  for (std::uint32_t a = 0; a < 4; ++a)
    for (std::uint32_t b = a + 1; b < 4; ++b)
      edges.push_back({.a = a, .b = b, .distinct_targets = 4, .expected = 0.2, .p_value = edges.size() < 3 ? 1e-9 : 0.005});
  CoactionNetwork net;
  net.layers.push_back(hand_layer(Layer::CoShare, edges));
  SignificanceOptions s;
  s.fdr = 1e-4;
  EXPECT_EQ(filter_edges(net, s), 3u);
  const auto clusters = coordination_clusters(net, 4, s);
  ASSERT_EQ(clusters.size(), 1u);
  ASSERT_TRUE(clusters[0].coordinated);
  EXPECT_EQ(keep_cluster_edges(net, clusters, 4, s), 3u);
  const auto fdr = static_cast<std::uint8_t>(KeptBy::Fdr), cluster = static_cast<std::uint8_t>(KeptBy::Cluster);
  EXPECT_EQ(net.layers[0].kept_by, (Flags{fdr, fdr, fdr, cluster, cluster, cluster}));
  EXPECT_EQ(kept_by_name(KeptBy::Unrecorded), "unrecorded");
  // A layer built by hand with kept edges and no kept_by: unrecorded.
  CoactionNetwork hand;
  hand.layers.push_back(hand_layer(Layer::CoShare, {{.a = 0, .b = 1, .kept = true}, {.a = 1, .b = 2}}));
  EXPECT_EQ(kept_reason(hand.layers[0], 0), KeptBy::Unrecorded);
  EXPECT_EQ(kept_reason(hand.layers[0], 1), KeptBy::NotKept);
}

TEST(SignificanceClustersTest, JoinClustersAddsAnAccountTiedToTheWholeCluster) {
  // Accounts 0-4: a 5-clique of cluster edges (3 of 3 keys, expected 0.05, p 0.005). Account 5: ties to each of
  // them at p 0.3 (3 of 3 keys, expected 0.3): no cluster edge. Account 6: the same ties to 0 and 1 only.
  // First stage only: the clique. join_clusters then tests account 5 (the one candidate with min_core 3 or more
  // tested ties; 6 has 2): 5 x (3 - 1) = 10 co-actions beyond each pair's first against
  // 5 x (0.3 / (1 - 0.9^3) - 1) = 5 x 0.1070111 = 0.5350554; P(Poisson >= 10) = 3.26e-10 < member_alpha / 1.
  std::vector<HandEdge> edges;
  for (std::uint32_t a = 0; a < 5; ++a)
    for (std::uint32_t b = a + 1; b < 5; ++b)
      edges.push_back({.a = a, .b = b, .distinct_targets = 3, .expected = 0.05, .p_value = 0.005});
  for (std::uint32_t a = 0; a < 5; ++a)
    edges.push_back({.a = a, .b = 5, .distinct_targets = 3, .expected = 0.3, .p_value = 0.3});
  for (std::uint32_t a = 0; a < 2; ++a)
    edges.push_back({.a = a, .b = 6, .distinct_targets = 3, .expected = 0.3, .p_value = 0.3});
  CoactionNetwork net;
  net.layers.push_back(hand_layer(Layer::CoShare, edges));
  SignificanceOptions s;
  s.second_stage = false;
  auto clusters = coordination_clusters(net, 7, s);
  ASSERT_EQ(clusters.size(), 1u);
  ASSERT_EQ(clusters[0].members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  clusters[0].id = 7;  // ids are kept
  const auto before = clusters;
  // Without the second stage, or with the filter none, nothing is done.
  EXPECT_EQ(join_clusters(net, clusters, 7, s), 0u);
  EXPECT_EQ(clusters[0].members, before[0].members);
  s.second_stage = true;
  s.filter = EdgeFilter::None;
  EXPECT_EQ(join_clusters(net, clusters, 7, s), 0u);
  EXPECT_EQ(clusters[0].members, before[0].members);
  s.filter = EdgeFilter::Fdr;
  EXPECT_EQ(join_clusters(net, clusters, 7, s), 1u);
  const auto& c = clusters[0];
  EXPECT_EQ(c.id, 7u);
  EXPECT_EQ(c.members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(c.recovered, (std::vector<std::uint32_t>{5}));
  EXPECT_EQ(c.kept_edges, 15u);  // 10 cluster edges and 5's five tested ties
  EXPECT_DOUBLE_EQ(c.density, 1.0);
  EXPECT_DOUBLE_EQ(c.observed, 45.0);  // 15 edges x 3 keys
  EXPECT_TRUE(c.coordinated);
  // The level is member_alpha / M: at 1e-10 (below 3.26e-10) account 5 stays out.
  auto strict = before;
  s.member_alpha = 1e-10;
  EXPECT_EQ(join_clusters(net, strict, 7, s), 0u);
  EXPECT_EQ(strict[0].members, before[0].members);
  // Joining again finds no one new outside.
  s.member_alpha = 1e-3;
  EXPECT_EQ(join_clusters(net, clusters, 7, s), 0u);
}

TEST(SignificanceTailsTest, PoissonUpperTailExactValues) {
  // P(X >= k) = 1 - e^-lambda sum_{i<k} lambda^i / i!
  EXPECT_NEAR(poisson_upper_tail(1.0, 2), 1 - 2 * std::exp(-1.0), 1e-15);  // 0.26424111765711533
  EXPECT_NEAR(poisson_upper_tail(1.0, 2), 0.26424111765711533, 1e-15);
  EXPECT_NEAR(poisson_upper_tail(0.5, 3), 1 - std::exp(-0.5) * (1 + 0.5 + 0.125), 1e-15);  // 0.014387677966970713
  // k is rounded up: P(X >= 2.5) = P(X >= 3) = 1 - e^-2 (1 + 2 + 2) = 0.3233235838169366.
  EXPECT_NEAR(poisson_upper_tail(2.0, 2.5), 1 - 5 * std::exp(-2.0), 1e-15);
  EXPECT_NEAR(poisson_upper_tail(2.0, 0.2), 1 - std::exp(-2.0), 1e-15);
  // Deep tails, relative: lambda 10, k 30: 2.509951201527908e-07; lambda 0.1, k 5: e^-0.1 (0.1^5/120 + ...) =
  // 7.667801693589382e-08.
  EXPECT_NEAR(poisson_upper_tail(10.0, 30) / 2.509951201527908e-07, 1.0, 1e-9);
  EXPECT_NEAR(poisson_upper_tail(0.1, 5) / 7.667801693589382e-08, 1.0, 1e-9);
  // Edges: k <= 0 is certain, lambda 0 never reaches k > 0.
  EXPECT_EQ(poisson_upper_tail(3.0, 0), 1.0);
  EXPECT_EQ(poisson_upper_tail(3.0, -2), 1.0);
  EXPECT_EQ(poisson_upper_tail(0.0, 1), 0.0);
  EXPECT_EQ(poisson_upper_tail(0.0, 0), 1.0);
}
