// The HDF5 store of events, dictionaries and provenance; docs/hdf5-layout.md describes the file. Every HDF5 id lives
// in an Hid so no path leaks one, every return value is checked, and reading verifies types, ranks and lengths before
// it allocates anything. What every store file shares (the integrity record in the user block and why it exists,
// the Writer and Reader, the atomic replace) is in store_internal.hpp; networks are in network_store.cpp, which uses it.
#include "cibgraph/store.hpp"

#include <charconv>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <libdeflate.h>

#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>

#include "cibgraph/format.hpp"
#include "cibgraph/time.hpp"
#include "cibgraph/version.hpp"
#include "in_order.hpp"
#include "store_internal.hpp"

namespace cibgraph::store_internal {

namespace {

// HDF5's Fletcher-32 (H5_checksum_fletcher32): big-endian 16-bit words, sums folded every 360 words, an odd last
// byte taken as the high byte of a word.
std::uint32_t fletcher32(const unsigned char* data, std::size_t bytes) {
  std::uint32_t sum1 = 0, sum2 = 0;
  std::size_t words = bytes / 2;
  while (words > 0) {
    std::size_t block = std::min<std::size_t>(words, 360);
    words -= block;
    do {
      sum1 += static_cast<std::uint32_t>((data[0] << 8) | data[1]);
      data += 2;
      sum2 += sum1;
    } while (--block);
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  if (bytes % 2) {
    sum1 += static_cast<std::uint32_t>(*data << 8);
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  return (sum2 << 16) | sum1;
}

}  // namespace

void encode_chunk(const unsigned char* data, std::size_t bytes, std::size_t element_size, std::vector<unsigned char>& out) {
  // Shuffle: byte j of element i goes to j * elements + i (HDF5 leaves 1-byte types and single elements as they are,
  // and copies the bytes past the last whole element at the end).
  std::vector<unsigned char> shuffled;
  const unsigned char* source = data;
  const std::size_t elements = bytes / element_size;
  if (element_size > 1 && elements > 1) {
    shuffled.resize(bytes);
    for (std::size_t j = 0; j < element_size; ++j) {
      unsigned char* plane = shuffled.data() + j * elements;
      for (std::size_t i = 0; i < elements; ++i) plane[i] = data[i * element_size + j];
    }
    std::memcpy(shuffled.data() + elements * element_size, data + elements * element_size, bytes - elements * element_size);
    source = shuffled.data();
  }
  // One libdeflate compressor per thread, at level 1; its zlib-format output is what HDF5's deflate filter inflates.
  struct FreeCompressor {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
  };
  thread_local std::unique_ptr<libdeflate_compressor, FreeCompressor> compressor(libdeflate_alloc_compressor(1));
  if (!compressor) throw std::bad_alloc();
  out.resize(libdeflate_zlib_compress_bound(compressor.get(), bytes) + 4);
  const std::size_t packed = libdeflate_zlib_compress(compressor.get(), source, bytes, out.data(), out.size() - 4);
  if (packed == 0) throw std::runtime_error("libdeflate could not compress a chunk");
  const std::uint32_t sum = fletcher32(out.data(), packed);
  for (int b = 0; b < 4; ++b) out[packed + static_cast<std::size_t>(b)] = static_cast<unsigned char>(sum >> (8 * b));
  out.resize(packed + 4);
}

bool write_chunks_in_parallel(hid_t dataset, const void* data, std::size_t rows, std::size_t element_size,
                              hsize_t chunk_rows, hsize_t& failed_chunk) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  const auto chunks = static_cast<std::int64_t>((rows + chunk_rows - 1) / chunk_rows);
  // Chunks are encoded on every thread and written in order, one HDF5 call at a time (the library is not
  // thread-safe): the same chunks, in the same order, as H5Dwrite would write.
  return internal::in_order<std::vector<unsigned char>>(
      chunks,
      [&](std::int64_t c, std::vector<unsigned char>& encoded) {
        const std::size_t first = static_cast<std::size_t>(c) * chunk_rows;
        const std::size_t count = std::min<std::size_t>(chunk_rows, rows - first);
        const std::size_t full = chunk_rows * element_size;
        if (count == chunk_rows) {
          encode_chunk(bytes + first * element_size, full, element_size, encoded);
        } else {  // the last chunk, padded with the fill value (zeros) as HDF5 stores it
          std::vector<unsigned char> padded(full, 0);
          std::memcpy(padded.data(), bytes + first * element_size, count * element_size);
          encode_chunk(padded.data(), full, element_size, encoded);
        }
      },
      [&](std::int64_t c, const std::vector<unsigned char>& encoded) {
        const hsize_t offset = static_cast<hsize_t>(c) * chunk_rows;
        if (H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, &offset, encoded.size(), encoded.data()) >= 0) return true;
        failed_chunk = offset;
        return false;
      });
}

}  // namespace cibgraph::store_internal

