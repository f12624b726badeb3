#pragma once
// Helpers shared by the C++ tests: a fresh temporary folder per test and small file writers.
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cibgraph/coaction.hpp"

namespace cibgraph::test_support {

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("cibgraph-") + (info ? std::string(info->test_suite_name()) + "-" + info->name() : "t");
    path_ = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

inline std::string write_gzip(const std::string& path, const std::string& bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(gz);
  return path;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs f, which must throw E; returns what() so tests can check the message.
template <class E, class F>
std::string thrown_message(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw the wrong exception type: " << e.what();
    return {};
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

// The projection's columns and evidence ledger of two layers, column by column (floating-point ones bit for bit).
inline void expect_projection_columns_equal(const LayerEdges& x, const LayerEdges& y) {
  EXPECT_EQ(x.a, y.a);
  EXPECT_EQ(x.b, y.b);
  EXPECT_EQ(x.co_actions, y.co_actions);
  EXPECT_EQ(x.distinct_targets, y.distinct_targets);
  EXPECT_EQ(x.a_led, y.a_led);
  EXPECT_EQ(x.b_led, y.b_led);
  EXPECT_EQ(x.min_delay_ms, y.min_delay_ms);
  EXPECT_EQ(x.median_delay_ms, y.median_delay_ms);
  EXPECT_EQ(x.idf_weight, y.idf_weight);
  EXPECT_EQ(x.tfidf_cosine, y.tfidf_cosine);
  EXPECT_EQ(x.common_keys, y.common_keys);
  EXPECT_EQ(x.evidence_offsets, y.evidence_offsets);
  EXPECT_EQ(x.evidence_key, y.evidence_key);
  EXPECT_EQ(x.evidence_time_a, y.evidence_time_a);
  EXPECT_EQ(x.evidence_time_b, y.evidence_time_b);
  EXPECT_EQ(x.evidence_total, y.evidence_total);
  EXPECT_EQ(x.pairs_left_out, y.pairs_left_out);
}

// An event table from (account, action, target, time in ms[, text]) rows, interned in row order.
struct EventRow {
  std::string account, action, target;
  std::int64_t time;
  std::string text = "";
};

inline EventTable event_table(const std::vector<EventRow>& rows) {
  EventTable ev;
  for (const auto& r : rows) {
    ev.account.push_back(ev.accounts.intern(r.account));
    ev.action.push_back(static_cast<std::uint8_t>(ev.actions.intern(r.action)));
    ev.target.push_back(ev.targets.intern(r.target));
    ev.time.push_back(r.time);
    ev.text.push_back(r.text.empty() ? kNoText : ev.texts.intern(r.text));
  }
  return ev;
}

}  // namespace cibgraph::test_support
