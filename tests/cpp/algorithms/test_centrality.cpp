// Degree, PageRank, eigenvector, Katz and HITS centralities on small hand-drawn graphs with exact expected
// values, agreement with Boost.Graph's page_rank and in_degree on random graphs, thread-count determinism and
// option checks.
//
// Where the literals come from (/usr/bin/python3, networkx 2.8.8, numpy):
//   * PageRank: numpy.linalg.solve of (I - damping * P^T) x = (1 - damping) p, with P the row-normalised
//     adjacency and dangling rows replaced by p; networkx.pagerank(tol=1e-15) agrees within 1e-11 relative;
//   * eigenvector / Katz: networkx.eigenvector_centrality / katz_centrality(tol=1e-16, max_iter=1e5); the
//     _numpy variants agree within 6e-16;
//   * HITS: numpy.linalg.svd of the dense adjacency, |first left / right singular vector| scaled to sum 1;
//     networkx.hits(tol=1e-14) agrees within 4e-16.
// The graphs: path 0-1-2-3-4; star with centre 0 and leaves 1..5; "bridge": K4 on 0..3 (weight 1) and K4 on
// 4..7 (weight 2) joined by 3-4 (weight 0.5); "dangling": directed 0→1 (1), 1→2 (1), 2→0 (2), 2→3 (1), vertex
// 3 without out-arcs; "hubs": directed 0→1 (1), 0→2 (2), 1→2 (1), 2→0 (1), 3→2 (3), 3→1 (1), 4→3 (0.5),
// 4→0 (1).
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/page_rank.hpp>
#include <gtest/gtest.h>
#include <omp.h>

#include "cibgraph/algorithms/centrality/degree.hpp"
#include "cibgraph/algorithms/centrality/eigenvector.hpp"
#include "cibgraph/algorithms/centrality/hits.hpp"
#include "cibgraph/algorithms/centrality/katz.hpp"
#include "cibgraph/algorithms/centrality/pagerank.hpp"
#include "cibgraph/boost_graph.hpp"
#include "cibgraph/datasets/random_graphs.hpp"
#include "cibgraph/error.hpp"
#include "cibgraph/graph.hpp"

namespace {

using cibgraph::Graph;

constexpr double exact = 1e-9;  // literals are exact to ~1e-15; the iterations below run to 1e-13 or tighter

struct Edges {
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weights;
  void add(std::uint32_t u, std::uint32_t v, float w = 1.0f) {
    src.push_back(u);
    dst.push_back(v);
    weights.push_back(w);
  }
  Graph build(std::uint32_t n, bool directed) const { return Graph::from_edges(n, src, dst, weights, directed); }
};

Graph path_graph() {
  Edges e;
  for (std::uint32_t v = 0; v + 1 < 5; ++v) e.add(v, v + 1);
  return e.build(5, false);
}

Graph star_graph() {
  Edges e;
  for (std::uint32_t leaf = 1; leaf <= 5; ++leaf) e.add(0, leaf);
  return e.build(6, false);
}

Graph bridge_graph() {
  Edges e;
  for (std::uint32_t i = 0; i < 4; ++i) {
    for (std::uint32_t j = i + 1; j < 4; ++j) {
      e.add(i, j, 1.0f);
      e.add(i + 4, j + 4, 2.0f);
    }
  }
  e.add(3, 4, 0.5f);
  return e.build(8, false);
}

Graph dangling_graph() {
  Edges e;
  e.add(0, 1, 1.0f);
  e.add(1, 2, 1.0f);
  e.add(2, 0, 2.0f);
  e.add(2, 3, 1.0f);
  return e.build(4, true);
}

Graph hubs_graph() {
  Edges e;
  e.add(0, 1, 1.0f);
  e.add(0, 2, 2.0f);
  e.add(1, 2, 1.0f);
  e.add(2, 0, 1.0f);
  e.add(3, 2, 3.0f);
  e.add(3, 1, 1.0f);
  e.add(4, 3, 0.5f);
  e.add(4, 0, 1.0f);
  return e.build(5, true);
}

Graph from_edge_list(const cibgraph::datasets::EdgeList& e, bool directed) {
  return Graph::from_edges(e.n, e.src, e.dst, e.weights, directed);
}

void expect_scores(const std::vector<double>& actual, const std::vector<double>& expected, double tolerance = exact) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t v = 0; v < expected.size(); ++v) {
    EXPECT_NEAR(actual[v], expected[v], tolerance) << "vertex " << v;
  }
}

