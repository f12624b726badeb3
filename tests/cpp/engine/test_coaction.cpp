#include <gtest/gtest.h>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <random>
#include <tuple>

#include "cibgraph/coaction.hpp"
#include "cibgraph/significance.hpp"
#include "test_support.hpp"

using namespace cibgraph;

namespace {

// Builds a table from (account, action, target, time in ms[, text]) rows.
using Row = test_support::EventRow;

EventTable table(const std::vector<Row>& rows) { return test_support::event_table(rows); }

struct EdgeView {
  std::uint32_t co, distinct, a_led, b_led;
  std::int64_t min_delay, median_delay;
  bool operator==(const EdgeView&) const = default;
};

std::map<std::pair<std::string, std::string>, EdgeView> edges_by_name(const EventTable& ev, const LayerEdges& l) {
  std::map<std::pair<std::string, std::string>, EdgeView> out;
  for (std::size_t i = 0; i < l.size(); ++i)
    out[{std::string(ev.accounts[l.a[i]]), std::string(ev.accounts[l.b[i]])}] = {
        l.co_actions[i], l.distinct_targets[i], l.a_led[i], l.b_led[i], l.min_delay_ms[i], l.median_delay_ms[i]};
  return out;
}

CoactionOptions options(std::int64_t window) {
  CoactionOptions o;
  o.window_ms = window;
  return o;
}

// All pairs of events, no sweep: the reference the projection must equal.
std::map<std::pair<std::uint32_t, std::uint32_t>, EdgeView> brute_force(const EventTable& ev, std::int64_t w) {
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::tuple<std::uint32_t, std::int64_t>>> occ;
  for (std::size_t i = 0; i < ev.size(); ++i)
    for (std::size_t j = 0; j < ev.size(); ++j) {
      if (i == j || ev.target[i] != ev.target[j] || ev.account[i] >= ev.account[j]) continue;
      const std::int64_t d = ev.time[j] - ev.time[i];  // > 0: the smaller account id led
      if (std::abs(d) <= w) occ[{ev.account[i], ev.account[j]}].emplace_back(ev.target[i], d);
    }
  std::map<std::pair<std::uint32_t, std::uint32_t>, EdgeView> out;
  for (auto& [pair, list] : occ) {
    EdgeView e{};
    std::vector<std::int64_t> delays;
    std::vector<std::uint32_t> targets;
    for (auto [t, d] : list) {
      ++e.co;
      e.a_led += d > 0;
      e.b_led += d < 0;
      delays.push_back(std::abs(d));
      targets.push_back(t);
    }
    std::sort(targets.begin(), targets.end());
    e.distinct = static_cast<std::uint32_t>(std::unique(targets.begin(), targets.end()) - targets.begin());
    std::sort(delays.begin(), delays.end());
    e.min_delay = delays.front();
    e.median_delay = delays[(delays.size() - 1) / 2];
    out[pair] = e;
  }
  return out;
}

EventTable random_table(std::uint64_t seed, int n_events, int n_accounts, int n_targets, std::int64_t span_ms) {
  std::mt19937_64 rng(seed);
  std::vector<Row> rows;
  for (int i = 0; i < n_events; ++i)
    rows.push_back({"u" + std::to_string(rng() % n_accounts), "share", "p" + std::to_string(rng() % n_targets),
                    static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span_ms))});
  return table(rows);
}

}  // namespace

TEST(CoactionTest, WindowBoundaryIsInclusive) {
  const auto ev = table({{"a", "share", "p1", 0}, {"b", "share", "p1", 60000}, {"c", "share", "p1", 60001}});
  const auto net = coaction_projection(ev, options(60000));
  const auto e = edges_by_name(ev, net.layers[0]);
  ASSERT_EQ(e.size(), 2u);  // a-b at exactly the window, b-c at 1 ms; a-c is 1 ms too far
  EXPECT_EQ(e.at({"a", "b"}), (EdgeView{1, 1, 1, 0, 60000, 60000}));
  EXPECT_EQ(e.at({"b", "c"}), (EdgeView{1, 1, 1, 0, 1, 1}));
}

TEST(CoactionTest, EqualTimestampsHaveNoLeader) {
  const auto ev = table({{"a", "share", "p1", 5000}, {"b", "share", "p1", 5000}});
  const auto e = edges_by_name(ev, coaction_projection(ev, options(1000)).layers[0]);
  EXPECT_EQ(e.at({"a", "b"}), (EdgeView{1, 1, 0, 0, 0, 0}));
}

TEST(CoactionTest, AnAccountActingTwiceOnOneTarget) {
  // a shares p1 twice, b once between: two co-actions on one target; a never pairs with itself.
  const auto ev = table({{"a", "share", "p1", 0}, {"b", "share", "p1", 20}, {"a", "share", "p1", 30}});
  const auto net = coaction_projection(ev, options(60000));
  const auto e = edges_by_name(ev, net.layers[0]);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.at({"a", "b"}), (EdgeView{2, 1, 1, 1, 10, 10}));
  const auto& l = net.layers[0];
  EXPECT_EQ(l.evidence_offsets, (std::vector<std::uint64_t>{0, 2}));
  EXPECT_EQ(l.evidence_total[0], 2u);
  EXPECT_EQ(ev.targets[l.evidence_key[0]], "p1");
}

TEST(CoactionTest, EmptyTargetsAndOtherActionsNeverLink) {
  const auto ev = table({{"a", "share", "", 0}, {"b", "share", "", 1}, {"a", "like", "p1", 0}, {"b", "like", "p1", 1},
                         {"a", "retweet", "p2", 0}, {"b", "share", "p2", 5}});
  const auto e = edges_by_name(ev, coaction_projection(ev, options(1000)).layers[0]);
  ASSERT_EQ(e.size(), 1u);  // only p2: retweet and share both belong to co-share
  EXPECT_EQ(e.at({"a", "b"}).co, 1u);
}

