// Co-action networks and their clusters in the HDF5 store (docs/hdf5-layout.md, "/graphs and /results"). The file
// machinery (integrity record, Writer, Reader, atomic replace, the HDF5 lock) is store.cpp's, in store_internal.hpp.
//
// Adding a network rewrites the file rather than editing it in place: HDF5 does not reclaim the space of deleted
// objects, so replacing a network in place would leave the old one's bytes behind on every re-run. H5Ocopy copies
// each stored dataset (chunks as stored, no recompression) into a new file, skipping the network being replaced.
//
// The same consistency checks guard both directions: write_network refuses a network that read_network would refuse.
#include "cibgraph/network_store.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/format.hpp"
#include "cibgraph/time.hpp"
#include "cibgraph/version.hpp"
#include "store_internal.hpp"

namespace cibgraph {
namespace store_internal {
namespace {

constexpr std::string_view kNetworkKind = "coaction";

std::string graph_object(const std::string& name) { return "/graphs/" + name; }
std::string layers_object(const std::string& name) { return graph_object(name) + "/layers"; }
std::string layer_object(const std::string& name, Layer layer) {
  return layers_object(name) + "/" + std::string(layer_name(layer));
}
std::string result_object(const std::string& name) { return "/results/" + name; }
std::string clusters_object(const std::string& name) { return result_object(name) + "/clusters"; }

// A network name is one HDF5 path component.
void check_name(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
      name.find('\0') != std::string::npos)
    throw UsageError("invalid network name '" + name + "': it must be non-empty, not '.' or '..', and contain no '/'");
}

bool known_layer(int value) { return value >= 0 && value < kLayerCount; }

// The layer whose layer_name() is exactly name (no aliases: the file stores canonical names).
std::optional<Layer> layer_named(std::string_view name) {
  for (int i = 0; i < kLayerCount; ++i)
    if (layer_name(static_cast<Layer>(i)) == name) return static_cast<Layer>(i);
  return std::nullopt;
}

// Sizes of the dictionaries that ids and keys in a network point into.
struct Dictionaries {
  std::uint64_t accounts = 0;
  std::uint64_t targets = 0;
  std::uint64_t texts = 0;
};

Dictionaries dictionary_sizes(const Reader& reader) {
  return Dictionaries{dictionary_size(reader, "accounts"), dictionary_size(reader, "targets"),
                      dictionary_size(reader, "texts")};
}

// What a layer's keys index (coaction.hpp): target ids, text ids for co-text; sync-time keys are time bins, any value.
struct KeySpace {
  std::uint64_t limit = 0;
  const char* dictionary = nullptr;  // nullptr: unbounded
};

KeySpace key_space(Layer layer, const Dictionaries& d) {
  if (layer == Layer::SyncTime) return {};
  if (layer == Layer::CoText) return {d.texts, "texts"};
  return {d.targets, "targets"};
}

// ---------------------------------------------------------------------------------------------------------------
// Consistency, for writing and reading alike. fail(what) throws.

template <class Fail>
void check_layer(const LayerEdges& l, const Dictionaries& d, Fail&& fail) {
  if (!known_layer(static_cast<int>(l.layer))) fail("unknown layer value " + std::to_string(static_cast<int>(l.layer)));
  const std::size_t m = l.a.size();
  const auto same_rows = [&](const char* name, std::size_t rows, std::size_t expected, const char* of) {
    if (rows != expected)
      fail(std::string(name) + " has " + std::to_string(rows) + " rows but " + of + " has " + std::to_string(expected));
  };
  same_rows("b", l.b.size(), m, "a");
  same_rows("co_actions", l.co_actions.size(), m, "a");
  same_rows("distinct_targets", l.distinct_targets.size(), m, "a");
  same_rows("a_led", l.a_led.size(), m, "a");
  same_rows("b_led", l.b_led.size(), m, "a");
  same_rows("min_delay_ms", l.min_delay_ms.size(), m, "a");
  same_rows("median_delay_ms", l.median_delay_ms.size(), m, "a");
  same_rows("idf_weight", l.idf_weight.size(), m, "a");
  same_rows("tfidf_cosine", l.tfidf_cosine.size(), m, "a");
  same_rows("common_keys", l.common_keys.size(), m, "a");
  same_rows("expected", l.expected.size(), m, "a");
  same_rows("p_value", l.p_value.size(), m, "a");
  same_rows("sync_p", l.sync_p.size(), m, "a");
  same_rows("cotarget_expected", l.cotarget_expected.size(), m, "a");
  same_rows("cotarget_p", l.cotarget_p.size(), m, "a");
  same_rows("moments", l.moments.size(), m, "a");
  same_rows("kept", l.kept.size(), m, "a");
  if (!l.kept_by.empty()) same_rows("kept_by", l.kept_by.size(), m, "a");
  same_rows("evidence_total", l.evidence_total.size(), m, "a");
  if (l.evidence_offsets.size() != m + 1)
    fail("evidence_offsets has " + std::to_string(l.evidence_offsets.size()) + " rows, not one more than the " +
         std::to_string(m) + " edges");
  if (l.evidence_offsets[0] != 0) fail("evidence_offsets does not start at 0");
  for (std::size_t i = 0; i < m; ++i)
    if (l.evidence_offsets[i + 1] < l.evidence_offsets[i])
      fail("evidence_offsets decreases at row " + std::to_string(i + 1));
  if (l.evidence_offsets[m] != l.evidence_key.size())
    fail("evidence_offsets ends at " + std::to_string(l.evidence_offsets[m]) + " but evidence_key has " +
         std::to_string(l.evidence_key.size()) + " rows");
  same_rows("evidence_time_a", l.evidence_time_a.size(), l.evidence_key.size(), "evidence_key");
  same_rows("evidence_time_b", l.evidence_time_b.size(), l.evidence_key.size(), "evidence_key");

  for (std::size_t i = 0; i < m; ++i) {
    if (l.a[i] >= d.accounts || l.b[i] >= d.accounts)
      fail("account id out of range at row " + std::to_string(i) + " (the accounts dictionary holds " +
           std::to_string(d.accounts) + ")");
    if (l.a[i] >= l.b[i]) fail("a is not less than b at row " + std::to_string(i));
    if (l.kept[i] > 1) fail("kept is neither 0 nor 1 at row " + std::to_string(i));
    if (!l.kept_by.empty()) {
      if (l.kept_by[i] > static_cast<std::uint8_t>(KeptBy::Unrecorded))
        fail("kept_by has the unknown value " + std::to_string(l.kept_by[i]) + " at row " + std::to_string(i));
      if ((l.kept_by[i] != 0) != (l.kept[i] != 0))
        fail(std::string(l.kept[i] ? "a kept edge has no kept_by" : "an edge not kept has a kept_by") + " at row " +
             std::to_string(i));
    }
    if (l.evidence_total[i] < l.evidence_offsets[i + 1] - l.evidence_offsets[i])
      fail("evidence_total at row " + std::to_string(i) + " is less than the evidence rows of the edge");
  }
  const KeySpace keys = key_space(l.layer, d);
  const auto out_of_range = [&](const char* column, std::size_t row) {
    fail(std::string(column) + " out of range at row " + std::to_string(row) + " (the " + keys.dictionary +
         " dictionary holds " + std::to_string(keys.limit) + ")");
  };
  for (std::size_t j = 0; j < l.capped_keys.size(); ++j) {
    const CappedKey& c = l.capped_keys[j];
    if (keys.dictionary != nullptr && c.key >= keys.limit) out_of_range("capped_key", j);
    if (c.pairs_kept > c.pairs_in_window)
      fail("capped_pairs_kept exceeds capped_pairs_in_window at row " + std::to_string(j));
  }
  if (keys.dictionary != nullptr)
    for (std::size_t j = 0; j < l.evidence_key.size(); ++j)
      if (l.evidence_key[j] >= keys.limit) out_of_range("evidence_key", j);
}

template <class Fail>
void check_network(const CoactionNetwork& network, const Dictionaries& d, Fail&& fail) {
  bool seen[kLayerCount] = {};
  for (const LayerEdges& l : network.layers) {
    const int value = static_cast<int>(l.layer);
    if (!known_layer(value)) fail("unknown layer value " + std::to_string(value));
    if (seen[value]) fail("layer " + std::string(layer_name(l.layer)) + " occurs twice");
    seen[value] = true;
    check_layer(l, d, [&](const std::string& what) { fail("layer " + std::string(layer_name(l.layer)) + ": " + what); });
  }
}

template <class Fail>
void check_clusters(const std::vector<Cluster>& clusters, std::uint64_t accounts, Fail&& fail) {
  for (std::size_t k = 0; k < clusters.size(); ++k) {
    const Cluster& c = clusters[k];
    const std::string which = "cluster at row " + std::to_string(k) + " (id " + std::to_string(c.id) + ")";
    for (std::size_t i = 0; i < c.members.size(); ++i) {
      if (c.members[i] >= accounts)
        fail(which + ": member account id " + std::to_string(c.members[i]) + " out of range (the accounts "
             "dictionary holds " + std::to_string(accounts) + ")");
      if (i > 0 && c.members[i] <= c.members[i - 1]) fail(which + ": members are not strictly ascending");
    }
    for (const Layer layer : c.layers)
      if (!known_layer(static_cast<int>(layer)))
        fail(which + ": unknown layer value " + std::to_string(static_cast<int>(layer)));
  }
}

// One bit per layer (bit = the Layer's value): eight layers fill the byte, and every bit is a known layer.
static_assert(kLayerCount <= 8, "the clusters' layer mask is one byte: widen it (and its stored type) first");
std::uint8_t layer_mask(const std::vector<Layer>& layers) {
  std::uint8_t mask = 0;
  for (const Layer layer : layers) mask = static_cast<std::uint8_t>(mask | (1u << static_cast<unsigned>(layer)));
  return mask;
}

std::string join_layer_names(const CoactionNetwork& network) {
  std::string names;
  for (const LayerEdges& l : network.layers) names += (names.empty() ? "" : ",") + std::string(layer_name(l.layer));
  return names;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  for (std::size_t start = 0;;) {
    const std::size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* data) {
  try {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  } catch (...) {
    return -1;  // stops the iteration; HDF5 cannot carry a C++ exception
  }
}

// Copies every attribute of source's object to the same object in the new file, whatever its type.
void copy_attributes(const Reader& source, const Writer& target, const std::string& object) {
  const std::string what = "copying the attributes of " + object;
  Hid from = source.own(H5Oopen(source.file(), object.c_str(), H5P_DEFAULT), H5Oclose, "cannot open " + object);
  Hid to = target.own(H5Oopen(target.file(), object.c_str(), H5P_DEFAULT), H5Oclose, what);
  std::vector<std::string> names;
  source.ok(H5Aiterate2(from.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_attribute_name, &names),
            "cannot list the attributes of " + object);
  for (const std::string& name : names) {
    const std::string attribute_what = "copying attribute " + object + " " + name;
    Hid attribute = source.own(H5Aopen(from.get(), name.c_str(), H5P_DEFAULT), H5Aclose,
                               "cannot open attribute " + object + " " + name);
    Hid type = source.own(H5Aget_type(attribute.get()), H5Tclose, attribute_what);
    Hid space = source.own(H5Aget_space(attribute.get()), H5Sclose, attribute_what);
    Hid memory = source.own(H5Tget_native_type(type.get(), H5T_DIR_ASCEND), H5Tclose, attribute_what);
    const hssize_t points = H5Sget_simple_extent_npoints(space.get());
    const std::size_t element = H5Tget_size(memory.get());
    if (points < 0 || element == 0) source.fail_hdf5("cannot read the shape of " + object + " " + name);
    Hid copy = target.own(H5Acreate2(to.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                          H5Aclose, attribute_what);
    if (points == 0) continue;
    std::vector<unsigned char> buffer(static_cast<std::size_t>(points) * element);
    source.ok(H5Aread(attribute.get(), memory.get(), buffer.data()), "cannot read " + object + " " + name);
    const herr_t written = H5Awrite(copy.get(), memory.get(), buffer.data());
    // Variable-length values (strings) were allocated by HDF5 on reading: free them whether or not writing worked.
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memory.get(), space.get(), H5P_DEFAULT, buffer.data());
#else
    H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, buffer.data());
#endif
    target.ok(written, attribute_what);
  }
}

// Copies object (a group with everything below it, or a dataset) into the same place in the new file. H5Ocopy copies
// each dataset's chunks as stored, but not its attributes: HDF5 1.10 crashes copying variable-length string
// attributes kept in dense storage (objects with more than 8 attributes), so copy_attributes does that.
void copy_tree(const Reader& source, const Writer& target, const std::string& object) {
  Hid opened = source.own(H5Oopen(source.file(), object.c_str(), H5P_DEFAULT), H5Oclose, "cannot open " + object);
  if (H5Iget_type(opened.get()) == H5I_GROUP) {
    target.group(object);
    copy_attributes(source, target, object);
    for (const std::string& child : child_names(source, object)) copy_tree(source, target, object + "/" + child);
    return;
  }
  Hid options = target.own(H5Pcreate(H5P_OBJECT_COPY), H5Pclose, "copying " + object);
  target.ok(H5Pset_copy_object(options.get(), H5O_COPY_WITHOUT_ATTR_FLAG), "copying " + object);
  target.ok(H5Ocopy(source.file(), object.c_str(), target.file(), object.c_str(), options.get(), H5P_DEFAULT),
            "copying " + object);
  copy_attributes(source, target, object);
}

// Copies the whole store into the new file except /graphs/<replaced> and /results/<replaced>.
void copy_store(const Reader& source, const Writer& target, const std::string& replaced) {
  copy_attributes(source, target, "/");
  bool has_graphs = false;
  bool has_results = false;
  for (const std::string& top : child_names(source, "/")) {
    const std::string object = "/" + top;
    if (top != "graphs" && top != "results") {
      copy_tree(source, target, object);
      continue;
    }
    (top == "graphs" ? has_graphs : has_results) = true;
    source.require_group(object);
    target.group(object);
    copy_attributes(source, target, object);
    for (const std::string& child : child_names(source, object))
      if (child != replaced) copy_tree(source, target, object + "/" + child);
  }
  if (!has_graphs) target.group("/graphs");
  if (!has_results) target.group("/results");
}

template <class T>
void edge_column(const Writer& w, const std::string& object, const char* name, const std::vector<T>& values) {
  w.column(object + "/" + name, values, kChunkRows);
}

// What a stored column is indexed by: edges, the evidence CSR's offsets (edges + 1), or evidence rows.
enum class ColumnRows : std::uint8_t { Edges, EvidenceOffsets, Evidence };

// Calls f(name, column, rows) for each stored per-edge and evidence column of a layer, in stored order.
template <class F>
void for_each_layer_column(const LayerEdges& l, F&& f) {
  f("a", l.a, ColumnRows::Edges);
  f("b", l.b, ColumnRows::Edges);
  f("co_actions", l.co_actions, ColumnRows::Edges);
  f("distinct_targets", l.distinct_targets, ColumnRows::Edges);
  f("a_led", l.a_led, ColumnRows::Edges);
  f("b_led", l.b_led, ColumnRows::Edges);
  f("min_delay_ms", l.min_delay_ms, ColumnRows::Edges);
  f("median_delay_ms", l.median_delay_ms, ColumnRows::Edges);
  f("idf_weight", l.idf_weight, ColumnRows::Edges);
  f("tfidf_cosine", l.tfidf_cosine, ColumnRows::Edges);
  f("common_keys", l.common_keys, ColumnRows::Edges);
  f("expected", l.expected, ColumnRows::Edges);
  f("p_value", l.p_value, ColumnRows::Edges);
  f("sync_p", l.sync_p, ColumnRows::Edges);
  f("cotarget_expected", l.cotarget_expected, ColumnRows::Edges);
  f("cotarget_p", l.cotarget_p, ColumnRows::Edges);
  f("moments", l.moments, ColumnRows::Edges);
  f("kept", l.kept, ColumnRows::Edges);
  if (l.kept_by.size() == l.size()) {
    f("kept_by", l.kept_by, ColumnRows::Edges);
  } else {  // a layer built by hand: its kept edges are stored as kept for a reason not recorded
    std::vector<std::uint8_t> unrecorded(l.size());
    for (std::size_t i = 0; i < l.size(); ++i) unrecorded[i] = l.kept[i] ? static_cast<std::uint8_t>(KeptBy::Unrecorded) : 0;
    f("kept_by", unrecorded, ColumnRows::Edges);
  }
  f("evidence_offsets", l.evidence_offsets, ColumnRows::EvidenceOffsets);
  f("evidence_key", l.evidence_key, ColumnRows::Evidence);
  f("evidence_time_a", l.evidence_time_a, ColumnRows::Evidence);
  f("evidence_time_b", l.evidence_time_b, ColumnRows::Evidence);
  f("evidence_total", l.evidence_total, ColumnRows::Edges);
}

// The rows of a layer that are stored: every row, or (StoredEdges::Kept, when some edge is not kept) the kept edges
// and their evidence rows, with the evidence CSR offsets recomputed over them.
struct StoredRows {
  bool all = true;
  std::vector<std::uint64_t> edges;             // the kept rows, ascending
  std::vector<std::uint64_t> evidence_offsets;  // CSR over `edges` into the gathered evidence rows

