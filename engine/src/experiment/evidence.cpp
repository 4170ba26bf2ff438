#include "wijksim/experiment/evidence.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace wijksim::experiment {

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = mean_rank;
    i = j + 1;
  }
  return r;
}

namespace {

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

}  // namespace

std::vector<double> rank_correlations(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                                      bool& partial) {
  const std::size_t n = y.size(), p = x.empty() ? 0 : x[0].size();
  std::vector<double> out(p, 0.0);
  partial = false;
  if (n < 3 || p == 0) return out;
  const std::vector<double> ry = ranks(y);
  // Rank columns; constant ones (a row fixed in every draw) take no part.
  std::vector<std::vector<double>> rx;
  std::vector<std::size_t> live;
  for (std::size_t j = 0; j < p; ++j) {
    std::vector<double> col(n);
    for (std::size_t i = 0; i < n; ++i) col[i] = x[i][j];
    if (std::all_of(col.begin(), col.end(), [&](double v) { return v == col[0]; })) continue;
    rx.push_back(ranks(col));
    live.push_back(j);
  }
  for (std::size_t k = 0; k < live.size(); ++k) out[live[k]] = correlation(rx[k], ry);
  const std::size_t q = live.size();
  if (q == 0 || n <= q + 2) return out;
  // PRCC from the inverse of the rank correlation matrix of [x, y]: -P_jy / sqrt(P_jj P_yy).
  Eigen::MatrixXd c(q + 1, q + 1);
  for (std::size_t a = 0; a <= q; ++a)
    for (std::size_t b = 0; b <= q; ++b) {
      const auto& va = a == q ? ry : rx[a];
      const auto& vb = b == q ? ry : rx[b];
      c(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = a == b ? 1.0 : correlation(va, vb);
    }
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(c);
  if (!lu.isInvertible() || lu.rcond() < 1e-12) return out;
  const Eigen::MatrixXd inv = lu.inverse();
  const auto Q = static_cast<Eigen::Index>(q);
  for (std::size_t k = 0; k < q; ++k) {
    const auto K = static_cast<Eigen::Index>(k);
    const double d = inv(K, K) * inv(Q, Q);
    if (!(d > 0)) return out;
    out[live[k]] = std::clamp(-inv(K, Q) / std::sqrt(d), -1.0, 1.0);
  }
  partial = true;
  return out;
}

namespace {

struct Counter {
  const std::vector<std::vector<double>>& x;
  const std::vector<bool>& is_case;
  void fill(PrimBox& b, std::size_t total_cases) const {
    b.points = b.cases = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      bool in = true;
      for (std::size_t d = 0; d < b.low.size() && in; ++d) in = x[i][d] >= b.low[d] && x[i][d] <= b.high[d];
      if (!in) continue;
      ++b.points;
      b.cases += is_case[i] ? 1 : 0;
    }
    b.mass = x.empty() ? 0 : static_cast<double>(b.points) / static_cast<double>(x.size());
    b.density = b.points ? static_cast<double>(b.cases) / static_cast<double>(b.points) : 0;
    b.coverage = total_cases ? static_cast<double>(b.cases) / static_cast<double>(total_cases) : 0;
  }
};

}  // namespace

