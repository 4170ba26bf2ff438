#pragma once
// Experiment files (docs/EXPERIMENTS.md): one scenario, named variants of it, optionally a
// design over parameters, and the replicates to run of each. Loaded as strictly as scenarios:
// every problem at once, with file and JSON path, and every variant and design point is
// loaded with its overrides before anything runs.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/experiment/sensitivity.hpp"
#include "wijksim/scenario/json_checker.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/sim/metrics.hpp"

namespace wijksim::experiment {

struct Variant {
  std::string name;
  std::vector<Override> set;  // in file order
};

struct DesignParameter {
  std::string path;
  double low = 0, high = 0;
  bool integer = false;  // integer parameters take rounded values
};

struct Design {
  std::string method;  // "grid", "lhs", "sobol" (= "saltelli") or "morris"; empty: no design
  int samples = 0;     // grid: values per parameter; lhs: points; sobol: base rows N; morris: trajectories r
  std::uint64_t seed = 0;
  int levels = 4;      // morris: grid levels p
  std::vector<DesignParameter> parameters;
  // points[k][j]: value of parameters[j] at design point k.
  std::vector<std::vector<double>> points;
  // sobol and morris: where each point sits in the design (A, B, AB_i; trajectory and step).
  std::vector<sensitivity::PointRole> roles;

  bool sensitivity() const { return !roles.empty(); }
};

// One (variant, design point) combination: a scenario with its overrides applied.
struct Cell {
  std::size_t variant = 0;
  int design_point = -1;            // -1 when the experiment has no design
  std::vector<Override> overrides;  // everything applied, years and design included
  std::string scenario_hash;        // of the resolved scenario
};

enum class Level { city, wijk, buurt };

// Adaptive replicates (docs/EXPERIMENTS.md): replicates 0, 1, 2, ... are added in rounds until
// the 95% t-CI half-width of every named outcome (final week, city level; with several
// variants: of every paired difference with the baseline) is at most ci_half_width, or max.
struct Adaptive {
  std::vector<Metric> outcomes;
  double ci_half_width = 0;
  std::uint32_t min = 0, max = 0;
  bool enabled() const { return max > 0; }
};
const char* level_name(Level l);

// Parameter uncertainty (docs/EXPERIMENTS.md, "Parameter uncertainty"): `draws` parameter sets
// drawn once at load from the priors of the parameter table or from a posterior file; replicate
// r runs with set r mod draws in every variant and design point, so common random numbers
// extend to parameters. Rows the scenario file, a variant or the design sets are not drawn.
struct Uncertainty {
  std::string source;                      // "prior" or "posterior"; empty: none
  std::uint32_t draws = 0;
  std::string file;                        // posterior: the file the sets came from
  std::vector<std::string> only;           // prior: draw only these rows (empty: every row with a prior)
  std::vector<std::string> parameters;     // drawn paths, table order
  std::vector<std::vector<double>> sets;   // sets[i][j]: value of parameters[j], user units
  bool enabled() const { return draws > 0; }
  std::size_t set_of(std::uint32_t replicate) const { return replicate % draws; }
  // The overrides of set i, after the cell's own.
  std::vector<Override> overrides(std::size_t i) const;
};

// Posterior files (scenarios/calibration/posterior.json): {"description": "...", "method": "...",
// "parameters": ["path", ...], "draws": [[value, ...], ...]} in the user's units, one row per
// accepted parameter set, every value within its row's range. Throws InputError.
struct Posterior {
  std::vector<std::string> parameters;
  std::vector<std::vector<double>> draws;
};
Posterior read_posterior(const std::string& file);

struct Experiment {
  std::string file;           // as given
  std::string scenario_file;  // resolved against the experiment file's folder
  nlohmann::json scenario;    // its contents, read once so every run sees the same scenario
  nlohmann::json document;    // the experiment file as read
  std::string hash;           // of the canonical JSON of the document
  double years = 0;           // 0: the scenario's own
  std::uint32_t replicates = 0;  // adaptive: the maximum
  Adaptive adaptive;
  bool burn_in_branching = false;  // simulate the burn-in once per replicate, branch the variants
  std::uint64_t seed = 1;
  std::vector<Metric> outcomes;
  std::vector<Variant> variants;
  std::size_t baseline = 0;  // index into variants
  std::vector<Level> levels{Level::city};
  int interval = 4;  // weeks between observed weeks (the final week is always observed)
  Design design;
  Uncertainty uncertainty;
  std::vector<Cell> cells;  // variants x design points, variant-major

  std::size_t design_points() const { return design.points.empty() ? 1 : design.points.size(); }
  std::size_t run_count() const { return cells.size() * replicates; }
};

// Reads and validates; throws InputError with every problem found.
Experiment load_experiment_file(const std::string& file);
Experiment load_experiment_json(const nlohmann::json& doc, const std::string& file);

// Override paths a variant may set with burn_in_branching: stage programme in the parameter
// table (they do not act before week 0).
bool acts_only_after_start(const std::string& path);

// The spec a cell runs (validated at load; loading again is cheap and keeps memory flat). With
// parameter uncertainty, replicate r adds its parameter set's overrides.
ScenarioSpec load_cell(const Experiment& e, const Cell& c);
ScenarioSpec load_cell(const Experiment& e, const Cell& c, std::uint32_t replicate);

// Text of a number as JSON writes it (scenario/json_checker.hpp).
using wijksim::number_text;

}  // namespace wijksim::experiment
