// The LFR benchmark generator: the planted structure obeys the options (community sizes, degrees, a simple graph)
// and the realised mixing lands on the requested mu.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cibgraph/datasets/lfr.hpp"
#include "cibgraph/error.hpp"

namespace {

using cibgraph::datasets::lfr;
using cibgraph::datasets::LfrGraph;
using cibgraph::datasets::LfrOptions;

LfrOptions options_2000(double mixing, std::uint64_t seed = 7) {
  LfrOptions o;
  o.n = 2000;
  o.mixing = mixing;
  o.seed = seed;
  return o;
}

std::vector<std::uint32_t> degrees_of(const LfrGraph& g) {
  std::vector<std::uint32_t> degree(g.n, 0);
  for (std::size_t i = 0; i < g.src.size(); ++i) {
    ++degree[g.src[i]];
    ++degree[g.dst[i]];
  }
  return degree;
}

// The realised mixing recomputed from the edges, independently of the generator's own bookkeeping.
double mixing_of(const LfrGraph& g) {
  std::vector<std::uint32_t> degree(g.n, 0), external(g.n, 0);
  for (std::size_t i = 0; i < g.src.size(); ++i) {
    const bool crosses = g.community[g.src[i]] != g.community[g.dst[i]];
    for (const auto v : {g.src[i], g.dst[i]}) {
      ++degree[v];
      external[v] += crosses ? 1 : 0;
    }
  }
  double sum = 0;
  std::uint32_t counted = 0;
  for (std::uint32_t v = 0; v < g.n; ++v) {
    if (degree[v] == 0) continue;
    sum += static_cast<double>(external[v]) / degree[v];
    ++counted;
  }
  return sum / counted;
}

TEST(Lfr, StructureObeysTheOptions) {
  for (const double mu : {0.1, 0.3, 0.5}) {
    const LfrOptions o = options_2000(mu);
    const LfrGraph g = lfr(o);
    ASSERT_EQ(g.n, o.n);
    ASSERT_EQ(g.community.size(), o.n);
    ASSERT_EQ(g.src.size(), g.dst.size());

    std::uint32_t communities = 0;
    for (const auto c : g.community) communities = std::max(communities, c + 1);
    std::vector<std::uint32_t> size(communities, 0);
    for (const auto c : g.community) ++size[c];
    for (std::uint32_t c = 0; c < communities; ++c) {
      EXPECT_GE(size[c], o.min_community) << "community " << c << ", mu " << mu;
      EXPECT_LE(size[c], o.max_community) << "community " << c << ", mu " << mu;
    }

    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    for (std::size_t i = 0; i < g.src.size(); ++i) {
      ASSERT_LT(g.src[i], g.dst[i]) << "self-loop or unordered edge " << i;
      ASSERT_LT(g.dst[i], o.n);
      ASSERT_TRUE(seen.emplace(g.src[i], g.dst[i]).second) << "repeated edge " << g.src[i] << "-" << g.dst[i];
    }
    const auto degree = degrees_of(g);
    EXPECT_LE(*std::max_element(degree.begin(), degree.end()), o.max_degree);
    const double average = 2.0 * static_cast<double>(g.src.size()) / o.n;
    EXPECT_NEAR(average, o.average_degree, 1.0) << "mu " << mu;  // sampling noise at n = 2000 is about 0.4
  }
}

TEST(Lfr, RealisedMixingMatchesTheRequest) {
  for (const double mu : {0.1, 0.3, 0.5}) {
    for (const std::uint64_t seed : {1u, 2u}) {
      const LfrGraph g = lfr(options_2000(mu, seed));
      EXPECT_NEAR(g.realised_mixing, mu, 0.03) << "mu " << mu << ", seed " << seed;
      EXPECT_NEAR(g.realised_mixing, mixing_of(g), 1e-12) << "reported mixing differs from the edges'";
    }
  }
}

TEST(Lfr, DeterministicForASeed) {
  const LfrGraph a = lfr(options_2000(0.3, 42));
  const LfrGraph b = lfr(options_2000(0.3, 42));
  EXPECT_EQ(a.src, b.src);
  EXPECT_EQ(a.dst, b.dst);
  EXPECT_EQ(a.community, b.community);
  EXPECT_EQ(a.realised_mixing, b.realised_mixing);
  const LfrGraph c = lfr(options_2000(0.3, 43));
  EXPECT_NE(a.src == c.src && a.dst == c.dst, true) << "another seed gave the same graph";
}

TEST(Lfr, ZeroMixingPlantsDisconnectedCommunities) {
  const LfrGraph g = lfr(options_2000(0.0, 3));
  for (std::size_t i = 0; i < g.src.size(); ++i) ASSERT_EQ(g.community[g.src[i]], g.community[g.dst[i]]);
  EXPECT_EQ(g.realised_mixing, 0.0);
}

TEST(Lfr, RejectsImpossibleOptions) {
  const auto rejects = [](auto edit) {
    LfrOptions o;
    edit(o);
    EXPECT_THROW(lfr(o), cibgraph::UsageError);
  };
  rejects([](LfrOptions& o) { o.mixing = 1.5; });
  rejects([](LfrOptions& o) { o.mixing = -0.1; });
  rejects([](LfrOptions& o) { o.max_degree = o.n; });
  rejects([](LfrOptions& o) { o.average_degree = 60; });          // above max_degree
  rejects([](LfrOptions& o) { o.average_degree = 1.0; });         // below the mean of any such power law
  rejects([](LfrOptions& o) { o.min_community = 200; });          // above max_community
  rejects([](LfrOptions& o) { o.max_community = 5000; });         // above n
  rejects([](LfrOptions& o) { o.max_community = o.min_community = 20; o.mixing = 0; });  // degree 50 inside 20
  rejects([](LfrOptions& o) { o.degree_exponent = -1; });
}

}  // namespace
