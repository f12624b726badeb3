#pragma once
// Options named for the reader of a message: as a Python keyword (account='account_id', targets={'url': 'url_id'})
// or as the CLI's flag (--account account_id: --NAME with '-' for '_', the option table's rule). Messages that tell
// the user which option fixes something (MappingError in ingest.hpp, OptionAdviceError here, the layer notices and
// the empty-result suggestions of the pipeline) keep the option's name and spell it for the front end that shows
// them.
#include <cstdint>
#include <string>
#include <string_view>

#include "cibgraph/error.hpp"

namespace cibgraph {

enum class OptionSpelling : std::uint8_t { Python, Cli };
// The option set to a value, as the front end writes it: spell_option(Cli, "action_value", "share") is
// "--action-value share", spell_option(Python, ...) "action_value='share'"; without a value, the option alone
// (--sync-bin, sync_bin).
std::string spell_option(OptionSpelling spelling, std::string_view option, std::string_view value);

// A UsageError whose remedy is one option: "<problem>; <advice> <option>", as "sync-time: too many bins; use a wider
// sync_bin". Like MappingError, what() spells the option as a Python keyword and cli_message() as the CLI's flag
// (cli/main.cpp prints it); `value` is an example value ("" for none).
class OptionAdviceError : public UsageError {
 public:
  OptionAdviceError(std::string problem, std::string advice, std::string option, std::string value = {});
  const std::string& option() const noexcept { return option_; }
  std::string message(OptionSpelling spelling) const;
  std::string cli_message() const { return message(OptionSpelling::Cli); }

 private:
  std::string problem_, advice_, option_, value_;
};

}  // namespace cibgraph
