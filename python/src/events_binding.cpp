// Events: ingest files, load and save HDF5 data sets; columns cross to NumPy without copies.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/store.hpp"

namespace cibgraph::python {
namespace {

py::list strings_of(const StringDictionary& d) {
  py::list out(d.size());
  for (std::uint32_t i = 0; i < d.size(); ++i) out[i] = python_string(d.view(i));
  return out;
}

py::dict provenance_dict(const Provenance& p) {
  py::dict d;
  py::list inputs;
  for (const auto& in : p.inputs) {
    py::dict i;
    i["path"] = in.path;
    i["sha256"] = in.sha256;
    i["size_bytes"] = in.size_bytes;
    i["format"] = in.format;
    i["rows_read"] = in.rows_read;
    i["rows_accepted"] = in.rows_accepted;
    i["rows_rejected"] = in.rows_rejected;
    i["blank_lines"] = in.blank_lines;
    i["rows_without_target"] = in.rows_without_target;
    inputs.append(i);
  }
  d["inputs"] = inputs;
  d["mapping_json"] = p.mapping_json;
  d["cibgraph_version"] = p.cibgraph_version;
  d["ingested_at"] = p.ingested_at;
  d["rows_read"] = p.rows_read;
  d["rows_accepted"] = p.rows_accepted;
  d["rows_rejected"] = p.rows_rejected;
  d["rows_without_target"] = p.rows_without_target;
  d["events"] = p.events;
  return d;
}

}  // namespace

py::str python_string(std::string_view s) {
  return py::reinterpret_steal<py::str>(
      PyUnicode_DecodeUTF8(s.data(), static_cast<py::ssize_t>(s.size()), "surrogateescape"));
}

void bind_events(py::module_& m) {
  py::class_<PyEvents, std::shared_ptr<PyEvents>>(m, "EventTable", "Columnar events with string dictionaries.")
      .def_property_readonly("account", [](const std::shared_ptr<PyEvents>& s) { return numpy_view(s->events.account, s); })
      .def_property_readonly("action", [](const std::shared_ptr<PyEvents>& s) { return numpy_view(s->events.action, s); })
      .def_property_readonly("target", [](const std::shared_ptr<PyEvents>& s) { return numpy_view(s->events.target, s); })
      .def_property_readonly("time", [](const std::shared_ptr<PyEvents>& s) { return numpy_view(s->events.time, s); })
      .def_property_readonly("text", [](const std::shared_ptr<PyEvents>& s) { return numpy_view(s->events.text, s); })
      .def_property_readonly("target_time",
                             [](const std::shared_ptr<PyEvents>& s) -> py::object {
                               if (!s->events.has_target_time()) return py::none();
                               return numpy_view(s->events.target_time, s);
                             })
      .def_property_readonly("accounts", [](const PyEvents& s) { return strings_of(s.events.accounts); })
      .def_property_readonly("actions", [](const PyEvents& s) { return strings_of(s.events.actions); })
      .def_property_readonly("targets", [](const PyEvents& s) { return strings_of(s.events.targets); })
      .def_property_readonly("texts", [](const PyEvents& s) { return strings_of(s.events.texts); })
      .def_property_readonly("provenance", [](const PyEvents& s) { return provenance_dict(s.provenance); })
      .def_property_readonly("reject_reasons", [](const PyEvents& s) { return s.reject_reasons; })
      .def_property_readonly("rejects",
                             [](const PyEvents& s) {
                               py::list out;
                               for (const auto& r : s.rejects)
                                 out.append(py::make_tuple(r.file, r.line, r.field, r.reason,
                                                           py::bytes(r.raw)));
                               return out;
                             })
      .def(
          "strings",
          [](const PyEvents& s, const std::string& kind,
             py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast> ids) {
            const StringDictionary& d = kind == "accounts" ? s.events.accounts
                                        : kind == "targets" ? s.events.targets
                                        : kind == "texts"   ? s.events.texts
                                        : kind == "actions" ? s.events.actions
                                                            : throw UsageError("no dictionary '" + kind + "'");
            py::list out(static_cast<std::size_t>(ids.size()));
            for (py::ssize_t i = 0; i < ids.size(); ++i) {
              const auto id = ids.data()[i];
              if (id >= d.size()) throw UsageError(kind + " id " + std::to_string(id) + " out of range");
              out[static_cast<std::size_t>(i)] = python_string(d.view(id));
            }
            return out;
          },
          py::arg("kind"), py::arg("ids"), "The strings of the given ids of one dictionary.")
      .def(
          "find_account",
          [](const PyEvents& s, const std::string& name) -> py::object {
            const auto id = s.events.accounts.find(name);
            if (id == StringDictionary::kMissing) return py::none();
            return py::int_(id);
          },
          py::arg("name"))
      .def(
          "relabel_input",
          [](PyEvents& s, const std::string& path, const std::string& label) {
            // An input that was a temporary file (a DataFrame written out for ingest) is named by what it was.
            for (auto& in : s.provenance.inputs)
              if (in.path == path) in.path = label;
            for (auto& r : s.rejects)
              if (r.file == path) r.file = label;
          },
          py::arg("path"), py::arg("label"))
      .def_property_readonly("num_accounts", [](const PyEvents& s) { return s.events.accounts.size(); })
      .def_property_readonly("num_targets", [](const PyEvents& s) { return s.events.targets.size(); })
      .def("__len__", [](const PyEvents& s) { return s.events.size(); })
      .def("save",
           [](const PyEvents& s, const std::string& path) {
             py::gil_scoped_release release;
             write_events(path, s.events, s.provenance);
           },
           py::arg("path"));

  m.def("read_events",
        [](const std::vector<std::string>& paths, const py::dict& options, const std::string& rejects,
           py::object progress) {
          AnalysisOptions all;
          apply_python_options(all, options, kMappingScope, "read_events");
          IngestOptions o = all.ingest;
          o.rejects_path = rejects;
          o.keep_rejects = true;
          o.progress = python_progress(progress);
          auto out = std::make_shared<PyEvents>();
          {
            py::gil_scoped_release release;
            IngestResult r = ingest(paths, o);
            out->events = std::move(r.events);
            out->provenance = std::move(r.provenance);
            out->reject_reasons = std::move(r.reject_reasons);
            out->rejects = std::move(r.rejects);
          }
          return out;
        },
        py::arg("paths"), py::arg("options"), py::arg("rejects"), py::arg("progress"),
        "Ingest of files with the table's mapping options (Python keywords and values).");

  m.def("load_events",
        [](const std::string& path) {
          auto out = std::make_shared<PyEvents>();
          py::gil_scoped_release release;
          StoredEvents stored = read_events(path);
          out->events = std::move(stored.events);
          out->provenance = std::move(stored.provenance);
          return out;
        },
        py::arg("path"));
}

}  // namespace cibgraph::python
