#include "pipeline_options.hpp"

#include <iostream>
#include <stdexcept>

namespace cibgraph::cli {

namespace {

OptionSpec spec_of(const OptionDef& d) {
  return {d.flag().substr(2), d.kind == OptionKind::Flag ? "" : std::string(d.value_name), d.help_line(),
          std::string(d.short_flag)};
}

}  // namespace

std::vector<OptionSpec> option_specs(unsigned scope) {
  std::vector<OptionSpec> specs;
  for (const OptionDef* d : options_in(scope)) specs.push_back(spec_of(*d));
  return specs;
}

OptionSpec option_spec(std::string_view name) {
  const OptionDef* d = find_option(name);
  if (!d) throw std::logic_error("no option " + std::string(name));
  return spec_of(*d);
}

void apply_options(const Args& args, unsigned scope, AnalysisOptions& options) {
  for (const OptionDef* d : options_in(scope)) {
    const std::string flag = d->flag().substr(2);
    if (d->kind == OptionKind::Flag) {
      if (args.flag(flag)) set_option(options, *d, "on");
    } else if (auto value = args.get(flag)) {
      set_option(options, *d, *value);
    }
  }
  if ((scope & kMappingScope) && args.get("action") && args.get("action-value"))
    throw UsageError("give --action or --action-value, not both");
  if ((scope & kMappingScope) && args.get("targets") &&
      (args.get("target") || args.get("action") || args.get("action-value")))
    throw UsageError("give --targets or --target / --action / --action-value, not both: --targets names each column's "
                     "action (url=url_id,hashtag=hashtag_id)");
  check_options(options, scope);
}

void report_layer_notices(const LayerNotices& notices, std::string_view remap) {
  const std::vector<std::string> lines = layer_notice_lines(notices, OptionSpelling::Cli, remap);
  if (notices.nothing_read) throw InputError(lines.front());
  for (const auto& line : lines) std::cerr << "cibgraph: warning: " << line << "\n";
}

}  // namespace cibgraph::cli
