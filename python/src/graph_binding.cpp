// The one graph type: built from NumPy edge arrays, its CSR arrays visible to NumPy without copies.
#include <algorithm>

#include "bindings.hpp"
#include "cibgraph/graph.hpp"

namespace cibgraph::python {

void bind_graph(py::module_& m) {
  using GraphPtr = std::shared_ptr<Graph>;
  py::class_<Graph, GraphPtr>(m, "Graph", "A weighted graph in CSR form (offsets, targets, weights).")
      .def_static(
          "from_edges",
          [](py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast> src,
             py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast> dst, py::object weights,
             py::object n, bool directed, const std::string& merge) {
            if (src.ndim() != 1 || dst.ndim() != 1) throw InputError("src and dst must be one-dimensional");
            py::array_t<float, py::array::c_style | py::array::forcecast> w;
            if (!weights.is_none()) w = weights;
            std::uint64_t vertices = 0;
            if (!n.is_none()) {
              const auto requested = n.cast<long long>();
              if (requested < 0) throw InputError("n must be non-negative");
              vertices = static_cast<std::uint64_t>(requested);
            } else {
              for (py::ssize_t i = 0; i < src.size(); ++i)
                vertices = std::max<std::uint64_t>(vertices, std::max(src.data()[i], dst.data()[i]) + 1ULL);
            }
            if (vertices > Graph::max_vertices) throw InputError("too many vertices (at most 2^31 - 1)");
            DuplicatePolicy policy = DuplicatePolicy::Sum;
            if (merge == "max") policy = DuplicatePolicy::Max;
            else if (merge == "first") policy = DuplicatePolicy::First;
            else if (merge == "count") policy = DuplicatePolicy::Count;
            else if (merge != "sum") throw UsageError("merge must be sum, max, first or count");
            std::span<const std::uint32_t> s(src.data(), static_cast<std::size_t>(src.size()));
            std::span<const std::uint32_t> d(dst.data(), static_cast<std::size_t>(dst.size()));
            std::span<const float> ws;
            if (!weights.is_none()) ws = {w.data(), static_cast<std::size_t>(w.size())};
            py::gil_scoped_release release;
            return std::make_shared<Graph>(
                Graph::from_edges(static_cast<std::uint32_t>(vertices), s, d, ws, directed, policy));
          },
          py::arg("src"), py::arg("dst"), py::arg("weights") = py::none(), py::arg("n") = py::none(),
          py::arg("directed") = false, py::arg("merge") = "sum",
          "Builds a graph from edge arrays; parallel edges are merged (sum, max, first or count).")
      .def_property_readonly("offsets", [](const GraphPtr& g) { return numpy_view(g->offsets, g); })
      .def_property_readonly("targets", [](const GraphPtr& g) { return numpy_view(g->targets, g); })
      .def_property_readonly("weights", [](const GraphPtr& g) { return numpy_view(g->weights, g); })
      .def_property_readonly("directed", [](const Graph& g) { return g.directed; })
      .def_property_readonly("num_vertices", &Graph::num_vertices)
      .def_property_readonly("num_edges", &Graph::num_edges)
      .def_property_readonly("num_arcs", &Graph::num_arcs)
      .def("__repr__", [](const Graph& g) {
        return "<cibgraph.Graph " + std::string(g.directed ? "directed" : "undirected") + ", " +
               std::to_string(g.num_vertices()) + " vertices, " + std::to_string(g.num_edges()) + " edges>";
      });
}

}  // namespace cibgraph::python
