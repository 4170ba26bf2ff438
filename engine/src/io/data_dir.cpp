#include "wijksim/io/data_dir.hpp"

#include <cstdlib>

#ifndef WIJKSIM_DATA_DIR_DEFAULT
#define WIJKSIM_DATA_DIR_DEFAULT "data/cbs"
#endif

namespace wijksim {

std::string data_dir() {
  if (const char* d = std::getenv("WIJKSIM_DATA_DIR"); d && *d) return d;
  return WIJKSIM_DATA_DIR_DEFAULT;
}

std::string data_file(const std::string& name) { return data_dir() + "/" + name; }

}  // namespace wijksim
