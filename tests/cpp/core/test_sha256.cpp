// SHA-256 (sha256.hpp) against the test vectors of FIPS 180-2 (appendix B and C of the standard, the
// "one-block", "multi-block" and "long" messages, plus the 896-bit message of the NIST example set), the
// streaming digest against the one-shot one, and the file digest with its errors. (test_store.cpp's Sha256Test has
// three of the vectors, a file larger than a block and the missing file; these are the rest.)
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "cibgraph/error.hpp"
#include "cibgraph/sha256.hpp"
#include "test_support.hpp"

namespace {

using cibgraph::Sha256;
using cibgraph::sha256_file;
using cibgraph::sha256_hex;
namespace ts = cibgraph::test_support;

// The published digests (FIPS 180-2 and the NIST "SHA-256 examples" document).
constexpr std::string_view kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr std::string_view k448Message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr std::string_view k448 = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr std::string_view k896Message =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
constexpr std::string_view k896 = "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";
constexpr std::string_view kMillionA = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

std::string streamed(std::string_view bytes, std::size_t chunk) {
  Sha256 digest;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) digest.update(bytes.substr(at, chunk));
  return digest.hex_digest();
}

}  // namespace

TEST(Sha256DigestTest, Fips180TestVectors) {
  // The message lengths are the point of the vectors: 0 and 24 bits (one block), 448 bits (the padding needs a second
  // block: 448 + 1 + 64 > 512), 896 bits (two full blocks of message, then padding).
  ASSERT_EQ(k448Message.size() * 8, 448u);
  ASSERT_EQ(k896Message.size() * 8, 896u);
  EXPECT_EQ(sha256_hex(""), kEmpty);
  EXPECT_EQ(sha256_hex("abc"), kAbc);
  EXPECT_EQ(sha256_hex(k448Message), k448);
  EXPECT_EQ(sha256_hex(k896Message), k896);
  EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')), kMillionA);
}

TEST(Sha256DigestTest, DigestsAreLowercaseHexOf64Characters) {
  const auto digest = sha256_hex("cibgraph");
  ASSERT_EQ(digest.size(), 64u);  // 256 bits = 32 bytes = 64 hex digits
  for (char c : digest) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << digest;
  // One changed bit changes the digest.
  EXPECT_NE(sha256_hex("abc"), sha256_hex("abb"));
}

TEST(Sha256DigestTest, StreamingInOddChunksEqualsOneShot) {
  // Chunk sizes that straddle the 64-byte block boundary in every way: 1, primes, one short of and one past a block.
  for (std::size_t chunk : {1u, 3u, 7u, 13u, 63u, 65u, 127u, 1000u}) {
    EXPECT_EQ(streamed(k448Message, chunk), k448) << "chunk " << chunk;
    EXPECT_EQ(streamed(k896Message, chunk), k896) << "chunk " << chunk;
    EXPECT_EQ(streamed("abc", chunk), kAbc) << "chunk " << chunk;
  }
  EXPECT_EQ(streamed(std::string(1'000'000, 'a'), 4093), kMillionA);  // 4093 is prime
  // Empty updates change nothing, and no update at all is the empty message.
  Sha256 digest;
  digest.update("", 0);
  digest.update("ab");
  digest.update(nullptr, 0);
  digest.update("c");
  EXPECT_EQ(digest.hex_digest(), kAbc);
  EXPECT_EQ(Sha256().hex_digest(), kEmpty);
}

TEST(Sha256DigestTest, FinishedDigestRefusesMoreWork) {
  Sha256 digest;
  digest.update("abc");
  EXPECT_EQ(digest.hex_digest(), kAbc);
  EXPECT_THROW(digest.hex_digest(), cibgraph::Error);
  EXPECT_THROW(digest.update("d"), cibgraph::Error);
}

TEST(Sha256DigestTest, FileDigestIsTheDigestOfItsBytes) {
  ts::TempDir dir;
  EXPECT_EQ(sha256_file(ts::write_file(dir.file("empty"), "")), kEmpty);
  EXPECT_EQ(sha256_file(ts::write_file(dir.file("abc"), "abc")), kAbc);
  // Past one 1 MiB read block (1,048,576 bytes): the million a's and 48,577 more bytes, against the one-shot digest;
  // and exactly one block, where the first read fills the buffer and the second returns nothing.
  const std::string big = std::string(1'000'000, 'a') + std::string(48'577, 'b');
  EXPECT_EQ(sha256_file(ts::write_file(dir.file("big"), big)), sha256_hex(big));
  const std::string block(std::size_t{1} << 20, 'x');
  EXPECT_EQ(sha256_file(ts::write_file(dir.file("block"), block)), sha256_hex(block));
  // The bytes on disk, not text: a NUL and a CR LF are hashed as they are.
  const std::string binary("a\0b\r\n", 5);
  EXPECT_EQ(sha256_file(ts::write_file(dir.file("binary"), binary)), sha256_hex(binary));
  EXPECT_NE(sha256_hex(binary), sha256_hex("a\0b\n"));
}

TEST(Sha256DigestTest, FileErrorsNameTheFileAndTheCause) {
  // (A missing file is covered by Sha256Test.MissingFileIsAnInputError in test_store.cpp.) A directory opens but
  // cannot be read: the error says so, after the path.
  ts::TempDir dir;
  const auto folder = dir.file("folder");
  std::filesystem::create_directories(folder);
  const auto message = ts::thrown_message<cibgraph::InputError>([&] { sha256_file(folder); });
  EXPECT_EQ(message.rfind(folder + ": cannot", 0), 0u) << message;
}
