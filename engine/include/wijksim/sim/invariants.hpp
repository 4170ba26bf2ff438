#pragma once
// State invariants: every state variable in range, nothing NaN or infinite, counts conserved.
// Checked after every week in debug builds (and by tests through check_invariants directly).
#include <string>

#include "wijksim/sim/world.hpp"

namespace wijksim {

// Returns an empty string when all invariants hold, else a description of the first violation.
std::string check_invariants(const World& w);

}  // namespace wijksim
