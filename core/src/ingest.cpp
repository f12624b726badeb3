#include "cibgraph/ingest.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cibgraph/csv.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/input.hpp"
#include "cibgraph/sha256.hpp"
#include "cibgraph/time.hpp"
#include "cibgraph/utf8.hpp"
#include "cibgraph/version.hpp"

namespace cibgraph {

void append_csv_field(std::string& out, std::string_view field, char delimiter) {
  const bool needs_quotes = field.find_first_of(std::string{delimiter, '"', '\n', '\r'}) != std::string_view::npos;
  if (!needs_quotes) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_rejects_row(std::string& out, std::string_view file, std::uint64_t line, std::string_view field,
                        std::string_view reason, std::string_view raw) {
  append_csv_field(out, file);
  out.push_back(',');
  out.append(std::to_string(line));
  out.push_back(',');
  append_csv_field(out, field);
  out.push_back(',');
  append_csv_field(out, reason);
  out.push_back(',');
  append_csv_field(out, raw);
  out.push_back('\n');
}

void write_rejects_csv(const std::string& path, const std::vector<RejectedRow>& rows) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError({path, 0, {}}, "cannot write the rejects file");
  out << kRejectsHeader << '\n';
  std::string row;
  for (const auto& r : rows) {
    row.clear();
    append_rejects_row(row, r.file, r.line, r.field, r.reason, r.raw);
    out.write(row.data(), static_cast<std::streamsize>(row.size()));
  }
  if (!out) throw InputError({path, 0, {}}, "error writing the rejects file");
}

std::vector<TargetColumn> parse_target_columns(std::string_view text) {
  auto trim_view = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  std::vector<TargetColumn> out;
  if (trim_view(text).empty()) return out;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view part = trim_view(text.substr(0, comma));
    const auto eq = part.find('=');
    if (eq == std::string_view::npos)
      throw UsageError("'" + std::string(part) + "' is not ACTION=COLUMN (e.g. url=url_id,hashtag=hashtag_id)");
    TargetColumn t{std::string(trim_view(part.substr(0, eq))), std::string(trim_view(part.substr(eq + 1)))};
    if (t.action.empty() || t.column.empty())
      throw UsageError("'" + std::string(part) + "' needs an action and a column (e.g. url=url_id)");
    for (auto& c : t.action)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    for (const auto& seen : out)
      if (seen.column == t.column) throw UsageError("column '" + t.column + "' is listed twice");
    out.push_back(std::move(t));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string format_target_columns(const std::vector<TargetColumn>& targets) {
  std::string out;
  for (const auto& t : targets) out += (out.empty() ? "" : ",") + t.action + "=" + t.column;
  return out;
}

namespace {

// The message after its location ("data.csv:1: "), which Error puts in front. One missing column makes one line:
// "no column 'user' for the account; for instance --account account_id (the header has: ...)"; several, one line
// each under "3 mapped columns are missing:", then the header.
// A name from the input as a message shows it: control bytes as \xNN (no terminal escape sequences), at most 60
// bytes (cut on a UTF-8 character boundary) and an ellipsis.
std::string shown_name(std::string_view name, std::size_t limit = 60) {
  std::string out;
  std::size_t i = 0;
  for (; i < name.size() && out.size() < limit; ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  while (i < name.size() && (static_cast<unsigned char>(name[i]) & 0xC0) == 0x80) out += name[i++];  // whole char
  if (i < name.size()) out += "\u2026";
  return out;
}

std::string mapping_error_text(const std::vector<std::string>& header, const std::vector<MissingColumn>& missing,
                               OptionSpelling spelling) {
  auto fix = [&](const MissingColumn& m) {
    const std::string value =
        m.suggestion.empty() ? (m.option == "targets" ? "ACTION=COL,..." : "COL") : shown_name(m.suggestion, 200);
    if (m.option == "action")
      return "name the action column with " + spell_option(spelling, "action", "COL") +
             ", or give every row one action with " + spell_option(spelling, "action_value", "share");
    if (m.option == "target")
      return "name the target column with " + spell_option(spelling, "target", "COL") +
             (m.suggestion.empty()
                  ? ", or map a wide export's target columns to actions with " +
                        spell_option(spelling, "targets", "url=url_id,hashtag=hashtag_id")
                  : ", or map each of this header's target columns to its action with " +
                        spell_option(spelling, "targets", shown_name(m.suggestion, 200)));
    if (m.option == "targets") return "correct its entry in " + spell_option(spelling, "targets", value);
    return (m.suggestion.empty() ? "name it with " : "for instance ") + spell_option(spelling, m.option, value);
  };
  std::string columns;
  for (std::size_t i = 0; i < header.size() && i < 40; ++i) columns += (i ? ", " : "") + shown_name(header[i]);
  if (header.size() > 40) columns += ", ... (" + std::to_string(header.size()) + " columns)";
  auto problem = [](const MissingColumn& m) { return "no column '" + shown_name(m.column) + "' for the " + m.role; };
  if (missing.size() == 1) return problem(missing[0]) + "; " + fix(missing[0]) + " (the header has: " + columns + ")";
  std::string out = std::to_string(missing.size()) + " mapped columns are missing:";
  for (const auto& m : missing) out += "\n  " + problem(m) + "; " + fix(m);
  return out + "\n  the header has: " + columns;
}

}  // namespace

MappingError::MappingError(std::string file, std::uint64_t header_line, std::vector<std::string> header,
                           std::vector<MissingColumn> missing)
    : InputError({std::move(file), header_line, {}}, mapping_error_text(header, missing, Spelling::Python)),
      header_(std::move(header)),
      missing_(std::move(missing)) {}

std::string MappingError::message(Spelling spelling) const {
  const std::string where = format_location(this->where());
  return (where.empty() ? "" : where + ": ") + mapping_error_text(header_, missing_, spelling);
}

InputFormat parse_input_format(std::string_view name) {
  if (name == "auto") return InputFormat::Auto;
  if (name == "csv" || name == "tsv") return InputFormat::Csv;
  if (name == "jsonl" || name == "ndjson") return InputFormat::Jsonl;
  throw UsageError("unknown input format '" + std::string(name) + "' (use auto, csv, tsv or jsonl)");
}

namespace {

constexpr std::uint64_t kProgressEvery = 1 << 16;  // rows between progress callbacks

std::string lower_name(std::string path) {
  std::transform(path.begin(), path.end(), path.begin(), [](unsigned char c) { return std::tolower(c); });
  if (path.size() > 3 && path.ends_with(".gz")) path.resize(path.size() - 3);
  return path;
}

// The rejects ledger: a CSV file and/or a list, plus the count of each reason code.
class RejectsLedger {
 public:
  RejectsLedger(const IngestOptions& options, IngestResult& result) : keep_(options.keep_rejects), result_(result) {
    if (!options.rejects_path.empty()) {
      file_.open(options.rejects_path, std::ios::binary | std::ios::trunc);
      if (!file_) throw InputError({options.rejects_path, 0, {}}, "cannot write the rejects file");
      path_ = options.rejects_path;
      file_ << kRejectsHeader << '\n';
    }
  }

  void add(const std::string& file, std::uint64_t line, std::string_view field, std::string_view code,
           std::string_view detail, std::string_view raw) {
    ++result_.reject_reasons[std::string(code)];
    std::string reason(code);
    if (!detail.empty()) reason.append(": ").append(detail);
    if (file_.is_open()) {
      row_.clear();
      append_rejects_row(row_, file, line, field, reason, raw);
      file_.write(row_.data(), static_cast<std::streamsize>(row_.size()));
    }
    if (keep_) result_.rejects.push_back({file, line, std::string(field), reason, std::string(raw)});
  }

  void close() {
    if (!file_.is_open()) return;
    file_.close();
    if (!file_) throw InputError({path_, 0, {}}, "error writing the rejects file");
  }

 private:
  bool keep_;
  IngestResult& result_;
  std::ofstream file_;
  std::string path_;
  std::string row_;
};

struct Rejection {
  std::string_view code;
  std::string field;
  std::string detail;
};

// One row's values, as text, before validation. targets has one entry for CSV, one per element for JSON arrays;
// for a wide mapping, one per listed column (per element of a JSON array), with target_slot the index of its
// column in ColumnMapping::targets (empty otherwise).
struct RowValues {
  std::string_view account, action, time, text, target_time;
  std::vector<std::string_view> targets;
  std::vector<std::uint32_t> target_slot;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Validates a row and appends its events, or says why it is rejected. Strings are interned only for accepted rows.
class EventAppender {
 public:
  EventAppender(const IngestOptions& options, EventTable& events)
      : opt_(options), ev_(events), wide_(!options.mapping.targets.empty()) {
    if (!opt_.mapping.action_value.empty()) fixed_action_ = normalise_action(opt_.mapping.action_value);
    for (const auto& t : opt_.mapping.targets) slot_action_.push_back(normalise_action(t.action));
    slot_code_.assign(slot_action_.size(), StringDictionary::kMissing);
  }

  // Events the last accepted row gave: 0 for a wide row whose mapped cells are all empty.
  std::size_t last_row_events() const { return last_row_events_; }

  // Per file: time formats are detected afresh from each file's first value.
  void start_file() {
    time_format_ = opt_.time_format;
    target_time_format_ = opt_.target_time_format;
  }
  TimeFormat time_format() const { return time_format_; }
  TimeFormat target_time_format() const { return target_time_format_; }

  std::optional<Rejection> append(const RowValues& row, const ColumnMapping& names) {
    const auto& m = names;
    struct Check {
      std::string_view value;
      const std::string& name;
      bool required;
    };
    const Check checks[] = {{row.account, m.account, true},
                            {row.action, m.action, fixed_action_.empty() && !wide_},
                            {row.time, m.time, true},
                            {row.text, m.text, false},
                            {row.target_time, m.target_time, false}};
    for (const auto& c : checks) {
      if (c.value.size() > opt_.max_field_bytes)
        return Rejection{"oversized_field", c.name, std::to_string(c.value.size()) + " bytes > limit " +
                                                        std::to_string(opt_.max_field_bytes)};
      if (!is_valid_utf8(c.value)) return Rejection{"invalid_utf8", c.name, {}};
    }
    if (wide_) return append_wide(row, m);
    if (row.targets.empty()) return Rejection{"missing_field", m.target, "empty"};
    for (auto t : row.targets) {
      if (t.size() > opt_.max_field_bytes)
        return Rejection{"oversized_field", m.target,
                         std::to_string(t.size()) + " bytes > limit " + std::to_string(opt_.max_field_bytes)};
      if (!is_valid_utf8(t)) return Rejection{"invalid_utf8", m.target, {}};
      if (t.empty()) return Rejection{"missing_field", m.target, "empty"};
    }
    if (row.account.empty()) return Rejection{"missing_field", m.account, "empty"};
    // Rows mostly repeat the previous row's action: remember the last raw value and its normal form.
    if (fixed_action_.empty() && row.action != last_raw_action_) {
      last_raw_action_.assign(row.action);
      last_action_ = normalise_action(row.action);
    }
    const std::string& action = fixed_action_.empty() ? last_action_ : fixed_action_;
    if (action.empty()) return Rejection{"missing_field", m.action, "empty"};
    std::uint32_t action_code = ev_.actions.find(action);
    if (action_code == StringDictionary::kMissing && ev_.actions.size() >= kMaxActions)
      return Rejection{"too_many_actions", m.action, "more than 255 distinct actions"};

    std::int64_t time = 0, target_time = kNoTime;
    if (auto bad = parse_times(row, m, time, target_time)) return bad;

    // Accepted: intern and append.
    const std::uint32_t account = ev_.accounts.intern(row.account);
    if (action_code == StringDictionary::kMissing) action_code = ev_.actions.intern(action);
    const std::uint32_t text = row.text.empty() ? kNoText : ev_.texts.intern(row.text);
    for (auto t : row.targets) push_event(account, action_code, t, time, text, target_time);
    last_row_events_ = row.targets.size();
    return std::nullopt;
  }

  // target_time is kept as a column when any input maps it; decided before the first row.
  void set_keep_target_time(bool keep) { any_target_time_ = keep; }

 private:
  // A wide row (ColumnMapping::targets): one event per non-empty cell, with its column's action. An empty cell (or
  // one of blanks) is no event; a row with none is accepted with no event (last_row_events() == 0).
  std::optional<Rejection> append_wide(const RowValues& row, const ColumnMapping& m) {
    const auto& columns = m.targets;
    std::size_t filled = 0, new_actions = 0;
    for (std::size_t i = 0; i < row.targets.size(); ++i) {
      const std::string_view t = row.targets[i];
      const std::uint32_t slot = row.target_slot[i];
      if (trim(t).empty()) continue;
      const std::string& field = columns[slot].column;
      if (t.size() > opt_.max_field_bytes)
        return Rejection{"oversized_field", field,
                         std::to_string(t.size()) + " bytes > limit " + std::to_string(opt_.max_field_bytes)};
      if (!is_valid_utf8(t)) return Rejection{"invalid_utf8", field, {}};
      ++filled;
      if (slot_code_[slot] == StringDictionary::kMissing) {
        slot_code_[slot] = ev_.actions.find(slot_action_[slot]);
        if (slot_code_[slot] == StringDictionary::kMissing) ++new_actions;  // may count one action twice: no harm
      }
    }
    if (row.account.empty()) return Rejection{"missing_field", m.account, "empty"};
    if (filled && ev_.actions.size() + new_actions > kMaxActions)
      return Rejection{"too_many_actions", columns[row.target_slot[0]].column, "more than 255 distinct actions"};
    std::int64_t time = 0, target_time = kNoTime;
    if (auto bad = parse_times(row, m, time, target_time)) return bad;

    last_row_events_ = filled;
    if (filled == 0) return std::nullopt;
    const std::uint32_t account = ev_.accounts.intern(row.account);
    const std::uint32_t text = row.text.empty() ? kNoText : ev_.texts.intern(row.text);
    for (std::size_t i = 0; i < row.targets.size(); ++i) {
      if (trim(row.targets[i]).empty()) continue;
      const std::uint32_t slot = row.target_slot[i];
      if (slot_code_[slot] == StringDictionary::kMissing) slot_code_[slot] = ev_.actions.intern(slot_action_[slot]);
      push_event(account, slot_code_[slot], row.targets[i], time, text, target_time);
    }
    return std::nullopt;
  }

  // A file whose times were detected as unix milliseconds (from its first time): a later time that reads as unix
  // seconds (fewer than twelve digits, or a fraction) is rejected, not taken as a date in January 1970.
  static std::optional<Rejection> other_unit(std::string_view text, TimeFormat used, TimeFormat configured,
                                             const std::string& field) {
    if (configured != TimeFormat::Auto || used != TimeFormat::UnixMillis ||
        detect_time_format(text) != TimeFormat::UnixSeconds)
      return std::nullopt;
    return Rejection{"unparseable_time", field,
                     "'" + std::string(text.substr(0, 64)) + "' reads as unix seconds, but this file's times are unix "
                     "milliseconds (detected from its first time); give the time format (time_format) to read them "
                     "all in one unit"};
  }

  // The row's time and target time (kNoTime when empty), or why the row is rejected.
  std::optional<Rejection> parse_times(const RowValues& row, const ColumnMapping& m, std::int64_t& time,
                                       std::int64_t& target_time) {
    const std::string_view time_text = trim(row.time);
    if (time_text.empty()) return Rejection{"missing_field", m.time, "empty"};
    if (time_format_ == TimeFormat::Auto) time_format_ = detect_time_format(time_text);
    if (auto bad = other_unit(time_text, time_format_, opt_.time_format, m.time)) return bad;
    std::string why;
    const auto t = parse_time(time_text, time_format_, &why);
    if (!t)
      return Rejection{"unparseable_time", m.time,
                       "'" + std::string(time_text.substr(0, 64)) + "' as " + std::string(to_string(time_format_)) +
                           ": " + why};
    time = *t;
    target_time = kNoTime;
    const std::string_view tt_text = trim(row.target_time);
    if (!tt_text.empty()) {
      if (target_time_format_ == TimeFormat::Auto) target_time_format_ = detect_time_format(tt_text);
      if (auto bad = other_unit(tt_text, target_time_format_, opt_.target_time_format, m.target_time)) return bad;
      const auto tt = parse_time(tt_text, target_time_format_, &why);
      if (!tt)
        return Rejection{"unparseable_time", m.target_time,
                         "'" + std::string(tt_text.substr(0, 64)) + "' as " +
                             std::string(to_string(target_time_format_)) + ": " + why};
      target_time = *tt;
    }
    return std::nullopt;
  }

  void push_event(std::uint32_t account, std::uint32_t action_code, std::string_view target, std::int64_t time,
                  std::uint32_t text, std::int64_t target_time) {
    ev_.account.push_back(account);
    ev_.action.push_back(static_cast<std::uint8_t>(action_code));
    ev_.target.push_back(ev_.targets.intern(target));
    ev_.time.push_back(time);
    ev_.text.push_back(text);
    if (any_target_time_) ev_.target_time.push_back(target_time);
  }

  static std::string normalise_action(std::string_view s) {
    s = trim(s);
    std::string out(s);
    for (auto& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }

  const IngestOptions& opt_;
  EventTable& ev_;
  bool wide_;
  std::vector<std::string> slot_action_;     // wide: each listed column's action, normalised
  std::vector<std::uint32_t> slot_code_;     // wide: its action code, once interned (kMissing before)
  std::size_t last_row_events_ = 0;
  std::string fixed_action_;
  std::string last_raw_action_, last_action_;
  TimeFormat time_format_ = TimeFormat::Auto, target_time_format_ = TimeFormat::Auto;
  bool any_target_time_ = false;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// A wide header's target columns mapped to the actions the layers read (url_id -> url, hashtags -> hashtag,
// phash_id -> image): "url=url_id,hashtag=hashtag_id", or "" when no column looks like one.
std::string suggest_targets(const std::vector<std::string>& header) {
  static constexpr std::pair<std::string_view, std::string_view> kStems[] = {
      {"share", "share"},     {"retweet", "retweet"}, {"repost", "repost"},   {"reshare", "reshare"},
      {"quote", "quote"},     {"url", "url"},         {"link", "link"},       {"hashtag", "hashtag"},
      {"tag", "hashtag"},     {"reply", "reply"},     {"comment", "comment"}, {"image", "image"},
      {"image_hash", "image"}, {"phash", "image"},    {"domain", "domain"}};
  std::string out;
  for (const auto& column : header) {
    std::string stem = lower(column);
    for (std::string_view suffix : {"_ids", "_id", "ids", "id"})
      if (stem.size() > suffix.size() && stem.ends_with(suffix)) {
        stem.resize(stem.size() - suffix.size());
        break;
      }
    if (stem.size() > 1 && stem.back() == 's') stem.pop_back();
    for (const auto& [name, action] : kStems)
      if (stem == name) {
        out += (out.empty() ? "" : ",") + std::string(action) + "=" + column;
        break;
      }
  }
  return out;
}

// A value of the mapping option that fits this header, for MappingError's advice ("" when none is evident): the
// first column whose name says what it holds (a time column for time, ...), the wide columns for target(s).
std::string suggest_column(const std::vector<std::string>& header, std::string_view option) {
  if (option == "target" || option == "targets") return suggest_targets(header);
  std::vector<std::string_view> words;
  if (option == "account") words = {"account", "user", "author", "screen_name"};
  else if (option == "time") words = {"time", "date", "created"};
  else if (option == "text") words = {"text", "content", "message", "body"};
  else return {};
  for (std::string_view word : words)
    for (const auto& column : header)
      if (lower(column).find(word) != std::string::npos) return column;
  return {};
}

// The header's column of each mapped field (-1: not mapped).
struct MappedColumns {
  int account = -1, action = -1, target = -1, time = -1, text = -1, target_time = -1;
  std::vector<int> targets;  // per ColumnMapping::targets entry
};

// Looks every mapped column up before refusing any, so that one MappingError names all that are missing. A column
// named twice in the header is an InputError.
MappedColumns map_columns(const std::string& file, std::uint64_t line, const std::vector<std::string>& header,
                          const ColumnMapping& used) {
  std::vector<MissingColumn> missing;
  auto column_of = [&](const std::string& name, const char* option, std::string role) -> int {
    if (name.empty()) return -1;
    int found = -1;
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] != name) continue;
      if (found >= 0) throw InputError({file, line, name}, "column appears more than once in the header");
      found = static_cast<int>(i);
    }
    if (found < 0) missing.push_back({option, name, std::move(role), suggest_column(header, option)});
    return found;
  };
  const bool wide = !used.targets.empty();
  MappedColumns c;
  c.account = column_of(used.account, "account", "account");
  if (used.action_value.empty() && !wide) c.action = column_of(used.action, "action", "action");
  if (!wide) c.target = column_of(used.target, "target", "target");
  for (const auto& t : used.targets) c.targets.push_back(column_of(t.column, "targets", t.action + " target"));
  c.time = column_of(used.time, "time", "time");
  c.text = column_of(used.text, "text", "text");
  c.target_time = column_of(used.target_time, "target_time", "target time");
  if (!missing.empty()) throw MappingError(file, line, header, std::move(missing));
  return c;
}

InputFormat detect_format(const std::string& path, const IngestOptions& options, char& delimiter) {
  const std::string name = lower_name(path);
  delimiter = options.delimiter ? options.delimiter : (name.ends_with(".tsv") ? '\t' : ',');
  if (options.format != InputFormat::Auto) return options.format;
  if (name.ends_with(".jsonl") || name.ends_with(".ndjson") || name.ends_with(".json")) return InputFormat::Jsonl;
  if (name.ends_with(".csv") || name.ends_with(".tsv") || name.ends_with(".txt")) return InputFormat::Csv;
  // Sniff: a JSON object per line starts with '{'.
  InputBuffer probe(path);
  while (probe.data().size() < 4096 && probe.fill()) {
  }
  for (char c : probe.data()) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' ? InputFormat::Jsonl : InputFormat::Csv;
  }
  return InputFormat::Csv;
}

class Ingestor {
 public:
  Ingestor(const IngestOptions& options, IngestResult& result)
      : opt_(options), result_(result), rejects_(options, result), appender_(options, result.events) {}

  // One input's counts join the totals, and its provenance the list.
  void add_input(InputProvenance&& prov) {
    auto& total = result_.provenance;
    total.rows_read += prov.rows_read;
    total.rows_accepted += prov.rows_accepted;
    total.rows_rejected += prov.rows_rejected;
    total.rows_without_target += prov.rows_without_target;
    total.inputs.push_back(std::move(prov));
  }

  void run(const std::vector<std::string>& paths) {
    if (paths.empty()) throw UsageError("no input files");
    std::vector<InputFormat> formats;
    std::vector<char> delimiters;
    for (const auto& p : paths) {  // ingest() checked that each exists and is a regular file
      char d;
      formats.push_back(detect_format(p, opt_, d));
      delimiters.push_back(d);
      std::error_code ec;
      total_bytes_ += std::filesystem::file_size(p, ec);
    }
    // Keep a target_time column when the mapping names one or a CSV header has "target_time".
    appender_.set_keep_target_time(true);
    for (std::size_t i = 0; i < paths.size(); ++i) {
      InputProvenance prov;
      prov.path = paths[i];
      prov.format = formats[i] == InputFormat::Jsonl ? "jsonl" : "csv";
      std::error_code ec;
      prov.size_bytes = std::filesystem::file_size(paths[i], ec);
      prov.sha256 = sha256_file(paths[i]);
      if (formats[i] == InputFormat::Jsonl) ingest_jsonl(paths[i], prov);
      else ingest_csv(paths[i], delimiters[i], prov);
      done_bytes_ += prov.size_bytes;
      add_input(std::move(prov));
    }
    finish();
    report_progress(opt_.progress, "ingest", total_bytes_, total_bytes_);
  }

  // A table in memory (ingest_columns): its rows through the same appender and ledger as a file's.
  void run_columns(const ColumnTable& table) {
    const bool wide = !opt_.mapping.targets.empty();
    if (table.targets.size() != opt_.mapping.targets.size())
      throw UsageError(table.label + ": " + std::to_string(table.targets.size()) + " target columns for the " +
                       std::to_string(opt_.mapping.targets.size()) + " of the mapping's targets");
    std::vector<const TextColumn*> columns = {&table.account, &table.action, &table.target,
                                              &table.time,    &table.text,   &table.target_time};
    for (const auto& c : table.targets) columns.push_back(&c);
    const std::uint64_t rows = table.account.rows();
    InputProvenance prov;
    prov.path = table.label;
    prov.format = table.format;
    Sha256 digest;
    for (const TextColumn* c : columns) {
      if (!c->mapped()) continue;
      if (c->rows() != rows)
        throw UsageError(table.label + ": column '" + c->name + "' has " + std::to_string(c->rows()) + " rows, '" +
                         table.account.name + "' " + std::to_string(rows));
      digest.update(c->name.data(), c->name.size() + 1);  // with its terminating NUL: names cannot run together
      digest.update(c->bytes);
      digest.update(c->value_ends.data(), c->value_ends.size() * sizeof(std::uint64_t));
      digest.update(c->row_ends.data(), c->row_ends.size() * sizeof(std::uint64_t));
      prov.size_bytes += c->bytes.size();
    }
    prov.sha256 = digest.hex_digest();
    ColumnMapping used = opt_.mapping;
    used.account = table.account.name;
    if (table.action.mapped()) used.action = table.action.name;
    if (table.target.mapped()) used.target = table.target.name;
    for (std::size_t k = 0; k < table.targets.size(); ++k) used.targets[k].column = table.targets[k].name;
    used.time = table.time.name;
    used.text = table.text.name;
    used.target_time = table.target_time.name;
    any_target_time_ = table.target_time.mapped();
    appender_.set_keep_target_time(any_target_time_);
    appender_.start_file();
    result_.events.reserve(rows);
    if (any_target_time_) result_.events.target_time.reserve(rows);

    auto values = [](const TextColumn& c, std::uint64_t r) {
      return std::pair{r == 0 ? 0 : c.row_ends[r - 1], c.row_ends[r]};
    };
    auto value = [](const TextColumn& c, std::uint64_t v) {
      const std::uint64_t begin = v == 0 ? 0 : c.value_ends[v - 1];
      return std::string_view(c.bytes).substr(begin, c.value_ends[v] - begin);
    };
    // The ledger's raw: the row's cells as a JSON object (a list cell as an array, a missing one as null).
    auto raw_row = [&](std::uint64_t r) {
      nlohmann::json obj = nlohmann::json::object();
      for (const TextColumn* c : columns) {
        if (!c->mapped()) continue;
        const auto [first, last] = values(*c, r);
        if (first == last) {
          obj[c->name] = nullptr;
        } else if (last - first > 1) {
          auto list = nlohmann::json::array();
          for (auto v = first; v < last; ++v) list.push_back(std::string(value(*c, v)));
          obj[c->name] = std::move(list);
        } else {
          obj[c->name] = std::string(value(*c, first));
        }
      }
      return obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    std::string_view* slots[] = {&row_.account, &row_.action, &row_.time, &row_.text, &row_.target_time};
    const TextColumn* scalar_columns[] = {&table.account, &table.action, &table.time, &table.text,
                                          &table.target_time};
    for (std::uint64_t r = 0; r < rows; ++r) {
      ++prov.rows_read;
      if (r % kProgressEvery == 0) report_progress(opt_.progress, "ingest", r, rows, "rows");
      const TextColumn* bad = nullptr;
      for (int i = 0; i < 5; ++i) {
        const TextColumn& c = *scalar_columns[i];
        *slots[i] = {};
        if (!c.mapped()) continue;
        const auto [first, last] = values(c, r);
        if (last - first > 1 || c.is_not_scalar(r)) bad = &c;
        else if (first < last) *slots[i] = value(c, first);
      }
      if (table.target.is_not_scalar(r)) bad = &table.target;
      for (const auto& c : table.targets)
        if (c.is_not_scalar(r)) bad = &c;
      if (bad) {
        reject(prov, table.label, r + 1, bad->name, "not_scalar", "a list, mapping or other non-value", raw_row(r));
        continue;
      }
      row_.targets.clear();
      row_.target_slot.clear();
      if (wide) {
        for (std::uint32_t k = 0; k < table.targets.size(); ++k) {
          const auto [first, last] = values(table.targets[k], r);
          for (auto v = first; v < last; ++v) {
            row_.targets.push_back(value(table.targets[k], v));
            row_.target_slot.push_back(k);
          }
        }
      } else {
        const auto [first, last] = values(table.target, r);
        for (auto v = first; v < last; ++v) row_.targets.push_back(value(table.target, v));
      }
      if (auto why = appender_.append(row_, used)) {
        reject(prov, table.label, r + 1, why->field, why->code, why->detail, raw_row(r));
        continue;
      }
      accept(prov);
    }
    record_file_mapping(table.label, table.format, used, 0);
    add_input(std::move(prov));
    finish();
    report_progress(opt_.progress, "ingest", rows, rows, "rows");
  }

 private:
  // After the last input: the ledger closed, the column of target times kept only when used, the provenance.
  void finish() {
    rejects_.close();
    auto& ev = result_.events;
    if (!any_target_time_) ev.target_time.clear();
    result_.provenance.events = ev.size();
    result_.provenance.cibgraph_version = kVersion;
    result_.provenance.ingested_at = now_iso8601();
    result_.provenance.mapping_json = mapping_json_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  void record_file_mapping(const std::string& path, std::string_view format, const ColumnMapping& used,
                           char delimiter) {
    nlohmann::json& m = mapping_json_;
    if (m.is_null()) {
      const auto& o = opt_.mapping;
      const bool wide = !o.targets.empty();
      m["account"] = o.account;
      m["action"] = o.action_value.empty() && !wide ? nlohmann::json(o.action) : nlohmann::json(nullptr);
      m["action_value"] = o.action_value.empty() || wide ? nlohmann::json(nullptr) : nlohmann::json(o.action_value);
      m["target"] = wide ? nlohmann::json(nullptr) : nlohmann::json(o.target);
      if (wide) {
        m["targets"] = nlohmann::json::array();
        for (const auto& t : o.targets) m["targets"].push_back({{"action", t.action}, {"column", t.column}});
      }
      m["time"] = o.time;
      m["text"] = o.text.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.text);
      m["target_time"] = o.target_time.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.target_time);
      m["time_format"] = std::string(to_string(opt_.time_format));
      m["target_time_format"] = std::string(to_string(opt_.target_time_format));
      m["max_field_bytes"] = opt_.max_field_bytes;
      m["max_record_bytes"] = opt_.max_record_bytes;
      m["files"] = nlohmann::json::array();
    }
    nlohmann::json f;
    f["path"] = path;
    f["format"] = format;
    if (format == "csv") f["delimiter"] = std::string(1, delimiter);
    f["text"] = used.text.empty() ? nlohmann::json(nullptr) : nlohmann::json(used.text);
    f["target_time"] = used.target_time.empty() ? nlohmann::json(nullptr) : nlohmann::json(used.target_time);
    f["time_format_used"] = std::string(to_string(appender_.time_format()));
    f["target_time_format_used"] = std::string(to_string(appender_.target_time_format()));
    m["files"].push_back(std::move(f));
  }

  // Growing the columns by doubling copies them and touches fresh pages twice over; for an uncompressed file,
  // reserve the rows it likely holds, estimated from the line length in the buffered first block.
  void reserve_for(const InputBuffer& in, std::uint64_t file_bytes) {
    if (in.compressed()) return;
    const std::string_view sample = in.data();
    const auto lines = static_cast<std::uint64_t>(std::count(sample.begin(), sample.end(), '\n'));
    if (lines < 100) return;
    const std::uint64_t estimate = file_bytes / (sample.size() / lines) + 1024;
    auto& ev = result_.events;
    const std::size_t want = ev.size() + static_cast<std::size_t>(estimate);
    ev.reserve(want);
    ev.target_time.reserve(want);
  }

  void progress(const InputBuffer& in, std::uint64_t rows) {
    if (rows % kProgressEvery == 0) report_progress(opt_.progress, "ingest", done_bytes_ + in.file_offset(), total_bytes_);
  }

  // The optional columns this file uses: the mapping's name, or the conventional name when present.
  ColumnMapping resolve_optional(const std::function<bool(const std::string&)>& has_column) {
    ColumnMapping used = opt_.mapping;
    if (used.text.empty() && has_column("text")) used.text = "text";
    if (used.target_time.empty() && has_column("target_time")) used.target_time = "target_time";
    return used;
  }

  void ingest_csv(const std::string& path, char delimiter, InputProvenance& prov) {
    InputBuffer in(path);
    CsvReader reader(in, CsvOptions{delimiter, '"', opt_.max_record_bytes});
    CsvRecord rec;
    // Header: the first non-blank record.
    std::vector<std::string> header;
    while (reader.next(rec)) {
      if (rec.blank()) {
        ++prov.blank_lines;
        continue;
      }
      if (rec.problem != CsvRecord::Problem::None)
        throw InputError({path, rec.line, {}}, "cannot read the header: " + std::string(describe(rec.problem)));
      header.assign(rec.fields.begin(), rec.fields.end());
      break;
    }
    if (header.empty()) throw InputError({path, 0, {}}, "empty file: no header row");
    const std::uint64_t header_line = rec.line;

    const ColumnMapping used = resolve_optional([&](const std::string& n) {
      return std::find(header.begin(), header.end(), n) != header.end();
    });
    const bool wide = !used.targets.empty();
    const MappedColumns columns = map_columns(path, header_line, header, used);
    const int c_account = columns.account, c_action = columns.action, c_target = columns.target;
    const int c_time = columns.time, c_text = columns.text, c_target_time = columns.target_time;
    const std::vector<int>& c_targets = columns.targets;
    if (c_target_time >= 0) any_target_time_ = true;
    appender_.start_file();

    reserve_for(in, prov.size_bytes);
    RowValues row;
    row.targets.resize(wide ? c_targets.size() : 1);
    for (std::uint32_t k = 0; wide && k < c_targets.size(); ++k) row.target_slot.push_back(k);
    auto field = [&](int c) -> std::string_view { return c < 0 ? std::string_view{} : rec.fields[static_cast<std::size_t>(c)]; };
    while (reader.next(rec)) {
      if (rec.blank()) {
        ++prov.blank_lines;
        continue;
      }
      ++prov.rows_read;
      progress(in, prov.rows_read);
      if (rec.problem != CsvRecord::Problem::None) {
        static constexpr std::string_view kCodes[] = {"", "malformed_quotes", "unterminated_quote", "oversized_record"};
        reject(prov, path, rec.line, "", kCodes[static_cast<int>(rec.problem)], describe(rec.problem), rec.raw);
        continue;
      }
      if (rec.fields.size() != header.size()) {
        reject(prov, path, rec.line, "", "wrong_column_count",
               "expected " + std::to_string(header.size()) + " fields, got " + std::to_string(rec.fields.size()),
               rec.raw);
        continue;
      }
      row.account = field(c_account);
      row.action = field(c_action);
      if (wide)
        for (std::size_t k = 0; k < c_targets.size(); ++k) row.targets[k] = field(c_targets[k]);
      else
        row.targets[0] = field(c_target);
      row.time = field(c_time);
      row.text = field(c_text);
      row.target_time = field(c_target_time);
      if (auto bad = appender_.append(row, used)) {
        reject(prov, path, rec.line, bad->field, bad->code, bad->detail, rec.raw);
        continue;
      }
      accept(prov);
    }
    record_file_mapping(path, "csv", used, delimiter);
  }

  // Looks up a.b.c: an exact key first (keys may contain dots), then nested objects.
  static const nlohmann::json* lookup(const nlohmann::json& obj, const std::string& path) {
    if (path.empty() || !obj.is_object()) return nullptr;
    if (auto it = obj.find(path); it != obj.end()) return &*it;
    const nlohmann::json* cur = &obj;
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = path.find('.', start);
      const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (!cur->is_object()) return nullptr;
      auto it = cur->find(key);
      if (it == cur->end()) return nullptr;
      cur = &*it;
      if (dot == std::string::npos) return cur;
      start = dot + 1;
    }
  }

  // A scalar as text: strings as they are, integers exactly, other numbers as JSON writes them.
  static std::optional<std::string> scalar_text(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return v.is_number_unsigned() ? std::to_string(v.get<std::uint64_t>())
                                                             : std::to_string(v.get<std::int64_t>());
    if (v.is_number_float() || v.is_boolean()) return v.dump();
    if (v.is_null()) return std::string();
    return std::nullopt;
  }

  void ingest_jsonl(const std::string& path, InputProvenance& prov) {
    InputBuffer in(path);
    const ColumnMapping used = resolve_optional([](const std::string&) { return false; });
    const ColumnMapping& m = used;
    if (m.action_value.empty() && m.action.empty() && m.targets.empty())
      throw OptionAdviceError("no action field", "name one, or give every row one action with", "action_value",
                              "share");
    if (!m.target_time.empty()) any_target_time_ = true;
    appender_.start_file();
    // The default names of text/target_time apply to JSON too when the objects have them.
    const bool default_text = m.text.empty(), default_target_time = m.target_time.empty();

    std::uint64_t line_no = 0;
    bool first = true;
    std::string holders[5];
    std::vector<std::string> target_holders;
    RowValues row;
    ColumnMapping names = m;
    while (true) {
      std::string_view data = in.data();
      const char* nl = static_cast<const char*>(std::memchr(data.data(), '\n', std::min(data.size(), opt_.max_record_bytes + 1)));
      if (!nl && !in.eof() && data.size() <= opt_.max_record_bytes) {
        in.fill();
        continue;
      }
      if (data.empty()) break;
      ++line_no;
      std::size_t len = nl ? static_cast<std::size_t>(nl - data.data()) : data.size();
      bool oversized = false;
      if (!nl && data.size() > opt_.max_record_bytes) {
        oversized = true;
        len = opt_.max_record_bytes;
      }
      std::string_view line = data.substr(0, len);
      if (first) {
        first = false;
        if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (oversized) {
        ++prov.rows_read;
        std::string prefix(line.substr(0, 4096));
        reject(prov, path, line_no, "", "oversized_record",
               "line longer than " + std::to_string(opt_.max_record_bytes) + " bytes; raw holds its first 4096 bytes",
               prefix);
        in.skip_line();
        continue;
      }
      process_json_line(path, line_no, line, prov, holders, target_holders, row, names, default_text,
                        default_target_time);
      progress(in, prov.rows_read);
      in.consume(nl ? len + 1 : data.size());
    }
    record_file_mapping(path, "jsonl", used, 0);
  }

  void process_json_line(const std::string& path, std::uint64_t line_no, std::string_view line, InputProvenance& prov,
                         std::string (&holders)[5], std::vector<std::string>& target_holders, RowValues& row,
                         ColumnMapping& names, bool default_text, bool default_target_time) {
    if (trim(line).empty()) {
      ++prov.blank_lines;
      return;
    }
    ++prov.rows_read;
    if (!is_valid_utf8(line)) return reject(prov, path, line_no, "", "invalid_utf8", "", line);
    nlohmann::json obj = nlohmann::json::parse(line, nullptr, false);
    if (obj.is_discarded()) return reject(prov, path, line_no, "", "invalid_json", "not valid JSON", line);
    if (!obj.is_object()) return reject(prov, path, line_no, "", "invalid_json", "line is not a JSON object", line);

    names.text = default_text && obj.contains("text") ? "text" : opt_.mapping.text;
    names.target_time = default_target_time && obj.contains("target_time") ? "target_time" : opt_.mapping.target_time;
    if (!names.target_time.empty()) any_target_time_ = true;
    const std::string* field_names[5] = {&names.account, &names.action, &names.time, &names.text, &names.target_time};
    std::string_view* slots[5] = {&row.account, &row.action, &row.time, &row.text, &row.target_time};
    for (int i = 0; i < 5; ++i) {
      *slots[i] = {};
      if (i == 1 && !names.action_value.empty()) continue;
      const nlohmann::json* v = lookup(obj, *field_names[i]);
      if (!v) continue;
      auto text = scalar_text(*v);
      if (!text) return reject(prov, path, line_no, *field_names[i], "not_scalar", "an array or object", line);
      holders[i] = std::move(*text);
      *slots[i] = holders[i];
    }
    row.targets.clear();
    row.target_slot.clear();
    target_holders.clear();
    if (!names.targets.empty()) {
      // Wide: each listed path's value (a scalar, or each element of an array); null or "" is no event.
      std::vector<std::uint32_t> target_slots;
      for (std::uint32_t k = 0; k < names.targets.size(); ++k) {
        const nlohmann::json* t = lookup(obj, names.targets[k].column);
        if (!t) continue;
        const bool array = t->is_array();
        if (!array) {
          auto text = scalar_text(*t);
          if (!text) return reject(prov, path, line_no, names.targets[k].column, "not_scalar", "an object", line);
          target_holders.push_back(std::move(*text));
          target_slots.push_back(k);
          continue;
        }
        for (const auto& e : *t) {
          auto text = scalar_text(e);
          if (!text)
            return reject(prov, path, line_no, names.targets[k].column, "not_scalar",
                          "an array element is not a scalar", line);
          target_holders.push_back(std::move(*text));
          target_slots.push_back(k);
        }
      }
      for (const auto& s : target_holders) row.targets.push_back(s);
      row.target_slot = std::move(target_slots);
    } else if (const nlohmann::json* t = lookup(obj, names.target)) {
      if (t->is_array()) {
        for (const auto& e : *t) {
          auto text = scalar_text(e);
          if (!text) return reject(prov, path, line_no, names.target, "not_scalar", "an array element is not a scalar", line);
          target_holders.push_back(std::move(*text));
        }
      } else {
        auto text = scalar_text(*t);
        if (!text) return reject(prov, path, line_no, names.target, "not_scalar", "an object", line);
        target_holders.push_back(std::move(*text));
      }
    }
    if (names.targets.empty())
      for (const auto& s : target_holders) row.targets.push_back(s);
    if (auto bad = appender_.append(row, names)) return reject(prov, path, line_no, bad->field, bad->code, bad->detail, line);
    accept(prov);
  }

  void accept(InputProvenance& prov) {
    ++prov.rows_accepted;
    if (appender_.last_row_events() == 0) ++prov.rows_without_target;
  }

  void reject(InputProvenance& prov, const std::string& path, std::uint64_t line, std::string_view field,
              std::string_view code, std::string_view detail, std::string_view raw) {
    ++prov.rows_rejected;
    rejects_.add(path, line, field, code, detail, raw);
  }

  const IngestOptions& opt_;
  IngestResult& result_;
  RejectsLedger rejects_;
  EventAppender appender_;
  nlohmann::json mapping_json_;
  RowValues row_;  // run_columns' row, its targets' capacity reused
  std::uint64_t total_bytes_ = 0, done_bytes_ = 0;
  bool any_target_time_ = false;
};

}  // namespace

void check_mapped_columns(const std::string& source, const std::vector<std::string>& columns,
                          const ColumnMapping& mapping) {
  (void)map_columns(source, 0, columns, mapping);
}

void refuse_outputs_over_inputs(const std::vector<std::string>& inputs, const std::vector<std::string>& outputs) {
  for (const auto& out : outputs) {
    if (out.empty()) continue;
    for (const auto& in : inputs) {
      std::error_code ec;  // an output that does not exist yet is no input
      if (std::filesystem::equivalent(in, out, ec) && !ec)
        throw UsageError("'" + out + "' is both an input and an output: writing the output would destroy the input; "
                         "write the outputs elsewhere");
    }
  }
}

IngestResult ingest(const std::vector<std::string>& paths, const IngestOptions& options) {
  // Before anything is opened for writing (the rejects ledger is truncated when the ingest starts).
  for (const auto& p : paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) throw InputError({p, 0, {}}, "no such file");
    if (std::filesystem::is_directory(p, ec)) throw InputError({p, 0, {}}, "is a directory, not a file");
    if (!std::filesystem::is_regular_file(p, ec))
      throw InputError({p, 0, {}}, "not a regular file (a pipe, socket or device): an input is read twice, for its "
                                   "SHA-256 and for its rows, so save it to a file first");
    std::ifstream head(p, std::ios::binary);
    char bom[2] = {0, 0};
    if (head.read(bom, 2) && ((bom[0] == '\xFF' && bom[1] == '\xFE') || (bom[0] == '\xFE' && bom[1] == '\xFF')))
      throw InputError({p, 1, {}}, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); cibgraph reads "
                                   "UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8");
  }
  refuse_outputs_over_inputs(paths, {options.rejects_path});
  IngestResult result;
  Ingestor(options, result).run(paths);
  return result;
}

IngestResult ingest_columns(const ColumnTable& table, const IngestOptions& options) {
  IngestOptions o = options;
  if (table.time.epoch_ms) o.time_format = TimeFormat::UnixMillis;
  if (table.target_time.epoch_ms) o.target_time_format = TimeFormat::UnixMillis;
  IngestResult result;
  Ingestor(o, result).run_columns(table);
  return result;
}

}  // namespace cibgraph
