#pragma once
// Importing CBS "Kerncijfers wijken en buurten" (KWB) exports into scenario JSON.
//
// Two dialects are read: the CBS StatLine download (UTF-8 BOM, ';'-separated, text quoted and
// padded with spaces) and R-style exports (','-separated, decimal comma inside quotes such as
// "2,1", NA for missing). Columns are found by their CBS names, normalised to lower-case
// letters and digits, so "Regioaanduiding/Codering (code)" and
// "Regioaanduiding.Codering..code." are the same column and column order does not matter.
// Every problem is an InputError naming the file, the line and the column.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/scenario/spec.hpp"

namespace wijksim::cbs {

struct IndicatorTable;

inline constexpr const char* kCredit = "Bron: CBS, Kerncijfers wijken en buurten 2024 (85984NED)";

// Low-income share (% of households, KWB "Huishoudens met een laag inkomen") to deprivation.
// deprivation = clamp(share / 20, 0, 1): the national share (about 8% in KWB 2019) lands on the
// engine's centre 0.4 (the loader's default), the class thresholds 0.3 and 0.55 correspond to
// 6% and 11% of households, and 20% (about 2.5 times the national share, the most deprived
// few per cent of buurten) saturates at 1.
double deprivation_from_low_income(double share_percent);

// A parsed CSV file: header and rows as trimmed strings, with each row's line number.
struct CsvTable {
  std::string file;
  char separator = ';';
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;  // 1-based line on which each row starts
};

// Parses CSV text (BOM stripped, separator detected from the header, quotes, doubled quotes,
// CRLF, padding trimmed). Throws InputError on an unterminated quote or a row whose field
// count differs from the header's (a truncated row).
CsvTable parse_csv(const std::string& text, const std::string& file_label);
CsvTable read_csv(const std::string& file);

// Normalised column key: lower-case ASCII letters and digits only.
std::string column_key(const std::string& name);

// A number from a CBS cell: "" / "." / "NA" / "-" are missing; a decimal comma is accepted.
// Returns nullopt for missing; throws nothing (bad text gives nullopt with ok=false).
std::optional<double> parse_number(const std::string& cell, bool& ok);

enum class RegionKind { land, gemeente, wijk, buurt };

struct Region {
  RegionKind kind = RegionKind::buurt;
  std::string code, name, gemeente_name;
  int residents = 0;
  bool residents_known = false;
  std::array<int, cbs_age_group_count> age{};
  bool age_known = false;                 // every age group present
  std::optional<double> low_income;       // % of households, when the column exists
  std::size_t line = 0;
};

struct KwbData {
  std::string file;
  bool has_age = false, has_low_income = false;
  std::vector<Region> regions;  // file order
};

enum class KwbNeeds { population, income };

// Reads a KWB export. `population` requires the residents and the five age-group columns;
// `income` requires the low-income column. Both require name and code.
KwbData parse_kwb(const CsvTable& table, KwbNeeds needs);
KwbData read_kwb(const std::string& file, KwbNeeds needs);

struct ImportOptions {
  std::string gemeente;               // name or code (GM0164, 0164); empty with all
  bool all = false;                   // every gemeente of the country
  std::vector<std::string> wijken;    // WK codes to keep (empty: all)
  const KwbData* income = nullptr;    // richer export for deprivation (optional; wins where matched)
  const IndicatorTable* indicators = nullptr;  // real buurt indicators (deprivation, crime)
};

struct ImportResult {
  nlohmann::ordered_json scenario;
  int wijken = 0, buurten = 0;
  long long residents = 0;
  int empty_buurten = 0, empty_wijken = 0, rescaled = 0, no_age = 0;
  int deprivation_matched = 0, deprivation_default = 0;
  int housing_from_buurt = 0, housing_from_wijk = 0, housing_from_gemeente = 0;
  int crime_from_buurt = 0, crime_pooled = 0;
};

// Builds a scenario from the KWB data. Throws InputError for an unknown gemeente (with the
// nearest names), an unknown wijk code (with the gemeente's codes), or a selection without
// residents.
ImportResult build_scenario(const KwbData& kwb, const ImportOptions& options);

// Gemeente names in the data (file order), for messages and tests.
std::vector<std::pair<std::string, std::string>> gemeenten(const KwbData& kwb);  // code, name

// "Hengelo (O.)" -> "hengelo-o".
std::string slug(const std::string& name);

}  // namespace wijksim::cbs