double sum(const std::vector<double>& x) { return std::accumulate(x.begin(), x.end(), 0.0); }

// Restores the OpenMP thread count when a test ends, even when it fails.
class ThreadCount {
 public:
  ThreadCount() : saved_(omp_get_max_threads()) {}
  ~ThreadCount() { omp_set_num_threads(saved_); }
  void set(int threads) { omp_set_num_threads(threads); }

 private:
  int saved_;
};

// ---------------------------------------------------------------------------------------------------------
// Degree and strength

TEST(CentralityDegree, DirectedInOutAll) {
  const Graph g = hubs_graph();
  using cibgraph::Direction;
  EXPECT_EQ(cibgraph::degrees(g), (std::vector<std::uint64_t>{2, 1, 1, 2, 2}));
  EXPECT_EQ(cibgraph::degrees(g, Direction::In), (std::vector<std::uint64_t>{2, 2, 3, 1, 0}));
  EXPECT_EQ(cibgraph::degrees(g, Direction::All), (std::vector<std::uint64_t>{4, 3, 4, 3, 2}));
  EXPECT_EQ(cibgraph::strengths(g), (std::vector<double>{3.0, 1.0, 1.0, 4.0, 1.5}));
  EXPECT_EQ(cibgraph::strengths(g, Direction::In), (std::vector<double>{2.0, 2.0, 6.0, 0.5, 0.0}));
  EXPECT_EQ(cibgraph::strengths(g, Direction::All), (std::vector<double>{5.0, 3.0, 7.0, 4.5, 1.5}));
}

TEST(CentralityDegree, UndirectedDirectionsAgreeAndSelfLoopCountsOnce) {
  Edges e;
  e.add(0, 1, 2.0f);
  e.add(1, 2, 3.0f);
  e.add(2, 2, 5.0f);
  const Graph g = e.build(4, false);
  for (auto d : {cibgraph::Direction::Out, cibgraph::Direction::In, cibgraph::Direction::All}) {
    EXPECT_EQ(cibgraph::degrees(g, d), (std::vector<std::uint64_t>{1, 2, 2, 0}));
    EXPECT_EQ(cibgraph::strengths(g, d), (std::vector<double>{2.0, 5.0, 8.0, 0.0}));
  }
  EXPECT_EQ(cibgraph::degrees(path_graph()), (std::vector<std::uint64_t>{1, 2, 2, 2, 1}));
}

TEST(CentralityDegree, InDegreeAgreesWithBoostBidirectionalGraph) {
  const auto e = cibgraph::datasets::rmat(10, 8000, 7);
  const Graph g = from_edge_list(e, true);
  boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS> reference(g.num_vertices());
  for (std::uint32_t u = 0; u < g.num_vertices(); ++u) {
    for (std::uint32_t v : g.neighbors(u)) boost::add_edge(u, v, reference);
  }
  const auto in = cibgraph::degrees(g, cibgraph::Direction::In);
  const auto out = cibgraph::degrees(g, cibgraph::Direction::Out);
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    ASSERT_EQ(in[v], boost::in_degree(v, reference)) << v;
    ASSERT_EQ(out[v], boost::out_degree(v, reference)) << v;
  }
}

// ---------------------------------------------------------------------------------------------------------
// PageRank

cibgraph::PageRankOptions tight_pagerank() {
  cibgraph::PageRankOptions o;
  o.tolerance = 1e-14;
  return o;
}