TEST(CoactionTest, LayersSelectTheirEvents) {
  const auto ev = table({{"a", "url", "http://x", 0}, {"b", "url", "http://x", 10}, {"a", "hashtag", "#h", 0},
                         {"c", "hashtag", "#h", 10}, {"b", "comment", "p1", 0, "Buy NOW http://spam @bob"},
                         {"c", "reply", "p1", 50, "buy   now"}, {"a", "post", "p9", 0, "unrelated"}});
  CoactionOptions o = options(1000);
  o.layers = parse_layers("co-url,co-hashtag,co-reply,co-text");
  const auto net = coaction_projection(ev, o);
  ASSERT_EQ(net.layers.size(), 4u);
  EXPECT_EQ(edges_by_name(ev, net.layers[0]).count({"a", "b"}), 1u);  // co-url
  EXPECT_EQ(edges_by_name(ev, net.layers[1]).count({"a", "c"}), 1u);  // co-hashtag
  EXPECT_EQ(edges_by_name(ev, net.layers[2]).count({"b", "c"}), 1u);  // co-reply on p1
  EXPECT_EQ(edges_by_name(ev, net.layers[3]).count({"b", "c"}), 1u);  // co-text: same normal form
  EXPECT_EQ(net.layers[3].size(), 1u);
  EXPECT_EQ(normalise_text("  Buy NOW http://spam.example/x @bob\n now "), "buy now now");
}

TEST(CoactionTest, SyncTimeBinsActiveAccounts) {
  std::vector<Row> rows;
  for (int i = 0; i < 5; ++i) {
    rows.push_back({"a", "post", "x" + std::to_string(i), i * 600000});
    rows.push_back({"b", "like", "y" + std::to_string(i), i * 600000 + 100});
  }
  rows.push_back({"quiet", "post", "z", 0});
  auto ev = table(rows);
  CoactionOptions o = options(1000);
  o.layers = {Layer::SyncTime};
  o.sync_min_events = 5;
  const auto e = edges_by_name(ev, coaction_projection(ev, o).layers[0]);
  ASSERT_EQ(e.size(), 1u);  // "quiet" has one event, below sync_min_events
  EXPECT_EQ(e.at({"a", "b"}).distinct, 5u);
}

TEST(CoactionTest, PopularTargetCapKeepsTheTightestPairsAndReportsIt) {
  std::vector<Row> rows;
  for (int i = 0; i < 10; ++i) rows.push_back({"u" + std::to_string(i), "share", "viral", i * 100});
  rows.push_back({"u0", "share", "quiet", 0});
  rows.push_back({"u1", "share", "quiet", 0});
  const auto ev = table(rows);
  CoactionOptions o = options(1000);
  o.max_pairs_per_key = 10;
  const auto net = coaction_projection(ev, o);
  const auto& l = net.layers[0];
  ASSERT_EQ(l.capped_keys.size(), 1u);
  EXPECT_EQ(ev.targets[l.capped_keys[0].key], "viral");
  EXPECT_EQ(l.capped_keys[0].pairs_in_window, 45u);
  EXPECT_EQ(l.capped_keys[0].delay_kept_ms, 199);  // 9 pairs up to 199 ms; at 200 ms there would be 17
  EXPECT_EQ(l.capped_keys[0].pairs_kept, 9u);
  EXPECT_EQ(l.pairs_left_out, 36u);
  const auto e = edges_by_name(ev, l);
  EXPECT_EQ(e.at({"u0", "u1"}).co, 2u);  // viral (kept: 100 ms) and quiet
  EXPECT_EQ(e.count({"u0", "u2"}), 0u);  // 200 ms on the capped target: left out, and counted
}

TEST(CoactionTest, SweepEqualsBruteForceOnRandomTables) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto ev = random_table(seed, 300, 25, 12, 600000);
    const auto net = coaction_projection(ev, options(60000));
    const auto& l = net.layers[0];
    const auto ref = brute_force(ev, 60000);
    ASSERT_EQ(l.size(), ref.size()) << "seed " << seed;
    for (std::size_t i = 0; i < l.size(); ++i) {
      const EdgeView got{l.co_actions[i], l.distinct_targets[i], l.a_led[i], l.b_led[i], l.min_delay_ms[i], l.median_delay_ms[i]};
      EXPECT_EQ(got, ref.at({l.a[i], l.b[i]})) << "seed " << seed << " edge " << i;
    }
  }
}

TEST(CoactionTest, ThreadsAndSpillingDoNotChangeTheResult) {
  // Three ways to gather the records: a dense layer within the budget goes account by account (rows), a sparse one
  // is swept into one sorted array, and past the budget the sweep spills sorted runs that are merged. On a dense
  // table (popular keys capped) and a sparse one, with one and two threads, every column and the evidence ledger
  // must be the same whichever way.
  struct Case {
    EventTable ev;
    std::uint64_t cap;
    bool dense;
  };
  const Case cases[] = {{random_table(7, 20000, 400, 50, 3600000), 1000, true},
                        {random_table(8, 20000, 400, 2000, 3600000), 2'000'000, false}};
  for (const auto& c : cases) {
    auto run = [&](int threads, std::uint64_t budget) {
      omp_set_num_threads(threads);
      CoactionOptions o = options(60000);
      o.memory_budget_bytes = budget;
      o.max_pairs_per_key = c.cap;
      return coaction_projection(c.ev, o);
    };
    const auto one = run(1, 2ull << 30);
    const auto two = run(2, 2ull << 30);
    const auto spilled = run(2, 1);  // a budget of one record: every thread spills runs
    const auto spilled_one = run(1, 1);
    omp_set_num_threads(2);
    const auto& x = one.layers[0];
    EXPECT_EQ(x.by_rows, c.dense);
    EXPECT_EQ(two.layers[0].by_rows, c.dense);
    EXPECT_FALSE(spilled.layers[0].by_rows);
    EXPECT_EQ(x.spilled_runs, 0u);
    EXPECT_GT(spilled.layers[0].spilled_runs, 0u);
    EXPECT_EQ(x.capped_keys.empty(), !c.dense);
    EXPECT_GT(x.size(), 1000u);
    for (const auto* other : {&two, &spilled, &spilled_one}) {
      const auto& y = other->layers[0];
      test_support::expect_projection_columns_equal(x, y);
      EXPECT_EQ(x.scale_targets, y.scale_targets);
      EXPECT_EQ(x.null_inputs.edge_whole_floor, y.null_inputs.edge_whole_floor);
    }
  }
}

