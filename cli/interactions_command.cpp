#include <fstream>
#include <iostream>

#include "args.hpp"
#include "cibgraph/ingest.hpp"
#include "cibgraph/interaction.hpp"
#include "cibgraph/store.hpp"
#include "cibgraph/time.hpp"
#include "commands.hpp"

namespace cibgraph::cli {

int run_interactions(int argc, char** argv) {
  Args args("interactions", "DATA.h5 --edges FILE.csv [--actions retweet,mention,reply]",
            "Builds the directed account -> account graph of the events whose target is an account (retweets,\n"
            "mentions, replies), weighted by the number of events, with each arc's first and last time.",
            {{"edges", "FILE", "write the arcs as CSV: source,target,events,first_time,last_time (required)", ""},
             {"actions", "A,...", "actions whose target is an account [retweet,mention,reply]", ""},
             {"self-loops", "", "keep accounts acting on themselves", ""},
             {"quiet", "", "print nothing but errors", "q"}});
  if (!args.parse(argc, argv, 2)) return 0;
  if (args.positionals().size() != 1) throw UsageError("interactions: give one HDF5 data set (see --help)");
  const auto edges_path = args.get("edges");
  if (!edges_path) throw UsageError("interactions: --edges FILE is required");
  InteractionOptions opt;
  if (auto a = args.get("actions")) {
    opt.actions.clear();
    std::string_view list = *a;
    while (!list.empty()) {
      const auto comma = list.find(',');
      if (comma != 0) opt.actions.emplace_back(list.substr(0, comma));
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  opt.include_self_loops = args.flag("self-loops");
  const StoredEvents stored = read_events(args.positionals()[0]);
  const EventTable& ev = stored.events;
  const InteractionGraph ig = interaction_graph(ev, opt);
  auto name = [&](std::uint32_t v) -> std::string_view {
    return v < ev.accounts.size() ? ev.accounts[v] : std::string_view(ig.extra_accounts[v - ev.accounts.size()]);
  };
  std::ofstream out(*edges_path, std::ios::binary);
  if (!out) throw InputError({*edges_path, 0, {}}, "cannot write");
  out << "source,target,events,first_time,last_time\n";
  std::string row;
  const Graph& g = ig.graph;
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      row.clear();
      append_csv_field(row, name(v));
      row += ',';
      append_csv_field(row, name(g.targets[k]));
      row += "," + std::to_string(static_cast<std::uint64_t>(g.weights[k])) + "," + format_iso8601(ig.first_time_ms[k]) +
             "," + format_iso8601(ig.last_time_ms[k]) + "\n";
      out << row;
    }
  if (!out) throw InputError({*edges_path, 0, {}}, "error writing");
  if (!args.flag("quiet"))
    std::cout << ig.events_used << " interaction events, " << g.num_arcs() << " arcs among " << g.num_vertices()
              << " accounts (" << ig.extra_accounts.size() << " only as targets), " << ig.self_loops_dropped
              << " self-interactions left out; wrote " << *edges_path << "\n";
  return 0;
}

}  // namespace cibgraph::cli
