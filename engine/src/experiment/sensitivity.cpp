#include "wijksim/experiment/sensitivity.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

#include "wijksim/io/stats.hpp"

namespace wijksim::experiment::sensitivity {

namespace {

// Coordinates of boost::random::sobol are 64-bit integers; the top 53 bits make a double in [0, 1).
double unit(std::uint64_t x) { return static_cast<double>(x >> 11) * 0x1.0p-53; }

// Percentile interval of bootstrap replicates (NaNs left out).
void interval(std::vector<double>& reps, Estimate& e) {
  reps.erase(std::remove_if(reps.begin(), reps.end(), [](double v) { return !std::isfinite(v); }), reps.end());
  if (reps.empty()) {
    e.ci_low = e.ci_high = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  std::sort(reps.begin(), reps.end());
  const double tail = (1 - confidence) / 2;
  e.ci_low = percentile(reps, tail);
  e.ci_high = percentile(reps, 1 - tail);
}

// Sobol' indices over the rows idx (with repeats, for the bootstrap).
void sobol_on(const std::vector<double>& f_a, const std::vector<double>& f_b, const std::vector<std::vector<double>>& f_ab,
              const std::vector<std::size_t>& idx, std::vector<double>& first, std::vector<double>& total, double& var) {
  const std::size_t n = idx.size();
  double sum = 0;
  for (std::size_t j : idx) sum += f_a[j] + f_b[j];
  const double m = sum / static_cast<double>(2 * n);
  double ss = 0;
  for (std::size_t j : idx) ss += (f_a[j] - m) * (f_a[j] - m) + (f_b[j] - m) * (f_b[j] - m);
  var = ss / static_cast<double>(2 * n);
  const std::size_t k = f_ab.size();
  first.assign(k, 0);
  total.assign(k, 0);
  for (std::size_t i = 0; i < k; ++i) {
    double s1 = 0, st = 0;
    for (std::size_t j : idx) {
      s1 += f_b[j] * (f_ab[i][j] - f_a[j]);
      const double d = f_a[j] - f_ab[i][j];
      st += d * d;
    }
    first[i] = var > 0 ? s1 / static_cast<double>(n) / var : std::numeric_limits<double>::quiet_NaN();
    total[i] = var > 0 ? st / static_cast<double>(n) / (2 * var) : std::numeric_limits<double>::quiet_NaN();
  }
}

void morris_on(const std::vector<double>& ee, const std::vector<std::size_t>& idx, double& mu, double& mu_star, double& sigma) {
  const double n = static_cast<double>(idx.size());
  double s = 0, sa = 0;
  for (std::size_t t : idx) {
    s += ee[t];
    sa += std::fabs(ee[t]);
  }
  mu = s / n;
  mu_star = sa / n;
  if (idx.size() < 2) {
    sigma = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  double ss = 0;
  for (std::size_t t : idx) ss += (ee[t] - mu) * (ee[t] - mu);
  sigma = std::sqrt(ss / (n - 1));
}

}  // namespace

const char* kind_name(PointRole::Kind k) {
  switch (k) {
    case PointRole::Kind::A: return "A";
    case PointRole::Kind::B: return "B";
    case PointRole::Kind::AB: return "AB";
    case PointRole::Kind::trajectory: return "trajectory";
  }
  return "?";
}

std::vector<std::vector<double>> sobol_points(std::size_t n, std::size_t dims, std::size_t skip,
                                              const std::vector<std::uint64_t>& shift) {
  if (dims < 1 || dims > sobol_max_dims)
    throw std::invalid_argument("Sobol' sequence: dimensions must be 1.." + std::to_string(sobol_max_dims));
  if (!shift.empty() && shift.size() != dims) throw std::invalid_argument("Sobol' sequence: one shift per dimension");
  std::vector<std::vector<double>> out;
  out.reserve(n);
  auto shifted = [&](std::size_t d, std::uint64_t x) { return unit(shift.empty() ? x : x ^ shift[d]); };
  // Boost's engine starts after the origin (index 0 in Gray-code order); a skip of 0 asks for it.
  if (skip == 0 && n > 0) {
    std::vector<double> origin(dims);
    for (std::size_t d = 0; d < dims; ++d) origin[d] = shifted(d, 0);
    out.push_back(std::move(origin));
  }
  boost::random::sobol engine(dims);
  if (skip > 1) engine.discard(static_cast<boost::uintmax_t>((skip - 1) * dims));
  while (out.size() < n) {
    std::vector<double> point(dims);
    for (std::size_t d = 0; d < dims; ++d) point[d] = shifted(d, engine());
    out.push_back(std::move(point));
  }
  return out;
}

UnitDesign saltelli_design(std::size_t n, std::size_t k, std::uint64_t seed) {
  if (k < 1 || 2 * k > sobol_max_dims)
    throw std::invalid_argument("Saltelli design: 1.." + std::to_string(saltelli_max_parameters) + " parameters");
  std::vector<std::uint64_t> shift;
  if (seed != 0) {
    std::mt19937_64 rng(seed);
    for (std::size_t d = 0; d < 2 * k; ++d) shift.push_back(rng());
  }
  const auto base = sobol_points(n, 2 * k, 1, shift);
  UnitDesign d;
  d.points.reserve(n * (k + 2));
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<double> a(base[j].begin(), base[j].begin() + static_cast<long>(k));
    std::vector<double> b(base[j].begin() + static_cast<long>(k), base[j].end());
    d.points.push_back(a);
    d.roles.push_back({PointRole::Kind::A, static_cast<int>(j), -1, 0, 0});
    d.points.push_back(b);
    d.roles.push_back({PointRole::Kind::B, static_cast<int>(j), -1, 0, 0});
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<double> ab = a;
      ab[i] = b[i];
      d.points.push_back(ab);
      d.roles.push_back({PointRole::Kind::AB, static_cast<int>(j), static_cast<int>(i), 0, 0});
    }
  }
  return d;
}

double morris_delta(int levels) { return static_cast<double>(levels) / (2.0 * (levels - 1)); }

UnitDesign morris_design(std::size_t r, std::size_t k, int levels, std::uint64_t seed) {
  if (levels < 2 || levels % 2 != 0) throw std::invalid_argument("Morris design: levels must be even and >= 2");
  const int jump = levels / 2;  // delta in grid steps
  const double step = 1.0 / (levels - 1);
  std::mt19937_64 rng(seed);
  UnitDesign d;
  for (std::size_t t = 0; t < r; ++t) {
    std::vector<int> at(k), dir(k);
    for (std::size_t i = 0; i < k; ++i) {
      dir[i] = (rng() >> 63) ? 1 : -1;
      const int base = static_cast<int>(rng() % static_cast<std::uint64_t>(jump));
      at[i] = dir[i] > 0 ? base : base + jump;  // + moves stay <= levels-1, - moves stay >= 0
    }
    std::vector<std::size_t> order(k);
    for (std::size_t i = 0; i < k; ++i) order[i] = i;
    for (std::size_t i = k; i-- > 1;) std::swap(order[i], order[rng() % (i + 1)]);
    auto point = [&] {
      std::vector<double> x(k);
      for (std::size_t i = 0; i < k; ++i) x[i] = at[i] * step;
      return x;
    };
    d.points.push_back(point());
    d.roles.push_back({PointRole::Kind::trajectory, static_cast<int>(t), -1, 0, 0});
    for (std::size_t m = 0; m < k; ++m) {
      const std::size_t i = order[m];
      at[i] += dir[i] * jump;
      d.points.push_back(point());
      d.roles.push_back({PointRole::Kind::trajectory, static_cast<int>(t), static_cast<int>(i), static_cast<int>(m + 1), dir[i]});
    }
  }
  return d;
}

SobolResult sobol_indices(const std::vector<double>& f_a, const std::vector<double>& f_b,
                          const std::vector<std::vector<double>>& f_ab, int resamples, std::uint64_t seed) {
  const std::size_t n = f_a.size(), k = f_ab.size();
  if (n < 2 || f_b.size() != n) throw std::invalid_argument("Sobol' indices: A and B need the same n >= 2 rows");
  for (const auto& c : f_ab)
    if (c.size() != n) throw std::invalid_argument("Sobol' indices: every AB_i needs n rows");
  SobolResult res;
  res.n = n;
  res.first.resize(k);
  res.total.resize(k);
  std::vector<std::size_t> idx(n);
  for (std::size_t j = 0; j < n; ++j) idx[j] = j;
  std::vector<double> first, total;
  sobol_on(f_a, f_b, f_ab, idx, first, total, res.variance);
  for (std::size_t i = 0; i < k; ++i) {
    res.first[i].estimate = first[i];
    res.total[i].estimate = total[i];
  }
  std::vector<std::vector<double>> rf(k), rt(k);
  std::mt19937_64 rng(seed);
  double var = 0;
  for (int b = 0; b < resamples; ++b) {
    for (auto& j : idx) j = static_cast<std::size_t>(rng() % n);
    sobol_on(f_a, f_b, f_ab, idx, first, total, var);
    for (std::size_t i = 0; i < k; ++i) {
      rf[i].push_back(first[i]);
      rt[i].push_back(total[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    interval(rf[i], res.first[i]);
    interval(rt[i], res.total[i]);
  }
  return res;
}

MorrisResult morris_indices(const std::vector<std::vector<double>>& effects, int resamples, std::uint64_t seed) {
  const std::size_t k = effects.size();
  const std::size_t r = k ? effects[0].size() : 0;
  if (r < 1) throw std::invalid_argument("Morris indices: need at least one trajectory");
  for (const auto& e : effects)
    if (e.size() != r) throw std::invalid_argument("Morris indices: every factor needs r effects");
  MorrisResult res;
  res.r = r;
  res.mu.resize(k);
  res.mu_star.resize(k);
  res.sigma.resize(k);
  std::vector<std::size_t> idx(r);
  for (std::size_t t = 0; t < r; ++t) idx[t] = t;
  for (std::size_t i = 0; i < k; ++i)
    morris_on(effects[i], idx, res.mu[i].estimate, res.mu_star[i].estimate, res.sigma[i].estimate);
  std::vector<std::vector<double>> rm(k), rs(k), rsig(k);
  std::mt19937_64 rng(seed);
  for (int b = 0; b < resamples; ++b) {
    for (auto& t : idx) t = static_cast<std::size_t>(rng() % r);
    for (std::size_t i = 0; i < k; ++i) {
      double mu = 0, mu_star = 0, sigma = 0;
      morris_on(effects[i], idx, mu, mu_star, sigma);
      rm[i].push_back(mu);
      rs[i].push_back(mu_star);
      rsig[i].push_back(sigma);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    interval(rm[i], res.mu[i]);
    interval(rs[i], res.mu_star[i]);
    interval(rsig[i], res.sigma[i]);
  }
  return res;
}

std::vector<std::vector<double>> morris_effects(const std::vector<PointRole>& roles, const std::vector<double>& f,
                                                std::size_t k, double delta) {
  if (roles.size() != f.size()) throw std::invalid_argument("Morris effects: one output per design point");
  // Outputs per trajectory and step.
  int trajectories = 0;
  for (const auto& r : roles) trajectories = std::max(trajectories, r.row + 1);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::vector<double>> value(static_cast<std::size_t>(trajectories), std::vector<double>(k + 1, nan));
  std::vector<std::vector<const PointRole*>> role_at(static_cast<std::size_t>(trajectories), std::vector<const PointRole*>(k + 1, nullptr));
  for (std::size_t p = 0; p < roles.size(); ++p) {
    const auto& r = roles[p];
    if (r.kind != PointRole::Kind::trajectory || r.step < 0 || static_cast<std::size_t>(r.step) > k) continue;
    value[static_cast<std::size_t>(r.row)][static_cast<std::size_t>(r.step)] = f[p];
    role_at[static_cast<std::size_t>(r.row)][static_cast<std::size_t>(r.step)] = &r;
  }
  std::vector<std::vector<double>> effects(k);
  for (std::size_t t = 0; t < value.size(); ++t) {
    bool complete = true;
    for (std::size_t m = 0; m <= k; ++m) complete = complete && role_at[t][m] && std::isfinite(value[t][m]);
    if (!complete) continue;  // a trajectory with a missing output gives no effects at all
    for (std::size_t m = 1; m <= k; ++m) {
      const PointRole& r = *role_at[t][m];
      effects[static_cast<std::size_t>(r.factor)].push_back((value[t][m] - value[t][m - 1]) / (r.direction * delta));
    }
  }
  return effects;
}

}  // namespace wijksim::experiment::sensitivity
