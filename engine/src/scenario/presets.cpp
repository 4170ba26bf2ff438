#include "wijksim/scenario/spec.hpp"

namespace wijksim {

std::vector<PhaseSpec> preset_phases(PlanPreset plan) {
  auto phase = [](const char* name, PhaseKind kind, double min_w, double max_w, Activities a) {
    PhaseSpec p;
    p.name = name;
    p.kind = kind;
    p.min_weeks = min_w;
    p.max_weeks = max_w;
    p.activities = a;
    return p;
  };
  std::vector<PhaseSpec> phases;
  switch (plan) {
    case PlanPreset::wendbaar: {
      // Platform31's five phases; durations are typical, not prescribed.
      auto urg = phase("urgentie", PhaseKind::urgentie, 8, 16, {0.4, 0.0, 0.4, 0.2});
      urg.mobilising = true;
      urg.styled = false;
      urg.aligning = true;  // partners come to a shared problem definition
      auto inv = phase("uitnodigen", PhaseKind::uitnodigen, 8, 26, {0.85, 0.0, 0.15, 0.0});
      inv.exit_reached_share = 0.3;
      inv.mobilising = true;
      inv.styled = false;
      auto vis = phase("visievorming", PhaseKind::visievorming, 12, 26, {0.25, 0.6, 0.15, 0.0});
      vis.styled = false;
      auto rvw = phase("randvoorwaarden", PhaseKind::randvoorwaarden, 8, 16, {0.3, 0.0, 0.4, 0.3});
      rvw.budget_open = true;
      rvw.organising = true;  // team, budget, convenant
      auto uit = phase("uitvoeren", PhaseKind::uitvoeren, 0, 0, {0.4, 0.0, 0.45, 0.15});
      uit.budget_open = true;
      uit.monitoring = true;
      phases = {urg, inv, vis, rvw, uit};
      break;
    }
    case PlanPreset::hengelo: {
      // Hengelo's three phases: initiëren, ontwerpen, uitvoeren / sturen op verandering.
      auto ini = phase("initieren", PhaseKind::uitnodigen, 13, 26, {0.7, 0.1, 0.2, 0.0});
      ini.mobilising = true;
      ini.styled = false;
      ini.aligning = true;  // initiëren includes Platform31's urgentie
      auto ont = phase("ontwerpen", PhaseKind::visievorming, 13, 39, {0.25, 0.45, 0.3, 0.0});
      ont.budget_open = true;
      ont.styled = false;
      ont.organising = true;  // ontwerpen includes organising the conditions
      auto uit = phase("uitvoeren", PhaseKind::uitvoeren, 0, 0, {0.4, 0.0, 0.45, 0.15});
      uit.budget_open = true;
      uit.monitoring = true;
      phases = {ini, ont, uit};
      break;
    }
    case PlanPreset::top_down: {
      // Straight to execution with professional-led projects; no invitation, no vision, no
      // shared problem definition: team, budget and convenant are organised on the go.
      auto uit = phase("uitvoeren", PhaseKind::uitvoeren, 0, 0, {0.1, 0.0, 0.2, 0.7});
      uit.budget_open = true;
      uit.monitoring = true;
      uit.styled = false;
      phases = {uit};
      break;
    }
  }
  return phases;
}

std::vector<RoleSpec> default_roles() {
  auto role = [](const char* r, const char* employer, const char* domain, double fte, bool prog,
                 bool visible, bool leader = false, bool coordinator = false) {
    return RoleSpec{r, employer, domain, fte, prog, visible, leader, coordinator};
  };
  return {
      // Regular services, present with or without a programme.
      role("wijkagent", "police", "safety", 2.0, false, true),        // ~1 per 5,000 residents
      role("sociaal_wijkteam", "municipality", "social", 3.0, false, false),
      role("corporatie", "housing_association", "physical", 1.0, false, true),
      // The programme's own staff.
      role("wijkmanager", "municipality", "physical", 0.73, true, false),  // DSP: 1 per 13,700
      role("opbouwwerker", "partner", "social", 2.0, true, true),
      role("projectleider", "municipality", "physical", 0.5, true, false),
      role("procesleider", "independent", "social", 0.0, true, false, true),
      // Coordinates the partners of the three domains in the wijk (about half an FTE per
      // 10,000 residents): less coordination overhead, more partner hours, koppelkansen.
      role("wijkregisseur", "municipality", "integral", 0.5, true, false, false, true),
  };
}

}  // namespace wijksim
