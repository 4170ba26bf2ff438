#pragma once
// Runs the replicates of one scenario: in parallel over replicates when there are several
// (each simulation single-threaded), over buurten when there is one. Either way the numbers
// are the same, because every draw is keyed by entity and week and every cross-buurt read
// uses last week's values.
#include <atomic>
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

RunnerStats run_replicates(const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicates, unsigned threads,
                           const RunnerHooks& hooks, RunProgress* progress = nullptr);

}  // namespace wijksim
