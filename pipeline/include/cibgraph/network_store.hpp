#pragma once
// Co-action networks and their clusters in the HDF5 store, beside the events they were built from, so that one file
// holds events, networks, findings and provenance. docs/hdf5-layout.md describes the groups (/graphs/<name> for the
// network's layers, edges and evidence; /results/<name>/clusters for the clusters) so that h5py alone reads them.
//
// Writing adds to a store written by write_events: the file is verified as every reader verifies it (integrity
// record, format attributes), then copied object by object into path + ".tmp" with the new network in place of any
// of the same name, sealed and renamed over path. A replaced network leaves no dead space behind, and a crash leaves
// the old file intact. Reading trusts nothing: lengths, CSR offsets, account ids (against the file's own account
// dictionary), keys, layer names and flags are all checked; a failed check is a FormatError naming the file and the
// check, a missing file or network an InputError.
//
// Null-model inputs (LayerEdges::null_inputs) are not stored: they are rebuilt from the events when needed.
#include <string>
#include <vector>

#include "cibgraph/coaction.hpp"
#include "cibgraph/progress.hpp"
#include "cibgraph/significance.hpp"
#include "cibgraph/store.hpp"

namespace cibgraph {

struct NetworkRecord {
  CoactionNetwork network;        // every stored layer's edges, evidence and capped keys; null_inputs left empty
  std::vector<Cluster> clusters;  // in stored order; each cluster's layers in Layer order
  std::string parameters_json;    // what the caller gave write_network, verbatim
  std::string created_at;         // ISO 8601 UTC, when write_network ran
};

// Which edges a stored layer holds. Kept (the default): the kept edges with their evidence, and the count of all
// co-acting pairs (LayerEdges::unstored_pairs on reading); the pairs the filter left out are not stored, which at
// 10^7 events is 90% of the rows (43 M pairs, 4.4 M kept). All: every co-acting pair with its p-value and evidence,
// kept or not, for studying the filter itself.
enum class StoredEdges : std::uint8_t { Kept, All };

// Adds (or replaces) the network `name` and its clusters in the store at path, which must exist and have been written
// by write_events. The name is one HDF5 path component: not empty, not "." or "..", without '/' or NUL (UsageError).
// Throws Error (not writing anything) when the network is inconsistent (column lengths, offsets, a >= b, flags) or
// names accounts or keys beyond the file's dictionaries; InputError / FormatError when the file is missing or not
// a valid store. `progress` (optional) hears {"storing", bytes of edge and evidence columns written, their total,
// "bytes"} after each column; returning false stops the work and throws Interrupted, and the file stays as it was
// (the new store is written to a temporary file that replaces it only when complete).
void write_network(const std::string& path, const std::string& name, const CoactionNetwork& network,
                   const std::vector<Cluster>& clusters, const std::string& parameters_json,
                   const ProgressCallback& progress = {}, StoredEdges edges = StoredEdges::Kept);

// Reads and checks the network `name` and its clusters.
NetworkRecord read_network(const std::string& path, const std::string& name);

// The names of the co-action networks stored in the file, sorted.
std::vector<std::string> list_networks(const std::string& path);

// A stored co-action network, as `cibgraph info` lists it.
struct NetworkSummary {
  std::string name;
  std::vector<std::string> layers;  // layer names, in stored order
  std::uint64_t edges = 0;          // co-acting pairs, over all layers
  std::uint64_t stored_edges = 0;   // the rows stored: all pairs, or only the kept edges (StoredEdges)
  std::uint64_t kept_edges = 0;
  std::uint64_t clusters = 0;
  std::uint64_t coordinated_clusters = 0;
};

// What `cibgraph info` prints: the store (inspect(), store.hpp) and, by name, each stored network's layers' edge counts
// and kept flags and its clusters' coordinated flags, read in one pass over the file.
struct StoreContents : StoreInfo {
  std::vector<NetworkSummary> networks;  // by name
};

StoreContents inspect_contents(const std::string& path);

// Reads the whole store as its readers do: the events with their dictionaries and provenance (read_events), then
// every stored network with its clusters (read_network); throws what the first failing reader would. The check of
// `cibgraph seal` and cibgraph.seal_store, so that a file any reader would refuse is never sealed.
void verify_store(const std::string& path);

// StoreContents as `cibgraph info` prints it: describe(StoreInfo) with a line for each network (or "(none)").
std::string describe(const StoreContents& contents);

}  // namespace cibgraph
