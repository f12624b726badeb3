#include "cibgraph/interaction.hpp"

#include <algorithm>

namespace cibgraph {

InteractionGraph interaction_graph(const EventTable& ev, const InteractionOptions& opt) {
  InteractionGraph out;
  std::vector<bool> selected(ev.actions.size(), false);
  for (const auto& a : opt.actions)
    if (auto code = ev.actions.find(a); code != StringDictionary::kMissing) selected[code] = true;

  // Target id -> vertex: an acting account, or a new extra vertex.
  std::vector<std::uint32_t> vertex_of_target(ev.targets.size(), StringDictionary::kMissing);
  StringDictionary extra;
  struct Arc {
    std::uint32_t src, dst;
    std::int64_t time;
  };
  std::vector<Arc> arcs;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (!selected[ev.action[i]]) continue;
    const auto t = ev.target[i];
    if (vertex_of_target[t] == StringDictionary::kMissing) {
      const std::string_view name = ev.targets[t];
      if (name.empty()) continue;
      const auto acc = ev.accounts.find(name);
      vertex_of_target[t] = acc != StringDictionary::kMissing
                                ? acc
                                : static_cast<std::uint32_t>(ev.accounts.size() + extra.intern(name));
    }
    const auto dst = vertex_of_target[t];
    if (dst == ev.account[i] && !opt.include_self_loops) {
      ++out.self_loops_dropped;
      continue;
    }
    arcs.push_back({ev.account[i], dst, ev.time[i]});
  }
  out.events_used = arcs.size();
  for (std::uint32_t i = 0; i < extra.size(); ++i) out.extra_accounts.emplace_back(extra[i]);
  const auto n = static_cast<std::uint32_t>(ev.accounts.size() + extra.size());

  std::sort(arcs.begin(), arcs.end(), [](const Arc& x, const Arc& y) {
    if (x.src != y.src) return x.src < y.src;
    if (x.dst != y.dst) return x.dst < y.dst;
    return x.time < y.time;
  });
  std::vector<std::uint32_t> src, dst;
  std::vector<float> weight;
  for (std::size_t i = 0; i < arcs.size();) {
    std::size_t j = i;
    while (j < arcs.size() && arcs[j].src == arcs[i].src && arcs[j].dst == arcs[i].dst) ++j;
    src.push_back(arcs[i].src);
    dst.push_back(arcs[i].dst);
    weight.push_back(static_cast<float>(j - i));
    out.first_time_ms.push_back(arcs[i].time);
    out.last_time_ms.push_back(arcs[j - 1].time);
    i = j;
  }
  // The arcs are already unique and in CSR order, so from_edges keeps this order and the time ranges line up.
  out.graph = Graph::from_edges(n, src, dst, weight, true, DuplicatePolicy::First);
  return out;
}

}  // namespace cibgraph
