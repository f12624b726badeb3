#include <charconv>
#include <filesystem>
#include <iostream>

#include "args.hpp"
#include "cibgraph/datasets/planted_campaigns.hpp"
#include "cibgraph/time.hpp"
#include "commands.hpp"

namespace cibgraph::cli {

namespace {

// "10,30" -> {10, 30}; the generator checks the range of each.
std::vector<std::uint32_t> size_list(const std::string& name, const std::string& text) {
  std::vector<std::uint32_t> sizes;
  std::size_t at = 0;
  for (;;) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data() + at, text.data() + comma, value);
    if (ec != std::errc() || end != text.data() + comma)
      throw UsageError("generate: --" + name + " needs sizes separated by commas (10,30), got '" + text + "'");
    sizes.push_back(value);
    if (comma == text.size()) return sizes;
    at = comma + 1;
  }
}

}  // namespace

int run_generate(int argc, char** argv) {
  Args args("generate", "planted --out DIR [--events N] [--seed S] [--days D] [--squads N ...]",
            "Writes the planted-campaign scenario: pages and their posts, an organic audience with heavy-tailed\n"
            "activity, viral posts, synchronised fan clubs (organic), planted coordinated networks, and\n"
            "amplification squads (8-30 accounts that share every post of their own page within seconds).\n"
            "DIR/events.csv holds the events (account_id,action,target,timestamp,text,target_time) and\n"
            "DIR/truth.csv the ground truth (account_id,kind,group): network members are campaign/netNN, squad\n"
            "members campaign/sqNN. Deterministic from the seed. --squads 0 writes the scenario without squads.",
            {{"out", "DIR", "output folder (created)", "o"},
             {"events", "N", "number of events, 1000 to 20000000 [1000000]", "n"},
             {"seed", "S", "random seed [1]", ""},
             {"days", "D", "length of the scenario in days [30]", ""},
             {"squads", "N", "amplification squads, 0 for none [2 from 10^4 events, else 0]", ""},
             {"squad-sizes", "LIST", "squad sizes, comma-separated, each 2-1000 (sets the count) [10,30]", ""},
             {"squad-posts", "P", "posts each squad page publishes, 10-1000 [20]", ""},
             {"squad-burst", "DUR", "members share within DUR of each post, 1s-1h [20s]", ""},
             {"squad-reliability", "R", "chance a member shares a given post, (0, 1] [1]", ""},
             {"squad-followers", "N", "organic accounts sharing each squad post, hours later [5]", ""},
             {"no-squad-camouflage", "", "squad members share no organic posts (default: 1-5 each)", ""},
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
  if (args.get("squads")) options.squads = static_cast<std::int32_t>(std::min(args.get_int("squads", 0, 0), 1000LL));
  if (const auto sizes = args.get("squad-sizes")) options.squad_sizes = size_list("squad-sizes", *sizes);
  options.squad_posts = static_cast<std::uint32_t>(std::min(args.get_int("squad-posts", 20, 0), 100'000LL));
  if (const auto burst = args.get("squad-burst")) options.squad_burst_ms = parse_duration_ms(*burst);
  options.squad_reliability = args.get_real("squad-reliability", 1.0);
  options.squad_followers = static_cast<std::uint32_t>(std::min(args.get_int("squad-followers", 5, 0), 100'000LL));
  options.squad_camouflage = !args.flag("no-squad-camouflage");
  std::filesystem::create_directories(*out);
  const auto events_path = (std::filesystem::path(*out) / "events.csv").string();
  const auto truth_path = (std::filesystem::path(*out) / "truth.csv").string();
  const datasets::PlantedSummary s = datasets::write_planted_campaigns(options, events_path, truth_path);
  if (!args.flag("quiet")) {
    std::cout << "wrote " << events_path << " (" << s.events << " events: " << s.shares << " shares, " << s.comments
              << " comments; " << s.accounts << " accounts, " << s.pages << " pages, " << s.posts << " posts)\n"
              << "wrote " << truth_path << " (" << s.networks << " planted networks of sizes";
    for (auto n : s.network_sizes) std::cout << " " << n;
    std::cout << "; " << s.squads << " squads";
    if (s.squads > 0) {
      std::cout << " of sizes";
      for (auto n : s.squad_sizes) std::cout << " " << n;
    }
    std::cout << "; " << s.fan_clubs << " fan clubs; " << s.viral_posts << " viral posts)\n";
  }
  return 0;
}

}  // namespace cibgraph::cli
