// The one table of options (options.hpp): defaults agree with the structs, every option round-trips through
// set_option / get_option and through the stored parameters, ranges and errors name the option.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "cibgraph/options.hpp"

namespace cibgraph {
namespace {

TEST(Options, NamesAreUniqueAndSpelledOneWay) {
  std::set<std::string_view> names, stored;
  for (const auto& d : option_table()) {
    EXPECT_TRUE(names.insert(d.name).second) << d.name;
    if (!d.stored.empty()) {
      EXPECT_TRUE(stored.insert(d.stored).second) << d.stored;
    }
    EXPECT_EQ(d.name.find('-'), std::string_view::npos) << d.name;
    EXPECT_FALSE(d.help.empty()) << d.name;
    EXPECT_NE(d.scope, 0u) << d.name;
    EXPECT_EQ(find_option(d.flag().substr(2)), &d);
  }
  EXPECT_EQ(option_table().size(), 51u);
}

// The defaults of AnalysisOptions{} are the table's: setting every default changes nothing.
TEST(Options, StructDefaultsAreTheTables) {
  const AnalysisOptions plain;
  AnalysisOptions set_all;
  for (const auto& d : option_table()) {
    if (d.default_text.empty()) continue;
    set_option(set_all, d, d.default_text);
  }
  for (const auto& d : option_table()) {
    EXPECT_EQ(get_option(plain, d), get_option(set_all, d)) << d.name;
    if (!d.default_text.empty() && d.kind != OptionKind::Real && d.kind != OptionKind::Duration) {
      EXPECT_EQ(get_option(plain, d), d.default_text) << d.name;
    }
  }
  EXPECT_EQ(plain.coordination.significance.cluster_alpha, 1e-6);
  EXPECT_EQ(plain.report_edges_per_account, 5u);
  EXPECT_TRUE(plain.coordination.coaction.auto_layers);
}

TEST(Options, EveryOptionRoundTrips) {
  // A value other than the default for each kind.
  AnalysisOptions o;
  const std::vector<std::pair<std::string, std::string>> values{
      {"account", "user.id"}, {"action_value", "share"}, {"time_format", "unix_ms"}, {"format", "tsv"},
      {"delimiter", ";"}, {"max_field_bytes", "99"}, {"layers", "co-url,co-hashtag"}, {"window", "2m"},
      {"filter", "percentile"}, {"fdr", "0.05"}, {"min_core", "4"}, {"cluster_alpha", "1e-09"},
      {"second_stage", "off"}, {"burst_scale", "1h"}, {"weight", "tfidf"}, {"max_pairs_per_target", "5000000000"},
      {"memory_budget", "128"}, {"seed", "7"}, {"resolution", "0.75"}, {"store_all_pairs", "on"},
      {"targets", "url=url_id,hashtag=tag1,hashtag=tag2"}};
  for (const auto& [name, text] : values) {
    set_option(o, name, text);
    EXPECT_EQ(get_option(o, *find_option(name)), text) << name;
  }
  EXPECT_EQ(o.ingest.delimiter, ';');
  EXPECT_EQ(o.coordination.coaction.window_ms, 120'000);
  EXPECT_EQ(o.coordination.coaction.burst_scale_ms, 3'600'000);
  EXPECT_EQ(o.coordination.coaction.memory_budget_bytes, 128ull << 20);
  EXPECT_EQ(o.coordination.coaction.max_pairs_per_key, 5'000'000'000ull);
  EXPECT_EQ(o.coordination.significance.filter, EdgeFilter::Percentile);
  EXPECT_EQ(o.weight, EdgeWeight::TfIdf);
  EXPECT_EQ(o.stored_edges, StoredEdges::All);
  EXPECT_FALSE(o.coordination.significance.second_stage);
  ASSERT_EQ(o.coordination.coaction.layers.size(), 2u);
  EXPECT_FALSE(o.coordination.coaction.auto_layers);
}

std::string error_of(const std::string& name, const std::string& text) {
  AnalysisOptions o;
  try {
    set_option(o, name, text);
  } catch (const OptionError& e) {
    EXPECT_EQ(e.option(), name);
    return std::string(e.what()) + " | " + e.cli_message();
  }
  return "no error";
}

TEST(Options, ErrorsNameTheOptionInEachFrontEndsSpelling) {
  EXPECT_EQ(error_of("fdr", "1"), "fdr must be in (0, 1), got 1 | --fdr must be in (0, 1), got 1");
  EXPECT_EQ(error_of("min_tie_share", "-0.5"),
            "min_tie_share must be in [0, 1], got -0.5 | --min-tie-share must be in [0, 1], got -0.5");
  EXPECT_EQ(error_of("min_core", "0"), "min_core must be at least 1, got 0 | --min-core must be at least 1, got 0");
  EXPECT_EQ(error_of("min_core", "2.5"),
            "min_core needs a whole number, got '2.5' | --min-core needs a whole number, got '2.5'");
  EXPECT_EQ(error_of("min_core", "99999999999"), "min_core is too large: 99999999999 | --min-core is too large: 99999999999");
  EXPECT_EQ(error_of("cluster_alpha", "abc"),
            "cluster_alpha needs a number, got 'abc' | --cluster-alpha needs a number, got 'abc'");
  EXPECT_EQ(error_of("resolution", "nan"), "resolution must be >= 0, got nan | --resolution must be >= 0, got nan");
  EXPECT_EQ(error_of("filter", "fdrr"),
            "filter must be fdr, min-co-actions, percentile or none, got 'fdrr' | --filter must be fdr, "
            "min-co-actions, percentile or none, got 'fdrr'");
  EXPECT_EQ(error_of("second_stage", "maybe"),
            "second_stage must be on or off, got 'maybe' | --second-stage must be on or off, got 'maybe'");
  EXPECT_EQ(error_of("burst_scale", "0s"), "burst_scale must be positive, got '0s' | --burst-scale must be positive, got '0s'");
  EXPECT_EQ(error_of("sync_bin", "soon"),
            "sync_bin needs a duration such as 60s, 500ms or 2m, got 'soon' | --sync-bin needs a duration such as "
            "60s, 500ms or 2m, got 'soon'");
  EXPECT_EQ(error_of("delimiter", ";;"),
            "delimiter needs one character (or 'tab'), got ';;' | --delimiter needs one character (or 'tab'), got ';;'");
  EXPECT_NE(error_of("layers", "co-shar").find("layers is not valid: "), std::string::npos);
}

TEST(Options, CheckOptionsCatchesValuesSetInCpp) {
  AnalysisOptions o;
  o.coordination.significance.member_alpha = 0;
  try {
    check_options(o, kCoordinationScope);
    FAIL() << "no error";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.cli_message(), "--member-alpha must be in (0, 1], got 0");
  }
  AnalysisOptions fine;
  EXPECT_NO_THROW(check_options(fine, kMappingScope | kCoordinationScope | kAnalysisScope));
  fine.ingest.mapping.action = "kind";
  fine.ingest.mapping.action_value = "share";
  EXPECT_THROW(check_options(fine, kMappingScope), UsageError);
  AnalysisOptions wide;
  set_option(wide, "targets", "url=url_id");
  EXPECT_NO_THROW(check_options(wide, kMappingScope));
  wide.ingest.mapping.target = "url_id";  // targets replaces target, action and action_value
  EXPECT_THROW(check_options(wide, kMappingScope), UsageError);
  EXPECT_EQ(error_of("targets", "url"), "targets is not valid: 'url' is not ACTION=COLUMN (e.g. url=url_id,"
                                        "hashtag=hashtag_id) | --targets is not valid: 'url' is not ACTION=COLUMN "
                                        "(e.g. url=url_id,hashtag=hashtag_id)");
}

TEST(Options, ClosestNameForDidYouMean) {
  EXPECT_EQ(closest_option("windw", kCoordinationScope), "window");
  EXPECT_EQ(closest_option("min-cores", kCoordinationScope), "min_core");
  EXPECT_EQ(closest_option("seed", kCoordinationScope), "");  // seed is an analysis option
  EXPECT_EQ(closest_option("zzzzzzzz", ~0u), "");
}

TEST(Options, HelpLinesCarryRangeAndDefault) {
  EXPECT_EQ(find_option("fdr")->help_line(), "false discovery rate for filter fdr, in (0, 1) [0.01]");
  EXPECT_EQ(find_option("filter")->help_line(), "how edges are kept: fdr, min-co-actions, percentile or none [fdr]");
  EXPECT_EQ(find_option("filter")->choice_list(),
            (std::vector<std::string_view>{"fdr", "min-co-actions", "percentile", "none"}));
  EXPECT_TRUE(find_option("fdr")->choice_list().empty());
  EXPECT_EQ(find_option("min_core")->help_line(),
            "clusters: accounts must have cluster edges to K others (K-core), >= 1 [3]");
  EXPECT_EQ(find_option("store_all_pairs")->help_line(),
            "data.h5: store every co-acting pair with its p-value and evidence, not only the kept edges");
}

// What store_options writes, restore_options reads back: a stored network reopens with the options it ran with.
TEST(Options, StoredParametersRestore) {
  AnalysisOptions o;
  for (const auto& [name, text] :
       std::vector<std::pair<std::string, std::string>>{{"layers", "co-share,co-url"}, {"window", "30s"},
                                                        {"fdr", "0.05"}, {"cluster_alpha", "1e-08"},
                                                        {"min_excess", "3.5"}, {"min_cluster_size", "5"},
                                                        {"second_stage", "off"}, {"burst_scale", "20m"},
                                                        {"sync_bin", "5m"}, {"weight", "count"}, {"seed", "9"},
                                                        {"top_targets", "4"}, {"memory_budget", "64"}})
    set_option(o, name, text);
  CoactionNetwork net;
  net.window_ms = 30'000;
  net.layers.resize(2);
  net.layers[0].layer = Layer::CoShare;
  net.layers[1].layer = Layer::CoUrl;
  const std::string stored = store_options(o, kCoordinationScope | kAnalysisScope, net, "{}");
  const auto j = nlohmann::json::parse(stored);
  EXPECT_EQ(j["layers"], nlohmann::json::array({"co-share", "co-url"}));
  EXPECT_EQ(j["layers_chosen"], "given");
  EXPECT_EQ(j["window"], "30s");
  EXPECT_EQ(j["window_ms"], 30000);
  EXPECT_EQ(j["burst_scale_ms"], 1'200'000);
  EXPECT_EQ(j["sync_bin_ms"], 300'000);
  EXPECT_EQ(j["second_stage"], false);
  EXPECT_EQ(j["cluster_alpha"], 1e-8);
  EXPECT_FALSE(j.contains("memory_budget"));  // a resource, not a result's parameter

  AnalysisOptions back;
  restore_options(back, stored, net);
  for (const auto& d : option_table()) {
    if (d.stored.empty() || !(d.scope & (kCoordinationScope | kAnalysisScope))) continue;
    EXPECT_EQ(get_option(back, d), get_option(o, d)) << d.name;
  }
  // An older store without the later options keeps the defaults for them.
  AnalysisOptions old;
  restore_options(old, R"({"fdr": 0.02, "window": "60s"})", net);
  EXPECT_EQ(old.coordination.significance.fdr, 0.02);
  EXPECT_EQ(old.coordination.significance.cluster_alpha, 1e-6);
}

}  // namespace
}  // namespace cibgraph
