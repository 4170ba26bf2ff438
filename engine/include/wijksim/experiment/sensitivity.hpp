#pragma once
// Global sensitivity analysis (docs/EXPERIMENTS.md, "Sensitivity designs"): the designs
// (Saltelli 2010 sampling on a Sobol' sequence, Morris trajectories) in the unit cube, and the
// estimators, as pure functions of model outputs arranged the way the designs lay them out.
//
// Sobol' indices (Saltelli et al. 2010, Comput. Phys. Commun. 181:259):
//   V    = variance of f over the rows of A and B together (population variance)
//   S_i  = mean_j( f_B[j] * (f_ABi[j] - f_A[j]) ) / V          (Saltelli 2010, table 2 (b))
//   ST_i = mean_j( (f_A[j] - f_ABi[j])^2 ) / (2 V)             (Jansen 1999)
// Morris (1991), with Campolongo et al. (2007)'s mu*: per factor the mean mu, the mean absolute
// value mu* and the sample standard deviation sigma of its elementary effects.
// Confidence intervals: percentile bootstrap (95%), resampling rows (Sobol') or trajectories
// (Morris) with replacement, a fixed seed, 1000 resamples.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wijksim::experiment::sensitivity {

inline constexpr int bootstrap_resamples = 1000;
inline constexpr std::uint64_t bootstrap_seed = 20260331;
inline constexpr double confidence = 0.95;

// ---- designs ---------------------------------------------------------------------------------

// Dimensions of the Sobol' sequence: boost::random::sobol (Joe & Kuo 2008 direction numbers,
// new-joe-kuo-6.21201, the primitive polynomials below 2^16: 3667 dimensions). The Saltelli
// scheme needs 2k dimensions for k parameters.
inline constexpr std::size_t sobol_max_dims = 3667;
inline constexpr std::size_t saltelli_max_parameters = sobol_max_dims / 2;  // 1833

// n points of the Sobol' sequence in `dims` dimensions, in Boost's Gray-code order, from
// position `skip` (0: the origin first; 1: the first point after it), each 64-bit coordinate
// XOR-ed with `shift[d]` (a random digital shift; empty: none). Values in [0, 1). Throws
// std::invalid_argument for dims outside 1..sobol_max_dims.
std::vector<std::vector<double>> sobol_points(std::size_t n, std::size_t dims, std::size_t skip = 1,
                                              const std::vector<std::uint64_t>& shift = {});

// Where a design point sits in a sensitivity design.
struct PointRole {
  enum class Kind { A, B, AB, trajectory };
  Kind kind = Kind::A;
  int row = 0;        // base row j (Sobol') or trajectory t (Morris)
  int factor = -1;    // AB: the column taken from B; trajectory: the factor this step moved (-1 at step 0)
  int step = 0;       // trajectory: 0 .. k
  int direction = 0;  // trajectory: +1 or -1, the sign of the move (0 at step 0)
};
const char* kind_name(PointRole::Kind k);  // "A", "B", "AB", "trajectory"

struct UnitDesign {
  std::vector<std::vector<double>> points;  // in the unit cube, points[p][factor]
  std::vector<PointRole> roles;             // one per point
};

// Saltelli (2010): A and B are the first and last k columns of n points of a 2k-dimensional
// Sobol' sequence (index 0, the origin, skipped; a digital shift drawn from `seed`, none if
// seed == 0). Rows are laid out row-major: for j = 0 .. n-1: A_j, B_j, AB_1j, ..., AB_kj, where
// AB_i is A with column i taken from B. n (k + 2) points.
UnitDesign saltelli_design(std::size_t n, std::size_t k, std::uint64_t seed);

// Morris (1991): r trajectories of k + 1 points on the p-level grid {0, 1/(p-1), ..., 1}, step
// delta = p / (2 (p - 1)). Each trajectory starts at a random grid point, then moves each factor
// once, in random order, by +delta or -delta. r (k + 1) points, drawn from `seed`.
UnitDesign morris_design(std::size_t r, std::size_t k, int levels, std::uint64_t seed);
double morris_delta(int levels);

// ---- estimators ------------------------------------------------------------------------------

struct Estimate {
  double estimate = 0, ci_low = 0, ci_high = 0;
};

struct SobolResult {
  std::size_t n = 0;      // rows used
  double variance = 0;    // V over A and B
  std::vector<Estimate> first, total;  // per factor
};

// f_a[j], f_b[j], f_ab[i][j]: model output at rows A_j, B_j and AB_i,j. All of length n >= 2.
SobolResult sobol_indices(const std::vector<double>& f_a, const std::vector<double>& f_b,
                          const std::vector<std::vector<double>>& f_ab, int resamples = bootstrap_resamples,
                          std::uint64_t seed = bootstrap_seed);

struct MorrisResult {
  std::size_t r = 0;  // trajectories used
  std::vector<Estimate> mu, mu_star, sigma;  // per factor
};

// effects[i][t]: the elementary effect of factor i in trajectory t, all of length r >= 1.
MorrisResult morris_indices(const std::vector<std::vector<double>>& effects, int resamples = bootstrap_resamples,
                            std::uint64_t seed = bootstrap_seed);

// Elementary effects of a Morris design from its outputs: effects[i][t] =
// (f(step m) - f(step m-1)) / (direction * delta) for the step m of trajectory t that moved i.
// A trajectory with a missing (non-finite) output at any step is left out whole.
std::vector<std::vector<double>> morris_effects(const std::vector<PointRole>& roles, const std::vector<double>& f,
                                                std::size_t k, double delta);

}  // namespace wijksim::experiment::sensitivity
