#include "cibgraph/findings_csv.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string_view>
#include <utility>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/time.hpp"
#include "in_order.hpp"

namespace cibgraph {

namespace {

// "%.3f" of ms / 1000, appended. Below 2^50 ms (35,000 years) the double nearest ms / 1000 rounds back to ms's own
// three decimals, so the digits of the integer are the same characters, written without printf.
void append_seconds(std::string& out, std::int64_t ms) {
  constexpr std::int64_t kExact = std::int64_t{1} << 50;
  if (ms <= -kExact || ms >= kExact) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
    out += buf;
    return;
  }
  if (ms < 0) out += '-';
  const auto magnitude = static_cast<std::uint64_t>(ms < 0 ? -ms : ms);
  out += std::to_string(magnitude / 1000);
  const auto frac = static_cast<unsigned>(magnitude % 1000);
  const char digits[4] = {'.', static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                          static_cast<char>('0' + frac % 10)};
  out.append(digits, 4);
}

// A layer's key as text: a view of the target or the text, or the start of the time bin formatted into `scratch`.
std::string_view key_text(const EventTable& ev, Layer layer, std::uint32_t key, std::int64_t sync_bin_ms,
                          std::string& scratch) {
  if (layer == Layer::CoText) return ev.texts[key];
  if (layer == Layer::SyncTime) {
    scratch.clear();
    append_iso8601(scratch, static_cast<std::int64_t>(key) * sync_bin_ms);
    return scratch;
  }
  return ev.targets[key];
}

}  // namespace

std::string format_seconds(std::int64_t ms) {
  std::string out;
  append_seconds(out, ms);
  return out;
}