TEST(CoactionTest, TheSweepReportsProgressAndStops) {
  const auto dense = random_table(3, 20000, 400, 50, 3600000);
  const auto sparse = random_table(4, 20000, 400, 2000, 3600000);
  for (std::uint64_t budget : {2ull << 30, 1ull}) {  // in memory (rows, then the sorted array), then spilled runs
    for (const EventTable* table : {&dense, &sparse}) {
      const auto& ev = *table;
      CoactionOptions o = options(60000);
      o.memory_budget_bytes = budget;
      std::vector<std::uint64_t> done;
      std::uint64_t total = 0;
      o.progress = [&](const ProgressUpdate& u) {
        EXPECT_EQ(u.stage, "co-action sweep");
        done.push_back(u.done);
        total = u.total;
        return true;
      };
      const auto net = coaction_projection(ev, o);
      ASSERT_FALSE(done.empty()) << "budget " << budget;
      EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
      EXPECT_EQ(total, net.layers[0].events);
      EXPECT_LE(done.back(), total);
      o.progress = [](const ProgressUpdate&) { return false; };
      EXPECT_THROW(coaction_projection(ev, o), Interrupted) << "budget " << budget;
    }
  }
}

TEST(CoactionTest, WeightsIdfAndTfidf) {
  // Three accounts; p1 shared by a and b only, p2 by all three.
  const auto ev = table({{"a", "share", "p1", 0}, {"b", "share", "p1", 1}, {"a", "share", "p2", 0},
                         {"b", "share", "p2", 1}, {"c", "share", "p2", 2}});
  const auto net = coaction_projection(ev, options(1000));
  const auto& l = net.layers[0];
  ASSERT_EQ(l.size(), 3u);  // a-b, a-c, b-c
  EXPECT_DOUBLE_EQ(l.idf_weight[0], std::log(3.0 / 2.0) + std::log(3.0 / 3.0));
  EXPECT_DOUBLE_EQ(l.tfidf_cosine[0], 1.0);  // a and b have the same vector
  EXPECT_DOUBLE_EQ(l.tfidf_cosine[1], 0.0);  // c's only key has idf 0
  EXPECT_EQ(l.common_keys[0], 2u);
}

TEST(CoactionTest, WindowEstimate) {
  // Key k: 6 events at k * 10^7 + i * (k + 1) s. Second event after (k + 1) s; the event past half (rank 4 of 6,
  // index 3) after 3 (k + 1) s. The fastest 10% by second event: the 10% quantile of 1..50 s is at index 4 (5 s),
  // so keys k = 0..4, whose times to half are 3, 6, 9, 12, 15 s; their 10% quantile (index 0) is 3 s.
  std::vector<Row> rows;
  for (int k = 0; k < 50; ++k)
    for (int i = 0; i < 6; ++i)
      rows.push_back({"u" + std::to_string(i), "share", "p" + std::to_string(k), k * 10000000LL + i * (k + 1) * 1000});
  const auto est = estimate_window(table(rows), options(60000));
  EXPECT_EQ(est.keys_used, 50u);
  EXPECT_EQ(est.window_ms, 3000);
  EXPECT_NE(est.method.find("CooRnet"), std::string::npos);
  // Too few keys: the given window stays.
  EXPECT_EQ(estimate_window(table({{"a", "share", "p", 0}, {"b", "share", "p", 5}}), options(60000)).window_ms, 60000);
}

TEST(SignificanceTest, TailsAndBenjaminiHochberg) {
  EXPECT_NEAR(binomial_upper_tail(3, 0.5, 2), 0.5, 1e-12);
  EXPECT_NEAR(binomial_upper_tail(10, 0.1, 1), 1 - std::pow(0.9, 10), 1e-12);
  EXPECT_EQ(binomial_upper_tail(5, 0.3, 0), 1.0);
  EXPECT_EQ(binomial_upper_tail(5, 0.3, 6), 0.0);
  EXPECT_NEAR(poisson_upper_tail(2.0, 1), 1 - std::exp(-2.0), 1e-12);
  EXPECT_NEAR(poisson_upper_tail(2.0, 3), 1 - std::exp(-2.0) * (1 + 2 + 2), 1e-12);
  // BH at q = 0.05 over 5 p-values: thresholds 0.01, 0.02, 0.03, 0.04, 0.05; the largest passing rank is 3.
  EXPECT_EQ(benjamini_hochberg({0.001, 0.5, 0.025, 0.015, 0.045}, 0.05), (std::vector<std::uint8_t>{1, 0, 1, 1, 0}));
}

TEST(SignificanceTest, BenjaminiHochbergEqualsTheTextbookFullSort) {
  // The implementation sorts only the p-values <= q; the textbook sorts them all (stably). Ties at the boundary,
  // values above q and ones are all common in real runs.
  std::mt19937_64 rng(3);
  for (double q : {0.01, 0.05, 0.2}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<double> p(1 + rng() % 3000);
      for (auto& v : p) {
        const auto kind = rng() % 4;
        v = kind == 0 ? 1.0 : kind == 1 ? static_cast<double>(rng() % 50) / 1000.0  // ties on a coarse grid
                                        : std::uniform_real_distribution<double>(0.0, 0.3)(rng);
      }
      std::vector<std::size_t> order(p.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return p[x] < p[y]; });
      std::size_t last = 0;
      for (std::size_t r = 1; r <= p.size(); ++r)
        if (p[order[r - 1]] <= static_cast<double>(r) * q / static_cast<double>(p.size())) last = r;
      std::vector<std::uint8_t> expected(p.size(), 0);
      for (std::size_t r = 0; r < last; ++r) expected[order[r]] = 1;
      ASSERT_EQ(benjamini_hochberg(p, q), expected) << "q " << q << " trial " << trial;
    }
  }
}

