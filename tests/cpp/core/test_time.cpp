#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <limits>
#include <string>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/time.hpp"

using namespace cibgraph;

namespace {
constexpr std::int64_t k2024_03_01 = 1709251200000;  // 2024-03-01T00:00:00Z
}

TEST(TimeTest, Iso8601WithZ) {
  EXPECT_EQ(parse_time("2024-03-01T00:00:00Z", TimeFormat::Iso8601), k2024_03_01);
  EXPECT_EQ(parse_time("2024-03-01T12:00:05Z", TimeFormat::Iso8601), k2024_03_01 + 43205000);
  EXPECT_EQ(parse_time("2024-03-01T12:00:05.123Z", TimeFormat::Iso8601), k2024_03_01 + 43205123);
  EXPECT_EQ(parse_time("2024-03-01T12:00:05.1Z", TimeFormat::Iso8601), k2024_03_01 + 43205100);
  EXPECT_EQ(parse_time("2024-03-01T12:00:05.123456789Z", TimeFormat::Iso8601), k2024_03_01 + 43205123);
  EXPECT_EQ(parse_time("1970-01-01T00:00:00Z", TimeFormat::Iso8601), 0);
}

TEST(TimeTest, Iso8601WithOffsets) {
  EXPECT_EQ(parse_time("2024-03-01T02:00:00+02:00", TimeFormat::Iso8601), k2024_03_01);
  EXPECT_EQ(parse_time("2024-03-01T02:00:00+0200", TimeFormat::Iso8601), k2024_03_01);
  EXPECT_EQ(parse_time("2024-03-01T02:00:00+02", TimeFormat::Iso8601), k2024_03_01);
  EXPECT_EQ(parse_time("2024-02-29T19:00:00-05:00", TimeFormat::Iso8601), k2024_03_01);
  EXPECT_EQ(parse_time("2024-03-01T05:30:00+05:30", TimeFormat::Iso8601), k2024_03_01);
}

TEST(TimeTest, SpaceSeparatedIsUtc) {
  EXPECT_EQ(parse_time("2024-03-01 00:00:00", TimeFormat::Iso8601), k2024_03_01);
  EXPECT_EQ(parse_time("2024-03-01 00:01", TimeFormat::Iso8601), k2024_03_01 + 60000);
  EXPECT_EQ(parse_time("2024-03-01", TimeFormat::Iso8601), k2024_03_01);
}

TEST(TimeTest, LeapDays) {
  EXPECT_EQ(parse_time("2024-02-29T00:00:00Z", TimeFormat::Iso8601), k2024_03_01 - 86400000);
  EXPECT_FALSE(parse_time("2023-02-29T00:00:00Z", TimeFormat::Iso8601));
  EXPECT_TRUE(parse_time("2000-02-29T00:00:00Z", TimeFormat::Iso8601));
  EXPECT_FALSE(parse_time("2100-02-29T00:00:00Z", TimeFormat::Iso8601));
}

TEST(TimeTest, UnixSecondsAndMillis) {
  EXPECT_EQ(parse_time("1709251200", TimeFormat::UnixSeconds), k2024_03_01);
  EXPECT_EQ(parse_time("1709251200.5", TimeFormat::UnixSeconds), k2024_03_01 + 500);
  EXPECT_EQ(parse_time("1709251200.123", TimeFormat::UnixSeconds), k2024_03_01 + 123);
  EXPECT_EQ(parse_time("1709251200123", TimeFormat::UnixMillis), k2024_03_01 + 123);
  EXPECT_EQ(parse_time("0", TimeFormat::UnixSeconds), 0);
}

TEST(TimeTest, AutoDetection) {
  EXPECT_EQ(detect_time_format("1709251200"), TimeFormat::UnixSeconds);
  EXPECT_EQ(detect_time_format("1709251200.5"), TimeFormat::UnixSeconds);
  EXPECT_EQ(detect_time_format("1709251200123"), TimeFormat::UnixMillis);
  EXPECT_EQ(detect_time_format("2024-03-01T00:00:00Z"), TimeFormat::Iso8601);
  EXPECT_EQ(detect_time_format("yesterday"), TimeFormat::Iso8601);
  EXPECT_EQ(parse_time("1709251200123", TimeFormat::Auto), k2024_03_01 + 123);
  EXPECT_EQ(parse_time("1709251200", TimeFormat::Auto), k2024_03_01);
}

