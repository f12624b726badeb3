// Wide exports (ColumnMapping::targets) and mapping errors named all at once (MappingError), issue 20: a row gives
// one event per non-empty mapped cell with its column's action, an empty cell is no event (not a reject), a row with
// none is accepted and counted; a header lacking several mapped columns is one error naming each, with the header
// and the option that fixes it in the CLI's and Python's spelling.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cibgraph/error.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/store.hpp"
#include "test_support.hpp"

using namespace cibgraph;
using cibgraph::test_support::TempDir;

namespace {

IngestResult run(const std::vector<std::string>& paths, IngestOptions o) {
  o.keep_rejects = true;
  return ingest(paths, o);
}

// Events as "account action target time_s" strings, in table order.
std::vector<std::string> event_strings(const EventTable& ev) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ev.size(); ++i)
    out.push_back(std::string(ev.accounts[ev.account[i]]) + " " + std::string(ev.actions[ev.action[i]]) + " " +
                  std::string(ev.targets[ev.target[i]]) + " " + std::to_string(ev.time[i] / 1000));
  return out;
}

// The header of german_elections.csv.gz, with its empty cells.
constexpr const char* kWideCsv =
    "account_id,post_id,url_id,hashtag_id,domain_id,phash_id,timestamp\n"
    "fb_1,129235,23678,,3498,,1629589836\n"    // 3 events: share, url, domain
    "fb_2,84441,,,6756,,1629589069\n"          // 2
    "fb_2,,,,,,1629589050\n"                   // no target: accepted, no event
    "tw_3,84445,,h7, ,9280,1629589022\n"       // a cell of blanks is empty: share, hashtag, image
    "tw_4,84446,23678,,,,not-a-time\n"         // rejected: unparseable_time (a bad row stays a reject)
    ",84447,1,,,,1629589000\n";                // rejected: missing account

IngestOptions wide_options() {
  IngestOptions o;
  o.mapping.targets =
      parse_target_columns("share=post_id,URL=url_id,hashtag=hashtag_id,domain=domain_id,image=phash_id");
  return o;
}

}  // namespace

TEST(IngestWide, ParsesAndFormatsTargetColumns) {
  const auto t = parse_target_columns(" url = url_id, Hashtag=tag1,hashtag=tag2");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], (TargetColumn{"url", "url_id"}));
  EXPECT_EQ(t[1], (TargetColumn{"hashtag", "tag1"}));  // actions lower-cased, one action may read several columns
  EXPECT_EQ(t[2], (TargetColumn{"hashtag", "tag2"}));
  EXPECT_EQ(format_target_columns(t), "url=url_id,hashtag=tag1,hashtag=tag2");
  EXPECT_TRUE(parse_target_columns("").empty());
  EXPECT_THROW(parse_target_columns("url"), UsageError);
  EXPECT_THROW(parse_target_columns("url=,hashtag=h"), UsageError);
  EXPECT_THROW(parse_target_columns("=url_id"), UsageError);
  const std::string twice = test_support::thrown_message<UsageError>([] { parse_target_columns("url=c,hashtag=c"); });
  EXPECT_NE(twice.find("listed twice"), std::string::npos) << twice;
}

TEST(IngestWide, OneEventPerNonEmptyCellAndEmptyRowsAreNotRejects) {
  TempDir dir;
  const auto path = test_support::write_file(dir.file("wide.csv"), kWideCsv);
  const IngestResult r = run({path}, wide_options());
  EXPECT_EQ(event_strings(r.events), (std::vector<std::string>{
                                         "fb_1 share 129235 1629589836", "fb_1 url 23678 1629589836",
                                         "fb_1 domain 3498 1629589836", "fb_2 share 84441 1629589069",
                                         "fb_2 domain 6756 1629589069", "tw_3 share 84445 1629589022",
                                         "tw_3 hashtag h7 1629589022", "tw_3 image 9280 1629589022"}));
  EXPECT_NO_THROW(r.events.validate());
  const Provenance& p = r.provenance;
  EXPECT_EQ(p.rows_read, 6u);
  EXPECT_EQ(p.rows_accepted, 4u);  // the row with no target is accepted, with no event
  EXPECT_EQ(p.rows_rejected, 2u);
  EXPECT_EQ(p.rows_read, p.rows_accepted + p.rows_rejected);
  EXPECT_EQ(p.rows_without_target, 1u);
  EXPECT_EQ(p.inputs.at(0).rows_without_target, 1u);
  EXPECT_EQ(p.events, 8u);
  ASSERT_EQ(r.rejects.size(), 2u);
  EXPECT_EQ(r.rejects[0].line, 6u);
  EXPECT_EQ(r.rejects[0].reason.substr(0, r.rejects[0].reason.find(':')), "unparseable_time");
  EXPECT_EQ(r.rejects[1].line, 7u);
  EXPECT_EQ(r.rejects[1].reason, "missing_field: empty");
  EXPECT_EQ(r.rejects[1].field, "account_id");
  const auto mapping = nlohmann::json::parse(p.mapping_json);
  EXPECT_EQ(mapping["targets"], nlohmann::json::parse(R"([{"action":"share","column":"post_id"},
      {"action":"url","column":"url_id"},{"action":"hashtag","column":"hashtag_id"},
      {"action":"domain","column":"domain_id"},{"action":"image","column":"phash_id"}])"));
  EXPECT_TRUE(mapping["target"].is_null());
  EXPECT_TRUE(mapping["action"].is_null());
}

