// The CLI's progress bar, off a terminal (as under CTest): periodic plain lines, and a stage's 100% printed once
// however often the work reports it (storing reports after every column, the clusters' columns included, all at
// the total).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "../../../cli/progress_bar.hpp"

namespace cibgraph::cli {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ProgressBarTest, PrintsEachStagesCompletionOnce) {
  testing::internal::CaptureStderr();
  {
    auto now = std::chrono::steady_clock::now();
    ProgressBar bar(false, [&now] { return now; });
    const ProgressCallback report = bar.callback();
    // Quick work prints nothing, not even its 100%.
    EXPECT_TRUE(report({"reading", 10, 10, "bytes"}));
    now += std::chrono::milliseconds(2100);  // past the 2 s before a first line
    EXPECT_TRUE(report({"storing", 1000, 4000, "bytes"}));
    for (int column = 0; column < 5; ++column) EXPECT_TRUE(report({"storing", 4000, 4000, "bytes"}));
    EXPECT_TRUE(report({"filter", 7, 7, "edges"}));  // another stage's 100% is its own
    EXPECT_TRUE(report({"filter", 7, 7, "edges"}));
  }
  const std::string out = testing::internal::GetCapturedStderr();
  EXPECT_EQ(count(out, "reading"), 0u) << out;
  EXPECT_EQ(count(out, "storing: 25%"), 1u) << out;
  EXPECT_EQ(count(out, "storing: 100%"), 1u) << out;
  EXPECT_EQ(count(out, "filter: 100%"), 1u) << out;
  EXPECT_EQ(count(out, "\n"), 3u) << out;
}

}  // namespace
}  // namespace cibgraph::cli
