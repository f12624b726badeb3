#pragma once
// What the HDF5 store's files share, for the rooms that write and read them (cibgraph_core_internal, not installed):
// HDF5 ids that close themselves, the one lock HDF5 is entered under, the integrity record in the 512-byte user block
// and its sealing, a Writer of attributes and filtered one-dimensional columns, a Reader that opens a store the way
// every reader must (integrity record first, then the format attributes) and checks every attribute and column it
// reads, and the atomic replace of a file. core's store.cpp writes and reads the events with these, pipeline's
// network_store.cpp the networks and their findings.
//
// Corruption. HDF5 checksums its metadata when files use the 1.10 object formats (H5Pset_libver_bounds V110), and
// Fletcher-32 covers each data chunk, but the global heap that holds variable-length strings has no checksum, and
// HDF5 1.10's heap reader (H5HG_read) trusts the object sizes it finds there: one flipped byte makes it copy past
// its buffers and crash. So every file starts with a 512-byte HDF5 user block holding an integrity record (the file's
// size and the SHA-256 of everything after the block), and a reader checks it before HDF5 parses a single byte.
#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "cibgraph/error.hpp"
#include "cibgraph/format.hpp"
#include "cibgraph/progress.hpp"
#include "cibgraph/sha256.hpp"
#include "cibgraph/store.hpp"

namespace cibgraph::store_internal {

inline constexpr hsize_t kChunkRows = hsize_t{1} << 20;       // event columns and dictionary offsets
inline constexpr hsize_t kReadBlockRows = hsize_t{1} << 20;   // inspect() streams columns in blocks of this many rows
// zlib's deflate cannot compress better than about 1032:1. A dataset claiming more logical bytes than this many times
// what it stores is corrupt, and believing it would make us allocate memory the file never backed.
inline constexpr hsize_t kMaxCompressionRatio = 2048;
inline constexpr std::string_view kFormatName = "cibgraph";

inline SourceLocation in_file(const std::string& path) { return SourceLocation{path, 0, {}}; }

// HDF5 (the Debian build is not thread-safe) is only ever entered under this lock.
inline std::mutex hdf5_mutex;

// Owns one HDF5 id and closes it with the matching H5?close.
class Hid {
 public:
  using Closer = herr_t (*)(hid_t);
  Hid() = default;
  Hid(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  Hid(Hid&& other) noexcept : id_(std::exchange(other.id_, -1)), closer_(other.closer_) {}
  Hid& operator=(Hid&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, -1);
      closer_ = other.closer_;
    }
    return *this;
  }
  ~Hid() { reset(); }

  hid_t get() const { return id_; }
  // Closes now and says whether HDF5 succeeded: closing a file is when it is flushed.
  bool close() {
    const herr_t status = id_ >= 0 ? closer_(id_) : 0;
    id_ = -1;
    return status >= 0;
  }

 private:
  void reset() {
    if (id_ >= 0) closer_(id_);
    id_ = -1;
  }
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

// Serialises HDF5 use and silences its automatic error printing (we report errors as exceptions), restoring the
// caller's printing afterwards.
class Hdf5Session {
 public:
  Hdf5Session() : lock_(hdf5_mutex) {
    if (H5Eget_auto2(H5E_DEFAULT, &saved_func_, &saved_data_) < 0) {
      saved_func_ = nullptr;
      saved_data_ = nullptr;
    }
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~Hdf5Session() { H5Eset_auto2(H5E_DEFAULT, saved_func_, saved_data_); }
  Hdf5Session(const Hdf5Session&) = delete;
  Hdf5Session& operator=(const Hdf5Session&) = delete;

 private:
  std::lock_guard<std::mutex> lock_;
  H5E_auto2_t saved_func_ = nullptr;
  void* saved_data_ = nullptr;
};

// Called by H5Ewalk2 from C: it must not throw.
inline herr_t keep_innermost_error(unsigned n, const H5E_error2_t* error, void* data) {
  if (n != 0 || error == nullptr || error->desc == nullptr) return 0;
  try {
    *static_cast<std::string*>(data) = error->desc;
  } catch (...) {
    return -1;
  }
  return 0;
}

// The most specific message on HDF5's error stack (e.g. "truncated file: eof = ..."), as " (HDF5: ...)".
inline std::string hdf5_detail() {
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost_error, &detail);
  H5Eclear2(H5E_DEFAULT);
  return detail.empty() ? std::string() : " (HDF5: " + detail + ")";
}

template <class T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, std::uint8_t>) return H5T_NATIVE_UINT8;
  else if constexpr (std::is_same_v<T, std::uint32_t>) return H5T_NATIVE_UINT32;
  else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  else if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
  else if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  else static_assert(sizeof(T) == 0, "no HDF5 type for T");
}

