// Loud empty layers (layer_notices.hpp): which layers of a run read no event, and the lines that say so.
#include "cibgraph/layer_notices.hpp"

#include <algorithm>
#include <string_view>

#include "cibgraph/format.hpp"

namespace cibgraph {
namespace {

// A mapping option (text, action_value, targets) where it can be given: in this call (remap empty), or in the
// step that read the events when this one only projects them (`cibgraph ingest ... --text COL`,
// `read_events(..., text='COL')`).
std::string mapped(OptionSpelling sp, std::string_view remap, std::string_view option, std::string_view value) {
  const std::string spelled = spell_option(sp, option, value);
  if (remap.empty()) return spelled;
  return sp == OptionSpelling::Cli ? std::string(remap) + " ... " + spelled : std::string(remap) + "(..., " + spelled + ")";
}

bool reads_actions(Layer l) { return l != Layer::CoText && l != Layer::SyncTime; }

std::string join_layers(const std::vector<Layer>& layers, const char* separator) {
  std::string out;
  for (const Layer l : layers) out += (out.empty() ? "" : separator) + std::string(layer_name(l));
  return out;
}

// "post 218,968, url 50,785" (the ten with most events, then how many more).
std::string data_actions_text(const LayerNotices& n) {
  if (n.data_actions.empty()) return "none";
  std::string out;
  for (std::size_t i = 0; i < n.data_actions.size() && i < 10; ++i)
    out += (i ? ", " : "") + n.data_actions[i].action + " " + format_count(n.data_actions[i].events);
  if (n.data_actions.size() > 10) out += " and " + format_count(std::uint64_t{n.data_actions.size() - 10}) + " more";
  return out;
}

std::string what_it_reads(const LayerNotices& n, Layer l) {
  const std::string& reads = n.reads[static_cast<std::size_t>(l)];
  if (l == Layer::CoText) return "any event with text";
  if (l == Layer::SyncTime)
    return "the events of accounts with at least " + std::to_string(n.sync_min_events) + " events";
  return "the actions " + reads;
}

// One empty layer, when other layers did read events.
std::string empty_layer_line(const LayerNotices& n, Layer l, OptionSpelling sp, std::string_view remap) {
  std::string out = std::string(layer_name(l)) + " read no events: it reads " + what_it_reads(n, l);
  if (l == Layer::CoText)
    return out + ", and no event has text (map a text column with " + mapped(sp, remap, "text", "COL") + ")";
  if (l == Layer::SyncTime)
    return out + ", and no account has that many (lower it with " + spell_option(sp, "sync_min_events", "N") + ")";
  out += "; the data's actions are " + data_actions_text(n);
  std::vector<Layer> others;
  for (const Layer w : n.layers_with_data)
    if (w != l) others.push_back(w);
  if (!others.empty())
    out += ". Layers with events in this data: " + join_layers(others, ", ") + " (" +
           spell_option(sp, "layers", join_layers(others, ",")) + ")";
  const std::string& reads = n.reads[static_cast<std::size_t>(l)];
  const std::string first_action = reads.substr(0, reads.find(','));
  out += ". A wide export's column of these targets maps with " + mapped(sp, remap, "targets", first_action + "=COL");
  return out;
}

// Every layer read nothing: one line for the run.
std::string nothing_read_line(const LayerNotices& n, const std::vector<Layer>& used, OptionSpelling sp,
                              std::string_view remap) {
  if (n.events == 0)
    return "no events to compare: the input gave no event (look at the rows rejected and at the column mapping); "
           "every layer is empty";
  std::string out;
  std::vector<Layer> listed;
  if (n.auto_layers) {
    out = "no co-action layer reads the data's actions, so nothing was compared (auto ran " + join_layers(used, ", ") +
          " over 0 events):";
    for (const Layer l : kAllLayers)
      if (reads_actions(l)) listed.push_back(l);
  } else {
    out = std::string(used.size() == 1 ? "the layer " : "the layers ") + join_layers(used, ", ") +
          " read no events, so nothing was compared:";
    listed = used;
  }
  for (std::size_t i = 0; i < listed.size(); ++i)
    out += std::string(i ? "; " : " ") + std::string(layer_name(listed[i])) + " reads " + what_it_reads(n, listed[i]);
  out += ". The data's actions are " + data_actions_text(n) + ". ";
  if (!n.auto_layers && !n.layers_with_data.empty())
    out += "Layers with events in this data: " + join_layers(n.layers_with_data, ", ") + " (" +
           spell_option(sp, "layers", join_layers(n.layers_with_data, ",")) + "); or name ";
  else
    out += "Name ";
  out += "the actions the layers read: one action for every row with " + mapped(sp, remap, "action_value", "share") +
         ", or one event per filled target column of a wide export with " +
         mapped(sp, remap, "targets", "url=url_id,hashtag=hashtag_id");
  return out;
}

}  // namespace

LayerNotices layer_notices(const EventTable& ev, const CoactionOptions& opt, const CoactionNetwork& net) {
  LayerNotices n;
  n.events = ev.size();
  n.auto_layers = opt.auto_layers;
  n.sync_min_events = opt.sync_min_events;
  std::vector<std::uint64_t> per_action(ev.actions.size(), 0);
  for (const auto a : ev.action) ++per_action[a];
  for (std::uint32_t a = 0; a < ev.actions.size(); ++a)
    if (per_action[a]) n.data_actions.push_back({std::string(ev.actions[a]), per_action[a]});
  std::stable_sort(n.data_actions.begin(), n.data_actions.end(),
                   [](const ActionCount& x, const ActionCount& y) { return x.events > y.events; });
  n.reads.assign(kLayerCount, {});
  for (const Layer l : kAllLayers) {
    const auto k = static_cast<std::size_t>(l);
    if (k < opt.layer_actions.size() && !opt.layer_actions[k].empty()) {
      for (const auto& a : opt.layer_actions[k]) n.reads[k] += (n.reads[k].empty() ? "" : ", ") + a;
    } else {
      n.reads[k] = layer_reads(l);
    }
  }
  bool any_read = false;
  for (const auto& l : net.layers) {
    if (l.events == 0) n.empty_layers.push_back(l.layer);
    else any_read = true;
  }
  n.nothing_read = !net.layers.empty() && !any_read;
  // The co-action layers that read events of this table (layers_with_events without its co-share fallback): per
  // action, its events with a target; a layer reads the sum over its actions.
  const std::uint32_t empty_target = ev.targets.find("");
  std::vector<std::uint64_t> with_target(ev.actions.size(), 0);
  for (std::size_t i = 0; i < ev.size(); ++i) with_target[ev.action[i]] += ev.target[i] != empty_target;
  for (const Layer l : kAllLayers) {
    if (!reads_actions(l)) continue;
    const auto k = static_cast<std::size_t>(l);
    std::vector<std::string> actions = default_layer_actions(l);
    if (k < opt.layer_actions.size() && !opt.layer_actions[k].empty()) actions = opt.layer_actions[k];
    std::uint64_t events = 0;
    for (const auto& a : actions)
      if (const auto code = ev.actions.find(a); code != StringDictionary::kMissing) events += with_target[code];
    if (events) n.layers_with_data.push_back(l);
  }
  // co-text reads texts, not actions (as auto decides).
  if (has_comparable_text(ev)) n.layers_with_data.push_back(Layer::CoText);
  return n;
}

std::vector<std::string> layer_notice_lines(const LayerNotices& n, OptionSpelling spelling, std::string_view remap) {
  std::vector<std::string> out;
  if (n.nothing_read) {
    out.push_back(nothing_read_line(n, n.empty_layers, spelling, remap));
    return out;
  }
  for (const Layer l : n.empty_layers) out.push_back(empty_layer_line(n, l, spelling, remap));
  return out;
}

}  // namespace cibgraph
