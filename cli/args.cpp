#include "args.hpp"

#include <charconv>
#include <iostream>

namespace cibgraph::cli {

const OptionSpec* Args::find(const std::string& name) const {
  for (const auto& s : specs_)
    if (s.name == name || (!s.short_name.empty() && s.short_name == name)) return &s;
  return nullptr;
}

bool Args::parse(int argc, char** argv, int first) {
  bool only_positionals = false;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_positionals || arg.size() < 2 || arg[0] != '-') {
      positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positionals = true;
      continue;
    }
    std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionSpec* spec = find(name);
    if (!spec) throw UsageError("cibgraph " + command_ + ": unknown option '" + arg + "' (see --help)");
    if (spec->name == "help") {
      std::cout << help();
      return false;
    }
    if (spec->value_name.empty()) {
      if (inline_value) throw UsageError("cibgraph " + command_ + ": option --" + spec->name + " takes no value");
      values_[spec->name] = "1";
      continue;
    }
    if (inline_value) {
      values_[spec->name] = *inline_value;
    } else {
      if (i + 1 >= argc) throw UsageError("cibgraph " + command_ + ": option --" + spec->name + " needs a value");
      values_[spec->name] = argv[++i];
    }
  }
  return true;
}

long long Args::get_int(const std::string& name, long long fallback, long long min_value) const {
  auto v = get(name);
  if (!v) return fallback;
  long long out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < min_value)
    throw UsageError("cibgraph " + command_ + ": --" + name + " needs an integer >= " + std::to_string(min_value) +
                     ", got '" + *v + "'");
  return out;
}

double Args::get_real(const std::string& name, double fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    const double value = std::stod(*v, &used);
    if (used == v->size()) return value;
  } catch (const std::exception&) {
  }
  throw UsageError("cibgraph " + command_ + ": --" + name + " needs a number, got '" + *v + "'");
}

std::string Args::help() const {
  std::string out = "usage: cibgraph " + command_ + " " + synopsis_ + "\n\n" + description_ + "\n\noptions:\n";
  for (const auto& s : specs_) {
    std::string left = "  ";
    if (!s.short_name.empty()) left += "-" + s.short_name + ", ";
    left += "--" + s.name;
    if (!s.value_name.empty()) left += " " + s.value_name;
    if (left.size() < 30) left.resize(30, ' ');
    else left += "\n" + std::string(30, ' ');
    out += left + s.help + "\n";
  }
  return out;
}

}  // namespace cibgraph::cli
