#include <gtest/gtest.h>

#include "cibgraph/coaction.hpp"
#include "cibgraph/interaction.hpp"

using namespace cibgraph;

namespace {

EventTable table(const std::vector<std::tuple<std::string, std::string, std::string, std::int64_t>>& rows) {
  EventTable ev;
  for (const auto& [account, action, target, time] : rows) {
    ev.account.push_back(ev.accounts.intern(account));
    ev.action.push_back(static_cast<std::uint8_t>(ev.actions.intern(action)));
    ev.target.push_back(ev.targets.intern(target));
    ev.time.push_back(time);
    ev.text.push_back(kNoText);
  }
  return ev;
}

}  // namespace

TEST(InteractionTest, CountsAndTimeRangesPerArc) {
  const auto ev = table({{"a", "retweet", "b", 30}, {"a", "retweet", "b", 10}, {"a", "mention", "c", 5},
                         {"b", "reply", "a", 7}, {"b", "share", "a", 8}, {"c", "retweet", "ghost", 9},
                         {"c", "retweet", "c", 11}});
  const auto ig = interaction_graph(ev);
  const auto& g = ig.graph;
  ASSERT_TRUE(g.directed);
  ASSERT_EQ(g.num_vertices(), 4u);  // a, b, c and the silent "ghost"
  ASSERT_EQ(ig.extra_accounts, (std::vector<std::string>{"ghost"}));
  EXPECT_EQ(g.offsets, (std::vector<std::uint64_t>{0, 2, 3, 4, 4}));
  EXPECT_EQ(g.targets, (std::vector<std::uint32_t>{1, 2, 0, 3}));
  EXPECT_EQ(g.weights, (std::vector<float>{2, 1, 1, 1}));
  EXPECT_EQ(ig.first_time_ms, (std::vector<std::int64_t>{10, 5, 7, 9}));
  EXPECT_EQ(ig.last_time_ms, (std::vector<std::int64_t>{30, 5, 7, 9}));
  EXPECT_EQ(ig.self_loops_dropped, 1u);
  EXPECT_EQ(ig.events_used, 5u);  // the share is not an interaction
}

TEST(FusionTest, NormalisedLayerWeightsAddUp) {
  CoactionNetwork net;
  LayerEdges share, url;
  share.layer = Layer::CoShare;
  share.a = {0, 1};
  share.b = {1, 2};
  share.co_actions = {4, 2};
  share.kept = {1, 1};
  url.layer = Layer::CoUrl;
  url.a = {0};
  url.b = {1};
  url.co_actions = {10};
  url.kept = {1};
  net.layers = {share, url};
  FusionOptions opt;
  opt.weight = EdgeWeight::Count;
  opt.layer_weights = {1.0, 0.5};  // co-share 1, co-url 0.5
  const Graph g = fuse_layers(net, 3, opt);
  EXPECT_EQ(g.num_edges(), 2u);
  // 0-1: share 4/4 = 1, url 10/10 x 0.5 = 0.5; 1-2: share 2/4 = 0.5
  EXPECT_EQ(g.offsets, (std::vector<std::uint64_t>{0, 1, 3, 4}));
  EXPECT_EQ(g.weights, (std::vector<float>{1.5f, 1.5f, 0.5f, 0.5f}));
}
