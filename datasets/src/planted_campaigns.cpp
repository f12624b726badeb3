// The planted-campaign generator. The model and its parameters are documented in planted_campaigns.hpp; the
// constants below carry the same numbers, each with the reason it has that value.
#include "cibgraph/datasets/planted_campaigns.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <string_view>

#include "cibgraph/error.hpp"
#include "cibgraph/random.hpp"
#include "cibgraph/time.hpp"

namespace cibgraph::datasets {
namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr double kPi = 3.14159265358979323846;

// --- model constants (see the header for the population each belongs to) ---

// Organic audience. A median of two hours with sigma 1.6 puts 5% of shares under ~9 minutes and 5% past a day:
// the minutes-to-days spread of reshares measured on Facebook and Twitter cascades.
constexpr double kOrganicDelayMedianMs = 2.0 * kHour;
constexpr double kOrganicDelaySigma = 1.6;
constexpr double kActivityExponent = 2.0;     // P(k) ~ k^-2: the usual exponent of per-user activity
constexpr double kPageWeightAlpha = 1.3;      // few pages publish most posts
constexpr double kPostPopularityAlpha = 1.5;  // heavy tail, finite mean
constexpr double kPostPopularityCap = 300.0;  // keeps one post from eating the audience at small sizes
constexpr double kGenericCommentShare = 1.0 / 3.0;

// Viral posts: big enough that they dominate any one-hour co-share window, the false positive to survive.
constexpr double kViralMinShares = 200.0;
constexpr double kViralMaxShares = 5000.0;
constexpr double kViralAlpha = 1.5;
constexpr double kViralBurstShare = 0.85;
constexpr double kViralOnsetMedianMs = 20.0 * kMinute;
constexpr double kViralBurstMedianMs = 12.0 * kMinute;  // 99% of the burst inside an hour of the onset
constexpr double kViralBurstSigma = 0.6;

// Fan clubs: push notifications bring followers within minutes, each at their own pace.
constexpr double kFanMinSize = 20.0;
constexpr double kFanMaxSize = 300.0;
constexpr double kFanShareMin = 0.3, kFanShareMax = 0.8;
constexpr double kFanDelayMedianMs = 3.0 * kMinute;
constexpr double kFanMemberPaceSigma = 0.4;
constexpr double kFanDelaySigma = 0.8;
constexpr double kFanCommentChance = 0.08;
constexpr std::uint32_t kFanMinPagePosts = 5;  // a club needs several posts to look synchronised at all
constexpr double kFanMaxPostsPerDay = 10.0;    // fans follow creators and causes, not 300-a-day news feeds

// Coordinated networks.
constexpr std::array<double, 5> kBaseNetworkSizes = {15, 40, 120, 400, 1500};  // at 10^6 events
constexpr double kNetworkScaleExponent = 0.75;  // sizes grow slower than the data: bigger data, more triggers
constexpr std::uint32_t kMinNetworkSize = 8;
constexpr std::uint32_t kMinTriggers = 8;  // fewer co-shares than this and a pair is noise even to a human
constexpr double kOwnPostShare = 0.7;
constexpr double kReliabilityMin = 0.55, kReliabilityMax = 0.95;  // members skip some orders
constexpr double kCommentTriggerChance = 0.35;
constexpr double kCommentChance = 0.7;
constexpr double kOrganiserDelayMedianMs = 90.0 * kSecond;
constexpr double kAmplifyDelayMedianMs = 30.0 * kMinute;
constexpr double kCrossDelayMedianMs = 20.0 * kMinute;
constexpr double kCrossNetworkChance = 0.1;
constexpr double kMemberDelayMedianMs = 20.0 * kSecond;  // scripted or coordinated by chat: seconds
constexpr double kMemberDelaySigma = 0.8;
constexpr double kCommentDelayMedianMs = 45.0 * kSecond;
constexpr std::int64_t kTriggerMargin = 30 * kMinute;  // every wave ends before the window closes
// Operators work office hours somewhere; the offsets are the time zones named in takedown reports.
constexpr std::array<int, 8> kOperatorUtcOffsets = {3, 8, -5, 1, 5, 2, 7, -3};

// Amplification squads: a club told to share every post of its page at once, so the page looks popular.
constexpr std::uint64_t kSquadMinEvents = 10'000;  // below, two squads of 10 and 30 would crowd out the audience
constexpr double kSquadSmallest = 10.0, kSquadLargest = 30.0;  // the seed case: clubs of 8-30 members
constexpr double kSquadGapMedianMs = 2.0 * kHour;              // the page posts every couple of hours
constexpr double kSquadGapSigma = 0.5;
constexpr std::int64_t kSquadMinGap = 20 * kMinute, kSquadMaxGap = 6 * kHour;
constexpr double kSquadDelayMedianShare = 0.3;  // of the burst: 6 s at 20 s, everyone done well inside it
constexpr double kSquadDelaySigma = 0.6;
constexpr double kSquadDelayFloorShare = 0.05;  // nobody shares in the very millisecond of publication
constexpr std::uint64_t kSquadMaxCamouflage = 5;  // 1-5 organic shares per member: "a few"
constexpr double kSquadMaxShareOfEvents = 0.3;

double mean_reliability() { return 0.5 * (kReliabilityMin + kReliabilityMax); }
// Expected coordinated actions per member per trigger: a share when it joins, and a comment on comment waves.
double actions_per_member_trigger() { return mean_reliability() * (1.0 + kCommentTriggerChance * kCommentChance); }

// --- randomness: mt19937_64 bits, distributions written out so every platform draws the same numbers ---
// Each stage's stream is seeded through the library's generator (cibgraph/random.hpp: one SplitMix64 step of the seed
// mixed with the stage's); the bits stay std::mt19937_64's, whose output the standard fixes, so every planted data
// set (the demo's, the quality tables') is the one it always was.

std::uint64_t seed_mix(std::uint64_t x) { return SplitMix64(x).next(); }

class Rng {
 public:
  // One stream per stage, so changing how much one stage draws leaves the others' numbers alone.
  Rng(std::uint64_t seed, std::uint64_t stage) : bits_(seed_mix(seed ^ seed_mix(stage + 1))) {}

  double uniform() { return static_cast<double>(bits_() >> 11) * 0x1.0p-53; }               // [0, 1)
  double uniform_open() { return (static_cast<double>(bits_() >> 11) + 0.5) * 0x1.0p-53; }  // (0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  std::uint64_t below(std::uint64_t n) {
    const auto r = static_cast<std::uint64_t>(uniform() * static_cast<double>(n));
    return r < n ? r : n - 1;
  }
  bool chance(double p) { return uniform() < p; }
  double normal() {  // Box-Muller, keeping the second variate
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniform_open()));
    const double angle = 2.0 * kPi * uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
  double exponential(double mean) { return -mean * std::log(uniform_open()); }
  double pareto(double minimum, double alpha) { return minimum * std::pow(uniform_open(), -1.0 / alpha); }
  double log_uniform(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }

 private:
  std::mt19937_64 bits_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

enum Stage : std::uint64_t {
  kStageNetworks,
  kStagePages,
  kStageViral,
  kStageFans,
  kStageUsers,
  kStageViralEvents,
  kStageFanEvents,
  kStageNetworkEvents,
  kStageOrganic,
  kStageShuffle,
  kStageSquads,  // appended: the earlier stages keep their streams
  kStageSquadEvents
};

// Draws an index with probability proportional to its weight in O(1): Walker's alias method, built with Vose's
// stable work lists so the table (and every draw) is the same on every platform. The organic loop draws a post
// per action; a binary search over 10^5-10^6 running sums missed the cache on nearly every step.
class WeightedIndex {
 public:
  WeightedIndex() = default;
  explicit WeightedIndex(const std::vector<double>& weights) : keep_(weights.size()), alias_(weights.size()) {
    const std::size_t n = weights.size();
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = total > 0 ? weights[i] * static_cast<double>(n) / total : 1.0;
      (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const std::uint32_t s = small.back(), l = large.back();
      small.pop_back();
      keep_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (auto i : large) keep_[i] = 1.0, alias_[i] = i;
    for (auto i : small) keep_[i] = 1.0, alias_[i] = i;  // rounding leftovers
  }
  std::uint32_t operator()(Rng& rng) const {
    const double u = rng.uniform() * static_cast<double>(keep_.size());
    const auto column = std::min(static_cast<std::size_t>(u), keep_.size() - 1);
    return u - static_cast<double>(column) < keep_[column] ? static_cast<std::uint32_t>(column) : alias_[column];
  }

 private:
  std::vector<double> keep_;
  std::vector<std::uint32_t> alias_;
};

// Discrete power law P(k) ~ k^-exponent on [1, kmax], by inverse CDF over a table.
class PowerLaw {
 public:
  PowerLaw(double exponent, std::uint32_t kmax) : cdf_(kmax) {
    double total = 0.0, weighted = 0.0;
    for (std::uint32_t k = 1; k <= kmax; ++k) {
      const double p = std::pow(static_cast<double>(k), -exponent);
      total += p;
      weighted += p * k;
      cdf_[k - 1] = total;
    }
    for (double& c : cdf_) c /= total;
    mean_ = weighted / total;
  }
  std::uint32_t operator()(Rng& rng) const {
    const double u = rng.uniform();
    const auto at = std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin();
    return static_cast<std::uint32_t>(std::min<std::ptrdiff_t>(at, static_cast<std::ptrdiff_t>(cdf_.size()) - 1)) + 1;
  }
  double mean() const { return mean_; }