namespace cibgraph {
namespace {

using namespace store_internal;

constexpr hsize_t kChunkBytes = hsize_t{1} << 20;      // dictionary bytes
constexpr std::string_view kTimeUnit = "ms since 1970-01-01T00:00:00Z";

// "0000", "0001", …: input groups sort by name in input order up to 9999 inputs.
std::string input_name(std::size_t i) {
  std::string digits = std::to_string(i);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return digits;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

// Writer of the store's own groups: the events, their dictionaries and provenance.
class StoreWriter : public Writer {
 public:
  using Writer::Writer;

  void dictionary(const std::string& object, const StringDictionary& d) const {
    group(object);
    column(object + "/bytes", reinterpret_cast<const std::uint8_t*>(d.bytes().data()), d.bytes().size(), kChunkBytes);
    column(object + "/offsets", d.offsets(), kChunkRows);
  }

  void provenance_attributes(const std::string& object, const InputProvenance& input) const {
    string_attribute(object, "path", input.path);
    string_attribute(object, "sha256", input.sha256);
    integer_attribute<std::uint64_t>(object, "size_bytes", input.size_bytes);
    string_attribute(object, "format", input.format);
    integer_attribute<std::uint64_t>(object, "rows_read", input.rows_read);
    integer_attribute<std::uint64_t>(object, "rows_accepted", input.rows_accepted);
    integer_attribute<std::uint64_t>(object, "rows_rejected", input.rows_rejected);
    integer_attribute<std::uint64_t>(object, "blank_lines", input.blank_lines);
    if (input.rows_without_target)
      integer_attribute<std::uint64_t>(object, "rows_without_target", input.rows_without_target);
  }

  void contents(const EventTable& events, const Provenance& provenance) const {
    string_attribute("/", "format", std::string(kFormatName));
    integer_attribute<std::int64_t>("/", "format_version", kStoreFormatVersion);
    string_attribute("/", "cibgraph_version", kVersion);

    group("/events");
    integer_attribute<std::uint64_t>("/events", "n_events", events.size());
    string_attribute("/events", "time_unit", std::string(kTimeUnit));
    integer_attribute<std::uint32_t>("/events", "no_text", kNoText);
    integer_attribute<std::int64_t>("/events", "no_time", kNoTime);
    column("/events/account", events.account, kChunkRows);
    column("/events/action", events.action, kChunkRows);
    column("/events/target", events.target, kChunkRows);
    column("/events/time", events.time, kChunkRows);
    column("/events/text", events.text, kChunkRows);
    if (events.has_target_time()) column("/events/target_time", events.target_time, kChunkRows);

    group("/dictionaries");
    dictionary("/dictionaries/accounts", events.accounts);
    dictionary("/dictionaries/actions", events.actions);
    dictionary("/dictionaries/targets", events.targets);
    dictionary("/dictionaries/texts", events.texts);

    group("/provenance");
    string_attribute("/provenance", "mapping_json", provenance.mapping_json);
    string_attribute("/provenance", "cibgraph_version", provenance.cibgraph_version);
    string_attribute("/provenance", "ingested_at", provenance.ingested_at);
    integer_attribute<std::uint64_t>("/provenance", "rows_read", provenance.rows_read);
    integer_attribute<std::uint64_t>("/provenance", "rows_accepted", provenance.rows_accepted);
    integer_attribute<std::uint64_t>("/provenance", "rows_rejected", provenance.rows_rejected);
    integer_attribute<std::uint64_t>("/provenance", "events", provenance.events);
    if (provenance.rows_without_target)
      integer_attribute<std::uint64_t>("/provenance", "rows_without_target", provenance.rows_without_target);
    group("/provenance/inputs");
    for (std::size_t i = 0; i < provenance.inputs.size(); ++i) {
      const std::string object = "/provenance/inputs/" + input_name(i);
      group(object);
      provenance_attributes(object, provenance.inputs[i]);
    }

    group("/graphs");   // reserved: graph builders will store CSR graphs here
    group("/results");  // reserved: findings (clusters, scores, evidence)
  }

};

void write_file(const std::string& path, const std::string& temporary, const EventTable& events,
                const Provenance& provenance) {
  Hid file = create_store_file(path, temporary);
  const StoreWriter writer(path, file.get());
  writer.contents(events, provenance);
  if (!file.close()) writer.fail("closing " + temporary);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

struct EventsGroup {
  std::uint64_t n_events = 0;
  Column account, action, target, time, text, target_time;
  bool has_target_time = false;
};

// Checks /events' attributes and opens its columns, which must all hold n_events rows.
EventsGroup open_events(const Reader& reader) {
  reader.require_group("/events");
  EventsGroup events;
  events.n_events = reader.integer_attribute<std::uint64_t>("/events", "n_events");
  if (reader.string_attribute("/events", "time_unit") != kTimeUnit)
    reader.fail("/events time_unit is not '" + std::string(kTimeUnit) + "'");
  if (reader.integer_attribute<std::uint32_t>("/events", "no_text") != kNoText)
    reader.fail("/events no_text is not " + std::to_string(kNoText));
  if (reader.integer_attribute<std::int64_t>("/events", "no_time") != kNoTime)
    reader.fail("/events no_time is not " + std::to_string(kNoTime));
  auto open = [&](const char* name) {
    Column column = reader.open_column(std::string("/events/") + name);
    if (column.rows != events.n_events)
      reader.fail(column.object + " has " + std::to_string(column.rows) + " rows but n_events is " +
                  std::to_string(events.n_events));
    return column;
  };
  events.account = open("account");
  events.action = open("action");
  events.target = open("target");
  events.time = open("time");
  events.text = open("text");
  events.has_target_time = reader.exists("/events/target_time");
  if (events.has_target_time) events.target_time = open("target_time");
  return events;
}

StringDictionary read_dictionary(const Reader& reader, const std::string& name) {
  const std::string object = "/dictionaries/" + name;
  reader.require_group(object);
  const Column offsets = reader.open_column(object + "/offsets");
  const Column bytes = reader.open_column(object + "/bytes");
  if (offsets.rows == 0) reader.fail(object + "/offsets is empty; it holds one more entry than the dictionary");
  std::vector<std::uint64_t> offset_values = reader.read_all<std::uint64_t>(offsets);
  std::string byte_values = reader.read_bytes(bytes);
  try {
    return StringDictionary::from_storage(std::move(byte_values), std::move(offset_values));
  } catch (const FormatError& e) {
    reader.fail(object + ": " + e.what());
  }
}


Provenance read_provenance_group(const Reader& reader) {
  reader.require_group("/provenance");
  Provenance provenance;
  provenance.mapping_json = reader.string_attribute("/provenance", "mapping_json");
  provenance.cibgraph_version = reader.string_attribute("/provenance", "cibgraph_version");
  provenance.ingested_at = reader.string_attribute("/provenance", "ingested_at");
  provenance.rows_read = reader.integer_attribute<std::uint64_t>("/provenance", "rows_read");
  provenance.rows_accepted = reader.integer_attribute<std::uint64_t>("/provenance", "rows_accepted");
  provenance.rows_rejected = reader.integer_attribute<std::uint64_t>("/provenance", "rows_rejected");
  provenance.events = reader.integer_attribute<std::uint64_t>("/provenance", "events");
  // Written when non-zero (wide exports, ingest.hpp); older stores lack it.
  if (reader.has_attribute("/provenance", "rows_without_target"))
    provenance.rows_without_target = reader.integer_attribute<std::uint64_t>("/provenance", "rows_without_target");
  reader.require_group("/provenance/inputs");
  const std::uint64_t inputs = reader.child_count("/provenance/inputs");
  for (std::uint64_t i = 0; i < inputs; ++i) {
    const std::string object = "/provenance/inputs/" + input_name(i);
    if (!reader.exists(object))
      reader.fail("/provenance/inputs holds " + std::to_string(inputs) + " entries but no " + object +
                  " (inputs are numbered from 0000)");
    reader.require_group(object);
    InputProvenance input;
    input.path = reader.string_attribute(object, "path");
    input.sha256 = reader.string_attribute(object, "sha256");
    input.size_bytes = reader.integer_attribute<std::uint64_t>(object, "size_bytes");
    input.format = reader.string_attribute(object, "format");
    input.rows_read = reader.integer_attribute<std::uint64_t>(object, "rows_read");
    input.rows_accepted = reader.integer_attribute<std::uint64_t>(object, "rows_accepted");
    input.rows_rejected = reader.integer_attribute<std::uint64_t>(object, "rows_rejected");
    input.blank_lines = reader.integer_attribute<std::uint64_t>(object, "blank_lines");
    if (reader.has_attribute(object, "rows_without_target"))
      input.rows_without_target = reader.integer_attribute<std::uint64_t>(object, "rows_without_target");
    provenance.inputs.push_back(std::move(input));
  }
  return provenance;
}


std::vector<std::string> top_level_groups(const Reader& reader) {
  std::vector<std::string> names;
  reader.ok(H5Literate(reader.file(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_hard_link, &names),
            "cannot list the top-level groups");
  std::vector<std::string> groups;
  for (const std::string& name : names) {
    Hid object = reader.own(H5Oopen(reader.file(), name.c_str(), H5P_DEFAULT), H5Oclose, "cannot open /" + name);
    if (H5Iget_type(object.get()) == H5I_GROUP) groups.push_back(name);
  }
  return groups;
}

}  // namespace

void write_events(const std::string& path, const EventTable& events, const Provenance& provenance) {
  try {
    events.validate();
  } catch (const FormatError& e) {
    throw Error(in_file(path), std::string("refusing to write an invalid event table: ") + e.what());
  }
  Hdf5Session session;
  replace_file(path, [&](const std::string& temporary) { write_file(path, temporary, events, provenance); });
}

SealReport seal_store(const std::string& path, const std::function<void()>& verify) {
  SealReport report;
  std::string old_block(kUserBlockSize, '\0');
  {
    const PosixFile file(path, O_RDONLY);
    if (!file.is_open()) throw InputError(in_file(path), std::string("cannot open: ") + std::strerror(errno));
    if (!file.read_at(0, old_block.data(), old_block.size())) old_block.clear();
  }
  // The old record, when there is one to read ("size N\nsha256 HEX\n" after the magic).
  if (old_block.starts_with(kIntegrityMagic)) {
    std::string_view rest = std::string_view(old_block).substr(kIntegrityMagic.size());
    if (rest.starts_with("size ")) {
      rest.remove_prefix(5);
      const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), report.recorded_size);
      const std::size_t digits = static_cast<std::size_t>(end - rest.data());
      if (error == std::errc() && rest.substr(digits).starts_with("\nsha256 "))
        report.recorded_sha256 = std::string(rest.substr(digits + 8, 64));
    }
  }
  seal(path);
  {
    const PosixFile file(path, O_RDONLY);
    const std::optional<std::uint64_t> size = file.size();
    report.size = size.value_or(0);
    const auto digest = digest_after_user_block(file, report.size);
    report.sha256 = digest.value_or("");
  }
  if (verify) {
    try {
      verify();
    } catch (...) {
      if (!old_block.empty()) {
        const PosixFile file(path, O_RDWR);
        if (file.is_open()) {
          (void)file.write_at(0, old_block.data(), old_block.size());
          (void)::fsync(file.fd());
        }
      }
      throw;
    }
  }
  return report;
}

StoredEvents read_events(const std::string& path) {
  return guarded(path, [&] {
    const Reader reader(path);
    const EventsGroup columns = open_events(reader);
    StoredEvents stored;
    EventTable& table = stored.events;
    table.accounts = read_dictionary(reader, "accounts");
    table.actions = read_dictionary(reader, "actions");
    table.targets = read_dictionary(reader, "targets");
    table.texts = read_dictionary(reader, "texts");
    table.account = reader.read_all<std::uint32_t>(columns.account);
    table.action = reader.read_all<std::uint8_t>(columns.action);
    table.target = reader.read_all<std::uint32_t>(columns.target);
    table.time = reader.read_all<std::int64_t>(columns.time);
    table.text = reader.read_all<std::uint32_t>(columns.text);
    if (columns.has_target_time) table.target_time = reader.read_all<std::int64_t>(columns.target_time);
    try {
      table.validate();
    } catch (const FormatError& e) {
      reader.fail(std::string("/events: ") + e.what());
    }
    stored.provenance = read_provenance_group(reader);
    return stored;
  });
}

Provenance read_provenance(const std::string& path) {
  return guarded(path, [&] {
    const Reader reader(path);
    return read_provenance_group(reader);
  });
}

StoreInfo store_internal::inspect_store(const Reader& reader, const std::string& path) {
  StoreInfo info;
  info.path = path;
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  info.file_size_bytes = ec ? 0 : static_cast<std::uint64_t>(size);
  info.format_version = reader.format_version();
  info.cibgraph_version = reader.written_by();

  const EventsGroup columns = open_events(reader);
  info.events = columns.n_events;
  info.has_target_time = columns.has_target_time;
  info.accounts = dictionary_size(reader, "accounts");
  info.targets = dictionary_size(reader, "targets");
  info.texts = dictionary_size(reader, "texts");
  const StringDictionary actions = read_dictionary(reader, "actions");
  if (actions.size() > kMaxActions) reader.fail("/dictionaries/actions holds more than 255 actions");

  std::vector<std::uint64_t> counts(actions.size(), 0);
  std::vector<std::uint8_t> codes;
  std::vector<std::int64_t> times;
  for (hsize_t first = 0; first < columns.n_events; first += kReadBlockRows) {
    const hsize_t count = std::min<hsize_t>(kReadBlockRows, columns.n_events - first);
    codes.resize(count);
    times.resize(count);
    reader.read_rows(columns.action, first, count, codes.data());
    reader.read_rows(columns.time, first, count, times.data());
    for (hsize_t i = 0; i < count; ++i) {
      if (codes[i] >= counts.size())
        reader.fail("/events: action code out of range at row " + std::to_string(first + i));
      ++counts[codes[i]];
      if (times[i] == kNoTime) continue;
      if (info.time_min == kNoTime || times[i] < info.time_min) info.time_min = times[i];
      if (info.time_max == kNoTime || times[i] > info.time_max) info.time_max = times[i];
    }
  }
  for (std::uint32_t code = 0; code < actions.size(); ++code)
    info.actions.push_back(ActionCount{std::string(actions[code]), counts[code]});

  info.provenance = read_provenance_group(reader);
  info.groups = top_level_groups(reader);
  return info;
}

StoreInfo inspect(const std::string& path) {
  return guarded(path, [&] {
    const Reader reader(path);
    return store_internal::inspect_store(reader, path);
  });
}

std::string describe(const StoreInfo& info, const std::vector<InfoLine>& stored) {
  std::string out;
  auto line = [&](std::string_view label, const std::string& value) {
    out += label;
    out.append(label.size() < 18 ? 18 - label.size() : 1, ' ');
    out += value;
    out += '\n';
  };
  line("file", info.path + " (" + format_count(info.file_size_bytes) + " bytes)");
  line("format", "cibgraph store version " + std::to_string(info.format_version) + ", written by cibgraph " +
                     info.cibgraph_version);
  line("events", format_count(info.events) + (info.has_target_time ? " (with target_time)" : ""));
  line("accounts", format_count(info.accounts));
  line("targets", format_count(info.targets));
  line("texts", format_count(info.texts));
  std::string actions;
  for (const ActionCount& a : info.actions)
    actions += (actions.empty() ? "" : ", ") + a.action + " " + format_count(a.events);
  line("actions", actions.empty() ? "(none)" : actions);
  line("time range", info.time_min == kNoTime ? "(no events)"
                                              : format_iso8601(info.time_min, Millis::Always) + " to " + format_iso8601(info.time_max, Millis::Always));
  std::string groups;
  for (const std::string& g : info.groups) groups += (groups.empty() ? "/" : ", /") + g;
  line("groups", groups);
  for (const InfoLine& l : stored) line(l.label, l.value);
  const Provenance& p = info.provenance;
  const auto or_unknown = [](const std::string& s) { return s.empty() ? std::string("(unknown)") : s; };
  line("ingested", or_unknown(p.ingested_at) + " by cibgraph " + or_unknown(p.cibgraph_version));
  line("rows", "read " + format_count(p.rows_read) + ", accepted " + format_count(p.rows_accepted) +
                   ", rejected " + format_count(p.rows_rejected) + "; events " + format_count(p.events) +
                   (p.rows_without_target
                        ? "; " + format_counted(p.rows_without_target, "accepted row") + " without target"
                        : std::string()));
  for (std::size_t i = 0; i < p.inputs.size(); ++i) {
    const InputProvenance& in = p.inputs[i];
    line("input " + std::to_string(i), in.path + " (" + in.format + ", " + format_count(in.size_bytes) +
                                           " bytes, sha256 " + in.sha256 + ")");
    line("", "read " + format_count(in.rows_read) + ", accepted " + format_count(in.rows_accepted) +
                 ", rejected " + format_count(in.rows_rejected) + ", blank lines " + format_count(in.blank_lines));
  }
  line("mapping", p.mapping_json.empty() ? "(none)" : p.mapping_json);
  return out;
}

}  // namespace cibgraph