TEST(SignificanceTest, TheFdrFilterIsOneBenjaminiHochbergOverEveryLayer) {
  // filter_edges gathers the candidates straight from the layers; it must keep what benjamini_hochberg keeps over
  // the layers' p-values put end to end (one correction over all layers, not one per layer), less the edges below
  // the co-action and distinct-target minimums. Three layers of different sizes (one empty), ties on a coarse grid.
  std::mt19937_64 rng(29);
  for (int trial = 0; trial < 10; ++trial) {
    CoactionNetwork net;
    std::vector<double> all;
    std::vector<std::uint8_t> eligible;
    for (const std::size_t n : {std::size_t{1 + rng() % 2000}, std::size_t{0}, std::size_t{1 + rng() % 500}}) {
      std::vector<test_support::HandEdge> edges;
      for (std::size_t i = 0; i < n; ++i) {
        const auto kind = rng() % 4;
        const double p = kind == 0   ? 1.0
                         : kind == 1 ? static_cast<double>(rng() % 50) / 10000.0
                                     : std::uniform_real_distribution<double>(0.0, 0.05)(rng);
        const auto co_actions = static_cast<std::uint32_t>(1 + rng() % 4);
        const auto distinct = static_cast<std::uint32_t>(1 + rng() % co_actions);
        const bool kept = rng() % 2 == 1;  // whatever was there before is replaced
        edges.push_back(
            {.a = 0, .b = 1, .co_actions = co_actions, .distinct_targets = distinct, .p_value = p, .kept = kept});
        all.push_back(p);
        eligible.push_back(co_actions >= 2 && distinct >= 2);
      }
      net.layers.push_back(test_support::hand_layer(Layer::CoShare, edges));
    }
    SignificanceOptions opt;
    opt.fdr = 0.01;
    opt.min_co_actions = 2;
    opt.min_distinct_targets = 2;
    const auto rejected = benjamini_hochberg(all, opt.fdr);
    const auto kept = filter_edges(net, opt);
    std::size_t pos = 0, expected_kept = 0;
    for (const auto& l : net.layers)
      for (std::size_t i = 0; i < l.size(); ++i, ++pos) {
        const std::uint8_t want = rejected[pos] && eligible[pos];
        ASSERT_EQ(l.kept[i], want) << "trial " << trial << " edge " << pos;
        expected_kept += want;
      }
    EXPECT_EQ(kept, expected_kept);
    EXPECT_GT(std::count(rejected.begin(), rejected.end(), 1), 0);
  }
}

