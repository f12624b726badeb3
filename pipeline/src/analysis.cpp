#include "cibgraph/analysis.hpp"
#include "cibgraph/options.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "cibgraph/algorithms/centrality/betweenness.hpp"
#include "cibgraph/algorithms/centrality/pagerank.hpp"
#include "cibgraph/algorithms/community/leiden.hpp"
#include "cibgraph/algorithms/components/kcore.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/time.hpp"

namespace cibgraph {

double evidence_strength(double p_value) {
  const double p = std::clamp(p_value, 1e-300, 1.0);
  const double s = -std::log10(p);
  return s / (s + 5.0);
}

void check_analysis_options(const AnalysisOptions& o) {
  check_options(o, kMappingScope | kCoordinationScope | kAnalysisScope);
}

namespace {

constexpr int kStages = 6;  // ingest, projection, null model, filter and clusters, refinement, rankings

class StageClock {
 public:
  StageClock(std::vector<StageTime>& times, const ProgressCallback& callback) : times_(times), callback_(callback) {}
  void lap(std::string_view name) {
    const auto now = std::chrono::steady_clock::now();
    times_.push_back({std::string(name), std::chrono::duration<double>(now - last_).count()});
    last_ = now;
    report_progress(callback_, name, times_.size(), kStages, "stages");
  }
  void restart() { last_ = std::chrono::steady_clock::now(); }