TEST(IngestWide, RowsWithoutTargetSurviveTheStore) {
  TempDir dir;
  const auto path = test_support::write_file(dir.file("wide.csv"), kWideCsv);
  const IngestResult r = run({path}, wide_options());
  write_events(dir.file("d.h5"), r.events, r.provenance);
  const StoredEvents back = read_events(dir.file("d.h5"));
  EXPECT_EQ(back.provenance.rows_without_target, 1u);
  EXPECT_EQ(back.provenance.inputs.at(0).rows_without_target, 1u);
  EXPECT_EQ(back.provenance, r.provenance);
}

TEST(IngestWide, JsonlPathsArraysAndNulls) {
  TempDir dir;
  const auto path = test_support::write_file(
      dir.file("wide.jsonl"),
      R"({"user":"a","t":1709251200,"urls":["u1","u2"],"tags":null})" "\n"
      R"({"user":"b","t":1709251201,"urls":[],"tags":"#x"})" "\n"
      R"({"user":"c","t":1709251202,"urls":"","meta":{"img":"p9"}})" "\n"
      R"({"user":"d","t":1709251203})" "\n");
  IngestOptions o;
  o.mapping.account = "user";
  o.mapping.time = "t";
  o.mapping.targets = parse_target_columns("url=urls,hashtag=tags,image=meta.img");
  const IngestResult r = run({path}, o);
  EXPECT_EQ(event_strings(r.events),
            (std::vector<std::string>{"a url u1 1709251200", "a url u2 1709251200", "b hashtag #x 1709251201",
                                      "c image p9 1709251202"}));
  EXPECT_EQ(r.provenance.rows_accepted, 4u);
  EXPECT_EQ(r.provenance.rows_without_target, 1u);  // d has none of the paths
  EXPECT_EQ(r.provenance.rows_rejected, 0u);
}

TEST(IngestWide, MissingColumnsAreNamedAllAtOnce) {
  TempDir dir;
  const auto path = test_support::write_file(dir.file("h.csv"), "user,post,created_at,body\nu,p,1,x\n");
  IngestOptions o;
  o.mapping.text = "message";
  try {
    ingest({path}, o);
    FAIL() << "no error";
  } catch (const MappingError& e) {
    ASSERT_EQ(e.missing().size(), 5u);  // account_id, action, target, timestamp, message
    EXPECT_EQ(e.missing()[0].option, "account");
    EXPECT_EQ(e.missing()[0].suggestion, "user");
    EXPECT_EQ(e.missing()[3].suggestion, "created_at");
    EXPECT_EQ(e.header(), (std::vector<std::string>{"user", "post", "created_at", "body"}));
    EXPECT_EQ(e.where().file, path);
    EXPECT_EQ(e.where().line, 1u);
    EXPECT_EQ(e.cli_message(),
              path + ":1: 5 mapped columns are missing:\n"
                     "  no column 'account_id' for the account; for instance --account user\n"
                     "  no column 'action' for the action; name the action column with --action COL, or give every "
                     "row one action with --action-value share\n"
                     "  no column 'target' for the target; name the target column with --target COL, or map a wide "
                     "export's target columns to actions with --targets url=url_id,hashtag=hashtag_id\n"
                     "  no column 'timestamp' for the time; for instance --time created_at\n"
                     "  no column 'message' for the text; for instance --text body\n"
                     "  the header has: user, post, created_at, body");
    EXPECT_EQ(std::string(e.what()),
              path + ":1: 5 mapped columns are missing:\n"
                     "  no column 'account_id' for the account; for instance account='user'\n"
                     "  no column 'action' for the action; name the action column with action='COL', or give every "
                     "row one action with action_value='share'\n"
                     "  no column 'target' for the target; name the target column with target='COL', or map a wide "
                     "export's target columns to actions with targets={'url': 'url_id', 'hashtag': 'hashtag_id'}\n"
                     "  no column 'timestamp' for the time; for instance time='created_at'\n"
                     "  no column 'message' for the text; for instance text='body'\n"
                     "  the header has: user, post, created_at, body");
  }
}

TEST(IngestWide, AWideHeaderSuggestsItsTargets) {
  TempDir dir;
  const auto path = test_support::write_file(dir.file("w.csv"), kWideCsv);
  const std::string message = test_support::thrown_message<MappingError>([&] { ingest({path}, IngestOptions{}); });
  EXPECT_NE(message.find("2 mapped columns are missing"), std::string::npos) << message;
  EXPECT_NE(message.find("targets={'url': 'url_id', 'hashtag': 'hashtag_id', 'domain': 'domain_id', 'image': "
                         "'phash_id'}"),
            std::string::npos)
      << message;
  // A wide mapping naming a column the header lacks: only that entry, with the header's own targets as the fix.
  IngestOptions o = wide_options();
  o.mapping.targets.push_back({"url", "link_id"});
  try {
    ingest({path}, o);
    FAIL() << "no error";
  } catch (const MappingError& e) {
    ASSERT_EQ(e.missing().size(), 1u);
    EXPECT_EQ(e.cli_message(), path + ":1: no column 'link_id' for the url target; correct its entry in --targets "
                                      "url=url_id,hashtag=hashtag_id,domain=domain_id,image=phash_id (the header "
                                      "has: account_id, post_id, url_id, hashtag_id, domain_id, phash_id, timestamp)");
  }
}

TEST(IngestWide, CheckMappedColumnsForOtherTables) {
  ColumnMapping m;
  m.targets = parse_target_columns("url=url_id");
  EXPECT_NO_THROW(check_mapped_columns("frame", {"account_id", "url_id", "timestamp"}, m));
  const std::string message =
      test_support::thrown_message<MappingError>([&] { check_mapped_columns("frame", {"who", "url_id", "when"}, m); });
  EXPECT_EQ(message.rfind("frame: 2 mapped columns are missing:", 0), 0u) << message;
}
