// wijksim import-cbs: a scenario from a CBS Kerncijfers wijken en buurten export.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "args.hpp"
#include "wijksim/core/atomic_file.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/io/cbs_import.hpp"
#include "wijksim/scenario/load.hpp"

namespace wijksim::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kImportUsage =
    "wijksim import-cbs --kwb FILE (--gemeente NAME|CODE | --all) [--wijk CODE]... [--income FILE] --out FILE [--force]";

constexpr const char* kImportHelp = R"HELP(wijksim import-cbs - a scenario from a CBS Kerncijfers wijken en buurten export

usage:
  wijksim import-cbs --kwb FILE (--gemeente NAME|CODE | --all) [--wijk CODE]... [--income FILE]
                     --out FILE [--force]

  --kwb FILE        the CBS KWB export (e.g. 85984NED, 2024): ';' or ',' separated, columns found
                    by their CBS names (Wijken en buurten, Codering, Aantal inwoners, age groups)
  --gemeente X      a gemeente by name (case-insensitive, "Hengelo (O.)") or code (GM0164, 0164)
  --all             every gemeente of the file, its wijken as wijken (city code NL00)
  --wijk CODE       keep only these wijken (repeatable), e.g. --wijk WK016402
  --income FILE     a richer KWB export with "Huishoudens met een laag inkomen (%)" (e.g. KWB
                    2019); buurten are matched by code, else by name within the gemeente, and
                    deprivation = clamp(share / 20, 0, 1): the national share (about 8%) gives
                    the engine's centre 0.4, 6% gives 0.3 (green), 11% gives 0.55 (orange/red),
                    20% and more give 1. Without it every buurt keeps the default 0.4.
  --out FILE        the scenario JSON to write (atomically); --force overwrites an existing one

Buurten with 0 residents, and wijken left without residents, are left out (counted in notes).
Age groups off the total by more than max(25, 5%) (CBS rounding) are scaled to the total.
Credit: Bron: CBS, Kerncijfers wijken en buurten 2024 (85984NED).
)HELP";

}  // namespace

int cmd_import_cbs(const std::vector<std::string>& argv) {
  for (const auto& a : argv)
    if (a == "--help" || a == "-h") {
      std::cout << kImportHelp;
      return 0;
    }
  Args args("import-cbs", argv);
  const auto kwb_file = args.take("--kwb");
  const auto gemeente = args.take("--gemeente");
  const bool all = args.take_flag("--all");
  const auto wijken = args.take_all("--wijk");
  const auto income_file = args.take("--income");
  const auto out = args.take("--out");
  const bool force = args.take_flag("--force");
  args.positionals(0, 0, kImportUsage);

  std::vector<Problem> problems;
  if (!kwb_file) problems.push_back({"import-cbs", "--kwb", "missing, expected the CBS export; usage: " + std::string(kImportUsage)});
  if (!out) problems.push_back({"import-cbs", "--out", "missing, expected the scenario file to write"});
  if (gemeente && all) problems.push_back({"import-cbs", "--gemeente", "given with --all, expected one of them"});
  if (!gemeente && !all) problems.push_back({"import-cbs", "--gemeente", "missing, expected --gemeente NAME|CODE or --all"});
  if (out && fs::exists(*out) && !force)
    problems.push_back({*out, "--out", "exists; use --force to overwrite it"});
  if (out && fs::is_directory(*out)) problems.push_back({*out, "--out", "is a folder, expected a file name"});
  if (!problems.empty()) throw InputError(problems);

  const cbs::KwbData kwb = cbs::read_kwb(*kwb_file, cbs::KwbNeeds::population);
  std::optional<cbs::KwbData> income;
  if (income_file) income = cbs::read_kwb(*income_file, cbs::KwbNeeds::income);

  cbs::ImportOptions opt;
  opt.gemeente = gemeente.value_or("");
  opt.all = all;
  opt.wijken = wijken;
  opt.income = income ? &*income : nullptr;
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
  std::cout << "\n";
  return 0;
}

}  // namespace wijksim::cli
