// Google Benchmark suite for the weekly step (see bench/README.md).
//
//   BM_WeeklyStep/<residents>/<threads>          one Simulation::step(), programme on
//   BM_WeeklyStepBaseline/<residents>/<threads>  the same with programme.enabled = false
//   BM_Build/<residents>/<threads>               population + network build (Simulation ctor)
//   BM_CrossBuurtTies/<residents>/<threads>/<cross_buurt %>   step with network.cross_buurt
//
// <residents> counts all ages, as in CBS figures; about 85% are aged 15+ and simulated. Items
// are simulated residents (adults), so items_per_second of the step families is
// resident-steps per second.
//
// Cities are generated (city.generate: median 1,500 residents per buurt, 5 buurten per wijk,
// seed 1) with as many wijken as bring the total closest to the requested size; the counters
// `residents` and `adults` give the actual figures.
//
// A built and burnt-in Simulation is expensive at 1M residents, so the step families keep one
// fixture cached across the repetitions of the same arguments. Only one fixture is alive at a
// time, so the process's peak RSS (reset before each build where the kernel allows it) belongs
// to that fixture. When the cached simulation reaches the end of the scenario's horizon
// (simulation.years, 10 by default) it is rebuilt with the timer paused, so every timed week
// is a week of an ordinary run.
#include <benchmark/benchmark.h>
#include <dirent.h>
#include <malloc.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "wijksim/core/thread_pool.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/sim/simulation.hpp"
#include "wijksim/version.hpp"

namespace {

using namespace wijksim;

constexpr int kBuurtenPerWijk = 5;
constexpr double kMedianPerBuurt = 1500;
constexpr double kBurnInYears = 0.2;  // short: the burn-in is setup, not what is measured

// What varies between benchmark scenarios besides size.
struct Variant {
  bool programme = true;
  int cross_buurt_percent = -1;  // -1: the parameter table's default
  bool operator<(const Variant& o) const {
    return std::pair(programme, cross_buurt_percent) < std::pair(o.programme, o.cross_buurt_percent);
  }
};

nlohmann::json scenario_json(int wijken, const Variant& v) {
  nlohmann::json doc = {
      {"name", "bench"},
      {"city",
       {{"generate",
         {{"wijken", wijken},
          {"buurten_per_wijk", {kBuurtenPerWijk, kBuurtenPerWijk}},
          {"residents_per_buurt", {{"median", kMedianPerBuurt}, {"sigma", 0.6}, {"min", 50}, {"max", 20000}}},
          {"deprivation", {0.1, 0.8}},
          {"seed", 1}}}}},
      {"simulation", {{"burn_in", kBurnInYears}, {"seed", 1}}},
      {"programme", {{"enabled", v.programme}}}};
  if (v.cross_buurt_percent >= 0) doc["network"]["cross_buurt"] = v.cross_buurt_percent / 100.0;
  return doc;
}

long long residents_of(const ScenarioSpec& spec) {
  long long n = 0;
  for (const auto& w : spec.city.wijken)
    for (const auto& b : w.buurten) n += b.residents;
  return n;
}

// The spec of a generated city of about `residents` (all ages). Wijk w's buurten depend on the
// city seed and w only, so the sizes of a long city's prefixes give the best wijk count.
const ScenarioSpec& spec_for(long long residents, const Variant& v) {
  static std::map<std::pair<long long, Variant>, std::unique_ptr<ScenarioSpec>> specs;
  static std::map<long long, int> wijken_for;
  auto& slot = specs[{residents, v}];
  if (slot) return *slot;
  if (!wijken_for.count(residents)) {
    const double mean_wijk = kBuurtenPerWijk * kMedianPerBuurt * 1.2;  // lognormal mean ~ 1.2 x median
    const int probe = static_cast<int>(2.0 * static_cast<double>(residents) / mean_wijk) + 2;
    const ScenarioSpec long_city = load_scenario_json(scenario_json(probe, Variant{}), "bench");
    long long sum = 0, best_diff = -1;
    int best = 1;
    for (int w = 0; w < static_cast<int>(long_city.city.wijken.size()); ++w) {
      for (const auto& b : long_city.city.wijken[static_cast<std::size_t>(w)].buurten) sum += b.residents;
      const long long diff = sum > residents ? sum - residents : residents - sum;
      if (best_diff < 0 || diff < best_diff) {
        best_diff = diff;
        best = w + 1;
      }
    }
    wijken_for[residents] = best;
  }
  slot = std::make_unique<ScenarioSpec>(load_scenario_json(scenario_json(wijken_for[residents], v), "bench"));
  return *slot;
}

// Peak resident set size of the process (VmHWM), bytes; 0 if unavailable.
double peak_rss_bytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) * 1024.0;  // "VmHWM:  1234 kB"
  return 0;
}

