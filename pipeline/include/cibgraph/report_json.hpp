#pragma once
// report.json (schema "cibgraph-report/1"): everything the investigator's HTML report shows, machine-readable. The
// schema is documented in README.md ("The investigator's pipeline") and in docs of the report template; in short:
// schema, version, run, inputs, rows, parameters, window, summary, clusters (ranked; each with its why, members,
// network view, top targets, timeline against the background and delays against the null), cluster_sizes, accounts,
// evidence (per account drawn in a view), overview.
//
// Everything but the "run" member (when it started, how long each stage took, the thread count and the command line)
// is a function of the input, the options and the seed. report.json is written without "run", so it is byte-identical
// for the same input, options and seed on any thread count; report.html embeds the report with "run" appended. Strings are the input's (adversarial): the JSON escapes them as JSON, nothing more; invalid UTF-8
// (which ingest rejects anyway) would be replaced by U+FFFD rather than fail.
#include <cstdint>
#include <string>
#include <vector>

#include "cibgraph/analysis.hpp"

namespace cibgraph {

struct ReportRunInfo {
  std::vector<std::string> command;  // argv as given
  std::string started;               // ISO 8601 UTC
  double seconds = 0;                // wall time of the whole run
  int threads = 0;
  std::vector<StageTime> stages;     // wall time per stage (AnalysisResult::stages and the outputs)
};

// The report as compact JSON text (UTF-8), members in the schema's order, with the run block.
std::string report_json(const AnalysisResult& result, const AnalysisOptions& options, const ReportRunInfo& run);

// The same without the run block: a function of the input, the options and the seed only, so byte-identical for
// the same analysis on any thread count, run after run. This is what report.json holds.
std::string report_json(const AnalysisResult& result, const AnalysisOptions& options);

// When the analysis flagged no cluster: what to try, from what the data holds (layers it has events for that the run
// did not compare, the window and the data's own estimate of it, where the pairs stopped: none co-acting, none passing
// the filter, no group passing the cluster test), in sentences naming the options as the front end spells them (the
// CLI's flags, or Python's keywords); empty when a cluster was flagged. The report shows them (summary.suggestions,
// in the CLI's spelling, so that report.json is the same file whichever front end ran it), `cibgraph analyze` prints
// them, and Python's Findings.suggestions holds them with keywords.
std::vector<std::string> empty_result_suggestions(const AnalysisResult& result, const AnalysisOptions& options,
                                                  OptionSpelling spelling = OptionSpelling::Cli);

// `report` (a report_json text without a run block) with the run block appended as its last member "run" (the
// seed is recorded in it too): what report.html embeds, so that the page shows the run's time and stages.
std::string with_run_block(const std::string& report, const ReportRunInfo& run, std::uint64_t seed);

}  // namespace cibgraph