template <class T>
hid_t file_type() {
  if constexpr (std::is_same_v<T, std::uint8_t>) return H5T_STD_U8LE;
  else if constexpr (std::is_same_v<T, std::uint32_t>) return H5T_STD_U32LE;
  else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_STD_I64LE;
  else if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_STD_U64LE;
  else if constexpr (std::is_same_v<T, double>) return H5T_IEEE_F64LE;
  else static_assert(sizeof(T) == 0, "no HDF5 type for T");
}

template <class T>
const char* type_name() {
  if constexpr (std::is_same_v<T, std::uint8_t>) return "uint8";
  else if constexpr (std::is_same_v<T, std::uint32_t>) return "uint32";
  else if constexpr (std::is_same_v<T, std::int64_t>) return "int64";
  else if constexpr (std::is_same_v<T, double>) return "float64";
  else return "uint64";
}

// ---------------------------------------------------------------------------------------------------------------
// The integrity record in the user block

inline constexpr std::size_t kUserBlockSize = 512;
inline constexpr std::string_view kIntegrityMagic = "cibgraph store integrity record v1\n";
inline constexpr std::string_view kHdf5Signature = "\x89HDF\r\n\x1a\n";

inline std::string integrity_record(std::uint64_t file_size, const std::string& sha256) {
  std::string record =
      std::string(kIntegrityMagic) + "size " + std::to_string(file_size) + "\nsha256 " + sha256 + "\n";
  record.resize(kUserBlockSize, '\0');
  return record;
}

class PosixFile {
 public:
  PosixFile(const std::string& path, int flags) : fd_(::open(path.c_str(), flags | O_CLOEXEC)) {}
  ~PosixFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;
  int fd() const { return fd_; }
  bool is_open() const { return fd_ >= 0; }
  std::optional<std::uint64_t> size() const {
    struct stat info;
    if (::fstat(fd_, &info) != 0 || info.st_size < 0) return std::nullopt;
    return static_cast<std::uint64_t>(info.st_size);
  }
  // Reads exactly size bytes at offset; false on an I/O error or end of file.
  bool read_at(std::uint64_t offset, char* out, std::size_t size) const {
    while (size > 0) {
      const ssize_t got = ::pread(fd_, out, size, static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      out += got;
      size -= static_cast<std::size_t>(got);
      offset += static_cast<std::uint64_t>(got);
    }
    return true;
  }
  bool write_at(std::uint64_t offset, const char* data, std::size_t size) const {
    while (size > 0) {
      const ssize_t put = ::pwrite(fd_, data, size, static_cast<off_t>(offset));
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) return false;
      data += put;
      size -= static_cast<std::size_t>(put);
      offset += static_cast<std::uint64_t>(put);
    }
    return true;
  }

 private:
  int fd_;
};

// The SHA-256 of bytes [kUserBlockSize, file_size); nullopt on a read error.
inline std::optional<std::string> digest_after_user_block(const PosixFile& file, std::uint64_t file_size) {
  Sha256 digest;
  std::vector<char> block(std::size_t{1} << 20);
  for (std::uint64_t pos = kUserBlockSize; pos < file_size;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), file_size - pos));
    if (!file.read_at(pos, block.data(), n)) return std::nullopt;
    digest.update(block.data(), n);
    pos += n;
  }
  return digest.hex_digest();
}

// A file seal cannot take (not a cibgraph store, unreadable): the user's input, exit code 3 as any input error.
[[noreturn]] inline void seal_failure(const std::string& path, const std::string& what) {
  throw InputError(in_file(path), "cannot seal: " + what);
}

