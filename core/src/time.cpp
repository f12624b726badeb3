#include "cibgraph/time.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "cibgraph/error.hpp"

namespace cibgraph {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly n digits at s[pos]; advances pos.
bool read_digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[pos + static_cast<std::size_t>(i)];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  out = v;
  return true;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

std::optional<std::int64_t> fail(std::string* why, const char* reason) {
  if (why) *why = reason;
  return std::nullopt;
}

std::optional<std::int64_t> in_range(std::int64_t ms, std::string* why) {
  if (ms < kMinTimeMs || ms >= kMaxTimeMs) return fail(why, "time outside 1970-01-01 .. 2200-01-01");
  return ms;
}

std::optional<std::int64_t> parse_iso8601(std::string_view s, std::string* why) {
  std::size_t pos = 0;
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!read_digits(s, pos, 4, year) || pos >= s.size() || s[pos++] != '-' || !read_digits(s, pos, 2, month) ||
      pos >= s.size() || s[pos++] != '-' || !read_digits(s, pos, 2, day))
    return fail(why, "not an ISO 8601 date (YYYY-MM-DD)");
  if (month < 1 || month > 12) return fail(why, "month out of range");
  if (day < 1 || day > days_in_month(year, month)) return fail(why, "day out of range");
  std::int64_t millis = 0;
  std::int64_t offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return fail(why, "expected 'T' or ' ' after the date");
    ++pos;
    if (!read_digits(s, pos, 2, hour) || pos >= s.size() || s[pos++] != ':' || !read_digits(s, pos, 2, minute))
      return fail(why, "not an ISO 8601 time (HH:MM[:SS])");
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!read_digits(s, pos, 2, second)) return fail(why, "bad seconds");
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        int digits = 0;
        while (pos < s.size() && is_digit(s[pos])) {
          if (digits < 3) millis = millis * 10 + (s[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0) return fail(why, "empty fraction of a second");
        for (int d = digits; d < 3; ++d) millis *= 10;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return fail(why, "time of day out of range");
    if (pos < s.size()) {
      const char z = s[pos];
      if (z == 'Z' || z == 'z') {
        ++pos;
      } else if (z == '+' || z == '-') {
        ++pos;
        int oh, om = 0;
        if (!read_digits(s, pos, 2, oh)) return fail(why, "bad UTC offset");
        if (pos < s.size() && s[pos] == ':') ++pos;
        if (pos < s.size() && !read_digits(s, pos, 2, om)) return fail(why, "bad UTC offset");
        if (oh > 23 || om > 59) return fail(why, "UTC offset out of range");
        offset_minutes = (z == '+' ? 1 : -1) * (oh * 60 + om);
      }
    }
  }
  if (pos != s.size()) return fail(why, "trailing characters after ISO 8601 time");
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return in_range(seconds * 1000 + millis, why);
}

std::optional<std::int64_t> parse_unix(std::string_view s, bool milliseconds, std::string* why) {
  if (s.empty()) return fail(why, "empty time");
  const std::size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), value);
  if (ec != std::errc() || end != whole.data() + whole.size() || whole.empty() || whole.front() == '+')
    return fail(why, milliseconds ? "not unix milliseconds" : "not unix seconds");
  std::int64_t frac_ms = 0;
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    if (frac.empty() || milliseconds) return fail(why, "bad fraction in unix time");
    int digits = 0;
    for (char c : frac) {
      if (!is_digit(c)) return fail(why, "bad fraction in unix time");
      if (digits < 3) frac_ms = frac_ms * 10 + (c - '0');
      ++digits;
    }
    for (int d = digits; d < 3; ++d) frac_ms *= 10;
    if (value < 0) frac_ms = -frac_ms;
  }
  if (milliseconds) return in_range(value, why);
  // Guard the multiplication: anything this large is out of range anyway.
  if (value > kMaxTimeMs / 1000 || value < -kMaxTimeMs / 1000) return fail(why, "time outside 1970-01-01 .. 2200-01-01");
  return in_range(value * 1000 + frac_ms, why);
}

}  // namespace

std::string_view to_string(TimeFormat f) {
  switch (f) {
    case TimeFormat::Auto: return "auto";
    case TimeFormat::Iso8601: return "iso8601";
    case TimeFormat::UnixSeconds: return "unix_s";
    case TimeFormat::UnixMillis: return "unix_ms";
  }
  return "auto";
}

TimeFormat parse_time_format(std::string_view name) {
  if (name == "auto") return TimeFormat::Auto;
  if (name == "iso8601" || name == "iso") return TimeFormat::Iso8601;
  if (name == "unix_s" || name == "s" || name == "seconds") return TimeFormat::UnixSeconds;
  if (name == "unix_ms" || name == "ms" || name == "milliseconds") return TimeFormat::UnixMillis;
  throw UsageError("unknown time format '" + std::string(name) + "' (use auto, iso8601, unix_s or unix_ms)");
}

