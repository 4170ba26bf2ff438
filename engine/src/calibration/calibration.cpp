// Running a calibration: evaluations with common random numbers, the Nelder-Mead search in
// unit coordinates, and identification from a finite-difference Jacobian at the optimum.
#include "wijksim/calibration/calibration.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "wijksim/calibration/nelder_mead.hpp"
#include "wijksim/calibration/nlopt_search.hpp"
#include "wijksim/experiment/experiment.hpp"
#include "wijksim/io/run_output.hpp"
#include "wijksim/io/stats.hpp"
#include "wijksim/sim/runner.hpp"

namespace wijksim::calibration {

using ojson = nlohmann::ordered_json;

double objective(const Calibration& c, const std::vector<double>& values) {
  double f = 0;
  for (std::size_t i = 0; i < c.targets.size(); ++i) {
    const double r = (values[i] - c.targets[i].value) / c.targets[i].tolerance;
    f += c.targets[i].weight * r * r;
  }
  return f;
}

Evaluation evaluate(const Calibration& c, const std::vector<double>& x, unsigned threads) {
  const auto start = std::chrono::steady_clock::now();
  const std::size_t nt = c.targets.size();
  const std::vector<Override> overrides = point_overrides(c, x);
  // Pooled tallies per target and replicate: sums over the group's buurten, the last
  // average_weeks weeks and every scenario, so a target is an adult-weighted pooled share.
  std::vector<std::vector<Tally>> pooled(nt, std::vector<Tally>(c.replicates, Tally{}));
  // For between-scenario targets: the same tallies kept per scenario.
  const std::size_t ns = c.scenarios.size();
  std::vector<std::vector<std::vector<Tally>>> per_scenario(nt);
  for (std::size_t t = 0; t < nt; ++t)
    if (c.targets[t].statistic == Statistic::between_sd) per_scenario[t].assign(ns, std::vector<Tally>(c.replicates, Tally{}));
  for (std::size_t k = 0; k < c.scenarios.size(); ++k) {
    const ScenarioSpec spec = load_scenario_json(c.scenarios[k], c.scenario_files[k], overrides);
    RunnerHooks hooks;
    hooks.on_week = [&](std::uint32_t rep, const Simulation& sim) {
      if (sim.last_week() - sim.world().week + 1 > c.average_weeks) return;
      const auto& bs = sim.world().buurten;
      const auto& tallies = sim.buurt_tallies();
      for (std::size_t t = 0; t < nt; ++t) {
        if (c.targets[t].scenario >= 0 && static_cast<std::size_t>(c.targets[t].scenario) != k) continue;
        Tally& acc = c.targets[t].statistic == Statistic::between_sd ? per_scenario[t][k][rep] : pooled[t][rep];
        for (std::size_t b = 0; b < bs.size(); ++b) {
          if (!in_group(c.targets[t].group, bs[b].place.deprivation)) continue;
          for (std::size_t f = 0; f < acc.size(); ++f) acc[f] += tallies[b][f];
        }
      }
    };
    // The same seed at every point: replicate r sees the same random streams everywhere.
    run_replicates(spec, c.seed, c.replicates, threads, hooks);
  }
  Evaluation e;
  e.x = x;
  e.per_replicate.assign(nt, std::vector<double>(c.replicates));
  e.values.assign(nt, 0.0);
  // derive_metrics needs a world only for programme-state metrics, which targets exclude.
  static const World no_world{};
  for (std::size_t t = 0; t < nt; ++t) {
    const auto m = static_cast<std::size_t>(c.targets[t].metric);
    for (std::uint32_t r = 0; r < c.replicates; ++r) {
      if (c.targets[t].statistic == Statistic::pooled) {
        e.per_replicate[t][r] = derive_metrics(pooled[t][r], no_world)[m];
        continue;
      }
      // Sample standard deviation of the scenarios' own values in this replicate.
      std::vector<double> v(ns);
      for (std::size_t k = 0; k < ns; ++k) v[k] = derive_metrics(per_scenario[t][k][r], no_world)[m];
      double mean = 0, ss = 0;
      for (double value : v) mean += value;
      mean /= static_cast<double>(ns);
      for (double value : v) ss += (value - mean) * (value - mean);
      e.per_replicate[t][r] = std::sqrt(ss / static_cast<double>(ns - 1));
    }
    double s = 0;
    for (double v : e.per_replicate[t]) s += v;
    e.values[t] = s / static_cast<double>(c.replicates);
  }
  e.objective = objective(c, e.values);
  e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return e;
}

namespace {

std::string verdict(double relative_se, double max_abs_corr, bool singular) {
  if (singular || !(relative_se <= 0.5)) return "not identified";
  if (relative_se <= 0.1 && max_abs_corr < 0.95) return "well identified";
  return "weakly identified";
}

}  // namespace

Result calibrate(const Calibration& c, const RunOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t p = c.parameters.size(), nt = c.targets.size();
  Result res;
  std::map<std::vector<double>, std::size_t> cache;  // exact point -> trace index
  std::string kind = "start";
  auto at = [&](const std::vector<double>& x) -> const Evaluation& {
    if (auto it = cache.find(x); it != cache.end()) return res.trace[it->second];
    res.trace.push_back(evaluate(c, x, opt.threads));
    res.trace_kind.push_back(kind);
    cache.emplace(x, res.trace.size() - 1);
    if (res.trace.back().objective < res.trace[res.best].objective && kind != "jacobian") res.best = res.trace.size() - 1;
    if (opt.on_evaluation) opt.on_evaluation(res.trace.back(), kind, res.trace.size() - 1, res.trace[res.best].objective);
    return res.trace.back();
  };
  auto natural = [&](const std::vector<double>& u) {
    std::vector<double> x(p);
    for (std::size_t j = 0; j < p; ++j) {
      const auto& fp = c.parameters[j];
      // Through the override's JSON text and back, so the cache key is exactly the value simulated.
      x[j] = std::clamp(std::stod(experiment::number_text(fp.low + (fp.high - fp.low) * u[j])), fp.low, fp.high);
    }
    return x;
  };

  // The search runs in unit coordinates: every parameter's range maps to [0, 1].
  std::vector<double> u0(p);
  for (std::size_t j = 0; j < p; ++j) u0[j] = (c.parameters[j].start - c.parameters[j].low) / (c.parameters[j].high - c.parameters[j].low);
  NelderMeadOptions nm;
  nm.max_evaluations = opt.max_evaluations >= 0 ? opt.max_evaluations : c.optimiser.max_evaluations;
  nm.xtol = c.optimiser.xtol;
  nm.ftol = c.optimiser.ftol;
  nm.restarts = c.optimiser.restarts;
  nm.initial_step.assign(p, c.optimiser.initial_step);
  nm.lower.assign(p, 0.0);
  nm.upper.assign(p, 1.0);
  (void)at(natural(u0));
  kind = "search";
  auto f = [&](const std::vector<double>& u) { return at(natural(u)).objective; };
  if (c.optimiser.method == "nelder-mead") {
    const NelderMeadResult nmr = nelder_mead(f, u0, nm);
    res.evaluations = nmr.evaluations;
    res.converged = nmr.converged;
    res.stop_reason = nmr.stop_reason;
  } else {
    const NloptResult nr = nlopt_minimise(c.optimiser.method, f, u0, nm);
    res.evaluations = nr.evaluations;
    res.converged = nr.converged;
    res.stop_reason = nr.stop_reason;
  }
  if (nm.max_evaluations == 0) res.stop_reason = "max_evaluations (0: start point only)";
  const Evaluation best = res.trace[res.best];

  // Jacobian of the tolerance-scaled target values, central differences (one-sided at a bound).
  kind = "jacobian";
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(nt), static_cast<Eigen::Index>(p));
  for (std::size_t j = 0; j < p; ++j) {
    const auto& fp = c.parameters[j];
    const double h = c.optimiser.fd_step * (fp.high - fp.low);
    std::vector<double> up = best.x, down = best.x;
    up[j] = std::min(fp.high, best.x[j] + h);
    down[j] = std::max(fp.low, best.x[j] - h);
    const Evaluation eu = at(up);
    const Evaluation ed = at(down);
    const double dx = eu.x[j] - ed.x[j];
    for (std::size_t i = 0; i < nt; ++i)
      J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          dx > 0 ? std::sqrt(c.targets[i].weight) * (eu.values[i] - ed.values[i]) / (dx * c.targets[i].tolerance) : 0.0;
  }
  res.jacobian.assign(nt, std::vector<double>(p));
  for (std::size_t i = 0; i < nt; ++i)
    for (std::size_t j = 0; j < p; ++j) res.jacobian[i][j] = J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));

  // Parameters scaled to their ranges, so singular values and the condition number compare
  // directions in the box, not units.
  Eigen::VectorXd range(static_cast<Eigen::Index>(p));
  for (std::size_t j = 0; j < p; ++j) range(static_cast<Eigen::Index>(j)) = c.parameters[j].high - c.parameters[j].low;
  const Eigen::MatrixXd Js = J * range.asDiagonal();
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(Js, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const Eigen::VectorXd sv = svd.singularValues();
  for (Eigen::Index k = 0; k < sv.size(); ++k) res.singular_values.push_back(sv(k));
  const double smax = sv.size() ? sv(0) : 0.0;
  const double smin = sv.size() && static_cast<std::size_t>(sv.size()) == p ? sv(sv.size() - 1) : 0.0;
  const bool singular = p > nt || smax <= 0 || smin <= 1e-9 * smax;
  res.condition_number = singular ? INFINITY : smax / smin;

  // Covariance in unit coordinates: (Js^T Js)^-1 through the SVD (pseudo-inverse if singular).
  Eigen::VectorXd inv = Eigen::VectorXd::Zero(sv.size());
  for (Eigen::Index k = 0; k < sv.size(); ++k)
    if (sv(k) > 1e-9 * smax) inv(k) = 1.0 / (sv(k) * sv(k));
  const Eigen::MatrixXd V = svd.matrixV();
  const Eigen::MatrixXd Cu = V * inv.asDiagonal() * V.transpose();
  // Ensemble noise: covariance of the scaled target means across replicates, pushed through
  // the least-squares map (Js^T Js)^-1 Js^T.
  Eigen::MatrixXd Sy = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(nt), static_cast<Eigen::Index>(nt));
  const double R = static_cast<double>(c.replicates);
  for (std::size_t a = 0; a < nt; ++a)
    for (std::size_t b = 0; b < nt; ++b) {
      double s = 0;
      for (std::uint32_t r = 0; r < c.replicates; ++r)
        s += (best.per_replicate[a][r] - best.values[a]) * (best.per_replicate[b][r] - best.values[b]);
      const double scale = std::sqrt(c.targets[a].weight * c.targets[b].weight) / (c.targets[a].tolerance * c.targets[b].tolerance);
      Sy(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = s / (R - 1) / R * scale;
    }
  const Eigen::MatrixXd G = Cu * Js.transpose();
  const Eigen::MatrixXd Ce = G * Sy * G.transpose();

  res.correlation.assign(p, std::vector<double>(p, 0.0));
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t k = 0; k < p; ++k) {
      const double d = std::sqrt(Cu(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(j)) *
                                 Cu(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k)));
      res.correlation[j][k] = d > 0 ? Cu(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(k)) / d : (j == k ? 1.0 : 0.0);
    }
  for (std::size_t j = 0; j < p; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    ParameterReport pr;
    pr.best = best.x[j];
    const bool zero_column = Js.col(jj).norm() <= 1e-12;
    pr.relative_se = zero_column ? INFINITY : std::sqrt(std::max(0.0, Cu(jj, jj)));
    pr.se = pr.relative_se * range(jj);
    pr.se_ensemble = zero_column ? INFINITY : std::sqrt(std::max(0.0, Ce(jj, jj))) * range(jj);
    double max_corr = 0;
    for (std::size_t k = 0; k < p; ++k)
      if (k != j) max_corr = std::max(max_corr, std::fabs(res.correlation[j][k]));
    pr.verdict = verdict(pr.relative_se, max_corr, zero_column || (singular && p > nt));
    res.parameters.push_back(pr);
  }
  res.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

