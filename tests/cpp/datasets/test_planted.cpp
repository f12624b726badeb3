// The planted-campaign generator: determinism, exact size, well-formed CSV, and the behaviour of each population
// that later detection stages are scored against (campaigns seconds apart, squads inside their burst, fan clubs
// minutes, viral bursts).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "cibgraph/datasets/planted_campaigns.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/time.hpp"

namespace {

using cibgraph::datasets::AccountKind;
using cibgraph::datasets::PlantedAction;
using cibgraph::datasets::PlantedOptions;
using cibgraph::datasets::PlantedScenario;

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A strict RFC 4180 reader: a quoted field must close and be followed by a comma or a line end; a quote inside
// an unquoted field is an error. Returns false on malformed input.
bool split_csv(const std::string& data, std::vector<std::vector<std::string>>& records) {
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  const std::size_t n = data.size();
  while (i < n) {
    field.clear();
    if (data[i] == '"') {
      ++i;
      for (;;) {
        if (i >= n) return false;  // unterminated
        if (data[i] == '"') {
          if (i + 1 < n && data[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += data[i++];
      }
      if (i < n && data[i] != ',' && data[i] != '\n') return false;
    } else {
      while (i < n && data[i] != ',' && data[i] != '\n') {
        if (data[i] == '"' || data[i] == '\r') return false;
        field += data[i++];
      }
    }
    record.push_back(field);
    if (i >= n) return false;  // every record ends with a newline
    if (data[i++] == '\n') {
      records.push_back(std::move(record));
      record.clear();
    }
  }
  return record.empty();
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 2024-03-01T12:00:05.123Z -> ms since epoch, or INT64_MIN when malformed.
std::int64_t parse_timestamp(const std::string& s) {
  constexpr std::int64_t kBad = INT64_MIN;
  if (s.size() != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
      s[23] != 'Z')
    return kBad;
  for (std::size_t p : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22})
    if (s[p] < '0' || s[p] > '9') return kBad;
  auto num = [&](std::size_t at, std::size_t len) { return std::stoll(s.substr(at, len)); };
  const std::int64_t y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (m < 1 || m > 12 || d < 1 || d > 31 || num(11, 2) > 23 || num(14, 2) > 59 || num(17, 2) > 59) return kBad;
  const std::int64_t days = cibgraph::days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return ((days * 24 + num(11, 2)) * 60 + num(14, 2)) * 60000 + num(17, 2) * 1000 + num(20, 3);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// Median |t_i - t_j| in seconds over all pairs within each group of times.
double median_pairwise_seconds(const std::vector<std::vector<std::int64_t>>& groups) {
  std::vector<double> gaps;
  for (const auto& times : groups)
    for (std::size_t i = 0; i < times.size(); ++i)
      for (std::size_t j = i + 1; j < times.size(); ++j)
        gaps.push_back(static_cast<double>(std::llabs(times[i] - times[j])) / 1000.0);
  return median(std::move(gaps));
}

class PlantedTest : public ::testing::Test {
 protected:
  // Removed at exit rather than in TearDownTestSuite: the cached scenario's files must outlive --gtest_repeat.
  static fs::path dir() {
    struct TempDir {
      fs::path path = fs::temp_directory_path() / ("cibgraph_planted_test_" + std::to_string(::getpid()));
      TempDir() { fs::create_directories(path); }
      ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
      }
    };
    static const TempDir d;
    return d.path;
  }

  // One 10^5 scenario shared by the suite: in memory and as files.
  static const PlantedScenario& scenario() {
    static const PlantedScenario sc = [] {
      PlantedOptions o;
      o.events = 100'000;
      o.seed = 11;
      auto s = cibgraph::datasets::generate_planted_campaigns(o);
      cibgraph::datasets::write_planted_events_csv(s, (dir() / "events.csv").string());
      cibgraph::datasets::write_planted_truth_csv(s, (dir() / "truth.csv").string());
      return s;
    }();
    return sc;
  }
  static const std::vector<std::vector<std::string>>& event_rows() {
    static const auto rows = [] {
      scenario();
      std::vector<std::vector<std::string>> r;
      EXPECT_TRUE(split_csv(read_file(dir() / "events.csv"), r));
      return r;
    }();
    return rows;
  }
  static const std::vector<std::vector<std::string>>& truth_rows() {
    static const auto rows = [] {
      scenario();
      std::vector<std::vector<std::string>> r;
      EXPECT_TRUE(split_csv(read_file(dir() / "truth.csv"), r));
      return r;
    }();
    return rows;
  }
};

TEST_F(PlantedTest, SameSeedGivesIdenticalFilesAndAnotherSeedDoesNot) {
  auto write = [](std::uint64_t seed, const std::string& tag) {
    PlantedOptions o;
    o.events = 10'000;
    o.seed = seed;
    const auto events = dir() / ("det_events_" + tag + ".csv");
    const auto truth = dir() / ("det_truth_" + tag + ".csv");
    cibgraph::datasets::write_planted_campaigns(o, events.string(), truth.string());
    return std::make_pair(read_file(events), read_file(truth));
  };
  const auto a = write(5, "a"), b = write(5, "b"), c = write(6, "c");
  EXPECT_FALSE(a.first.empty());
  EXPECT_TRUE(a.first == b.first) << "same seed, different events file";
  EXPECT_TRUE(a.second == b.second) << "same seed, different truth file";
  EXPECT_TRUE(a.first != c.first) << "different seeds, same events file";
}

TEST_F(PlantedTest, EventCountIsWithinTwoPercentOfRequested) {
  for (std::uint64_t requested : {10'000ull, 100'000ull}) {
    PlantedOptions o;
    o.events = requested;
    o.seed = 3;
    const auto events = dir() / "count_events.csv";
    const auto s =
        cibgraph::datasets::write_planted_campaigns(o, events.string(), (dir() / "count_truth.csv").string());
    std::vector<std::vector<std::string>> rows;
    ASSERT_TRUE(split_csv(read_file(events), rows));
    const double got = static_cast<double>(rows.size() - 1);
    EXPECT_EQ(s.events, rows.size() - 1);
    EXPECT_NEAR(got, static_cast<double>(requested), 0.02 * static_cast<double>(requested)) << requested;
  }
}

TEST_F(PlantedTest, EveryRowParsesAndRefersToAnEarlierPost) {
  const auto& rows = event_rows();
  ASSERT_EQ(rows.size(), scenario().events.size() + 1);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"account_id", "action", "target", "timestamp", "text", "target_time"}));
  const std::int64_t start = PlantedOptions{}.start_ms, end = start + 30LL * 86'400'000;
  std::unordered_map<std::string, std::int64_t> published;
  std::int64_t previous = INT64_MIN;
  std::size_t quoted_commas = 0, quoted_quotes = 0, shares = 0, comments = 0, posts = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    ASSERT_EQ(row.size(), 6u) << "row " << r;
    const std::string &account = row[0], &action = row[1], &target = row[2], &text = row[4];
    const std::int64_t t = parse_timestamp(row[3]), target_time = parse_timestamp(row[5]);
    ASSERT_NE(t, INT64_MIN) << row[3];
    ASSERT_NE(target_time, INT64_MIN) << row[5];
    ASSERT_GE(t, previous) << "row " << r << " out of time order";
    ASSERT_GE(t, start);
    ASSERT_LT(t, end);
    previous = t;
    ASSERT_TRUE((account.rfind("page", 0) == 0 && account.size() >= 8 && all_digits(account.substr(4))) ||
                (account[0] == 'u' && account.size() >= 8 && all_digits(account.substr(1))))
        << account;
    ASSERT_TRUE(target[0] == 'p' && target.size() >= 7 && all_digits(target.substr(1))) << target;
    if (action == "post") {
      ++posts;
      ASSERT_EQ(account.rfind("page", 0), 0u) << "only pages publish";
      ASSERT_EQ(target_time, t);
      ASSERT_TRUE(text.empty());
      ASSERT_TRUE(published.emplace(target, t).second) << target << " published twice";
    } else {
      ASSERT_TRUE(action == "share" || action == "comment") << action;
      ASSERT_EQ(account[0], 'u') << "pages only publish";
      const auto it = published.find(target);
      ASSERT_NE(it, published.end()) << target << " acted on before its post row";
      ASSERT_LE(it->second, t);
      ASSERT_EQ(it->second, target_time);
      if (action == "share") {
        ++shares;
        ASSERT_TRUE(text.empty());
      } else {
        ++comments;
        ASSERT_FALSE(text.empty());
        quoted_commas += text.find(',') != std::string::npos;
        quoted_quotes += text.find('"') != std::string::npos;
      }
    }
  }
  EXPECT_EQ(posts, scenario().summary.posts);
  EXPECT_EQ(shares, scenario().summary.shares);
  EXPECT_EQ(comments, scenario().summary.comments);
  // The templates carry commas and quotes on purpose; the reader above checked they were quoted properly.
  EXPECT_GT(quoted_commas, 100u);
  EXPECT_GT(quoted_quotes, 10u);
}

