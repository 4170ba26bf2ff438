#pragma once
// The presets a scenario falls back on, declared as data: the phase plans, the roles of the
// professionals, the defaults of a shock per kind and of a generated city. scenario/presets.cpp
// and scenario/load.cpp read these tables; nothing else spells the values out.
#include <cstddef>
#include <cstdint>
#include <iterator>

#include "wijksim/scenario/spec.hpp"

namespace wijksim {

// One phase of a preset plan (programme.plan), in order.
struct PhasePreset {
  PlanPreset plan;
  const char* name;
  PhaseKind kind;
  double min_weeks, max_weeks;  // max 0: no maximum (the last phase runs to the planned end)
  Activities activities;        // outreach, vision, support, projects
  double exit_reached_share;    // -1: none
  bool mobilising, styled, budget_open, monitoring;
  bool aligning = false;    // partners work toward a shared problem definition (urgentie)
  bool organising = false;  // team, budget and convenant are organised (randvoorwaarden)
};
inline constexpr PhasePreset phase_presets[] = {
    // Platform31's five phases (wendbaar); durations are typical, not prescribed.
    {PlanPreset::wendbaar, "urgentie", PhaseKind::urgentie, 8, 16, {0.4, 0.0, 0.4, 0.2}, -1, true, false, false, false, true, false},
    {PlanPreset::wendbaar, "uitnodigen", PhaseKind::uitnodigen, 8, 26, {0.85, 0.0, 0.15, 0.0}, 0.3, true, false, false, false},
    {PlanPreset::wendbaar, "visievorming", PhaseKind::visievorming, 12, 26, {0.25, 0.6, 0.15, 0.0}, -1, false, false, false, false},
    {PlanPreset::wendbaar, "randvoorwaarden", PhaseKind::randvoorwaarden, 8, 16, {0.3, 0.0, 0.4, 0.3}, -1, false, true, true, false, false, true},
    {PlanPreset::wendbaar, "uitvoeren", PhaseKind::uitvoeren, 0, 0, {0.4, 0.0, 0.45, 0.15}, -1, false, true, true, true},
    // Hengelo's three phases: initiëren (includes Platform31's urgentie: aligning), ontwerpen
    // (includes organising the conditions), uitvoeren / sturen op verandering.
    {PlanPreset::hengelo, "initieren", PhaseKind::uitnodigen, 13, 26, {0.7, 0.1, 0.2, 0.0}, -1, true, false, false, false, true, false},
    {PlanPreset::hengelo, "ontwerpen", PhaseKind::visievorming, 13, 39, {0.25, 0.45, 0.3, 0.0}, -1, false, false, true, false, false, true},
    {PlanPreset::hengelo, "uitvoeren", PhaseKind::uitvoeren, 0, 0, {0.4, 0.0, 0.45, 0.15}, -1, false, true, true, true},
    // Top-down: straight to execution with professional-led projects; no invitation, no vision,
    // no shared problem definition: team, budget and convenant are organised on the go.
    {PlanPreset::top_down, "uitvoeren", PhaseKind::uitvoeren, 0, 0, {0.1, 0.0, 0.2, 0.7}, -1, false, false, true, true},
};

// The default roles (staff.roles when not given).
struct RolePreset {
  const char* role;
  const char* employer;
  const char* domain;
  double fte_per_10k;
  bool programme, visible, leader;
  bool coordinator = false;  // a wijkregisseur: coordinates partners across domains in the wijk
};
inline constexpr RolePreset role_presets[] = {
    // Regular services, present with or without a programme.
    {"wijkagent", "police", "safety", 2.0, false, true, false},  // ~1 per 5,000 residents
    {"sociaal_wijkteam", "municipality", "social", 3.0, false, false, false},
    {"corporatie", "housing_association", "physical", 1.0, false, true, false},
    // The programme's own staff.
    {"wijkmanager", "municipality", "physical", 0.73, true, false, false},  // DSP: 1 per 13,700
    {"opbouwwerker", "partner", "social", 2.0, true, true, false},
    {"projectleider", "municipality", "physical", 0.5, true, false, false},
    {"procesleider", "independent", "social", 0.0, true, false, true},
    // Coordinates the partners of the three domains in the wijk (about half an FTE per 10,000
    // residents): less coordination overhead, more partner hours, koppelkansen.
    {"wijkregisseur", "municipality", "integral", 0.5, true, false, false, true},
};
// What a role written in a scenario gets for the keys it leaves out.
inline constexpr RolePreset role_defaults = {"", "municipality", "social", 0.0, true, false, false};

// A shock's magnitude and duration when the scenario leaves them out, per kind.
struct ShockPreset {
  ShockKind kind;
  double magnitude;       // cut fraction, incident multiplier or share of staff leaving
  double duration_weeks;  // incident waves
};
inline constexpr ShockPreset shock_presets[] = {
    {ShockKind::budget_cut, 0.3, 0},
    {ShockKind::incident_wave, 2.0, 13},
    {ShockKind::staff_change, 0.3, 0},
    {ShockKind::stop, 0.3, 0},
};

// city.generate: what a generated city uses for the keys it leaves out.
struct CityGeneration {
  double buurten_min = 3, buurten_max = 8;  // buurten per wijk
  double residents_median = 1500, residents_sigma = 0.6, residents_min = 50, residents_max = 20000;  // lognormal
  double deprivation_low = 0.1, deprivation_high = 0.8;  // wijk deprivation drawn in between
  double buurt_deprivation_spread = 0.15;                // buurten around their wijk's deprivation
  std::uint64_t seed = 1;
};
inline constexpr CityGeneration city_generation_defaults{};

}  // namespace wijksim

namespace wijksim {
// shock_presets is indexed by ShockKind.
constexpr bool shock_presets_in_kind_order() {
  for (std::size_t k = 0; k < std::size(shock_presets); ++k)
    if (static_cast<std::size_t>(shock_presets[k].kind) != k) return false;
  return std::size(shock_presets) == shock_kind_names.size();
}
static_assert(shock_presets_in_kind_order());
}  // namespace wijksim
