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
#include "cibgraph/format.hpp"
#include "cibgraph/time.hpp"
#include "commands.hpp"
#include "pipeline_options.hpp"
#include "progress_bar.hpp"

namespace cibgraph::cli {
namespace {

std::vector<OptionSpec> analyze_option_specs() {
  std::vector<OptionSpec> specs{{"out", "DIR", "folder for the outputs, created when missing (required)", "o"}};
  for (auto& s : option_specs(kMappingScope | kCoordinationScope | kAnalysisScope)) specs.push_back(s);
  const std::vector<OptionSpec> own{
      {"name", "NAME", "name of the network in data.h5 (/graphs/NAME, /results/NAME) [coaction]", ""},
      {"top", "N", "clusters to print [5]", ""},
      {"threads", "N", "OpenMP threads [all cores]", ""},
      {"quiet", "", "print nothing but errors and warnings", "q"}};
  specs.insert(specs.end(), own.begin(), own.end());
  return specs;
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
  apply_options(args, kMappingScope | kCoordinationScope | kAnalysisScope, options);
  const std::string name = args.get_or("name", "coaction");
  const auto top = static_cast<std::size_t>(args.get_int("top", 5, 0));
  check_analysis_options(options);

  namespace fs = std::filesystem;
  const fs::path dir(*out_arg);
  refuse_outputs_over_inputs(args.positionals(), analysis_output_paths(dir.string()));  // before anything is written
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
  report_layer_notices(result.coordination.layer_notices);

  ReportRunInfo run;
  for (int i = 0; i < argc; ++i) run.command.emplace_back(argv[i]);
  run.started = started;
  run.threads = omp_get_max_threads();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const AnalysisOutputs written = write_analysis_outputs(dir.string(), result, options, run, name);
  const std::vector<StageTime>& stages = written.stages;
  bar.finish();  // the bar drew "storing" while data.h5 was written
  const CoactionNetwork& net = result.coordination.network;
  if (g_interrupted.load()) throw Interrupted();

  if (!quiet) {
    std::cout << ingest_summary(result.ingest, options.ingest.rejects_path);
    std::cout << "window " << format_duration(static_cast<double>(net.window_ms) / 1000);
    if (options.coordination.coaction.auto_window) std::cout << " (estimated: " << net.window_estimate.method << ")";
    std::cout << "\n";
    for (const auto& l : net.layers) {
      const auto kept = static_cast<std::uint64_t>(std::count(l.kept.begin(), l.kept.end(), 1));
      std::cout << layer_name(l.layer) << ": " << format_counted(l.events, "event") << ", "
                << format_counted(std::uint64_t{l.size()}, "co-acting pair") << ", " << format_count(kept) << " kept";
      if (!l.capped_keys.empty())
        std::cout << "; " << format_counted(std::uint64_t{l.capped_keys.size()}, "popular target") << " capped, "
                  << format_counted(l.pairs_left_out, "pair") << " left out (tightest kept)";
      std::cout << "\n";
    }
    std::uint64_t flagged = 0;
    for (const auto& c : result.clusters) flagged += c.cluster.members.size();
    std::cout << format_counted(std::uint64_t{result.clusters.size()}, "coordinated cluster") << ", "
              << format_counted(flagged, "account") << " flagged\n";
    for (std::size_t i = 0; i < result.clusters.size() && i < top; ++i) {
      const Cluster& c = result.clusters[i].cluster;
      std::cout << "  cluster " << c.id << ": " << format_counted(std::uint64_t{c.members.size()}, "account")
                << ", density " << format_ratio(c.density) << ", median delay "
                << format_duration(static_cast<double>(c.median_delay_ms) / 1000) << ", " << (c.targets_at_least ? "at least " : "")
                << format_counted(c.targets, "target") << ", co-actions " << format_count(c.observed)
                << " vs " << format_ratio(c.expected) << " expected (" << p_phrase(c.p_value)
                << "), evidence: " << cluster_evidence_name(c.evidence) << (result.clusters[i].split ? " [split]" : "")
                << "\n";
    }
    for (const std::string& suggestion : empty_result_suggestions(result, options)) std::cout << "try: " << suggestion << "\n";
    const EvidenceCsvCounts& evidence = written.evidence_csv;
    if (evidence.edges < evidence.edges_kept)
      std::cout << "evidence.csv: the co-actions of " << format_count(evidence.edges) << " of the "
                << format_count(evidence.edges_kept) << " kept edges (each account's "
                << format_count(std::uint64_t{options.evidence_csv_edges})
                << " most significant; --evidence-csv-edges 0 writes them all); edges.csv lists every kept edge\n";
    if (!result.betweenness.exact)
      std::cout << "betweenness estimated from " << format_count(std::uint64_t{result.betweenness.sources}) << " of "
                << format_counted(std::uint64_t{result.betweenness.vertices}, "account") << " (error bound "
                << format_ratio(result.betweenness.error_bound) << " at 95%)\n";
    std::cout << "wall time:";
    for (std::size_t i = 0; i < stages.size(); ++i)
      std::cout << " " << stages[i].name << " " << format_duration(stages[i].seconds)
                << (i + 1 == stages.size() ? "" : ",");
    std::cout << "; total "
              << format_duration(std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count())
              << "\n";
    std::cout << "report: " << out("report.html") << "\n";
  }
  return 0;
}

}  // namespace cibgraph::cli
