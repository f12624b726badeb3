#pragma once
// Where a data set came from: each input file with its SHA-256 and size, the column mapping, the cibgraph
// version, when it was ingested and the row counts. Stored beside the events so every finding can name its input.
#include <cstdint>
#include <string>
#include <vector>

namespace cibgraph {

struct InputProvenance {
  std::string path;            // as given on the command line
  std::string sha256;          // hex digest of the file's bytes as stored on disk (compressed if .gz)
  std::uint64_t size_bytes = 0;
  std::string format;          // "csv" or "jsonl"
  std::uint64_t rows_read = 0;
  std::uint64_t rows_accepted = 0;
  std::uint64_t rows_rejected = 0;
  std::uint64_t blank_lines = 0;  // empty lines, which are not rows
  // Accepted rows that gave no event: a wide export's rows whose mapped target cells are all empty (ingest.hpp).
  std::uint64_t rows_without_target = 0;

  bool operator==(const InputProvenance&) const = default;
};

struct Provenance {
  std::vector<InputProvenance> inputs;
  std::string mapping_json;      // the column mapping and ingest options, as a JSON object
  std::string cibgraph_version;
  std::string ingested_at;       // ISO 8601 UTC, e.g. 2026-11-28T09:31:42Z
  std::uint64_t rows_read = 0;
  std::uint64_t rows_accepted = 0;
  std::uint64_t rows_rejected = 0;
  std::uint64_t rows_without_target = 0;  // accepted rows that gave no event (wide exports, all cells empty)
  std::uint64_t events = 0;      // one per accepted row, or per target (JSON array element, wide export cell)

  bool operator==(const Provenance&) const = default;
};

}  // namespace cibgraph
