// Events: ingest files, load and save HDF5 data sets; columns cross to NumPy without copies.
#include <pybind11/stl.h>

#include <charconv>
#include <cmath>

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

// A DataFrame column's cells as text (TextColumn), read from its NumPy array. Ids are kept as written: str as its
// UTF-8 (a lone surrogate as its bytes, which ingest rejects as invalid_utf8), int in decimal, a whole-number float
// as an integer (23678.0 -> "23678": an integer column that pandas turned into floats for a missing value), other
// floats in their shortest form, bool as true / false, bytes as they are, anything else as str(). None, NaN and the
// rows flagged in `missing` are missing cells. A list, tuple or array cell of the target column is one value per
// element; elsewhere, or nested, it is not a value, nor is a dict.
class ColumnReader {
 public:
  ColumnReader(TextColumn& out, bool lists) : out_(out), lists_(lists) {}

  void read(const py::array& values, const py::object& missing_mask) {
    if (values.ndim() != 1) throw UsageError(out_.name + ": a column must be one-dimensional");
    const auto n = static_cast<std::size_t>(values.shape(0));
    py::array_t<bool, py::array::c_style | py::array::forcecast> missing;
    if (!missing_mask.is_none()) {
      missing = missing_mask;
      if (static_cast<std::size_t>(missing.size()) != n) throw UsageError(out_.name + ": mask of another length");
    }
    out_.row_ends.reserve(n);
    out_.value_ends.reserve(n);
    const char* base = static_cast<const char*>(values.data());
    const auto stride = values.strides(0);
    const char kind = values.dtype().kind();
    const auto size = values.itemsize();
    for (std::size_t i = 0; i < n; ++i) {
      const char* p = base + static_cast<py::ssize_t>(i) * stride;
      if (missing.size() && missing.data()[i]) {
        out_.end_row();
        continue;
      }
      switch (kind) {
        case 'O': add_object(*reinterpret_cast<PyObject* const*>(p), 0); break;
        case 'b': add_text(*reinterpret_cast<const bool*>(p) ? "true" : "false"); break;
        case 'i':
          add_integer(size == 8   ? *reinterpret_cast<const std::int64_t*>(p)
                      : size == 4 ? *reinterpret_cast<const std::int32_t*>(p)
                      : size == 2 ? *reinterpret_cast<const std::int16_t*>(p)
                                  : *reinterpret_cast<const std::int8_t*>(p));
          break;
        case 'u':
          add_unsigned(size == 8   ? *reinterpret_cast<const std::uint64_t*>(p)
                       : size == 4 ? *reinterpret_cast<const std::uint32_t*>(p)
                       : size == 2 ? *reinterpret_cast<const std::uint16_t*>(p)
                                   : *reinterpret_cast<const std::uint8_t*>(p));
          break;
        case 'f':
          if (size == 8) add_real(*reinterpret_cast<const double*>(p));
          else if (size == 4) add_real(*reinterpret_cast<const float*>(p));
          else throw UsageError(out_.name + ": float" + std::to_string(8 * size) + " columns are not read");
          break;
        default:
          throw UsageError(out_.name + ": a column of dtype " + py::str(values.dtype()).cast<std::string>() +
                           " is not read (convert it to str or numbers)");
      }
      if (not_scalar_.empty()) out_.end_row();
      else {
        out_.end_not_scalar_row(not_scalar_);
        not_scalar_.clear();
      }
    }
  }

