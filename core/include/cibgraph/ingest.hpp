#pragma once
// Ingest: CSV and JSONL exports into an EventTable, with nothing lost. Every row is either accepted (one event,
// or one per element when the target field is a JSON array) or written to the rejects ledger with the file,
// line, field and reason; the summary reconciles: rows read = accepted + rejected, per file and in total.
// Blank lines are not rows; they are counted apart.
//
// Reject reasons (the code before ':' in the reason column):
//   wrong_column_count, malformed_quotes, unterminated_quote, oversized_record, oversized_field, invalid_utf8,
//   missing_field, unparseable_time, invalid_json, not_scalar, too_many_actions
// Errors that stop ingest (missing file, no header, a mapped column absent, unreadable gzip) throw InputError
// naming the file.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cibgraph/event_table.hpp"
#include "cibgraph/progress.hpp"
#include "cibgraph/provenance.hpp"
#include "cibgraph/time.hpp"

namespace cibgraph {

// Which input column (CSV header name, or JSON path a.b.c) holds each event field.
struct ColumnMapping {
  std::string account = "account_id";
  std::string action = "action";        // ignored when action_value is set
  std::string target = "target";
  std::string time = "timestamp";
  std::string text;                     // optional; "" = none (a column named "text" is used when present)
  std::string target_time;              // optional; "" = none (a column named "target_time" is used when present)
  std::string action_value;             // every row gets this action (files without an action column)
};

enum class InputFormat : std::uint8_t { Auto, Csv, Jsonl };
InputFormat parse_input_format(std::string_view name);  // auto, csv, tsv (= csv with tab), jsonl, ndjson

struct IngestOptions {
  ColumnMapping mapping;
  InputFormat format = InputFormat::Auto;  // Auto: by extension (.csv .tsv .jsonl .ndjson, also .gz), else sniffed
  char delimiter = 0;                      // 0: ',' (tab for .tsv)
  TimeFormat time_format = TimeFormat::Auto;
  TimeFormat target_time_format = TimeFormat::Auto;
  std::size_t max_field_bytes = 1u << 20;    // a longer field rejects its row (oversized_field)
  std::size_t max_record_bytes = 16u << 20;  // bounds memory on hostile input (oversized_record)
  std::string rejects_path;                  // CSV ledger; "" = do not write a file
  bool keep_rejects = false;                 // also return rejected rows in IngestResult::rejects
  ProgressCallback progress;
};

struct RejectedRow {
  std::string file;
  std::uint64_t line = 0;
  std::string field;
  std::string reason;  // "code: detail"
  std::string raw;

  bool operator==(const RejectedRow&) const = default;
};

struct IngestResult {
  EventTable events;
  Provenance provenance;
  std::map<std::string, std::uint64_t> reject_reasons;  // code -> rows
  std::vector<RejectedRow> rejects;                     // only with keep_rejects
};

IngestResult ingest(const std::vector<std::string>& paths, const IngestOptions& options);

// The header line of a rejects ledger: source_file,line,field,reason,raw
inline constexpr const char* kRejectsHeader = "source_file,line,field,reason,raw";

// Appends one RFC 4180 field to out, quoting it when it holds a delimiter, quote or line break.
void append_csv_field(std::string& out, std::string_view field, char delimiter = ',');

// Appends one row of a rejects ledger (the columns of kRejectsHeader) with its line break.
void append_rejects_row(std::string& out, std::string_view file, std::uint64_t line, std::string_view field,
                        std::string_view reason, std::string_view raw);

// Writes a rejects ledger of the rows kept by an ingest with keep_rejects: the same bytes as the ledger that ingest
// writes to IngestOptions::rejects_path. Throws InputError when the file cannot be written.
void write_rejects_csv(const std::string& path, const std::vector<RejectedRow>& rows);

}  // namespace cibgraph
