#include "cibgraph/options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <variant>

#include "cibgraph/coaction.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/significance.hpp"
#include "cibgraph/time.hpp"

// The table's rows name only the members they need; the rest keep OptionDef's defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace cibgraph {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// How set_option and get_option reach an option's value: a plain field of a known type, or a pair of functions for
// values spread over several fields (the window, the layers, an enum with its name).
template <class T>
using Ref = T& (*)(AnalysisOptions&);
struct Custom {
  void (*set)(AnalysisOptions&, std::string_view);
  std::string (*get)(const AnalysisOptions&);
};
using Access = std::variant<Ref<std::string>, Ref<std::uint32_t>, Ref<std::uint64_t>, Ref<double>,
                            Ref<std::int64_t>, Ref<bool>, Custom>;

struct Entry {
  OptionDef def;
  Access access;
};

#define CIBGRAPH_FIELD(path) +[](AnalysisOptions& o) -> auto& { return o.path; }

std::string format_duration(std::int64_t ms) {
  struct Unit {
    std::int64_t ms;
    const char* suffix;
  };
  for (const Unit u : {Unit{86'400'000, "d"}, Unit{3'600'000, "h"}, Unit{60'000, "m"}, Unit{1000, "s"}})
    if (ms != 0 && ms % u.ms == 0) return std::to_string(ms / u.ms) + u.suffix;
  return std::to_string(ms) + "ms";
}

std::string format_real_exact(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::string_view layers_text(const AnalysisOptions& o, std::string& out) {
  const CoactionOptions& c = o.coordination.coaction;
  if (c.auto_layers) return out = "auto";
  for (auto l : c.layers) out += (out.empty() ? "" : ",") + std::string(layer_name(l));
  return out;
}

// --layers' help, from the layers' own lists of the actions they read (default_layer_actions), so it cannot drift.
const std::string& layers_help() {
  static const std::string help = [] {
    std::string out = "co-action layers: auto (every layer the data has events for), or some of";
    const char* sep = " ";
    for (const Layer l : kAllLayers) {
      out += sep + std::string(layer_name(l)) + " (" + layer_reads(l) +
             (l == Layer::CoShare ? "; alias co-retweet" : "") + ")";
      sep = ", ";
    }
    return out;
  }();
  return help;
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = [] {
    const unsigned M = kMappingScope, C = kCoordinationScope, A = kAnalysisScope;
    using K = OptionKind;
    std::vector<Entry> t;
    auto add = [&](OptionDef d, Access a) { t.push_back({std::move(d), a}); };
    // --- column mapping (stored by ingest as the parameters' "ingest" block) ---
    add({"account", "COL", K::Text, "account_id", "column (or JSON path a.b.c) of the acting account", M},
        CIBGRAPH_FIELD(ingest.mapping.account));
    add({"action", "COL", K::Text, "action", "column of the action (share, retweet, post, reply, ...)", M},
        CIBGRAPH_FIELD(ingest.mapping.action));
    add({"action_value", "NAME", K::Text, "", "give every row this action (files without an action column)", M},
        CIBGRAPH_FIELD(ingest.mapping.action_value));
    add({"target", "COL", K::Text, "target", "column of the target: post id, URL, hashtag, account", M},
        CIBGRAPH_FIELD(ingest.mapping.target));
    add({"targets", "ACTION=COL,...", K::Pairs, "",
         "wide exports: one event per non-empty cell of each listed column, with its action (url=url_id,"
         "hashtag=hashtag_id,image=phash_id); an empty cell is no event; replaces action and target",
         M},
        Custom{[](AnalysisOptions& o, std::string_view v) { o.ingest.mapping.targets = parse_target_columns(v); },
               [](const AnalysisOptions& o) { return format_target_columns(o.ingest.mapping.targets); }});
    add({"time", "COL", K::Text, "timestamp", "column of the time", M}, CIBGRAPH_FIELD(ingest.mapping.time));
    add({"text", "COL", K::Text, "", "column of the text [text, when present]", M}, CIBGRAPH_FIELD(ingest.mapping.text));
    add({"target_time", "COL", K::Text, "", "column of the target's creation time [target_time, when present]", M},
        CIBGRAPH_FIELD(ingest.mapping.target_time));
    {
      OptionDef d{"time_format", "F", K::Choice, "auto", "format of the time (auto: detected per file and column)", M};
      d.choices = "auto|iso8601|unix_s|unix_ms";
      add(d, Custom{[](AnalysisOptions& o, std::string_view v) { o.ingest.time_format = parse_time_format(v); },
                    [](const AnalysisOptions& o) { return std::string(to_string(o.ingest.time_format)); }});
      d.name = "target_time_format";
      d.help = "format of target_time";
      add(d, Custom{[](AnalysisOptions& o, std::string_view v) { o.ingest.target_time_format = parse_time_format(v); },
                    [](const AnalysisOptions& o) { return std::string(to_string(o.ingest.target_time_format)); }});
    }
    {
      OptionDef d{"format", "F", K::Choice, "auto", "input format (auto: by extension, else sniffed)", M};
      d.choices = "auto|csv|tsv|jsonl";
      add(d, Custom{[](AnalysisOptions& o, std::string_view v) {
                      o.ingest.format = parse_input_format(v);
                      if (v == "tsv" && o.ingest.delimiter == 0) o.ingest.delimiter = '\t';
                    },
                    [](const AnalysisOptions& o) {
                      const InputFormat f = o.ingest.format;
                      return std::string(f == InputFormat::Auto    ? "auto"
                                         : f == InputFormat::Jsonl ? "jsonl"
                                         : o.ingest.delimiter == '\t' ? "tsv" : "csv");
                    }});
    }
    add({"delimiter", "C", K::Text, "", "CSV field delimiter, one character; 'tab' for a tab [, or tab for .tsv]", M},
        Custom{[](AnalysisOptions& o, std::string_view d) {
                 if (d.empty()) o.ingest.delimiter = 0;
                 else if (d == "tab" || d == "\\t") o.ingest.delimiter = '\t';
                 else if (d.size() == 1 && d != "\"" && d != "\n") o.ingest.delimiter = d[0];
                 else throw OptionError("delimiter", "needs one character (or 'tab'), got '" + std::string(d) + "'");
               },
               [](const AnalysisOptions& o) {
                 return o.ingest.delimiter == 0 ? std::string() : o.ingest.delimiter == '\t' ? std::string("tab")
                                                                                           : std::string(1, o.ingest.delimiter);
               }});
    {
      OptionDef d{"max_field_bytes", "N", K::Count, "1048576", "reject rows with a longer field", M};
      d.lo = 1;
      d.hi = 1099511627776.0;  // 1 TiB: a bound that limit + 1 cannot overflow (UINT64_MAX lost every row)
      add(d, CIBGRAPH_FIELD(ingest.max_field_bytes));
      d = {"max_record_bytes", "N", K::Count, "16777216", "longest record read into memory; longer is rejected", M};
      d.lo = 64;
      d.hi = 1099511627776.0;
      add(d, CIBGRAPH_FIELD(ingest.max_record_bytes));
    }

    // --- the coordination pipeline ---
    add({"layers", "L,...", K::Layers, "auto", layers_help(), C, "layers"},
        Custom{[](AnalysisOptions& o, std::string_view v) {
                 CoactionOptions& c = o.coordination.coaction;
                 c.auto_layers = v == "auto";
                 c.layers.clear();
                 if (!c.auto_layers) c.layers = parse_layers(v);
                 if (!c.auto_layers && c.layers.empty()) throw OptionError("layers", "needs at least one layer");
               },
               [](const AnalysisOptions& o) {
                 std::string s;
                 return std::string(layers_text(o, s));
               }});
    {
      OptionDef d{"window", "DUR", K::Duration, "60s", "co-action window (60s, 500ms, 2m) or auto (CooRnet-style estimate)",
                  C, "window"};
      d.short_flag = "w";
      add(d, Custom{[](AnalysisOptions& o, std::string_view v) {
                      CoactionOptions& c = o.coordination.coaction;
                      c.auto_window = v == "auto";
                      if (!c.auto_window) {
                        c.window_ms = parse_duration_ms(v);
                        if (c.window_ms <= 0) throw OptionError("window", "must be positive, got '" + std::string(v) + "'");
                      }
                      o.window_text = std::string(v);
                    },
                    [](const AnalysisOptions& o) { return o.coordination.coaction.auto_window ? std::string("auto") : o.window_text; }});
    }
    {
      OptionDef d{"filter", "F", K::Choice, "fdr", "how edges are kept", C, "filter"};
      d.choices = "fdr|min-co-actions|percentile|none";
      add(d, Custom{[](AnalysisOptions& o, std::string_view v) { o.coordination.significance.filter = parse_edge_filter(v); },
                    [](const AnalysisOptions& o) { return std::string(to_string(o.coordination.significance.filter)); }});
    }
    auto real = [&](std::string_view name, std::string_view value_name, std::string_view def, std::string_view help,
                    unsigned scope, double lo, bool lo_open, double hi, bool hi_open, Ref<double> ref) {
      OptionDef d{name, value_name, K::Real, def, help, scope, name};
      d.lo = lo, d.lo_open = lo_open, d.hi = hi, d.hi_open = hi_open;
      add(d, ref);
    };
    auto count = [&](std::string_view name, std::string_view value_name, std::string_view def, std::string_view help,
                     unsigned scope, double lo, Access ref, std::string_view stored) {
      OptionDef d{name, value_name, K::Count, def, help, scope, stored};
      d.lo = lo;
      add(d, ref);
    };
    real("fdr", "Q", "0.01", "false discovery rate for filter fdr", C, 0, true, 1, true,
         CIBGRAPH_FIELD(coordination.significance.fdr));
    count("min_co_actions", "K", "1", "drop edges with fewer co-actions (all filters)", C, 1,
          CIBGRAPH_FIELD(coordination.significance.min_co_actions), "min_co_actions");
    count("min_targets", "K", "2", "drop edges co-acting on fewer distinct targets (all filters but none)", C, 1,
          CIBGRAPH_FIELD(coordination.significance.min_distinct_targets), "min_targets");
    real("cluster_edge_p", "P", "0.1",
         "edges with p <= min(P, 1/pairs tested of either account) also build clusters; kept only inside coordinated "
         "ones",
         C, 0, false, 1, false, CIBGRAPH_FIELD(coordination.significance.cluster_edge_p));
    count("min_core", "K", "3", "clusters: accounts must have cluster edges to K others (K-core)", C, 1,
          CIBGRAPH_FIELD(coordination.significance.min_core), "min_core");
    count("min_triangles", "T", "2", "clusters: each cluster edge must close T triangles of cluster edges ((T+2)-truss)",
          C, 0, CIBGRAPH_FIELD(coordination.significance.min_triangles), "min_triangles");
    real("member_alpha", "A", "0.001",
         "clusters: an account's own co-actions with its cluster must have Poisson p below A", C, 0, true, 1, false,
         CIBGRAPH_FIELD(coordination.significance.member_alpha));
    real("cluster_alpha", "A", "1e-6",
         "clusters: a cluster is coordinated when its co-actions beyond chance have Poisson p below A", C, 0, true, 1,
         false, CIBGRAPH_FIELD(coordination.significance.cluster_alpha));
    real("min_excess", "X", "2", "clusters: ... and are at least X times what the null expects", C, 0, false, kInf,
         false, CIBGRAPH_FIELD(coordination.significance.min_excess));
    count("min_cluster_size", "N", "3", "clusters: coordinated clusters have at least N accounts", C, 1,
          CIBGRAPH_FIELD(coordination.significance.min_cluster_size), "min_cluster_size");
    add({"second_stage", "on|off", K::Switch, "on",
         "clusters: accounts join by their ties to a whole cluster, and near-cliques of weak ties are tested as groups",
         C, "second_stage"},
        CIBGRAPH_FIELD(coordination.significance.second_stage));
    real("min_tie_share", "S", "0.5", "second stage: a group's accounts must be tied to S of the others", C, 0, false,
         1, false, CIBGRAPH_FIELD(coordination.significance.min_tie_share));
    add({"burst_scale", "DUR", K::Duration, "10m",
         "null model: organic synchrony scale of a target's crowd (at least 4 windows)", C, "burst_scale_ms"},
        CIBGRAPH_FIELD(coordination.coaction.burst_scale_ms));
    real("percentile", "P", "0.99", "for filter percentile: keep co-actions at or above this quantile", C, 0, false, 1,
         false, CIBGRAPH_FIELD(coordination.significance.percentile));
    {
      OptionDef d{"weight", "W", K::Choice, "idf", "weight of the edges' weight column and of the fused graph", C, "weight"};
      d.choices = "count|distinct|idf|tfidf";
      add(d, Custom{[](AnalysisOptions& o, std::string_view v) {
                      o.weight = parse_edge_weight(v);
                      o.weight_name = std::string(v);
                    },
                    [](const AnalysisOptions& o) { return o.weight_name; }});
    }
    count("max_pairs_per_target", "N", "2000000", "popular-target cap; the tightest pairs are kept and the cut reported",
          C, 1, CIBGRAPH_FIELD(coordination.coaction.max_pairs_per_key), "max_pairs_per_target");
    count("evidence_per_edge", "N", "20", "evidence rows kept per edge (the total is always counted)", C, 0,
          CIBGRAPH_FIELD(coordination.coaction.evidence_per_edge), "evidence_per_edge");
    add({"sync_bin", "DUR", K::Duration, "60s", "sync-time bin width", C, "sync_bin_ms"},
        CIBGRAPH_FIELD(coordination.coaction.sync_bin_ms));
    count("sync_min_events", "N", "20", "sync-time: accounts with fewer events are left out", C, 1,
          CIBGRAPH_FIELD(coordination.coaction.sync_min_events), "sync_min_events");
    {
      OptionDef d{"memory_budget", "MB", K::Count, "4096",
                  "MB of pair records held in memory before sorted runs spill to disk", C};
      d.lo = 1;
      d.hi = static_cast<double>(std::numeric_limits<std::uint64_t>::max() >> 20);
      add(d, Custom{[](AnalysisOptions& o, std::string_view v) {
                      // parsed and range-checked by set_option's Count rule before this runs
                      o.coordination.coaction.memory_budget_bytes = std::stoull(std::string(v)) << 20;
                    },
                    [](const AnalysisOptions& o) { return std::to_string(o.coordination.coaction.memory_budget_bytes >> 20); }});
    }

    // --- the analysis: refinement, rankings, findings, report ---
    count("seed", "S", "1", "seed of Leiden and of sampled betweenness", A, 0, CIBGRAPH_FIELD(seed), "seed");
    real("resolution", "G", "1", "Leiden resolution (modularity) when refining clusters", A, 0, false, kInf, false,
         CIBGRAPH_FIELD(resolution));
    real("min_split_modularity", "Q", "0.3",
         "split a cluster into its Leiden communities only at this modularity or more", A, 0, false, 1, false,
         CIBGRAPH_FIELD(min_split_modularity));
    count("betweenness_budget", "N", "2000000000",
          "arc visits for betweenness: exact within it, else sampled sources with an error bound", A, 1,
          CIBGRAPH_FIELD(betweenness_budget), "betweenness_budget");
    count("evidence_csv_edges", "N", "20",
          "evidence.csv: each account's N most significant kept edges (0: every kept edge; edges.csv has them all)", A,
          0, CIBGRAPH_FIELD(evidence_csv_edges), "evidence_csv_edges");
    count("evidence_csv_rows", "N", "20", "evidence.csv: co-actions written per edge (evidence_total counts them all)",
          A, 1, CIBGRAPH_FIELD(evidence_csv_rows), "evidence_csv_rows");
    add({"store_all_pairs", "", K::Flag, "off",
         "data.h5: store every co-acting pair with its p-value and evidence, not only the kept edges", A},
        Custom{[](AnalysisOptions& o, std::string_view v) { o.stored_edges = v == "on" ? StoredEdges::All : StoredEdges::Kept; },
               [](const AnalysisOptions& o) { return std::string(o.stored_edges == StoredEdges::All ? "on" : "off"); }});
    count("view_max_nodes", "N", "5000", "report: accounts drawn per cluster (the highest scores)", A, 1,
          CIBGRAPH_FIELD(view_max_nodes), "view_max_nodes");
    count("view_edges_per_node", "N", "25", "report: strongest ties drawn per account in a cluster view", A, 0,
          CIBGRAPH_FIELD(view_edges_per_node), "view_edges_per_node");
    count("report_edges_per_account", "N", "5", "report: most significant edges listed with evidence per account", A, 0,
          CIBGRAPH_FIELD(report_edges_per_account), "report_edges_per_account");
    count("report_rows_per_edge", "N", "3", "report: co-actions listed per edge (evidence.csv has them all)", A, 0,
          CIBGRAPH_FIELD(report_rows_per_edge), "report_rows_per_edge");
    count("overview_max_accounts", "N", "1000", "report: unflagged accounts drawn in the overview", A, 0,
          CIBGRAPH_FIELD(overview_max_accounts), "overview_max_accounts");
    count("timeline_bins", "N", "100", "report: bins of a cluster's timeline (widths rounded up to readable ones)", A,
          1, CIBGRAPH_FIELD(timeline_bins), "timeline_bins");
    count("top_targets", "N", "10", "report: targets listed per cluster", A, 0, CIBGRAPH_FIELD(top_targets),
          "top_targets");
    return t;
  }();
  return table;
}

#undef CIBGRAPH_FIELD

const Entry& entry_of(const OptionDef& d) {
  const auto& t = entries();
  for (const auto& e : t)
    if (&e.def == &d || e.def.name == d.name) return e;
  throw UsageError("unknown option '" + std::string(d.name) + "'");
}

template <class T>
constexpr double max_of() {
  return static_cast<double>(std::numeric_limits<T>::max());
}

double count_max(const Entry& e) {
  if (e.def.hi > 0) return e.def.hi;
  if (std::holds_alternative<Ref<std::uint32_t>>(e.access)) return max_of<std::uint32_t>();
  return max_of<std::uint64_t>();
}

std::uint64_t parse_count(const Entry& e, std::string_view text) {
  const OptionDef& d = e.def;
  std::uint64_t v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec == std::errc::invalid_argument || r.ptr != text.data() + text.size())
    throw OptionError(std::string(d.name), "needs a whole number, got '" + std::string(text) + "'");
  if (r.ec == std::errc::result_out_of_range || static_cast<double>(v) > count_max(e))
    throw OptionError(std::string(d.name), "is too large: " + std::string(text));
  if (static_cast<double>(v) < d.lo)
    throw OptionError(std::string(d.name), "must be at least " + format_real_exact(d.lo) + ", got " + std::string(text));
  return v;
}

// "in [0, 1]", ">= 0": how a message says the range.
std::string range_phrase(const OptionDef& d) {
  const std::string r = d.range_text();
  return r[0] == '(' || r[0] == '[' ? "in " + r : r;
}

bool in_range(const OptionDef& d, double v) {
  if (!std::isfinite(v)) return false;
  if (d.lo_open ? !(v > d.lo) : !(v >= d.lo)) return false;
  if (d.hi_open ? !(v < d.hi) : !(v <= d.hi)) return false;
  return true;
}

double parse_real(const OptionDef& d, std::string_view text) {
  double v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
    throw OptionError(std::string(d.name), "needs a number, got '" + std::string(text) + "'");
  if (!in_range(d, v)) throw OptionError(std::string(d.name), "must be " + range_phrase(d) + ", got " + std::string(text));
  return v;
}

bool parse_switch(const OptionDef& d, std::string_view text) {
  if (text == "on" || text == "true" || text == "1") return true;
  if (text == "off" || text == "false" || text == "0") return false;
  throw OptionError(std::string(d.name), "must be on or off, got '" + std::string(text) + "'");
}

std::int64_t parse_positive_duration(const OptionDef& d, std::string_view text) {
  std::int64_t ms = 0;
  try {
    ms = parse_duration_ms(text);
  } catch (const UsageError&) {
    throw OptionError(std::string(d.name), "needs a duration such as 60s, 500ms or 2m, got '" + std::string(text) + "'");
  }
  if (ms <= 0) throw OptionError(std::string(d.name), "must be positive, got '" + std::string(text) + "'");
  return ms;
}

}  // namespace

std::string_view to_string(OptionKind kind) {
  switch (kind) {
    case OptionKind::Text: return "text";
    case OptionKind::Choice: return "choice";
    case OptionKind::Count: return "count";
    case OptionKind::Real: return "real";
    case OptionKind::Duration: return "duration";
    case OptionKind::Switch: return "switch";
    case OptionKind::Flag: return "flag";
    case OptionKind::Layers: return "layers";
    case OptionKind::Pairs: return "pairs";
  }
  return "text";
}

std::string OptionDef::flag() const {
  std::string f = "--" + std::string(name);
  std::replace(f.begin(), f.end(), '_', '-');
  return f;
}

std::string OptionDef::range_text() const {
  switch (kind) {
    case OptionKind::Count:
      return ">= " + format_real_exact(lo);
    case OptionKind::Real:
      if (hi == kInf) return std::string(lo_open ? "> " : ">= ") + format_real_exact(lo);
      return std::string(lo_open ? "(" : "[") + format_real_exact(lo) + ", " + format_real_exact(hi) + (hi_open ? ")" : "]");
    case OptionKind::Choice: {
      const std::vector<std::string_view> values = choice_list();
      std::string out;
      for (std::size_t i = 0; i < values.size(); ++i)
        out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + std::string(values[i]);
      return out;
    }
    case OptionKind::Duration:
      return "> 0";
    default:
      return "";
  }
}

std::vector<std::string_view> OptionDef::choice_list() const {
  std::vector<std::string_view> out;
  std::string_view rest = choices;
  while (!rest.empty()) {
    const auto bar = rest.find('|');
    out.push_back(rest.substr(0, bar));
    rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
  }
  return out;
}

std::string OptionDef::help_line() const {
  std::string out(help);
  if (kind == OptionKind::Choice) out += ": " + range_text();
  else if ((kind == OptionKind::Real || kind == OptionKind::Count) && !(kind == OptionKind::Count && lo == 0))
    out += ", " + range_phrase(*this);
  if (!default_text.empty() && kind != OptionKind::Flag) out += " [" + std::string(default_text) + "]";
  return out;
}

const std::vector<OptionDef>& option_table() {
  static const std::vector<OptionDef> defs = [] {
    std::vector<OptionDef> out;
    for (const auto& e : entries()) out.push_back(e.def);
    return out;
  }();
  return defs;
}

std::vector<const OptionDef*> options_in(unsigned scope) {
  std::vector<const OptionDef*> out;
  for (const auto& d : option_table())
    if (d.scope & scope) out.push_back(&d);
  return out;
}

const OptionDef* find_option(std::string_view name) {
  std::string key(name);
  std::replace(key.begin(), key.end(), '-', '_');
  for (const auto& d : option_table())
    if (d.name == key) return &d;
  return nullptr;
}

std::string closest_name(std::string_view key, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, key.size() / 3) + 1;
  for (const std::string& s : candidates) {
    std::vector<std::size_t> row(s.size() + 1);
    for (std::size_t j = 0; j <= s.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= key.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= s.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (key[i - 1] == s[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    if (row[s.size()] < best_distance) best_distance = row[s.size()], best = s;
  }
  return best;
}

std::string closest_option(std::string_view name, unsigned scope) {
  std::string key(name);
  std::replace(key.begin(), key.end(), '-', '_');
  std::vector<std::string> names;
  for (const auto* d : options_in(scope)) names.emplace_back(d->name);
  return closest_name(key, names);
}

std::string OptionError::cli_message() const {
  const OptionDef* d = find_option(option_);
  return (d ? d->flag() : option_) + " " + problem_;
}

void set_option(AnalysisOptions& o, const OptionDef& def, std::string_view text) {
  const Entry& e = entry_of(def);
  const OptionDef& d = e.def;
  switch (d.kind) {
    case OptionKind::Count: {
      const std::uint64_t v = parse_count(e, text);
      if (auto r = std::get_if<Ref<std::uint32_t>>(&e.access)) (*r)(o) = static_cast<std::uint32_t>(v);
      else if (auto r64 = std::get_if<Ref<std::uint64_t>>(&e.access)) (*r64)(o) = v;
      else std::get<Custom>(e.access).set(o, text);
      return;
    }
    case OptionKind::Real:
      std::get<Ref<double>>(e.access)(o) = parse_real(d, text);
      return;
    case OptionKind::Switch:
    case OptionKind::Flag: {
      const bool on = parse_switch(d, text);
      if (auto r = std::get_if<Ref<bool>>(&e.access)) (*r)(o) = on;
      else std::get<Custom>(e.access).set(o, on ? "on" : "off");
      return;
    }
    case OptionKind::Duration:
      if (auto r = std::get_if<Ref<std::int64_t>>(&e.access)) {
        (*r)(o) = parse_positive_duration(d, text);
        return;
      }
      break;
    case OptionKind::Choice:
    case OptionKind::Pairs:
      break;
    case OptionKind::Text:
    case OptionKind::Layers:
      if (auto r = std::get_if<Ref<std::string>>(&e.access)) {
        (*r)(o) = std::string(text);
        return;
      }
      break;
  }
  try {
    std::get<Custom>(e.access).set(o, text);
  } catch (const OptionError&) {
    throw;
  } catch (const UsageError& err) {
    // The parsers (parse_layers, parse_edge_filter, parse_duration_ms, ...) also take aliases; name the option.
    if (d.kind == OptionKind::Choice)
      throw OptionError(std::string(d.name), "must be " + d.range_text() + ", got '" + std::string(text) + "'");
    throw OptionError(std::string(d.name), std::string("is not valid: ") + err.what());
  }
}

void set_option(AnalysisOptions& o, std::string_view name, std::string_view text) {
  const OptionDef* d = find_option(name);
  if (!d) throw UsageError("unknown option '" + std::string(name) + "'");
  set_option(o, *d, text);
}

std::string get_option(const AnalysisOptions& o, const OptionDef& def) {
  const Entry& e = entry_of(def);
  auto& m = const_cast<AnalysisOptions&>(o);  // the Ref functions only read here
  return std::visit(
      [&](auto&& access) -> std::string {
        using A = std::decay_t<decltype(access)>;
        if constexpr (std::is_same_v<A, Custom>) return access.get(o);
        else if constexpr (std::is_same_v<A, Ref<std::string>>) return access(m);
        else if constexpr (std::is_same_v<A, Ref<double>>) return format_real_exact(access(m));
        else if constexpr (std::is_same_v<A, Ref<bool>>) return access(m) ? "on" : "off";
        else if constexpr (std::is_same_v<A, Ref<std::int64_t>>) return format_duration(access(m));
        else return std::to_string(access(m));
      },
      e.access);
}

void check_options(const AnalysisOptions& o, unsigned scope) {
  for (const auto& e : entries()) {
    const OptionDef& d = e.def;
    if (!(d.scope & scope)) continue;
    if (d.kind == OptionKind::Real) {
      const double v = std::get<Ref<double>>(e.access)(const_cast<AnalysisOptions&>(o));
      if (!in_range(d, v)) throw OptionError(std::string(d.name), "must be " + range_phrase(d) + ", got " + format_real_exact(v));
    } else if (d.kind == OptionKind::Count) {
      const std::string text = get_option(o, d);
      if (static_cast<double>(std::stoull(text)) < d.lo)
        throw OptionError(std::string(d.name), "must be at least " + format_real_exact(d.lo) + ", got " + text);
    } else if (d.kind == OptionKind::Duration) {
      if (auto r = std::get_if<Ref<std::int64_t>>(&e.access); r && (*r)(const_cast<AnalysisOptions&>(o)) <= 0)
        throw OptionError(std::string(d.name), "must be positive");
    }
  }
  if (scope & kCoordinationScope) {
    const CoactionOptions& c = o.coordination.coaction;
    if (c.layers.empty() && !c.auto_layers) throw OptionError("layers", "needs at least one layer");
    if (!c.auto_window && c.window_ms <= 0) throw OptionError("window", "must be positive");
  }
  if ((scope & kMappingScope) && !o.ingest.mapping.action_value.empty() && o.ingest.mapping.action != "action")
    throw UsageError("give action or action_value, not both");
  const ColumnMapping& m = o.ingest.mapping;
  if ((scope & kMappingScope) && !m.targets.empty() &&
      (m.target != "target" || m.action != "action" || !m.action_value.empty()))
    throw UsageError("give targets or target, action and action_value, not both: targets names each column's action");
}

std::string store_options(const AnalysisOptions& o, unsigned scope, const CoactionNetwork& network,
                          std::string_view json_object) {
  nlohmann::json params = json_object.empty() ? nlohmann::json::object() : nlohmann::json::parse(json_object);
  const CoactionOptions& c = o.coordination.coaction;
  for (const auto& e : entries()) {
    const OptionDef& d = e.def;
    if (!(d.scope & scope) || d.stored.empty()) continue;
    const std::string key(d.stored);
    const std::string text = get_option(o, d);
    if (d.name == "layers") {
      // The layers used: those the projection chose when auto (every layer the data has events for).
      params[key] = nlohmann::json::array();
      if (c.auto_layers)
        for (const auto& l : network.layers) params[key].push_back(std::string(layer_name(l.layer)));
      else
        for (auto l : c.layers) params[key].push_back(std::string(layer_name(l)));
      params["layers_chosen"] = c.auto_layers ? "auto: every co-action layer with events" : "given";
    } else if (d.name == "window") {
      params["window_ms"] = network.window_ms;
      params[key] = text;
      if (c.auto_window) params["window_method"] = network.window_estimate.method;
    } else if (d.name == "burst_scale") {
      // What the null model used: at least 4 windows.
      params[key] = std::max<std::int64_t>(c.burst_scale_ms, 4 * network.window_ms);
    } else {
      switch (d.kind) {
        case OptionKind::Count: params[key] = std::stoull(text); break;
        case OptionKind::Real: params[key] = std::stod(text); break;
        case OptionKind::Switch:
        case OptionKind::Flag: params[key] = text == "on"; break;
        case OptionKind::Duration: params[key] = parse_duration_ms(text); break;
        default: params[key] = text; break;
      }
    }
  }
  return params.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // a name in invalid UTF-8: U+FFFD
}

void restore_options(AnalysisOptions& o, std::string_view parameters_json, const CoactionNetwork& network) {
  const auto p = nlohmann::json::parse(parameters_json, nullptr, false);
  if (p.is_discarded() || !p.is_object()) return;
  CoactionOptions& c = o.coordination.coaction;
  c.layers.clear();
  c.auto_layers = false;
  for (const auto& l : network.layers) c.layers.push_back(l.layer);
  c.window_ms = network.window_ms;
  for (const auto& e : entries()) {
    const OptionDef& d = e.def;
    if (d.stored.empty() || d.name == "layers") continue;
    const auto it = p.find(std::string(d.stored));
    if (it == p.end()) continue;
    try {
      if (d.name == "window") {
        if (!it->is_string()) continue;
        o.window_text = it->get<std::string>();
        c.auto_window = o.window_text == "auto";
        c.window_ms = network.window_ms;
      } else if (it->is_boolean()) {
        set_option(o, d, it->get<bool>() ? "on" : "off");
      } else if (it->is_string()) {
        set_option(o, d, it->get<std::string>());
      } else if (it->is_number() && d.kind == OptionKind::Duration) {
        set_option(o, d, std::to_string(it->get<std::int64_t>()) + "ms");
      } else if (it->is_number_unsigned() || it->is_number_integer()) {
        set_option(o, d, std::to_string(it->get<std::uint64_t>()));
      } else if (it->is_number()) {
        set_option(o, d, format_real_exact(it->get<double>()));
      }
    } catch (const UsageError&) {
      // A value this version does not accept keeps the default: the stored text itself is still shown as stored.
    }
  }
}

}  // namespace cibgraph