TEST_F(PlantedTest, TruthListsEveryAccountExactlyOnce) {
  const auto& rows = truth_rows();
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"account_id", "kind", "group"}));
  std::map<std::string, std::pair<std::string, std::string>> truth;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), 3u);
    ASSERT_TRUE(truth.emplace(rows[r][0], std::make_pair(rows[r][1], rows[r][2])).second) << rows[r][0] << " twice";
    const std::string &kind = rows[r][1], &group = rows[r][2];
    if (kind == "organic")
      EXPECT_TRUE(group.empty());
    else if (kind == "fanclub")
      EXPECT_TRUE(group.rfind("fan", 0) == 0 && all_digits(group.substr(3))) << group;
    else if (kind == "campaign")
      EXPECT_TRUE((group.rfind("net", 0) == 0 && all_digits(group.substr(3))) ||
                  (group.rfind("sq", 0) == 0 && all_digits(group.substr(2))))
          << group;
    else if (kind == "page")
      EXPECT_TRUE(group.empty() || group.rfind("net", 0) == 0 || group.rfind("sq", 0) == 0) << group;
    else
      ADD_FAILURE() << "unknown kind " << kind;
  }
  std::set<std::string> acting, publishing;
  for (std::size_t r = 1; r < event_rows().size(); ++r) {
    acting.insert(event_rows()[r][0]);
    if (event_rows()[r][1] == "post") publishing.insert(event_rows()[r][0]);
  }
  EXPECT_EQ(acting.size(), truth.size()) << "every account in truth acts, every acting account is in truth";
  for (const auto& a : acting) ASSERT_TRUE(truth.count(a)) << a << " missing from truth";
  for (const auto& [id, kind_group] : truth) EXPECT_EQ(kind_group.first == "page", publishing.count(id) == 1) << id;
  EXPECT_EQ(truth.size(), scenario().summary.accounts);
}

