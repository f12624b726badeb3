#pragma once
// The HDF5 store: one file holds an EventTable, its string dictionaries and where it came from (Provenance),
// with room reserved for graphs and results. The layout is documented in docs/hdf5-layout.md so that a file can
// be read with h5py alone.
//
// Reading trusts nothing in the file. Each file starts with an integrity record (its size and SHA-256, in a 512-byte
// HDF5 user block) that is checked before HDF5 parses anything, because HDF5 1.10 crashes on some corruptions
// instead of reporting them. Then every attribute, type, rank and length is checked, dictionaries go through
// StringDictionary::from_storage and the table through EventTable::validate. A missing file is an InputError;
// a file that is not ours, truncated or corrupted is a FormatError naming the file and what failed.
//
// The HDF5 library is not thread-safe: these functions serialise themselves on one mutex, and nothing else in
// cibgraph may call HDF5 from several threads.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cibgraph/event_table.hpp"
#include "cibgraph/provenance.hpp"

namespace cibgraph {

// The layout version this build writes and the only one it reads.
inline constexpr std::int64_t kStoreFormatVersion = 1;

// Writes events and provenance to path, replacing any file there. The file is written to path + ".tmp" and renamed
// over path when complete, so a crash never leaves a half-written store under the real name. Throws Error when
// the table is invalid or the file cannot be written.
void write_events(const std::string& path, const EventTable& events, const Provenance& provenance);

// What seal_store changed: the integrity record before (size 0 and an empty digest when the file had none, or a
// damaged one) and after.
struct SealReport {
  std::uint64_t recorded_size = 0;
  std::string recorded_sha256;
  std::uint64_t size = 0;
  std::string sha256;
  bool changed() const { return recorded_size != size || recorded_sha256 != sha256; }
};

// Recomputes the integrity record of a store file that was changed in place on purpose (e.g. an attribute added with
// h5py), so that cibgraph loads it again (`cibgraph seal`, Python cibgraph.seal_store). The file must have been
// written by cibgraph (it needs the 512-byte user block). `verify` (optional) then reads the sealed file as every
// reader would; when it throws, the old record is put back (the file is again refused as it was) and the error
// propagates, so a file HDF5 or cibgraph cannot read is never sealed.
SealReport seal_store(const std::string& path, const std::function<void()>& verify = {});

struct StoredEvents {
  EventTable events;
  Provenance provenance;
};

// Reads and validates everything write_events stored.
StoredEvents read_events(const std::string& path);

// Reads only the provenance (no event columns).
Provenance read_provenance(const std::string& path);

struct ActionCount {
  std::string action;
  std::uint64_t events = 0;
};

// What `cibgraph info` prints of the store itself. inspect() checks the integrity record, then reads the metadata, the
// dictionaries' sizes, the action dictionary and the action and time columns (in blocks); it does not load the whole
// table. What other rooms keep in the store they summarise themselves (network_store.hpp: inspect_contents).
struct StoreInfo {
  std::string path;
  std::uint64_t file_size_bytes = 0;
  std::int64_t format_version = 0;
  std::string cibgraph_version;  // the cibgraph that wrote the file
  std::uint64_t events = 0;
  std::uint64_t accounts = 0;
  std::uint64_t targets = 0;
  std::uint64_t texts = 0;
  std::vector<ActionCount> actions;  // every action in the dictionary, in code order, with its event count
  bool has_target_time = false;
  std::int64_t time_min = kNoTime;  // over events whose time is not kNoTime; kNoTime when there are none
  std::int64_t time_max = kNoTime;
  Provenance provenance;
  std::vector<std::string> groups;  // top-level groups, by name
};

StoreInfo inspect(const std::string& path);

// One line of describe(): a label and its value.
struct InfoLine {
  std::string label;
  std::string value;
};

// StoreInfo as the multi-line text `cibgraph info` prints (times as ISO 8601 UTC). `stored` are the lines of what
// rooms above the store keep in it (network_store.hpp: the co-action networks), printed after the groups.
std::string describe(const StoreInfo& info, const std::vector<InfoLine>& stored = {});

}  // namespace cibgraph
