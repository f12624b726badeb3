// The HDF5 store round-trips every column, dictionary and provenance field, and refuses missing, truncated,
// corrupted, foreign and inconsistent files with an exception rather than a crash. SHA-256 against known vectors.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/event_table.hpp"
#include "cibgraph/provenance.hpp"
#include "cibgraph/sha256.hpp"
#include "cibgraph/store.hpp"
#include "cibgraph/version.hpp"
#include "test_support.hpp"
// White box: the chunk encoder and parallel chunk writer behind every stored column.
#include "../../../core/internal/store_internal.hpp"

namespace cibgraph {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = fs::temp_directory_path() /
            ("cibgraph-store-test-" + std::to_string(stamp) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

using cibgraph::test_support::thrown_message;
using namespace std::string_literals;

EventTable sample_table(bool with_target_time) {
  EventTable t;
  const std::uint32_t alice = t.accounts.intern("alice");
  const std::uint32_t bob = t.accounts.intern("bøb 🐝");
  const std::uint32_t carol = t.accounts.intern("");  // an empty string is a valid dictionary entry
  const std::uint32_t share = static_cast<std::uint8_t>(t.actions.intern("share"));
  const std::uint32_t reply = static_cast<std::uint8_t>(t.actions.intern("reply"));
  const std::uint32_t post1 = t.targets.intern("https://example.org/p/1");
  const std::uint32_t post2 = t.targets.intern("#ハッシュタグ");
  const std::uint32_t text1 = t.texts.intern("same text\0with NUL"s);
  const std::uint32_t text2 = t.texts.intern("\0"s);
  const std::uint32_t text3 = t.texts.intern("Grüße, мир\n\ttab");
  struct Row {
    std::uint32_t account, action, target;
    std::int64_t time;
    std::uint32_t text;
    std::int64_t target_time;
  };
  const std::vector<Row> rows = {
      {alice, share, post1, 1'700'000'000'000, text1, 1'699'999'999'000},
      {bob, share, post1, 1'700'000'000'250, text1, 1'699'999'999'000},
      {carol, reply, post2, -86'400'001, kNoText, kNoTime},
      {alice, reply, post2, std::numeric_limits<std::int64_t>::max(), text2, std::numeric_limits<std::int64_t>::max()},
      {bob, share, post2, 0, text3, kNoTime},
  };
  for (const Row& r : rows) {
    t.account.push_back(r.account);
    t.action.push_back(static_cast<std::uint8_t>(r.action));
    t.target.push_back(r.target);
    t.time.push_back(r.time);
    t.text.push_back(r.text);
    if (with_target_time) t.target_time.push_back(r.target_time);
  }
  t.validate();
  return t;
}

Provenance sample_provenance() {
  Provenance p;
  p.mapping_json = R"({"account":"user","time":{"column":"ts","format":"iso8601"},"note":"ünïcødé"})";
  p.cibgraph_version = "0.1.0";
  p.ingested_at = "2026-11-28T09:31:42Z";
  p.rows_read = 9;
  p.rows_accepted = 5;
  p.rows_rejected = 4;
  p.events = 5;
  p.inputs.push_back({"data/a.csv", std::string(64, 'a'), 1234, "csv", 6, 4, 2, 1});
  p.inputs.push_back({"data/b ü.jsonl.gz", std::string(64, 'b'), 99, "jsonl", 3, 1, 2, 0});
  return p;
}

void expect_dictionary_equal(const StringDictionary& a, const StringDictionary& b) {
  EXPECT_EQ(a.bytes(), b.bytes());
  EXPECT_EQ(a.offsets(), b.offsets());
  ASSERT_EQ(a.size(), b.size());
  for (std::uint32_t i = 0; i < a.size(); ++i) EXPECT_EQ(b.find(a[i]), i);
}

void expect_table_equal(const EventTable& a, const EventTable& b) {
  EXPECT_EQ(a.account, b.account);
  EXPECT_EQ(a.action, b.action);
  EXPECT_EQ(a.target, b.target);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.target_time, b.target_time);
  expect_dictionary_equal(a.accounts, b.accounts);
  expect_dictionary_equal(a.actions, b.actions);
  expect_dictionary_equal(a.targets, b.targets);
  expect_dictionary_equal(a.texts, b.texts);
}


std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Replaces one dataset in an existing store with values of type file_type, through the HDF5 C API.
template <class T>
void replace_dataset(const std::string& path, const char* name, hid_t file_type, hid_t memory_type,
                     const std::vector<T>& values) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  ASSERT_GE(H5Ldelete(file, name, H5P_DEFAULT), 0);
  const hsize_t n = values.size();
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t dataset = H5Dcreate2(file, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(dataset, 0);
  ASSERT_GE(H5Dwrite(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
  H5Dclose(dataset);
  H5Sclose(space);
  ASSERT_GE(H5Fclose(file), 0);
  seal_store(path);  // a deliberate change: re-seal so the checks behind the integrity record are reached
}

TEST(StoreTest, RoundTripsEveryColumnDictionaryAndProvenance) {
  TempDir dir;
  const std::string path = dir.file("events.h5");
  const EventTable table = sample_table(true);
  const Provenance provenance = sample_provenance();
  write_events(path, table, provenance);
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  const StoredEvents stored = read_events(path);
  expect_table_equal(table, stored.events);
  EXPECT_EQ(stored.provenance, provenance);
  EXPECT_EQ(stored.events.texts[0], "same text\0with NUL"s);
  EXPECT_EQ(stored.events.texts[1], "\0"s);
  EXPECT_EQ(read_provenance(path), provenance);
}

TEST(StoreTest, RoundTripsWithoutTargetTime) {
  TempDir dir;
  const std::string path = dir.file("no-target-time.h5");
  const EventTable table = sample_table(false);
  write_events(path, table, sample_provenance());
  const StoredEvents stored = read_events(path);
  EXPECT_FALSE(stored.events.has_target_time());
  expect_table_equal(table, stored.events);
}

TEST(StoreTest, RoundTripsEmptyTable) {
  TempDir dir;
  const std::string path = dir.file("empty.h5");
  const EventTable empty;
  write_events(path, empty, Provenance{});
  const StoredEvents stored = read_events(path);
  EXPECT_TRUE(stored.events.empty());
  EXPECT_TRUE(stored.events.accounts.empty());
  EXPECT_TRUE(stored.events.texts.empty());
  EXPECT_EQ(stored.provenance, Provenance{});

  const StoreInfo info = inspect(path);
  EXPECT_EQ(info.events, 0u);
  EXPECT_EQ(info.time_min, kNoTime);
  EXPECT_TRUE(info.actions.empty());
}

TEST(StoreTest, RoundTripsMoreRowsThanOneChunk) {
  TempDir dir;
  const std::string path = dir.file("big.h5");
  EventTable table;
  for (int i = 0; i < 1000; ++i) table.accounts.intern("account" + std::to_string(i));
  table.actions.intern("share");
  table.actions.intern("like");
  table.targets.intern("t");
  const std::size_t n = (std::size_t{1} << 20) + 17;  // two chunks, the second partial
  table.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    table.account.push_back(static_cast<std::uint32_t>(i * 7919 % 1000));
    table.action.push_back(static_cast<std::uint8_t>(i % 3 == 0));
    table.target.push_back(0);
    table.time.push_back(static_cast<std::int64_t>(i) * 1000 - 5);
    table.text.push_back(kNoText);
  }
  write_events(path, table, Provenance{});
  const StoredEvents stored = read_events(path);
  expect_table_equal(table, stored.events);

  const StoreInfo info = inspect(path);
  EXPECT_EQ(info.events, n);
  ASSERT_EQ(info.actions.size(), 2u);
  EXPECT_EQ(info.actions[1].events, (n + 2) / 3);
  EXPECT_EQ(info.actions[0].events + info.actions[1].events, n);
  EXPECT_EQ(info.time_min, -5);
  EXPECT_EQ(info.time_max, static_cast<std::int64_t>(n - 1) * 1000 - 5);
}

// Our chunk pipeline encodes what HDF5's own (shuffle, deflate 1, Fletcher-32) encodes, chunk for chunk, for every
// column type, a partial last chunk, odd chunk sizes and a single chunk: the same shuffled bytes inside each deflate
// stream (libdeflate's stream differs from zlib's, not what it inflates to), the same filter mask, and the values
// read back through HDF5's filters, which check every chunk's Fletcher-32.
template <class T>
void expect_chunks_as_hdf5_writes(hid_t file, const std::string& name, std::size_t rows, hsize_t chunk_rows) {
  std::vector<T> values(rows);
  std::uint64_t state = 88172645463325252ull;  // xorshift: varied bytes, some runs, so deflate has work to do
  for (std::size_t i = 0; i < rows; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    values[i] = static_cast<T>(i % 7 == 0 ? i : state % 1000003);
  }
  const hsize_t n = rows, chunk = std::min<hsize_t>(n, chunk_rows);
  auto dataset = [&](const std::string& path) {
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t create = H5Pcreate(H5P_DATASET_CREATE);
    EXPECT_GE(H5Pset_chunk(create, 1, &chunk), 0);
    EXPECT_GE(H5Pset_shuffle(create), 0);
    EXPECT_GE(H5Pset_deflate(create, 1), 0);
    EXPECT_GE(H5Pset_fletcher32(create), 0);
    const hid_t d = H5Dcreate2(file, path.c_str(), store_internal::file_type<T>(), space, H5P_DEFAULT, create, H5P_DEFAULT);
    H5Pclose(create);
    H5Sclose(space);
    return d;
  };
  const hid_t theirs = dataset(name + "_hdf5"), ours = dataset(name + "_ours");
  ASSERT_GE(H5Dwrite(theirs, store_internal::native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
  hsize_t failed = 0;
  ASSERT_TRUE(store_internal::write_chunks_in_parallel(ours, values.data(), rows, sizeof(T), chunk, failed));
  for (hsize_t offset = 0; offset < n; offset += chunk) {
    hsize_t size_theirs = 0, size_ours = 0;
    ASSERT_GE(H5Dget_chunk_storage_size(theirs, &offset, &size_theirs), 0);
    ASSERT_GE(H5Dget_chunk_storage_size(ours, &offset, &size_ours), 0);
    std::vector<unsigned char> a(size_theirs), b(size_ours);
    std::uint32_t mask_theirs = 99, mask_ours = 99;
    ASSERT_GE(H5Dread_chunk(theirs, H5P_DEFAULT, &offset, &mask_theirs, a.data()), 0);
    ASSERT_GE(H5Dread_chunk(ours, H5P_DEFAULT, &offset, &mask_ours, b.data()), 0);
    EXPECT_EQ(mask_ours, mask_theirs);
    EXPECT_EQ(mask_ours, 0u);
    // Strip the 4-byte checksum and inflate: the shuffled chunks must be the same bytes.
    auto inflate = [&](const std::vector<unsigned char>& stored) {
      std::vector<unsigned char> plain(chunk * sizeof(T) + 1);
      uLongf length = plain.size();
      EXPECT_EQ(uncompress(plain.data(), &length, stored.data(), stored.size() - 4), Z_OK) << name;
      plain.resize(length);
      return plain;
    };
    const auto plain_theirs = inflate(a), plain_ours = inflate(b);
    EXPECT_EQ(plain_ours.size(), chunk * sizeof(T));
    EXPECT_TRUE(plain_ours == plain_theirs) << name << " chunk at " << offset;
  }
  std::vector<T> back(rows);
  ASSERT_GE(H5Dread(ours, store_internal::native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), 0);
  EXPECT_TRUE(back == values) << name;
  H5Dclose(theirs);
  H5Dclose(ours);
}

TEST(StoreTest, ParallelChunkWritesDecodeAsHdf5sOwnFilters) {
  TempDir dir;
  const std::string path = dir.file("chunks.h5");
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  expect_chunks_as_hdf5_writes<std::uint8_t>(file, "u8", 10'000, 1'000);        // 1-byte type: no shuffle
  expect_chunks_as_hdf5_writes<std::uint32_t>(file, "u32", 10'123, 1'000);      // partial last chunk
  expect_chunks_as_hdf5_writes<std::int64_t>(file, "i64", 7'777, 999);          // odd chunk size
  expect_chunks_as_hdf5_writes<std::uint64_t>(file, "u64", 5'000, 5'000);       // one chunk
  expect_chunks_as_hdf5_writes<double>(file, "f64", 3'001, 1'000);
  expect_chunks_as_hdf5_writes<std::uint32_t>(file, "one_row", 1, 1'000);
  H5Fclose(file);
}

TEST(StoreTest, OverwritesAnExistingFile) {
  TempDir dir;
  const std::string path = dir.file("events.h5");
  write_file_bytes(path, "an old file that is not HDF5");
  write_events(path, sample_table(true), sample_provenance());
  write_events(path, sample_table(false), Provenance{});
  EXPECT_FALSE(read_events(path).events.has_target_time());
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(StoreTest, RefusesToWriteAnInvalidTable) {
  TempDir dir;
  const std::string path = dir.file("invalid.h5");
  EventTable table = sample_table(true);
  table.account[0] = 99;
  EXPECT_THROW(write_events(path, table, Provenance{}), Error);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(StoreTest, WriteIntoMissingDirectoryIsAnError) {
  TempDir dir;
  const std::string path = dir.file("no/such/dir/events.h5");
  const std::string message = thrown_message<Error>([&] { write_events(path, sample_table(true), Provenance{}); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
}

TEST(StoreTest, MissingFileIsAnInputErrorNamingIt) {
  TempDir dir;
  const std::string path = dir.file("missing.h5");
  const std::string message = thrown_message<InputError>([&] { read_events(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_THROW(read_provenance(path), InputError);
  EXPECT_THROW(inspect(path), InputError);
}

TEST(StoreTest, TruncatedFileIsAFormatError) {
  TempDir dir;
  const std::string path = dir.file("events.h5");
  write_events(path, sample_table(true), sample_provenance());
  const std::string bytes = read_file_bytes(path);
  ASSERT_GT(bytes.size(), 200u);
  for (std::size_t size : {bytes.size() / 2, std::size_t{100}, std::size_t{8}, std::size_t{0}, bytes.size() - 1}) {
    SCOPED_TRACE("truncated to " + std::to_string(size) + " bytes");
    const std::string truncated = dir.file("truncated.h5");
    write_file_bytes(truncated, bytes.substr(0, size));
    const std::string message = thrown_message<FormatError>([&] { read_events(truncated); });
    EXPECT_NE(message.find(truncated), std::string::npos) << message;
    if (size >= 100) {
      EXPECT_NE(message.find("truncated"), std::string::npos) << message;
    }
    EXPECT_THROW(inspect(truncated), FormatError);
    EXPECT_THROW(read_provenance(truncated), FormatError);
  }
}

// A table large enough that the middle of the file is compressed column data.
EventTable table_with_rows(std::size_t n) {
  EventTable table = sample_table(true);
  for (std::size_t i = 0; i < n; ++i) {
    table.account.push_back(static_cast<std::uint32_t>(i % 3));
    table.action.push_back(static_cast<std::uint8_t>(i % 2));
    table.target.push_back(static_cast<std::uint32_t>(i % 2));
    table.time.push_back(static_cast<std::int64_t>(i * i));
    table.text.push_back(i % 5 == 0 ? kNoText : static_cast<std::uint32_t>(i % 3));
    table.target_time.push_back(static_cast<std::int64_t>(i));
  }
  return table;
}

TEST(StoreTest, CorruptedMiddleIsAnError) {
  TempDir dir;
  const std::string path = dir.file("events.h5");
  write_events(path, table_with_rows(20000), sample_provenance());
  std::string bytes = read_file_bytes(path);
  for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 16; ++i) bytes[i] = static_cast<char>(~bytes[i]);
  write_file_bytes(path, bytes);
  const std::string message = thrown_message<FormatError>([&] { read_events(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
}

// Flipping any byte, anywhere (user block, superblock, object headers, HDF5's unchecksummed global heap, chunks,
// free space), is caught before HDF5 parses the file: HDF5 1.10 itself crashes on some of these.
TEST(StoreTest, EveryFlippedByteIsAFormatError) {
  TempDir dir;
  const std::string path = dir.file("events.h5");
  write_events(path, table_with_rows(50), sample_provenance());
  const std::string original = read_file_bytes(path);
  const std::string corrupted = dir.file("corrupted.h5");
  const std::size_t step = std::max<std::size_t>(1, original.size() / 500);
  for (std::size_t pos = 0; pos < original.size(); pos += pos < 600 ? 1 : step) {
    std::string bytes = original;
    bytes[pos] = static_cast<char>(bytes[pos] ^ 0x5a);
    write_file_bytes(corrupted, bytes);
    EXPECT_THROW(read_events(corrupted), FormatError) << "byte " << pos;
    EXPECT_THROW(inspect(corrupted), FormatError) << "byte " << pos;
  }
}

TEST(StoreTest, ChangedWithoutResealingIsAFormatError) {
  TempDir dir;
  const std::string path = dir.file("changed.h5");
  write_events(path, sample_table(true), sample_provenance());
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t group = H5Gcreate2(file, "/results/mine", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(group, 0);
    H5Gclose(group);
    ASSERT_GE(H5Fclose(file), 0);
  }
  const std::string message = thrown_message<FormatError>([&] { read_events(path); });
  EXPECT_NE(message.find("corrupted"), std::string::npos) << message;
  EXPECT_NE(message.find("cibgraph seal FILE"), std::string::npos) << message;
  seal_store(path);
  EXPECT_EQ(read_events(path).provenance, sample_provenance());
}

TEST(StoreTest, SealingAFileWithoutUserBlockIsAnError) {
  TempDir dir;
  const std::string path = dir.file("plain.h5");
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  ASSERT_GE(H5Fclose(file), 0);
  // An input error (exit code 3 in the CLI), naming the file.
  const std::string message = thrown_message<InputError>([&] { seal_store(path); });
  EXPECT_NE(message.find("user block"), std::string::npos) << message;
  EXPECT_NE(message.find("plain.h5"), std::string::npos) << message;
  EXPECT_THROW(seal_store(dir.file("missing.h5")), Error);
}

TEST(StoreTest, TextFileIsAFormatError) {
  TempDir dir;
  const std::string path = dir.file("events.csv");
  write_file_bytes(path, "account,time\nalice,2024-01-01\n");
  const std::string message = thrown_message<FormatError>([&] { read_events(path); });
  EXPECT_NE(message.find("not an HDF5 file"), std::string::npos) << message;
}

TEST(StoreTest, DirectoryIsAnInputError) {
  TempDir dir;
  fs::create_directories(dir.file("a-directory.h5"));
  EXPECT_THROW(read_events(dir.file("a-directory.h5")), InputError);
}

TEST(StoreTest, ForeignHdf5FileIsAFormatError) {
  TempDir dir;
  const std::string path = dir.file("foreign.h5");
  {
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hsize_t n = 3;
    const double values[3] = {1.5, 2.5, 3.5};
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t dataset =
        H5Dcreate2(file, "temperature", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(dataset, 0);
    ASSERT_GE(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), 0);
    H5Dclose(dataset);
    H5Sclose(space);
    ASSERT_GE(H5Fclose(file), 0);
  }
  const std::string message = thrown_message<FormatError>([&] { read_events(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("not a cibgraph file (no 'format' attribute)"), std::string::npos) << message;
  EXPECT_THROW(inspect(path), FormatError);
  EXPECT_THROW(read_provenance(path), FormatError);
}

TEST(StoreTest, NewerFormatVersionIsAFormatError) {
  TempDir dir;
  const std::string path = dir.file("future.h5");
  write_events(path, sample_table(true), sample_provenance());
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t attribute = H5Aopen_by_name(file, "/", "format_version", H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(attribute, 0);
    const std::int64_t version = 2;
    ASSERT_GE(H5Awrite(attribute, H5T_NATIVE_INT64, &version), 0);
    H5Aclose(attribute);
    ASSERT_GE(H5Fclose(file), 0);
  }
  seal_store(path);
  const std::string message = thrown_message<FormatError>([&] { read_events(path); });
  EXPECT_NE(message.find("newer cibgraph"), std::string::npos) << message;
}

TEST(StoreTest, EventIdsBeyondTheDictionaryAreAFormatError) {
  TempDir dir;
  const std::string path = dir.file("bad-ids.h5");
  const EventTable table = sample_table(true);
  write_events(path, table, sample_provenance());
  {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t dataset = H5Dopen2(file, "/events/account", H5P_DEFAULT);
    ASSERT_GE(dataset, 0);
    std::vector<std::uint32_t> accounts(table.size(), 0);
    accounts[3] = 1000;  // the dictionary holds 3 accounts
    ASSERT_GE(H5Dwrite(dataset, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, accounts.data()), 0);
    H5Dclose(dataset);
    ASSERT_GE(H5Fclose(file), 0);
  }
  seal_store(path);
  const std::string message = thrown_message<FormatError>([&] { read_events(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("account id out of range at row 3"), std::string::npos) << message;
}

TEST(StoreTest, ColumnsOfDifferentLengthsAreAFormatError) {
  TempDir dir;
  const std::string path = dir.file("short-column.h5");
  write_events(path, sample_table(true), sample_provenance());
  replace_dataset<std::int64_t>(path, "/events/time", H5T_STD_I64LE, H5T_NATIVE_INT64, {1, 2, 3});
  const std::string message = thrown_message<FormatError>([&] { read_events(path); });
  EXPECT_NE(message.find("/events/time has 3 rows but n_events is 5"), std::string::npos) << message;
}

TEST(StoreTest, FloatingPointColumnIsAFormatError) {
  TempDir dir;
  const std::string path = dir.file("float-column.h5");
  write_events(path, sample_table(true), sample_provenance());
  replace_dataset<double>(path, "/events/time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {1, 2, 3, 4, 5});
  const std::string message = thrown_message<FormatError>([&] { read_events(path); });
  EXPECT_NE(message.find("/events/time is not an integer dataset"), std::string::npos) << message;
}

TEST(StoreTest, OtherIntegerTypesLoadWhenValuesFitAndFailWhenNot) {
  TempDir dir;
  const std::string path = dir.file("int64-accounts.h5");
  const EventTable table = sample_table(true);
  write_events(path, table, sample_provenance());
  // What h5py writes by default for a Python list of ints: int64.
  std::vector<std::int64_t> wide(table.account.begin(), table.account.end());
  replace_dataset(path, "/events/account", H5T_STD_I64BE, H5T_NATIVE_INT64, wide);
  expect_table_equal(table, read_events(path).events);

  wide[2] = -1;
  replace_dataset(path, "/events/account", H5T_STD_I64LE, H5T_NATIVE_INT64, wide);
  const std::string message = thrown_message<FormatError>([&] { read_events(path); });
  EXPECT_NE(message.find("/events/account holds values that do not fit uint32"), std::string::npos) << message;
}

TEST(StoreTest, BadDictionaryOffsetsAreAFormatError) {
  TempDir dir;
  const std::string path = dir.file("bad-offsets.h5");
  write_events(path, sample_table(true), sample_provenance());
  replace_dataset<std::uint64_t>(path, "/dictionaries/accounts/offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                                 {0, 5, 3, 1000});
  const std::string message = thrown_message<FormatError>([&] { read_events(path); });
  EXPECT_NE(message.find("/dictionaries/accounts"), std::string::npos) << message;
}

TEST(StoreTest, InspectSummarisesTheFile) {
  TempDir dir;
  const std::string path = dir.file("events.h5");
  write_events(path, sample_table(true), sample_provenance());
  const StoreInfo info = inspect(path);
  EXPECT_EQ(info.path, path);
  EXPECT_EQ(info.file_size_bytes, fs::file_size(path));
  EXPECT_EQ(info.format_version, kStoreFormatVersion);
  EXPECT_EQ(info.cibgraph_version, std::string(kVersion));
  EXPECT_EQ(info.events, 5u);
  EXPECT_EQ(info.accounts, 3u);
  EXPECT_EQ(info.targets, 2u);
  EXPECT_EQ(info.texts, 3u);
  ASSERT_EQ(info.actions.size(), 2u);
  EXPECT_EQ(info.actions[0].action, "share");
  EXPECT_EQ(info.actions[0].events, 3u);
  EXPECT_EQ(info.actions[1].action, "reply");
  EXPECT_EQ(info.actions[1].events, 2u);
  EXPECT_TRUE(info.has_target_time);
  EXPECT_EQ(info.time_min, -86'400'001);
  EXPECT_EQ(info.time_max, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(info.provenance, sample_provenance());
  EXPECT_EQ(info.groups, (std::vector<std::string>{"dictionaries", "events", "graphs", "provenance", "results"}));

  const std::string text = describe(info);
  EXPECT_NE(text.find("share 3, reply 2"), std::string::npos) << text;
  EXPECT_NE(text.find("1969-12-30T23:59:59.999Z"), std::string::npos) << text;
  EXPECT_NE(text.find("data/a.csv"), std::string::npos) << text;
  // Counts spelled as everywhere else (format.hpp): thousands separators, the noun agreeing.
  EXPECT_NE(text.find("data/a.csv (csv, 1,234 bytes"), std::string::npos) << text;
  EXPECT_NE(text.find("read 9, accepted 5, rejected 4; events 5"), std::string::npos) << text;
  EXPECT_EQ(text.find("1234"), std::string::npos) << text;
  EXPECT_NE(text.find("/dictionaries, /events, /graphs, /provenance, /results"), std::string::npos) << text;
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, FileMatchesItsBytes) {
  TempDir dir;
  const std::string small = dir.file("abc.txt");
  write_file_bytes(small, "abc");
  EXPECT_EQ(sha256_file(small), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

  const std::string empty = dir.file("empty.txt");
  write_file_bytes(empty, "");
  EXPECT_EQ(sha256_file(empty), sha256_hex(""));

  // Larger than the 1 MiB read block and not a multiple of it.
  std::string big((std::size_t{1} << 20) * 2 + 12345, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 + (i >> 13));
  const std::string large = dir.file("large.bin");
  write_file_bytes(large, big);
  EXPECT_EQ(sha256_file(large), sha256_hex(big));
}

TEST(Sha256Test, MissingFileIsAnInputError) {
  TempDir dir;
  const std::string path = dir.file("missing.csv");
  const std::string message = thrown_message<InputError>([&] { sha256_file(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_THROW(sha256_file(dir.file("")), InputError);  // a directory cannot be read
}

}  // namespace
}  // namespace cibgraph
