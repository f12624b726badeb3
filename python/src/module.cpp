// cibgraph._core: the pybind11 module. The C++ core knows nothing of Python; each area binds itself in its own file.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "bindings.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/format.hpp"
#include "cibgraph/version.hpp"

namespace cibgraph::python {

ProgressCallback python_progress(py::object callback) {
  // The callback is shared, not copied: copies of the std::function then never touch Python reference counts
  // without the GIL, and the last one to go releases the callback with the GIL held.
  std::shared_ptr<py::object> user(new py::object(std::move(callback)), [](py::object* p) {
    py::gil_scoped_acquire gil;
    delete p;
  });
  struct Pace {
    std::mutex mutex;
    std::string stage;
    std::chrono::steady_clock::time_point last{};
  };
  auto pace = std::make_shared<Pace>();
  return [user, pace](const ProgressUpdate& u) {
    {
      const auto now = std::chrono::steady_clock::now();
      std::lock_guard lock(pace->mutex);
      const bool boundary = u.unit == "stages" || (u.total != 0 && u.done >= u.total) || u.stage != pace->stage;
      if (!boundary && now - pace->last < std::chrono::milliseconds(50)) return true;
      pace->stage = u.stage;
      pace->last = now;
    }
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (!user->is_none()) {
      py::object keep_going = (*user)(std::string(u.stage), u.done, u.total);
      if (!keep_going.is_none() && !keep_going.cast<bool>()) return false;
    }
    return true;
  };
}

}  // namespace cibgraph::python

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  using namespace cibgraph;
  m.doc() = "cibgraph's C++ core (use the cibgraph package, not this module).";
  m.attr("__version__") = kVersion;

  static py::exception<Error> error(m, "Error");
  static py::exception<InputError> input_error(m, "InputError", error.ptr());
  static py::exception<FormatError> format_error(m, "FormatError", error.ptr());
  static py::exception<UsageError> usage_error(m, "UsageError", error.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Interrupted&) {
      PyErr_SetString(PyExc_KeyboardInterrupt, "interrupted");
    } catch (const InputError& e) {
      input_error(e.what());
    } catch (const FormatError& e) {
      format_error(e.what());
    } catch (const UsageError& e) {
      usage_error(e.what());
    } catch (const Error& e) {
      error(e.what());
    }
  });

  python::bind_events(m);
  python::bind_graph(m);
  python::bind_algorithms(m);
  python::bind_datasets(m);
  python::bind_projection(m);
  python::bind_store(m);
  python::bind_interactions(m);
  python::bind_report(m);
  python::bind_options(m);

  // The display formats (format.hpp): Python's reprs and notebook tables spell numbers as the CLI and the report do.
  m.def("format_count", [](std::uint64_t n) { return format_count(n); }, py::arg("n"),
        "A count: the nearest whole number with thousands separators, '2,455'.");
  m.def("format_count", [](double n) { return format_count(n); }, py::arg("n"));
  m.def("format_ratio", &format_ratio, py::arg("x"), "Any other real: 3 significant digits, '0.638', '2,460', '1.23e-5'.");
  m.def("format_p", &format_p, py::arg("p"), "A p-value: as format_ratio, and 'below 1e-300' below 1e-300 (0 included).");
  m.def("format_counted",
        [](double n, const std::string& singular, const std::string& plural) {
          return format_counted(n, singular, plural);
        },
        py::arg("n"), py::arg("singular"), py::arg("plural") = "",
        "The count and its noun, singular for exactly 1: '1 cluster', '2,455 accounts'.");
  m.def("format_duration", &format_duration, py::arg("seconds"),
        "A duration in seconds: '0.25 s', '12.5 s', '2 min 5 s', '2 h 30 min', '2.5 days'.");
}
