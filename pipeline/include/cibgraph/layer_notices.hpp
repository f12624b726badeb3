#pragma once
// Loud empty layers. A layer that reads no event gives an empty result, which reads like "no coordination found"
// when it means "nothing was compared": a file whose actions no layer reads (every row given --action-value post),
// --layers co-url on data without url events, a wide export mapped to one column. detect_coordination records every
// layer it ran that read no event, what that layer reads and what the data has (its actions with their events), and
// the front ends say so: the CLI prints a warning line per layer on stderr (and `analyze` / `project` stop with an
// error, exit code 3, when no layer read any event), Python raises cibgraph.EmptyLayerWarning, report.json lists the
// lines under "warnings".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/event_table.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/store.hpp"  // ActionCount

namespace cibgraph {

struct LayerNotices {
  std::vector<Layer> empty_layers;        // layers the run used that read no event, in the network's order
  bool nothing_read = false;              // every layer used read no event: the result is empty by construction
  bool auto_layers = false;               // the layers were chosen by auto (then none had events: co-share alone)
  std::uint64_t events = 0;               // events in the table
  std::vector<ActionCount> data_actions;  // the table's actions with their events, most events first
  std::vector<Layer> layers_with_data;    // the co-action layers that read some event of the table (auto's choice)
  std::vector<std::string> reads;         // per Layer value: what it read in this run (its actions, in words)
  std::uint32_t sync_min_events = 0;

  bool any() const { return !empty_layers.empty(); }
};

// What the network's layers read, against the table they were projected from under these options.
LayerNotices layer_notices(const EventTable& events, const CoactionOptions& options, const CoactionNetwork& network);

// The notices in words, one line per empty layer, or one line for the whole run when nothing was read: the layer,
// the actions it reads, the actions the data has (with their events) and what would fix it (--layers co-url,
// --action-value share, --targets url=url_id,...), spelled for the front end. A run that only projects events read
// before (`cibgraph project`, Python's coordination_network) names in `remap` the step where the mapping options
// (text, action_value, targets) are given: "cibgraph ingest" gives "cibgraph ingest ... --text COL", "read_events"
// gives "read_events(..., text='COL')". Empty when every layer read events.
std::vector<std::string> layer_notice_lines(const LayerNotices& notices, OptionSpelling spelling,
                                            std::string_view remap = {});

}  // namespace cibgraph
