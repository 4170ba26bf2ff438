#include "wijksim/experiment/programme_area.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "wijksim/experiment/experiment.hpp"

namespace wijksim::experiment {

namespace fs = std::filesystem;
using json = nlohmann::json;

StoreScenario load_store_scenario(const Store& store, const std::string& source_root) {
  StoreScenario out;
  try {
    // The store records the experiment file as given, often relative to the folder the
    // experiment ran in; failing that, try the source tree.
    std::string file = store.manifest("experiment_file").get<std::string>();
    std::error_code ec;
    if (!source_root.empty() && fs::path(file).is_relative() && !fs::exists(file, ec)) {
      const fs::path in_tree = fs::path(source_root) / file;
      if (fs::exists(in_tree, ec)) file = in_tree.lexically_normal().string();
    }
    const Experiment e = load_experiment_json(store.manifest("experiment"), file);
    const Cell* base = nullptr;
    for (const auto& c : e.cells)
      if (c.variant == e.baseline && (!base || c.design_point < base->design_point)) base = &c;
    out.spec = load_cell(e, *base);
    for (const auto& c : store.manifest("cells"))
      if (c.value("variant", "") == e.variants[e.baseline].name && c.value("design_point", -2) == base->design_point)
        out.matches_store = c.value("scenario_hash", "") == base->scenario_hash;
    if (!out.matches_store) out.warning = "the scenario file has changed since the experiment ran; parameter values are today's";
  } catch (const std::exception& ex) {
    out.spec.reset();
    out.matches_store = false;
    out.warning = std::string("scenario not loaded (") + ex.what() + "); parameter values are the defaults";
  }
  return out;
}

ProgrammeArea programme_area(const ScenarioSpec& spec) {
  ProgrammeArea a;
  std::vector<std::string> every;
  for (const auto& wk : spec.city.wijken) {
    every.push_back(wk.code);
    int sum = 0;
    for (const auto& b : wk.buurten) {
      a.wijk_of[b.code] = wk.code;
      a.adults[b.code] = b.adults();
      sum += b.adults();
    }
    a.adults[wk.code] = sum;
  }
  std::set<std::string> chosen(spec.programme_wijken.begin(), spec.programme_wijken.end());
  if (chosen.empty())
    for (const auto& b : spec.programme_start_buurten)
      if (const auto it = a.wijk_of.find(b); it != a.wijk_of.end()) chosen.insert(it->second);
  const bool whole_city = std::all_of(every.begin(), every.end(), [&](const std::string& w) { return chosen.count(w) > 0; });
  if (chosen.empty() || whole_city) return a;
  for (const auto& w : every)
    if (chosen.count(w)) a.wijken.push_back(w);
  return a;
}

}  // namespace wijksim::experiment