 private:
  std::vector<double> cdf_;
  double mean_ = 1.0;
};

// --- calendar ---

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int weekday(std::int64_t day) {  // 0 = Sunday; 1970-01-01 was a Thursday
  return static_cast<int>(((day + 4) % 7 + 7) % 7);
}

// The audience is mostly in one region: activity peaks at 20:00 UTC and bottoms out at 08:00 (4:1). Tabulated
// per minute of the day, because the organic loop asks for every action.
class DiurnalCurve {
 public:
  DiurnalCurve() {
    for (std::size_t m = 0; m < acceptance_.size(); ++m) {
      const double hour = static_cast<double>(m) / 60.0;
      acceptance_[m] = (1.0 + 0.6 * std::cos(2.0 * kPi * (hour - 20.0) / 24.0)) / 1.6;
    }
  }
  bool accept(std::int64_t t, Rng& rng) const {
    const std::int64_t ms = t - floor_div(t, kDay) * kDay;
    return rng.uniform() < acceptance_[static_cast<std::size_t>(ms / kMinute)];
  }

 private:
  std::array<double, 24 * 60> acceptance_{};
};

const DiurnalCurve kDiurnal;

bool diurnal_accept(std::int64_t t, Rng& rng) { return kDiurnal.accept(t, rng); }

// Operators post in office hours, 09:00-18:00 Monday to Friday in their own zone (a tell in takedown reports).
bool in_office_hours(std::int64_t t, int utc_offset_hours) {
  const std::int64_t local = t + utc_offset_hours * kHour;
  const std::int64_t day = floor_div(local, kDay);
  const std::int64_t ms = local - day * kDay;
  const int wd = weekday(day);
  return wd >= 1 && wd <= 5 && ms >= 9 * kHour && ms < 18 * kHour;
}

// t itself in office hours, else the next opening plus up to 90 minutes (the backlog cleared after a night).
std::int64_t next_office_time(std::int64_t t, int utc_offset_hours, Rng& rng) {
  if (in_office_hours(t, utc_offset_hours)) return t;
  const std::int64_t local = t + utc_offset_hours * kHour;
  std::int64_t day = floor_div(local, kDay);
  if (local - day * kDay >= 9 * kHour) ++day;
  while (weekday(day) == 0 || weekday(day) == 6) ++day;
  const std::int64_t opening = day * kDay + 9 * kHour - utc_offset_hours * kHour;
  return opening + static_cast<std::int64_t>(rng.uniform() * 90.0 * kMinute);
}

std::int64_t to_ms(double ms) { return static_cast<std::int64_t>(std::llround(ms)); }

// --- texts ---

// Campaign templates: fictional names, and commas and quotes on purpose (they exercise RFC 4180 quoting).
constexpr std::array<std::string_view, 30> kTemplates = {
    "Finally someone says it: Governor Marlow is the only one fighting for us!",
    "\"Promises kept\" - that's what real leadership looks like. Share this!",
    "Don't believe the media, the Eastgate project will create thousands of jobs.",
    "They don't want you to see this, share before it gets deleted!",
    "Wake up people, the truth about the water tax is finally out.",
    "If you care about your family, you need to read this. Everyone should.",
    "Marlow 2024, no excuses, no compromises!",
    "This is what the \"experts\" won't tell you about Vitaclear.",
    "I used to doubt it, but the numbers don't lie: Novacoin is the future.",
    "Real patriots stand with the farmers, not with the bureaucrats!",
    "Another lie from the \"independent\" press. When will they stop?",
    "Share if you agree: our town deserves better than Mayor Quist.",
    "The so-called \"protest\" was paid for, everyone knows it.",
    "Proud to support the Harbor Line, it's time to build!",
    "Remember who voted for this, and remember it in November.",
    "Do your own research, the Redfield report was buried for a reason.",
    "Nobody asked for this law, nobody wants it, repeat it until they listen!",
    "Great news for our region, thank you Minister Oduya!",
    "Boycott Kestrel Foods, they fund the people destroying our country.",
    "The \"fact checkers\" got it wrong again, read the full thread.",
    "We are millions, and we will not be silenced!",
    "This is the best decision in years, anyone who says otherwise is paid.",
    "Just got my Novacoin airdrop, 10x in a week, don't miss it!",
    "Say NO to the Northgate pipeline, our rivers are not for sale!",
    "Look at the crowd, they said \"nobody would come\"!",
    "Stop the censorship, let people decide for themselves.",
    "Vitaclear changed my life, doctors hate that it works.",
    "Ask yourself why every channel is silent about this.",
    "The vote count in Westmark doesn't add up, spread the word!",
    "Thank you for standing up for us, we have your back!",
};

// One swapped word is how operators dodge exact-duplicate filters.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kSynonyms = {{
    {"people", "folks"},
    {"everyone", "everybody"},
    {"Everyone", "Everybody"},
    {"share", "repost"},
    {"Share", "Repost"},
    {"truth", "facts"},
    {"Great", "Huge"},
    {"media", "press"},
    {"need to", "must"},
    {"thousands", "tens of thousands"},
    {"finally", "at last"},
    {"Finally", "At last"},
    {"real", "true"},
    {"country", "nation"},
    {"best", "smartest"},
    {"Proud", "So proud"},
}};

constexpr std::array<std::string_view, 10> kEmoji = {"🔥", "👇", "💯", "🙏", "😡", "✅", "👏", "🇺🇸", "‼️", "💪"};

constexpr std::array<std::string_view, 16> kHashtags = {
    "#MarlowForUs",    "#EastgateNow",   "#TruthMatters",   "#WakeUp",        "#NovacoinArmy", "#StandWithFarmers",
    "#StopTheLies",    "#HarborLineYes", "#NoNorthgate",    "#WestmarkVotes", "#Vitaclear",    "#BoycottKestrel",
    "#SilentMajority", "#FreeSpeechNow", "#OurRegionRises", "#QuistOut"};

// Phrases thousands of unrelated people type: identical text is not, by itself, coordination.
constexpr std::array<std::string_view, 30> kGenericComments = {"So true",
                                                               "Source?",
                                                               "This!",
                                                               "Wow",
                                                               "lol",
                                                               "Agreed.",
                                                               "Not sure about that, tbh",
                                                               "Thanks for sharing",
                                                               "Interesting...",
                                                               "Can't believe this",
                                                               "Wow, just wow",
                                                               "100%",
                                                               "Sad.",
                                                               "Love it",
                                                               "Who cares",
                                                               "Same here",
                                                               "\"Breaking news\" lol",
                                                               "Fake",
                                                               "Exactly!",
                                                               "Nope.",
                                                               "Great read, thanks!",
                                                               "haha",
                                                               "Finally!",
                                                               "Well said",
                                                               "I disagree, respectfully",
                                                               "😂😂😂",
                                                               "❤️",
                                                               "👏👏",
                                                               "Read the article first",
                                                               "Big if true"};

constexpr std::array<std::string_view, 12> kOpeners = {"Honestly,", "I mean,", "Wow,",  "Lol", "Not gonna lie,",
                                                       "Ok but",    "Hmm,",    "Well,", "So",  "Funny how",
                                                       "Ngl",       "Tbh"};
constexpr std::array<std::string_view, 30> kBodies = {"this is the best thing I've seen all week",
                                                      "my cousin said the same thing yesterday",
                                                      "who even writes these headlines",
                                                      "I would love to see the actual numbers",
                                                      "this happens every single year",
                                                      "nobody in my town talks about this",
                                                      "the comments here are wild",
                                                      "I'm not surprised at all",
                                                      "that photo is amazing",
                                                      "we need more stories like this",
                                                      "this is why I stopped watching the news",
                                                      "my dog would disagree",
                                                      "can someone explain what happened",
                                                      "I was there and it was packed",
                                                      "it's more complicated than that",
                                                      "prices here went up too",
                                                      "the second paragraph says it all",
                                                      "this made my day",
                                                      "I'll believe it when I see it",
                                                      "the title is misleading",
                                                      "we tried that and it didn't work",
                                                      "good for them",
                                                      "what a time to be alive",
                                                      "this is so out of context",
                                                      "the weather has been crazy lately",
                                                      "the game last night was unreal",
                                                      "I've been saying this for years",
                                                      "mods please check this",
                                                      "my feed is full of this today",
                                                      "I need a coffee before reading this"};
constexpr std::array<std::string_view, 8> kEndings = {"", ".", "!", "...", "?", " lol", " 😂", " 🤔"};

constexpr std::array<std::string_view, 10> kFanComments = {
    "❤️❤️❤️",           "Love this!", "Yes!! 🙌",     "Always the best", "First!",
    "Amazing as always, thank you", "🔥🔥",         "Can't wait!", "Best page ever",  "\"Legendary\""};

