#pragma once
// Reading a results store back out: tidy CSV for pandas and R, and the comparison of every
// variant with the baseline (docs/EXPERIMENTS.md).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wijksim/sim/metrics.hpp"

namespace wijksim::experiment {

// The files the commands that read a store write beside it, declared once: compare, export,
// sensitivity and report write them under these names, and `run --force` may replace a run
// folder that holds them (derived_files).
namespace derived {
inline constexpr const char* comparison_json = "comparison.json";
inline constexpr const char* comparison_csv = "comparison.csv";
inline constexpr const char* bands_csv = "bands.csv";
inline constexpr const char* differences_csv = "differences.csv";
inline constexpr const char* area_outcomes_csv = "area_outcomes.csv";
inline constexpr const char* costs_csv = "costs.csv";
inline constexpr const char* rankings_csv = "rankings.csv";
inline constexpr const char* runs_csv = "runs.csv";
inline constexpr const char* outcomes_csv = "outcomes.csv";
inline constexpr const char* metrics_csv = "metrics.csv";
inline constexpr const char* sensitivity_json = "sensitivity.json";
inline constexpr const char* sensitivity_csv = "sensitivity.csv";
inline constexpr const char* report_context_json = "report_context.json";
}  // namespace derived
inline constexpr std::array derived_files = {
    derived::comparison_json, derived::comparison_csv,   derived::bands_csv,        derived::differences_csv,
    derived::area_outcomes_csv, derived::costs_csv,      derived::rankings_csv,     derived::runs_csv,
    derived::outcomes_csv,    derived::metrics_csv,      derived::sensitivity_json, derived::sensitivity_csv,
    derived::report_context_json};
// What `compare` writes (report brings them up to date together).
inline constexpr std::array compare_files = {derived::comparison_json,   derived::comparison_csv, derived::bands_csv,
                                             derived::differences_csv,   derived::area_outcomes_csv, derived::costs_csv,
                                             derived::rankings_csv};

// The programme area as one unit in compare's outputs (bands.csv, differences.csv,
// comparison.*, area_outcomes.csv): the wijken it covers, summed or weighted by adults.
inline constexpr const char* area_level = "area";
inline constexpr const char* area_unit = "programme";
// A store with a design also gets its design points pooled, at this design_point (pairs are
// (design point, replicate)), after the per-point rows of comparison.*, bands.csv, differences.csv.
inline constexpr int pooled_design_point = -2;

// Writes runs.csv, outcomes.csv and metrics.csv of the store in DIR into `out` (default: DIR;
// created when missing). Returns the number of outcome rows.
std::size_t export_csv(const std::string& dir, const std::string& out = "");

// Which way an outcome improves; `none` for counts and inputs that are neither good nor bad.
enum class Direction { higher, lower, none };
Direction better_direction(Metric m);
const char* direction_name(Direction d);

struct CompareSummary {
  std::string baseline;
  // Rows of the store's own series (what `compare` reports; the files' added rows not counted).
  std::size_t comparisons = 0;      // of comparison.csv
  std::size_t band_rows = 0;        // of bands.csv
  std::size_t difference_rows = 0;  // of differences.csv
  std::size_t added_rows = 0;       // rows of comparison.csv of the programme area and the pooled design points
  std::size_t cost_rows = 0;        // rows of costs.csv
  std::size_t ranking_rows = 0;     // rows of rankings.csv
};
inline constexpr int bootstrap_resamples = 2000;
inline constexpr unsigned long long bootstrap_seed = 20260330;

// Writes DIR/comparison.json, DIR/comparison.csv, DIR/bands.csv and DIR/differences.csv (the paired
// difference with its 95% t-interval per week, against the baseline and per declared contrast),
// each with the programme area's rows (level "area") when the programme covers part of the city
// and the store has its wijken; DIR/area_outcomes.csv (the area's value per run and week) and
// DIR/costs.csv (extra euros per additional active resident, per pair and scope, with a
// percentile bootstrap interval) and DIR/rankings.csv (per outcome, level, unit and design point at the
// final common week: the share of replicates in which each variant, the baseline included, is best
// in the outcome's better direction, ties shared). The area comes from the store's baseline scenario
// (load_store_scenario; a relative experiment file is also tried under `source_root`).
CompareSummary compare(const std::string& dir, const std::string& source_root = "");

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
