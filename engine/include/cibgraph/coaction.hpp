#pragma once
// Co-action projection: from an EventTable, the network of accounts that act on the same thing close in time.
//
// A layer selects events and a key for each: co-share (the target of share/retweet events), co-url, co-hashtag,
// co-reply (the parent of reply/comment events), co-image (an image's perceptual hash), co-domain (a link's domain),
// co-text (the normalised text of any event with text) and sync-time (the time bin of any event, for accounts with
// enough activity). Two accounts co-act when both acted on the same key with |t_a - t_b| <= window: an exact window,
// no bins.
//
// Algorithm per layer: the selected events are sorted by (key, time), and each pair occurrence (two events on a
// key within the window, accounts a < b) becomes a 24-byte record (a, b, key, signed delay, time of a), found by
// walking the key's time-sorted events only as far as the window, so the cost is O(E log E + pairs inside windows),
// never all pairs of a key. The records of each pair are aggregated, in one total order, into one edge with its
// attributes and evidence. Three ways to gather them, the same edges from each (whatever the thread count):
//   - dense layers (more than 2 records per event) within the memory budget: account by account. Each account's
//     row (its records with accounts b > a, found from its own events) is generated, sorted in cache and
//     aggregated straight into its place, rows in parallel; no array of all records is ever built;
//   - sparse layers within the budget: the keys are swept in order into one array, sorted in parallel (streaming
//     the events in key order is cheaper than visiting them account by account when records are few);
//   - past the budget: the keys are swept into per-thread buffers spilled to disk as sorted runs and merged.
// LayerEdges::by_rows tells which way was taken.
//
// Popular keys are bounded: a key whose window holds more than max_pairs_per_key pairs keeps the tightest pairs
// (the largest delay d with at most the cap pairs at delay <= d, found by bisection over two-pointer counts) and is
// reported with how many pairs were left out. Nothing is dropped silently.
//
// Weights (Pacheco et al., "Uncovering Coordinated Networks on Social Media", ICWSM 2021, for TF-IDF):
//   co_actions        pairs of events within the window
//   distinct_targets  keys with at least one co-action
//   idf               sum over co-acted keys of log(N / k), N accounts in the layer, k accounts on the key
//   tfidf_cosine      cosine of the two accounts' TF-IDF vectors over keys (all their keys, not only co-acted ones)
//
// Significance is computed by significance.hpp from the NullInputs this stage leaves with each layer.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cibgraph/event_table.hpp"
#include "cibgraph/progress.hpp"

