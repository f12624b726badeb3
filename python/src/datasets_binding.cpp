// Generated data sets: LFR benchmark graphs with their planted communities, and the planted-campaign scenario
// (events and ground truth as the CSV files `cibgraph generate planted` writes).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "cibgraph/datasets/lfr.hpp"
#include "cibgraph/datasets/planted_campaigns.hpp"

namespace cibgraph::python {

void bind_datasets(py::module_& m) {
  struct PyLfr {
    datasets::LfrGraph graph;
  };
  py::class_<PyLfr, std::shared_ptr<PyLfr>>(m, "LfrGraph", "An LFR benchmark graph and its planted communities.")
      .def_property_readonly("n", [](const PyLfr& g) { return g.graph.n; })
      .def_property_readonly("src", [](const std::shared_ptr<PyLfr>& g) { return numpy_view(g->graph.src, g); })
      .def_property_readonly("dst", [](const std::shared_ptr<PyLfr>& g) { return numpy_view(g->graph.dst, g); })
      .def_property_readonly("community",
                             [](const std::shared_ptr<PyLfr>& g) { return numpy_view(g->graph.community, g); })
      .def_property_readonly("realised_mixing", [](const PyLfr& g) { return g.graph.realised_mixing; })
      .def("__repr__", [](const PyLfr& g) {
        return "<cibgraph.LfrGraph " + std::to_string(g.graph.n) + " vertices, " +
               std::to_string(g.graph.src.size()) + " edges, realised mixing " +
               std::to_string(g.graph.realised_mixing) + ">";
      });
  m.def(
      "lfr",
      [](std::uint32_t n, double average_degree, std::uint32_t max_degree, double degree_exponent,
         double community_exponent, double mixing, std::uint32_t min_community, std::uint32_t max_community,
         std::uint64_t seed) {
        datasets::LfrOptions o;
        o.n = n;
        o.average_degree = average_degree;
        o.max_degree = max_degree;
        o.degree_exponent = degree_exponent;
        o.community_exponent = community_exponent;
        o.mixing = mixing;
        o.min_community = min_community;
        o.max_community = max_community;
        o.seed = seed;
        auto out = std::make_shared<PyLfr>();
        {
          py::gil_scoped_release release;
          out->graph = datasets::lfr(o);
        }
        return out;
      },
      py::arg("n") = 1000, py::arg("average_degree") = 20.0, py::arg("max_degree") = 50,
      py::arg("degree_exponent") = 2.0, py::arg("community_exponent") = 1.0, py::arg("mixing") = 0.1,
      py::arg("min_community") = 20, py::arg("max_community") = 100, py::arg("seed") = 0,
      "LFR benchmark graph (Lancichinetti, Fortunato & Radicchi 2008): power-law degrees and community sizes, each\n"
      "vertex giving a share `mixing` of its edges outside its community. Returns an LfrGraph with src, dst,\n"
      "community (NumPy views) and realised_mixing.");

  m.def(
      "generate_planted",
      [](const std::string& events_csv, const std::string& truth_csv, std::uint64_t events, std::uint64_t seed,
         int days) {
        datasets::PlantedOptions o;
        o.events = events;
        o.seed = seed;
        o.days = days;
        datasets::PlantedSummary s;
        {
          py::gil_scoped_release release;
          s = datasets::write_planted_campaigns(o, events_csv, truth_csv);
        }
        py::dict d;
        d["events"] = s.events;
        d["accounts"] = s.accounts;
        d["pages"] = s.pages;
        d["posts"] = s.posts;
        d["organic_accounts"] = s.organic_accounts;
        d["fanclub_accounts"] = s.fanclub_accounts;
        d["campaign_accounts"] = s.campaign_accounts;
        d["shares"] = s.shares;
        d["comments"] = s.comments;
        d["coordinated_events"] = s.coordinated_events;
        d["camouflage_events"] = s.camouflage_events;
        d["fanclub_events"] = s.fanclub_events;
        d["viral_events"] = s.viral_events;
        d["networks"] = s.networks;
        d["network_sizes"] = s.network_sizes;
        d["fan_clubs"] = s.fan_clubs;
        d["fan_club_sizes"] = s.fan_club_sizes;
        d["squad_accounts"] = s.squad_accounts;
        d["squad_events"] = s.squad_events;
        d["squads"] = s.squads;
        d["squad_sizes"] = s.squad_sizes;
        d["viral_posts"] = s.viral_posts;
        d["multi_network_posts"] = s.multi_network_posts;
        return d;
      },
      py::arg("events_csv"), py::arg("truth_csv"), py::arg("events"), py::arg("seed"), py::arg("days"));
}

}  // namespace cibgraph::python
