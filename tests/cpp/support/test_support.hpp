#pragma once
// Helpers shared by the C++ tests: a fresh temporary folder per test, small file writers, and event tables and
// co-action layers made by hand.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
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

// A hand-made co-action layer: hand_layer(layer, {{.a = 0, .b = 1, .distinct_targets = 3, .p_value = 1e-6}, ...})
// fills the per-edge columns of LayerEdges and its evidence ledger, one row per HandEdge (the co-targeting columns
// only when asked, below). HandEdge's fields follow LayerEdges' column order (designated initializers must keep it);
// a field left out takes the default below: 2 co-acted keys, a median delay of 1 s, expected 0.1, p 1, not kept, no
// evidence rows. Not filled: scale_targets (empty, as in a layer read back from a store: the habits null then tests
// the one scale), capped_keys, null_inputs and the layer's counts.
struct HandEvidence {
  std::uint32_t key = 0;
  std::int64_t time_a = 0, time_b = 0;
};

struct HandEdge {
  std::uint32_t a = 0, b = 0;
  std::optional<std::uint32_t> co_actions = std::nullopt;  // unset: distinct_targets
  std::uint32_t distinct_targets = 2;
  std::optional<std::uint32_t> moments = std::nullopt;  // unset: distinct_targets (each key at a moment of its own)
  std::uint32_t a_led = 0, b_led = 0;
  std::int64_t min_delay_ms = 0, median_delay_ms = 1000;
  double idf_weight = 0, tfidf_cosine = 0;
  std::optional<std::uint32_t> common_keys = std::nullopt;  // unset: distinct_targets
  double expected = 0.1;
  double p_value = 1;
  std::optional<double> sync_p = std::nullopt;  // unset: p_value
  // The co-targeting test's columns: filled only when some edge of the layer gives one (the others then take 0 and
  // 1, an untested edge's); a layer where none does has none, and the cluster tests run the habits null alone.
  std::optional<double> cotarget_expected = std::nullopt, cotarget_p = std::nullopt;
  bool kept = false;
  std::vector<HandEvidence> evidence = {};                     // the ledger's rows, in order
  std::optional<std::uint32_t> evidence_total = std::nullopt;  // unset: evidence.size()
};

inline LayerEdges hand_layer(Layer layer, const std::vector<HandEdge>& edges) {
  LayerEdges l;
  l.layer = layer;
  const bool cotarget = std::any_of(edges.begin(), edges.end(), [](const HandEdge& e) {
    return e.cotarget_expected.has_value() || e.cotarget_p.has_value();
  });
  for (const HandEdge& e : edges) {
    l.a.push_back(e.a);
    l.b.push_back(e.b);
    l.co_actions.push_back(e.co_actions.value_or(e.distinct_targets));
    l.distinct_targets.push_back(e.distinct_targets);
    l.moments.push_back(e.moments.value_or(e.distinct_targets));
    l.a_led.push_back(e.a_led);
    l.b_led.push_back(e.b_led);
    l.min_delay_ms.push_back(e.min_delay_ms);
    l.median_delay_ms.push_back(e.median_delay_ms);
    l.idf_weight.push_back(e.idf_weight);
    l.tfidf_cosine.push_back(e.tfidf_cosine);
    l.common_keys.push_back(e.common_keys.value_or(e.distinct_targets));
    l.expected.push_back(e.expected);
    l.p_value.push_back(e.p_value);
    l.sync_p.push_back(e.sync_p.value_or(e.p_value));
    if (cotarget) {
      l.cotarget_expected.push_back(e.cotarget_expected.value_or(0.0));
      l.cotarget_p.push_back(e.cotarget_p.value_or(1.0));
    }
    l.kept.push_back(e.kept ? 1 : 0);
    for (const HandEvidence& row : e.evidence) {
      l.evidence_key.push_back(row.key);
      l.evidence_time_a.push_back(row.time_a);
      l.evidence_time_b.push_back(row.time_b);
    }
    l.evidence_offsets.push_back(l.evidence_key.size());
    l.evidence_total.push_back(e.evidence_total.value_or(static_cast<std::uint32_t>(e.evidence.size())));
  }
  return l;
}

}  // namespace cibgraph::test_support
