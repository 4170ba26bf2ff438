#include "wijksim/calibration/abc.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>

#include "wijksim/core/error.hpp"
#include "wijksim/core/thread_pool.hpp"
#include "wijksim/io/stats.hpp"
#include "wijksim/scenario/json_checker.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/scenario/param_table.hpp"
#include "wijksim/sim/simulation.hpp"

namespace wijksim::calibration {

using json = nlohmann::json;
namespace fs = std::filesystem;

const char* buurt_group_name(BuurtGroup g) {
  switch (g) {
    case BuurtGroup::all: return "all";
    case BuurtGroup::programme: return "programme";
    case BuurtGroup::renewed: return "renewed";
    case BuurtGroup::programme_not_renewed: return "programme_not_renewed";
  }
  return "?";
}

namespace {

const std::vector<std::string> kGroups = {"all", "programme", "renewed", "programme_not_renewed"};
const std::vector<std::string> kStatistics = {"difference", "middle_minus_extremes"};

const char* statistic_name(SummaryStatistic s) {
  return s == SummaryStatistic::difference ? "difference" : "middle_minus_extremes";
}

std::string one_of(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? (i + 1 == v.size() ? " or " : ", ") : "") + v[i];
  return s;
}

void read_summaries(JsonChecker& c, const json& doc, Abc& a) {
  if (!doc.contains("summaries")) {
    c.problem("summaries", "missing, expected an array of summary statistics");
    return;
  }
  const json& ss = doc["summaries"];
  if (!ss.is_array() || ss.empty()) {
    c.problem("summaries", "found " + describe(ss) + ", expected a non-empty array of summary statistics");
    return;
  }
  std::set<std::string> names;
  const auto& variants = a.experiment.variants;
  for (std::size_t i = 0; i < ss.size(); ++i) {
    const std::string at = "summaries[" + std::to_string(i) + "]";
    const json& s = ss[i];
    if (!s.is_object()) {
      c.problem(at, "found " + describe(s) + ", expected an object");
      continue;
    }
    c.only_keys(s, at, {"name", "variant", "metric", "buurten", "statistic", "target", "tolerance", "source"});
    AbcSummary sum;
    if (auto n = c.string(s, "name", at, true)) {
      if (!names.insert(*n).second) c.problem(at + ".name", "found \"" + *n + "\" twice, expected unique names");
      sum.name = *n;
    }
    if (auto v = c.string(s, "variant", at, true)) {
      std::vector<std::string> known;
      for (const auto& var : variants) known.push_back(var.name);
      const auto it = std::find(known.begin(), known.end(), *v);
      if (it == known.end())
        c.problem(at + ".variant", "found \"" + *v + "\", expected a variant of " + a.experiment_file + ": " +
                                       one_of(known) + hint(nearest(*v, known)));
      else if (static_cast<std::size_t>(it - known.begin()) == a.comparison)
        c.problem(at + ".variant", "found \"" + *v + "\", the comparison itself; expected a variant compared with it");
      else
        sum.variant = static_cast<std::size_t>(it - known.begin());
    }
    if (auto m = c.string(s, "metric", at, true)) {
      const int k = metric_index(*m);
      if (k < 0)
        c.problem(at + ".metric", "found \"" + *m + "\", expected a metric name (`wijksim metrics`)");
      else
        sum.metric = static_cast<Metric>(k);
    }
    if (auto g = c.string(s, "buurten", at, true)) {
      const auto it = std::find(kGroups.begin(), kGroups.end(), *g);
      if (it == kGroups.end())
        c.problem(at + ".buurten", "found \"" + *g + "\", expected " + one_of(kGroups) + hint(nearest(*g, kGroups)));
      else
        sum.buurten = static_cast<BuurtGroup>(it - kGroups.begin());
    }
    if (auto st = c.string(s, "statistic", at, false)) {
      const auto it = std::find(kStatistics.begin(), kStatistics.end(), *st);
      if (it == kStatistics.end())
        c.problem(at + ".statistic",
                  "found \"" + *st + "\", expected " + one_of(kStatistics) + hint(nearest(*st, kStatistics)));
      else
        sum.statistic =
            it == kStatistics.begin() ? SummaryStatistic::difference : SummaryStatistic::middle_minus_extremes;
    }
    sum.target = c.number(s, "target", at, -1e9, 1e9, true).value_or(0);
    sum.tolerance = c.number(s, "tolerance", at, 0, 1e9, true, true).value_or(1);
    if (auto src = c.string(s, "source", at, true)) sum.source = *src;
    a.summaries.push_back(sum);
  }
}

}  // namespace

