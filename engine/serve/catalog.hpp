#pragma once
// What `wijksim serve` knows about the country before anything runs: the 342 gemeenten with
// their wijken and buurten (CBS KWB 2024, read by the importer), per-buurt indicators, and the
// buurt outlines for the map. Read once at start-up; immutable afterwards, so any number of
// request threads may read it without locks.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/io/cbs_import.hpp"

namespace wijksim::serve {

struct GemeenteEntry {
  std::string code, name;
  long long residents = 0;
};

class Catalog {
 public:
  // DIR holds cbs-kwb-2024-bevolking.csv, cbs-buurt-2024-indicators.csv and
  // cbs-buurt-2024-outlines/. Throws InputError naming the missing or broken file.
  explicit Catalog(const std::string& data_dir);

  const std::vector<GemeenteEntry>& gemeenten() const { return gemeenten_; }
  // Index into gemeenten() by code (GM0164, 0164) or exact name; -1 if unknown.
  int find(const std::string& code_or_name) const;
  // Nearest gemeente names for a message.
  std::string suggestion(const std::string& code_or_name) const;

  // {code, name, residents, wijken: [{code, name, residents, buurten: [codes]}],
  //  buurten: [{code, name, wijk, residents, deprivation, indicators: {...}}], outline: {...}}
  nlohmann::json gemeente_detail(const std::string& code) const;

  // A scenario for the gemeente (every wijk, or only `wijken`), as `import-cbs` builds it, with
  // the deprivation proxy of deprivation_from_woz filled in per buurt.
  nlohmann::ordered_json scenario(const std::string& code, const std::vector<std::string>& wijken) const;

  // Deprivation proxy from the mean WOZ value of a buurt's dwellings (the shipped 2024 files
  // carry no income): 0.4 * national median WOZ / WOZ, clamped to [0.05, 1]. The national
  // median lands on the engine's default 0.4, half the median on 0.8. Missing WOZ: 0.4.
  double deprivation_from_woz(const std::string& buurt_code) const;
  double median_woz() const { return median_woz_; }

  const std::string& data_dir() const { return dir_; }

 private:
  std::string dir_;
  cbs::KwbData kwb_;
  std::vector<GemeenteEntry> gemeenten_;
  std::map<std::string, nlohmann::json> indicators_;  // buurt code -> selected indicators
  std::map<std::string, std::string> buurt_names_;    // buurt code -> name (also empty buurten)
  double median_woz_ = 0;
};

}  // namespace wijksim::serve