namespace {

// Rounded so the report does not carry floating-point noise in its last digits.
double r6(double v) {
  if (!std::isfinite(v)) return v;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return std::stod(buf);
}

ojson num(double v) { return std::isfinite(v) ? ojson(r6(v)) : ojson(nullptr); }

struct TargetRow {
  double model, ci_low, ci_high, residual, scaled;
  bool within;
};

TargetRow target_row(const Calibration& c, const Evaluation& e, std::size_t i) {
  const Summary s = summarise(e.per_replicate[i]);
  const double res = e.values[i] - c.targets[i].value;
  return {e.values[i], s.ci_low, s.ci_high, res, res / c.targets[i].tolerance, std::fabs(res) <= c.targets[i].tolerance};
}

std::string pct(double v, bool share) {
  char buf[32];
  if (share) std::snprintf(buf, sizeof buf, "%.1f%%", 100 * v);
  else std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// Targets of one scenario each (a gemeente), the five furthest from their observed value.
std::vector<std::size_t> worst_places(const Calibration& c, const Evaluation& best) {
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < c.targets.size(); ++i)
    if (c.targets[i].scenario >= 0) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    return std::fabs(target_row(c, best, a).scaled) > std::fabs(target_row(c, best, b).scaled);
  });
  if (idx.size() > 5) idx.resize(5);
  return idx;
}

