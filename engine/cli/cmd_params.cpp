#include <iostream>

#include "args.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/scenario/param_table.hpp"

namespace wijksim::cli {

int cmd_params(const std::vector<std::string>& argv) {
  Command cmd("params", "Prints every model parameter: path, unit, default, range, meaning, source, stage and prior.",
              "wijksim params [--format md|json]");
  std::optional<std::string> format_given;
  cmd.option("--format", format_given, "FORMAT", "md (a Markdown table, default) or json");
  if (cmd.parse(argv)) return 0;
  const std::string format = cmd.choice("--format", format_given.value_or("md"), {"md", "json"});
  if (format == "md") std::cout << param_table_markdown();
  else
    std::cout << param_table_json();
  return 0;
}

}  // namespace wijksim::cli
