#pragma once
// The result every community detection algorithm returns.
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace cibgraph {

struct CommunityResult {
  // membership[v]: community of vertex v, numbered 0..count-1 in order of each community's smallest vertex, so the
  // same partition always gets the same numbers.
  std::vector<std::uint32_t> membership;
  std::uint32_t count = 0;
  double quality = 0;           // the quality function the algorithm optimised (modularity, CPM, ...), at the end
  std::uint32_t iterations = 0;  // outer iterations (passes, aggregation levels or sweeps, as each algorithm states)
};

// Renumbers labels in place to 0..count-1 in order of first appearance (= of each community's smallest vertex);
// returns count. O(n) time; O(n) memory for labels up to n, a hash map otherwise.
inline std::uint32_t renumber_communities(std::vector<std::uint32_t>& labels) {
  const std::uint32_t unset = ~std::uint32_t{0};
  std::uint32_t next = 0;
  std::uint32_t max_label = 0;
  for (auto l : labels) max_label = l > max_label ? l : max_label;
  if (static_cast<std::uint64_t>(max_label) < labels.size() + 1) {
    std::vector<std::uint32_t> map(static_cast<std::size_t>(max_label) + 1, unset);
    for (auto& l : labels) {
      if (map[l] == unset) map[l] = next++;
      l = map[l];
    }
  } else {
    std::unordered_map<std::uint32_t, std::uint32_t> map;
    for (auto& l : labels) l = map.try_emplace(l, next).second ? next++ : map[l];
  }
  return next;
}

}  // namespace cibgraph
