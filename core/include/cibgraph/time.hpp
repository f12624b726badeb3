#pragma once
// Timestamps: every time in cibgraph is int64 milliseconds since 1970-01-01T00:00:00Z.
// Accepted text forms:
//   ISO 8601 / RFC 3339:  2024-03-01T12:00:05Z, 2024-03-01T12:00:05.123+02:00, 2024-03-01T12:00:05+0200,
//                         2024-03-01 12:00:05 (no zone = UTC), 2024-03-01T12:00 and 2024-03-01 (midnight UTC)
//   unix seconds:         1709294405 or 1709294405.123 (fraction to the millisecond)
//   unix milliseconds:    1709294405123
// A column's format is detected once from its first value (digits only: milliseconds when |x| >= 10^11,
// seconds otherwise; anything else ISO 8601) or forced. A value that does not parse in the column's format,
// or lands outside [1970-01-01, 2200-01-01), is rejected: never read as zero.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cibgraph {

enum class TimeFormat : std::uint8_t { Auto, Iso8601, UnixSeconds, UnixMillis };

std::string_view to_string(TimeFormat f);
// Accepts auto, iso8601 (or iso), unix_s (or s, seconds), unix_ms (or ms, milliseconds). Throws UsageError.
TimeFormat parse_time_format(std::string_view name);

// The format a column holding `sample` most likely uses (never Auto).
TimeFormat detect_time_format(std::string_view sample);

// Parses one value in the given format (Auto detects from the value itself). nullopt when it does not parse
// or is out of range; `why` (if given) receives a short reason.
std::optional<std::int64_t> parse_time(std::string_view text, TimeFormat format, std::string* why = nullptr);

// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The proleptic Gregorian date `days` days after 1970-01-01 (Hinnant's civil_from_days; negative days before it).
struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};
constexpr CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

// A duration such as 60s, 500ms, 2m, 1h, 1d, or a bare number of seconds (fractions allowed), in ms.
// Throws UsageError for anything else or a negative value.
std::int64_t parse_duration_ms(std::string_view text);

// Whether a formatted time carries its milliseconds: only when non-zero (2024-03-01T12:00:05Z), or always
// (2024-03-01T12:00:05.000Z, a fixed 24 bytes for the years 0000..9999).
enum class Millis : std::uint8_t { WhenNonZero, Always };

// Formats ms since epoch as ISO 8601 UTC: 2024-03-01T12:00:05Z, or with .123 when milliseconds are non-zero.
// Years outside 0000..9999 take printf's %04lld (e.g. -0001, 10000).
std::string format_iso8601(std::int64_t ms, Millis millis = Millis::WhenNonZero);
// The same, appended to `out` (the CSV writers' form: no temporary string per field).
void append_iso8601(std::string& out, std::int64_t ms, Millis millis = Millis::WhenNonZero);
// The same, written at `p` (at most kMaxIso8601Bytes); returns the end. For writers that fill their own buffer.
inline constexpr std::size_t kMaxIso8601Bytes = 40;
char* write_iso8601(char* p, std::int64_t ms, Millis millis = Millis::WhenNonZero);

// The current time as ISO 8601 UTC, to the whole second: the stamp of a run, an ingest, a stored network.
std::string now_iso8601();

inline constexpr std::int64_t kMinTimeMs = 0;                                   // 1970-01-01
inline constexpr std::int64_t kMaxTimeMs = days_from_civil(2200, 1, 1) * 86400000LL;  // exclusive

}  // namespace cibgraph
