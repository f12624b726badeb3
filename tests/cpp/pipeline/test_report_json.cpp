// report.json (report_json.hpp) on a tiny analysis whose coordinated group has hostile account names (a quote, a
// backslash, a tab, a comma, HTML and non-ASCII): exact values of the input, row, window and summary fields, the
// fields every cluster carries (evidence, sync_p, cotarget_p, why), strings escaped as JSON and nothing more, the
// report without a run block, and with_run_block. (The full schema on a larger analysis is in test_analysis.cpp.)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cibgraph/analysis.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/format.hpp"
#include "cibgraph/report_json.hpp"
#include "cibgraph/sha256.hpp"
#include "cibgraph/version.hpp"
#include "test_support.hpp"

namespace {

using namespace cibgraph;
namespace ts = cibgraph::test_support;

constexpr std::int64_t kBase = 1709251200000;  // 2024-03-01T00:00:00Z

// The group's names as they are, and as a CSV field.
const std::vector<std::string> kNames = {"q\"uote", "back\\slash", "tab\tname", "comma,name", "\xC3\xA9mile<b>"};
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Sixty posts an hour apart. The group (5 accounts) shares posts 0-11 one second after each other, at a lag after
// the post that differs from post to post; forty organic accounts share ten posts each, minutes to an hour after the
// post (the pattern of test_analysis.cpp without its second group). Two rows with two columns are rejected.
// Rows: 5 x 12 + 40 x 10 = 460 good, 462 read.
std::string tiny_csv() {
  std::string csv = "account_id,action,target,timestamp\n";
  auto row = [&](const std::string& account, int post, std::int64_t ms) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", post);
    csv += csv_field(account) + ",share,post" + buf + "," + std::to_string((kBase + post * 3'600'000LL + ms) / 1000) +
           "\n";
  };
  auto lag = [](int post) { return 1000LL * (60 + (post * 733) % 2800); };
  for (int post = 0; post < 12; ++post)
    for (int i = 0; i < 5; ++i) row(kNames[static_cast<std::size_t>(i)], post, lag(post) + 1000LL * (i + 1));
  csv += "short,row\n";
  for (int o = 0; o < 40; ++o)
    for (int j = 0; j < 10; ++j) {
      char name[8];
      std::snprintf(name, sizeof name, "o%02d", o);
      row(name, (o * 7 + j * 13) % 60, 1000LL * (120 + (o * 37 + j * 101) % 3000));
    }
  csv += "another,short\n";
  return csv;
}

AnalysisOptions options() {
  AnalysisOptions o;
  o.seed = 11;
  return o;
}

struct Fixture {
  ts::TempDir dir;
  std::string csv = tiny_csv();
  std::string input = ts::write_file(dir.file("events.csv"), csv);
  AnalysisResult result = analyze({input}, options());
};

}  // namespace

TEST(ReportJsonTest, TopLevelFieldsHaveTheirExactValues) {
  Fixture f;
  const std::string text = report_json(f.result, options());
  const auto j = nlohmann::ordered_json::parse(text);
  // Members in the schema's order, no run block.
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"schema", "version", "inputs", "rows", "parameters", "window", "summary",
                                            "clusters", "cluster_sizes", "accounts", "evidence", "overview"}));
  EXPECT_EQ(j["schema"], "cibgraph-report/1");
  EXPECT_EQ(j["version"], std::string(kVersion));
  ASSERT_EQ(j["inputs"].size(), 1u);
  const auto& in = j["inputs"][0];
  EXPECT_EQ(in["path"], f.input);
  EXPECT_EQ(in["sha256"], sha256_hex(f.csv));  // the digest of the bytes written
  EXPECT_EQ(in["bytes"], f.csv.size());
  EXPECT_EQ(in["rows_read"], 462);
  EXPECT_EQ(in["rows_accepted"], 460);
  EXPECT_EQ(in["rows_rejected"], 2);
  EXPECT_EQ(j["rows"]["read"], 462);
  EXPECT_EQ(j["rows"]["accepted"], 460);
  EXPECT_EQ(j["rows"]["rejected"], 2);
  EXPECT_EQ(j["rows"]["top_reject_reasons"], nlohmann::ordered_json::parse(R"([{"reason":"wrong_column_count","count":2}])"));
  EXPECT_EQ(j["window"], nlohmann::ordered_json::parse(R"({"seconds":60.0,"auto":false,"estimate":null})"));
  EXPECT_EQ(j["parameters"]["seed"], 11);
  const auto& s = j["summary"];
  EXPECT_EQ(s["events"], 460);
  EXPECT_EQ(s["accounts"], 45);  // 5 + 40
  EXPECT_EQ(s["clusters"], 1);
  EXPECT_EQ(s["accounts_flagged"], 5);
  EXPECT_EQ(s["layers"], nlohmann::ordered_json::parse(R"(["co-share"])"));
  EXPECT_EQ(j["cluster_sizes"], nlohmann::ordered_json::parse(R"([{"size":5,"count":1}])"));
  EXPECT_EQ(j["accounts"].size(), 5u);
  // The same analysis, the same bytes.
  EXPECT_EQ(report_json(f.result, options()), text);
}

