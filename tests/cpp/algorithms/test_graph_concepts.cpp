// The graph concepts (core/include/cibgraph/graph_concepts.hpp): which types satisfy them, that the algorithm
// templates refuse a type lacking what they read, and that two graph types other than cibgraph::Graph, one per
// kind of concept, give the library Graph's answers, bit for bit, on hand-drawn graphs:
//   * AdjacencyLists, one vector per row (OutAdjacencyGraph, WeightedGraph, TransposableGraph, not CsrGraph);
//   * BorrowedCsr, CSR arrays it does not own, as a memory-mapped file would hand them over (CsrGraph, not
//     TransposableGraph: it cannot hold a transpose of its own).
#include <algorithm>
#include <cstdint>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cibgraph/algorithms/centrality/betweenness.hpp"
#include "cibgraph/algorithms/centrality/closeness.hpp"
#include "cibgraph/algorithms/centrality/degree.hpp"
#include "cibgraph/algorithms/centrality/eigenvector.hpp"
#include "cibgraph/algorithms/centrality/hits.hpp"
#include "cibgraph/algorithms/centrality/katz.hpp"
#include "cibgraph/algorithms/centrality/pagerank.hpp"
#include "cibgraph/algorithms/community/consensus.hpp"
#include "cibgraph/algorithms/community/label_propagation.hpp"
#include "cibgraph/algorithms/community/leiden.hpp"
#include "cibgraph/algorithms/community/louvain.hpp"
#include "cibgraph/algorithms/community/quality.hpp"
#include "cibgraph/algorithms/community/spectral.hpp"
#include "cibgraph/algorithms/components/components.hpp"
#include "cibgraph/algorithms/components/kcore.hpp"
#include "cibgraph/algorithms/components/ktruss.hpp"
#include "cibgraph/graph.hpp"
#include "cibgraph/graph_concepts.hpp"

namespace {

using cibgraph::Graph;
using WeightedEdge = std::tuple<std::uint32_t, std::uint32_t, float>;

// Rows as vectors: the simplest graph there is. Rows are sorted by target, as the concepts ask.
struct AdjacencyLists {
  std::vector<std::vector<std::uint32_t>> rows;
  std::vector<std::vector<float>> row_weights;
  bool directed = false;

  static AdjacencyLists from_edges(std::uint32_t n, const std::vector<WeightedEdge>& edges, bool is_directed) {
    std::vector<std::vector<std::pair<std::uint32_t, float>>> arcs(n);
    for (const auto& [u, v, w] : edges) {
      arcs[u].emplace_back(v, w);
      if (!is_directed && u != v) arcs[v].emplace_back(u, w);
    }
    AdjacencyLists g;
    g.directed = is_directed;
    g.rows.resize(n);
    g.row_weights.resize(n);
    for (std::uint32_t v = 0; v < n; ++v) {
      std::sort(arcs[v].begin(), arcs[v].end());
      for (const auto& [t, w] : arcs[v]) {
        g.rows[v].push_back(t);
        g.row_weights[v].push_back(w);
      }
    }
    return g;
  }

