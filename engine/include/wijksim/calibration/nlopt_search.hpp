#pragma once
// Bounded derivative-free search with NLopt (Debian's libnlopt): Subplex (Rowan 1990, a
// Nelder-Mead variant on subspaces that copes better with the flat and ragged objectives of
// simulation ensembles) or BOBYQA (Powell 2009, quadratic models). Deterministic: neither draws
// random numbers, so the same start gives the same path.
#include <string>
#include <vector>

#include "wijksim/calibration/nelder_mead.hpp"

namespace wijksim::calibration {

struct NloptResult {
  std::vector<double> x;
  double f = 0;
  int evaluations = 0;
  bool converged = false;
  std::string stop_reason;
};

// method: "sbplx" or "bobyqa". Uses options' bounds, initial_step, xtol (absolute, per
// coordinate), ftol (absolute) and max_evaluations; restarts are not used.
NloptResult nlopt_minimise(const std::string& method, const Objective& f, std::vector<double> x0,
                           const NelderMeadOptions& options);

}  // namespace wijksim::calibration