 private:
  std::vector<StageTime>& times_;
  const ProgressCallback& callback_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

// The subgraph of g induced by `members` (ascending), vertices renumbered 0..k-1 in that order.
Graph induced_subgraph(const Graph& g, const std::vector<std::uint32_t>& members, std::vector<std::uint32_t>& local) {
  constexpr auto kNone = std::numeric_limits<std::uint32_t>::max();
  for (std::uint32_t i = 0; i < members.size(); ++i) local[members[i]] = i;
  std::vector<std::uint64_t> offsets{0};
  std::vector<std::uint32_t> targets;
  std::vector<float> weights;
  for (const std::uint32_t v : members) {
    const auto nb = g.neighbors(v);
    const auto w = g.neighbor_weights(v);
    for (std::size_t k = 0; k < nb.size(); ++k)
      if (local[nb[k]] != kNone) {
        targets.push_back(local[nb[k]]);
        weights.push_back(w[k]);
      }
    offsets.push_back(targets.size());
  }
  for (const std::uint32_t v : members) local[v] = kNone;
  return Graph(std::move(offsets), std::move(targets), std::move(weights), false);
}

// Parts of a cluster's graph: the communities `membership` (labels 0 .. count-1) with every community not kept merged
// into the kept community it is most tied to (total edge weight; ties go to the lower label; with no tie to a kept
// community, into the largest kept one). Returns each vertex's part, kept communities renumbered 0, 1, ... in label
// order; empty when none is kept.
std::vector<std::uint32_t> merge_into_kept(const Graph& sub, const std::vector<std::uint32_t>& membership,
                                           std::size_t count, const std::vector<bool>& keep) {
  const std::size_t n = membership.size();
  std::vector<std::size_t> sizes(count, 0);
  for (auto m : membership) ++sizes[m];
  constexpr auto kMerged = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> renumber(count, kMerged);
  std::uint32_t kept = 0;
  std::size_t largest = 0;
  for (std::size_t k = 0; k < count; ++k)
    if (keep[k]) {
      if (kept == 0 || sizes[k] > sizes[largest]) largest = k;
      renumber[k] = kept++;
    }
  if (kept == 0) return {};
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> tie;  // (merged community, kept part) -> weight
  for (std::uint32_t v = 0; v < n; ++v) {
    const std::uint32_t cv = membership[v];
    if (renumber[cv] != kMerged) continue;
    const auto nb = sub.neighbors(v);
    const auto w = sub.neighbor_weights(v);
    for (std::size_t k = 0; k < nb.size(); ++k) {
      const std::uint32_t cu = membership[nb[k]];
      if (renumber[cu] != kMerged) tie[{cv, renumber[cu]}] += w[k];
    }
  }
  std::vector<std::uint32_t> target(count, renumber[largest]);
  std::vector<double> best(count, 0.0);
  for (const auto& [key, weight] : tie)  // in (community, part) order: the first best wins ties
    if (weight > best[key.first]) {
      best[key.first] = weight;
      target[key.first] = key.second;
    }
  std::vector<std::uint32_t> part(n);
  for (std::size_t v = 0; v < n; ++v) part[v] = renumber[membership[v]] != kMerged ? renumber[membership[v]] : target[membership[v]];
  return part;
}

// Strongest first (stronger_cluster), numbered 1, 2, ..., with their scores.
void rank_flagged(std::vector<AnalysisCluster>& flagged) {
  std::stable_sort(flagged.begin(), flagged.end(),
                   [](const AnalysisCluster& x, const AnalysisCluster& y) { return stronger_cluster(x.cluster, y.cluster); });
  for (std::size_t i = 0; i < flagged.size(); ++i) {
    flagged[i].cluster.id = static_cast<std::uint32_t>(i + 1);
    flagged[i].score = evidence_strength(flagged[i].cluster.p_value);
  }
}

// Leiden refinement of the coordinated clusters (the rule in analysis.hpp); returns the flagged clusters ranked.
std::vector<AnalysisCluster> refine_clusters(const CoordinationResult& detected, const Graph& fused,
                                             std::size_t n_accounts, const AnalysisOptions& options) {
  const SignificanceOptions& sig = options.coordination.significance;
  std::vector<AnalysisCluster> flagged;
  std::vector<std::uint32_t> local(n_accounts, std::numeric_limits<std::uint32_t>::max());
  // Candidate splits: a flagged cluster and its parts (each member's part, local to the cluster's member list).
  struct Candidate {
    std::size_t index;
    std::vector<std::uint32_t> part;
    std::size_t parts;
    double modularity;
    std::size_t first_group = 0;
  };
  std::vector<Candidate> candidates;
  for (const Cluster& c : detected.clusters) {
    if (!c.coordinated) continue;
    flagged.push_back({c, c.id, false, 0.0, 0.0});
    if (c.members.size() < 2 * static_cast<std::size_t>(sig.min_cluster_size)) continue;
    const Graph sub = induced_subgraph(fused, c.members, local);
    LeidenOptions lo;
    lo.quality = CommunityQuality::Modularity;
    lo.resolution = options.resolution;
    lo.seed = options.seed;
    const CommunityResult communities = leiden(sub, lo);
    if (communities.count < 2 || communities.quality < options.min_split_modularity) continue;
    std::vector<std::size_t> sizes(communities.count, 0);
    for (auto m : communities.membership) ++sizes[m];
    std::vector<bool> keep(communities.count);
    for (std::size_t k = 0; k < communities.count; ++k) keep[k] = sizes[k] >= sig.min_cluster_size;
    auto part = merge_into_kept(sub, communities.membership, communities.count, keep);
    const std::size_t parts = part.empty() ? 0 : *std::max_element(part.begin(), part.end()) + 1;
    if (parts >= 2) candidates.push_back({flagged.size() - 1, std::move(part), parts, communities.quality});
  }
  // Each part is summarised and tested as the pipeline tests a cluster, its ties being the kept edges inside it.
  std::vector<std::vector<std::uint8_t>> ties;
  for (const auto& l : detected.network.layers) ties.push_back(l.kept);
  const auto test_parts = [&](std::vector<Candidate>& cands) {
    std::vector<std::int64_t> label(n_accounts, -1);
    std::vector<double> group_alpha;
    std::size_t groups = 0;
    for (Candidate& cand : cands) {
      const Cluster& c = flagged[cand.index].cluster;
      cand.first_group = groups;
      for (std::size_t i = 0; i < c.members.size(); ++i)
        label[c.members[i]] = static_cast<std::int64_t>(groups + cand.part[i]);
      groups += cand.parts;
      group_alpha.resize(groups, c.alpha);
    }
    return summarise_clusters(detected.network, label, groups, ties, {}, group_alpha, sig);
  };
  const auto passing = [](const std::vector<Cluster>& tested, const Candidate& cand) {
    std::vector<bool> pass(cand.parts);
    for (std::size_t g = 0; g < cand.parts; ++g) pass[g] = tested[cand.first_group + g].coordinated;
    return pass;
  };
  // Round 1: the Leiden parts. Round 2, for a cluster where two parts or more pass but not all: the failing parts are
  // merged into the passing part they are most tied to and the parts are tested again. A cluster splits only when
  // all its parts pass.
  std::vector<Cluster> tested = test_parts(candidates);
  std::vector<Candidate> retry;
  std::vector<std::vector<Cluster>> accepted(flagged.size());
  for (Candidate& cand : candidates) {
    const auto pass = passing(tested, cand);
    const auto n_pass = static_cast<std::size_t>(std::count(pass.begin(), pass.end(), true));
    if (n_pass == cand.parts) {
      for (std::size_t g = 0; g < cand.parts; ++g) accepted[cand.index].push_back(std::move(tested[cand.first_group + g]));
    } else if (n_pass >= 2) {
      const Cluster& c = flagged[cand.index].cluster;
      const Graph sub = induced_subgraph(fused, c.members, local);
      Candidate again{cand.index, merge_into_kept(sub, cand.part, cand.parts, pass), n_pass, cand.modularity};
      retry.push_back(std::move(again));
    }
  }
  if (!retry.empty()) {
    std::vector<Cluster> retested = test_parts(retry);
    for (const Candidate& cand : retry) {
      const auto pass = passing(retested, cand);
      if (std::all_of(pass.begin(), pass.end(), [](bool p) { return p; }))
        for (std::size_t g = 0; g < cand.parts; ++g)
          accepted[cand.index].push_back(std::move(retested[cand.first_group + g]));
    }
  }
  std::map<std::size_t, double> modularity;
  for (const Candidate& cand : candidates) modularity[cand.index] = cand.modularity;
  std::vector<AnalysisCluster> next;
  for (std::size_t f = 0; f < flagged.size(); ++f) {
    if (accepted[f].empty()) {
      next.push_back(std::move(flagged[f]));
      continue;
    }
    const std::set<std::uint32_t> recovered(flagged[f].cluster.recovered.begin(), flagged[f].cluster.recovered.end());
    for (Cluster& part : accepted[f]) {
      for (auto m : part.members)
        if (recovered.count(m)) part.recovered.push_back(m);
      next.push_back({std::move(part), flagged[f].detected_id, true, modularity[f], 0.0});
    }
  }
  flagged = std::move(next);
  rank_flagged(flagged);
  return flagged;
}

void rank_accounts(AnalysisResult& r, const AnalysisOptions& options) {
  const EventTable& ev = r.ingest.events;
  const auto n = static_cast<std::uint32_t>(ev.accounts.size());
  r.accounts.assign(n, {});
  for (std::uint32_t v = 0; v < n; ++v) {
    r.accounts[v].account = v;
    r.accounts[v].first_seen = std::numeric_limits<std::int64_t>::max();
    r.accounts[v].last_seen = std::numeric_limits<std::int64_t>::min();
  }
  for (std::size_t i = 0; i < ev.size(); ++i) {
    AccountRanking& a = r.accounts[ev.account[i]];
    ++a.n_events;
    a.first_seen = std::min(a.first_seen, ev.time[i]);
    a.last_seen = std::max(a.last_seen, ev.time[i]);
  }
  for (auto& a : r.accounts)
    if (a.n_events == 0) a.first_seen = a.last_seen = 0;
  for (const auto& c : r.clusters)
    for (auto m : c.cluster.members) r.accounts[m].cluster = c.cluster.id;
  for (const auto& l : r.coordination.network.layers)
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (!l.kept[i]) continue;
      for (const std::uint32_t v : {l.a[i], l.b[i]}) {
        ++r.accounts[v].kept_edges;
        r.accounts[v].best_edge_p = std::min(r.accounts[v].best_edge_p, l.p_value[i]);
      }
    }

