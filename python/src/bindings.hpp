#pragma once
// Shared helpers of the binding files: NumPy views over C++ memory that keep their owner alive, and the
// progress callback that lets Ctrl-C (or a notebook's stop button) interrupt long C++ work.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cibgraph/event_table.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/options.hpp"
#include "cibgraph/progress.hpp"
#include "cibgraph/provenance.hpp"
#include "cibgraph/significance.hpp"

namespace cibgraph::python {

namespace py = pybind11;

// A read-only NumPy array viewing vec's memory; `owner` (a shared_ptr holding vec) stays alive as the array's base.
template <class T, class Owner>
py::array_t<T> numpy_view(const std::vector<T>& vec, const std::shared_ptr<Owner>& owner) {
  auto* keep = new std::shared_ptr<Owner>(owner);
  py::capsule base(keep, [](void* p) { delete static_cast<std::shared_ptr<Owner>*>(p); });
  py::array_t<T> arr({static_cast<py::ssize_t>(vec.size())}, {static_cast<py::ssize_t>(sizeof(T))}, vec.data(), base);
  py::detail::array_proxy(arr.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return arr;
}

// A cluster as a dict, in this key order: cluster, members and second_stage_members (account numbers, views kept
// alive by `owner`), kept_edges, density, layers, median_delay_ms, targets, observed, expected, p_value, alpha,
// coordinated. The Python classes build their rows and frames from it.
template <class Owner>
py::dict cluster_dict(const Cluster& c, const std::shared_ptr<Owner>& owner) {
  py::dict d;
  d["cluster"] = c.id;
  d["members"] = numpy_view(c.members, owner);
  d["second_stage_members"] = numpy_view(c.recovered, owner);
  d["kept_edges"] = c.kept_edges;
  d["density"] = c.density;
  py::list layers;
  for (auto l : c.layers) layers.append(std::string(layer_name(l)));
  d["layers"] = layers;
  d["median_delay_ms"] = c.median_delay_ms;
  d["targets"] = c.targets;
  d["observed"] = c.observed;
  d["expected"] = c.expected;
  d["p_value"] = c.p_value;
  d["evidence"] = cluster_evidence_name(c.evidence);
  d["sync_p"] = c.sync_p;
  d["cotarget_p"] = c.cotarget_p;
  d["cotarget_expected"] = c.cotarget_expected;
  d["alpha"] = c.alpha;
  d["coordinated"] = c.coordinated;
  return d;
}

// A writable NumPy array that takes over vec's memory (moved, not copied); the array owns it from then on.
template <class T>
py::array_t<T> numpy_take(std::vector<T>&& vec) {
  auto* owned = new std::vector<T>(std::move(vec));
  py::capsule base(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(owned->size())}, {static_cast<py::ssize_t>(sizeof(T))},
                        owned->data(), base);
}

// Progress for C++ work running without the GIL: a call takes the GIL briefly to check for signals (Ctrl-C raises
// KeyboardInterrupt afterwards) and to call the user's callback(stage, done, total), if any; returning False stops
// the work. Calls come at most every 50 ms (a sweep reports per key, far more often), except the first update of a
// stage, its last (done == total) and every update of a `stages` unit, so a stage's start and end are never missed.
ProgressCallback python_progress(py::object callback);

// The table's text form of a Python keyword's value (options.hpp): bool as on/off, numbers exactly, durations from
// strings, seconds or a (pandas) Timedelta, layers from a list. Throws OptionError naming the keyword.
std::string option_text(const OptionDef& option, py::handle value);
// Sets the Python keywords in `given` (every key must be an option of `scope`, else TypeError with the closest name)
// into `options`, then checks the scope's ranges. A value None keeps the default (a Text option: none).
void apply_python_options(AnalysisOptions& options, const py::dict& given, unsigned scope,
                          const std::string& function);

// What Python holds of an event table: the table with its provenance and, after an ingest, the rejects summary.
struct PyEvents {
  EventTable events;
  Provenance provenance;
  std::map<std::string, std::uint64_t> reject_reasons;
  std::vector<RejectedRow> rejects;
};

// Strings of a dictionary as Python str (invalid UTF-8, which ingest never lets through, as surrogate escapes).
py::str python_string(std::string_view s);

void bind_events(py::module_& m);
void bind_graph(py::module_& m);
void bind_algorithms(py::module_& m);
void bind_datasets(py::module_& m);
void bind_projection(py::module_& m);
void bind_store(py::module_& m);
void bind_interactions(py::module_& m);
void bind_report(py::module_& m);
void bind_options(py::module_& m);

}  // namespace cibgraph::python
