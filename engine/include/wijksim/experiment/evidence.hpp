#pragma once
// Statistics over parameter draws (docs/EXPERIMENTS.md, "Parameter uncertainty" and "Scenario
// discovery"): which parameters a difference hinges on (partial rank correlations), and PRIM,
// the patient rule induction method of Friedman & Fisher (1999) as used for scenario discovery
// (Bryant & Lempert 2010; EMA Workbench).
#include <cstddef>
#include <string>
#include <vector>

namespace wijksim::experiment {

// Ranks 1..n, ties sharing their average rank.
std::vector<double> ranks(const std::vector<double>& v);

// Correlation of y with each column of x (x[i][j]: draw i, parameter j) on ranks: partial rank
// correlation coefficients (PRCC, the correlation left after the other columns are regressed
// out) when there are enough draws (n > p + 2) and the rank correlation matrix is invertible;
// otherwise plain rank (Spearman) correlations, and `partial` is set false. Constant columns
// get 0.
std::vector<double> rank_correlations(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                                      bool& partial);

// PRIM over points x[i] (one coordinate per dimension) and a case flag per point ("the variant
// does worse than its baseline"): peeling shaves, per step, the alpha-share of points at one
// end of one dimension that most raises the density of cases in the box, until the box holds
// fewer than min_mass of the points; pasting then widens the chosen box again where that raises
// density. Coverage = cases in the box / all cases; density = cases in the box / points in it.
struct PrimOptions {
  double alpha = 0.05;     // peeling share per step
  double min_mass = 0.05;  // the smallest box, as a share of all points
  double threshold = 0.8;  // chosen box: the widest on the trajectory with at least this density
};
struct PrimBox {
  std::vector<double> low, high;  // per dimension
  double coverage = 0, density = 0, mass = 0;
  std::size_t points = 0, cases = 0;
  std::vector<bool> restricted;  // per dimension: narrower than the data's range
};
struct PrimResult {
  std::vector<PrimBox> trajectory;  // box 0: everything; then one per peel
  std::size_t chosen = 0;           // index into trajectory, before pasting
  PrimBox pasted;                   // the chosen box after pasting
  std::size_t cases = 0, points = 0;
};
PrimResult prim(const std::vector<std::vector<double>>& x, const std::vector<bool>& is_case, const PrimOptions& options);

}  // namespace wijksim::experiment

namespace wijksim::experiment {

// Scenario discovery over a results store (`wijksim discover`): per (design point, replicate),
// the final-week city difference variant - baseline of one outcome; a case is a difference
// below (or above) the threshold; the points are the run's drawn parameter set and design
// values. Writes DIR/discover.json; InputError for a store without draws or design, an unknown
// outcome or variant, or no runs.
struct DiscoverOptions {
  std::string outcome;
  double threshold = 0;
  bool below = true;      // --below T: cases have difference < T; --above T: difference > T
  std::string variant;    // empty: every variant but the baseline, each on its own
  PrimOptions prim;
};
struct DiscoverSummary {
  struct PerVariant {
    std::string variant;
    std::size_t points = 0, cases = 0;
    PrimBox box;                          // chosen and pasted
    std::vector<std::string> dimensions;  // parameter paths, one per box coordinate
  };
  std::vector<PerVariant> variants;
};
DiscoverSummary discover(const std::string& dir, const DiscoverOptions& options);

}  // namespace wijksim::experiment
