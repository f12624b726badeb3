#include "cibgraph/pipeline.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cibgraph/error.hpp"
#include "cibgraph/options.hpp"

namespace cibgraph {

void check_coordination_options(const CoordinationOptions& options) {
  AnalysisOptions all;
  all.coordination = options;
  check_options(all, kCoordinationScope);
}

CoordinationResult detect_coordination(const EventTable& events, const CoordinationOptions& options) {
  check_coordination_options(options);
  const std::size_t n_accounts = events.accounts.size();
  CoordinationResult out;
  out.network = coaction_projection(events, options.coaction);
  out.layer_notices = layer_notices(events, options.coaction, out.network);
  report_progress(options.stages, "projection", 1, 3, "stages");
  for (auto& layer : out.network.layers) {
    apply_null_model(layer, out.network.window_ms, options.coaction.progress);
    // The per-edge sums the projection left for the null model are spent (12 bytes an edge): the stages after reuse
    // their memory instead of touching fresh pages. A later apply_null_model walks the key lists instead, with the
    // same result bit for bit.
    std::vector<double>().swap(layer.null_inputs.edge_whole_floor);
    std::vector<std::uint32_t>().swap(layer.null_inputs.edge_capped_key);
  }
  report_progress(options.stages, "null model", 2, 3, "stages");
  out.kept_by_filter = filter_edges(out.network, options.significance);
  out.clusters = coordination_clusters(out.network, n_accounts, options.significance);
  out.kept_in_clusters = keep_cluster_edges(out.network, out.clusters, n_accounts, options.significance);
  report_progress(options.stages, "filter and clusters", 3, 3, "stages");
  return out;
}

std::string coordination_parameters_json(const CoordinationOptions& options, const CoactionNetwork& network,
                                         std::string_view window_text, std::string_view weight_name,
                                         const Provenance& provenance) {
  AnalysisOptions all;
  all.coordination = options;
  all.window_text = std::string(window_text);
  all.weight_name = std::string(weight_name);
  nlohmann::json params = nlohmann::json::parse(store_options(all, kCoordinationScope, network, "{}"));
  params["input_sha256"] = nlohmann::json::array();
  for (const auto& in : provenance.inputs) params["input_sha256"].push_back(in.sha256);
  return params.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // a name in invalid UTF-8: U+FFFD
}

}  // namespace cibgraph
