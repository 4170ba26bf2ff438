#pragma once
// wijksim abc (docs/CALIBRATION.md, "Calibration against the programme evidence").
#include <string>
#include <vector>

namespace wijksim::cli {

int cmd_abc(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace wijksim::cli
