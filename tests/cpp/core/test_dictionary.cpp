#include <gtest/gtest.h>

#include <string>

#include "cibgraph/dictionary.hpp"
#include "cibgraph/error.hpp"

using namespace cibgraph;

TEST(DictionaryTest, InternsInOrderOfFirstAppearance) {
  StringDictionary d;
  EXPECT_EQ(d.intern("b"), 0u);
  EXPECT_EQ(d.intern("a"), 1u);
  EXPECT_EQ(d.intern("b"), 0u);
  EXPECT_EQ(d.intern(""), 2u);  // the empty string is a string like any other
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d[1], "a");
  EXPECT_EQ(d.find("a"), 1u);
  EXPECT_EQ(d.find("zz"), StringDictionary::kMissing);
  EXPECT_EQ(d.bytes(), "ba");
  EXPECT_EQ(d.offsets(), (std::vector<std::uint64_t>{0, 1, 2, 2}));
}

TEST(DictionaryTest, ManyStringsSurviveGrowthCopiesAndMoves) {
  StringDictionary d;
  for (int i = 0; i < 100000; ++i) ASSERT_EQ(d.intern("user" + std::to_string(i)), static_cast<std::uint32_t>(i));
  for (int i = 0; i < 100000; i += 7) ASSERT_EQ(d.intern("user" + std::to_string(i)), static_cast<std::uint32_t>(i));
  StringDictionary copy = d;
  StringDictionary moved = std::move(d);
  EXPECT_EQ(copy.find("user99999"), 99999u);
  EXPECT_EQ(moved.find("user12345"), 12345u);
  EXPECT_EQ(moved.intern("new"), 100000u);
  EXPECT_EQ(copy.find("new"), StringDictionary::kMissing);
  // Embedded NUL bytes and non-ASCII are ordinary bytes.
  std::string nul("a\0b", 3);
  EXPECT_EQ(copy.intern(nul), 100000u);
  EXPECT_NE(copy.find(std::string("a")), copy.find(nul));
  EXPECT_EQ(copy.intern("\xc3\xa9"), 100001u);
}

TEST(DictionaryTest, FromStorageChecksWhatItReads) {
  auto d = StringDictionary::from_storage("abc", {0, 1, 3});
  EXPECT_EQ(d[1], "bc");
  EXPECT_EQ(d.find("a"), 0u);
  EXPECT_EQ(d.intern("x"), 2u);
  EXPECT_THROW(StringDictionary::from_storage("abc", {0, 2, 1, 3}), FormatError);  // not monotone
  EXPECT_THROW(StringDictionary::from_storage("abc", {0, 1, 4}), FormatError);     // past the bytes
  EXPECT_THROW(StringDictionary::from_storage("abc", {1, 3}), FormatError);        // does not start at 0
  EXPECT_THROW(StringDictionary::from_storage("abab", {0, 2, 4}), FormatError);    // duplicate strings
  EXPECT_THROW(StringDictionary::from_storage("", {}), FormatError);
  EXPECT_EQ(StringDictionary::from_storage("", {0}).size(), 0u);
}
