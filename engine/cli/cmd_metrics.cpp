// `wijksim metrics`: every metric the engine records, with unit, meaning, scope and which way
// is better, from the one catalogue in sim/metrics.hpp.
#include <iostream>

#include "args.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/sim/metrics.hpp"

namespace wijksim::cli {

int cmd_metrics(const std::vector<std::string>& argv) {
  Command cmd("metrics", "Prints every metric the engine records: unit, meaning, level and which direction is better.",
              "wijksim metrics [--format md|json|csv]");
  std::optional<std::string> format_given;
  cmd.option("--format", format_given, "FORMAT", "md (a Markdown table, default), json or csv");
  if (cmd.parse(argv)) return 0;
  const std::string format = cmd.choice("--format", format_given.value_or("md"), {"md", "json", "csv"});
  if (format == "md") std::cout << metric_catalogue_markdown();
  else if (format == "json") std::cout << metric_catalogue_json();
  else
    std::cout << metric_catalogue_csv();
  return 0;
}

}  // namespace wijksim::cli
