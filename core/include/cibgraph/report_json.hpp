#pragma once
// report.json (schema "cibgraph-report/1"): everything the investigator's HTML report shows, machine-readable. The
// schema is documented in README.md ("The investigator's pipeline") and in docs of the report template; in short:
// schema, version, run, inputs, rows, parameters, window, summary, clusters (ranked; each with its why, members,
// network view, top targets, timeline against the background and delays against the null), cluster_sizes, accounts,
// evidence (per account drawn in a view), overview.
//
// Everything but the "run" member (when it started, how long each stage took, the thread count and the command line)
// is a function of the input, the options and the seed: the same run on any thread count gives the same bytes
// outside "run". Strings are the input's (adversarial): the JSON escapes them as JSON, nothing more; invalid UTF-8
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

// The report as compact JSON text (UTF-8), members in the schema's order.
std::string report_json(const AnalysisResult& result, const AnalysisOptions& options, const ReportRunInfo& run);

}  // namespace cibgraph
