// write_analysis_outputs (report/analysis_outputs.hpp), the one writer of `cibgraph analyze`'s folder for the CLI and
// Python: every file, the run block it completes, rejects.csv from kept rows equal to the ledger ingest streams, and
// files equal to the single writers' output.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cibgraph/analysis.hpp"
#include "cibgraph/analysis_outputs.hpp"
#include "cibgraph/network_store.hpp"
#include "cibgraph/store.hpp"
#include "test_support.hpp"

namespace cibgraph {
namespace {

using test_support::read_file;
using test_support::TempDir;
using test_support::write_file;

constexpr std::int64_t kBase = 1709251200;  // 2024-03-01T00:00:00Z, in seconds

// Five accounts sharing twelve posts seconds apart, thirty organic accounts sharing eight posts each at scattered
// times, and three rows ingest rejects (one with a quote and a line break in a quoted field, to be escaped).
std::string export_csv() {
  std::string csv = "account_id,action,target,timestamp\n";
  auto row = [&](const std::string& account, int post, std::int64_t s) {
    csv += account + ",share,post" + std::to_string(post) + "," + std::to_string(kBase + post * 3600 + s) + "\n";
  };
  for (int post = 0; post < 12; ++post)
    for (int i = 1; i <= 5; ++i) row("g" + std::to_string(i), post, 60 + (post * 733) % 2800 + i);
  for (int o = 0; o < 30; ++o)
    for (int j = 0; j < 8; ++j) row("o" + std::to_string(o), (o * 7 + j * 13) % 40, 120 + (o * 37 + j * 101) % 3000);
  csv += "x,share,post1\n";                                   // wrong_column_count
  csv += "y,share,post2,yesterday\n";                         // unparseable_time
  csv += "\"z \"\"q\"\"\nline\",share,post3,not a time\n";   // unparseable_time, quoted and multi-line
  return csv;
}

TEST(AnalysisOutputsTest, WritesEveryFileAndCompletesTheRunBlock) {
  TempDir dir;
  const std::string input = write_file(dir.file("events.csv"), export_csv());
  AnalysisOptions options;
  options.ingest.rejects_path = dir.file("ledger.csv");
  options.ingest.keep_rejects = true;
  const AnalysisResult r = analyze({input}, options);
  ASSERT_EQ(r.ingest.rejects.size(), 3u);
  ASSERT_EQ(r.clusters.size(), 1u);

  ReportRunInfo run;
  run.command = {"cibgraph", "analyze", input};
  run.started = "2024-03-01T00:00:00Z";
  run.seconds = 1.5;
  run.threads = 3;
  const std::string out = dir.file("out/nested");  // created, parents too
  const AnalysisOutputs w = write_analysis_outputs(out, r, options, run, "case", RejectsOutput::FromResult);

  for (const char* name : {"accounts.csv", "clusters.csv", "edges.csv", "evidence.csv", "report.json", "report.html",
                           "data.h5", "rejects.csv"})
    EXPECT_TRUE(std::filesystem::is_regular_file(out + "/" + name)) << name;
  // rejects.csv from the kept rows has the bytes of the ledger ingest streamed.
  EXPECT_EQ(read_file(out + "/rejects.csv"), read_file(dir.file("ledger.csv")));
  // The raw record, quotes doubled once more, line break kept inside the quoted field.
  EXPECT_NE(read_file(out + "/rejects.csv").find(",\"\"\"z \"\"\"\"q\"\"\"\"\nline\"\",share,post3,not a time\"\n"),
            std::string::npos);
  // The CSV files are the single writers' output.
  write_accounts_csv(dir.file("accounts.csv"), r);
  EXPECT_EQ(read_file(out + "/accounts.csv"), read_file(dir.file("accounts.csv")));
  write_flagged_clusters_csv(dir.file("clusters.csv"), r);
  EXPECT_EQ(read_file(out + "/clusters.csv"), read_file(dir.file("clusters.csv")));

  // report.json: the returned text, without a run block, and exactly report_json's for the analysis alone.
  EXPECT_EQ(read_file(out + "/report.json"), w.report_json);
  EXPECT_EQ(w.report_json, report_json(r, options));
  const auto j = nlohmann::json::parse(w.report_json);
  EXPECT_FALSE(j.contains("run"));
  EXPECT_EQ(j["rows"]["rejected"], 3);
  EXPECT_EQ(j["summary"]["clusters"], 1);
  // The page embeds it with the run block appended: the call, the threads, the stages and outputs' times.
  const auto full = nlohmann::json::parse(w.report_with_run);
  const auto& jr = full["run"];
  EXPECT_EQ(jr["command"], (nlohmann::json{"cibgraph", "analyze", input}));
  EXPECT_EQ(jr["threads"], 3);
  EXPECT_EQ(jr["started"], "2024-03-01T00:00:00Z");
  EXPECT_GE(jr["seconds"].get<double>(), 1.5);
  ASSERT_EQ(w.stages.size(), 8u);
  EXPECT_EQ(w.stages[6].name, "csv outputs");
  EXPECT_EQ(w.stages[7].name, "data.h5");
  ASSERT_EQ(jr["stages"].size(), 8u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(jr["stages"][i]["name"], r.stages[i].name);
  auto without = full;
  without.erase("run");
  EXPECT_EQ(without, j);
  EXPECT_EQ(with_run_block("{}", ReportRunInfo{}, 7).substr(0, 7), "{\"run\":");
  EXPECT_THROW(with_run_block("[]", ReportRunInfo{}, 7), Error);

  const std::string html = read_file(out + "/report.html");
  EXPECT_NE(html.find("id=\"cibgraph-data\""), std::string::npos);
  // data.h5: the events and the network under the name given, with the report stored.
  EXPECT_EQ(read_events(out + "/data.h5").events.size(), r.ingest.events.size());
  const NetworkRecord back = read_network(out + "/data.h5", "case");
  ASSERT_EQ(back.clusters.size(), 1u);
  EXPECT_EQ(back.clusters[0].members, r.clusters[0].cluster.members);
}

TEST(AnalysisOutputsTest, LeavesRejectsToIngestByDefault) {
  TempDir dir;
  const std::string input = write_file(dir.file("events.csv"), export_csv());
  AnalysisOptions options;
  const AnalysisResult r = analyze({input}, options);
  const std::string out = dir.file("out");
  write_analysis_outputs(out, r, options, ReportRunInfo{}, "coaction");
  EXPECT_FALSE(std::filesystem::exists(out + "/rejects.csv"));
  EXPECT_TRUE(std::filesystem::is_regular_file(out + "/accounts.csv"));
}

TEST(AnalysisOutputsTest, NamesTheFolderItCannotCreate) {
  TempDir dir;
  const std::string input = write_file(dir.file("events.csv"), export_csv());
  const AnalysisResult r = analyze({input}, AnalysisOptions{});
  write_file(dir.file("a_file"), "x");
  const std::string message = test_support::thrown_message<InputError>(
      [&] { write_analysis_outputs(dir.file("a_file/out"), r, AnalysisOptions{}, ReportRunInfo{}, "coaction"); });
  EXPECT_NE(message.find("a_file/out"), std::string::npos) << message;
  EXPECT_NE(message.find("cannot create the output folder"), std::string::npos) << message;
}

}  // namespace
}  // namespace cibgraph
