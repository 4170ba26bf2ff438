#pragma once
// The self-describing run folder: manifest.json, results.sqlite (the store of an experiment of
// one variant, experiment/run_as_experiment.hpp) and its exports timeseries.csv and
// summary.json. Everything is written under a temporary name next to the target and renamed
// when complete, so a crash never leaves a folder that looks finished.
#include <array>
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "wijksim/scenario/load.hpp"
#include "wijksim/sim/runner.hpp"

namespace wijksim {

struct RunRequest {
  std::string scenario_file;
  std::vector<Override> overrides;  // including those the CLI flags turn into (--seed, --years, ...)
  std::string out_dir;
  unsigned threads = 1;
  bool force = false;     // replace an existing output folder
  bool progress = true;   // progress with ETA on stderr for runs longer than a few seconds
  std::string command_line;
};

struct RunOutcome {
  std::string out_dir;
  // Final-week city metrics per replicate, for the stdout table.
  std::vector<std::array<double, metric_count>> final_city;
  RunnerStats stats;
};

// Validates (InputError), runs and writes. Throws RuntimeFailure on I/O problems.
RunOutcome run_and_write(const ScenarioSpec& spec, const RunRequest& request);

// The units a run reports on, in output order: the city, its wijken, then their buurten.
struct OutputUnit {
  std::string level;  // "city", "wijk" or "buurt"
  std::string code;
};
std::vector<OutputUnit> output_units(const ScenarioSpec& spec);

// A run kept in memory instead of written (the Python module's wijksim.run): the rows
// timeseries.csv would hold, in the same order and with the same values, as one block of every
// metric per (replicate, week, unit).
struct RunTable {
  struct Block {
    std::int32_t week;
    std::uint32_t unit;  // index into units
    std::array<double, metric_count> values;
  };
  std::vector<OutputUnit> units;                // the levels output.detail reports
  std::vector<std::vector<Block>> replicates;   // per replicate, in output order
  RunnerStats stats;
};
// Runs without writing anything. `cancel`, set from another thread, stops the run between
// weeks with RuntimeFailure("cancelled").
RunTable run_to_table(const ScenarioSpec& spec, unsigned threads, const std::atomic<bool>* cancel = nullptr);

// manifest.json of a run: scenario, overrides, seed, engine, timing; `files` listed when given.
nlohmann::ordered_json run_manifest(const ScenarioSpec& spec, const RunRequest& request, const RunnerStats& stats,
                                    const std::vector<std::string>& files = {});

// Checks the output location before any work is done (InputError if unusable): a name that
// is not ".", ".." or a symbolic link, valid UTF-8, and, for --force, a folder an earlier run
// wrote (nothing else in it).
void check_output_location(const std::string& out_dir, bool force);
// The absolute output folder without trailing slashes (InputError for ".", "..", "/").
std::filesystem::path normalized_output(const std::string& out_dir);
// Refuses (InputError, with the estimate) a run whose timeseries would not fit on the disk or
// whose summary would not fit in memory.
void check_run_fits(const ScenarioSpec& spec, const std::string& out_dir);

// Versions of the engine and its libraries, as recorded in manifests.
nlohmann::ordered_json engine_info();

}  // namespace wijksim
