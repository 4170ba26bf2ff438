#pragma once
// Reading a results store back out: tidy CSV for pandas and R, and the comparison of every
// variant with the baseline (docs/EXPERIMENTS.md).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wijksim/sim/metrics.hpp"

namespace wijksim::experiment {

// Writes runs.csv, outcomes.csv and metrics.csv of the store in DIR into `out` (default: DIR;
// created when missing). Returns the number of outcome rows.
std::size_t export_csv(const std::string& dir, const std::string& out = "");

// Which way an outcome improves; `none` for counts and inputs that are neither good nor bad.
enum class Direction { higher, lower, none };
Direction better_direction(Metric m);
const char* direction_name(Direction d);

struct CompareSummary {
  std::string baseline;
  std::size_t comparisons = 0;  // rows of comparison.csv
  std::size_t band_rows = 0;
  std::size_t difference_rows = 0;  // rows of differences.csv
};
inline constexpr int bootstrap_resamples = 2000;
inline constexpr unsigned long long bootstrap_seed = 20260330;

// Writes DIR/comparison.json, DIR/comparison.csv, DIR/bands.csv and DIR/differences.csv (the paired
// difference with its 95% t-interval per week, against the baseline and per declared contrast).
CompareSummary compare(const std::string& dir);

// Sensitivity indices of a store with a sobol/saltelli or morris design.
struct SensitivityOptions {
  std::vector<std::string> outcomes;  // empty: every outcome of the experiment
  std::string level = "city";
  std::optional<std::int32_t> week;   // empty: the final stored week
};
struct SensitivitySummary {
  std::string method;  // "sobol" or "morris"
  std::int32_t week = 0;
  std::size_t series = 0;  // (variant, outcome, unit) analysed
  std::size_t rows = 0;    // rows of sensitivity.csv
};
// Writes DIR/sensitivity.json and DIR/sensitivity.csv.
SensitivitySummary sensitivity_report(const std::string& dir, const SensitivityOptions& options);

}  // namespace wijksim::experiment
