// The coordination pipeline (pipeline.hpp): the stages in order, the same result as calling them one by one, stops
// at a stage boundary, option checks, and the parameters record.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <omp.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cibgraph/datasets/planted_campaigns.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/pipeline.hpp"
#include "test_support.hpp"

namespace cibgraph {
namespace {

EventTable planted_events() {
  datasets::PlantedOptions o;
  o.events = 20'000;
  o.seed = 5;
  return datasets::planted_event_table(datasets::generate_planted_campaigns(o));
}

TEST(PipelineTest, RunsTheStagesInOrderAndMatchesTheStagesCalledOneByOne) {
  const EventTable ev = planted_events();
  CoordinationOptions opt;
  opt.coaction.auto_layers = false;  // co-share alone (the pipeline's default is every layer with events)
  std::vector<std::string> stages;
  opt.stages = [&](const ProgressUpdate& u) {
    EXPECT_EQ(u.total, 3u);
    EXPECT_EQ(u.unit, "stages");
    stages.emplace_back(u.stage);
    EXPECT_EQ(u.done, stages.size());
    return true;
  };
  const CoordinationResult got = detect_coordination(ev, opt);
  EXPECT_EQ(stages, (std::vector<std::string>{"projection", "null model", "filter and clusters"}));

  CoactionNetwork net = coaction_projection(ev, opt.coaction);
  for (auto& l : net.layers) apply_null_model(l, net.window_ms);
  const auto kept = filter_edges(net, opt.significance);
  const auto clusters = coordination_clusters(net, ev.accounts.size(), opt.significance);
  const auto more = keep_cluster_edges(net, clusters, ev.accounts.size(), opt.significance);
  EXPECT_EQ(got.kept_by_filter, kept);
  EXPECT_EQ(got.kept_in_clusters, more);
  ASSERT_EQ(got.network.layers.size(), 1u);
  EXPECT_EQ(got.network.layers[0].a, net.layers[0].a);
  EXPECT_EQ(got.network.layers[0].p_value, net.layers[0].p_value);
  EXPECT_EQ(got.network.layers[0].kept, net.layers[0].kept);
  ASSERT_EQ(got.clusters.size(), clusters.size());
  ASSERT_FALSE(clusters.empty());
  for (std::size_t i = 0; i < clusters.size(); ++i) EXPECT_EQ(got.clusters[i].members, clusters[i].members);
}

// The fused graph's CSV (`cibgraph project --fused`): each edge once from its lower vertex, the two account ids in
// string order and quoted as needed, the weight with 6 significant digits.
TEST(PipelineTest, FusedCsv) {
  test_support::TempDir dir;
  const EventTable ev = test_support::event_table(
      {{"z", "share", "p", 0}, {"a,b", "share", "p", 1000}, {"m", "share", "p", 2000}});
  const std::vector<std::uint32_t> src = {0, 0, 1}, dst = {1, 2, 2};
  const std::vector<float> w = {1.5f, 0.25f, 1.0f / 3.0f};
  write_fused_csv(dir.file("fused.csv"), ev, Graph::from_edges(3, src, dst, w, false));
  EXPECT_EQ(test_support::read_file(dir.file("fused.csv")),
            "account_a,account_b,weight\n\"a,b\",z,1.5\nm,z,0.25\n\"a,b\",m,0.333333\n");
  EXPECT_THROW(write_fused_csv(dir.file("no/such/folder/fused.csv"), ev, Graph::from_edges(3, src, dst, w, false)),
               InputError);
}

// The edge and evidence CSV files are formatted in blocks of rows on every thread and written in block order: the
// same bytes on 1 and 2 threads, on a network with several blocks of edges (filter none keeps every pair), one row
// per kept edge and one per kept evidence row.
TEST(PipelineTest, EdgeAndEvidenceCsvAreTheSameOnOneAndTwoThreads) {
  const EventTable ev = planted_events();
  CoordinationOptions opt;
  opt.coaction.auto_layers = false;  // co-share alone (the pipeline's default is every layer with events)
  opt.significance.filter = EdgeFilter::None;
  const CoordinationResult got = detect_coordination(ev, opt);
  const auto& l = got.network.layers.at(0);
  ASSERT_GT(l.size(), 3u * 8192u);  // several blocks
  std::uint64_t evidence_rows = 0;
  for (std::size_t i = 0; i < l.size(); ++i)
    evidence_rows += std::min<std::uint64_t>(l.evidence_offsets[i + 1] - l.evidence_offsets[i], 20);
  const auto dir = std::filesystem::temp_directory_path() / ("cibgraph-csv-blocks-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto slurp = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  std::string edges[2], evidence[2];
  const int saved = omp_get_max_threads();
  for (int t = 0; t < 2; ++t) {
    omp_set_num_threads(t + 1);
    write_edges_csv((dir / "edges.csv").string(), ev, got.network, EdgeWeight::Idf);
    write_evidence_csv((dir / "evidence.csv").string(), ev, got.network, opt.coaction.sync_bin_ms, 20);
    edges[t] = slurp(dir / "edges.csv");
    evidence[t] = slurp(dir / "evidence.csv");
  }
  omp_set_num_threads(saved);
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(edges[0] == edges[1]);
  EXPECT_TRUE(evidence[0] == evidence[1]);
  EXPECT_EQ(static_cast<std::uint64_t>(std::count(edges[1].begin(), edges[1].end(), '\n')), l.size() + 1);
  EXPECT_EQ(static_cast<std::uint64_t>(std::count(evidence[1].begin(), evidence[1].end(), '\n')), evidence_rows + 1);
}

// The CSV files' seconds are "%.3f" of ms / 1000, written from the integer's digits: the same characters, negative
// delays and sub-second values included.
TEST(PipelineTest, SecondsInTheCsvFilesEqualThePrintfFormat) {
  std::vector<std::int64_t> cases = {0, 1, -1, 999, -999, 1000, -1000, 1234, -1234, 60'000, 86'400'000,
                                     (std::int64_t{1} << 50) - 1, -(std::int64_t{1} << 50) + 1,
                                     std::int64_t{1} << 50, -(std::int64_t{1} << 52)};
  std::uint64_t state = 88172645463325252ull;
  for (int i = 0; i < 20000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    cases.push_back(static_cast<std::int64_t>(state >> (i % 40 + 10)) * (i % 3 == 0 ? -1 : 1));
  }
  for (std::int64_t ms : cases) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
    EXPECT_EQ(format_seconds(ms), std::string(buf)) << ms;
  }
}

TEST(PipelineTest, StopsAtAStageBoundary) {
  const EventTable ev = planted_events();
  CoordinationOptions opt;
  opt.coaction.auto_layers = false;  // co-share alone (the pipeline's default is every layer with events)
  std::vector<std::string> stages;
  opt.stages = [&](const ProgressUpdate& u) {
    stages.emplace_back(u.stage);
    return u.stage != "null model";
  };
  EXPECT_THROW(detect_coordination(ev, opt), Interrupted);
  EXPECT_EQ(stages, (std::vector<std::string>{"projection", "null model"}));
}

TEST(PipelineTest, ChecksOptionsBeforeAnyWork) {
  const EventTable ev = planted_events();
  auto message = [&](auto change) {
    CoordinationOptions opt;
    opt.coaction.auto_layers = false;
    change(opt);
    bool ran = false;
    opt.coaction.progress = [&](const ProgressUpdate&) { return ran = true; };
    try {
      detect_coordination(ev, opt);
    } catch (const UsageError& e) {
      EXPECT_FALSE(ran);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([](auto& o) { o.significance.fdr = 1.0; }), "fdr must be in (0, 1), got 1");
  EXPECT_EQ(message([](auto& o) { o.significance.member_alpha = 0; }), "member_alpha must be in (0, 1], got 0");
  EXPECT_EQ(message([](auto& o) { o.significance.cluster_edge_p = 2; }), "cluster_edge_p must be in [0, 1], got 2");
  EXPECT_EQ(message([](auto& o) { o.significance.min_tie_share = -1; }), "min_tie_share must be in [0, 1], got -1");
  EXPECT_EQ(message([](auto& o) { o.significance.percentile = 1.5; }), "percentile must be in [0, 1], got 1.5");
  EXPECT_EQ(message([](auto& o) { o.coaction.sync_bin_ms = 0; }), "sync_bin must be positive");
  EXPECT_EQ(message([](auto& o) { o.coaction.burst_scale_ms = 0; }), "burst_scale must be positive");
  EXPECT_EQ(message([](auto& o) { o.coaction.layers.clear(); o.coaction.auto_layers = false; }), "layers needs at least one layer");
}

TEST(PipelineTest, ParametersRecordNamesWhatMadeTheNetwork) {
  const EventTable ev = planted_events();
  CoordinationOptions opt;
  opt.coaction.auto_layers = false;  // co-share alone (the pipeline's default is every layer with events)
  opt.coaction.layers = {Layer::CoShare, Layer::CoText};
  opt.coaction.auto_window = true;
  const CoordinationResult r = detect_coordination(ev, opt);
  Provenance prov;
  prov.inputs.push_back({"events.csv", "abc123", 1, "csv", 1, 1, 0, 0});
  const auto p = nlohmann::json::parse(coordination_parameters_json(opt, r.network, "60s", "idf", prov));
  EXPECT_EQ(p["layers"], nlohmann::json({"co-share", "co-text"}));
  EXPECT_EQ(p["window"], "auto");  // the window text only counts when the window was given
  EXPECT_EQ(p["window_ms"], r.network.window_ms);
  EXPECT_EQ(p["window_method"], r.network.window_estimate.method);
  EXPECT_EQ(p["burst_scale_ms"], std::max<std::int64_t>(600'000, 4 * r.network.window_ms));
  EXPECT_EQ(p["filter"], "fdr");
  EXPECT_EQ(p["fdr"], 0.01);
  EXPECT_EQ(p["weight"], "idf");
  EXPECT_EQ(p["input_sha256"], nlohmann::json({"abc123"}));
}

}  // namespace
}  // namespace cibgraph
