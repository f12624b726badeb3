#include "cibgraph/pipeline.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cibgraph/error.hpp"

namespace cibgraph {

void check_coordination_options(const CoordinationOptions& options) {
  const CoactionOptions& c = options.coaction;
  const SignificanceOptions& s = options.significance;
  if (c.layers.empty() && !c.auto_layers) throw UsageError("layers: give at least one layer");
  if (c.sync_bin_ms <= 0) throw UsageError("sync-bin must be positive");
  if (c.burst_scale_ms <= 0) throw UsageError("burst-scale must be positive");
  if (!(s.fdr > 0 && s.fdr < 1)) throw UsageError("fdr must be between 0 and 1");
  if (!(s.member_alpha > 0 && s.member_alpha <= 1)) throw UsageError("member-alpha must be in (0, 1]");
  if (!(s.cluster_edge_p >= 0 && s.cluster_edge_p <= 1)) throw UsageError("cluster-edge-p must be in [0, 1]");
  if (!(s.min_tie_share >= 0 && s.min_tie_share <= 1)) throw UsageError("min-tie-share must be in [0, 1]");
  if (!(s.percentile >= 0 && s.percentile <= 1)) throw UsageError("percentile must be in [0, 1]");
  if (!(s.cluster_alpha > 0 && s.cluster_alpha <= 1)) throw UsageError("cluster-alpha must be in (0, 1]");
  if (!(s.min_excess >= 0)) throw UsageError("min-excess must be >= 0");
  if (s.min_cluster_size == 0) throw UsageError("min-cluster-size must be at least 1");
}

CoordinationResult detect_coordination(const EventTable& events, const CoordinationOptions& options) {
  check_coordination_options(options);
  const std::size_t n_accounts = events.accounts.size();
  CoordinationResult out;
  out.network = coaction_projection(events, options.coaction);
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
  const CoactionOptions& opt = options.coaction;
  const SignificanceOptions& sig = options.significance;
  nlohmann::json params;
  // The layers used: those the projection chose when auto_layers (every layer the data has events for).
  params["layers"] = nlohmann::json::array();
  if (opt.auto_layers)
    for (const auto& l : network.layers) params["layers"].push_back(std::string(layer_name(l.layer)));
  else
    for (auto l : opt.layers) params["layers"].push_back(std::string(layer_name(l)));
  params["layers_chosen"] = opt.auto_layers ? "auto: every co-action layer with events" : "given";
  params["window_ms"] = network.window_ms;
  params["window"] = opt.auto_window ? std::string("auto") : std::string(window_text);
  if (opt.auto_window) params["window_method"] = network.window_estimate.method;
  params["filter"] = std::string(to_string(sig.filter));
  params["fdr"] = sig.fdr;
  params["min_co_actions"] = sig.min_co_actions;
  params["min_targets"] = sig.min_distinct_targets;
  params["min_core"] = sig.min_core;
  params["min_triangles"] = sig.min_triangles;
  params["cluster_edge_p"] = sig.cluster_edge_p;
  params["member_alpha"] = sig.member_alpha;
  params["second_stage"] = sig.second_stage;
  params["min_tie_share"] = sig.min_tie_share;
  params["burst_scale_ms"] = std::max<std::int64_t>(opt.burst_scale_ms, 4 * network.window_ms);
  params["percentile"] = sig.percentile;
  params["cluster_alpha"] = sig.cluster_alpha;
  params["min_excess"] = sig.min_excess;
  params["min_cluster_size"] = sig.min_cluster_size;
  params["max_pairs_per_target"] = opt.max_pairs_per_key;
  params["evidence_per_edge"] = opt.evidence_per_edge;
  params["sync_bin_ms"] = opt.sync_bin_ms;
  params["sync_min_events"] = opt.sync_min_events;
  params["weight"] = std::string(weight_name);
  params["input_sha256"] = nlohmann::json::array();
  for (const auto& in : provenance.inputs) params["input_sha256"].push_back(in.sha256);
  return params.dump();
}

}  // namespace cibgraph
