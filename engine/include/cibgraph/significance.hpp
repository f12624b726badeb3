#pragma once
// Telling coordination from popularity: a null model for co-action edges, false-discovery-rate filtering and
// the clusters of the kept network with their own test.
//
// The null keeps what organic behaviour explains: each key's creation time (target_time, else its first event),
// which keys each account acted on, each account's own distribution of reaction delays (event time - key creation
// time), and each key's own organic crowd at the scale of minutes; it breaks only the alignment of accounts with
// each other below that scale. Under it, two accounts with C common keys co-act on common key k within a bound w
// independently with probability
//     P_k(w) = 1 - (1 - P_ab(w)) (1 - Q_k(w)),
//     P_ab(w) = P(|D_a - D_b| <= w), D_a, D_b drawn from the two accounts' empirical delays (their habits; computed
//               exactly from the sorted delay lists by two pointers in O(n_a + n_b)),
//     Q_k(w)  = F_k(h) w / h, F_k(h) the share of key k's event pairs within h = max(10 min, 4 x window) of each
//               other (NullInputs::key_floor): the key's crowd spread evenly below the organic scale h.
// The habits term alone (the closed form lambda = C P_ab) explains fans who react within minutes of every post, but
// not hyperactive accounts who happen to share the same viral posts inside their ten-minute bursts; the crowd term
// does, while a campaign's seconds-wide burst is spread over h and keeps only w / h of it. For a popular key whose
// pairs were capped at a bound d < window, w is d for that key (the habits term scaled linearly, an approximation).
// The count X of co-acted keys is Poisson-binomial; expected = sum of P_k, and the p-value uses Binomial(C, mean
// P_k), whose upper tail bounds the Poisson-binomial one (Hoeffding 1956): conservative, exact tail by the
// regularised incomplete beta. Only pairs that co-acted at least once are candidates, so the p-value is conditional
// on that selection: p = P(X >= observed | X >= 1); one chance co-action has p = 1. The pair is tested at the
// window and at window / 2, / 4, / 8 (the keys co-acted within each, LayerEdges::scale_targets) and its p-value is
// the smallest times 4 (Bonferroni): a campaign's seconds-apart co-actions stand out at the finer scales, where
// organic crowds thin out in proportion.
//
// Edges are kept under Benjamini-Hochberg at level q over all edges of all layers (the default filter), or by
// raw thresholds: at least K co-actions, or the top percentile of co-actions as CooRnet does, or none.
#include <cstdint>
#include <string>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/progress.hpp"

