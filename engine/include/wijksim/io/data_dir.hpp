#pragma once
// Where the CBS data shipped with wijksim lives: WIJKSIM_DATA_DIR, else the source tree's
// data/cbs (compiled in), so a fresh clone needs nothing beside it.
#include <string>

namespace wijksim {

std::string data_dir();
std::string data_file(const std::string& name);  // data_dir() + "/" + name

}  // namespace wijksim
