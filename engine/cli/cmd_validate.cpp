#include <iostream>

#include "args.hpp"
#include "wijksim/scenario/load.hpp"

namespace wijksim::cli {

int cmd_validate(const std::vector<std::string>& argv) {
  Args args("validate", argv);
  std::vector<Override> overrides;
  for (const auto& s : args.take_all("--set")) overrides.push_back(parse_override(s));
  const auto pos = args.positionals(1, 1, "wijksim validate SCENARIO [--set PATH=VALUE]...");
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
