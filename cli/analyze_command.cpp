// cibgraph analyze: the investigator's one command. The pipeline is cibgraph::analyze (pipeline/analysis.hpp) and its
// outputs are write_analysis_outputs (report/analysis_outputs.hpp); this file parses the flags, runs both with a
// progress bar and prints the summary.
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "args.hpp"
#include "cibgraph/analysis.hpp"
#include "cibgraph/analysis_outputs.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/time.hpp"
#include "commands.hpp"
#include "pipeline_options.hpp"
#include "progress_bar.hpp"

namespace cibgraph::cli {
namespace {

std::vector<OptionSpec> analyze_option_specs() {
  std::vector<OptionSpec> specs{{"out", "DIR", "folder for the outputs, created when missing (required)", "o"}};
  for (auto& s : mapping_options()) specs.push_back(s);
  for (auto& s : coordination_option_specs()) specs.push_back(s);
  const std::vector<OptionSpec> own{
      {"seed", "S", "seed of Leiden and of sampled betweenness [1]", ""},
      {"resolution", "G", "Leiden resolution (modularity) when refining clusters [1]", ""},
      {"min-split-modularity", "Q", "split a cluster into its Leiden communities only at this modularity or more [0.3]", ""},
      {"betweenness-budget", "N", "arc visits for betweenness: exact within it, else sampled sources with an error bound [2000000000]", ""},
      {"evidence-csv-rows", "N", "evidence.csv: co-actions written per kept edge (evidence_total counts them all) [5]", ""},
      {"view-max-nodes", "N", "report: accounts drawn per cluster (the highest scores) [5000]", ""},
      {"view-edges-per-node", "N", "report: strongest ties drawn per account in a cluster view [25]", ""},
      {"report-edges-per-account", "N", "report: most significant edges listed with evidence per account [5]", ""},
      {"report-rows-per-edge", "N", "report: co-actions listed per edge (evidence.csv has them all) [3]", ""},
      {"overview-max-accounts", "N", "report: unflagged accounts drawn in the overview [1000]", ""},
      {"timeline-bins", "N", "report: bins of a cluster's timeline (widths rounded up to readable ones) [100]", ""},
      {"top-targets", "N", "report: targets listed per cluster [10]", ""},
      {"name", "NAME", "name of the network in data.h5 (/graphs/NAME, /results/NAME) [coaction]", ""},
      {"store-all-pairs", "", "data.h5: store every co-acting pair with its p-value and evidence, not only the kept edges", ""},
      {"top", "N", "clusters to print [5]", ""},
      {"threads", "N", "OpenMP threads [all cores]", ""},
      {"quiet", "", "print nothing but errors", "q"}};
  specs.insert(specs.end(), own.begin(), own.end());
  return specs;
}

std::uint32_t count_flag(const Args& args, const std::string& name, long long fallback, long long min_value) {
  const long long v = args.get_int(name, fallback, min_value);
  if (v > 0xffffffffLL) throw UsageError("--" + name + " is too large");
  return static_cast<std::uint32_t>(v);
}

}  // namespace

int run_analyze(int argc, char** argv) {
  const auto wall_start = std::chrono::steady_clock::now();
  const std::string started = now_iso8601();
  Args args("analyze", "INPUT... --out DIR [options]",
            "Runs the whole pipeline on raw exports and writes an investigator's report: ingest (with the rejects\n"
            "ledger), co-action layers, the null model and edge filter, coordinated clusters refined by Leiden,\n"
            "account rankings (PageRank, betweenness, degree, k-core, coordination score). Writes into DIR:\n"
            "report.html (self-contained, works offline), report.json, accounts.csv, clusters.csv, edges.csv,\n"
            "evidence.csv, rejects.csv and data.h5 (events, network, results, provenance). The defaults need no\n"
            "tuning; every parameter is recorded in report.json and data.h5. The same input, parameters and seed\n"
            "give byte-identical CSV files and report.json (outside its \"run\" block) on any thread count.",
            analyze_option_specs());
  if (!args.parse(argc, argv, 2)) return 0;
  if (args.positionals().empty()) throw UsageError("analyze: no input files (see --help)");
  const auto out_arg = args.get("out");
  if (!out_arg) throw UsageError("analyze: --out DIR is required");
  if (args.get("threads")) omp_set_num_threads(static_cast<int>(args.get_int("threads", 1, 1)));
  const bool quiet = args.flag("quiet");

  AnalysisOptions options;
  options.ingest = ingest_options_from(args);
  CoordinationFlags flags = coordination_options_from(args);
  options.coordination = flags.options;
  options.window_text = flags.window_text;
  options.weight_name = flags.weight_name;
  options.weight = flags.weight;
  options.seed = static_cast<std::uint64_t>(args.get_int("seed", 1, 0));
  options.resolution = args.get_real("resolution", 1.0);
  options.min_split_modularity = args.get_real("min-split-modularity", 0.3);
  options.betweenness_budget = static_cast<std::uint64_t>(args.get_int("betweenness-budget", 2'000'000'000, 1));
  options.evidence_csv_rows = count_flag(args, "evidence-csv-rows", 5, 0);
  options.stored_edges = args.flag("store-all-pairs") ? StoredEdges::All : StoredEdges::Kept;
  options.view_max_nodes = count_flag(args, "view-max-nodes", 5000, 1);
  options.view_edges_per_node = count_flag(args, "view-edges-per-node", 25, 0);
  options.report_edges_per_account = count_flag(args, "report-edges-per-account", 5, 0);
  options.report_rows_per_edge = count_flag(args, "report-rows-per-edge", 3, 0);
  options.overview_max_accounts = count_flag(args, "overview-max-accounts", 1000, 0);
  options.timeline_bins = count_flag(args, "timeline-bins", 100, 1);
  options.top_targets = count_flag(args, "top-targets", 10, 0);
  const std::string name = args.get_or("name", "coaction");
  const auto top = static_cast<std::size_t>(args.get_int("top", 5, 0));
  check_analysis_options(options);

  namespace fs = std::filesystem;
  const fs::path dir(*out_arg);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) throw InputError({dir.string(), 0, {}}, "cannot create the output folder");
  auto out = [&](const char* file) { return (dir / file).string(); };
  options.ingest.rejects_path = out("rejects.csv");

  ProgressBar bar(quiet);
  options.progress = bar.callback();
  options.stages = [](const ProgressUpdate&) { return !g_interrupted.load(); };
  AnalysisResult result = analyze(args.positionals(), options);
  bar.finish();

  ReportRunInfo run;
  for (int i = 0; i < argc; ++i) run.command.emplace_back(argv[i]);
  run.started = started;
  run.threads = omp_get_max_threads();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const std::vector<StageTime> stages = write_analysis_outputs(dir.string(), result, options, run, name).stages;
  bar.finish();  // the bar drew "storing" while data.h5 was written
  const CoactionNetwork& net = result.coordination.network;
  if (g_interrupted.load()) throw Interrupted();

  if (!quiet) {
    std::cout << ingest_summary(result.ingest, options.ingest.rejects_path);
    std::cout << "window " << format_seconds(net.window_ms) << " s";
    if (options.coordination.coaction.auto_window) std::cout << " (estimated: " << net.window_estimate.method << ")";
    std::cout << "\n";
    for (const auto& l : net.layers) {
      const auto kept = std::count(l.kept.begin(), l.kept.end(), 1);
      std::cout << layer_name(l.layer) << ": " << l.events << " events, " << l.size() << " co-acting pairs, " << kept
                << " kept";
      if (!l.capped_keys.empty())
        std::cout << "; " << l.capped_keys.size() << " popular targets capped, " << l.pairs_left_out
                  << " pairs left out (tightest kept)";
      std::cout << "\n";
    }
    std::size_t flagged = 0;
    for (const auto& c : result.clusters) flagged += c.cluster.members.size();
    std::cout << result.clusters.size() << " coordinated clusters, " << flagged << " accounts flagged\n";
    for (std::size_t i = 0; i < result.clusters.size() && i < top; ++i) {
      const Cluster& c = result.clusters[i].cluster;
      std::cout << "  cluster " << c.id << ": " << c.members.size() << " accounts, density " << format_real(c.density)
                << ", median delay " << format_seconds(c.median_delay_ms) << " s, " << c.targets
                << " targets, co-actions " << format_real(c.observed) << " vs " << format_real(c.expected)
                << " expected (p " << format_real(c.p_value) << "), evidence: " << cluster_evidence_name(c.evidence)
                << (result.clusters[i].split ? " [split]" : "")
                << "\n";
    }
    if (!result.betweenness.exact)
      std::cout << "betweenness estimated from " << result.betweenness.sources << " of "
                << result.betweenness.vertices << " accounts (error bound " << format_real(result.betweenness.error_bound)
                << " at 95%)\n";
    std::cout << "wall time:";
    for (std::size_t i = 0; i < stages.size(); ++i) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.2f", stages[i].seconds);
      std::cout << " " << stages[i].name << " " << secs << " s" << (i + 1 == stages.size() ? "" : ",");
    }
    char total[32];
    std::snprintf(total, sizeof total, "%.2f",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
    std::cout << "; total " << total << " s\n";
    std::cout << "report: " << out("report.html") << "\n";
  }
  return 0;
}

}  // namespace cibgraph::cli
