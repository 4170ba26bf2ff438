// Experiment throughput (see bench/README.md):
//
//   BM_Ensemble/<threads>          a batch of kEnsembleRuns runs of the small regression scenario,
//                                  run_experiment into a fresh SQLite store, as the CLI does
//   BM_EnsembleNoStore/<threads>   the same runs through run_cell on a pool, results dropped
//
// items_per_second is runs/s. The store's overhead is 1 - time(NoStore) / time(Ensemble) at the
// same thread count: what writing, committing and the single-writer hand-off cost the batch.
// BM_Ensemble's counter store_share is the time the writer spent in Store::write over the
// batch's wall time (the CLI prints the same figure after every experiment).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>


#include <nlohmann/json.hpp>

#include "wijksim/core/thread_pool.hpp"
#include "wijksim/experiment/batch.hpp"
#include "wijksim/experiment/experiment.hpp"

namespace {

using namespace wijksim;
namespace fs = std::filesystem;

constexpr int kEnsembleRuns = 40;

// Two variants x 20 replicates of tests/regression/small.json (2,000 residents, 1 year after the
// default burn-in), storing two outcomes at city and wijk level every 4 weeks.
experiment::Experiment ensemble() {
  const nlohmann::json doc = {
      {"scenario", "small.json"},
      {"years", 1},
      {"replicates", kEnsembleRuns / 2},
      {"seed", 1},
      {"outcomes", {"active_share", "unsafe_share"}},
      {"levels", {"city", "wijk"}},
      {"variants", {{{"name", "baseline"}}, {{"name", "no-leader"}, {"set", {{"building_blocks.process_leadership", 0}}}}}}};
  return experiment::load_experiment_json(doc, std::string(WIJKSIM_SOURCE_DIR) + "/tests/regression/bench-ensemble.json");
}

void BM_Ensemble(benchmark::State& state) {
  const auto e = ensemble();
  const fs::path dir = fs::temp_directory_path() / ("wijksim-bench-ensemble-" + std::to_string(::getpid()));
  experiment::BatchOptions opt;
  opt.threads = static_cast<unsigned>(state.range(0));
  opt.progress = experiment::ProgressMode::none;
  double store_seconds = 0, wall_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove_all(dir);
    opt.out_dir = dir.string();
    state.ResumeTiming();
    const auto summary = experiment::run_experiment(e, opt);
    if (summary.ok != static_cast<std::size_t>(kEnsembleRuns)) state.SkipWithError("a run failed");
    store_seconds += summary.store_seconds;
    wall_seconds += summary.wall_seconds;
  }
  fs::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * kEnsembleRuns);
  // The writer thread's time in Store::write as a share of the batch: robust to a noisy
  // machine, unlike the difference of two timings.
  state.counters["store_share"] = wall_seconds > 0 ? store_seconds / wall_seconds : 0.0;
}

void BM_EnsembleNoStore(benchmark::State& state) {
  const auto e = ensemble();
  const auto& cells = e.cells;
  ThreadPool pool(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    std::atomic<std::size_t> ok{0};
    pool.parallel_for(kEnsembleRuns, [&](std::size_t i, unsigned) {
      const auto r = experiment::run_cell(e, cells[i % cells.size()], static_cast<std::uint32_t>(i / cells.size()));
      if (r.ok) ok.fetch_add(1, std::memory_order_relaxed);
      benchmark::DoNotOptimize(r.rows.data());
    });
    if (ok != static_cast<std::size_t>(kEnsembleRuns)) state.SkipWithError("a run failed");
  }
  state.SetItemsProcessed(state.iterations() * kEnsembleRuns);
}

BENCHMARK(BM_Ensemble)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EnsembleNoStore)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
