// io/stats.hpp: summaries over replicates against hand-computed values.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "wijksim/io/stats.hpp"

using wijksim::percentile;
using wijksim::summarise;

TEST_CASE("summarise eight values", "[stats]") {
  // Values 2 4 4 4 5 5 7 9 (given unsorted): sum 40, mean 5; squared deviations sum to 32.
  const auto s = summarise({9, 4, 2, 5, 4, 7, 4, 5});
  CHECK(s.n == 8u);
  CHECK(s.mean == Approx(5.0).epsilon(1e-14));
  const double sd = std::sqrt(32.0 / 7.0);  // sample sd (n - 1)
  CHECK(s.sd == Approx(sd).epsilon(1e-12));
  // 95% t-interval: t(0.975, 7 dof) = 2.364624251592785.
  const double half = 2.364624251592785 * sd / std::sqrt(8.0);
  CHECK(s.ci_low == Approx(5.0 - half).epsilon(1e-9));
  CHECK(s.ci_high == Approx(5.0 + half).epsilon(1e-9));
  // Percentiles by linear interpolation between order statistics (position q (n - 1)):
  // p5 at 0.35 -> 2 + 0.35 (4 - 2); p50 at 3.5 -> 4.5; p95 at 6.65 -> 7 + 0.65 (9 - 7).
  CHECK(s.p5 == Approx(2.7).epsilon(1e-12));
  CHECK(s.p50 == Approx(4.5).epsilon(1e-12));
  CHECK(s.p95 == Approx(8.3).epsilon(1e-12));
}

TEST_CASE("summarise two values uses the t quantile for one degree of freedom", "[stats]") {
  const auto s = summarise({1.0, 3.0});
  CHECK(s.mean == Approx(2.0));
  CHECK(s.sd == Approx(std::sqrt(2.0)));
  const double half = 12.706204736174707 * std::sqrt(2.0) / std::sqrt(2.0);  // t(0.975, 1)
  CHECK(s.ci_low == Approx(2.0 - half).epsilon(1e-9));
  CHECK(s.ci_high == Approx(2.0 + half).epsilon(1e-9));
  CHECK(s.p5 == Approx(1.1));
  CHECK(s.p50 == Approx(2.0));
  CHECK(s.p95 == Approx(2.9));
}

TEST_CASE("summarise with large n approaches the normal interval", "[stats]") {
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(i % 2 == 0 ? 1.0 : -1.0);  // mean 0
  const auto s = summarise(v);
  CHECK(s.mean == Approx(0.0).margin(1e-12));
  const double sd = std::sqrt(1000.0 / 999.0);
  CHECK(s.sd == Approx(sd).epsilon(1e-12));
  // t(0.975, 999) = 1.962341461133449
  CHECK(s.ci_high == Approx(1.962341461133449 * sd / std::sqrt(1000.0)).epsilon(1e-9));
  CHECK(s.p50 == Approx(0.0).margin(1e-12));
  CHECK(s.p5 == Approx(-1.0));
  CHECK(s.p95 == Approx(1.0));
}

TEST_CASE("summarise a single value and no values", "[stats]") {
  const auto one = summarise({0.25});
  CHECK(one.n == 1u);
  CHECK(one.mean == 0.25);
  CHECK(one.sd == 0.0);
  CHECK(one.ci_low == 0.25);
  CHECK(one.ci_high == 0.25);
  CHECK(one.p5 == 0.25);
  CHECK(one.p50 == 0.25);
  CHECK(one.p95 == 0.25);
  const auto none = summarise({});
  CHECK(none.n == 0u);
  CHECK(none.mean == 0.0);
  CHECK(none.sd == 0.0);
}

TEST_CASE("constant values have zero sd and a zero-width interval", "[stats]") {
  const auto s = summarise({3.5, 3.5, 3.5, 3.5});
  CHECK(s.mean == 3.5);
  CHECK(s.sd == 0.0);
  CHECK(s.ci_low == 3.5);
  CHECK(s.ci_high == 3.5);
  CHECK(s.p95 == 3.5);
}

TEST_CASE("percentile interpolates between order statistics", "[stats]") {
  const std::vector<double> sorted = {10, 20, 30, 40, 50};
  CHECK(percentile(sorted, 0.0) == 10.0);
  CHECK(percentile(sorted, 1.0) == 50.0);
  CHECK(percentile(sorted, 0.5) == 30.0);
  CHECK(percentile(sorted, 0.1) == Approx(14.0));   // position 0.4
  CHECK(percentile(sorted, 0.9) == Approx(46.0));   // position 3.6
  CHECK(percentile({}, 0.5) == 0.0);
}
