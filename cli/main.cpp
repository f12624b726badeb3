// cibgraph: the command-line face of the library. Every capability lives in the core; this file dispatches.
#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <new>

#include "cibgraph/error.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/options.hpp"
#include "cibgraph/version.hpp"
#include "commands.hpp"
#include "hugepages.hpp"
#include "progress_bar.hpp"

namespace {

constexpr const char* kUsage = R"(usage: cibgraph <command> [options]

Finds coordinated inauthentic account networks in social media exports.

commands:
  ingest     read CSV / JSONL exports into an HDF5 data set, with a rejects ledger
  info       describe an HDF5 data set: events, dictionaries, time range, provenance
  seal       re-seal a data set changed on purpose (e.g. an attribute added with h5py) so cibgraph reads it again
  generate   write the planted-campaign scenario (events + ground truth)
  project    build the co-action network, test it against the null model, print the clusters
  interactions  the directed retweet / mention / reply graph between accounts
  analyze    the whole pipeline on raw exports: clusters, rankings, an offline HTML report, CSV, JSON, HDF5

options:
  --help     show this help (and `cibgraph <command> --help` for a command)
  --version  print the version
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace cibgraph;
  cli::prepare_process(argv);
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    // The OpenMP settings too (prepare_process chose them): what a bug report about speed needs first.
    const char* wait = std::getenv("OMP_WAIT_POLICY");
    std::cout << "cibgraph " << kVersion << " (OpenMP: " << omp_get_max_threads() << " threads, wait policy "
              << (wait ? wait : "libgomp's default") << ")\n";
    return 0;
  }
  cli::install_interrupt_handler();
  try {
    if (command == "ingest") return cli::run_ingest(argc, argv);
    if (command == "info") return cli::run_info(argc, argv);
    if (command == "seal") return cli::run_seal(argc, argv);
    if (command == "generate") return cli::run_generate(argc, argv);
    if (command == "project") return cli::run_project(argc, argv);
    if (command == "interactions") return cli::run_interactions(argc, argv);
    if (command == "analyze") return cli::run_analyze(argc, argv);
    std::cerr << "cibgraph: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
  } catch (const OptionError& e) {
    std::cerr << "cibgraph: " << e.cli_message() << "\n";
    return 2;
  } catch (const MappingError& e) {
    std::cerr << "cibgraph: error: " << e.cli_message() << "\n";
    return 3;
  } catch (const OptionAdviceError& e) {
    std::cerr << "cibgraph: " << e.cli_message() << "\n";
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "cibgraph: " << e.what() << "\n";
    return 2;
  } catch (const Interrupted&) {
    std::cerr << "\ncibgraph: interrupted\n";
    return 130;
  } catch (const InputError& e) {
    std::cerr << "cibgraph: error: " << e.what() << "\n";
    return 3;
  } catch (const FormatError& e) {
    std::cerr << "cibgraph: error: " << e.what() << "\n";
    return 3;
  } catch (const Error& e) {
    std::cerr << "cibgraph: error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    // The input is too large for the memory this process may use (RAM, ulimit -v): an input error, exit code 3.
    std::cerr << "cibgraph: error: out of memory: the input needs more memory than this process may use (about 125 "
                 "bytes per event for the projection; a lower --memory-budget spills pair records to disk sooner)\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "cibgraph: internal error: " << e.what() << "\n";
    return 1;
  }
}
