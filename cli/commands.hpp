#pragma once
// The cibgraph subcommands. Each parses its own arguments, calls the core, and returns an exit code; main()
// turns exceptions into messages and exit codes (2 usage, 3 input, 130 interrupted).
namespace cibgraph::cli {

int run_ingest(int argc, char** argv);
int run_info(int argc, char** argv);
int run_seal(int argc, char** argv);
int run_generate(int argc, char** argv);
int run_project(int argc, char** argv);
int run_interactions(int argc, char** argv);
int run_analyze(int argc, char** argv);

}  // namespace cibgraph::cli
