#pragma once
// StringDictionary interns strings to dense uint32 ids in order of first appearance. The strings live in one
// contiguous byte buffer with an offsets array (n + 1 entries), which is also how they are stored in HDF5.
//
// The index is an open-addressing hash table of ids (linear probing, load <= 1/2), each slot holding the id and
// 32 bits of the string's hash, so a lookup touches one slot array and, on a tag match, the bytes. Holding ids
// rather than pointers keeps the table valid when the byte buffer grows, and makes copies plain copies.
// Ingest spends most of its time here: a node-based std::unordered_map was three times slower.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "cibgraph/error.hpp"

namespace cibgraph {

class StringDictionary {
 public:
  static constexpr std::uint32_t kMaxSize = std::numeric_limits<std::uint32_t>::max() - 1;
  static constexpr std::uint32_t kMissing = std::numeric_limits<std::uint32_t>::max();

  StringDictionary() : offsets_{0} {}

  // Returns the id of s, adding it when new. Throws Error past kMaxSize distinct strings.
  std::uint32_t intern(std::string_view s) {
    if ((size() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = hash(s);
    const std::uint64_t tag = h >> 32;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint64_t slot = slots_[i];
      if (slot == 0) {
        if (size() >= kMaxSize) throw Error("dictionary full: more than 2^32 - 2 distinct strings");
        const auto id = static_cast<std::uint32_t>(size());
        bytes_.append(s);
        offsets_.push_back(bytes_.size());
        slots_[i] = (tag << 32) | (std::uint64_t{id} + 1);
        return id;
      }
      if ((slot >> 32) == tag) {
        const auto id = static_cast<std::uint32_t>((slot & 0xffffffffu) - 1);
        if (view(id) == s) return id;
      }
    }
  }

  // The id of s, or kMissing.
  std::uint32_t find(std::string_view s) const {
    if (slots_.empty()) return kMissing;
    const std::uint64_t h = hash(s);
    const std::uint64_t tag = h >> 32;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint64_t slot = slots_[i];
      if (slot == 0) return kMissing;
      if ((slot >> 32) == tag) {
        const auto id = static_cast<std::uint32_t>((slot & 0xffffffffu) - 1);
        if (view(id) == s) return id;
      }
    }
  }

  std::string_view view(std::uint32_t id) const {
    return std::string_view(bytes_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  std::string_view operator[](std::uint32_t id) const { return view(id); }
  std::size_t size() const { return offsets_.size() - 1; }
  bool empty() const { return size() == 0; }

  const std::string& bytes() const { return bytes_; }
  const std::vector<std::uint64_t>& offsets() const { return offsets_; }

  void clear() {
    bytes_.clear();
    offsets_.assign(1, 0);
    slots_.clear();
    mask_ = 0;
  }

  void reserve(std::size_t strings, std::size_t bytes) {
    offsets_.reserve(strings + 1);
    bytes_.reserve(bytes);
    while (slots_.size() < strings * 2) grow();
  }

  // Rebuilds a dictionary from its stored form. Checks offsets are monotone and inside bytes, and that the
  // strings are distinct (ids must be a bijection); throws FormatError otherwise.
  static StringDictionary from_storage(std::string bytes, std::vector<std::uint64_t> offsets) {
    if (offsets.empty() || offsets.front() != 0 || offsets.back() != bytes.size())
      throw FormatError("dictionary offsets do not span its bytes");
    for (std::size_t i = 1; i < offsets.size(); ++i)
      if (offsets[i] < offsets[i - 1]) throw FormatError("dictionary offsets are not monotone");
    if (offsets.size() - 1 > kMaxSize) throw FormatError("dictionary too large");
    StringDictionary stored;
    stored.bytes_ = std::move(bytes);
    stored.offsets_ = std::move(offsets);
    stored.rebuild_index(true);
    return stored;
  }

  // 64-bit hash of a string: eight bytes at a time, multiply-xorshift mixing.
  static std::uint64_t hash(std::string_view s) {
    constexpr std::uint64_t k = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = 0x243F6A8885A308D3ULL ^ (s.size() * k);
    const char* p = s.data();
    std::size_t n = s.size();
    while (n >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      h = (h ^ w) * k;
      h ^= h >> 29;
      p += 8;
      n -= 8;
    }
    if (n) {
      std::uint64_t w = 0;
      std::memcpy(&w, p, n);
      h = (h ^ w) * k;
      h ^= h >> 29;
    }
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
  }

 private:
  void grow() {
    const std::size_t capacity = slots_.empty() ? 64 : slots_.size() * 2;
    slots_.assign(capacity, 0);
    mask_ = capacity - 1;
    rebuild_index(false);
  }

  // Re-inserts every id. With check_duplicates, throws FormatError when two ids hold the same string.
  void rebuild_index(bool check_duplicates) {
    std::size_t capacity = slots_.size() < 64 ? 64 : slots_.size();
    while (capacity < (size() + 1) * 2) capacity *= 2;
    if (capacity != slots_.size()) slots_.assign(capacity, 0);
    else std::fill(slots_.begin(), slots_.end(), 0);
    mask_ = capacity - 1;
    for (std::uint32_t id = 0; id < size(); ++id) {
      const std::string_view s = view(id);
      const std::uint64_t h = hash(s);
      std::size_t i = h & mask_;
      while (slots_[i] != 0) {
        if (check_duplicates && (slots_[i] >> 32) == (h >> 32) &&
            view(static_cast<std::uint32_t>((slots_[i] & 0xffffffffu) - 1)) == s)
          throw FormatError("dictionary holds duplicate strings");
        i = (i + 1) & mask_;
      }
      slots_[i] = ((h >> 32) << 32) | (std::uint64_t{id} + 1);
    }
  }

  std::string bytes_;
  std::vector<std::uint64_t> offsets_;
  std::vector<std::uint64_t> slots_;  // 0 = empty; else (hash >> 32) << 32 | (id + 1)
  std::size_t mask_ = 0;
};

}  // namespace cibgraph