TEST(CentralityPageRank, PathAndStar) {
  const auto path = cibgraph::pagerank(path_graph(), tight_pagerank());
  EXPECT_TRUE(path.converged);
  EXPECT_LT(path.residual, 1e-14);
  expect_scores(path.scores,
                {0.13452702702702704, 0.245945945945946, 0.23905405405405408, 0.24594594594594602, 0.13452702702702707});
  const auto star = cibgraph::pagerank(star_graph(), tight_pagerank());
  expect_scores(star.scores, {0.47297297297297325, 0.10540540540540547, 0.10540540540540547, 0.1054054054054055,
                              0.1054054054054055, 0.10540540540540548});
}

TEST(CentralityPageRank, BridgeWeightedAndUnweighted) {
  auto o = tight_pagerank();
  expect_scores(cibgraph::pagerank(bridge_graph(), o).scores,
                {0.1128481303753067, 0.11284813037530672, 0.11284813037530671, 0.12415058557162569,
                 0.14498326092234692, 0.1307739207933692, 0.1307739207933692, 0.1307739207933692});
  o.weighted = false;
  expect_scores(cibgraph::pagerank(bridge_graph(), o).scores,
                {0.11673151750972763, 0.11673151750972763, 0.11673151750972763, 0.14980544747081712,
                 0.14980544747081712, 0.1167315175097276, 0.11673151750972759, 0.11673151750972759});
}

TEST(CentralityPageRank, DirectedCycleWithDanglingVertex) {
  auto o = tight_pagerank();
  const auto weighted = cibgraph::pagerank(dangling_graph(), o);
  EXPECT_TRUE(weighted.converged);
  expect_scores(weighted.scores, {0.24762374891072753, 0.2818760168642048, 0.31099044462466063, 0.159509789600407});
  EXPECT_NEAR(sum(weighted.scores), 1.0, 1e-14);
  o.weighted = false;
  expect_scores(cibgraph::pagerank(dangling_graph(), o).scores,
                {0.21376215407629023, 0.26462228870605836, 0.3078534031413613, 0.21376215407629023});
}

TEST(CentralityPageRank, Personalised) {
  auto o = tight_pagerank();
  o.personalization = {1.0, 0.0, 0.0, 3.0};  // normalised to {0.25, 0, 0, 0.75}; also where dangling mass goes
  expect_scores(cibgraph::pagerank(dangling_graph(), o).scores,
                {0.21983054728646667, 0.18685596519349665, 0.15882757041447215, 0.43448591710556445});
  o.personalization = {0.0, 2.0, 0.0, 0.0};
  o.damping = 0.5;
  o.weighted = false;
  expect_scores(cibgraph::pagerank(dangling_graph(), o).scores,
                {0.07142857142857142, 0.5714285714285714, 0.2857142857142857, 0.07142857142857142});
}

TEST(CentralityPageRank, SumsToOneOnRmatWithDanglingVertices) {
  const Graph g = from_edge_list(cibgraph::datasets::rmat(12, 30000, 3), true);
  const auto degree = cibgraph::degrees(g);
  ASSERT_GT(std::count(degree.begin(), degree.end(), 0u), 0);  // the dangling path is exercised
  const auto r = cibgraph::pagerank(g);
  EXPECT_TRUE(r.converged);
  EXPECT_LT(r.residual, 1e-9);
  EXPECT_NEAR(sum(r.scores), 1.0, 1e-12);
  for (double x : r.scores) EXPECT_GT(x, 0.0);
}

// BGL's page_rank computes n * PageRank when no vertex is dangling (it has no dangling correction): a ring
// through all vertices is added to random arcs so every vertex has an out-arc.
template <class View>
void expect_pagerank_matches_boost(const Graph& g) {
  cibgraph::PageRankOptions o;
  o.weighted = false;
  o.tolerance = 1e-13;
  const auto ours = cibgraph::pagerank(g, o);
  ASSERT_TRUE(ours.converged);
  const View view(g);
  std::vector<double> theirs(g.num_vertices());
  boost::graph::page_rank(view, boost::make_iterator_property_map(theirs.begin(), boost::identity_property_map()),
                          boost::graph::n_iterations(300));
  const double n = g.num_vertices();
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    ASSERT_NEAR(ours.scores[v] * n, theirs[v], 1e-9 * theirs[v]) << "vertex " << v;
  }
}