std::string vary_template(std::string_view base, const std::vector<std::string>& hashtags, Rng& rng) {
  std::string s(base);
  if (rng.chance(0.35)) {
    std::vector<std::size_t> present;
    for (std::size_t i = 0; i < kSynonyms.size(); ++i)
      if (s.find(kSynonyms[i].first) != std::string::npos) present.push_back(i);
    if (!present.empty()) {
      const auto& [from, to] = kSynonyms[present[rng.below(present.size())]];
      s.replace(s.find(from), from.size(), to);
    }
  }
  const double u = rng.uniform();
  if (s.back() == '!') {
    if (u < 0.25)
      s += "!";
    else if (u < 0.35)
      s += "!!";
    else if (u < 0.45)
      s.back() = '.';
  } else if (s.back() == '.') {
    if (u < 0.25)
      s.back() = '!';
    else if (u < 0.40)
      s += "..";
    else if (u < 0.50)
      s.pop_back();
  } else if (s.back() == '?' && u < 0.3) {
    s += "?";
  }
  if (rng.chance(0.15)) {
    if (const auto comma = s.find(", "); comma != std::string::npos) s.erase(comma, 1);
  }
  if (rng.chance(0.5)) (s += ' ') += kEmoji[rng.below(kEmoji.size())];
  if (rng.chance(0.1)) s = std::string(kEmoji[rng.below(kEmoji.size())]) + " " + s;
  if (rng.chance(0.35)) (s += ' ') += hashtags[rng.below(hashtags.size())];
  return s;
}

int decimal_digits(std::uint64_t n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

// Writes value in decimal, zero-padded to width digits (width <= 20); returns the end.
char* put_padded(char* p, std::uint64_t value, int width) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n < width) digits[n++] = '0';
  while (n > 0) *p++ = digits[--n];
  return p;
}

void append_padded(std::string& out, std::uint64_t value, int width) {
  char buf[24];
  out.append(buf, static_cast<std::size_t>(put_padded(buf, value, width) - buf));
}

// --- the generator ---

struct NetworkPlan {
  std::uint32_t size = 0;
  std::uint32_t organisers = 0;
  std::uint32_t triggers = 0;
  std::uint32_t own_posts = 0;
  std::uint32_t pages = 0;
  int utc_offset = 0;
  std::vector<std::uint32_t> page_accounts;  // global account indices
  std::vector<std::uint32_t> own_post_ids;   // after posts are numbered
  std::uint32_t first_member = 0;            // global account index of the first member
};

struct FanPlan {
  std::uint32_t page = 0;  // global account index (= page index, pages come first)
  std::uint32_t size = 0;
  std::uint32_t first_member = 0;
};

struct SquadPlan {
  std::uint32_t size = 0;
  std::uint32_t page = 0;                  // global account index of its page
  std::vector<std::int64_t> post_times;    // ascending
  std::vector<std::uint32_t> post_ids;     // after posts are numbered
  std::uint32_t first_member = 0;          // global account index of the first member
};

// What the squads will add to the events, on average: their posts, the members' shares, the followers' shares
// and the camouflage. The generator pays it from the organic remainder; validate() bounds it.
double squad_expected_events(const PlantedOptions& o, const std::vector<std::uint32_t>& sizes) {
  const double members = std::accumulate(sizes.begin(), sizes.end(), 0.0);
  const double posts = static_cast<double>(o.squad_posts);
  return static_cast<double>(sizes.size()) * posts * (1.0 + o.squad_followers) + members * posts * o.squad_reliability +
         (o.squad_camouflage ? members * 0.5 * (1.0 + kSquadMaxCamouflage) : 0.0);
}

class Generator {
 public:
  explicit Generator(const PlantedOptions& options)
      : o_(options),
        start_(options.start_ms),
        end_(options.start_ms + options.days * kDay),
        activity_(kActivityExponent, static_cast<std::uint32_t>(
                                         std::clamp(std::sqrt(static_cast<double>(options.events)), 100.0, 20000.0))) {}

  PlantedScenario run() {
    events_.reserve(o_.events + o_.events / 50 + 1024);  // the count lands on target; no regrowth copies
    plan_networks();
    plan_squads();
    make_pages_and_posts();
    plan_viral();
    plan_fan_clubs();
    make_users();
    make_viral_events();
    make_fan_club_events();
    make_network_events();
    make_squad_events();
    make_organic_events();
    return finish();
  }

 private:
  // Accounts: pages are [0, page_count_), users follow. Indices are renumbered by a shuffle at the end.
  std::uint32_t add_user(AccountKind kind, std::int32_t group, std::uint32_t organic_actions) {
    kind_.push_back(kind);
    group_.push_back(group);
    organic_actions_.push_back(organic_actions);
    return static_cast<std::uint32_t>(kind_.size() - 1);
  }

  void emit(std::uint32_t account, PlantedAction action, std::uint32_t post, std::int64_t time,
            std::uint32_t text = kNoPlantedText) {
    events_.push_back(PlantedEvent{time, account, post, text, action});
  }

  std::uint32_t add_text(std::string text) {
    texts_.push_back(std::move(text));
    return static_cast<std::uint32_t>(texts_.size() - 1);
  }

  void plan_networks() {
    Rng rng(o_.seed, kStageNetworks);
    const auto sizes = planned_network_sizes(o_);
    const double members = std::accumulate(sizes.begin(), sizes.end(), 0.0);
    const double coordinated_budget =
        static_cast<double>(o_.events) * o_.campaign_fraction * (1.0 - o_.camouflage_share);
    const double base_triggers = members > 0 ? coordinated_budget / (members * actions_per_member_trigger()) : 0;
    std::vector<std::size_t> template_order(kTemplates.size()), hashtag_order(kHashtags.size());
    std::iota(template_order.begin(), template_order.end(), 0);
    std::iota(hashtag_order.begin(), hashtag_order.end(), 0);
    shuffle(template_order, rng);
    shuffle(hashtag_order, rng);
    std::size_t next_template = 0, next_hashtag = 0;
    for (std::size_t k = 0; k < sizes.size(); ++k) {
      NetworkPlan plan;
      plan.size = sizes[k];
      plan.organisers = std::clamp<std::uint32_t>(plan.size / 25, 2, 5);
      plan.organisers = std::min(plan.organisers, plan.size);
      plan.triggers =
          std::max(kMinTriggers, static_cast<std::uint32_t>(std::llround(base_triggers * rng.uniform(0.8, 1.2))));
      plan.own_posts = static_cast<std::uint32_t>(std::llround(kOwnPostShare * plan.triggers));
      plan.pages = 1 + (plan.size >= 100) + (plan.size >= 1000);
      plan.utc_offset = kOperatorUtcOffsets[rng.below(kOperatorUtcOffsets.size())];
      networks_.push_back(plan);

      PlantedNetwork net;
      net.id = "net";
      append_padded(net.id, k + 1, std::max(2, decimal_digits(sizes.size())));
      net.size = plan.size;
      net.utc_offset_hours = plan.utc_offset;
      const std::size_t template_count = 3 + rng.below(2);
      for (std::size_t t = 0; t < template_count; ++t)
        net.templates.emplace_back(kTemplates[template_order[next_template++ % template_order.size()]]);
      std::vector<std::string> tags;
      for (int h = 0; h < 2; ++h) tags.emplace_back(kHashtags[hashtag_order[next_hashtag++ % hashtag_order.size()]]);
      hashtags_.push_back(std::move(tags));
      out_networks_.push_back(std::move(net));
      expected_coordinated_ += plan.size * plan.triggers * actions_per_member_trigger();
    }
  }

  // Each squad's page publishes its series in its own stream: the other posts keep their numbers' draws.
  void plan_squads() {
    Rng rng(o_.seed, kStageSquads);
    const auto sizes = planned_squad_sizes(o_);
    const std::int64_t room = (end_ - start_) - o_.squad_burst_ms - kMinute;  // every burst ends in the window
    for (const auto size : sizes) {
      SquadPlan plan;
      plan.size = size;
      std::vector<std::int64_t> gaps(o_.squad_posts - 1);
      std::int64_t length = 0;
      for (auto& gap : gaps) {
        gap = std::clamp(to_ms(rng.lognormal(kSquadGapMedianMs, kSquadGapSigma)), kSquadMinGap, kSquadMaxGap);
        length += gap;
      }
      if (length > room * 9 / 10) {  // a short window: the same rhythm, squeezed
        const double squeeze = static_cast<double>(room * 9 / 10) / static_cast<double>(length);
        length = 0;
        for (auto& gap : gaps) length += gap = std::max<std::int64_t>(1, to_ms(static_cast<double>(gap) * squeeze));
      }
      std::int64_t t = start_ + static_cast<std::int64_t>(rng.uniform() * static_cast<double>(room - length));
      plan.post_times.push_back(t);
      for (const auto gap : gaps) plan.post_times.push_back(t += gap);
      squads_.push_back(std::move(plan));
    }
    expected_squad_events_ = squad_expected_events(o_, sizes) - static_cast<double>(sizes.size() * o_.squad_posts);
  }

