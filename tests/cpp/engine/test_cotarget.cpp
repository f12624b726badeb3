// The co-targeting null (cotarget_null.cpp) and its combination with the habits null (significance.hpp), on
// hand-made tables with exact expected values; the projection's inputs to it (key_window_share, moments) on
// hand-drawn event tables; and the whole pipeline on small squads, a fan club and a viral post.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/pipeline.hpp"
#include "cibgraph/significance.hpp"
#include "test_support.hpp"

using namespace cibgraph;

namespace {

// Four accounts, three keys, counts per (account, key):
//   a0: k0 x2, k1 x1      e0 = 3
//   a1: k0 x1, k1 x1      e1 = 2
//   a2: k1 x30, k2 x1     e2 = 31
//   a3: k2 x1             e3 = 1          E = 37
// Key events m = (3, 32, 2), in-window shares s = (0.5, 0.25, 1), so v = m^2 s = (4.5, 256, 4).
LayerEdges hand_table() {
  LayerEdges l = test_support::hand_layer(Layer::CoShare,
                                          {{.a = 0, .b = 1, .distinct_targets = 2, .moments = 2},
                                           // two keys at one moment: one coincidence
                                           {.a = 0, .b = 2, .distinct_targets = 2, .moments = 1},
                                           {.a = 2, .b = 3, .distinct_targets = 1, .moments = 1}});
  NullInputs& ni = l.null_inputs;
  ni.account_offsets = {0, 2, 4, 6, 7};
  ni.account_keys = {0, 1, 0, 1, 1, 2, 2};
  ni.account_key_counts = {2, 1, 1, 1, 30, 1, 1};
  ni.key_window_share = {0.5f, 0.25f, 1.0f};
  return l;
}

TEST(CotargetNullTest, PoissonConditionalOnAtLeastOne) {
  // P(X >= x) / P(X >= 1) for X ~ Poisson(lambda): x <= 1 is certain given the selection.
  EXPECT_EQ(poisson_conditional_p(2.0, 0), 1.0);
  EXPECT_EQ(poisson_conditional_p(2.0, 1), 1.0);
  // (1 - e^-1 (1 + 1 + 1/2)) / (1 - e^-1)
  EXPECT_NEAR(poisson_conditional_p(1.0, 3), 0.12703493969601032, 1e-14);
  EXPECT_NEAR(poisson_conditional_p(0.5, 4), 0.004451738361651047, 1e-15);
  // No chance under the null, yet observed: p = 0.
  EXPECT_EQ(poisson_conditional_p(0.0, 2), 0.0);
}

TEST(CotargetNullTest, ExpectedKeysAreTheCappedPopularitySum) {
  LayerEdges l = hand_table();
  apply_cotarget_null(l);
  ASSERT_EQ(l.cotarget_expected.size(), 3u);
  // lambda_ab = sum_k min(1, e_a e_b v_k / E^2); the popular key k1 is capped at 1 for every pair here.
  //   (0,1): 1 + 6/1369 x (4.5 + 4)       (0,2): 1 + 93/1369 x 8.5       (2,3): 1 + 31/1369 x 8.5
  EXPECT_NEAR(l.cotarget_expected[0], 1.0372534696859022, 1e-14);
  EXPECT_NEAR(l.cotarget_expected[1], 1.577428780131483, 1e-14);
  EXPECT_NEAR(l.cotarget_expected[2], 1.1924762600438275, 1e-14);
  // The count tested is the moments: two keys at two moments (0,1); two keys at one moment (0,2) count once.
  EXPECT_NEAR(l.cotarget_p[0], 0.43053644036217126, 1e-14);
  EXPECT_EQ(l.cotarget_p[1], 1.0);
  EXPECT_EQ(l.cotarget_p[2], 1.0);
}

TEST(CotargetNullTest, WithoutTimingEveryPairOfAKeysEventsCounts) {
  LayerEdges l = hand_table();
  l.null_inputs.key_window_share.clear();  // a table built by hand without timing: s_k = 1, the largest mean
  apply_cotarget_null(l);
  // v = (9, 1024, 4): (0,1) scale 6/1369: 1 + 6/1369 x 13
  EXPECT_NEAR(l.cotarget_expected[0], 1.0 + 6.0 / 1369 * 13, 1e-14);
}

TEST(CotargetNullTest, NoInputsMeansNoTest) {
  LayerEdges l = hand_table();
  l.null_inputs = NullInputs{};
  apply_cotarget_null(l);
  EXPECT_EQ(l.cotarget_p, (std::vector<double>{1.0, 1.0, 1.0}));
  EXPECT_EQ(l.cotarget_expected, (std::vector<double>{0.0, 0.0, 0.0}));
}

TEST(CotargetNullTest, EdgeTestsCombineAsTwiceTheSmallerP) {
  LayerEdges l = test_support::hand_layer(Layer::CoShare,
                                          {{.a = 0, .b = 1, .p_value = -1, .sync_p = 0.01, .cotarget_p = 0.5},
                                           {.a = 0, .b = 1, .p_value = -1, .sync_p = 0.6, .cotarget_p = 0.2},
                                           {.a = 0, .b = 1, .p_value = -1, .sync_p = 0.3, .cotarget_p = 1.0},
                                           {.a = 0, .b = 1, .p_value = -1, .sync_p = 1e-300, .cotarget_p = 0.4}});
  combine_edge_tests(l);
  EXPECT_EQ(l.p_value, (std::vector<double>{0.02, 0.4, 0.6, 2e-300}));
}

TEST(CotargetNullTest, EvidenceNames) {
  EXPECT_EQ(cluster_evidence_name(Cluster::kSynchrony), "synchrony");
  EXPECT_EQ(cluster_evidence_name(Cluster::kCoTargeting), "co-targeting");
  EXPECT_EQ(cluster_evidence_name(Cluster::kSynchrony | Cluster::kCoTargeting), "synchrony+co-targeting");
  EXPECT_EQ(cluster_evidence_name(0), "");
}

// --- the projection's inputs -------------------------------------------------------------------------------------

using Row = test_support::EventRow;

EventTable table(const std::vector<Row>& rows) { return test_support::event_table(rows); }

constexpr std::int64_t kMin = 60'000;

TEST(CotargetInputsTest, KeyWindowShareIsTheShareOfItsEventPairsWithinTheWindow) {
  // k: events at 0, 30 s and 200 s: of its 3 pairs, only (0, 30 s) is within 60 s. j: 2 events 10 s apart.
  const EventTable ev = table({{"A", "share", "k", 0},
                               {"B", "share", "k", 30'000},
                               {"C", "share", "k", 200'000},
                               {"A", "share", "j", 500'000},
                               {"C", "share", "j", 510'000}});
  CoactionOptions o;
  o.window_ms = kMin;
  const CoactionNetwork net = coaction_projection(ev, o);
  const NullInputs& ni = net.layers.at(0).null_inputs;
  ASSERT_EQ(ni.key_window_share.size(), 2u);
  std::vector<float> shares = ni.key_window_share;
  std::sort(shares.begin(), shares.end());
  EXPECT_FLOAT_EQ(shares[0], 1.0f / 3);
  EXPECT_FLOAT_EQ(shares[1], 1.0f);
}

TEST(CotargetInputsTest, MomentsGroupCoActedKeysWithinTheOrganicScale) {
  // A and B co-share k1 and k2 in the same second, k3 at 20 min and k4 at 25 min (within the 10 min scale of k3),
  // k5 at 40 min: five distinct keys at three moments.
  std::vector<Row> rows;
  const std::vector<std::pair<std::string, std::int64_t>> keys = {
      {"k1", 0}, {"k2", 0}, {"k3", 20 * kMin}, {"k4", 25 * kMin}, {"k5", 40 * kMin}};
  for (const auto& [k, t] : keys) {
    rows.push_back({"A", "share", k, t});
    rows.push_back({"B", "share", k, t + 5'000});
  }
  CoactionOptions o;
  o.window_ms = kMin;
  o.burst_scale_ms = 10 * kMin;
  const CoactionNetwork net = coaction_projection(table(rows), o);
  const LayerEdges& l = net.layers.at(0);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l.distinct_targets[0], 5u);
  EXPECT_EQ(l.moments[0], 3u);
  EXPECT_EQ(cotarget_count(l, 0), 3u);
}

// --- the pipeline on squads, a fan club and a viral post --------------------------------------------------------

// An organic background: `n` accounts each sharing 1-4 of 2,000 posts, picked by a heavy-tailed popularity, at
// log-normal delays (median 2 h, sigma 1.5) after each post's birth, over 10 days.
void organic(std::vector<Row>& rows, std::mt19937_64& rng, int n, const std::string& prefix = "o") {
  std::uniform_real_distribution<double> u(0, 1);
  std::lognormal_distribution<double> delay(std::log(7'200'000.0), 1.5);
  const int posts = 2000;
  std::vector<std::int64_t> birth(posts);
  for (auto& b : birth) b = static_cast<std::int64_t>(u(rng) * 10 * 86'400'000.0);
  for (int a = 0; a < n; ++a) {
    const int k = 1 + static_cast<int>(u(rng) * 4);
    for (int i = 0; i < k; ++i) {
      const int p = static_cast<int>(std::pow(u(rng), 2.5) * posts);  // popular posts first
      rows.push_back({prefix + std::to_string(a), "share", "post" + std::to_string(p),
                      birth[p] + static_cast<std::int64_t>(delay(rng))});
    }
  }
}

// A squad: `size` accounts share each of `posts` posts (2 h apart, from day 1) within `burst_ms` of its birth.
void squad(std::vector<Row>& rows, std::mt19937_64& rng, int size, int posts, std::int64_t burst_ms,
           double reliability = 1.0) {
  std::uniform_real_distribution<double> u(0, 1);
  for (int p = 0; p < posts; ++p) {
    const std::int64_t birth = 86'400'000 + p * 7'200'000LL;
    for (int m = 0; m < size; ++m)
      if (u(rng) < reliability)
        rows.push_back({"sq" + std::to_string(m), "share", "sqpost" + std::to_string(p),
                        birth + 1'000 + static_cast<std::int64_t>(u(rng) * static_cast<double>(burst_ms - 1'000))});
  }
}

std::set<std::string> flagged(const EventTable& ev) {
  const CoordinationResult r = detect_coordination(ev, CoordinationOptions{});
  std::set<std::string> out;
  for (const Cluster& c : r.clusters)
    if (c.coordinated)
      for (auto m : c.members) out.insert(std::string(ev.accounts[m]));
  return out;
}

std::size_t count_prefix(const std::set<std::string>& s, const std::string& prefix) {
  std::size_t n = 0;
  for (const auto& a : s) n += a.rfind(prefix, 0) == 0;
  return n;
}

struct SquadCase {
  const char* name;
  int size, posts;
  std::int64_t burst_ms;
  double reliability;
  int followers;   // organic accounts sharing each squad post hours later
  int camouflage;  // organic shares per squad member
};

class SquadTest : public ::testing::TestWithParam<SquadCase> {};

TEST_P(SquadTest, EveryMemberIsFlaggedAndNoOrganicAccount) {
  const SquadCase c = GetParam();
  std::mt19937_64 rng(7);
  std::vector<Row> rows;
  organic(rows, rng, 3000);
  squad(rows, rng, c.size, c.posts, c.burst_ms, c.reliability);
  std::uniform_real_distribution<double> u(0, 1);
  for (int p = 0; p < c.posts; ++p)
    for (int f = 0; f < c.followers; ++f)
      rows.push_back({"follower" + std::to_string(p * 100 + f), "share", "sqpost" + std::to_string(p),
                      86'400'000 + p * 7'200'000LL + 600'000 + static_cast<std::int64_t>(u(rng) * 3 * 3'600'000.0)});
  for (int m = 0; m < c.size; ++m)
    for (int i = 0; i < c.camouflage; ++i)
      rows.push_back({"sq" + std::to_string(m), "share", "post" + std::to_string(static_cast<int>(u(rng) * 2000)),
                      static_cast<std::int64_t>(u(rng) * 10 * 86'400'000.0)});
  const auto got = flagged(table(rows));
  EXPECT_EQ(count_prefix(got, "sq"), static_cast<std::size_t>(c.size)) << c.name;
  EXPECT_EQ(got.size(), count_prefix(got, "sq")) << c.name << ": organic accounts flagged";
}

INSTANTIATE_TEST_SUITE_P(
    Variants, SquadTest,
    ::testing::Values(SquadCase{"30 on 25 posts within 20 s", 30, 25, 20'000, 1.0, 0, 0},
                      SquadCase{"with camouflage", 30, 25, 20'000, 1.0, 0, 25},
                      SquadCase{"with 20 organic sharers per post", 30, 25, 20'000, 1.0, 20, 0},
                      SquadCase{"burst over 100 s", 30, 25, 100'000, 1.0, 0, 0},
                      SquadCase{"10 on 10 posts", 10, 10, 20'000, 1.0, 0, 0},
                      SquadCase{"8 on 12 posts, reliability 0.9", 8, 12, 20'000, 0.9, 5, 3}),
    [](const auto& param) { return "v" + std::to_string(param.index); });

TEST(SquadTest, AViralPostIsNotCoordination) {
  // 2,000 organic accounts share one post within about an hour of its onset, amid the background.
  std::mt19937_64 rng(11);
  std::vector<Row> rows;
  organic(rows, rng, 3000);
  std::lognormal_distribution<double> delay(std::log(720'000.0), 0.6);
  for (int i = 0; i < 2000; ++i)
    rows.push_back({"viral" + std::to_string(i), "share", "viralpost", 3 * 86'400'000LL + static_cast<std::int64_t>(delay(rng))});
  const auto got = flagged(table(rows));
  EXPECT_TRUE(got.empty()) << got.size() << " accounts flagged";
}

TEST(SquadTest, ASparseFanClubAtMinutesIsNotFlaggedBySynchrony) {
  // 40 fans each share a page's 30 posts with probability 0.2, minutes after each post (member medians 3-8 min,
  // log-normal sigma 0.8). What they share together is their page (co-targeting beyond popularity may flag a dense
  // club: docs/method.md, "Fan clubs"); what they do not do is act together in time beyond their own habits.
  std::mt19937_64 rng(13);
  std::vector<Row> rows;
  organic(rows, rng, 3000);
  std::uniform_real_distribution<double> u(0, 1);
  for (int m = 0; m < 40; ++m) {
    std::lognormal_distribution<double> delay(std::log((3 + 5 * u(rng)) * 60'000.0), 0.8);
    for (int p = 0; p < 30; ++p)
      if (u(rng) < 0.2)
        rows.push_back({"fan" + std::to_string(m), "share", "fanpost" + std::to_string(p),
                        86'400'000 + p * 8 * 3'600'000LL + static_cast<std::int64_t>(delay(rng))});
  }
  const EventTable ev = table(rows);
  const CoordinationResult r = detect_coordination(ev, CoordinationOptions{});
  for (const Cluster& c : r.clusters)
    if (c.coordinated) {
      EXPECT_EQ(c.evidence & Cluster::kSynchrony, 0) << "a fan club synchronised beyond habits";
    }
}

}  // namespace
