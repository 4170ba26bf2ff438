#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <limits>
#include <random>
#include <set>
#include <tuple>

#include "csv.hpp"
#include "wijksim/experiment/evidence.hpp"
#include "wijksim/experiment/programme_area.hpp"
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


// The programme area as one unit: for every (variant, design point, outcome) whose series the
// store holds for each of the area's wijken, counts, euros and hours summed over the wijken,
// shares and means weighted by their adults (as the engine weights a city's tally);
// programme-wide outcomes, the same in every unit, taken from the first wijk. Cells (week,
// replicate) some wijk lacks are left out.
std::map<SeriesKey, Series> area_series(const std::map<SeriesKey, Series>& data, const ProgrammeArea& area) {
  std::map<SeriesKey, Series> out;
  if (area.wijken.empty()) return out;
  std::vector<double> weights;
  double total_weight = 0;
  for (const auto& w : area.wijken) {
    const auto it = area.adults.find(w);
    weights.push_back(it != area.adults.end() ? static_cast<double>(it->second) : 1.0);
    total_weight += weights.back();
  }
  for (const auto& [key, first] : data) {
    if (key.level != "wijk" || key.unit != area.wijken.front()) continue;
    std::vector<const Series*> parts{&first};
    for (std::size_t i = 1; i < area.wijken.size(); ++i) {
      const auto it = data.find({key.variant, key.design_point, key.metric, "wijk", area.wijken[i]});
      if (it == data.end()) break;
      parts.push_back(&it->second);
    }
    if (parts.size() != area.wijken.size()) continue;
    const int idx = metric_index(key.metric);
    const MetricInfo* info = idx >= 0 ? &metric_info(static_cast<Metric>(idx)) : nullptr;
    const bool programme_wide = info && info->scope == "programme";
    const bool summed = info && (info->unit == "count" || info->unit == "euros" || info->unit == "hours_per_week");
    Series& s = out[{key.variant, key.design_point, key.metric, std::string(area_level), std::string(area_unit)}];
    for (const auto& [week, reps] : first)
      for (const auto& [rep, v0] : reps) {
        if (programme_wide || parts.size() == 1) {
          s[week][rep] = v0;
          continue;
        }
        double total = 0;
        bool complete = true;
        for (std::size_t i = 0; i < parts.size(); ++i) {
          const auto w = parts[i]->find(week);
          if (w == parts[i]->end()) {
            complete = false;
            break;
          }
          const auto r = w->second.find(rep);
          if (r == w->second.end()) {
            complete = false;
            break;
          }
          total += r->second * (summed ? 1.0 : weights[i]);
        }
        if (complete) s[week][rep] = summed ? total : total / total_weight;
      }
  }
  return out;
}

// A store with a design, its design points pooled: one series per (variant, outcome, level,
// unit) at design_point `pooled_design_point`, its replicates numbered point position x stride
// + replicate, so pairs stay (design point, replicate) and keep that order.
std::map<SeriesKey, Series> pooled_series(const std::map<SeriesKey, Series>& m, const std::set<int>& design_points) {
  std::map<SeriesKey, Series> out;
  std::uint32_t stride = 1;
  for (const auto& [key, series] : m)
    for (const auto& [week, reps] : series)
      if (!reps.empty()) stride = std::max(stride, reps.rbegin()->first + 1);
  std::map<int, std::uint32_t> position;
  for (const int p : design_points) position.emplace(p, static_cast<std::uint32_t>(position.size()));
  for (const auto& [key, series] : m) {
    Series& s = out[{key.variant, pooled_design_point, key.metric, key.level, key.unit}];
    const std::uint32_t base = position.at(key.design_point) * stride;
    for (const auto& [week, reps] : series)
      for (const auto& [rep, v] : reps) s[week][base + rep] = v;
  }
  return out;
}

// Paired differences a - b of one outcome at the last week both variants have, per (design
// point, replicate): design points pooled.
using PairKey = std::pair<int, std::uint32_t>;
std::map<PairKey, double> paired_final(const std::map<SeriesKey, Series>& data, const std::string& a, const std::string& b,
                                       const std::string& metric, const std::string& level, const std::string& unit) {
  const auto of = [&](const SeriesKey& k, const std::string& v) {
    return k.variant == v && k.metric == metric && k.level == level && k.unit == unit;
  };
  std::set<std::int32_t> weeks_a, weeks_b;
  for (const auto& [key, series] : data)
    for (const auto& [w, reps] : series) {
      if (of(key, a)) weeks_a.insert(w);
      if (of(key, b)) weeks_b.insert(w);
    }
  std::optional<std::int32_t> last;
  for (auto it = weeks_a.rbegin(); it != weeks_a.rend() && !last; ++it)
    if (weeks_b.count(*it)) last = *it;
  std::map<PairKey, double> out;
  if (!last) return out;
  for (const auto& [key, series] : data) {
    if (!of(key, a)) continue;
    const auto other = data.find({b, key.design_point, metric, level, unit});
    if (other == data.end()) continue;
    const auto va = series.find(*last), vb = other->second.find(*last);
    if (va == series.end() || vb == other->second.end()) continue;
    for (const auto& [rep, x] : va->second)
      if (const auto y = vb->second.find(rep); y != vb->second.end()) out[{key.design_point, rep}] = x - y->second;
  }
  return out;
}

