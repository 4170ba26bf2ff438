// wijksim import-cbs: a scenario from a CBS Kerncijfers wijken en buurten export.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "args.hpp"
#include "wijksim/core/atomic_file.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/io/cbs_import.hpp"
#include "wijksim/io/cbs_indicators.hpp"
#include "wijksim/io/data_dir.hpp"
#include "wijksim/scenario/load.hpp"

namespace wijksim::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kImportUsage =
    "wijksim import-cbs (--gemeente NAME|CODE | --all) [--wijk CODE]... --out FILE [--force]\n"
    "                     [--kwb FILE] [--indicators FILE|none] [--income FILE] [--quiet]";

constexpr const char* kImportNotes =
    R"(Buurten with 0 residents, and wijken left without residents, are left out (counted in notes).
Age groups off the total by more than max(25, 5%) (CBS rounding) are scaled to the total.
The data folder is found at WIJKSIM_DATA_DIR, else the source tree's data/cbs (data/cbs/README.md).
Credit: Bron: CBS, Kerncijfers wijken en buurten 2024 (85984NED); Politie (47022NED).)";

}  // namespace

int cmd_import_cbs(const std::vector<std::string>& argv) {
  Command cmd("import-cbs",
              "Writes a scenario of a real place from CBS data: its wijken and buurten with residents, age "
              "groups, deprivation and recorded crime.",
              kImportUsage);
  std::optional<std::string> kwb_given, indicators_given, gemeente, income_file, out;
  std::vector<std::string> wijken;
  bool all = false, force = false;
  cmd.option("--gemeente", gemeente, "NAME|CODE",
             "a gemeente by name (case-insensitive, \"Hengelo (O.)\") or code (GM0164, 0164)");
  cmd.flag("--all", all, "every gemeente of the file, its wijken as wijken (city code NL00)");
  cmd.repeated("--wijk", wijken, "CODE", "keep only these wijken (repeatable), e.g. --wijk WK016402");
  cmd.option("--out", out, "FILE", "the scenario JSON to write (atomically)");
  cmd.flag("--force", force, "overwrite an existing --out file");
  cmd.option(
      "--kwb", kwb_given, "FILE",
      "residents and age groups per buurt, a CBS Kerncijfers wijken en buurten export (default: the shipped 2024 table, "
      "data/cbs/cbs-kwb-2024-bevolking.csv). A newer one: CBS StatLine table 85984NED or its successor, exported as CSV "
      "with ';' as separator, all regions, columns Wijken en buurten, Codering, Soort regio, Gemeentenaam, Aantal inwoners "
      "and the five age groups");
  cmd.option(
      "--indicators", indicators_given, "FILE|none",
      "real buurt indicators (default: data/cbs/cbs-buurt-2024-indicators.csv): deprivation from mean WOZ value and the "
      "share of rented dwellings (national percentiles, P^1.5 so the national mean is 0.4), the owner-occupied share, and "
      "police-recorded crime per 1,000 residents (mean 2021-2024, shrunk toward the wijk's rate with 500 pseudo-residents). Suppressed "
      "buurten take their wijk's (else gemeente's) value. `none`: every buurt keeps deprivation 0.4");
  cmd.option(
      "--income", income_file, "FILE",
      "a richer KWB export with \"Huishoudens met een laag inkomen (%)\" (e.g. KWB 2019); where a buurt matches (by code, "
      "else by name within the gemeente) its deprivation is clamp(share / 20, 0, 1) instead of the housing-based value");
  cmd.quiet_flag();
  cmd.footer(kImportNotes);
  if (cmd.parse(argv)) return 0;
  // Ctrl-C while reading: a message and exit 130/143; the output file only appears complete.
  stop_cleanly_on_signal();
  const std::string kwb_file = kwb_given.value_or(data_file("cbs-kwb-2024-bevolking.csv"));
  const std::string indicators_file = indicators_given.value_or(data_file("cbs-buurt-2024-indicators.csv"));

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
  write_file_atomically(target, res.scenario.dump(2) + "\n");
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