bool is_share(Metric m) { return m != Metric::mean_trust && m != Metric::mean_social_trust && m != Metric::collective_efficacy && m != Metric::disorder; }

}  // namespace

ojson report_json(const Calibration& c, const Result& r) {
  const Evaluation& best = r.trace[r.best];
  ojson out;
  out["calibration"] = {{"file", c.file}, {"hash", c.hash}};
  out["scenarios"] = c.scenario_files;
  out["years"] = c.years;
  out["replicates"] = c.replicates;
  out["seed"] = c.seed;
  out["average_weeks"] = c.average_weeks;
  ojson fit;
  fit["objective"] = num(best.objective);
  fit["objective_at_start"] = num(r.trace.front().objective);
  fit["optimiser"] = c.optimiser.method == "nelder-mead" ? std::string("nelder-mead") : "nlopt " + c.optimiser.method;
  fit["evaluations"] = r.evaluations;
  fit["simulated_points"] = r.trace.size();
  fit["converged"] = r.converged;
  fit["stop_reason"] = r.stop_reason;
  fit["targets_within_tolerance"] = [&] {
    int n = 0;
    for (std::size_t i = 0; i < c.targets.size(); ++i) n += target_row(c, best, i).within ? 1 : 0;
    return n;
  }();
  out["fit"] = fit;
  ojson params = ojson::array();
  for (std::size_t j = 0; j < c.parameters.size(); ++j) {
    const auto& fp = c.parameters[j];
    const auto& pr = r.parameters[j];
    params.push_back({{"name", fp.path}, {"best", num(pr.best)}, {"start", num(fp.start)}, {"engine_default", num(fp.default_value)},
                      {"range", {fp.low, fp.high}}, {"se", num(pr.se)}, {"se_ensemble", num(pr.se_ensemble)},
                      {"relative_se", num(pr.relative_se)}, {"verdict", pr.verdict}});
  }
  out["parameters"] = params;
  ojson targets = ojson::array();
  for (std::size_t i = 0; i < c.targets.size(); ++i) {
    const auto& t = c.targets[i];
    const TargetRow row = target_row(c, best, i);
    ojson row_json = {{"name", t.name}, {"metric", std::string(metric_name(t.metric))}, {"group", group_name(t.group)}};
    if (t.scenario >= 0) row_json["scenario"] = c.scenario_labels[static_cast<std::size_t>(t.scenario)];
    if (t.statistic == Statistic::between_sd) row_json["statistic"] = "between_sd";
    row_json.update(ojson{{"target", t.value}, {"tolerance", t.tolerance}, {"weight", t.weight}, {"source", t.source},
                       {"model", num(row.model)}, {"ci95", {num(row.ci_low), num(row.ci_high)}}, {"residual", num(row.residual)},
                       {"scaled_residual", num(row.scaled)}, {"within_tolerance", row.within},
                       {"at_start", num(r.trace.front().values[i])}});
    targets.push_back(row_json);
  }
  out["targets"] = targets;
  ojson worst = ojson::array();
  for (std::size_t i : worst_places(c, best)) {
    const TargetRow row = target_row(c, best, i);
    worst.push_back({{"scenario", c.scenario_labels[static_cast<std::size_t>(c.targets[i].scenario)]}, {"target", c.targets[i].name},
                     {"observed", c.targets[i].value}, {"model", num(row.model)}, {"scaled_residual", num(row.scaled)}});
  }
  out["worst_places"] = worst;
  ojson ident;
  ojson jac = ojson::array();
  for (const auto& row : r.jacobian) {
    ojson a = ojson::array();
    for (double v : row) a.push_back(num(v));
    jac.push_back(a);
  }
  ident["jacobian"] = jac;
  ident["jacobian_note"] = "rows: targets, columns: parameters; d(model value / tolerance) / d(parameter), central differences with step fd_step x range";
  ojson corr = ojson::array();
  for (const auto& row : r.correlation) {
    ojson a = ojson::array();
    for (double v : row) a.push_back(num(v));
    corr.push_back(a);
  }
  ident["correlation"] = corr;
  ojson sv = ojson::array();
  for (double v : r.singular_values) sv.push_back(num(v));
  ident["singular_values"] = sv;
  ident["condition_number"] = num(r.condition_number);
  ident["fd_step"] = c.optimiser.fd_step;
  out["identifiability"] = ident;
  ojson set = ojson::object();
  for (std::size_t j = 0; j < c.parameters.size(); ++j) set[c.parameters[j].path] = num(r.parameters[j].best);
  out["best_set"] = set;
  out["engine"] = engine_info();
  return out;
}

