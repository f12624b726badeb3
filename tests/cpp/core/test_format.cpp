// The display formats (format.hpp) against the table of cases that report/src/format.js is checked against too
// (tests/format_cases.json): one number, one spelling, in the CLI, the report's sentences and the report page.
#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cibgraph/format.hpp"
#include "test_support.hpp"

namespace {

using namespace cibgraph;

nlohmann::json cases() {
  return nlohmann::json::parse(test_support::read_file(std::string(CIBGRAPH_SOURCE_DIR) + "/tests/format_cases.json"));
}

double number(const nlohmann::json& x) {
  if (x.is_number()) return x.get<double>();
  const std::string s = x.get<std::string>();
  if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (s == "inf") return std::numeric_limits<double>::infinity();
  if (s == "-inf") return -std::numeric_limits<double>::infinity();
  ADD_FAILURE() << "not a number: " << s;
  return 0;
}

TEST(Format, EveryCaseOfTheSharedTable) {
  const auto table = cases();
  std::size_t checked = 0;
  for (const auto& c : table["count"]) {
    EXPECT_EQ(format_count(number(c[0])), c[1].get<std::string>()) << "count " << c[0];
    ++checked;
  }
  for (const auto& c : table["ratio"]) {
    EXPECT_EQ(format_ratio(number(c[0])), c[1].get<std::string>()) << "ratio " << c[0];
    ++checked;
  }
  for (const auto& c : table["p"]) {
    EXPECT_EQ(format_p(number(c[0])), c[1].get<std::string>()) << "p " << c[0];
    ++checked;
  }
  for (const auto& c : table["p_phrase"]) {
    EXPECT_EQ(p_phrase(number(c[0])), c[1].get<std::string>()) << "p_phrase " << c[0];
    ++checked;
  }
  for (const auto& c : table["counted"]) {
    EXPECT_EQ(format_counted(number(c[0]), c[1].get<std::string>(), c[2].get<std::string>()), c[3].get<std::string>())
        << "counted " << c[0];
    ++checked;
  }
  for (const auto& c : table["duration"]) {
    EXPECT_EQ(format_duration(number(c[0])), c[1].get<std::string>()) << "duration " << c[0];
    ++checked;
  }
  EXPECT_GT(checked, 125u);
}

TEST(Format, WholeCountsOfAnySize) {
  EXPECT_EQ(format_count(std::uint64_t{0}), "0");
  EXPECT_EQ(format_count(std::uint64_t{18446744073709551615ull}), "18,446,744,073,709,551,615");
  EXPECT_EQ(format_counted(std::uint64_t{1}, "cluster"), "1 cluster");
  EXPECT_EQ(format_counted(std::uint64_t{1000}, "cluster"), "1,000 clusters");
}

// What the issue saw: the same number spelled one way in the CLI's summary and the report's sentences.
TEST(Format, NoExponentOrRawDigitsWhereAPersonReads) {
  EXPECT_EQ(format_ratio(7.51617e6), "7,520,000");  // was 7.51617e+06
  EXPECT_EQ(format_ratio(0.638138), "0.638");       // was density 0.638138
  EXPECT_EQ(format_ratio(3.38319), "3.38");         // was 3.38319 times
  EXPECT_EQ(p_phrase(0), "p below 1e-300");         // was p 0 / < 1e-300
  EXPECT_EQ(format_count(2455.0), "2,455");         // the card said 2,460
}

}  // namespace
