#pragma once
// Everything `cibgraph analyze` writes into its output folder, written once: the CLI and the Python package
// (cibgraph.analyze, Findings.write) both call write_analysis_outputs, so the same analysis gives the same files.
// It lives in the report library because report.html needs render_report_html; the rest is core's writers.
#include <string>
#include <vector>

#include "cibgraph/analysis.hpp"
#include "cibgraph/report_json.hpp"

namespace cibgraph {

struct AnalysisOutputs {
  std::vector<StageTime> stages;  // the analysis's stages and "csv outputs", as recorded in report.json's run
  std::string report_json;        // the text written to report.json (and stored in data.h5)
};

// How rejects.csv comes about. The CLI streams the ledger while ingesting (IngestOptions::rejects_path = the
// folder's rejects.csv), so there is nothing to write afterwards; an analysis run with keep_rejects (Python) holds
// every rejected row in result.ingest.rejects and has them written here, in the same format.
enum class RejectsOutput { WrittenByIngest, FromResult };

// Writes into `dir` (created when missing):
//   accounts.csv, clusters.csv         write_accounts_csv, write_flagged_clusters_csv (analysis.hpp)
//   edges.csv, evidence.csv            write_edges_csv (options.weight), write_evidence_csv (evidence_csv_rows)
//   report.json                        report_json(result, options, run) with run.stages = result.stages followed
//                                      by {"csv outputs", time spent writing the four CSV files}, and run.seconds
//                                      increased by the time spent here before report.json is written (pass the
//                                      run's wall time so far)
//   report.html                        render_report_html of that JSON
//   data.h5                            write_events, then write_analysis_store under `name`
//   rejects.csv                        only with RejectsOutput::FromResult (see above)
// Every file but report.json's "run" block and what embeds it (report.html, data.h5) is a function of the result and
// the options. Throws InputError naming the file that cannot be written.
AnalysisOutputs write_analysis_outputs(const std::string& dir, const AnalysisResult& result,
                                       const AnalysisOptions& options, ReportRunInfo run, const std::string& name,
                                       RejectsOutput rejects = RejectsOutput::WrittenByIngest);

}  // namespace cibgraph
