#pragma once
// Shared helpers of the binding files: NumPy views over C++ memory that keep their owner alive, and the
// progress callback that lets Ctrl-C (or a notebook's stop button) interrupt long C++ work.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <vector>

#include "cibgraph/progress.hpp"

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

// A writable NumPy array that takes over vec's memory (moved, not copied); the array owns it from then on.
template <class T>
py::array_t<T> numpy_take(std::vector<T>&& vec) {
  auto* owned = new std::vector<T>(std::move(vec));
  py::capsule base(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(owned->size())}, {static_cast<py::ssize_t>(sizeof(T))},
                        owned->data(), base);
}

// Progress for C++ work running without the GIL: every call takes the GIL briefly to check for signals (Ctrl-C
// raises KeyboardInterrupt afterwards) and to call the user's callback(stage, done, total), if any.
ProgressCallback python_progress(py::object callback);

void bind_events(py::module_& m);
void bind_graph(py::module_& m);
void bind_algorithms(py::module_& m);
void bind_datasets(py::module_& m);

}  // namespace cibgraph::python
