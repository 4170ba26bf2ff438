#pragma once
// The programme's calendar, derived once from a scenario: the weeks of council elections and
// the names of the phase timeline. The world (city/population.cpp) holds its elections from
// here; the run manifest, the report's context and serve's timeline record or show the same
// lists, so tools/plot and the Python module read them instead of working them out again.
#include <cstdint>
#include <string>
#include <vector>

#include "wijksim/scenario/spec.hpp"

namespace wijksim {

// Weeks after the start date (week 0) of every council election up to the end of the run:
// governance.first_election_after, then every governance.election_interval.
std::vector<std::int32_t> election_weeks(const Params& p);

// The `phase` metric's values as names: index 0 is "none" (no programme phase), index k the
// k-th phase of the plan.
std::vector<std::string> phase_timeline_names(const ScenarioSpec& s);

}  // namespace wijksim