  // The graph of the accounts with a kept edge.
  std::vector<std::uint32_t> active, local(n, 0);
  for (std::uint32_t v = 0; v < n; ++v)
    if (r.fused.degree(v) > 0) {
      local[v] = static_cast<std::uint32_t>(active.size());
      active.push_back(v);
    }
  const auto k = static_cast<std::uint32_t>(active.size());
  std::vector<std::uint64_t> offsets{0};
  offsets.reserve(k + 1);
  std::vector<std::uint32_t> targets;
  targets.reserve(r.fused.num_arcs());
  std::vector<float> weights;
  weights.reserve(r.fused.num_arcs());
  for (const std::uint32_t v : active) {
    for (const std::uint32_t w : r.fused.neighbors(v)) targets.push_back(local[w]);
    const auto ws = r.fused.neighbor_weights(v);
    weights.insert(weights.end(), ws.begin(), ws.end());
    offsets.push_back(targets.size());
  }
  const Graph g(std::move(offsets), std::move(targets), std::move(weights), false);

  const ScoresResult pr = pagerank(g, PageRankOptions{});
  BetweennessOptions bo;
  bo.seed = options.seed;
  const double arcs = static_cast<double>(std::max<std::uint64_t>(1, g.num_arcs()));
  const double budget = static_cast<double>(options.betweenness_budget);
  if (static_cast<double>(k) * arcs > budget) {
    const double sources = std::max(16.0, std::floor(budget / arcs));
    bo.samples = static_cast<std::uint32_t>(std::min<double>(sources, k));
  }
  const BetweennessResult bc = betweenness(g, bo);
  r.betweenness = {bc.error_bound == 0 && bc.sources >= k, bc.sources, k, bc.error_bound};
  const std::vector<std::uint32_t> core = core_numbers(g);