Abc load_abc_file(const std::string& file) { return load_abc_json(read_json_file(file), file); }

Abc load_abc_json(const json& doc, const std::string& file) {
  JsonChecker c(file);
  Abc a;
  a.file = file;
  a.document = doc;
  if (!doc.is_object())
    throw InputError(
        std::vector<Problem>{{file, "", "found " + describe(doc) + " at the top level, expected an object"}});
  c.only_keys(doc, "",
              {"description", "notes", "experiment", "comparison", "draws", "replicates_per_draw", "seed",
               "average_weeks", "parameters", "summaries", "accept"});
  (void)c.string(doc, "description", "", false);
  (void)c.string(doc, "notes", "", false);
  a.draws = static_cast<std::uint32_t>(c.integer(doc, "draws", "", 2, 100000, true).value_or(0));
  a.replicates_per_draw =
      static_cast<std::uint32_t>(c.integer(doc, "replicates_per_draw", "", 1, 100, false).value_or(1));
  a.average_weeks = static_cast<int>(c.integer(doc, "average_weeks", "", 1, 520, false).value_or(1));
  if (a.draws && static_cast<unsigned long long>(a.draws) * a.replicates_per_draw > 100000)
    c.problem("draws", "draws x replicates_per_draw is " +
                           std::to_string(static_cast<unsigned long long>(a.draws) * a.replicates_per_draw) +
                           ", expected at most 100000");
  const auto seed = c.integer(doc, "seed", "", 0, std::numeric_limits<long long>::max(), false);
  if (!doc.contains("parameters") || !doc["parameters"].is_array() || doc["parameters"].empty())
    c.problem("parameters",
              "expected a non-empty array of parameter paths whose prior is not fixed (`wijksim params`)");
  if (doc.contains("accept")) {
    const json& ac = doc["accept"];
    if (!ac.is_object()) {
      c.problem("accept", "found " + describe(ac) + R"(, expected {"epsilon": E, "min_accepted": N})");
    } else {
      c.only_keys(ac, "accept", {"epsilon", "min_accepted"});
      a.epsilon = c.number(ac, "epsilon", "accept", 0, 1e6, false, true).value_or(1);
      a.min_accepted =
          static_cast<std::uint32_t>(c.integer(ac, "min_accepted", "accept", 1, 100000, false).value_or(0));
      if (a.draws && a.min_accepted > a.draws)
        c.problem("accept.min_accepted", "found " + std::to_string(a.min_accepted) + ", expected at most draws (" +
                                             std::to_string(a.draws) + ")");
    }
  }
  // The experiment: read, given the prior draws, and loaded with every variant.
  json exp;
  if (auto e = c.string(doc, "experiment", "", true)) {
    fs::path p(*e);
    if (p.is_relative()) p = fs::path(file).parent_path() / p;
    a.experiment_file = p.lexically_normal().string();
    std::error_code ec;
    if (!fs::is_regular_file(a.experiment_file, ec))
      c.problem("experiment",
                "found \"" + *e + "\", but " + a.experiment_file +
                    " is not a file; expected an experiment file (relative paths are relative to the ABC file)");
  }
  if (!c.problems().empty()) throw InputError(c.problems());
  exp = read_json_file(a.experiment_file);
  if (!exp.is_object())
    throw InputError(std::vector<Problem>{
        {a.experiment_file, "", "found " + describe(exp) + " at the top level, expected an object"}});
  for (const char* key : {"uncertainty", "design"})
    if (exp.contains(key))
      c.problem("experiment", std::string("the experiment has \"") + key +
                                  "\", expected an experiment without it: the ABC draws the parameters itself");
  if (exp.contains("replicates") && exp["replicates"].is_object())
    c.problem("experiment",
              "the experiment has adaptive replicates, expected a number: the ABC sets replicates itself");
  if (!c.problems().empty()) throw InputError(c.problems());
  exp["replicates"] = a.replicates();
  if (seed) exp["seed"] = *seed;
  exp["uncertainty"] = json{{"source", "prior"}, {"draws", a.draws}, {"parameters", doc["parameters"]}};
  try {
    a.experiment = experiment::load_experiment_json(exp, a.experiment_file);
  } catch (const InputError& err) {
    // Problems with the drawn parameters belong to the ABC file.
    std::vector<Problem> problems;
    for (Problem p : err.problems()) {
      if (p.file == a.experiment_file && p.path.rfind("uncertainty.parameters", 0) == 0) {
        p.file = file;
        p.path = p.path.substr(std::string("uncertainty.").size());
      }
      problems.push_back(p);
    }
    throw InputError(problems);
  }
  a.seed = a.experiment.seed;
  a.parameters = a.experiment.uncertainty.parameters;
  a.comparison = a.experiment.baseline;
  if (auto cmp = c.string(doc, "comparison", "", false)) {
    std::vector<std::string> known;
    for (const auto& v : a.experiment.variants) known.push_back(v.name);
    const auto it = std::find(known.begin(), known.end(), *cmp);
    if (it == known.end())
      c.problem("comparison", "found \"" + *cmp + "\", expected a variant of " + a.experiment_file + ": " +
                                  one_of(known) + hint(nearest(*cmp, known)));
    else
      a.comparison = static_cast<std::size_t>(it - known.begin());
  }
  read_summaries(c, doc, a);
  if (!c.problems().empty()) throw InputError(c.problems());
  return a;
}