TEST(ReportJsonTest, EveryClusterCarriesItsEvidenceAndTests) {
  Fixture f;
  const auto j = nlohmann::json::parse(report_json(f.result, options()));
  ASSERT_EQ(j["clusters"].size(), f.result.clusters.size());
  ASSERT_EQ(j["clusters"].size(), 1u);
  const std::set<std::string> known{"synchrony", "co-targeting", "synchrony+co-targeting"};
  for (std::size_t i = 0; i < j["clusters"].size(); ++i) {
    const auto& c = j["clusters"][i];
    const Cluster& cl = f.result.clusters[i].cluster;
    EXPECT_EQ(c["id"], i + 1);
    EXPECT_EQ(c["rank"], i + 1);
    ASSERT_TRUE(c["evidence"].is_string());
    EXPECT_TRUE(known.count(c["evidence"].get<std::string>())) << c["evidence"];
    EXPECT_EQ(c["evidence"], cluster_evidence_name(cl.evidence));
    ASSERT_TRUE(c["sync_p"].is_number());
    ASSERT_TRUE(c["cotarget_p"].is_number());
    ASSERT_TRUE(c["p_value"].is_number());
    // A cluster's figures are written in full (the page formats them as the why text does), observed as the whole
    // number it is.
    EXPECT_EQ(c["sync_p"].get<double>(), cl.sync_p);
    EXPECT_EQ(c["cotarget_p"].get<double>(), cl.cotarget_p);
    EXPECT_EQ(c["p_value"].get<double>(), cl.p_value);
    EXPECT_EQ(c["expected"].get<double>(), cl.expected);
    EXPECT_EQ(c["density"].get<double>(), cl.density);
    ASSERT_TRUE(c["observed"].is_number_integer());
    EXPECT_EQ(c["observed"].get<double>(), cl.observed);
    // p = min(1, 2 min(sync_p, cotarget_p)).
    EXPECT_EQ(c["p_value"].get<double>(), std::min(1.0, 2 * std::min(cl.sync_p, cl.cotarget_p)));
    EXPECT_LT(c["p_value"].get<double>(), c["alpha"].get<double>());  // flagged: it passed its test
    ASSERT_TRUE(c["why"].is_string());
    const auto why = c["why"].get<std::string>();
    EXPECT_NE(why.find("5 accounts acted together on 12 targets"), std::string::npos) << why;
    EXPECT_EQ(c["size"], 5);
    EXPECT_EQ(c["targets"], 12);  // posts 0-11
    EXPECT_EQ(c["kept_edges"], cl.kept_edges);
  }
  // The members are the hostile names, exactly (decoded).
  const auto members = j["clusters"][0]["members"].get<std::vector<std::string>>();
  EXPECT_EQ(std::set<std::string>(members.begin(), members.end()), std::set<std::string>(kNames.begin(), kNames.end()));
}

