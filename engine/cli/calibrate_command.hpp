#pragma once
// wijksim calibrate (docs/CALIBRATION.md), declared apart so it stays one addition to the CLI.
#include <string>
#include <vector>

namespace wijksim::cli {

int cmd_calibrate(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace wijksim::cli
