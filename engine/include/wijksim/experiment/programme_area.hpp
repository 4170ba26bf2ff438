#pragma once
// The scenario a store ran and the part of the city its programme covers: one home for what
// `compare` (the programme-area figures) and `report` (report_context.json) both need.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wijksim/experiment/store.hpp"
#include "wijksim/scenario/spec.hpp"

namespace wijksim::experiment {

// The baseline scenario of a store (its baseline cell at the lowest design point), loaded from
// the experiment file the store records. A relative file name that does not exist from here is
// tried under `source_root` (the source tree, when given). `spec` is empty when it cannot be
// loaded (`warning` says why); `matches_store` is false when the file changed since the run.
struct StoreScenario {
  std::optional<ScenarioSpec> spec;
  bool matches_store = false;
  std::string warning;
};
StoreScenario load_store_scenario(const Store& store, const std::string& source_root = "");

// The wijken a programme covers and the adults that weight their shares and means.
struct ProgrammeArea {
  // Wijk codes in scenario order: the declared programme wijken, else the wijken of the start
  // buurten; empty when the programme covers the whole city (the city figures are then the
  // programme's).
  std::vector<std::string> wijken;
  std::map<std::string, std::string> wijk_of;  // buurt code -> wijk code
  std::map<std::string, int> adults;           // buurt and wijk code -> adults at the start
};
ProgrammeArea programme_area(const ScenarioSpec& spec);

}  // namespace wijksim::experiment