// Writes the integrity record of a complete store file into its user block and flushes the file to disk.
inline void seal(const std::string& path) {
  const auto fail = [&](const std::string& what) { seal_failure(path, what); };
  const PosixFile file(path, O_RDWR);
  if (!file.is_open()) fail(std::strerror(errno));
  const std::optional<std::uint64_t> size = file.size();
  if (!size) fail(std::strerror(errno));
  std::string signature(kHdf5Signature.size(), '\0');
  if (*size < kUserBlockSize + signature.size() || !file.read_at(kUserBlockSize, signature.data(), signature.size()) ||
      signature != kHdf5Signature)
    fail("the file has no 512-byte user block before its HDF5 superblock (only files written by cibgraph have one)");
  const std::optional<std::string> digest = digest_after_user_block(file, *size);
  if (!digest) fail(std::string("read error: ") + std::strerror(errno));
  const std::string record = integrity_record(*size, *digest);
  if (!file.write_at(0, record.data(), record.size())) fail(std::string("write error: ") + std::strerror(errno));
  if (::fsync(file.fd()) != 0) fail(std::string("flush error: ") + std::strerror(errno));
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

// HDF5's filter pipeline for our chunked columns (shuffle, deflate level 1, Fletcher-32), run by us: one chunk of
// `element_size`-byte elements encoded as HDF5 1.10 decodes it (the shuffle's byte planes, a zlib-format deflate
// stream at level 1 from libdeflate, about twice as fast as zlib's, the Fletcher-32 checksum of that appended
// little-endian). `bytes` is the whole chunk: the caller pads a partial last chunk with zeros (the fill value), as
// HDF5 does.
void encode_chunk(const unsigned char* data, std::size_t bytes, std::size_t element_size, std::vector<unsigned char>& out);

// Writes every chunk of a chunked one-dimensional dataset created with those filters: chunks are encoded on all
// threads and written in order with H5Dwrite_chunk, one at a time. HDF5 1.10 runs its pipeline (zlib) on the calling
// thread only, and deflate is most of the cost of storing a network. On failure returns false with `failed_chunk` set; the
// caller reports it with the HDF5 error stack.
bool write_chunks_in_parallel(hid_t dataset, const void* data, std::size_t rows, std::size_t element_size,
                              hsize_t chunk_rows, hsize_t& failed_chunk);

class Writer {
 public:
  Writer(std::string path, hid_t file) : path_(std::move(path)), file_(file) {}

  // Progress while columns are written: after each column, `progress` (when set) hears {stage, bytes written so
  // far, `total` bytes, "bytes"}; returning false throws Interrupted (the caller's temporary file is then removed).
  void track(const ProgressCallback& progress, std::string_view stage, std::uint64_t total) {
    progress_ = progress;
    stage_ = stage;
    total_ = total;
  }

  const std::string& path() const { return path_; }
  hid_t file() const { return file_; }

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(in_file(path_), "cannot write: " + what + hdf5_detail());
  }
  Hid own(hid_t id, Hid::Closer closer, const std::string& what) const {
    if (id < 0) fail(what);
    return Hid(id, closer);
  }
  void ok(herr_t status, const std::string& what) const {
    if (status < 0) fail(what);
  }

  void group(const std::string& object) const {
    own(H5Gcreate2(file_, object.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group " + object);
  }

  void string_attribute(const std::string& object, const char* name, const std::string& value) const {
    const std::string what = "attribute " + object + " " + name;
    // Variable-length C strings end at the first NUL: refuse rather than store a shortened value.
    if (value.find('\0') != std::string::npos) throw Error(in_file(path_), what + " contains a NUL byte");
    Hid type = own(H5Tcopy(H5T_C_S1), H5Tclose, what);
    ok(H5Tset_size(type.get(), H5T_VARIABLE), what);
    ok(H5Tset_cset(type.get(), H5T_CSET_UTF8), what);
    Hid space = own(H5Screate(H5S_SCALAR), H5Sclose, what);
    Hid attribute = own(H5Acreate_by_name(file_, object.c_str(), name, type.get(), space.get(), H5P_DEFAULT,
                                          H5P_DEFAULT, H5P_DEFAULT),
                        H5Aclose, what);
    const char* data = value.c_str();
    ok(H5Awrite(attribute.get(), type.get(), &data), what);
  }

  template <class T>
  void integer_attribute(const std::string& object, const char* name, T value) const {
    const std::string what = "attribute " + object + " " + name;
    Hid space = own(H5Screate(H5S_SCALAR), H5Sclose, what);
    Hid attribute = own(H5Acreate_by_name(file_, object.c_str(), name, file_type<T>(), space.get(), H5P_DEFAULT,
                                          H5P_DEFAULT, H5P_DEFAULT),
                        H5Aclose, what);
    ok(H5Awrite(attribute.get(), native_type<T>(), &value), what);
  }

  // A one-dimensional dataset; chunked with shuffle, deflate 1 and Fletcher-32 when it has rows (HDF5 cannot chunk
  // a fixed zero-length dimension, so empty columns are contiguous and store nothing).
  template <class T>
  void column(const std::string& object, const T* data, std::size_t rows, hsize_t chunk_rows) const {
    write_column(object, data, rows, chunk_rows);
    if (progress_) {
      written_ += rows * sizeof(T);
      report_progress(progress_, stage_, std::min(written_, total_), total_);
    }
  }

  template <class T>
  void column(const std::string& object, const std::vector<T>& values, hsize_t chunk_rows) const {
    column(object, values.data(), values.size(), chunk_rows);
  }

 private:
  template <class T>
  void write_column(const std::string& object, const T* data, std::size_t rows, hsize_t chunk_rows) const {
    const std::string what = "dataset " + object;
    const hsize_t n = rows;
    Hid space = own(H5Screate_simple(1, &n, nullptr), H5Sclose, what);
    Hid create = own(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, what);
    if (n > 0) {
      const hsize_t chunk = std::min(n, chunk_rows);
      ok(H5Pset_chunk(create.get(), 1, &chunk), what);
      ok(H5Pset_shuffle(create.get()), what);
      ok(H5Pset_deflate(create.get(), 1), what);
      ok(H5Pset_fletcher32(create.get()), what);
    }
    Hid dataset = own(H5Dcreate2(file_, object.c_str(), file_type<T>(), space.get(), H5P_DEFAULT, create.get(),
                                 H5P_DEFAULT),
                      H5Dclose, what);
    if (n == 0) return;
    // The file types are the little-endian ones of the same size as the native types, so on a little-endian host
    // the chunks can be encoded from memory as they are; elsewhere HDF5 converts and filters them itself.
    if (H5Tequal(file_type<T>(), native_type<T>()) > 0) {
      hsize_t failed = 0;
      bool written = false;
      try {
        written = write_chunks_in_parallel(dataset.get(), data, rows, sizeof(T), std::min(n, chunk_rows), failed);
      } catch (const std::runtime_error& e) {  // the compressor failed: name the file and the dataset
        fail(what + " (" + e.what() + ")");
      }
      if (!written) fail(what + " (chunk at row " + std::to_string(failed) + ")");
      return;
    }
    ok(H5Dwrite(dataset.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data), what);
  }

  std::string path_;
  hid_t file_;
  ProgressCallback progress_;
  std::string stage_;
  std::uint64_t total_ = 0;
  mutable std::uint64_t written_ = 0;
};

// Creates temporary as an empty store file (1.10 object formats, the 512-byte user block for the integrity record);
// path names the store in errors.
inline Hid create_store_file(const std::string& path, const std::string& temporary) {
  const Writer setup(path, -1);
  Hid access = setup.own(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
  setup.ok(H5Pset_libver_bounds(access.get(), H5F_LIBVER_V110, H5F_LIBVER_V110), "file format bounds");
  // SEMI: closing the file fails if any object in it is still open, rather than silently deferring the flush.
  setup.ok(H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI), "file close degree");
#if H5_VERSION_GE(1, 10, 7)
  setup.ok(H5Pset_file_locking(access.get(), true, true), "file locking");
#endif
  Hid create = setup.own(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "file creation properties");
  setup.ok(H5Pset_userblock(create.get(), kUserBlockSize), "user block");
  return setup.own(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, create.get(), access.get()), H5Fclose,
                   "cannot create " + temporary);
}

// Replaces the file at path atomically: write(temporary) writes the complete store to path + ".tmp" (and closes
// it), which is then sealed, flushed and renamed over path, so a crash never leaves a half-written store under the
// real name. The temporary is removed when anything fails. Call with HDF5 locked (Hdf5Session).
template <class Write>
void replace_file(const std::string& path, Write&& write) {
  const std::string temporary = path + ".tmp";
  try {
    write(temporary);
    seal(temporary);
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) throw Error(in_file(path), "cannot write: renaming " + temporary + " failed: " + ec.message());
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
  // Make the rename itself durable; a failure here loses nothing already written, so it is not an error.
  std::filesystem::path directory = std::filesystem::path(path).parent_path();
  if (directory.empty()) directory = ".";
  const PosixFile parent(directory.string(), O_RDONLY | O_DIRECTORY);
  if (parent.is_open()) ::fsync(parent.fd());
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

struct Column {
  Hid dataset;
  hsize_t rows = 0;
  std::string object;
  bool floating = false;  // a floating-point column (read as double); otherwise integers
};

enum class ColumnType { Integer, Floating };

inline H5T_conv_ret_t abort_on_overflow(H5T_conv_except_t kind, hid_t, hid_t, void*, void*, void* user_data) {
  if (kind == H5T_CONV_EXCEPT_RANGE_HI || kind == H5T_CONV_EXCEPT_RANGE_LOW) {
    *static_cast<bool*>(user_data) = true;
    return H5T_CONV_ABORT;
  }
  return H5T_CONV_UNHANDLED;
}

inline std::string shorten(std::string s) {
  constexpr std::size_t kMax = 60;
  if (s.size() > kMax) s = s.substr(0, kMax) + "...";
  return s;
}

class Reader {
 public:
  // Opens path read-only and checks it is a cibgraph store of a version this build reads.
  explicit Reader(std::string path) : path_(std::move(path)) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path_, ec);
    if (status.type() == fs::file_type::not_found) throw InputError(in_file(path_), "no such file");
    if (ec) throw InputError(in_file(path_), "cannot access: " + ec.message());
    if (fs::is_directory(status)) throw InputError(in_file(path_), "is a directory, not a cibgraph file");
    if (!fs::is_regular_file(status)) throw InputError(in_file(path_), "is not a regular file");
    const bool sealed = verify_integrity();

    const htri_t is_hdf5 = H5Fis_hdf5(path_.c_str());
    if (is_hdf5 < 0) fail_hdf5("cannot read the HDF5 signature");
    if (is_hdf5 == 0) fail("not a cibgraph file (not an HDF5 file)");
    Hid access = own(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
#if H5_VERSION_GE(1, 10, 7)
    ok(H5Pset_file_locking(access.get(), true, true), "file locking");
#endif
    file_ = own(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose, "cannot open as HDF5");

    if (!has_attribute("/", "format")) fail("not a cibgraph file (no 'format' attribute)");
    const std::string format = string_attribute("/", "format");
    if (format != kFormatName) fail("not a cibgraph file ('format' attribute is '" + shorten(format) + "')");
    if (!sealed)
      fail("has no integrity record in its first 512 bytes (damaged, or rewritten by another program; "
           "`cibgraph seal FILE` (Python: cibgraph.seal_store) re-seals a file changed on purpose)");
    if (!has_attribute("/", "format_version")) fail("not a cibgraph file (no 'format_version' attribute)");
    format_version_ = integer_attribute<std::int64_t>("/", "format_version");
    if (format_version_ > kStoreFormatVersion)
      fail("store format version " + std::to_string(format_version_) +
           " was written by a newer cibgraph; this build reads version " + std::to_string(kStoreFormatVersion));
    if (format_version_ != kStoreFormatVersion)
      fail("unsupported store format version " + std::to_string(format_version_));
    written_by_ = string_attribute("/", "cibgraph_version");
  }

  const std::string& path() const { return path_; }
  std::int64_t format_version() const { return format_version_; }
  const std::string& written_by() const { return written_by_; }
  hid_t file() const { return file_.get(); }

  [[noreturn]] void fail(const std::string& what) const { throw FormatError(in_file(path_), what); }
  [[noreturn]] void fail_hdf5(const std::string& what) const { fail(what + hdf5_detail()); }
  Hid own(hid_t id, Hid::Closer closer, const std::string& what) const {
    if (id < 0) fail_hdf5(what);
    return Hid(id, closer);
  }
  void ok(herr_t status, const std::string& what) const {
    if (status < 0) fail_hdf5(what);
  }

  // Whether object (an absolute path) exists as a chain of hard links. H5Lexists fails rather than answering false
  // when an intermediate group is missing, so each prefix is checked in turn; soft and external links are refused
  // because they could lead anywhere, including into other files.
  bool exists(const std::string& object) const {
    for (std::size_t pos = 1; pos < object.size();) {
      std::size_t next = object.find('/', pos);
      if (next == std::string::npos) next = object.size();
      const std::string prefix = object.substr(0, next);
      const htri_t found = H5Lexists(file(), prefix.c_str(), H5P_DEFAULT);
      if (found < 0) fail_hdf5("cannot look up " + prefix);
      if (found == 0) return false;
      H5L_info_t link;
      ok(H5Lget_info(file(), prefix.c_str(), &link, H5P_DEFAULT), "cannot look up " + prefix);
      if (link.type != H5L_TYPE_HARD) fail(prefix + " is a soft or external link; a cibgraph file has none");
      pos = next + 1;
    }
    return true;
  }

  void require_group(const std::string& object) const {
    if (!exists(object)) fail("missing group " + object);
    Hid opened = own(H5Oopen(file(), object.c_str(), H5P_DEFAULT), H5Oclose, "cannot open " + object);
    if (H5Iget_type(opened.get()) != H5I_GROUP) fail(object + " is not a group");
  }

  bool has_attribute(const std::string& object, const char* name) const {
    const htri_t found = H5Aexists_by_name(file(), object.c_str(), name, H5P_DEFAULT);
    if (found < 0) fail_hdf5("cannot read the attributes of " + object);
    return found > 0;
  }

  std::string string_attribute(const std::string& object, const char* name) const {
    const std::string what = "attribute " + object + " " + name;
    if (!has_attribute(object, name)) fail("missing " + what);
    Hid attribute = own(H5Aopen_by_name(file(), object.c_str(), name, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                        "cannot open " + what);
    Hid type = own(H5Aget_type(attribute.get()), H5Tclose, "cannot read the type of " + what);
    if (H5Tget_class(type.get()) != H5T_STRING) fail(what + " is not a string");
    require_single_value(attribute.get(), what);
    const H5T_cset_t cset = H5Tget_cset(type.get());
    if (cset < 0) fail_hdf5("cannot read the character set of " + what);
    const htri_t variable = H5Tis_variable_str(type.get());
    if (variable < 0) fail_hdf5("cannot read the type of " + what);
    // The memory type keeps the stored character set: HDF5 does not convert between ASCII and UTF-8.
    Hid memory = own(H5Tcopy(H5T_C_S1), H5Tclose, what);
    ok(H5Tset_cset(memory.get(), cset), what);
    if (variable > 0) {
      ok(H5Tset_size(memory.get(), H5T_VARIABLE), what);
      char* data = nullptr;
      ok(H5Aread(attribute.get(), memory.get(), &data), "cannot read " + what);
      const std::unique_ptr<char, herr_t (*)(void*)> owned(data, H5free_memory);
      return data == nullptr ? std::string() : std::string(data);
    }
    const std::size_t size = H5Tget_size(type.get());
    if (size == 0 || size > (std::size_t{1} << 26)) fail(what + " has an implausible size");
    ok(H5Tset_size(memory.get(), size), what);
    ok(H5Tset_strpad(memory.get(), H5T_STR_NULLPAD), what);
    std::string value(size, '\0');
    ok(H5Aread(attribute.get(), memory.get(), value.data()), "cannot read " + what);
    if (const std::size_t end = value.find('\0'); end != std::string::npos) value.resize(end);
    return value;
  }

  // Any stored integer type is accepted when the value fits T.
  template <class T>
  T integer_attribute(const std::string& object, const char* name) const {
    const std::string what = "attribute " + object + " " + name;
    if (!has_attribute(object, name)) fail("missing " + what);
    Hid attribute = own(H5Aopen_by_name(file(), object.c_str(), name, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                        "cannot open " + what);
    Hid type = own(H5Aget_type(attribute.get()), H5Tclose, "cannot read the type of " + what);
    if (H5Tget_class(type.get()) != H5T_INTEGER) fail(what + " is not an integer");
    const std::size_t size = H5Tget_size(type.get());
    if (size == 0 || size > 8) fail(what + " is wider than 64 bits");
    require_single_value(attribute.get(), what);
    const H5T_sign_t sign = H5Tget_sign(type.get());
    if (sign == H5T_SGN_2) {
      std::int64_t value = 0;
      ok(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), "cannot read " + what);
      if (!std::in_range<T>(value)) fail(what + " = " + std::to_string(value) + " is out of range");
      return static_cast<T>(value);
    }
    if (sign != H5T_SGN_NONE) fail_hdf5("cannot read the sign of " + what);
    std::uint64_t value = 0;
    ok(H5Aread(attribute.get(), H5T_NATIVE_UINT64, &value), "cannot read " + what);
    if (!std::in_range<T>(value)) fail(what + " = " + std::to_string(value) + " is out of range");
    return static_cast<T>(value);
  }

  // Opens a one-dimensional integer (or, when asked, floating-point) dataset and checks that its claimed length is
  // backed by stored bytes.
  Column open_column(const std::string& object, ColumnType kind = ColumnType::Integer) const {
    if (!exists(object)) fail("missing dataset " + object);
    Hid dataset = own(H5Dopen2(file(), object.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset " + object);
    Hid type = own(H5Dget_type(dataset.get()), H5Tclose, "cannot read the type of " + object);
    const std::size_t element = H5Tget_size(type.get());
    if (kind == ColumnType::Integer) {
      if (H5Tget_class(type.get()) != H5T_INTEGER) fail(object + " is not an integer dataset");
      if (element == 0 || element > 8) fail(object + " has integers wider than 64 bits");
    } else {
      if (H5Tget_class(type.get()) != H5T_FLOAT) fail(object + " is not a floating-point dataset");
      if (element != 4 && element != 8) fail(object + " holds floating-point numbers that are not 32 or 64 bits");
    }

    Hid space = own(H5Dget_space(dataset.get()), H5Sclose, "cannot read the shape of " + object);
    if (H5Sget_simple_extent_type(space.get()) != H5S_SIMPLE || H5Sget_simple_extent_ndims(space.get()) != 1)
      fail(object + " is not one-dimensional");
    hsize_t rows = 0;
    if (H5Sget_simple_extent_dims(space.get(), &rows, nullptr) != 1) fail_hdf5("cannot read the shape of " + object);

    Hid create = own(H5Dget_create_plist(dataset.get()), H5Pclose, "cannot read the storage of " + object);
    const H5D_layout_t layout = H5Pget_layout(create.get());
    if (layout != H5D_COMPACT && layout != H5D_CONTIGUOUS && layout != H5D_CHUNKED)
      fail(object + " uses an unsupported storage layout (virtual dataset?)");
    const int external = H5Pget_external_count(create.get());
    if (external < 0) fail_hdf5("cannot read the storage of " + object);
    if (external > 0) fail(object + " keeps its data in external files");

    if (rows > 0) {
      const hsize_t stored = H5Dget_storage_size(dataset.get());
      if (rows > std::numeric_limits<hsize_t>::max() / element)
        fail(object + " claims " + std::to_string(rows) + " rows, an impossible size");
      const hsize_t logical = rows * element;
      if (stored == 0) fail(object + " claims " + std::to_string(rows) + " rows but stores no data");
      if (logical / kMaxCompressionRatio > stored)
        fail(object + " claims " + std::to_string(rows) + " rows but stores only " + std::to_string(stored) + " bytes");
    }
    return Column{std::move(dataset), rows, object, kind == ColumnType::Floating};
  }

  // Reads rows [first, first + count) into out, converting from the stored integer type; a value that does not fit
  // T is an error, never silently clipped.
  template <class T>
  void read_rows(const Column& column, hsize_t first, hsize_t count, T* out) const {
    if (column.floating != std::is_floating_point_v<T>)
      fail(column.object + " is read as " + type_name<T>() + " but was opened as another kind of column");
    if (count == 0) return;
    if (first > column.rows || count > column.rows - first) fail("read past the end of " + column.object);
    const std::string what = "cannot read " + column.object;
    Hid file_space = own(H5Dget_space(column.dataset.get()), H5Sclose, what);
    ok(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr), what);
    Hid memory_space = own(H5Screate_simple(1, &count, nullptr), H5Sclose, what);
    Hid transfer = own(H5Pcreate(H5P_DATASET_XFER), H5Pclose, what);
    bool overflow = false;
    ok(H5Pset_type_conv_cb(transfer.get(), abort_on_overflow, &overflow), what);
    const herr_t status =
        H5Dread(column.dataset.get(), native_type<T>(), memory_space.get(), file_space.get(), transfer.get(), out);
    if (overflow) {
      H5Eclear2(H5E_DEFAULT);
      fail(column.object + " holds values that do not fit " + type_name<T>());
    }
    ok(status, what);
  }

  template <class T>
  std::vector<T> read_all(const Column& column) const {
    std::vector<T> values(column.rows);
    read_rows(column, 0, column.rows, values.data());
    return values;
  }

  std::string read_bytes(const Column& column) const {
    std::string bytes(column.rows, '\0');
    read_rows(column, 0, column.rows, reinterpret_cast<std::uint8_t*>(bytes.data()));
    return bytes;
  }

  std::uint64_t child_count(const std::string& object) const {
    Hid group = own(H5Gopen2(file(), object.c_str(), H5P_DEFAULT), H5Gclose, "cannot open group " + object);
    H5G_info_t info;
    ok(H5Gget_info(group.get(), &info), "cannot read group " + object);
    return info.nlinks;
  }

 private:
  // Checks the integrity record before HDF5 reads anything. Returns false when the file has none (it may be a
  // foreign HDF5 file, which the caller then reports as such); fails when the record or the file is damaged.
  bool verify_integrity() const {
    const PosixFile file(path_, O_RDONLY);
    if (!file.is_open()) throw InputError(in_file(path_), std::string("cannot open: ") + std::strerror(errno));
    const std::optional<std::uint64_t> size = file.size();
    if (!size) throw InputError(in_file(path_), std::string("cannot read: ") + std::strerror(errno));
    std::string head(static_cast<std::size_t>(std::min<std::uint64_t>(*size, kUserBlockSize)), '\0');
    if (!file.read_at(0, head.data(), head.size()))
      throw InputError(in_file(path_), std::string("cannot read: ") + std::strerror(errno));
    const std::size_t compared = std::min(head.size(), kIntegrityMagic.size());
    if (head.empty() || head.compare(0, compared, kIntegrityMagic, 0, compared) != 0) return false;
    if (head.size() < kUserBlockSize)
      fail("truncated: " + std::to_string(*size) + " bytes, less than its 512-byte integrity record");

    // "size <digits>\nsha256 <64 hex>\n" then NUL padding; anything else means the record itself is damaged.
    std::string_view rest = std::string_view(head).substr(kIntegrityMagic.size());
    std::uint64_t recorded_size = 0;
    std::string recorded_digest;
    bool parsed = false;
    if (rest.starts_with("size ")) {
      rest.remove_prefix(5);
      const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), recorded_size);
      const std::size_t digits = static_cast<std::size_t>(end - rest.data());
      if (error == std::errc() && rest.substr(digits).starts_with("\nsha256 ")) {
        recorded_digest = std::string(rest.substr(digits + 8, 64));
        parsed = integrity_record(recorded_size, recorded_digest) == head;
      }
    }
    if (!parsed) fail("its integrity record (the first 512 bytes) is damaged");
    if (*size < recorded_size)
      fail("truncated: " + format_count(*size) + " of the " + format_count(recorded_size) +
           " bytes it was written with");
    if (*size > recorded_size)
      fail("corrupted: " + format_count(*size) + " bytes, but it was written with " + format_count(recorded_size) +
           " (if it was changed on purpose, `cibgraph seal FILE` (Python: cibgraph.seal_store) re-seals it)");
    const std::optional<std::string> digest = digest_after_user_block(file, *size);
    if (!digest) throw InputError(in_file(path_), std::string("cannot read: ") + std::strerror(errno));
    if (*digest != recorded_digest)
      fail("corrupted: its SHA-256 does not match the integrity record (if it was changed on purpose, "
           "`cibgraph seal FILE` (Python: cibgraph.seal_store) re-seals it)");
    return true;
  }

  void require_single_value(hid_t attribute, const std::string& what) const {
    Hid space = own(H5Aget_space(attribute), H5Sclose, "cannot read the shape of " + what);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) fail(what + " is not a single value");
  }

  std::string path_;
  Hid file_;
  std::int64_t format_version_ = 0;
  std::string written_by_;
};

