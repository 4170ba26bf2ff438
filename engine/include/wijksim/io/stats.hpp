#pragma once
// Summary statistics over replicates.
#include <vector>

namespace wijksim {

struct Summary {
  double mean = 0, sd = 0, ci_low = 0, ci_high = 0, p5 = 0, p50 = 0, p95 = 0;
  std::size_t n = 0;
};

// Mean, sample sd, 95% t-interval of the mean, and 5/50/95 percentiles (linear interpolation).
Summary summarise(std::vector<double> values);
double percentile(const std::vector<double>& sorted, double q);

}  // namespace wijksim
