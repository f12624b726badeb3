#pragma once
// The coordination pipeline, written once: co-action projection, the null model on every layer, edge filtering, the
// clusters and their ties, in the order every front end runs them (`cibgraph project`, Python's
// cibgraph.coordination_network). A front end parses its options into CoordinationOptions, calls
// detect_coordination and presents the result; it never re-orders or skips a stage, so the CLI and Python give the
// same network for the same options.
//
//   coaction_projection  (window estimated first when auto_window; coaction.progress reports the sweep)
//   apply_null_model     each layer: expected co-acted keys and p-values
//   filter_edges         Benjamini-Hochberg (or a raw threshold) over all layers
//   coordination_clusters, keep_cluster_edges
//   layer_notices        the layers that read no event (an empty result that is no finding), for the front ends
//
// The parameters record (coordination_parameters_json) is what write_network stores beside the network: the options
// that made it and the SHA-256 of the inputs, so a stored finding names how it was made.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/event_table.hpp"
#include "cibgraph/layer_notices.hpp"
#include "cibgraph/progress.hpp"
#include "cibgraph/provenance.hpp"
#include "cibgraph/significance.hpp"

namespace cibgraph {

struct CoordinationOptions {
  // Layers, window, caps, evidence; coaction.progress reports the sweep. The pipeline's default is every layer the
  // data has events for (auto_layers), as the option table says; the projection's own default is co-share.
  CoactionOptions coaction = [] {
    CoactionOptions c;
    c.auto_layers = true;
    return c;
  }();
  SignificanceOptions significance;  // filter, FDR level, cluster rules
  // Called after each stage with {stage, k, 3, "stages"}: "projection" (1), "null model" (2), "filter and clusters"
  // (3). Returning false stops the work (Interrupted), so a stage boundary is also a point where Ctrl-C lands.
  ProgressCallback stages;
};

struct CoordinationResult {
  CoactionNetwork network;
  std::vector<Cluster> clusters;
  std::uint64_t kept_by_filter = 0;    // edges kept by the edge filter
  std::uint64_t kept_in_clusters = 0;  // further edges kept as ties inside coordinated clusters
  // Layers that read no event, what they read and what the data has (layer_notices.hpp): the front ends say so.
  LayerNotices layer_notices;
};

// Throws UsageError naming the first option out of range (window, fdr, member_alpha, cluster_edge_p, ...), with the
// option's name as the CLI and Python spell it without dashes (e.g. "fdr must be between 0 and 1").
void check_coordination_options(const CoordinationOptions& options);

// Runs the pipeline on the events (checks the options first).
CoordinationResult detect_coordination(const EventTable& events, const CoordinationOptions& options);

// The parameters record stored with a network, as a JSON object: layers, window (window_text as the user gave it:
// "60s", "auto"), the filter and cluster options, weight_name (the weight column chosen) and the inputs' SHA-256.
std::string coordination_parameters_json(const CoordinationOptions& options, const CoactionNetwork& network,
                                         std::string_view window_text, std::string_view weight_name,
                                         const Provenance& provenance);

}  // namespace cibgraph
