#include "cibgraph/report_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "cibgraph/error.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/format.hpp"
#include "cibgraph/option_spelling.hpp"
#include "cibgraph/time.hpp"
#include "cibgraph/version.hpp"

namespace cibgraph {
namespace {

using Json = nlohmann::ordered_json;

// Reals rounded to 6 significant digits: the report reads them, and float weights printed in full (0.30000001192...)
// only add bytes. Deterministic: the same double gives the same text.
double r6(double x) {
  if (!std::isfinite(x)) return x;
  return std::strtod(format_real(x).c_str(), nullptr);
}

Json real(double x) {
  if (!std::isfinite(x)) return Json(nullptr);
  return Json(r6(x));
}

// A cluster's figures in full precision: the page's cards format these doubles with the rules its why text was
// written with (format.hpp, report/src/format.js), so both show the same characters (a 6-digit rounding first could
// tip the 3-digit display the other way).
Json exact(double x) {
  if (!std::isfinite(x)) return Json(nullptr);
  return Json(x);
}

// A count held in a double (a sum of whole numbers): written as the whole number it is.
Json whole(double x) {
  if (!std::isfinite(x)) return Json(nullptr);
  return Json(static_cast<std::uint64_t>(std::llround(x)));
}

std::string iso(std::int64_t ms) { return format_iso8601(ms); }

// The kept edges of each account (layer index, edge index), CSR over accounts.
struct KeptEdges {
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint32_t> layer;
  std::vector<std::uint64_t> edge;
};

KeptEdges kept_edges_by_account(const CoactionNetwork& net, std::size_t n) {
  KeptEdges k;
  k.offsets.assign(n + 1, 0);
  for (const auto& l : net.layers)
    for (std::size_t i = 0; i < l.size(); ++i)
      if (l.kept[i]) {
        ++k.offsets[l.a[i] + 1];
        ++k.offsets[l.b[i] + 1];
      }
  for (std::size_t v = 0; v < n; ++v) k.offsets[v + 1] += k.offsets[v];
  k.layer.resize(k.offsets[n]);
  k.edge.resize(k.offsets[n]);
  std::vector<std::uint64_t> next(k.offsets.begin(), k.offsets.end() - 1);
  for (std::uint32_t li = 0; li < net.layers.size(); ++li) {
    const auto& l = net.layers[li];
    for (std::size_t i = 0; i < l.size(); ++i)
      if (l.kept[i])
        for (const std::uint32_t v : {l.a[i], l.b[i]}) {
          k.layer[next[v]] = li;
          k.edge[next[v]++] = i;
        }
  }
  return k;
}

// Event rows of each account, CSR over accounts, rows in table order.
struct EventsByAccount {
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint64_t> rows;
};

EventsByAccount events_by_account(const EventTable& ev) {
  EventsByAccount e;
  const std::size_t n = ev.accounts.size();
  e.offsets.assign(n + 1, 0);
  for (auto a : ev.account) ++e.offsets[a + 1];
  for (std::size_t v = 0; v < n; ++v) e.offsets[v + 1] += e.offsets[v];
  e.rows.resize(ev.size());
  std::vector<std::uint64_t> next(e.offsets.begin(), e.offsets.end() - 1);
  for (std::uint64_t i = 0; i < ev.size(); ++i) e.rows[next[ev.account[i]]++] = i;
  return e;
}

// A readable bin width (s) of at least `seconds`.
std::int64_t nice_bin_seconds(double seconds) {
  static constexpr std::int64_t kSteps[] = {1,    2,    5,     10,    15,    30,    60,     120,    300,   600,
                                            900,  1800, 3600,  7200,  10800, 21600, 43200, 86400, 172800, 604800};
  for (const auto s : kSteps)
    if (static_cast<double>(s) >= seconds) return s;
  return static_cast<std::int64_t>(std::ceil(seconds / 86400.0)) * 86400;
}

// A duration in milliseconds as format_duration spells it ("12.5 s", "2 min 5 s"), the page's cards' spelling.
std::string duration_text(std::int64_t ms) { return format_duration(static_cast<double>(ms) / 1000); }

// What flagged the cluster, in words: which of the two nulls its co-actions beat.
std::string evidence_text(const Cluster& c) {
  const bool sync = c.evidence & Cluster::kSynchrony, cot = c.evidence & Cluster::kCoTargeting;
  if (sync && cot)
    return "Flagged on both kinds of evidence: synchronised beyond the members' own habits, and co-targeting beyond "
           "the targets' popularity (the same targets again and again, far more than accounts this active would "
           "meet on targets this popular by chance).";
  if (sync)
    return "Flagged as synchronised beyond habits: given the targets each member chose, they acted within the window "
           "of each other far more often than their own reaction delays explain.";
  if (cot)
    return "Flagged as co-targeting beyond popularity: they acted on the same targets within the window again and "
           "again, far more than accounts this active would meet on targets this popular by chance; their timing "
           "alone is what their own habits explain (a squad that acts on every post of a page, or a fan base that "
           "follows one source: the targets and the delays say which).";
  return "Not flagged by either test.";
}

// Counts, ratios and p-values as format.hpp spells them, the same characters as the report page's cards.
std::string why_text(const AnalysisCluster& ac, std::int64_t window_ms) {
  const Cluster& c = ac.cluster;
  const double n = static_cast<double>(c.members.size());
  const auto pairs = static_cast<std::uint64_t>(n * (n - 1) / 2);
  std::string s = evidence_text(c) + " " + format_counted(std::uint64_t{c.members.size()}, "account") +
                  " acted together on " + (c.targets_at_least ? "at least " : "") + format_counted(c.targets, "target") +
                  ". Counted over every pair of members and every target, they co-acted (both acted on the same "
                  "target within " + duration_text(window_ms) + " of each other) " + format_counted(c.observed, "time") +
                  ", where the habits null (each account's own reaction delays and each target's own organic crowd, "
                  "with independent timing) expects " + format_ratio(c.expected);
  if (c.expected > 0) s += ", " + format_ratio(c.observed / c.expected) + " times as many (" + p_phrase(c.sync_p) + ")";
  s += ", and the popularity null (accounts choosing targets by their activity and the targets' popularity) expects " +
       format_ratio(c.cotarget_expected) + " (" + p_phrase(c.cotarget_p) + ")";
  s += ". Both tests together: " + p_phrase(c.p_value) + " (twice the smaller; the test level is " +
       format_p(c.alpha) + "). " +
       (c.layers.size() > 1
            ? format_counted(c.kept_edges, "significant tie") + " in " + format_count(std::uint64_t{c.layers.size()}) +
                  " layers join " + format_count(c.tied_pairs) + " of its " + format_count(pairs) +
                  " pairs of members (density " + format_ratio(c.density) + ")"
            : format_count(c.kept_edges) + " of the " + format_count(pairs) +
                  " possible pairs are significant ties (density " + format_ratio(c.density) + ")") +
       ", with a median delay of " + duration_text(c.median_delay_ms) + " between tied accounts.";
  if (!c.recovered.empty())
    s += " " + format_count(std::uint64_t{c.recovered.size()}) + " of the members joined by their co-actions with the "
         "group as a whole (second stage).";
  if (ac.split)
    s += " It is one of the Leiden communities (modularity " + format_ratio(ac.split_modularity) +
         ") of a larger detected cluster (" + std::to_string(ac.detected_id) + "), each of which passes the test on "
         "its own.";
  return s;
}

}  // namespace

std::vector<std::string> empty_result_suggestions(const AnalysisResult& r, const AnalysisOptions& o,
                                                  OptionSpelling spelling) {
  const auto opt = [&](std::string_view option, std::string_view value = {}) {
    return spell_option(spelling, option, value);
  };
  std::vector<std::string> out;
  if (!r.clusters.empty()) return out;
  const EventTable& ev = r.ingest.events;
  const CoactionNetwork& net = r.coordination.network;
  const CoactionOptions& co = o.coordination.coaction;
  if (ev.size() == 0) {
    out.push_back("No event was accepted: compare the column mapping (" + opt("account") + ", " + opt("target") +
                  ", " + opt("time") + ", " + opt("action") + ") with the rejected rows and their reasons in "
                  "rejects.csv.");
    return out;
  }
  std::string missing;
  for (const Layer layer : layers_with_events(ev, co)) {
    const bool ran = std::any_of(net.layers.begin(), net.layers.end(), [&](const LayerEdges& l) { return l.layer == layer; });
    if (!ran) missing += (missing.empty() ? "" : ", ") + std::string(layer_name(layer));
  }
  if (!missing.empty())
    out.push_back("The data also has events for " + missing + ", which this run did not compare: " +
                  opt("layers", "auto") + " compares every layer the data has events for.");
  std::uint64_t selected = 0, pairs = 0, kept = 0;
  for (const auto& l : net.layers) {
    selected += l.events;
    pairs += l.co_acting_pairs();
    kept += static_cast<std::uint64_t>(std::count(l.kept.begin(), l.kept.end(), 1));
  }
  const std::string window = duration_text(net.window_ms);
  std::string wider;
  if (net.window_ms < 3'600'000) {
    const std::int64_t ms = std::min<std::int64_t>(std::max<std::int64_t>(4 * net.window_ms, 60'000), 3'600'000);
    wider = "a wider window (" + opt("window", ms % 60'000 == 0 ? std::to_string(ms / 60'000) + "m"
                                               : ms % 1000 == 0   ? std::to_string(ms / 1000) + "s"
                                                                  : std::to_string(ms) + "ms");
    if (!co.auto_window) {
      const WindowEstimate estimate = estimate_window(ev, co);
      if (estimate.keys_used > 0 && estimate.window_ms > net.window_ms)  // only when it is wider
        wider += ", or " + opt("window", "auto") + ": " + duration_text(estimate.window_ms) + " on this data";
    }
    wider += ")";
  }
  const std::string layers_compared = format_counted(std::uint64_t{net.layers.size()}, "layer");
  if (selected == 0) {
    // Nothing was compared: no window or filter would change that. The warnings (layer_notices.hpp) say what each
    // layer reads, what the data has and the option that fixes it.
    std::string names;
    for (const auto& l : net.layers) names += (names.empty() ? "" : ", ") + std::string(layer_name(l.layer));
    out.push_back("The " + layers_compared + " compared (" + names + ") read no event, so nothing was compared and "
                  "no window would change that: the warnings say what each layer reads, what the data has and what "
                  "fixes it.");
  } else if (pairs == 0) {
    out.push_back("No two accounts acted on the same target within " + window + " of each other (" +
                  format_counted(selected, "event") + " in the " + layers_compared + " compared)" +
                  (wider.empty() ? std::string(".") : ": " + wider + " compares actions further apart."));
  } else if (kept == 0) {
    out.push_back(format_counted(pairs, "pair") + " of accounts co-acted within " + window + ", and none of them "
                  "passed the filter (" + std::string(to_string(o.coordination.significance.filter)) +
                  "): their co-actions are too few to tell from chance for accounts this active." +
                  (wider.empty() ? std::string() : " Coordination slower than the window shows with " + wider + "."));
  } else {
    out.push_back(format_counted(kept, "link") + " passed the filter, but no group of " +
                  format_count(std::uint64_t{o.coordination.significance.min_cluster_size}) + " or more accounts passed the "
                  "cluster test: the linked accounts are in the accounts table (accounts.csv) and their links in "
                  "edges.csv." + (wider.empty() ? std::string() : " A group acting more slowly shows with " + wider + "."));
  }
  return out;
}

namespace {

// The run block: what differs between two runs of the same analysis.
Json run_block(const ReportRunInfo& run, std::uint64_t seed) {
  Json j;
  j["command"] = run.command;
  j["started"] = run.started;
  j["seconds"] = real(run.seconds);
  j["threads"] = run.threads;
  j["seed"] = seed;
  j["stages"] = Json::array();
  for (const auto& s : run.stages) j["stages"].push_back(Json{{"name", s.name}, {"seconds", real(s.seconds)}});
  return j;
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

class ReportBuilder {
 public:
  ReportBuilder(const AnalysisResult& r, const AnalysisOptions& o)
      : r_(r), o_(o), ev_(r.ingest.events), net_(r.coordination.network), n_(ev_.accounts.size()),
        kept_(kept_edges_by_account(net_, n_)), by_account_(events_by_account(ev_)),
        in_evidence_csv_(strongest_kept_edges(ev_, net_, o_.evidence_csv_edges)) {
    sorted_times_ = ev_.time;
    std::sort(sorted_times_.begin(), sorted_times_.end());
  }

  Json build(const ReportRunInfo* run) {
    Json j;
    j["schema"] = "cibgraph-report/1";
    j["version"] = std::string(kVersion);
    if (run != nullptr) j["run"] = run_block(*run, o_.seed);
    j["inputs"] = inputs_json();
    j["rows"] = rows_json();
    j["parameters"] = Json::parse(analysis_parameters_json(o_, r_));
    j["window"] = window_json();
    j["summary"] = summary_json();
    in_view_.assign(n_, 0);
    j["clusters"] = clusters_json();
    j["cluster_sizes"] = cluster_sizes_json();
    j["accounts"] = accounts_json();
    j["evidence"] = evidence_json();
    j["overview"] = overview_json();
    return j;
  }

 private:
  Json inputs_json() const {
    Json a = Json::array();
    for (const auto& in : r_.ingest.provenance.inputs)
      a.push_back(Json{{"path", in.path},
                       {"sha256", in.sha256},
                       {"bytes", in.size_bytes},
                       {"format", in.format},
                       {"rows_read", in.rows_read},
                       {"rows_accepted", in.rows_accepted},
                       {"rows_rejected", in.rows_rejected}});
    return a;
  }

  Json rows_json() const {
    const Provenance& p = r_.ingest.provenance;
    std::vector<std::pair<std::string, std::uint64_t>> reasons(r_.ingest.reject_reasons.begin(),
                                                               r_.ingest.reject_reasons.end());
    std::stable_sort(reasons.begin(), reasons.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
    Json top = Json::array();
    for (std::size_t i = 0; i < reasons.size() && i < 10; ++i)
      top.push_back(Json{{"reason", reasons[i].first}, {"count", reasons[i].second}});
    return Json{{"read", p.rows_read},
                {"accepted", p.rows_accepted},
                {"rejected", p.rows_rejected},
                {"without_target", p.rows_without_target},
                {"top_reject_reasons", top}};
  }

  Json window_json() const {
    Json j;
    j["seconds"] = real(static_cast<double>(net_.window_ms) / 1000.0);
    j["auto"] = o_.coordination.coaction.auto_window;
    if (o_.coordination.coaction.auto_window)
      j["estimate"] = Json{{"seconds", real(static_cast<double>(net_.window_estimate.window_ms) / 1000.0)},
                           {"method", net_.window_estimate.method},
                           {"keys_used", net_.window_estimate.keys_used}};
    else
      j["estimate"] = nullptr;
    return j;
  }

  Json layer_names() const {
    Json a = Json::array();
    for (const auto& l : net_.layers) a.push_back(std::string(layer_name(l.layer)));
    return a;
  }

  // Why the kept edges are kept: {"fdr": 1200, "cluster": 14} (KeptBy order; reasons with no edge left out).
  Json kept_by_json() const {
    std::uint64_t counts[static_cast<int>(KeptBy::Unrecorded) + 1] = {};
    for (const auto& l : net_.layers)
      for (std::size_t i = 0; i < l.size(); ++i) ++counts[static_cast<int>(kept_reason(l, i))];
    Json j = Json::object();
    for (int k = 1; k <= static_cast<int>(KeptBy::Unrecorded); ++k)
      if (counts[k] > 0) j[std::string(kept_by_name(static_cast<KeptBy>(k)))] = counts[k];
    return j;
  }

  // What evidence.csv holds (write_evidence_csv with the same options): which edges, how many rows.
  Json evidence_csv_json() const {
    std::uint64_t kept = 0, edges = 0, rows = 0;
    for (std::size_t li = 0; li < net_.layers.size(); ++li) {
      const auto& l = net_.layers[li];
      for (std::size_t i = 0; i < l.size(); ++i) {
        kept += l.kept[i] ? 1 : 0;
        if (!in_evidence_csv_[li][i]) continue;
        ++edges;
        rows += std::min<std::uint64_t>(l.evidence_offsets[i + 1] - l.evidence_offsets[i], o_.evidence_csv_rows);
      }
    }
    return Json{{"edges", edges},
                {"edges_kept", kept},
                {"rows", rows},
                {"edges_per_account", o_.evidence_csv_edges},
                {"rows_per_edge", o_.evidence_csv_rows}};
  }

  Json summary_json() const {
    std::uint64_t pairs = 0, kept = 0, flagged = 0, detected = 0;
    for (const auto& l : net_.layers) {
      pairs += l.size();
      kept += static_cast<std::uint64_t>(std::count(l.kept.begin(), l.kept.end(), 1));
    }
    for (const auto& c : r_.clusters) flagged += c.cluster.members.size();
    for (const auto& c : r_.coordination.clusters) detected += c.coordinated ? 1 : 0;
    std::uint64_t in_network = 0;
    for (const auto& a : r_.accounts) in_network += a.kept_edges > 0;
    return Json{{"events", ev_.size()},
                {"accounts", n_},
                {"edges_tested", pairs},
                {"edges_kept", kept},
                {"edges_kept_by", kept_by_json()},
                {"evidence_csv", evidence_csv_json()},
                {"clusters", r_.clusters.size()},
                {"accounts_flagged", flagged},
                {"accounts_in_network", in_network},
                {"detected_clusters", detected},
                {"layers", layer_names()},
                {"suggestions", empty_result_suggestions(r_, o_)},
                {"warnings", layer_notice_lines(r_.coordination.layer_notices, OptionSpelling::Cli)},
                {"betweenness",
                 Json{{"exact", r_.betweenness.exact},
                      {"sources", r_.betweenness.sources},
                      {"accounts", r_.betweenness.vertices},
                      {"error_bound", real(r_.betweenness.error_bound)},
                      {"confidence", 0.95}}}};
  }

  // Per flagged cluster: its internal kept edges' delays (observed, in co-acted targets) and the null's (uniform
  // within the window), binned at 0, 1, 2, 4, ... s up to the window.
  void delay_histograms(std::vector<std::vector<double>>& observed, std::vector<std::vector<double>>& expected,
                        std::vector<double>& edges_s) const {
    const double window_s = static_cast<double>(net_.window_ms) / 1000.0;
    edges_s = {0.0};
    for (double e = 1.0; e < window_s; e *= 2) edges_s.push_back(e);
    edges_s.push_back(window_s);
    const std::size_t bins = edges_s.size() - 1;
    observed.assign(r_.clusters.size(), std::vector<double>(bins, 0.0));
    expected.assign(r_.clusters.size(), std::vector<double>(bins, 0.0));
    std::vector<std::uint32_t> cluster_of(n_, 0);
    for (std::size_t c = 0; c < r_.clusters.size(); ++c)
      for (auto m : r_.clusters[c].cluster.members) cluster_of[m] = static_cast<std::uint32_t>(c + 1);
    for (const auto& l : net_.layers)
      for (std::size_t i = 0; i < l.size(); ++i) {
        const auto c = cluster_of[l.a[i]];
        if (!l.kept[i] || c == 0 || c != cluster_of[l.b[i]]) continue;
        auto& obs = observed[c - 1];
        auto& exp = expected[c - 1];
        const auto first = l.evidence_offsets[i], last = l.evidence_offsets[i + 1];
        if (last > first) {
          const double share = static_cast<double>(l.distinct_targets[i]) / static_cast<double>(last - first);
          for (auto k = first; k < last; ++k) {
            const double d = std::abs(static_cast<double>(l.evidence_time_b[k] - l.evidence_time_a[k])) / 1000.0;
            const auto it = std::upper_bound(edges_s.begin() + 1, edges_s.end() - 1, d);
            obs[static_cast<std::size_t>(it - (edges_s.begin() + 1))] += share;
          }
        }
        for (std::size_t b = 0; b < bins; ++b)
          exp[b] += window_s > 0 ? l.expected[i] * (edges_s[b + 1] - edges_s[b]) / window_s : 0.0;
      }
  }

  Json timeline_json(const Cluster& c) const {
    std::int64_t t0 = std::numeric_limits<std::int64_t>::max(), t1 = std::numeric_limits<std::int64_t>::min();
    for (auto m : c.members)
      if (r_.accounts[m].n_events) {
        t0 = std::min(t0, r_.accounts[m].first_seen);
        t1 = std::max(t1, r_.accounts[m].last_seen);
      }
    if (t0 > t1) return Json{{"start", nullptr}, {"bin_s", 0}, {"cluster", Json::array()}, {"background", Json::array()}};
    const double span_s = static_cast<double>(t1 - t0) / 1000.0;
    const std::int64_t bin_ms = 1000 * nice_bin_seconds(span_s / static_cast<double>(o_.timeline_bins));
    auto floor_div = [](std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
    const std::int64_t start = floor_div(t0, bin_ms) * bin_ms;
    const auto bins = static_cast<std::size_t>((t1 - start) / bin_ms + 1);
    std::vector<std::uint64_t> cluster(bins, 0), background(bins, 0);
    for (auto m : c.members)
      for (auto k = by_account_.offsets[m]; k < by_account_.offsets[m + 1]; ++k)
        ++cluster[static_cast<std::size_t>((ev_.time[by_account_.rows[k]] - start) / bin_ms)];
    for (std::size_t b = 0; b < bins; ++b) {
      const std::int64_t lo = start + static_cast<std::int64_t>(b) * bin_ms, hi = lo + bin_ms;
      const auto total = static_cast<std::uint64_t>(
          std::lower_bound(sorted_times_.begin(), sorted_times_.end(), hi) -
          std::lower_bound(sorted_times_.begin(), sorted_times_.end(), lo));
      background[b] = total - cluster[b];
    }
    return Json{{"start", iso(start)}, {"bin_s", bin_ms / 1000}, {"cluster", cluster}, {"background", background}};
  }

  Json top_targets_json(const Cluster& c) const {
    std::unordered_map<std::uint32_t, std::uint64_t> counts;
    for (auto m : c.members)
      for (auto k = by_account_.offsets[m]; k < by_account_.offsets[m + 1]; ++k)
        ++counts[ev_.target[by_account_.rows[k]]];
    std::vector<std::pair<std::uint32_t, std::uint64_t>> top(counts.begin(), counts.end());
    std::sort(top.begin(), top.end(), [&](const auto& x, const auto& y) {
      if (x.second != y.second) return x.second > y.second;
      return ev_.targets[x.first] < ev_.targets[y.first];
    });
    Json a = Json::array();
    for (std::size_t i = 0; i < top.size() && i < o_.top_targets; ++i)
      a.push_back(Json{{"target", std::string(ev_.targets[top[i].first])}, {"actions", top[i].second}});
    return a;
  }

  // The view of a cluster: up to view_max_nodes members (highest score first when cut), each with its strongest
  // view_edges_per_node ties to other drawn members.
  Json view_json(const Cluster& c) {
    std::vector<std::uint32_t> nodes = c.members;
    const bool truncated = nodes.size() > o_.view_max_nodes;
    if (truncated) {
      std::sort(nodes.begin(), nodes.end(), [&](std::uint32_t x, std::uint32_t y) {
        const auto &a = r_.accounts[x], &b = r_.accounts[y];
        if (a.score != b.score) return a.score > b.score;
        if (a.degree != b.degree) return a.degree > b.degree;
        return ev_.accounts[x] < ev_.accounts[y];
      });
      nodes.resize(o_.view_max_nodes);
      std::sort(nodes.begin(), nodes.end());
    }
    std::unordered_map<std::uint32_t, std::uint32_t> index;
    for (std::uint32_t i = 0; i < nodes.size(); ++i) {
      index[nodes[i]] = i;
      in_view_[nodes[i]] = 1;
    }
    // Strongest ties per node (fused weight, then the other's index), union of the pairs.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    std::uint64_t all_pairs = 0;
    std::vector<std::pair<float, std::uint32_t>> ties;
    for (std::uint32_t i = 0; i < nodes.size(); ++i) {
      ties.clear();
      const auto nb = r_.fused.neighbors(nodes[i]);
      const auto w = r_.fused.neighbor_weights(nodes[i]);
      for (std::size_t k = 0; k < nb.size(); ++k) {
        const auto it = index.find(nb[k]);
        if (it == index.end() || it->second == i) continue;
        ties.emplace_back(w[k], it->second);
        if (it->second > i) ++all_pairs;
      }
      std::sort(ties.begin(), ties.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      for (std::size_t k = 0; k < ties.size() && k < o_.view_edges_per_node; ++k)
        pairs.emplace_back(std::min(i, ties[k].second), std::max(i, ties[k].second));
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    // Weight and co-actions (over layers) of each drawn pair.
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<double, std::uint64_t>> drawn;
    for (const auto& p : pairs) drawn[p] = {0.0, 0};
    for (std::uint32_t i = 0; i < nodes.size(); ++i) {
      const auto nb = r_.fused.neighbors(nodes[i]);
      const auto w = r_.fused.neighbor_weights(nodes[i]);
      for (std::size_t k = 0; k < nb.size(); ++k) {
        const auto it = index.find(nb[k]);
        if (it == index.end() || it->second <= i) continue;
        const auto d = drawn.find({i, it->second});
        if (d != drawn.end()) d->second.first = w[k];
      }
      for (auto k = kept_.offsets[nodes[i]]; k < kept_.offsets[nodes[i] + 1]; ++k) {
        const auto& l = net_.layers[kept_.layer[k]];
        const auto e = kept_.edge[k];
        const std::uint32_t other = l.a[e] == nodes[i] ? l.b[e] : l.a[e];
        const auto it = index.find(other);
        if (it == index.end() || it->second <= i) continue;
        const auto d = drawn.find({i, it->second});
        if (d != drawn.end()) d->second.second += l.co_actions[e];
      }
    }
    Json names = Json::array();
    for (auto v : nodes) names.push_back(std::string(ev_.accounts[v]));
    Json edges = Json::array();
    for (const auto& [p, wc] : drawn) edges.push_back(Json::array({p.first, p.second, real(wc.first), wc.second}));
    return Json{{"nodes", names},
                {"edges", edges},
                {"truncated", truncated || drawn.size() < all_pairs},
                {"nodes_total", c.members.size()},
                {"edges_total", all_pairs}};
  }

  Json clusters_json() {
    std::vector<std::vector<double>> observed, expected;
    std::vector<double> edges_s;
    delay_histograms(observed, expected, edges_s);
    Json a = Json::array();
    for (std::size_t ci = 0; ci < r_.clusters.size(); ++ci) {
      const AnalysisCluster& ac = r_.clusters[ci];
      const Cluster& c = ac.cluster;
      Json layers = Json::array();
      for (auto l : c.layers) layers.push_back(std::string(layer_name(l)));
      Json members = Json::array();
      for (auto m : c.members) members.push_back(std::string(ev_.accounts[m]));
      Json recovered = Json::array();
      for (auto m : c.recovered) recovered.push_back(std::string(ev_.accounts[m]));
      Json obs = Json::array(), exp = Json::array(), edges = Json::array();
      for (double e : edges_s) edges.push_back(real(e));
      for (double x : observed[ci]) obs.push_back(real(x));
      for (double x : expected[ci]) exp.push_back(real(x));
      Json j;
      j["id"] = c.id;
      j["rank"] = c.id;
      j["size"] = c.members.size();
      j["density"] = exact(c.density);
      j["layers"] = layers;
      j["median_delay_s"] = real(static_cast<double>(c.median_delay_ms) / 1000.0);
      j["targets"] = c.targets;
      j["targets_at_least"] = c.targets_at_least;
      j["observed"] = whole(c.observed);
      j["expected"] = exact(c.expected);
      j["p_value"] = exact(c.p_value);
      j["alpha"] = exact(c.alpha);
      j["evidence"] = cluster_evidence_name(c.evidence);
      j["sync_p"] = exact(c.sync_p);
      j["cotarget_p"] = exact(c.cotarget_p);
      j["cotarget_expected"] = exact(c.cotarget_expected);
      j["score"] = exact(ac.score);
      j["kept_edges"] = c.kept_edges;
      j["detected_cluster"] = ac.detected_id;
      j["split"] = ac.split;
      j["why"] = why_text(ac, net_.window_ms);
      j["members"] = members;
      j["second_stage_members"] = recovered;
      j["view"] = view_json(c);
      j["top_targets"] = top_targets_json(c);
      j["timeline"] = timeline_json(c);
      j["delays"] = Json{{"bin_edges_s", edges}, {"observed", obs}, {"expected", exp}};
      a.push_back(std::move(j));
    }
    return a;
  }

  Json cluster_sizes_json() const {
    std::map<std::size_t, std::uint64_t> sizes;
    for (const auto& c : r_.clusters) ++sizes[c.cluster.members.size()];
    Json a = Json::array();
    for (const auto& [size, count] : sizes) a.push_back(Json{{"size", size}, {"count", count}});
    return a;
  }

  Json account_json(std::uint32_t v) const {
    const AccountRanking& a = r_.accounts[v];
    return Json{{"id", std::string(ev_.accounts[v])},
                {"cluster", a.cluster ? Json(a.cluster) : Json(nullptr)},
                {"score", real(a.score)},
                {"pagerank", real(a.pagerank)},
                {"betweenness", real(a.betweenness)},
                {"degree", a.degree},
                {"core", a.core},
                {"kept_edges", a.kept_edges},
                {"n_events", a.n_events},
                {"first_seen", a.n_events ? Json(iso(a.first_seen)) : Json(nullptr)},
                {"last_seen", a.n_events ? Json(iso(a.last_seen)) : Json(nullptr)}};
  }

  Json accounts_json() const {
    Json a = Json::array();
    for (const std::uint32_t v : account_report_order(r_))
      if (r_.accounts[v].kept_edges > 0) a.push_back(account_json(v));
    return a;
  }

  Json evidence_json() const {
    Json j = Json::object();
    std::vector<std::uint32_t> drawn;
    for (std::uint32_t v = 0; v < n_; ++v)
      if (in_view_[v]) drawn.push_back(v);
    std::sort(drawn.begin(), drawn.end(), [&](auto x, auto y) { return ev_.accounts[x] < ev_.accounts[y]; });
    const std::int64_t sync_bin = o_.coordination.coaction.sync_bin_ms;
    std::vector<std::uint64_t> mine;
    for (const std::uint32_t v : drawn) {
      mine.clear();
      for (auto k = kept_.offsets[v]; k < kept_.offsets[v + 1]; ++k) mine.push_back(k);
      auto other_of = [&](std::uint64_t k) {
        const auto& l = net_.layers[kept_.layer[k]];
        return l.a[kept_.edge[k]] == v ? l.b[kept_.edge[k]] : l.a[kept_.edge[k]];
      };
      std::sort(mine.begin(), mine.end(), [&](std::uint64_t x, std::uint64_t y) {
        const auto &lx = net_.layers[kept_.layer[x]], &ly = net_.layers[kept_.layer[y]];
        const auto ex = kept_.edge[x], ey = kept_.edge[y];
        if (lx.p_value[ex] != ly.p_value[ey]) return lx.p_value[ex] < ly.p_value[ey];
        if (lx.co_actions[ex] != ly.co_actions[ey]) return lx.co_actions[ex] > ly.co_actions[ey];
        if (ev_.accounts[other_of(x)] != ev_.accounts[other_of(y)])
          return ev_.accounts[other_of(x)] < ev_.accounts[other_of(y)];
        return kept_.layer[x] < kept_.layer[y];
      });
      Json list = Json::array();
      for (std::size_t n = 0; n < mine.size() && n < o_.report_edges_per_account; ++n) {
        const auto k = mine[n];
        const auto& l = net_.layers[kept_.layer[k]];
        const auto e = kept_.edge[k];
        const bool is_a = l.a[e] == v;
        Json rows = Json::array();
        for (auto q = l.evidence_offsets[e]; q < l.evidence_offsets[e + 1] &&
                                             q < l.evidence_offsets[e] + o_.report_rows_per_edge; ++q) {
          const std::int64_t mine_t = is_a ? l.evidence_time_a[q] : l.evidence_time_b[q];
          const std::int64_t other_t = is_a ? l.evidence_time_b[q] : l.evidence_time_a[q];
          rows.push_back(Json{{"target", key_string(ev_, l.layer, l.evidence_key[q], sync_bin)},
                              {"time_a", iso(mine_t)},
                              {"time_b", iso(other_t)},
                              {"delay_s", real(static_cast<double>(other_t - mine_t) / 1000.0)}});
        }
        list.push_back(Json{{"other", std::string(ev_.accounts[other_of(k)])},
                            {"layer", std::string(layer_name(l.layer))},
                            {"co_actions", l.co_actions[e]},
                            {"distinct_targets", l.distinct_targets[e]},
                            {"p_value", real(l.p_value[e])},
                            {"median_delay_s", real(static_cast<double>(l.median_delay_ms[e]) / 1000.0)},
                            {"evidence_total", l.evidence_total[e]},
                            {"kept_by", std::string(kept_by_name(kept_reason(l, e)))},
                            {"in_evidence_csv", in_evidence_csv_[kept_.layer[k]][e] != 0},
                            {"rows", rows}});
      }
      j[std::string(ev_.accounts[v])] = std::move(list);
    }
    return j;
  }

  // One node per flagged cluster, plus the unflagged accounts of the network with the highest scores.
  Json overview_json() const {
    constexpr auto kNone = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> node_of(n_, kNone);
    Json nodes = Json::array();
    std::vector<std::string> ids;
    for (const auto& c : r_.clusters) {
      const auto node = static_cast<std::uint32_t>(ids.size());
      ids.push_back("c" + std::to_string(c.cluster.id));
      for (auto m : c.cluster.members) node_of[m] = node;
      nodes.push_back(Json{{"id", ids.back()},
                           {"label", "cluster " + std::to_string(c.cluster.id) + " (" +
                                         format_counted(std::uint64_t{c.cluster.members.size()}, "account") + ")"},
                           {"size", c.cluster.members.size()},
                           {"cluster", c.cluster.id}});
    }
    std::vector<std::uint32_t> others;
    for (std::uint32_t v = 0; v < n_; ++v)
      if (r_.accounts[v].cluster == 0 && r_.accounts[v].kept_edges > 0) others.push_back(v);
    std::sort(others.begin(), others.end(), [&](auto x, auto y) {
      if (r_.accounts[x].score != r_.accounts[y].score) return r_.accounts[x].score > r_.accounts[y].score;
      return ev_.accounts[x] < ev_.accounts[y];
    });
    const std::size_t shown = std::min<std::size_t>(others.size(), o_.overview_max_accounts);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto v = others[i];
      node_of[v] = static_cast<std::uint32_t>(ids.size());
      ids.push_back("a:" + std::string(ev_.accounts[v]));
      nodes.push_back(Json{{"id", ids.back()}, {"label", std::string(ev_.accounts[v])}, {"size", 1}, {"cluster", nullptr}});
    }
    std::map<std::pair<std::uint32_t, std::uint32_t>, double> weight;
    for (std::uint32_t v = 0; v < n_; ++v) {
      if (node_of[v] == kNone) continue;
      const auto nb = r_.fused.neighbors(v);
      const auto w = r_.fused.neighbor_weights(v);
      for (std::size_t k = 0; k < nb.size(); ++k) {
        if (nb[k] <= v || node_of[nb[k]] == kNone || node_of[nb[k]] == node_of[v]) continue;
        const auto x = std::min(node_of[v], node_of[nb[k]]), y = std::max(node_of[v], node_of[nb[k]]);
        weight[{x, y}] += w[k];
      }
    }
    Json edges = Json::array();
    for (const auto& [p, w] : weight) edges.push_back(Json::array({ids[p.first], ids[p.second], real(w)}));
    return Json{{"nodes", nodes}, {"edges", edges}, {"accounts_not_shown", others.size() - shown}};
  }

  const AnalysisResult& r_;
  const AnalysisOptions& o_;
  const EventTable& ev_;
  const CoactionNetwork& net_;
  const std::size_t n_;
  const KeptEdges kept_;
  const EventsByAccount by_account_;
  const std::vector<std::vector<std::uint8_t>> in_evidence_csv_;  // per layer: 1 for an edge evidence.csv lists
  std::vector<std::int64_t> sorted_times_;
  std::vector<std::uint8_t> in_view_;
};

}  // namespace

std::string report_json(const AnalysisResult& result, const AnalysisOptions& options, const ReportRunInfo& run) {
  ReportBuilder builder(result, options);
  return dump(builder.build(&run));
}

std::string report_json(const AnalysisResult& result, const AnalysisOptions& options) {
  ReportBuilder builder(result, options);
  return dump(builder.build(nullptr));
}

std::string with_run_block(const std::string& report, const ReportRunInfo& run, std::uint64_t seed) {
  if (report.size() < 2 || report.front() != '{' || report.back() != '}')
    throw Error("with_run_block: not a report JSON object");
  return report.substr(0, report.size() - 1) + (report.size() > 2 ? "," : "") + "\"run\":" + dump(run_block(run, seed)) +
         "}";
}

}  // namespace cibgraph
