// cibgraph._core: the pybind11 module. The C++ core knows nothing of Python; each area binds itself in its own file.
#include "bindings.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/version.hpp"

namespace cibgraph::python {

ProgressCallback python_progress(py::object callback) {
  return [callback](const ProgressUpdate& u) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (!callback.is_none()) {
      py::object keep_going = callback(std::string(u.stage), u.done, u.total);
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
}
