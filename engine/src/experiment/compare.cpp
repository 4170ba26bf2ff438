#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <random>

#include "csv.hpp"
#include "wijksim/experiment/evidence.hpp"
#include "store_impl.hpp"
#include "wijksim/experiment/results.hpp"
#include "wijksim/io/stats.hpp"

namespace wijksim::experiment {

using json = nlohmann::json;
namespace fs = std::filesystem;

// From the metric catalogue (sim/metrics.hpp), the one place that says which way is better.
Direction better_direction(Metric m) {
  const std::string_view b = metric_info(m).better;
  return b == "higher" ? Direction::higher : b == "lower" ? Direction::lower : Direction::none;
}

const char* direction_name(Direction d) {
  return d == Direction::higher ? "higher" : d == Direction::lower ? "lower" : "none";
}

namespace {

// Values of one series (variant, design point, metric, level, unit): week -> replicate -> value.
using Series = std::map<std::int32_t, std::map<std::uint32_t, double>>;
struct SeriesKey {
  std::string variant;
  int design_point;
  std::string metric, level, unit;
  auto tie() const { return std::tie(variant, design_point, metric, level, unit); }
  bool operator<(const SeriesKey& o) const { return tie() < o.tie(); }
};

// Paired differences (variant - baseline) over the replicates both have, in replicate order.
std::vector<double> paired(const std::map<std::uint32_t, double>& var, const std::map<std::uint32_t, double>& base) {
  std::vector<double> d;
  for (const auto& [rep, v] : var) {
    const auto it = base.find(rep);
    if (it != base.end()) d.push_back(v - it->second);
  }
  return d;
}

bool excludes_zero(const std::vector<double>& d) {
  if (d.size() < 2) return false;
  const Summary s = summarise(d);
  return s.ci_low > 0 || s.ci_high < 0;
}

// Percentile bootstrap of the mean difference; a fresh generator per row keeps every row
// reproducible on its own, whatever else is compared.
std::pair<double, double> bootstrap_ci(const std::vector<double>& d) {
  std::mt19937_64 rng(bootstrap_seed);
  std::vector<double> means(bootstrap_resamples);
  const std::size_t n = d.size();
  for (auto& m : means) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += d[rng() % n];
    m = sum / static_cast<double>(n);
  }
  std::sort(means.begin(), means.end());
  return {percentile(means, 0.025), percentile(means, 0.975)};
}

json num(std::optional<double> v) { return v && std::isfinite(*v) ? json(*v) : json(nullptr); }

// Parameter uncertainty of a store (manifest "uncertainty"): the drawn sets by replicate.
struct Draws {
  std::vector<std::string> parameters;
  std::vector<std::vector<double>> sets;
  std::string source;
  bool enabled() const { return !sets.empty(); }
};

Draws read_draws(const Store& store) {
  Draws d;
  const json u = store.manifest("uncertainty");
  if (!u.is_object()) return d;
  d.source = u.value("source", "");
  for (const auto& p : u.at("parameters")) d.parameters.push_back(p.get<std::string>());
  for (const auto& row : u.at("sets")) d.sets.push_back(row.get<std::vector<double>>());
  return d;
}

constexpr double kRobust = 0.9;  // share of parameter sets for a ranking to count as robust
constexpr std::size_t kHinges = 5;

// What a comparison row adds under parameter uncertainty: the difference per parameter set
// (replicates sharing a set averaged), its spread, the share of sets in which the variant is
// better, that share in words, and the parameters the difference hinges on.
json uncertainty_row(const Draws& draws, const std::map<std::uint32_t, double>& var,
                     const std::map<std::uint32_t, double>& base, Direction dir, const std::string& variant,
                     const std::string& baseline, const std::string& outcome) {
  const std::size_t n_sets = draws.sets.size();
  std::vector<double> sum(n_sets, 0);
  std::vector<int> count(n_sets, 0);
  for (const auto& [rep, v] : var) {
    const auto it = base.find(rep);
    if (it == base.end()) continue;
    sum[rep % n_sets] += v - it->second;
    ++count[rep % n_sets];
  }
  std::vector<double> diff;
  std::vector<std::vector<double>> x;
  for (std::size_t i = 0; i < n_sets; ++i)
    if (count[i] > 0) {
      diff.push_back(sum[i] / count[i]);
      x.push_back(draws.sets[i]);
    }
  json out;
  out["sets"] = diff.size();
  if (diff.size() < 2) return out;
  std::vector<double> sorted = diff;
  std::sort(sorted.begin(), sorted.end());
  out["interval95_over_sets"] = {num(percentile(sorted, 0.025)), num(percentile(sorted, 0.975))};
  if (dir != Direction::none) {
    std::size_t better = 0, worse = 0;
    for (double v : diff) {
      better += dir == Direction::higher ? v > 0 : v < 0;
      worse += dir == Direction::higher ? v < 0 : v > 0;
    }
    const double share = static_cast<double>(better) / static_cast<double>(diff.size());
    const double share_worse = static_cast<double>(worse) / static_cast<double>(diff.size());
    out["share_of_sets_better"] = share;
    const bool variant_wins = better >= worse;
    const double top = variant_wins ? share : share_worse;
    const auto pct = std::to_string(static_cast<int>(std::lround(100 * top)));
    const std::string winner = variant_wins ? variant : baseline, loser = variant_wins ? baseline : variant;
    out["robust"] = top >= kRobust;
    out["statement"] = "in " + pct + "% of the plausible parameter sets, " + winner + " beats " + loser + " on " + outcome +
                       (top >= kRobust ? "" : "; not robust: the ranking depends on parameter values");
  }
  bool partial = false;
  const std::vector<double> r = rank_correlations(x, diff, partial);
  std::vector<std::size_t> order(r.size());
  for (std::size_t j = 0; j < r.size(); ++j) order[j] = j;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return std::fabs(r[a]) > std::fabs(r[b]); });
  json hinges = json::array();
  for (std::size_t k = 0; k < std::min(kHinges, order.size()); ++k)
    if (r[order[k]] != 0) hinges.push_back({{"parameter", draws.parameters[order[k]]}, {"correlation", r[order[k]]}});
  out["hinges_on"] = hinges;
  out["hinges_method"] = partial ? "partial rank correlation (PRCC) of the difference with each parameter over the sets"
                                 : "rank (Spearman) correlation over the sets (too few sets for partial rank correlation: "
                                   "it needs more sets than parameters + 2)";
  return out;
}

