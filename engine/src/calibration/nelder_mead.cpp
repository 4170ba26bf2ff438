#include "wijksim/calibration/nelder_mead.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace wijksim::calibration {

namespace {

struct Vertex {
  std::vector<double> x;
  double f = 0;
};

class Search {
 public:
  Search(const Objective& f, const NelderMeadOptions& o) : f_(f), o_(o) {}

  bool budget_left() const { return evaluations_ < o_.max_evaluations; }
  int evaluations() const { return evaluations_; }

  std::vector<double> project(std::vector<double> x) const {
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!o_.lower.empty()) x[i] = std::max(x[i], o_.lower[i]);
      if (!o_.upper.empty()) x[i] = std::min(x[i], o_.upper[i]);
    }
    return x;
  }

  Vertex eval(std::vector<double> x) {
    x = project(std::move(x));
    ++evaluations_;
    const double v = f_(x);
    // A failed or undefined evaluation must lose every comparison, not poison the ordering.
    return {std::move(x), std::isfinite(v) ? v : HUGE_VAL};
  }

 private:
  const Objective& f_;
  const NelderMeadOptions& o_;
  int evaluations_ = 0;
};

std::vector<double> affine(const std::vector<double>& a, const std::vector<double>& b, double t) {
  // a + t (b - a)
  std::vector<double> r(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) r[i] = a[i] + t * (b[i] - a[i]);
  return r;
}

void order(std::vector<Vertex>& s) {
  // Stable, so ties keep their age order and the path is reproducible.
  std::stable_sort(s.begin(), s.end(), [](const Vertex& a, const Vertex& b) { return a.f < b.f; });
}

bool converged(const std::vector<Vertex>& s, const NelderMeadOptions& o) {
  double dx = 0;
  for (std::size_t k = 1; k < s.size(); ++k)
    for (std::size_t i = 0; i < s[0].x.size(); ++i) dx = std::max(dx, std::fabs(s[k].x[i] - s[0].x[i]));
  return dx <= o.xtol && (s.back().f - s.front().f) <= o.ftol;
}

}  // namespace

NelderMeadResult nelder_mead(const Objective& f, std::vector<double> x0, const NelderMeadOptions& o) {
  const std::size_t n = x0.size();
  Search search(f, o);
  NelderMeadResult res;
  if (n == 0 || o.max_evaluations <= 0) {
    res.x = search.project(x0);
    res.f = o.max_evaluations > 0 ? search.eval(res.x).f : NAN;
    res.evaluations = search.evaluations();
    res.converged = n == 0;
    res.stop_reason = n == 0 ? "converged" : "max_evaluations";
    return res;
  }
  Vertex best = search.eval(x0);
  bool done = false;
  for (int round = 0; round <= o.restarts && !done; ++round) {
    // Simplex: best point plus one step along each axis (inward when the step would leave the box).
    std::vector<Vertex> s{best};
    for (std::size_t i = 0; i < n && search.budget_left(); ++i) {
      std::vector<double> x = best.x;
      double step = o.initial_step.empty() ? 0.1 : o.initial_step[i];
      if (round > 0) step *= 0.5;  // a restart probes closer
      if (!o.upper.empty() && x[i] + step > o.upper[i]) step = -step;
      x[i] += step;
      s.push_back(search.eval(x));
    }
    if (s.size() < n + 1) break;
    bool round_converged = false;
    while (search.budget_left()) {
      order(s);
      if (converged(s, o)) {
        round_converged = true;
        break;
      }
      ++res.iterations;
      std::vector<double> centroid(n, 0.0);
      for (std::size_t k = 0; k < n; ++k)
        for (std::size_t i = 0; i < n; ++i) centroid[i] += s[k].x[i] / static_cast<double>(n);
      Vertex& worst = s[n];
      const Vertex r = search.eval(affine(centroid, worst.x, -1.0));
      if (r.f < s[0].f) {
        if (!search.budget_left()) { worst = r; break; }
        const Vertex e = search.eval(affine(centroid, worst.x, -2.0));
        worst = e.f < r.f ? e : r;
      } else if (r.f < s[n - 1].f) {
        worst = r;
      } else {
        if (!search.budget_left()) break;
        // Contract toward the better of the reflected and the worst point.
        const bool outside = r.f < worst.f;
        const Vertex c = search.eval(affine(centroid, outside ? r.x : worst.x, 0.5));
        if (c.f < (outside ? r.f : worst.f)) {
          worst = c;
        } else {
          for (std::size_t k = 1; k <= n && search.budget_left(); ++k) s[k] = search.eval(affine(s[0].x, s[k].x, 0.5));
        }
      }
    }
    order(s);
    const bool improved = s[0].f < best.f;
    if (s[0].f <= best.f) best = s[0];
    // A restart that finds nothing better confirms the optimum: stop there.
    if (round_converged && round > 0 && !improved) done = true;
    if (round_converged && round == o.restarts) done = true;
    if (!round_converged) break;
  }
  res.x = best.x;
  res.f = best.f;
  res.evaluations = search.evaluations();
  res.converged = done;
  res.stop_reason = done ? "converged" : "max_evaluations";
  return res;
}

}  // namespace wijksim::calibration
