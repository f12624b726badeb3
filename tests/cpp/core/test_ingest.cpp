#include <gtest/gtest.h>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cibgraph/error.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/sha256.hpp"
#include "test_support.hpp"

using namespace cibgraph;
using cibgraph::test_support::TempDir;

namespace {

constexpr std::int64_t k2024_03_01 = 1709251200000;

IngestResult run(const std::vector<std::string>& paths, IngestOptions o = {}) {
  o.keep_rejects = true;
  return ingest(paths, o);
}

std::map<std::uint64_t, std::string> reasons_by_line(const IngestResult& r) {
  std::map<std::uint64_t, std::string> out;
  for (const auto& j : r.rejects) out[j.line] = j.reason.substr(0, j.reason.find(':'));
  return out;
}

}  // namespace

TEST(IngestTest, GoodCsvBecomesEvents) {
  TempDir dir;
  auto path = test_support::write_file(dir.file("e.csv"),
                                  "account_id,action,target,timestamp,text\n"
                                  "alice,share,p1,2024-03-01T00:00:00Z,\n"
                                  "bob,SHARE ,p1,2024-03-01T00:00:05Z,\"hi, there\"\n"
                                  "alice,comment,p2,2024-03-01T00:01:00Z,hi\n");
  auto r = run({path});
  const auto& ev = r.events;
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev.accounts.size(), 2u);
  EXPECT_EQ(ev.accounts[ev.account[1]], "bob");
  EXPECT_EQ(ev.actions.size(), 2u);  // actions are trimmed and lower-cased: share, comment
  EXPECT_EQ(ev.action[0], ev.action[1]);
  EXPECT_EQ(ev.targets[ev.target[2]], "p2");
  EXPECT_EQ(ev.time[1], k2024_03_01 + 5000);
  EXPECT_EQ(ev.text[0], kNoText);
  EXPECT_EQ(ev.texts[ev.text[1]], "hi, there");
  EXPECT_FALSE(ev.has_target_time());
  EXPECT_NO_THROW(ev.validate());
  const auto& p = r.provenance;
  EXPECT_EQ(p.rows_read, 3u);
  EXPECT_EQ(p.rows_accepted, 3u);
  EXPECT_EQ(p.rows_rejected, 0u);
  ASSERT_EQ(p.inputs.size(), 1u);
  EXPECT_EQ(p.inputs[0].sha256, sha256_file(path));
  EXPECT_EQ(p.inputs[0].size_bytes, test_support::read_file(path).size());
  auto mapping = nlohmann::json::parse(p.mapping_json);
  EXPECT_EQ(mapping["account"], "account_id");
  EXPECT_EQ(mapping["files"][0]["time_format_used"], "iso8601");
}