TEST_F(PlantedTest, NetworksHaveThePlannedSizes) {
  const auto& sc = scenario();
  const auto planned = cibgraph::datasets::planned_network_sizes(sc.options);
  ASSERT_GE(planned.size(), 3u);
  std::map<std::string, std::uint32_t> counted;  // squads (sqNN) are campaign accounts too, tested below
  for (std::size_t r = 1; r < truth_rows().size(); ++r)
    if (truth_rows()[r][1] == "campaign" && truth_rows()[r][2].rfind("net", 0) == 0) ++counted[truth_rows()[r][2]];
  ASSERT_EQ(counted.size(), planned.size());
  std::size_t k = 0;
  for (const auto& [id, size] : counted) EXPECT_EQ(size, planned[k++]) << id;
  EXPECT_EQ(sc.summary.network_sizes, planned);

  // Sizes given explicitly are planted exactly, in order.
  PlantedOptions o;
  o.events = 20'000;
  o.network_sizes = {12, 30, 90};
  const auto explicit_sc = cibgraph::datasets::generate_planted_campaigns(o);
  ASSERT_EQ(explicit_sc.networks.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(explicit_sc.networks[i].members.size(), o.network_sizes[i]);
    for (auto m : explicit_sc.networks[i].members) EXPECT_EQ(explicit_sc.account_kind[m], AccountKind::campaign);
  }
}

