#include <gtest/gtest.h>

#include <omp.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "cibgraph/event_table.hpp"

using namespace cibgraph;

namespace {

EventTable random_table(std::size_t n, std::uint32_t n_targets, std::uint64_t seed) {
  EventTable ev;
  std::mt19937_64 rng(seed);
  ev.accounts.intern("a");
  ev.actions.intern("share");
  for (std::uint32_t t = 0; t < n_targets; ++t) ev.targets.intern("p" + std::to_string(t));
  for (std::size_t i = 0; i < n; ++i) {
    ev.account.push_back(0);
    ev.action.push_back(0);
    ev.target.push_back(static_cast<std::uint32_t>(rng() % n_targets));
    ev.time.push_back(static_cast<std::int64_t>(rng() % 1000));  // many ties
    ev.text.push_back(kNoText);
  }
  return ev;
}

}  // namespace

TEST(EventTableTest, OrderByTargetTimeIsTheStableSort) {
  const EventTable ev = random_table(300000, 5000, 3);
  std::vector<std::uint64_t> reference(ev.size());
  std::iota(reference.begin(), reference.end(), 0);
  std::stable_sort(reference.begin(), reference.end(), [&](std::uint64_t a, std::uint64_t b) {
    return ev.target[a] != ev.target[b] ? ev.target[a] < ev.target[b] : ev.time[a] < ev.time[b];
  });
  omp_set_num_threads(1);
  const auto one = ev.order_by_target_time();
  omp_set_num_threads(2);
  const auto two = ev.order_by_target_time();
  EXPECT_EQ(one, reference);
  EXPECT_EQ(two, reference);
}

TEST(EventTableTest, PermuteAndPartition) {
  EventTable ev = random_table(1000, 10, 5);
  ev.sort_by_target_time();
  const auto parts = ev.target_partition();
  ASSERT_EQ(parts.size(), 11u);
  EXPECT_EQ(parts.back(), 1000u);
  for (std::uint32_t t = 0; t < 10; ++t)
    for (auto i = parts[t]; i < parts[t + 1]; ++i) {
      EXPECT_EQ(ev.target[i], t);
      if (i > parts[t]) {
        EXPECT_LE(ev.time[i - 1], ev.time[i]);
      }
    }
  EXPECT_NO_THROW(ev.validate());
}

TEST(EventTableTest, ValidateCatchesBadIds) {
  EventTable ev = random_table(10, 3, 1);
  ev.target[4] = 3;
  EXPECT_THROW(ev.validate(), FormatError);
  ev = random_table(10, 3, 1);
  ev.time.pop_back();
  EXPECT_THROW(ev.validate(), FormatError);
}
