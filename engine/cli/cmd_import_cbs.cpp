// wijksim import-cbs: a scenario from a CBS Kerncijfers wijken en buurten export.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "args.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/io/cbs_import.hpp"
#include "wijksim/io/cbs_indicators.hpp"
#include "wijksim/io/data_dir.hpp"
#include "wijksim/scenario/load.hpp"

namespace wijksim::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kImportUsage =
    "wijksim import-cbs [--kwb FILE] [--indicators FILE|none] (--gemeente NAME|CODE | --all) [--wijk CODE]... "
    "[--income FILE] --out FILE [--force]";

constexpr const char* kImportHelp = R"HELP(wijksim import-cbs - a scenario of a real place from CBS data

usage:
  wijksim import-cbs [--kwb FILE] [--indicators FILE|none] (--gemeente NAME|CODE | --all)
                     [--wijk CODE]... [--income FILE] --out FILE [--force]

  --gemeente X      a gemeente by name (case-insensitive, "Hengelo (O.)") or code (GM0164, 0164)
  --all             every gemeente of the file, its wijken as wijken (city code NL00)
  --wijk CODE       keep only these wijken (repeatable), e.g. --wijk WK016402
  --kwb FILE        residents and age groups per buurt: a CBS Kerncijfers wijken en buurten export
                    (default: the shipped 2024 table, data/cbs/cbs-kwb-2024-bevolking.csv). A newer
                    one: CBS StatLine table 85984NED or its successor, exported as CSV with ';' as
                    separator, all regions, columns Wijken en buurten, Codering, Soort regio,
                    Gemeentenaam, Aantal inwoners and the five age groups (data/cbs/README.md)
  --indicators FILE real buurt indicators (default: data/cbs/cbs-buurt-2024-indicators.csv):
                    deprivation from mean WOZ value and the share of rented dwellings (national
                    percentiles, P^1.5 so the national mean is 0.4), the owner-occupied share, and
                    police-recorded crime per 1,000 residents (mean 2021-2024, pooled with the wijk
                    over 500 residents). Suppressed buurten take their wijk's (else gemeente's)
                    value; notes say how many. `none`: every buurt keeps deprivation 0.4
  --income FILE     a richer KWB export with "Huishoudens met een laag inkomen (%)" (e.g. KWB
                    2019); where a buurt matches (by code, else by name within the gemeente) its
                    deprivation is clamp(share / 20, 0, 1) instead of the housing-based value
  --out FILE        the scenario JSON to write (atomically); --force overwrites an existing one

Buurten with 0 residents, and wijken left without residents, are left out (counted in notes).
Age groups off the total by more than max(25, 5%) (CBS rounding) are scaled to the total.
The data folder is found at WIJKSIM_DATA_DIR, else the source tree's data/cbs.
Credit: Bron: CBS, Kerncijfers wijken en buurten 2024 (85984NED); Politie (47022NED).
)HELP";

}  // namespace

int cmd_import_cbs(const std::vector<std::string>& argv) {
  for (const auto& a : argv)
    if (a == "--help" || a == "-h") {
      std::cout << kImportHelp;
      return 0;
    }
  Args args("import-cbs", argv);
  const auto kwb_file = args.take("--kwb").value_or(data_file("cbs-kwb-2024-bevolking.csv"));
  const auto indicators_file = args.take("--indicators").value_or(data_file("cbs-buurt-2024-indicators.csv"));
  const auto gemeente = args.take("--gemeente");
  const bool all = args.take_flag("--all");
  const auto wijken = args.take_all("--wijk");
  const auto income_file = args.take("--income");
  const auto out = args.take("--out");
  const bool force = args.take_flag("--force");
  args.positionals(0, 0, kImportUsage);

  std::vector<Problem> problems;
  if (!out) problems.push_back({"import-cbs", "--out", "missing, expected the scenario file to write"});
  if (gemeente && all) problems.push_back({"import-cbs", "--gemeente", "given with --all, expected one of them"});
  if (!gemeente && !all) problems.push_back({"import-cbs", "--gemeente", "missing, expected --gemeente NAME|CODE or --all"});
  if (out && fs::exists(*out) && !force)
    problems.push_back({*out, "--out", "exists; use --force to overwrite it"});
  if (out && fs::is_directory(*out)) problems.push_back({*out, "--out", "is a folder, expected a file name"});
  if (!problems.empty()) throw InputError(problems);

  const cbs::KwbData kwb = cbs::read_kwb(kwb_file, cbs::KwbNeeds::population);
  std::optional<cbs::IndicatorTable> indicators;
  if (indicators_file != "none") indicators = cbs::read_indicators(indicators_file);
  std::optional<cbs::KwbData> income;
  if (income_file) income = cbs::read_kwb(*income_file, cbs::KwbNeeds::income);

  cbs::ImportOptions opt;
  opt.gemeente = gemeente.value_or("");
  opt.all = all;
  opt.wijken = wijken;
  opt.income = income ? &*income : nullptr;
  opt.indicators = indicators ? &*indicators : nullptr;
  const cbs::ImportResult res = cbs::build_scenario(kwb, opt);

  // The result must load like any scenario file; a failure here is a bug, not bad input.
  try {
    (void)load_scenario_json(nlohmann::json::parse(res.scenario.dump()), *out);
  } catch (const InputError& e) {
    throw RuntimeFailure(std::string("the imported scenario does not validate: ") + e.what());
  }

  const fs::path target(*out);
  const fs::path tmp = target.parent_path() / (target.filename().string() + ".tmp-" + std::to_string(getpid()));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw RuntimeFailure("cannot write " + tmp.string());
    f << res.scenario.dump(2) << "\n";
    f.close();
    if (!f) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw RuntimeFailure("cannot write " + tmp.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw RuntimeFailure("cannot rename " + tmp.string() + " to " + target.string());
  }
  std::cout << *out << ": " << res.scenario["city"]["name"].get<std::string>() << " ("
            << res.scenario["city"]["code"].get<std::string>() << "), " << res.wijken << " wijken, " << res.buurten
            << " buurten, " << res.residents << " residents";
  if (res.empty_buurten) std::cout << "; " << res.empty_buurten << " empty buurten left out";
  if (res.empty_wijken) std::cout << "; " << res.empty_wijken << " empty wijken left out";
  if (res.rescaled) std::cout << "; " << res.rescaled << " buurten with age groups scaled to the total";
  if (income) std::cout << "; deprivation from income for " << res.deprivation_matched << " buurten";
  if (indicators)
    std::cout << "; deprivation from housing data for " << res.housing_from_buurt << " buurten ("
              << res.housing_from_wijk + res.housing_from_gemeente << " from their wijk or gemeente)";
  std::cout << "\n";
  return 0;
}

}  // namespace wijksim::cli
