// `wijksim export` and `wijksim compare`: read a results store written by `wijksim experiment`.
#include <cstdio>

#include "args.hpp"
#include "experiment_commands.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/experiment/completeness.hpp"
#include "wijksim/experiment/results.hpp"
#include "wijksim/experiment/store.hpp"

namespace wijksim::cli {

int cmd_export(const std::vector<std::string>& argv) {
  Command cmd(
      "export",
      "Writes a results store as CSV for R, pandas or a spreadsheet: runs.csv (one row per run: variant, design "
      "point and role, parameter values and ranges, replicate, the seed used), outcomes.csv (one row per run, "
      "unit, outcome and week) and metrics.csv (what each outcome means).",
      "wijksim export DIR [--out DIR2] [--format csv] [--quiet]");
  std::vector<std::string> pos;
  std::optional<std::string> format_given, out;
  cmd.positionals("DIR", pos, 1, 1, "the --out folder of `wijksim experiment` (holds results.sqlite)");
  cmd.option("--out", out, "DIR2", "where to write the CSV files (default: DIR itself); created if missing");
  cmd.option("--format", format_given, "FORMAT", "csv (the only one)");
  cmd.quiet_flag();
  if (cmd.parse(argv)) return 0;
  cmd.choice("--format", format_given.value_or("csv"), {"csv"});
  const std::string dest = out.value_or(pos[0]);
  const std::size_t rows = experiment::export_csv(pos[0], dest);
  std::printf("wrote %s/runs.csv, outcomes.csv and metrics.csv (%zu outcome rows)\n", dest.c_str(), rows);
  return 0;
}

int cmd_compare(const std::vector<std::string>& argv) {
  Command cmd(
      "compare",
      "Compares every variant with the baseline on every outcome: differences with 95% intervals over replicates "
      "(common random numbers), written to DIR/comparison.json, comparison.csv, bands.csv and differences.csv (per week), "
      "with the programme area as one unit (level \"area\"; per run in area_outcomes.csv), and the cost per additional "
      "active resident (costs.csv).",
      "wijksim compare DIR [--quiet]");
  std::vector<std::string> pos;
  cmd.positionals("DIR", pos, 1, 1, "the --out folder of `wijksim experiment` (holds results.sqlite)");
  cmd.quiet_flag();
  if (cmd.parse(argv)) return 0;
  const auto s = experiment::compare(pos[0], source_root());
  if (const auto done = experiment::completeness(experiment::Store::open_read(pos[0]));
      !done.complete() && !cli::quiet())
    std::fprintf(stderr, "compare: warning: %s\n", done.sentence().c_str());
  std::printf("compared %zu series with baseline \"%s\": %s/comparison.json, comparison.csv, bands.csv (%zu rows)\n",
              s.comparisons, s.baseline.c_str(), pos[0].c_str(), s.band_rows);
  return 0;
}

}  // namespace wijksim::cli

namespace wijksim::cli {

int cmd_sensitivity(const std::vector<std::string>& argv) {
  Command cmd(
      "sensitivity",
      "Morris elementary effects or Sobol' indices of an experiment with a design (docs/EXPERIMENTS.md), written "
      "to DIR/sensitivity.json and sensitivity.csv.",
      "wijksim sensitivity DIR [--outcome NAME]... [--level city|wijk|buurt] [--week W] [--quiet]");
  std::vector<std::string> pos;
  std::optional<std::string> level, week;
  experiment::SensitivityOptions opt;
  cmd.positionals("DIR", pos, 1, 1, "the --out folder of `wijksim experiment` with a morris or sobol design");
  cmd.repeated("--outcome", opt.outcomes, "NAME",
               "only these outcomes (repeatable; default: every outcome of the experiment)");
  cmd.option("--level", level, "LEVEL", "city (default), wijk or buurt: indices per unit of that level");
  cmd.option("--week", week, "W", "the week analysed, 0-100000 (default: the last)");
  cmd.quiet_flag();
  if (cmd.parse(argv)) return 0;
  opt.level = level.value_or("city");
  if (week) opt.week = static_cast<std::int32_t>(cmd.integer("--week", *week, 0, 100000));
  const auto s = experiment::sensitivity_report(pos[0], opt);
  std::printf("%s indices of %zu series at week %d: %s/sensitivity.json, sensitivity.csv (%zu rows)\n", s.method.c_str(), s.series,
              s.week, pos[0].c_str(), s.rows);
  return 0;
}

}  // namespace wijksim::cli
