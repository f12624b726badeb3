#pragma once
// Planted-campaign scenario: a synthetic social-media event log with coordinated inauthentic networks planted in
// an organic background, and the ground truth every detection stage is scored on. The populations are modelled
// on what public takedown reports (Meta CIB reports, Twitter/X information-operations archives, Stanford Internet
// Observatory, DFRLab) describe, and on the false positives those reports warn about: viral bursts and fan clubs.
//
// Time span: `days` days (30) from `start_ms` (2024-03-01T00:00:00Z). Every event falls in [start, end).
//
// Populations (E = requested events, s = E / 10^6; every number below is a default):
//
//  * Pages publish posts: one `post` row per post (account = page, target = post, target_time = its own time).
//    Posts are ~5% of the events (post_fraction), ~50 per organic page (posts_per_page). Page weights are
//    Pareto(1.3), so a few pages publish most posts; each page publishes at least one. Publication times follow a
//    diurnal curve (audience-wide: peak ~20:00 UTC, trough ~08:00, ratio 4:1). Post popularity is
//    sqrt(page weight) x Pareto(1.5), capped at 300x, so shares per post are heavy-tailed.
//
//  * Organic accounts (kind `organic`) each act k times, k ~ discrete power law P(k) ~ k^-2 on [1, kmax],
//    kmax = clamp(sqrt(E), 100, 20000): most accounts share once or twice, a few hyperactive ones hundreds of
//    times (hyperactive pairs co-share by chance: a classic false positive). Each action picks a post by
//    popularity; delay after publication is log-normal, median 2 h, sigma 1.6 (minutes to days), thinned by the
//    diurnal curve. 8% of organic actions are `comment`s (organic_comment_fraction): a generic phrase shared by
//    thousands ("So true", "Source?") a third of the time, else a composed sentence, so identical text alone is
//    not evidence. The number of organic accounts is whatever makes the total hit E exactly.
//
//  * Viral posts (~1.5% of events, viral_fraction): a few organic posts that suddenly draw S ~ Pareto(1.5) on
//    [200, 5000] extra shares (capped at 5% of E below 10^5 events) from distinct organic accounts; 85% of them
//    within about an hour of an onset (onset = publication + log-normal(20 min, 0.8), each share onset +
//    log-normal(12 min, 0.6)), the rest at organic delays. Hundreds of unrelated accounts co-sharing within an
//    hour: the first false positive.
//
//  * Fan clubs (kind `fanclub`, group `fanNN`; ~3% of events, fanclub_fraction): 20-300 followers (log-uniform)
//    of one organic page publishing between 5 posts in all and 10 a day, notified of every post. Each member
//    shares each of the page's posts independently with its own probability U(0.3, 0.8), after a log-normal
//    delay (member median = 3 min x lognormal(0, 0.4), sigma 0.8, at least 3 s), and comments a fan phrase 8% of
//    the time. Members keep organic background activity like any organic account. Synchronised but organic:
//    the hard negative.
//
//  * Coordinated networks (kind `campaign`, group `netNN`; ~4% of events with camouflage, campaign_fraction;
//    ~6% at 10^4 events, where the minimum of 8 triggers binds). Sizes: network_sizes if given, else the base
//    sizes {15, 40, 120, 400, 1500} x s^0.75, networks below 6 dropped but the three largest always kept (only
//    the largest below 5000 events), each at least 8: {8, 13, 47} at 10^4, {8, 21, 71, 267} at 10^5, the base
//    at 10^6, {84, 225, 675, 2249, 8435} at 10^7. Each network has 2-5 organisers (size / 25), 1-3 pages of its
//    own (one more at 100 and at 1000 members), a working schedule (09:00-18:00 Mon-Fri in its operators' time
//    zone), 3-4 comment templates and 2 hashtags. It runs T triggers (T from the budget, at least 8, the same
//    for every network up to +-20%): 70% are its own campaign posts (its page publishes, an organiser shares
//    after log-normal(90 s, 0.8)), 30% amplify popular organic posts (an organiser shares log-normal(30 min,
//    1.0) after publication, moved into working hours). Every network after the first amplifies one campaign
//    post of the network before it, and each other amplified trigger picks an earlier network's campaign post
//    with probability 0.1: some posts are pushed by more than one network. Per trigger, every member joins with
//    its own reliability U(0.55, 0.95) (the rest skip), sharing log-normal(20 s, 0.8) after the trigger, clamped
//    to [1 s, 600 s] (about 1-100 s). On 35% of triggers the organisers hand out one template and each
//    participant comments with probability 0.7, log-normal(45 s, 0.8) after its share, pasting the template
//    with small variations (a synonym swap, punctuation, an emoji, a hashtag; templates hold commas and quotes
//    on purpose). Camouflage (30% of the network budget, camouflage_share): each member also shares popular
//    organic posts at organic delays, at least once.
//
//  * Amplification squads (kind `campaign`, group `sqNN`; 2 squads from 10^4 events, none below; ~1160 events at
//    the defaults, 0.12% of 10^6): a club organised to make its own page look popular. Each squad has 8-30
//    members (squad_sizes, else sizes spaced evenly in log scale from 10 to 30: {10, 30} for two squads) and one
//    page of its own (kind `page`, group `sqNN`) that publishes squad_posts posts (20) about 2 h apart (gaps
//    log-normal(2 h, 0.5) clamped to [20 min, 6 h], squeezed when the series would not fit the window), starting
//    at a uniform time. Every member shares every post (with squad_reliability r < 1, each member with
//    probability r, and at least once) within squad_burst_ms (20 s) of publication: delay log-normal(0.3 x
//    burst, 0.6) kept inside [burst / 20, burst] (redrawn, then uniform). No comments, no templates: the same
//    small group, every post, seconds apart. With squad_camouflage (on) each member also shares 1-5 popular
//    organic posts at organic delays; squad_followers (5) organic accounts share each squad post at organic
//    delays (the page's real audience, hours later). Squad posts draw no other organic shares. Like every
//    population, squads are paid from the organic remainder, so E is still hit exactly.
//
// Ids: pages `page0042` (4 digits or more), users `u0001234` (7 or more), posts `p000123` (6 or more; numbered
// in publication order). Page and user numbers are shuffled so no population sits in a contiguous id range.
//
// Output: events CSV `account_id,action,target,timestamp,text,target_time`, ISO 8601 UTC with milliseconds,
// sorted by (time, action post < share < comment, post, account, text), RFC 4180 quoting where needed. Truth CSV
// `account_id,kind,group`, one row per account in id order; kind in {organic, fanclub, campaign, page}; group is
// `netNN` for network members and for the network's own pages, `sqNN` for squad members and the squad's page,
// `fanNN` for fan-club members, else empty.
//
// Determinism: std::mt19937_64 supplies the bits (its output is fixed by the standard); every distribution is
// implemented here, because std:: distributions differ between standard libraries. Each stage draws from its
// own stream seeded from (seed, stage). Same options -> byte-identical files (given the same libm).
//
// Cost: O(E) draws (alias tables) and one O(E log E) sort; ~24 bytes per event plus comment texts in memory.
// 10^7 events: ~0.35 GB peak, ~16 s on one busy core including the 0.77 GB events file.
#include <cstdint>
#include <string>
#include <vector>

