// Options spelled for the front end that shows a message (option_spelling.hpp).
#include "cibgraph/option_spelling.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "cibgraph/ingest.hpp"  // parse_target_columns: a targets value spelled as a Python dict

namespace cibgraph {

std::string spell_option(OptionSpelling spelling, std::string_view option, std::string_view value) {
  if (spelling == OptionSpelling::Cli) {
    std::string flag = "--" + std::string(option);
    std::replace(flag.begin(), flag.end(), '_', '-');
    return value.empty() ? flag : flag + " " + std::string(value);
  }
  if (value.empty()) return std::string(option);
  if (option == "targets") {
    // url=url_id,hashtag=hashtag_id -> {'url': 'url_id', 'hashtag': 'hashtag_id'} when it parses, else the text.
    try {
      std::string out;
      for (const auto& t : parse_target_columns(value))
        out += (out.empty() ? "" : ", ") + ("'" + t.action + "': '" + t.column + "'");
      return "targets={" + out + "}";
    } catch (const UsageError&) {
    }
  }
  return std::string(option) + "='" + std::string(value) + "'";
}

OptionAdviceError::OptionAdviceError(std::string problem, std::string advice, std::string option, std::string value)
    : UsageError(problem + "; " + advice + " " + spell_option(OptionSpelling::Python, option, value)),
      problem_(std::move(problem)),
      advice_(std::move(advice)),
      option_(std::move(option)),
      value_(std::move(value)) {}

std::string OptionAdviceError::message(OptionSpelling spelling) const {
  return problem_ + "; " + advice_ + " " + spell_option(spelling, option_, value_);
}

}  // namespace cibgraph
