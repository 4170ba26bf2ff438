#include "wijksim/sim/runner.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "wijksim/core/error.hpp"

namespace wijksim {

ThreadSplit split_threads(std::size_t runs, unsigned threads) {
  threads = std::max(1u, threads);
  ThreadSplit s;
  s.concurrent = static_cast<unsigned>(std::clamp<std::size_t>(runs, 1, threads));
  s.per_run = std::max(1u, threads / s.concurrent);
  return s;
}

void for_each_run(std::size_t count, unsigned threads, const std::function<void(std::size_t, ThreadPool&)>& run) {
  const ThreadSplit split = split_threads(count, threads);
  ThreadPool outer(split.concurrent);
  // One simulation pool per outer thread, made on first use and kept for its later runs.
  std::vector<std::unique_ptr<ThreadPool>> inner(split.concurrent);
  outer.parallel_for(count, [&](std::size_t i, unsigned worker) {
    if (!inner[worker]) inner[worker] = std::make_unique<ThreadPool>(split.per_run);
    run(i, *inner[worker]);
  });
}

RunnerStats run_replicates(const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicates, unsigned threads,
                           const RunnerHooks& hooks, RunProgress* progress) {
  const auto start = std::chrono::steady_clock::now();
  RunnerStats stats;
  std::mutex merge;
  for_each_run(replicates, threads, [&](std::size_t rep, ThreadPool& pool) {
    Simulation sim(spec, seed, static_cast<std::uint32_t>(rep), pool);
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
  });
  stats.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace wijksim
