// `wijksim metrics`: every metric the engine records, with unit, meaning, scope and which way
// is better, from the one catalogue in sim/metrics.hpp.
#include <iostream>

#include "args.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/sim/metrics.hpp"

namespace wijksim::cli {

int cmd_metrics(const std::vector<std::string>& argv) {
  Args args("metrics", argv);
  const std::string format = args.take("--format").value_or("md");
  args.positionals(0, 0, "wijksim metrics [--format md|json|csv]");
  if (format == "md") std::cout << metric_catalogue_markdown();
  else if (format == "json") std::cout << metric_catalogue_json();
  else if (format == "csv") std::cout << metric_catalogue_csv();
  else throw InputError(std::vector<Problem>{{"metrics", "--format", "found \"" + format + "\", expected md, json or csv"}});
  return 0;
}

}  // namespace wijksim::cli