std::string trace_csv(const Calibration& c, const Result& r) {
  std::ostringstream os;
  os << "index,kind";
  for (const auto& p : c.parameters) os << "," << p.path;
  for (const auto& t : c.targets) os << "," << t.name;
  os << ",objective\n";
  char buf[40];
  auto w = [&](double v) {
    std::snprintf(buf, sizeof buf, "%.10g", v);
    os << "," << buf;
  };
  for (std::size_t k = 0; k < r.trace.size(); ++k) {
    os << k << "," << r.trace_kind[k];
    for (double v : r.trace[k].x) w(v);
    for (double v : r.trace[k].values) w(v);
    w(r.trace[k].objective);
    os << "\n";
  }
  return os.str();
}

std::string report_text(const Calibration& c, const Result& r) {
  const Evaluation& best = r.trace[r.best];
  std::ostringstream os;
  char buf[512];
  std::snprintf(buf, sizeof buf, "calibration %s: objective %.4g (start %.4g), %d evaluation(s), %zu simulated point(s), %s\n\n",
                c.file.c_str(), best.objective, r.trace.front().objective, r.evaluations, r.trace.size(), r.stop_reason.c_str());
  os << buf;
  std::snprintf(buf, sizeof buf, "%-22s %-14s %-9s %8s %9s %-19s %9s %s\n", "target", "metric", "group", "target", "tolerance",
                "model (95% CI)", "residual", "within");
  os << buf;
  for (std::size_t i = 0; i < c.targets.size(); ++i) {
    const auto& t = c.targets[i];
    const TargetRow row = target_row(c, best, i);
    const bool share = is_share(t.metric);
    const std::string model = pct(row.model, share) + " (" + pct(row.ci_low, share) + "-" + pct(row.ci_high, share) + ")";
    std::snprintf(buf, sizeof buf, "%-22s %-14s %-9s %8s %9s %-19s %+9.4f %s\n", t.name.c_str(), std::string(metric_name(t.metric)).c_str(),
                  group_name(t.group), pct(t.value, share).c_str(), pct(t.tolerance, share).c_str(), model.c_str(), row.residual,
                  row.within ? "yes" : "NO");
    os << buf;
  }
  os << "\n";
  if (const auto worst = worst_places(c, best); !worst.empty()) {
    os << "places the model misses most (scaled residual = (model - observed) / tolerance):\n";
    for (std::size_t i : worst) {
      const TargetRow row = target_row(c, best, i);
      const bool share = is_share(c.targets[i].metric);
      std::snprintf(buf, sizeof buf, "  %-34s %-16s observed %7s  model %7s  %+6.2f\n",
                    c.scenario_labels[static_cast<std::size_t>(c.targets[i].scenario)].c_str(), c.targets[i].name.c_str(),
                    pct(c.targets[i].value, share).c_str(), pct(row.model, share).c_str(), row.scaled);
      os << buf;
    }
    os << "\n";
  }
  std::snprintf(buf, sizeof buf, "%-36s %10s %10s %10s %10s %10s  %s\n", "parameter", "default", "best", "se", "se(ens)", "se/range", "identification");
  os << buf;
  for (std::size_t j = 0; j < c.parameters.size(); ++j) {
    const auto& pr = r.parameters[j];
    std::snprintf(buf, sizeof buf, "%-36s %10.4g %10.4g %10.3g %10.3g %10.3g  %s\n", c.parameters[j].path.c_str(),
                  c.parameters[j].default_value, pr.best, pr.se, pr.se_ensemble, pr.relative_se, pr.verdict.c_str());
    os << buf;
  }
  std::snprintf(buf, sizeof buf, "\ncondition number (parameters scaled to their ranges): %.3g\n", r.condition_number);
  os << buf;
  if (c.parameters.size() > 1) {
    os << "parameter correlations:\n";
    for (std::size_t j = 0; j < c.parameters.size(); ++j) {
      std::snprintf(buf, sizeof buf, "  %-36s", c.parameters[j].path.c_str());
      os << buf;
      for (double v : r.correlation[j]) {
        std::snprintf(buf, sizeof buf, " %6.2f", v);
        os << buf;
      }
      os << "\n";
    }
  }
  os << "\nas overrides:";
  for (std::size_t j = 0; j < c.parameters.size(); ++j) os << " --set " << c.parameters[j].path << "=" << experiment::number_text(r6(r.parameters[j].best));
  os << "\n";
  return os.str();
}

}  // namespace wijksim::calibration