// One number, one spelling: the why text spells the cluster's numbers as format.hpp does (and the page's cards, with
// the same rules in format.js, format the same doubles), never as %g ("2.5e+06", "0.638138") or a bare "p 0".
TEST(ReportJsonTest, WhyTextSpellsNumbersAsTheCardsDo) {
  Fixture f;
  const auto j = nlohmann::json::parse(report_json(f.result, options()));
  const auto& c = j["clusters"][0];
  const Cluster& cl = f.result.clusters[0].cluster;
  const std::string why = c["why"].get<std::string>();
  EXPECT_NE(why.find(" " + format_count(c["observed"].get<double>()) + " times, "), std::string::npos) << why;
  EXPECT_NE(why.find("expects " + format_ratio(c["expected"].get<double>())), std::string::npos) << why;
  EXPECT_NE(why.find(format_ratio(c["observed"].get<double>() / c["expected"].get<double>()) + " times as many"),
            std::string::npos) << why;
  EXPECT_NE(why.find("Both tests together: " + p_phrase(c["p_value"].get<double>())), std::string::npos) << why;
  EXPECT_NE(why.find("(density " + format_ratio(c["density"].get<double>()) + ")"), std::string::npos) << why;
  EXPECT_NE(why.find("the test level is 1e-6"), std::string::npos) << why;
  EXPECT_EQ(why.find("e+"), std::string::npos) << why;
  EXPECT_EQ(why.find("e-0"), std::string::npos) << why;
  EXPECT_EQ(c["observed"].get<double>(), cl.observed);
}

// Why each kept link is kept, in the summary (counts per reason, adding up to the kept links) and on every link of
// the evidence; what evidence.csv holds; no suggestion when a cluster was found.
TEST(ReportJsonTest, KeptByEvidenceCsvAndSuggestions) {
  Fixture f;
  const auto j = nlohmann::json::parse(report_json(f.result, options()));
  const auto& s = j["summary"];
  std::uint64_t by = 0;
  for (const auto& [name, n] : s["edges_kept_by"].items()) {
    EXPECT_TRUE(name == "fdr" || name == "cluster") << name;
    by += n.get<std::uint64_t>();
  }
  EXPECT_EQ(by, s["edges_kept"].get<std::uint64_t>());
  EXPECT_GT(by, 0u);
  EXPECT_EQ(s["evidence_csv"]["edges_kept"], s["edges_kept"]);
  EXPECT_EQ(s["evidence_csv"]["edges_per_account"], 20);
  EXPECT_EQ(s["evidence_csv"]["rows_per_edge"], 20);
  EXPECT_LE(s["evidence_csv"]["edges"].get<std::uint64_t>(), s["edges_kept"].get<std::uint64_t>());
  std::size_t links = 0;
  for (const auto& [account, pairs] : j["evidence"].items())
    for (const auto& p : pairs) {
      ++links;
      const std::string kept_by = p["kept_by"].get<std::string>();
      EXPECT_TRUE(kept_by == "fdr" || kept_by == "cluster") << kept_by;
      EXPECT_TRUE(p["in_evidence_csv"].get<bool>());  // the report lists 5 per account, evidence.csv 20
    }
  EXPECT_GT(links, 0u);
  EXPECT_EQ(s["suggestions"], nlohmann::json::array());
  EXPECT_TRUE(empty_result_suggestions(f.result, options()).empty());
}

// Nothing found: the report says what to try, from what the data holds (here: the co-share events the run did not
// compare, a wider window).
TEST(ReportJsonTest, AnEmptyResultSuggestsWhatToTry) {
  Fixture f;
  AnalysisOptions o = options();
  o.coordination.coaction.auto_layers = false;
  o.coordination.coaction.layers = {Layer::CoText};
  o.coordination.coaction.window_ms = 1000;
  o.window_text = "1s";
  const AnalysisResult empty = analyze({f.input}, o);
  ASSERT_TRUE(empty.clusters.empty());
  const auto suggestions = empty_result_suggestions(empty, o);
  ASSERT_EQ(suggestions.size(), 2u);
  EXPECT_NE(suggestions[0].find("The data also has events for co-share"), std::string::npos) << suggestions[0];
  EXPECT_NE(suggestions[0].find("--layers auto"), std::string::npos) << suggestions[0];
  // co-text over events without text compared nothing: no window advice (it would be false), the warnings say why.
  EXPECT_NE(suggestions[1].find("The 1 layer compared (co-text) read no event"), std::string::npos) << suggestions[1];
  EXPECT_EQ(suggestions[1].find("--window"), std::string::npos) << suggestions[1];
  const auto j = nlohmann::json::parse(report_json(empty, o));
  EXPECT_EQ(j["summary"]["suggestions"].get<std::vector<std::string>>(), suggestions);

  // co-share at a 1 ms window reads events but pairs none: a wider window is the advice, and --window auto only
  // when its estimate is wider than the window run.
  o.coordination.coaction.layers = {Layer::CoShare};
  o.coordination.coaction.window_ms = 1;
  o.window_text = "1ms";
  const AnalysisResult narrow = analyze({f.input}, o);
  ASSERT_TRUE(narrow.clusters.empty());
  const auto tips = empty_result_suggestions(narrow, o);
  ASSERT_FALSE(tips.empty());
  EXPECT_NE(tips.back().find("within 0.001 s of each other"), std::string::npos) << tips.back();
  EXPECT_NE(tips.back().find("--window 1m"), std::string::npos) << tips.back();
  const auto python = empty_result_suggestions(narrow, o, OptionSpelling::Python);
  EXPECT_NE(python.back().find("window='1m'"), std::string::npos) << python.back();
  EXPECT_EQ(python.back().find("--"), std::string::npos) << python.back();
}