  for (std::uint32_t i = 0; i < k; ++i) {
    AccountRanking& a = r.accounts[active[i]];
    a.pagerank = pr.scores[i];
    a.betweenness = bc.scores[i];
    a.degree = static_cast<std::uint32_t>(g.degree(i));
    a.core = core[i];
  }
  std::vector<double> cluster_p(r.clusters.size() + 1, 1.0);
  for (const auto& c : r.clusters) cluster_p[c.cluster.id] = c.cluster.p_value;
  for (auto& a : r.accounts) {
    if (a.kept_edges == 0) continue;
    const double p_edges = std::min(1.0, a.best_edge_p * static_cast<double>(a.kept_edges));
    a.score = (evidence_strength(cluster_p[a.cluster]) + evidence_strength(p_edges)) / 2;
  }
}

void run_after_ingest(AnalysisResult& r, const AnalysisOptions& options, StageClock& clock) {
  const EventTable& ev = r.ingest.events;
  CoordinationOptions co = options.coordination;
  if (!co.coaction.progress) co.coaction.progress = options.progress;
  co.stages = [&](const ProgressUpdate& u) {
    clock.lap(u.stage);
    return true;
  };
  r.coordination = detect_coordination(ev, co);
  FusionOptions fusion;
  fusion.weight = options.weight;
  fusion.kept_only = true;
  r.fused = fuse_layers(r.coordination.network, static_cast<std::uint32_t>(ev.accounts.size()), fusion);
  r.clusters = refine_clusters(r.coordination, r.fused, ev.accounts.size(), options);
  {
    // Accounts join the refined parts as they joined the pipeline's clusters: a part is a sharper reference than
    // the cluster it was split from (an account tied to one campaign of two bridged ones is diluted by the other).
    const SignificanceOptions& sig = options.coordination.significance;
    std::vector<Cluster> parts;
    for (const auto& ac : r.clusters) parts.push_back(ac.cluster);
    if (join_clusters(r.coordination.network, parts, ev.accounts.size(), sig) > 0) {
      for (std::size_t i = 0; i < parts.size(); ++i) r.clusters[i].cluster = std::move(parts[i]);
      std::vector<Cluster> marked;
      for (const auto& ac : r.clusters) marked.push_back(ac.cluster);
      keep_cluster_edges(r.coordination.network, marked, ev.accounts.size(), sig);
      r.fused = fuse_layers(r.coordination.network, static_cast<std::uint32_t>(ev.accounts.size()), fusion);
      rank_flagged(r.clusters);
    }
  }
  clock.lap("refinement");
  rank_accounts(r, options);
  clock.lap("rankings");
}

}  // namespace

AnalysisResult analyze(const std::vector<std::string>& inputs, const AnalysisOptions& options) {
  check_analysis_options(options);
  AnalysisResult r;
  StageClock clock(r.stages, options.stages);
  IngestOptions io = options.ingest;
  if (!io.progress) io.progress = options.progress;
  r.ingest = ingest(inputs, io);
  clock.lap("ingest");
  run_after_ingest(r, options, clock);
  return r;
}

AnalysisResult analyze_ingested(IngestResult ingested, const AnalysisOptions& options) {
  check_analysis_options(options);
  AnalysisResult r;
  r.ingest = std::move(ingested);
  StageClock clock(r.stages, options.stages);
  r.stages.push_back({"ingest", 0.0});
  clock.restart();
  run_after_ingest(r, options, clock);
  return r;
}

std::string analysis_parameters_json(const AnalysisOptions& options, const AnalysisResult& result) {
  nlohmann::json params = nlohmann::json::parse(store_options(
      options, kAnalysisScope, result.coordination.network,
      coordination_parameters_json(options.coordination, result.coordination.network, options.window_text,
                                   options.weight_name, result.ingest.provenance)));
  const std::string& mapping = result.ingest.provenance.mapping_json;
  params["ingest"] = mapping.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(mapping);
  return params.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // a name in invalid UTF-8: U+FFFD
}

std::vector<std::uint32_t> account_report_order(const AnalysisResult& r) {
  const EventTable& ev = r.ingest.events;
  std::vector<std::uint32_t> order(r.accounts.size());
  for (std::uint32_t v = 0; v < order.size(); ++v) order[v] = v;
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const AccountRanking &a = r.accounts[x], &b = r.accounts[y];
    const bool fa = a.cluster != 0, fb = b.cluster != 0;
    if (fa != fb) return fa;
    if (a.cluster != b.cluster) return a.cluster < b.cluster;
    if (a.score != b.score) return a.score > b.score;
    return ev.accounts[x] < ev.accounts[y];
  });
  return order;
}