namespace {

// What one run leaves for the summaries: per buurt, metric values averaged over the last weeks,
// the adults, and the groups at the final week.
struct RunRecord {
  std::vector<double> values;  // [buurt * metrics + k]
  std::vector<double> adults;  // [buurt]
  std::vector<unsigned char> in_programme, renewed;
};

struct Layout {
  std::vector<Metric> metrics;  // the metrics the summaries use
  std::vector<double> deprivation;  // per buurt
  std::size_t buurten = 0;
  std::size_t slot(Metric m) const {
    return static_cast<std::size_t>(std::find(metrics.begin(), metrics.end(), m) - metrics.begin());
  }
};

Layout layout_of(const Abc& a) {
  Layout l;
  for (const auto& s : a.summaries)
    if (std::find(l.metrics.begin(), l.metrics.end(), s.metric) == l.metrics.end()) l.metrics.push_back(s.metric);
  return l;
}

RunRecord run_one(const Abc& a, const Layout& l, const ScenarioSpec& spec, std::uint32_t replicate,
                  const std::atomic<bool>* cancel, std::vector<double>* deprivation) {
  ThreadPool pool(1);  // parallelism is over runs
  // Common random numbers: (seed, replicate) for every variant of a draw.
  Simulation sim(spec, a.experiment.seed, replicate, pool);
  const std::size_t nb = sim.world().buurten.size(), nm = l.metrics.size();
  RunRecord r;
  r.values.assign(nb * nm, 0.0);
  r.adults.assign(nb, 0.0);
  const std::int32_t first_pooled = sim.last_week() - a.average_weeks + 1;
  int pooled = 0;
  while (!sim.done()) {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw RuntimeFailure("cancelled");
    const std::int32_t week = sim.week();
    sim.step();
    if (week < first_pooled) continue;
    ++pooled;
    for (std::size_t b = 0; b < nb; ++b) {
      const auto m = derive_metrics(sim.buurt_tallies()[b], sim.world());
      for (std::size_t k = 0; k < nm; ++k) r.values[b * nm + k] += m[static_cast<std::size_t>(l.metrics[k])];
      r.adults[b] += m[static_cast<std::size_t>(Metric::adults)];
    }
  }
  for (double& v : r.values) v /= std::max(1, pooled);
  for (double& v : r.adults) v /= std::max(1, pooled);
  r.in_programme.resize(nb);
  r.renewed.resize(nb);
  for (std::size_t b = 0; b < nb; ++b) {
    const Buurt& bu = sim.world().buurten[b];
    r.in_programme[b] = bu.gov.in_programme ? 1 : 0;
    // Herstructurering's own rule (model/physical_capital.cpp), not physical capital: the
    // programme's public-space budget builds capital in every buurt it reaches.
    const auto& pp = spec.params.physical;
    r.renewed[b] =
        bu.gov.in_programme && pp.herstructurering > 0 && bu.place.deprivation >= pp.renewal_min_deprivation ? 1 : 0;
  }
  if (deprivation) {
    deprivation->resize(nb);
    for (std::size_t b = 0; b < nb; ++b) (*deprivation)[b] = sim.world().buurten[b].place.deprivation;
  }
  return r;
}

bool in_group(BuurtGroup g, const RunRecord& v, std::size_t b) {
  switch (g) {
    case BuurtGroup::all: return true;
    case BuurtGroup::programme: return v.in_programme[b];
    case BuurtGroup::renewed: return v.renewed[b];
    case BuurtGroup::programme_not_renewed: return v.in_programme[b] && !v.renewed[b];
  }
  return false;
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// One summary of one replicate: the variant run against the comparison run.
double summary_value(const AbcSummary& s, const Layout& l, const RunRecord& var, const RunRecord& cmp) {
  const std::size_t nm = l.metrics.size(), k = l.slot(s.metric);
  std::vector<std::size_t> group;
  for (std::size_t b = 0; b < l.buurten; ++b)
    if (in_group(s.buurten, var, b)) group.push_back(b);
  auto weighted = [&](std::size_t from, std::size_t to) {
    double sw = 0, sd = 0;
    for (std::size_t i = from; i < to; ++i) {
      const std::size_t b = group[i];
      sw += cmp.adults[b];
      sd += cmp.adults[b] * (var.values[b * nm + k] - cmp.values[b * nm + k]);
    }
    return sw > 0 ? sd / sw : kNaN;
  };
  if (s.statistic == SummaryStatistic::difference) return group.empty() ? kNaN : weighted(0, group.size());
  if (group.size() < 3) return kNaN;
  std::stable_sort(group.begin(), group.end(),
                   [&](std::size_t x, std::size_t y) { return l.deprivation[x] < l.deprivation[y]; });
  const std::size_t third = group.size() / 3;
  const double low = weighted(0, third), mid = weighted(third, group.size() - third),
               high = weighted(group.size() - third, group.size());
  return mid - 0.5 * (low + high);
}

// Runs replicates [0, n) of every variant with each replicate's overrides; records[r][v].
std::vector<std::vector<RunRecord>> run_all(const Abc& a, Layout& l, std::uint32_t n,
                                            const std::vector<Override>* point, unsigned threads,
                                            const std::atomic<bool>* cancel,
                                            const std::function<void(std::size_t, std::size_t)>& on_progress) {
  const auto& e = a.experiment;
  const std::size_t nv = e.variants.size();
  std::vector<std::vector<RunRecord>> rec(n, std::vector<RunRecord>(nv));
  std::vector<double> deprivation;
  std::mutex mu;
  std::size_t done = 0;
  const std::size_t total = static_cast<std::size_t>(n) * nv;
  ThreadPool pool(std::max(1u, threads));
  pool.parallel_for(total, [&](std::size_t task, unsigned) {
    const auto r = static_cast<std::uint32_t>(task / nv);
    const std::size_t v = task % nv;
    const experiment::Cell& cell = e.cells[v];  // no design: one cell per variant
    ScenarioSpec spec;
    if (point) {
      auto o = cell.overrides;
      o.insert(o.end(), point->begin(), point->end());
      spec = load_scenario_json(e.scenario, e.scenario_file, o);
    } else {
      spec = experiment::load_cell(e, cell, r);
    }
    RunRecord out = run_one(a, l, spec, r, cancel, task == 0 ? &deprivation : nullptr);
    std::lock_guard lock(mu);
    rec[r][v] = std::move(out);
    ++done;
    if (on_progress) on_progress(done, total);
  });
  l.deprivation = deprivation;
  l.buurten = deprivation.size();
  return rec;
}

// Summaries of one draw: each averaged over the draw's replicates where it is defined.
std::vector<double> draw_summaries(const Abc& a, const Layout& l, const std::vector<std::vector<RunRecord>>& rec,
                                   const std::vector<std::uint32_t>& replicates) {
  std::vector<double> out;
  for (const auto& s : a.summaries) {
    double sum = 0;
    int n = 0;
    for (const auto r : replicates) {
      const double v = summary_value(s, l, rec[r][s.variant], rec[r][a.comparison]);
      if (std::isfinite(v)) {
        sum += v;
        ++n;
      }
    }
    out.push_back(n ? sum / n : kNaN);
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

AbcResult run_abc(const Abc& a, const AbcOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Layout l = layout_of(a);
  const auto rec = run_all(a, l, a.replicates(), nullptr, options.threads, options.cancel, options.on_progress);
  AbcResult res;
  for (std::uint32_t i = 0; i < a.draws; ++i) {
    std::vector<std::uint32_t> reps;
    for (std::uint32_t k = 0; k < a.replicates_per_draw; ++k)
      reps.push_back(i + k * a.draws);  // set_of(r) = r mod draws
    res.summaries.push_back(draw_summaries(a, l, rec, reps));
    double d = 0;
    for (std::size_t j = 0; j < a.summaries.size(); ++j) {
      const double s = res.summaries.back()[j];
      d = std::isfinite(s) ? std::max(d, std::fabs(s - a.summaries[j].target) / a.summaries[j].tolerance)
                           : std::numeric_limits<double>::infinity();
    }
    res.distance.push_back(d);
  }
  std::vector<std::size_t> order(a.draws);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return res.distance[x] < res.distance[y]; });
  for (std::size_t i : order)
    if (res.distance[i] <= a.epsilon) res.accepted.push_back(i);
  if (res.accepted.size() < a.min_accepted) {
    res.widened = true;
    res.accepted.clear();
    for (std::size_t i : order)
      if (res.accepted.size() < a.min_accepted && std::isfinite(res.distance[i])) res.accepted.push_back(i);
  }
  for (std::size_t i : res.accepted) res.effective_epsilon = std::max(res.effective_epsilon, res.distance[i]);
  res.wall_seconds = seconds_since(start);
  return res;
}

std::vector<double> measure_summaries(const Abc& a, const std::vector<Override>& point, std::uint32_t replicates,
                                      unsigned threads) {
  Layout l = layout_of(a);
  const auto rec = run_all(a, l, replicates, &point, threads, nullptr, nullptr);
  std::vector<std::uint32_t> reps(replicates);
  std::iota(reps.begin(), reps.end(), 0u);
  return draw_summaries(a, l, rec, reps);
}

namespace {

struct Quantiles {
  double q05 = 0, q50 = 0, q95 = 0;
};
Quantiles quantiles(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return {kNaN, kNaN, kNaN};
  return {percentile(v, 0.05), percentile(v, 0.5), percentile(v, 0.95)};
}
json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

}  // namespace

nlohmann::ordered_json posterior_json(const Abc& a, const AbcResult& r, const json& provenance) {
  using oj = nlohmann::ordered_json;
  const auto& sets = a.experiment.uncertainty.sets;
  oj j;
  std::string desc = a.document.value("description", std::string());
  if (!desc.empty()) desc += " ";
  desc += "Made by `wijksim abc " + a.file + "` (rejection ABC over the priors of the parameter table).";
  char method[256];
  std::snprintf(method, sizeof method,
                "rejection ABC: %zu of %u prior draws (Latin hypercube) accepted, %s %.3g tolerance(s)",
                r.accepted.size(), a.draws, r.widened ? "the nearest, within" : "every summary within epsilon",
                r.effective_epsilon);
  j["description"] = desc;
  j["method"] = method;
  j["parameters"] = a.parameters;
  oj draws = oj::array();
  for (std::size_t i : r.accepted) draws.push_back(sets[i]);
  j["draws"] = draws;
  j["weights"] = std::vector<int>(r.accepted.size(), 1);
  if (a.document.contains("notes")) j["notes"] = a.document["notes"];
  oj abc;
  abc["file"] = a.file;
  abc["experiment"] = a.experiment_file;
  abc["seed"] = a.seed;
  abc["drawn"] = a.draws;
  abc["accepted"] = r.accepted.size();
  abc["replicates_per_draw"] = a.replicates_per_draw;
  abc["average_weeks"] = a.average_weeks;
  abc["comparison"] = a.experiment.variants[a.comparison].name;
  abc["epsilon"] = a.epsilon;
  abc["effective_epsilon"] = r.effective_epsilon;
  abc["widened_to_min_accepted"] = r.widened;
  abc["distance"] = "max over summaries of |summary - target| / tolerance";
  oj sums = oj::array();
  for (std::size_t k = 0; k < a.summaries.size(); ++k) {
    const auto& s = a.summaries[k];
    std::vector<double> all, acc;
    for (std::size_t i = 0; i < r.summaries.size(); ++i)
      if (std::isfinite(r.summaries[i][k])) all.push_back(r.summaries[i][k]);
    for (std::size_t i : r.accepted) acc.push_back(r.summaries[i][k]);
    const Quantiles qa = quantiles(all), qp = quantiles(acc);
    sums.push_back(
        oj{{"name", s.name},
           {"variant", a.experiment.variants[s.variant].name},
           {"metric", std::string(metric_name(s.metric))},
           {"buurten", buurt_group_name(s.buurten)},
           {"statistic", statistic_name(s.statistic)},
           {"target", s.target},
           {"tolerance", s.tolerance},
           {"source", s.source},
           {"prior_q05_q50_q95", {number_or_null(qa.q05), number_or_null(qa.q50), number_or_null(qa.q95)}},
           {"posterior_q05_q50_q95", {number_or_null(qp.q05), number_or_null(qp.q50), number_or_null(qp.q95)}}});
  }
  abc["summaries"] = sums;
  oj pars = oj::array();
  for (std::size_t p = 0; p < a.parameters.size(); ++p) {
    const ParamDef& d = *find_param(a.parameters[p]);
    std::vector<double> acc;
    for (std::size_t i : r.accepted) acc.push_back(sets[i][p]);
    const Quantiles q = quantiles(acc);
    const double p05 = d.prior.quantile(0.05), p95 = d.prior.quantile(0.95);
    pars.push_back(oj{{"path", d.path},
                      {"default", d.default_value},
                      {"prior", d.prior.describe()},
                      {"prior_q05_q50_q95", {p05, d.prior.quantile(0.5), p95}},
                      {"posterior_q05_q50_q95", {number_or_null(q.q05), number_or_null(q.q50), number_or_null(q.q95)}},
                      {"interval90_ratio", p95 > p05 ? number_or_null((q.q95 - q.q05) / (p95 - p05)) : json(nullptr)}});
  }
  abc["parameters"] = pars;
  j["abc"] = abc;
  j["provenance"] = provenance;
  return j;
}

std::string draws_csv(const Abc& a, const AbcResult& r) {
  std::ostringstream o;
  o << "draw";
  for (const auto& p : a.parameters) o << "," << p;
  for (const auto& s : a.summaries) o << "," << s.name;
  o << ",distance,accepted\n";
  std::vector<char> accepted(a.draws, 0);
  for (std::size_t i : r.accepted) accepted[i] = 1;
  for (std::size_t i = 0; i < a.draws; ++i) {
    o << i;
    for (double v : a.experiment.uncertainty.sets[i]) o << "," << number_text(v);
    for (double v : r.summaries[i]) o << "," << (std::isfinite(v) ? number_text(v) : std::string("NA"));
    o << "," << (std::isfinite(r.distance[i]) ? number_text(r.distance[i]) : std::string("Inf")) << ","
      << int(accepted[i]) << "\n";
  }
  return o.str();
}

std::string abc_report_text(const Abc& a, const AbcResult& r) {
  std::ostringstream o;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "rejection ABC: %zu of %u draws accepted (epsilon %g%s, largest accepted distance %.3g)\n",
                r.accepted.size(), a.draws, a.epsilon, r.widened ? ", widened to the nearest min_accepted" : "",
                r.effective_epsilon);
  o << buf;
  const auto j = posterior_json(a, r, json::object());
  o << "  parameter                                 prior 5%..95%            posterior 5% / median / 95%\n";
  for (const auto& p : j["abc"]["parameters"]) {
    const auto& pr = p["prior_q05_q50_q95"];
    const auto& po = p["posterior_q05_q50_q95"];
    auto g = [](const nlohmann::ordered_json& v) { return v.is_number() ? v.get<double>() : kNaN; };
    std::snprintf(buf, sizeof buf, "  %-40s  %9.4g .. %-9.4g    %9.4g / %9.4g / %-9.4g\n",
                  p["path"].get<std::string>().c_str(), g(pr[0]), g(pr[2]), g(po[0]), g(po[1]), g(po[2]));
    o << buf;
  }
  o << "  summary                        target +- tolerance     prior median   accepted 5% / median / 95%\n";
  for (const auto& s : j["abc"]["summaries"]) {
    auto g = [](const nlohmann::ordered_json& v) { return v.is_number() ? v.get<double>() : kNaN; };
    const auto& pr = s["prior_q05_q50_q95"];
    const auto& po = s["posterior_q05_q50_q95"];
    std::snprintf(buf, sizeof buf, "  %-30s %8.4f +- %-8.4f    %9.4f      %8.4f / %8.4f / %-8.4f\n",
                  s["name"].get<std::string>().c_str(), s["target"].get<double>(), s["tolerance"].get<double>(),
                  g(pr[1]), g(po[0]), g(po[1]), g(po[2]));
    o << buf;
  }
  return o.str();
}

}  // namespace wijksim::calibration
