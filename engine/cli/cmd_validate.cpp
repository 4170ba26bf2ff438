#include <iostream>

#include "args.hpp"
#include "wijksim/scenario/load.hpp"

namespace wijksim::cli {

int cmd_validate(const std::vector<std::string>& argv) {
  Command cmd(
      "validate",
      "Checks a scenario file (with any --set overrides) and reports every problem at once, or its size and hash.",
      "wijksim validate SCENARIO [--set PATH=VALUE]... [--quiet]");
  std::vector<std::string> pos, sets;
  cmd.positionals("SCENARIO", pos, 1, 1, "the scenario JSON file");
  cmd.repeated("--set", sets, "PATH=VALUE", "override one parameter as `run` would (repeatable)");
  cmd.quiet_flag();
  if (cmd.parse(argv)) return 0;
  std::vector<Override> overrides;
  for (const auto& s : sets) overrides.push_back(set_override(s));
  const ScenarioSpec spec = load_scenario_file(pos[0], overrides);
  long long adults = 0, residents = 0, buurten = 0;
  for (const auto& w : spec.city.wijken)
    for (const auto& b : w.buurten) {
      adults += b.adults();
      residents += b.residents;
      ++buurten;
    }
  std::cout << pos[0] << ": valid (" << spec.city.wijken.size() << " wijken, " << buurten << " buurten, " << residents
            << " residents of whom " << adults << " aged 15+; hash " << spec.hash << ")\n";
  return 0;
}

}  // namespace wijksim::cli
