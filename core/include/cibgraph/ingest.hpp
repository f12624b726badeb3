#pragma once
// Ingest: CSV and JSONL exports into an EventTable, with nothing lost. Every row is either accepted (one event,
// or one per element when the target field is a JSON array) or written to the rejects ledger with the file,
// line, field and reason; the summary reconciles: rows read = accepted + rejected, per file and in total.
// Blank lines are not rows; they are counted apart.
//
// Wide exports (ColumnMapping::targets): a row carries several targets in columns of their own (post_id, url_id,
// hashtag_id, ...), each mapped to an action. A row gives one event per non-empty mapped cell (per element of a JSON
// array), with that column's action; an empty cell is no event, not a problem. A valid row whose mapped cells are
// all empty is accepted with no event and counted (rows_without_target), so a sparse export's rejects ledger holds
// only its bad rows.
//
// Reject reasons (the code before ':' in the reason column):
//   wrong_column_count, malformed_quotes, unterminated_quote, oversized_record, oversized_field, invalid_utf8,
//   missing_field, unparseable_time, invalid_json, not_scalar, too_many_actions
// Errors that stop ingest (missing file, no header, unreadable gzip) throw InputError naming the file; mapped columns
// absent from a CSV header throw one MappingError naming all of them.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cibgraph/event_table.hpp"
#include "cibgraph/option_spelling.hpp"
#include "cibgraph/progress.hpp"
#include "cibgraph/provenance.hpp"
#include "cibgraph/time.hpp"

namespace cibgraph {

// A column of a wide export and the action of its events: every non-empty cell of `column` is one event.
struct TargetColumn {
  std::string action;  // lower case, as the layers read it: url, hashtag, share, image, domain, ...
  std::string column;  // CSV header name or JSON path a.b.c

  bool operator==(const TargetColumn&) const = default;
};

// "url=url_id,hashtag=hashtag_id" -> {{url, url_id}, {hashtag, hashtag_id}}, actions lower-cased, in the given order;
// "" -> {}. One action may read several columns (hashtag=tag1,hashtag=tag2). Throws UsageError for a part without
// '=', an empty action or column, or a column listed twice.
std::vector<TargetColumn> parse_target_columns(std::string_view text);
// The inverse: "url=url_id,hashtag=hashtag_id".
std::string format_target_columns(const std::vector<TargetColumn>& targets);

// Which input column (CSV header name, or JSON path a.b.c) holds each event field.
struct ColumnMapping {
  std::string account = "account_id";
  std::string action = "action";        // ignored when action_value is set
  std::string target = "target";
  std::string time = "timestamp";
  std::string text;                     // optional; "" = none (a column named "text" is used when present)
  std::string target_time;              // optional; "" = none (a column named "target_time" is used when present)
  std::string action_value;             // every row gets this action (files without an action column)
  // Wide exports: one event per non-empty listed column, with its action; when set, action, action_value and target
  // are not read.
  std::vector<TargetColumn> targets;
};

// A mapped column that a file's header lacks, and the mapping option that names it.
struct MissingColumn {
  std::string option;      // the option (the Python keyword; the CLI flag is --option with '-' for '_'): account,
                           // action, target, time, text, target_time, targets
  std::string column;      // the column the mapping names
  std::string role;        // what it holds, in words: "account", "time", "url target", ...
  std::string suggestion;  // a value of the option that fits this header ("" when none is evident)
};

// Mapped columns missing from a CSV header (or a DataFrame's columns): all of them at once, with the columns there
// are and, for each, the option that fixes it. what() spells the options as Python keywords (account='account_id'),
// like OptionError; cli_message() as the CLI's flags (--account account_id). Both start with the file and the
// header's line.
class MappingError : public InputError {
 public:
  using Spelling = OptionSpelling;
  MappingError(std::string file, std::uint64_t header_line, std::vector<std::string> header,
               std::vector<MissingColumn> missing);
  const std::vector<MissingColumn>& missing() const noexcept { return missing_; }
  const std::vector<std::string>& header() const noexcept { return header_; }
  std::string cli_message() const { return message(Spelling::Cli); }
  std::string message(Spelling spelling) const;

