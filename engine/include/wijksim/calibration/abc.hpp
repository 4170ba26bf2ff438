#pragma once
// Approximate Bayesian computation against the programme evidence (docs/CALIBRATION.md,
// "Calibration against the programme evidence"): rejection ABC over parameters drawn from
// their priors. An ABC file names an experiment file (its scenario, years, seed and variants:
// a programme and the comparison without it), the parameters to draw, and summary statistics
// of the evidence with a target and a tolerance each. Every draw runs every variant with the
// same replicates (common random numbers across the variants of a draw: the same seed and the
// same parameter set), the summaries are measured on the paired differences per buurt, and a
// draw is accepted when every summary lies within its tolerance (times epsilon).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/experiment/experiment.hpp"
#include "wijksim/sim/metrics.hpp"

namespace wijksim::calibration {

// Which buurten a summary pools, read from the run of the summary's variant at its final week.
enum class BuurtGroup {
  all,  // every buurt of the city
  programme,  // buurten the programme reached (in_programme)
  renewed,  // programme buurten where herstructurering applies (herstructurering > 0, deprivation >= renewal_min_deprivation)
  programme_not_renewed,  // programme buurten without herstructurering
};
const char* buurt_group_name(BuurtGroup g);

// difference: the adult-weighted mean over the group of (variant - comparison);
// middle_minus_extremes: the group's buurten ranked by deprivation and cut in thirds by count,
// the middle third's difference minus the mean of the two outer thirds' (RIGO 2012's
// middle-ranked buurten against the extremes).
enum class SummaryStatistic { difference, middle_minus_extremes };

struct AbcSummary {
  std::string name;
  std::size_t variant = 0;  // index into the experiment's variants
  Metric metric = Metric::unsafe_share;
  BuurtGroup buurten = BuurtGroup::programme;
  SummaryStatistic statistic = SummaryStatistic::difference;
  double target = 0, tolerance = 0;  // in the metric's unit (shares: 0.01 = one point)
  std::string source;
};

struct Abc {
  std::string file;
  nlohmann::json document;
  std::string experiment_file;  // resolved against the ABC file's folder
  experiment::Experiment experiment;  // with "uncertainty": prior draws of `parameters`
  std::size_t comparison = 0;  // index of the no-programme variant
  std::uint32_t draws = 0, replicates_per_draw = 1;
  std::uint64_t seed = 1;
  int average_weeks = 1;  // the summaries pool the last N weeks of each run
  std::vector<std::string> parameters;  // drawn, in the experiment's (table) order
  std::vector<AbcSummary> summaries;
  double epsilon = 1;  // accept when every |summary - target| <= epsilon * tolerance
  std::uint32_t min_accepted = 0;  // fewer accepted: take the nearest this many (epsilon grows)

  // Replicate r of the experiment runs draw r mod draws (experiment::Uncertainty::set_of).
  std::uint32_t replicates() const { return draws * replicates_per_draw; }
};

// Reads and validates (every problem at once, with file and JSON path), draws the prior Latin
// hypercube through the experiment machinery and loads every variant, so nothing runs unless
// all is valid. Throws InputError.
Abc load_abc_file(const std::string& file);
Abc load_abc_json(const nlohmann::json& doc, const std::string& file);

struct AbcResult {
  std::vector<std::vector<double>> summaries;  // [draw][summary]; NaN when a group was empty
  std::vector<double> distance;  // [draw]: max over summaries of |s - target| / tolerance
  std::vector<std::size_t> accepted;  // draw indices, nearest first
  double effective_epsilon = 0;  // the largest accepted distance
  bool widened = false;  // fewer than min_accepted within epsilon
  double wall_seconds = 0;
};

struct AbcOptions {
  unsigned threads = 1;
  const std::atomic<bool>* cancel = nullptr;  // set: stop; run_abc throws RuntimeFailure("cancelled")
  std::function<void(std::size_t done, std::size_t total)> on_progress;  // from any worker thread, one call at a time
};

AbcResult run_abc(const Abc& a, const AbcOptions& options);

// The summaries of one parameter point (the given overrides on every variant), replicates
// 0..replicates-1: for synthetic targets and for the experiment's result at chosen values.
std::vector<double> measure_summaries(const Abc& a, const std::vector<Override>& point, std::uint32_t replicates,
                                      unsigned threads);

// posterior.json in the format of docs/EXPERIMENTS.md ("Parameter uncertainty") with an `abc`
// key saying how it was made; `provenance` (command line, wall time, threads) is its only part
// that is not a function of the ABC file.
nlohmann::ordered_json posterior_json(const Abc& a, const AbcResult& r, const nlohmann::json& provenance);
// Every draw: its parameters, summaries, distance and whether it was accepted.
std::string draws_csv(const Abc& a, const AbcResult& r);
std::string abc_report_text(const Abc& a, const AbcResult& r);

}  // namespace wijksim::calibration
