// The preset phase plans and roles, built from the tables declared in scenario/presets.hpp.
#include "wijksim/scenario/presets.hpp"

namespace wijksim {

std::vector<PhaseSpec> preset_phases(PlanPreset plan) {
  std::vector<PhaseSpec> phases;
  for (const auto& row : phase_presets) {
    if (row.plan != plan) continue;
    PhaseSpec p;
    p.name = row.name;
    p.kind = row.kind;
    p.min_weeks = row.min_weeks;
    p.max_weeks = row.max_weeks;
    p.activities = row.activities;
    p.exit_reached_share = row.exit_reached_share;
    p.mobilising = row.mobilising;
    p.styled = row.styled;
    p.budget_open = row.budget_open;
    p.monitoring = row.monitoring;
    p.aligning = row.aligning;
    p.organising = row.organising;
    phases.push_back(p);
  }
  return phases;
}

std::vector<RoleSpec> default_roles() {
  std::vector<RoleSpec> roles;
  for (const auto& r : role_presets)
    roles.push_back(RoleSpec{r.role, r.employer, r.domain, r.fte_per_10k, r.programme, r.visible, r.leader, r.coordinator});
  return roles;
}

}  // namespace wijksim
