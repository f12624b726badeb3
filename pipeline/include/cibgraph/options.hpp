#pragma once
// The one table of the pipeline's options. Every option of ingest's column mapping, of the coordination pipeline
// and of the analysis is declared here once: its name, kind, default, range, help line and stored name. The front
// ends are built from it:
//   CLI     the flag is --NAME with '_' as '-' (--min-tie-share); its --help line is help + " [default]"; its
//           value is parsed by set_option
//   Python  the keyword is NAME (min_tie_share), with the table's default and help in the signature and docstring
//           (cibgraph._core.option_table); values reach set_option as text (python_option_text)
//   stored  the parameters written to data.h5 and report.json come from store_options (keys: `stored`), and
//           restore_options reads them back (a stored network or analysis reopened with the options it ran with)
// The C++ structs' own defaults (AnalysisOptions{}) equal the table's: tests/cpp check that every option round-trips
// and that the defaults agree, and tests/python that every option reaches every front end with the same default.
//
// Errors name the option in the front end's spelling: OptionError carries the option's name and the problem;
// what() is "NAME problem" (Python's spelling); the CLI prints "--flag problem" (cli_message).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cibgraph/analysis.hpp"
#include "cibgraph/error.hpp"

namespace cibgraph {

enum class OptionKind : std::uint8_t {
  Text,      // a string (a column name, a JSON path); "" = none
  Choice,    // one of `choices`
  Count,     // a whole number in [lo, hi]
  Real,      // a real number in the range
  Duration,  // 60s, 500ms, 2m, 1h (parse_duration_ms); Python also takes seconds and pandas.Timedelta
  Switch,    // on | off (Python: bool)
  Flag,      // present or not (CLI: no value; Python: bool)
  Layers,    // "auto" or a comma-separated list of layer names (Python: a list too)
  Pairs,     // NAME=VALUE,... (targets: url=url_id,hashtag=hashtag_id; Python: a dict too); "" = none
};
std::string_view to_string(OptionKind kind);

// Which front ends offer an option (bits).
enum OptionScope : unsigned {
  kMappingScope = 1,       // reading raw exports: cibgraph ingest, analyze; read_events, from_pandas, analyze
  kCoordinationScope = 2,  // the coordination pipeline: cibgraph project, analyze; coordination_network, analyze
  kAnalysisScope = 4,      // refinement, rankings, findings and report: cibgraph analyze; analyze
};

struct OptionDef {
  std::string_view name;          // Python keyword and the table's key: "min_tie_share"
  std::string_view value_name;    // the value in --help: "S" ("" for a Flag)
  OptionKind kind = OptionKind::Text;
  std::string_view default_text;  // the default as the CLI spells it ("0.5", "60s", "auto", "on"; "" = none)
  std::string_view help;          // one line, without the default
  unsigned scope = 0;             // OptionScope bits
  // The key of the stored parameters (report.json "parameters", data.h5 parameters_json); "" = not stored (a
  // resource such as memory_budget, which changes no result; the mapping is stored by ingest as "ingest").
  std::string_view stored;
  // Count and Real: the range (Count: whole numbers, hi = 0 for the field's largest value; Real: lo_open / hi_open
  // exclude the ends, hi = +inf for none). Choice: the values, '|'-separated.
  double lo = 0, hi = 0;
  bool lo_open = false, hi_open = false;
  std::string_view choices;
  std::string_view short_flag;    // one letter for the CLI ("w"), or ""

  std::string flag() const;         // "--min-tie-share"
  std::string range_text() const;   // "(0, 1]", ">= 1", "fdr, min-co-actions, percentile or none", ""
  std::vector<std::string_view> choice_list() const;  // Choice: the values, in order; otherwise empty
  // The help line with its range and default, as --help and the docstrings print it.
  std::string help_line() const;
};

// Every option, in the order --help lists them (mapping, coordination, analysis).
const std::vector<OptionDef>& option_table();
// The options of one scope (OptionScope bits: an option is listed when it has any of them).
std::vector<const OptionDef*> options_in(unsigned scope);
// The option called `name` (Python or CLI spelling: min_tie_share or min-tie-share); nullptr when none.
const OptionDef* find_option(std::string_view name);
// The closest option name within a small edit distance, for "did you mean" ("" when nothing is close).
std::string closest_option(std::string_view name, unsigned scope);
// The candidate closest to `name` by edit distance, when within max(2, |name| / 3); "" when none is that close.
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

// A bad value or an option out of range: names the option (OptionDef::name) and says what is wrong.
class OptionError : public UsageError {
 public:
  OptionError(std::string option, std::string problem)
      : UsageError(option + " " + problem), option_(std::move(option)), problem_(std::move(problem)) {}
  const std::string& option() const noexcept { return option_; }
  const std::string& problem() const noexcept { return problem_; }
  // "--min-tie-share must be in [0, 1]"
  std::string cli_message() const;

 private:
  std::string option_, problem_;
};

// Parses `text` as the option's value (the CLI's spelling: "0.5", "60s", "on", "co-share,co-url"; a Flag takes
// "on"/"off") and stores it into `options`. Throws OptionError for a malformed value or one out of range.
void set_option(AnalysisOptions& options, const OptionDef& option, std::string_view text);
void set_option(AnalysisOptions& options, std::string_view name, std::string_view text);
// The option's value in `options`, as set_option reads it (set_option(o, d, get_option(o, d)) changes nothing).
std::string get_option(const AnalysisOptions& options, const OptionDef& option);

// Throws OptionError naming the first option of the scope out of its range (what set_option checks, for options set
// in C++ directly), and UsageError for combinations that cannot be (action with action_value, targets with target,
// action or action_value).
void check_options(const AnalysisOptions& options, unsigned scope);

// The stored parameters of the options of `scope` as JSON members, into the object `json_object` (a JSON text "{...}"
// with or without members); the network supplies what the run decided (the layers `auto` chose, the window
// estimated, burst_scale at least 4 windows). Returns the merged object, keys sorted.
std::string store_options(const AnalysisOptions& options, unsigned scope, const CoactionNetwork& network,
                          std::string_view json_object);
// Reads stored parameters back into `options` (the keys present; a key missing keeps what `options` holds, as an older
// store's parameters lack later options). The layers are those the network ran on; `network` supplies window_ms.
void restore_options(AnalysisOptions& options, std::string_view parameters_json, const CoactionNetwork& network);

}  // namespace cibgraph
