// Fuzz harness: `--set PATH=VALUE` arguments, one per input line, applied to a small valid
// scenario. parse_override, the path walk into objects and arrays (presets written out for
// programme.phases.N and staff.roles.N) and the checker all see hostile text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wijksim/core/error.hpp"
#include "wijksim/scenario/load.hpp"
#include "fuzz_support.hpp"

namespace {

const nlohmann::json& base_scenario() {
  static const nlohmann::json doc = nlohmann::json::parse(R"({
    "name": "fuzz-base",
    "city": {"code": "GM0001", "name": "Fuzzstad", "wijken": [
      {"code": "WK000101", "buurten": [{"code": "BU00010101", "residents": 120, "deprivation": 0.6},
                                        {"code": "BU00010102", "residents": 80}]},
      {"code": "WK000102", "class": "green", "buurten": [{"code": "BU00010201", "residents": 60}]}]},
    "programme": {"start_buurten": ["BU00010101"]},
    "shocks": [{"kind": "budget_cut", "year": 1, "magnitude": 0.2}],
    "simulation": {"years": 1, "burn_in": 0.25, "replicates": 1}
  })");
  return doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<wijksim::Override> overrides;
  std::size_t start = 0;
  while (start <= text.size() && overrides.size() < 16) {
    const std::size_t nl = text.find('\n', start);
    const std::string arg = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    try {
      overrides.push_back(wijksim::parse_override(arg));
    } catch (const wijksim::InputError&) {
      // A malformed argument is refused on its own; the rest are still applied.
    }
    (void)wijksim::checker_path(arg);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  wijksim::ScenarioSpec spec;
  try {
    spec = wijksim::load_scenario_json(base_scenario(), "base.json", overrides);
  } catch (const wijksim::InputError&) {
    return 0;
  }
  try {
    (void)wijksim::load_scenario_json(nlohmann::json::parse(spec.resolved.dump()), "resolved.json");
  } catch (const wijksim::InputError& e) {
    wijksim::fuzz::fail("resolved scenario does not reload", e.what());
  }
  return 0;
}
