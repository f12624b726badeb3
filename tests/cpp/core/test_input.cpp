// InputBuffer (input.hpp): block reading of plain and gzip files (gzip told by its magic bytes, never by the name),
// the unconsumed tail kept across fills, skip_line over lines longer than a block, the byte counters, and the
// errors, each naming the file. (The CSV and JSONL parsers built on it are tested in test_csv.cpp and
// test_ingest.cpp; errors there carry the line.)
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "cibgraph/error.hpp"
#include "cibgraph/input.hpp"
#include "test_support.hpp"

namespace {

using cibgraph::InputBuffer;
using cibgraph::InputError;
namespace ts = cibgraph::test_support;

// Everything left in the file: data() and every further block.
std::string drain(InputBuffer& in) {
  std::string out;
  do {
    out += in.data();
    in.consume(in.data().size());
  } while (in.fill());
  return out;
}

// The next line (without its '\n'), filling block by block as a parser does; false when nothing is left.
bool next_line(InputBuffer& in, std::string& line) {
  for (;;) {
    const auto d = in.data();
    if (const auto nl = d.find('\n'); nl != std::string_view::npos) {
      line.assign(d.substr(0, nl));
      in.consume(nl + 1);
      return true;
    }
    if (!in.fill()) {
      if (in.data().empty()) return false;
      line.assign(in.data());
      in.consume(in.data().size());
      return true;
    }
  }
}

const std::string kRows = "account,action,target,time\nalice,share,p1,1000\nbob,share,p1,2000\n";

}  // namespace

TEST(InputBufferTest, PlainFileIsReadInBlocksOfTheGivenSize) {
  ts::TempDir dir;
  const auto path = ts::write_file(dir.file("rows.csv"), kRows);
  InputBuffer in(path, 8);
  EXPECT_FALSE(in.compressed());
  EXPECT_EQ(in.path(), path);
  EXPECT_EQ(in.file_size(), kRows.size());  // 27 + 20 + 18 = 65 bytes
  ASSERT_EQ(kRows.size(), 65u);
  EXPECT_TRUE(in.data().empty());  // nothing is read before the first fill
  ASSERT_TRUE(in.fill());
  EXPECT_EQ(in.data(), "account,");  // one block: exactly 8 bytes
  in.consume(3);
  EXPECT_EQ(in.data(), "ount,");
  // The next fill keeps the unconsumed tail (5 bytes) and appends one block of 8: bytes 8..15 of the file.
  ASSERT_TRUE(in.fill());
  EXPECT_EQ(in.data(), "ount,action,t");
  EXPECT_FALSE(in.eof());
  // The rest: the 65 - 16 = 49 bytes after the two blocks.
  in.consume(in.data().size());
  EXPECT_EQ(drain(in), kRows.substr(16));
  EXPECT_TRUE(in.eof());
  EXPECT_FALSE(in.fill());  // nothing more, and asking again is harmless
  EXPECT_FALSE(in.fill());
  EXPECT_TRUE(in.data().empty());
}

TEST(InputBufferTest, LinesAcrossBlockBoundariesComeOutWhole) {
  ts::TempDir dir;
  // No final newline: the last line ends at the end of the file.
  const auto path = ts::write_file(dir.file("rows.csv"), "a,b\nlonger line than a block\n\nlast");
  for (std::size_t block : {1u, 2u, 3u, 5u, 64u}) {
    InputBuffer in(path, block);
    std::vector<std::string> lines;
    std::string line;
    while (next_line(in, line)) lines.push_back(line);
    EXPECT_EQ(lines, (std::vector<std::string>{"a,b", "longer line than a block", "", "last"})) << "block " << block;
  }
}

TEST(InputBufferTest, GzipIsToldByItsMagicBytesNotItsName) {
  ts::TempDir dir;
  // A gzip file named .csv and a plain file named .gz: both give the plain bytes.
  const auto gz = ts::write_gzip(dir.file("rows.csv"), kRows);
  const auto plain = ts::write_file(dir.file("rows.csv.gz"), kRows);
  InputBuffer in_gz(gz, 7);
  EXPECT_TRUE(in_gz.compressed());
  EXPECT_EQ(drain(in_gz), kRows);
  InputBuffer in_plain(plain, 7);
  EXPECT_FALSE(in_plain.compressed());
  EXPECT_EQ(drain(in_plain), kRows);
  // The first fill of a gzip file is one block of the decompressed bytes.
  InputBuffer again(gz, 7);
  ASSERT_TRUE(again.fill());
  EXPECT_EQ(again.data(), "account");
  // A file starting with 0x1f alone (one magic byte, then text) is plain.
  const std::string half_magic = "\x1f,x\n";
  InputBuffer odd(ts::write_file(dir.file("odd.csv"), half_magic));
  EXPECT_FALSE(odd.compressed());
  EXPECT_EQ(drain(odd), half_magic);
}