 private:
  void add_text(std::string_view s) { out_.add_value(s); }
  void add_integer(std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.add_value({buf, static_cast<std::size_t>(r.ptr - buf)});
  }
  void add_unsigned(std::uint64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.add_value({buf, static_cast<std::size_t>(r.ptr - buf)});
  }
  // NaN is a missing value (no value at all); a whole number is an integer; any other real its own shortest decimal
  // (a float32 0.1 is "0.1", as the CSV of the column writes it, not its double's "0.10000000149011612").
  template <class Real>
  void add_real(Real v) {
    if (std::isnan(v)) return;
    if (v == std::trunc(v) && std::fabs(v) < Real(9.2e18)) return add_integer(static_cast<std::int64_t>(v));
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.add_value({buf, static_cast<std::size_t>(r.ptr - buf)});
  }
  void add_str(PyObject* o) {
    Py_ssize_t size = 0;
    if (const char* utf8 = PyUnicode_AsUTF8AndSize(o, &size)) return out_.add_value({utf8, static_cast<std::size_t>(size)});
    PyErr_Clear();  // lone surrogates: their bytes, refused by ingest as invalid UTF-8 like a file's
    py::bytes raw = py::reinterpret_steal<py::bytes>(PyUnicode_AsEncodedString(o, "utf-8", "surrogatepass"));
    if (!raw) throw py::error_already_set();
    out_.add_value(std::string_view(raw));
  }
  void add_object(PyObject* o, int depth) {
    if (o == Py_None) {
      if (depth > 0) out_.add_value({});  // an empty element, as a JSON null in an array: missing_field
      return;
    }
    if (PyUnicode_Check(o)) return add_str(o);
    if (PyBool_Check(o)) return add_text(o == Py_True ? "true" : "false");
    if (PyLong_Check(o)) {
      int overflow = 0;
      const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
      if (!overflow) return add_integer(v);
      return add_str(py::str(py::handle(o)).ptr());
    }
    if (PyFloat_Check(o)) {
      const double v = PyFloat_AS_DOUBLE(o);
      if (std::isnan(v) && depth > 0) return out_.add_value({});
      return add_real(v);
    }
    if (PyBytes_Check(o)) return out_.add_value({PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o))});
    // NumPy's bool is an integer to Python (it has __index__): spelled as a bool, as in a bool column.
    if (const std::string_view type = Py_TYPE(o)->tp_name; type == "numpy.bool_" || type == "numpy.bool")
      return add_text(PyObject_IsTrue(o) ? "true" : "false");
    // A 0-d array is one value, not a list.
    if (py::isinstance<py::array>(o) && py::reinterpret_borrow<py::array>(o).ndim() == 0) {
      py::object item = py::handle(o).attr("item")();
      return add_object(item.ptr(), depth);
    }
    const bool sequence = PyList_Check(o) || PyTuple_Check(o) || py::isinstance<py::array>(o);
    if (sequence && lists_ && depth == 0) {
      py::object items = py::isinstance<py::array>(o) ? py::handle(o).attr("tolist")()
                                                       : py::reinterpret_borrow<py::object>(o);
      for (auto item : items) {
        add_object(item.ptr(), 1);
        if (!not_scalar_.empty()) return;
      }
      return;
    }
    if (sequence || PyDict_Check(o)) {
      not_scalar_ = py::repr(py::handle(o)).cast<std::string>().substr(0, 4096);
      return;
    }
    if (PyIndex_Check(o)) {  // NumPy integers in an object column
      py::object v = py::reinterpret_steal<py::object>(PyNumber_Index(o));
      if (!v) throw py::error_already_set();
      return add_object(v.ptr(), depth);
    }
    return add_str(py::str(py::handle(o)).ptr());
  }

  TextColumn& out_;
  bool lists_;
  std::string not_scalar_;  // the repr of the current cell when it is not a value
};

// The ingest options of read_events and from_pandas: the table's mapping options as Python gave them (errors name
// `function`'s keywords), the rejects file, every rejected row kept for Python, progress to Python.
IngestOptions python_ingest_options(const py::dict& options, const std::string& rejects, py::object progress,
                                    const char* function) {
  AnalysisOptions all;
  apply_python_options(all, options, kMappingScope, function);
  IngestOptions o = all.ingest;
  o.rejects_path = rejects;
  o.keep_rejects = true;
  o.progress = python_progress(std::move(progress));
  return o;
}

// Runs an ingest without the GIL and hands its events, provenance and rejects to Python.
template <class Ingest>
std::shared_ptr<PyEvents> ingested(Ingest&& run) {
  auto out = std::make_shared<PyEvents>();
  py::gil_scoped_release release;
  IngestResult r = run();
  out->events = std::move(r.events);
  out->provenance = std::move(r.provenance);
  out->reject_reasons = std::move(r.reject_reasons);
  out->rejects = std::move(r.rejects);
  return out;
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
          const IngestOptions o = python_ingest_options(options, rejects, std::move(progress), "read_events");
          return ingested([&] { return ingest(paths, o); });
        },
        py::arg("paths"), py::arg("options"), py::arg("rejects"), py::arg("progress"),
        "Ingest of files with the table's mapping options (Python keywords and values).");

  m.def("ingest_columns",
        [](const py::dict& cells, std::uint64_t rows, const py::dict& options, const std::string& rejects,
           py::object progress, const std::string& label) {
          const IngestOptions o = python_ingest_options(options, rejects, std::move(progress), "from_pandas");
          ColumnTable table;
          table.label = label;
          const std::pair<const char*, TextColumn*> fields[] = {
              {"account", &table.account}, {"action", &table.action}, {"target", &table.target},
              {"time", &table.time},       {"text", &table.text},     {"target_time", &table.target_time}};
          // Each cell: (column name, values, missing mask or None, values are epoch ms).
          auto read = [&](TextColumn& column, py::handle cell_object, bool lists) {
            auto cell = cell_object.cast<py::tuple>();
            column.name = cell[0].cast<std::string>();
            column.epoch_ms = cell[3].cast<bool>();
            ColumnReader(column, lists).read(cell[1].cast<py::array>(), cell[2]);
            if (column.rows() != rows)
              throw UsageError(label + ": column '" + column.name + "' has " + std::to_string(column.rows()) +
                               " rows, not " + std::to_string(rows));
          };
          for (const auto& [field, column] : fields)
            if (cells.contains(field)) read(*column, cells[field], std::string_view(field) == "target");
          if (cells.contains("targets"))
            for (auto cell : cells["targets"].cast<py::list>()) read(table.targets.emplace_back(), cell, true);
          return ingested([&] { return ingest_columns(table, o); });
        },
        py::arg("cells"), py::arg("rows"), py::arg("options"), py::arg("rejects"), py::arg("progress"),
        py::arg("label"),
        "Ingest of a DataFrame's columns: cells maps each field to (column name, NumPy values, missing mask or "
        "None, values are epoch ms), and 'targets' to a list of them in the order of the targets option; options "
        "are the table's mapping options (Python keywords and values).");

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
