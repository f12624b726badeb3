// The HDF5 store for networks: save a coordination network beside its events, load it back, list what a file holds.
#include <pybind11/stl.h>

#include <filesystem>

#include "bindings.hpp"
#include "cibgraph/network_store.hpp"
#include "cibgraph/store.hpp"
#include "projection.hpp"

namespace cibgraph::python {

void bind_store(py::module_& m) {
  m.def(
      "save_network",
      [](const std::shared_ptr<PyNetwork>& n, const std::string& path, const std::string& name, py::object progress,
         bool all_pairs) {
        ProgressCallback callback = python_progress(std::move(progress));
        {
          py::gil_scoped_release release;
          if (!std::filesystem::exists(path)) {
            write_events(path, n->events->events, n->events->provenance);
          } else if (read_provenance(path) != n->events->provenance) {
            // A network's ids point into its own events' dictionaries: storing it beside other events would make it
            // name the wrong accounts.
            throw UsageError(path + ": the file holds other events than the network was built from (save to a new "
                                    "file, or to the file the events were loaded from)");
          }
          write_network(path, name, n->result.network, n->result.clusters, n->parameters_json, callback,
                        all_pairs ? StoredEdges::All : StoredEdges::Kept);
        }
        callback = nullptr;  // drop the Python callback with the GIL held
      },
      py::arg("network"), py::arg("path"), py::arg("name"), py::arg("progress") = py::none(),
      py::arg("all_pairs") = false);

  m.def(
      "load_network",
      [](const std::string& path, const std::string& name) {
        auto n = std::make_shared<PyNetwork>();
        n->events = std::make_shared<PyEvents>();
        {
          py::gil_scoped_release release;
          NetworkRecord record = read_network(path, name);
          StoredEvents stored = read_events(path);
          n->events->events = std::move(stored.events);
          n->events->provenance = std::move(stored.provenance);
          n->result.network = std::move(record.network);
          n->result.clusters = std::move(record.clusters);
          n->parameters_json = std::move(record.parameters_json);
          n->created_at = std::move(record.created_at);
        }
        restore_options(*n);
        return n;
      },
      py::arg("path"), py::arg("name"));

  m.def(
      "list_networks",
      [](const std::string& path) {
        py::gil_scoped_release release;
        return list_networks(path);
      },
      py::arg("path"));

  m.def(
      "seal_store",
      [](const std::string& path) {
        SealReport r;
        {
          py::gil_scoped_release release;
          r = seal_store(path, [&] { verify_store(path); });
        }
        py::dict out;
        out["changed"] = r.changed();
        out["recorded_size"] = r.recorded_size;
        out["recorded_sha256"] = r.recorded_sha256;
        out["size"] = r.size;
        out["sha256"] = r.sha256;
        return out;
      },
      py::arg("path"));
}

}  // namespace cibgraph::python