// Percentile bootstrap of mean(num) / mean(den) over resampled pairs; non-finite ratios left out.
std::pair<double, double> bootstrap_ratio_ci(const std::vector<double>& num, const std::vector<double>& den) {
  std::mt19937_64 rng(bootstrap_seed);
  std::vector<double> ratios;
  ratios.reserve(bootstrap_resamples);
  const std::size_t n = num.size();
  for (int k = 0; k < bootstrap_resamples; ++k) {
    double sn = 0, sd = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t j = rng() % n;
      sn += num[j];
      sd += den[j];
    }
    const double r = (sn / static_cast<double>(n)) / (sd / static_cast<double>(n));
    if (std::isfinite(r)) ratios.push_back(r);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (ratios.empty()) return {nan, nan};
  std::sort(ratios.begin(), ratios.end());
  return {percentile(ratios, 0.025), percentile(ratios, 0.975)};
}

// Extra euros per additional active resident, a against b (compare's costs.csv). Euros: the
// cumulative euros_spent plus staff_euros (when recorded) at city level, all the money; active
// residents: the count in `scope` (city or the programme area). Both at the final common week,
// paired by (design point, replicate).
void cost_row(std::string& out, const std::map<SeriesKey, Series>& data, const std::map<SeriesKey, Series>& area,
              const std::vector<std::string>& outcomes, const std::string& a, const std::string& b, const std::string& scope,
              const std::string& city_unit) {
  const auto has = [&](const char* m) { return std::find(outcomes.begin(), outcomes.end(), m) != outcomes.end(); };
  std::string included, missing;
  const auto add = [](std::string& list, const char* m) {
    if (!list.empty()) list += ';';
    list += m;
  };
  for (const char* m : {"euros_spent", "staff_euros"})
    if (has(m)) add(included, m);
  for (const char* m : {"euros_spent", "active_residents"})
    if (!has(m)) add(missing, m);
  csv::field(out, a);
  out += ",";
  csv::field(out, b);
  csv::append(out, ",", scope, ",");
  if (!missing.empty()) {
    csv::append(out, "not_recorded,", included, ",", missing, ",,,,,,,,,,,,,,\n");
    return;
  }
  std::map<PairKey, double> euros;
  bool first = true;
  for (const char* m : {"euros_spent", "staff_euros"}) {
    if (!has(m)) continue;
    const auto d = paired_final(data, a, b, m, "city", city_unit);
    if (first) {
      euros = d;
      first = false;
      continue;
    }
    for (auto it = euros.begin(); it != euros.end();) {
      const auto o = d.find(it->first);
      if (o == d.end()) {
        it = euros.erase(it);
      } else {
        it->second += o->second;
        ++it;
      }
    }
  }
  const auto active = scope == "city" ? paired_final(data, a, b, "active_residents", "city", city_unit)
                                      : paired_final(area, a, b, "active_residents", area_level, area_unit);
  std::vector<double> de, da;
  for (const auto& [k, e] : euros)
    if (const auto it = active.find(k); it != active.end() && std::isfinite(e) && std::isfinite(it->second)) {
      de.push_back(e);
      da.push_back(it->second);
    }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = de.size();
  const Summary se = summarise(de), sa = summarise(da);
  const double e_mean = n ? se.mean : nan, a_mean = n ? sa.mean : nan;
  const double e_lo = n >= 2 ? se.ci_low : nan, e_hi = n >= 2 ? se.ci_high : nan;
  const double a_lo = n >= 2 ? sa.ci_low : nan, a_hi = n >= 2 ? sa.ci_high : nan;
  double cost = nan, reverse = nan;
  std::pair<double, double> ci{nan, nan}, reverse_ci{nan, nan};
  std::string status, reverse_certain;
  if (!(a_mean > 0)) {
    status = "no_gain";
    // Fewer active residents for less money: read the other way round, that is what b pays
    // per additional active resident.
    if (a_mean < 0 && e_mean < 0 && n >= 2) {
      reverse = e_mean / a_mean;
      reverse_ci = bootstrap_ratio_ci(de, da);
      reverse_certain = a_hi < 0 ? "true" : "false";
    }
  } else {
    cost = e_mean / a_mean;
    if (n >= 2) ci = bootstrap_ratio_ci(de, da);
    // With a gain whose interval reaches zero the ratio is unbounded: a number, not a cost.
    status = a_lo > 0 ? "ok" : "uncertain_gain";
  }
  csv::append(out, status, ",", included, ",,", n);
  for (double v : {e_mean, e_lo, e_hi, a_mean, a_lo, a_hi, cost, ci.first, ci.second, reverse, reverse_ci.first, reverse_ci.second}) {
    out += ",";
    csv::number(out, v);
  }
  csv::append(out, ",", reverse_certain, "\n");
}

