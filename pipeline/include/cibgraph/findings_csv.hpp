#pragma once
// The findings of the coordination pipeline as CSV files, written once for every front end (`cibgraph project`'s
// --edges/--evidence/--clusters, `cibgraph analyze`'s edges.csv and evidence.csv). Account ids and keys are the
// input's strings, RFC 4180-quoted; each pair is written with its two account ids in string order, so a file does
// not depend on the order ids were interned in. Numbers: counts as integers, seconds with 3 decimals, other reals
// with 6 significant digits.
#include <cstdint>
#include <string>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/event_table.hpp"
#include "cibgraph/significance.hpp"

namespace cibgraph {

// The key of a layer as a string: the target, the text, or the start of the time bin (ISO 8601).
std::string key_string(const EventTable& events, Layer layer, std::uint32_t key, std::int64_t sync_bin_ms);

// Seconds with 3 decimals ("1.250"), and a real with 6 significant digits ("0.000123", "1e-30"): the CSV formats.
std::string format_seconds(std::int64_t ms);
std::string format_real(double x);

// The fields both clusters CSV files share: the first six (cluster,size,density,layers,median_delay_s,targets; layers
// ';'-separated) and, appended to a row, the last two (members,second_stage_members: account ids as in the input,
// ';'-separated, quoted as needed).
std::string cluster_head_fields(const Cluster& cluster);
void append_cluster_members(std::string& row, const EventTable& events, const Cluster& cluster);

// Kept edges, one row per layer and pair: account_a,account_b,layer,co_actions,distinct_targets,weight,p_value,
// expected,common_targets,a_led,b_led,min_delay_s,median_delay_s,idf_weight,tfidf_cosine,sync_p,cotarget_p,
// cotarget_expected,moments,kept_by (kept_by_name: the filter's name, cluster, or unrecorded)
void write_edges_csv(const std::string& path, const EventTable& events, const CoactionNetwork& network,
                     EdgeWeight weight);

// The kept edges among the max_edges_per_account most significant kept edges of either of their two accounts (the
// order of the report's evidence: smaller p-value, then more co-actions, then the other account's id, then the
// layer); every kept edge when max_edges_per_account is 0. Per layer, 1 for a selected edge.
std::vector<std::vector<std::uint8_t>> strongest_kept_edges(const EventTable& events, const CoactionNetwork& network,
                                                            std::uint32_t max_edges_per_account);

struct EvidenceCsvCounts {
  std::uint64_t edges_kept = 0;  // kept edges
  std::uint64_t edges = 0;       // those written (strongest_kept_edges)
  std::uint64_t rows = 0;        // co-action rows written
};

// The evidence ledger of the kept edges: account_a,account_b,layer,target,time_a,time_b,delay_s,evidence_total; at
// most max_rows_per_edge rows per edge (of the evidence_per_edge the projection kept; evidence_total counts them all),
// for the edges strongest_kept_edges(max_edges_per_account) selects (0: every kept edge).
EvidenceCsvCounts write_evidence_csv(const std::string& path, const EventTable& events, const CoactionNetwork& network,
                                     std::int64_t sync_bin_ms, std::uint32_t max_rows_per_edge = UINT32_MAX,
                                     std::uint32_t max_edges_per_account = 0);

// Every cluster of the pipeline (`cibgraph project --clusters`): cluster,size,density,layers,median_delay_s,targets,
// observed,expected,p_value,alpha,coordinated,evidence,sync_p,cotarget_p,cotarget_expected,members,
// second_stage_members (members ';'-separated; evidence: synchrony, co-targeting or synchrony+co-targeting).
void write_clusters_csv(const std::string& path, const EventTable& events, const std::vector<Cluster>& clusters);

// The fused graph of the kept layers (fuse_layers; `cibgraph project --fused`): account_a,account_b,weight, each
// undirected edge once, in the order of its lower vertex number.
void write_fused_csv(const std::string& path, const EventTable& events, const Graph& fused);

}  // namespace cibgraph
