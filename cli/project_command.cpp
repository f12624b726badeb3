#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <omp.h>
#include <sstream>

#include "args.hpp"
#include "cibgraph/coaction.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/network_store.hpp"
#include "cibgraph/pipeline.hpp"
#include "cibgraph/significance.hpp"
#include "cibgraph/store.hpp"
#include "cibgraph/time.hpp"
#include "commands.hpp"
#include "progress_bar.hpp"

namespace cibgraph::cli {
namespace {

std::string seconds(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
  return buf;
}

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

}  // namespace

// The key of a layer as a string: the target, the text, or the start of the time bin.
std::string key_string(const EventTable& ev, Layer layer, std::uint32_t key, std::int64_t sync_bin_ms) {
  if (layer == Layer::CoText) return std::string(ev.texts[key]);
  if (layer == Layer::SyncTime) return format_iso8601(static_cast<std::int64_t>(key) * sync_bin_ms);
  return std::string(ev.targets[key]);
}

void write_edges_csv(const std::string& path, const EventTable& ev, const CoactionNetwork& net, EdgeWeight weight) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError({path, 0, {}}, "cannot write");
  out << "account_a,account_b,layer,co_actions,distinct_targets,weight,p_value,expected,common_targets,a_led,b_led,"
         "min_delay_s,median_delay_s,idf_weight,tfidf_cosine\n";
  std::string row;
  for (const auto& l : net.layers)
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (!l.kept[i]) continue;
      std::string_view a = ev.accounts[l.a[i]], b = ev.accounts[l.b[i]];
      std::uint32_t a_led = l.a_led[i], b_led = l.b_led[i];
      if (b < a) {  // account ids as in the input, in string order
        std::swap(a, b);
        std::swap(a_led, b_led);
      }
      row.clear();
      append_csv_field(row, a);
      row += ',';
      append_csv_field(row, b);
      row += "," + std::string(layer_name(l.layer)) + "," + std::to_string(l.co_actions[i]) + "," +
             std::to_string(l.distinct_targets[i]) + "," + number(edge_weight(l, i, weight)) + "," +
             number(l.p_value[i]) + "," + number(l.expected[i]) + "," + std::to_string(l.common_keys[i]) + "," +
             std::to_string(a_led) + "," + std::to_string(b_led) + "," + seconds(l.min_delay_ms[i]) + "," +
             seconds(l.median_delay_ms[i]) + "," + number(l.idf_weight[i]) + "," + number(l.tfidf_cosine[i]) + "\n";
      out << row;
    }
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

void write_evidence_csv(const std::string& path, const EventTable& ev, const CoactionNetwork& net,
                        std::int64_t sync_bin_ms) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError({path, 0, {}}, "cannot write");
  out << "account_a,account_b,layer,target,time_a,time_b,delay_s,evidence_total\n";
  std::string row;
  for (const auto& l : net.layers)
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (!l.kept[i]) continue;
      const bool swap = ev.accounts[l.b[i]] < ev.accounts[l.a[i]];
      for (auto k = l.evidence_offsets[i]; k < l.evidence_offsets[i + 1]; ++k) {
        std::int64_t ta = l.evidence_time_a[k], tb = l.evidence_time_b[k];
        std::string_view a = ev.accounts[l.a[i]], b = ev.accounts[l.b[i]];
        if (swap) {
          std::swap(a, b);
          std::swap(ta, tb);
        }
        row.clear();
        append_csv_field(row, a);
        row += ',';
        append_csv_field(row, b);
        row += "," + std::string(layer_name(l.layer)) + ",";
        append_csv_field(row, key_string(ev, l.layer, l.evidence_key[k], sync_bin_ms));
        row += "," + format_iso8601(ta) + "," + format_iso8601(tb) + "," + seconds(tb - ta) + "," +
               std::to_string(l.evidence_total[i]) + "\n";
        out << row;
      }
    }
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

