#include "wijksim/experiment/run_as_experiment.hpp"

#include <cctype>
#include <cmath>
#include <filesystem>

namespace wijksim::experiment {

using json = nlohmann::json;

Experiment experiment_of_run(const ScenarioSpec& spec, const std::string& scenario_file,
                             const std::vector<Override>& overrides) {
  const Params& p = spec.params;
  json doc = json::object();
  // Relative to the experiment file, which for a run is the scenario file itself.
  doc["scenario"] = std::filesystem::path(scenario_file).filename().string();
  doc["seed"] = static_cast<long long>(p.simulation.seed);
  doc["replicates"] = static_cast<long long>(p.simulation.replicates);
  json outcomes = json::array();
  for (std::size_t k = 0; k < metric_count; ++k) outcomes.push_back(std::string(metric_name(static_cast<Metric>(k))));
  doc["outcomes"] = outcomes;
  json levels = json::array({"city"});
  if (p.output.detail >= static_cast<int>(Detail::wijk)) levels.push_back("wijk");
  if (p.output.detail >= static_cast<int>(Detail::buurt)) levels.push_back("buurt");
  doc["levels"] = levels;
  doc["interval"] = std::max(1L, std::lround(p.output.interval));
  // Seed, replicates and years are the experiment's own keys; every other override is the variant's.
  json set = json::object();
  for (const auto& o : overrides) {
    json v = json::parse(o.value, nullptr, false);
    if (v.is_discarded()) v = o.value;  // a bare word is a string
    if (o.path == "simulation.years") doc["years"] = v;
    else if (o.path != "simulation.seed" && o.path != "simulation.replicates") set[o.path] = v;
  }
  // A variant name holds letters, digits, '-', '_' and '.'.
  std::string name = spec.name.empty() ? "scenario" : spec.name;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') ch = '_';
  json variant = {{"name", name}};
  if (!set.empty()) variant["set"] = set;
  doc["variants"] = json::array({variant});
  return load_experiment_json(doc, scenario_file);
}

}  // namespace wijksim::experiment
