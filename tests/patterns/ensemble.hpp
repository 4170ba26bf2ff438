#pragma once
// Ensembles for the pattern tests: every variant runs the same replicates with the same seed
// (common random numbers), so differences between variants are paired.
#include <functional>
#include <string>
#include <vector>

#include "wijksim/io/stats.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/sim/runner.hpp"

namespace wijksim::patterns {

inline std::string scenario_path(const std::string& name) { return std::string(WIJKSIM_SOURCE_DIR) + "/scenarios/" + name; }

inline ScenarioSpec load(const std::string& name, std::vector<Override> overrides) {
  return load_scenario_file(scenario_path(name), overrides);
}

// One number per replicate, computed from the final state by `measure`.
inline std::vector<double> ensemble(const ScenarioSpec& spec, std::uint32_t replicates,
                                    const std::function<double(const Simulation&)>& measure, std::uint64_t seed = 11) {
  std::vector<double> out(replicates);
  RunnerHooks hooks;
  hooks.on_done = [&](std::uint32_t rep, const Simulation& sim) { out[rep] = measure(sim); };
  run_replicates(spec, seed, replicates, 2, hooks);
  return out;
}

inline double city(const Simulation& sim, Metric m) {
  return derive_metrics(sim.city_tally(), sim.world())[static_cast<std::size_t>(m)];
}

inline std::vector<double> paired_difference(const std::vector<double>& b, const std::vector<double>& a) {
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = b[i] - a[i];
  return d;
}

inline double mean(const std::vector<double>& v) { return summarise(v).mean; }

}  // namespace wijksim::patterns
