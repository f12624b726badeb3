// The null model's kernel: pairs of delays within the window and its halvings, exact for every kernel.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/pair_counts.hpp"

namespace {

using cibgraph::PairCountKernel;

std::vector<PairCountKernel> kernels() {
  std::vector<PairCountKernel> k = {PairCountKernel::Auto, PairCountKernel::Portable};
  if (cibgraph::avx2_available()) k.push_back(PairCountKernel::Avx2);
  if (cibgraph::avx512_available()) k.push_back(PairCountKernel::Avx512);
  return k;
}

std::vector<std::uint64_t> brute_force(const std::vector<std::int64_t>& xs, const std::vector<std::int64_t>& ys,
                                       std::int64_t window) {
  std::vector<std::uint64_t> c(cibgraph::kMaxPairCountScales, 0);
  for (auto x : xs)
    for (auto y : ys)
      for (int s = 0; s < cibgraph::kMaxPairCountScales; ++s) c[s] += (x > y ? x - y : y - x) <= (window >> s);
  return c;
}

std::vector<std::uint64_t> counted(const std::vector<std::int64_t>& xs, const std::vector<std::int64_t>& ys,
                                   std::int64_t window, PairCountKernel k, int scales = 4) {
  std::vector<std::uint64_t> c(cibgraph::kMaxPairCountScales, 99);
  cibgraph::count_pairs_within(xs.data(), xs.size(), ys.data(), ys.size(), window, scales, c.data(), k);
  c.resize(static_cast<std::size_t>(scales));
  return c;
}

}  // namespace

TEST(PairCountsTest, HandCountedBoundariesAreInclusive) {
  // Window 80 ms: bounds 80, 40, 20, 10.
  const std::vector<std::int64_t> xs = {0, 100};
  const std::vector<std::int64_t> ys = {0, 10, 40, 81};
  // distances: x=0: 0, 10, 40, 81; x=100: 100, 90, 60, 19.
  // <= 80: 0, 10, 40, 60, 19 -> 5; <= 40: 0, 10, 40, 19 -> 4; <= 20: 0, 10, 19 -> 3; <= 10: 0, 10 -> 2.
  for (auto k : kernels()) {
    EXPECT_EQ(counted(xs, ys, 80, k), (std::vector<std::uint64_t>{5, 4, 3, 2}));
    EXPECT_EQ(counted(ys, xs, 80, k), (std::vector<std::uint64_t>{5, 4, 3, 2}));  // symmetric
    EXPECT_EQ(counted(xs, ys, 80, k, 1), (std::vector<std::uint64_t>{5}));
  }
}

TEST(PairCountsTest, EqualValuesNegativeDelaysAndEmptyLists) {
  const std::vector<std::int64_t> xs = {-5, -5, 3};
  const std::vector<std::int64_t> ys = {-5, 3, 3};
  // distances: -5: 0, 8, 8 (twice); 3: 8, 0, 0. Window 8: all 9; 4: 4 zeros; 2 and 1: the same 4.
  for (auto k : kernels()) {
    EXPECT_EQ(counted(xs, ys, 8, k), (std::vector<std::uint64_t>{9, 4, 4, 4}));
    EXPECT_EQ(counted({}, ys, 8, k), (std::vector<std::uint64_t>{0, 0, 0, 0}));
    EXPECT_EQ(counted(xs, {}, 8, k), (std::vector<std::uint64_t>{0, 0, 0, 0}));
    EXPECT_EQ(counted(xs, ys, 0, k), (std::vector<std::uint64_t>{4, 4, 4, 4}));
    EXPECT_EQ(counted(xs, ys, 8, k, 1), (std::vector<std::uint64_t>{9}));
    EXPECT_EQ(counted(xs, ys, 0, k, 1), (std::vector<std::uint64_t>{4}));
    EXPECT_EQ(counted({}, ys, 8, k, 1), (std::vector<std::uint64_t>{0}));
  }
}

TEST(PairCountsTest, EveryKernelEqualsBruteForceOnRandomSortedLists) {
  std::mt19937_64 rng(2024);
  // Sizes cover the portable kernel's three regimes (all pairs, sweep, binary search) and the AVX-512 kernel's
  // masked tails (lengths not a multiple of 8); spreads from dense (many pairs in the window) to sparse.
  const std::size_t sizes[] = {1, 3, 7, 8, 9, 17, 64, 65, 200, 1500};
  const std::int64_t spreads[] = {50, 5'000, 500'000};
  for (auto nx : sizes)
    for (auto ny : sizes)
      for (auto spread : spreads) {
        std::uniform_int_distribution<std::int64_t> d(-spread / 10, spread);
        std::vector<std::int64_t> xs(nx), ys(ny);
        for (auto& v : xs) v = d(rng);
        for (auto& v : ys) v = d(rng);
        std::sort(xs.begin(), xs.end());
        std::sort(ys.begin(), ys.end());
        const std::int64_t window = 1 + static_cast<std::int64_t>(rng() % 2000);
        const auto expected = brute_force(xs, ys, window);
        for (auto k : kernels()) {
          ASSERT_EQ(counted(xs, ys, window, k), expected)
              << "nx " << nx << " ny " << ny << " spread " << spread << " window " << window << " kernel "
              << static_cast<int>(k);
          // One scale alone (the AVX-512 kernel then moves the band's two ends instead of walking it).
          ASSERT_EQ(counted(xs, ys, window, k, 1), std::vector<std::uint64_t>{expected[0]})
              << "nx " << nx << " ny " << ny << " spread " << spread << " window " << window << " kernel "
              << static_cast<int>(k);
        }
      }
}

