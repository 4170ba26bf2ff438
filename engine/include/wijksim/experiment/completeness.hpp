#pragma once
// Whether a results store holds every run its experiment planned: `report` says so at the top
// and `compare` warns, so numbers from a half-finished store are not read as final.
#include <string>

#include "wijksim/experiment/store.hpp"

namespace wijksim::experiment {

struct Completeness {
  std::size_t planned = 0;  // cells x replicates (adaptive: x the minimum)
  std::size_t ok = 0;
  bool complete() const { return ok >= planned; }
  // "12 of 40 planned runs are finished; rerun `wijksim experiment` with the same file to complete it"
  std::string sentence() const;
};

Completeness completeness(const Store& store);

}  // namespace wijksim::experiment