TEST(TimeTest, FailuresAreNeverZero) {
  const char* bad[] = {"", "yesterday", "2024-13-01T00:00:00Z", "2024-03-32T00:00:00Z", "2024-03-01T24:00:00Z",
                       "2024-03-01T12:60:00Z", "2024-03-01T12:00:00Q", "2024-03-01T12:00:00+25:00",
                       "2024-3-1", "2024-03-01T12", "2024-03-01T12:00:00.Z", "1709251200abc", "17092512.00.1",
                       "-5", "1e9", "+1709251200", "2024-03-01T12:00:00Z trailing", "1969-12-31T23:59:59Z",
                       "2200-01-01T00:00:00Z", "99999999999999999999"};
  for (const char* s : bad) {
    std::string why;
    EXPECT_FALSE(parse_time(s, TimeFormat::Auto, &why)) << s;
    EXPECT_FALSE(why.empty()) << s;
  }
  // A millisecond value forced as seconds lands past 2200: rejected, not misread.
  EXPECT_FALSE(parse_time("1709251200123", TimeFormat::UnixSeconds));
  // An ISO time in a unix column is rejected.
  EXPECT_FALSE(parse_time("2024-03-01T00:00:00Z", TimeFormat::UnixSeconds));
  EXPECT_FALSE(parse_time("1709251200.5", TimeFormat::UnixMillis));
}

TEST(TimeTest, FormatNames) {
  EXPECT_EQ(parse_time_format("iso8601"), TimeFormat::Iso8601);
  EXPECT_EQ(parse_time_format("unix_ms"), TimeFormat::UnixMillis);
  EXPECT_EQ(parse_time_format("s"), TimeFormat::UnixSeconds);
  EXPECT_THROW(parse_time_format("fortnights"), UsageError);
}

TEST(TimeTest, FormatIso8601RoundTrips) {
  EXPECT_EQ(format_iso8601(k2024_03_01), "2024-03-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(k2024_03_01 + 43205123), "2024-03-01T12:00:05.123Z");
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
  for (std::int64_t ms : {std::int64_t{0}, k2024_03_01 - 1, std::int64_t{951782400000}, std::int64_t{4102444799999}})
    EXPECT_EQ(parse_time(format_iso8601(ms), TimeFormat::Iso8601), ms) << ms;
}

// The hand-written digits equal the C library (gmtime_r and printf) across the four-digit years (and the fallback
// beyond them): before 1970, year 0000, the 1 ms steps around midnight, random instants with and without ms.
TEST(TimeTest, FormatIso8601EqualsThePrintfFormat) {
  // An independent reference: the C library's gmtime_r for the calendar, printf for the characters.
  auto reference = [](std::int64_t ms) {
    const std::int64_t seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    const int millis = static_cast<int>(ms - seconds * 1000);
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    EXPECT_NE(gmtime_r(&t, &tm), nullptr) << ms;
    const long long year = static_cast<long long>(tm.tm_year) + 1900;
    char buf[48];
    if (millis != 0)
      std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", year, tm.tm_mon + 1, tm.tm_mday,
                    tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    else
      std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02dZ", year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                    tm.tm_min, tm.tm_sec);
    return std::string(buf);
  };
  std::vector<std::int64_t> cases = {0, -1, 1, 999, 1000, -1000, -1001, k2024_03_01 - 1, k2024_03_01,
                                     -62167219200000,      // 0000-01-01
                                     -62167219200001,      // year -1: printf's fallback
                                     253402300799999,      // 9999-12-31T23:59:59.999
                                     253402300800000};     // 10000-01-01: the fallback
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 20000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const auto ms = static_cast<std::int64_t>(state % 600'000'000'000'000ull) - 300'000'000'000'000;
    cases.push_back(i % 2 ? ms : ms / 1000 * 1000);  // half of them on whole seconds
  }
  for (std::int64_t ms : cases) {
    EXPECT_EQ(format_iso8601(ms), reference(ms)) << ms;
    std::string appended = "x,";
    append_iso8601(appended, ms);
    EXPECT_EQ(appended, "x," + reference(ms)) << ms;
    if (ms % 1000 == 0) {  // Millis::Always: the same with .000
      std::string always = reference(ms);
      always.insert(always.size() - 1, ".000");
      EXPECT_EQ(format_iso8601(ms, Millis::Always), always) << ms;
    } else {
      EXPECT_EQ(format_iso8601(ms, Millis::Always), reference(ms)) << ms;
    }
  }
}