// Resets VmHWM to the current RSS (Linux >= 4.0); false if not permitted.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

// Diagnostic, off by default: with WIJKSIM_BENCH_PIN=1 every thread of the process (the
// caller and the pool's workers) is pinned to its own CPU, round-robin. The engine does not
// pin; comparing the two shows how much of the 2-thread figure is lost to thread placement and
// wake-up latency rather than to the work itself.
bool pin_requested() {
  const char* v = std::getenv("WIJKSIM_BENCH_PIN");
  return v && *v && std::string(v) != "0";
}
void pin_threads() {
  DIR* dir = opendir("/proc/self/task");
  if (!dir) return;
  const long cpus = std::max(1L, static_cast<long>(std::thread::hardware_concurrency()));
  long next = 0;
  while (const dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(static_cast<int>(next++ % cpus), &set);
    sched_setaffinity(std::atoi(e->d_name), sizeof set, &set);
  }
  closedir(dir);
}

// One built, burnt-in simulation and the pool it runs on. Held by pointer: the World keeps a
// pointer to the spec and the Simulation a reference to the pool.
struct Fixture {
  const ScenarioSpec* spec = nullptr;
  std::unique_ptr<ThreadPool> pool;
  std::optional<Simulation> sim;
  std::size_t adults = 0;
  long long residents = 0;
  std::size_t buurten = 0;
  double resident_bytes = 0;  // Residents::bytes()
  double peak_rss = 0;        // VmHWM after build and burn-in
  bool rss_reset = false;     // whether the peak was reset before this fixture was built

  void rebuild() {
    sim.reset();
    sim.emplace(*spec, 1, 0, *pool);
    sim->run_burn_in();
  }
};

// The single cached fixture, keyed by family variant and arguments.
struct FixtureCache {
  std::string key;
  std::unique_ptr<Fixture> fixture;
};
FixtureCache& cache() {
  static FixtureCache c;
  return c;
}

Fixture& fixture_for(long long residents, unsigned threads, const Variant& v) {
  const std::string key = std::to_string(residents) + "/" + std::to_string(threads) + "/" +
                          std::to_string(v.programme) + "/" + std::to_string(v.cross_buurt_percent);
  auto& c = cache();
  if (c.fixture && c.key == key) return *c.fixture;
  c.fixture.reset();  // free the previous fixture before building the next one
  malloc_trim(0);     // and give its pages back, so the peak RSS below is this fixture's
  c.key = key;
  auto f = std::make_unique<Fixture>();
  f->spec = &spec_for(residents, v);
  f->residents = residents_of(*f->spec);
  f->rss_reset = reset_peak_rss();
  f->pool = std::make_unique<ThreadPool>(threads);
  if (pin_requested()) pin_threads();
  f->rebuild();
  f->adults = f->sim->world().residents.size();
  f->buurten = f->sim->world().buurten.size();
  f->resident_bytes = static_cast<double>(f->sim->world().residents.bytes());
  f->peak_rss = peak_rss_bytes();
  c.fixture = std::move(f);
  return *c.fixture;
}

void report(benchmark::State& state, const Fixture& f, unsigned threads) {
  const double adults = static_cast<double>(f.adults);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(f.adults));
  state.counters["threads"] = threads;
  state.counters["residents"] = static_cast<double>(f.residents);
  state.counters["adults"] = adults;
  state.counters["buurten"] = static_cast<double>(f.buurten);
  state.counters["bytes_per_resident"] = f.resident_bytes / adults;
  // Process-wide: includes the specs and the benchmark library, and whatever else was alive
  // at the peak (everything since start if the peak could not be reset).
  state.counters["rss_per_resident"] = std::max(f.peak_rss, peak_rss_bytes()) / adults;
  state.counters["rss_reset"] = f.rss_reset ? 1 : 0;
  state.counters["pinned"] = pin_requested() ? 1 : 0;
}

