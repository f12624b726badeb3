#pragma once
// Interaction graphs: directed account -> account graphs from events whose target is an account (retweet,
// mention, reply), weighted by the number of such events, with the time range of each arc.
//
// Vertices [0, accounts.size()) are the table's acting accounts; a target naming an account that never acted
// becomes an extra vertex (listed in `extra_accounts`), so a mentioned but silent account is still in the graph.
// Cost: O(E log E) for the sort of the selected events.
#include <cstdint>
#include <string>
#include <vector>

#include "cibgraph/event_table.hpp"
#include "cibgraph/graph.hpp"

namespace cibgraph {

struct InteractionOptions {
  std::vector<std::string> actions{"retweet", "mention", "reply"};
  bool include_self_loops = false;  // an account retweeting itself
};

struct InteractionGraph {
  Graph graph;                              // directed; weight = events from source to target
  std::vector<std::int64_t> first_time_ms;  // per arc, in CSR order
  std::vector<std::int64_t> last_time_ms;
  std::vector<std::string> extra_accounts;  // vertex accounts.size() + i is extra_accounts[i]
  std::uint64_t events_used = 0;
  std::uint64_t self_loops_dropped = 0;
};

InteractionGraph interaction_graph(const EventTable& events, const InteractionOptions& options = {});

}  // namespace cibgraph
