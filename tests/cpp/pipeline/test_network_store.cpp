// Co-action networks and clusters stored beside the events: every column round-trips, a name is replaced without
// the file growing, names coexist, the events and the integrity record survive, and damaged or inconsistent
// networks are refused with an exception naming the file and the check.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/event_table.hpp"
#include "cibgraph/network_store.hpp"
#include "cibgraph/provenance.hpp"
#include "cibgraph/significance.hpp"
#include "cibgraph/store.hpp"
#include "cibgraph/version.hpp"
#include "test_support.hpp"

namespace cibgraph {
namespace {

namespace fs = std::filesystem;
using test_support::TempDir;
using test_support::thrown_message;

// Five accounts, three targets, two texts; account 4 never acts.
EventTable sample_events() {
  EventTable t;
  for (const char* name : {"alice", "bob", "carol", "dave", "erin"}) t.accounts.intern(name);
  const auto share = static_cast<std::uint8_t>(t.actions.intern("share"));
  const auto post = static_cast<std::uint8_t>(t.actions.intern("post"));
  for (const char* target : {"https://example.org/1", "https://example.org/2", "#tag"}) t.targets.intern(target);
  t.texts.intern("vote now");
  t.texts.intern("VOTE   now");
  struct Row {
    std::uint32_t account;
    std::uint8_t action;
    std::uint32_t target;
    std::int64_t time;
    std::uint32_t text;
  };
  const std::vector<Row> rows = {
      {0, share, 0, 1'000, kNoText}, {1, share, 0, 1'500, kNoText}, {2, share, 0, 2'000, kNoText},
      {0, share, 1, 9'000, kNoText}, {1, share, 1, 9'100, kNoText}, {3, post, 2, 5'000, 0},
      {2, post, 2, 5'050, 1},
  };
  for (const Row& r : rows) {
    t.account.push_back(r.account);
    t.action.push_back(r.action);
    t.target.push_back(r.target);
    t.time.push_back(r.time);
    t.text.push_back(r.text);
  }
  t.validate();
  return t;
}

Provenance sample_provenance() {
  Provenance p;
  p.mapping_json = R"({"account":"user"})";
  p.cibgraph_version = "0.1.0";
  p.ingested_at = "2026-11-28T09:31:42Z";
  p.rows_read = 7;
  p.rows_accepted = 7;
  p.events = 7;
  p.inputs.push_back({"data/a.csv", std::string(64, 'a'), 1234, "csv", 7, 7, 0, 0});
  return p;
}

// An edge with its evidence (key, time of a, time of b) and evidence_total, the other columns made up from a, b,
// co_actions and p_value.
test_support::HandEdge stored_edge(std::uint32_t a, std::uint32_t b, std::uint32_t co_actions, double p_value,
                                   bool kept, const std::vector<test_support::HandEvidence>& evidence,
                                   std::uint32_t evidence_total) {
  const auto distinct = static_cast<std::uint32_t>(evidence.size());
  return {.a = a,
          .b = b,
          .co_actions = co_actions,
          .distinct_targets = distinct,
          .moments = distinct,
          .a_led = co_actions / 2,
          .b_led = co_actions - co_actions / 2,
          .min_delay_ms = 100 * static_cast<std::int64_t>(a + 1),
          .median_delay_ms = -250 + static_cast<std::int64_t>(b),
          .idf_weight = 0.1 * co_actions + 1.0 / 3,
          .tfidf_cosine = 1.0 / (a + b + 1),
          .common_keys = co_actions + 1,
          .expected = 1e-9 * (b + 1),
          .p_value = p_value,
          .sync_p = std::min(1.0, 2 * p_value),
          .cotarget_expected = 0.5 * (a + 1),
          .cotarget_p = p_value == 1.0 ? 1.0 : 0.75,
          .kept = kept,
          .evidence = evidence,
          .evidence_total = evidence_total};
}

CoactionNetwork sample_network() {
  CoactionNetwork net;
  net.window_ms = 60'000;
  net.window_estimate = WindowEstimate{45'000, 17, "10th percentile of first-to-median times, ünïcødé"};

  // Listed first: the stored order is the given order, not the enum order.
  LayerEdges text =
      test_support::hand_layer(Layer::CoText, {stored_edge(2, 3, 1, 0.25, false, {{0, 5'050, 5'000}}, 1)});
  text.events = 2;
  net.layers.push_back(std::move(text));

  LayerEdges share = test_support::hand_layer(
      Layer::CoShare, {stored_edge(0, 1, 2, 1e-12, true, {{0, 1'000, 1'500}, {1, 9'000, 9'100}}, 2),
                       stored_edge(0, 2, 1, 0.5, false, {{0, 1'000, 2'000}}, 7),  // evidence capped at one row of seven
                       stored_edge(1, 2, 1, 1.0, true, {}, 0)});
  share.capped_keys.push_back(CappedKey{0, 3'000'000, 2'000'000, 1'234});
  share.capped_keys.push_back(CappedKey{2, 10, 10, 0});
  share.pairs_left_out = 1'000'000;
  share.events = 5;
  share.spilled_runs = 3;
  share.null_inputs.layer_accounts = 3;  // not stored
  net.layers.push_back(std::move(share));
  return net;
}

std::vector<Cluster> sample_clusters() {
  Cluster strong;
  strong.id = 1;
  strong.members = {0, 1, 2};
  strong.kept_edges = 2;
  strong.tied_pairs = 2;
  strong.density = 2.0 / 3;
  strong.layers = {Layer::CoShare, Layer::CoText, Layer::SyncTime};
  strong.median_delay_ms = 500;
  strong.targets = 2;
  strong.observed = 3;
  strong.expected = 0.125;
  strong.p_value = 3e-9;
  strong.sync_p = 1.5e-9;
  strong.cotarget_p = 0.25;
  strong.cotarget_expected = 1.75;
  strong.evidence = Cluster::kSynchrony;
  strong.alpha = 1e-6;
  strong.coordinated = true;
  strong.recovered = {2};
  Cluster weak;
  weak.id = 2;
  weak.members = {3, 4};
  weak.kept_edges = 1;
  weak.tied_pairs = 1;
  weak.density = 1;
  weak.layers = {Layer::CoText};
  weak.median_delay_ms = -50;
  weak.targets = 1;
  weak.observed = 1;
  weak.expected = 0.9;
  weak.p_value = 0.6;
  Cluster empty;  // a cluster with no members and no layers still round-trips
  empty.id = 3;
  return {strong, weak, empty};
}

void expect_layer_equal(const LayerEdges& x, const LayerEdges& y) {
  SCOPED_TRACE(std::string(layer_name(x.layer)));
  EXPECT_EQ(x.layer, y.layer);
  test_support::expect_projection_columns_equal(x, y);
  EXPECT_EQ(x.expected, y.expected);
  EXPECT_EQ(x.p_value, y.p_value);
  EXPECT_EQ(x.sync_p, y.sync_p);
  EXPECT_EQ(x.cotarget_expected, y.cotarget_expected);
  EXPECT_EQ(x.cotarget_p, y.cotarget_p);
  EXPECT_EQ(x.moments, y.moments);
  EXPECT_EQ(x.kept, y.kept);
  for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
    EXPECT_EQ(kept_reason(x, i), kept_reason(y, i)) << "kept_by at row " << i;
  ASSERT_EQ(x.capped_keys.size(), y.capped_keys.size());
  for (std::size_t i = 0; i < x.capped_keys.size(); ++i) {
    EXPECT_EQ(x.capped_keys[i].key, y.capped_keys[i].key);
    EXPECT_EQ(x.capped_keys[i].pairs_in_window, y.capped_keys[i].pairs_in_window);
    EXPECT_EQ(x.capped_keys[i].pairs_kept, y.capped_keys[i].pairs_kept);
    EXPECT_EQ(x.capped_keys[i].delay_kept_ms, y.capped_keys[i].delay_kept_ms);
  }
  EXPECT_EQ(x.events, y.events);
  EXPECT_EQ(x.spilled_runs, y.spilled_runs);
  EXPECT_EQ(x.unstored_pairs, y.unstored_pairs);
}

void expect_network_equal(const CoactionNetwork& x, const CoactionNetwork& y) {
  EXPECT_EQ(x.window_ms, y.window_ms);
  EXPECT_EQ(x.window_estimate.window_ms, y.window_estimate.window_ms);
  EXPECT_EQ(x.window_estimate.keys_used, y.window_estimate.keys_used);
  EXPECT_EQ(x.window_estimate.method, y.window_estimate.method);
  ASSERT_EQ(x.layers.size(), y.layers.size());
  for (std::size_t i = 0; i < x.layers.size(); ++i) expect_layer_equal(x.layers[i], y.layers[i]);
}

void expect_clusters_equal(const std::vector<Cluster>& x, const std::vector<Cluster>& y) {
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    SCOPED_TRACE("cluster " + std::to_string(i));
    EXPECT_EQ(x[i].id, y[i].id);
    EXPECT_EQ(x[i].members, y[i].members);
    EXPECT_EQ(x[i].kept_edges, y[i].kept_edges);
    EXPECT_EQ(x[i].density, y[i].density);
    EXPECT_EQ(x[i].tied_pairs, y[i].tied_pairs);
    EXPECT_EQ(x[i].layers, y[i].layers);
    EXPECT_EQ(x[i].median_delay_ms, y[i].median_delay_ms);
    EXPECT_EQ(x[i].targets, y[i].targets);
    EXPECT_EQ(x[i].observed, y[i].observed);
    EXPECT_EQ(x[i].expected, y[i].expected);
    EXPECT_EQ(x[i].p_value, y[i].p_value);
    EXPECT_EQ(x[i].sync_p, y[i].sync_p);
    EXPECT_EQ(x[i].cotarget_p, y[i].cotarget_p);
    EXPECT_EQ(x[i].cotarget_expected, y[i].cotarget_expected);
    EXPECT_EQ(x[i].evidence, y[i].evidence);
    EXPECT_EQ(x[i].alpha, y[i].alpha);
    EXPECT_EQ(x[i].coordinated, y[i].coordinated);
    EXPECT_EQ(x[i].recovered, y[i].recovered);
  }
}


// A store with the sample events, at dir/name.
std::string sample_store(const TempDir& dir, const std::string& name = "data.h5") {
  const std::string path = dir.file(name);
  write_events(path, sample_events(), sample_provenance());
  return path;
}

// Overwrites the values of an existing dataset in place through the HDF5 C API (the file is then unsealed).
template <class T>
void overwrite_dataset(const std::string& path, const std::string& object, hid_t memory_type,
                       const std::vector<T>& values) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  const hid_t dataset = H5Dopen2(file, object.c_str(), H5P_DEFAULT);
  ASSERT_GE(dataset, 0) << object;
  ASSERT_GE(H5Dwrite(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0) << object;
  H5Dclose(dataset);
  ASSERT_GE(H5Fclose(file), 0);
}

// Replaces a dataset with an unfiltered one of other values (and maybe another length).
template <class T>
void replace_dataset(const std::string& path, const std::string& object, hid_t file_type, hid_t memory_type,
                     const std::vector<T>& values) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  ASSERT_GE(H5Ldelete(file, object.c_str(), H5P_DEFAULT), 0) << object;
  const hsize_t n = values.size();
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t dataset = H5Dcreate2(file, object.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(dataset, 0) << object;
  if (n > 0) {
    ASSERT_GE(H5Dwrite(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0) << object;
  }
  H5Dclose(dataset);
  H5Sclose(space);
  ASSERT_GE(H5Fclose(file), 0);
}

TEST(NetworkStoreTest, RoundTripsEveryColumnEvidenceCappedKeyAndCluster) {
  TempDir dir;
  const std::string path = sample_store(dir);
  const CoactionNetwork network = sample_network();
  const std::vector<Cluster> clusters = sample_clusters();
  const std::string parameters = R"({"layers":["co-text","co-share"],"window":"60s","fdr":0.01})";
  write_network(path, "campaign-1", network, clusters, parameters, {}, StoredEdges::All);
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  const NetworkRecord record = read_network(path, "campaign-1");
  expect_network_equal(network, record.network);
  expect_clusters_equal(clusters, record.clusters);
  EXPECT_EQ(record.parameters_json, parameters);
  ASSERT_EQ(record.created_at.size(), 20u) << record.created_at;  // 2026-11-28T09:31:42Z
  EXPECT_EQ(record.created_at[10], 'T');
  EXPECT_EQ(record.created_at.back(), 'Z');
  for (const LayerEdges& l : record.network.layers) EXPECT_TRUE(l.null_inputs.account_offsets.empty());
  EXPECT_EQ(list_networks(path), std::vector<std::string>{"campaign-1"});
}

TEST(NetworkStoreTest, StoringReportsProgressAndStopsLeavingTheFileAsItWas) {
  TempDir dir;
  const std::string path = sample_store(dir);
  const CoactionNetwork network = sample_network();
  // Progress: bytes of the edge and evidence columns, from 0 to their total, never decreasing.
  std::vector<ProgressUpdate> heard;
  write_network(path, "run", network, sample_clusters(), "{}", [&](const ProgressUpdate& u) {
    heard.push_back(u);
    return true;
  });
  ASSERT_GE(heard.size(), 3u);
  EXPECT_EQ(heard.front().stage, "storing");
  EXPECT_EQ(heard.front().unit, "bytes");
  EXPECT_EQ(heard.front().done, 0u);
  EXPECT_GT(heard.back().total, 0u);
  EXPECT_EQ(heard.back().done, heard.back().total);
  for (std::size_t i = 1; i < heard.size(); ++i) EXPECT_GE(heard[i].done, heard[i - 1].done);
  // Stopping half-way: Interrupted, no temporary file left, the store byte for byte as before.
  const std::string before = test_support::read_file(path);
  int calls = 0;
  EXPECT_THROW(write_network(path, "second", network, sample_clusters(), "{}",
                             [&](const ProgressUpdate&) { return ++calls < 3; }),
               Interrupted);
  EXPECT_EQ(calls, 3);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_TRUE(test_support::read_file(path) == before);
  EXPECT_EQ(list_networks(path), std::vector<std::string>{"run"});
}

TEST(NetworkStoreTest, RoundTripsEmptyNetworksAndLayers) {
  TempDir dir;
  const std::string path = sample_store(dir);
  write_network(path, "nothing", CoactionNetwork{}, {}, "", {}, StoredEdges::All);
  const NetworkRecord nothing = read_network(path, "nothing");
  EXPECT_TRUE(nothing.network.layers.empty());
  EXPECT_TRUE(nothing.clusters.empty());
  EXPECT_EQ(nothing.parameters_json, "");

  CoactionNetwork quiet;
  quiet.window_ms = 1'000;
  quiet.layers.resize(2);
  quiet.layers[0].layer = Layer::SyncTime;
  quiet.layers[1].layer = Layer::CoHashtag;
  quiet.layers[1].events = 12;
  write_network(path, "quiet", quiet, {}, "{}", {}, StoredEdges::All);
  expect_network_equal(quiet, read_network(path, "quiet").network);
}

TEST(NetworkStoreTest, WritingTheSameNameReplacesWithoutGrowingTheFile) {
  TempDir dir;
  const std::string path = sample_store(dir);
  write_network(path, "run", sample_network(), sample_clusters(), "{\"run\":1}", {}, StoredEdges::All);
  const std::uintmax_t size_after_first = fs::file_size(path);
  for (int run = 2; run <= 5; ++run)
    write_network(path, "run", sample_network(), sample_clusters(), "{\"run\":" + std::to_string(run) + "}", {},
                  StoredEdges::All);
  EXPECT_LE(fs::file_size(path), size_after_first + 64);

  CoactionNetwork smaller = sample_network();
  smaller.layers.pop_back();
  smaller.window_ms = 5'000;
  const std::vector<Cluster> one_cluster(1, sample_clusters()[1]);
  write_network(path, "run", smaller, one_cluster, "{\"run\":6}", {}, StoredEdges::All);
  const NetworkRecord record = read_network(path, "run");
  expect_network_equal(smaller, record.network);
  expect_clusters_equal(one_cluster, record.clusters);
  EXPECT_EQ(record.parameters_json, "{\"run\":6}");
  EXPECT_EQ(list_networks(path), std::vector<std::string>{"run"});
}

TEST(NetworkStoreTest, TwoNamesCoexist) {
  TempDir dir;
  const std::string path = sample_store(dir);
  CoactionNetwork other = sample_network();
  other.layers.erase(other.layers.begin());
  write_network(path, "b-second", other, {}, "{\"name\":\"b\"}", {}, StoredEdges::All);
  write_network(path, "a first (ü)", sample_network(), sample_clusters(), "{\"name\":\"a\"}", {},
                StoredEdges::All);
  EXPECT_EQ(list_networks(path), (std::vector<std::string>{"a first (ü)", "b-second"}));
  expect_network_equal(sample_network(), read_network(path, "a first (ü)").network);
  expect_clusters_equal(sample_clusters(), read_network(path, "a first (ü)").clusters);
  expect_network_equal(other, read_network(path, "b-second").network);
  EXPECT_TRUE(read_network(path, "b-second").clusters.empty());
}

TEST(NetworkStoreTest, EventsProvenanceAndIntegrityRecordSurvive) {
  TempDir dir;
  const std::string path = sample_store(dir);
  write_network(path, "n", sample_network(), sample_clusters(), "{}", {}, StoredEdges::All);
  write_network(path, "m", CoactionNetwork{}, {}, "{}", {}, StoredEdges::All);

  const StoredEvents stored = read_events(path);  // checks the integrity record first
  const EventTable events = sample_events();
  EXPECT_EQ(stored.events.account, events.account);
  EXPECT_EQ(stored.events.time, events.time);
  EXPECT_EQ(stored.events.text, events.text);
  EXPECT_EQ(stored.events.accounts.bytes(), events.accounts.bytes());
  EXPECT_EQ(stored.events.texts.offsets(), events.texts.offsets());
  EXPECT_EQ(stored.provenance, sample_provenance());

  // The file is sealed: its record covers the network too, so a flipped byte near the end is caught.
  std::string bytes = test_support::read_file(path);
  bytes[bytes.size() - 100] = static_cast<char>(bytes[bytes.size() - 100] ^ 0x20);
  const std::string flipped = test_support::write_file(dir.file("flipped.h5"), bytes);
  EXPECT_THROW(read_network(flipped, "n"), FormatError);
  EXPECT_THROW(read_events(flipped), FormatError);

  const StoreContents info = inspect_contents(path);
  EXPECT_EQ(info.cibgraph_version, std::string(kVersion));
  EXPECT_EQ(info.groups, (std::vector<std::string>{"dictionaries", "events", "graphs", "provenance", "results"}));
  ASSERT_EQ(info.networks.size(), 2u);
  EXPECT_EQ(info.networks[0].name, "m");
  EXPECT_EQ(info.networks[0].edges, 0u);
  const NetworkSummary& n = info.networks[1];
  EXPECT_EQ(n.name, "n");
  EXPECT_EQ(n.layers, (std::vector<std::string>{"co-text", "co-share"}));
  EXPECT_EQ(n.edges, 4u);
  EXPECT_EQ(n.kept_edges, 2u);
  EXPECT_EQ(n.clusters, 3u);
  EXPECT_EQ(n.coordinated_clusters, 1u);
  const std::string text = describe(info);
  EXPECT_NE(text.find("n (co-text, co-share): 4 co-acting pairs, 2 kept (all stored); 3 clusters, 1 coordinated"),
            std::string::npos)
      << text;
  EXPECT_NE(describe(inspect_contents(sample_store(dir, "plain.h5"))).find("networks          (none)"), std::string::npos);
}

// The default store holds the kept edges only: each one with every column and its own evidence rows, and the
// count of every co-acting pair; a store of all pairs holds the rest too. Reading either back gives the same kept
// edges, and storing a network read back from a kept-only store keeps its pair count.
TEST(NetworkStoreTest, StoresTheKeptEdgesWithTheirEvidenceByDefault) {
  TempDir dir;
  const std::string path = sample_store(dir);
  const CoactionNetwork network = sample_network();  // co-text: 1 pair, none kept; co-share: 3 pairs, rows 0 and 2 kept
  write_network(path, "kept", network, sample_clusters(), "{}");
  write_network(path, "all", network, sample_clusters(), "{}", {}, StoredEdges::All);

  const CoactionNetwork kept = read_network(path, "kept").network;
  ASSERT_EQ(kept.layers.size(), 2u);
  const LayerEdges& text = kept.layers[0];
  EXPECT_EQ(text.layer, Layer::CoText);
  EXPECT_EQ(text.size(), 0u);
  EXPECT_EQ(text.unstored_pairs, 1u);
  EXPECT_EQ(text.co_acting_pairs(), 1u);
  EXPECT_EQ(text.evidence_offsets, std::vector<std::uint64_t>{0});
  EXPECT_TRUE(text.evidence_key.empty());
  EXPECT_EQ(text.events, 2u);

  // co-share: the edges at rows 0 and 2, with the evidence rows of each (two, and none) and nothing of row 1's.
  LayerEdges expected = test_support::hand_layer(
      Layer::CoShare, {stored_edge(0, 1, 2, 1e-12, true, {{0, 1'000, 1'500}, {1, 9'000, 9'100}}, 2),
                       stored_edge(1, 2, 1, 1.0, true, {}, 0)});
  expected.capped_keys = network.layers[1].capped_keys;
  expected.pairs_left_out = 1'000'000;
  expected.events = 5;
  expected.spilled_runs = 3;
  expected.unstored_pairs = 1;
  expect_layer_equal(expected, kept.layers[1]);
  EXPECT_EQ(kept.layers[1].co_acting_pairs(), 3u);

  // The store of all pairs reads back whole, and both say what they hold.
  expect_network_equal(network, read_network(path, "all").network);
  const StoreContents info = inspect_contents(path);
  ASSERT_EQ(info.networks.size(), 2u);
  EXPECT_EQ(info.networks[0].name, "all");
  EXPECT_EQ(info.networks[0].stored_edges, 4u);
  EXPECT_EQ(info.networks[1].name, "kept");
  EXPECT_EQ(info.networks[1].edges, 4u);
  EXPECT_EQ(info.networks[1].stored_edges, 2u);
  EXPECT_EQ(info.networks[1].kept_edges, 2u);
  EXPECT_NE(describe(info).find("kept (co-text, co-share): 4 co-acting pairs, 2 kept (kept stored)"),
            std::string::npos);

  // Stored again, even asking for all pairs, a kept-only network keeps its count of the pairs it lacks.
  write_network(path, "again", kept, {}, "{}", {}, StoredEdges::All);
  expect_network_equal(kept, read_network(path, "again").network);

  // A network whose every pair is kept is stored whole either way.
  CoactionNetwork all_kept = sample_network();
  for (LayerEdges& l : all_kept.layers) std::fill(l.kept.begin(), l.kept.end(), std::uint8_t{1});
  write_network(path, "all-kept", all_kept, {}, "{}");
  expect_network_equal(all_kept, read_network(path, "all-kept").network);
}

TEST(NetworkStoreTest, StoresWhatTheProjectionAndClusteringProduce) {
  TempDir dir;
  const std::string path = sample_store(dir);
  const EventTable events = sample_events();
  CoactionOptions options;
  options.layers = {Layer::CoShare, Layer::CoText};
  options.window_ms = 10'000;
  CoactionNetwork network = coaction_projection(events, options);
  for (LayerEdges& l : network.layers) apply_null_model(l, network.window_ms);
  SignificanceOptions significance;
  significance.filter = EdgeFilter::None;
  significance.min_cluster_size = 2;
  filter_edges(network, significance);
  const std::vector<Cluster> clusters = coordination_clusters(network, events.accounts.size(), significance);
  ASSERT_GT(network.layers[0].size(), 0u);

  write_network(path, "projected", network, clusters, "{}", {}, StoredEdges::All);
  const NetworkRecord record = read_network(path, "projected");
  expect_network_equal(network, record.network);
  expect_clusters_equal(clusters, record.clusters);
}

TEST(NetworkStoreTest, ChangedWithoutResealingIsRefused) {
  TempDir dir;
  const std::string path = sample_store(dir);
  write_network(path, "n", sample_network(), sample_clusters(), "{}", {}, StoredEdges::All);
  overwrite_dataset<std::uint8_t>(path, "/graphs/n/layers/co-share/kept", H5T_NATIVE_UINT8, {0, 0, 0});
  overwrite_dataset<std::uint8_t>(path, "/graphs/n/layers/co-share/kept_by", H5T_NATIVE_UINT8, {0, 0, 0});
  std::string message = thrown_message<FormatError>([&] { read_network(path, "n"); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("cibgraph seal FILE"), std::string::npos) << message;
  EXPECT_THROW(list_networks(path), FormatError);
  const std::string before = test_support::read_file(path);
  EXPECT_THROW(write_network(path, "other", sample_network(), {}, "{}"), FormatError);
  EXPECT_EQ(test_support::read_file(path), before);
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  seal_store(path);  // a deliberate change, re-sealed, loads
  EXPECT_EQ(read_network(path, "n").network.layers[1].kept, (std::vector<std::uint8_t>{0, 0, 0}));
}

TEST(NetworkStoreTest, MissingNetworkIsAnInputErrorNamingIt) {
  TempDir dir;
  const std::string path = sample_store(dir);
  std::string message = thrown_message<InputError>([&] { read_network(path, "no-such-network"); });
  EXPECT_NE(message.find("no-such-network"), std::string::npos) << message;
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_TRUE(list_networks(path).empty());

  write_network(path, "present", sample_network(), {}, "{}", {}, StoredEdges::All);
  message = thrown_message<InputError>([&] { read_network(path, "absent"); });
  EXPECT_NE(message.find("absent"), std::string::npos) << message;
  EXPECT_NE(message.find("present"), std::string::npos) << message;  // lists what is there
}

TEST(NetworkStoreTest, MissingOrForeignFileIsRefused) {
  TempDir dir;
  const std::string missing = dir.file("missing.h5");
  EXPECT_THROW(read_network(missing, "n"), InputError);
  EXPECT_THROW(list_networks(missing), InputError);
  EXPECT_THROW(write_network(missing, "n", sample_network(), {}, "{}"), InputError);
  EXPECT_FALSE(fs::exists(missing));
  EXPECT_FALSE(fs::exists(missing + ".tmp"));

  const std::string text = test_support::write_file(dir.file("events.csv"), "account,time\nalice,1\n");
  EXPECT_THROW(write_network(text, "n", sample_network(), {}, "{}"), FormatError);
  EXPECT_EQ(test_support::read_file(text), "account,time\nalice,1\n");
}

TEST(NetworkStoreTest, InvalidNamesAreUsageErrors) {
  TempDir dir;
  const std::string path = sample_store(dir);
  for (const std::string& name : {std::string(), std::string("a/b"), std::string("."), std::string(".."),
                                 std::string("nul\0byte", 8)}) {
    EXPECT_THROW(write_network(path, name, sample_network(), {}, "{}"), UsageError) << name;
    EXPECT_THROW(read_network(path, name), UsageError) << name;
  }
}

TEST(NetworkStoreTest, RefusesToWriteAnInconsistentNetwork) {
  TempDir dir;
  const std::string path = sample_store(dir);
  const std::string before = test_support::read_file(path);
  const auto refused = [&](const CoactionNetwork& network, const std::vector<Cluster>& clusters,
                           const std::string& expected) {
    const std::string message = thrown_message<Error>([&] { write_network(path, "bad", network, clusters, "{}"); });
    EXPECT_NE(message.find(expected), std::string::npos) << message;
    EXPECT_NE(message.find("refusing to write network 'bad'"), std::string::npos) << message;
    EXPECT_EQ(test_support::read_file(path), before);
    EXPECT_FALSE(fs::exists(path + ".tmp"));
  };
  CoactionNetwork network = sample_network();
  network.layers[1].b[0] = 5;  // five accounts: ids 0..4
  refused(network, {}, "layer co-share: account id out of range at row 0 (the accounts dictionary holds 5)");
  network = sample_network();
  network.layers[1].a[2] = 2;
  refused(network, {}, "a is not less than b at row 2");
  network = sample_network();
  network.layers[1].p_value.pop_back();
  refused(network, {}, "p_value has 2 rows but a has 3");
  network = sample_network();
  network.layers[1].evidence_offsets[1] = 4;
  refused(network, {}, "evidence_offsets decreases at row 2");
  network = sample_network();
  network.layers[1].evidence_key[0] = 3;  // three targets
  refused(network, {}, "evidence_key out of range at row 0 (the targets dictionary holds 3)");
  network = sample_network();
  network.layers[0].capped_keys.push_back(CappedKey{2, 5, 5, 0});  // co-text keys are text ids: two texts
  refused(network, {}, "layer co-text: capped_key out of range at row 0 (the texts dictionary holds 2)");
  network = sample_network();
  network.layers.push_back(network.layers[0]);
  refused(network, {}, "layer co-text occurs twice");
  std::vector<Cluster> clusters = sample_clusters();
  clusters[1].members = {3, 9};
  refused(sample_network(), clusters, "member account id 9 out of range");
  clusters = sample_clusters();
  clusters[0].members = {2, 1};
  refused(sample_network(), clusters, "members are not strictly ascending");
  EXPECT_TRUE(list_networks(path).empty());
}

// Each case damages one stored array through the HDF5 C API and re-seals, so the checks behind the integrity record
// are what refuses the file.
TEST(NetworkStoreTest, CorruptArraysAreFormatErrors) {
  TempDir dir;
  const std::string original = sample_store(dir, "original.h5");
  write_network(original, "n", sample_network(), sample_clusters(), "{}", {}, StoredEdges::All);
  struct Case {
    std::string what;
    void (*damage)(const std::string& path);
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"account id beyond the dictionary",
       [](const std::string& p) {
         overwrite_dataset<std::uint32_t>(p, "/graphs/n/layers/co-share/b", H5T_NATIVE_UINT32, {1, 1000, 2});
       },
       "/graphs/n/layers/co-share: account id out of range at row 1"},
      {"member beyond the dictionary",
       [](const std::string& p) {
         overwrite_dataset<std::uint32_t>(p, "/results/n/clusters/members", H5T_NATIVE_UINT32, {0, 1, 2, 3, 77});
       },
       "member account id 77 out of range"},
      {"evidence offsets out of bounds",
       [](const std::string& p) {
         overwrite_dataset<std::uint64_t>(p, "/graphs/n/layers/co-share/evidence_offsets", H5T_NATIVE_UINT64,
                                          {0, 2, 1, 3});
       },
       "evidence_offsets decreases at row 2"},
      {"evidence offsets past the evidence",
       [](const std::string& p) {
         overwrite_dataset<std::uint64_t>(p, "/graphs/n/layers/co-share/evidence_offsets", H5T_NATIVE_UINT64,
                                          {0, 2, 3, 4000000});
       },
       "evidence_offsets ends at 4000000 but evidence_key has 3 rows"},
      {"member offsets out of bounds",
       [](const std::string& p) {
         overwrite_dataset<std::uint64_t>(p, "/results/n/clusters/member_offsets", H5T_NATIVE_UINT64,
                                          {0, 100, 3, 5});
       },
       "member_offsets decreases at row 2"},
      {"a recovered account that is no member",
       [](const std::string& p) {
         overwrite_dataset<std::uint32_t>(p, "/results/n/clusters/recovered", H5T_NATIVE_UINT32, {4});
       },
       "/results/n/clusters/recovered at row 0 are not members of the cluster"},
      {"a column of another length",
       [](const std::string& p) {
         replace_dataset<double>(p, "/graphs/n/layers/co-share/p_value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {0.5});
       },
       "/graphs/n/layers/co-share/p_value has 1 rows but n_edges is 3"},
      {"integers where floats belong",
       [](const std::string& p) {
         replace_dataset<std::int64_t>(p, "/results/n/clusters/density", H5T_STD_I64LE, H5T_NATIVE_INT64, {1, 1, 0});
       },
       "/results/n/clusters/density is not a floating-point dataset"},
      {"a flag that is not 0 or 1",
       [](const std::string& p) {
         overwrite_dataset<std::uint8_t>(p, "/graphs/n/layers/co-share/kept", H5T_NATIVE_UINT8, {1, 2, 0});
       },
       "kept is neither 0 nor 1 at row 1"},
      {"an unknown layer group",
       [](const std::string& p) {
         const hid_t file = H5Fopen(p.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
         ASSERT_GE(file, 0);
         ASSERT_GE(H5Lmove(file, "/graphs/n/layers/co-text", file, "/graphs/n/layers/co-telepathy", H5P_DEFAULT,
                           H5P_DEFAULT),
                   0);
         ASSERT_GE(H5Fclose(file), 0);
       },
       "/graphs/n/layers holds an unknown layer 'co-telepathy'"},
      {"missing clusters",
       [](const std::string& p) {
         const hid_t file = H5Fopen(p.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
         ASSERT_GE(file, 0);
         ASSERT_GE(H5Ldelete(file, "/results/n", H5P_DEFAULT), 0);
         ASSERT_GE(H5Fclose(file), 0);
       },
       "missing group /results/n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string path = dir.file("damaged.h5");
    fs::copy_file(original, path, fs::copy_options::overwrite_existing);
    c.damage(path);
    seal_store(path);
    const std::string message = thrown_message<FormatError>([&] { read_network(path, "n"); });
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find(c.expected), std::string::npos) << message;
  }
}

// Why each edge is kept round-trips; a store written before kept_by (no such column) reads its kept edges as
// unrecorded; a kept_by that contradicts kept, or is no known reason, is refused both ways.
TEST(NetworkStoreTest, KeptByRoundTripsAndOlderStoresReadAsUnrecorded) {
  TempDir dir;
  const std::string path = sample_store(dir);
  CoactionNetwork network = sample_network();
  network.layers[1].kept_by = {static_cast<std::uint8_t>(KeptBy::Fdr), 0, static_cast<std::uint8_t>(KeptBy::Cluster)};
  write_network(path, "n", network, sample_clusters(), "{}", {}, StoredEdges::All);
  const LayerEdges share = read_network(path, "n").network.layers[1];
  EXPECT_EQ(share.kept_by, network.layers[1].kept_by);
  EXPECT_EQ(read_network(path, "n").network.layers[0].kept_by, std::vector<std::uint8_t>{0});  // co-text: hand-built, none kept

  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  ASSERT_GE(H5Ldelete(file, "/graphs/n/layers/co-share/kept_by", H5P_DEFAULT), 0);
  ASSERT_GE(H5Fclose(file), 0);
  seal_store(path);
  const LayerEdges older = read_network(path, "n").network.layers[1];
  const auto unrecorded = static_cast<std::uint8_t>(KeptBy::Unrecorded);
  EXPECT_EQ(older.kept_by, (std::vector<std::uint8_t>{unrecorded, 0, unrecorded}));
  EXPECT_EQ(kept_by_name(kept_reason(older, 0)), "unrecorded");

  network.layers[1].kept_by[1] = static_cast<std::uint8_t>(KeptBy::Fdr);  // row 1 is not kept
  std::string message = thrown_message<Error>([&] { write_network(path, "bad", network, {}, "{}"); });
  EXPECT_NE(message.find("layer co-share: an edge not kept has a kept_by at row 1"), std::string::npos) << message;
  network.layers[1].kept_by = {9, 0, 1};
  message = thrown_message<Error>([&] { write_network(path, "bad", network, {}, "{}"); });
  EXPECT_NE(message.find("kept_by has the unknown value 9 at row 0"), std::string::npos) << message;
  network.layers[1].kept_by = {1, 0};
  message = thrown_message<Error>([&] { write_network(path, "bad", network, {}, "{}"); });
  EXPECT_NE(message.find("kept_by has 2 rows but a has 3"), std::string::npos) << message;
}

}  // namespace
}  // namespace cibgraph
