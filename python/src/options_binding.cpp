// The one table of options (cibgraph/options.hpp) in Python: cibgraph._core.option_table() gives the keywords,
// defaults and help lines the Python functions' signatures and docstrings are built from (cibgraph/_options.py), and
// apply_python_options turns keyword values into the table's text form, so Python and the CLI parse and check every
// value the same way, and errors name the Python keyword.
#include <pybind11/stl.h>

#include <cmath>
#include <cstdio>

#include "bindings.hpp"
#include "cibgraph/options.hpp"

namespace cibgraph::python {
namespace {

std::string type_name(py::handle v) { return py::str(py::type::of(v).attr("__name__")).cast<std::string>(); }

bool is_bool(py::handle v) { return py::isinstance<py::bool_>(v) || type_name(v) == "bool_"; }

bool is_integer(py::handle v) {
  return !is_bool(v) && (py::isinstance<py::int_>(v) || (py::hasattr(v, "__index__") && !py::isinstance<py::str>(v)));
}

bool is_number(py::handle v) { return !is_bool(v) && (is_integer(v) || py::isinstance<py::float_>(v) || py::hasattr(v, "__float__")); }

std::string seconds_text(double s) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15gs", s);
  return buf;
}

py::object default_value(const OptionDef& d) {
  const std::string text(d.default_text);
  switch (d.kind) {
    case OptionKind::Count: return py::int_(std::stoull(text));
    case OptionKind::Real: return py::float_(std::stod(text));
    case OptionKind::Switch:
    case OptionKind::Flag: return py::bool_(text == "on");
    case OptionKind::Text:
    case OptionKind::Pairs: return text.empty() ? py::object(py::none()) : py::object(py::str(text));
    default: return py::str(text);
  }
}

}  // namespace

std::string option_text(const OptionDef& d, py::handle v) {
  const std::string name(d.name);
  auto bad = [&](const std::string& wanted) -> std::string {
    throw OptionError(name, "must be " + wanted + ", not " + type_name(v) + " (" + py::repr(v).cast<std::string>() + ")");
  };
  switch (d.kind) {
    case OptionKind::Switch:
    case OptionKind::Flag:
      if (is_bool(v)) return v.cast<bool>() ? "on" : "off";
      if (py::isinstance<py::str>(v)) return v.cast<std::string>();
      return bad("True or False");
    case OptionKind::Count:
      if (is_integer(v)) return py::str(py::int_(v.attr("__index__")())).cast<std::string>();
      if (py::isinstance<py::str>(v)) return v.cast<std::string>();
      if (py::isinstance<py::float_>(v)) {
        const double x = v.cast<double>();
        if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9e15) return std::to_string(static_cast<long long>(x));
        throw OptionError(name, "needs a whole number, got " + py::repr(v).cast<std::string>());
      }
      return bad("a whole number");
    case OptionKind::Real:
      if (is_number(v)) return py::repr(py::float_(v.cast<double>())).cast<std::string>();
      if (py::isinstance<py::str>(v)) return v.cast<std::string>();
      return bad("a number");
    case OptionKind::Duration:
      if (py::isinstance<py::str>(v)) return v.cast<std::string>();
      if (type_name(v) == "timedelta64") {  // before is_number: NumPy's timedelta64 has __index__ too
        const double s = v.attr("astype")("timedelta64[us]").attr("astype")("int64").cast<double>() / 1e6;
        if (!(s >= 0)) throw OptionError(name, "must be a non-negative duration, not " + py::repr(v).cast<std::string>());
        return seconds_text(s);
      }
      if (is_number(v)) {
        const double s = v.cast<double>();
        if (!(s >= 0) || !std::isfinite(s)) throw OptionError(name, "must be a non-negative number of seconds, not " + py::repr(v).cast<std::string>());
        return seconds_text(s);
      }
      if (py::hasattr(v, "total_seconds")) {  // datetime.timedelta, pandas.Timedelta
        const double s = v.attr("total_seconds")().cast<double>();
        if (!(s >= 0)) throw OptionError(name, "must be a non-negative duration, not " + py::repr(v).cast<std::string>());
        return seconds_text(s);
      }
      return bad("a duration ('60s', '500ms'), a number of seconds or a Timedelta");
    case OptionKind::Layers:
      if (py::isinstance<py::str>(v)) return v.cast<std::string>();
      if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
        std::string out;
        for (auto item : v) {
          if (!py::isinstance<py::str>(item)) return bad("a layer name or a list of layer names");
          out += (out.empty() ? "" : ",") + item.cast<std::string>();
        }
        return out;
      }
      return bad("a layer name or a list of layer names");
    case OptionKind::Pairs:
      // targets: "url=url_id,hashtag=hashtag_id", or {"url": "url_id", "hashtag": ["tag1", "tag2"]}.
      if (v.is_none()) return "";
      if (py::isinstance<py::str>(v)) return v.cast<std::string>();
      if (py::isinstance<py::dict>(v)) {
        std::string out;
        for (auto item : v.cast<py::dict>()) {
          if (!py::isinstance<py::str>(item.first)) return bad("a dict of str keys");
          const std::string key = item.first.cast<std::string>();
          auto add = [&](py::handle value) {
            if (!py::isinstance<py::str>(value)) bad("a dict whose values are column names (str) or lists of them");
            out += (out.empty() ? "" : ",") + key + "=" + value.cast<std::string>();
          };
          if (py::isinstance<py::list>(item.second) || py::isinstance<py::tuple>(item.second))
            for (auto value : item.second) add(value);
          else
            add(item.second);
        }
        return out;
      }
      return bad("a str such as 'url=url_id,hashtag=hashtag_id' or a dict such as {'url': 'url_id'}");
    case OptionKind::Text:
      if (v.is_none()) return "";
      if (py::isinstance<py::str>(v)) return v.cast<std::string>();
      return bad("a str");
    case OptionKind::Choice:
      if (py::isinstance<py::str>(v)) return v.cast<std::string>();
      return bad("one of " + d.range_text());
  }
  return bad("a value");
}