  template <class T>
  static void shuffle(std::vector<T>& v, Rng& rng) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
  }

  std::int64_t diurnal_time(Rng& rng, std::int64_t lo, std::int64_t hi) {
    for (;;) {
      const std::int64_t t = lo + static_cast<std::int64_t>(rng.uniform() * static_cast<double>(hi - lo));
      if (diurnal_accept(t, rng)) return t;
    }
  }

  void make_pages_and_posts() {
    Rng rng(o_.seed, kStagePages);
    std::uint64_t own_total = 0;
    for (const auto& plan : networks_) own_total += plan.own_posts;
    const auto requested = static_cast<std::uint64_t>(std::llround(o_.post_fraction * static_cast<double>(o_.events)));
    const std::uint64_t organic_posts = std::max<std::uint64_t>(requested > own_total ? requested - own_total : 0,
                                                                std::max<std::uint64_t>(20, requested / 2));
    const std::uint64_t posts = organic_posts + own_total;
    const auto organic_pages = static_cast<std::uint32_t>(std::min<std::uint64_t>(
        organic_posts,
        std::max<std::uint64_t>(8, std::llround(static_cast<double>(organic_posts) / o_.posts_per_page))));

    std::vector<double> page_weight(organic_pages);
    for (double& w : page_weight) w = std::min(rng.pareto(1.0, kPageWeightAlpha), 1000.0);
    std::vector<std::uint32_t> page_posts(organic_pages, 1);  // every page publishes at least once
    const WeightedIndex pick_page(page_weight);
    for (std::uint64_t i = organic_pages; i < organic_posts; ++i) ++page_posts[pick_page(rng)];
    page_network_.assign(organic_pages, -1);
    page_weight_ = page_weight;
    for (std::size_t k = 0; k < networks_.size(); ++k)
      for (std::uint32_t p = 0; p < networks_[k].pages; ++p) {
        networks_[k].page_accounts.push_back(static_cast<std::uint32_t>(page_network_.size()));
        page_network_.push_back(static_cast<std::int32_t>(k));
        page_weight_.push_back(0.0);
      }
    page_squad_.assign(page_network_.size(), -1);
    for (std::size_t s = 0; s < squads_.size(); ++s) {
      squads_[s].page = static_cast<std::uint32_t>(page_network_.size());
      page_network_.push_back(-1);
      page_squad_.push_back(static_cast<std::int32_t>(s));
      page_weight_.push_back(0.0);
    }
    page_count_ = static_cast<std::uint32_t>(page_network_.size());
    kind_.assign(page_count_, AccountKind::page);
    group_.assign(page_network_.begin(), page_network_.end());
    for (std::size_t s = 0; s < squads_.size(); ++s) group_[squads_[s].page] = squad_group(s);
    organic_actions_.assign(page_count_, 0);

    struct RawPost {
      std::int64_t time;
      std::uint32_t page;
      double weight;
    };
    std::vector<RawPost> raw;
    raw.reserve(posts);
    for (std::uint32_t p = 0; p < organic_pages; ++p) {
      const double page_pull = std::sqrt(page_weight[p]);  // big pages draw more shares per post, not linearly
      for (std::uint32_t i = 0; i < page_posts[p]; ++i)
        raw.push_back({diurnal_time(rng, start_, end_ - 10 * kMinute), p,
                       page_pull * std::min(rng.pareto(1.0, kPostPopularityAlpha), kPostPopularityCap)});
    }
    for (const auto& plan : networks_)
      for (std::uint32_t i = 0; i < plan.own_posts; ++i) {
        // Campaign posts go out in office hours and early enough for their wave to finish in the window.
        std::int64_t t = 0;
        for (int attempt = 0;; ++attempt) {
          t = next_office_time(start_ + static_cast<std::int64_t>(rng.uniform() * static_cast<double>(end_ - start_)),
                               plan.utc_offset, rng);
          if (t <= end_ - 2 * kHour) break;
          if (attempt > 50) {
            t = start_ + static_cast<std::int64_t>(rng.uniform() * static_cast<double>(end_ - 2 * kHour - start_));
            break;
          }
        }
        // A little organic pull: real people do reshare propaganda now and then.
        raw.push_back({t, plan.page_accounts[i % plan.pages],
                       0.5 * std::min(rng.pareto(1.0, kPostPopularityAlpha), kPostPopularityCap)});
      }
    // Squad posts draw no organic shares beyond their followers' (weight 0).
    for (const auto& squad : squads_)
      for (const auto t : squad.post_times) raw.push_back({t, squad.page, 0.0});
    std::sort(raw.begin(), raw.end(),
              [](const RawPost& a, const RawPost& b) { return a.time != b.time ? a.time < b.time : a.page < b.page; });
    post_time_.resize(raw.size());
    post_page_.resize(raw.size());
    std::vector<double> weights(raw.size());
    page_post_offsets_.assign(page_count_ + 1, 0);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      post_time_[i] = raw[i].time;
      post_page_[i] = raw[i].page;
      weights[i] = raw[i].weight;
      ++page_post_offsets_[raw[i].page + 1];
      const std::int32_t net = page_network_[raw[i].page];
      if (net >= 0) networks_[static_cast<std::size_t>(net)].own_post_ids.push_back(static_cast<std::uint32_t>(i));
      const std::int32_t squad = page_squad_[raw[i].page];
      if (squad >= 0) squads_[static_cast<std::size_t>(squad)].post_ids.push_back(static_cast<std::uint32_t>(i));
    }
    std::partial_sum(page_post_offsets_.begin(), page_post_offsets_.end(), page_post_offsets_.begin());
    page_post_list_.resize(raw.size());
    std::vector<std::uint64_t> fill(page_post_offsets_.begin(), page_post_offsets_.end() - 1);
    for (std::size_t i = 0; i < raw.size(); ++i) page_post_list_[fill[post_page_[i]]++] = static_cast<std::uint32_t>(i);
    pick_post_ = WeightedIndex(weights);
  }

  bool organic_post(std::uint32_t post) const {
    return page_network_[post_page_[post]] < 0 && page_squad_[post_page_[post]] < 0;
  }

  // Squads are numbered after the networks in account_group (see PlantedScenario).
  std::int32_t squad_group(std::size_t s) const { return static_cast<std::int32_t>(networks_.size() + s); }

  // An organic share of a given post: log-normal delay, thinned by the diurnal curve, inside the window.
  std::int64_t organic_time(std::uint32_t post, Rng& rng) {
    const std::int64_t published = post_time_[post];
    for (int attempt = 0; attempt < 8; ++attempt) {
      const std::int64_t t =
          published +
          std::max<std::int64_t>(5 * kSecond, to_ms(rng.lognormal(kOrganicDelayMedianMs, kOrganicDelaySigma)));
      if (t < end_ && diurnal_accept(t, rng)) return t;
    }
    const std::int64_t room = std::max<std::int64_t>(end_ - published - kSecond, 1);
    return published + kSecond / 2 + static_cast<std::int64_t>(rng.uniform() * static_cast<double>(room));
  }

  // A popularity-weighted post and a time for an organic action on it. Posts published too late for the drawn
  // delay are redrawn, so late posts collect fewer shares: the window censors them as a real export would.
  // Camouflage passes organic_only: members share their own campaign posts only on orders.
  std::pair<std::uint32_t, std::int64_t> organic_pick(Rng& rng, bool organic_only = false) {
    std::uint32_t post = 0;
    for (int attempt = 0; attempt < 6; ++attempt) {
      do post = pick_post_(rng);
      while (organic_only && !organic_post(post));
      for (int d = 0; d < 3; ++d) {
        const std::int64_t t =
            post_time_[post] +
            std::max<std::int64_t>(5 * kSecond, to_ms(rng.lognormal(kOrganicDelayMedianMs, kOrganicDelaySigma)));
        if (t < end_ && diurnal_accept(t, rng)) return {post, t};
      }
    }
    return {post, organic_time(post, rng)};
  }

  void plan_viral() {
    Rng rng(o_.seed, kStageViral);
    if (o_.viral_posts == 0 && o_.viral_fraction <= 0) return;
    const double budget = o_.viral_fraction * static_cast<double>(o_.events);
    double planned = 0;
    // Viral posts must leave a day for the cascade (or a quarter of a short window).
    const std::int64_t latest = end_ - std::min<std::int64_t>(kDay, (end_ - start_) / 4);
    std::vector<char> taken(post_time_.size(), 0);
    // Below 10^5 events the largest cascades would dwarf the data: cap them at 5% of it (200 at 4000 events).
    const double cap = std::clamp(0.05 * static_cast<double>(o_.events), 50.0, kViralMaxShares);
    const double minimum = std::min(kViralMinShares, cap);
    while (o_.viral_posts > 0 ? viral_posts_.size() < o_.viral_posts : (planned < budget || viral_posts_.empty())) {
      const auto size = static_cast<std::uint32_t>(std::llround(std::min(rng.pareto(minimum, kViralAlpha), cap)));
      std::uint32_t post = 0;
      bool found = false;
      for (int attempt = 0; attempt < 1000 && !found; ++attempt) {
        post = pick_post_(rng);
        found = organic_post(post) && !taken[post] && post_time_[post] <= latest;
      }
      if (!found) break;
      taken[post] = 1;
      viral_posts_.push_back(post);
      viral_sizes_.push_back(size);
      planned += size;
    }
  }

  double fan_expected_events(std::uint32_t size, std::uint32_t page) const {
    const double posts = static_cast<double>(page_post_offsets_[page + 1] - page_post_offsets_[page]);
    return size * posts * 0.5 * (kFanShareMin + kFanShareMax) * (1.0 + kFanCommentChance);
  }

  void plan_fan_clubs() {
    Rng rng(o_.seed, kStageFans);
    if (o_.fan_clubs == 0 && o_.fanclub_fraction <= 0) return;
    const double budget = o_.fanclub_fraction * static_cast<double>(o_.events);
    const WeightedIndex pick_page(page_weight_);  // campaign pages weigh zero
    std::vector<char> taken(page_count_, 0);
    const auto max_posts = static_cast<std::uint64_t>(kFanMaxPostsPerDay * o_.days);
    double planned = 0;
    while (o_.fan_clubs > 0 ? fans_.size() < o_.fan_clubs : (planned < budget || fans_.empty())) {
      const double remaining = budget - planned;
      // Popular pages have fan clubs; among a few candidates prefer one whose club fits the remaining budget,
      // else the one with the fewest posts.
      constexpr std::uint32_t kNone = 0xFFFFFFFFu;
      auto post_count = [&](std::uint32_t page) { return page_post_offsets_[page + 1] - page_post_offsets_[page]; };
      std::uint32_t chosen = kNone;
      bool chosen_fits = false;
      for (int attempt = 0; attempt < 64 && !chosen_fits; ++attempt) {
        const std::uint32_t page = pick_page(rng);
        if (taken[page] || post_count(page) < kFanMinPagePosts || post_count(page) > max_posts) continue;
        const bool fits =
            o_.fan_clubs > 0 || fan_expected_events(static_cast<std::uint32_t>(kFanMinSize), page) <= remaining;
        if (chosen == kNone || fits || post_count(page) < post_count(chosen)) {
          chosen = page;
          chosen_fits = fits;
        }
      }
      const bool found = chosen != kNone;
      if (!found) break;
      taken[chosen] = 1;
      auto size = static_cast<std::uint32_t>(std::llround(rng.log_uniform(kFanMinSize, kFanMaxSize)));
      if (o_.fan_clubs == 0) {
        const double per_member = fan_expected_events(1, chosen);
        size = std::clamp(size, static_cast<std::uint32_t>(kFanMinSize),
                          static_cast<std::uint32_t>(std::max(kFanMinSize, std::floor(remaining / per_member))));
      }
      fans_.push_back(FanPlan{chosen, size, 0});
      planned += fan_expected_events(size, chosen);
    }
    expected_fan_events_ = planned;
  }

  void make_users() {
    Rng rng(o_.seed, kStageUsers);
    double structured = static_cast<double>(post_time_.size()) + expected_fan_events_ + expected_coordinated_ +
                        o_.campaign_fraction * o_.camouflage_share * static_cast<double>(o_.events) +
                        expected_squad_events_;
    for (auto s : viral_sizes_) structured += s;
    std::uint64_t fan_members = 0;
    for (const auto& f : fans_) fan_members += f.size;
    const double organic_actions = static_cast<double>(o_.events) - structured;
    const double organic_users = organic_actions / activity_.mean() - static_cast<double>(fan_members);
    const auto organic = static_cast<std::uint32_t>(std::max(50.0, std::round(organic_users)));
    organic_begin_ = static_cast<std::uint32_t>(kind_.size());
    for (std::uint32_t i = 0; i < organic; ++i) add_user(AccountKind::organic, -1, activity_(rng));
    organic_end_ = static_cast<std::uint32_t>(kind_.size());
    for (std::size_t f = 0; f < fans_.size(); ++f) {
      fans_[f].first_member = static_cast<std::uint32_t>(kind_.size());
      for (std::uint32_t i = 0; i < fans_[f].size; ++i)
        add_user(AccountKind::fanclub, static_cast<std::int32_t>(f), activity_(rng));
    }
    for (std::size_t k = 0; k < networks_.size(); ++k) {
      networks_[k].first_member = static_cast<std::uint32_t>(kind_.size());
      for (std::uint32_t i = 0; i < networks_[k].size; ++i)
        add_user(AccountKind::campaign, static_cast<std::int32_t>(k), 0);
    }
    for (std::size_t s = 0; s < squads_.size(); ++s) {
      squads_[s].first_member = static_cast<std::uint32_t>(kind_.size());
      for (std::uint32_t i = 0; i < squads_[s].size; ++i) add_user(AccountKind::campaign, squad_group(s), 0);
    }
  }

  void make_viral_events() {
    Rng rng(o_.seed, kStageViralEvents);
    const std::uint32_t pool = organic_end_ - organic_begin_;
    std::vector<std::uint32_t> mark(pool, 0);
    for (std::size_t v = 0; v < viral_posts_.size(); ++v) {
      const std::uint32_t post = viral_posts_[v];
      const std::uint32_t size = std::min(viral_sizes_[v], pool / 2);
      viral_sizes_[v] = size;
      const std::int64_t onset = post_time_[post] + to_ms(rng.lognormal(kViralOnsetMedianMs, 0.8));
      for (std::uint32_t i = 0; i < size; ++i) {
        std::uint32_t user = 0;
        do user = static_cast<std::uint32_t>(rng.below(pool));
        while (mark[user] == v + 1);  // distinct sharers: a cascade reaches each person once
        mark[user] = static_cast<std::uint32_t>(v + 1);
        std::int64_t t = end_;
        if (rng.chance(kViralBurstShare))
          t = onset + std::max<std::int64_t>(kSecond, to_ms(rng.lognormal(kViralBurstMedianMs, kViralBurstSigma)));
        if (t >= end_) t = organic_time(post, rng);
        emit(organic_begin_ + user, PlantedAction::share, post, t);
      }
      viral_events_ += size;
    }
  }

  void make_fan_club_events() {
    Rng rng(o_.seed, kStageFanEvents);
    std::vector<std::uint32_t> fan_texts;
    for (auto phrase : kFanComments) fan_texts.push_back(add_text(std::string(phrase)));
    const std::size_t before = events_.size();
    for (const auto& club : fans_) {
      std::vector<double> share_chance(club.size), pace(club.size);
      for (std::uint32_t m = 0; m < club.size; ++m) {
        share_chance[m] = rng.uniform(kFanShareMin, kFanShareMax);
        pace[m] = kFanDelayMedianMs * rng.lognormal(1.0, kFanMemberPaceSigma);  // some followers are always quick
      }
      for (auto i = page_post_offsets_[club.page]; i < page_post_offsets_[club.page + 1]; ++i) {
        const std::uint32_t post = page_post_list_[i];
        for (std::uint32_t m = 0; m < club.size; ++m) {
          if (!rng.chance(share_chance[m])) continue;
          const std::int64_t t =
              post_time_[post] + std::max<std::int64_t>(3 * kSecond, to_ms(rng.lognormal(pace[m], kFanDelaySigma)));
          if (t >= end_) continue;
          emit(club.first_member + m, PlantedAction::share, post, t);
          if (rng.chance(kFanCommentChance)) {
            const std::int64_t c = t + std::max<std::int64_t>(5 * kSecond, to_ms(rng.lognormal(60.0 * kSecond, 0.8)));
            if (c < end_)
              emit(club.first_member + m, PlantedAction::comment, post, c, fan_texts[rng.below(fan_texts.size())]);
          }
        }
      }
    }
    fan_events_ = events_.size() - before;
  }

  void make_network_events() {
    Rng rng(o_.seed, kStageNetworkEvents);
    double total_members = 0;
    for (const auto& plan : networks_) total_members += plan.size;
    const double camouflage_per_member =
        total_members > 0 ? o_.campaign_fraction * o_.camouflage_share * static_cast<double>(o_.events) / total_members
                          : 0;
    for (std::size_t k = 0; k < networks_.size(); ++k) {
      const NetworkPlan& plan = networks_[k];
      PlantedNetwork& net = out_networks_[k];
      std::vector<double> reliability(plan.size);
      for (double& r : reliability) r = rng.uniform(kReliabilityMin, kReliabilityMax);

      // Orders: the network's own posts, then amplified ones (one of the previous network's posts first).
      std::vector<PlantedTrigger> triggers;
      std::vector<std::uint32_t> used;
      auto organiser = [&] { return plan.first_member + static_cast<std::uint32_t>(rng.below(plan.organisers)); };
      for (std::uint32_t post : plan.own_post_ids) {
        const std::int64_t t =
            post_time_[post] +
            std::clamp<std::int64_t>(to_ms(rng.lognormal(kOrganiserDelayMedianMs, 0.8)), 10 * kSecond, 30 * kMinute);
        triggers.push_back({post, t, organiser(), true, false});
        used.push_back(post);
      }
      for (std::uint32_t a = 0; a < plan.triggers - plan.own_posts; ++a) {
        const bool cross = k > 0 && (a == 0 || rng.chance(kCrossNetworkChance));
        std::uint32_t post = 0;
        std::int64_t t = 0;
        bool found = false;
        for (int attempt = 0; attempt < 200 && !found; ++attempt) {
          if (cross) {
            const std::size_t other = a == 0 ? k - 1 : rng.below(k);
            const auto& theirs = networks_[other].own_post_ids;
            if (theirs.empty()) continue;
            post = theirs[rng.below(theirs.size())];
            t = next_office_time(post_time_[post] + to_ms(rng.lognormal(kCrossDelayMedianMs, 1.0)), plan.utc_offset,
                                 rng);
            if (t > end_ - kTriggerMargin) t = post_time_[post] + 5 * kMinute;
          } else {
            post = pick_post_(rng);
            if (!organic_post(post) || post_time_[post] > end_ - 4 * kHour) continue;
            t = next_office_time(post_time_[post] + to_ms(rng.lognormal(kAmplifyDelayMedianMs, 1.0)), plan.utc_offset,
                                 rng);
            if (t > end_ - kTriggerMargin) continue;
          }
          found = std::find(used.begin(), used.end(), post) == used.end();
        }
        if (!found) continue;
        triggers.push_back({post, t, organiser(), false, false});
        used.push_back(post);
      }
      std::sort(triggers.begin(), triggers.end(), [](const PlantedTrigger& x, const PlantedTrigger& y) {
        return x.time != y.time ? x.time < y.time : x.post < y.post;
      });

      for (auto& trigger : triggers) {
        trigger.comments = rng.chance(kCommentTriggerChance);
        const std::string& base = net.templates[rng.below(net.templates.size())];
        for (std::uint32_t m = 0; m < plan.size; ++m) {
          const std::uint32_t member = plan.first_member + m;
          std::int64_t t = trigger.time;
          if (member != trigger.organiser) {
            if (!rng.chance(reliability[m])) continue;
            t += std::clamp<std::int64_t>(to_ms(rng.lognormal(kMemberDelayMedianMs, kMemberDelaySigma)), kSecond,
                                          10 * kMinute);
          }
          emit(member, PlantedAction::share, trigger.post, t);
          ++coordinated_events_;
          if (trigger.comments && rng.chance(kCommentChance)) {
            const std::int64_t c = t + std::clamp<std::int64_t>(to_ms(rng.lognormal(kCommentDelayMedianMs, 0.8)),
                                                                2 * kSecond, 15 * kMinute);
            emit(member, PlantedAction::comment, trigger.post, c, add_text(vary_template(base, hashtags_[k], rng)));
            ++coordinated_events_;
          }
        }
      }
      net.triggers = std::move(triggers);

      // Camouflage: ordinary-looking shares of popular posts, at least one per member.
      for (std::uint32_t m = 0; m < plan.size; ++m) {
        const auto count =
            1 + static_cast<std::uint64_t>(std::llround(rng.exponential(std::max(camouflage_per_member - 1.0, 0.0))));
        for (std::uint64_t i = 0; i < count; ++i) {
          const auto [post, t] = organic_pick(rng, true);
          emit(plan.first_member + m, PlantedAction::share, post, t);
        }
        camouflage_events_ += count;
      }
    }
  }

  // A member's delay after publication: log-normal, kept inside (0, burst] by redrawing, then uniform.
  std::int64_t squad_delay(Rng& rng) const {
    const double burst = static_cast<double>(o_.squad_burst_ms), floor = kSquadDelayFloorShare * burst;
    for (int attempt = 0; attempt < 4; ++attempt) {
      const double d = rng.lognormal(kSquadDelayMedianShare * burst, kSquadDelaySigma);
      if (d >= floor && d <= burst) return to_ms(d);
    }
    return to_ms(rng.uniform(floor, burst));
  }

  void make_squad_events() {
    Rng rng(o_.seed, kStageSquadEvents);
    const std::uint32_t pool = organic_end_ - organic_begin_;
    const std::uint32_t followers = std::min(o_.squad_followers, pool / 2);
    std::vector<std::uint32_t> mark(pool, 0);
    std::uint32_t stamp = 0;
    for (const auto& squad : squads_) {
      std::vector<char> shared(squad.size, 0);
      for (std::size_t p = 0; p < squad.post_ids.size(); ++p) {
        const std::uint32_t post = squad.post_ids[p];
        const bool last = p + 1 == squad.post_ids.size();
        for (std::uint32_t m = 0; m < squad.size; ++m) {
          // An unreliable member still shares once: every account in the truth acts.
          if (o_.squad_reliability < 1.0 && !rng.chance(o_.squad_reliability) && !(last && !shared[m])) continue;
          shared[m] = 1;
          emit(squad.first_member + m, PlantedAction::share, post, post_time_[post] + squad_delay(rng));
          ++squad_events_;
        }
        // The page's real audience: a few organic accounts, each once, at organic delays.
        ++stamp;
        for (std::uint32_t i = 0; i < followers; ++i) {
          std::uint32_t user = 0;
          do user = static_cast<std::uint32_t>(rng.below(pool));
          while (mark[user] == stamp);
          mark[user] = stamp;
          emit(organic_begin_ + user, PlantedAction::share, post, organic_time(post, rng));
        }
      }
      if (!o_.squad_camouflage) continue;
      for (std::uint32_t m = 0; m < squad.size; ++m) {
        const std::uint64_t count = 1 + rng.below(kSquadMaxCamouflage);
        for (std::uint64_t i = 0; i < count; ++i) {
          const auto [post, t] = organic_pick(rng, true);
          emit(squad.first_member + m, PlantedAction::share, post, t);
        }
        camouflage_events_ += count;
      }
    }
  }

  // Organic actions fill what the other populations left of the requested total, so the count is exact.
  void make_organic_events() {
    Rng rng(o_.seed, kStageOrganic);
    const auto wanted =
        static_cast<std::int64_t>(o_.events) - static_cast<std::int64_t>(events_.size() + post_time_.size());
    std::int64_t have = 0, users = 0;
    for (std::size_t u = page_count_; u < kind_.size(); ++u)
      if (kind_[u] != AccountKind::campaign) have += organic_actions_[u], ++users;
    if (have < wanted) {
      // More audience: new accounts with the same heavy-tailed activity, the last one trimmed to fit.
      while (have < wanted) {
        const std::int64_t k = std::min<std::int64_t>(activity_(rng), wanted - have);
        add_user(AccountKind::organic, -1, static_cast<std::uint32_t>(k));
        have += k;
      }
    } else if (have > wanted) {
      // Less audience: shrink everyone's actions beyond the first in proportion (nobody drops to zero).
      const double ratio = std::max(0.0, static_cast<double>(wanted - users) / static_cast<double>(have - users));
      have = 0;
      for (std::size_t u = page_count_; u < kind_.size(); ++u) {
        if (kind_[u] == AccountKind::campaign) continue;
        organic_actions_[u] = 1 + static_cast<std::uint32_t>(std::floor((organic_actions_[u] - 1) * ratio));
        have += organic_actions_[u];
      }
      for (std::size_t u = page_count_; u < kind_.size() && have < wanted; ++u)
        if (kind_[u] != AccountKind::campaign) ++organic_actions_[u], ++have;
    }

    std::vector<std::uint32_t> generic;
    for (auto phrase : kGenericComments) generic.push_back(add_text(std::string(phrase)));
    for (std::size_t u = page_count_; u < kind_.size(); ++u) {
      if (kind_[u] == AccountKind::campaign) continue;
      for (std::uint32_t i = 0; i < organic_actions_[u]; ++i) {
        const auto [post, t] = organic_pick(rng);
        if (!rng.chance(o_.organic_comment_fraction)) {
          emit(static_cast<std::uint32_t>(u), PlantedAction::share, post, t);
          continue;
        }
        std::uint32_t text = 0;
        if (rng.chance(kGenericCommentShare)) {
          text = generic[rng.below(generic.size())];
        } else {
          std::string s(kOpeners[rng.below(kOpeners.size())]);
          (s += ' ') += kBodies[rng.below(kBodies.size())];
          s += kEndings[rng.below(kEndings.size())];
          text = add_text(std::move(s));
        }
        emit(static_cast<std::uint32_t>(u), PlantedAction::comment, post, t, text);
      }
    }
    for (std::size_t p = 0; p < post_time_.size(); ++p)
      emit(post_page_[p], PlantedAction::post, static_cast<std::uint32_t>(p), post_time_[p]);
  }

  PlantedScenario finish() {
    Rng rng(o_.seed, kStageShuffle);
    // Shuffle page and user numbers: a detector must not find a network as a block of consecutive ids.
    const std::uint32_t accounts = static_cast<std::uint32_t>(kind_.size());
    std::vector<std::uint32_t> page_order(page_count_), user_order(accounts - page_count_);
    std::iota(page_order.begin(), page_order.end(), 0);
    std::iota(user_order.begin(), user_order.end(), page_count_);
    shuffle(page_order, rng);
    shuffle(user_order, rng);
    std::vector<std::uint32_t> renumber(accounts);
    for (std::uint32_t i = 0; i < page_count_; ++i) renumber[page_order[i]] = i;
    for (std::uint32_t i = 0; i < user_order.size(); ++i) renumber[user_order[i]] = page_count_ + i;
    auto renumbered = [&](std::vector<std::uint32_t> ids) {
      for (auto& id : ids) id = renumber[id];
      std::sort(ids.begin(), ids.end());
      return ids;
    };

    PlantedScenario sc;
    sc.options = o_;
    sc.page_count = page_count_;
    sc.account_kind.resize(accounts);
    sc.account_group.resize(accounts);
    for (std::uint32_t a = 0; a < accounts; ++a) {
      sc.account_kind[renumber[a]] = kind_[a];
      sc.account_group[renumber[a]] = group_[a];
    }
    for (auto& e : events_) e.account = renumber[e.account];
    std::sort(events_.begin(), events_.end(), [](const PlantedEvent& a, const PlantedEvent& b) {
      if (a.time != b.time) return a.time < b.time;
      if (a.action != b.action) return a.action < b.action;
      if (a.post != b.post) return a.post < b.post;
      if (a.account != b.account) return a.account < b.account;
      return a.text < b.text;
    });
    sc.events = std::move(events_);
    sc.post_time = std::move(post_time_);
    sc.post_page = std::move(post_page_);
    for (auto& p : sc.post_page) p = renumber[p];
    sc.viral_posts = viral_posts_;
    std::sort(sc.viral_posts.begin(), sc.viral_posts.end());
    sc.texts = std::move(texts_);

    for (std::size_t k = 0; k < networks_.size(); ++k) {
      PlantedNetwork& net = out_networks_[k];
      std::vector<std::uint32_t> members(networks_[k].size), organisers(networks_[k].organisers);
      std::iota(members.begin(), members.end(), networks_[k].first_member);
      std::iota(organisers.begin(), organisers.end(), networks_[k].first_member);
      net.members = renumbered(members);
      net.organisers = renumbered(organisers);
      net.pages = renumbered(networks_[k].page_accounts);
      for (auto& t : net.triggers) t.organiser = renumber[t.organiser];
    }
    sc.networks = std::move(out_networks_);
    for (std::size_t f = 0; f < fans_.size(); ++f) {
      PlantedFanClub club;
      club.id = "fan";
      append_padded(club.id, f + 1, std::max(2, decimal_digits(fans_.size())));
      club.page = renumber[fans_[f].page];
      std::vector<std::uint32_t> members(fans_[f].size);
      std::iota(members.begin(), members.end(), fans_[f].first_member);
      club.members = renumbered(members);
      sc.fan_clubs.push_back(std::move(club));
    }
    for (std::size_t q = 0; q < squads_.size(); ++q) {
      PlantedSquad squad;
      squad.id = "sq";
      append_padded(squad.id, q + 1, std::max(2, decimal_digits(squads_.size())));
      squad.page = renumber[squads_[q].page];
      std::vector<std::uint32_t> members(squads_[q].size);
      std::iota(members.begin(), members.end(), squads_[q].first_member);
      squad.members = renumbered(members);
      squad.posts = squads_[q].post_ids;
      sc.squads.push_back(std::move(squad));
    }

    PlantedSummary& s = sc.summary;
    s.events = sc.events.size();
    s.accounts = accounts;
    s.pages = page_count_;
    s.posts = sc.post_time.size();
    for (auto kind : sc.account_kind) {
      s.organic_accounts += kind == AccountKind::organic;
      s.fanclub_accounts += kind == AccountKind::fanclub;
      s.campaign_accounts += kind == AccountKind::campaign;
    }
    for (const auto& e : sc.events) {
      s.shares += e.action == PlantedAction::share;
      s.comments += e.action == PlantedAction::comment;
    }
    s.coordinated_events = coordinated_events_;
    s.camouflage_events = camouflage_events_;
    s.fanclub_events = fan_events_;
    s.viral_events = viral_events_;
    s.networks = static_cast<std::uint32_t>(sc.networks.size());
    for (const auto& net : sc.networks) s.network_sizes.push_back(net.size);
    s.fan_clubs = static_cast<std::uint32_t>(sc.fan_clubs.size());
    for (const auto& club : sc.fan_clubs) s.fan_club_sizes.push_back(static_cast<std::uint32_t>(club.members.size()));
    s.viral_posts = static_cast<std::uint32_t>(sc.viral_posts.size());
    std::map<std::uint32_t, std::uint32_t> first_network, multi;
    for (std::size_t k = 0; k < sc.networks.size(); ++k)
      for (const auto& t : sc.networks[k].triggers) {
        const auto [it, fresh] = first_network.emplace(t.post, static_cast<std::uint32_t>(k));
        if (!fresh && it->second != k) multi[t.post] = 1;
      }
    s.multi_network_posts = static_cast<std::uint32_t>(multi.size());
    s.squads = static_cast<std::uint32_t>(sc.squads.size());
    for (const auto& squad : sc.squads) {
      s.squad_sizes.push_back(static_cast<std::uint32_t>(squad.members.size()));
      s.squad_accounts += squad.members.size();
    }
    s.squad_events = squad_events_;
    return sc;
  }

  const PlantedOptions& o_;
  const std::int64_t start_, end_;
  const PowerLaw activity_;

  std::vector<NetworkPlan> networks_;
  std::vector<PlantedNetwork> out_networks_;
  std::vector<std::vector<std::string>> hashtags_;
  double expected_coordinated_ = 0;

  std::uint32_t page_count_ = 0;
  std::vector<std::int32_t> page_network_;
  std::vector<double> page_weight_;
  std::vector<std::int64_t> post_time_;
  std::vector<std::uint32_t> post_page_;
  std::vector<std::uint64_t> page_post_offsets_;
  std::vector<std::uint32_t> page_post_list_;
  WeightedIndex pick_post_;

  std::vector<std::uint32_t> viral_posts_, viral_sizes_;
  std::vector<FanPlan> fans_;
  double expected_fan_events_ = 0;

  std::vector<SquadPlan> squads_;
  std::vector<std::int32_t> page_squad_;  // per page: squad index or -1
  double expected_squad_events_ = 0;      // beyond the squads' posts (counted with the posts)
  std::uint64_t squad_events_ = 0;

  std::vector<AccountKind> kind_;
  std::vector<std::int32_t> group_;
  std::vector<std::uint32_t> organic_actions_;
  std::uint32_t organic_begin_ = 0, organic_end_ = 0;

  std::vector<PlantedEvent> events_;
  std::vector<std::string> texts_;
  std::uint64_t coordinated_events_ = 0, camouflage_events_ = 0, fan_events_ = 0, viral_events_ = 0;
};

