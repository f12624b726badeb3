#include "pipeline_options.hpp"

#include "cibgraph/coaction.hpp"
#include "cibgraph/time.hpp"

namespace cibgraph::cli {

std::vector<OptionSpec> coordination_option_specs() {
  return {
      {"layers", "L,...", "auto (every co-action layer the data has events for: co-share for share/retweet/repost/"
                          "reshare/quote, co-url for url/link, co-hashtag for hashtag, co-reply for reply/comment, "
                          "co-text for any text), or co-share (co-retweet), co-url, co-hashtag, co-reply, co-text, "
                          "sync-time [auto]", ""},
      {"window", "DUR", "co-action window (60s, 500ms, 2m) or 'auto' (CooRnet-style estimate) [60s]", "w"},
      {"filter", "F", "fdr, min-co-actions, percentile or none [fdr]", ""},
      {"fdr", "Q", "false discovery rate for --filter fdr [0.01]", ""},
      {"min-co-actions", "K", "drop edges with fewer co-actions (all filters) [1]", ""},
      {"min-targets", "K", "drop edges co-acting on fewer distinct targets (all filters but none) [2]", ""},
      {"cluster-edge-p", "P", "edges with p <= min(P, 1/pairs tested of either account) also build clusters; kept only inside coordinated ones [0.1]", ""},
      {"min-core", "K", "clusters: accounts must have cluster edges to K others (K-core) [3]", ""},
      {"min-triangles", "T", "clusters: each cluster edge must close T triangles of cluster edges ((T+2)-truss) [2]", ""},
      {"member-alpha", "A", "clusters: an account's own co-actions with its cluster must have Poisson p below A [0.001]", ""},
      {"cluster-alpha", "A", "clusters: a cluster is coordinated when its co-actions beyond chance have Poisson p below A [1e-6]", ""},
      {"min-excess", "X", "clusters: ... and are at least X times what the null expects [2]", ""},
      {"min-cluster-size", "N", "clusters: coordinated clusters have at least N accounts [3]", ""},
      {"second-stage", "on|off", "clusters: accounts join by their ties to a whole cluster, and near-cliques of weak ties are tested as groups [on]", ""},
      {"min-tie-share", "S", "second stage: a group's accounts must be tied to S of the others [0.5]", ""},
      {"burst-scale", "DUR", "null model: organic synchrony scale of a target's crowd, at least 4 windows [10m]", ""},
      {"percentile", "P", "for --filter percentile: keep co-actions >= this quantile [0.99]", ""},
      {"weight", "W", "weight column: count, distinct, idf or tfidf [idf]", ""},
      {"max-pairs-per-target", "N", "popular-target cap; the tightest pairs are kept [2000000]", ""},
      {"evidence-per-edge", "N", "evidence rows kept per edge [20]", ""},
      {"sync-bin", "DUR", "sync-time bin width [60s]", ""},
      {"sync-min-events", "N", "sync-time: accounts with fewer events are left out [20]", ""},
      {"memory-budget", "MB", "pair records in memory before spilling sorted runs to disk [4096]", ""},
  };
}

namespace {

double real_option(const Args& args, const std::string& name, const std::string& fallback) {
  const std::string text = args.get_or(name, fallback);
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  throw UsageError("--" + name + " needs a number, got '" + text + "'");
}

}  // namespace

CoordinationFlags coordination_options_from(const Args& args) {
  CoordinationFlags flags;
  CoactionOptions& opt = flags.options.coaction;
  const std::string layers = args.get_or("layers", "auto");
  opt.auto_layers = layers == "auto";
  if (!opt.auto_layers) opt.layers = parse_layers(layers);
  flags.window_text = args.get_or("window", "60s");
  opt.auto_window = flags.window_text == "auto";
  if (!opt.auto_window) opt.window_ms = parse_duration_ms(flags.window_text);
  opt.max_pairs_per_key = static_cast<std::uint64_t>(args.get_int("max-pairs-per-target", 2'000'000, 1));
  opt.evidence_per_edge = static_cast<std::uint32_t>(args.get_int("evidence-per-edge", 20, 0));
  opt.sync_bin_ms = parse_duration_ms(args.get_or("sync-bin", "60s"));
  if (opt.sync_bin_ms <= 0) throw UsageError("--sync-bin must be positive");
  opt.sync_min_events = static_cast<std::uint32_t>(args.get_int("sync-min-events", 20, 1));
  opt.memory_budget_bytes = static_cast<std::uint64_t>(args.get_int("memory-budget", 4096, 1)) << 20;
  opt.burst_scale_ms = parse_duration_ms(args.get_or("burst-scale", "10m"));
  if (opt.burst_scale_ms <= 0) throw UsageError("--burst-scale must be positive");
  SignificanceOptions& sig = flags.options.significance;
  sig.filter = parse_edge_filter(args.get_or("filter", "fdr"));
  sig.fdr = real_option(args, "fdr", "0.01");
  if (!(sig.fdr > 0 && sig.fdr < 1)) throw UsageError("--fdr must be between 0 and 1");
  sig.min_co_actions = static_cast<std::uint32_t>(args.get_int("min-co-actions", 1, 1));
  sig.min_distinct_targets = static_cast<std::uint32_t>(args.get_int("min-targets", 2, 1));
  sig.cluster_edge_p = real_option(args, "cluster-edge-p", "0.1");
  sig.min_core = static_cast<std::uint32_t>(args.get_int("min-core", 3, 1));
  sig.min_triangles = static_cast<std::uint32_t>(args.get_int("min-triangles", 2, 0));
  sig.member_alpha = real_option(args, "member-alpha", "0.001");
  if (!(sig.member_alpha > 0 && sig.member_alpha <= 1)) throw UsageError("--member-alpha must be in (0, 1]");
  if (!(sig.cluster_edge_p >= 0 && sig.cluster_edge_p <= 1)) throw UsageError("--cluster-edge-p must be in [0, 1]");
  sig.cluster_alpha = real_option(args, "cluster-alpha", "1e-6");
  if (!(sig.cluster_alpha > 0 && sig.cluster_alpha <= 1)) throw UsageError("--cluster-alpha must be in (0, 1]");
  sig.min_excess = real_option(args, "min-excess", "2");
  if (!(sig.min_excess >= 0)) throw UsageError("--min-excess must be >= 0");
  sig.min_cluster_size = static_cast<std::uint32_t>(args.get_int("min-cluster-size", 3, 1));
  const std::string second_stage = args.get_or("second-stage", "on");
  if (second_stage != "on" && second_stage != "off") throw UsageError("--second-stage must be on or off");
  sig.second_stage = second_stage == "on";
  sig.min_tie_share = real_option(args, "min-tie-share", "0.5");
  if (!(sig.min_tie_share >= 0 && sig.min_tie_share <= 1)) throw UsageError("--min-tie-share must be in [0, 1]");
  sig.percentile = real_option(args, "percentile", "0.99");
  flags.weight_name = args.get_or("weight", "idf");
  flags.weight = parse_edge_weight(flags.weight_name);
  return flags;
}

}  // namespace cibgraph::cli