PrimResult prim(const std::vector<std::vector<double>>& x, const std::vector<bool>& is_case, const PrimOptions& o) {
  PrimResult res;
  res.points = x.size();
  res.cases = static_cast<std::size_t>(std::count(is_case.begin(), is_case.end(), true));
  const std::size_t dims = x.empty() ? 0 : x[0].size();
  Counter count{x, is_case};
  PrimBox box;
  box.low.assign(dims, 0);
  box.high.assign(dims, 0);
  for (std::size_t d = 0; d < dims; ++d) {
    box.low[d] = box.high[d] = x[0][d];
    for (const auto& p : x) {
      box.low[d] = std::min(box.low[d], p[d]);
      box.high[d] = std::max(box.high[d], p[d]);
    }
  }
  const std::vector<double> full_low = box.low, full_high = box.high;
  count.fill(box, res.cases);
  res.trajectory.push_back(box);
  const auto min_points = static_cast<std::size_t>(std::ceil(o.min_mass * static_cast<double>(x.size())));
  // Peeling.
  for (;;) {
    PrimBox best;
    bool found = false;
    for (std::size_t d = 0; d < dims; ++d) {
      std::vector<double> inside;
      for (const auto& p : x) {
        bool in = true;
        for (std::size_t e = 0; e < dims && in; ++e) in = p[e] >= box.low[e] && p[e] <= box.high[e];
        if (in) inside.push_back(p[d]);
      }
      if (inside.size() < 2) continue;
      std::sort(inside.begin(), inside.end());
      const auto k = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(o.alpha * static_cast<double>(inside.size()))));
      for (int side = 0; side < 2; ++side) {
        PrimBox cand = box;
        if (side == 0) {
          // Remove the k lowest: the new low is the first value above them.
          const double cut = inside[k - 1];
          auto it = std::upper_bound(inside.begin(), inside.end(), cut);
          if (it == inside.end()) continue;
          cand.low[d] = *it;
        } else {
          const double cut = inside[inside.size() - k];
          auto it = std::lower_bound(inside.begin(), inside.end(), cut);
          if (it == inside.begin()) continue;
          cand.high[d] = *(it - 1);
        }
        count.fill(cand, res.cases);
        if (cand.points < min_points || cand.points == 0 || cand.points == box.points) continue;
        if (!found || cand.density > best.density || (cand.density == best.density && cand.mass > best.mass)) {
          best = cand;
          found = true;
        }
      }
    }
    if (!found || best.density < box.density) break;
    box = best;
    res.trajectory.push_back(box);
  }
  // The chosen box: the widest (highest coverage) on the trajectory that reaches the density
  // threshold, else the densest.
  std::size_t chosen = 0;
  bool any = false;
  for (std::size_t i = 0; i < res.trajectory.size(); ++i)
    if (res.trajectory[i].density >= o.threshold) {
      chosen = i;
      any = true;
      break;
    }
  if (!any)
    for (std::size_t i = 0; i < res.trajectory.size(); ++i)
      if (res.trajectory[i].density > res.trajectory[chosen].density) chosen = i;
  res.chosen = chosen;
  // Pasting: widen one side at a time by up to alpha of the box's points while density rises.
  PrimBox pasted = res.trajectory[chosen];
  for (bool improved = true; improved;) {
    improved = false;
    PrimBox best = pasted;
    for (std::size_t d = 0; d < dims; ++d) {
      std::vector<double> below, above;
      for (const auto& p : x) {
        bool in_others = true;
        for (std::size_t e = 0; e < dims && in_others; ++e)
          if (e != d) in_others = p[e] >= pasted.low[e] && p[e] <= pasted.high[e];
        if (!in_others) continue;
        if (p[d] < pasted.low[d]) below.push_back(p[d]);
        if (p[d] > pasted.high[d]) above.push_back(p[d]);
      }
      const auto k = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(o.alpha * static_cast<double>(pasted.points))));
      std::sort(below.begin(), below.end(), std::greater<>());
      std::sort(above.begin(), above.end());
      for (int side = 0; side < 2; ++side) {
        const auto& v = side == 0 ? below : above;
        if (v.empty()) continue;
        PrimBox cand = pasted;
        const double edge = v[std::min(k, v.size()) - 1];
        (side == 0 ? cand.low[d] : cand.high[d]) = edge;
        count.fill(cand, res.cases);
        if (cand.density > best.density) {
          best = cand;
          improved = true;
        }
      }
    }
    if (improved) pasted = best;
  }
  for (auto* b : {&pasted}) {
    b->restricted.assign(dims, false);
    for (std::size_t d = 0; d < dims; ++d) b->restricted[d] = b->low[d] > full_low[d] || b->high[d] < full_high[d];
  }
  for (auto& b : res.trajectory) {
    b.restricted.assign(dims, false);
    for (std::size_t d = 0; d < dims; ++d) b.restricted[d] = b.low[d] > full_low[d] || b.high[d] < full_high[d];
  }
  res.pasted = pasted;
  return res;
}

}  // namespace wijksim::experiment
