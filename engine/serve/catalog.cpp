#include "catalog.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "wijksim/core/error.hpp"
#include "wijksim/io/cbs_indicators.hpp"
#include "wijksim/scenario/load.hpp"

namespace wijksim::serve {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const char* kKwbFile = "cbs-kwb-2024-bevolking.csv";
const char* kIndicatorFile = "cbs-buurt-2024-indicators.csv";
const char* kOutlineDir = "cbs-buurt-2024-outlines";

// Indicators shown on the page (column of cbs-buurt-2024-indicators.csv).
const std::vector<std::string> kIndicators = {"wozWaarde",          "koopwoningen",    "misdrijven_per1000",
                                              "stedelijkheid",      "dichtheid",       "huishoudens",
                                              "goed_ervaren_gezondheid_pct"};

std::string wijk_of(const std::string& buurt_code) { return "WK" + buurt_code.substr(2, 6); }

}  // namespace

Catalog::Catalog(const std::string& data_dir) : dir_(data_dir) {
  const fs::path dir(data_dir);
  const std::string kwb_file = (dir / kKwbFile).string();
  std::error_code ec;
  if (!fs::is_regular_file(kwb_file, ec))
    throw InputError(std::vector<Problem>{{kwb_file, "--data", "not a file; expected the CBS data folder (data/cbs of the repository) with " + std::string(kKwbFile)}});
  kwb_ = cbs::read_kwb(kwb_file, cbs::KwbNeeds::population);
  for (const auto& r : kwb_.regions) {
    if (r.kind == cbs::RegionKind::gemeente) gemeenten_.push_back({r.code, r.name, r.residents});
    if (r.kind == cbs::RegionKind::buurt) buurt_names_[r.code] = r.name;
  }
  std::sort(gemeenten_.begin(), gemeenten_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });

  const std::string ind_file = (dir / kIndicatorFile).string();
  const cbs::CsvTable t = cbs::read_csv(ind_file);
  auto column = [&](const std::string& name) {
    const auto it = std::find(t.header.begin(), t.header.end(), name);
    if (it == t.header.end())
      throw InputError(std::vector<Problem>{{ind_file, "header", "no column \"" + name + "\", expected the columns of data/cbs/README.md"}});
    return static_cast<std::size_t>(it - t.header.begin());
  };
  const std::size_t code_col = column("buurtcode");
  std::vector<std::size_t> cols;
  for (const auto& k : kIndicators) cols.push_back(column(k));
  for (const auto& row : t.rows) {
    json j = json::object();
    for (std::size_t k = 0; k < cols.size(); ++k) {
      bool ok = true;
      const auto v = cbs::parse_number(row[cols[k]], ok);
      j[kIndicators[k]] = v && ok ? json(*v) : json(nullptr);
    }
    indicators_[row[code_col]] = std::move(j);
  }
  // The importer's real-place values (deprivation from housing, recorded crime), as import-cbs.
  real_places_ = std::make_shared<cbs::IndicatorTable>(cbs::read_indicators(ind_file));
}

int Catalog::find(const std::string& key) const {
  std::string code = key;
  if (code.size() == 4 && std::all_of(code.begin(), code.end(), ::isdigit)) code = "GM" + code;
  for (std::size_t i = 0; i < gemeenten_.size(); ++i)
    if (gemeenten_[i].code == code || gemeenten_[i].name == key) return static_cast<int>(i);
  return -1;
}

std::string Catalog::suggestion(const std::string& key) const {
  std::vector<std::string> names;
  for (const auto& g : gemeenten_) names.push_back(g.name);
  return nearest(key, names);
}

nlohmann::ordered_json Catalog::scenario(const std::string& code, const std::vector<std::string>& wijken) const {
  cbs::ImportOptions opt;
  opt.gemeente = code;
  opt.wijken = wijken;
  opt.indicators = real_places_.get();
  cbs::ImportResult r = cbs::build_scenario(kwb_, opt);
  return r.scenario;
}

json Catalog::gemeente_detail(const std::string& code) const {
  const int i = find(code);
  if (i < 0) return nullptr;
  const GemeenteEntry& g = gemeenten_[static_cast<std::size_t>(i)];
  const nlohmann::ordered_json sc = scenario(g.code, {});
  json wijken = json::array(), buurten = json::array();
  for (const auto& w : sc["city"]["wijken"]) {
    json codes = json::array();
    long long residents = 0;
    for (const auto& b : w["buurten"]) {
      const std::string bc = b["code"].get<std::string>();
      codes.push_back(bc);
      residents += b["residents"].get<long long>();
      const auto it = indicators_.find(bc);
      buurten.push_back({{"code", bc},
                         {"name", b["name"]},
                         {"wijk", w["code"]},
                         {"residents", b["residents"]},
                         {"deprivation", b["deprivation"]},
                         {"indicators", it == indicators_.end() ? json::object() : it->second}});
    }
    wijken.push_back({{"code", w["code"]}, {"name", w["name"]}, {"residents", residents}, {"buurten", codes}});
  }
  json outline = nullptr;
  const fs::path file = fs::path(dir_) / kOutlineDir / (g.code + ".json");
  std::ifstream in(file);
  if (in) {
    try {
      json o = json::parse(in);
      // Names for buurten without residents too, so the map can label every outline.
      for (auto& f : o["features"]) {
        const std::string bc = f.value("code", "");
        if (!f.contains("naam")) {
          const auto it = buurt_names_.find(bc);
          if (it != buurt_names_.end()) f["naam"] = it->second;
        }
        f["wijk"] = bc.size() >= 8 ? wijk_of(bc) : "";
      }
      outline = {{"viewBox", o["viewBox"]}, {"features", o["features"]}};
    } catch (const json::exception&) {
      outline = nullptr;  // a broken outline file leaves the map empty; the rest still works
    }
  }
  return {{"code", g.code},  {"name", g.name},       {"residents", g.residents}, {"wijken", wijken},
          {"buurten", buurten}, {"outline", outline}, {"credit", cbs::kIndicatorCredit},
          {"deprivation_note", "national percentiles of low WOZ value and rented share, ranked again (P), P^1.5 (docs/MODEL.md 6.1)"}};
}

}  // namespace wijksim::serve
