// `wijksim sensitivity DIR`: Sobol' or Morris indices from a store whose design is a
// sensitivity design (docs/EXPERIMENTS.md, "Sensitivity analysis").
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

#include "csv.hpp"
#include "store_impl.hpp"
#include "wijksim/experiment/results.hpp"
#include "wijksim/experiment/sensitivity.hpp"

namespace wijksim::experiment {

using json = nlohmann::json;
namespace fs = std::filesystem;
namespace sa = sensitivity;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json estimate_json(const sa::Estimate& e) {
  return {{"estimate", num(e.estimate)}, {"ci_low", num(e.ci_low)}, {"ci_high", num(e.ci_high)}};
}

std::vector<sa::PointRole> read_roles(const json& roles, std::size_t k, const std::string& where) {
  std::vector<sa::PointRole> out;
  auto bad = [&](std::size_t i) {
    return InputError(std::vector<Problem>{{where, "design.roles[" + std::to_string(i) + "]", "is not a design role this version reads"}});
  };
  for (std::size_t i = 0; i < roles.size(); ++i) {
    const json& r = roles[i];
    if (!r.is_object() || !r.contains("role") || !r["role"].is_string() || !r.contains("row")) throw bad(i);
    const std::string role = r["role"].get<std::string>();
    sa::PointRole p;
    p.row = r["row"].get<int>();
    if (role == "A") p.kind = sa::PointRole::Kind::A;
    else if (role == "B") p.kind = sa::PointRole::Kind::B;
    else if (role.rfind("AB_", 0) == 0) p.kind = sa::PointRole::Kind::AB;
    else if (role == "trajectory") p.kind = sa::PointRole::Kind::trajectory;
    else throw bad(i);
    p.factor = r.value("factor", -1);
    p.step = r.value("step", 0);
    p.direction = r.value("direction", 0);
    if (p.row < 0 || p.factor >= static_cast<int>(k) || (p.kind == sa::PointRole::Kind::AB && p.factor < 0)) throw bad(i);
    out.push_back(p);
  }
  return out;
}

}  // namespace

