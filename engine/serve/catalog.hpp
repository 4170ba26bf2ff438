#pragma once
// What `wijksim serve` knows about the country before anything runs: the 342 gemeenten with
// their wijken and buurten (CBS KWB 2024, read by the importer), per-buurt indicators, and the
// buurt outlines for the map. Read once at start-up; immutable afterwards, so any number of
// request threads may read it without locks.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/io/cbs_import.hpp"
#include "wijksim/io/cbs_indicators.hpp"

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

  // A scenario for the gemeente (every wijk, or only `wijken`), exactly as `import-cbs` builds
  // it: deprivation from housing data and recorded crime per buurt (docs/MODEL.md §6.1).
  nlohmann::ordered_json scenario(const std::string& code, const std::vector<std::string>& wijken) const;

  const std::string& data_dir() const { return dir_; }

 private:
  std::string dir_;
  cbs::KwbData kwb_;
  std::vector<GemeenteEntry> gemeenten_;
  std::map<std::string, nlohmann::json> indicators_;  // buurt code -> selected indicators
  std::map<std::string, std::string> buurt_names_;    // buurt code -> name (also empty buurten)
  std::shared_ptr<const cbs::IndicatorTable> real_places_;  // shared: the catalog is copied into handlers
};

}  // namespace wijksim::serve