void write_clusters_csv(const std::string& path, const EventTable& ev, const std::vector<Cluster>& clusters) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError({path, 0, {}}, "cannot write");
  out << "cluster,size,density,layers,median_delay_s,targets,observed,expected,p_value,alpha,coordinated,members,"
         "second_stage_members\n";
  std::string row;
  for (const auto& c : clusters) {
    std::string layers, members, recovered;
    for (auto l : c.layers) layers += (layers.empty() ? "" : ";") + std::string(layer_name(l));
    for (auto m : c.members) members += (members.empty() ? "" : ";") + std::string(ev.accounts[m]);
    for (auto m : c.recovered) recovered += (recovered.empty() ? "" : ";") + std::string(ev.accounts[m]);
    row = std::to_string(c.id) + "," + std::to_string(c.members.size()) + "," + number(c.density) + "," + layers + "," +
          seconds(c.median_delay_ms) + "," + std::to_string(c.targets) + "," + number(c.observed) + "," +
          number(c.expected) + "," + number(c.p_value) + "," + number(c.alpha) + "," + (c.coordinated ? "1" : "0") +
          ",";
    append_csv_field(row, members);
    row += ",";
    append_csv_field(row, recovered);
    out << row << "\n";
  }
}

int run_project(int argc, char** argv) {
  Args args("project", "DATA.h5 [--layers co-share,...] [--window 60s|auto] [options]",
            "Builds the co-action network of the accounts in an ingested data set: pairs of accounts acting on the\n"
            "same target within the window (exact, no bins), with counts, delays, leader/follower counts, weights,\n"
            "a p-value under the delay-reassignment null model and the evidence behind each edge. Edges are kept\n"
            "under Benjamini-Hochberg FDR control by default; the clusters of the kept network are tested against\n"
            "the null and printed.",
            {{"layers", "L,...", "co-share (co-retweet), co-url, co-hashtag, co-reply, co-text, sync-time [co-share]", ""},
             {"window", "DUR", "co-action window (60s, 500ms, 2m) or 'auto' (CooRnet-style estimate) [60s]", "w"},
             {"filter", "F", "fdr, min-co-actions, percentile or none [fdr]", ""},
             {"fdr", "Q", "false discovery rate for --filter fdr [0.01]", ""},
             {"min-co-actions", "K", "drop edges with fewer co-actions (all filters) [1]", ""},
             {"min-targets", "K", "drop edges co-acting on fewer distinct targets (all filters but none) [2]", ""},
             {"cluster-edge-p", "P", "edges with p <= min(P, 1/pairs tested of either account) also build clusters; kept only inside coordinated ones [0.1]", ""},
             {"min-core", "K", "clusters: accounts must have cluster edges to K others (K-core) [3]", ""},
             {"min-triangles", "T", "clusters: each cluster edge must close T triangles of cluster edges ((T+2)-truss) [2]", ""},
             {"member-alpha", "A", "clusters: an account's own co-actions with its cluster must have Poisson p below A [0.001]", ""},
             {"second-stage", "on|off", "clusters: accounts join by their ties to a whole cluster, and near-cliques of weak ties are tested as groups [on]", ""},
             {"min-tie-share", "S", "second stage: a group's accounts must be tied to S of the others [0.5]", ""},
             {"burst-scale", "DUR", "null model: organic synchrony scale of a target's crowd, at least 4 windows [10m]", ""},
             {"percentile", "P", "for --filter percentile: keep co-actions >= this quantile [0.99]", ""},
             {"weight", "W", "weight column: count, distinct, idf or tfidf [idf]", ""},
             {"max-pairs-per-target", "N", "popular-target cap; the tightest pairs are kept [2000000]", ""},
             {"evidence-per-edge", "N", "evidence rows kept per edge [20]", ""},
             {"sync-bin", "DUR", "sync-time bin width [60s]", ""},
             {"sync-min-events", "N", "sync-time: accounts with fewer events are left out [20]", ""},
             {"memory-budget", "MB", "pair records in memory before spilling sorted runs to disk [4096]", ""},
             {"name", "NAME", "name of the network in the HDF5 file (/graphs/NAME, /results/NAME) [coaction]", ""},
             {"no-store", "", "do not write the network into the HDF5 file", ""},
             {"edges", "FILE", "write the kept edges as CSV", ""},
             {"evidence", "FILE", "write the evidence ledger of the kept edges as CSV", ""},
             {"clusters", "FILE", "write the clusters as CSV", ""},
             {"fused", "FILE", "write the kept layers fused into one weighted graph (normalised weights summed) as CSV", ""},
             {"top", "N", "clusters to print [10]", ""},
             {"threads", "N", "OpenMP threads [all cores]", ""},
             {"quiet", "", "print nothing but errors", "q"}});
  if (!args.parse(argc, argv, 2)) return 0;
  if (args.positionals().size() != 1) throw UsageError("project: give one HDF5 data set (see --help)");
  const std::string path = args.positionals()[0];
  if (auto t = args.get("threads")) omp_set_num_threads(static_cast<int>(args.get_int("threads", 1, 1)));
  const bool quiet = args.flag("quiet");

  CoactionOptions opt;
  opt.layers = parse_layers(args.get_or("layers", "co-share"));
  const std::string window = args.get_or("window", "60s");
  opt.auto_window = window == "auto";
  if (!opt.auto_window) opt.window_ms = parse_duration_ms(window);
  opt.max_pairs_per_key = static_cast<std::uint64_t>(args.get_int("max-pairs-per-target", 2'000'000, 1));
  opt.evidence_per_edge = static_cast<std::uint32_t>(args.get_int("evidence-per-edge", 20, 0));
  opt.sync_bin_ms = parse_duration_ms(args.get_or("sync-bin", "60s"));
  if (opt.sync_bin_ms <= 0) throw UsageError("--sync-bin must be positive");
  opt.sync_min_events = static_cast<std::uint32_t>(args.get_int("sync-min-events", 20, 1));
  opt.memory_budget_bytes = static_cast<std::uint64_t>(args.get_int("memory-budget", 4096, 1)) << 20;
  opt.burst_scale_ms = parse_duration_ms(args.get_or("burst-scale", "10m"));
  if (opt.burst_scale_ms <= 0) throw UsageError("--burst-scale must be positive");
  SignificanceOptions sig;
  sig.filter = parse_edge_filter(args.get_or("filter", "fdr"));
  sig.fdr = std::stod(args.get_or("fdr", "0.01"));
  if (!(sig.fdr > 0 && sig.fdr < 1)) throw UsageError("--fdr must be between 0 and 1");
  sig.min_co_actions = static_cast<std::uint32_t>(args.get_int("min-co-actions", 1, 1));
  sig.min_distinct_targets = static_cast<std::uint32_t>(args.get_int("min-targets", 2, 1));
  sig.cluster_edge_p = std::stod(args.get_or("cluster-edge-p", "0.1"));
  sig.min_core = static_cast<std::uint32_t>(args.get_int("min-core", 3, 1));
  sig.min_triangles = static_cast<std::uint32_t>(args.get_int("min-triangles", 2, 0));
  sig.member_alpha = std::stod(args.get_or("member-alpha", "0.001"));
  if (!(sig.member_alpha > 0 && sig.member_alpha <= 1)) throw UsageError("--member-alpha must be in (0, 1]");
  if (!(sig.cluster_edge_p >= 0 && sig.cluster_edge_p <= 1)) throw UsageError("--cluster-edge-p must be in [0, 1]");
  const std::string second_stage = args.get_or("second-stage", "on");
  if (second_stage != "on" && second_stage != "off") throw UsageError("--second-stage must be on or off");
  sig.second_stage = second_stage == "on";
  sig.min_tie_share = std::stod(args.get_or("min-tie-share", "0.5"));
  if (!(sig.min_tie_share >= 0 && sig.min_tie_share <= 1)) throw UsageError("--min-tie-share must be in [0, 1]");
  sig.percentile = std::stod(args.get_or("percentile", "0.99"));
  const EdgeWeight weight = parse_edge_weight(args.get_or("weight", "idf"));

  ProgressBar bar(quiet);
  opt.progress = bar.callback();
  // Wall time of each stage, printed at the end: where a long run went.
  std::vector<std::pair<std::string, double>> stages;
  auto clock = std::chrono::steady_clock::now();
  auto lap = [&](std::string stage) {
    const auto now = std::chrono::steady_clock::now();
    stages.emplace_back(std::move(stage), std::chrono::duration<double>(now - clock).count());
    clock = now;
  };
  StoredEvents stored = read_events(path);
  const EventTable& ev = stored.events;
  lap("read");
  CoordinationOptions pipeline{opt, sig, {}};
  pipeline.stages = [&](const ProgressUpdate& u) {
    lap(std::string(u.stage));
    return !g_interrupted.load();
  };
  CoordinationResult result = detect_coordination(ev, pipeline);
  CoactionNetwork& net = result.network;
  const std::vector<Cluster>& clusters = result.clusters;
  const std::uint64_t kept = result.kept_by_filter;
  const std::uint64_t kept_in_clusters = result.kept_in_clusters;
  bar.finish();

  const std::string params =
      coordination_parameters_json(pipeline, net, window, args.get_or("weight", "idf"), stored.provenance);
  const std::string name = args.get_or("name", "coaction");
  if (!args.flag("no-store")) write_network(path, name, net, clusters, params);

  if (auto f = args.get("edges")) write_edges_csv(*f, ev, net, weight);
  if (auto f = args.get("evidence")) write_evidence_csv(*f, ev, net, opt.sync_bin_ms);
  if (auto f = args.get("clusters")) write_clusters_csv(*f, ev, clusters);
  if (auto f = args.get("fused")) {
    FusionOptions fusion;
    fusion.weight = weight;
    const Graph fused = fuse_layers(net, static_cast<std::uint32_t>(ev.accounts.size()), fusion);
    std::ofstream out(*f, std::ios::binary);
    if (!out) throw InputError({*f, 0, {}}, "cannot write");
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
        row += "," + number(fused.weights[k]) + "\n";
        out << row;
      }
  }

  if (!quiet) {
    std::cout << "window " << seconds(net.window_ms) << " s";
    if (opt.auto_window) std::cout << " (estimated: " << net.window_estimate.method << ")";
    std::cout << "\n";
    for (const auto& l : net.layers) {
      const auto k = std::count(l.kept.begin(), l.kept.end(), 1);
      std::cout << layer_name(l.layer) << ": " << l.events << " events, " << l.size() << " co-acting pairs, " << k
                << " kept";
      if (!l.capped_keys.empty())
        std::cout << "; " << l.capped_keys.size() << " popular targets capped, " << l.pairs_left_out
                  << " pairs left out (tightest kept)";
      std::cout << "\n";
    }
    std::size_t coordinated = 0, flagged_accounts = 0;
    for (const auto& c : clusters)
      if (c.coordinated) {
        ++coordinated;
        flagged_accounts += c.members.size();
      }
    if (!args.flag("no-store")) std::cout << "stored as /graphs/" << name << " in " << path << "\n";
    std::cout << kept + kept_in_clusters << " edges kept (" << kept << " by " << to_string(sig.filter) << ", "
              << kept_in_clusters << " more inside coordinated clusters); " << clusters.size() << " clusters, "
              << coordinated << " coordinated, " << flagged_accounts << " accounts flagged\n";
    lap("outputs");
    std::cout << "wall time:";
    for (std::size_t i = 0; i < stages.size(); ++i) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.2f", stages[i].second);
      std::cout << " " << stages[i].first << " " << secs << " s" << (i + 1 == stages.size() ? "\n" : ",");
    }
    const auto top = static_cast<std::size_t>(args.get_int("top", 10, 0));
    for (std::size_t i = 0; i < clusters.size() && i < top; ++i) {
      const auto& c = clusters[i];
      std::cout << "  cluster " << c.id << (c.coordinated ? " [coordinated]" : "") << ": " << c.members.size()
                << " accounts, density " << number(c.density) << ", median delay " << seconds(c.median_delay_ms)
                << " s, " << c.targets << " targets, co-actions " << number(c.observed) << " vs " << number(c.expected)
                << " expected (p " << number(c.p_value) << ")\n";
    }
  }
  return 0;
}

}  // namespace cibgraph::cli
