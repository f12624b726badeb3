#pragma once
// Numbers as a person reads them: the CLI's summaries, the report's sentences (a cluster's `why`) and, through the
// same rules in report/src/format.js, the report page's cards and tables. One number, one spelling everywhere; the
// cases both implementations must agree on are in tests/format_cases.json.
//
//   format_count    a count: the nearest whole number with thousands separators, "2,455"
//   format_ratio    any other real (ratios, densities, expected counts, scores): 3 significant digits, "0.638",
//                   "3.38", "2,460", "7,520,000"; scientific below 1e-3 and from 1e15 on, "1.23e-5"
//   format_p        a p-value: as format_ratio, and "below 1e-300" when the p-value is below 1e-300, which includes
//                   a p-value that underflowed to 0 (the CSV files keep such a p-value as 0: docs/report.md)
//   format_counted  a count with its noun: "1 coordinated cluster", "2 coordinated clusters"
//   format_duration a duration in seconds as a person reads it: below 1 s 2 significant digits ("0.25 s"), below
//                   2 min 3 ("12.5 s", "60 s"), below 2 h whole minutes and seconds ("2 min 5 s", "1 h"), below
//                   2 days whole hours and minutes ("2 h 30 min"), then days to a tenth ("2.5 days")
// Rounding is half away from zero on the shortest decimal that reads back as the double (what std::to_chars and
// JavaScript's Number.prototype.toExponential() both give), so C++ and JavaScript produce the same characters.
// Whatever is not a finite number is an en dash.
//
// The CSV files and report.json are data, not display: they keep their own full-precision formats
// (findings_csv.hpp: format_real, format_seconds).
#include <cstdint>
#include <string>
#include <string_view>

namespace cibgraph {

std::string format_count(double n);
std::string format_count(std::uint64_t n);
std::string format_ratio(double x);
std::string format_p(double p);
// "p = 0.0123", "p below 1e-300": the p-value in a sentence.
std::string p_phrase(double p);
// The count and the noun, singular for exactly 1 (after rounding); `plural` defaults to singular + "s".
std::string format_counted(double n, std::string_view singular, std::string_view plural = {});
std::string format_counted(std::uint64_t n, std::string_view singular, std::string_view plural = {});
// The window, delays and run times of the CLI's summaries, the report's sentences and its page.
std::string format_duration(double seconds);

}  // namespace cibgraph