void csv_opt(std::string& s, std::optional<double> v) {
  if (v) csv::number(s, *v);
}

}  // namespace

CompareSummary compare(const std::string& dir, const std::string& source_root) {
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

  // The programme area, when it covers part of the city and the store has its wijken: the
  // scenario is loaded only then.
  ProgrammeArea area;
  std::string area_warning;
  if (std::any_of(data.begin(), data.end(), [](const auto& kv) { return kv.first.level == "wijk"; }))
    if (const StoreScenario loaded = load_store_scenario(store, source_root); loaded.spec) {
      area = programme_area(*loaded.spec);
      area_warning = loaded.warning;
    }
  const std::map<SeriesKey, Series> area_data = area_series(data, area);
  // A design's points pooled (what the tools draw for a store with a design), after the rest.
  const json design = store.manifest("design");
  const bool has_design = design.is_object() && !design.value("method", std::string()).empty();
  const std::map<SeriesKey, Series> pooled_data = has_design ? pooled_series(data, design_points) : std::map<SeriesKey, Series>{};
  const std::map<SeriesKey, Series> pooled_area =
      has_design ? pooled_series(area_data, design_points) : std::map<SeriesKey, Series>{};
  const std::array<const std::map<SeriesKey, Series>*, 4> sections{&data, &area_data, &pooled_data, &pooled_area};

  const Draws draws = read_draws(store);
  CompareSummary summary;
  summary.baseline = baseline;
  json rows = json::array();
  std::string table =
      "variant,baseline,design_point,outcome,level,unit,direction,week,n_pairs,baseline_mean,variant_mean,mean_difference,"
      "ci_t_low,ci_t_high,ci_bootstrap_low,ci_bootstrap_high,probability_of_improvement,first_week_significant\n";
  std::int32_t final_week_all = -1;
  // The store's series first, then the programme area's (level "area"), then a design's points
  // pooled: the added rows follow every row a store without them has.
  for (const auto* m : sections)
  for (const auto& [key, series] : *m) {
    if (key.variant == baseline || series.empty()) continue;
    const auto base_it = m->find({baseline, key.design_point, key.metric, key.level, key.unit});
    if (base_it == m->end() || base_it->second.empty()) continue;
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
    if (draws.enabled() && key.level == "city" && m == &data)
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
    ++(m == &data ? summary.comparisons : summary.added_rows);
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
  if (!area_data.empty()) {
    json adults = json::object();
    for (const auto& w : area.wijken) adults[w] = area.adults.count(w) ? area.adults.at(w) : 1;
    doc["programme_area"] = {{"level", area_level},
                             {"unit", area_unit},
                             {"wijken", area.wijken},
                             {"adults", adults},
                             {"meaning", "the wijken the programme covers as one unit: counts, euros and hours summed; shares and "
                                         "means weighted by the wijken's adults; programme-wide outcomes as in each wijk"}};
    if (!area_warning.empty()) doc["programme_area"]["scenario_warning"] = area_warning;
  }
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
  for (const auto* m : sections)
  for (const auto& [key, series] : *m) {
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
      if (m == &data) ++summary.band_rows;
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
  for (const auto* m : sections)
  for (const auto& [key, series] : *m) {
    for (const auto& [a, b] : pairs) {
      if (key.variant != a) continue;
      const auto against = m->find({b, key.design_point, key.metric, key.level, key.unit});
      if (against == m->end()) continue;
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
        if (m == &data) ++summary.difference_rows;
      }
    }
  }
  df.write(ds);
  df.commit();

  // The programme area per run (level "area"): what the tools draw and rank for the area.
  {
    csv::AtomicFile af(fs::path(dir) / derived::area_outcomes_csv);
    std::string as = "variant,design_point,replicate,outcome,week,value\n";
    for (const auto& [key, series] : area_data)
      for (const auto& [week, reps] : series)
        for (const auto& [rep, v] : reps) {
          csv::field(as, key.variant);
          csv::append(as, ",", key.design_point, ",", rep, ",", key.metric, ",", week, ",");
          csv::number(as, v);
          as += "\n";
        }
    af.write(as);
    af.commit();
  }

  // Cost per additional active resident, per pair (variant - baseline and declared contrasts)
  // and scope (the city; the programme area when there is one).
  {
    csv::AtomicFile cf(fs::path(dir) / derived::costs_csv);
    std::string cs =
        "variant,against,scope,status,included,missing,n_pairs,extra_euros,extra_euros_ci_low,extra_euros_ci_high,"
        "extra_active,extra_active_ci_low,extra_active_ci_high,cost,cost_ci_low,cost_ci_high,reverse_cost,"
        "reverse_cost_ci_low,reverse_cost_ci_high,reverse_certain\n";
    std::string city_unit;
    for (const auto& [key, series] : data)
      if (key.level == "city") {
        city_unit = key.unit;
        break;
      }
    for (const auto& [a, b] : pairs)
      for (const char* scope : {"city", "area"}) {
        if (std::string(scope) == "area" && area_data.empty()) continue;
        cost_row(cs, data, area_data, outcomes, a, b, scope, city_unit);
        ++summary.cost_rows;
      }
    cf.write(cs);
    cf.commit();
  }

  // The chance of being best: per outcome, level, unit and design point (and a design's points
  // pooled), at the final week every variant has, the share of replicates common to all variants
  // in which each variant is best in the outcome's better direction, ties shared. Empty for an
  // outcome that is not judged (direction none).
  {
    csv::AtomicFile rf(fs::path(dir) / derived::rankings_csv);
    std::string rs = "variant,design_point,outcome,level,unit,direction,week,n_replicates,p_best\n";
    for (const auto* m : sections) {
      std::set<std::tuple<int, std::string, std::string, std::string>> groups;
      for (const auto& [key, series] : *m) groups.emplace(key.design_point, key.metric, key.level, key.unit);
      for (const auto& [point, metric, level, unit] : groups) {
        std::vector<const Series*> of;
        for (const auto& v : variants) {
          const auto it = m->find({v, point, metric, level, unit});
          of.push_back(it == m->end() || it->second.empty() ? nullptr : &it->second);
        }
        if (std::any_of(of.begin(), of.end(), [](const Series* of_variant) { return of_variant == nullptr; })) continue;
        std::int32_t week = of.front()->rbegin()->first;
        for (const Series* of_variant : of) week = std::min(week, of_variant->rbegin()->first);
        std::vector<const std::map<std::uint32_t, double>*> at;
        for (const Series* of_variant : of) {
          const auto it = of_variant->find(week);
          if (it == of_variant->end()) break;
          at.push_back(&it->second);
        }
        if (at.size() != of.size()) continue;
        std::vector<std::uint32_t> reps;
        for (const auto& [rep, v] : *at.front())
          if (std::all_of(at.begin(), at.end(), [rep = rep](const auto* a) { return a->count(rep) > 0; }))
            reps.push_back(rep);
        if (reps.empty()) continue;
        const int idx = metric_index(metric);
        const Direction better = idx >= 0 ? better_direction(static_cast<Metric>(idx)) : Direction::none;
        std::vector<double> wins(variants.size(), 0.0);
        if (better != Direction::none)
          for (const std::uint32_t rep : reps) {
            const double sign = better == Direction::lower ? -1.0 : 1.0;
            double best = -std::numeric_limits<double>::infinity();
            for (const auto* a : at)
              if (const double x = sign * a->at(rep); x > best) best = x;
            std::size_t tied = 0;
            for (const auto* a : at) tied += sign * a->at(rep) == best;
            for (std::size_t i = 0; i < at.size(); ++i)
              if (sign * at[i]->at(rep) == best) wins[i] += 1.0 / static_cast<double>(tied);
          }
        for (std::size_t i = 0; i < variants.size(); ++i) {
          csv::field(rs, variants[i]);
          csv::append(rs, ",", point, ",", metric, ",", level, ",");
          csv::field(rs, unit);
          csv::append(rs, ",", direction_name(better), ",", week, ",", reps.size(), ",");
          if (better != Direction::none) csv::number(rs, wins[i] / static_cast<double>(reps.size()));
          rs += "\n";
          ++summary.ranking_rows;
        }
      }
    }
    rf.write(rs);
    rf.commit();
  }
  return summary;
}

}  // namespace wijksim::experiment
