#pragma once
// Ensembles for the pattern tests: every variant runs the same replicates with the same seed
// (common random numbers), so differences between variants are paired.
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "wijksim/io/stats.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/scenario/param_table.hpp"
#include "wijksim/sim/runner.hpp"

namespace wijksim::patterns {

inline std::string scenario_path(const std::string& name) { return std::string(WIJKSIM_SOURCE_DIR) + "/scenarios/" + name; }

inline ScenarioSpec load(const std::string& name, std::vector<Override> overrides) {
  return load_scenario_file(scenario_path(name), overrides);
}

// Runs the replicates of a pattern ensemble. WIJKSIM_PATTERN_SET="path=value;path=value" sets
// real parameters of the table on the loaded scenario (e.g. a posterior draw), so the patterns
// can be re-read at any parameter set without a rebuild; unset, the table's defaults hold. It
// overwrites a path the test itself sets, so set only the parameters the tests leave alone.
inline void run_ensemble(const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicates, const RunnerHooks& hooks) {
  const char* env = std::getenv("WIJKSIM_PATTERN_SET");
  if (!env || !*env) {
    run_replicates(spec, seed, replicates, 2, hooks);
    return;
  }
  ScenarioSpec at = spec;
  const std::string sets = env;
  for (std::size_t start = 0; start < sets.size();) {
    const std::size_t end = std::min(sets.find(';', start), sets.size());
    const std::string item = sets.substr(start, end - start);
    const std::size_t eq = item.find('=');
    const ParamDef* d = eq == std::string::npos ? nullptr : find_param(item.substr(0, eq));
    if (!d || !d->real) throw std::invalid_argument("WIJKSIM_PATTERN_SET: '" + item + "', expected PATH=NUMBER of a real parameter");
    d->assign(at.params, std::stod(item.substr(eq + 1)));
    start = end + 1;
  }
  run_replicates(at, seed, replicates, 2, hooks);
}

// One number per replicate, computed from the final state by `measure`.
inline std::vector<double> ensemble(const ScenarioSpec& spec, std::uint32_t replicates,
                                    const std::function<double(const Simulation&)>& measure, std::uint64_t seed = 11) {
  std::vector<double> out(replicates);
  RunnerHooks hooks;
  hooks.on_done = [&](std::uint32_t rep, const Simulation& sim) { out[rep] = measure(sim); };
  run_ensemble(spec, seed, replicates, hooks);
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