// The one days-to-date conversion (the store's summary, the evidence CSVs and the planted generator all format
// through it): exact dates at the epoch, around leap days, century rules, and before 1970.
TEST(TimeTest, CivilFromDays) {
  auto date = [](std::int64_t days) {
    const CivilDate d = civil_from_days(days);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(d.year), d.month, d.day);
    return std::string(buf);
  };
  EXPECT_EQ(date(0), "1970-01-01");
  EXPECT_EQ(date(-1), "1969-12-31");
  EXPECT_EQ(date(59), "1970-03-01");                                 // 1970 is not a leap year
  EXPECT_EQ(date(days_from_civil(2024, 2, 29)), "2024-02-29");       // leap day
  EXPECT_EQ(date(days_from_civil(2024, 2, 29) + 1), "2024-03-01");
  EXPECT_EQ(date(days_from_civil(2023, 2, 28) + 1), "2023-03-01");   // no leap day
  EXPECT_EQ(date(days_from_civil(2000, 2, 28) + 1), "2000-02-29");   // divisible by 400: leap
  EXPECT_EQ(date(days_from_civil(2100, 2, 28) + 1), "2100-03-01");   // divisible by 100: not
  EXPECT_EQ(date(-719468), "0000-03-01");                             // the algorithm's era origin
  EXPECT_EQ(date(-719529), "-001-12-31");
  EXPECT_EQ(date(2932896), "9999-12-31");
  static_assert(civil_from_days(19782).year == 2024 && civil_from_days(19782).month == 2 &&
                civil_from_days(19782).day == 29);  // constexpr, 2024-02-29
  // The inverse of days_from_civil over 1600..2400 (both directions of every day).
  for (std::int64_t days = days_from_civil(1600, 1, 1); days < days_from_civil(2400, 1, 1); ++days) {
    const CivilDate d = civil_from_days(days);
    ASSERT_EQ(days_from_civil(d.year, d.month, d.day), days) << days;
  }
}

TEST(TimeTest, FormatIso8601ExactValues) {
  EXPECT_EQ(format_iso8601(0, Millis::Always), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(1), "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(-1000), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_iso8601(-1000, Millis::Always), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(format_iso8601(951782400000), "2000-02-29T00:00:00Z");  // leap day of a 400 year
  EXPECT_EQ(format_iso8601(1709164800000 + 86399999), "2024-02-29T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(k2024_03_01 + 43205120, Millis::Always), "2024-03-01T12:00:05.120Z");
  EXPECT_EQ(format_iso8601(253402300799999, Millis::Always), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(253402300800000, Millis::Always), "10000-01-01T00:00:00.000Z");  // beyond four digits
  EXPECT_EQ(format_iso8601(-62167219200001), "-001-12-31T23:59:59.999Z");  // printf's %04lld of -1
  // write_iso8601 writes the same characters into a caller's buffer: 24 bytes with Millis::Always in 0000..9999.
  char buf[kMaxIso8601Bytes];
  char* end = write_iso8601(buf, k2024_03_01, Millis::Always);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(end - buf)), "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(end - buf, 24);
  end = write_iso8601(buf, std::numeric_limits<std::int64_t>::max());  // the longest: a nine-digit year
  EXPECT_LE(static_cast<std::size_t>(end - buf), kMaxIso8601Bytes);
  std::string appended = "t=";
  append_iso8601(appended, 5, Millis::Always);
  EXPECT_EQ(appended, "t=1970-01-01T00:00:00.005Z");
}

// now_iso8601: today, in whole seconds, and it parses back.
TEST(TimeTest, NowIso8601) {
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count() / 1000 * 1000;
  const std::string now = now_iso8601();
  const auto after = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  ASSERT_EQ(now.size(), 20u) << now;  // 2024-03-01T12:00:05Z: no milliseconds
  const auto parsed = parse_time(now, TimeFormat::Iso8601);
  ASSERT_TRUE(parsed.has_value()) << now;
  EXPECT_GE(*parsed, before);
  EXPECT_LE(*parsed, after);
}

TEST(TimeTest, Durations) {
  EXPECT_EQ(parse_duration_ms("60s"), 60000);
  EXPECT_EQ(parse_duration_ms("500ms"), 500);
  EXPECT_EQ(parse_duration_ms("2m"), 120000);
  EXPECT_EQ(parse_duration_ms("1h"), 3600000);
  EXPECT_EQ(parse_duration_ms("1.5s"), 1500);
  EXPECT_EQ(parse_duration_ms("30"), 30000);
  EXPECT_EQ(parse_duration_ms("0"), 0);
  for (const char* bad : {"", "s", "-5s", "5 s", "5x", "fast", "1e400"}) EXPECT_THROW(parse_duration_ms(bad), UsageError) << bad;
}