// Lists whose density changes along the way: clumps of equal and near-equal delays (long bands, counted by the
// ends of each scale) between sparse stretches (short bands, walked), so a scale's ends fall behind over the
// sparse stretches and must catch up exactly.
TEST(PairCountsTest, EveryKernelEqualsBruteForceWhereBandsTurnFromShortToLong) {
  std::mt19937_64 rng(77);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::int64_t> xs, ys;
    std::int64_t at = -50'000;
    for (int part = 0; part < 6; ++part) {
      const bool clump = rng() % 2 == 0;
      const std::size_t n = 1 + rng() % 120;
      for (std::size_t k = 0; k < n; ++k) {
        at += clump ? static_cast<std::int64_t>(rng() % 3) : 500 + static_cast<std::int64_t>(rng() % 5'000);
        (rng() % 3 == 0 ? xs : ys).push_back(at);
      }
    }
    const std::int64_t window = 1 + static_cast<std::int64_t>(rng() % 1'500);
    const auto expected = brute_force(xs, ys, window);
    for (auto k : kernels())
      for (int scales = 1; scales <= cibgraph::kMaxPairCountScales; ++scales) {
        const std::vector<std::uint64_t> want(expected.begin(), expected.begin() + scales);
        ASSERT_EQ(counted(xs, ys, window, k, scales), want)
            << "trial " << trial << " window " << window << " scales " << scales << " kernel " << static_cast<int>(k);
        ASSERT_EQ(counted(ys, xs, window, k, scales), want) << "swapped, trial " << trial;
      }
  }
}

// The AVX-512 kernel's two shortcuts: short lists compared all against all in 32-bit lanes relative to the smaller
// first delay (and the lists whose span or window does not fit, which must take the band walk), and galloping over
// a long list to the band of a short list's next delay.
TEST(PairCountsTest, EveryKernelEqualsBruteForceOnWideSpansAndShortAgainstLongLists) {
  std::mt19937_64 rng(31);
  const std::int64_t big = std::int64_t{1} << 30;
  struct Case {
    std::vector<std::int64_t> xs, ys;
    std::int64_t window;
  };
  std::vector<Case> cases = {
      {{0, 1, 2 * big}, {1, 5, big * 4}, 5},                        // span over 2^30: no 32-bit lanes
      {{-big, 0, 3}, {-big + 2, 1, big + 7}, 4},                   // span about 2^31 across zero
      {{0, 10, big - 1}, {3, big - 2}, big},                        // window of 2^30
      {{0, 10, 100}, {3, 50, big - 1}, big - 1},                    // the widest window the lanes take
      {{-7, -7, -7}, {-9, -7, -7, -5}, 2},                          // negative, equal
      {{5}, {}, 3},
  };
  for (int trial = 0; trial < 60; ++trial) {
    // A short list (1-12 delays) against a long one (2,000-6,000), spread so that the short list's bands lie far
    // apart in the long list, at both ends and past them.
    Case c;
    const std::size_t ny = 2'000 + rng() % 4'000, nx = 1 + rng() % 12;
    std::uniform_int_distribution<std::int64_t> d(-1'000'000, 50'000'000);
    for (std::size_t k = 0; k < ny; ++k) c.ys.push_back(d(rng));
    for (std::size_t k = 0; k < nx; ++k) c.xs.push_back(trial % 5 == 0 ? 60'000'000 + d(rng) % 1'000 : d(rng));
    std::sort(c.xs.begin(), c.xs.end());
    std::sort(c.ys.begin(), c.ys.end());
    c.window = 1 + static_cast<std::int64_t>(rng() % 200'000);
    cases.push_back(c);
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    const auto expected = brute_force(c.xs, c.ys, c.window);
    for (auto k : kernels())
      for (int scales = 1; scales <= cibgraph::kMaxPairCountScales; ++scales) {
        const std::vector<std::uint64_t> want(expected.begin(), expected.begin() + scales);
        ASSERT_EQ(counted(c.xs, c.ys, c.window, k, scales), want)
            << "case " << i << " scales " << scales << " kernel " << static_cast<int>(k);
        ASSERT_EQ(counted(c.ys, c.xs, c.window, k, scales), want) << "swapped, case " << i;
      }
  }
  // Hand-counted: window 2^30 takes the band walk; every pair of {0, 10} and {3} is within it, 2^31 is not.
  for (auto k : kernels())
    EXPECT_EQ(counted({0, 10, 2 * big}, {3}, big, k), (std::vector<std::uint64_t>{2, 2, 2, 2}));
}

TEST(PairCountsTest, BadArguments) {
  const std::vector<std::int64_t> xs = {1};
  std::uint64_t c[4];
  EXPECT_THROW(cibgraph::count_pairs_within(xs.data(), 1, xs.data(), 1, 10, 0, c), cibgraph::UsageError);
  EXPECT_THROW(cibgraph::count_pairs_within(xs.data(), 1, xs.data(), 1, 10, 5, c), cibgraph::UsageError);
  EXPECT_THROW(cibgraph::count_pairs_within(xs.data(), 1, xs.data(), 1, -1, 1, c), cibgraph::UsageError);
  if (!cibgraph::avx2_available()) {
    EXPECT_THROW(cibgraph::count_pairs_within(xs.data(), 1, xs.data(), 1, 10, 1, c, PairCountKernel::Avx2),
                 cibgraph::UsageError);
  }
  if (!cibgraph::avx512_available()) {
    EXPECT_THROW(cibgraph::count_pairs_within(xs.data(), 1, xs.data(), 1, 10, 1, c, PairCountKernel::Avx512),
                 cibgraph::UsageError);
  }
}
