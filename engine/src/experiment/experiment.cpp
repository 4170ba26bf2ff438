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
                        "baseline", "levels", "interval", "design", "burn_in_branching"});
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
  if (doc.contains("design")) read_design(c, doc["design"], e);
  if (e.adaptive.enabled() && doc.contains("design"))
    c.problem("replicates.adaptive", "cannot be combined with a design, expected a fixed number of replicates with design");
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
  if (!problems.empty()) throw InputError(problems);
  return e;
}

bool acts_only_after_start(const std::string& path) {
  // The stage each row and scenario entry declares (checked by the property test "every row
  // of the parameter table acts from its declared stage"); an unknown path is refused anyway.
  const auto stage = stage_of(path);
  return stage && *stage == ParamStage::programme;
}

ScenarioSpec load_cell(const Experiment& e, const Cell& c) { return load_scenario_json(e.scenario, e.scenario_file, c.overrides); }

}  // namespace wijksim::experiment