TEST(SignificanceTest, PValuesAreCalibratedWithoutCoordination) {
  // Independent accounts, each with its own delay habit, acting on random posts: nothing is coordinated, so
  // P(p <= alpha) must not exceed alpha (the binomial test is discrete, hence conservative) and p must spread.
  std::mt19937_64 rng(11);
  std::vector<Row> rows;
  const int accounts = 300, posts = 400;
  std::vector<double> habit(accounts);
  for (auto& h : habit) h = 30000.0 + static_cast<double>(rng() % 600000);
  for (int a = 0; a < accounts; ++a)
    for (int k = 0; k < 25; ++k) {
      const int post = static_cast<int>(rng() % posts);
      const double u = (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0;
      const auto delay = static_cast<std::int64_t>(-habit[a] * std::log(u));
      rows.push_back({"u" + std::to_string(a), "share", "p" + std::to_string(post), post * 86400000LL + delay});
    }
  // Every post is published by a page at its key time.
  for (int p = 0; p < posts; ++p) rows.push_back({"page", "post", "p" + std::to_string(p), p * 86400000LL});
  auto ev = table(rows);
  CoactionOptions o = options(60000);
  auto net = coaction_projection(ev, o);
  auto& l = net.layers[0];
  apply_null_model(l, net.window_ms);
  ASSERT_GT(l.size(), 1000u);
  for (double alpha : {0.01, 0.05, 0.2, 0.5}) {
    const auto below = static_cast<double>(std::count_if(l.p_value.begin(), l.p_value.end(), [&](double p) { return p <= alpha; }));
    const double frac = below / static_cast<double>(l.size());
    EXPECT_LE(frac, alpha * 1.2 + 0.005) << alpha;
  }
  SignificanceOptions s;
  EXPECT_EQ(filter_edges(net, s), 0u);  // FDR control keeps nothing
}

TEST(SignificanceTest, NullModelReportsProgressAndStops) {
  // 120 accounts sharing 3 posts within seconds: 7,140 edges, two blocks of 4,096 for the threads to share.
  std::vector<Row> rows;
  for (int a = 0; a < 120; ++a)
    for (int p = 0; p < 3; ++p) rows.push_back({"u" + std::to_string(a), "share", "p" + std::to_string(p), p * 86400000LL + a * 100});
  auto ev = table(rows);
  auto net = coaction_projection(ev, options(60000));
  auto& l = net.layers[0];
  ASSERT_EQ(l.size(), 120u * 119u / 2u);
  std::vector<std::uint64_t> seen;
  apply_null_model(l, net.window_ms, [&](const ProgressUpdate& u) {
    EXPECT_EQ(u.stage, "edge tests");
    EXPECT_EQ(u.total, l.size());
    seen.push_back(u.done);
    return true;
  });
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_LE(seen.back(), l.size());
  const auto p_values = l.p_value;
  // Stopping at the first report throws Interrupted; a full run afterwards gives the same p-values.
  EXPECT_THROW(apply_null_model(l, net.window_ms, [](const ProgressUpdate&) { return false; }), Interrupted);
  apply_null_model(l, net.window_ms);
  EXPECT_EQ(l.p_value, p_values);
}

TEST(SignificanceTest, PlantedGroupIsOneCoordinatedCluster) {
  std::mt19937_64 rng(5);
  std::vector<Row> rows;
  // Background: 200 accounts share random posts with delays of hours.
  for (int a = 0; a < 200; ++a)
    for (int k = 0; k < 20; ++k) {
      const int post = static_cast<int>(rng() % 300);
      rows.push_back({"org" + std::to_string(a), "share", "p" + std::to_string(post),
                      post * 86400000LL + static_cast<std::int64_t>(rng() % 20000000)});
    }
  // Six accounts share eight posts within seconds of a trigger hours after publication, and keep camouflage.
  for (int k = 0; k < 8; ++k) {
    const std::int64_t trigger = (k * 37 % 300) * 86400000LL + static_cast<std::int64_t>(rng() % 40000000);
    for (int m = 0; m < 6; ++m)
      rows.push_back({"bot" + std::to_string(m), "share", "p" + std::to_string(k * 37 % 300), trigger + static_cast<std::int64_t>(rng() % 20000)});
  }
  for (int m = 0; m < 6; ++m)
    for (int k = 0; k < 10; ++k) {
      const int post = static_cast<int>(rng() % 300);
      rows.push_back({"bot" + std::to_string(m), "share", "p" + std::to_string(post), post * 86400000LL + static_cast<std::int64_t>(rng() % 20000000)});
    }
  auto ev = table(rows);
  auto net = coaction_projection(ev, options(60000));
  for (auto& l : net.layers) apply_null_model(l, net.window_ms);
  SignificanceOptions s;
  filter_edges(net, s);
  const auto clusters = coordination_clusters(net, ev.accounts.size(), s);
  ASSERT_FALSE(clusters.empty());
  const auto& c = clusters[0];
  EXPECT_TRUE(c.coordinated);
  ASSERT_EQ(c.members.size(), 6u);
  for (auto m : c.members) EXPECT_EQ(ev.accounts[m].substr(0, 3), "bot");
  EXPECT_EQ(c.density, 1.0);
  for (std::size_t i = 1; i < clusters.size(); ++i) EXPECT_FALSE(clusters[i].coordinated);
}

TEST(SignificanceTest, ClusterEdgesKeptOnlyInsideCoordinatedClusters) {
  // Layer with 5 accounts: 0-1-2-3-4 all pairs at p = 0.005 (below cluster_edge_p, not kept by FDR), and
  // an edge 5-6 at p = 0.005 that forms no 4-core.
  CoactionNetwork net;
  std::vector<test_support::HandEdge> edges;
  for (std::uint32_t a = 0; a < 5; ++a)
    for (std::uint32_t b = a + 1; b < 5; ++b)
      edges.push_back({.a = a, .b = b, .distinct_targets = 3, .expected = 0.05, .p_value = 0.005});
  edges.push_back({.a = 5, .b = 6, .distinct_targets = 3, .expected = 0.05, .p_value = 0.005});
  net.layers.push_back(test_support::hand_layer(Layer::CoShare, edges));
  SignificanceOptions s;
  auto clusters = coordination_clusters(net, 7, s);
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_EQ(clusters[0].members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(clusters[0].coordinated);  // 30 co-acted targets against 0.5 expected
  EXPECT_EQ(keep_cluster_edges(net, clusters, 7, s), 10u);
  EXPECT_EQ(net.layers[0].kept.back(), 0);  // the stray edge stays out
  // With --filter none nothing but kept edges builds clusters.
  s.filter = EdgeFilter::None;
  EXPECT_TRUE(coordination_clusters(net, 7, s).size() == 1u);
}

TEST(SignificanceTest, KeyCrowdFloorAndFinerScales) {
  // Key k: a at 0, b at 60 s, c at 20 min; key m: a at 0, b at 5 s. Window 60 s, organic scale h = 10 min.
  const auto ev = table({{"a", "share", "k", 0},
                         {"b", "share", "k", 60000},
                         {"c", "share", "k", 1200000},
                         {"a", "share", "m", 0},
                         {"b", "share", "m", 5000}});
  const auto net = coaction_projection(ev, options(60000));
  const auto& l = net.layers[0];
  const auto& ni = l.null_inputs;
  ASSERT_EQ(ni.key_floor.size(), 2u);  // groups in key order: k, m
  // k: 1 of its 3 event pairs within h, spread over h: 1/3 x 60 s / 600 s. m: its one pair, x 60 / 600.
  EXPECT_NEAR(ni.key_floor[0], 1.0 / 30, 1e-7);
  EXPECT_NEAR(ni.key_floor[1], 0.1, 1e-7);
  EXPECT_EQ(ni.key_bound_ratio[0], 1.0f);
  ASSERT_EQ(l.size(), 1u);  // a-b (c is 20 min away)
  EXPECT_EQ(l.distinct_targets[0], 2u);
  // Within 30 s, 15 s and 7.5 s: only m (5 s).
  ASSERT_EQ(l.scale_targets.size(), 3u);
  EXPECT_EQ(l.scale_targets, (std::vector<std::uint16_t>{1, 1, 1}));
}

TEST(SignificanceTest, ProjectionSumsEqualTheFullKeyWalkBitForBit) {
  // The projection leaves each pair's whole-window key floors summed (NullInputs::edge_whole_floor), its common
  // capped key when it has one (edge_capped_key) and each account's capped keys, so the null model walks at most
  // the capped-key lists; without them it walks both full key lists. Random tables with popular keys capped, both
  // ways: the same expectations and p-values, bit for bit.
  std::size_t none = 0, one = 0, several = 0;  // pairs with no common capped key, one (noted), several (walked)
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const auto ev = random_table(seed, 6000, 150, 40, 3600000);
    CoactionOptions o = options(120000);
    const bool capping = seed <= 5;  // the last table: no key capped, no capped-key lists
    // From every popular key capped (300 pairs) to a few of them (1000): pairs with several capped keys, one, none.
    const std::uint64_t caps[] = {300, 800, 900, 1000, 850};
    o.max_pairs_per_key = capping ? caps[seed - 1] : 2'000'000;
    auto net = coaction_projection(ev, o);
    auto& fast = net.layers[0];
    ASSERT_EQ(fast.capped_keys.empty(), !capping) << "seed " << seed;
    ASSERT_EQ(fast.null_inputs.edge_whole_floor.size(), fast.size());
    ASSERT_EQ(fast.null_inputs.capped_positions.empty(), !capping);
    ASSERT_EQ(fast.null_inputs.capped_offsets.empty(), !capping);
    ASSERT_EQ(fast.null_inputs.edge_capped_key.size(), capping ? fast.size() : 0u);
    if (capping) {
      for (const auto k : fast.null_inputs.edge_capped_key) {
        none += k == NullInputs::kNoCappedKey;
        several += k == NullInputs::kSeveralCappedKeys;
        one += k != NullInputs::kNoCappedKey && k != NullInputs::kSeveralCappedKeys;
      }
    }
    LayerEdges walked = fast;
    walked.null_inputs.edge_whole_floor.clear();
    walked.null_inputs.edge_capped_key.clear();
    walked.null_inputs.capped_offsets.clear();
    walked.null_inputs.capped_positions.clear();
    apply_null_model(fast, net.window_ms);
    apply_null_model(walked, net.window_ms);
    std::size_t below_one = 0;
    for (std::size_t i = 0; i < fast.size(); ++i) {
      ASSERT_EQ(std::memcmp(&fast.expected[i], &walked.expected[i], sizeof(double)), 0) << "seed " << seed << " edge " << i;
      ASSERT_EQ(std::memcmp(&fast.p_value[i], &walked.p_value[i], sizeof(double)), 0) << "seed " << seed << " edge " << i;
      below_one += fast.p_value[i] < 1;
    }
    EXPECT_GT(below_one, 0u);
  }
  EXPECT_GT(none, 1000u);
  EXPECT_GT(one, 1000u);
  EXPECT_GT(several, 1000u);
}

TEST(CoactionTest, CommonKeysAndTfIdfCosineEqualAPlainMapReference) {
  // The TF-IDF pass takes one of two ways per pair (a's keys in a slot table and a bit set, scanned by b's list; or
  // a merge with binary searches in b's list when b has over 16 times a's keys) and also sums the pair's
  // whole-window key floors and notes its capped key. Here each of those is recomputed per pair from plain maps of
  // the two accounts' key lists: common keys exactly, the cosine and the floor sum to rounding. Hyperactive
  // accounts (hundreds of keys) next to occasional ones (a few), on both sides of the pair (the first six and the
  // last six accounts), make both ways occur, and the table scanned by a short b; a cap makes capped keys.
  std::mt19937_64 rng(41);
  std::vector<Row> rows;
  for (int a = 0; a < 120; ++a) {
    const int actions = a < 6 || a >= 114 ? 400 : 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < actions; ++k)
      rows.push_back({"u" + std::to_string(a), "share", "p" + std::to_string(rng() % 500),
                      static_cast<std::int64_t>(rng() % 7200000)});
    if (a % 2 == 0)  // popular posts, shared by 60 accounts within ten minutes: capped
      rows.push_back({"u" + std::to_string(a), "share", "p" + std::to_string(rng() % 3),
                      static_cast<std::int64_t>(rng() % 600000)});
  }
  const auto ev = table(rows);
  CoactionOptions o = options(300000);
  o.max_pairs_per_key = 40;
  const auto net = coaction_projection(ev, o);
  const auto& l = net.layers[0];
  const auto& ni = l.null_inputs;
  ASSERT_FALSE(l.capped_keys.empty());
  ASSERT_EQ(ni.edge_capped_key.size(), l.size());
  const double n_layer = std::max<double>(1.0, ni.layer_accounts);
  auto keys_of = [&](std::uint32_t a) {
    std::map<std::uint32_t, double> m;
    for (auto k = ni.account_offsets[a]; k < ni.account_offsets[a + 1]; ++k) m[ni.account_keys[k]] = ni.account_key_counts[k];
    return m;
  };
  auto idf = [&](std::uint32_t k) { return std::log(n_layer / std::max<double>(1.0, ni.key_accounts[k])); };
  std::size_t b_long = 0, a_long = 0, even = 0, with_capped = 0;
  for (std::size_t i = 0; i < l.size(); ++i) {
    const auto ka = keys_of(l.a[i]), kb = keys_of(l.b[i]);
    (ka.size() * 16 < kb.size() ? b_long : kb.size() * 16 < ka.size() ? a_long : even) += 1;
    std::uint32_t common = 0, capped = 0, first_capped = NullInputs::kNoCappedKey;
    double dot = 0, na = 0, nb = 0, floor_sum = 0;
    for (const auto& [k, c] : ka) na += (c * idf(k)) * (c * idf(k));
    for (const auto& [k, c] : kb) nb += (c * idf(k)) * (c * idf(k));
    for (const auto& [k, c] : ka) {
      const auto it = kb.find(k);
      if (it == kb.end()) continue;
      ++common;
      dot += c * idf(k) * it->second * idf(k);
      if (ni.key_bound_ratio[k] >= 1.0f) {
        floor_sum += ni.key_floor[k];
      } else if (capped++ == 0) {
        first_capped = k;
      }
    }
    ASSERT_EQ(l.common_keys[i], common) << "edge " << i;
    const double cosine = na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
    ASSERT_NEAR(l.tfidf_cosine[i], cosine, 1e-12) << "edge " << i;
    ASSERT_NEAR(ni.edge_whole_floor[i], floor_sum, 1e-12) << "edge " << i;
    ASSERT_EQ(ni.edge_capped_key[i], capped <= 1 ? first_capped : NullInputs::kSeveralCappedKeys) << "edge " << i;
    with_capped += capped > 0;
  }
  EXPECT_GT(b_long, 100u);
  EXPECT_GT(a_long, 100u);
  EXPECT_GT(even, 100u);
  EXPECT_GT(with_capped, 100u);
}

