// ingest_columns: a table in memory (a DataFrame's columns) goes through the same validation, interning and rejects
// ledger as a file: the same events and ledger as the CSV file of the same rows, lists as one event per element,
// datetime columns read as milliseconds, the row counts checked.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cibgraph/error.hpp"
#include "cibgraph/ingest.hpp"
#include "test_support.hpp"

using namespace cibgraph;
using cibgraph::test_support::TempDir;

namespace {

constexpr std::int64_t k2024_03_01 = 1709251200000;

// A column of single values, "" meaning a missing cell.
TextColumn column(std::string name, const std::vector<std::string>& cells) {
  TextColumn c;
  c.name = std::move(name);
  for (const auto& v : cells) {
    if (!v.empty()) c.add_value(v);
    c.end_row();
  }
  return c;
}

IngestOptions keeping() {
  IngestOptions o;
  o.keep_rejects = true;
  return o;
}

}  // namespace

TEST(IngestColumnsTest, SameEventsAndLedgerAsTheCsvFile) {
  const std::vector<std::string> account = {"alice", "bob", "", "carol", "dave", "erin"};
  const std::vector<std::string> action = {"share", "SHARE ", "share", "share", "reply", "share"};
  const std::vector<std::string> target = {"p1", "p1", "p2", "", "p3", "p4"};
  const std::vector<std::string> time = {"2024-03-01T00:00:00Z", "2024-03-01T00:00:05Z", "2024-03-01T00:00:06Z",
                                         "2024-03-01T00:00:07Z", "soon", "2024-03-01T00:00:09Z"};
  TempDir dir;
  std::string csv = "account_id,action,target,timestamp\n";
  for (std::size_t i = 0; i < account.size(); ++i)
    csv += account[i] + "," + action[i] + "," + target[i] + "," + time[i] + "\n";
  const auto from_file = ingest({test_support::write_file(dir.file("e.csv"), csv)}, keeping());

  ColumnTable table;
  table.account = column("account_id", account);
  table.action = column("action", action);
  table.target = column("target", target);
  table.time = column("timestamp", time);
  const auto from_columns = ingest_columns(table, keeping());
  EXPECT_EQ(from_columns.events.account, from_file.events.account);
  EXPECT_EQ(from_columns.events.action, from_file.events.action);
  EXPECT_EQ(from_columns.events.target, from_file.events.target);
  EXPECT_EQ(from_columns.events.time, from_file.events.time);
  EXPECT_EQ(from_columns.events.accounts.size(), 3u);
  EXPECT_EQ(from_columns.reject_reasons, from_file.reject_reasons);
  ASSERT_EQ(from_columns.rejects.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(from_columns.rejects[i].file, "pandas.DataFrame");
    EXPECT_EQ(from_columns.rejects[i].line + 1, from_file.rejects[i].line);  // the file's line 1 is its header
    EXPECT_EQ(from_columns.rejects[i].field, from_file.rejects[i].field);
    EXPECT_EQ(from_columns.rejects[i].reason, from_file.rejects[i].reason);
  }
  // raw is the row's cells as a JSON object, a missing cell as null.
  EXPECT_EQ(nlohmann::json::parse(from_columns.rejects[0].raw),
            nlohmann::json::parse(R"({"account_id":null,"action":"share","target":"p2",)"
                                  R"("timestamp":"2024-03-01T00:00:06Z"})"));
  const auto& p = from_columns.provenance;
  EXPECT_EQ(p.rows_read, 6u);
  EXPECT_EQ(p.rows_accepted + p.rows_rejected, p.rows_read);
  ASSERT_EQ(p.inputs.size(), 1u);
  EXPECT_EQ(p.inputs[0].path, "pandas.DataFrame");
  EXPECT_EQ(p.inputs[0].format, "pandas");
  EXPECT_EQ(p.inputs[0].sha256.size(), 64u);
  EXPECT_EQ(nlohmann::json::parse(p.mapping_json)["files"][0]["path"], "pandas.DataFrame");
}

TEST(IngestColumnsTest, ListsNonValuesAndMilliseconds) {
  ColumnTable table;
  table.account = column("user", {"a", "b", "c"});
  table.target.name = "tags";
  table.target.add_value("x");
  table.target.add_value("y");
  table.target.end_row();  // row 1: two events
  table.target.end_not_scalar_row("{'k': 1}");  // row 2: a mapping, not a value
  table.target.add_value("z");
  table.target.end_row();
  table.time = column("at", {std::to_string(k2024_03_01), std::to_string(k2024_03_01 + 1),
                             std::to_string(k2024_03_01 + 2)});
  table.time.epoch_ms = true;  // a datetime column: milliseconds, though unix seconds would be detected from 10^12
  IngestOptions o = keeping();
  o.mapping.action_value = "share";
  o.time_format = TimeFormat::Iso8601;  // does not apply to a datetime column
  const auto r = ingest_columns(table, o);
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events.targets[r.events.target[1]], "y");
  EXPECT_EQ(r.events.account[0], r.events.account[1]);
  EXPECT_EQ(r.events.time[2], k2024_03_01 + 2);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 2u);
  EXPECT_EQ(r.rejects[0].field, "tags");
  EXPECT_EQ(r.rejects[0].reason.substr(0, 10), "not_scalar");
  EXPECT_EQ(nlohmann::json::parse(r.rejects[0].raw)["tags"], "{'k': 1}");
}

TEST(IngestColumnsTest, RowCountsMustAgree) {
  ColumnTable table;
  table.account = column("a", {"x", "y"});
  table.target = column("t", {"p"});
  table.time = column("time", {"1709251200", "1709251201"});
  IngestOptions o = keeping();
  o.mapping.action_value = "share";
  EXPECT_THROW(ingest_columns(table, o), UsageError);
}
