// The one graph type: built from NumPy edge arrays, its CSR arrays visible to NumPy without copies.
#include <algorithm>
#include <limits>
#include <span>
#include <vector>

#include "bindings.hpp"
#include "cibgraph/graph.hpp"

namespace cibgraph::python {
namespace {

// The subgraph induced by `keep` (ascending, distinct vertex numbers), vertex i being keep[i]: what an algorithm
// runs on when given a network, whose exports hold only some of its graph's vertices. The renumbering is
// monotone, so each row stays sorted and the arcs keep their order. O(n + m).
Graph renumbered_subgraph(const Graph& g, std::span<const std::uint32_t> keep) {
  constexpr std::uint32_t kOut = std::numeric_limits<std::uint32_t>::max();
  const std::uint32_t n = g.num_vertices();
  std::vector<std::uint32_t> local(n, kOut);
  for (std::size_t i = 0; i < keep.size(); ++i) {
    if (keep[i] >= n) throw UsageError("vertex " + std::to_string(keep[i]) + " is not in the graph");
    if (i > 0 && keep[i] <= keep[i - 1]) throw UsageError("vertices must be ascending and distinct");
    local[keep[i]] = static_cast<std::uint32_t>(i);
  }
  const bool weighted = !g.weights.empty();
  std::vector<std::uint64_t> offsets{0};
  offsets.reserve(keep.size() + 1);
  std::vector<std::uint32_t> targets;
  std::vector<float> weights;
  for (const std::uint32_t v : keep) {
    for (std::uint64_t a = g.offsets[v]; a < g.offsets[v + 1]; ++a) {
      const std::uint32_t t = local[g.targets[a]];
      if (t == kOut) continue;
      targets.push_back(t);
      if (weighted) weights.push_back(g.weights[a]);
    }
    offsets.push_back(targets.size());
  }
  return Graph(std::move(offsets), std::move(targets), std::move(weights), g.directed);
}

}  // namespace

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
      .def(
          "subgraph",
          [](const Graph& g, py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast> vertices) {
            if (vertices.ndim() != 1) throw UsageError("vertices must be one-dimensional");
            const std::span<const std::uint32_t> keep(vertices.data(), static_cast<std::size_t>(vertices.size()));
            py::gil_scoped_release release;
            return std::make_shared<Graph>(renumbered_subgraph(g, keep));
          },
          py::arg("vertices"),
          "The subgraph induced by `vertices` (ascending vertex numbers), renumbered: vertex i of the result is "
          "vertices[i]; the arcs among them keep their weights and order.")
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
