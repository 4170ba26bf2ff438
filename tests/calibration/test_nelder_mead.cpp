// Nelder-Mead on functions with known minima. Tolerances are stated per case; the search is
// deterministic, so each case also checks that a second run takes the same path.
#include <catch2/catch.hpp>

#include <cmath>

#include "wijksim/calibration/nelder_mead.hpp"

using wijksim::calibration::nelder_mead;
using wijksim::calibration::NelderMeadOptions;

TEST_CASE("nelder-mead finds the Rosenbrock minimum from the classic start", "[calibration][nelder-mead]") {
  // f = 100 (y - x^2)^2 + (1 - x)^2, minimum 0 at (1, 1); start (-1.2, 1). Tolerance: each
  // coordinate within 1e-4 of 1 and f < 1e-8, within 2,000 evaluations.
  int calls = 0;
  const auto f = [&](const std::vector<double>& v) {
    ++calls;
    return 100 * std::pow(v[1] - v[0] * v[0], 2) + std::pow(1 - v[0], 2);
  };
  NelderMeadOptions o;
  o.max_evaluations = 2000;
  o.xtol = 1e-8;
  o.ftol = 1e-14;
  o.initial_step = {0.5, 0.5};
  const auto r = nelder_mead(f, {-1.2, 1.0}, o);
  INFO("x " << r.x[0] << ", " << r.x[1] << " f " << r.f << " evaluations " << r.evaluations);
  CHECK(r.converged);
  CHECK(std::fabs(r.x[0] - 1) < 1e-4);
  CHECK(std::fabs(r.x[1] - 1) < 1e-4);
  CHECK(r.f < 1e-8);
  CHECK(r.evaluations == calls);
  CHECK(r.evaluations <= 2000);
  const auto again = nelder_mead(f, {-1.2, 1.0}, o);
  CHECK(again.x == r.x);
  CHECK(again.evaluations == r.evaluations);
}

TEST_CASE("nelder-mead respects bounds on a quadratic whose free minimum lies outside them", "[calibration][nelder-mead]") {
  // f = (x - 2)^2 + 3 (y + 1)^2 + (z - 0.3)^2 on [0, 1] x [0, 3] x [0, 1]: the constrained
  // minimum is (1, 0, 0.3) with f = 4. Tolerance: each coordinate within 1e-4, f within 1e-6,
  // and the objective never sees a point outside the box.
  bool outside = false;
  const auto f = [&](const std::vector<double>& v) {
    if (v[0] < 0 || v[0] > 1 || v[1] < 0 || v[1] > 3 || v[2] < 0 || v[2] > 1) outside = true;
    return std::pow(v[0] - 2, 2) + 3 * std::pow(v[1] + 1, 2) + std::pow(v[2] - 0.3, 2);
  };
  NelderMeadOptions o;
  o.max_evaluations = 3000;
  o.xtol = 1e-7;
  o.ftol = 1e-12;
  o.restarts = 3;
  o.lower = {0, 0, 0};
  o.upper = {1, 3, 1};
  const auto r = nelder_mead(f, {0.5, 2.5, 0.9}, o);
  INFO("x " << r.x[0] << ", " << r.x[1] << ", " << r.x[2] << " f " << r.f << " evaluations " << r.evaluations);
  CHECK_FALSE(outside);
  CHECK(std::fabs(r.x[0] - 1) < 1e-4);
  CHECK(std::fabs(r.x[1] - 0) < 1e-4);
  CHECK(std::fabs(r.x[2] - 0.3) < 1e-4);
  CHECK(std::fabs(r.f - 4) < 1e-6);
}

TEST_CASE("nelder-mead finds an interior minimum of a bounded, badly scaled quadratic", "[calibration][nelder-mead]") {
  // f = (x - 0.3)^2 + 100 (y - 0.7)^2 + 10 (x - 0.3)(y - 0.7) on [0, 1]^2 (positive definite):
  // minimum 0 at (0.3, 0.7). Tolerance: within 1e-4 per coordinate.
  const auto f = [](const std::vector<double>& v) {
    const double a = v[0] - 0.3, b = v[1] - 0.7;
    return a * a + 100 * b * b + 10 * a * b;
  };
  NelderMeadOptions o;
  o.max_evaluations = 2000;
  o.xtol = 1e-7;
  o.ftol = 1e-14;
  o.lower = {0, 0};
  o.upper = {1, 1};
  const auto r = nelder_mead(f, {0.95, 0.05}, o);
  INFO("x " << r.x[0] << ", " << r.x[1] << " f " << r.f);
  CHECK(std::fabs(r.x[0] - 0.3) < 1e-4);
  CHECK(std::fabs(r.x[1] - 0.7) < 1e-4);
}

TEST_CASE("nelder-mead stops at the evaluation budget and says so", "[calibration][nelder-mead]") {
  // Rosenbrock with only 20 evaluations cannot converge: the result reports max_evaluations,
  // never more than 20 calls, and the best point seen (no worse than the start).
  int calls = 0;
  const auto f = [&](const std::vector<double>& v) {
    ++calls;
    return 100 * std::pow(v[1] - v[0] * v[0], 2) + std::pow(1 - v[0], 2);
  };
  NelderMeadOptions o;
  o.max_evaluations = 20;
  const auto r = nelder_mead(f, {-1.2, 1.0}, o);
  CHECK_FALSE(r.converged);
  CHECK(r.stop_reason == "max_evaluations");
  CHECK(calls == 20);
  CHECK(r.f <= 24.2);  // f(-1.2, 1) = 24.2
}
