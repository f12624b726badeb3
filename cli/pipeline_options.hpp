#pragma once
// Option definitions shared by the commands that run the same stages, so that a flag has one name, one help text and
// one default everywhere: the column mapping (ingest, analyze) and the coordination pipeline (project, analyze).
#include <string>
#include <vector>

#include "args.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/pipeline.hpp"
#include "cibgraph/significance.hpp"

namespace cibgraph::cli {

// --account, --action, --action-value, --target, --time, --text, --target-time, --time-format, --format, ...
// (defined in ingest_command.cpp).
std::vector<OptionSpec> mapping_options();
IngestOptions ingest_options_from(const Args& args);
// The reconciled row counts, per-file lines, reject reasons and table sizes `ingest` prints.
std::string ingest_summary(const IngestResult& result, const std::string& rejects_path);

// --layers, --window, --filter, --fdr, --min-co-actions, --min-targets, --cluster-edge-p, --min-core,
// --min-triangles, --member-alpha, --cluster-alpha, --min-excess, --min-cluster-size, --second-stage, --min-tie-share, --burst-scale, --percentile, --weight,
// --max-pairs-per-target, --evidence-per-edge, --sync-bin, --sync-min-events, --memory-budget.
std::vector<OptionSpec> coordination_option_specs();

struct CoordinationFlags {
  CoordinationOptions options;  // stages and progress left empty
  std::string window_text;      // as given: "60s", "auto"
  std::string weight_name;      // count, distinct, idf, tfidf
  EdgeWeight weight = EdgeWeight::Idf;
};
CoordinationFlags coordination_options_from(const Args& args);

}  // namespace cibgraph::cli