TEST_F(PlantedTest, CampaignCoSharesAreSecondsApart) {
  // From the files alone: a network's campaign posts are those its own pages (truth group) published.
  std::map<std::string, std::string> group_of;
  for (std::size_t r = 1; r < truth_rows().size(); ++r) group_of[truth_rows()[r][0]] = truth_rows()[r][2];
  std::map<std::string, std::string> post_network;                                 // post -> network of its page
  std::map<std::string, std::map<std::string, std::vector<std::int64_t>>> shares;  // network -> post -> times
  for (std::size_t r = 1; r < event_rows().size(); ++r) {
    const auto& row = event_rows()[r];
    if (row[1] == "post" && group_of[row[0]].rfind("net", 0) == 0) post_network[row[2]] = group_of[row[0]];
    if (row[1] != "share") continue;
    const auto it = post_network.find(row[2]);
    if (it != post_network.end() && group_of[row[0]] == it->second)
      shares[it->second][row[2]].push_back(parse_timestamp(row[3]));
  }
  ASSERT_EQ(shares.size(), scenario().networks.size());
  for (const auto& [network, by_post] : shares) {
    std::vector<std::vector<std::int64_t>> groups;
    for (const auto& [post, times] : by_post) groups.push_back(times);
    EXPECT_GE(groups.size(), 5u) << network;
    const double m = median_pairwise_seconds(groups);
    EXPECT_LT(m, 120.0) << network;
    EXPECT_GT(m, 1.0) << network << ": members should not act in the same second";
  }
}

TEST_F(PlantedTest, FanClubDelaysAreMinutes) {
  const auto& sc = scenario();
  ASSERT_GE(sc.fan_clubs.size(), 1u);
  for (const auto& club : sc.fan_clubs) {
    EXPECT_GE(club.members.size(), 20u);
    EXPECT_LE(club.members.size(), 300u);
    const std::set<std::uint32_t> members(club.members.begin(), club.members.end());
    std::map<std::uint32_t, std::vector<std::int64_t>> by_post;
    std::vector<double> delays;
    for (const auto& e : sc.events)
      if (e.action == PlantedAction::share && sc.post_page[e.post] == club.page && members.count(e.account)) {
        by_post[e.post].push_back(e.time);
        delays.push_back(static_cast<double>(e.time - sc.post_time[e.post]) / 1000.0);
      }
    std::vector<std::vector<std::int64_t>> groups;
    for (auto& [post, times] : by_post) groups.push_back(times);
    EXPECT_GE(groups.size(), 5u) << club.id;
    EXPECT_GT(median(delays), 60.0) << club.id;
    EXPECT_LT(median(delays), 30.0 * 60.0) << club.id << ": followers come within minutes";
    EXPECT_GT(median_pairwise_seconds(groups), 60.0) << club.id;
  }
}

TEST_F(PlantedTest, ViralPostsDrawHundredsOfOrganicSharesWithinAnHour) {
  const auto& sc = scenario();
  ASSERT_GE(sc.viral_posts.size(), 1u);
  for (auto post : sc.viral_posts) {
    std::vector<std::int64_t> times;
    for (const auto& e : sc.events)
      if (e.post == post && e.action == PlantedAction::share && sc.account_kind[e.account] == AccountKind::organic)
        times.push_back(e.time);
    std::sort(times.begin(), times.end());
    std::size_t best = 0;
    for (std::size_t i = 0, j = 0; i < times.size(); ++i) {
      while (times[i] - times[j] > 3'600'000) ++j;
      best = std::max(best, i - j + 1);
    }
    EXPECT_GE(best, 100u) << sc.post_id(post);
  }
}

TEST_F(PlantedTest, SomePostsArePushedByMoreThanOneNetwork) {
  const auto& sc = scenario();
  EXPECT_GE(sc.summary.multi_network_posts, 1u);
  std::map<std::uint32_t, std::set<std::size_t>> networks_of;
  for (std::size_t k = 0; k < sc.networks.size(); ++k)
    for (const auto& t : sc.networks[k].triggers) networks_of[t.post].insert(k);
  std::size_t shared = 0;
  for (const auto& [post, nets] : networks_of) shared += nets.size() > 1;
  EXPECT_EQ(shared, sc.summary.multi_network_posts);
}

TEST_F(PlantedTest, CampaignCommentsAreNearIdenticalTemplates) {
  const auto& sc = scenario();
  std::set<std::uint32_t> members(sc.networks.back().members.begin(), sc.networks.back().members.end());
  std::map<std::string, std::size_t> distinct;
  std::size_t comments = 0;
  for (const auto& e : sc.events)
    if (e.action == PlantedAction::comment && members.count(e.account)) {
      ++comments;
      ++distinct[sc.texts[e.text]];
    }
  ASSERT_GT(comments, 20u);
  // Variations make most texts differ a little, but every one contains a recognisable part of a template.
  EXPECT_GT(distinct.size(), comments / 10);
  for (const auto& [text, count] : distinct) {
    bool from_template = false;
    for (const auto& tmpl : sc.networks.back().templates)
      from_template = from_template || text.find(tmpl.substr(tmpl.size() / 2, 12)) != std::string::npos ||
                      text.find(tmpl.substr(0, 12)) != std::string::npos;
    EXPECT_TRUE(from_template) << text;
  }
}

