#include "wijksim/io/stats.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace wijksim {

double percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Summary summarise(std::vector<double> values) {
  Summary s;
  s.n = values.size();
  if (values.empty()) return s;
  const Eigen::Map<const Eigen::ArrayXd> v(values.data(), static_cast<Eigen::Index>(values.size()));
  s.mean = v.mean();
  if (s.n > 1) {
    s.sd = std::sqrt((v - s.mean).square().sum() / static_cast<double>(s.n - 1));
    const boost::math::students_t t(static_cast<double>(s.n - 1));
    const double half = boost::math::quantile(boost::math::complement(t, 0.025)) * s.sd / std::sqrt(static_cast<double>(s.n));
    s.ci_low = s.mean - half;
    s.ci_high = s.mean + half;
  } else {
    s.ci_low = s.ci_high = s.mean;
  }
  std::sort(values.begin(), values.end());
  s.p5 = percentile(values, 0.05);
  s.p50 = percentile(values, 0.50);
  s.p95 = percentile(values, 0.95);
  return s;
}

}  // namespace wijksim