SensitivitySummary sensitivity_report(const std::string& dir, const SensitivityOptions& opt) {
  const Store store = Store::open_read(dir);
  sqlite3* db = store.impl().db.get();
  const std::string where = (fs::path(dir) / store_file_name).string();
  const json design = store.manifest("design");
  const std::string design_method = design.is_object() ? design.value("method", "") : "";
  if (!design.is_object() || !design.contains("roles")) {
    throw InputError(std::vector<Problem>{
        {dir, "", "holds an experiment " + (design_method.empty() ? std::string("without a design") : "with a " + design_method + " design") +
                      "; expected a sensitivity design (design.method sobol, saltelli or morris)"}});
  }
  const bool morris = design_method == "morris";
  std::vector<std::string> params;
  for (const auto& p : design["parameters"]) params.push_back(p.get<std::string>());
  const std::size_t k = params.size();
  const std::vector<sa::PointRole> roles = read_roles(design["roles"], k, where);
  const std::size_t points = roles.size();

  // Outcomes and level: checked against what the experiment stored.
  std::vector<std::string> stored_outcomes, stored_levels;
  for (const auto& o : store.manifest("outcomes")) stored_outcomes.push_back(o.get<std::string>());
  for (const auto& l : store.manifest("levels")) stored_levels.push_back(l.get<std::string>());
  std::vector<std::string> outcomes = opt.outcomes.empty() ? stored_outcomes : opt.outcomes;
  std::vector<Problem> problems;
  for (const auto& o : outcomes)
    if (std::find(stored_outcomes.begin(), stored_outcomes.end(), o) == stored_outcomes.end()) {
      const auto near = nearest(o, stored_outcomes);
      problems.push_back({"sensitivity", "--outcome", "found \"" + o + "\", expected an outcome of the experiment" +
                                                          (near.empty() ? "" : "; did you mean \"" + near + "\"?")});
    }
  if (std::find(stored_levels.begin(), stored_levels.end(), opt.level) == stored_levels.end()) {
    std::string list;
    for (const auto& l : stored_levels) list += (list.empty() ? "" : ", ") + l;
    problems.push_back({"sensitivity", "--level", "found \"" + opt.level + "\", expected a level the experiment stored (" + list + ")"});
  }
  if (!problems.empty()) throw InputError(problems);

  // Stored weeks, to pick the final one or check --week.
  std::vector<std::int32_t> weeks;
  {
    sql::Stmt st(db, "SELECT DISTINCT o.week FROM outcomes o JOIN runs r ON r.id = o.run_id "
                     "WHERE r.status = 'ok' AND r.design_point >= 0 AND o.level = ? ORDER BY o.week");
    st.bind(1, opt.level);
    while (st.step()) weeks.push_back(static_cast<std::int32_t>(st.integer(0)));
  }
  if (weeks.empty()) throw InputError(std::vector<Problem>{{dir, "", "holds no finished design runs; run the experiment first"}});
  const std::int32_t week = opt.week ? *opt.week : weeks.back();
  if (std::find(weeks.begin(), weeks.end(), week) == weeks.end()) {
    throw InputError(std::vector<Problem>{{"sensitivity", "--week", "found " + std::to_string(week) + ", expected a stored week (" +
                                                                         std::to_string(weeks.front()) + " .. " + std::to_string(weeks.back()) + ", every " +
                                                                         store.manifest("interval_weeks").dump() + " and the final week)"}});
  }

  SensitivitySummary summary;
  summary.method = morris ? "morris" : "sobol";
  summary.week = week;
  json results = json::array();
  std::string table = "parameter,outcome,method,index,estimate,ci_low,ci_high,variant,level,unit,week,n\n";
  auto csv_row = [&](const std::string& param, const std::string& outcome, const char* index, const sa::Estimate& e,
                     const std::string& variant, const std::string& unit, std::size_t n) {
    csv::field(table, param);
    csv::append(table, ",", outcome, ",", summary.method, ",", index, ",");
    csv::number(table, e.estimate);
    table += ",";
    csv::number(table, e.ci_low);
    table += ",";
    csv::number(table, e.ci_high);
    table += ",";
    csv::field(table, variant);
    csv::append(table, ",", opt.level, ",");
    csv::field(table, unit);
    csv::append(table, ",", week, ",", n, "\n");
    ++summary.rows;
  };

  for (const auto& outcome : outcomes) {
    // (variant, unit) -> design point -> sum and count over replicates at the week.
    std::map<std::pair<std::string, std::string>, std::vector<std::pair<double, int>>> cells;
    sql::Stmt st(db, "SELECT r.variant, o.unit, r.design_point, o.value FROM outcomes o JOIN runs r ON r.id = o.run_id "
                     "WHERE r.status = 'ok' AND r.design_point >= 0 AND o.metric = ? AND o.level = ? AND o.week = ?");
    st.bind(1, outcome).bind(2, opt.level).bind(3, week);
    while (st.step()) {
      auto& v = cells[{st.text(0), st.text(1)}];
      if (v.empty()) v.assign(points, {0.0, 0});
      const auto p = static_cast<std::size_t>(st.integer(2));
      if (p >= points) continue;
      v[p].first += st.real(3);
      v[p].second += 1;
    }
    for (const auto& [key, acc] : cells) {
      // Mean over replicates per design point; NaN where no replicate finished.
      std::vector<double> f(points, kNaN);
      for (std::size_t p = 0; p < points; ++p)
        if (acc[p].second > 0) f[p] = acc[p].first / acc[p].second;
      json entry = {{"variant", key.first}, {"outcome", outcome}, {"level", opt.level}, {"unit", key.second}, {"week", week}};
      json indices = json::array();
      if (morris) {
        const auto effects = sa::morris_effects(roles, f, k, design.value("delta", sa::morris_delta(design.value("levels", 4))));
        const std::size_t r = effects.empty() ? 0 : effects[0].size();
        entry["trajectories"] = r;
        if (r >= 1) {
          const auto m = sa::morris_indices(effects);
          for (std::size_t i = 0; i < k; ++i) {
            indices.push_back({{"parameter", params[i]}, {"mu", estimate_json(m.mu[i])}, {"mu_star", estimate_json(m.mu_star[i])},
                               {"sigma", estimate_json(m.sigma[i])}});
            csv_row(params[i], outcome, "mu", m.mu[i], key.first, key.second, r);
            csv_row(params[i], outcome, "mu_star", m.mu_star[i], key.first, key.second, r);
            csv_row(params[i], outcome, "sigma", m.sigma[i], key.first, key.second, r);
          }
        }
      } else {
        int rows = 0;
        for (const auto& r : roles) rows = std::max(rows, r.row + 1);
        const auto n_rows = static_cast<std::size_t>(rows);
        std::vector<double> a(n_rows, kNaN), b(n_rows, kNaN);
        std::vector<std::vector<double>> ab(k, std::vector<double>(n_rows, kNaN));
        for (std::size_t p = 0; p < points; ++p) {
          const auto& r = roles[p];
          const auto j = static_cast<std::size_t>(r.row);
          if (r.kind == sa::PointRole::Kind::A) a[j] = f[p];
          else if (r.kind == sa::PointRole::Kind::B) b[j] = f[p];
          else if (r.kind == sa::PointRole::Kind::AB) ab[static_cast<std::size_t>(r.factor)][j] = f[p];
        }
        // Only complete rows: every estimator pairs A_j, B_j and all AB_i,j.
        std::vector<double> fa, fb;
        std::vector<std::vector<double>> fab(k);
        for (std::size_t j = 0; j < n_rows; ++j) {
          bool complete = std::isfinite(a[j]) && std::isfinite(b[j]);
          for (std::size_t i = 0; i < k; ++i) complete = complete && std::isfinite(ab[i][j]);
          if (!complete) continue;
          fa.push_back(a[j]);
          fb.push_back(b[j]);
          for (std::size_t i = 0; i < k; ++i) fab[i].push_back(ab[i][j]);
        }
        entry["rows"] = fa.size();
        if (fa.size() >= 2) {
          const auto s = sa::sobol_indices(fa, fb, fab);
          entry["variance"] = num(s.variance);
          for (std::size_t i = 0; i < k; ++i) {
            indices.push_back({{"parameter", params[i]}, {"S1", estimate_json(s.first[i])}, {"ST", estimate_json(s.total[i])}});
            csv_row(params[i], outcome, "S1", s.first[i], key.first, key.second, fa.size());
            csv_row(params[i], outcome, "ST", s.total[i], key.first, key.second, fa.size());
          }
        }
      }
      entry["indices"] = indices;
      results.push_back(entry);
      ++summary.series;
    }
  }

  json doc = {{"method", summary.method},
              {"design_method", design_method},
              {"parameters", params},
              {"outcomes", outcomes},
              {"level", opt.level},
              {"week", week},
              {"replicates", store.manifest("replicates")},
              {"aggregation", "per design point, the mean of the outcome over its ok replicates at the week; the "
                              "analysis runs once per variant and unit"},
              {"bootstrap", {{"method", "percentile"}, {"resamples", sa::bootstrap_resamples}, {"seed", sa::bootstrap_seed},
                             {"confidence", sa::confidence}, {"resampled", morris ? "trajectories" : "rows of A, B and AB_i together"}}},
              {"results", results}};
  if (morris) {
    doc["levels"] = design.value("levels", 4);
    doc["delta"] = design.value("delta", sa::morris_delta(design.value("levels", 4)));
    doc["trajectories"] = design.value("samples", 0);
    doc["estimators"] = {{"mu", "mean of the elementary effects (f(x + delta e_i) - f(x)) / delta, x in the unit cube"},
                         {"mu_star", "mean absolute elementary effect (Campolongo et al. 2007)"},
                         {"sigma", "sample standard deviation of the elementary effects"}};
  } else {
    doc["base_rows"] = design.value("samples", 0);
    doc["estimators"] = {{"variance", "population variance of f over the rows of A and B"},
                         {"S1", "Saltelli et al. (2010): mean(f_B (f_ABi - f_A)) / V"},
                         {"ST", "Jansen (1999): mean((f_A - f_ABi)^2) / (2 V)"}};
  }
  {
    csv::AtomicFile out(fs::path(dir) / derived::sensitivity_json);
    out.write(doc.dump(2) + "\n");
    out.commit();
  }
  csv::AtomicFile out(fs::path(dir) / derived::sensitivity_csv);
  out.write(table);
  out.commit();
  return summary;
}

}  // namespace wijksim::experiment
