#include <chrono>
#include <cstdio>
#include <iostream>
#include <omp.h>
#include <sstream>

#include "args.hpp"
#include "cibgraph/coaction.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/format.hpp"
#include "cibgraph/network_store.hpp"
#include "cibgraph/pipeline.hpp"
#include "cibgraph/significance.hpp"
#include "cibgraph/store.hpp"
#include "cibgraph/time.hpp"
#include "commands.hpp"
#include "pipeline_options.hpp"
#include "progress_bar.hpp"

namespace cibgraph::cli {
namespace {

std::string seconds(std::int64_t ms) { return format_duration(static_cast<double>(ms) / 1000); }

}  // namespace

int run_project(int argc, char** argv) {
  Args args("project", "DATA.h5 [--layers co-share,...] [--window 60s|auto] [options]",
            "Builds the co-action network of the accounts in an ingested data set: pairs of accounts acting on the\n"
            "same target within the window (exact, no bins), with counts, delays, leader/follower counts, weights,\n"
            "a p-value under the delay-reassignment null model and the evidence behind each edge. Edges are kept\n"
            "under Benjamini-Hochberg FDR control by default; the clusters of the kept network are tested against\n"
            "the null and printed.",
            [] {
              auto specs = option_specs(kCoordinationScope);
              specs.insert(specs.end(),
                           {{"name", "NAME", "name of the network in the HDF5 file (/graphs/NAME, /results/NAME) [coaction]", ""},
                            {"no-store", "", "do not write the network into the HDF5 file", ""},
                            option_spec("store_all_pairs"),
                            {"edges", "FILE", "write the kept edges as CSV", ""},
                            {"evidence", "FILE", "write the evidence ledger of the kept edges as CSV", ""},
                            {"clusters", "FILE", "write the clusters as CSV", ""},
                            {"fused", "FILE", "write the kept layers fused into one weighted graph (normalised weights summed) as CSV", ""},
                            {"top", "N", "clusters to print [10]", ""},
                            {"threads", "N", "OpenMP threads [all cores]", ""},
                            {"quiet", "", "print nothing but errors and warnings", "q"}});
              return specs;
            }());
  if (!args.parse(argc, argv, 2)) return 0;
  if (args.positionals().size() != 1) throw UsageError("project: give one HDF5 data set (see --help)");
  const std::string path = args.positionals()[0];
  if (auto t = args.get("threads")) omp_set_num_threads(static_cast<int>(args.get_int("threads", 1, 1)));
  const bool quiet = args.flag("quiet");

  AnalysisOptions flags;
  apply_options(args, kCoordinationScope, flags);
  CoactionOptions& opt = flags.coordination.coaction;
  const SignificanceOptions& sig = flags.coordination.significance;
  const std::string& window = flags.window_text;
  const EdgeWeight weight = flags.weight;

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
  CoordinationOptions& pipeline = flags.coordination;
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
  report_layer_notices(result.layer_notices, "cibgraph ingest");

  const std::string params =
      coordination_parameters_json(pipeline, net, window, flags.weight_name, stored.provenance);
  const std::string name = args.get_or("name", "coaction");
  if (!args.flag("no-store")) {
    ProgressBar store_bar(quiet);
    write_network(path, name, net, clusters, params, store_bar.callback(),
                  args.flag("store-all-pairs") ? StoredEdges::All : StoredEdges::Kept);
    store_bar.finish();
  }

  if (auto f = args.get("edges")) write_edges_csv(*f, ev, net, weight);
  if (auto f = args.get("evidence")) write_evidence_csv(*f, ev, net, opt.sync_bin_ms);
  if (auto f = args.get("clusters")) write_clusters_csv(*f, ev, clusters);
  if (auto f = args.get("fused")) {
    FusionOptions fusion;
    fusion.weight = weight;
    write_fused_csv(*f, ev, fuse_layers(net, static_cast<std::uint32_t>(ev.accounts.size()), fusion));
  }

  if (!quiet) {
    std::cout << "window " << seconds(net.window_ms);
    if (opt.auto_window) std::cout << " (estimated: " << net.window_estimate.method << ")";
    std::cout << "\n";
    for (const auto& l : net.layers) {
      const auto k = static_cast<std::uint64_t>(std::count(l.kept.begin(), l.kept.end(), 1));
      std::cout << layer_name(l.layer) << ": " << format_counted(l.events, "event") << ", "
                << format_counted(std::uint64_t{l.size()}, "co-acting pair") << ", " << format_count(k) << " kept";
      if (!l.capped_keys.empty())
        std::cout << "; " << format_counted(std::uint64_t{l.capped_keys.size()}, "popular target") << " capped, "
                  << format_counted(l.pairs_left_out, "pair") << " left out (tightest kept)";
      std::cout << "\n";
    }
    std::uint64_t coordinated = 0, flagged_accounts = 0;
    for (const auto& c : clusters)
      if (c.coordinated) {
        ++coordinated;
        flagged_accounts += c.members.size();
      }
    if (!args.flag("no-store")) std::cout << "stored as /graphs/" << name << " in " << path << "\n";
    std::cout << format_counted(kept + kept_in_clusters, "edge") << " kept (" << format_count(kept) << " by "
              << to_string(sig.filter) << ", " << format_count(kept_in_clusters)
              << " more inside coordinated clusters: kept_by cluster); "
              << format_counted(std::uint64_t{clusters.size()}, "cluster") << ", " << format_count(coordinated)
              << " coordinated, " << format_counted(flagged_accounts, "account") << " flagged\n";
    lap("outputs");
    std::cout << "wall time:";
    for (std::size_t i = 0; i < stages.size(); ++i)
      std::cout << " " << stages[i].first << " " << format_duration(stages[i].second)
                << (i + 1 == stages.size() ? "\n" : ",");
    const auto top = static_cast<std::size_t>(args.get_int("top", 10, 0));
    for (std::size_t i = 0; i < clusters.size() && i < top; ++i) {
      const auto& c = clusters[i];
      std::cout << "  cluster " << c.id << (c.coordinated ? " [coordinated]" : "") << ": "
                << format_counted(std::uint64_t{c.members.size()}, "account") << ", density " << format_ratio(c.density)
                << ", median delay " << seconds(c.median_delay_ms) << ", " << (c.targets_at_least ? "at least " : "")
                << format_counted(c.targets, "target")
                << ", co-actions " << format_count(c.observed) << " vs " << format_ratio(c.expected) << " expected ("
                << p_phrase(c.p_value) << ")"
                << (c.evidence ? ", evidence: " + cluster_evidence_name(c.evidence) : std::string()) << "\n";
    }
  }
  return 0;
}

}  // namespace cibgraph::cli
