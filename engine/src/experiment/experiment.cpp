#include "wijksim/experiment/experiment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "wijksim/core/error.hpp"
#include "wijksim/core/rng.hpp"
#include "wijksim/experiment/contrasts.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/scenario/json_checker.hpp"
#include "wijksim/scenario/param_table.hpp"

namespace wijksim::experiment {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool valid_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
  });
}

// Paths the experiment itself decides; a variant setting them would break the pairing.
const std::vector<std::string> kReserved = {"simulation.years", "simulation.seed", "simulation.replicates"};

// Uniform in [0, 1) from 53 random bits: the same on every platform, unlike std distributions.
double unit_draw(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

void build_points(Design& d) {
  const std::size_t p = d.parameters.size();
  const auto n = static_cast<std::size_t>(d.samples);
  auto value = [&](std::size_t j, double fraction) {
    const auto& par = d.parameters[j];
    const double v = par.low + (par.high - par.low) * fraction;
    return par.integer ? std::round(v) : v;
  };
  if (d.method == "sobol" || d.method == "saltelli" || d.method == "morris") {
    const auto unit = d.method == "morris" ? sensitivity::morris_design(n, p, d.levels, d.seed)
                                           : sensitivity::saltelli_design(n, p, d.seed);
    for (const auto& u : unit.points) {
      std::vector<double> point(p);
      for (std::size_t j = 0; j < p; ++j) point[j] = value(j, u[j]);
      d.points.push_back(point);
    }
    d.roles = unit.roles;
  } else if (d.method == "grid") {
    std::size_t total = 1;
    for (std::size_t j = 0; j < p; ++j) total *= n;
    for (std::size_t k = 0; k < total; ++k) {
      std::vector<double> point(p);
      std::size_t rest = k;
      for (std::size_t j = p; j-- > 0;) {  // the last parameter varies fastest
        const std::size_t i = rest % n;
        rest /= n;
        point[j] = value(j, n == 1 ? 0.5 : static_cast<double>(i) / static_cast<double>(n - 1));
      }
      d.points.push_back(point);
    }
  } else {
    // Latin hypercube: each parameter's range cut into n strata, one draw in each, strata
    // shuffled independently per parameter.
    std::mt19937_64 rng(d.seed);
    d.points.assign(n, std::vector<double>(p));
    for (std::size_t j = 0; j < p; ++j) {
      std::vector<std::size_t> strata(n);
      for (std::size_t i = 0; i < n; ++i) strata[i] = i;
      for (std::size_t i = n; i-- > 1;) std::swap(strata[i], strata[rng() % (i + 1)]);
      for (std::size_t k = 0; k < n; ++k)
        d.points[k][j] = value(j, (static_cast<double>(strata[k]) + unit_draw(rng)) / static_cast<double>(n));
    }
  }
}

void read_design(JsonChecker& c, const json& d, Experiment& e) {
  if (!d.is_object()) {
    c.problem("design", "found " + describe(d) + ", expected an object");
    return;
  }
  c.only_keys(d, "design", {"method", "samples", "seed", "levels", "parameters"});
  const auto method = c.string(d, "method", "design", true);
  const std::vector<std::string> methods = {"grid", "lhs", "sobol", "saltelli", "morris"};
  const bool known = method && std::find(methods.begin(), methods.end(), *method) != methods.end();
  if (method && !known) {
    const auto near = nearest(*method, methods);
    c.problem("design.method", "found \"" + *method + "\", expected grid, lhs, sobol, saltelli or morris" +
                                   (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
  }
  const bool grid = method && *method == "grid";
  const bool sobol = method && (*method == "sobol" || *method == "saltelli");
  const bool morris = method && *method == "morris";
  const auto samples = c.integer(d, "samples", "design", grid || sobol ? 2 : 1, grid ? 1000 : 100000, true);
  int levels = 4;  // 0: invalid
  if (d.contains("levels")) {
    if (!morris) c.problem("design.levels", "only used by the morris method");
    else {
      levels = static_cast<int>(c.integer(d, "levels", "design", 2, 100, false).value_or(0));
      if (levels % 2 != 0) {
        c.problem("design.levels", "found " + std::to_string(levels) + ", expected an even number of levels (delta = p / (2 (p - 1)) is then on the grid)");
        levels = 0;
      }
    }
  }
  const auto seed = c.integer(d, "seed", "design", 0, 2147483647, false);
  std::vector<DesignParameter> params;
  if (!d.contains("parameters")) {
    c.problem("design.parameters", "missing, expected an object of \"path\": [low, high]");
  } else if (!d["parameters"].is_object() || d["parameters"].empty()) {
    c.problem("design.parameters", "found " + describe(d["parameters"]) + ", expected a non-empty object of \"path\": [low, high]");
  } else {
    std::vector<std::string> numeric;
    for (const auto& def : param_table())
      if (def.kind == ParamKind::real || def.kind == ParamKind::integer) numeric.push_back(def.path);
    for (auto it = d["parameters"].begin(); it != d["parameters"].end(); ++it) {
      const std::string at = "design.parameters" + quoted(it.key());
      const ParamDef* def = find_param(it.key());
      if (!def || !(def->kind == ParamKind::real || def->kind == ParamKind::integer)) {
        const auto near = nearest(it.key(), numeric);
        c.problem(at, std::string(def ? "not a numeric parameter" : "unknown parameter") +
                          (near.empty() ? "; see `wijksim params` for the numeric ones" : "; did you mean \"" + near + "\"?"));
        continue;
      }
      if (std::find(kReserved.begin(), kReserved.end(), it.key()) != kReserved.end()) {
        c.problem(at, "is set by the experiment itself, expected a model parameter");
        continue;
      }
      const json& r = it.value();
      if (!r.is_array() || r.size() != 2 || !r[0].is_number() || !r[1].is_number() || r[0].get<double>() > r[1].get<double>()) {
        c.problem(at, "found " + (r.is_array() ? r.dump() : describe(r)) + ", expected [low, high] with low <= high");
        continue;
      }
      params.push_back({it.key(), r[0].get<double>(), r[1].get<double>(), def->kind == ParamKind::integer});
    }
  }
  if (sobol && params.size() > sensitivity::saltelli_max_parameters) {
    c.problem("design.parameters", "has " + std::to_string(params.size()) + " parameters, expected at most " +
                                       std::to_string(sensitivity::saltelli_max_parameters) +
                                       " for the sobol method (its Sobol' sequence has " + std::to_string(sensitivity::sobol_max_dims) + " dimensions)");
    return;
  }
  if (morris && levels == 0) return;
  if (method && samples && known && !params.empty()) {
    const double k = static_cast<double>(params.size()), n = static_cast<double>(*samples);
    double total = grid ? std::pow(n, k) : sobol ? n * (k + 2) : morris ? n * (k + 1) : n;
    if (total > 100000) {
      c.problem("design.samples", "gives " + number_text(total) + " design points, expected at most 100000");
      return;
    }
    e.design.method = *method;
    e.design.samples = static_cast<int>(*samples);
    e.design.seed = seed ? static_cast<std::uint64_t>(*seed) : e.seed;
    e.design.levels = levels;
    e.design.parameters = params;
    build_points(e.design);
  }
}

void read_adaptive(JsonChecker& c, const json& r, Experiment& e) {
  c.only_keys(r, "replicates", {"adaptive"});
  if (!r.contains("adaptive")) {
    c.problem("replicates.adaptive", "missing, expected {\"outcomes\": [...], \"ci_half_width\": w, \"min\": n, \"max\": m} (or an integer for replicates)");
    return;
  }
  const json& a = r["adaptive"];
  if (!a.is_object()) {
    c.problem("replicates.adaptive", "found " + describe(a) + ", expected an object with outcomes, ci_half_width, min, max");
    return;
  }
  const std::string at = "replicates.adaptive";
  c.only_keys(a, at, {"outcomes", "ci_half_width", "min", "max"});
  bool ok = true;
  if (!a.contains("outcomes")) {
    c.problem(at + ".outcomes", "missing, expected a non-empty array of outcome names of the experiment");
    ok = false;
  } else if (!a["outcomes"].is_array() || a["outcomes"].empty()) {
    c.problem(at + ".outcomes", "found " + describe(a["outcomes"]) + ", expected a non-empty array of outcome names of the experiment");
    ok = false;
  } else {
    std::vector<std::string> listed;
    for (Metric k : e.outcomes) listed.emplace_back(metric_name(k));
    for (std::size_t i = 0; i < a["outcomes"].size(); ++i) {
      const json& v = a["outcomes"][i];
      const std::string p = at + ".outcomes[" + std::to_string(i) + "]";
      const int idx = v.is_string() ? metric_index(v.get<std::string>()) : -1;
      if (idx < 0 || std::find(e.outcomes.begin(), e.outcomes.end(), static_cast<Metric>(idx)) == e.outcomes.end()) {
        const auto near = v.is_string() ? nearest(v.get<std::string>(), listed) : std::string();
        c.problem(p, "found " + describe(v) + ", expected one of the experiment's outcomes" + (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
        ok = false;
      } else if (std::find(e.adaptive.outcomes.begin(), e.adaptive.outcomes.end(), static_cast<Metric>(idx)) != e.adaptive.outcomes.end()) {
        c.problem(p, "\"" + v.get<std::string>() + "\" listed twice, expected each outcome once");
        ok = false;
      } else {
        e.adaptive.outcomes.push_back(static_cast<Metric>(idx));
      }
    }
  }
  if (!a.contains("ci_half_width")) {
    c.problem(at + ".ci_half_width", "missing, expected a number > 0");
    ok = false;
  } else if (!a["ci_half_width"].is_number() || !(a["ci_half_width"].get<double>() > 0) || !std::isfinite(a["ci_half_width"].get<double>())) {
    c.problem(at + ".ci_half_width", "found " + describe(a["ci_half_width"]) + ", expected a number > 0");
    ok = false;
  } else {
    e.adaptive.ci_half_width = a["ci_half_width"].get<double>();
  }
  const auto lo = c.integer(a, "min", at, 2, 100000, true);
  const auto hi = c.integer(a, "max", at, 2, 100000, true);
  if (lo && hi && *hi < *lo) {
    c.problem(at + ".max", "found " + std::to_string(*hi) + ", expected at least min (" + std::to_string(*lo) + ")");
    ok = false;
  }
  if (std::find(e.levels.begin(), e.levels.end(), Level::city) == e.levels.end()) {
    c.problem("levels", "has no \"city\", expected the city level with adaptive replicates (their outcomes are city-level)");
    ok = false;
  }
  if (!ok || !lo || !hi) return;
  e.adaptive.min = static_cast<std::uint32_t>(*lo);
  e.adaptive.max = static_cast<std::uint32_t>(*hi);
  e.replicates = e.adaptive.max;
}

// "uncertainty": {"source": "prior" | "posterior", "draws": N, "file": "..."}: checked here,
// drawn by draw_uncertainty once the scenario and every variant are known. Without "source"
// the sets come from the shipped posterior: the evidence is the default source of uncertainty.
void read_uncertainty(JsonChecker& c, const json& u, Experiment& e) {
  if (!u.is_object()) {
    c.problem("uncertainty", "found " + describe(u) + R"(, expected {"source": "prior" | "posterior", "draws": N})");
    return;
  }
  c.only_keys(u, "uncertainty", {"source", "draws", "file", "parameters"});
  const std::optional<std::string> source = c.string(u, "source", "uncertainty", false).value_or("posterior");
  if (source && *source != "prior" && *source != "posterior") {
    const auto near = nearest(*source, {"prior", "posterior"});
    c.problem("uncertainty.source", "found \"" + *source + "\", expected \"prior\" or \"posterior\"" +
                                        (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
    return;
  }
  const auto draws = c.integer(u, "draws", "uncertainty", 2, 100000, true);
  const auto file = c.string(u, "file", "uncertainty", false);
  if (file && source && *source != "posterior") c.problem("uncertainty.file", "only used with \"source\": \"posterior\"");
  // "parameters": draw only these rows from their priors (the others keep their values).
  if (u.contains("parameters")) {
    const json& ps = u["parameters"];
    if (source && *source != "prior") c.problem("uncertainty.parameters", "only used with \"source\": \"prior\"");
    if (!ps.is_array() || ps.empty()) {
      c.problem("uncertainty.parameters", "found " + describe(ps) + ", expected a non-empty array of parameter paths");
    } else {
      for (std::size_t j = 0; j < ps.size(); ++j) {
        const std::string at = "uncertainty.parameters[" + std::to_string(j) + "]";
        const ParamDef* d = ps[j].is_string() ? find_param(ps[j].get<std::string>()) : nullptr;
        if (!d || !(d->kind == ParamKind::real || d->kind == ParamKind::integer))
          c.problem(at, "found " + describe(ps[j]) + ", expected a numeric parameter of the table (`wijksim params`)");
        else if (d->prior.is_fixed())
          c.problem(at,
                    "found \"" + d->path +
                        "\", whose prior is fixed; expected a parameter with a prior (`wijksim params`, column prior)");
        else if (std::find(e.uncertainty.only.begin(), e.uncertainty.only.end(), d->path) != e.uncertainty.only.end())
          c.problem(at, "found \"" + d->path + "\" twice, expected each parameter once");
        else
          e.uncertainty.only.push_back(d->path);
      }
    }
  }
  if (!source || !draws) return;
  if (e.adaptive.enabled()) {
    c.problem("uncertainty", "cannot be combined with adaptive replicates, expected a fixed number of replicates");
    return;
  }
  if (e.replicates > 0 && *draws > e.replicates) {
    c.problem("uncertainty.draws", "found " + std::to_string(*draws) + ", expected at most replicates (" +
                                       std::to_string(e.replicates) + "): replicate r runs with parameter set r mod draws");
    return;
  }
  e.uncertainty.source = *source;
  e.uncertainty.draws = static_cast<std::uint32_t>(*draws);
  if (file) {
    fs::path p(*file);
    if (p.is_relative()) p = fs::path(e.file).parent_path() / p;
    e.uncertainty.file = p.lexically_normal().string();
  }
}

bool has_path(const json& doc, const std::string& dotted) {
  const json* node = &doc;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = dotted.find('.', start);
    const std::string key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(key)) return false;
    node = &(*node)[key];
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

// Rows the experiment does not draw: set by the scenario file (facts of the place), by a
// variant or by the design (what the experiment compares).
bool set_elsewhere(const Experiment& e, const std::string& path) {
  if (has_path(e.scenario, path)) return true;
  for (const auto& v : e.variants)
    for (const auto& o : v.set)
      if (o.path == path) return true;
  for (const auto& par : e.design.parameters)
    if (par.path == path) return true;
  return false;
}

double rounded_if_integer(const std::string& path, double v) {
  const ParamDef* d = find_param(path);
  return d && d->kind == ParamKind::integer ? std::round(v) : v;
}

// Prior: a Latin hypercube over the draws, each row's column from its own generator keyed by
// (seed, path), so adding or removing one drawn row leaves the others' values unchanged; each
// stratum's uniform goes through the row's prior quantile function.
void draw_from_prior(Experiment& e) {
  auto& u = e.uncertainty;
  const std::size_t n = u.draws;
  for (const auto& d : param_table()) {
    if (d.prior.is_fixed() || !(d.kind == ParamKind::real || d.kind == ParamKind::integer)) continue;
    if (set_elsewhere(e, d.path) || std::find(kReserved.begin(), kReserved.end(), d.path) != kReserved.end()) continue;
    if (!u.only.empty() && std::find(u.only.begin(), u.only.end(), d.path) == u.only.end()) continue;
    u.parameters.push_back(d.path);
  }
  u.sets.assign(n, std::vector<double>(u.parameters.size()));
  for (std::size_t j = 0; j < u.parameters.size(); ++j) {
    const ParamDef& d = *find_param(u.parameters[j]);
    std::mt19937_64 rng(e.seed ^ fnv1a64(d.path.data(), d.path.size()));
    std::vector<std::size_t> strata(n);
    for (std::size_t i = 0; i < n; ++i) strata[i] = i;
    for (std::size_t i = n; i-- > 1;) std::swap(strata[i], strata[rng() % (i + 1)]);
    for (std::size_t i = 0; i < n; ++i) {
      const double v = (static_cast<double>(strata[i]) + unit_draw(rng)) / static_cast<double>(n);
      u.sets[i][j] = rounded_if_integer(d.path, d.prior.quantile(std::clamp(v, 1e-12, 1 - 1e-12)));
    }
  }
}

// Posterior: N of its accepted sets in an order shuffled by the seed (cycling if N exceeds
// them), without the columns the experiment sets itself.
void draw_from_posterior(Experiment& e, const Posterior& post) {
  auto& u = e.uncertainty;
  std::vector<std::size_t> keep;
  for (std::size_t j = 0; j < post.parameters.size(); ++j)
    if (!set_elsewhere(e, post.parameters[j])) {
      keep.push_back(j);
      u.parameters.push_back(post.parameters[j]);
    }
  std::vector<std::size_t> order(post.draws.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(e.seed ^ fnv1a64("posterior", 9));
  for (std::size_t i = order.size(); i-- > 1;) std::swap(order[i], order[rng() % (i + 1)]);
  u.sets.assign(u.draws, {});
  for (std::size_t i = 0; i < u.draws; ++i)
    for (std::size_t j : keep) u.sets[i].push_back(post.draws[order[i % order.size()]][j]);
}

// Where an override of a cell came from, for problems found while loading the scenario.
struct Origin {
  std::string path;    // JSON path in the experiment file
  std::string detail;  // e.g. "design point 3, value 0.25"
};

}  // namespace

const char* level_name(Level l) {
  switch (l) {
    case Level::city: return "city";
    case Level::wijk: return "wijk";
    case Level::buurt: return "buurt";
  }
  return "?";
}

Experiment load_experiment_file(const std::string& file) { return load_experiment_json(read_json_file(file), file); }

Experiment load_experiment_json(const json& doc, const std::string& file) {
  JsonChecker c(file);
  Experiment e;
  e.file = file;
  e.document = doc;
  const std::string canonical = doc.dump();  // keys sorted: the same for any spacing or key order
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(canonical.data(), canonical.size())));
  e.hash = hex;
  if (!doc.is_object())
    throw InputError(std::vector<Problem>{{file, "", "found " + describe(doc) + " at the top level, expected an object"}});
  c.only_keys(doc, "", {"scenario", "description", "notes", "years", "replicates", "seed", "outcomes", "variants",
                        "baseline", "levels", "interval", "design", "burn_in_branching", "contrasts", "smallest_effect",
                        "uncertainty"});
  (void)c.string(doc, "description", "", false);
  (void)c.string(doc, "notes", "", false);
  if (const auto s = c.string(doc, "scenario", "", true)) {
    fs::path p(*s);
    if (p.is_relative()) p = fs::path(file).parent_path() / p;
    e.scenario_file = p.lexically_normal().string();
    std::error_code ec;
    if (!fs::is_regular_file(e.scenario_file, ec))
      c.problem("scenario", "found \"" + *s + "\", but " + e.scenario_file + " is not a file; expected a scenario file (relative paths are relative to the experiment file)");
  }
  if (doc.contains("years")) e.years = c.number(doc, "years", "", 0.02, 100).value_or(0);
  const bool adaptive = doc.contains("replicates") && doc["replicates"].is_object();
  if (!adaptive) e.replicates = static_cast<std::uint32_t>(c.integer(doc, "replicates", "", 1, 100000, true).value_or(0));
  if (doc.contains("burn_in_branching")) {
    if (!doc["burn_in_branching"].is_boolean()) c.problem("burn_in_branching", "found " + describe(doc["burn_in_branching"]) + ", expected true or false");
    else e.burn_in_branching = doc["burn_in_branching"].get<bool>();
  }
  e.seed = static_cast<std::uint64_t>(c.integer(doc, "seed", "", 0, 2147483647, false).value_or(1));
  e.interval = static_cast<int>(c.integer(doc, "interval", "", 1, 520, false).value_or(4));

  // Outcomes: metric names.
  std::vector<std::string> metric_names;
  for (std::size_t k = 0; k < metric_count; ++k) metric_names.emplace_back(metric_name(static_cast<Metric>(k)));
  if (!doc.contains("outcomes")) {
    c.problem("outcomes", "missing, expected an array of metric names such as [\"active_share\", \"unsafe_share\"]");
  } else if (!doc["outcomes"].is_array() || doc["outcomes"].empty()) {
    c.problem("outcomes", "found " + describe(doc["outcomes"]) + ", expected a non-empty array of metric names");
  } else {
    for (std::size_t i = 0; i < doc["outcomes"].size(); ++i) {
      const json& v = doc["outcomes"][i];
      const std::string at = "outcomes[" + std::to_string(i) + "]";
      if (!v.is_string()) {
        c.problem(at, "found " + describe(v) + ", expected a metric name");
        continue;
      }
      const int idx = metric_index(v.get<std::string>());
      if (idx < 0) {
        const auto near = nearest(v.get<std::string>(), metric_names);
        c.problem(at, "found \"" + v.get<std::string>() + "\", expected a metric name" +
                          (near.empty() ? " (see docs/MODEL.md §5)" : "; did you mean \"" + near + "\"?"));
        continue;
      }
      if (std::find(e.outcomes.begin(), e.outcomes.end(), static_cast<Metric>(idx)) != e.outcomes.end()) {
        c.problem(at, "\"" + v.get<std::string>() + "\" listed twice, expected each outcome once");
        continue;
      }
      e.outcomes.push_back(static_cast<Metric>(idx));
    }
  }

  if (doc.contains("levels")) {
    e.levels.clear();
    const json& l = doc["levels"];
    if (!l.is_array() || l.empty()) {
      c.problem("levels", "found " + describe(l) + ", expected a non-empty array of city, wijk, buurt");
    } else {
      for (std::size_t i = 0; i < l.size(); ++i) {
        const std::string s = l[i].is_string() ? l[i].get<std::string>() : "";
        const Level lv = s == "city" ? Level::city : s == "wijk" ? Level::wijk : Level::buurt;
        if (s != "city" && s != "wijk" && s != "buurt") {
          const auto near = nearest(s, {"city", "wijk", "buurt"});
          c.problem("levels[" + std::to_string(i) + "]", "found " + describe(l[i]) + ", expected city, wijk or buurt" +
                                                            (near.empty() || s.empty() ? "" : "; did you mean \"" + near + "\"?"));
        } else if (std::find(e.levels.begin(), e.levels.end(), lv) != e.levels.end()) {
          c.problem("levels[" + std::to_string(i) + "]", "\"" + s + "\" listed twice");
        } else {
          e.levels.push_back(lv);
        }
      }
    }
  }

  if (adaptive) read_adaptive(c, doc["replicates"], e);

  // Variants.
  std::set<std::string> names;
  if (!doc.contains("variants")) {
    c.problem("variants", "missing, expected an array of {\"name\": ..., \"set\": {...}}");
  } else if (!doc["variants"].is_array() || doc["variants"].empty()) {
    c.problem("variants", "found " + describe(doc["variants"]) + ", expected a non-empty array of {\"name\": ..., \"set\": {...}}");
  } else {
    for (std::size_t i = 0; i < doc["variants"].size(); ++i) {
      const json& v = doc["variants"][i];
      const std::string at = "variants[" + std::to_string(i) + "]";
      if (!v.is_object()) {
        c.problem(at, "found " + describe(v) + ", expected an object with name and set");
        continue;
      }
      c.only_keys(v, at, {"name", "set", "description"});
      (void)c.string(v, "description", at, false);
      Variant var;
      if (const auto n = c.string(v, "name", at, true)) {
        if (!valid_name(*n)) c.problem(at + ".name", "found \"" + *n + "\", expected letters, digits, '-', '_' or '.'");
        else if (!names.insert(*n).second) c.problem(at + ".name", "\"" + *n + "\" used twice, expected unique variant names");
        var.name = *n;
      }
      if (v.contains("set")) {
        if (!v["set"].is_object()) {
          c.problem(at + ".set", "found " + describe(v["set"]) + ", expected an object of \"path\": value");
        } else {
          for (auto it = v["set"].begin(); it != v["set"].end(); ++it) {
            if (std::find(kReserved.begin(), kReserved.end(), it.key()) != kReserved.end()) {
              c.problem(at + ".set" + quoted(it.key()), "is set by the experiment (years, seed, replicates), expected a model parameter");
              continue;
            }
            var.set.push_back({it.key(), it.value().dump()});
          }
        }
      }
      e.variants.push_back(var);
    }
  }
  if (const auto b = c.string(doc, "baseline", "", false)) {
    const auto it = std::find_if(e.variants.begin(), e.variants.end(), [&](const Variant& v) { return v.name == *b; });
    if (it == e.variants.end()) {
      const auto near = nearest(*b, std::vector<std::string>(names.begin(), names.end()));
      c.problem("baseline", "found \"" + *b + "\", expected the name of a variant" + (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
    } else {
      e.baseline = static_cast<std::size_t>(it - e.variants.begin());
    }
  }
  {  // the question asked: named contrasts and the smallest effect that matters (contrasts.hpp)
    std::vector<std::string> outcome_names;
    for (const Metric m : e.outcomes) outcome_names.emplace_back(metric_name(m));
    check_contrasts(c, doc, std::vector<std::string>(names.begin(), names.end()), outcome_names);
  }
  if (doc.contains("design")) read_design(c, doc["design"], e);
  if (e.adaptive.enabled() && doc.contains("design"))
    c.problem("replicates.adaptive", "cannot be combined with a design, expected a fixed number of replicates with design");
  if (doc.contains("uncertainty")) read_uncertainty(c, doc["uncertainty"], e);
  if (e.burn_in_branching) {
    for (std::size_t i = 0; i < e.variants.size(); ++i)
      for (const auto& o : e.variants[i].set)
        if (!acts_only_after_start(o.path))
          c.problem("variants[" + std::to_string(i) + "].set" + quoted(o.path),
                    "acts before week 0, which burn_in_branching does not allow; expected a parameter whose stage is "
                    "programme (`wijksim params`, column stage)");
    for (const auto& par : e.design.parameters)
      if (!acts_only_after_start(par.path))
        c.problem("design.parameters" + quoted(par.path), "acts before week 0, which burn_in_branching does not allow");
  }
  for (const auto& var : e.variants)
    for (const auto& o : var.set)
      for (const auto& par : e.design.parameters)
        if (o.path == par.path)
          c.problem("design.parameters" + quoted(par.path), "also set by variant \"" + var.name + "\", expected each parameter set in one place");
  // Every cell is loaded now, so a bad override fails before anything runs; problems of the
  // file itself and of its overrides are reported together.
  std::vector<Problem> problems = c.problems();
  std::error_code ec;
  if (e.scenario_file.empty() || !fs::is_regular_file(e.scenario_file, ec)) throw InputError(problems);
  try {
    e.scenario = read_json_file(e.scenario_file);
  } catch (const InputError& err) {
    problems.insert(problems.end(), err.problems().begin(), err.problems().end());
    throw InputError(problems);
  }
  if (e.uncertainty.enabled()) {
    if (e.uncertainty.source == "prior") {
      bool taken = false;
      for (std::size_t j = 0; j < e.uncertainty.only.size(); ++j)
        if (set_elsewhere(e, e.uncertainty.only[j])) {
          taken = true;
          problems.push_back(
              {file, "uncertainty.parameters[" + std::to_string(j) + "]",
               "found \"" + e.uncertainty.only[j] +
                   "\", which the scenario, a variant or the design sets; expected a parameter left free to draw"});
        }
      if (taken) throw InputError(problems);
      draw_from_prior(e);
    } else {
      if (e.uncertainty.file.empty())
        e.uncertainty.file = (fs::path(e.scenario_file).parent_path() / "calibration" / "posterior.json").lexically_normal().string();
      try {
        draw_from_posterior(e, read_posterior(e.uncertainty.file));
      } catch (const InputError& err) {
        problems.push_back({file, "uncertainty", "the posterior " + e.uncertainty.file + " cannot be used:"});
        problems.insert(problems.end(), err.problems().begin(), err.problems().end());
        throw InputError(problems);
      }
    }
  }
  const json& scenario = e.scenario;
  std::set<std::string> seen;  // one report per place: a design repeats the same problem many times
  auto report = [&](const Problem& p) {
    if (seen.insert(p.file + "\x1f" + p.path).second) problems.push_back(p);
  };
  for (std::size_t v = 0; v < e.variants.size(); ++v) {
    for (std::size_t k = 0; k < e.design_points(); ++k) {
      Cell cell;
      cell.variant = v;
      cell.design_point = e.design.points.empty() ? -1 : static_cast<int>(k);
      std::vector<Origin> origins;
      if (e.years > 0) {
        cell.overrides.push_back({"simulation.years", number_text(e.years)});
        origins.push_back({"years", ""});
      }
      const std::string vat = "variants[" + std::to_string(v) + "].set";
      for (const auto& o : e.variants[v].set) {
        cell.overrides.push_back(o);
        origins.push_back({vat + quoted(o.path), "variant \"" + e.variants[v].name + "\""});
      }
      if (cell.design_point >= 0) {
        for (std::size_t j = 0; j < e.design.parameters.size(); ++j) {
          const auto& par = e.design.parameters[j];
          cell.overrides.push_back({par.path, number_text(e.design.points[k][j])});
          origins.push_back({"design.parameters" + quoted(par.path),
                             "design point " + std::to_string(k) + ", value " + number_text(e.design.points[k][j])});
        }
      }
      try {
        cell.scenario_hash = load_scenario_json(scenario, e.scenario_file, cell.overrides).hash;
      } catch (const InputError& err) {
        for (const auto& p : err.problems()) {
          // Problems the scenario checker tied to an override ("--set PATH[=VALUE]") belong to
          // the experiment file; the rest are the scenario file's own.
          if (p.file.rfind("--set ", 0) != 0) {
            report(p);
            continue;
          }
          const std::string what = p.file.substr(6);
          std::size_t i = 0;
          for (; i < cell.overrides.size(); ++i)
            if (what == cell.overrides[i].text() || what == checker_path(cell.overrides[i].path)) break;
          if (i == cell.overrides.size()) {
            report({file, "variants[" + std::to_string(v) + "]", p.path + ": " + p.message});
            continue;
          }
          std::string msg = p.message;
          if (p.path != cell.overrides[i].path && p.path != checker_path(cell.overrides[i].path)) msg = p.path + ": " + msg;
          if (!origins[i].detail.empty()) msg += " (" + origins[i].detail + ")";
          report({file, origins[i].path, msg});
        }
      }
      e.cells.push_back(std::move(cell));
    }
  }
  // Every parameter set with the baseline's overrides: a set that contradicts the scenario
  // (cost_min above its cost_max, say) is refused before anything runs.
  if (problems.empty() && e.uncertainty.enabled()) {
    const Cell& base = e.cells[e.baseline * e.design_points()];
    for (std::size_t i = 0; i < e.uncertainty.sets.size(); ++i) {
      auto overrides = base.overrides;
      for (auto& o : e.uncertainty.overrides(i)) overrides.push_back(std::move(o));
      try {
        (void)load_scenario_json(scenario, e.scenario_file, overrides);
      } catch (const InputError& err) {
        std::string what;
        for (const auto& p : err.problems()) what += (what.empty() ? "" : "; ") + p.path + ": " + p.message;
        report({file, "uncertainty", "parameter set " + std::to_string(i) + " is refused by the scenario: " + what});
      }
    }
  }
  if (!problems.empty()) throw InputError(problems);
  return e;
}

std::vector<Override> Uncertainty::overrides(std::size_t i) const {
  std::vector<Override> out;
  out.reserve(parameters.size());
  for (std::size_t j = 0; j < parameters.size(); ++j) out.push_back({parameters[j], number_text(sets.at(i)[j])});
  return out;
}

Posterior read_posterior(const std::string& file) {
  const json doc = read_json_file(file);
  JsonChecker c(file);
  Posterior post;
  if (!doc.is_object()) throw InputError(std::vector<Problem>{{file, "", "found " + describe(doc) + ", expected an object"}});
  c.only_keys(doc, "", {"description", "method", "parameters", "draws", "weights", "notes", "abc", "provenance"});
  if (!doc.contains("parameters") || !doc["parameters"].is_array() || doc["parameters"].empty()) {
    c.problem("parameters", "expected a non-empty array of parameter paths");
  } else {
    for (std::size_t j = 0; j < doc["parameters"].size(); ++j) {
      const json& v = doc["parameters"][j];
      const ParamDef* d = v.is_string() ? find_param(v.get<std::string>()) : nullptr;
      if (!d || !(d->kind == ParamKind::real || d->kind == ParamKind::integer))
        c.problem("parameters[" + std::to_string(j) + "]", "found " + describe(v) + ", expected a numeric parameter of the table");
      else
        post.parameters.push_back(d->path);
    }
  }
  if (!doc.contains("draws") || !doc["draws"].is_array() || doc["draws"].empty()) {
    c.problem("draws", "expected a non-empty array of parameter sets (arrays of numbers, one per parameter)");
  } else if (c.problems().empty()) {
    for (std::size_t i = 0; i < doc["draws"].size(); ++i) {
      const json& row = doc["draws"][i];
      const std::string at = "draws[" + std::to_string(i) + "]";
      if (!row.is_array() || row.size() != post.parameters.size()) {
        c.problem(at, "found " + describe(row) + ", expected an array of " + std::to_string(post.parameters.size()) + " numbers");
        continue;
      }
      std::vector<double> values;
      for (std::size_t j = 0; j < row.size(); ++j) {
        const ParamDef& d = *find_param(post.parameters[j]);
        if (!row[j].is_number() || !std::isfinite(row[j].get<double>()) || row[j].get<double>() < d.min || row[j].get<double>() > d.max)
          c.problem(at + "[" + std::to_string(j) + "]", "found " + row[j].dump() + ", expected a number in [" + number_text(d.min) +
                                                              ", " + number_text(d.max) + "] for " + d.path);
        else
          values.push_back(row[j].get<double>());
      }
      post.draws.push_back(std::move(values));
    }
  }
  if (!c.problems().empty()) throw InputError(c.problems());
  return post;
}

bool acts_only_after_start(const std::string& path) {
  // The stage each row and scenario entry declares (checked by the property test "every row
  // of the parameter table acts from its declared stage"); an unknown path is refused anyway.
  const auto stage = stage_of(path);
  return stage && *stage == ParamStage::programme;
}

ScenarioSpec load_cell(const Experiment& e, const Cell& c) { return load_scenario_json(e.scenario, e.scenario_file, c.overrides); }

ScenarioSpec load_cell(const Experiment& e, const Cell& c, std::uint32_t replicate) {
  if (!e.uncertainty.enabled()) return load_cell(e, c);
  auto overrides = c.overrides;
  for (auto& o : e.uncertainty.overrides(e.uncertainty.set_of(replicate))) overrides.push_back(std::move(o));
  return load_scenario_json(e.scenario, e.scenario_file, overrides);
}

}  // namespace wijksim::experiment
