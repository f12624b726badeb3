#include "cibgraph/format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace cibgraph {
namespace {

constexpr std::string_view kDash = "\u2013";
constexpr int kDigits = 3;           // significant digits of format_ratio
constexpr int kSmallExponent = -3;   // below 1e-3: scientific
constexpr int kLargeExponent = 15;   // from 1e15 on: scientific
constexpr double kSmallestP = 1e-300;

// "1234567" -> "1,234,567"
std::string group_thousands(std::string_view digits) {
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A finite, non-zero |x| as significant digits d0 d1 d2 ... and the exponent e of d0.d1d2... x 10^e: the shortest
// decimal that reads back as x (std::to_chars, as JavaScript's toExponential() without an argument).
struct Decimal {
  std::string digits;
  int exponent = 0;
};

Decimal shortest_decimal(double magnitude) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific);
  const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));  // "2.455e+03", "5e-324"
  const std::size_t e = text.find('e');
  Decimal d;
  for (std::size_t i = 0; i < e; ++i)
    if (text[i] != '.') d.digits += text[i];
  d.exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  return d;
}

// Rounds to `keep` significant digits, half away from zero (the digits are of the magnitude).
void round_to(Decimal& d, int keep) {
  if (static_cast<int>(d.digits.size()) <= keep) return;
  const bool up = d.digits[static_cast<std::size_t>(keep)] >= '5';
  d.digits.resize(static_cast<std::size_t>(keep));
  if (!up) return;
  int i = keep - 1;
  for (; i >= 0 && d.digits[static_cast<std::size_t>(i)] == '9'; --i) d.digits[static_cast<std::size_t>(i)] = '0';
  if (i >= 0) {
    ++d.digits[static_cast<std::size_t>(i)];
  } else {  // 999 -> 1000: one digit more, one order of magnitude up
    d.digits.insert(d.digits.begin(), '1');
    d.digits.pop_back();
    ++d.exponent;
  }
}

std::string strip_trailing_zeros(std::string digits) {
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return digits;
}

}  // namespace

std::string format_count(double n) {
  if (!std::isfinite(n)) return std::string(kDash);
  const double whole = std::floor(std::abs(n) + 0.5);
  std::string digits;
  if (whole < 9.2e18) {
    digits = std::to_string(static_cast<std::uint64_t>(whole));
  } else {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.0f", whole);  // exact: whole is an integer
    digits = buf;
  }
  return (n < 0 && whole != 0 ? "-" : "") + group_thousands(digits);
}

std::string format_count(std::uint64_t n) { return group_thousands(std::to_string(n)); }

namespace {

// x (finite, non-zero) to `keep` significant digits, as format_ratio spells it.
std::string significant(double x, int keep) {
  Decimal d = shortest_decimal(std::abs(x));
  round_to(d, keep);
  const std::string sign = x < 0 ? "-" : "";
  if (d.exponent < kSmallExponent || d.exponent >= kLargeExponent) {
    const std::string rest = strip_trailing_zeros(d.digits.substr(1));
    return sign + d.digits.substr(0, 1) + (rest.empty() ? "" : "." + rest) + "e" + std::to_string(d.exponent);
  }
  if (d.exponent < 0) return sign + "0." + std::string(static_cast<std::size_t>(-d.exponent - 1), '0') + strip_trailing_zeros(d.digits);
  const auto int_digits = static_cast<std::size_t>(d.exponent) + 1;
  std::string whole = d.digits.substr(0, std::min(int_digits, d.digits.size()));
  whole.append(int_digits - whole.size(), '0');
  const std::string fraction = int_digits < d.digits.size() ? strip_trailing_zeros(d.digits.substr(int_digits)) : "";
  return sign + group_thousands(whole) + (fraction.empty() ? "" : "." + fraction);
}

}  // namespace

std::string format_ratio(double x) {
  if (!std::isfinite(x)) return std::string(kDash);
  if (x == 0) return "0";
  return significant(x, kDigits);
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return std::string(kDash);
  if (seconds < 0) return "-" + format_duration(-seconds);
  if (seconds == 0) return "0 s";
  if (seconds < 120) return significant(seconds, seconds < 1 ? 2 : 3) + " s";
  const double whole_seconds = std::floor(seconds + 0.5);
  if (whole_seconds < 7200) {
    const auto total = static_cast<std::int64_t>(whole_seconds);
    const std::int64_t m = total / 60, s = total % 60;
    if (s != 0) return std::to_string(m) + " min " + std::to_string(s) + " s";
    return m == 60 ? std::string("1 h") : std::to_string(m) + " min";
  }
  const double whole_minutes = std::floor(seconds / 60 + 0.5);
  if (whole_minutes < 2880) {
    const auto total = static_cast<std::int64_t>(whole_minutes);
    const std::int64_t h = total / 60, m = total % 60;
    return std::to_string(h) + " h" + (m != 0 ? " " + std::to_string(m) + " min" : std::string());
  }
  // Days to a tenth: as many significant digits as the whole days have, and one more.
  const double days = seconds / 86400;
  const int exponent = shortest_decimal(days).exponent;
  return significant(days, exponent + 2) + " days";
}

std::string format_p(double p) {
  if (!std::isfinite(p)) return std::string(kDash);
  if (p < kSmallestP) return "below 1e-300";
  return format_ratio(p);
}

std::string p_phrase(double p) {
  if (std::isfinite(p) && p < kSmallestP) return "p below 1e-300";
  return "p = " + format_p(p);
}

namespace {

std::string counted(const std::string& count, std::string_view singular, std::string_view plural) {
  const bool one = count == "1";
  return count + " " + (one ? std::string(singular) : plural.empty() ? std::string(singular) + "s" : std::string(plural));
}

}  // namespace

std::string format_counted(double n, std::string_view singular, std::string_view plural) {
  return counted(format_count(n), singular, plural);
}

std::string format_counted(std::uint64_t n, std::string_view singular, std::string_view plural) {
  return counted(format_count(n), singular, plural);
}

}  // namespace cibgraph