void apply_python_options(AnalysisOptions& options, const py::dict& given, unsigned scope, const std::string& function) {
  // Unknown keywords first, all of them, as Python itself would refuse them.
  for (auto item : given) {
    const std::string key = py::str(item.first).cast<std::string>();
    const OptionDef* d = find_option(key);
    if (d && (d->scope & scope) && key.find('-') == std::string::npos) continue;
    const std::string near = closest_option(key, scope);
    throw py::type_error(function + "() got an unexpected keyword argument '" + key + "'" +
                         (near.empty() ? "" : "; did you mean '" + near + "'?"));
  }
  for (const OptionDef* d : options_in(scope)) {
    if (!given.contains(py::str(std::string(d->name)))) continue;
    py::object v = given[py::str(std::string(d->name))];
    if (v.is_none() && d->kind != OptionKind::Text && d->kind != OptionKind::Pairs) continue;  // None: the default
    set_option(options, *d, option_text(*d, v));
  }
  check_options(options, scope);
}

void bind_options(py::module_& m) {
  m.def(
      "option_table",
      [] {
        py::list out;
        for (const auto& d : option_table()) {
          py::dict o;
          o["name"] = std::string(d.name);
          o["flag"] = d.flag();
          o["kind"] = std::string(to_string(d.kind));
          o["default"] = default_value(d);
          o["default_text"] = std::string(d.default_text);
          o["help"] = std::string(d.help);
          o["help_line"] = d.help_line();
          o["range"] = d.range_text();
          o["value_name"] = std::string(d.value_name);
          o["stored"] = std::string(d.stored);
          py::list scopes;
          if (d.scope & kMappingScope) scopes.append("mapping");
          if (d.scope & kCoordinationScope) scopes.append("coordination");
          if (d.scope & kAnalysisScope) scopes.append("analysis");
          o["scope"] = scopes;
          py::list choices;
          for (const std::string_view c : d.choice_list()) choices.append(std::string(c));
          o["choices"] = choices;
          out.append(o);
        }
        return out;
      },
      "The pipeline's options, one dict each (name, flag, kind, default, help, range, stored, scope, choices): the "
      "table the CLI's flags and the Python keywords come from.");
  m.def(
      "option_values",
      [](const py::dict& given, const std::vector<std::string>& scopes, const std::string& function) {
        unsigned scope = 0;
        for (const auto& s : scopes)
          scope |= s == "mapping" ? kMappingScope : s == "coordination" ? kCoordinationScope : kAnalysisScope;
        AnalysisOptions o;
        apply_python_options(o, given, scope, function);
        py::dict out;
        for (const OptionDef* d : options_in(scope)) out[py::str(std::string(d->name))] = get_option(o, *d);
        return out;
      },
      py::arg("options"), py::arg("scopes"), py::arg("function") = "options",
      "Every option of the scopes as the pipeline would run it (the table's text form), after applying `options` "
      "(Python values) and checking them: what a call with these keywords would use.");
}

}  // namespace cibgraph::python