void write_accounts_csv(const std::string& path, const AnalysisResult& r) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError({path, 0, {}}, "cannot write");
  const EventTable& ev = r.ingest.events;
  out << "account_id,cluster,score,pagerank,betweenness,degree,core,kept_edges,n_events,first_seen,last_seen\n";
  std::string row;
  for (const std::uint32_t v : account_report_order(r)) {
    const AccountRanking& a = r.accounts[v];
    row.clear();
    append_csv_field(row, ev.accounts[v]);
    row += "," + (a.cluster ? std::to_string(a.cluster) : std::string()) + "," + format_real(a.score) + "," +
           format_real(a.pagerank) + "," + format_real(a.betweenness) + "," + std::to_string(a.degree) + "," +
           std::to_string(a.core) + "," + std::to_string(a.kept_edges) + "," + std::to_string(a.n_events) + "," +
           (a.n_events ? format_iso8601(a.first_seen) : std::string()) + "," +
           (a.n_events ? format_iso8601(a.last_seen) : std::string()) + "\n";
    out << row;
  }
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

void write_flagged_clusters_csv(const std::string& path, const AnalysisResult& r) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError({path, 0, {}}, "cannot write");
  const EventTable& ev = r.ingest.events;
  out << "cluster,size,density,layers,median_delay_s,targets,p_value,observed,expected,alpha,score,kept_edges,"
         "detected_cluster,split,coordinated,evidence,sync_p,cotarget_p,cotarget_expected,members,second_stage_members\n";
  std::string row;
  for (const auto& ac : r.clusters) {
    const Cluster& c = ac.cluster;
    row = cluster_head_fields(c) + "," + format_real(c.p_value) + "," + format_real(c.observed) + "," +
          format_real(c.expected) + "," + format_real(c.alpha) + "," + format_real(ac.score) + "," +
          std::to_string(c.kept_edges) + "," + std::to_string(ac.detected_id) + "," + (ac.split ? "1" : "0") + ",1," +
          cluster_evidence_name(c.evidence) + "," + format_real(c.sync_p) + "," + format_real(c.cotarget_p) + "," +
          format_real(c.cotarget_expected) + ",";
    append_cluster_members(row, ev, c);
    out << row << "\n";
  }
  if (!out) throw InputError({path, 0, {}}, "error writing");
}

}  // namespace cibgraph
