// The co-action projection's entry points: layer names and their default actions, text normal forms, a layer's
// events (the actions it takes, texts by normal form, time bins) sorted by key, the CooRnet-style window estimate,
// the layers a table has events for, the projection of every layer (project_layer: layer_projection.cpp and the
// files it names), and the fusion of layers into one graph.
#include "cibgraph/coaction.hpp"

#include <parallel/algorithm>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/format.hpp"
#include "cibgraph/option_spelling.hpp"  // OptionAdviceError
#include "coaction_internal.hpp"
#include "parallel_sort.hpp"

namespace cibgraph {

std::string_view layer_name(Layer layer) {
  switch (layer) {
    case Layer::CoShare: return "co-share";
    case Layer::CoUrl: return "co-url";
    case Layer::CoHashtag: return "co-hashtag";
    case Layer::CoReply: return "co-reply";
    case Layer::CoText: return "co-text";
    case Layer::SyncTime: return "sync-time";
    case Layer::CoImage: return "co-image";
    case Layer::CoDomain: return "co-domain";
  }
  return "co-share";
}

Layer parse_layer(std::string_view name) {
  if (name == "co-share" || name == "co-retweet") return Layer::CoShare;
  if (name == "co-url") return Layer::CoUrl;
  if (name == "co-hashtag") return Layer::CoHashtag;
  if (name == "co-reply") return Layer::CoReply;
  if (name == "co-text") return Layer::CoText;
  if (name == "sync-time") return Layer::SyncTime;
  if (name == "co-image") return Layer::CoImage;
  if (name == "co-domain") return Layer::CoDomain;
  std::string names;
  for (const Layer l : kAllLayers) names += (names.empty() ? "" : ", ") + std::string(layer_name(l));
  throw UsageError("unknown layer '" + std::string(name) + "' (use " + names + "; co-retweet is co-share)");
}

std::vector<Layer> parse_layers(std::string_view list) {
  std::vector<Layer> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto name = list.substr(0, comma);
    if (!name.empty()) {
      const Layer l = parse_layer(name);
      if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  if (out.empty()) throw UsageError("no layers given");
  return out;
}

std::vector<std::string> default_layer_actions(Layer layer) {
  switch (layer) {
    case Layer::CoShare: return {"share", "retweet", "repost", "reshare", "quote", "rt"};
    case Layer::CoUrl: return {"url", "link"};
    case Layer::CoHashtag: return {"hashtag", "tag"};
    case Layer::CoReply: return {"reply", "comment"};
    case Layer::CoImage: return {"image", "phash"};
    case Layer::CoDomain: return {"domain"};
    case Layer::CoText:
    case Layer::SyncTime: return {};
  }
  return {};
}

std::string layer_reads(Layer layer) {
  if (layer == Layer::CoText) return "any event with text";
  if (layer == Layer::SyncTime) return "every event of accounts with enough events";
  std::string out;
  for (const auto& a : default_layer_actions(layer)) out += (out.empty() ? "" : ", ") + a;
  return out;
}

std::string normalise_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  auto starts_with_ci = [&](std::size_t at, std::string_view prefix) {
    if (at + prefix.size() > text.size()) return false;
    for (std::size_t k = 0; k < prefix.size(); ++k) {
      char c = text[at + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[k]) return false;
    }
    return true;
  };
  while (i < text.size()) {
    const bool word_start = i == 0 || is_space(text[i - 1]);
    // URLs and @mentions are removed: campaigns vary them, and they are compared by other layers.
    if (word_start && (starts_with_ci(i, "http://") || starts_with_ci(i, "https://") || starts_with_ci(i, "www.") ||
                       (text[i] == '@' && i + 1 < text.size() && !is_space(text[i + 1])))) {
      while (i < text.size() && !is_space(text[i])) ++i;
      continue;
    }
    char c = text[i++];
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace detail {

std::vector<bool> selected_actions(const EventTable& ev, const CoactionOptions& opt, Layer layer) {
  std::vector<std::string> actions = default_layer_actions(layer);
  if (opt.layer_actions.size() > static_cast<std::size_t>(layer) && !opt.layer_actions[static_cast<int>(layer)].empty())
    actions = opt.layer_actions[static_cast<int>(layer)];
  std::vector<bool> selected(ev.actions.size(), false);
  for (const auto& a : actions)
    if (auto code = ev.actions.find(a); code != StringDictionary::kMissing) selected[code] = true;
  return selected;
}

std::vector<LayerEvent> select_layer_events(const EventTable& ev, Layer layer, const CoactionOptions& opt,
                                            std::vector<std::uint32_t>& text_key_of) {
  std::vector<LayerEvent> out;
  const bool has_tt = ev.has_target_time();
  if (layer == Layer::CoText) {
    // Texts with the same normal form share the key of the first such text.
    text_key_of.assign(ev.texts.size(), kNoKey);
    StringDictionary normal_forms;
    std::vector<std::uint32_t> first_text;
    for (std::uint32_t t = 0; t < ev.texts.size(); ++t) {
      const std::string norm = normalise_text(ev.texts[t]);
      if (norm.empty()) continue;
      const auto id = normal_forms.intern(norm);
      if (id == first_text.size()) first_text.push_back(t);
      text_key_of[t] = first_text[id];
    }
    for (std::size_t i = 0; i < ev.size(); ++i)
      if (ev.text[i] != kNoText && text_key_of[ev.text[i]] != kNoKey)
        out.push_back({text_key_of[ev.text[i]], ev.account[i], ev.time[i], kNoTime});
  } else if (layer == Layer::SyncTime) {
    std::vector<std::uint32_t> per_account(ev.accounts.size(), 0);
    for (auto acc : ev.account) ++per_account[acc];
    const std::int64_t bin = std::max<std::int64_t>(1, opt.sync_bin_ms);
    for (std::size_t i = 0; i < ev.size(); ++i) {
      if (per_account[ev.account[i]] < opt.sync_min_events) continue;
      const std::int64_t b = ev.time[i] / bin;
      if (b > std::numeric_limits<std::uint32_t>::max() - 1)
        throw OptionAdviceError("sync-time: too many bins", "use a wider", "sync_bin");
      out.push_back({static_cast<std::uint32_t>(b), ev.account[i], ev.time[i], b * bin});
    }
  } else {
    const std::vector<bool> selected = selected_actions(ev, opt, layer);
    // An empty target is no target: it never links two accounts (ingest rejects them; tables built by hand may not).
    const std::uint32_t empty_target = ev.targets.find("");
    auto take = [&](std::size_t i) { return selected[ev.action[i]] && ev.target[i] != empty_target; };
    std::size_t n = 0;
    for (std::size_t i = 0; i < ev.size(); ++i) n += take(i);
    out.reserve(n);  // one allocation, no copies while growing
    for (std::size_t i = 0; i < ev.size(); ++i)
      if (take(i)) out.push_back({ev.target[i], ev.account[i], ev.time[i], has_tt ? ev.target_time[i] : kNoTime});
  }
  // Events equal under this order differ at most in key_time, which only enters a minimum per key: any sort gives
  // the same result.
  cibgraph::detail::parallel_sort(out.begin(), out.end(), [](const LayerEvent& x, const LayerEvent& y) {
    if (x.key != y.key) return x.key < y.key;
    if (x.time != y.time) return x.time < y.time;
    return x.account < y.account;
  });
  return out;
}

}  // namespace detail

WindowEstimate estimate_window(const EventTable& ev, const CoactionOptions& opt) {
  // Use the first selected layer's keys (co-share by default), as CooRnet uses the shares of a link.
  const Layer layer = opt.layers.empty() ? Layer::CoShare : opt.layers.front();
  std::vector<std::uint32_t> unused;
  const auto evs = detail::select_layer_events(ev, layer, opt, unused);
  // Per key with 2 or more events: time to the second event, and time to the first event past half of them.
  struct KeySpeed {
    std::int64_t to_second, to_half;
  };
  std::vector<KeySpeed> keys;
  std::size_t start = 0;
  for (std::size_t i = 1; i <= evs.size(); ++i) {
    if (i < evs.size() && evs[i].key == evs[start].key) continue;
    const std::size_t n = i - start;
    if (n >= 2) {
      std::size_t half = 0;  // 0-based rank r with (r + 1) / n > 0.5
      while (2 * (half + 1) <= n) ++half;
      keys.push_back({evs[start + 1].time - evs[start].time, evs[start + half].time - evs[start].time});
    }
    start = i;
  }
  WindowEstimate est;
  est.keys_used = keys.size();
  if (keys.size() < 10) {
    est.window_ms = opt.window_ms;
    est.method = "fewer than 10 keys with 2 or more events: kept the given window";
    return est;
  }
  auto quantile = [](std::vector<std::int64_t> v, double q) {
    auto it = v.begin() + static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), it, v.end());
    return *it;
  };
  std::vector<std::int64_t> second;
  for (const auto& k : keys) second.push_back(k.to_second);
  const std::int64_t fast = quantile(second, 0.1);
  std::vector<std::int64_t> half;
  for (const auto& k : keys)
    if (k.to_second <= fast) half.push_back(k.to_half);
  est.window_ms = std::clamp<std::int64_t>(quantile(half, 0.1), 1000, 3'600'000);
  est.method = "CooRnet-style: among the " + format_count(std::uint64_t{half.size()}) + " of " +
               format_count(std::uint64_t{keys.size()}) + " keys whose second event came fastest (10% quantile, " +
               format_duration(static_cast<double>(fast) / 1000) +
               "), the 10% quantile of the time to reach half of their events; clamped to [1 s, 1 h]";
  return est;
}

CoactionNetwork coaction_projection(const EventTable& events, const CoactionOptions& options) {
  if (options.window_ms < 0) throw UsageError("the window must be non-negative");
  if (options.window_ms > std::numeric_limits<std::int32_t>::max())
    throw UsageError("the window must be under 24 days");
  CoactionNetwork net;
  net.window_ms = options.window_ms;
  if (options.auto_window) {
    net.window_estimate = estimate_window(events, options);
    net.window_ms = net.window_estimate.window_ms;
  }
  for (Layer layer : projection_layers(events, options))
    net.layers.push_back(detail::project_layer(events, layer, options, net.window_ms));
  return net;
}

bool has_comparable_text(const EventTable& ev) {
  // Every text in the dictionary belongs to an event.
  for (std::uint32_t t = 0; t < ev.texts.size(); ++t)
    if (!normalise_text(ev.texts[t]).empty()) return true;
  return false;
}

std::vector<Layer> layers_with_events(const EventTable& ev, const CoactionOptions& opt) {
  std::vector<Layer> out;
  const std::uint32_t empty_target = ev.targets.find("");
  for (const Layer layer : kAllLayers) {
    if (layer == Layer::CoText || layer == Layer::SyncTime) continue;
    const std::vector<bool> selected = detail::selected_actions(ev, opt, layer);
    for (std::size_t i = 0; i < ev.size(); ++i)
      if (selected[ev.action[i]] && ev.target[i] != empty_target) {
        out.push_back(layer);
        break;
      }
  }
  if (has_comparable_text(ev)) out.push_back(Layer::CoText);
  if (out.empty()) out.push_back(Layer::CoShare);
  return out;
}

std::vector<Layer> projection_layers(const EventTable& events, const CoactionOptions& options) {
  return options.auto_layers ? layers_with_events(events, options) : options.layers;
}

EdgeWeight parse_edge_weight(std::string_view name) {
  if (name == "count") return EdgeWeight::Count;
  if (name == "distinct") return EdgeWeight::DistinctTargets;
  if (name == "idf") return EdgeWeight::Idf;
  if (name == "tfidf") return EdgeWeight::TfIdf;
  throw UsageError("unknown weight '" + std::string(name) + "' (use count, distinct, idf or tfidf)");
}

double edge_weight(const LayerEdges& l, std::size_t i, EdgeWeight kind) {
  switch (kind) {
    case EdgeWeight::Count: return l.co_actions[i];
    case EdgeWeight::DistinctTargets: return l.distinct_targets[i];
    case EdgeWeight::Idf: return l.idf_weight[i];
    case EdgeWeight::TfIdf: return l.tfidf_cosine[i];
  }
  return 0;
}

Graph fuse_layers(const CoactionNetwork& net, std::uint32_t n_accounts, const FusionOptions& opt) {
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weight;
  for (const auto& l : net.layers) {
    double largest = 0;
    for (std::size_t i = 0; i < l.size(); ++i)
      if (!opt.kept_only || l.kept[i]) largest = std::max(largest, edge_weight(l, i, opt.weight));
    if (largest <= 0) continue;
    const auto li = static_cast<std::size_t>(l.layer);
    const double factor = (li < opt.layer_weights.size() ? opt.layer_weights[li] : 1.0) / largest;
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (opt.kept_only && !l.kept[i]) continue;
      const double w = edge_weight(l, i, opt.weight) * factor;
      if (w <= 0) continue;
      src.push_back(l.a[i]);
      dst.push_back(l.b[i]);
      weight.push_back(static_cast<float>(w));
    }
  }
  return Graph::from_edges(n_accounts, src, dst, weight, false, DuplicatePolicy::Sum);
}

}  // namespace cibgraph
