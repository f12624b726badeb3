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

// A duration such as 60s, 500ms, 2m, 1h, 1d, or a bare number of seconds (fractions allowed), in ms.
// Throws UsageError for anything else or a negative value.
std::int64_t parse_duration_ms(std::string_view text);

// Formats ms since epoch as ISO 8601 UTC: 2024-03-01T12:00:05Z, or with .123 when milliseconds are non-zero.
std::string format_iso8601(std::int64_t ms);
// The same, appended to `out` (the CSV writers' form: no temporary string per field).
void append_iso8601(std::string& out, std::int64_t ms);

inline constexpr std::int64_t kMinTimeMs = 0;                                   // 1970-01-01
inline constexpr std::int64_t kMaxTimeMs = days_from_civil(2200, 1, 1) * 86400000LL;  // exclusive

}  // namespace cibgraph
