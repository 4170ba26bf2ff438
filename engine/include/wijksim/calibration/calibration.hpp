#pragma once
// Calibration (docs/CALIBRATION.md): fit named free parameters so that the no-programme
// baseline of one or more scenarios meets targets (MODEL.md §6). Every evaluation runs the
// same replicates with the same seed (common random numbers), so the objective is a
// deterministic function of the parameters; Nelder-Mead searches it; a finite-difference
// Jacobian at the optimum says how well each parameter is identified.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/scenario/load.hpp"
#include "wijksim/sim/metrics.hpp"

namespace wijksim::calibration {

// Buurt groups by deprivation (docs/CALIBRATION.md): deprived d >= 0.7 (>= 14% low-income
// households under import-cbs's income rule), well-off d <= 0.2 (<= 4%).
enum class Group { all, deprived, well_off };
inline constexpr double deprived_min = 0.7;
inline constexpr double well_off_max = 0.2;
const char* group_name(Group g);
bool in_group(Group g, double deprivation);

struct FreeParameter {
  std::string path;
  double low = 0, high = 0;
  double start = 0;  // the file's start, else the engine's default (clamped into the range)
  double default_value = 0;  // the engine's current default, for the report
};

// What a target measures over the scenarios: the pooled value (adult-weighted over the
// scenarios it covers), or the standard deviation between the scenarios' own values (the
// spread between gemeenten, not only their mean).
enum class Statistic { pooled, between_sd };

struct Target {
  std::string name;
  Metric metric = Metric::active_share;
  Group group = Group::all;
  Statistic statistic = Statistic::pooled;
  int scenario = -1;  // index into scenario_files: measured in that scenario only; -1: all
  double value = 0, tolerance = 0, weight = 1;
  std::string source;
};

// nelder-mead: the engine's own simplex search (kept for the published calibration);
// sbplx and bobyqa: NLopt's Subplex and BOBYQA (derivative-free, bounded).
struct OptimiserSettings {
  std::string method = "nelder-mead";
  int max_evaluations = 150;
  int restarts = 1;
  double initial_step = 0.1;  // share of each parameter's range
  double xtol = 0.005;        // share of each range
  double ftol = 0.01;         // objective units (squared tolerances)
  double fd_step = 0.05;      // finite-difference step for the Jacobian, share of each range
};

struct Calibration {
  std::string file;
  nlohmann::json document;
  std::string hash;  // of the canonical JSON of the document
  std::vector<std::string> scenario_files;  // resolved against the calibration file's folder
  std::vector<std::string> scenario_labels; // city code and name of each, for reports
  std::vector<nlohmann::json> scenarios;    // their contents, read once
  double years = 0;                         // after burn-in; 0: the scenario's own
  std::uint32_t replicates = 0;
  std::uint64_t seed = 1;
  int average_weeks = 1;  // target values pool the last N weeks
  std::vector<Override> set;  // fixed overrides (programme.enabled=false is always applied)
  std::vector<FreeParameter> parameters;
  std::vector<Target> targets;
  OptimiserSettings optimiser;
};

// Reads and validates (every problem at once, with file and JSON path); loads every scenario
// with the start point and the fixed overrides, so nothing runs unless all are valid.
Calibration load_calibration_file(const std::string& file);
Calibration load_calibration_json(const nlohmann::json& doc, const std::string& file);

// The overrides of one parameter point: years, no programme, `set`, then the parameters.
std::vector<Override> point_overrides(const Calibration& c, const std::vector<double>& x);

struct Evaluation {
  std::vector<double> x;                   // parameter values
  std::vector<double> values;              // per target: mean over replicates
  std::vector<std::vector<double>> per_replicate;  // [target][replicate]
  double objective = 0;
  double seconds = 0;  // wall time (reported apart: not part of the deterministic output)
};

// Runs every scenario's replicates at one parameter point and measures the targets.
Evaluation evaluate(const Calibration& c, const std::vector<double>& x, unsigned threads);
double objective(const Calibration& c, const std::vector<double>& values);

struct ParameterReport {
  double best = 0;
  double se = 0;           // tolerance-scaled: the shift that costs one unit of objective
  double se_ensemble = 0;  // from the replicate spread of the targets at the optimum
  double relative_se = 0;  // se / range
  std::string verdict;     // "well identified", "weakly identified", "not identified"
};

struct Result {
  std::vector<Evaluation> trace;  // every distinct evaluation, in order
  std::vector<std::string> trace_kind;  // "start", "search", "jacobian"
  std::size_t best = 0;  // index into trace
  int evaluations = 0;   // objective calls by the optimiser (cache hits included)
  bool converged = false;
  std::string stop_reason;
  std::vector<ParameterReport> parameters;
  std::vector<std::vector<double>> jacobian;     // [target][parameter], d(value/tolerance)/d(parameter)
  std::vector<std::vector<double>> correlation;  // [parameter][parameter]
  std::vector<double> singular_values;           // of the Jacobian with parameters scaled to their ranges
  double condition_number = 0;
  double wall_seconds = 0;
};

struct RunOptions {
  unsigned threads = 1;
  int max_evaluations = -1;  // -1: the file's
  std::function<void(const Evaluation&, const std::string& kind, std::size_t index, double best_objective)> on_evaluation;
};

Result calibrate(const Calibration& c, const RunOptions& options);

// The deterministic report (no timings) and the evaluation trace.
nlohmann::ordered_json report_json(const Calibration& c, const Result& r);
std::string trace_csv(const Calibration& c, const Result& r);
std::string report_text(const Calibration& c, const Result& r);

}  // namespace wijksim::calibration
