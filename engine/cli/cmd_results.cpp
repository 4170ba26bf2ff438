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
  Args args("export", argv);
  const std::string format = args.take("--format").value_or("csv");
  if (format != "csv") throw InputError(std::vector<Problem>{{"export", "--format", "found \"" + format + "\", expected csv"}});
  const auto pos = args.positionals(1, 1, "wijksim export DIR [--format csv]");
  const std::size_t rows = experiment::export_csv(pos[0]);
  std::printf("wrote %s/runs.csv and %s/outcomes.csv (%zu outcome rows)\n", pos[0].c_str(), pos[0].c_str(), rows);
  return 0;
}

int cmd_compare(const std::vector<std::string>& argv) {
  Args args("compare", argv);
  const auto pos = args.positionals(1, 1, "wijksim compare DIR");
  const auto s = experiment::compare(pos[0]);
  if (const auto done = experiment::completeness(experiment::Store::open_read(pos[0])); !done.complete())
    std::fprintf(stderr, "compare: warning: %s\n", done.sentence().c_str());
  std::printf("compared %zu series with baseline \"%s\": %s/comparison.json, comparison.csv, bands.csv (%zu rows)\n",
              s.comparisons, s.baseline.c_str(), pos[0].c_str(), s.band_rows);
  return 0;
}

}  // namespace wijksim::cli

namespace wijksim::cli {

int cmd_sensitivity(const std::vector<std::string>& argv) {
  Args args("sensitivity", argv);
  experiment::SensitivityOptions opt;
  opt.outcomes = args.take_all("--outcome");
  opt.level = args.take("--level").value_or("city");
  if (const auto w = args.take("--week")) opt.week = static_cast<std::int32_t>(args.integer("--week", *w, 0, 100000));
  const auto pos = args.positionals(1, 1, "wijksim sensitivity DIR [--outcome NAME]... [--level city|wijk|buurt] [--week W]");
  const auto s = experiment::sensitivity_report(pos[0], opt);
  std::printf("%s indices of %zu series at week %d: %s/sensitivity.json, sensitivity.csv (%zu rows)\n", s.method.c_str(), s.series,
              s.week, pos[0].c_str(), s.rows);
  return 0;
}

}  // namespace wijksim::cli