cibgraph::datasets::EdgeList random_with_ring(std::uint32_t n, std::uint64_t m, std::uint64_t seed) {
  auto e = cibgraph::datasets::erdos_renyi(n, m, seed);
  for (std::uint32_t v = 0; v < n; ++v) {
    e.src.push_back(v);
    e.dst.push_back((v + 1) % n);
  }
  return e;
}

TEST(CentralityPageRank, AgreesWithBoostPageRank) {
  expect_pagerank_matches_boost<cibgraph::bgl::Directed>(from_edge_list(random_with_ring(500, 3000, 11), true));
  expect_pagerank_matches_boost<cibgraph::bgl::Undirected>(from_edge_list(random_with_ring(500, 1500, 12), false));
}

TEST(CentralityPageRank, BadOptionsThrow) {
  const Graph g = dangling_graph();
  auto with = [&](auto change) {
    cibgraph::PageRankOptions o;
    change(o);
    return [&g, o] { cibgraph::pagerank(g, o); };
  };
  using O = cibgraph::PageRankOptions;
  EXPECT_THROW(with([](O& o) { o.damping = 1.5; })(), cibgraph::UsageError);
  EXPECT_THROW(with([](O& o) { o.damping = -0.1; })(), cibgraph::UsageError);
  EXPECT_THROW(with([](O& o) { o.damping = std::nan(""); })(), cibgraph::UsageError);
  EXPECT_THROW(with([](O& o) { o.tolerance = 0.0; })(), cibgraph::UsageError);
  EXPECT_THROW(with([](O& o) { o.tolerance = std::nan(""); })(), cibgraph::UsageError);
  EXPECT_THROW(with([](O& o) { o.max_iterations = 0; })(), cibgraph::UsageError);
  EXPECT_THROW(with([](O& o) { o.personalization = {1.0, 1.0}; })(), cibgraph::UsageError);
  EXPECT_THROW(with([](O& o) { o.personalization = {1.0, -1.0, 1.0, 1.0}; })(), cibgraph::UsageError);
  EXPECT_THROW(with([](O& o) { o.personalization = {0.0, 0.0, 0.0, 0.0}; })(), cibgraph::UsageError);
  EXPECT_THROW(with([](O& o) { o.personalization = {1.0, std::numeric_limits<double>::infinity(), 0.0, 0.0}; })(),
               cibgraph::UsageError);
  EXPECT_NO_THROW(with([](O& o) { o.personalization = {0.0, 0.0, 0.0, 1.0}; })());
}

TEST(CentralityPageRank, NegativeWeightsThrowUnlessUnweighted) {
  Edges e;
  e.add(0, 1, 1.0f);
  e.add(1, 0, -1.0f);
  const Graph g = e.build(2, true);
  EXPECT_THROW(cibgraph::pagerank(g), cibgraph::InputError);
  cibgraph::PageRankOptions o;
  o.weighted = false;
  expect_scores(cibgraph::pagerank(g, o).scores, {0.5, 0.5});
}

TEST(CentralityPageRank, IterationCapReportsNotConverged) {
  cibgraph::PageRankOptions o;
  o.max_iterations = 3;
  o.tolerance = 1e-15;
  const auto r = cibgraph::pagerank(bridge_graph(), o);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 3u);
  EXPECT_GT(r.residual, 1e-15);
  EXPECT_NEAR(sum(r.scores), 1.0, 1e-14);
}

// ---------------------------------------------------------------------------------------------------------
// Eigenvector centrality

cibgraph::EigenvectorOptions tight_eigenvector(bool weighted = true) {
  cibgraph::EigenvectorOptions o;
  o.tolerance = 1e-15;
  o.max_iterations = 100000;
  o.weighted = weighted;
  return o;
}