  std::uint32_t num_vertices() const { return static_cast<std::uint32_t>(rows.size()); }
  std::uint64_t num_arcs() const {
    std::uint64_t arcs = 0;
    for (const auto& row : rows) arcs += row.size();
    return arcs;
  }
  std::span<const std::uint32_t> neighbors(std::uint32_t v) const { return rows[v]; }
  std::span<const float> neighbor_weights(std::uint32_t v) const { return row_weights[v]; }
  AdjacencyLists transpose() const {
    AdjacencyLists t;
    t.directed = directed;
    t.rows.resize(rows.size());
    t.row_weights.resize(rows.size());
    for (std::uint32_t u = 0; u < num_vertices(); ++u) {  // sources in increasing order: rows come out sorted
      for (std::size_t i = 0; i < rows[u].size(); ++i) {
        t.rows[rows[u][i]].push_back(u);
        t.row_weights[rows[u][i]].push_back(row_weights[u][i]);
      }
    }
    return t;
  }
};

// The CSR arrays of a graph held elsewhere (here: a few vectors; in use, a memory-mapped file).
struct CsrArrays {
  std::vector<std::uint64_t> offsets{0};
  std::vector<std::uint32_t> targets;
  std::vector<float> weights;
};

CsrArrays csr_arrays_of(const AdjacencyLists& lists) {
  CsrArrays a;
  for (std::uint32_t v = 0; v < lists.num_vertices(); ++v) {
    a.targets.insert(a.targets.end(), lists.rows[v].begin(), lists.rows[v].end());
    a.weights.insert(a.weights.end(), lists.row_weights[v].begin(), lists.row_weights[v].end());
    a.offsets.push_back(a.targets.size());
  }
  return a;
}

struct BorrowedCsr {
  std::span<const std::uint64_t> offsets;
  std::span<const std::uint32_t> targets;
  std::span<const float> weights;
  bool directed = false;