#include "cibgraph/event_table.hpp"

namespace cibgraph::datasets {

struct PlantedOptions {
  std::uint64_t events = 1'000'000;  // target; the generator hits it exactly unless E is tiny
  std::uint64_t seed = 1;
  int days = 30;
  std::int64_t start_ms = 1'709'251'200'000;  // 2024-03-01T00:00:00Z

  double post_fraction = 0.05;      // `post` rows
  double posts_per_page = 50.0;     // mean over organic pages
  double campaign_fraction = 0.04;  // coordinated actions + camouflage of all networks
  double camouflage_share = 0.3;    // part of campaign_fraction spent on camouflage
  double fanclub_fraction = 0.03;   // fan-club synchronised shares and comments
  double viral_fraction = 0.015;    // extra shares on viral posts
  double organic_comment_fraction = 0.08;

  std::vector<std::uint32_t> network_sizes;  // empty: derived from events (see planned_network_sizes)
  std::uint32_t fan_clubs = 0;               // 0: as many as fanclub_fraction pays for (at least one)
  std::uint32_t viral_posts = 0;             // 0: as many as viral_fraction pays for (at least one)

  // Amplification squads (see planned_squad_sizes). Squads take at most 30% of the events.
  std::int32_t squads = -1;                // -1: 2 from 10^4 events, none below; 0: none; at most 100
  std::vector<std::uint32_t> squad_sizes;  // empty: derived; else one size per squad, each in [2, 1000]
  std::uint32_t squad_posts = 20;          // posts each squad page publishes, in [10, 1000]
  std::int64_t squad_burst_ms = 20'000;    // members share within this of publication, in [1 s, 1 h]
  double squad_reliability = 1.0;          // chance a member shares a given squad post, in (0, 1]
  bool squad_camouflage = true;            // members also share a few popular organic posts
  std::uint32_t squad_followers = 5;       // organic accounts sharing each squad post, at most 10000
};

enum class PlantedAction : std::uint8_t { post = 0, share = 1, comment = 2 };
enum class AccountKind : std::uint8_t { organic = 0, fanclub = 1, campaign = 2, page = 3 };

inline constexpr std::uint32_t kNoPlantedText = 0xFFFFFFFFu;

struct PlantedEvent {
  std::int64_t time = 0;                // ms since epoch, UTC
  std::uint32_t account = 0;            // index into PlantedScenario accounts (pages first)
  std::uint32_t post = 0;               // post id (publication order)
  std::uint32_t text = kNoPlantedText;  // index into PlantedScenario::texts
  PlantedAction action = PlantedAction::share;
};

struct PlantedTrigger {
  std::uint32_t post = 0;
  std::int64_t time = 0;        // the organiser's share
  std::uint32_t organiser = 0;  // account index
  bool own_post = false;        // the network's own campaign post (else an amplified post)
  bool comments = false;        // a comment wave followed
};

struct PlantedNetwork {
  std::string id;  // net01 ...
  std::uint32_t size = 0;
  std::int32_t utc_offset_hours = 0;      // operators' working-time zone
  std::vector<std::uint32_t> members;     // account indices, sorted
  std::vector<std::uint32_t> organisers;  // account indices, sorted
  std::vector<std::uint32_t> pages;       // account indices, sorted
  std::vector<PlantedTrigger> triggers;   // in time order
  std::vector<std::string> templates;
};

struct PlantedFanClub {
  std::string id;                      // fan01 ...
  std::uint32_t page = 0;              // account index of the followed page
  std::vector<std::uint32_t> members;  // account indices, sorted
};

struct PlantedSquad {
  std::string id;                      // sq01 ...
  std::uint32_t page = 0;              // account index of the squad's own page
  std::vector<std::uint32_t> members;  // account indices, sorted
  std::vector<std::uint32_t> posts;    // post ids the page published, in publication order
};

struct PlantedSummary {
  std::uint64_t events = 0, accounts = 0, pages = 0, posts = 0;
  std::uint64_t organic_accounts = 0, fanclub_accounts = 0;
  std::uint64_t campaign_accounts = 0;  // kind `campaign`: network and squad members
  std::uint64_t squad_accounts = 0;     // squad members (counted in campaign_accounts too)
  std::uint64_t shares = 0, comments = 0;
  std::uint64_t coordinated_events = 0;  // networks' trigger shares and template comments
  std::uint64_t squad_events = 0;        // squad members' shares of their squad's posts
  std::uint64_t camouflage_events = 0;   // networks' and squads' camouflage shares
  std::uint64_t fanclub_events = 0;  // fan-club synchronised shares and comments
  std::uint64_t viral_events = 0;    // extra shares on viral posts
  std::uint32_t networks = 0;
  std::vector<std::uint32_t> network_sizes;
  std::uint32_t fan_clubs = 0;
  std::vector<std::uint32_t> fan_club_sizes;
  std::uint32_t viral_posts = 0;
  std::uint32_t multi_network_posts = 0;  // posts triggered by more than one network
  std::uint32_t squads = 0;
  std::vector<std::uint32_t> squad_sizes;
};

// The whole scenario in memory: what the CSV files hold, plus the plan behind them (for tests and scoring).
struct PlantedScenario {
  PlantedOptions options;
  std::vector<PlantedEvent> events;         // in output order
  std::uint32_t page_count = 0;             // accounts [0, page_count) are pages, the rest users
  std::vector<AccountKind> account_kind;    // per account
  // Fan-club index for fan-club members; for campaign members and pages a network index k, or
  // networks.size() + s for squad s; else -1.
  std::vector<std::int32_t> account_group;
  std::vector<std::int64_t> post_time;      // per post id
  std::vector<std::uint32_t> post_page;     // per post id: account index of the publishing page
  std::vector<std::uint32_t> viral_posts;   // post ids, ascending
  std::vector<PlantedNetwork> networks;
  std::vector<PlantedFanClub> fan_clubs;
  std::vector<PlantedSquad> squads;
  std::vector<std::string> texts;
  PlantedSummary summary;

