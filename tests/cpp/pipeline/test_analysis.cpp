// The investigator's pipeline (analysis.hpp, report_json.hpp): on a small hand-made export with two planted groups
// and an organic crowd, the exact clusters, one accounts row per account with its rankings, scores in [0, 1], the
// same bytes on 1 and 2 threads, report.json's structure, and the store written back.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "cibgraph/analysis.hpp"
#include "cibgraph/network_store.hpp"
#include "cibgraph/report_json.hpp"
#include "cibgraph/store.hpp"
#include "test_support.hpp"

namespace cibgraph {
namespace {

using test_support::read_file;
using test_support::TempDir;
using test_support::write_file;

constexpr std::int64_t kBase = 1709251200000;  // 2024-03-01T00:00:00Z

std::string two_digits(int i) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", i);
  return buf;
}

// Sixty posts an hour apart. Group A (a1..a5) shares posts 0-11 one second after each other, group B (b1..b4) posts
// 20-31 two seconds apart, each group at a lag after the post that differs from post to post (so no account merely
// has a habit of reacting fast); forty organic accounts share ten posts each, minutes to an hour after the post,
// spread by a fixed pattern.
std::string hand_made_csv() {
  std::string csv = "account_id,action,target,timestamp\n";
  auto row = [&](const std::string& account, int post, std::int64_t ms) {
    csv += account + ",share,post" + two_digits(post) + "," + std::to_string((kBase + post * 3'600'000LL + ms) / 1000) +
           "\n";
  };
  auto lag = [](int post) { return 1000LL * (60 + (post * 733) % 2800); };
  for (int post = 0; post < 12; ++post)
    for (int i = 1; i <= 5; ++i) row("a" + std::to_string(i), post, lag(post) + 1000LL * i);
  for (int post = 20; post < 32; ++post)
    for (int i = 1; i <= 4; ++i) row("b" + std::to_string(i), post, lag(post) + 2000LL * i);
  for (int o = 0; o < 40; ++o)
    for (int j = 0; j < 10; ++j) {
      const int post = (o * 7 + j * 13) % 60;
      row("o" + two_digits(o), post, 1000LL * (120 + (o * 37 + j * 101) % 3000));
    }
  return csv;
}

AnalysisOptions default_options() {
  AnalysisOptions o;
  o.seed = 7;
  return o;
}

std::vector<std::string> member_names(const AnalysisResult& r, const Cluster& c) {
  std::vector<std::string> names;
  for (auto m : c.members) names.emplace_back(r.ingest.events.accounts[m]);
  std::sort(names.begin(), names.end());
  return names;
}

std::uint32_t id_of(const AnalysisResult& r, const std::string& name) {
  for (std::uint32_t v = 0; v < r.ingest.events.accounts.size(); ++v)
    if (r.ingest.events.accounts[v] == name) return v;
  ADD_FAILURE() << "no account " << name;
  return 0;
}

TEST(AnalysisTest, FindsTheTwoGroupsExactlyAndRanksEveryAccount) {
  TempDir dir;
  const std::string input = write_file(dir.file("events.csv"), hand_made_csv());
  const AnalysisResult r = analyze({input}, default_options());

  EXPECT_EQ(r.ingest.provenance.rows_read, 12u * 5 + 12 * 4 + 400);
  EXPECT_EQ(r.ingest.events.accounts.size(), 5u + 4 + 40);
  ASSERT_EQ(r.clusters.size(), 2u);
  // A has more members and more co-actions: the stronger, so cluster 1.
  EXPECT_EQ(r.clusters[0].cluster.id, 1u);
  EXPECT_EQ(member_names(r, r.clusters[0].cluster), (std::vector<std::string>{"a1", "a2", "a3", "a4", "a5"}));
  EXPECT_EQ(r.clusters[1].cluster.id, 2u);
  EXPECT_EQ(member_names(r, r.clusters[1].cluster), (std::vector<std::string>{"b1", "b2", "b3", "b4"}));
  for (const auto& c : r.clusters) {
    EXPECT_FALSE(c.split);  // near-cliques stay whole
    EXPECT_TRUE(c.cluster.coordinated);
    EXPECT_DOUBLE_EQ(c.cluster.density, 1.0);
    EXPECT_GT(c.score, 0.5);
    EXPECT_LE(c.score, 1.0);
  }
  // Group A: every pair co-acted on the 12 posts, a_i one second after a_(i-1).
  EXPECT_EQ(r.clusters[0].cluster.kept_edges, 10u);
  EXPECT_DOUBLE_EQ(r.clusters[0].cluster.observed, 120.0);

  ASSERT_EQ(r.accounts.size(), r.ingest.events.accounts.size());
  double pagerank_sum = 0;
  for (std::uint32_t v = 0; v < r.accounts.size(); ++v) {
    const AccountRanking& a = r.accounts[v];
    EXPECT_EQ(a.account, v);
    EXPECT_GE(a.score, 0.0);
    EXPECT_LE(a.score, 1.0);
    pagerank_sum += a.pagerank;
    const std::string name(r.ingest.events.accounts[v]);
    const std::uint32_t want = name[0] == 'a' ? 1 : name[0] == 'b' ? 2 : 0;
    EXPECT_EQ(a.cluster, want) << name;
    if (want == 0) {
      EXPECT_LT(a.score, 0.5) << name;
    }
  }
  EXPECT_NEAR(pagerank_sum, 1.0, 1e-9);

  const AccountRanking& a1 = r.accounts[id_of(r, "a1")];
  EXPECT_EQ(a1.n_events, 12u);
  EXPECT_EQ(a1.first_seen, kBase + 61'000);                                  // post 0, lag 60 s, + 1 s
  EXPECT_EQ(a1.last_seen, kBase + 11 * 3'600'000LL + 1000LL * (60 + 8063 % 2800) + 1000);  // post 11
  EXPECT_EQ(a1.degree, 4u);
  EXPECT_EQ(a1.core, 4u);  // a1..a5 form a 5-clique of kept edges
  EXPECT_EQ(a1.kept_edges, 4u);
  EXPECT_DOUBLE_EQ(a1.betweenness, 0.0);  // inside a clique nothing passes through anyone
  // Scores follow the formula in analysis.hpp.
  const double p_edges = std::min(1.0, a1.best_edge_p * a1.kept_edges);
  EXPECT_DOUBLE_EQ(a1.score,
                   (evidence_strength(r.clusters[0].cluster.p_value) + evidence_strength(p_edges)) / 2);
  EXPECT_TRUE(r.betweenness.exact);

  const std::vector<std::string> stages{"ingest", "projection", "null model", "filter and clusters", "refinement",
                                        "rankings"};
  ASSERT_EQ(r.stages.size(), stages.size());
  for (std::size_t i = 0; i < stages.size(); ++i) EXPECT_EQ(r.stages[i].name, stages[i]);
}

// Two groups of six bridged by one account x1 that acts with both: the pipeline's truss makes them one cluster, and
// Leiden's split (modularity about 0.35, each part passing the test on its own) gives them back as two.
std::string bridged_csv() {
  std::string csv = "account_id,action,target,timestamp\n";
  auto row = [&](const std::string& account, int post, std::int64_t ms) {
    csv += account + ",share,post" + two_digits(post) + "," + std::to_string((kBase + post * 3'600'000LL + ms) / 1000) +
           "\n";
  };
  auto lag = [](int post) { return 1000LL * (60 + (post * 733) % 2800); };
  for (int post = 0; post < 12; ++post) {
    for (int i = 1; i <= 6; ++i) row("a" + std::to_string(i), post, lag(post) + 1000LL * i);
    row("x1", post, lag(post) + 7000);
  }
  for (int post = 20; post < 32; ++post) {
    for (int i = 1; i <= 6; ++i) row("b" + std::to_string(i), post, lag(post) + 1000LL * i);
    row("x1", post, lag(post) + 7000);
  }
  for (int o = 0; o < 40; ++o)
    for (int j = 0; j < 10; ++j) {
      const int post = (o * 7 + j * 13) % 60;
      row("o" + two_digits(o), post, 1000LL * (120 + (o * 37 + j * 101) % 3000));
    }
  return csv;
}

TEST(AnalysisTest, LeidenSplitsTwoGroupsJoinedByABridge) {
  TempDir dir;
  const std::string input = write_file(dir.file("events.csv"), bridged_csv());
  const AnalysisResult whole = [&] {
    AnalysisOptions o = default_options();
    o.min_split_modularity = 1.0;  // never split
    return analyze({input}, o);
  }();
  ASSERT_EQ(whole.clusters.size(), 1u);
  EXPECT_EQ(whole.clusters[0].cluster.members.size(), 13u);
  EXPECT_FALSE(whole.clusters[0].split);

  const AnalysisResult r = analyze({input}, default_options());
  ASSERT_EQ(r.clusters.size(), 2u);
  std::vector<std::vector<std::string>> parts{member_names(r, r.clusters[0].cluster),
                                              member_names(r, r.clusters[1].cluster)};
  std::sort(parts.begin(), parts.end());
  EXPECT_EQ(parts[0][0], "a1");
  EXPECT_EQ(parts[1][0], "b1");
  EXPECT_EQ(parts[0].size() + parts[1].size(), 13u);  // x1 goes with one of them
  for (const auto& c : r.clusters) {
    EXPECT_TRUE(c.split);
    EXPECT_EQ(c.detected_id, whole.clusters[0].detected_id);
    EXPECT_GE(c.split_modularity, 0.3);
    EXPECT_TRUE(c.cluster.coordinated);
    EXPECT_LT(c.cluster.p_value, c.cluster.alpha);
  }
  EXPECT_EQ(r.clusters[0].cluster.id, 1u);
  EXPECT_EQ(r.clusters[1].cluster.id, 2u);
  EXPECT_LE(r.clusters[0].cluster.p_value, r.clusters[1].cluster.p_value);
}

TEST(AnalysisTest, EvidenceStrengthIsZeroAtOneAndHalfAtOneInAHundredThousand) {
  EXPECT_DOUBLE_EQ(evidence_strength(1.0), 0.0);
  EXPECT_NEAR(evidence_strength(1e-5), 0.5, 1e-12);
  EXPECT_NEAR(evidence_strength(0.0), 300.0 / 305.0, 1e-12);
  EXPECT_LT(evidence_strength(1e-6), evidence_strength(1e-7));
}

struct Outputs {
  std::string accounts, clusters, report;
};

Outputs run_with_threads(const std::string& input, const TempDir& dir, int threads) {
  const int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
  const AnalysisResult r = analyze({input}, default_options());
  omp_set_num_threads(saved);
  const std::string tag = std::to_string(threads);
  write_accounts_csv(dir.file("accounts" + tag + ".csv"), r);
  write_flagged_clusters_csv(dir.file("clusters" + tag + ".csv"), r);
  return {read_file(dir.file("accounts" + tag + ".csv")), read_file(dir.file("clusters" + tag + ".csv")),
          report_json(r, default_options(), ReportRunInfo{})};
}

TEST(AnalysisTest, SameBytesOnOneAndTwoThreads) {
  TempDir dir;
  const std::string input = write_file(dir.file("events.csv"), hand_made_csv());
  const Outputs one = run_with_threads(input, dir, 1);
  const Outputs two = run_with_threads(input, dir, 2);
  EXPECT_EQ(one.accounts, two.accounts);
  EXPECT_EQ(one.clusters, two.clusters);
  EXPECT_EQ(one.report, two.report);
  // accounts.csv: header, then flagged accounts by cluster, then the rest; cluster empty when not flagged.
  EXPECT_EQ(one.accounts.substr(0, one.accounts.find('\n')),
            "account_id,cluster,score,pagerank,betweenness,degree,core,kept_edges,n_events,first_seen,last_seen");
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < one.accounts.size();) {
    const auto end = one.accounts.find('\n', at);
    lines.push_back(one.accounts.substr(at, end - at));
    at = end + 1;
  }
  ASSERT_EQ(lines.size(), 1u + 49);
  for (std::size_t i = 1; i <= 5; ++i) EXPECT_EQ(lines[i].substr(0, 4), "a" + std::to_string(lines[i][1] - '0') + ",1");
  for (std::size_t i = 6; i <= 9; ++i) EXPECT_EQ(lines[i][0], 'b');
  EXPECT_EQ(lines[10].substr(0, 4), lines[10].substr(0, 3) + ",");  // o.., empty cluster
  EXPECT_EQ(lines[10][4], ',');
}

TEST(AnalysisTest, ReportJsonCarriesTheSchema) {
  TempDir dir;
  const std::string input = write_file(dir.file("events.csv"), hand_made_csv());
  const AnalysisOptions options = default_options();
  const AnalysisResult r = analyze({input}, options);
  ReportRunInfo run;
  run.command = {"cibgraph", "analyze", input};
  run.threads = 2;
  run.stages = r.stages;
  const auto j = nlohmann::json::parse(report_json(r, options, run));
  EXPECT_EQ(j["schema"], "cibgraph-report/1");
  EXPECT_EQ(j["run"]["threads"], 2);
  EXPECT_EQ(j["run"]["stages"].size(), 6u);
  EXPECT_EQ(j["inputs"].size(), 1u);
  EXPECT_EQ(j["inputs"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(j["rows"]["read"], 508);
  EXPECT_EQ(j["rows"]["rejected"], 0);
  EXPECT_EQ(j["window"]["seconds"], 60.0);
  EXPECT_EQ(j["window"]["auto"], false);
  EXPECT_EQ(j["parameters"]["seed"], 7);
  EXPECT_EQ(j["parameters"]["window"], "60s");
  EXPECT_EQ(j["summary"]["clusters"], 2);
  EXPECT_EQ(j["summary"]["accounts_flagged"], 9);
  EXPECT_EQ(j["summary"]["accounts"], 49);
  ASSERT_EQ(j["clusters"].size(), 2u);
  const auto& c = j["clusters"][0];
  EXPECT_EQ(c["id"], 1);
  EXPECT_EQ(c["size"], 5);
  EXPECT_EQ(c["members"], (nlohmann::json{"a1", "a2", "a3", "a4", "a5"}));
  EXPECT_EQ(c["view"]["nodes"].size(), 5u);
  EXPECT_EQ(c["view"]["edges"].size(), 10u);
  EXPECT_EQ(c["view"]["truncated"], false);
  for (const auto& e : c["view"]["edges"]) {
    EXPECT_LT(e[0].get<int>(), e[1].get<int>());
    EXPECT_EQ(e[3], 12);  // co-actions of every pair of group A
  }
  EXPECT_NE(c["why"].get<std::string>().find("5 accounts acted together"), std::string::npos);
  EXPECT_EQ(c["top_targets"].size(), 10u);
  EXPECT_EQ(c["top_targets"][0]["actions"], 5);
  EXPECT_EQ(c["top_targets"][0]["target"], "post00");
  // Timeline: every event of the group in the cluster series; the background counts the organic shares then.
  std::uint64_t in_timeline = 0;
  for (const auto& x : c["timeline"]["cluster"]) in_timeline += x.get<std::uint64_t>();
  EXPECT_EQ(in_timeline, 60u);
  // Delays: group A's co-actions are 1 to 4 s apart, the bins [1, 2), [2, 4), [4, 8).
  const auto& d = c["delays"];
  EXPECT_EQ(d["bin_edges_s"].front(), 0.0);
  EXPECT_EQ(d["bin_edges_s"].back(), 60.0);
  EXPECT_EQ(d["observed"][0], 0.0);
  double observed = 0;
  for (const auto& x : d["observed"]) observed += x.get<double>();
  EXPECT_NEAR(observed, 120.0, 1e-3);
  // Evidence: for every account drawn in a view, its kept edges with the co-actions, its own time first.
  ASSERT_TRUE(j["evidence"].contains("a1"));
  const auto& ev = j["evidence"]["a1"];
  EXPECT_EQ(ev.size(), 4u);
  for (const auto& e : ev) {
    EXPECT_EQ(e["other"].get<std::string>()[0], 'a');
    EXPECT_EQ(e["co_actions"], 12);
    ASSERT_EQ(e["rows"].size(), 3u);
    EXPECT_GT(e["rows"][0]["delay_s"].get<double>(), 0.0);  // a1 acts first
  }
  EXPECT_EQ(j["accounts"].size(), 9u);
  EXPECT_EQ(j["accounts"][0]["cluster"], 1);
  EXPECT_EQ(j["cluster_sizes"], (nlohmann::json{{{"size", 4}, {"count", 1}}, {{"size", 5}, {"count", 1}}}));
  EXPECT_EQ(j["overview"]["nodes"].size(), 2u);
  EXPECT_EQ(j["overview"]["nodes"][0]["id"], "c1");
}

TEST(AnalysisTest, StoreHoldsTheNetworkTheFlaggedClustersAndTheAccounts) {
  TempDir dir;
  const std::string input = write_file(dir.file("events.csv"), hand_made_csv());
  const AnalysisOptions options = default_options();
  const AnalysisResult r = analyze({input}, options);
  const std::string store = dir.file("data.h5");
  write_events(store, r.ingest.events, r.ingest.provenance);
  write_analysis_store(store, "coaction", r, analysis_parameters_json(options, r), "{}");
  const NetworkRecord back = read_network(store, "coaction");
  ASSERT_EQ(back.clusters.size(), 2u);
  EXPECT_EQ(back.clusters[0].members, r.clusters[0].cluster.members);
  // The kept edges, in order, and the count of every co-acting pair (the store holds the kept edges only).
  const LayerEdges& projected = r.coordination.network.layers[0];
  std::vector<std::uint32_t> kept_a, kept_b;
  for (std::size_t i = 0; i < projected.size(); ++i)
    if (projected.kept[i] == 1) {
      kept_a.push_back(projected.a[i]);
      kept_b.push_back(projected.b[i]);
    }
  ASSERT_LT(kept_a.size(), projected.size());
  EXPECT_EQ(back.network.layers[0].a, kept_a);
  EXPECT_EQ(back.network.layers[0].b, kept_b);
  EXPECT_EQ(back.network.layers[0].co_acting_pairs(), projected.size());
  EXPECT_EQ(nlohmann::json::parse(back.parameters_json)["seed"], 7);
  EXPECT_EQ(read_events(store).events.size(), 508u);  // still sealed and whole
}

TEST(AnalysisTest, ChecksItsOptionsBeforeReadingAnything) {
  AnalysisOptions o;
  o.min_split_modularity = 2;
  EXPECT_EQ(test_support::thrown_message<UsageError>([&] { analyze({"/no/such/file.csv"}, o); }),
            "min_split_modularity must be in [0, 1], got 2");
  o = AnalysisOptions{};
  o.coordination.significance.fdr = 0;
  EXPECT_EQ(test_support::thrown_message<UsageError>([&] { analyze({"/no/such/file.csv"}, o); }),
            "fdr must be in (0, 1), got 0");
}

}  // namespace
}  // namespace cibgraph
