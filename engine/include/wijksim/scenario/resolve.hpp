#pragma once
// The resolved scenario: every value in the user's units, as the run manifest records it, and
// the hash of that text, which names the scenario in outputs and stores.
#include <string>

#include <nlohmann/json.hpp>

#include "wijksim/scenario/spec.hpp"

namespace wijksim {

nlohmann::ordered_json resolve(const ScenarioSpec& s);
// 16 hex digits of FNV-1a over the resolved scenario's compact text.
std::string scenario_hash(const nlohmann::ordered_json& resolved);

// One phase or role as the scenario file and the resolved scenario write it.
nlohmann::ordered_json phase_json(const PhaseSpec& p);
nlohmann::ordered_json role_json(const RoleSpec& ro);

}  // namespace wijksim
