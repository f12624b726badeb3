#include <filesystem>
#include <iostream>

#include "args.hpp"
#include "cibgraph/datasets/planted_campaigns.hpp"
#include "commands.hpp"

namespace cibgraph::cli {

int run_generate(int argc, char** argv) {
  Args args("generate", "planted --out DIR [--events N] [--seed S] [--days D]",
            "Writes the planted-campaign scenario: pages and their posts, an organic audience with heavy-tailed\n"
            "activity, viral posts, synchronised fan clubs (organic) and planted coordinated networks.\n"
            "DIR/events.csv holds the events (account_id,action,target,timestamp,text,target_time) and\n"
            "DIR/truth.csv the ground truth (account_id,kind,group). Deterministic from the seed.",
            {{"out", "DIR", "output folder (created)", "o"},
             {"events", "N", "number of events, 10^4 to 10^7 [1000000]", "n"},
             {"seed", "S", "random seed [1]", ""},
             {"days", "D", "length of the scenario in days [30]", ""},
             {"quiet", "", "print nothing", "q"}});
  if (!args.parse(argc, argv, 2)) return 0;
  if (args.positionals().size() != 1 || args.positionals()[0] != "planted")
    throw UsageError("generate: the scenario to write is 'planted' (cibgraph generate planted --out DIR)");
  const auto out = args.get("out");
  if (!out) throw UsageError("generate: --out DIR is required");
  datasets::PlantedOptions options;
  options.events = static_cast<std::uint64_t>(args.get_int("events", 1'000'000, 1000));
  if (options.events > 20'000'000) throw UsageError("generate: --events is at most 20000000");
  options.seed = static_cast<std::uint64_t>(args.get_int("seed", 1, 0));
  options.days = static_cast<int>(args.get_int("days", 30, 1));
  std::filesystem::create_directories(*out);
  const auto events_path = (std::filesystem::path(*out) / "events.csv").string();
  const auto truth_path = (std::filesystem::path(*out) / "truth.csv").string();
  const datasets::PlantedSummary s = datasets::write_planted_campaigns(options, events_path, truth_path);
  if (!args.flag("quiet")) {
    std::cout << "wrote " << events_path << " (" << s.events << " events: " << s.shares << " shares, " << s.comments
              << " comments; " << s.accounts << " accounts, " << s.pages << " pages, " << s.posts << " posts)\n"
              << "wrote " << truth_path << " (" << s.networks << " planted networks of sizes";
    for (auto n : s.network_sizes) std::cout << " " << n;
    std::cout << "; " << s.fan_clubs << " fan clubs; " << s.viral_posts << " viral posts)\n";
  }
  return 0;
}

}  // namespace cibgraph::cli
