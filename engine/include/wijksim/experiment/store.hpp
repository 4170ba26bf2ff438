#pragma once
// The results store: DIR/results.sqlite (docs/EXPERIMENTS.md). One row per run, its outcome
// rows, and a manifest. Each run is committed in one transaction, so a store killed at any
// moment holds only whole runs, and the batch can resume from it.
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/experiment/experiment.hpp"

namespace wijksim::experiment {

struct RunKey {
  std::string variant;
  int design_point = -1;
  std::uint32_t replicate = 0;
  auto tie() const { return std::tie(variant, design_point, replicate); }
  bool operator<(const RunKey& o) const { return tie() < o.tie(); }
};

struct OutcomeRow {
  std::int32_t week = 0;
  Level level = Level::city;
  std::string unit;
  Metric metric = Metric::active_share;
  double value = 0;
};

struct RunResult {
  RunKey key;
  std::string parameters;  // JSON object of every override applied
  std::uint64_t seed = 0;
  bool ok = false;
  std::string error;
  double wall_seconds = 0;
  std::vector<OutcomeRow> rows;
  std::exception_ptr exception;  // why a run failed, for a caller that rethrows it (not stored)
};

inline const char* store_file_name = "results.sqlite";

class Store {
 public:
  // Creates DIR/results.sqlite with the manifest, or opens the existing one after checking it
  // holds this experiment (InputError if not: a different experiment or a changed scenario).
  static Store open_for(const Experiment& e, const std::string& dir, const nlohmann::json& manifest);
  // Opens an existing store for reading (InputError if DIR holds none).
  static Store open_read(const std::string& dir);

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  // Runs already finished with status 'ok'.
  std::set<RunKey> ok_runs() const;
  // Replaces any earlier rows of the same runs. One transaction for the whole group: every run
  // is in the store completely or not at all, and a group of short runs shares one commit.
  void write(std::span<const RunResult> runs);
  // Adds the rows of `part` to its run (written by write, or written now if absent) and sets
  // the run's wall time, in one transaction: a long run handed over in parts (`wijksim run`,
  // whose folder as a whole appears complete or not at all), so its rows need not all wait in memory.
  void append(const RunResult& part);
  // Checkpoints the WAL into the database file and leaves WAL mode, so the store is one
  // self-contained file (RuntimeFailure if that fails, e.g. on a full disk).
  void close();
  // A manifest value (null if absent).
  nlohmann::json manifest(const std::string& key) const;
  // Sets (or replaces) a manifest value.
  void set_manifest(const std::string& key, const nlohmann::json& value);
  // Final-week city values of `metrics` (in that order) per ok run that has all of them.
  std::map<RunKey, std::vector<double>> final_city_values(const std::vector<Metric>& metrics) const;
  // Every run with its outcome rows (rows ordered by key).
  std::vector<RunResult> runs() const;
  // Creates DIR/results.sqlite with this manifest, or opens the store there if it holds the
  // same experiment (same experiment_hash and cells); InputError otherwise.
  static Store open_with_manifest(const std::string& dir, const nlohmann::json& manifest);

  struct Impl;
  Impl& impl() const { return *impl_; }

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The JSON object of every override a cell applies (the runs.parameters column).
std::string cell_parameters(const Cell& c);

// Where design point `point` sits in a sensitivity design, as stored in the manifest:
// {"role": "A" | "B" | "AB_<i>" (i = factor + 1) | "trajectory", "row", "factor", "parameter",
//  "step", "direction"}.
nlohmann::json role_json(const Experiment& e, std::size_t point);

// The manifest of a new store: experiment, per-cell scenario hashes, engine, seeds.
nlohmann::json make_manifest(const Experiment& e, const std::string& command_line);

}  // namespace wijksim::experiment
