#pragma once
// EventTable: the columnar table of actions every later stage reads. One row is "an account did an action on a
// target at a time", optionally with a text and the target's own creation time. Strings are interned to dense
// uint32 ids through dictionaries; times are int64 milliseconds since the Unix epoch, UTC.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <vector>

#include "cibgraph/dictionary.hpp"
#include "cibgraph/error.hpp"

namespace cibgraph {

inline constexpr std::uint32_t kNoText = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
inline constexpr std::size_t kMaxActions = 255;  // action codes are uint8

struct EventTable {
  std::vector<std::uint32_t> account;
  std::vector<std::uint8_t> action;
  std::vector<std::uint32_t> target;
  std::vector<std::int64_t> time;         // ms since epoch, UTC
  std::vector<std::uint32_t> text;        // id in texts, or kNoText
  std::vector<std::int64_t> target_time;  // ms since epoch, UTC, or kNoTime; empty when no column was mapped

  StringDictionary accounts, actions, targets, texts;

  std::size_t size() const { return account.size(); }
  bool empty() const { return account.empty(); }
  bool has_target_time() const { return !target_time.empty(); }

  void reserve(std::size_t n) {
    account.reserve(n);
    action.reserve(n);
    target.reserve(n);
    time.reserve(n);
    text.reserve(n);
  }

  // Throws FormatError unless every column has size() rows and every id is inside its dictionary.
  void validate() const {
    const std::size_t n = size();
    if (action.size() != n || target.size() != n || time.size() != n || text.size() != n ||
        (!target_time.empty() && target_time.size() != n))
      throw FormatError("event columns have different lengths");
    if (actions.size() > kMaxActions) throw FormatError("more than 255 actions");
    for (std::size_t i = 0; i < n; ++i) {
      if (account[i] >= accounts.size()) throw FormatError("account id out of range at row " + std::to_string(i));
      if (action[i] >= actions.size()) throw FormatError("action code out of range at row " + std::to_string(i));
      if (target[i] >= targets.size()) throw FormatError("target id out of range at row " + std::to_string(i));
      if (text[i] != kNoText && text[i] >= texts.size())
        throw FormatError("text id out of range at row " + std::to_string(i));
    }
  }

  // Reorders every column by perm (row i of the result is row perm[i] of this table).
  void permute(std::span<const std::uint64_t> perm) {
    if (perm.size() != size()) throw Error("permutation size differs from table size");
    auto apply = [&](auto& column) {
      if (column.empty()) return;
      std::remove_reference_t<decltype(column)> out(column.size());
      for (std::size_t i = 0; i < perm.size(); ++i) out[i] = column[perm[i]];
      column.swap(out);
    };
    apply(account);
    apply(action);
    apply(target);
    apply(time);
    apply(text);
    apply(target_time);
  }

  // The stable order of rows by (target, time): what every co-action sweep walks. A counting sort by target
  // (O(n + targets), input order kept) and then each target's rows sorted by time, targets in parallel; ties keep
  // input order, so the result is the same for any thread count.
  std::vector<std::uint64_t> order_by_target_time() const {
    std::vector<std::uint64_t> starts(targets.size() + 1, 0);
    for (std::uint32_t t : target) {
      if (t >= targets.size()) throw Error("target id out of range while sorting");
      ++starts[t + 1];
    }
    std::partial_sum(starts.begin(), starts.end(), starts.begin());
    std::vector<std::uint64_t> perm(size());
    {
      std::vector<std::uint64_t> next(starts.begin(), starts.end() - 1);
      for (std::uint64_t i = 0; i < size(); ++i) perm[next[target[i]]++] = i;
    }
    const auto n_targets = static_cast<std::int64_t>(targets.size());
#pragma omp parallel for schedule(dynamic, 1024) if (size() > 100000)
    for (std::int64_t t = 0; t < n_targets; ++t) {
      auto first = perm.begin() + static_cast<std::ptrdiff_t>(starts[static_cast<std::size_t>(t)]);
      auto last = perm.begin() + static_cast<std::ptrdiff_t>(starts[static_cast<std::size_t>(t) + 1]);
      std::stable_sort(first, last, [&](std::uint64_t a, std::uint64_t b) { return time[a] < time[b]; });
    }
    return perm;
  }

  void sort_by_target_time() { permute(order_by_target_time()); }

  // After sort_by_target_time(): offsets into the rows, one range per target id (targets.size() + 1 entries),
  // so rows [offsets[t], offsets[t+1]) are target t's events in time order. O(n) by counting.
  std::vector<std::uint64_t> target_partition() const {
    std::vector<std::uint64_t> offsets(targets.size() + 1, 0);
    for (std::uint32_t t : target) ++offsets[t + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    return offsets;
  }
};

}  // namespace cibgraph