TEST(IngestTest, MixedGoodAndBadRowsReconcile) {
  TempDir dir;
  std::string body =
      "account_id,action,target,timestamp\n"        // 1
      "a1,share,p1,1709251200\n"                     // 2 ok
      "a2,share,p1,not-a-time\n"                     // 3 unparseable_time
      "a3,share,,1709251201\n"                       // 4 missing_field (target)
      ",share,p1,1709251202\n"                       // 5 missing_field (account)
      "a5,share,p1\n"                                // 6 wrong_column_count
      "a6,share,p1,1709251203,extra\n"               // 7 wrong_column_count
      "a\xff\xfe,share,p1,1709251204\n"              // 8 invalid_utf8
      "\n"                                           // 9 blank: not a row
      "a8,share,\"p\"x,1709251205\n"                 // 10 malformed_quotes
      "a9,share,p2,1709251206\n"                     // 11 ok
      "a10,share,p2,\n"                              // 12 missing_field (time)
      "a11,,p2,1709251207\n"                         // 13 missing_field (action)
      "a12,share,p3,\"1709251208\"\n";               // 14 ok (quoted number)
  auto path = test_support::write_file(dir.file("mixed.csv"), body);
  IngestOptions o;
  o.rejects_path = dir.file("rejects.csv");
  auto r = run({path}, o);
  const auto& p = r.provenance;
  EXPECT_EQ(p.rows_read, 12u);
  EXPECT_EQ(p.rows_accepted, 3u);
  EXPECT_EQ(p.rows_rejected, 9u);
  EXPECT_EQ(p.rows_read, p.rows_accepted + p.rows_rejected);
  EXPECT_EQ(p.inputs[0].blank_lines, 1u);
  EXPECT_EQ(r.events.size(), 3u);
  auto lines = reasons_by_line(r);
  EXPECT_EQ(lines[3], "unparseable_time");
  EXPECT_EQ(lines[4], "missing_field");
  EXPECT_EQ(lines[5], "missing_field");
  EXPECT_EQ(lines[6], "wrong_column_count");
  EXPECT_EQ(lines[7], "wrong_column_count");
  EXPECT_EQ(lines[8], "invalid_utf8");
  EXPECT_EQ(lines[10], "malformed_quotes");
  EXPECT_EQ(lines[12], "missing_field");
  EXPECT_EQ(lines[13], "missing_field");
  EXPECT_EQ(r.reject_reasons.at("missing_field"), 4u);
  EXPECT_EQ(r.reject_reasons.at("wrong_column_count"), 2u);
  // The field is named where there is one.
  for (const auto& j : r.rejects) {
    if (j.line == 3) {
      EXPECT_EQ(j.field, "timestamp");
    }
  }
  // The ledger on disk holds the same rows with their raw bytes.
  std::string ledger = test_support::read_file(o.rejects_path);
  EXPECT_EQ(ledger.substr(0, ledger.find('\n')), kRejectsHeader);
  EXPECT_EQ(std::count(ledger.begin(), ledger.end(), '\n'), 10);
  EXPECT_NE(ledger.find(",3,timestamp,unparseable_time: 'not-a-time' as unix_s"), std::string::npos);
  EXPECT_NE(ledger.find("a\xff\xfe,share,p1,1709251204"), std::string::npos);  // raw bytes kept as they were
  EXPECT_NE(ledger.find("\"a8,share,\"\"p\"\"x,1709251205\""), std::string::npos);
}

TEST(IngestTest, OversizedFieldIsRejectedNotTruncated) {
  TempDir dir;
  std::string big(300, 'x');
  auto path = test_support::write_file(dir.file("o.csv"), "account_id,action,target,timestamp\n" + big +
                                                         ",share,p1,1709251200\nb,share,p1,1709251200\n");
  IngestOptions o;
  o.max_field_bytes = 100;
  auto r = run({path}, o);
  EXPECT_EQ(r.events.size(), 1u);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].field, "account_id");
  EXPECT_EQ(r.rejects[0].reason.substr(0, 15), "oversized_field");
  EXPECT_EQ(r.rejects[0].raw, big + ",share,p1,1709251200");
}

TEST(IngestTest, ColumnMappingActionValueAndTargetTime) {
  TempDir dir;
  auto path = test_support::write_file(dir.file("m.csv"),
                                  "user,url,created_at,published\n"
                                  "u1,http://x,1709251200123,2024-03-01T00:00:00Z\n"
                                  "u2,http://x,1709251201000,\n");
  IngestOptions o;
  o.mapping.account = "user";
  o.mapping.target = "url";
  o.mapping.time = "created_at";
  o.mapping.target_time = "published";
  o.mapping.action_value = "share";
  auto r = run({path}, o);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events.time[0], k2024_03_01 + 123);  // detected as milliseconds
  ASSERT_TRUE(r.events.has_target_time());
  EXPECT_EQ(r.events.target_time[0], k2024_03_01);
  EXPECT_EQ(r.events.target_time[1], kNoTime);  // empty optional field: no time, not zero
  EXPECT_EQ(r.events.actions[r.events.action[1]], "share");
}

TEST(IngestTest, ForcedTimeFormatRejectsOthers) {
  TempDir dir;
  auto path = test_support::write_file(dir.file("f.csv"),
                                  "account_id,action,target,timestamp\na,share,p,1709251200\nb,share,p,2024-03-01\n");
  IngestOptions o;
  o.time_format = TimeFormat::UnixSeconds;
  auto r = run({path}, o);
  EXPECT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.reject_reasons.at("unparseable_time"), 1u);
}