namespace cibgraph {

// The values are stored (data.h5's cluster layer masks, bit = value): new layers go at the end.
enum class Layer : std::uint8_t { CoShare, CoUrl, CoHashtag, CoReply, CoText, SyncTime, CoImage, CoDomain };
inline constexpr int kLayerCount = 8;
// Every layer, in the order help, auto and reports list them (co-action layers first, sync-time last).
inline constexpr Layer kAllLayers[] = {Layer::CoShare, Layer::CoUrl,   Layer::CoHashtag, Layer::CoReply,
                                       Layer::CoImage, Layer::CoDomain, Layer::CoText,   Layer::SyncTime};

std::string_view layer_name(Layer layer);
// co-share (alias co-retweet), co-url, co-hashtag, co-reply, co-image, co-domain, co-text, sync-time. Throws
// UsageError.
Layer parse_layer(std::string_view name);
std::vector<Layer> parse_layers(std::string_view comma_separated);
// The actions a layer reads by default (lower case), e.g. co-share: share, retweet, repost, reshare, quote, rt.
// Empty for co-text and sync-time, which read every event (with text, or any).
std::vector<std::string> default_layer_actions(Layer layer);
// What a layer reads, in words, from default_layer_actions: "share, retweet, repost, reshare, quote, rt";
// "any event with text" (co-text); "every event of accounts with enough events" (sync-time).
std::string layer_reads(Layer layer);

// Lower case, whitespace collapsed, URLs and @mentions removed, trimmed: what co-text compares.
std::string normalise_text(std::string_view text);

struct CoactionOptions {
  std::vector<Layer> layers{Layer::CoShare};
  // Every co-action layer the data has events for (layers_with_events) instead of `layers`: what `analyze`,
  // `project` and Python use unless told which layers.
  bool auto_layers = false;
  std::int64_t window_ms = 60'000;
  bool auto_window = false;                    // estimate the window (estimate_window) and use it
  std::uint64_t max_pairs_per_key = 2'000'000; // popular-key cap (tightest pairs kept), reported per key
  std::uint32_t evidence_per_edge = 20;        // evidence rows kept per edge (the total is always counted)
  std::int64_t sync_bin_ms = 60'000;           // sync-time: bin width
  std::uint32_t sync_min_events = 20;          // sync-time: accounts with fewer events in the layer are left out
  // Organic synchrony scale of the null model's key floor (see NullInputs::key_floor): crowds can align at this
  // scale (notifications, viral bursts) without coordination; used as max(burst_scale_ms, 4 x window).
  std::int64_t burst_scale_ms = 600'000;
  std::uint64_t memory_budget_bytes = 4ull << 30;  // pair records held in memory before spilling sorted runs
  std::string spill_dir;                       // "" = the system temporary folder
  // Optional override of the actions a layer reads (index by Layer); empty = default_layer_actions.
  std::vector<std::vector<std::string>> layer_actions;
  ProgressCallback progress;
};

// Why an edge is kept (LayerEdges::kept_by): by the edge filter that ran (its name: fdr, min-co-actions, percentile,
// none), or as a tie inside a coordinated cluster (cluster) although the filter left it out. Unrecorded: kept, and
// the reason is not known (a network stored before kept_by was). The values are stored in data.h5.
enum class KeptBy : std::uint8_t { NotKept = 0, Fdr, MinCoActions, Percentile, NoFilter, Cluster, Unrecorded };

struct CappedKey {
  std::uint32_t key = 0;           // target id (or text id / time bin) in the layer's key space
  std::uint64_t pairs_in_window = 0;
  std::uint64_t pairs_kept = 0;
  std::int64_t delay_kept_ms = 0;  // pairs at |delay| <= this were kept
};

// What the null model needs from the projection, per layer: each account's keys and reaction delays.
struct NullInputs {
  // Account -> its keys (sorted, unique) with the count of its events on each: CSR over accounts.
  std::vector<std::uint64_t> account_offsets;
  std::vector<std::uint32_t> account_keys;
  std::vector<std::uint32_t> account_key_counts;
  // Account -> its reaction delays (event time - key creation time), sorted ascending: CSR over accounts.
  std::vector<std::uint64_t> delay_offsets;
  std::vector<std::int64_t> delays_ms;
  std::vector<std::uint32_t> key_accounts;  // per key: distinct accounts acting on it

