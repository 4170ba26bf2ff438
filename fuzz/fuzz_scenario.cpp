// Fuzz harness: scenario JSON text -> parse_json_text -> load_scenario_json. A load that
// succeeds must also reload from its own resolved JSON, and a small city must build and step
// a few weeks with its invariants intact. InputError is the only acceptable way to fail.
#include <cstddef>
#include <cstdint>
#include <string>

#include "wijksim/core/error.hpp"
#include "wijksim/core/thread_pool.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/sim/invariants.hpp"
#include "wijksim/sim/simulation.hpp"
#include "fuzz_support.hpp"

namespace {

// A valid generated city of more than 5000 buurten (the loader takes up to 100000) loads in
// linear but, under the sanitizers, long time: a slow input, not a bug. Larger requests are
// still loaded, since the loader must refuse them before generating anything.
bool large_generated_city(const nlohmann::json& doc) {
  if (!doc.is_object() || !doc.contains("city") || !doc["city"].is_object() || !doc["city"].contains("generate")) return false;
  const auto& g = doc["city"]["generate"];
  if (!g.is_object() || !g.contains("wijken") || !g["wijken"].is_number()) return false;
  double bmax = 8;
  if (g.contains("buurten_per_wijk") && g["buurten_per_wijk"].is_array() && g["buurten_per_wijk"].size() == 2 &&
      g["buurten_per_wijk"][1].is_number())
    bmax = g["buurten_per_wijk"][1].get<double>();
  const double buurten = g["wijken"].get<double>() * bmax;
  return buurten > 5000 && buurten <= 100000;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  wijksim::ScenarioSpec spec;
  try {
    const nlohmann::json doc = wijksim::parse_json_text(text, "fuzz.json");
    if (large_generated_city(doc)) return 0;
    spec = wijksim::load_scenario_json(doc, "fuzz.json");
  } catch (const wijksim::InputError&) {
    return 0;
  }
  std::size_t buurten = 0;
  long long adults = 0;
  for (const auto& w : spec.city.wijken) {
    buurten += w.buurten.size();
    for (const auto& b : w.buurten) adults += b.adults();
  }
  // Loading is linear in the city: a second load of thousands of buurten only makes a slow
  // input (reported as a timeout), not a better test.
  if (buurten > 2000) return 0;
  // What the manifest records must load again: a problem here is a bug, not bad input.
  try {
    (void)wijksim::load_scenario_json(nlohmann::json::parse(spec.resolved.dump()), "resolved.json");
  } catch (const wijksim::InputError& e) {
    wijksim::fuzz::fail("resolved scenario does not reload", e.what());
  }
  // Simulating is the expensive part: only tiny cities, a few weeks from the first burn-in week.
  if (adults > 400) return 0;
  wijksim::ThreadPool pool(1);
  wijksim::Simulation sim(spec, spec.params.simulation.seed, 0, pool);
  for (int k = 0; k < 3; ++k) {
    sim.step();
    if (const std::string broken = wijksim::check_invariants(sim.world()); !broken.empty())
      wijksim::fuzz::fail("invariant violated", broken);
  }
  return 0;
}
