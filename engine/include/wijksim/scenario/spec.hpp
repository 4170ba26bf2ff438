#pragma once
// The immutable description of one scenario, built once from JSON and validated. The
// simulation's mutable state (sim/) is built from it and never writes back.
#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/scenario/params.hpp"

namespace wijksim {

// CBS age groups as in Kerncijfers wijken en buurten: 0-15, 15-25, 25-45, 45-65, 65+.
inline constexpr int cbs_age_group_count = 5;
inline constexpr std::array<const char*, cbs_age_group_count> cbs_age_groups = {
    "0-15", "15-25", "25-45", "45-65", "65+"};

struct BuurtSpec {
  std::string code, name;
  int residents = 0;                          // all ages
  std::array<int, cbs_age_group_count> age{}; // residents per CBS age group
  double deprivation = 0.4;
  int meeting_places = 1;
  // Real-place data (import-cbs); negative: not given.
  double owner_occupied = -1;           // share of owner-occupied dwellings
  double recorded_crime_per_1000 = -1;  // police-recorded crimes per 1,000 residents per year
  int adults() const { return age[1] + age[2] + age[3] + age[4]; }
};

struct WijkSpec {
  std::string code, name;
  int wijk_class = -1;  // WijkClass, or -1 to derive from mean deprivation
  std::vector<BuurtSpec> buurten;
};

struct CitySpec {
  std::string code = "city", name = "city";
  std::string credit;
  std::vector<WijkSpec> wijken;
};

enum class PhaseKind : int { urgentie = 0, uitnodigen, visievorming, randvoorwaarden, uitvoeren };
inline constexpr std::array<const char*, 5> phase_kind_names = {
    "urgentie", "uitnodigen", "visievorming", "randvoorwaarden", "uitvoeren"};

// How proactive hours are split in a phase before the working style is applied.
struct Activities {
  double outreach = 0, vision = 0, support = 0, projects = 0;
};

struct PhaseSpec {
  std::string name;
  PhaseKind kind = PhaseKind::uitvoeren;
  double min_weeks = 0;
  double max_weeks = 0;           // 0: no maximum (the last phase runs to the planned end)
  double exit_reached_share = -1; // leave once this share of residents was reached (-1: none)
  Activities activities;
  bool monitoring = false;        // quarterly monitoring and re-allocation
  bool budget_open = false;       // the programme's initiative and investment budgets pay out
  bool mobilising = false;        // urgency adds to participation (initial mobilisation)
  bool styled = true;             // the wijk's working style shapes the proactive split
  bool aligning = false;          // partners work toward a shared problem definition (urgentie)
  bool organising = false;        // team, budget and convenant are organised (randvoorwaarden)
};

struct RoleSpec {
  std::string role, employer, domain;
  double fte_per_10k = 0;
  bool programme = false;   // exists only while the programme is alive (else: regular service)
  bool visible = false;     // counts as visible presence in the street
  bool leader = false;      // the independent process leader (hours from building_blocks)
  bool coordinator = false; // a wijkregisseur: coordinates partners across domains in the wijk
};

enum class ShockKind : int { budget_cut = 0, incident_wave, staff_change, stop };
inline constexpr std::array<const char*, 4> shock_kind_names = {"budget_cut", "incident_wave",
                                                                 "staff_change", "stop"};
struct ShockSpec {
  ShockKind kind = ShockKind::budget_cut;
  double week = 0;           // weeks after the start date
  double magnitude = 0;      // cut fraction, incident multiplier, or share of staff leaving
  double duration_weeks = 0; // for incident waves
  std::vector<std::string> wijken;  // empty: all
};

struct ScenarioSpec {
  std::string name;
  std::string description;
  std::string source_file;
  std::string start_date = "2026-01-05";
  Params params;
  CitySpec city;
  std::vector<PhaseSpec> phases;
  std::vector<RoleSpec> roles;
  std::vector<ShockSpec> shocks;
  std::vector<std::string> programme_start_buurten;  // empty: every buurt of programme_wijken
  std::vector<std::string> programme_wijken;         // empty: every wijk
  nlohmann::ordered_json resolved;  // every value, defaults filled in, in the user's units
  std::string hash;                 // of the resolved scenario
};

std::vector<PhaseSpec> preset_phases(PlanPreset plan);
std::vector<RoleSpec> default_roles();

}  // namespace wijksim