TEST(IngestTest, StoppingErrorsNameTheFile) {
  TempDir dir;
  auto expect_error = [](const std::vector<std::string>& paths, IngestOptions o, const std::string& needle) {
    try {
      ingest(paths, o);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    } catch (const Error& e) {
      ADD_FAILURE() << "wrong error type: " << e.what();
    }
  };
  expect_error({dir.file("missing.csv")}, {}, "missing.csv: no such file");
  expect_error({test_support::write_file(dir.file("empty.csv"), "")}, {}, "empty.csv: empty file: no header row");
  IngestOptions o;
  o.mapping.account = "user_name";
  expect_error({test_support::write_file(dir.file("h.csv"), "account_id,action,target,timestamp\n")}, o,
               "no column 'user_name' for the account; for instance account='account_id' (the header has: "
               "account_id, action, target, timestamp)");
  expect_error({test_support::write_file(dir.file("noaction.csv"), "account_id,target,timestamp\n")}, {},
               "action_value='share'");
}

TEST(IngestTest, GzipCsvAndMultipleFiles) {
  TempDir dir;
  std::string body = "account_id,action,target,timestamp\n";
  for (int i = 0; i < 1000; ++i) body += "a" + std::to_string(i % 10) + ",share,p" + std::to_string(i % 7) + ",1709251200\n";
  auto gz = test_support::write_gzip(dir.file("e.csv.gz"), body);
  auto plain = test_support::write_file(dir.file("f.csv"), "account_id,action,target,timestamp\nz,like,p0,1709251200\n");
  auto r = run({gz, plain});
  EXPECT_EQ(r.events.size(), 1001u);
  EXPECT_EQ(r.events.accounts.size(), 11u);
  ASSERT_EQ(r.provenance.inputs.size(), 2u);
  EXPECT_EQ(r.provenance.inputs[0].rows_read, 1000u);
  EXPECT_EQ(r.provenance.inputs[1].rows_read, 1u);
  EXPECT_EQ(r.provenance.rows_read, 1001u);
  EXPECT_EQ(r.provenance.inputs[0].sha256, sha256_file(gz));  // of the bytes on disk
}

TEST(IngestTest, JsonlNestedFieldsArraysAndBadLines) {
  TempDir dir;
  std::string body =
      "{\"user\":{\"id\":\"u1\"},\"type\":\"retweet\",\"post\":{\"id\":42},\"ts\":1709251200,\"body\":\"x\"}\n"  // 1 ok
      "{\"user\":{\"id\":\"u2\"},\"type\":\"retweet\",\"post\":{\"id\":42},\"ts\":\"2024-03-01T00:00:09Z\"}\n"  // 2 unparseable (file detected unix_s)
      "not json\n"                                                                                              // 3 invalid_json
      "[1,2]\n"                                                                                                 // 4 invalid_json (not object)
      "\n"                                                                                                      // 5 blank
      "{\"user\":{\"id\":\"u3\"},\"type\":\"hashtag\",\"post\":{\"id\":[\"#a\",\"#b\"]},\"ts\":1709251300}\n"    // 6 ok, 2 events
      "{\"user\":{\"id\":\"u4\"},\"type\":\"retweet\",\"ts\":1709251300}\n"                                     // 7 missing target
      "{\"user\":{\"id\":{\"x\":1}},\"type\":\"retweet\",\"post\":{\"id\":1},\"ts\":1709251300}\n"               // 8 not_scalar
      "{\"user\":{\"id\":null},\"type\":\"retweet\",\"post\":{\"id\":1},\"ts\":1709251300}\n"                   // 9 missing account
      "{\"user\":{\"id\":\"u\\u00e9\"},\"type\":\"retweet\",\"post\":{\"id\":7},\"ts\":1709251300}\r\n"         // 10 ok, CRLF
      "{\"user\":{\"id\":\"u\xff\"},\"type\":\"retweet\",\"post\":{\"id\":7},\"ts\":1709251300}\n";             // 11 invalid_utf8
  auto path = test_support::write_file(dir.file("e.jsonl"), body);
  IngestOptions o;
  o.mapping.account = "user.id";
  o.mapping.action = "type";
  o.mapping.target = "post.id";
  o.mapping.time = "ts";
  o.mapping.text = "body";
  auto r = run({path}, o);
  const auto& p = r.provenance;
  EXPECT_EQ(p.rows_read, 10u);
  EXPECT_EQ(p.inputs[0].blank_lines, 1u);
  EXPECT_EQ(p.rows_accepted, 3u);
  EXPECT_EQ(p.rows_rejected, 7u);
  EXPECT_EQ(r.events.size(), 4u);  // the hashtag array gave two events
  EXPECT_EQ(r.events.targets[r.events.target[0]], "42");
  EXPECT_EQ(r.events.texts[r.events.text[0]], "x");
  EXPECT_EQ(r.events.targets[r.events.target[1]], "#a");
  EXPECT_EQ(r.events.targets[r.events.target[2]], "#b");
  EXPECT_EQ(r.events.accounts[r.events.account[3]], "u\xc3\xa9");
  auto lines = reasons_by_line(r);
  EXPECT_EQ(lines[2], "unparseable_time");
  EXPECT_EQ(lines[3], "invalid_json");
  EXPECT_EQ(lines[4], "invalid_json");
  EXPECT_EQ(lines[7], "missing_field");
  EXPECT_EQ(lines[8], "not_scalar");
  EXPECT_EQ(lines[9], "missing_field");
  EXPECT_EQ(lines[11], "invalid_utf8");
}

