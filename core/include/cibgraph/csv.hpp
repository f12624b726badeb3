#pragma once
// A streaming RFC 4180 CSV reader: quoted fields with embedded delimiters, quotes ("") and line breaks, CRLF or
// LF line ends, a UTF-8 byte-order mark at the start, gzip input (through InputBuffer). Unquoted records take a
// fast path (memchr for the line end and the delimiters, fields as views into the buffer); only records with a
// quote walk the state machine.
//
// Hostile input is bounded: a record longer than max_record_bytes (an unterminated quote, say) is reported as a
// problem record and reading resumes on the physical line after the one it started on, so one bad quote cannot
// swallow the rest of the file. Lenient where no information is lost: a quote inside an unquoted field is
// taken literally. A character after a closing quote (`"ab"c`) is a malformed record.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cibgraph/input.hpp"

namespace cibgraph {

struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  std::size_t max_record_bytes = 16u << 20;
};

struct CsvRecord {
  enum class Problem : std::uint8_t { None, MalformedQuotes, UnterminatedQuote, OversizedRecord };

  std::vector<std::string_view> fields;  // valid until the next call to next()
  std::string_view raw;                  // the record's bytes without its final line break (a prefix if oversized)
  std::uint64_t line = 0;                // physical line the record starts on, 1-based
  Problem problem = Problem::None;
  bool blank() const { return problem == Problem::None && raw.empty(); }
};

std::string_view describe(CsvRecord::Problem p);

class CsvReader {
 public:
  CsvReader(InputBuffer& input, CsvOptions options);
  // Reads the next record; false at the end of the input.
  bool next(CsvRecord& record);
  std::uint64_t lines_read() const { return line_; }

 private:
  // Splits the complete record data()[0, length) into fields. has_quote selects the slow path.
  bool split(std::string_view text, bool has_quote, CsvRecord& record);
  // Finds the end of a record that may contain quotes: the offset of its terminating '\n' (or text.size() at
  // end of file when complete), or npos when more data is needed.
  std::size_t find_quoted_record_end(std::string_view text, bool at_eof, bool& unterminated) const;

  InputBuffer& in_;
  CsvOptions opt_;
  std::uint64_t line_ = 0;  // physical lines consumed
  bool started_ = false;
  std::string scratch_;
};

}  // namespace cibgraph
