#pragma once
// StringDictionary interns strings to dense uint32 ids in order of first appearance. The strings live in one
// contiguous byte buffer with an offsets array (n + 1 entries), which is also how they are stored in HDF5.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cibgraph/error.hpp"

namespace cibgraph {

class StringDictionary {
 public:
  static constexpr std::uint32_t kMaxSize = std::numeric_limits<std::uint32_t>::max() - 1;

  StringDictionary() : offsets_{0} {}
  // The index holds views into bytes_, so copies and moves rebuild it when the bytes moved (small-string buffers do).
  StringDictionary(const StringDictionary& other) : bytes_(other.bytes_), offsets_(other.offsets_) { reindex(); }
  StringDictionary(StringDictionary&& other)
      : bytes_(std::move(other.bytes_)), offsets_(std::move(other.offsets_)), index_(std::move(other.index_)),
        indexed_base_(other.indexed_base_) {
    if (bytes_.data() != indexed_base_) reindex();
    other.clear();
  }
  StringDictionary& operator=(StringDictionary other) {
    bytes_.swap(other.bytes_);
    offsets_.swap(other.offsets_);
    reindex();
    return *this;
  }
  ~StringDictionary() = default;

  void clear() {
    bytes_.clear();
    offsets_.assign(1, 0);
    reindex();
  }

  // Returns the id of s, adding it when new. Throws Error past kMaxSize distinct strings.
  std::uint32_t intern(std::string_view s) {
    if (auto it = index_.find(s); it != index_.end()) return it->second;
    if (size() >= kMaxSize) throw Error("dictionary full: more than 2^32 - 2 distinct strings");
    const auto id = static_cast<std::uint32_t>(size());
    bytes_.append(s);
    offsets_.push_back(bytes_.size());
    // Keys view the byte buffer, which reallocates as it grows: rebuild the index when its data moved.
    if (bytes_.data() != indexed_base_) reindex();
    else index_.emplace(view(id), id);
    return id;
  }

  // The id of s, or kMissing.
  static constexpr std::uint32_t kMissing = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t find(std::string_view s) const {
    auto it = index_.find(s);
    return it == index_.end() ? kMissing : it->second;
  }

  std::string_view view(std::uint32_t id) const {
    return std::string_view(bytes_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  std::string_view operator[](std::uint32_t id) const { return view(id); }
  std::size_t size() const { return offsets_.size() - 1; }
  bool empty() const { return size() == 0; }

  const std::string& bytes() const { return bytes_; }
  const std::vector<std::uint64_t>& offsets() const { return offsets_; }

  // Rebuilds a dictionary from its stored form. Checks offsets are monotone and inside bytes, and that the
  // strings are distinct (ids must be a bijection); throws FormatError otherwise.
  static StringDictionary from_storage(std::string bytes, std::vector<std::uint64_t> offsets) {
    if (offsets.empty() || offsets.front() != 0 || offsets.back() != bytes.size())
      throw FormatError("dictionary offsets do not span its bytes");
    for (std::size_t i = 1; i < offsets.size(); ++i)
      if (offsets[i] < offsets[i - 1]) throw FormatError("dictionary offsets are not monotone");
    if (offsets.size() - 1 > kMaxSize) throw FormatError("dictionary too large");
    StringDictionary d;
    d.bytes_ = std::move(bytes);
    d.offsets_ = std::move(offsets);
    d.reindex();
    if (d.index_.size() != d.size()) throw FormatError("dictionary holds duplicate strings");
    return d;
  }

  void reserve(std::size_t strings, std::size_t bytes) {
    offsets_.reserve(strings + 1);
    bytes_.reserve(bytes);
    reindex();
  }

 private:
  void reindex() {
    index_.clear();
    index_.reserve(size() * 2);
    for (std::uint32_t i = 0; i < size(); ++i) index_.emplace(view(i), i);
    indexed_base_ = bytes_.data();
  }

  std::string bytes_;
  std::vector<std::uint64_t> offsets_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
  const char* indexed_base_ = nullptr;
};

}  // namespace cibgraph
