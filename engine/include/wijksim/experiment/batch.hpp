#pragma once
// Running an experiment, and `wijksim run` (an experiment of one variant): every (variant,
// design point, replicate) is one run; runs go over threads through the one scheduler
// (sim/runner.hpp: several at once, or all threads on one) and a single writer commits them
// to the store, each run whole in one transaction, so a batch can be killed at any moment and
// resumed.
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <vector>
#include <string>

#include "wijksim/experiment/experiment.hpp"
#include "wijksim/experiment/store.hpp"
#include "wijksim/sim/simulation.hpp"

namespace wijksim::experiment {

enum class ProgressMode { bar, jsonl, none };

// What a caller that writes more than the store sees of every run (`wijksim run`'s exports).
// Called from the thread running the run; calls for one run never overlap.
struct RunWatch {
  // After every observed week (week >= 0), and once when the run has simulated its last week.
  std::function<void(const Cell&, std::uint32_t replicate, const Simulation&)> on_week, on_done;
  // Counts every simulated week, burn-in included (progress from another thread).
  std::atomic<long long>* weeks_done = nullptr;
};

struct BatchOptions {
  std::string out_dir;
  unsigned threads = 1;
  ProgressMode progress = ProgressMode::bar;  // bar redraws on a terminal, else a line every ~10 s
  bool fail_fast = false;                     // stop at the first failed run
  std::string command_line;
  // Set from a signal handler (SIGINT, SIGTERM): stop, abandon runs under way, commit the runs
  // that finished, and return with summary.interrupted (checked at least every 250 ms).
  const std::atomic<bool>* interrupt = nullptr;
  // Test hook: stop once this many runs were committed (0: never), as if interrupted.
  std::size_t stop_after = 0;
  // --shard i/N: this process runs the runs whose index (replicate * cells + cell) mod N = i.
  std::size_t shard_index = 0, shard_count = 1;
  // A run's rows go to the store in parts of this many (Store::append, each part sorted in the
  // store's key order) instead of whole in one transaction, so they never all wait in memory.
  // Such a store cannot be resumed mid-run: for `wijksim run`, whose folder appears complete or
  // not at all. 0: whole runs.
  std::size_t part_rows = 0;
  // The scenario every run simulates, already loaded and checked (`wijksim run`); only for an
  // experiment of one cell without parameter uncertainty. Null: each cell's is loaded.
  const ScenarioSpec* spec = nullptr;
  const RunWatch* watch = nullptr;
};

struct BatchSummary {
  std::size_t total = 0;    // runs in the experiment
  std::size_t skipped = 0;  // already ok in the store
  std::size_t ok = 0, failed = 0;
  std::size_t not_run = 0;  // left when stopped early
  bool interrupted = false;  // stopped by options.interrupt
  double wall_seconds = 0;
  double store_seconds = 0;  // spent writing and committing runs (the single writer thread)
  std::string first_error;
  std::exception_ptr first_exception;  // of the first failed run, to rethrow as it was
  std::string adaptive_stop;  // adaptive replicates: "converged", "max" or "interrupted"
  std::uint32_t adaptive_replicates = 0;
};

// Adaptive replicates: the 95% t-CI half-width per adaptive outcome over replicates [0, n)
// (of the paired differences with the baseline when there are several variants; the worst
// variant counts), from final-week city values per run.
struct AdaptiveCheck {
  std::vector<double> half_widths;
  std::size_t used = 0;  // replicates with values (ok runs)
  bool converged = false;
};
AdaptiveCheck adaptive_check(const Experiment& e, const std::map<RunKey, std::vector<double>>& finals, std::uint32_t n);

// Refuses, before anything is built, an experiment whose concurrent runs (min(threads, runs))
// would need more than 90% of this machine's memory (InputError naming the scenario file).
void refuse_if_too_large(const Experiment& e, unsigned threads);

// Validates the store location, then runs every run not yet ok in the store.
BatchSummary run_experiment(const Experiment& e, const BatchOptions& options);

// Merges the stores of the same experiment (shards) into DIR `out` (created, or an existing
// store of the same experiment). InputError (exit 2) for stores of different experiments or
// overlapping runs with different content. Returns the number of runs in the result.
struct MergeSummary {
  std::size_t inputs = 0, runs = 0, added = 0, identical = 0;
};
MergeSummary merge_stores(const std::vector<std::string>& dirs, const std::string& out);

// Runs replicate r of one cell alone, as run_replicates would have run it, and collects the
// experiment's outcome rows. Never throws: a failure is returned in the result. `cancel`, when
// set, abandons the run between weeks (the result is then not ok, error "cancelled").
RunResult run_cell(const Experiment& e, const Cell& cell, std::uint32_t replicate,
                   const std::atomic<bool>* cancel = nullptr);

// Appends the outcome rows of the week just stepped (an observed week: every interval-th and the
// last), at the experiment's levels; shared by the experiment's runs and `wijksim run`.
void observe_week(const Experiment& e, const Simulation& sim, std::vector<OutcomeRow>& rows);

struct Plan {
  std::size_t runs = 0, already_ok = 0;
  unsigned concurrent = 1;
  double seconds_per_run = 0;  // estimated from a short timing run
  double wall_seconds = 0;     // estimated for the runs still to do
  std::size_t bytes_per_run = 0, peak_bytes = 0;
  std::size_t outcome_rows = 0;
};
// Times a short run of the baseline (half a year after burn-in) and scales it.
Plan plan_experiment(const Experiment& e, const std::string& out_dir, unsigned threads);

}  // namespace wijksim::experiment
