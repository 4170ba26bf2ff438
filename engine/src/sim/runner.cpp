#include "wijksim/sim/runner.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>

#include "wijksim/core/error.hpp"

namespace wijksim {

RunnerStats run_replicates(const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicates, unsigned threads,
                           const RunnerHooks& hooks, RunProgress* progress) {
  const auto start = std::chrono::steady_clock::now();
  RunnerStats stats;
  std::mutex merge;
  threads = std::max(1u, threads);
  // Several replicates: one per thread. One replicate: all threads on its buurten.
  const bool over_replicates = replicates > 1 && threads > 1;
  ThreadPool outer(over_replicates ? std::min<unsigned>(threads, replicates) : 1);
  auto run_one = [&](std::size_t rep, unsigned) {
    ThreadPool inner(over_replicates ? 1 : threads);
    Simulation sim(spec, seed, static_cast<std::uint32_t>(rep), inner);
    auto check_cancel = [&] {
      if (hooks.cancel && hooks.cancel->load(std::memory_order_relaxed)) throw RuntimeFailure("cancelled");
    };
    while (sim.week() < 0) {
      check_cancel();
      sim.step();
      if (progress) ++progress->steps_done;
    }
    while (!sim.done()) {
      check_cancel();
      sim.step();
      if (progress) ++progress->steps_done;
      if (hooks.on_week) hooks.on_week(static_cast<std::uint32_t>(rep), sim);
    }
    if (hooks.on_done) hooks.on_done(static_cast<std::uint32_t>(rep), sim);
    std::lock_guard lock(merge);
    for (std::size_t i = 0; i < phase_count; ++i) stats.seconds[i] += sim.seconds()[i];
    stats.peak_resident_bytes = std::max(stats.peak_resident_bytes, sim.world().residents.bytes());
  };
  outer.parallel_for(replicates, run_one);
  stats.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace wijksim
