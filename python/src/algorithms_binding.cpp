// Algorithms: communities, centralities, components and partition quality over cibgraph.Graph. Each call releases
// the GIL for the C++ work; results come back as NumPy arrays that own the C++ vectors (moved, not copied).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "cibgraph/algorithms/centrality/betweenness.hpp"
#include "cibgraph/algorithms/centrality/closeness.hpp"
#include "cibgraph/algorithms/centrality/degree.hpp"
#include "cibgraph/algorithms/centrality/eigenvector.hpp"
#include "cibgraph/algorithms/centrality/hits.hpp"
#include "cibgraph/algorithms/centrality/katz.hpp"
#include "cibgraph/algorithms/centrality/pagerank.hpp"
#include "cibgraph/algorithms/community/consensus.hpp"
#include "cibgraph/algorithms/community/label_propagation.hpp"
#include "cibgraph/algorithms/community/leiden.hpp"
#include "cibgraph/algorithms/community/louvain.hpp"
#include "cibgraph/algorithms/community/quality.hpp"
#include "cibgraph/algorithms/community/spectral.hpp"
#include "cibgraph/algorithms/components/components.hpp"
#include "cibgraph/algorithms/components/kcore.hpp"
#include "cibgraph/algorithms/components/ktruss.hpp"
#include "cibgraph/graph.hpp"

