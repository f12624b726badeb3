// Coordination networks: the pipeline of `cibgraph project` (pipeline.hpp) on an event table, each layer's edge
// columns and evidence as NumPy views of the C++ memory, the clusters, and the layers fused into one Graph.
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>

#include "bindings.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/pipeline.hpp"
#include "cibgraph/time.hpp"
#include "projection.hpp"

namespace cibgraph::python {
namespace {

using NetworkPtr = std::shared_ptr<PyNetwork>;

const LayerEdges& layer_at(const PyNetwork& n, std::size_t i) {
  if (i >= n.result.network.layers.size())
    throw UsageError("layer index " + std::to_string(i) + " out of range (" +
                     std::to_string(n.result.network.layers.size()) + " layers)");
  return n.result.network.layers[i];
}

std::uint32_t account_id(const PyEvents& ev, const std::string& name) {
  const auto id = ev.events.accounts.find(name);
  if (id == StringDictionary::kMissing) throw InputError("no account '" + name + "' in the events");
  return id;
}

py::dict layer_columns(const NetworkPtr& n, std::size_t i) {
  const LayerEdges& l = layer_at(*n, i);
  py::dict d;
  d["a"] = numpy_view(l.a, n);
  d["b"] = numpy_view(l.b, n);
  d["co_actions"] = numpy_view(l.co_actions, n);
  d["distinct_targets"] = numpy_view(l.distinct_targets, n);
  d["a_led"] = numpy_view(l.a_led, n);
  d["b_led"] = numpy_view(l.b_led, n);
  d["min_delay_ms"] = numpy_view(l.min_delay_ms, n);
  d["median_delay_ms"] = numpy_view(l.median_delay_ms, n);
  d["idf_weight"] = numpy_view(l.idf_weight, n);
  d["tfidf_cosine"] = numpy_view(l.tfidf_cosine, n);
  d["common_targets"] = numpy_view(l.common_keys, n);
  d["expected"] = numpy_view(l.expected, n);
  d["p_value"] = numpy_view(l.p_value, n);
  d["sync_p"] = numpy_view(l.sync_p, n);
  d["cotarget_expected"] = numpy_view(l.cotarget_expected, n);
  d["cotarget_p"] = numpy_view(l.cotarget_p, n);
  d["moments"] = numpy_view(l.moments, n);
  d["kept"] = numpy_view(l.kept, n);
  d["kept_by"] = numpy_view(l.kept_by, n);
  d["evidence_offsets"] = numpy_view(l.evidence_offsets, n);
  d["evidence_key"] = numpy_view(l.evidence_key, n);
  d["evidence_time_a"] = numpy_view(l.evidence_time_a, n);
  d["evidence_time_b"] = numpy_view(l.evidence_time_b, n);
  d["evidence_total"] = numpy_view(l.evidence_total, n);
  return d;
}

py::dict layer_info(const PyNetwork& n, std::size_t i) {
  const LayerEdges& l = layer_at(n, i);
  py::dict d;
  d["layer"] = std::string(layer_name(l.layer));
  d["events"] = l.events;
  d["pairs"] = l.co_acting_pairs();
  d["stored_pairs"] = static_cast<std::uint64_t>(l.size());
  d["kept"] = static_cast<std::uint64_t>(std::count(l.kept.begin(), l.kept.end(), 1));
  d["pairs_left_out"] = l.pairs_left_out;
  d["spilled_runs"] = l.spilled_runs;
  d["by_rows"] = l.by_rows;
  std::vector<std::uint32_t> key;
  std::vector<std::uint64_t> in_window, kept;
  std::vector<std::int64_t> delay;
  for (const auto& c : l.capped_keys) {
    key.push_back(c.key);
    in_window.push_back(c.pairs_in_window);
    kept.push_back(c.pairs_kept);
    delay.push_back(c.delay_kept_ms);
  }
  py::dict capped;
  capped["key"] = numpy_take(std::move(key));
  capped["pairs_in_window"] = numpy_take(std::move(in_window));
  capped["pairs_kept"] = numpy_take(std::move(kept));
  capped["delay_kept_ms"] = numpy_take(std::move(delay));
  d["capped"] = capped;
  return d;
}

py::list cluster_list(const NetworkPtr& n) {
  py::list out;
  for (const auto& c : n->result.clusters) out.append(cluster_dict(c, n));
  return out;
}

// Evidence of one pair in every layer, oriented as asked (time_a is the first account's).
py::dict pair_evidence(const PyNetwork& n, const std::string& first, const std::string& second) {
  const std::uint32_t x = account_id(*n.events, first), y = account_id(*n.events, second);
  const std::uint32_t a = std::min(x, y), b = std::max(x, y);
  const bool swap = x > y;
  py::list layer, key;
  std::vector<std::int64_t> time_a, time_b;
  std::vector<std::uint32_t> total;
  std::vector<std::uint8_t> kept;
  for (const auto& l : n.result.network.layers)
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (l.a[i] != a || l.b[i] != b) continue;
      for (auto k = l.evidence_offsets[i]; k < l.evidence_offsets[i + 1]; ++k) {
        layer.append(std::string(layer_name(l.layer)));
        key.append(python_string(key_string(n.events->events, l.layer, l.evidence_key[k], n.options.coaction.sync_bin_ms)));
        time_a.push_back(swap ? l.evidence_time_b[k] : l.evidence_time_a[k]);
        time_b.push_back(swap ? l.evidence_time_a[k] : l.evidence_time_b[k]);
        total.push_back(l.evidence_total[i]);
        kept.push_back(l.kept[i]);
      }
    }
  py::dict d;
  d["layer"] = layer;
  d["target"] = key;
  d["time_a"] = numpy_take(std::move(time_a));
  d["time_b"] = numpy_take(std::move(time_b));
  d["evidence_total"] = numpy_take(std::move(total));
  d["kept"] = numpy_take(std::move(kept));
  return d;
}

// Kept (or all) edges of a layer as the CLI's edges CSV has them: the pair in string order of the account ids, the
// leader counts swapped with it, and the chosen weight.
py::dict edge_rows(const PyNetwork& n, std::size_t i, bool kept_only, const std::string& weight) {
  const LayerEdges& l = layer_at(n, i);
  const EdgeWeight kind = parse_edge_weight(weight);
  const EventTable& ev = n.events->events;
  std::vector<std::uint32_t> a, b, a_led, b_led;
  std::vector<double> w;
  std::vector<std::uint64_t> index;
  {
    py::gil_scoped_release release;
    for (std::size_t e = 0; e < l.size(); ++e) {
      if (kept_only && !l.kept[e]) continue;
      const bool swap = ev.accounts[l.b[e]] < ev.accounts[l.a[e]];
      a.push_back(swap ? l.b[e] : l.a[e]);
      b.push_back(swap ? l.a[e] : l.b[e]);
      a_led.push_back(swap ? l.b_led[e] : l.a_led[e]);
      b_led.push_back(swap ? l.a_led[e] : l.b_led[e]);
      w.push_back(edge_weight(l, e, kind));
      index.push_back(e);
    }
  }
  py::dict d;
  d["a"] = numpy_take(std::move(a));
  d["b"] = numpy_take(std::move(b));
  d["a_led"] = numpy_take(std::move(a_led));
  d["b_led"] = numpy_take(std::move(b_led));
  d["weight"] = numpy_take(std::move(w));
  d["index"] = numpy_take(std::move(index));
  return d;
}

Layer layer_of(const py::handle& h) { return parse_layer(h.cast<std::string>()); }

}  // namespace

