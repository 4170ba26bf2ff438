#pragma once
// The one place where parameters are declared: name (dotted JSON path), meaning, unit,
// default, valid range, source, the stage from which the parameter acts and its prior.
// Loading, validation, --set, `wijksim params`, docs/MODEL.md, burn-in branching and the
// parameter draws of experiments all read this table. How to write a row: the comment at the
// top of engine/src/scenario/param_table.cpp.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wijksim/core/units.hpp"
#include "wijksim/scenario/params.hpp"

namespace wijksim {

enum class ParamKind { real, integer, boolean, choice };

// From when a parameter acts on the simulated state (checked by the property test
// "every row acts from its declared stage"):
//   build      changes the city and population built before burn-in (initial values, network,
//              posts, the election calendar);
//   burn_in    acts from the first week of burn-in through the weekly processes;
//   programme  acts only from week 0 or only through the programme: the state at week 0 does not
//              depend on it, so burn-in branching may vary it.
enum class ParamStage { build, burn_in, programme };
const char* stage_name(ParamStage s);

// What we know about a parameter's value, in the user's unit. `fixed` marks values fixed by
// definition (calendar, units, switches, policy choices and levers a scenario sets); every
// other prior is a distribution on [lo, hi] inside the row's range:
//   uniform      flat on [lo, hi]
//   log_uniform  flat in log on [lo, hi] (lo > 0): for values known only to a factor
//   normal       mean a, sd b, truncated to [lo, hi]
//   beta         Beta(a, b) stretched over [lo, hi]
// basis says where it comes from: a source, or "assumption: ... because ...".
enum class PriorKind { fixed, uniform, log_uniform, normal, beta };
const char* prior_kind_name(PriorKind k);
struct Prior {
  PriorKind kind = PriorKind::fixed;
  double a = 0, b = 0;
  double lo = 0, hi = 0;
  std::string basis;
  // Relative priors, resolved against the row's default when the table is built (see
  // around() and around_log() in param_table.cpp); 0 once resolved.
  double relative = 0, factor = 0;

  bool is_fixed() const { return kind == PriorKind::fixed; }
  // The value at cumulative probability u in (0, 1): maps uniform draws (Sobol', Latin
  // hypercube, keyed random numbers) onto the prior.
  double quantile(double u) const;
  // "uniform [0.1, 0.3]", "normal (0.5, 0.1) on [0, 1]", "fixed"
  std::string describe() const;
};

struct ParamDef {
  std::string path;
  ParamKind kind;
  Unit unit;
  double default_value;  // in the user's unit; for a choice, the index into choices
  double min, max;       // inclusive, in the user's unit
  std::vector<std::string> choices;
  std::string meaning;
  std::string source;
  double* (*real)(Params&) = nullptr;
  int* (*integer)(Params&) = nullptr;
  bool* (*boolean)(Params&) = nullptr;
  ParamStage stage = ParamStage::burn_in;
  Prior prior;

  // Writes a value given in the user's unit, converting to the model's unit.
  void assign(Params& p, double user_value) const;
  // Reads back in the user's unit (for manifests and the parameter table).
  double read(const Params& p) const;
};

const std::vector<ParamDef>& param_table();
const ParamDef* find_param(std::string_view path);
Params default_params();

// True when the row acts only from week 0 (stage programme): what burn-in branching may vary.
bool acts_only_after_start(const ParamDef& d);

// The parts of a scenario that are not rows (read by dedicated code in scenario/load.cpp), with
// the stage from which they act; checked by the same property test as the rows.
struct ScenarioEntry {
  std::string path;
  ParamStage stage;
  std::string why;
};
const std::vector<ScenarioEntry>& scenario_entries();
// The stage of any override path: a row, a scenario entry or a path inside one
// (programme.phases.1.max_weeks); nullopt for an unknown path.
std::optional<ParamStage> stage_of(std::string_view path);

// The parameter table rendered for people.
std::string param_table_markdown();
std::string param_table_json();

}  // namespace wijksim