  BorrowedCsr(const CsrArrays& a, bool is_directed)
      : offsets(a.offsets), targets(a.targets), weights(a.weights), directed(is_directed) {}
  std::uint32_t num_vertices() const { return static_cast<std::uint32_t>(offsets.size() - 1); }
  std::uint64_t num_arcs() const { return targets.size(); }
  std::span<const std::uint32_t> neighbors(std::uint32_t v) const {
    return targets.subspan(offsets[v], offsets[v + 1] - offsets[v]);
  }
  std::span<const float> neighbor_weights(std::uint32_t v) const {
    return weights.subspan(offsets[v], offsets[v + 1] - offsets[v]);
  }
};

// Rows without weights.
struct UnweightedLists {
  std::vector<std::vector<std::uint32_t>> rows;
  bool directed = false;
  std::uint32_t num_vertices() const { return static_cast<std::uint32_t>(rows.size()); }
  std::uint64_t num_arcs() const { return 0; }
  std::span<const std::uint32_t> neighbors(std::uint32_t v) const { return rows[v]; }
};

// Rows handed out as copies: refused (a copy per visit), even though every other requirement holds.
struct CopiedRows {
  std::vector<std::vector<std::uint32_t>> rows;
  bool directed = false;
  std::uint32_t num_vertices() const { return static_cast<std::uint32_t>(rows.size()); }
  std::uint64_t num_arcs() const { return 0; }
  std::vector<std::uint32_t> neighbors(std::uint32_t v) const { return rows[v]; }
};

// Weights in double: not the float rows the algorithms read.
struct DoubleWeights : UnweightedLists {
  std::vector<std::vector<double>> row_weights;
  std::span<const double> neighbor_weights(std::uint32_t v) const { return row_weights[v]; }
};

// The library's graph has everything.
static_assert(cibgraph::OutAdjacencyGraph<Graph> && cibgraph::WeightedGraph<Graph> &&
              cibgraph::TransposableGraph<Graph> && cibgraph::CsrGraph<Graph>);
// The two test types have what they were written to have, and nothing more.
static_assert(cibgraph::WeightedGraph<AdjacencyLists> && cibgraph::TransposableGraph<AdjacencyLists>);
static_assert(!cibgraph::CsrGraph<AdjacencyLists>);
static_assert(cibgraph::CsrGraph<BorrowedCsr> && !cibgraph::TransposableGraph<BorrowedCsr>);
// Wrong types.
static_assert(!cibgraph::OutAdjacencyGraph<int> && !cibgraph::OutAdjacencyGraph<std::vector<std::uint32_t>>);
static_assert(cibgraph::OutAdjacencyGraph<UnweightedLists> && !cibgraph::WeightedGraph<UnweightedLists>);
static_assert(!cibgraph::TransposableGraph<UnweightedLists>);
static_assert(!cibgraph::OutAdjacencyGraph<CopiedRows>);
static_assert(!cibgraph::WeightedGraph<DoubleWeights>);

// The algorithms state the concept in their signature, so a call with a type that lacks it is not a viable call
// (the error names the unmet requirement) rather than an error deep inside the algorithm's body.
template <class G>
concept PageRankTakes = requires(const G& g) { cibgraph::pagerank(g); };
template <class G>
concept ComponentsTake = requires(const G& g) { cibgraph::connected_components(g); };
template <class G>
concept CoreNumbersTake = requires(const G& g) { cibgraph::core_numbers(g); };
template <class G>
concept KTrussTakes = requires(const G& g) { cibgraph::k_truss_arcs(g, 3u); };
template <class G>
concept LeidenTakes = requires(const G& g) { cibgraph::leiden(g); };
template <class G>
concept BetweennessTakes = requires(const G& g) { cibgraph::betweenness(g); };
template <class G>
concept ModularityTakes = requires(const G& g, std::span<const std::uint32_t> m) { cibgraph::modularity(g, m); };

static_assert(PageRankTakes<Graph> && PageRankTakes<AdjacencyLists>);
static_assert(!PageRankTakes<BorrowedCsr> && !PageRankTakes<UnweightedLists> && !PageRankTakes<int>);
static_assert(ComponentsTake<UnweightedLists> && ComponentsTake<BorrowedCsr> && !ComponentsTake<int>);
static_assert(!ComponentsTake<CopiedRows>);
static_assert(CoreNumbersTake<AdjacencyLists> && !CoreNumbersTake<BorrowedCsr>);
static_assert(KTrussTakes<Graph> && KTrussTakes<BorrowedCsr> && !KTrussTakes<AdjacencyLists>);
static_assert(LeidenTakes<BorrowedCsr> && !LeidenTakes<AdjacencyLists>);
static_assert(BetweennessTakes<AdjacencyLists> && BetweennessTakes<BorrowedCsr> && !BetweennessTakes<UnweightedLists>);
static_assert(ModularityTakes<AdjacencyLists> && !ModularityTakes<UnweightedLists> && !ModularityTakes<DoubleWeights>);

// Undirected, drawn by hand: a 4-clique 0-1-2-3, a triangle 3-4-5 hanging off it, a tail 5-6-7 with a self-loop
// at 6, and 8 alone. Weights are small binary fractions, so every sum is exact.
//
//   1 --- 2          4
//   |  X  |        /   \   (X: the diagonals 0-2 and 1-3)
//   0 --- 3 ----------- 5 --- 6 --- 7      8
//                   (3-5 an edge; a self-loop at 6)
const std::uint32_t undirected_n = 9;
const std::vector<WeightedEdge> undirected_edges = {
    {0, 1, 2.0f}, {0, 2, 1.0f}, {0, 3, 1.0f}, {1, 2, 1.5f}, {1, 3, 1.0f}, {2, 3, 0.5f},
    {3, 4, 1.0f}, {3, 5, 2.0f}, {4, 5, 1.0f}, {5, 6, 0.25f}, {6, 6, 1.0f}, {6, 7, 3.0f},
};

// Directed: a cycle 0 -> 1 -> 2 -> 0, then 2 -> 3, a reciprocated pair 3 <-> 4, and 5 alone.
const std::uint32_t directed_n = 6;
const std::vector<WeightedEdge> directed_edges = {
    {0, 1, 1.0f}, {1, 2, 2.0f}, {2, 0, 1.0f}, {2, 3, 0.5f}, {3, 4, 1.0f}, {4, 3, 1.0f},
};

Graph library_graph(std::uint32_t n, const std::vector<WeightedEdge>& edges, bool directed) {
  std::vector<std::uint32_t> src, dst;
  std::vector<float> w;
  for (const auto& [u, v, weight] : edges) {
    src.push_back(u);
    dst.push_back(v);
    w.push_back(weight);
  }
  return Graph::from_edges(n, src, dst, w, directed);
}

// The arcs flagged in `in`, as (source, target) pairs.
template <class G>
std::vector<std::pair<std::uint32_t, std::uint32_t>> flagged_arcs(const G& g, const std::vector<std::uint8_t>& in) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> arcs;
  std::uint64_t a = 0;
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    for (const std::uint32_t t : g.neighbors(v)) {
      if (in[a++]) arcs.emplace_back(v, t);
    }
  }
  return arcs;
}

