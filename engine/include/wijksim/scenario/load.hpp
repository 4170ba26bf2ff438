#pragma once
// Scenario files: strict JSON loading. Every problem is collected and reported at once with
// file, JSON path, what was found and what was expected.
//
// The concerns live in their own files: JSON text hygiene (json_text.hpp), the one checker
// (json_checker.hpp), nearest-key suggestions (nearest_key.hpp), --set overrides
// (overrides.hpp), the section readers and city generation (src/scenario/sections.hpp), and
// the resolved scenario and its hash (resolve.hpp). This file only puts them in order.
#include <string>
#include <vector>

#include "wijksim/scenario/json_text.hpp"
#include "wijksim/scenario/nearest_key.hpp"
#include "wijksim/scenario/overrides.hpp"
#include "wijksim/scenario/spec.hpp"

namespace wijksim {

// Reads, overrides, validates and resolves. Throws InputError with every problem.
ScenarioSpec load_scenario_file(const std::string& file, const std::vector<Override>& overrides = {});
ScenarioSpec load_scenario_json(const nlohmann::json& doc, const std::string& file_label,
                                const std::vector<Override>& overrides = {});

}  // namespace wijksim
