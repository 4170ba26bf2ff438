#pragma once
// `wijksim serve` (cmd_serve.cpp; the server itself is engine/serve/).
#include <string>
#include <vector>

namespace wijksim::cli {

int cmd_serve(const std::vector<std::string>& args);

}  // namespace wijksim::cli