  // Calls f(pa, pb) for every key both accounts acted on, in key order; pa and pb index account_keys (and
  // account_key_counts) in a's and b's lists. O(keys of a + keys of b), or O(shorter x log longer) by binary search
  // when one list is much longer (a hyperactive account against an occasional one).
  template <class F>
  void for_each_common_key(std::uint32_t a, std::uint32_t b, F&& f) const {
    auto pa = account_offsets[a], ea = account_offsets[a + 1];
    auto pb = account_offsets[b], eb = account_offsets[b + 1];
    const auto na = ea - pa, nb = eb - pb;
    if (na * 16 < nb || nb * 16 < na) {
      const bool a_short = na < nb;
      auto ps = a_short ? pa : pb, es = a_short ? ea : eb;
      auto pl = a_short ? pb : pa, el = a_short ? eb : ea;
      for (; ps < es && pl < el; ++ps) {
        const auto key = account_keys[ps];
        pl = static_cast<std::uint64_t>(std::lower_bound(account_keys.begin() + static_cast<std::ptrdiff_t>(pl),
                                                         account_keys.begin() + static_cast<std::ptrdiff_t>(el), key) -
                                        account_keys.begin());
        if (pl < el && account_keys[pl] == key) {
          if (a_short) f(ps, pl);
          else f(pl, ps);
          ++pl;
        }
      }
      return;
    }
    // Both pointers advance without a branch on the comparison (which mispredicts about every other step); only a
    // match branches.
    while (pa < ea && pb < eb) {
      const auto ka = account_keys[pa], kb = account_keys[pb];
      if (ka == kb) f(pa, pb);
      pa += ka <= kb;
      pb += kb <= ka;
    }
  }
  // Per key: the key's own crowd, at the organic scale h = max(burst_scale_ms, 4 x window): the share of its event
  // pairs within h of each other, spread evenly over h, i.e. the chance that two of its events fall within the
  // key's delay bound if the key's activity is smooth below the scale h. A viral burst or a fan club's minutes keep
  // it (their crowds are minutes wide); a campaign's seconds-wide burst is spread over h and mostly loses it.
  std::vector<float> key_floor;
  // Per key: its delay bound / the window (1, or less for a popular key that hit the pair cap).
  std::vector<float> key_bound_ratio;
  // Per key: the share of its event pairs within its delay bound (the window, or less when capped) of each other:
  // the chance that two of its events, drawn at random, count as a co-action. The co-targeting null
  // (significance.hpp) uses it as the key's own timing, whatever made it (a crowd or a squad).
  std::vector<float> key_window_share;
  // Left by the projection for the null model, which then walks no key list for most pairs, and only the short
  // capped-key lists for the others, instead of both accounts' whole key lists (the projection's TF-IDF pass visits
  // every common key anyway). Empty for tables built by hand: the null model then walks the full lists, with the
  // same result bit for bit. detect_coordination releases the two per-edge arrays once the null model has run.
  //   edge_whole_floor: per edge of the layer (its order), the sum of key_floor over the pair's common keys whose
  //     bound is the whole window (key_bound_ratio >= 1), added in key order.
  //   edge_capped_key: per edge, its one common capped key (key_bound_ratio < 1), or kNoCappedKey (none) or
  //     kSeveralCappedKeys (two or more: the null model walks the capped-key lists below); empty when no key is
  //     capped.
  //   capped_offsets / capped_positions: account -> the positions in account_keys of its keys with
  //     key_bound_ratio < 1 (CSR over accounts; positions ascending, so keys ascending); both empty when no key is
  //     capped.
  static constexpr std::uint32_t kNoCappedKey = 0xFFFFFFFFu;
  static constexpr std::uint32_t kSeveralCappedKeys = 0xFFFFFFFEu;
  std::vector<double> edge_whole_floor;
  std::vector<std::uint32_t> edge_capped_key;
  std::vector<std::uint64_t> capped_offsets;
  std::vector<std::uint64_t> capped_positions;
  std::uint32_t layer_accounts = 0;         // accounts with at least one event in the layer
};

// One layer's edges, one row per unordered pair (a < b) with at least one co-action; columns of equal length.
struct LayerEdges {
  Layer layer = Layer::CoShare;
  std::vector<std::uint32_t> a, b;               // account ids, a < b
  std::vector<std::uint32_t> co_actions;         // pairs of events within the window
  std::vector<std::uint32_t> distinct_targets;   // keys with a co-action
  // Co-acted keys at distinct moments: the keys' co-action times grouped greedily into spans of the organic scale
  // h = max(burst_scale, 4 x window) (a new span starts past h after the first time of the last). Co-actions in one
  // burst (one post carrying several hashtags, everyone retweeting the same accounts during one announcement) are
  // not independent coincidences; the co-targeting test counts moments. At most distinct_targets.
  std::vector<std::uint32_t> moments;
  std::vector<std::uint32_t> a_led, b_led;       // co-actions where a (b) acted strictly first
  std::vector<std::int64_t> min_delay_ms, median_delay_ms;  // of |t_a - t_b| over co-actions
  std::vector<double> idf_weight, tfidf_cosine;
  std::vector<std::uint32_t> common_keys;        // keys both accounts acted on, at any time
  // kScales - 1 per edge (edge-major): keys co-acted within window / 2, / 4, / 8 (saturating at 65535), so the null
  // model can test the pair at the finer scales too. Empty for networks read back from a store.
  std::vector<std::uint16_t> scale_targets;
  static constexpr int kScales = 4;
  // Two tests per edge (significance.hpp): synchrony beyond the two accounts' habits, and co-targeting beyond the
  // targets' popularity and the accounts' activity; p_value combines them (twice the smaller, at most 1).
  std::vector<double> expected;                  // expected distinct co-acted keys under the habits (synchrony) null
  std::vector<double> p_value;                   // the edge's p-value: min(1, 2 min(sync_p, cotarget_p))
  std::vector<double> sync_p;                    // P(X >= distinct_targets | X >= 1) under the habits null (X ~ Poisson(expected))
  std::vector<double> cotarget_expected;         // expected distinct co-acted keys under the popularity null
  std::vector<double> cotarget_p;                // P(X >= moments | X >= 1), X ~ Poisson(cotarget_expected)
  std::vector<std::uint8_t> kept;                // 1 when the filter keeps the edge
  // Why each kept edge is kept, a KeptBy value (0 for an edge not kept): by the edge filter, or as a tie inside a
  // coordinated cluster (keep_cluster_edges). Empty when nobody recorded it (a layer built by hand): kept_reason
  // (significance.hpp) then says Unrecorded for the kept edges.
  std::vector<std::uint8_t> kept_by;

