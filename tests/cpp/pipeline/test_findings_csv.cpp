// The findings CSV writers (findings_csv.hpp): key_string per layer, the number formats, and the exact bytes of the
// edge, evidence and cluster files on a tiny hand-built network whose account names and targets are hostile (commas,
// quotes, line breaks), so every field that can need RFC 4180 quoting gets it, and the pair order is by string.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cibgraph/coaction.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/event_table.hpp"
#include "cibgraph/findings_csv.hpp"
#include "cibgraph/significance.hpp"
#include "test_support.hpp"

namespace {

using namespace cibgraph;
namespace ts = cibgraph::test_support;

// Accounts interned in an order that is not string order: 0 "zed", 1 al,"ice" (a comma and quotes), 2 bob<LF>by.
// String order: al,"ice" < bob\nby < zed.
// Targets: 0 p1, 1 post, "two". Texts: 0 hello, "world". One event per name so the dictionaries hold them.
EventTable hostile_table() {
  EventTable ev;
  ev.accounts.intern("zed");
  ev.accounts.intern("al,\"ice\"");
  ev.accounts.intern("bob\nby");
  ev.targets.intern("p1");
  ev.targets.intern("post, \"two\"");
  ev.texts.intern("hello, \"world\"");
  ev.actions.intern("share");
  return ev;
}

// Co-share: (0,1) kept, (0,2) not kept, (1,2) kept. Sync-time: (1,2) kept, one evidence row in bin 28800.
CoactionNetwork tiny_network() {
  CoactionNetwork net;
  net.window_ms = 60'000;
  net.layers.push_back(ts::hand_layer(
      Layer::CoShare,
      {
          // zed (0) and al,"ice" (1): written swapped (al,"ice" first), so a_led/b_led and the evidence times swap.
          {.a = 0, .b = 1, .co_actions = 3, .distinct_targets = 2, .moments = 1, .a_led = 2, .b_led = 1,
           .min_delay_ms = 1500, .median_delay_ms = 2250, .idf_weight = 1.5, .tfidf_cosine = 0.25, .common_keys = 4,
           .expected = 0.5, .p_value = 0.000123456789, .sync_p = 1e-30, .cotarget_expected = 0.125, .cotarget_p = 1,
           .kept = true, .evidence = {{0, 1000, 2500}, {1, 86'400'500, 86'400'000}}, .evidence_total = 7},
          {.a = 0, .b = 2, .co_actions = 9, .distinct_targets = 9, .moments = 9, .a_led = 9, .b_led = 0,
           .min_delay_ms = 1, .median_delay_ms = 1, .idf_weight = 9, .tfidf_cosine = 1, .common_keys = 9,
           .expected = 9, .p_value = 1e-9, .sync_p = 1e-9, .cotarget_expected = 9, .cotarget_p = 1e-9,
           .kept = false, .evidence = {{0, 5, 6}}, .evidence_total = 1},
          // al,"ice" (1) and bob\nby (2): already in string order. moments 5 > distinct 1: the count written is 1.
          {.a = 1, .b = 2, .co_actions = 1, .distinct_targets = 1, .moments = 5, .a_led = 0, .b_led = 1,
           .min_delay_ms = 0, .median_delay_ms = 0, .idf_weight = 0.6931471805599453, .tfidf_cosine = 1,
           .common_keys = 1, .expected = 2.0 / 3.0, .p_value = 1, .sync_p = 1, .cotarget_expected = 0,
           .cotarget_p = 1, .kept = true, .evidence = {{0, 0, 0}}, .evidence_total = 1},
      }));
  net.layers.push_back(ts::hand_layer(
      Layer::SyncTime,
      {{.a = 1, .b = 2, .co_actions = 2, .distinct_targets = 2, .moments = 2, .a_led = 1, .b_led = 1,
        .min_delay_ms = 61'000, .median_delay_ms = 61'000, .idf_weight = 3, .tfidf_cosine = 0.5, .common_keys = 2,
        .expected = 0.1, .p_value = 0.01, .sync_p = 0.005, .cotarget_expected = 0.2, .cotarget_p = 0.5, .kept = true,
        .evidence = {{28'800, 1'728'000'000, 1'728'061'000}}, .evidence_total = 2}}));
  return net;
}

// Fields of the three hostile names as RFC 4180 writes them: quoted, inner quotes doubled.
const std::string kAl = "\"al,\"\"ice\"\"\"";
const std::string kBob = "\"bob\nby\"";

}  // namespace

TEST(FindingsCsvTest, KeyStringPerLayer) {
  const auto ev = hostile_table();
  EXPECT_EQ(key_string(ev, Layer::CoShare, 1, 60'000), "post, \"two\"");  // raw: quoting is the writer's job
  EXPECT_EQ(key_string(ev, Layer::CoUrl, 0, 60'000), "p1");
  EXPECT_EQ(key_string(ev, Layer::CoHashtag, 0, 60'000), "p1");
  EXPECT_EQ(key_string(ev, Layer::CoReply, 1, 60'000), "post, \"two\"");
  EXPECT_EQ(key_string(ev, Layer::CoText, 0, 60'000), "hello, \"world\"");
  // Sync-time keys are bin numbers: bin 3 of 60 s starts at 180 s; bin 28800 of 60 s at 1,728,000 s = 20 days, so
  // 1970-01-21; a 1.5 s bin 1 starts at 1.5 s (milliseconds only when non-zero).
  EXPECT_EQ(key_string(ev, Layer::SyncTime, 3, 60'000), "1970-01-01T00:03:00Z");
  EXPECT_EQ(key_string(ev, Layer::SyncTime, 28'800, 60'000), "1970-01-21T00:00:00Z");
  EXPECT_EQ(key_string(ev, Layer::SyncTime, 1, 1'500), "1970-01-01T00:00:01.500Z");
  EXPECT_EQ(key_string(ev, Layer::SyncTime, 0, 60'000), "1970-01-01T00:00:00Z");
}

TEST(FindingsCsvTest, NumberFormats) {
  EXPECT_EQ(format_seconds(0), "0.000");
  EXPECT_EQ(format_seconds(1250), "1.250");
  EXPECT_EQ(format_seconds(-1500), "-1.500");
  EXPECT_EQ(format_seconds(7), "0.007");
  EXPECT_EQ(format_seconds(-7), "-0.007");
  EXPECT_EQ(format_seconds(86'400'000), "86400.000");
  // %.6g: six significant digits, exponent form below 1e-4 or from 1e6.
  EXPECT_EQ(format_real(0.000123456789), "0.000123457");
  EXPECT_EQ(format_real(1e-30), "1e-30");
  EXPECT_EQ(format_real(2.0 / 3.0), "0.666667");
  EXPECT_EQ(format_real(1.0), "1");
  EXPECT_EQ(format_real(0.0), "0");
  EXPECT_EQ(format_real(1234567.0), "1.23457e+06");
  EXPECT_EQ(format_real(123456.0), "123456");
}

TEST(FindingsCsvTest, EdgesCsvExactBytes) {
  ts::TempDir dir;
  const auto ev = hostile_table();
  auto net = tiny_network();
  // Why each edge is kept: the co-share layer records it (the first edge by FDR, the third as a cluster tie), the
  // sync-time layer, built by hand, does not (unrecorded).
  net.layers[0].kept_by = {static_cast<std::uint8_t>(KeptBy::Fdr), 0, static_cast<std::uint8_t>(KeptBy::Cluster)};
  const auto path = dir.file("edges.csv");
  write_edges_csv(path, ev, net, EdgeWeight::Idf);
  const std::string header =
      "account_a,account_b,layer,co_actions,distinct_targets,weight,p_value,expected,common_targets,a_led,b_led,"
      "min_delay_s,median_delay_s,idf_weight,tfidf_cosine,sync_p,cotarget_p,cotarget_expected,moments,kept_by\n";
  // Row 1, edge (zed, al,"ice") swapped to (al,"ice", zed): a_led 2 / b_led 1 become 1 / 2; weight = idf 1.5;
  // p 0.000123456789 -> 0.000123457; min 1500 ms -> 1.500, median 2250 ms -> 2.250; moments min(1, 2) = 1.
  // Row 2, edge (0,2) is not kept: absent.
  // Row 3, (al,"ice", bob\nby) unswapped: idf ln 2 = 0.693147..., expected 2/3 = 0.666667, moments min(5, 1) = 1.
  // Row 4, sync-time (al,"ice", bob\nby): 61,000 ms -> 61.000.
  const std::string expected = header +                                                           //
                               kAl + ",zed,co-share,3,2,1.5,0.000123457,0.5,4,1,2,1.500,2.250,1.5,0.25,1e-30,1,0.125,1,fdr\n" +
                               kAl + "," + kBob + ",co-share,1,1,0.693147,1,0.666667,1,0,1,0.000,0.000,0.693147,1,1,1,0,1,cluster\n" +
                               kAl + "," + kBob + ",sync-time,2,2,3,0.01,0.1,2,1,1,61.000,61.000,3,0.5,0.005,0.5,0.2,2,unrecorded\n";
  EXPECT_EQ(ts::read_file(path), expected);
  // The weight column follows the chosen kind: count (co_actions), distinct targets, TF-IDF cosine.
  write_edges_csv(path, ev, net, EdgeWeight::Count);
  EXPECT_NE(ts::read_file(path).find(kAl + ",zed,co-share,3,2,3,0.000123457"), std::string::npos);
  write_edges_csv(path, ev, net, EdgeWeight::DistinctTargets);
  EXPECT_NE(ts::read_file(path).find(kAl + ",zed,co-share,3,2,2,0.000123457"), std::string::npos);
  write_edges_csv(path, ev, net, EdgeWeight::TfIdf);
  EXPECT_NE(ts::read_file(path).find(kAl + ",zed,co-share,3,2,0.25,0.000123457"), std::string::npos);
}

TEST(FindingsCsvTest, EvidenceCsvExactBytes) {
  ts::TempDir dir;
  const auto ev = hostile_table();
  const auto net = tiny_network();
  const auto path = dir.file("evidence.csv");
  write_evidence_csv(path, ev, net, 60'000);
  const std::string header = "account_a,account_b,layer,target,time_a,time_b,delay_s,evidence_total\n";
  // (zed, al,"ice") is written as (al,"ice", zed), so time_a is al,"ice"'s time (the projection's time_b), and the
  // delay time_b - time_a changes sign:
  //   key p1: al,"ice" at 2,500 ms, zed at 1,000 ms: delay 1,000 - 2,500 = -1.500 s;
  //   key post, "two" (quoted): al,"ice" at 86,400,000 (1970-01-02), zed at 86,400,500: delay 0.500 s.
  // The edge's evidence_total (7) is on each of its rows. The unkept edge (zed, bob\nby) writes nothing.
  // Sync-time: bin 28800 -> 1970-01-21T00:00:00Z; times 1,728,000,000 and 1,728,061,000 ms: 20 days, + 61 s.
  const std::string edge1 = kAl + ",zed,co-share,";
  const std::string edge3 = kAl + "," + kBob + ",co-share,";
  const std::string expected =
      header +                                                                                       //
      edge1 + "p1,1970-01-01T00:00:02.500Z,1970-01-01T00:00:01Z,-1.500,7\n" +                      //
      edge1 + "\"post, \"\"two\"\"\",1970-01-02T00:00:00Z,1970-01-02T00:00:00.500Z,0.500,7\n" +    //
      edge3 + "p1,1970-01-01T00:00:00Z,1970-01-01T00:00:00Z,0.000,1\n" +                           //
      kAl + "," + kBob + ",sync-time,1970-01-21T00:00:00Z,1970-01-21T00:00:00Z,1970-01-21T00:01:01Z,61.000,2\n";
  EXPECT_EQ(ts::read_file(path), expected);
  // At most one row per edge: the first of each edge's rows, the totals unchanged.
  write_evidence_csv(path, ev, net, 60'000, 1);
  const std::string first_only =
      header + edge1 + "p1,1970-01-01T00:00:02.500Z,1970-01-01T00:00:01Z,-1.500,7\n" +  //
      edge3 + "p1,1970-01-01T00:00:00Z,1970-01-01T00:00:00Z,0.000,1\n" +              //
      kAl + "," + kBob + ",sync-time,1970-01-21T00:00:00Z,1970-01-21T00:00:00Z,1970-01-21T00:01:01Z,61.000,2\n";
  EXPECT_EQ(ts::read_file(path), first_only);
  // No rows at all: the header alone.
  write_evidence_csv(path, ev, net, 60'000, 0);
  EXPECT_EQ(ts::read_file(path), header);
}

// evidence.csv bounded per account: each account's N most significant kept edges (smaller p, then more co-actions,
// then the other account's id, then the layer), an edge written once when both its accounts choose it.
TEST(FindingsCsvTest, EvidenceCsvListsEachAccountsMostSignificantEdges) {
  ts::TempDir dir;
  const auto ev = hostile_table();
  const auto net = tiny_network();
  // Kept edges: co-share (zed, al) p 1.2e-4 and (al, bob) p 1; sync-time (al, bob) p 0.01.
  // N = 1: zed's only edge is (zed, al); al's most significant is (zed, al); bob's is sync-time (al, bob) (p 0.01 <
  // 1). So co-share (al, bob) is left out.
  auto one = strongest_kept_edges(ev, net, 1);
  ASSERT_EQ(one.size(), 2u);
  EXPECT_EQ(one[0], (std::vector<std::uint8_t>{1, 0, 0}));
  EXPECT_EQ(one[1], (std::vector<std::uint8_t>{1}));
  // N = 0 and N >= every account's edges: every kept edge, and no edge not kept.
  EXPECT_EQ(strongest_kept_edges(ev, net, 0)[0], (std::vector<std::uint8_t>{1, 0, 1}));
  EXPECT_EQ(strongest_kept_edges(ev, net, 3)[0], (std::vector<std::uint8_t>{1, 0, 1}));
  const auto path = dir.file("evidence.csv");
  const EvidenceCsvCounts counts = write_evidence_csv(path, ev, net, 60'000, 20, 1);
  EXPECT_EQ(counts.edges_kept, 3u);
  EXPECT_EQ(counts.edges, 2u);
  EXPECT_EQ(counts.rows, 3u);  // (zed, al) has 2 rows, sync-time (al, bob) 1
  const std::string text = ts::read_file(path);
  EXPECT_EQ(text.find(kAl + "," + kBob + ",co-share,"), std::string::npos) << text;
  EXPECT_NE(text.find(kAl + ",zed,co-share,p1,"), std::string::npos) << text;
  EXPECT_NE(text.find(kAl + "," + kBob + ",sync-time,"), std::string::npos) << text;
  // Without a bound, all three kept edges with all their rows.
  const EvidenceCsvCounts all = write_evidence_csv(path, ev, net, 60'000, 20, 0);
  EXPECT_EQ(all.edges, 3u);
  EXPECT_EQ(all.rows, 4u);
  // Ties on p-value go to more co-actions: with every p 1e-3, al's strongest is (zed, al), 3 co-actions.
  auto tied = tiny_network();
  for (auto& l : tied.layers) l.p_value.assign(l.size(), 1e-3);
  EXPECT_EQ(strongest_kept_edges(ev, tied, 1)[0], (std::vector<std::uint8_t>{1, 0, 0}));
}

TEST(FindingsCsvTest, ClustersCsvExactBytes) {
  ts::TempDir dir;
  const auto ev = hostile_table();
  Cluster c;
  c.id = 1;
  c.members = {0, 1, 2};
  c.recovered = {2};
  c.kept_edges = 2;
  c.density = 2.0 / 3.0;  // 2 of 3 possible pairs
  c.layers = {Layer::CoShare, Layer::SyncTime};
  c.median_delay_ms = 1500;
  c.targets = 3;
  c.observed = 5;
  c.expected = 0.25;
  c.p_value = 2.5e-7;
  c.alpha = 1e-6;
  c.coordinated = true;
  c.evidence = Cluster::kSynchrony | Cluster::kCoTargeting;
  c.sync_p = 1.25e-7;
  c.cotarget_p = 0.5;
  c.cotarget_expected = 1.75;
  Cluster empty;  // defaults: id 2 only
  empty.id = 2;
  const auto path = dir.file("clusters.csv");
  write_clusters_csv(path, ev, {c, empty});
  // Members in id order (not string order), ';'-joined, then quoted as one field because of the comma, quotes and
  // line break inside: zed;al,"ice";bob\nby -> "zed;al,""ice"";bob\nby".
  const std::string expected =
      "cluster,size,density,layers,median_delay_s,targets,observed,expected,p_value,alpha,coordinated,evidence,"
      "sync_p,cotarget_p,cotarget_expected,members,second_stage_members\n"
      "1,3,0.666667,co-share;sync-time,1.500,3,5,0.25,2.5e-07,1e-06,1,synchrony+co-targeting,1.25e-07,0.5,1.75,"
      "\"zed;al,\"\"ice\"\";bob\nby\",\"bob\nby\"\n"
      "2,0,0,,0.000,0,0,0,1,0,0,,1,1,0,,\n";
  EXPECT_EQ(ts::read_file(path), expected);
  // The shared pieces on their own.
  EXPECT_EQ(cluster_head_fields(c), "1,3,0.666667,co-share;sync-time,1.500,3");
  std::string row = "x,";
  append_cluster_members(row, ev, empty);
  EXPECT_EQ(row, "x,,");
  Cluster plain;
  plain.members = {0};
  plain.recovered = {0};
  row.clear();
  append_cluster_members(row, ev, plain);
  EXPECT_EQ(row, "zed,zed");  // nothing to quote
}

TEST(FindingsCsvTest, UnwritablePathIsAnInputErrorNamingIt) {
  ts::TempDir dir;
  const auto ev = hostile_table();
  const auto net = tiny_network();
  const auto path = dir.file("no-such-folder/edges.csv");
  auto message = ts::thrown_message<InputError>([&] { write_edges_csv(path, ev, net, EdgeWeight::Idf); });
  EXPECT_EQ(message, path + ": cannot write");
  message = ts::thrown_message<InputError>([&] { write_evidence_csv(path, ev, net, 60'000); });
  EXPECT_EQ(message, path + ": cannot write");
  message = ts::thrown_message<InputError>([&] { write_clusters_csv(path, ev, {}); });
  EXPECT_EQ(message, path + ": cannot write");
}
