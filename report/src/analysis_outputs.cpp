#include "cibgraph/analysis_outputs.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "cibgraph/error.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/report_html.hpp"
#include "cibgraph/store.hpp"

namespace cibgraph {
namespace {

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError({path, 0, {}}, "cannot write");
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::vector<std::string> analysis_output_paths(const std::string& dir) {
  std::vector<std::string> out;
  for (const char* file : {"report.html", "report.json", "accounts.csv", "clusters.csv", "edges.csv", "evidence.csv",
                           "rejects.csv", "data.h5"})
    out.push_back((std::filesystem::path(dir) / file).string());
  return out;
}

AnalysisOutputs write_analysis_outputs(const std::string& dir, const AnalysisResult& result,
                                       const AnalysisOptions& options, ReportRunInfo run, const std::string& name,
                                       RejectsOutput rejects) {
  namespace fs = std::filesystem;
  const auto start = std::chrono::steady_clock::now();
  const fs::path folder(dir);
  std::vector<std::string> inputs;
  for (const auto& in : result.ingest.provenance.inputs) inputs.push_back(in.path);
  refuse_outputs_over_inputs(inputs, analysis_output_paths(dir));
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder)) throw InputError({folder.string(), 0, {}}, "cannot create the output folder");
  auto out = [&](const char* file) { return (folder / file).string(); };

  const EventTable& ev = result.ingest.events;
  const CoactionNetwork& net = result.coordination.network;
  if (rejects == RejectsOutput::FromResult) write_rejects_csv(out("rejects.csv"), result.ingest.rejects);
  const auto csv_start = std::chrono::steady_clock::now();
  write_accounts_csv(out("accounts.csv"), result);
  write_flagged_clusters_csv(out("clusters.csv"), result);
  write_edges_csv(out("edges.csv"), ev, net, options.weight);
  AnalysisOutputs written;
  written.evidence_csv = write_evidence_csv(out("evidence.csv"), ev, net, options.coordination.coaction.sync_bin_ms,
                                            options.evidence_csv_rows, options.evidence_csv_edges);
  written.stages = result.stages;
  written.stages.push_back({"csv outputs", seconds_since(csv_start)});

  // report.json has no run block (the same bytes for the same analysis); data.h5 stores the same text.
  written.report_json = report_json(result, options);
  write_text(out("report.json"), written.report_json);
  const auto store_start = std::chrono::steady_clock::now();
  write_events(out("data.h5"), ev, result.ingest.provenance);
  write_analysis_store(out("data.h5"), name, result, analysis_parameters_json(options, result), written.report_json,
                       options.progress, options.stored_edges);
  written.stages.push_back({"data.h5", seconds_since(store_start)});

  // report.html shows the run too: its stages, and the wall time up to here.
  run.stages = written.stages;
  run.seconds += seconds_since(start);
  written.report_with_run = with_run_block(written.report_json, run, options.seed);
  write_text(out("report.html"), render_report_html(written.report_with_run));
  return written;
}

}  // namespace cibgraph