// Squad members' shares of their squad's posts, from the files alone: group -> post -> member -> delays (ms).
// A squad's posts are those its page (truth kind page, group sqNN) published.
std::map<std::string, std::map<std::string, std::map<std::string, std::vector<std::int64_t>>>> squad_shares(
    const std::vector<std::vector<std::string>>& events, const std::vector<std::vector<std::string>>& truth) {
  std::map<std::string, std::string> group_of;
  for (std::size_t r = 1; r < truth.size(); ++r) group_of[truth[r][0]] = truth[r][2];
  std::map<std::string, std::pair<std::string, std::int64_t>> squad_post;  // post -> squad, publication
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<std::int64_t>>>> out;
  for (std::size_t r = 1; r < events.size(); ++r) {
    const auto& row = events[r];
    const std::string& group = group_of[row[0]];
    if (row[1] == "post" && group.rfind("sq", 0) == 0) {
      squad_post[row[2]] = {group, parse_timestamp(row[3])};
      out[group][row[2]];
    }
    const auto it = squad_post.find(row[2]);
    if (row[1] == "share" && it != squad_post.end() && group == it->second.first)
      out[group][row[2]][row[0]].push_back(parse_timestamp(row[3]) - it->second.second);
  }
  return out;
}

TEST_F(PlantedTest, SquadsHaveTheRequestedSizesAndTheirOwnPage) {
  const auto& sc = scenario();  // 10^5 events, squads by default
  const auto planned = cibgraph::datasets::planned_squad_sizes(sc.options);
  ASSERT_EQ(planned, (std::vector<std::uint32_t>{10, 30}));
  std::map<std::string, std::uint32_t> members, pages;
  for (std::size_t r = 1; r < truth_rows().size(); ++r) {
    const auto& row = truth_rows()[r];
    if (row[2].rfind("sq", 0) != 0) continue;
    if (row[1] == "campaign") ++members[row[2]];
    else if (row[1] == "page") ++pages[row[2]];
    else ADD_FAILURE() << row[0] << " in " << row[2] << " is " << row[1];
  }
  EXPECT_EQ(members, (std::map<std::string, std::uint32_t>{{"sq01", 10}, {"sq02", 30}}));
  EXPECT_EQ(pages, (std::map<std::string, std::uint32_t>{{"sq01", 1}, {"sq02", 1}}));

  ASSERT_EQ(sc.squads.size(), 2u);
  EXPECT_EQ(sc.summary.squads, 2u);
  EXPECT_EQ(sc.summary.squad_sizes, planned);
  EXPECT_EQ(sc.summary.squad_accounts, 40u);
  std::uint64_t campaign = 0;
  for (const auto& net : sc.networks) campaign += net.members.size();
  EXPECT_EQ(sc.summary.campaign_accounts, campaign + 40) << "squad members are campaign accounts";
  for (std::size_t q = 0; q < sc.squads.size(); ++q) {
    const auto& squad = sc.squads[q];
    EXPECT_EQ(squad.id, q == 0 ? "sq01" : "sq02");
    EXPECT_EQ(squad.members.size(), planned[q]);
    EXPECT_EQ(sc.account_kind[squad.page], AccountKind::page);
    EXPECT_EQ(sc.group_id(squad.page), squad.id);
    for (auto m : squad.members) {
      EXPECT_EQ(sc.account_kind[m], AccountKind::campaign);
      EXPECT_EQ(sc.group_id(m), squad.id);
    }
    ASSERT_EQ(squad.posts.size(), sc.options.squad_posts);
    for (std::size_t i = 0; i < squad.posts.size(); ++i) {
      EXPECT_EQ(sc.post_page[squad.posts[i]], squad.page);
      if (i > 0) {
        const std::int64_t gap = sc.post_time[squad.posts[i]] - sc.post_time[squad.posts[i - 1]];
        EXPECT_GE(gap, 20 * 60'000) << "posts about two hours apart";
        EXPECT_LE(gap, 6 * 3'600'000);
      }
    }
  }

  // Sizes given explicitly are planted exactly, in order; a count alone spaces them from 10 to 30.
  PlantedOptions o;
  o.events = 20'000;
  o.squad_sizes = {8, 25, 12};
  const auto explicit_sc = cibgraph::datasets::generate_planted_campaigns(o);
  ASSERT_EQ(explicit_sc.squads.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(explicit_sc.squads[i].members.size(), o.squad_sizes[i]);
  o.squad_sizes.clear();
  o.squads = 3;
  EXPECT_EQ(cibgraph::datasets::planned_squad_sizes(o), (std::vector<std::uint32_t>{10, 17, 30}));
  o.squads = 1;
  EXPECT_EQ(cibgraph::datasets::planned_squad_sizes(o), (std::vector<std::uint32_t>{10}));
}

TEST_F(PlantedTest, EverySquadMemberSharesEveryPostWithinTheBurst) {
  // From the files of the shared scenario (default burst 20 s, reliability 1).
  const auto shares = squad_shares(event_rows(), truth_rows());
  ASSERT_EQ(shares.size(), 2u);
  std::map<std::string, std::size_t> size;
  for (std::size_t r = 1; r < truth_rows().size(); ++r)
    if (truth_rows()[r][1] == "campaign") ++size[truth_rows()[r][2]];
  std::vector<double> delays;
  for (const auto& [squad, by_post] : shares) {
    EXPECT_EQ(by_post.size(), 20u) << squad;
    for (const auto& [post, by_member] : by_post) {
      EXPECT_EQ(by_member.size(), size[squad]) << squad << " " << post << ": every member shares";
      for (const auto& [member, ds] : by_member) {
        ASSERT_EQ(ds.size(), 1u) << member << " shares " << post << " once";
        EXPECT_GT(ds[0], 0) << member;
        EXPECT_LE(ds[0], 20'000) << member << " " << post << ": inside the burst";
        delays.push_back(static_cast<double>(ds[0]) / 1000.0);
      }
    }
  }
  EXPECT_GT(median(delays), 2.0) << "seconds, not the same instant";
  EXPECT_LT(median(delays), 15.0);

  // A shorter burst, more posts: still every member, every post, inside the burst.
  PlantedOptions o;
  o.events = 20'000;
  o.seed = 9;
  o.squad_sizes = {12};
  o.squad_posts = 30;
  o.squad_burst_ms = 3'000;
  const auto sc = cibgraph::datasets::generate_planted_campaigns(o);
  ASSERT_EQ(sc.squads.size(), 1u);
  const auto& squad = sc.squads[0];
  const std::set<std::uint32_t> members(squad.members.begin(), squad.members.end());
  std::map<std::uint32_t, std::set<std::uint32_t>> sharers;
  for (const auto& e : sc.events)
    if (members.count(e.account) && sc.post_page[e.post] == squad.page) {
      ASSERT_EQ(e.action, PlantedAction::share);
      EXPECT_GT(e.time, sc.post_time[e.post]);
      EXPECT_LE(e.time, sc.post_time[e.post] + 3'000);
      EXPECT_TRUE(sharers[e.post].insert(e.account).second) << "one share per member and post";
    }
  ASSERT_EQ(sharers.size(), 30u);
  for (const auto& [post, who] : sharers) EXPECT_EQ(who, members) << sc.post_id(post);
}

TEST_F(PlantedTest, SquadFollowersAndCamouflageAreOrganicPaced) {
  const auto& sc = scenario();  // 5 followers per post, camouflage on
  for (const auto& squad : sc.squads) {
    const std::set<std::uint32_t> members(squad.members.begin(), squad.members.end());
    const std::set<std::uint32_t> posts(squad.posts.begin(), squad.posts.end());
    std::map<std::uint32_t, std::set<std::uint32_t>> followers;
    std::map<std::uint32_t, std::size_t> camouflage;
    std::vector<double> follower_delays;
    for (const auto& e : sc.events) {
      if (posts.count(e.post) && !members.count(e.account) && e.action == PlantedAction::share) {
        EXPECT_EQ(sc.account_kind[e.account], AccountKind::organic);
        EXPECT_TRUE(followers[e.post].insert(e.account).second) << "a follower shares a post once";
        follower_delays.push_back(static_cast<double>(e.time - sc.post_time[e.post]) / 1000.0);
      }
      if (members.count(e.account) && !posts.count(e.post)) {
        EXPECT_EQ(sc.account_kind[sc.post_page[e.post]], AccountKind::page);
        EXPECT_TRUE(sc.group_id(sc.post_page[e.post]).empty()) << "camouflage shares organic posts";
        ++camouflage[e.account];
      }
    }
    EXPECT_EQ(followers.size(), posts.size()) << squad.id;
    for (const auto& [post, who] : followers) EXPECT_EQ(who.size(), 5u) << sc.post_id(post);
    EXPECT_GT(median(follower_delays), 10.0 * 60.0) << squad.id << ": the page's audience comes hours later";
    EXPECT_EQ(camouflage.size(), members.size()) << squad.id << ": every member shares organic posts too";
    for (const auto& [member, count] : camouflage) {
      EXPECT_GE(count, 1u);
      EXPECT_LE(count, 5u);
    }
  }

  // Both off: the squad's posts are shared by its members only, and members share nothing else.
  PlantedOptions o;
  o.events = 20'000;
  o.squad_camouflage = false;
  o.squad_followers = 0;
  const auto quiet = cibgraph::datasets::generate_planted_campaigns(o);
  ASSERT_EQ(quiet.squads.size(), 2u);
  for (const auto& squad : quiet.squads) {
    const std::set<std::uint32_t> members(squad.members.begin(), squad.members.end());
    for (const auto& e : quiet.events) {
      if (e.action == PlantedAction::post) continue;
      EXPECT_EQ(members.count(e.account) == 1, quiet.post_page[e.post] == squad.page) << quiet.account_id(e.account);
    }
  }
}

TEST_F(PlantedTest, SquadReliabilityBelowOneSkipsSharesButEveryMemberActs) {
  PlantedOptions o;
  o.events = 20'000;
  o.seed = 4;
  o.squad_sizes = {30};
  o.squad_reliability = 0.5;
  o.squad_camouflage = false;
  const auto sc = cibgraph::datasets::generate_planted_campaigns(o);
  const auto& squad = sc.squads.at(0);
  const std::set<std::uint32_t> members(squad.members.begin(), squad.members.end());
  std::set<std::uint32_t> acting;
  std::size_t shares = 0;
  for (const auto& e : sc.events)
    if (members.count(e.account)) {
      EXPECT_LE(e.time - sc.post_time[e.post], 20'000);
      acting.insert(e.account);
      ++shares;
    }
  EXPECT_EQ(acting, members);
  EXPECT_EQ(shares, sc.summary.squad_events);
  EXPECT_NEAR(static_cast<double>(shares), 0.5 * 30 * 20, 60.0);  // 300 +- about 3.5 sd
}

TEST_F(PlantedTest, SquadsCountInsideTheRequestedTotal) {
  for (std::uint64_t requested : {10'000ull, 100'000ull}) {
    for (std::int32_t squads : {-1, 0, 5}) {
      PlantedOptions o;
      o.events = requested;
      o.seed = 8;
      o.squads = squads;
      const auto sc = cibgraph::datasets::generate_planted_campaigns(o);
      EXPECT_EQ(sc.events.size(), requested) << requested << " events, squads " << squads;
      EXPECT_EQ(sc.summary.events, requested);
      EXPECT_EQ(sc.squads.size(), squads < 0 ? 2u : static_cast<std::size_t>(squads));
    }
  }
}

TEST_F(PlantedTest, SquadsAreDeterministicAndZeroSquadsPlantNone) {
  PlantedOptions o;
  o.events = 20'000;
  o.seed = 12;
  o.squad_sizes = {9, 21};
  o.squad_posts = 14;
  o.squad_burst_ms = 7'000;
  o.squad_reliability = 0.8;
  o.squad_followers = 3;
  auto write = [&](const PlantedOptions& options, const std::string& tag) {
    const auto events = dir() / ("sq_events_" + tag + ".csv");
    const auto truth = dir() / ("sq_truth_" + tag + ".csv");
    cibgraph::datasets::write_planted_campaigns(options, events.string(), truth.string());
    return std::make_pair(read_file(events), read_file(truth));
  };
  const auto a = write(o, "a"), b = write(o, "b");
  EXPECT_TRUE(a.first == b.first) << "same options, different events file";
  EXPECT_TRUE(a.second == b.second) << "same options, different truth file";

  // squads 0: no squad anywhere, and the other squad options change nothing.
  PlantedOptions none;
  none.events = 20'000;
  none.seed = 12;
  none.squads = 0;
  const auto c = write(none, "c");
  o.squads = 0;
  o.squad_sizes.clear();
  const auto d = write(o, "d");
  EXPECT_TRUE(c.first == d.first && c.second == d.second) << "squad options matter only when there are squads";
  EXPECT_EQ(c.second.find(",sq"), std::string::npos);
  const auto sc = cibgraph::datasets::generate_planted_campaigns(none);
  EXPECT_TRUE(sc.squads.empty());
  EXPECT_EQ(sc.summary.squads, 0u);
  EXPECT_EQ(sc.summary.squad_accounts, 0u);
  EXPECT_EQ(sc.summary.squad_events, 0u);
  // Below 10^4 events there are no squads unless asked for.
  PlantedOptions small;
  small.events = 5'000;
  EXPECT_TRUE(cibgraph::datasets::planned_squad_sizes(small).empty());
  EXPECT_TRUE(cibgraph::datasets::generate_planted_campaigns(small).squads.empty());
}

TEST_F(PlantedTest, IngestReadsTheFileLikeTheInMemoryTable) {
  const auto& sc = scenario();
  const auto table = cibgraph::datasets::planted_event_table(sc);
  EXPECT_NO_THROW(table.validate());
  cibgraph::IngestOptions options;
  const auto result = cibgraph::ingest({(dir() / "events.csv").string()}, options);
  EXPECT_TRUE(result.reject_reasons.empty());
  ASSERT_EQ(result.events.size(), table.size());
  EXPECT_EQ(result.events.time, table.time);
  EXPECT_EQ(result.events.target_time, table.target_time);
  EXPECT_EQ(result.events.accounts.size(), table.accounts.size());
  EXPECT_EQ(result.events.targets.size(), table.targets.size());
  EXPECT_EQ(result.events.texts.size(), table.texts.size());
  for (std::size_t i = 0; i < table.size(); i += 97) {
    ASSERT_EQ(result.events.accounts[result.events.account[i]], table.accounts[table.account[i]]) << i;
    ASSERT_EQ(result.events.targets[result.events.target[i]], table.targets[table.target[i]]) << i;
    ASSERT_EQ(result.events.actions[result.events.action[i]], table.actions[table.action[i]]) << i;
    if (table.text[i] != cibgraph::kNoText) {
      ASSERT_EQ(result.events.texts[result.events.text[i]], table.texts[table.text[i]]) << i;
    }
  }
}

TEST_F(PlantedTest, RejectsOptionsItCannotHonour) {
  PlantedOptions o;
  o.events = 999;
  EXPECT_THROW(cibgraph::datasets::generate_planted_campaigns(o), cibgraph::UsageError);
  o.events = 10'000;
  o.days = 0;
  EXPECT_THROW(cibgraph::datasets::generate_planted_campaigns(o), cibgraph::UsageError);
  o.days = 30;
  o.campaign_fraction = 0.9;
  EXPECT_THROW(cibgraph::datasets::generate_planted_campaigns(o), cibgraph::UsageError);
}

TEST_F(PlantedTest, RejectsSquadOptionsOutOfRange) {
  auto rejected = [](auto&& change) {
    PlantedOptions o;
    o.events = 10'000;
    change(o);
    try {
      cibgraph::datasets::generate_planted_campaigns(o);
    } catch (const cibgraph::UsageError&) {
      return true;
    }
    return false;
  };
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squads = -2; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squads = 101; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squad_sizes = {1, 10}; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squad_sizes = {10, 1001}; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squads = 1, o.squad_sizes = {10, 30}; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squads = 0, o.squad_sizes = {10}; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squad_posts = 9; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squad_posts = 1001; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squad_burst_ms = 999; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squad_burst_ms = 3'600'001; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squad_reliability = 0.0; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squad_reliability = 1.01; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.squad_followers = 10'001; }));
  EXPECT_TRUE(rejected([](PlantedOptions& o) { o.events = 2'000, o.squads = 2; }));  // more than 30% of E
  // The edges of the ranges are accepted.
  EXPECT_FALSE(rejected([](PlantedOptions& o) { o.squads = 0; }));
  EXPECT_FALSE(rejected([](PlantedOptions& o) {
    o.squad_sizes = {2, 30}, o.squad_posts = 10, o.squad_burst_ms = 1'000, o.squad_reliability = 0.01;
    o.squad_followers = 0;
  }));
}

}  // namespace
