#pragma once
// The investigator's pipeline, written once: what `cibgraph analyze` runs (and what Python can run the same way).
//
//   ingest              column mapping, rejects ledger, provenance (ingest.hpp)
//   detect_coordination co-action layers, null model, edge filter, clusters and their test (pipeline.hpp)
//   refinement          Leiden on each coordinated cluster's kept-edge graph, split only where meaningful (below)
//   rankings            PageRank, betweenness, degree, k-core and a coordination score per account
//
// Refinement rule. The pipeline's clusters are components of a truss of significant ties, so two campaigns bridged by
// a few accounts with ties to both come out as one cluster. Leiden (modularity at `resolution`, seeded) runs on each
// coordinated cluster's fused kept-edge graph, and the cluster is split into its Leiden communities only when all of
// these hold: the cluster has at least 2 x min_cluster_size members; Leiden finds two or more communities and the
// partition's modularity is at least min_split_modularity (a near-clique's best partition scores near 0; two cliques
// joined by a few ties score near 0.5); at least two communities have min_cluster_size members or more (a smaller
// community is merged into the large one it has the most kept-edge weight to: a handful of bridging accounts does
// not keep two campaigns fused); and every resulting part passes the pipeline's cluster test on its own (synchrony
// or co-targeting beyond the nulls, below the cluster's alpha and min_excess times over, as significance.hpp).
// When two parts or more pass but some fail, the failing parts are merged into the passing part they are most tied
// to and the parts are tested again once; the cluster splits only when every part passes. Otherwise it stays whole. Flagged clusters are then ranked by strength of coordination as the pipeline ranks them (p-value, then
// excess co-actions, then size) and numbered 1, 2, ... in that order.
//
// Rankings are computed on the fused graph of the kept edges (fuse_layers, weight = AnalysisOptions::weight) restricted
// to the accounts that have at least one kept edge; every other account scores 0 everywhere (degree 0, core 0):
//   pagerank     weighted PageRank (damping 0.85) of that graph: sums to 1 over those accounts
//   betweenness  Brandes betweenness by hops (unweighted), not normalised (networkx's convention); exact when the
//                work (accounts x arcs of that graph) is within betweenness_budget arc visits, else estimated from
//                k = max(16, budget / arcs) sources drawn with the seed (at most the accounts), so the time stays
//                bounded on 10^7 events; the Hoeffding error bound (95%) is in AnalysisResult::betweenness
//   degree       distinct accounts with a kept edge to this one (any layer)
//   core         k-core number in that graph
//   score        coordination score in [0, 1]:
//                  score = (strength(p_cluster) + strength(p_edges)) / 2,   strength(p) = s / (s + 5), s = -log10 p,
//                p_cluster the p-value of the account's flagged cluster (1 when not flagged), p_edges = min(1, d x the
//                smallest p-value of its kept edges), d its kept edges (Bonferroni over them); p is floored at 1e-300.
//                strength is 0 at p = 1, 0.5 at p = 1e-5 and tends to 1 as p falls. So the score rises with the
//                evidence against chance both for the group and for the account's own ties; accounts with no kept
//                edge score 0.
//
// Determinism: every stage is deterministic for a seed whatever the thread count (the pipeline, Leiden, PageRank and
// betweenness each document it), and ties in every ordering are broken by account string or id, so the same input,
// options and seed give the same result on 1 or N threads.
#include <cstdint>
#include <string>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/graph.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/network_store.hpp"
#include "cibgraph/pipeline.hpp"
#include "cibgraph/progress.hpp"
#include "cibgraph/significance.hpp"

