// Loud empty layers (layer_notices.hpp, issue 20): a layer that reads no event is named with what it reads and what
// the data has; "nothing read" is told apart from "some layers empty"; --layers' help lists the actions each layer
// reads (from default_layer_actions); the image-hash and domain layers read their actions and survive the store.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/layer_notices.hpp"
#include "cibgraph/network_store.hpp"
#include "cibgraph/options.hpp"
#include "cibgraph/pipeline.hpp"
#include "cibgraph/store.hpp"
#include "test_support.hpp"

namespace cibgraph {
namespace {

using test_support::EventRow;
using test_support::event_table;

// Three accounts sharing two posts within seconds, plus `extra` rows.
EventTable shares_and(const std::vector<EventRow>& extra) {
  std::vector<EventRow> rows;
  for (int k = 0; k < 2; ++k)
    for (const char* who : {"a", "b", "c"}) rows.push_back({who, "share", "p" + std::to_string(k), 1000 * k});
  rows.insert(rows.end(), extra.begin(), extra.end());
  return event_table(rows);
}

CoordinationOptions with_layers(const std::string& layers) {
  CoordinationOptions o;
  o.coaction.auto_layers = layers == "auto";
  if (!o.coaction.auto_layers) o.coaction.layers = parse_layers(layers);
  return o;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(LayerNotices, AnEmptyLayerAmongOthersIsNamedWithWhatItReadsAndWhatTheDataHas) {
  const EventTable ev = shares_and({{"a", "post", "x", 5}});
  const CoordinationResult r = detect_coordination(ev, with_layers("co-share,co-url"));
  const LayerNotices& n = r.layer_notices;
  EXPECT_EQ(n.empty_layers, (std::vector<Layer>{Layer::CoUrl}));
  EXPECT_FALSE(n.nothing_read);
  EXPECT_EQ(n.layers_with_data, (std::vector<Layer>{Layer::CoShare}));
  ASSERT_EQ(n.data_actions.size(), 2u);
  EXPECT_EQ(n.data_actions[0].action, "share");
  EXPECT_EQ(n.data_actions[0].events, 6u);
  const auto cli = layer_notice_lines(n, OptionSpelling::Cli);
  ASSERT_EQ(cli.size(), 1u);
  EXPECT_EQ(cli[0],
            "co-url read no events: it reads the actions url, link; the data's actions are share 6, post 1. Layers "
            "with events in this data: co-share (--layers co-share). A wide export's column of these targets maps "
            "with --targets url=COL");
  const auto py = layer_notice_lines(n, OptionSpelling::Python);
  ASSERT_EQ(py.size(), 1u);
  EXPECT_TRUE(contains(py[0], "(layers='co-share')")) << py[0];
  EXPECT_TRUE(contains(py[0], "targets={'url': 'COL'}")) << py[0];
}

TEST(LayerNotices, NoLayerReadingAnythingIsOneNoticeForTheRun) {
  // Every row given one action that no layer reads (the wide export mapped with --action-value post).
  const EventTable ev = event_table({{"a", "post", "1", 0}, {"b", "post", "1", 1}, {"c", "post", "2", 2}});
  const CoordinationResult r = detect_coordination(ev, CoordinationOptions{});  // auto
  const LayerNotices& n = r.layer_notices;
  EXPECT_TRUE(n.nothing_read);
  EXPECT_TRUE(n.auto_layers);
  EXPECT_TRUE(n.layers_with_data.empty());
  EXPECT_TRUE(r.clusters.empty());
  const auto lines = layer_notice_lines(n, OptionSpelling::Cli);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(contains(lines[0], "no co-action layer reads the data's actions, so nothing was compared (auto ran "
                                 "co-share over 0 events)"))
      << lines[0];
  for (const Layer l : kAllLayers)
    if (l != Layer::CoText && l != Layer::SyncTime) {
      EXPECT_TRUE(contains(lines[0], std::string(layer_name(l)) + " reads the actions " + layer_reads(l)))
          << layer_name(l);
    }
  EXPECT_TRUE(contains(lines[0], "The data's actions are post 3."));
  EXPECT_TRUE(contains(lines[0], "--action-value share"));
  EXPECT_TRUE(contains(lines[0], "--targets url=url_id,hashtag=hashtag_id"));
}

TEST(LayerNotices, GivenLayersThatReadNothingPointAtTheLayersThatWould) {
  const EventTable ev = shares_and({});
  const LayerNotices n = detect_coordination(ev, with_layers("co-hashtag")).layer_notices;
  EXPECT_TRUE(n.nothing_read);
  EXPECT_FALSE(n.auto_layers);
  const auto lines = layer_notice_lines(n, OptionSpelling::Cli);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(contains(lines[0], "the layer co-hashtag read no events, so nothing was compared: co-hashtag reads the "
                                 "actions hashtag, tag."))
      << lines[0];
  EXPECT_TRUE(contains(lines[0], "Layers with events in this data: co-share (--layers co-share)")) << lines[0];
}

TEST(LayerNotices, TextAndSyncTimeSayWhatTheyMiss) {
  const EventTable ev = shares_and({});
  const auto lines =
      layer_notice_lines(detect_coordination(ev, with_layers("co-share,co-text,sync-time")).layer_notices,
                         OptionSpelling::Cli);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "co-text read no events: it reads any event with text, and no event has text (map a text "
                      "column with --text COL)");
  EXPECT_EQ(lines[1], "sync-time read no events: it reads the events of accounts with at least 20 events, and no "
                      "account has that many (lower it with --sync-min-events N)");
}

TEST(LayerNotices, NoneWhenEveryLayerReadsEvents) {
  const EventTable ev = shares_and({{"a", "url", "u", 0}, {"b", "url", "u", 1}});
  const CoordinationResult r = detect_coordination(ev, CoordinationOptions{});
  EXPECT_FALSE(r.layer_notices.any());
  EXPECT_TRUE(layer_notice_lines(r.layer_notices, OptionSpelling::Cli).empty());
}

TEST(LayerNotices, EmptyTableSaysSo) {
  const LayerNotices n = detect_coordination(EventTable{}, CoordinationOptions{}).layer_notices;
  EXPECT_TRUE(n.nothing_read);
  const auto lines = layer_notice_lines(n, OptionSpelling::Cli);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(contains(lines[0], "no events to compare")) << lines[0];
}

TEST(LayerNotices, LayersHelpListsWhatEachLayerReads) {
  const OptionDef* layers = find_option("layers");
  ASSERT_NE(layers, nullptr);
  const std::string help(layers->help);
  for (const Layer l : kAllLayers)
    EXPECT_TRUE(contains(help, std::string(layer_name(l)) + " (" + layer_reads(l))) << layer_name(l) << ": " << help;
  EXPECT_TRUE(contains(help, "co-image (image, phash)")) << help;
  EXPECT_TRUE(contains(help, "co-domain (domain)")) << help;
}

TEST(ImageAndDomainLayers, ReadTheirActionsAndAutoFindsThem) {
  EXPECT_EQ(parse_layer("co-image"), Layer::CoImage);
  EXPECT_EQ(parse_layer("co-domain"), Layer::CoDomain);
  EXPECT_EQ(layer_name(Layer::CoImage), "co-image");
  EXPECT_EQ(default_layer_actions(Layer::CoImage), (std::vector<std::string>{"image", "phash"}));
  EXPECT_EQ(default_layer_actions(Layer::CoDomain), (std::vector<std::string>{"domain"}));
  std::vector<EventRow> rows;
  for (int k = 0; k < 3; ++k)
    for (const char* who : {"a", "b", "c"}) {
      rows.push_back({who, "image", "h" + std::to_string(k), 10'000 * k});
      rows.push_back({who, "domain", "d" + std::to_string(k), 10'000 * k + 1});
    }
  const EventTable ev = event_table(rows);
  CoactionOptions auto_layers;
  auto_layers.auto_layers = true;
  EXPECT_EQ(layers_with_events(ev, auto_layers), (std::vector<Layer>{Layer::CoImage, Layer::CoDomain}));
  const CoordinationResult r = detect_coordination(ev, CoordinationOptions{});
  ASSERT_EQ(r.network.layers.size(), 2u);
  for (const auto& l : r.network.layers) {
    EXPECT_EQ(l.events, 9u) << layer_name(l.layer);
    EXPECT_EQ(l.size(), 3u) << layer_name(l.layer);  // the three pairs of a, b, c
  }

  // Stored and read back: the layer groups by name, the clusters' layer mask with bits 6 and 7.
  test_support::TempDir dir;
  const std::string path = dir.file("d.h5");
  write_events(path, ev, Provenance{});
  Cluster c;
  c.id = 1;
  c.members = {0, 1, 2};
  c.layers = {Layer::CoImage, Layer::CoDomain};
  write_network(path, "n", r.network, {c}, "{}", {}, StoredEdges::All);
  const NetworkRecord back = read_network(path, "n");
  ASSERT_EQ(back.network.layers.size(), 2u);
  EXPECT_EQ(back.network.layers[0].layer, Layer::CoImage);
  EXPECT_EQ(back.network.layers[1].layer, Layer::CoDomain);
  ASSERT_EQ(back.clusters.size(), 1u);
  EXPECT_EQ(back.clusters[0].layers, (std::vector<Layer>{Layer::CoImage, Layer::CoDomain}));
}

}  // namespace
}  // namespace cibgraph