TEST(GraphConcepts, TheSecondTypesHoldTheSameRows) {
  for (const bool directed : {false, true}) {
    const auto& edges = directed ? directed_edges : undirected_edges;
    const std::uint32_t n = directed ? directed_n : undirected_n;
    const Graph g = library_graph(n, edges, directed);
    const AdjacencyLists lists = AdjacencyLists::from_edges(n, edges, directed);
    const CsrArrays arrays = csr_arrays_of(lists);
    const BorrowedCsr borrowed(arrays, directed);
    ASSERT_EQ(lists.num_arcs(), g.num_arcs());
    ASSERT_EQ(borrowed.num_arcs(), g.num_arcs());
    for (std::uint32_t v = 0; v < n; ++v) {
      EXPECT_TRUE(std::ranges::equal(lists.neighbors(v), g.neighbors(v)));
      EXPECT_TRUE(std::ranges::equal(lists.neighbor_weights(v), g.neighbor_weights(v)));
      EXPECT_TRUE(std::ranges::equal(borrowed.neighbors(v), g.neighbors(v)));
    }
  }
}

TEST(GraphConcepts, ComponentsAndCoresOnAdjacencyLists) {
  const Graph g = library_graph(undirected_n, undirected_edges, false);
  const AdjacencyLists lists = AdjacencyLists::from_edges(undirected_n, undirected_edges, false);

  const auto components = cibgraph::connected_components(lists);
  EXPECT_EQ(components.count, 2u);
  EXPECT_EQ(components.label, (std::vector<std::uint32_t>{0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(components.sizes, (std::vector<std::uint64_t>{8, 1}));
  EXPECT_EQ(components.label, cibgraph::connected_components(g).label);

  // The clique is the 3-core, the triangle the 2-core, the tail the 1-core (the self-loop is ignored).
  const auto cores = cibgraph::core_numbers(lists);
  EXPECT_EQ(cores, (std::vector<std::uint32_t>{3, 3, 3, 3, 2, 2, 1, 1, 0}));
  EXPECT_EQ(cores, cibgraph::core_numbers(g));

  EXPECT_EQ(cibgraph::degrees(lists), cibgraph::degrees(g));
  EXPECT_EQ(cibgraph::strengths(lists), cibgraph::strengths(g));
  EXPECT_EQ(cibgraph::degrees(lists)[6], 3u);  // 5, 7 and the self-loop once

  // Directed: SCCs {0, 1, 2}, {3, 4}, {5}; core numbers count in- plus out-arcs (through transpose()).
  const Graph d = library_graph(directed_n, directed_edges, true);
  const AdjacencyLists directed_lists = AdjacencyLists::from_edges(directed_n, directed_edges, true);
  const auto strong = cibgraph::strongly_connected_components(directed_lists);
  EXPECT_EQ(strong.count, 3u);
  EXPECT_EQ(strong.label, (std::vector<std::uint32_t>{0, 0, 0, 1, 1, 2}));
  EXPECT_EQ(strong.label, cibgraph::strongly_connected_components(d).label);
  EXPECT_EQ(cibgraph::core_numbers(directed_lists), cibgraph::core_numbers(d));
  EXPECT_EQ(cibgraph::core_numbers(directed_lists), (std::vector<std::uint32_t>{2, 2, 2, 2, 2, 0}));
  for (const auto direction : {cibgraph::Direction::Out, cibgraph::Direction::In, cibgraph::Direction::All}) {
    EXPECT_EQ(cibgraph::degrees(directed_lists, direction), cibgraph::degrees(d, direction));
    EXPECT_EQ(cibgraph::strengths(directed_lists, direction), cibgraph::strengths(d, direction));
  }
}

TEST(GraphConcepts, CentralitiesOnAdjacencyLists) {
  for (const bool directed : {false, true}) {
    SCOPED_TRACE(directed ? "directed" : "undirected");
    const auto& edges = directed ? directed_edges : undirected_edges;
    const std::uint32_t n = directed ? directed_n : undirected_n;
    const Graph g = library_graph(n, edges, directed);
    const AdjacencyLists lists = AdjacencyLists::from_edges(n, edges, directed);

    for (const bool weighted : {false, true}) {
      cibgraph::PageRankOptions pagerank_options;
      pagerank_options.weighted = weighted;
      const auto mine = cibgraph::pagerank(lists, pagerank_options);
      const auto library = cibgraph::pagerank(g, pagerank_options);
      EXPECT_TRUE(mine.converged);
      EXPECT_EQ(mine.scores, library.scores);
      EXPECT_EQ(mine.iterations, library.iterations);

      cibgraph::BetweennessOptions betweenness_options;
      betweenness_options.weighted = weighted;
      EXPECT_EQ(cibgraph::betweenness(lists, betweenness_options).scores,
                cibgraph::betweenness(g, betweenness_options).scores);
      cibgraph::ClosenessOptions closeness_options;
      closeness_options.weighted = weighted;
      EXPECT_EQ(cibgraph::closeness(lists, closeness_options), cibgraph::closeness(g, closeness_options));
      EXPECT_EQ(cibgraph::harmonic_centrality(lists, weighted), cibgraph::harmonic_centrality(g, weighted));
    }
    cibgraph::KatzOptions katz_options;
    katz_options.alpha = 0.05;
    EXPECT_EQ(cibgraph::katz_centrality(lists, katz_options).scores, cibgraph::katz_centrality(g, katz_options).scores);
    const auto hubs = cibgraph::hits(lists);
    EXPECT_EQ(hubs.hubs, cibgraph::hits(g).hubs);
    EXPECT_EQ(hubs.authorities, cibgraph::hits(g).authorities);
    if (!directed) {
      EXPECT_EQ(cibgraph::eigenvector_centrality(lists).scores, cibgraph::eigenvector_centrality(g).scores);
    }
  }

  // By hand, hop counts: 3 lies on every shortest path from 0, 1, 2 to 4, 5, 6, 7 (12 pairs), 5 on every one from
  // 0 .. 4 to 6, 7 (10), 6 on every one to 7 (6); 4 on none (3-5 is an edge).
  const AdjacencyLists lists = AdjacencyLists::from_edges(undirected_n, undirected_edges, false);
  EXPECT_EQ(cibgraph::betweenness(lists).scores, (std::vector<double>{0, 0, 0, 12, 0, 10, 6, 0, 0}));
}

TEST(GraphConcepts, PartitionsOnAdjacencyLists) {
  for (const bool directed : {false, true}) {
    SCOPED_TRACE(directed ? "directed" : "undirected");
    const auto& edges = directed ? directed_edges : undirected_edges;
    const std::uint32_t n = directed ? directed_n : undirected_n;
    const Graph g = library_graph(n, edges, directed);
    const AdjacencyLists lists = AdjacencyLists::from_edges(n, edges, directed);
    std::vector<std::uint32_t> halves(n);
    for (std::uint32_t v = 0; v < n; ++v) halves[v] = v < n / 2 ? 0 : 1;

    EXPECT_EQ(cibgraph::modularity(lists, halves), cibgraph::modularity(g, halves));
    EXPECT_EQ(cibgraph::cpm_quality(lists, halves, 0.5), cibgraph::cpm_quality(g, halves, 0.5));
    EXPECT_EQ(cibgraph::coverage(lists, halves), cibgraph::coverage(g, halves));
    const auto mine = cibgraph::conductance(lists, halves);
    const auto library = cibgraph::conductance(g, halves);
    ASSERT_EQ(mine.size(), library.size());
    for (std::size_t c = 0; c < mine.size(); ++c) EXPECT_EQ(mine[c], library[c]);

    cibgraph::LabelPropagationOptions lp;
    lp.seed = 7;
    EXPECT_EQ(cibgraph::label_propagation(lists, lp).membership, cibgraph::label_propagation(g, lp).membership);
    cibgraph::SpectralOptions spectral;
    spectral.k = 2;
    EXPECT_EQ(cibgraph::spectral_clustering(lists, spectral).membership,
              cibgraph::spectral_clustering(g, spectral).membership);
  }
}

TEST(GraphConcepts, TrussAndLeidenOnBorrowedArrays) {
  const Graph g = library_graph(undirected_n, undirected_edges, false);
  const CsrArrays arrays = csr_arrays_of(AdjacencyLists::from_edges(undirected_n, undirected_edges, false));
  const BorrowedCsr borrowed(arrays, false);

  // The 4-truss is the clique (each of its edges lies in 2 of its triangles); the 3-truss adds the triangle 3-4-5.
  using Arcs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  const Arcs clique = {{0, 1}, {0, 2}, {0, 3}, {1, 0}, {1, 2}, {1, 3}, {2, 0}, {2, 1}, {2, 3}, {3, 0}, {3, 1}, {3, 2}};
  EXPECT_EQ(flagged_arcs(borrowed, cibgraph::k_truss_arcs(borrowed, 4)), clique);
  const Arcs with_triangle = {{0, 1}, {0, 2}, {0, 3}, {1, 0}, {1, 2}, {1, 3}, {2, 0}, {2, 1}, {2, 3},
                              {3, 0}, {3, 1}, {3, 2}, {3, 4}, {3, 5}, {4, 3}, {4, 5}, {5, 3}, {5, 4}};
  EXPECT_EQ(flagged_arcs(borrowed, cibgraph::k_truss_arcs(borrowed, 3)), with_triangle);
  for (const std::uint32_t k : {2u, 3u, 4u, 5u}) EXPECT_EQ(cibgraph::k_truss_arcs(borrowed, k), cibgraph::k_truss_arcs(g, k));

  for (const auto quality : {cibgraph::CommunityQuality::Modularity, cibgraph::CommunityQuality::CPM}) {
    cibgraph::LeidenOptions o;
    o.quality = quality;
    o.resolution = quality == cibgraph::CommunityQuality::CPM ? 0.5 : 1.0;
    o.seed = 3;
    const auto mine = cibgraph::leiden(borrowed, o);
    const auto library = cibgraph::leiden(g, o);
    EXPECT_EQ(mine.membership, library.membership);
    EXPECT_EQ(mine.quality, library.quality);
  }
  EXPECT_EQ(cibgraph::louvain(borrowed).membership, cibgraph::louvain(g).membership);
  const auto agreement = cibgraph::consensus(borrowed, 4);
  EXPECT_EQ(agreement.arc_agreement, cibgraph::consensus(g, 4).arc_agreement);
  EXPECT_EQ(agreement.partition.membership, cibgraph::consensus(g, 4).partition.membership);
  // The clique stays together in every run.
  EXPECT_EQ(agreement.arc_agreement[0], 1.0);

  EXPECT_EQ(cibgraph::connected_components(borrowed).label, cibgraph::connected_components(g).label);
  EXPECT_EQ(cibgraph::betweenness(borrowed).scores, cibgraph::betweenness(g).scores);

  // Directed input goes through Leiden's symmetrised copy, built from the borrowed arrays.
  const CsrArrays directed_arrays = csr_arrays_of(AdjacencyLists::from_edges(directed_n, directed_edges, true));
  const BorrowedCsr directed_borrowed(directed_arrays, true);
  const Graph d = library_graph(directed_n, directed_edges, true);
  EXPECT_EQ(cibgraph::leiden(directed_borrowed).membership, cibgraph::leiden(d).membership);
  EXPECT_EQ(cibgraph::strongly_connected_components(directed_borrowed).label,
            cibgraph::strongly_connected_components(d).label);
}

}  // namespace