TEST(SignificanceTest, ViralCrowdsAreExplainedAndACampaignIsNot) {
  // 400 organic accounts; 6 viral posts each shared by 250 of them inside a 15-minute burst (the 40 hyperactive
  // ones in every burst), everything else at delays of hours. Six bots share 8 posts within 20 s of a trigger.
  std::mt19937_64 rng(17);
  std::vector<Row> rows;
  const int posts = 300;
  for (int p = 0; p < posts; ++p) rows.push_back({"page", "post", "p" + std::to_string(p), p * 86400000LL});
  for (int a = 0; a < 400; ++a) {
    const int actions = a < 40 ? 60 : 8;
    for (int k = 0; k < actions; ++k) {
      const int post = 10 + static_cast<int>(rng() % (posts - 10));
      rows.push_back({"org" + std::to_string(a), "share", "p" + std::to_string(post),
                      post * 86400000LL + static_cast<std::int64_t>(rng() % 30000000)});
    }
  }
  for (int v = 0; v < 6; ++v) {
    const std::int64_t onset = v * 86400000LL + 1200000;
    for (int a = 0; a < 400; ++a)
      if (a < 40 || rng() % 360 < 210)
        rows.push_back({"org" + std::to_string(a), "share", "p" + std::to_string(v),
                        onset + static_cast<std::int64_t>(rng() % 900000)});
  }
  for (int k = 0; k < 8; ++k) {
    const int post = 20 + k * 31;
    const std::int64_t trigger = post * 86400000LL + static_cast<std::int64_t>(rng() % 40000000);
    for (int m = 0; m < 6; ++m)
      rows.push_back({"bot" + std::to_string(m), "share", "p" + std::to_string(post),
                      trigger + static_cast<std::int64_t>(rng() % 20000)});
  }
  const auto ev = table(rows);
  auto net = coaction_projection(ev, options(120000));
  for (auto& l : net.layers) apply_null_model(l, net.window_ms);
  SignificanceOptions s;
  filter_edges(net, s);
  const auto clusters = coordination_clusters(net, ev.accounts.size(), s);
  std::vector<std::string> flagged;
  for (const auto& c : clusters)
    if (c.coordinated)
      for (auto m : c.members) flagged.emplace_back(ev.accounts[m]);
  std::sort(flagged.begin(), flagged.end());
  EXPECT_EQ(flagged, (std::vector<std::string>{"bot0", "bot1", "bot2", "bot3", "bot4", "bot5"}));
}