void csv_opt(std::string& s, std::optional<double> v) {
  if (v) csv::number(s, *v);
}

}  // namespace

CompareSummary compare(const std::string& dir) {
  const Store store = Store::open_read(dir);
  sqlite3* db = store.impl().db.get();
  const std::string baseline = store.manifest("baseline").get<std::string>();
  std::vector<std::string> variants;
  for (const auto& v : store.manifest("variants")) variants.push_back(v.get<std::string>());
  std::vector<std::string> outcomes;
  for (const auto& v : store.manifest("outcomes")) outcomes.push_back(v.get<std::string>());

  std::map<SeriesKey, Series> data;
  std::set<int> design_points;
  {
    sql::Stmt st(db, "SELECT r.variant, r.design_point, r.replicate, o.metric, o.level, o.unit, o.week, o.value "
                     "FROM outcomes o JOIN runs r ON r.id = o.run_id WHERE r.status = 'ok'");
    while (st.step()) {
      SeriesKey k{st.text(0), static_cast<int>(st.integer(1)), st.text(3), st.text(4), st.text(5)};
      design_points.insert(k.design_point);
      data[k][static_cast<std::int32_t>(st.integer(6))][static_cast<std::uint32_t>(st.integer(2))] = st.real(7);
    }
  }

  const Draws draws = read_draws(store);
  CompareSummary summary;
  summary.baseline = baseline;
  json rows = json::array();
  std::string table =
      "variant,baseline,design_point,outcome,level,unit,direction,week,n_pairs,baseline_mean,variant_mean,mean_difference,"
      "ci_t_low,ci_t_high,ci_bootstrap_low,ci_bootstrap_high,probability_of_improvement,first_week_significant\n";
  std::int32_t final_week_all = -1;
  for (const auto& [key, series] : data) {
    if (key.variant == baseline || series.empty()) continue;
    const auto base_it = data.find({baseline, key.design_point, key.metric, key.level, key.unit});
    if (base_it == data.end() || base_it->second.empty()) continue;
    const Series& base = base_it->second;
    const std::int32_t final_week = std::min(series.rbegin()->first, base.rbegin()->first);
    final_week_all = std::max(final_week_all, final_week);
    const auto vf = series.find(final_week), bf = base.find(final_week);
    if (vf == series.end() || bf == base.end()) continue;
    const std::vector<double> d = paired(vf->second, bf->second);
    if (d.empty()) continue;
    const int idx = metric_index(key.metric);
    const Direction dir_better = idx >= 0 ? better_direction(static_cast<Metric>(idx)) : Direction::none;

    const Summary s = summarise(d);
    std::optional<double> t_lo, t_hi, b_lo, b_hi, p_better;
    std::optional<std::int32_t> first;
    if (d.size() >= 2) {
      t_lo = s.ci_low;
      t_hi = s.ci_high;
      std::tie(b_lo, b_hi) = bootstrap_ci(d);
    }
    if (dir_better != Direction::none) {
      std::size_t better = 0;
      for (double x : d) better += dir_better == Direction::higher ? x > 0 : x < 0;
      p_better = static_cast<double>(better) / static_cast<double>(d.size());
    }
    // First week from which the difference stays significant to the end.
    for (auto it = series.rbegin(); it != series.rend(); ++it) {
      if (it->first > final_week) continue;
      const auto b = base.find(it->first);
      if (b == base.end() || !excludes_zero(paired(it->second, b->second))) break;
      first = it->first;
    }
    std::vector<double> bv, vv;
    for (const auto& [rep, v] : bf->second) bv.push_back(v);
    for (const auto& [rep, v] : vf->second) vv.push_back(v);
    const double base_mean = summarise(bv).mean, var_mean = summarise(vv).mean;

    rows.push_back({{"variant", key.variant},
                    {"design_point", key.design_point},
                    {"outcome", key.metric},
                    {"level", key.level},
                    {"unit", key.unit},
                    {"direction", direction_name(dir_better)},
                    {"week", final_week},
                    {"n_pairs", d.size()},
                    {"baseline_mean", num(base_mean)},
                    {"variant_mean", num(var_mean)},
                    {"mean_difference", num(s.mean)},
                    {"ci95_t", {num(t_lo), num(t_hi)}},
                    {"ci95_bootstrap", {num(b_lo), num(b_hi)}},
                    {"probability_of_improvement", num(p_better)},
                    {"first_week_significant", first ? json(*first) : json(nullptr)}});
    if (draws.enabled() && key.level == "city")
      rows.back()["parameter_uncertainty"] =
          uncertainty_row(draws, vf->second, bf->second, dir_better, key.variant, baseline, key.metric);
    csv::field(table, key.variant);
    table += ",";
    csv::field(table, baseline);
    csv::append(table, ",", key.design_point, ",", key.metric, ",", key.level, ",");
    csv::field(table, key.unit);
    csv::append(table, ",", direction_name(dir_better), ",", final_week, ",", d.size(), ",");
    csv::number(table, base_mean);
    table += ",";
    csv::number(table, var_mean);
    table += ",";
    csv::number(table, s.mean);
    for (const auto& v : {t_lo, t_hi, b_lo, b_hi, p_better}) {
      table += ",";
      csv_opt(table, v);
    }
    table += ",";
    if (first) table += std::to_string(*first);
    table += "\n";
    ++summary.comparisons;
  }

  json directions = json::object();
  for (const auto& o : outcomes) {
    const int idx = metric_index(o);
    directions[o] = direction_name(idx >= 0 ? better_direction(static_cast<Metric>(idx)) : Direction::none);
  }
  json doc = {{"baseline", baseline},
              {"variants", variants},
              {"final_week", final_week_all},
              {"difference", "variant minus baseline, paired by replicate (common random numbers)"},
              {"confidence", 0.95},
              {"directions", directions},
              {"direction_meaning", "higher: a larger value is an improvement; lower: a smaller one; none: not judged"},
              {"bootstrap", {{"method", "percentile"}, {"resamples", bootstrap_resamples}, {"seed", bootstrap_seed}}},
              {"first_week_significant", "first observed week from which the 95% t-interval of the paired difference excludes zero through the final week"},
              {"comparisons", rows}};
  if (draws.enabled())
    doc["parameter_uncertainty"] = {
        {"source", draws.source},
        {"sets", draws.sets.size()},
        {"parameters", draws.parameters.size()},
        {"meaning", "every replicate ran with its own parameter set (set = replicate mod sets), the same in every variant: "
                    "ci95_t and ci95_bootstrap include parameter uncertainty; per city-level row, parameter_uncertainty gives "
                    "the 95% range of the difference over the sets, the share of sets in which the variant is better, a "
                    "statement in words (robust at 90%) and the parameters the difference hinges on"}};
  {
    csv::AtomicFile f(fs::path(dir) / derived::comparison_json);
    f.write(doc.dump(2) + "\n");
    f.commit();
  }
  {
    csv::AtomicFile f(fs::path(dir) / derived::comparison_csv);
    f.write(table);
    f.commit();
  }

  // Bands per variant and week: median, 50% and 90% of replicates.
  csv::AtomicFile f(fs::path(dir) / derived::bands_csv);
  std::string s = "variant,design_point,outcome,level,unit,week,n,median,p25,p75,p5,p95\n";
  for (const auto& [key, series] : data) {
    for (const auto& [week, reps] : series) {
      std::vector<double> v;
      for (const auto& [rep, x] : reps) v.push_back(x);
      std::sort(v.begin(), v.end());
      csv::field(s, key.variant);
      csv::append(s, ",", key.design_point, ",", key.metric, ",", key.level, ",");
      csv::field(s, key.unit);
      csv::append(s, ",", week, ",", v.size());
      for (double q : {0.5, 0.25, 0.75, 0.05, 0.95}) {
        s += ",";
        csv::number(s, percentile(v, q));
      }
      s += "\n";
      ++summary.band_rows;
    }
  }
  f.write(s);
  f.commit();

  // Paired differences per week (variant minus the baseline, and a minus b for every declared
  // contrast) with their 95% t-intervals: the numbers the plot tools draw over time.
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& v : variants)
    if (v != baseline) pairs.emplace_back(v, baseline);
  const json doc_contrasts = store.manifest("experiment").value("contrasts", json::array());
  for (const auto& c : doc_contrasts) {
    if (!c.is_object() || !c.contains("a") || !c.contains("b")) continue;
    std::pair<std::string, std::string> ab{c["a"].get<std::string>(), c["b"].get<std::string>()};
    if (std::find(pairs.begin(), pairs.end(), ab) == pairs.end()) pairs.push_back(ab);
  }
  csv::AtomicFile df(fs::path(dir) / derived::differences_csv);
  std::string ds = "variant,against,design_point,outcome,level,unit,week,n_pairs,mean_difference,ci_t_low,ci_t_high\n";
  for (const auto& [key, series] : data) {
    for (const auto& [a, b] : pairs) {
      if (key.variant != a) continue;
      const auto against = data.find({b, key.design_point, key.metric, key.level, key.unit});
      if (against == data.end()) continue;
      for (const auto& [week, reps] : series) {
        const auto bw = against->second.find(week);
        if (bw == against->second.end()) continue;
        const std::vector<double> d = paired(reps, bw->second);
        if (d.empty()) continue;
        const Summary sd = summarise(d);
        csv::field(ds, a);
        ds += ",";
        csv::field(ds, b);
        csv::append(ds, ",", key.design_point, ",", key.metric, ",", key.level, ",");
        csv::field(ds, key.unit);
        csv::append(ds, ",", week, ",", d.size(), ",");
        csv::number(ds, sd.mean);
        ds += ",";
        if (d.size() >= 2) csv::number(ds, sd.ci_low);
        ds += ",";
        if (d.size() >= 2) csv::number(ds, sd.ci_high);
        ds += "\n";
        ++summary.difference_rows;
      }
    }
  }
  df.write(ds);
  df.commit();
  return summary;
}

}  // namespace wijksim::experiment