  StoredRows(const LayerEdges& l, StoredEdges which) {
    if (which == StoredEdges::All) return;
    const std::size_t m = l.size();
    const std::uint64_t kept = static_cast<std::uint64_t>(std::count(l.kept.begin(), l.kept.end(), std::uint8_t{1}));
    if (kept == m) return;
    all = false;
    edges.reserve(kept);
    evidence_offsets.reserve(kept + 1);
    evidence_offsets.push_back(0);
    for (std::size_t i = 0; i < m; ++i)
      if (l.kept[i] == 1) {
        edges.push_back(i);
        evidence_offsets.push_back(evidence_offsets.back() + (l.evidence_offsets[i + 1] - l.evidence_offsets[i]));
      }
  }

  std::uint64_t rows(const LayerEdges& l, ColumnRows kind) const {
    switch (kind) {
      case ColumnRows::Edges: return all ? l.size() : edges.size();
      case ColumnRows::EvidenceOffsets: return all ? l.size() + 1 : edges.size() + 1;
      case ColumnRows::Evidence: return all ? l.evidence_key.size() : evidence_offsets.back();
    }
    return 0;
  }

  // The stored rows of one of l's columns (only when !all), gathered in parallel.
  template <class T>
  std::vector<T> gather(const LayerEdges& l, const std::vector<T>& values, ColumnRows kind) const {
    if (kind == ColumnRows::EvidenceOffsets) {
      if constexpr (std::is_same_v<T, std::uint64_t>) return evidence_offsets;
    }
    std::vector<T> out(rows(l, kind));
    const auto n = static_cast<std::int64_t>(edges.size());
    if (kind == ColumnRows::Edges) {
#pragma omp parallel for schedule(static)
      for (std::int64_t j = 0; j < n; ++j) out[static_cast<std::size_t>(j)] = values[edges[static_cast<std::size_t>(j)]];
    } else {
#pragma omp parallel for schedule(dynamic, 4096)
      for (std::int64_t j = 0; j < n; ++j) {
        const std::uint64_t i = edges[static_cast<std::size_t>(j)];
        std::copy(values.begin() + static_cast<std::ptrdiff_t>(l.evidence_offsets[i]),
                  values.begin() + static_cast<std::ptrdiff_t>(l.evidence_offsets[i + 1]),
                  out.begin() + static_cast<std::ptrdiff_t>(evidence_offsets[static_cast<std::size_t>(j)]));
      }
    }
    return out;
  }
};

// The bytes of the stored edge and evidence columns: what storing mostly writes (the progress total).
std::uint64_t network_column_bytes(const CoactionNetwork& network, const std::vector<StoredRows>& stored) {
  std::uint64_t bytes = 0;
  for (std::size_t k = 0; k < network.layers.size(); ++k) {
    const LayerEdges& l = network.layers[k];
    for_each_layer_column(l, [&](const char*, const auto& values, ColumnRows kind) {
      bytes += stored[k].rows(l, kind) * sizeof(typename std::decay_t<decltype(values)>::value_type);
    });
  }
  return bytes;
}

void write_layer(const Writer& w, const std::string& name, const LayerEdges& l, const StoredRows& stored) {
  const std::string object = layer_object(name, l.layer);
  const std::uint64_t n_edges = stored.rows(l, ColumnRows::Edges);
  w.group(object);
  w.integer_attribute<std::uint64_t>(object, "n_edges", n_edges);
  w.integer_attribute<std::uint64_t>(object, "n_pairs", l.co_acting_pairs());
  w.string_attribute(object, "edges_stored", n_edges == l.co_acting_pairs() ? "all" : "kept");
  w.integer_attribute<std::uint64_t>(object, "events", l.events);
  w.integer_attribute<std::uint64_t>(object, "pairs_left_out", l.pairs_left_out);
  w.integer_attribute<std::uint64_t>(object, "spilled_runs", l.spilled_runs);
  for_each_layer_column(l, [&](const char* column, const auto& values, ColumnRows kind) {
    if (stored.all) edge_column(w, object, column, values);
    else edge_column(w, object, column, stored.gather(l, values, kind));
  });

  std::vector<std::uint32_t> key;
  std::vector<std::uint64_t> in_window, kept;
  std::vector<std::int64_t> delay;
  for (const CappedKey& c : l.capped_keys) {
    key.push_back(c.key);
    in_window.push_back(c.pairs_in_window);
    kept.push_back(c.pairs_kept);
    delay.push_back(c.delay_kept_ms);
  }
  edge_column(w, object, "capped_key", key);
  edge_column(w, object, "capped_pairs_in_window", in_window);
  edge_column(w, object, "capped_pairs_kept", kept);
  edge_column(w, object, "capped_delay_kept_ms", delay);
}

void write_graph(const Writer& w, const std::string& name, const CoactionNetwork& network,
                 const std::vector<StoredRows>& stored, const std::string& parameters_json,
                 const std::string& created_at) {
  const std::string object = graph_object(name);
  w.group(object);
  w.string_attribute(object, "kind", std::string(kNetworkKind));
  w.integer_attribute<std::int64_t>(object, "window_ms", network.window_ms);
  w.string_attribute(object, "window_method", network.window_estimate.method);
  w.integer_attribute<std::int64_t>(object, "window_estimate_ms", network.window_estimate.window_ms);
  w.integer_attribute<std::uint64_t>(object, "window_keys_used", network.window_estimate.keys_used);
  w.string_attribute(object, "layers", join_layer_names(network));
  w.string_attribute(object, "parameters_json", parameters_json);
  w.string_attribute(object, "created_at", created_at);
  w.string_attribute(object, "cibgraph_version", kVersion);
  w.group(layers_object(name));
  for (std::size_t k = 0; k < network.layers.size(); ++k) write_layer(w, name, network.layers[k], stored[k]);
}

void write_clusters(const Writer& w, const std::string& name, const std::vector<Cluster>& clusters) {
  const std::string result = result_object(name);
  w.group(result);
  w.string_attribute(result, "kind", std::string(kNetworkKind));
  w.string_attribute(result, "graph", graph_object(name));
  const std::string object = clusters_object(name);
  w.group(object);
  w.integer_attribute<std::uint64_t>(object, "n_clusters", clusters.size());

  std::vector<std::uint32_t> id, members, recovered;
  std::vector<std::uint64_t> size, kept_edges, targets, member_offsets{0}, recovered_offsets{0};
  std::vector<double> density, observed, expected, p_value, alpha, sync_p, cotarget_p, cotarget_expected;
  std::vector<std::int64_t> median_delay;
  std::vector<std::uint8_t> coordinated, layers, evidence;
  for (const Cluster& c : clusters) {
    sync_p.push_back(c.sync_p);
    cotarget_p.push_back(c.cotarget_p);
    cotarget_expected.push_back(c.cotarget_expected);
    evidence.push_back(c.evidence);
    id.push_back(c.id);
    size.push_back(c.members.size());
    kept_edges.push_back(c.kept_edges);
    density.push_back(c.density);
    median_delay.push_back(c.median_delay_ms);
    targets.push_back(c.targets);
    observed.push_back(c.observed);
    expected.push_back(c.expected);
    p_value.push_back(c.p_value);
    alpha.push_back(c.alpha);
    coordinated.push_back(c.coordinated ? 1 : 0);
    layers.push_back(layer_mask(c.layers));
    members.insert(members.end(), c.members.begin(), c.members.end());
    member_offsets.push_back(members.size());
    recovered.insert(recovered.end(), c.recovered.begin(), c.recovered.end());
    recovered_offsets.push_back(recovered.size());
  }
  edge_column(w, object, "id", id);
  edge_column(w, object, "size", size);
  edge_column(w, object, "kept_edges", kept_edges);
  edge_column(w, object, "density", density);
  edge_column(w, object, "median_delay_ms", median_delay);
  edge_column(w, object, "targets", targets);
  edge_column(w, object, "observed", observed);
  edge_column(w, object, "expected", expected);
  edge_column(w, object, "p_value", p_value);
  edge_column(w, object, "alpha", alpha);
  edge_column(w, object, "sync_p", sync_p);
  edge_column(w, object, "cotarget_p", cotarget_p);
  edge_column(w, object, "cotarget_expected", cotarget_expected);
  edge_column(w, object, "evidence", evidence);
  edge_column(w, object, "coordinated", coordinated);
  edge_column(w, object, "layers", layers);
  edge_column(w, object, "member_offsets", member_offsets);
  edge_column(w, object, "members", members);
  edge_column(w, object, "recovered_offsets", recovered_offsets);
  edge_column(w, object, "recovered", recovered);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

// Reads columns of one group, each of which must have the given number of rows.
class ColumnReader {
 public:
  ColumnReader(const Reader& reader, std::string object) : reader_(reader), object_(std::move(object)) {}

  template <class T>
  void read(const char* name, std::uint64_t expected_rows, const char* rows_are, std::vector<T>& out) const {
    const Column column = open(name, expected_rows, rows_are, std::is_floating_point_v<T>);
    out = reader_.read_all<T>(column);
  }

  // The number of rows of a column, without reading it.
  std::uint64_t rows(const char* name) const { return reader_.open_column(object_ + "/" + name).rows; }

 private:
  Column open(const char* name, std::uint64_t expected_rows, const char* rows_are, bool floating) const {
    Column column = reader_.open_column(object_ + "/" + name, floating ? ColumnType::Floating : ColumnType::Integer);
    if (column.rows != expected_rows)
      reader_.fail(column.object + " has " + std::to_string(column.rows) + " rows but " + rows_are + " is " +
                   std::to_string(expected_rows));
    return column;
  }

  const Reader& reader_;
  std::string object_;
};

// The stored layers of a network, in stored order, each a known layer name once, matching the layer groups.
std::vector<Layer> stored_layers(const Reader& reader, const std::string& name) {
  const std::string object = graph_object(name);
  std::vector<Layer> layers;
  for (const std::string& part : split_commas(reader.string_attribute(object, "layers"))) {
    const std::optional<Layer> layer = layer_named(part);
    if (!layer) reader.fail(object + " lists an unknown layer '" + shorten(part) + "'");
    for (const Layer seen : layers)
      if (seen == *layer) reader.fail(object + " lists layer " + part + " twice");
    layers.push_back(*layer);
  }
  reader.require_group(layers_object(name));
  for (const std::string& child : child_names(reader, layers_object(name))) {
    const std::optional<Layer> layer = layer_named(child);
    if (!layer) reader.fail(layers_object(name) + " holds an unknown layer '" + shorten(child) + "'");
    if (std::find(layers.begin(), layers.end(), *layer) == layers.end())
      reader.fail(layers_object(name) + "/" + child + " is not listed in the layers attribute of " + object);
  }
  for (const Layer layer : layers) reader.require_group(layer_object(name, layer));
  return layers;
}

// A stored layer's co-acting pairs: its n_pairs attribute, or its n_edges rows in stores written before n_pairs
// (which held every pair).
std::uint64_t stored_pairs(const Reader& reader, const std::string& object, std::uint64_t n_edges) {
  return reader.has_attribute(object, "n_pairs") ? reader.integer_attribute<std::uint64_t>(object, "n_pairs") : n_edges;
}

LayerEdges read_layer(const Reader& reader, const std::string& name, Layer layer, const Dictionaries& d) {
  const std::string object = layer_object(name, layer);
  LayerEdges l;
  l.layer = layer;
  const std::uint64_t m = reader.integer_attribute<std::uint64_t>(object, "n_edges");
  l.events = reader.integer_attribute<std::uint64_t>(object, "events");
  l.pairs_left_out = reader.integer_attribute<std::uint64_t>(object, "pairs_left_out");
  l.spilled_runs = reader.integer_attribute<std::uint64_t>(object, "spilled_runs");
  const ColumnReader columns(reader, object);
  columns.read("a", m, "n_edges", l.a);
  columns.read("b", m, "n_edges", l.b);
  columns.read("co_actions", m, "n_edges", l.co_actions);
  columns.read("distinct_targets", m, "n_edges", l.distinct_targets);
  columns.read("a_led", m, "n_edges", l.a_led);
  columns.read("b_led", m, "n_edges", l.b_led);
  columns.read("min_delay_ms", m, "n_edges", l.min_delay_ms);
  columns.read("median_delay_ms", m, "n_edges", l.median_delay_ms);
  columns.read("idf_weight", m, "n_edges", l.idf_weight);
  columns.read("tfidf_cosine", m, "n_edges", l.tfidf_cosine);
  columns.read("common_keys", m, "n_edges", l.common_keys);
  columns.read("expected", m, "n_edges", l.expected);
  columns.read("p_value", m, "n_edges", l.p_value);
  // The two tests of the edge (stores written before the co-targeting test hold only p_value, the habits test's).
  if (reader.exists(object + "/cotarget_p")) {
    columns.read("sync_p", m, "n_edges", l.sync_p);
    columns.read("cotarget_expected", m, "n_edges", l.cotarget_expected);
    columns.read("cotarget_p", m, "n_edges", l.cotarget_p);
    columns.read("moments", m, "n_edges", l.moments);
  } else {
    l.sync_p = l.p_value;
    l.cotarget_expected.assign(m, 0.0);
    l.cotarget_p.assign(m, 1.0);
    l.moments = l.distinct_targets;
  }
  columns.read("kept", m, "n_edges", l.kept);
  // Why each edge is kept (stores written before kept_by: its kept edges read as kept for a reason not recorded).
  if (reader.exists(object + "/kept_by")) {
    columns.read("kept_by", m, "n_edges", l.kept_by);
  } else {
    l.kept_by.resize(l.kept.size());
    for (std::size_t i = 0; i < l.kept.size(); ++i)
      l.kept_by[i] = l.kept[i] ? static_cast<std::uint8_t>(KeptBy::Unrecorded) : 0;
  }
  columns.read("evidence_total", m, "n_edges", l.evidence_total);
  if (m == std::numeric_limits<std::uint64_t>::max()) reader.fail(object + " n_edges is impossibly large");
  columns.read("evidence_offsets", m + 1, "n_edges + 1", l.evidence_offsets);
  const std::uint64_t evidence = columns.rows("evidence_key");
  columns.read("evidence_key", evidence, "the length of evidence_key", l.evidence_key);
  columns.read("evidence_time_a", evidence, "the length of evidence_key", l.evidence_time_a);
  columns.read("evidence_time_b", evidence, "the length of evidence_key", l.evidence_time_b);

  const std::uint64_t capped = columns.rows("capped_key");
  std::vector<std::uint32_t> key;
  std::vector<std::uint64_t> in_window, kept;
  std::vector<std::int64_t> delay;
  columns.read("capped_key", capped, "the length of capped_key", key);
  columns.read("capped_pairs_in_window", capped, "the length of capped_key", in_window);
  columns.read("capped_pairs_kept", capped, "the length of capped_key", kept);
  columns.read("capped_delay_kept_ms", capped, "the length of capped_key", delay);
  l.capped_keys.resize(capped);
  for (std::size_t j = 0; j < capped; ++j) l.capped_keys[j] = CappedKey{key[j], in_window[j], kept[j], delay[j]};

  check_layer(l, d, [&](const std::string& what) { reader.fail(object + ": " + what); });
  const std::uint64_t pairs = stored_pairs(reader, object, m);
  const std::string stored =
      reader.has_attribute(object, "edges_stored") ? reader.string_attribute(object, "edges_stored") : "all";
  if (stored == "all") {
    if (pairs != m) reader.fail(object + " stores all edges, but n_pairs (" + std::to_string(pairs) +
                                ") is not n_edges (" + std::to_string(m) + ")");
  } else if (stored == "kept") {
    if (pairs < m) reader.fail(object + " n_pairs (" + std::to_string(pairs) + ") is less than n_edges (" +
                               std::to_string(m) + ")");
    const auto row = std::find(l.kept.begin(), l.kept.end(), std::uint8_t{0});
    if (row != l.kept.end())
      reader.fail(object + " stores only kept edges, but the edge at row " +
                  std::to_string(row - l.kept.begin()) + " is not kept");
  } else {
    reader.fail(object + " edges_stored is '" + shorten(stored) + "', neither 'all' nor 'kept'");
  }
  l.unstored_pairs = pairs - m;
  return l;
}

std::vector<Cluster> read_clusters(const Reader& reader, const std::string& name, const Dictionaries& d) {
  reader.require_group(result_object(name));
  const std::string object = clusters_object(name);
  reader.require_group(object);
  const std::uint64_t n = reader.integer_attribute<std::uint64_t>(object, "n_clusters");
  if (n == std::numeric_limits<std::uint64_t>::max()) reader.fail(object + " n_clusters is impossibly large");
  const ColumnReader columns(reader, object);
  std::vector<std::uint32_t> id, members, recovered;
  std::vector<std::uint64_t> size, kept_edges, targets, member_offsets, recovered_offsets;
  std::vector<double> density, observed, expected, p_value, alpha, sync_p, cotarget_p, cotarget_expected;
  std::vector<std::int64_t> median_delay;
  std::vector<std::uint8_t> coordinated, layers, evidence;
  columns.read("id", n, "n_clusters", id);
  // Which evidence flagged each cluster (stores written before the co-targeting test: the habits test alone).
  if (reader.exists(object + "/evidence")) {
    columns.read("sync_p", n, "n_clusters", sync_p);
    columns.read("cotarget_p", n, "n_clusters", cotarget_p);
    columns.read("cotarget_expected", n, "n_clusters", cotarget_expected);
    columns.read("evidence", n, "n_clusters", evidence);
  }
  columns.read("size", n, "n_clusters", size);
  columns.read("kept_edges", n, "n_clusters", kept_edges);
  columns.read("density", n, "n_clusters", density);
  columns.read("median_delay_ms", n, "n_clusters", median_delay);
  columns.read("targets", n, "n_clusters", targets);
  columns.read("observed", n, "n_clusters", observed);
  columns.read("expected", n, "n_clusters", expected);
  columns.read("p_value", n, "n_clusters", p_value);
  columns.read("alpha", n, "n_clusters", alpha);
  columns.read("coordinated", n, "n_clusters", coordinated);
  columns.read("layers", n, "n_clusters", layers);
  columns.read("member_offsets", n + 1, "n_clusters + 1", member_offsets);
  columns.read("members", columns.rows("members"), "the length of members", members);
  columns.read("recovered_offsets", n + 1, "n_clusters + 1", recovered_offsets);
  columns.read("recovered", columns.rows("recovered"), "the length of recovered", recovered);
  if (recovered_offsets[0] != 0) reader.fail(object + "/recovered_offsets does not start at 0");
  for (std::size_t k = 0; k < n; ++k)
    if (recovered_offsets[k + 1] < recovered_offsets[k])
      reader.fail(object + "/recovered_offsets decreases at row " + std::to_string(k + 1));
  if (recovered_offsets[n] != recovered.size())
    reader.fail(object + "/recovered_offsets ends at " + std::to_string(recovered_offsets[n]) + " but recovered has " +
                std::to_string(recovered.size()) + " rows");

  if (member_offsets[0] != 0) reader.fail(object + "/member_offsets does not start at 0");
  for (std::size_t k = 0; k < n; ++k)
    if (member_offsets[k + 1] < member_offsets[k])
      reader.fail(object + "/member_offsets decreases at row " + std::to_string(k + 1));
  if (member_offsets[n] != members.size())
    reader.fail(object + "/member_offsets ends at " + std::to_string(member_offsets[n]) + " but members has " +
                std::to_string(members.size()) + " rows");
  std::vector<Cluster> clusters(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::string row = " at row " + std::to_string(k);
    if (size[k] != member_offsets[k + 1] - member_offsets[k])
      reader.fail(object + "/size" + row + " is not the number of members in member_offsets");
    if (coordinated[k] > 1) reader.fail(object + "/coordinated is neither 0 nor 1" + row);
    if (layers[k] >> kLayerCount != 0) reader.fail(object + "/layers has bits of unknown layers" + row);
    Cluster& c = clusters[k];
    c.id = id[k];
    c.members.assign(members.begin() + static_cast<std::ptrdiff_t>(member_offsets[k]),
                     members.begin() + static_cast<std::ptrdiff_t>(member_offsets[k + 1]));
    c.kept_edges = kept_edges[k];
    c.density = density[k];
    // Not a column of its own: density is tied pairs / possible pairs, exact for any count below 2^52.
    const double possible = static_cast<double>(size[k]) * (static_cast<double>(size[k]) - 1) / 2;
    c.tied_pairs = static_cast<std::uint64_t>(std::llround(std::max(0.0, c.density) * possible));
    for (int layer = 0; layer < kLayerCount; ++layer)
      if ((layers[k] >> layer) & 1u) c.layers.push_back(static_cast<Layer>(layer));
    c.median_delay_ms = median_delay[k];
    c.targets = targets[k];
    c.observed = observed[k];
    c.expected = expected[k];
    c.p_value = p_value[k];
    c.alpha = alpha[k];
    c.coordinated = coordinated[k] == 1;
    if (evidence.empty()) {
      c.sync_p = c.p_value;
      c.evidence = c.coordinated ? Cluster::kSynchrony : 0;
    } else {
      if (evidence[k] > 3) reader.fail(object + "/evidence has unknown bits" + row);
      c.sync_p = sync_p[k];
      c.cotarget_p = cotarget_p[k];
      c.cotarget_expected = cotarget_expected[k];
      c.evidence = evidence[k];
    }
    c.recovered.assign(recovered.begin() + static_cast<std::ptrdiff_t>(recovered_offsets[k]),
                       recovered.begin() + static_cast<std::ptrdiff_t>(recovered_offsets[k + 1]));
    if (!std::includes(c.members.begin(), c.members.end(), c.recovered.begin(), c.recovered.end()))
      reader.fail(object + "/recovered" + row + " are not members of the cluster (or not ascending)");
  }
  check_clusters(clusters, d.accounts, [&](const std::string& what) { reader.fail(object + ": " + what); });
  return clusters;
}

// The co-action networks in /graphs: groups whose kind attribute is "coaction".
std::vector<std::string> network_names(const Reader& reader) {
  std::vector<std::string> names;
  if (!reader.exists("/graphs")) return names;
  reader.require_group("/graphs");
  for (const std::string& child : child_names(reader, "/graphs")) {
    const std::string object = graph_object(child);
    Hid opened = reader.own(H5Oopen(reader.file(), object.c_str(), H5P_DEFAULT), H5Oclose, "cannot open " + object);
    if (H5Iget_type(opened.get()) != H5I_GROUP || !reader.has_attribute(object, "kind")) continue;
    if (reader.string_attribute(object, "kind") == kNetworkKind) names.push_back(child);
  }
  return names;
}

std::uint64_t count_ones(const std::vector<std::uint8_t>& flags) {
  std::uint64_t n = 0;
  for (const std::uint8_t flag : flags) n += flag != 0;
  return n;
}

std::vector<NetworkSummary> summarise_networks(const Reader& reader) {
  std::vector<NetworkSummary> summaries;
  for (const std::string& name : network_names(reader)) {
    NetworkSummary summary;
    summary.name = name;
    for (const Layer layer : stored_layers(reader, name)) {
      summary.layers.emplace_back(layer_name(layer));
      const std::string object = layer_object(name, layer);
      const std::uint64_t m = reader.integer_attribute<std::uint64_t>(object, "n_edges");
      std::vector<std::uint8_t> kept;
      ColumnReader(reader, object).read("kept", m, "n_edges", kept);
      summary.edges += stored_pairs(reader, object, m);
      summary.stored_edges += m;
      summary.kept_edges += count_ones(kept);
    }
    const std::string clusters = clusters_object(name);
    reader.require_group(clusters);
    summary.clusters = reader.integer_attribute<std::uint64_t>(clusters, "n_clusters");
    std::vector<std::uint8_t> coordinated;
    ColumnReader(reader, clusters).read("coordinated", summary.clusters, "n_clusters", coordinated);
    summary.coordinated_clusters = count_ones(coordinated);
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

}  // namespace
}  // namespace store_internal

using namespace store_internal;

void write_network(const std::string& path, const std::string& name, const CoactionNetwork& network,
                   const std::vector<Cluster>& clusters, const std::string& parameters_json,
                   const ProgressCallback& progress, StoredEdges edges) {
  check_name(name);
  const std::string created_at = now_iso8601();
  guarded(path, [&] {
    const Reader source(path);
    const Dictionaries d = dictionary_sizes(source);
    const auto refuse = [&](const std::string& what) {
      throw Error(in_file(path), "refusing to write network '" + name + "': " + what);
    };
    check_network(network, d, refuse);
    check_clusters(clusters, d.accounts, refuse);
    replace_file(path, [&](const std::string& temporary) {
      Hid file = create_store_file(path, temporary);
      Writer target(path, file.get());
      copy_store(source, target, name);
      std::vector<StoredRows> stored;
      for (const LayerEdges& l : network.layers) stored.emplace_back(l, edges);
      const std::uint64_t total = network_column_bytes(network, stored);
      report_progress(progress, "storing", 0, total);
      target.track(progress, "storing", total);
      write_graph(target, name, network, stored, parameters_json, created_at);
      write_clusters(target, name, clusters);
      if (!file.close()) target.fail("closing " + temporary);
      report_progress(progress, "storing", total, total);
    });
  });
}

NetworkRecord read_network(const std::string& path, const std::string& name) {
  check_name(name);
  return guarded(path, [&] {
    const Reader reader(path);
    const Dictionaries d = dictionary_sizes(reader);
    const std::string object = graph_object(name);
    if (!reader.exists(object)) {
      std::string stored;
      for (const std::string& n : network_names(reader)) stored += (stored.empty() ? "" : ", ") + n;
      throw InputError(in_file(path), "no network named '" + name + "' (stored: " +
                                          (stored.empty() ? std::string("none") : stored) + ")");
    }
    reader.require_group(object);
    if (!reader.has_attribute(object, "kind")) reader.fail(object + " has no kind attribute: not a network");
    const std::string kind = reader.string_attribute(object, "kind");
    if (kind != kNetworkKind)
      reader.fail(object + " is a '" + shorten(kind) + "' graph, not a co-action network");

    NetworkRecord record;
    CoactionNetwork& network = record.network;
    network.window_ms = reader.integer_attribute<std::int64_t>(object, "window_ms");
    network.window_estimate.method = reader.string_attribute(object, "window_method");
    network.window_estimate.window_ms = reader.integer_attribute<std::int64_t>(object, "window_estimate_ms");
    network.window_estimate.keys_used = reader.integer_attribute<std::uint64_t>(object, "window_keys_used");
    record.parameters_json = reader.string_attribute(object, "parameters_json");
    record.created_at = reader.string_attribute(object, "created_at");
    reader.string_attribute(object, "cibgraph_version");
    for (const Layer layer : stored_layers(reader, name)) network.layers.push_back(read_layer(reader, name, layer, d));
    record.clusters = read_clusters(reader, name, d);
    return record;
  });
}

std::vector<std::string> list_networks(const std::string& path) {
  return guarded(path, [&] {
    const Reader reader(path);
    return network_names(reader);
  });
}

StoreContents inspect_contents(const std::string& path) {
  return guarded(path, [&] {
    const Reader reader(path);
    StoreContents contents;
    static_cast<StoreInfo&>(contents) = inspect_store(reader, path);
    contents.networks = summarise_networks(reader);
    return contents;
  });
}

void verify_store(const std::string& path) {
  (void)inspect_contents(path);
  (void)read_events(path);
  for (const std::string& name : list_networks(path)) (void)read_network(path, name);
}

std::string describe(const StoreContents& contents) {
  std::vector<InfoLine> lines;
  if (contents.networks.empty()) lines.push_back({"networks", "(none)"});
  for (const NetworkSummary& n : contents.networks) {
    std::string layers;
    for (const std::string& l : n.layers) layers += (layers.empty() ? "" : ", ") + l;
    lines.push_back({"network", n.name + " (" + (layers.empty() ? std::string("no layers") : layers) + "): " +
                                    format_counted(n.edges, "co-acting pair") + ", " + format_count(n.kept_edges) +
                                    " kept" +
                                    (n.stored_edges == n.edges ? std::string(" (all stored); ")
                                                               : std::string(" (kept stored); ")) +
                                    format_counted(n.clusters, "cluster") + ", " +
                                    format_count(n.coordinated_clusters) + " coordinated"});
  }
  return describe(static_cast<const StoreInfo&>(contents), lines);
}

}  // namespace cibgraph
