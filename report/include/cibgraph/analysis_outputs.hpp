#pragma once
// Everything `cibgraph analyze` writes into its output folder, written once: the CLI and the Python package
// (cibgraph.analyze, Findings.write) both call write_analysis_outputs, so the same analysis gives the same files.
// It lives in the report library because report.html needs render_report_html; the rest is core's writers.
#include <string>
#include <vector>

#include "cibgraph/analysis.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/report_json.hpp"

namespace cibgraph {

struct AnalysisOutputs {
  std::vector<StageTime> stages;  // the analysis's stages, "csv outputs" and "data.h5", as in report.html's run block
  std::string report_json;        // the text written to report.json and stored in data.h5 (no run block)
  std::string report_with_run;    // the same with the run block appended: what report.html embeds
  EvidenceCsvCounts evidence_csv;  // what evidence.csv holds: edges and rows written of the kept edges
};

// How rejects.csv comes about. The CLI streams the ledger while ingesting (IngestOptions::rejects_path = the
// folder's rejects.csv), so there is nothing to write afterwards; an analysis run with keep_rejects (Python) holds
// every rejected row in result.ingest.rejects and has them written here, in the same format.
enum class RejectsOutput { WrittenByIngest, FromResult };

// The files write_analysis_outputs writes into `dir`, in the order listed below.
std::vector<std::string> analysis_output_paths(const std::string& dir);

// Writes into `dir` (created when missing):
//   accounts.csv, clusters.csv         write_accounts_csv, write_flagged_clusters_csv (analysis.hpp)
//   edges.csv, evidence.csv            write_edges_csv (options.weight), write_evidence_csv (evidence_csv_rows,
//                                      evidence_csv_edges)
//   report.json                        report_json(result, options): no run block
//   data.h5                            write_events, then write_analysis_store under `name` (report.json's text)
//   report.html                        render_report_html of report.json with the run block appended
//                                      (with_run_block): run.stages = result.stages, then {"csv outputs", time
//                                      writing the four CSV files} and {"data.h5", time writing the store};
//                                      run.seconds increased by the time spent here (pass the wall time so far)
// Every file but report.html (which shows the run) is a function of the result and the options: the same analysis
// gives the same bytes on any thread count (data.h5 also records the stage times as the analysis measured them).
// Throws InputError naming the file that cannot be written, and UsageError (refuse_outputs_over_inputs, before
// writing anything) when one of these files is one of the analysis's inputs.
AnalysisOutputs write_analysis_outputs(const std::string& dir, const AnalysisResult& result,
                                       const AnalysisOptions& options, ReportRunInfo run, const std::string& name,
                                       RejectsOutput rejects = RejectsOutput::WrittenByIngest);

}  // namespace cibgraph
