#include "cibgraph/findings_csv.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string_view>

#include "cibgraph/error.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/time.hpp"

namespace cibgraph {

std::string format_seconds(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
  return buf;
}

std::string format_real(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string key_string(const EventTable& ev, Layer layer, std::uint32_t key, std::int64_t sync_bin_ms) {
  if (layer == Layer::CoText) return std::string(ev.texts[key]);
  if (layer == Layer::SyncTime) return format_iso8601(static_cast<std::int64_t>(key) * sync_bin_ms);
  return std::string(ev.targets[key]);
}

namespace {

std::ofstream open_output(const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError({path, 0, {}}, "cannot write");
  return out;
}

// "account_a,account_b,layer," of edge i into `out`, the ids in string order; returns whether a and b were swapped
// for it (then the caller swaps what belongs to each).
bool pair_fields(const EventTable& ev, const LayerEdges& l, std::size_t i, std::string& out) {
  std::string_view a = ev.accounts[l.a[i]], b = ev.accounts[l.b[i]];
  const bool swapped = b < a;
  if (swapped) std::swap(a, b);
  out.clear();
  append_csv_field(out, a);
  out += ',';
  append_csv_field(out, b);
  out += "," + std::string(layer_name(l.layer)) + ",";
  return swapped;
}

}  // namespace

void write_edges_csv(const std::string& path, const EventTable& ev, const CoactionNetwork& net, EdgeWeight weight) {
  std::ofstream out = open_output(path);
  out << "account_a,account_b,layer,co_actions,distinct_targets,weight,p_value,expected,common_targets,a_led,b_led,"
         "min_delay_s,median_delay_s,idf_weight,tfidf_cosine\n";
  std::string row;
  for (const auto& l : net.layers)
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (!l.kept[i]) continue;
      std::uint32_t a_led = l.a_led[i], b_led = l.b_led[i];
      if (pair_fields(ev, l, i, row)) std::swap(a_led, b_led);
      row += std::to_string(l.co_actions[i]) + "," + std::to_string(l.distinct_targets[i]) + "," + format_real(edge_weight(l, i, weight)) + "," +
             format_real(l.p_value[i]) + "," + format_real(l.expected[i]) + "," + std::to_string(l.common_keys[i]) +
             "," + std::to_string(a_led) + "," + std::to_string(b_led) + "," + format_seconds(l.min_delay_ms[i]) +
             "," + format_seconds(l.median_delay_ms[i]) + "," + format_real(l.idf_weight[i]) + "," +
             format_real(l.tfidf_cosine[i]) + "\n";
      out << row;
    }
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

void write_evidence_csv(const std::string& path, const EventTable& ev, const CoactionNetwork& net,
                        std::int64_t sync_bin_ms, std::uint32_t max_rows_per_edge) {
  std::ofstream out = open_output(path);
  out << "account_a,account_b,layer,target,time_a,time_b,delay_s,evidence_total\n";
  std::string pair, row;
  for (const auto& l : net.layers)
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (!l.kept[i]) continue;
      const bool swap = pair_fields(ev, l, i, pair);  // once per edge, for all its rows
      const auto last = std::min<std::uint64_t>(l.evidence_offsets[i + 1], l.evidence_offsets[i] + max_rows_per_edge);
      for (auto k = l.evidence_offsets[i]; k < last; ++k) {
        std::int64_t ta = l.evidence_time_a[k], tb = l.evidence_time_b[k];
        if (swap) std::swap(ta, tb);
        row = pair;
        append_csv_field(row, key_string(ev, l.layer, l.evidence_key[k], sync_bin_ms));
        row += "," + format_iso8601(ta) + "," + format_iso8601(tb) + "," + format_seconds(tb - ta) + "," +
               std::to_string(l.evidence_total[i]) + "\n";
        out << row;
      }
    }
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

namespace {

std::string join_accounts(const EventTable& events, const std::vector<std::uint32_t>& accounts) {
  std::string out;
  for (auto m : accounts) out += (out.empty() ? "" : ";") + std::string(events.accounts[m]);
  return out;
}

}  // namespace

std::string cluster_head_fields(const Cluster& c) {
  std::string layers;
  for (auto l : c.layers) layers += (layers.empty() ? "" : ";") + std::string(layer_name(l));
  return std::to_string(c.id) + "," + std::to_string(c.members.size()) + "," + format_real(c.density) + "," + layers +
         "," + format_seconds(c.median_delay_ms) + "," + std::to_string(c.targets);
}

void append_cluster_members(std::string& row, const EventTable& events, const Cluster& c) {
  append_csv_field(row, join_accounts(events, c.members));
  row += ",";
  append_csv_field(row, join_accounts(events, c.recovered));
}

void write_clusters_csv(const std::string& path, const EventTable& ev, const std::vector<Cluster>& clusters) {
  std::ofstream out = open_output(path);
  out << "cluster,size,density,layers,median_delay_s,targets,observed,expected,p_value,alpha,coordinated,members,"
         "second_stage_members\n";
  std::string row;
  for (const auto& c : clusters) {
    row = cluster_head_fields(c) + "," + format_real(c.observed) + "," + format_real(c.expected) + "," +
          format_real(c.p_value) + "," + format_real(c.alpha) + "," + (c.coordinated ? "1" : "0") + ",";
    append_cluster_members(row, ev, c);
    out << row << "\n";
  }
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

}  // namespace cibgraph