  // Evidence ledger, CSR over edges: the co-actions (key, time of a, time of b), the first evidence_per_edge in
  // key order; evidence_total counts them all.
  std::vector<std::uint64_t> evidence_offsets{0};
  std::vector<std::uint32_t> evidence_key;
  std::vector<std::int64_t> evidence_time_a, evidence_time_b;
  std::vector<std::uint32_t> evidence_total;

  // Key space: co-share/co-url/co-hashtag/co-reply/co-image/co-domain use target ids, co-text text ids (of the first
  // text with that normal form), sync-time bin numbers (time / sync_bin_ms).
  std::vector<CappedKey> capped_keys;
  std::uint64_t pairs_left_out = 0;
  std::uint64_t events = 0;                      // events selected by the layer
  std::uint64_t spilled_runs = 0;
  // How the records were gathered: true when account by account (a dense layer within the memory budget), false
  // when the keys were swept into one sorted array or into spilled runs. The edges are the same either way.
  bool by_rows = false;
  // Co-acting pairs the projection found that these columns do not hold: 0, unless the layer was read back from a
  // store that holds only the kept edges (network_store.hpp, StoredEdges::Kept).
  std::uint64_t unstored_pairs = 0;
  NullInputs null_inputs;

  std::size_t size() const { return a.size(); }
  // Every co-acting pair the projection found (the rows here, and any left out of a store).
  std::uint64_t co_acting_pairs() const { return size() + unstored_pairs; }
};

struct WindowEstimate {
  std::int64_t window_ms = 0;
  std::uint64_t keys_used = 0;   // keys with enough events to measure
  std::string method;            // how it was chosen, in words
};

struct CoactionNetwork {
  std::int64_t window_ms = 0;
  WindowEstimate window_estimate;  // filled when auto_window
  std::vector<LayerEdges> layers;
};

// CooRnet-style estimate (Giglietto et al., estimate_coord_interval with q = 0.1, p = 0.5): among keys with two or
// more events, take those whose second event came within the 10% quantile of times-to-second-event (the fastest
// spreading), and return the 10% quantile of their time from the first event to the event past half of their
// events, clamped to [1 s, 1 h]. Fewer than 10 keys: the given window is kept, and the method says so.
WindowEstimate estimate_window(const EventTable& events, const CoactionOptions& options);

// The co-action layers (co-share, co-url, co-hashtag, co-reply, co-image, co-domain, co-text; not sync-time, which
// compares time bins, not targets) that select at least one event of the table under these options, in that order;
// co-share alone when none does (its result is then empty, and the pipeline's layer notices say so).
// Whether co-text has something to compare: some event's text keeps something after normalise_text.
bool has_comparable_text(const EventTable& events);

std::vector<Layer> layers_with_events(const EventTable& events, const CoactionOptions& options);

// The layers a projection with these options uses: layers_with_events when auto_layers, else options.layers.
std::vector<Layer> projection_layers(const EventTable& events, const CoactionOptions& options);

CoactionNetwork coaction_projection(const EventTable& events, const CoactionOptions& options);

}  // namespace cibgraph

#include "cibgraph/graph.hpp"

namespace cibgraph {

// Fusing the layers of a multiplex result into one undirected weighted graph over all accounts: each kept edge
// contributes layer_weight[layer] x (its weight / the largest weight of its layer), summed over layers, so
// layers with different scales (counts of shares vs. of hashtags) add up on one footing.
enum class EdgeWeight : std::uint8_t { Count, DistinctTargets, Idf, TfIdf };
EdgeWeight parse_edge_weight(std::string_view name);  // count, distinct, idf, tfidf
double edge_weight(const LayerEdges& layer, std::size_t edge, EdgeWeight kind);

struct FusionOptions {
  EdgeWeight weight = EdgeWeight::Idf;
  std::vector<double> layer_weights;  // by Layer value; missing entries weigh 1 (a plain sum)
  bool kept_only = true;
};

Graph fuse_layers(const CoactionNetwork& network, std::uint32_t n_accounts, const FusionOptions& options = {});

}  // namespace cibgraph
