#include "args.hpp"

#include <CLI/CLI.hpp>

#include <cctype>
#include <charconv>
#include <iostream>

#include "cibgraph/options.hpp"

namespace cibgraph::cli {

const OptionSpec* Args::find(const std::string& name) const {
  for (const auto& s : specs_)
    if (s.name == name || (!s.short_name.empty() && s.short_name == name)) return &s;
  return nullptr;
}

std::string Args::did_you_mean(const std::string& arg) const {
  std::string name = arg.substr(arg.find_first_not_of('-'));
  name = name.substr(0, name.find('='));
  std::vector<std::string> names;
  for (const auto& s : specs_) names.push_back(s.name);
  const std::string near = closest_name(name, names);
  return near.empty() ? "" : "; did you mean --" + near + "?";
}

// CLI11 parses (the --name VALUE, --name=VALUE, -n VALUE, flags, positionals and -- conventions, each option at
// most its last value); this class keeps the commands' small interface, the help layout of every command and one
// message style: "COMMAND: what is wrong" (main adds "cibgraph: ").
bool Args::parse(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") break;
    if (a == "--help" || a == "-h") {
      std::cout << help();
      return false;
    }
  }
  CLI::App app(description_, "cibgraph " + command_);
  app.set_help_flag();  // --help is ours (above), with the layout every command shares
  std::vector<std::pair<const OptionSpec*, CLI::Option*>> options;
  for (const auto& s : specs_) {
    if (s.name == "help") continue;
    const std::string names = (s.short_name.empty() ? "" : "-" + s.short_name + ",") + "--" + s.name;
    CLI::Option* o = s.value_name.empty() ? app.add_flag(names)
                                          : app.add_option(names)->type_name(s.value_name)->expected(1)->multi_option_policy(
                                                CLI::MultiOptionPolicy::TakeLast);
    options.emplace_back(&s, o);
  }
  std::vector<std::string> positionals;
  app.add_option("positionals", positionals)->expected(0, -1);
  // Before CLI11: a flag given a value (--quiet=false, -q=1) is refused rather than switched on, and a short option's
  // -x=VALUE is -x VALUE (CLI11 would keep the '=' in the value).
  std::vector<std::string> forward;
  bool after_dashes = false;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (after_dashes || a == "--" || a.size() < 3 || a[0] != '-' || a.find('=') == std::string::npos) {
      after_dashes = after_dashes || a == "--";
      forward.push_back(std::move(a));
      continue;
    }
    const bool long_form = a[1] == '-';
    const std::string name = long_form ? a.substr(2, a.find('=') - 2) : a.substr(1, a.find('=') - 1);
    const OptionSpec* spec = (long_form || name.size() == 1) ? find(name) : nullptr;
    if (spec && spec->value_name.empty())
      throw UsageError(command_ + ": option --" + spec->name + " takes no value, got '" + a + "'");
    if (spec && !long_form) {  // -o=DIR
      forward.push_back("-" + name);
      forward.push_back(a.substr(a.find('=') + 1));
      continue;
    }
    forward.push_back(std::move(a));
  }
  std::vector<std::string> tokens(forward.rbegin(), forward.rend());  // CLI11 takes them reversed
  try {
    app.parse(tokens);
  } catch (const CLI::ExtrasError&) {
    for (const auto& extra : app.remaining()) {
      if (extra.size() > 1 && extra[0] == '-')
        throw UsageError(command_ + ": unknown option '" + extra + "'" + did_you_mean(extra) + " (see cibgraph " +
                         command_ + " --help)");
    }
    throw UsageError(command_ + ": unexpected argument '" + app.remaining().front() + "'");
  } catch (const CLI::ArgumentMismatch& e) {
    // The option CLI11 names: the longest flag that occurs whole in its message (--top is in "--top-targets").
    std::string which;
    const std::string what = e.what();
    const auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
    for (const auto& [spec, o] : options) {
      const std::string flag = "--" + spec->name;
      for (auto at = what.find(flag); at != std::string::npos; at = what.find(flag, at + 1)) {
        const std::size_t end = at + flag.size();
        if ((end == what.size() || !name_char(what[end])) && flag.size() > which.size()) which = flag;
      }
    }
    if (!which.empty()) {
      const OptionSpec* spec = find(which.substr(2));
      throw UsageError(command_ + ": option " + which +
                       (spec && spec->value_name.empty() ? " takes no value" : " needs a value"));
    }
    throw UsageError(command_ + ": " + e.what());
  } catch (const CLI::ParseError& e) {
    throw UsageError(command_ + ": " + e.what());
  }
  for (const auto& [spec, o] : options) {
    if (o->count() == 0) continue;
    if (spec->value_name.empty()) values_[spec->name] = "1";
    else values_[spec->name] = o->results().back();
  }
  positionals_ = std::move(positionals);
  return true;
}

long long Args::get_int(const std::string& name, long long fallback, long long min_value) const {
  auto v = get(name);
  if (!v) return fallback;
  long long out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < min_value)
    throw UsageError(command_ + ": --" + name + " needs an integer >= " + std::to_string(min_value) + ", got '" + *v +
                     "'");
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
  throw UsageError(command_ + ": --" + name + " needs a number, got '" + *v + "'");
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