void run_steps(benchmark::State& state, const Variant& v) {
  const long long residents = state.range(0);
  const auto threads = static_cast<unsigned>(state.range(1));
  Fixture& f = fixture_for(residents, threads, v);
  // Per-phase time of the timed weeks, from the simulation's own phase timers (CPU time summed
  // over workers), so each model phase is measured inside the real step.
  PhaseSeconds phase{}, before = f.sim->seconds();
  auto add_phases = [&] {
    for (std::size_t p = 0; p < phase_count; ++p) phase[p] += f.sim->seconds()[p] - before[p];
  };
  for (auto _ : state) {
    if (f.sim->done()) {  // past the scenario's horizon: start a fresh run, untimed
      state.PauseTiming();
      add_phases();
      f.rebuild();
      before = f.sim->seconds();
      state.ResumeTiming();
    }
    f.sim->step();
    benchmark::ClobberMemory();
  }
  add_phases();
  report(state, f, threads);
  // ns per resident-step of each phase (CPU time; with 2 threads the sum is about twice the
  // wall time per resident-step). The build phase is not part of a step.
  const double steps = static_cast<double>(state.iterations()) * static_cast<double>(f.adults);
  for (std::size_t p = 1; p < phase_count; ++p)
    state.counters["ns_" + std::string(phase_name(static_cast<Phase>(p)))] = steps > 0 ? 1e9 * phase[p] / steps : 0.0;
}

void BM_WeeklyStep(benchmark::State& state) { run_steps(state, Variant{}); }

void BM_WeeklyStepBaseline(benchmark::State& state) {
  Variant v;
  v.programme = false;
  run_steps(state, v);
}

void BM_CrossBuurtTies(benchmark::State& state) {
  Variant v;
  v.cross_buurt_percent = static_cast<int>(state.range(2));
  run_steps(state, v);
}

// Population and network build: the Simulation constructor (build_world and per-thread
// scratch). Spec loading and destruction are outside the measured time.
void BM_Build(benchmark::State& state) {
  const long long residents = state.range(0);
  const auto threads = static_cast<unsigned>(state.range(1));
  cache().fixture.reset();
  cache().key.clear();
  malloc_trim(0);
  const ScenarioSpec& spec = spec_for(residents, Variant{});
  const bool rss_reset = reset_peak_rss();
  ThreadPool pool(threads);
  if (pin_requested()) pin_threads();
  std::optional<Simulation> sim;
  Fixture f;
  for (auto _ : state) {
    sim.reset();
    const auto t0 = std::chrono::steady_clock::now();
    sim.emplace(spec, 1, 0, pool);
    const auto t1 = std::chrono::steady_clock::now();
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    benchmark::DoNotOptimize(sim->world().residents.ties.data());
  }
  f.adults = sim->world().residents.size();
  f.buurten = sim->world().buurten.size();
  f.residents = residents_of(spec);
  f.resident_bytes = static_cast<double>(sim->world().residents.bytes());
  f.peak_rss = peak_rss_bytes();
  f.rss_reset = rss_reset;
  report(state, f, threads);
}

constexpr long long k10k = 10'000, k100k = 100'000, k1M = 1'000'000, k10M = 10'000'000;

BENCHMARK(BM_WeeklyStep)
    ->Args({k10k, 1})->Args({k10k, 2})
    ->Args({k100k, 1})->Args({k100k, 2})
    ->Args({k1M, 1})->Args({k1M, 2})
    ->Args({k10M, 1})->Args({k10M, 2})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK(BM_WeeklyStepBaseline)
    ->Args({k100k, 1})->Args({k100k, 2})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK(BM_Build)
    ->Args({k10k, 1})->Args({k10k, 2})
    ->Args({k100k, 1})->Args({k100k, 2})
    ->Args({k1M, 1})->Args({k1M, 2})
    ->Args({k10M, 1})->Args({k10M, 2})
    ->Unit(benchmark::kMillisecond)->UseManualTime();

BENCHMARK(BM_CrossBuurtTies)
    ->Args({k100k, 1, 0})->Args({k100k, 1, 30})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

// BENCHMARK_MAIN, plus the engine's revision in the JSON's context, so a baseline names the
// code it measured.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("wijksim_version", wijksim::build_info::version);
  benchmark::AddCustomContext("wijksim_git_revision", wijksim::build_info::git_revision);
  benchmark::AddCustomContext("wijksim_compiler", wijksim::build_info::compiler);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