namespace cibgraph::python {
namespace {

using Membership = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;

std::span<const std::uint32_t> membership_span(const Graph& g, const Membership& m, const char* what) {
  if (m.ndim() != 1) throw UsageError(std::string(what) + " must be one-dimensional");
  if (static_cast<std::uint64_t>(m.size()) != g.num_vertices())
    throw UsageError(std::string(what) + " has " + std::to_string(m.size()) + " entries but the graph has " +
                     std::to_string(g.num_vertices()) + " vertices");
  return {m.data(), static_cast<std::size_t>(m.size())};
}

std::span<const std::uint32_t> labels_span(const Membership& m, const char* what) {
  if (m.ndim() != 1) throw UsageError(std::string(what) + " must be one-dimensional");
  return {m.data(), static_cast<std::size_t>(m.size())};
}

CommunityQuality parse_quality(const std::string& name) {
  if (name == "modularity") return CommunityQuality::Modularity;
  if (name == "cpm") return CommunityQuality::CPM;
  throw UsageError("quality must be 'modularity' or 'cpm', not '" + name + "'");
}

Direction parse_direction(const std::string& name) {
  if (name == "out") return Direction::Out;
  if (name == "in") return Direction::In;
  if (name == "all") return Direction::All;
  throw UsageError("direction must be 'out', 'in' or 'all', not '" + name + "'");
}

// Runs f without the GIL and returns its result.
template <class F>
auto released(F&& f) {
  py::gil_scoped_release release;
  return f();
}

py::dict community_info(const CommunityResult& r) {
  py::dict d;
  d["count"] = r.count;
  d["quality"] = r.quality;
  d["iterations"] = r.iterations;
  return d;
}

}  // namespace

void bind_algorithms(py::module_& m) {
  // Communities. Each returns (membership, info): the Python layer returns the membership and keeps the info.
  m.def(
      "leiden",
      [](const Graph& g, double resolution, std::uint64_t seed, const std::string& quality, int max_iterations,
         double randomness, bool weighted) {
        LeidenOptions o;
        o.quality = parse_quality(quality);
        o.resolution = resolution;
        o.seed = seed;
        o.max_iterations = max_iterations;
        o.randomness = randomness;
        o.weighted = weighted;
        auto r = released([&] { return leiden(g, o); });
        auto info = community_info(r);
        return py::make_tuple(numpy_take(std::move(r.membership)), info);
      },
      py::arg("graph"), py::arg("resolution"), py::arg("seed"), py::arg("quality"), py::arg("max_iterations"),
      py::arg("randomness"), py::arg("weighted"));
  m.def(
      "louvain",
      [](const Graph& g, double resolution, std::uint64_t seed, bool weighted) {
        LouvainOptions o;
        o.resolution = resolution;
        o.seed = seed;
        o.weighted = weighted;
        auto r = released([&] { return louvain(g, o); });
        auto info = community_info(r);
        return py::make_tuple(numpy_take(std::move(r.membership)), info);
      },
      py::arg("graph"), py::arg("resolution"), py::arg("seed"), py::arg("weighted"));
  m.def(
      "label_propagation",
      [](const Graph& g, std::uint64_t seed, std::uint32_t max_iterations, bool weighted) {
        LabelPropagationOptions o;
        o.seed = seed;
        o.max_iterations = max_iterations;
        o.weighted = weighted;
        auto r = released([&] { return label_propagation(g, o); });
        auto info = community_info(r);
        return py::make_tuple(numpy_take(std::move(r.membership)), info);
      },
      py::arg("graph"), py::arg("seed"), py::arg("max_iterations"), py::arg("weighted"));
  m.def(
      "spectral_clustering",
      [](const Graph& g, std::uint32_t k, std::uint64_t seed, bool weighted) {
        SpectralOptions o;
        o.k = k;
        o.seed = seed;
        o.weighted = weighted;
        auto r = released([&] { return spectral_clustering(g, o); });
        auto info = community_info(r);
        return py::make_tuple(numpy_take(std::move(r.membership)), info);
      },
      py::arg("graph"), py::arg("k"), py::arg("seed"), py::arg("weighted"));
  m.def(
      "consensus",
      [](const Graph& g, std::uint32_t runs, double resolution, std::uint64_t seed, const std::string& quality) {
        LeidenOptions o;
        o.quality = parse_quality(quality);
        o.resolution = resolution;
        o.seed = seed;
        auto r = released([&] { return consensus(g, runs, o); });
        auto info = community_info(r.partition);
        info["runs"] = r.runs;
        return py::make_tuple(numpy_take(std::move(r.partition.membership)), numpy_take(std::move(r.arc_agreement)),
                              info);
      },
      py::arg("graph"), py::arg("runs"), py::arg("resolution"), py::arg("seed"), py::arg("quality"));
  m.def(
      "multi_resolution",
      [](const Graph& g, std::vector<double> resolutions, std::uint64_t seed, const std::string& quality) {
        LeidenOptions o;
        o.quality = parse_quality(quality);
        o.seed = seed;
        auto results = released([&] { return multi_resolution(g, std::span<const double>(resolutions), o); });
        py::list out;
        for (auto& r : results) {
          auto info = community_info(r);
          out.append(py::make_tuple(numpy_take(std::move(r.membership)), info));
        }
        return out;
      },
      py::arg("graph"), py::arg("resolutions"), py::arg("seed"), py::arg("quality"));

  // Partition quality and comparison.
  m.def(
      "modularity",
      [](const Graph& g, const Membership& membership, double resolution, bool weighted) {
        const auto s = membership_span(g, membership, "membership");
        return released([&] { return modularity(g, s, resolution, weighted); });
      },
      py::arg("graph"), py::arg("membership"), py::arg("resolution"), py::arg("weighted"));
  m.def(
      "cpm_quality",
      [](const Graph& g, const Membership& membership, double resolution, bool weighted) {
        const auto s = membership_span(g, membership, "membership");
        return released([&] { return cpm_quality(g, s, resolution, weighted); });
      },
      py::arg("graph"), py::arg("membership"), py::arg("resolution"), py::arg("weighted"));
  m.def(
      "conductance",
      [](const Graph& g, const Membership& membership, bool weighted) {
        const auto s = membership_span(g, membership, "membership");
        return numpy_take(released([&] { return conductance(g, s, weighted); }));
      },
      py::arg("graph"), py::arg("membership"), py::arg("weighted"));
  m.def(
      "coverage",
      [](const Graph& g, const Membership& membership, bool weighted) {
        const auto s = membership_span(g, membership, "membership");
        return released([&] { return coverage(g, s, weighted); });
      },
      py::arg("graph"), py::arg("membership"), py::arg("weighted"));
  m.def(
      "normalized_mutual_information",
      [](const Membership& a, const Membership& b) {
        const auto x = labels_span(a, "a"), y = labels_span(b, "b");
        return released([&] { return normalized_mutual_information(x, y); });
      },
      py::arg("a"), py::arg("b"));
  m.def(
      "adjusted_rand_index",
      [](const Membership& a, const Membership& b) {
        const auto x = labels_span(a, "a"), y = labels_span(b, "b");
        return released([&] { return adjusted_rand_index(x, y); });
      },
      py::arg("a"), py::arg("b"));

  // Centralities.
  m.def(
      "degrees",
      [](const Graph& g, const std::string& direction) {
        const auto d = parse_direction(direction);
        return numpy_take(released([&] { return degrees(g, d); }));
      },
      py::arg("graph"), py::arg("direction"));
  m.def(
      "strengths",
      [](const Graph& g, const std::string& direction) {
        const auto d = parse_direction(direction);
        return numpy_take(released([&] { return strengths(g, d); }));
      },
      py::arg("graph"), py::arg("direction"));
  auto scores_info = [](ScoresResult& r) {
    py::dict d;
    d["iterations"] = r.iterations;
    d["residual"] = r.residual;
    d["converged"] = r.converged;
    return py::make_tuple(numpy_take(std::move(r.scores)), d);
  };
  m.def(
      "pagerank",
      [scores_info](const Graph& g, double damping, double tol, std::uint32_t max_iterations, bool weighted,
                    std::optional<std::vector<double>> personalization) {
        PageRankOptions o;
        o.damping = damping;
        o.tolerance = tol;
        o.max_iterations = max_iterations;
        o.weighted = weighted;
        if (personalization) o.personalization = std::move(*personalization);
        auto r = released([&] { return pagerank(g, o); });
        return scores_info(r);
      },
      py::arg("graph"), py::arg("damping"), py::arg("tol"), py::arg("max_iterations"), py::arg("weighted"),
      py::arg("personalization"));
  m.def(
      "eigenvector_centrality",
      [scores_info](const Graph& g, double tol, std::uint32_t max_iterations, bool weighted) {
        EigenvectorOptions o;
        o.tolerance = tol;
        o.max_iterations = max_iterations;
        o.weighted = weighted;
        auto r = released([&] { return eigenvector_centrality(g, o); });
        return scores_info(r);
      },
      py::arg("graph"), py::arg("tol"), py::arg("max_iterations"), py::arg("weighted"));
  m.def(
      "katz_centrality",
      [scores_info](const Graph& g, double alpha, double beta, double tol, std::uint32_t max_iterations, bool weighted,
                    bool normalized) {
        KatzOptions o;
        o.alpha = alpha;
        o.beta = beta;
        o.tolerance = tol;
        o.max_iterations = max_iterations;
        o.weighted = weighted;
        o.normalized = normalized;
        auto r = released([&] { return katz_centrality(g, o); });
        return scores_info(r);
      },
      py::arg("graph"), py::arg("alpha"), py::arg("beta"), py::arg("tol"), py::arg("max_iterations"),
      py::arg("weighted"), py::arg("normalized"));
  m.def(
      "hits",
      [](const Graph& g, double tol, std::uint32_t max_iterations, bool weighted) {
        HitsOptions o;
        o.tolerance = tol;
        o.max_iterations = max_iterations;
        o.weighted = weighted;
        auto r = released([&] { return hits(g, o); });
        py::dict d;
        d["iterations"] = r.iterations;
        d["residual"] = r.residual;
        d["converged"] = r.converged;
        return py::make_tuple(numpy_take(std::move(r.hubs)), numpy_take(std::move(r.authorities)), d);
      },
      py::arg("graph"), py::arg("tol"), py::arg("max_iterations"), py::arg("weighted"));
  m.def(
      "betweenness",
      [](const Graph& g, bool normalized, bool weighted, std::uint32_t samples, std::uint64_t seed,
         double confidence) {
        BetweennessOptions o;
        o.normalized = normalized;
        o.weighted = weighted;
        o.samples = samples;
        o.seed = seed;
        o.confidence = confidence;
        auto r = released([&] { return betweenness(g, o); });
        py::dict d;
        d["sources"] = r.sources;
        d["error_bound"] = r.error_bound;
        return py::make_tuple(numpy_take(std::move(r.scores)), d);
      },
      py::arg("graph"), py::arg("normalized"), py::arg("weighted"), py::arg("samples"), py::arg("seed"),
      py::arg("confidence"));
  m.def(
      "closeness",
      [](const Graph& g, bool weighted, bool wf_improved) {
        ClosenessOptions o;
        o.weighted = weighted;
        o.wf_improved = wf_improved;
        return numpy_take(released([&] { return closeness(g, o); }));
      },
      py::arg("graph"), py::arg("weighted"), py::arg("wf_improved"));
  m.def(
      "harmonic_centrality",
      [](const Graph& g, bool weighted) { return numpy_take(released([&] { return harmonic_centrality(g, weighted); })); },
      py::arg("graph"), py::arg("weighted"));

  // Components and cores.
  m.def(
      "connected_components",
      [](const Graph& g) { return numpy_take(released([&] { return connected_components(g); }).label); },
      py::arg("graph"));
  m.def(
      "strongly_connected_components",
      [](const Graph& g) { return numpy_take(released([&] { return strongly_connected_components(g); }).label); },
      py::arg("graph"));
  m.def(
      "core_numbers", [](const Graph& g) { return numpy_take(released([&] { return core_numbers(g); })); },
      py::arg("graph"));
  m.def(
      "k_truss_arcs",
      [](const Graph& g, std::uint32_t k) {
        if (g.directed) throw UsageError("k_truss: the graph must be undirected");
        return numpy_take(released([&] { return k_truss_arcs(g, k); }));
      },
      py::arg("graph"), py::arg("k"));
}

}  // namespace cibgraph::python