TEST(InputBufferTest, FileOffsetCountsBytesOnDisk) {
  ts::TempDir dir;
  // A gzip of 100,000 'x' compresses to a few hundred bytes: the offset is in compressed bytes and ends at the
  // file's size, far below the 100,000 bytes handed out.
  const std::string xs(100'000, 'x');
  const auto gz = ts::write_gzip(dir.file("xs.gz"), xs);
  InputBuffer in(gz, 4096);
  EXPECT_EQ(in.file_offset(), 0u);
  EXPECT_EQ(drain(in), xs);
  EXPECT_LT(in.file_size(), 10'000u);
  EXPECT_EQ(in.file_offset(), in.file_size());
  const auto plain = ts::write_file(dir.file("xs.csv"), xs);
  InputBuffer in_plain(plain, 4096);
  EXPECT_EQ(in_plain.file_size(), 100'000u);
  EXPECT_EQ(drain(in_plain), xs);
  EXPECT_EQ(in_plain.file_offset(), 100'000u);
}

TEST(InputBufferTest, SkipLinePassesAnEndlessLineBlockByBlock) {
  ts::TempDir dir;
  // 1,000 bytes of one line, then "next\n": with blocks of 4 the line never fits, yet skip_line lands on "next".
  const std::string text = std::string(1000, 'z') + "\nnext\nrow\n";
  InputBuffer in(ts::write_file(dir.file("long.csv"), text), 4);
  in.skip_line();
  std::string line;
  ASSERT_TRUE(next_line(in, line));
  EXPECT_EQ(line, "next");
  in.skip_line();  // past "row\n"
  EXPECT_FALSE(next_line(in, line));
  // skip_line at the end of the file returns (nothing to skip), and on a last line without '\n' consumes it.
  in.skip_line();
  InputBuffer tail(ts::write_file(dir.file("tail.csv"), "one\ntwo"), 2);
  tail.skip_line();
  ASSERT_TRUE(next_line(tail, line));
  EXPECT_EQ(line, "two");
  InputBuffer tail2(ts::write_file(dir.file("tail2.csv"), "one\ntwo"), 2);
  tail2.skip_line();
  tail2.skip_line();
  EXPECT_TRUE(tail2.data().empty());
  EXPECT_FALSE(tail2.fill());
}

TEST(InputBufferTest, EmptyFile) {
  ts::TempDir dir;
  InputBuffer in(ts::write_file(dir.file("empty.csv"), ""));
  EXPECT_FALSE(in.compressed());
  EXPECT_EQ(in.file_size(), 0u);
  EXPECT_FALSE(in.fill());
  EXPECT_TRUE(in.eof());
  EXPECT_TRUE(in.data().empty());
  // A gzip of nothing is compressed and just as empty.
  InputBuffer gz(ts::write_gzip(dir.file("empty.gz"), ""));
  EXPECT_TRUE(gz.compressed());
  EXPECT_FALSE(gz.fill());
  EXPECT_TRUE(gz.data().empty());
}

TEST(InputBufferTest, ErrorsNameTheFile) {
  ts::TempDir dir;
  const auto missing = dir.file("missing.csv");
  auto message = ts::thrown_message<InputError>([&] { InputBuffer in(missing); });
  // format_location: "<file>: <message>" (no line: the file as a whole is the problem).
  EXPECT_EQ(message, missing + ": no such file");

  message = ts::thrown_message<InputError>([&] { InputBuffer in(dir.file("")); });
  EXPECT_NE(message.find("is a directory, not a file"), std::string::npos) << message;

  // A gzip stream cut in half: the error surfaces on fill, naming the file.
  std::string payload;
  for (int i = 0; i < 5000; ++i) payload += "row," + std::to_string(i * 7919 % 10007) + "\n";
  const auto whole = ts::write_gzip(dir.file("whole.gz"), payload);
  const auto bytes = ts::read_file(whole);
  const auto cut = ts::write_file(dir.file("cut.csv.gz"), bytes.substr(0, bytes.size() / 2));
  try {
    InputBuffer in(cut, 1024);
    EXPECT_TRUE(in.compressed());
    in.consume(0);
    while (in.fill()) in.consume(in.data().size());
    ADD_FAILURE() << "a truncated gzip stream read to the end without error";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(cut + ": corrupt or truncated gzip data", 0), 0u) << what;
    EXPECT_EQ(e.where().file, cut);
    EXPECT_EQ(e.where().line, 0u);
  }
}

TEST(InputBufferTest, ConcatenatedGzipMembersReadAsOneStream) {
  // `cat a.gz b.gz > c.gz` is a valid gzip file of two members: its bytes are a's then b's.
  ts::TempDir dir;
  const std::string first = "account,action\nalice,share\n", second = "bob,share\ncarol,share\n";
  const auto a = ts::read_file(ts::write_gzip(dir.file("a.gz"), first));
  const auto b = ts::read_file(ts::write_gzip(dir.file("b.gz"), second));
  InputBuffer in(ts::write_file(dir.file("both.csv"), a + b), 5);
  EXPECT_TRUE(in.compressed());
  std::vector<std::string> lines;
  std::string line;
  while (next_line(in, line)) lines.push_back(line);
  EXPECT_EQ(lines, (std::vector<std::string>{"account,action", "alice,share", "bob,share", "carol,share"}));
}

TEST(InputBufferTest, GzipMagicFollowedByGarbageIsAnError) {
  // The two magic bytes make it gzip; what follows is not a deflate stream: the first fill says so, naming the file.
  ts::TempDir dir;
  const auto path = ts::write_file(dir.file("fake.csv"), std::string("\x1f\x8b", 2) + "not really gzip at all\n");
  InputBuffer in(path);
  EXPECT_TRUE(in.compressed());
  const auto message = ts::thrown_message<InputError>([&] {
    while (in.fill()) in.consume(in.data().size());
  });
  EXPECT_EQ(message.rfind(path + ": corrupt or truncated gzip data", 0), 0u) << message;
}