std::string format_real(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string key_string(const EventTable& ev, Layer layer, std::uint32_t key, std::int64_t sync_bin_ms) {
  std::string scratch;
  return std::string(key_text(ev, layer, key, sync_bin_ms, scratch));
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

// Formats the rows of items [0, items) in blocks on every thread and writes the blocks in order (internal::in_order),
// byte for byte what one serial loop writes. format(i, rows, scratch) appends item i's rows to `rows` (scratch: a
// string the block may reuse between items).
template <class Format>
void write_in_blocks(std::ofstream& out, std::size_t items, Format&& format) {
  constexpr std::size_t kBlock = 4096;
  internal::in_order<std::string>(
      static_cast<std::int64_t>((items + kBlock - 1) / kBlock),
      [&](std::int64_t b, std::string& rows) {
        std::string scratch;
        const std::size_t end = std::min(items, static_cast<std::size_t>(b + 1) * kBlock);
        for (std::size_t i = static_cast<std::size_t>(b) * kBlock; i < end; ++i) format(i, rows, scratch);
      },
      [&](std::int64_t, const std::string& rows) {
        out.write(rows.data(), static_cast<std::streamsize>(rows.size()));
        return true;
      });
}

}  // namespace

void write_edges_csv(const std::string& path, const EventTable& ev, const CoactionNetwork& net, EdgeWeight weight) {
  std::ofstream out = open_output(path);
  out << "account_a,account_b,layer,co_actions,distinct_targets,weight,p_value,expected,common_targets,a_led,b_led,"
         "min_delay_s,median_delay_s,idf_weight,tfidf_cosine,sync_p,cotarget_p,cotarget_expected,moments,kept_by\n";
  for (const auto& l : net.layers)
    write_in_blocks(out, l.size(), [&](std::size_t i, std::string& rows, std::string& row) {
      if (!l.kept[i]) return;
      std::uint32_t a_led = l.a_led[i], b_led = l.b_led[i];
      if (pair_fields(ev, l, i, row)) std::swap(a_led, b_led);
      row += std::to_string(l.co_actions[i]) + "," + std::to_string(l.distinct_targets[i]) + "," + format_real(edge_weight(l, i, weight)) + "," +
             format_real(l.p_value[i]) + "," + format_real(l.expected[i]) + "," + std::to_string(l.common_keys[i]) +
             "," + std::to_string(a_led) + "," + std::to_string(b_led) + "," + format_seconds(l.min_delay_ms[i]) +
             "," + format_seconds(l.median_delay_ms[i]) + "," + format_real(l.idf_weight[i]) + "," +
             format_real(l.tfidf_cosine[i]) + "," + format_real(l.sync_p[i]) + "," + format_real(l.cotarget_p[i]) +
             "," + format_real(l.cotarget_expected[i]) + "," + std::to_string(cotarget_count(l, i)) + "," +
             std::string(kept_by_name(kept_reason(l, i))) + "\n";
      rows += row;
    });
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

std::vector<std::vector<std::uint8_t>> strongest_kept_edges(const EventTable& ev, const CoactionNetwork& net,
                                                            std::uint32_t per_account) {
  std::vector<std::vector<std::uint8_t>> selected(net.layers.size());
  for (std::size_t li = 0; li < net.layers.size(); ++li) {
    const LayerEdges& l = net.layers[li];
    selected[li].assign(l.size(), 0);
    if (per_account == 0)
      for (std::size_t i = 0; i < l.size(); ++i) selected[li][i] = l.kept[i] ? 1 : 0;
  }
  if (per_account == 0) return selected;
  // Each account's kept edges (layer, edge), CSR over accounts.
  const std::size_t n = ev.accounts.size();
  std::vector<std::uint64_t> offsets(n + 1, 0);
  for (const auto& l : net.layers)
    for (std::size_t i = 0; i < l.size(); ++i)
      if (l.kept[i]) {
        ++offsets[l.a[i] + 1];
        ++offsets[l.b[i] + 1];
      }
  for (std::size_t v = 0; v < n; ++v) offsets[v + 1] += offsets[v];
  std::vector<std::pair<std::uint32_t, std::uint64_t>> entries(offsets[n]);
  {
    std::vector<std::uint64_t> next(offsets.begin(), offsets.end() - 1);
    for (std::size_t li = 0; li < net.layers.size(); ++li) {
      const LayerEdges& l = net.layers[li];
      for (std::size_t i = 0; i < l.size(); ++i)
        if (l.kept[i])
          for (const std::uint32_t v : {l.a[i], l.b[i]}) entries[next[v]++] = {static_cast<std::uint32_t>(li), i};
    }
  }
  // The first per_account of each account's list in the report's evidence order (report_json.hpp): smaller p-value,
  // then more co-actions, then the other account's id, then the layer. Accounts apart, in parallel.
#pragma omp parallel for schedule(dynamic, 256)
  for (std::int64_t sv = 0; sv < static_cast<std::int64_t>(n); ++sv) {
    const auto v = static_cast<std::uint32_t>(sv);
    const auto first = entries.begin() + static_cast<std::ptrdiff_t>(offsets[v]);
    const auto last = entries.begin() + static_cast<std::ptrdiff_t>(offsets[v + 1]);
    if (static_cast<std::uint64_t>(last - first) <= per_account) continue;
    const auto other = [&](const std::pair<std::uint32_t, std::uint64_t>& x) {
      const LayerEdges& l = net.layers[x.first];
      return ev.accounts[l.a[x.second] == v ? l.b[x.second] : l.a[x.second]];
    };
    std::partial_sort(first, first + per_account, last, [&](const auto& x, const auto& y) {
      const LayerEdges &lx = net.layers[x.first], &ly = net.layers[y.first];
      if (lx.p_value[x.second] != ly.p_value[y.second]) return lx.p_value[x.second] < ly.p_value[y.second];
      if (lx.co_actions[x.second] != ly.co_actions[y.second]) return lx.co_actions[x.second] > ly.co_actions[y.second];
      if (other(x) != other(y)) return other(x) < other(y);
      return x.first < y.first;
    });
  }
  for (std::size_t v = 0; v < n; ++v)
    for (auto k = offsets[v]; k < offsets[v + 1] && k < offsets[v] + per_account; ++k)
      selected[entries[k].first][entries[k].second] = 1;
  return selected;
}

EvidenceCsvCounts write_evidence_csv(const std::string& path, const EventTable& ev, const CoactionNetwork& net,
                                     std::int64_t sync_bin_ms, std::uint32_t max_rows_per_edge,
                                     std::uint32_t max_edges_per_account) {
  std::ofstream out = open_output(path);
  out << "account_a,account_b,layer,target,time_a,time_b,delay_s,evidence_total\n";
  const auto selected = strongest_kept_edges(ev, net, max_edges_per_account);
  EvidenceCsvCounts counts;
  for (std::size_t li = 0; li < net.layers.size(); ++li) {
    const LayerEdges& l = net.layers[li];
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (!l.kept[i]) continue;
      ++counts.edges_kept;
      if (!selected[li][i]) continue;
      ++counts.edges;
      counts.rows += std::min<std::uint64_t>(l.evidence_offsets[i + 1] - l.evidence_offsets[i], max_rows_per_edge);
    }
    write_in_blocks(out, l.size(), [&](std::size_t i, std::string& rows, std::string& pair) {
      if (!selected[li][i]) return;
      const bool swap = pair_fields(ev, l, i, pair);  // once per edge, for all its rows
      const auto last = std::min<std::uint64_t>(l.evidence_offsets[i + 1], l.evidence_offsets[i] + max_rows_per_edge);
      const std::string total = "," + std::to_string(l.evidence_total[i]) + "\n";
      std::string key_scratch;
      for (auto k = l.evidence_offsets[i]; k < last; ++k) {
        std::int64_t ta = l.evidence_time_a[k], tb = l.evidence_time_b[k];
        if (swap) std::swap(ta, tb);
        rows += pair;
        append_csv_field(rows, key_text(ev, l.layer, l.evidence_key[k], sync_bin_ms, key_scratch));
        rows += ',';
        append_iso8601(rows, ta);
        rows += ',';
        append_iso8601(rows, tb);
        rows += ',';
        append_seconds(rows, tb - ta);
        rows += total;
      }
    });
  }
  if (!out) throw InputError({path, 0, {}}, "error writing");
  return counts;
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
  out << "cluster,size,density,layers,median_delay_s,targets,observed,expected,p_value,alpha,coordinated,evidence,"
         "sync_p,cotarget_p,cotarget_expected,members,second_stage_members\n";
  std::string row;
  for (const auto& c : clusters) {
    row = cluster_head_fields(c) + "," + format_real(c.observed) + "," + format_real(c.expected) + "," +
          format_real(c.p_value) + "," + format_real(c.alpha) + "," + (c.coordinated ? "1" : "0") + "," +
          cluster_evidence_name(c.evidence) + "," + format_real(c.sync_p) + "," + format_real(c.cotarget_p) + "," +
          format_real(c.cotarget_expected) + ",";
    append_cluster_members(row, ev, c);
    out << row << "\n";
  }
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

void write_fused_csv(const std::string& path, const EventTable& ev, const Graph& fused) {
  std::ofstream out = open_output(path);
  out << "account_a,account_b,weight\n";
  std::string row;
  for (std::uint32_t v = 0; v < fused.num_vertices(); ++v)
    for (auto k = fused.offsets[v]; k < fused.offsets[v + 1]; ++k) {
      if (fused.targets[k] <= v) continue;
      std::string_view a = ev.accounts[v], b = ev.accounts[fused.targets[k]];
      if (b < a) std::swap(a, b);
      row.clear();
      append_csv_field(row, a);
      row += ',';
      append_csv_field(row, b);
      row += "," + format_real(fused.weights[k]) + "\n";
      out << row;
    }
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

}  // namespace cibgraph
