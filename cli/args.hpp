#pragma once
// The cibgraph subcommands' command line, parsed by CLI11: --name VALUE, --name=VALUE, -n VALUE, flags, positionals,
// `--`, and a generated --help in one layout for every command. Unknown options are usage errors (exit code 2) that
// name the closest flag ("did you mean --window?").
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cibgraph/error.hpp"

namespace cibgraph::cli {

struct OptionSpec {
  std::string name;        // without dashes, e.g. "account"
  std::string value_name;  // "" for a flag
  std::string help;
  std::string short_name;  // e.g. "o", optional
};

class Args {
 public:
  Args(std::string command, std::string synopsis, std::string description, std::vector<OptionSpec> options)
      : command_(std::move(command)), synopsis_(std::move(synopsis)), description_(std::move(description)),
        specs_(std::move(options)) {
    specs_.push_back({"help", "", "show this help and exit", "h"});
  }

  // Parses argv[first..]; returns false when --help was printed.
  bool parse(int argc, char** argv, int first);

  bool flag(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  std::string get_or(const std::string& name, const std::string& fallback) const { return get(name).value_or(fallback); }
  long long get_int(const std::string& name, long long fallback, long long min_value = 0) const;
  // A real number (the whole value must parse); fallback when the flag is absent.
  double get_real(const std::string& name, double fallback) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  std::string help() const;

 private:
  const OptionSpec* find(const std::string& name) const;
  std::string did_you_mean(const std::string& arg) const;
  std::string command_, synopsis_, description_;
  std::vector<OptionSpec> specs_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
};

}  // namespace cibgraph::cli