 private:
  std::vector<std::string> header_;
  std::vector<MissingColumn> missing_;
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

// A UsageError when an output path names one of the inputs (the same file, by std::filesystem::equivalent): a
// rejects ledger, a data set or a report written over the export it reads would destroy it. Outputs that do not
// exist yet pass.
void refuse_outputs_over_inputs(const std::vector<std::string>& inputs, const std::vector<std::string>& outputs);

IngestResult ingest(const std::vector<std::string>& paths, const IngestOptions& options);

// What ingest checks of a CSV header, for other tables (a pandas DataFrame's columns): throws MappingError naming
// every column the mapping reads (account, action unless action_value or targets, target unless targets, each
// targets column, time, text and target_time when named) that `columns` lacks; `source` names the table.
void check_mapped_columns(const std::string& source, const std::vector<std::string>& columns,
                          const ColumnMapping& mapping);

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

// A table already in memory, column by column (a pandas DataFrame's, handed over by the Python package): each
// mapped field's cells as text. ingest_columns reads it row by row through the same validation, interning and
// rejects ledger as a file's rows (row i is line i + 1 of the input named `label`; the ledger's raw is the row's
// cells as a JSON object), so the rules above hold for it unchanged.
struct TextColumn {
  std::string name;                       // the column's name ("" = not mapped): the ledger's field, the mapping
  std::string bytes;                      // every value's text, back to back
  std::vector<std::uint64_t> value_ends;  // where each value ends in bytes
  std::vector<std::uint64_t> row_ends;    // where each row's values end in value_ends: no value (a missing cell, as
                                          // an empty CSV field), one, or several (a list in the target column: one
                                          // event each, as a JSON array)
  std::vector<std::uint8_t> not_scalar;   // per row, 1 when the cell held something that is not a value (a mapping,
                                          // a nested list; its one value says what, for the ledger): the row is
                                          // rejected as not_scalar (empty: no such row)
  bool epoch_ms = false;                  // the values are milliseconds since the epoch (a datetime column): read
                                          // as unix_ms whatever time_format says

  bool mapped() const { return !name.empty(); }
  std::uint64_t rows() const { return row_ends.size(); }
  bool is_not_scalar(std::uint64_t row) const { return row < not_scalar.size() && not_scalar[row]; }
  void add_value(std::string_view v) {
    bytes.append(v);
    value_ends.push_back(bytes.size());
  }
  void end_row() { row_ends.push_back(value_ends.size()); }
  // Ends the row as one that holds something other than values, described by `what`.
  void end_not_scalar_row(std::string_view what) {
    value_ends.resize(row_ends.empty() ? 0 : row_ends.back());
    bytes.resize(value_ends.empty() ? 0 : value_ends.back());
    add_value(what);
    not_scalar.resize(row_ends.size() + 1, 0);
    not_scalar.back() = 1;
    end_row();
  }
};

struct ColumnTable {
  std::string label = "pandas.DataFrame";  // the input's name in the provenance and the rejects ledger
  std::string format = "pandas";           // the provenance's format
  TextColumn account, action, target, time, text, target_time;
  std::vector<TextColumn> targets;  // a wide table: one column per ColumnMapping::targets entry, in its order
                                    // (target and action are then not mapped)
};

// Ingests the columns with the options' rules (the mapping's column names are the columns' own; a text or
// target_time column is read when mapped; a wide table's columns pair with options.mapping.targets). The provenance
// names the input `label`, with the SHA-256 of its cells. Throws UsageError when the mapped columns' row counts
// differ or a wide table's columns do not match the mapping's targets.
IngestResult ingest_columns(const ColumnTable& table, const IngestOptions& options);

}  // namespace cibgraph