TEST(CentralityEigenvector, PathAndBipartiteStar) {
  const auto path = cibgraph::eigenvector_centrality(path_graph(), tight_eigenvector());
  EXPECT_TRUE(path.converged);
  expect_scores(path.scores, {0.288675134594813, 0.5, 0.5773502691896257, 0.5, 0.288675134594813});
  // A star is bipartite: plain power iteration on A would oscillate between centre and leaves.
  const auto star = cibgraph::eigenvector_centrality(star_graph(), tight_eigenvector());
  EXPECT_TRUE(star.converged);
  expect_scores(star.scores, {0.7071067811865476, 0.31622776601683794, 0.31622776601683794, 0.31622776601683794,
                              0.31622776601683794, 0.31622776601683794});
}

TEST(CentralityEigenvector, BridgeWeightedAndUnweighted) {
  expect_scores(cibgraph::eigenvector_centrality(bridge_graph(), tight_eigenvector()).scores,
                {0.011874260588556427, 0.011874260588556427, 0.011874260588556427, 0.047638652032247444,
                 0.5015545158881658, 0.49858153202566025, 0.49858153202566025, 0.49858153202566025});
  expect_scores(cibgraph::eigenvector_centrality(bridge_graph(), tight_eigenvector(false)).scores,
                {0.3262603891209973, 0.3262603891209973, 0.3262603891209973, 0.42504408650379594,
                 0.42504408650379594, 0.32626038912099725, 0.32626038912099725, 0.32626038912099725});
}

TEST(CentralityEigenvector, DirectedScoresComeFromInNeighbours) {
  // 3 and 4 have no in-arcs: their scores tend to 0.
  expect_scores(cibgraph::eigenvector_centrality(hubs_graph(), tight_eigenvector()).scores,
                {0.49999999999999983, 0.30901699437494734, 0.8090169943749475, 0.0, 0.0});
  expect_scores(cibgraph::eigenvector_centrality(hubs_graph(), tight_eigenvector(false)).scores,
                {0.5484317579318063, 0.41399888552313313, 0.7265173980555676, 0.0, 0.0});
}

TEST(CentralityEigenvector, AcyclicGraphDoesNotConvergeAndSaysSo) {
  Edges e;
  e.add(0, 1);
  e.add(1, 2);
  cibgraph::EigenvectorOptions o;
  o.max_iterations = 50;
  const auto r = cibgraph::eigenvector_centrality(e.build(3, true), o);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 50u);
  EXPECT_GT(r.residual, o.tolerance);
}

TEST(CentralityEigenvector, EdgelessGraphIsUniform) {
  const Graph g = Edges{}.build(4, false);
  const auto r = cibgraph::eigenvector_centrality(g);
  EXPECT_TRUE(r.converged);
  expect_scores(r.scores, {0.5, 0.5, 0.5, 0.5});
}

// ---------------------------------------------------------------------------------------------------------
// Katz centrality

cibgraph::KatzOptions tight_katz(bool weighted = true) {
  cibgraph::KatzOptions o;
  o.tolerance = 1e-15;
  o.weighted = weighted;
  return o;
}

TEST(CentralityKatz, PathStarBridge) {
  expect_scores(cibgraph::katz_centrality(path_graph(), tight_katz()).scores,
                {0.4204672433219077, 0.462899717418614, 0.4667572150637691, 0.462899717418614, 0.4204672433219077});
  expect_scores(cibgraph::katz_centrality(star_graph(), tight_katz()).scores,
                {0.5206576008754674, 0.3818155739753428, 0.3818155739753428, 0.3818155739753428, 0.3818155739753428,
                 0.3818155739753428});
  expect_scores(cibgraph::katz_centrality(bridge_graph(), tight_katz()).scores,
                {0.2453692803035312, 0.2453692803035312, 0.2453692803035312, 0.2654135313705802, 0.4409735234750787,
                 0.42991462633463784, 0.42991462633463784, 0.42991462633463784});
  expect_scores(cibgraph::katz_centrality(bridge_graph(), tight_katz(false)).scores,
                {0.3446227583977888, 0.3446227583977888, 0.3446227583977888, 0.3790850342375677, 0.3790850342375677,
                 0.3446227583977888, 0.3446227583977888, 0.3446227583977888});
}

