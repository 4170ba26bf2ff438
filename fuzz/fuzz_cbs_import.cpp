// Fuzz harness: CBS KWB CSV text -> parse_csv -> parse_kwb -> build_scenario (every gemeente,
// and the first one by name), with the same text as income data when it has that column. As
// in `wijksim import-cbs`, an imported scenario that does not load is a bug, not bad input.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "wijksim/core/error.hpp"
#include "wijksim/io/cbs_import.hpp"
#include "wijksim/scenario/load.hpp"
#include "fuzz_support.hpp"

namespace {

void import_and_load(const wijksim::cbs::KwbData& kwb, const wijksim::cbs::ImportOptions& opt) {
  wijksim::cbs::ImportResult res;
  try {
    res = wijksim::cbs::build_scenario(kwb, opt);
  } catch (const wijksim::InputError&) {
    return;
  }
  try {
    (void)wijksim::load_scenario_json(nlohmann::json::parse(res.scenario.dump()), "imported.json");
  } catch (const wijksim::InputError& e) {
    wijksim::fuzz::fail("imported scenario does not validate", e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  wijksim::cbs::KwbData kwb;
  std::optional<wijksim::cbs::KwbData> income;
  try {
    const auto table = wijksim::cbs::parse_csv(text, "fuzz.csv");
    try {
      income = wijksim::cbs::parse_kwb(table, wijksim::cbs::KwbNeeds::income);
    } catch (const wijksim::InputError&) {
    }
    kwb = wijksim::cbs::parse_kwb(table, wijksim::cbs::KwbNeeds::population);
  } catch (const wijksim::InputError&) {
    return 0;
  }
  wijksim::cbs::ImportOptions opt;
  opt.all = true;
  opt.income = income ? &*income : nullptr;
  import_and_load(kwb, opt);
  std::vector<std::pair<std::string, std::string>> gems;
  try {
    gems = wijksim::cbs::gemeenten(kwb);
  } catch (const wijksim::InputError&) {
    return 0;
  }
  if (!gems.empty()) {
    opt.all = false;
    opt.gemeente = gems.front().second;
    import_and_load(kwb, opt);
    opt.gemeente = gems.back().first;
    opt.wijken = {"WK000000", gems.back().first};
    import_and_load(kwb, opt);
  }
  (void)wijksim::cbs::slug(text.substr(0, 64));
  return 0;
}