namespace cibgraph {

enum class EdgeFilter : std::uint8_t { Fdr, MinCoActions, Percentile, None };
EdgeFilter parse_edge_filter(std::string_view name);  // fdr, min-co-actions, percentile, none
std::string_view to_string(EdgeFilter filter);

// The KeptBy value of the edges a filter keeps; kept_by_name spells a KeptBy as edges.csv, report.json and Python
// show it: "fdr", "min-co-actions", "percentile", "none" (the filter's name), "cluster", "unrecorded"; "" when not
// kept.
KeptBy kept_by_filter(EdgeFilter filter);
std::string_view kept_by_name(KeptBy reason);
// Why edge i of the layer is kept: NotKept, its kept_by, or Unrecorded when kept without one.
KeptBy kept_reason(const LayerEdges& layer, std::size_t edge);

struct SignificanceOptions {
  EdgeFilter filter = EdgeFilter::Fdr;
  double fdr = 0.01;                 // Benjamini-Hochberg level
  std::uint32_t min_co_actions = 1;  // also required by every filter: edges with fewer co-actions are dropped
  // Also required by every filter but `none`: one shared target inside a window happens to organic pairs by the
  // thousand on every viral post, and is never on its own evidence of coordination.
  std::uint32_t min_distinct_targets = 2;
  double percentile = 0.99;          // for EdgeFilter::Percentile: keep edges at or above this quantile of co-actions
  // Clusters: a component is flagged as coordinated when its internal co-acted keys beyond each pair's first exceed
  // what the null expects of pairs selected for co-acting once (Poisson tail p below cluster_alpha, at least
  // min_excess times over; the plain sums must exceed min_excess too), and it has min_cluster_size accounts or more.
  double cluster_alpha = 1e-6;
  double min_excess = 2.0;
  std::uint32_t min_cluster_size = 3;
  // Clusters are the components of the min_core-core of the cluster edges that each close at least
  // min_triangles triangles with other cluster edges (a (min_triangles + 2)-truss): an account must co-act
  // significantly with at least min_core others, and every tie must be backed by shared partners. A coordinated
  // group is a near-clique; chance ties (organic accounts with a chance edge or two to a campaign, a fan with a
  // chance edge to an organic account, sparse webs of hyperactive accounts) rarely close triangles, and would
  // otherwise chain unrelated groups into one component. With min_triangles 2, min_core 3 is implied.
  std::uint32_t min_core = 3;
  std::uint32_t min_triangles = 2;
  // Membership: an account of a cluster must itself co-act with the others beyond chance (Poisson tail of its
  // co-actions beyond each pair's first, given the selection, below member_alpha and min_excess times over);
  // accounts failing it leave and the k-core and components are recomputed until stable.
  double member_alpha = 1e-3;
  // Clusters are built from the kept edges and also from edges with p <= min(cluster_edge_p, 1 / T), where T is
  // the larger number of tested pairs (pairs with min_distinct_targets or more) of its two accounts (and the
  // targets and co-action minimums): a small operation with few triggers gives each pair only a few co-actions,
  // too few to pass FDR control one edge at a time, while the cluster as a whole is overwhelming evidence. The 1 / T
  // bound keeps the chance edges of any one account below one on average, so a hyperactive account tested against
  // thousands of others does not gather the handful of chance edges that would put it in a k-core. The cluster
  // test then decides; keep_cluster_edges marks these edges kept inside coordinated clusters only.
  double cluster_edge_p = 0.1;
  // Second stage (not with filter none, where every edge is already a cluster edge): a small operation's evidence
  // is spread over many weak pairs, too weak for cluster edges one by one. (a) An account outside every cluster
  // joins a coordinated cluster when its co-actions with that cluster's members, beyond each pair's first and given
  // the selection, beat the null with Poisson tail p below member_alpha / M (M the account-cluster candidates with
  // min_core or more tested ties: Bonferroni over the search) and min_excess times over. It goes in rounds: accounts
  // that joined in a round count as members when the next round finds its candidates, each round at half the level
  // of the one before (together below 2 x member_alpha), until a round adds nobody; the clusters are those of the
  // first stage, joined by accounts, never by each other. (b) Among the accounts still outside, the groups of all tested edges
  // (same triangles, core and membership test), where each account must also be tied to at least min_tie_share of
  // the others (a campaign is a near-clique of tested edges; a viral crowd is a sparse web), become clusters and
  // face the cluster test at cluster_alpha / M^2 (M the tested edges searched). Members that joined in this stage are listed
  // in Cluster::recovered; their tested edges to the cluster count as its ties.
  bool second_stage = true;
  double min_tie_share = 0.5;
};

// Per layer and edge: 1 when the edge takes part in building clusters (see SignificanceOptions::cluster_edge_p;
// never with filter none).
std::vector<std::vector<std::uint8_t>> cluster_edges(const CoactionNetwork& network, std::size_t n_accounts,
                                                     const SignificanceOptions& options);

// Fills expected, sync_p, cotarget_expected, cotarget_p and p_value of every edge of the layer. `progress` (optional) hears {"edge tests", edges done,
// edges, "edges"} every few thousand edges; returning false stops the work and throws Interrupted (the layer's
// expected and p_value are then incomplete).
void apply_null_model(LayerEdges& layer, std::int64_t window_ms, const ProgressCallback& progress = {});

// The co-targeting test alone: cotarget_expected and cotarget_p of every edge from the layer's NullInputs (with no
// inputs, p = 1). O(keys log keys + accounts log keys) + O(1) per edge.
void apply_cotarget_null(LayerEdges& layer);
// p_value = min(1, 2 min(sync_p, cotarget_p)): the two tests of a pair, Bonferroni-combined, so that
// Benjamini-Hochberg over the edges controls the false discovery rate over both kinds of evidence.
void combine_edge_tests(LayerEdges& layer);
// The count the co-targeting test observes for an edge: its co-acted keys at distinct moments (LayerEdges::moments),
// or distinct_targets for networks without that column.
std::uint32_t cotarget_count(const LayerEdges& layer, std::size_t edge);
// P(X >= observed | X >= 1) for X ~ Poisson(lambda): 1 for observed <= 1, 0 when lambda is 0.
double poisson_conditional_p(double lambda, std::uint32_t observed);

// Sets kept (and kept_by: the filter's KeptBy) on every edge of every layer by the chosen filter; returns the number
// of kept edges.
std::uint64_t filter_edges(CoactionNetwork& network, const SignificanceOptions& options);

// P(X >= k) for X ~ Binomial(n, p).
double binomial_upper_tail(std::uint32_t n, double p, std::uint32_t k);
// P(X >= k) for X ~ Poisson(lambda).
double poisson_upper_tail(double lambda, double k);
// Benjamini-Hochberg: which of the p-values are rejected at level q.
std::vector<std::uint8_t> benjamini_hochberg(const std::vector<double>& p_values, double q);

struct Cluster {
  std::uint32_t id = 0;                  // 1-based, by decreasing strength of coordination
  std::vector<std::uint32_t> members;    // account ids, ascending
  std::uint64_t kept_edges = 0;          // significant ties inside, over all layers (a pair may have one per layer)
  std::uint64_t tied_pairs = 0;          // member pairs with a significant tie in at least one layer
  double density = 0;                    // tied pairs / possible pairs, in [0, 1]
  std::vector<Layer> layers;             // layers with kept edges inside
  std::int64_t median_delay_ms = 0;      // median over kept internal edges of their median delay
  // Distinct keys the ties co-acted on: those in the ties' stored evidence, or the most any one tie co-acted on when
  // that is more. A lower bound (targets_at_least) when some tie co-acted more often than the evidence rows it keeps
  // (--evidence-per-edge): the keys beyond them are counted per tie, not by name.
  std::uint64_t targets = 0;
  bool targets_at_least = false;
  double observed = 0;                   // co-acted keys summed over internal edges (all candidate edges)
  double expected = 0;                   // the same under the null
  double p_value = 1;                    // min(1, 2 min(sync_p, cotarget_p)): both tests, Bonferroni-combined
  double sync_p = 1;                     // Poisson tail of the co-actions beyond each pair's first, habits null
  double cotarget_p = 1;                 // the same against the co-targeting (popularity) null
  double cotarget_expected = 0;          // co-acted keys summed over internal edges under the popularity null
  double moments = 0;                    // co-acted keys at distinct moments summed over internal edges (cotarget_count)
  double alpha = 0;                      // the level the test faced (cluster_alpha, less for second-stage groups)
  // Which evidence flagged it: kSynchrony (synchronised beyond the members' habits), kCoTargeting (acting on the
  // same targets beyond their popularity and the members' activity), or both; each null faced alpha / 2.
  static constexpr std::uint8_t kSynchrony = 1, kCoTargeting = 2;
  std::uint8_t evidence = 0;
  bool coordinated = false;              // passes the cluster test (some evidence, and min_cluster_size members)
  std::vector<std::uint32_t> recovered;  // members that joined in the second stage (SignificanceOptions::second_stage)
};

// Summaries and tests of groups of accounts as clusters, the one computation behind every cluster the pipeline and
// its refinements report. label[v] is account v's group (0..count-1) or -1; alpha[g] is group g's test level. Every
// edge inside a group counts for observed, expected and the test (its co-actions beyond each pair's first against
// their null expectation given the selection: Poisson tail below alpha and min_excess times over, with at least
// min_cluster_size members); the edges with tie[layer][edge] set are its ties (kept_edges, tied_pairs, density, layers, median
// delay, targets). Accounts with recovered[v] set (may be empty: none) are listed in Cluster::recovered. Members
// ascending; ids are left 0 for the caller to number.
std::vector<Cluster> summarise_clusters(const CoactionNetwork& network, const std::vector<std::int64_t>& label,
                                        std::size_t count, const std::vector<std::vector<std::uint8_t>>& tie,
                                        const std::vector<std::uint8_t>& recovered, const std::vector<double>& alpha,
                                        const SignificanceOptions& options);

// The order of coordination strength the clusters are ranked by: smaller p-value, then more excess co-actions
// (observed - expected), then more members.
bool stronger_cluster(const Cluster& x, const Cluster& y);

// "synchrony", "co-targeting", "synchrony+co-targeting" or "" (Cluster::evidence in words).
std::string cluster_evidence_name(std::uint8_t evidence);

// Clusters (all layers together) with their coordination summary, strongest first: the groups of the cluster edges
// (triangles, core, membership test; see SignificanceOptions), then the second stage.
std::vector<Cluster> coordination_clusters(const CoactionNetwork& network, std::size_t n_accounts,
                                           const SignificanceOptions& options);

// The second stage's joining (a) against given clusters, e.g. the refined parts of analyze: accounts outside every
// cluster join the one their co-actions with it, as a whole, beat the nulls (member_alpha, in rounds), and each
// cluster is summarised again with its joiners (those of a cluster that would then fail its test are left out).
// Ids are kept. Returns the accounts joined; nothing is done without the second stage or with filter none.
std::size_t join_clusters(const CoactionNetwork& network, std::vector<Cluster>& clusters, std::size_t n_accounts,
                          const SignificanceOptions& options);

// Marks kept the cluster ties inside coordinated clusters (cluster edges, and tested edges of members recovered in
// the second stage: their evidence is the cluster's test), with kept_by KeptBy::Cluster; returns how many it newly
// marked (edges already kept are not counted, so a second call returns 0).
std::uint64_t keep_cluster_edges(CoactionNetwork& network, const std::vector<Cluster>& clusters, std::size_t n_accounts,
                                 const SignificanceOptions& options);

}  // namespace cibgraph
