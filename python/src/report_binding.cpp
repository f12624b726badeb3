// The investigator's pipeline (analysis.hpp) and its outputs (analysis_outputs.hpp): cibgraph.analyze runs what
// `cibgraph analyze` runs, with the same options, and writes the same files. The account rankings cross to NumPy as
// strided views of the C++ records (no copies); the coordination network is handed over as a CoordinationNetwork.
#include <omp.h>
#include <pybind11/stl.h>

#include <chrono>
#include <set>
#include <utility>

#include "bindings.hpp"
#include "cibgraph/analysis.hpp"
#include "cibgraph/analysis_outputs.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/report_json.hpp"
#include "cibgraph/time.hpp"
#include "projection.hpp"

namespace cibgraph::python {
namespace {

// What Python holds of an analysis. The events and the coordination result live in `network` (so that
// Findings.network is the pipeline's own network, not a copy); `result` holds the rest. Code that needs the whole
// AnalysisResult (the writers, report_json) gets it from with_whole_result, with the GIL held throughout, so no other
// Python thread can look at the network while its parts are lent out.
struct PyAnalysis {
  AnalysisResult result;  // ingest.events, ingest.rejects and coordination are in `network` between calls
  std::shared_ptr<PyNetwork> network;
  AnalysisOptions options;   // as run; no callbacks kept
  bool rejects_known = false;  // result's rejects are every rejected row (rejects.csv can be written from them)
  double seconds = 0;          // wall time of the analysis
  std::string started;         // when it started (ISO 8601 UTC, whole seconds)
  int threads = 0;             // OpenMP threads it ran on
};
using AnalysisPtr = std::shared_ptr<PyAnalysis>;

template <class F>
decltype(auto) with_whole_result(PyAnalysis& a, F&& f) {
  PyEvents& ev = *a.network->events;
  a.result.ingest.events = std::move(ev.events);
  a.result.ingest.rejects = std::move(ev.rejects);
  a.result.coordination = std::move(a.network->result);
  struct GiveBack {
    PyAnalysis& a;
    PyEvents& ev;
    ~GiveBack() {
      ev.events = std::move(a.result.ingest.events);
      ev.rejects = std::move(a.result.ingest.rejects);
      a.network->result = std::move(a.result.coordination);
    }
  } give_back{a, ev};
  return f(static_cast<const AnalysisResult&>(a.result));
}

// The options of cibgraph.analyze (the table's Python keywords, options.hpp) into AnalysisOptions; `threads` (a
// setting of the call, not of the pipeline) is taken out first.
AnalysisOptions options_from(const py::dict& dict, int& threads) {
  py::dict given(dict);  // a copy: the caller's dict keeps its keys
  threads = 0;
  if (given.contains("threads")) {
    py::object t = given["threads"];
    if (!t.is_none()) {
      if (!py::isinstance<py::int_>(t) || py::isinstance<py::bool_>(t) || t.cast<long long>() < 1 ||
          t.cast<long long>() > (1 << 16))
        throw UsageError("threads must be a whole number from 1 to 65536, not " + py::repr(t).cast<std::string>());
      threads = t.cast<int>();
    }
    PyDict_DelItemString(given.ptr(), "threads");
  }
  AnalysisOptions o;
  apply_python_options(o, given, kMappingScope | kCoordinationScope | kAnalysisScope, "analyze");
  return o;
}

// Runs the analysis without the GIL, then hands the events and the network over to Python objects.
AnalysisPtr run_analysis(const std::vector<std::string>& inputs, const std::shared_ptr<PyEvents>& events,
                         const py::dict& option_dict, py::object progress) {
  auto a = std::make_shared<PyAnalysis>();
  int threads = 0;  // 0: OpenMP's default
  a->options = options_from(option_dict, threads);
  a->options.ingest.keep_rejects = true;
  a->options.progress = python_progress(progress);
  a->options.stages = python_progress(progress);
  a->started = now_iso8601();
  const auto start = std::chrono::steady_clock::now();
  // The thread count is this thread's OpenMP setting, restored afterwards (the result is the same on any count).
  struct Threads {
    int before = omp_get_max_threads();
    ~Threads() { omp_set_num_threads(before); }
  } restore_threads;
  if (threads > 0) omp_set_num_threads(threads);
  try {
    if (events) {
      IngestResult copy;  // the caller's Events stay as they are (another thread may read them meanwhile)
      copy.events = events->events;
      copy.provenance = events->provenance;
      copy.reject_reasons = events->reject_reasons;
      copy.rejects = events->rejects;
      // Every rejected row is known when Events came from read_events / from_pandas; a table loaded from a store
      // keeps only the counts.
      a->rejects_known = events->rejects.size() == events->provenance.rows_rejected;
      py::gil_scoped_release release;
      a->result = analyze_ingested(std::move(copy), a->options);
    } else {
      a->rejects_known = true;
      py::gil_scoped_release release;
      a->result = analyze(inputs, a->options);
    }
  } catch (...) {
    a->options.progress = nullptr;  // drop the Python callbacks with the GIL held
    a->options.stages = nullptr;
    throw;
  }
  a->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  a->threads = omp_get_max_threads();
  a->options.progress = nullptr;
  a->options.stages = nullptr;

  auto ev = std::make_shared<PyEvents>();
  ev->events = std::move(a->result.ingest.events);
  ev->provenance = a->result.ingest.provenance;
  ev->reject_reasons = a->result.ingest.reject_reasons;
  ev->rejects = std::move(a->result.ingest.rejects);
  auto net = std::make_shared<PyNetwork>();
  net->events = ev;
  net->options = a->options.coordination;
  net->window_text = a->options.window_text;
  net->weight = a->options.weight_name;
  net->result = std::move(a->result.coordination);
  net->parameters_json = coordination_parameters_json(net->options, net->result.network, net->window_text,
                                                      net->weight, ev->provenance);
  a->network = std::move(net);
  return a;
}

// A read-only NumPy view of one field of every AccountRanking (stride = the record's size).
template <class T>
py::array account_field(const AnalysisPtr& a, T AccountRanking::*field) {
  const auto& v = a->result.accounts;
  if (v.empty()) return py::array_t<T>(0);
  auto* keep = new AnalysisPtr(a);
  py::capsule base(keep, [](void* p) { delete static_cast<AnalysisPtr*>(p); });
  py::array_t<T> arr({static_cast<py::ssize_t>(v.size())}, {static_cast<py::ssize_t>(sizeof(AccountRanking))},
                     &(v.front().*field), base);
  py::detail::array_proxy(arr.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return arr;
}

py::dict account_columns(const AnalysisPtr& a) {
  py::dict d;
  d["account"] = account_field(a, &AccountRanking::account);
  d["cluster"] = account_field(a, &AccountRanking::cluster);
  d["score"] = account_field(a, &AccountRanking::score);
  d["pagerank"] = account_field(a, &AccountRanking::pagerank);
  d["betweenness"] = account_field(a, &AccountRanking::betweenness);
  d["degree"] = account_field(a, &AccountRanking::degree);
  d["core"] = account_field(a, &AccountRanking::core);
  d["kept_edges"] = account_field(a, &AccountRanking::kept_edges);
  d["best_edge_p"] = account_field(a, &AccountRanking::best_edge_p);
  d["n_events"] = account_field(a, &AccountRanking::n_events);
  d["first_seen"] = account_field(a, &AccountRanking::first_seen);
  d["last_seen"] = account_field(a, &AccountRanking::last_seen);
  return d;
}

py::list flagged_clusters(const AnalysisPtr& a) {
  py::list out;
  for (const auto& ac : a->result.clusters) {
    py::dict d = cluster_dict(ac.cluster, a);
    d["size"] = ac.cluster.members.size();
    d["score"] = ac.score;
    d["detected_cluster"] = ac.detected_id;
    d["split"] = ac.split;
    d["split_modularity"] = ac.split_modularity;
    out.append(d);
  }
  return out;
}

ReportRunInfo run_info(const PyAnalysis& a, const std::vector<std::string>& command) {
  ReportRunInfo run;
  run.command = command;
  run.started = a.started;
  run.seconds = a.seconds;
  run.threads = a.threads;
  return run;
}

}  // namespace

void bind_report(py::module_& m) {
  py::class_<PyAnalysis, AnalysisPtr>(m, "Analysis", "The investigator's pipeline's result (analysis.hpp).")
      .def_property_readonly("network", [](const PyAnalysis& a) { return a.network; })
      .def("account_columns", &account_columns)
      .def("account_order",
           [](PyAnalysis& a) {
             return numpy_take(with_whole_result(a, [](const AnalysisResult& r) { return account_report_order(r); }));
           })
      .def("clusters", &flagged_clusters)
      .def_property_readonly("betweenness",
                             [](const PyAnalysis& a) {
                               py::dict d;
                               d["exact"] = a.result.betweenness.exact;
                               d["sources"] = a.result.betweenness.sources;
                               d["vertices"] = a.result.betweenness.vertices;
                               d["error_bound"] = a.result.betweenness.error_bound;
                               return d;
                             })
      .def_property_readonly("stages",
                             [](const PyAnalysis& a) {
                               py::list out;
                               for (const auto& s : a.result.stages) out.append(py::make_tuple(s.name, s.seconds));
                               return out;
                             })
      .def_property_readonly("seconds", [](const PyAnalysis& a) { return a.seconds; })
      .def_property_readonly("started", [](const PyAnalysis& a) { return a.started; })
      .def_property_readonly("rejects_known", [](const PyAnalysis& a) { return a.rejects_known; })
      .def_property_readonly("parameters_json",
                             [](PyAnalysis& a) {
                               return with_whole_result(a, [&](const AnalysisResult& r) {
                                 return analysis_parameters_json(a.options, r);
                               });
                             })
      .def_property_readonly("suggestions",
                             [](PyAnalysis& a) {
                               return with_whole_result(a, [&](const AnalysisResult& r) {
                                 return empty_result_suggestions(r, a.options, OptionSpelling::Python);
                               });
                             })
      .def(
          "report_json",
          [](PyAnalysis& a, const std::vector<std::string>& command) {
            ReportRunInfo run = run_info(a, command);
            run.stages = a.result.stages;
            return with_whole_result(a, [&](const AnalysisResult& r) { return report_json(r, a.options, run); });
          },
          py::arg("command"),
          "report.json's text; its run block has the analysis's stages (no output was written).")
      .def(
          "write",
          [](PyAnalysis& a, const std::string& dir, const std::vector<std::string>& command, const std::string& name) {
            // The GIL stays held: the network's parts are lent to the writers (see with_whole_result).
            const AnalysisOutputs w = with_whole_result(a, [&](const AnalysisResult& r) {
              return write_analysis_outputs(dir, r, a.options, run_info(a, command), name,
                                            a.rejects_known ? RejectsOutput::FromResult
                                                            : RejectsOutput::WrittenByIngest);
            });
            py::list stages;
            for (const auto& s : w.stages) stages.append(py::make_tuple(s.name, s.seconds));
            return py::make_tuple(stages, w.report_with_run);
          },
          py::arg("dir"), py::arg("command"), py::arg("name"),
          "Writes what `cibgraph analyze` writes into dir; returns (stages with 'csv outputs' and 'data.h5', the report as report.html embeds it: report.json's text with the run block).");

  m.def(
      "analyze",
      [](const std::vector<std::string>& inputs, const py::dict& options, py::object progress) {
        if (inputs.empty()) throw UsageError("analyze: no input files");
        return run_analysis(inputs, nullptr, options, std::move(progress));
      },
      py::arg("inputs"), py::arg("options"), py::arg("progress"));
  m.def(
      "analyze_ingested",
      [](std::shared_ptr<PyEvents> events, const py::dict& options, py::object progress) {
        return run_analysis({}, events, options, std::move(progress));
      },
      py::arg("events"), py::arg("options"), py::arg("progress"));
}

}  // namespace cibgraph::python