namespace cibgraph {

struct AnalysisOptions {
  IngestOptions ingest;              // mapping and limits; rejects_path names the ledger ("" = none)
  CoordinationOptions coordination;  // layers, window, null model, filter, clusters (pipeline.hpp); stages unused
  std::string window_text = "60s";   // the window as the user gave it, for the record ("auto" when auto_window)
  std::string weight_name = "idf";   // the fused weight, for the record
  EdgeWeight weight = EdgeWeight::Idf;
  std::uint64_t seed = 1;            // Leiden and sampled betweenness
  // Refinement (see the rule above).
  double resolution = 1.0;
  double min_split_modularity = 0.3;
  // Rankings.
  std::uint64_t betweenness_budget = 2'000'000'000;  // arc visits (see betweenness above)
  // evidence.csv: each account's evidence_csv_edges most significant kept edges (0: every kept edge), each with up
  // to evidence_csv_rows co-actions (evidence_total counts them all); edges.csv and data.h5 hold every kept edge.
  std::uint32_t evidence_csv_edges = 20;
  std::uint32_t evidence_csv_rows = 20;
  StoredEdges stored_edges = StoredEdges::Kept;  // data.h5: the kept edges, or every co-acting pair
  // Report: what report.json carries per cluster and account (everything else is in the CSV files).
  std::uint32_t view_max_nodes = 5000;         // accounts drawn in a cluster's network view (the strongest first)
  std::uint32_t view_edges_per_node = 25;      // each drawn account's strongest ties drawn (the union of them)
  std::uint32_t report_edges_per_account = 5;  // evidence: an account's most significant kept edges listed
  std::uint32_t report_rows_per_edge = 3;      // evidence: co-actions listed per edge
  std::uint32_t overview_max_accounts = 1000;  // unflagged accounts drawn in the overview (highest score first)
  std::uint32_t timeline_bins = 100;
  std::uint32_t top_targets = 10;
  // Ingest reports bytes read, the projection its sweep (see CoordinationOptions::coaction.progress).
  ProgressCallback progress;
  // Called after each stage with {stage name, k, total stages, "stages"}; false stops the run (Interrupted).
  ProgressCallback stages;
};

// Throws UsageError naming the first option out of range (the pipeline's, then resolution, min-split-modularity, ...).
void check_analysis_options(const AnalysisOptions& options);

struct AccountRanking {
  std::uint32_t account = 0;   // id in events.accounts
  std::uint32_t cluster = 0;   // flagged cluster id (AnalysisCluster::cluster.id), 0 = not flagged
  double score = 0;
  double pagerank = 0;
  double betweenness = 0;
  std::uint32_t degree = 0;
  std::uint32_t core = 0;
  std::uint32_t kept_edges = 0;  // kept edges over all layers (a pair kept in two layers counts twice)
  double best_edge_p = 1;        // smallest p-value among them (1 when none)
  std::uint64_t n_events = 0;
  std::int64_t first_seen = 0;   // ms since epoch
  std::int64_t last_seen = 0;
};

struct AnalysisCluster {
  Cluster cluster;                // id = rank (1 = strongest); coordinated is always true
  std::uint32_t detected_id = 0;  // the id detect_coordination gave the cluster this one is (or was split from)
  bool split = false;             // a Leiden community of a larger detected cluster
  double split_modularity = 0;    // the modularity of the split (when split)
  double score = 0;               // strength(p_value), as in the account score
};

struct StageTime {
  std::string name;
  double seconds = 0;
};

struct BetweennessInfo {
  bool exact = true;
  std::uint32_t sources = 0;   // shortest-path sources used
  std::uint32_t vertices = 0;  // accounts with a kept edge (the graph the rankings run on)
  double error_bound = 0;      // 0 when exact
};

struct AnalysisResult {
  IngestResult ingest;                    // events, provenance, reject reasons
  CoordinationResult coordination;        // the pipeline's network and all its clusters
  std::vector<AnalysisCluster> clusters;  // flagged, strongest first
  std::vector<AccountRanking> accounts;   // indexed by account id: one per account of the data set
  Graph fused;                            // kept edges fused over layers, over all accounts
  BetweennessInfo betweenness;
  std::vector<StageTime> stages;          // wall time per stage
};

// The whole pipeline on the input files.
AnalysisResult analyze(const std::vector<std::string>& inputs, const AnalysisOptions& options);

// The same from an ingested data set (stages from detect_coordination on).
AnalysisResult analyze_ingested(IngestResult ingested, const AnalysisOptions& options);

// strength(p) = s / (s + 5) with s = -log10(max(p, 1e-300)): 0 at p = 1, 0.5 at 1e-5.
double evidence_strength(double p_value);

// The parameters record of an analysis (a JSON object): coordination_parameters_json's fields plus the refinement,
// ranking and report options and the seed. Deterministic: no time, no thread count, no output path.
std::string analysis_parameters_json(const AnalysisOptions& options, const AnalysisResult& result);

// Account ids in the order accounts.csv lists them: flagged accounts by cluster id, then by decreasing score, then
// by account string; then the others by decreasing score, then account string.
std::vector<std::uint32_t> account_report_order(const AnalysisResult& result);

// accounts.csv: account_id,cluster,score,pagerank,betweenness,degree,core,kept_edges,n_events,first_seen,last_seen
// (cluster empty when not flagged), one row per account of the data set.
void write_accounts_csv(const std::string& path, const AnalysisResult& result);

// clusters.csv, one row per flagged cluster, strongest first: cluster,size,density,layers,median_delay_s,targets,
// p_value,observed,expected,alpha,score,kept_edges,detected_cluster,split,coordinated,members,second_stage_members.
void write_flagged_clusters_csv(const std::string& path, const AnalysisResult& result);

// Adds the analysis to a store written by write_events: the network and the flagged clusters as write_network stores
// them under `name` (the kept edges only, or every pair: `edges`), then /results/<name>/accounts (one column per
// AccountRanking field, rows by account id) and /results/<name>/analysis (detected_id and split per flagged
// cluster, parameters_json, report_json), resealed.
// `progress` hears write_network's "storing" reports (and may stop it: Interrupted, the file as it was).
void write_analysis_store(const std::string& path, const std::string& name, const AnalysisResult& result,
                          const std::string& parameters_json, const std::string& report_json,
                          const ProgressCallback& progress = {}, StoredEdges edges = StoredEdges::Kept);

}  // namespace cibgraph
