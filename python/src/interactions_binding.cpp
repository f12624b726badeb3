// Interaction graphs (retweet / mention / reply, directed account -> account): the Graph is a view into the result,
// which the arrays and the graph keep alive.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "cibgraph/interaction.hpp"

namespace cibgraph::python {

void bind_interactions(py::module_& m) {
  using InteractionPtr = std::shared_ptr<InteractionGraph>;
  py::class_<InteractionGraph, InteractionPtr>(m, "InteractionGraph", "A directed interaction graph between accounts.")
      // The aliasing constructor: a Graph handle that shares ownership of the whole result, no copy.
      .def_property_readonly("graph", [](const InteractionPtr& g) { return std::shared_ptr<Graph>(g, &g->graph); })
      .def_property_readonly("first_time_ms", [](const InteractionPtr& g) { return numpy_view(g->first_time_ms, g); })
      .def_property_readonly("last_time_ms", [](const InteractionPtr& g) { return numpy_view(g->last_time_ms, g); })
      .def_property_readonly("extra_accounts", [](const InteractionGraph& g) { return g.extra_accounts; })
      .def_property_readonly("events_used", [](const InteractionGraph& g) { return g.events_used; })
      .def_property_readonly("self_loops_dropped", [](const InteractionGraph& g) { return g.self_loops_dropped; });
  m.def(
      "interaction_graph",
      [](const std::shared_ptr<PyEvents>& events, const std::vector<std::string>& actions, bool self_loops) {
        InteractionOptions o;
        o.actions = actions;
        o.include_self_loops = self_loops;
        py::gil_scoped_release release;
        return std::make_shared<InteractionGraph>(interaction_graph(events->events, o));
      },
      py::arg("events"), py::arg("actions"), py::arg("self_loops"));
}

}  // namespace cibgraph::python