void restore_options(PyNetwork& n) {
  AnalysisOptions o;
  o.coordination = n.options;
  o.window_text = n.window_text;
  o.weight_name = n.weight;
  cibgraph::restore_options(o, n.parameters_json, n.result.network);
  n.options = o.coordination;
  n.window_text = o.window_text;
  n.weight = o.weight_name;
}

void bind_projection(py::module_& m) {
  py::class_<PyNetwork, NetworkPtr>(m, "CoordinationNetwork",
                                    "A co-action network with its significance, clusters and evidence.")
      .def_property_readonly("events", [](const PyNetwork& n) { return n.events; })
      .def_property_readonly("window_ms", [](const PyNetwork& n) { return n.result.network.window_ms; })
      .def_property_readonly("window", [](const PyNetwork& n) { return n.window_text; })
      .def_property_readonly("window_method",
                             [](const PyNetwork& n) -> py::object {
                               if (!n.options.coaction.auto_window) return py::none();
                               return py::str(n.result.network.window_estimate.method);
                             })
      .def_property_readonly("weight", [](const PyNetwork& n) { return n.weight; })
      .def_property_readonly("sync_bin_ms", [](const PyNetwork& n) { return n.options.coaction.sync_bin_ms; })
      .def_property_readonly("filter", [](const PyNetwork& n) { return std::string(to_string(n.options.significance.filter)); })
      .def_property_readonly("layer_names",
                             [](const PyNetwork& n) {
                               py::list out;
                               for (const auto& l : n.result.network.layers) out.append(std::string(layer_name(l.layer)));
                               return out;
                             })
      .def(
          "layer_notices",
          [](const PyNetwork& n, const std::string& remap) {
            // Layers that read no event, in words with the fixes as Python keywords (layer_notices.hpp); Python
            // raises them as EmptyLayerWarning. remap: the function that maps columns when this call did not.
            py::list out;
            for (const auto& line : layer_notice_lines(n.result.layer_notices, OptionSpelling::Python, remap))
              out.append(line);
            return out;
          },
          py::arg("remap") = "")
      .def_property_readonly("kept_by_filter", [](const PyNetwork& n) { return n.result.kept_by_filter; })
      .def_property_readonly("kept_in_clusters", [](const PyNetwork& n) { return n.result.kept_in_clusters; })
      .def_property_readonly("parameters_json", [](const PyNetwork& n) { return n.parameters_json; })
      .def_property_readonly(
          "options",
          [](const PyNetwork& n) {
            AnalysisOptions o;
            o.coordination = n.options;
            o.window_text = n.window_text;
            o.weight_name = n.weight;
            py::dict out;
            for (const OptionDef* d : options_in(kCoordinationScope)) out[py::str(std::string(d->name))] = get_option(o, *d);
            return out;
          },
          "The coordination options the network ran with (restored from the store's parameters for a loaded one), "
          "in the table's text form; memory_budget, a resource, is not stored and reads as the default.")
      .def_property_readonly("created_at", [](const PyNetwork& n) { return n.created_at; })
      .def("layer_columns", &layer_columns, py::arg("layer"))
      .def("layer_info", &layer_info, py::arg("layer"))
      .def("edge_rows", &edge_rows, py::arg("layer"), py::arg("kept_only"), py::arg("weight"))
      .def("clusters", &cluster_list)
      .def("evidence", &pair_evidence, py::arg("a"), py::arg("b"))
      .def(
          "key_strings",
          [](const PyNetwork& n, std::size_t i,
             py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast> keys) {
            const LayerEdges& l = layer_at(n, i);
            const EventTable& ev = n.events->events;
            const std::size_t limit = l.layer == Layer::CoText ? ev.texts.size()
                                      : l.layer == Layer::SyncTime ? std::numeric_limits<std::uint32_t>::max()
                                                                   : ev.targets.size();
            py::list out(static_cast<std::size_t>(keys.size()));
            for (py::ssize_t k = 0; k < keys.size(); ++k) {
              if (keys.data()[k] >= limit) throw UsageError("key " + std::to_string(keys.data()[k]) + " out of range");
              out[static_cast<std::size_t>(k)] = python_string(key_string(ev, l.layer, keys.data()[k], n.options.coaction.sync_bin_ms));
            }
            return out;
          },
          py::arg("layer"), py::arg("keys"))
      .def(
          "fused_graph",
          [](const PyNetwork& n, const std::string& weight, bool kept_only, py::object layer_weights) {
            FusionOptions o;
            o.weight = parse_edge_weight(weight);
            o.kept_only = kept_only;
            if (!layer_weights.is_none()) {
              o.layer_weights.assign(kLayerCount, 1.0);
              for (auto item : layer_weights.cast<py::dict>())
                o.layer_weights[static_cast<std::size_t>(layer_of(item.first))] = item.second.cast<double>();
            }
            const auto accounts = static_cast<std::uint32_t>(n.events->events.accounts.size());
            py::gil_scoped_release release;
            return std::make_shared<Graph>(fuse_layers(n.result.network, accounts, o));
          },
          py::arg("weight"), py::arg("kept_only"), py::arg("layer_weights"));

  m.def(
      "kept_by_names",
      [] {
        py::list names;
        for (int k = 0; k <= static_cast<int>(KeptBy::Unrecorded); ++k) names.append(std::string(kept_by_name(static_cast<KeptBy>(k))));
        return names;
      },
      "The names of the kept_by codes (index = code): '' (not kept), the filters' names, 'cluster', 'unrecorded'.");

  m.def(
      "coordination_network",
      [](std::shared_ptr<PyEvents> events, const py::dict& options, py::object progress) {
        auto n = std::make_shared<PyNetwork>();
        n->events = std::move(events);
        AnalysisOptions all;
        apply_python_options(all, options, kCoordinationScope, "coordination_network");
        n->options = all.coordination;
        n->window_text = all.coordination.coaction.auto_window ? "auto" : all.window_text;
        n->weight = all.weight_name;
        CoactionOptions& c = n->options.coaction;
        c.progress = python_progress(progress);
        n->options.stages = python_progress(progress);
        {
          py::gil_scoped_release release;
          n->result = detect_coordination(n->events->events, n->options);
        }
        c.progress = nullptr;  // drop the Python callback now, with the GIL held
        n->options.stages = nullptr;
        n->parameters_json =
            coordination_parameters_json(n->options, n->result.network, n->window_text, n->weight, n->events->provenance);
        return n;
      },
      py::arg("events"), py::arg("options"), py::arg("progress"),
      "The pipeline on the events with the table's coordination options (Python keywords and values).");
}

}  // namespace cibgraph::python
