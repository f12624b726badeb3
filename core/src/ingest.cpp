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

// One row's values, as text, before validation. targets has one entry for CSV, one per element for JSON arrays.
struct RowValues {
  std::string_view account, action, time, text, target_time;
  std::vector<std::string_view> targets;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Validates a row and appends its events, or says why it is rejected. Strings are interned only for accepted rows.
class EventAppender {
 public:
  EventAppender(const IngestOptions& options, EventTable& events) : opt_(options), ev_(events) {
    if (!opt_.mapping.action_value.empty()) fixed_action_ = normalise_action(opt_.mapping.action_value);
  }

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
                            {row.action, m.action, fixed_action_.empty()},
                            {row.time, m.time, true},
                            {row.text, m.text, false},
                            {row.target_time, m.target_time, false}};
    for (const auto& c : checks) {
      if (c.value.size() > opt_.max_field_bytes)
        return Rejection{"oversized_field", c.name, std::to_string(c.value.size()) + " bytes > limit " +
                                                        std::to_string(opt_.max_field_bytes)};
      if (!is_valid_utf8(c.value)) return Rejection{"invalid_utf8", c.name, {}};
    }
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

    const std::string_view time_text = trim(row.time);
    if (time_text.empty()) return Rejection{"missing_field", m.time, "empty"};
    if (time_format_ == TimeFormat::Auto) time_format_ = detect_time_format(time_text);
    std::string why;
    const auto time = parse_time(time_text, time_format_, &why);
    if (!time)
      return Rejection{"unparseable_time", m.time,
                       "'" + std::string(time_text.substr(0, 64)) + "' as " + std::string(to_string(time_format_)) +
                           ": " + why};
    std::int64_t target_time = kNoTime;
    const std::string_view tt_text = trim(row.target_time);
    if (!tt_text.empty()) {
      if (target_time_format_ == TimeFormat::Auto) target_time_format_ = detect_time_format(tt_text);
      const auto tt = parse_time(tt_text, target_time_format_, &why);
      if (!tt)
        return Rejection{"unparseable_time", m.target_time,
                         "'" + std::string(tt_text.substr(0, 64)) + "' as " +
                             std::string(to_string(target_time_format_)) + ": " + why};
      target_time = *tt;
    }

    // Accepted: intern and append.
    const std::uint32_t account = ev_.accounts.intern(row.account);
    if (action_code == StringDictionary::kMissing) action_code = ev_.actions.intern(action);
    const std::uint32_t text = row.text.empty() ? kNoText : ev_.texts.intern(row.text);
    for (auto t : row.targets) {
      ev_.account.push_back(account);
      ev_.action.push_back(static_cast<std::uint8_t>(action_code));
      ev_.target.push_back(ev_.targets.intern(t));
      ev_.time.push_back(*time);
      ev_.text.push_back(text);
      if (any_target_time_) ev_.target_time.push_back(target_time);
    }
    return std::nullopt;
  }

  // target_time is kept as a column when any input maps it; decided before the first row.
  void set_keep_target_time(bool keep) { any_target_time_ = keep; }

 private:
  static std::string normalise_action(std::string_view s) {
    s = trim(s);
    std::string out(s);
    for (auto& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }

  const IngestOptions& opt_;
  EventTable& ev_;
  std::string fixed_action_;
  std::string last_raw_action_, last_action_;
  TimeFormat time_format_ = TimeFormat::Auto, target_time_format_ = TimeFormat::Auto;
  bool any_target_time_ = false;
};

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

  void run(const std::vector<std::string>& paths) {
    if (paths.empty()) throw UsageError("no input files");
    std::vector<InputFormat> formats;
    std::vector<char> delimiters;
    for (const auto& p : paths) {
      std::error_code exists_ec;
      if (!std::filesystem::exists(p, exists_ec)) throw InputError({p, 0, {}}, "no such file");
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
      auto& total = result_.provenance;
      total.rows_read += prov.rows_read;
      total.rows_accepted += prov.rows_accepted;
      total.rows_rejected += prov.rows_rejected;
      total.inputs.push_back(std::move(prov));
    }
    rejects_.close();
    auto& ev = result_.events;
    if (!any_target_time_) ev.target_time.clear();
    result_.provenance.events = ev.size();
    result_.provenance.cibgraph_version = kVersion;
    result_.provenance.ingested_at = now_iso8601();
    result_.provenance.mapping_json = mapping_json_.dump();
    report_progress(opt_.progress, "ingest", total_bytes_, total_bytes_);
  }

 private:
  void record_file_mapping(const std::string& path, std::string_view format, const ColumnMapping& used,
                           char delimiter) {
    nlohmann::json& m = mapping_json_;
    if (m.is_null()) {
      const auto& o = opt_.mapping;
      m["account"] = o.account;
      m["action"] = o.action_value.empty() ? nlohmann::json(o.action) : nlohmann::json(nullptr);
      m["action_value"] = o.action_value.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.action_value);
      m["target"] = o.target;
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

    auto column_of = [&](const std::string& name, bool required, const char* role) -> int {
      if (name.empty()) return -1;
      int found = -1;
      for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] != name) continue;
        if (found >= 0) throw InputError({path, header_line, name}, "column appears more than once in the header");
        found = static_cast<int>(i);
      }
      if (found < 0 && required) {
        std::string cols;
        for (std::size_t i = 0; i < header.size() && i < 40; ++i) cols += (i ? ", " : "") + header[i];
        throw InputError({path, header_line, {}}, "no column '" + name + "' for the " + role +
                                                      " (the header has: " + cols + ")");
      }
      return found;
    };
    const ColumnMapping used = resolve_optional([&](const std::string& n) {
      return std::find(header.begin(), header.end(), n) != header.end();
    });
    const int c_account = column_of(used.account, true, "account");
    const int c_action =
        used.action_value.empty() ? column_of(used.action, true, "action (or give one value to all rows: --action-value share)") : -1;
    const int c_target = column_of(used.target, true, "target");
    const int c_time = column_of(used.time, true, "time");
    const int c_text = column_of(used.text, true, "text");
    const int c_target_time = column_of(used.target_time, true, "target time");
    if (c_target_time >= 0) any_target_time_ = true;
    appender_.start_file();

    reserve_for(in, prov.size_bytes);
    RowValues row;
    row.targets.resize(1);
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
      row.targets[0] = field(c_target);
      row.time = field(c_time);
      row.text = field(c_text);
      row.target_time = field(c_target_time);
      if (auto bad = appender_.append(row, used)) {
        reject(prov, path, rec.line, bad->field, bad->code, bad->detail, rec.raw);
        continue;
      }
      ++prov.rows_accepted;
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
    if (m.action_value.empty() && m.action.empty())
      throw UsageError("no action field: name one or give a fixed action value (--action-value share)");
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
    target_holders.clear();
    if (const nlohmann::json* t = lookup(obj, names.target)) {
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
    for (const auto& s : target_holders) row.targets.push_back(s);
    if (auto bad = appender_.append(row, names)) return reject(prov, path, line_no, bad->field, bad->code, bad->detail, line);
    ++prov.rows_accepted;
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
  std::uint64_t total_bytes_ = 0, done_bytes_ = 0;
  bool any_target_time_ = false;
};

}  // namespace

IngestResult ingest(const std::vector<std::string>& paths, const IngestOptions& options) {
  IngestResult result;
  Ingestor(options, result).run(paths);
  return result;
}

}  // namespace cibgraph
