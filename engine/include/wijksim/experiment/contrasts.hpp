#pragma once
// The question an experiment asks, checked with the rest of the file (docs/EXPERIMENTS.md):
//   "contrasts": [{"name": "doorgaan vs stoppen", "a": "doorgaan", "b": "stoppen"}, ...]
//   "smallest_effect": {"active_share": 0.005, ...}
// A contrast reads a minus b; the smallest effect is the difference (in the outcome's own unit,
// a share as a fraction) below which a result does not matter. The report answers each
// contrast in one sentence and uses the smallest effect for the tipping point.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/scenario/json_checker.hpp"

namespace wijksim::experiment {

void check_contrasts(JsonChecker& c, const nlohmann::json& doc, const std::vector<std::string>& variants,
                     const std::vector<std::string>& outcomes);

}  // namespace wijksim::experiment
