#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "args.hpp"
#include "cibgraph/format.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/network_store.hpp"
#include "cibgraph/store.hpp"
#include "commands.hpp"
#include "pipeline_options.hpp"
#include "progress_bar.hpp"

namespace cibgraph::cli {
std::string ingest_summary(const IngestResult& r, const std::string& rejects_path) {
  std::ostringstream out;
  const auto& p = r.provenance;
  out << "rows read " << format_count(p.rows_read) << " = accepted " << format_count(p.rows_accepted) << " + rejected "
      << format_count(p.rows_rejected) << (p.rows_read == p.rows_accepted + p.rows_rejected ? "" : "  (DOES NOT RECONCILE)")
      << "\n";
  for (const auto& in : p.inputs) {
    out << "  " << in.path << " (" << in.format << ", " << format_count(in.size_bytes) << " bytes, sha256 "
        << in.sha256.substr(0, 16) << "…): read " << format_count(in.rows_read) << ", accepted "
        << format_count(in.rows_accepted) << ", rejected " << format_count(in.rows_rejected);
    if (in.rows_without_target) out << " (" << format_count(in.rows_without_target) << " accepted with no target)";
    if (in.blank_lines) out << ", blank lines " << format_count(in.blank_lines);
    out << "\n";
  }
  if (p.rows_without_target)
    out << format_counted(p.rows_without_target, "accepted row") << (p.rows_without_target == 1 ? " has" : " have")
        << " every mapped target cell empty: no event\n";
  if (!r.reject_reasons.empty()) {
    out << "rejected by reason:";
    const char* sep = " ";
    for (const auto& [code, n] : r.reject_reasons) {
      out << sep << code << " " << format_count(n);
      sep = ", ";
    }
    out << "\n";
  }
  if (p.rows_rejected && !rejects_path.empty()) out << "rejected rows written to " << rejects_path << "\n";
  const auto& ev = r.events;
  out << "events " << format_count(ev.size()) << ", accounts " << format_count(ev.accounts.size()) << ", targets "
      << format_count(ev.targets.size()) << ", texts " << format_count(ev.texts.size()) << ", actions";
  std::vector<std::uint64_t> per_action(ev.actions.size(), 0);
  for (auto a : ev.action) ++per_action[a];
  for (std::uint32_t a = 0; a < ev.actions.size(); ++a) out << " " << ev.actions[a] << "=" << format_count(per_action[a]);
  out << "\n";
  return out.str();
}

int run_ingest(int argc, char** argv) {
  auto specs = option_specs(kMappingScope);
  specs.insert(specs.begin(), {{"output", "FILE", "HDF5 data set to write (required)", "o"},
                               {"rejects", "FILE", "rejects ledger (CSV) [rejects.csv beside the output]", ""},
                               {"quiet", "", "no progress and no summary", "q"}});
  Args args("ingest", "INPUT... -o data.h5 [options]",
            "Reads CSV (RFC 4180; .gz too) and JSONL exports, maps their columns onto events\n"
            "(account, action, target, time[, text][, target_time]) and writes them with their string\n"
            "dictionaries and provenance (SHA-256 of each input) into one HDF5 file. Every row is accepted or\n"
            "written to the rejects ledger with file, line, field and reason; the summary reconciles.",
            specs);
  if (!args.parse(argc, argv, 2)) return 0;
  if (args.positionals().empty()) throw UsageError("ingest: no input files (see --help)");
  const auto out = args.get("output");
  if (!out) throw UsageError("ingest: -o/--output FILE is required");
  AnalysisOptions all;
  apply_options(args, kMappingScope, all);
  IngestOptions options = all.ingest;
  const std::filesystem::path out_path(*out);
  options.rejects_path = args.get_or("rejects", (out_path.parent_path() / "rejects.csv").string());
  const bool quiet = args.flag("quiet");
  ProgressBar bar(quiet);
  options.progress = bar.callback();
  refuse_outputs_over_inputs(args.positionals(), {*out});  // ingest() checks the rejects ledger
  IngestResult result = ingest(args.positionals(), options);
  bar.finish();
  write_events(*out, result.events, result.provenance);
  if (!quiet) std::cout << ingest_summary(result, options.rejects_path) << "wrote " << *out << "\n";
  return 0;
}

int run_info(int argc, char** argv) {
  Args args("info", "DATA.h5", "Describes a cibgraph HDF5 data set: events, dictionaries, time range, provenance.", {});
  if (!args.parse(argc, argv, 2)) return 0;
  if (args.positionals().size() != 1) throw UsageError("info: give exactly one HDF5 file");
  std::cout << describe(inspect_contents(args.positionals()[0]));
  return 0;
}

int run_seal(int argc, char** argv) {
  Args args("seal", "DATA.h5",
            "Re-seals a cibgraph HDF5 file that was changed on purpose (an attribute or dataset added with h5py, say):\n"
            "every cibgraph file carries its size and SHA-256 in its first 512 bytes, and a file that differs from\n"
            "them is refused as corrupted. seal records the file as it is now, then reads it back as every reader does\n"
            "(events, dictionaries, stored networks); if that fails, the old record is put back and the error shown,\n"
            "so a file cibgraph or HDF5 cannot read is never sealed. Prints what changed.",
            {});
  if (!args.parse(argc, argv, 2)) return 0;
  if (args.positionals().size() != 1) throw UsageError("seal: give exactly one HDF5 file");
  const std::string& path = args.positionals()[0];
  const SealReport r = seal_store(path, [&] { verify_store(path); });
  if (!r.changed()) {
    std::cout << path << ": already sealed, unchanged (" << format_count(r.size) << " bytes, sha256 "
              << r.sha256.substr(0, 16) << "…)\n";
  } else if (r.recorded_sha256.empty()) {
    std::cout << path << ": sealed (it had no readable integrity record): " << format_count(r.size) << " bytes, sha256 "
              << r.sha256.substr(0, 16) << "…\n";
  } else {
    std::cout << path << ": sealed; it changed since it was written: " << format_count(r.recorded_size) << " -> "
              << format_count(r.size) << " bytes, sha256 " << r.recorded_sha256.substr(0, 16) << "… -> "
              << r.sha256.substr(0, 16) << "…; it reads as a valid store\n";
  }
  return 0;
}

}  // namespace cibgraph::cli