TimeFormat detect_time_format(std::string_view sample) {
  std::size_t i = sample.empty() || sample[0] != '-' ? 0 : 1;
  bool digits_only = i < sample.size();
  std::size_t integer_digits = 0;
  bool seen_dot = false;
  for (; i < sample.size(); ++i) {
    if (is_digit(sample[i])) {
      if (!seen_dot) ++integer_digits;
    } else if (sample[i] == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      digits_only = false;
      break;
    }
  }
  if (!digits_only) return TimeFormat::Iso8601;
  // 10^11 ms is 1973-03-03; 10^11 s is the year 5138: twelve or more integer digits mean milliseconds.
  return !seen_dot && integer_digits >= 12 ? TimeFormat::UnixMillis : TimeFormat::UnixSeconds;
}

std::optional<std::int64_t> parse_time(std::string_view text, TimeFormat format, std::string* why) {
  if (text.empty()) return fail(why, "empty time");
  if (format == TimeFormat::Auto) format = detect_time_format(text);
  switch (format) {
    case TimeFormat::Iso8601: return parse_iso8601(text, why);
    case TimeFormat::UnixSeconds: return parse_unix(text, false, why);
    case TimeFormat::UnixMillis: return parse_unix(text, true, why);
    case TimeFormat::Auto: break;
  }
  return fail(why, "unknown time format");
}

std::int64_t parse_duration_ms(std::string_view text) {
  std::string_view number = text;
  double unit = 1000.0;
  const std::pair<std::string_view, double> units[] = {{"ms", 1.0}, {"s", 1000.0}, {"m", 60000.0}, {"min", 60000.0},
                                                       {"h", 3600000.0}, {"d", 86400000.0}};
  for (const auto& [suffix, scale] : units) {
    if (text.size() > suffix.size() && text.ends_with(suffix) && (is_digit(text[text.size() - suffix.size() - 1]) || text[text.size() - suffix.size() - 1] == '.')) {
      number = text.substr(0, text.size() - suffix.size());
      unit = scale;
      break;
    }
  }
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size() || !(value >= 0) || value * unit > 9.0e15)
    throw UsageError("not a duration: '" + std::string(text) + "' (examples: 60s, 500ms, 2m, 1h)");
  return static_cast<std::int64_t>(value * unit + 0.5);
}

char* write_iso8601(char* p, std::int64_t ms, Millis millis) {
  const std::int64_t seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  const int milli = static_cast<int>(ms - seconds * 1000);
  const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const std::int64_t sod = seconds - days * 86400;
  const CivilDate date = civil_from_days(days);
  const int hour = static_cast<int>(sod / 3600), minute = static_cast<int>(sod / 60 % 60);
  const int second = static_cast<int>(sod % 60);
  auto two = [&p](unsigned v) {
    *p++ = static_cast<char>('0' + v / 10);
    *p++ = static_cast<char>('0' + v % 10);
  };
  if (date.year >= 0 && date.year <= 9999) {
    // Digits by hand: the characters of the printf format below, several times faster (evidence CSV files hold two
    // timestamps per row, for millions of rows).
    const auto year = static_cast<unsigned>(date.year);
    two(year / 100);
    two(year % 100);
    *p++ = '-';
    two(date.month);
    *p++ = '-';
    two(date.day);
    *p++ = 'T';
    two(static_cast<unsigned>(hour));
    *p++ = ':';
    two(static_cast<unsigned>(minute));
    *p++ = ':';
    two(static_cast<unsigned>(second));
  } else {  // outside four digits: printf's widths
    char buf[kMaxIso8601Bytes];
    const int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", static_cast<long long>(date.year),
                                date.month, date.day, hour, minute, second);
    std::memcpy(p, buf, static_cast<std::size_t>(n));
    p += n;
  }
  if (milli != 0 || millis == Millis::Always) {
    *p++ = '.';
    *p++ = static_cast<char>('0' + milli / 100);
    two(static_cast<unsigned>(milli % 100));
  }
  *p++ = 'Z';
  return p;
}

void append_iso8601(std::string& out, std::int64_t ms, Millis millis) {
  char buf[kMaxIso8601Bytes];
  out.append(buf, static_cast<std::size_t>(write_iso8601(buf, ms, millis) - buf));
}

std::string format_iso8601(std::int64_t ms, Millis millis) {
  std::string out;
  append_iso8601(out, ms, millis);
  return out;
}

std::string now_iso8601() {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return format_iso8601(ms / 1000 * 1000);
}

}  // namespace cibgraph
