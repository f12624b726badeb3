// The coordination pipeline (pipeline.hpp): the stages in order, the same result as calling them one by one, stops
// at a stage boundary, option checks, and the parameters record.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cibgraph/datasets/planted_campaigns.hpp"
#include "cibgraph/pipeline.hpp"

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

TEST(PipelineTest, StopsAtAStageBoundary) {
  const EventTable ev = planted_events();
  CoordinationOptions opt;
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
  EXPECT_EQ(message([](auto& o) { o.significance.fdr = 1.0; }), "fdr must be between 0 and 1");
  EXPECT_EQ(message([](auto& o) { o.significance.member_alpha = 0; }), "member-alpha must be in (0, 1]");
  EXPECT_EQ(message([](auto& o) { o.significance.cluster_edge_p = 2; }), "cluster-edge-p must be in [0, 1]");
  EXPECT_EQ(message([](auto& o) { o.significance.min_tie_share = -1; }), "min-tie-share must be in [0, 1]");
  EXPECT_EQ(message([](auto& o) { o.significance.percentile = 1.5; }), "percentile must be in [0, 1]");
  EXPECT_EQ(message([](auto& o) { o.coaction.sync_bin_ms = 0; }), "sync-bin must be positive");
  EXPECT_EQ(message([](auto& o) { o.coaction.burst_scale_ms = 0; }), "burst-scale must be positive");
  EXPECT_EQ(message([](auto& o) { o.coaction.layers.clear(); }), "layers: give at least one layer");
}

TEST(PipelineTest, ParametersRecordNamesWhatMadeTheNetwork) {
  const EventTable ev = planted_events();
  CoordinationOptions opt;
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