TEST(SignificanceTest, ABusyAccountNeedsStrongerClusterEdges) {
  // Account 0 tested against 1..30, each pair at p = 0.05: above 1/30, so none is a cluster edge. Accounts 31 and
  // 32, tested once, at p = 0.05 (below 0.1 and 1/1): a cluster edge.
  CoactionNetwork net;
  std::vector<test_support::HandEdge> edges;
  for (std::uint32_t b = 1; b <= 30; ++b) edges.push_back({.a = 0, .b = b, .distinct_targets = 2, .p_value = 0.05});
  edges.push_back({.a = 31, .b = 32, .distinct_targets = 2, .p_value = 0.05});
  net.layers.push_back(test_support::hand_layer(Layer::CoShare, edges));
  const auto flags = cluster_edges(net, 33, SignificanceOptions{});
  EXPECT_EQ(std::count(flags[0].begin(), flags[0].end() - 1, 1), 0);
  EXPECT_EQ(flags[0].back(), 1);
}

TEST(SignificanceTest, MembershipTestDropsAnAccountTiedByChance) {
  // Bots 0-4: every pair co-acted on 6 of 6 common keys, 0.3 expected (kept). Account 5: tied to 0-3 by cluster
  // edges of 2 co-acted keys out of 10 common, 1.0 expected each: in the 4-core, but its co-actions beyond each
  // pair's first (4) are what the null expects of pairs selected for co-acting once (4 x 0.54): it leaves.
  CoactionNetwork net;
  std::vector<test_support::HandEdge> edges;
  for (std::uint32_t a = 0; a < 5; ++a)
    for (std::uint32_t b = a + 1; b < 5; ++b)
      edges.push_back(
          {.a = a, .b = b, .distinct_targets = 6, .common_keys = 6, .expected = 0.3, .p_value = 1e-6, .kept = true});
  for (std::uint32_t a = 0; a < 4; ++a)
    edges.push_back({.a = a, .b = 5, .distinct_targets = 2, .common_keys = 10, .expected = 1.0, .p_value = 0.05});
  net.layers.push_back(test_support::hand_layer(Layer::CoShare, edges));
  SignificanceOptions s;
  const auto clusters = coordination_clusters(net, 6, s);
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_EQ(clusters[0].members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(clusters[0].coordinated);
}

TEST(SignificanceTest, ClustersNeedTiesBackedByTriangles) {
  // Accounts 0-4: a 5-clique of cluster edges. Accounts 5-12: a cube (each tied to three others, no triangle), the
  // shape of a sparse web of chance ties. Same statistics on every edge: 3 co-acted targets of 3, 0.05 expected.
  CoactionNetwork net;
  std::vector<test_support::HandEdge> edges;
  auto add = [&](std::uint32_t a, std::uint32_t b) {
    edges.push_back({.a = a, .b = b, .distinct_targets = 3, .expected = 0.05, .p_value = 0.005});
  };
  for (std::uint32_t a = 0; a < 5; ++a)
    for (std::uint32_t b = a + 1; b < 5; ++b) add(a, b);
  for (std::uint32_t a = 0; a < 8; ++a)
    for (int bit = 0; bit < 3; ++bit)
      if (const std::uint32_t b = a ^ (1u << bit); a < b) add(5 + a, 5 + b);
  net.layers.push_back(test_support::hand_layer(Layer::CoShare, edges));
  SignificanceOptions s;
  auto clusters = coordination_clusters(net, 13, s);
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_EQ(clusters[0].members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  // Without the triangle rule the cube is a 3-core, and a cluster of its own.
  s.min_triangles = 0;
  clusters = coordination_clusters(net, 13, s);
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_EQ(clusters[1].members.size() + clusters[0].members.size(), 13u);
}

namespace {

// A hand-built layer: each edge (a, b, distinct co-acted targets, expected, p-value); co-actions = distinct targets,
// common keys = 3, no evidence rows.
cibgraph::CoactionNetwork hand_network(
    const std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, double, double>>& edges) {
  using namespace cibgraph;
  std::vector<test_support::HandEdge> hand;
  for (const auto& [a, b, distinct, expected, p] : edges)
    hand.push_back(
        {.a = a, .b = b, .distinct_targets = distinct, .common_keys = 3, .expected = expected, .p_value = p});
  CoactionNetwork net;
  net.layers.push_back(test_support::hand_layer(Layer::CoShare, hand));
  return net;
}

}  // namespace

TEST(SignificanceTest, SecondStageJoinsAnAccountByItsTiesToTheWholeCluster) {
  // Accounts 0-4: a 5-clique of cluster edges (3 of 3 common targets co-acted, p 0.005). Account 5 co-acts with each
  // of them on 3 of 3 targets too, but every one of its pairs has p 0.3 (it reacts fast to everything): no cluster
  // edge, yet 10 co-actions beyond each pair's first against 5 x 0.107 expected given the selection (p ~ 1e-10).
  // Account 6 has the same ties to 0 and 1 only (fewer than min_core); account 7 co-acts once with each of 0-4.
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, double, double>> edges;
  for (std::uint32_t a = 0; a < 5; ++a)
    for (std::uint32_t b = a + 1; b < 5; ++b) edges.emplace_back(a, b, 3, 0.05, 0.005);
  for (std::uint32_t a = 0; a < 5; ++a) edges.emplace_back(a, 5, 3, 0.3, 0.3);
  for (std::uint32_t a = 0; a < 2; ++a) edges.emplace_back(a, 6, 3, 0.3, 0.3);
  for (std::uint32_t a = 0; a < 5; ++a) edges.emplace_back(a, 7, 1, 0.3, 1.0);
  auto net = hand_network(edges);
  cibgraph::SignificanceOptions s;
  auto clusters = cibgraph::coordination_clusters(net, 8, s);
  ASSERT_FALSE(clusters.empty());
  EXPECT_TRUE(clusters[0].coordinated);
  EXPECT_EQ(clusters[0].members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(clusters[0].recovered, (std::vector<std::uint32_t>{5}));
  EXPECT_EQ(clusters[0].kept_edges, 15u);  // the 10 cluster edges and the 5 tested ties of account 5
  EXPECT_EQ(clusters[0].alpha, s.cluster_alpha);
  EXPECT_EQ(cibgraph::keep_cluster_edges(net, clusters, 8, s), 15u);
  // Without the second stage, the clique alone.
  auto first_only = hand_network(edges);
  s.second_stage = false;
  clusters = cibgraph::coordination_clusters(first_only, 8, s);
  EXPECT_EQ(clusters[0].members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(clusters[0].recovered.empty());
}

TEST(SignificanceTest, SecondStageJoinsInRoundsAtHalfTheLevelEachRound) {
  // Accounts 0-4: a 5-clique of cluster edges. Account 5 co-acts with each of them as in the test above and joins in
  // round 1. Accounts 6 and 7 are tied to 0, 1 and 5 (3 of 3 targets each, p 0.3): two ties to the cluster in round
  // 1 (fewer than min_core, no candidate), three in round 2, once 5 has joined.
  //   6: expected 0.3 per tie, 6 co-actions beyond each pair's first against 3 x 0.107 (Poisson tail 1.2e-6);
  //   7: expected 0.75 per tie, 6 against 3 x 0.297 (tail 3.3e-4): below member_alpha / M = 1e-3 / 2 = 5e-4, but
  //      round 2 tests at half the level (2.5e-4), and round 3 (7 alone, 1e-3 / 4) still fails it.
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, double, double>> edges;
  for (std::uint32_t a = 0; a < 5; ++a)
    for (std::uint32_t b = a + 1; b < 5; ++b) edges.emplace_back(a, b, 3, 0.05, 0.005);
  for (std::uint32_t a = 0; a < 5; ++a) edges.emplace_back(a, 5, 3, 0.3, 0.3);
  for (std::uint32_t a : {0u, 1u, 5u}) edges.emplace_back(a, 6, 3, 0.3, 0.3);
  for (std::uint32_t a : {0u, 1u, 5u}) edges.emplace_back(a, 7, 3, 0.75, 0.3);
  auto net = hand_network(edges);
  cibgraph::SignificanceOptions s;
  auto clusters = cibgraph::coordination_clusters(net, 8, s);
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_TRUE(clusters[0].coordinated);
  EXPECT_EQ(clusters[0].members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(clusters[0].recovered, (std::vector<std::uint32_t>{5, 6}));
  EXPECT_EQ(clusters[0].kept_edges, 18u);  // the 10 cluster edges, 5's five ties and 6's three
  // A level twice as high lets 7 in at round 2 (it passes 2e-3 / 2 / 2 = 5e-4).
  s.member_alpha = 2e-3;
  clusters = cibgraph::coordination_clusters(net, 8, s);
  EXPECT_EQ(clusters[0].members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(SignificanceTest, SecondStageFindsASmallGroupOfWeakTiesAndNotASparseWeb) {
  // Accounts 0-5: every pair co-acted on 3 of 3 targets at p 0.2 (no cluster edge: a small operation whose members
  // also react fast on their own). Accounts 6-25: a ring where each account has weak ties to the three next on each
  // side: every tie closes two triangles or more, but each account is tied to 6 of 19 others (below min_tie_share
  // 0.5), a sparse web.
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, double, double>> edges;
  for (std::uint32_t a = 0; a < 6; ++a)
    for (std::uint32_t b = a + 1; b < 6; ++b) edges.emplace_back(a, b, 3, 0.05, 0.2);
  for (std::uint32_t i = 0; i < 20; ++i)
    for (std::uint32_t d = 1; d <= 3; ++d) {
      const std::uint32_t a = 6 + i, b = 6 + (i + d) % 20;
      edges.emplace_back(std::min(a, b), std::max(a, b), 3, 0.05, 0.2);
    }
  std::sort(edges.begin(), edges.end());
  auto net = hand_network(edges);
  cibgraph::SignificanceOptions s;
  auto clusters = cibgraph::coordination_clusters(net, 26, s);
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_EQ(clusters[0].members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(clusters[0].recovered.size(), 6u);
  // 15 + 60 tested edges searched: the level is cluster_alpha / 75^2; 30 co-actions beyond the first against
  // 15 x conditional excess of 0.05 over 3 targets (p ~ 1e-60) passes it.
  EXPECT_DOUBLE_EQ(clusters[0].alpha, s.cluster_alpha / (75.0 * 75.0));
  EXPECT_TRUE(clusters[0].coordinated);
  // The ring alone is a web of triangles; with min_tie_share 0 it becomes a group (and the test then flags it,
  // which is what the share rule is for).
  s.min_tie_share = 0;
  clusters = cibgraph::coordination_clusters(net, 26, s);
  ASSERT_EQ(clusters.size(), 2u);
  EXPECT_EQ(clusters[0].members.size() + clusters[1].members.size(), 26u);
  EXPECT_TRUE(clusters[0].coordinated && clusters[1].coordinated);
  s.second_stage = false;
  EXPECT_TRUE(cibgraph::coordination_clusters(net, 26, s).empty());
}