void validate(const PlantedOptions& o) {
  if (o.events < 1000 || o.events > 1'000'000'000) throw UsageError("planted: events must be in [1000, 10^9]");
  if (o.days < 1 || o.days > 3650) throw UsageError("planted: days must be in [1, 3650]");
  constexpr std::int64_t kYear10000 = 253'402'300'800'000;
  if (o.start_ms < 0 || o.start_ms + o.days * kDay >= kYear10000)
    throw UsageError("planted: the time span must lie between 1970 and 9999");
  auto fraction = [](double v, const char* name) {
    if (!(v >= 0.0 && v <= 0.5)) throw UsageError(std::string("planted: ") + name + " must be in [0, 0.5]");
  };
  fraction(o.post_fraction, "post_fraction");
  fraction(o.campaign_fraction, "campaign_fraction");
  fraction(o.fanclub_fraction, "fanclub_fraction");
  fraction(o.viral_fraction, "viral_fraction");
  if (!(o.organic_comment_fraction >= 0.0 && o.organic_comment_fraction <= 1.0))
    throw UsageError("planted: organic_comment_fraction must be in [0, 1]");
  if (!(o.camouflage_share >= 0.0 && o.camouflage_share < 1.0))
    throw UsageError("planted: camouflage_share must be in [0, 1)");
  if (!(o.posts_per_page >= 1.0)) throw UsageError("planted: posts_per_page must be at least 1");
  if (o.post_fraction + o.campaign_fraction + o.fanclub_fraction + o.viral_fraction > 0.8)
    throw UsageError("planted: the fractions leave no room for the organic audience");
  for (auto size : o.network_sizes)
    if (size < 2 || size > 10'000'000) throw UsageError("planted: network sizes must be in [2, 10^7]");

  if (o.squads < -1) throw UsageError("planted: squads must be -1 (derived from events) or in [0, 100]");
  if (o.squads > 100) throw UsageError("planted: at most 100 squads");
  if (o.squads >= 0 && !o.squad_sizes.empty() && o.squad_sizes.size() != static_cast<std::size_t>(o.squads))
    throw UsageError("planted: squads and the number of squad_sizes disagree");
  if (o.squad_sizes.size() > 100) throw UsageError("planted: at most 100 squads");
  for (auto size : o.squad_sizes)
    if (size < 2 || size > 1000) throw UsageError("planted: squad sizes must be in [2, 1000]");
  if (o.squad_posts < 10 || o.squad_posts > 1000) throw UsageError("planted: squad_posts must be in [10, 1000]");
  if (o.squad_burst_ms < kSecond || o.squad_burst_ms > kHour)
    throw UsageError("planted: squad_burst_ms must be in [1 s, 1 h]");
  if (!(o.squad_reliability > 0.0 && o.squad_reliability <= 1.0))
    throw UsageError("planted: squad_reliability must be in (0, 1]");
  if (o.squad_followers > 10'000) throw UsageError("planted: squad_followers must be at most 10000");
  const double squad_share = squad_expected_events(o, planned_squad_sizes(o)) / static_cast<double>(o.events);
  if (squad_share > kSquadMaxShareOfEvents)
    throw UsageError("planted: the squads would take more than 30% of the events (fewer squads, members or posts)");
  if (o.post_fraction + o.campaign_fraction + o.fanclub_fraction + o.viral_fraction + squad_share > 0.9)
    throw UsageError("planted: the fractions and the squads leave no room for the organic audience");
}

// --- CSV output ---

// Rows are formatted straight into a large buffer through a char pointer: appending char by char to a
// std::string cost more than generating the events.
class BufferedFile {
 public:
  explicit BufferedFile(const std::string& path)
      : path_(path), file_(std::fopen(path.c_str(), "wb")), buffer_(new char[kCapacity]) {
    if (file_ == nullptr)
      throw Error(SourceLocation{path, 0, ""}, std::string("cannot write: ") + std::strerror(errno));
  }
  BufferedFile(const BufferedFile&) = delete;
  BufferedFile& operator=(const BufferedFile&) = delete;
  ~BufferedFile() {
    if (file_ != nullptr) std::fclose(file_);
  }

  // Room for at least `bytes` (at most kCapacity); write through the pointer, then hand the end to end_row.
  char* begin_row(std::size_t bytes) {
    if (kCapacity - used_ < bytes) drain();
    return buffer_.get() + used_;
  }
  void end_row(const char* end) { used_ = static_cast<std::size_t>(end - buffer_.get()); }
  void close() {
    drain();
    const int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) throw Error(SourceLocation{path_, 0, ""}, "write failed on close");
  }

  static constexpr std::size_t kCapacity = 8u << 20;

 private:
  void drain() {
    if (used_ != 0 && std::fwrite(buffer_.get(), 1, used_, file_) != used_)
      throw Error(SourceLocation{path_, 0, ""}, std::string("write failed: ") + std::strerror(errno));
    used_ = 0;
  }
  std::string path_;
  std::FILE* file_;
  std::unique_ptr<char[]> buffer_;
  std::size_t used_ = 0;
};

char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}


