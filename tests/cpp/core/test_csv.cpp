#include <gtest/gtest.h>

#include <unistd.h>

#include "cibgraph/csv.hpp"
#include "cibgraph/error.hpp"
#include "test_support.hpp"

using namespace cibgraph;
using cibgraph::test_support::TempDir;

namespace {

struct Parsed {
  std::vector<std::string> fields;
  std::string raw;
  std::uint64_t line;
  CsvRecord::Problem problem;
};

std::vector<Parsed> parse_all(const std::string& path, CsvOptions options = {}, std::size_t block = 1 << 20) {
  InputBuffer in(path, block);
  CsvReader reader(in, options);
  CsvRecord rec;
  std::vector<Parsed> out;
  while (reader.next(rec))
    out.push_back({std::vector<std::string>(rec.fields.begin(), rec.fields.end()), std::string(rec.raw), rec.line,
                   rec.problem});
  return out;
}

}  // namespace

TEST(CsvTest, PlainRecords) {
  TempDir dir;
  auto recs = parse_all(test_support::write_file(dir.file("a.csv"), "a,b,c\n1,2,3\n,x,\n"));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"", "x", ""}));
  EXPECT_EQ(recs[2].line, 3u);
}

TEST(CsvTest, QuotesEmbeddedDelimitersQuotesAndNewlines) {
  TempDir dir;
  auto recs = parse_all(test_support::write_file(
      dir.file("q.csv"), "id,text\n1,\"hello, world\"\n2,\"she said \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\"\"\n5,last\n"));
  ASSERT_EQ(recs.size(), 6u);
  EXPECT_EQ(recs[1].fields[1], "hello, world");
  EXPECT_EQ(recs[2].fields[1], "she said \"hi\"");
  EXPECT_EQ(recs[3].fields[1], "two\nlines");
  EXPECT_EQ(recs[3].line, 4u);
  EXPECT_EQ(recs[3].raw, "3,\"two\nlines\"");
  EXPECT_EQ(recs[4].fields[1], "");
  EXPECT_EQ(recs[5].line, 7u);  // line numbers count the embedded newline
  EXPECT_EQ(recs[5].fields[1], "last");
}

TEST(CsvTest, CrlfBomAndNoFinalNewline) {
  TempDir dir;
  auto recs = parse_all(test_support::write_file(dir.file("w.csv"), "\xEF\xBB\xBF" "a,b\r\n1,\"x\r\ny\"\r\n2,z"));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields[0], "a");  // BOM stripped
  EXPECT_EQ(recs[1].fields[1], "x\r\ny");  // CRLF inside quotes is data
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"2", "z"}));
  EXPECT_EQ(recs[2].line, 4u);
}

TEST(CsvTest, Gzip) {
  TempDir dir;
  std::string body = "a,b\n";
  for (int i = 0; i < 50000; ++i) body += std::to_string(i) + ",\"v," + std::to_string(i) + "\"\n";
  auto recs = parse_all(test_support::write_gzip(dir.file("g.csv.gz"), body), {}, 4096);
  ASSERT_EQ(recs.size(), 50001u);
  EXPECT_EQ(recs[50000].fields[1], "v,49999");
  EXPECT_EQ(recs[50000].line, 50001u);
}

TEST(CsvTest, TruncatedGzipIsAnInputError) {
  TempDir dir;
  std::string body;
  for (int i = 0; i < 100000; ++i) body += std::to_string(i * 7919) + ",abc" + std::to_string(i) + "\n";
  auto path = test_support::write_gzip(dir.file("t.csv.gz"), body);
  std::string bytes = test_support::read_file(path);
  test_support::write_file(path, bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(parse_all(path), InputError);
}

TEST(CsvTest, RecordsSpanningSmallBuffers) {
  TempDir dir;
  std::string long_text(10000, 'x');
  auto recs = parse_all(test_support::write_file(dir.file("s.csv"), "a,b\n1,\"" + long_text + "\n" + long_text + "\"\n2,y\n"),
                        {}, 64);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].fields[1].size(), 20001u);
  EXPECT_EQ(recs[2].fields[1], "y");
}

TEST(CsvTest, QuoteInsideUnquotedFieldIsLiteral) {
  TempDir dir;
  auto recs = parse_all(test_support::write_file(dir.file("l.csv"), "a,b\n5\" tall,x\n"));
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].problem, CsvRecord::Problem::None);
  EXPECT_EQ(recs[1].fields[0], "5\" tall");
}

TEST(CsvTest, TextAfterClosingQuoteIsMalformed) {
  TempDir dir;
  auto recs = parse_all(test_support::write_file(dir.file("m.csv"), "a,b\n\"ab\"c,x\n2,y\n"));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].problem, CsvRecord::Problem::MalformedQuotes);
  EXPECT_EQ(recs[2].fields[1], "y");
}

TEST(CsvTest, UnterminatedQuoteResumesOnTheNextLine) {
  TempDir dir;
  auto recs = parse_all(test_support::write_file(dir.file("u.csv"), "a,b\n1,\"never closed\n2,y\n3,z\n"));
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[1].problem, CsvRecord::Problem::UnterminatedQuote);
  EXPECT_EQ(recs[1].raw, "1,\"never closed");
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"2", "y"}));
  EXPECT_EQ(recs[2].line, 3u);
  EXPECT_EQ(recs[3].line, 4u);
}

TEST(CsvTest, OversizedRecordIsBoundedAndReadingResumes) {
  TempDir dir;
  std::string huge(5000, 'h');
  // A quote opened on line 2 runs past the bound: line 2 is reported, reading resumes on line 3.
  auto recs = parse_all(test_support::write_file(dir.file("o.csv"), "a,b\n1,\"" + huge + "\n" + huge + "\n3,z\n" + huge + huge + ",w\n4,q\n"),
                        CsvOptions{',', '"', 4096}, 512);
  ASSERT_GE(recs.size(), 4u);
  EXPECT_EQ(recs[1].problem, CsvRecord::Problem::OversizedRecord);
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_LE(recs[1].raw.size(), 4096u);
  // Every later physical line is still seen, and the last record is intact.
  EXPECT_EQ(recs.back().fields, (std::vector<std::string>{"4", "q"}));
  EXPECT_EQ(recs.back().line, 6u);
}

TEST(CsvTest, BlankLinesAndTabDelimiter) {
  TempDir dir;
  auto recs = parse_all(test_support::write_file(dir.file("t.tsv"), "a\tb\n\n1\t2\n"), CsvOptions{'\t', '"', 1 << 20});
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_TRUE(recs[1].raw.empty());
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"1", "2"}));
}

TEST(CsvTest, MissingFileIsAnInputError) {
  try {
    InputBuffer in("/nonexistent/cibgraph.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/cibgraph.csv"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos);
  }
}
