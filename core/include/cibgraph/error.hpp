#pragma once
// The one exception hierarchy of cibgraph. Every error a user can cause derives from cibgraph::Error and
// names where it happened (file, line, column or field) when there is such a place. The CLI prints what()
// and exits non-zero; Python receives a matching exception class.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace cibgraph {

struct SourceLocation {
  std::string file;       // empty when the error has no file
  std::uint64_t line = 0;  // 1-based; 0 when unknown
  std::string field;      // column name or JSON path; empty when unknown
};

inline std::string format_location(const SourceLocation& where) {
  std::string out = where.file;
  if (where.line != 0) out += (out.empty() ? "line " : ":") + std::to_string(where.line);
  if (!where.field.empty()) out += (out.empty() ? "field " : ", field ") + where.field;
  return out;
}

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  Error(SourceLocation where, const std::string& message)
      : std::runtime_error(format_location(where).empty() ? message : format_location(where) + ": " + message),
        where_(std::move(where)) {}
  const SourceLocation& where() const noexcept { return where_; }

 private:
  SourceLocation where_;
};

// Bad input data or a bad column mapping: the user's file is the problem. CLI exit code 3.
class InputError : public Error {
 public:
  using Error::Error;
};

// A stored file (HDF5) that is not ours, truncated or corrupted.
class FormatError : public Error {
 public:
  using Error::Error;
};

// Wrong arguments or options. CLI exit code 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

// The user asked to stop (Ctrl-C, a notebook's stop button).
class Interrupted : public Error {
 public:
  Interrupted() : Error("interrupted") {}
};

}  // namespace cibgraph