TEST(CentralityKatz, DirectedAndUnnormalised) {
  expect_scores(cibgraph::katz_centrality(hubs_graph(), tight_katz()).scores,
                {0.44611840293517446, 0.43301364118946284, 0.5947407625142782, 0.36906958456175815,
                 0.35149484243976964});
  auto o = tight_katz();
  o.beta = 2.0;
  o.normalized = false;
  const auto raw = cibgraph::katz_centrality(hubs_graph(), o);
  EXPECT_TRUE(raw.converged);
  expect_scores(raw.scores, {2.538406537282942, 2.463840653728294, 3.3840653728294177, 2.1, 2.0});
  o.weighted = false;
  expect_scores(cibgraph::katz_centrality(hubs_graph(), o).scores,
                {2.4713852376137515, 2.467138523761375, 2.713852376137513, 2.2, 2.0});
  o.normalized = false;
  expect_scores(cibgraph::katz_centrality(bridge_graph(), o).scores,
                {2.898550724637681, 2.898550724637681, 2.898550724637681, 3.1884057971014492, 3.1884057971014492,
                 2.898550724637681, 2.898550724637681, 2.898550724637681});
}

TEST(CentralityKatz, DivergenceIsReportedNotThrown) {
  // A triangle has lambda_max = 2: alpha = 0.6 makes the walk series diverge.
  Edges e;
  e.add(0, 1);
  e.add(1, 2);
  e.add(2, 0);
  cibgraph::KatzOptions o;
  o.alpha = 0.6;
  o.max_iterations = 200;
  const auto r = cibgraph::katz_centrality(e.build(3, false), o);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.iterations, 200u);
}

TEST(CentralityKatz, BadOptionsThrow) {
  const Graph g = path_graph();
  for (double alpha : {0.0, -0.1, std::nan(""), std::numeric_limits<double>::infinity()}) {
    cibgraph::KatzOptions o;
    o.alpha = alpha;
    EXPECT_THROW(cibgraph::katz_centrality(g, o), cibgraph::UsageError) << alpha;
  }
  cibgraph::KatzOptions o;
  o.beta = std::nan("");
  EXPECT_THROW(cibgraph::katz_centrality(g, o), cibgraph::UsageError);
  o = {};
  o.tolerance = -1.0;
  EXPECT_THROW(cibgraph::katz_centrality(g, o), cibgraph::UsageError);
}

// ---------------------------------------------------------------------------------------------------------
// HITS

cibgraph::HitsOptions tight_hits(bool weighted = true) {
  cibgraph::HitsOptions o;
  o.tolerance = 1e-15;
  o.weighted = weighted;
  return o;
}

TEST(CentralityHits, DirectedWeightedAndUnweighted) {
  const auto w = cibgraph::hits(hubs_graph(), tight_hits());
  EXPECT_TRUE(w.converged);
  expect_scores(w.hubs, {0.35128120948833164, 0.14871879051166814, 0.0, 0.5, 0.0});
  expect_scores(w.authorities, {0.0, 0.2658125270077789, 0.7341874729922212, 0.0, 0.0});
  const auto u = cibgraph::hits(hubs_graph(), tight_hits(false));
  expect_scores(u.hubs, {0.3903882032022075, 0.2192235935955848, 0.0, 0.39038820320220763, 0.0});
  expect_scores(u.authorities, {0.0, 0.4384471871911697, 0.5615528128088303, 0.0, 0.0});
}

