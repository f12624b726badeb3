#include "cibgraph/csv.hpp"

#include <algorithm>
#include <cstring>

namespace cibgraph {

std::string_view describe(CsvRecord::Problem p) {
  switch (p) {
    case CsvRecord::Problem::None: return "";
    case CsvRecord::Problem::MalformedQuotes: return "malformed quoted field (text after a closing quote)";
    case CsvRecord::Problem::UnterminatedQuote: return "unterminated quoted field";
    case CsvRecord::Problem::OversizedRecord: return "record longer than the limit (unterminated quote?)";
  }
  return "";
}

CsvReader::CsvReader(InputBuffer& input, CsvOptions options) : in_(input), opt_(options) {}

std::size_t CsvReader::find_quoted_record_end(std::string_view text, bool at_eof, bool& unterminated) const {
  enum { FieldStart, Unquoted, Quoted, QuoteInQuoted } state = FieldStart;
  const char q = opt_.quote, d = opt_.delimiter;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (state) {
      case FieldStart:
        if (c == q) state = Quoted;
        else if (c == '\n') return i;
        else if (c != d) state = Unquoted;
        break;
      case Unquoted:
        if (c == d) state = FieldStart;
        else if (c == '\n') return i;
        break;
      case Quoted:
        if (c == q) state = QuoteInQuoted;
        break;
      case QuoteInQuoted:
        if (c == q) state = Quoted;  // "" is an escaped quote
        else if (c == d) state = FieldStart;
        else if (c == '\n') return i;
        else state = Unquoted;  // text after a closing quote: malformed, split() reports it
        break;
    }
  }
  if (!at_eof) return std::string_view::npos;
  unterminated = state == Quoted;
  return text.size();
}

bool CsvReader::split(std::string_view text, bool has_quote, CsvRecord& record) {
  record.fields.clear();
  if (!has_quote) {
    const char* p = text.data();
    const char* end = p + text.size();
    while (true) {
      const char* hit = static_cast<const char*>(std::memchr(p, opt_.delimiter, static_cast<std::size_t>(end - p)));
      if (!hit) {
        record.fields.emplace_back(p, static_cast<std::size_t>(end - p));
        return true;
      }
      record.fields.emplace_back(p, static_cast<std::size_t>(hit - p));
      p = hit + 1;
    }
  }
  // Slow path: unescape quoted fields into scratch_, sized so it never reallocates under the views.
  scratch_.clear();
  scratch_.reserve(text.size());
  const char q = opt_.quote, d = opt_.delimiter;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = scratch_.size();
    if (i < text.size() && text[i] == q) {
      ++i;
      while (true) {
        if (i >= text.size()) return false;  // unterminated; caller reports
        if (text[i] == q) {
          if (i + 1 < text.size() && text[i + 1] == q) {
            scratch_.push_back(q);
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        scratch_.push_back(text[i++]);
      }
      if (i < text.size() && text[i] != d) {
        record.problem = CsvRecord::Problem::MalformedQuotes;
        return false;
      }
    } else {
      while (i < text.size() && text[i] != d) scratch_.push_back(text[i++]);
    }
    record.fields.emplace_back(scratch_.data() + start, scratch_.size() - start);
    if (i >= text.size()) return true;
    ++i;  // delimiter
    if (i == text.size()) {  // trailing delimiter: one more empty field
      record.fields.emplace_back(scratch_.data() + scratch_.size(), 0);
      return true;
    }
  }
}

bool CsvReader::next(CsvRecord& record) {
  record.problem = CsvRecord::Problem::None;
  record.fields.clear();
  if (!started_) {
    started_ = true;
    while (in_.data().size() < 3 && in_.fill()) {
    }
    if (in_.data().substr(0, 3) == "\xEF\xBB\xBF") in_.consume(3);
  }
  while (true) {
    std::string_view text = in_.data();
    if (text.empty() && !in_.fill()) return false;
    text = in_.data();
    if (text.empty()) return false;

    const std::size_t limit = std::min(text.size(), opt_.max_record_bytes + 1);
    const char* nl = static_cast<const char*>(std::memchr(text.data(), '\n', limit));
    const std::size_t line_len = nl ? static_cast<std::size_t>(nl - text.data()) : limit;
    const bool has_quote = std::memchr(text.data(), opt_.quote, line_len) != nullptr;

    std::size_t end = std::string_view::npos;  // offset of the record's '\n', or text.size() at eof
    bool unterminated = false;
    if (!has_quote) {
      if (nl) end = line_len;
      else if (in_.eof()) end = text.size();
    } else {
      end = find_quoted_record_end(text.substr(0, limit), in_.eof() && limit == text.size(), unterminated);
    }

    if (end == std::string_view::npos || end > opt_.max_record_bytes) {
      if (text.size() <= opt_.max_record_bytes && !in_.eof()) {
        in_.fill();
        continue;  // rescan with more data
      }
      // Record too long (or cut off at eof by the bound): report its first line, resume after it.
      const char* first_nl = static_cast<const char*>(std::memchr(text.data(), '\n', text.size()));
      const std::size_t first_len = first_nl ? static_cast<std::size_t>(first_nl - text.data()) : text.size();
      record.line = ++line_;
      record.problem = CsvRecord::Problem::OversizedRecord;
      // Copy so the view survives consuming the buffer.
      scratch_.assign(text.data(), std::min(first_len, opt_.max_record_bytes));
      record.raw = scratch_;
      in_.skip_line();  // the first physical line, however long
      return true;
    }

    std::string_view body = text.substr(0, end);
    if (unterminated) {
      // A quote left open at end of file: report the first physical line, re-read the rest as records.
      const char* first_nl = static_cast<const char*>(std::memchr(body.data(), '\n', body.size()));
      const std::size_t first_len = first_nl ? static_cast<std::size_t>(first_nl - body.data()) : body.size();
      record.line = ++line_;
      record.problem = CsvRecord::Problem::UnterminatedQuote;
      std::string_view first = body.substr(0, first_len);
      if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
      scratch_.assign(first);
      record.raw = scratch_;
      in_.consume(first_nl ? first_len + 1 : body.size());
      return true;
    }

    record.line = line_ + 1;
    line_ += 1 + static_cast<std::uint64_t>(std::count(body.begin(), body.end(), '\n'));
    if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
    record.raw = body;
    if (!body.empty() && !split(body, has_quote, record)) {
      if (record.problem == CsvRecord::Problem::None) record.problem = CsvRecord::Problem::UnterminatedQuote;
    }
    // Views stay valid: the buffer is only compacted by fill(), which the caller's next call may do.
    in_.consume(end < text.size() ? end + 1 : end);
    return true;
  }
}

}  // namespace cibgraph