TEST(IngestTest, JsonlOversizedLineIsBounded) {
  TempDir dir;
  std::string huge = "{\"a\":\"" + std::string(100000, 'z') + "\"}\n";
  auto path = test_support::write_file(dir.file("big.jsonl"),
                                  huge + "{\"account_id\":\"u\",\"action\":\"share\",\"target\":\"t\",\"timestamp\":1709251200}\n");
  IngestOptions o;
  o.max_record_bytes = 1000;
  auto r = run({path}, o);
  EXPECT_EQ(r.provenance.rows_read, 2u);
  EXPECT_EQ(r.events.size(), 1u);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 1u);
  EXPECT_EQ(r.rejects[0].reason.substr(0, 16), "oversized_record");
}

TEST(IngestTest, TooManyActionsAreRejectedNotWrapped) {
  TempDir dir;
  std::string body = "account_id,action,target,timestamp\n";
  for (int i = 0; i < 300; ++i) body += "a,act" + std::to_string(i) + ",p,1709251200\n";
  auto r = run({test_support::write_file(dir.file("acts.csv"), body)});
  EXPECT_EQ(r.events.actions.size(), 255u);
  EXPECT_EQ(r.events.size(), 255u);
  EXPECT_EQ(r.reject_reasons.at("too_many_actions"), 45u);
}

TEST(IngestTest, ProgressCanInterrupt) {
  TempDir dir;
  std::string body = "account_id,action,target,timestamp\n";
  for (int i = 0; i < 200000; ++i) body += "a,share,p,1709251200\n";
  IngestOptions o;
  int calls = 0;
  o.progress = [&](const ProgressUpdate& u) {
    ++calls;
    EXPECT_EQ(u.stage, "ingest");
    return false;
  };
  EXPECT_THROW(ingest({test_support::write_file(dir.file("p.csv"), body)}, o), Interrupted);
  EXPECT_EQ(calls, 1);
}

TEST(IngestTest, EventTableSortAndPartition) {
  TempDir dir;
  auto r = run({test_support::write_file(dir.file("s.csv"),
                                    "account_id,action,target,timestamp\n"
                                    "a,share,p2,1709251203\nb,share,p1,1709251202\nc,share,p2,1709251201\nd,share,p1,1709251200\n")});
  auto& ev = r.events;
  ev.sort_by_target_time();
  auto parts = ev.target_partition();
  ASSERT_EQ(parts.size(), 3u);  // p2 has id 0, p1 id 1
  EXPECT_EQ(parts, (std::vector<std::uint64_t>{0, 2, 4}));
  EXPECT_EQ(ev.accounts[ev.account[0]], "c");
  EXPECT_EQ(ev.accounts[ev.account[1]], "a");
  EXPECT_EQ(ev.accounts[ev.account[2]], "d");
  EXPECT_EQ(ev.accounts[ev.account[3]], "b");
}
