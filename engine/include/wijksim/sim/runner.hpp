#pragma once
// The one scheduler of simulations (`run`, `experiment`, calibration, the Python module):
// runs go in parallel, each single-threaded, while there are at least as many as threads; the
// threads left over go to each run's buurten (one run: all threads on it). Either way the
// numbers are the same, because every draw is keyed by entity and week and every cross-buurt
// read uses last week's values.
#include <atomic>
#include <cstddef>
#include <functional>

#include "wijksim/sim/simulation.hpp"

namespace wijksim {

struct RunnerHooks {
  // Called after every observed week (week >= 0) of a replicate, from the thread running it.
  // Calls for one replicate never overlap; different replicates may run concurrently.
  std::function<void(std::uint32_t replicate, const Simulation& sim)> on_week;
  // Called once per replicate when it finishes.
  std::function<void(std::uint32_t replicate, const Simulation& sim)> on_done;
  // Set from another thread (an interrupt): every replicate stops before its next week and
  // run_replicates throws RuntimeFailure("cancelled").
  const std::atomic<bool>* cancel = nullptr;
};

struct RunnerStats {
  PhaseSeconds seconds{};  // summed over replicates (CPU seconds per phase)
  double wall_seconds = 0;
  std::size_t peak_resident_bytes = 0;  // heap held by one replicate's residents
};

// Steps done so far, for progress reporting from another thread.
struct RunProgress {
  std::atomic<long long> steps_done{0};
  long long steps_total = 0;
};

// How `threads` are split over `runs` runs: `concurrent` at once, each with a pool of `per_run`.
struct ThreadSplit {
  unsigned concurrent = 1, per_run = 1;
};
ThreadSplit split_threads(std::size_t runs, unsigned threads);

// Calls run(i, pool) for every i in [0, count), split_threads(count, threads) at once; `pool`
// is the calling thread's pool for the simulation of run i. The first exception is rethrown
// once every thread has stopped (runs not yet started are not started).
void for_each_run(std::size_t count, unsigned threads, const std::function<void(std::size_t, ThreadPool&)>& run);

// The replicates of one scenario through for_each_run: replicate r with (seed, r).
RunnerStats run_replicates(const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicates, unsigned threads,
                           const RunnerHooks& hooks, RunProgress* progress = nullptr);

}  // namespace wijksim