TEST(CentralityHits, UndirectedHubsEqualAuthorities) {
  const auto w = cibgraph::hits(bridge_graph(), tight_hits());
  EXPECT_TRUE(w.converged);
  const std::vector<double> weighted = {0.005707241066710301, 0.0057072410667103205, 0.00570724106671042,
                                        0.022897027500238108, 0.24106701288244245,  0.23963807880572943,
                                        0.23963807880572943,  0.23963807880572946};
  expect_scores(w.hubs, weighted);
  expect_scores(w.authorities, weighted);
  const auto u = cibgraph::hits(bridge_graph(), tight_hits(false));
  const std::vector<double> unweighted = {0.11620406037800081, 0.11620406037800105, 0.11620406037800093,
                                          0.15138781886599728, 0.15138781886599728, 0.11620406037800084,
                                          0.11620406037800084, 0.11620406037800084};
  expect_scores(u.hubs, unweighted);
  expect_scores(u.authorities, unweighted);
  EXPECT_NEAR(sum(u.hubs), 1.0, 1e-14);
  EXPECT_NEAR(sum(u.authorities), 1.0, 1e-14);
}

TEST(CentralityHits, EdgelessGraphIsUniformAndBadOptionsThrow) {
  const auto r = cibgraph::hits(Edges{}.build(4, true));
  EXPECT_TRUE(r.converged);
  expect_scores(r.hubs, {0.25, 0.25, 0.25, 0.25});
  expect_scores(r.authorities, {0.25, 0.25, 0.25, 0.25});
  cibgraph::HitsOptions o;
  o.max_iterations = 0;
  EXPECT_THROW(cibgraph::hits(hubs_graph(), o), cibgraph::UsageError);
  Edges e;
  e.add(0, 1, -2.0f);
  EXPECT_THROW(cibgraph::hits(e.build(2, true)), cibgraph::InputError);
  EXPECT_THROW(cibgraph::eigenvector_centrality(e.build(2, true)), cibgraph::InputError);
}

// ---------------------------------------------------------------------------------------------------------
// Shared behaviour

TEST(CentralityShared, EmptyGraphGivesEmptyScores) {
  const Graph g;
  EXPECT_TRUE(cibgraph::pagerank(g).scores.empty());
  EXPECT_TRUE(cibgraph::eigenvector_centrality(g).scores.empty());
  EXPECT_TRUE(cibgraph::katz_centrality(g).scores.empty());
  EXPECT_TRUE(cibgraph::hits(g).hubs.empty());
  EXPECT_TRUE(cibgraph::degrees(g).empty());
  EXPECT_TRUE(cibgraph::strengths(g, cibgraph::Direction::All).empty());
}

// Graphs large enough to run in parallel (many blocks), weighted so the float weights enter the sums.
TEST(CentralityShared, BitIdenticalForOneAndTwoThreads) {
  auto e = cibgraph::datasets::rmat(14, 200000, 5);
  cibgraph::datasets::SplitMix64 rng(9);
  e.weights.resize(e.src.size());
  for (float& w : e.weights) w = static_cast<float>(1.0 + 4.0 * rng.uniform());
  for (bool directed : {true, false}) {
    const Graph g = from_edge_list(e, directed);
    ThreadCount threads;
    auto run = [&](int count) {
      threads.set(count);
      cibgraph::KatzOptions katz;
      katz.alpha = 5e-5;  // below 1 / lambda_max (max strength is about 10^4)
      std::vector<std::vector<double>> out = {cibgraph::pagerank(g).scores,
                                              cibgraph::eigenvector_centrality(g).scores,
                                              cibgraph::katz_centrality(g, katz).scores,
                                              cibgraph::strengths(g, cibgraph::Direction::All)};
      const auto h = cibgraph::hits(g);
      out.push_back(h.hubs);
      out.push_back(h.authorities);
      return out;
    };
    const auto one = run(1);
    const auto two = run(2);
    ASSERT_EQ(one.size(), two.size());
    for (std::size_t k = 0; k < one.size(); ++k) {
      EXPECT_EQ(one[k], two[k]) << "result " << k << (directed ? " directed" : " undirected");
    }
  }
}

}  // namespace