// The number of strings in a dictionary, from the length of its offsets, without reading it.
inline std::uint64_t dictionary_size(const Reader& reader, const std::string& name) {
  const std::string object = "/dictionaries/" + name;
  reader.require_group(object);
  const Column offsets = reader.open_column(object + "/offsets");
  reader.open_column(object + "/bytes");
  if (offsets.rows == 0) reader.fail(object + "/offsets is empty; it holds one more entry than the dictionary");
  return offsets.rows - 1;
}

inline herr_t collect_hard_link(hid_t, const char* name, const H5L_info_t* link, void* data) {
  try {
    if (link != nullptr && link->type == H5L_TYPE_HARD)
      static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  } catch (...) {
    return -1;  // stops the iteration; HDF5 cannot carry a C++ exception
  }
}

// The names of the children of group object that are hard links, in name order (soft and external links, which a
// cibgraph file never has, are left out).
inline std::vector<std::string> child_names(const Reader& reader, const std::string& object) {
  std::vector<std::string> names;
  reader.ok(H5Literate_by_name(reader.file(), object.c_str(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_hard_link,
                               &names, H5P_DEFAULT),
            "cannot list the members of " + object);
  return names;
}

// inspect() on an open store, for rooms that summarise their own groups in the same reading (network_store.cpp).
StoreInfo inspect_store(const Reader& reader, const std::string& path);

// Runs body with HDF5 serialised and quiet, turning allocation failures (absurd dimensions that passed the storage
// check, or a genuinely too large file) into a FormatError naming the file.
template <class Body>
auto guarded(const std::string& path, Body&& body) {
  Hdf5Session session;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    throw FormatError(in_file(path), "not enough memory to load it (corrupt dimensions?)");
  } catch (const std::length_error&) {
    throw FormatError(in_file(path), "dimensions too large to load");
  }
}


}  // namespace cibgraph::store_internal
