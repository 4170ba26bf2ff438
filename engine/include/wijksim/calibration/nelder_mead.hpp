#pragma once
// Nelder-Mead simplex search (Nelder & Mead 1965, with the standard coefficients: reflection
// 1, expansion 2, contraction 1/2, shrink 1/2). Derivative-free, so it suits an objective that
// is a simulation ensemble; fully deterministic (no random draws), so the same start gives the
// same path. Optional box bounds: every trial point is projected onto the box before the
// objective sees it, and restarts rebuild the simplex around the best point so a simplex that
// collapsed onto a face can leave it again.
#include <functional>
#include <string>
#include <vector>

namespace wijksim::calibration {

struct NelderMeadOptions {
  int max_evaluations = 200;  // calls of the objective, restarts included
  double xtol = 1e-6;         // converged when every vertex is within xtol (max norm) of the best...
  double ftol = 1e-9;         // ...and the objective spread over the simplex is at most ftol
  std::vector<double> initial_step;  // per coordinate; empty: 0.1 each (flipped inward at an upper bound)
  int restarts = 1;                  // fresh simplexes around the best point after convergence
  std::vector<double> lower, upper;  // empty: unbounded
};

struct NelderMeadResult {
  std::vector<double> x;
  double f = 0;
  int evaluations = 0;
  int iterations = 0;
  bool converged = false;
  std::string stop_reason;  // "converged", "max_evaluations"
};

using Objective = std::function<double(const std::vector<double>&)>;

NelderMeadResult nelder_mead(const Objective& f, std::vector<double> x0, const NelderMeadOptions& options);

}  // namespace wijksim::calibration
