#include <iostream>

#include "args.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/scenario/param_table.hpp"

namespace wijksim::cli {

int cmd_params(const std::vector<std::string>& argv) {
  Args args("params", argv);
  const std::string format = args.take("--format").value_or("md");
  args.positionals(0, 0, "wijksim params [--format md|json]");
  if (format == "md") std::cout << param_table_markdown();
  else if (format == "json") std::cout << param_table_json();
  else throw InputError(std::vector<Problem>{{"params", "--format", "found \"" + format + "\", expected md or json"}});
  return 0;
}

}  // namespace wijksim::cli