  std::string account_id(std::uint32_t account) const;  // page0042, u0001234
  std::string post_id(std::uint32_t post) const;        // p000123
  std::string group_id(std::uint32_t account) const;    // net01, sq02, fan03, or empty
};

// The network sizes generate_planted_campaigns will plant for these options.
std::vector<std::uint32_t> planned_network_sizes(const PlantedOptions& options);

// The squad sizes it will plant: squad_sizes if given, else `squads` squads (-1: 2 from 10^4 events, else 0)
// with sizes spaced evenly in log scale from 10 to 30 (one squad: 10).
std::vector<std::uint32_t> planned_squad_sizes(const PlantedOptions& options);

// Throws UsageError for options it cannot honour (fewer than 1000 events, days < 1, fractions or squad options
// out of range, squads taking more than 30% of the events).
PlantedScenario generate_planted_campaigns(const PlantedOptions& options);

// Stream the two CSV files; throw Error when a file cannot be written.
void write_planted_events_csv(const PlantedScenario& scenario, const std::string& path);
void write_planted_truth_csv(const PlantedScenario& scenario, const std::string& path);

PlantedSummary write_planted_campaigns(const PlantedOptions& options, const std::string& events_csv_path,
                                       const std::string& truth_csv_path);

// The events as the core table, strings interned in order of first appearance (as ingesting the CSV would).
EventTable planted_event_table(const PlantedScenario& scenario);

}  // namespace cibgraph::datasets