TEST(ReportJsonTest, StringsAreEscapedAsJsonAndNothingMore) {
  Fixture f;
  const std::string text = report_json(f.result, options());
  // Compact JSON: no raw line break or tab anywhere (the tab in a name is written \t).
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_EQ(text.find('\t'), std::string::npos);
  // q"uote -> "q\"uote"; back\slash -> "back\\slash"; tab<TAB>name -> "tab\tname".
  EXPECT_NE(text.find(R"("q\"uote")"), std::string::npos);
  EXPECT_NE(text.find(R"("back\\slash")"), std::string::npos);
  EXPECT_NE(text.find(R"("tab\tname")"), std::string::npos);
  EXPECT_NE(text.find(R"("comma,name")"), std::string::npos);
  // Non-ASCII stays UTF-8 and HTML stays as it is (escaping for a page is the HTML writer's job).
  EXPECT_NE(text.find("\"\xC3\xA9mile<b>\""), std::string::npos);
  EXPECT_EQ(text.find("\\u00e9"), std::string::npos);
  EXPECT_EQ(text.find("\\u003c"), std::string::npos);
  // And the names come back intact through a parser, in accounts and evidence too.
  const auto j = nlohmann::json::parse(text);
  std::set<std::string> accounts;
  for (const auto& a : j["accounts"]) accounts.insert(a["id"].get<std::string>());
  EXPECT_EQ(accounts, std::set<std::string>(kNames.begin(), kNames.end()));
  EXPECT_TRUE(j["evidence"].contains("q\"uote"));
  EXPECT_TRUE(j["evidence"].contains("tab\tname"));
}

TEST(ReportJsonTest, RunBlockInlineOrAppended) {
  Fixture f;
  ReportRunInfo run;
  run.command = {"cibgraph", "analyze", "a \"quoted\" arg"};
  run.started = "2026-01-02T03:04:05Z";
  run.seconds = 1.25;
  run.threads = 3;
  run.stages = {{"ingest", 0.5}, {"project", 0.75}};
  const std::string bare = report_json(f.result, options());
  const std::string with = report_json(f.result, options(), run);
  const auto j = nlohmann::ordered_json::parse(with);
  ASSERT_TRUE(j.contains("run"));
  EXPECT_FALSE(nlohmann::ordered_json::parse(bare).contains("run"));
  EXPECT_EQ(j["run"], nlohmann::ordered_json::parse(
                          R"({"command":["cibgraph","analyze","a \"quoted\" arg"],"started":"2026-01-02T03:04:05Z",)"
                          R"("seconds":1.25,"threads":3,"seed":11,"stages":[{"name":"ingest","seconds":0.5},)"
                          R"({"name":"project","seconds":0.75}]})"));
  // Appended to the bare report: "run" last, otherwise the same document.
  const std::string appended = with_run_block(bare, run, 11);
  EXPECT_EQ(appended.substr(0, bare.size() - 1), bare.substr(0, bare.size() - 1));
  const auto a = nlohmann::ordered_json::parse(appended);
  EXPECT_EQ(a.items().begin().key(), "schema");
  EXPECT_EQ(std::prev(a.end()).key(), "run");
  EXPECT_EQ(nlohmann::json::parse(appended), nlohmann::json::parse(with));  // unordered comparison
  // On an empty object, and refused on what is not an object.
  EXPECT_EQ(nlohmann::json::parse(with_run_block("{}", ReportRunInfo{}, 4))["run"]["seed"], 4);
  EXPECT_EQ(with_run_block("{}", ReportRunInfo{}, 4).substr(0, 8), "{\"run\":{");
  EXPECT_THROW(with_run_block("[1]", run, 1), Error);
  EXPECT_THROW(with_run_block("", run, 1), Error);
}