// 2024-03-01T12:00:05.123Z (24 bytes: the span lies in 1970..9999).
char* put_timestamp(char* p, std::int64_t ms) { return write_iso8601(p, ms, Millis::Always); }

// RFC 4180: quoted (quotes doubled) only when the field holds a comma, a quote or a line break.
char* put_field(char* p, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return put(p, field);
  *p++ = '"';
  for (char c : field) {
    if (c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

struct IdWidths {
  int page, user, post;
  explicit IdWidths(const PlantedScenario& sc)
      : page(std::max(4, decimal_digits(sc.page_count > 0 ? sc.page_count - 1 : 0))),
        user(std::max(
            7, decimal_digits(sc.account_kind.size() > sc.page_count + 1 ? sc.account_kind.size() - sc.page_count - 1
                                                                         : 0))),
        post(std::max(6, decimal_digits(sc.post_time.empty() ? 0 : sc.post_time.size() - 1))) {}
};

constexpr std::size_t kMaxIdBytes = 32;

char* put_account(char* p, const PlantedScenario& sc, const IdWidths& w, std::uint32_t account) {
  if (account < sc.page_count) return put_padded(put(p, "page"), account, w.page);
  *p++ = 'u';
  return put_padded(p, account - sc.page_count, w.user);
}

char* put_post(char* p, const IdWidths& w, std::uint32_t post) {
  *p++ = 'p';
  return put_padded(p, post, w.post);
}

constexpr std::array<std::string_view, 3> kActionNames = {"post", "share", "comment"};
constexpr std::array<std::string_view, 4> kKindNames = {"organic", "fanclub", "campaign", "page"};

}  // namespace

std::vector<std::uint32_t> planned_network_sizes(const PlantedOptions& options) {
  if (!options.network_sizes.empty()) return options.network_sizes;
  if (options.campaign_fraction <= 0) return {};
  const double scale = std::pow(static_cast<double>(options.events) / 1e6, kNetworkScaleExponent);
  std::vector<std::uint32_t> sizes;
  for (std::size_t i = 0; i < kBaseNetworkSizes.size(); ++i) {
    const double size = kBaseNetworkSizes[i] * scale;
    // Networks too small to register at this scale are left out, but the three largest always run (only the
    // largest below 5000 events, where three would crowd out the audience).
    const std::size_t always = options.events >= 5000 ? 3 : 1;
    if (size >= 6.0 || i + always >= kBaseNetworkSizes.size())
      sizes.push_back(std::max(kMinNetworkSize, static_cast<std::uint32_t>(std::llround(size))));
  }
  return sizes;
}

std::vector<std::uint32_t> planned_squad_sizes(const PlantedOptions& options) {
  if (!options.squad_sizes.empty()) return options.squad_sizes;
  const std::int32_t count = options.squads >= 0 ? options.squads : (options.events >= kSquadMinEvents ? 2 : 0);
  std::vector<std::uint32_t> sizes;
  for (std::int32_t i = 0; i < count; ++i) {
    const double at = count > 1 ? static_cast<double>(i) / (count - 1) : 0.0;
    const double size = kSquadSmallest * std::pow(kSquadLargest / kSquadSmallest, at);
    sizes.push_back(static_cast<std::uint32_t>(std::llround(size)));
  }
  return sizes;
}

std::string PlantedScenario::account_id(std::uint32_t account) const {
  char buffer[kMaxIdBytes];
  return std::string(buffer, put_account(buffer, *this, IdWidths(*this), account));
}

std::string PlantedScenario::post_id(std::uint32_t post) const {
  char buffer[kMaxIdBytes];
  return std::string(buffer, put_post(buffer, IdWidths(*this), post));
}

std::string PlantedScenario::group_id(std::uint32_t account) const {
  const std::int32_t g = account_group[account];
  if (g < 0) return {};
  const auto kind = account_kind[account];
  if (kind == AccountKind::fanclub) return fan_clubs[static_cast<std::size_t>(g)].id;
  if (kind == AccountKind::campaign || kind == AccountKind::page) {
    const auto k = static_cast<std::size_t>(g);
    return k < networks.size() ? networks[k].id : squads[k - networks.size()].id;
  }
  return {};
}

PlantedScenario generate_planted_campaigns(const PlantedOptions& options) {
  validate(options);
  return Generator(options).run();
}

void write_planted_events_csv(const PlantedScenario& sc, const std::string& path) {
  BufferedFile file(path);
  const IdWidths widths(sc);
  file.end_row(put(file.begin_row(64), "account_id,action,target,timestamp,text,target_time\n"));
  for (const auto& e : sc.events) {
    const std::string_view text = e.text != kNoPlantedText ? std::string_view(sc.texts[e.text]) : std::string_view();
    const std::size_t bytes = 2 * kMaxIdBytes + 2 * 24 + 16 + 2 * text.size() + 2;
    if (bytes > BufferedFile::kCapacity) throw Error("planted: a comment text is too long to write");
    char* p = file.begin_row(bytes);
    p = put_account(p, sc, widths, e.account);
    *p++ = ',';
    p = put(p, kActionNames[static_cast<std::size_t>(e.action)]);
    *p++ = ',';
    p = put_post(p, widths, e.post);
    *p++ = ',';
    p = put_timestamp(p, e.time);
    *p++ = ',';
    p = put_field(p, text);
    *p++ = ',';
    p = put_timestamp(p, sc.post_time[e.post]);
    *p++ = '\n';
    file.end_row(p);
  }
  file.close();
}

void write_planted_truth_csv(const PlantedScenario& sc, const std::string& path) {
  BufferedFile file(path);
  const IdWidths widths(sc);
  file.end_row(put(file.begin_row(32), "account_id,kind,group\n"));
  for (std::uint32_t a = 0; a < sc.account_kind.size(); ++a) {
    const std::string group = sc.group_id(a);
    char* p = file.begin_row(2 * kMaxIdBytes + group.size() + 4);
    p = put_account(p, sc, widths, a);
    *p++ = ',';
    p = put(p, kKindNames[static_cast<std::size_t>(sc.account_kind[a])]);
    *p++ = ',';
    p = put(p, group);
    *p++ = '\n';
    file.end_row(p);
  }
  file.close();
}

PlantedSummary write_planted_campaigns(const PlantedOptions& options, const std::string& events_csv_path,
                                       const std::string& truth_csv_path) {
  const PlantedScenario sc = generate_planted_campaigns(options);
  write_planted_events_csv(sc, events_csv_path);
  write_planted_truth_csv(sc, truth_csv_path);
  return sc.summary;
}

EventTable planted_event_table(const PlantedScenario& sc) {
  EventTable table;
  table.reserve(sc.events.size());
  table.target_time.reserve(sc.events.size());
  constexpr std::uint32_t kUnset = 0xFFFFFFFFu;
  std::vector<std::uint32_t> account_ids(sc.account_kind.size(), kUnset), post_ids(sc.post_time.size(), kUnset),
      text_ids(sc.texts.size(), kUnset);
  std::array<std::uint32_t, 3> action_ids = {kUnset, kUnset, kUnset};
  for (const auto& e : sc.events) {
    if (account_ids[e.account] == kUnset) account_ids[e.account] = table.accounts.intern(sc.account_id(e.account));
    const auto action = static_cast<std::size_t>(e.action);
    if (action_ids[action] == kUnset) action_ids[action] = table.actions.intern(kActionNames[action]);
    if (post_ids[e.post] == kUnset) post_ids[e.post] = table.targets.intern(sc.post_id(e.post));
    std::uint32_t text = kNoText;
    if (e.text != kNoPlantedText) {
      if (text_ids[e.text] == kUnset) text_ids[e.text] = table.texts.intern(sc.texts[e.text]);
      text = text_ids[e.text];
    }
    table.account.push_back(account_ids[e.account]);
    table.action.push_back(static_cast<std::uint8_t>(action_ids[action]));
    table.target.push_back(post_ids[e.post]);
    table.time.push_back(e.time);
    table.text.push_back(text);
    table.target_time.push_back(sc.post_time[e.post]);
  }
  return table;
}

}  // namespace cibgraph::datasets
