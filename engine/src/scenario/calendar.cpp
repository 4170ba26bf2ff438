#include "wijksim/scenario/calendar.hpp"

#include <cmath>

namespace wijksim {

std::vector<std::int32_t> election_weeks(const Params& p) {
  std::vector<std::int32_t> weeks;
  // Summed, not multiplied: the world has always stepped the calendar this way, and the
  // rounding of each term must stay what it was.
  for (double t = p.governance.first_election_after; t <= p.simulation.years + 1e-9; t += p.governance.election_interval)
    weeks.push_back(static_cast<std::int32_t>(std::lround(t)));
  return weeks;
}

std::vector<std::string> phase_timeline_names(const ScenarioSpec& s) {
  std::vector<std::string> names{"none"};
  for (const auto& ph : s.phases) names.push_back(ph.name);
  return names;
}

}  // namespace wijksim
