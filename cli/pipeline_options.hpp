#pragma once
// The commands' flags for the pipeline's options come from the one table of options (cibgraph/options.hpp): the flag
// is the option's name with '-' for '_', the help line and default are the table's, and the values are parsed and
// range-checked by set_option. Commands add only their own flags (--out, --top, --quiet, ...).
#include <string>
#include <vector>

#include "args.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/layer_notices.hpp"
#include "cibgraph/options.hpp"

namespace cibgraph::cli {

// The flags of the table's options in `scope` (OptionScope bits), in the table's order.
std::vector<OptionSpec> option_specs(unsigned scope);
// The flag of one option of the table (a command offering an option outside its scopes: project's --store-all-pairs).
OptionSpec option_spec(std::string_view name);
// Sets every option of `scope` given on the command line into `options` (in the table's order), then checks the
// scope's ranges. Errors are OptionError (main prints them with the flag's spelling).
void apply_options(const Args& args, unsigned scope, AnalysisOptions& options);

// The layers that read no event (cibgraph/layer_notices.hpp): one "cibgraph: warning: ..." line each on stderr,
// --quiet or not; when no layer read any event, an InputError (exit code 3) instead, as the run compared nothing.
// `remap`: the command that maps columns when this one does not ("cibgraph ingest" for project; layer_notices.hpp).
void report_layer_notices(const LayerNotices& notices, std::string_view remap = {});

// The reconciled row counts, per-file lines, reject reasons and table sizes `ingest` prints.
std::string ingest_summary(const IngestResult& result, const std::string& rejects_path);

}  // namespace cibgraph::cli
