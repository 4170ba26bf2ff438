// Calibration files (docs/CALIBRATION.md), validated as strictly as experiment files: every
// problem at once, with file and JSON path; unknown keys and names get the nearest valid one.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>

#include "wijksim/calibration/calibration.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/core/rng.hpp"
#include "wijksim/experiment/experiment.hpp"
#include "wijksim/scenario/json_checker.hpp"
#include "wijksim/scenario/param_table.hpp"

namespace wijksim::calibration {

using json = nlohmann::json;
namespace fs = std::filesystem;
using experiment::number_text;

namespace {

// Metrics that are ratios of tallies, so pooling buurten, weeks and scenarios is meaningful.
const std::vector<Metric> kTargetMetrics = {Metric::active_share,        Metric::unsafe_share,      Metric::trust_share,
                                            Metric::mean_trust,          Metric::mean_social_trust, Metric::collective_efficacy,
                                            Metric::disorder,            Metric::reached_share,
                                            Metric::victim_share,        Metric::unsafe_share_victims, Metric::unsafe_share_nonvictims};

// Paths the calibration decides itself.
bool reserved(const std::string& path) {
  return path.rfind("simulation.", 0) == 0 || path.rfind("output.", 0) == 0 || path == "programme.enabled";
}

void read_parameters(JsonChecker& c, const json& doc, Calibration& cal) {
  if (!doc.contains("parameters")) {
    c.problem("parameters", "missing, expected an object of \"path\": {\"range\": [low, high]}");
    return;
  }
  const json& ps = doc["parameters"];
  if (!ps.is_object() || ps.empty()) {
    c.problem("parameters", "found " + describe(ps) + ", expected a non-empty object of \"path\": {\"range\": [low, high]}");
    return;
  }
  std::vector<std::string> reals;
  for (const auto& d : param_table())
    if (d.kind == ParamKind::real && !reserved(d.path)) reals.push_back(d.path);
  for (auto it = ps.begin(); it != ps.end(); ++it) {
    const std::string at = "parameters" + quoted(it.key());
    const ParamDef* def = find_param(it.key());
    if (!def) {
      c.problem(at, "unknown parameter" + hint(nearest(it.key(), reals)) + (nearest(it.key(), reals).empty() ? "; see `wijksim params`" : ""));
      continue;
    }
    if (reserved(it.key())) {
      c.problem(at, "is set by the calibration itself (years, seed, replicates, no programme), expected a model parameter");
      continue;
    }
    if (def->kind != ParamKind::real) {
      c.problem(at, "is not a real-valued parameter, expected one the simplex can move continuously");
      continue;
    }
    const json& p = it.value();
    if (!p.is_object()) {
      c.problem(at, "found " + describe(p) + ", expected {\"range\": [low, high]} (optionally \"start\")");
      continue;
    }
    c.only_keys(p, at, {"range", "start"});
    FreeParameter fp;
    fp.path = it.key();
    fp.default_value = def->default_value;
    bool ok = true;
    if (!p.contains("range")) {
      c.problem(at + ".range", "missing, expected [low, high] within [" + number_text(def->min) + ", " + number_text(def->max) + "]");
      ok = false;
    } else {
      const json& r = p["range"];
      if (!r.is_array() || r.size() != 2 || !r[0].is_number() || !r[1].is_number() || !(r[0].get<double>() < r[1].get<double>())) {
        c.problem(at + ".range", "found " + (r.is_array() ? r.dump() : describe(r)) + ", expected [low, high] with low < high");
        ok = false;
      } else if (r[0].get<double>() < def->min || r[1].get<double>() > def->max) {
        c.problem(at + ".range", "found " + r.dump() + ", expected a range within the parameter's valid range [" +
                                     number_text(def->min) + ", " + number_text(def->max) + "]");
        ok = false;
      } else {
        fp.low = r[0].get<double>();
        fp.high = r[1].get<double>();
      }
    }
    if (ok) {
      fp.start = std::clamp(def->default_value, fp.low, fp.high);
      if (const auto s = c.number(p, "start", at, fp.low, fp.high, false)) fp.start = *s;
      cal.parameters.push_back(fp);
    }
  }
}

struct ScenarioName {
  std::size_t target;
  std::string at, name;
};

void read_targets(JsonChecker& c, const json& doc, Calibration& cal, std::vector<ScenarioName>& scenario_names) {
  if (!doc.contains("targets")) {
    c.problem("targets", "missing, expected an array of {\"name\", \"metric\", \"value\", \"tolerance\"}");
    return;
  }
  const json& ts = doc["targets"];
  if (!ts.is_array() || ts.empty()) {
    c.problem("targets", "found " + describe(ts) + ", expected a non-empty array of {\"name\", \"metric\", \"value\", \"tolerance\"}");
    return;
  }
  std::vector<std::string> metric_names;
  for (Metric m : kTargetMetrics) metric_names.emplace_back(metric_name(m));
  std::set<std::string> names;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const std::string at = "targets[" + std::to_string(i) + "]";
    const json& t = ts[i];
    if (!t.is_object()) {
      c.problem(at, "found " + describe(t) + ", expected an object with name, metric, value and tolerance");
      continue;
    }
    c.only_keys(t, at, {"name", "metric", "group", "scenario", "statistic", "value", "tolerance", "weight", "source"});
    Target tg;
    bool ok = true;
    if (const auto n = c.string(t, "name", at, true)) {
      if (!names.insert(*n).second) {
        c.problem(at + ".name", "\"" + *n + "\" used twice, expected unique target names");
        ok = false;
      }
      tg.name = *n;
    } else ok = false;
    if (const auto m = c.string(t, "metric", at, true)) {
      const auto it = std::find(metric_names.begin(), metric_names.end(), *m);
      if (it == metric_names.end()) {
        c.problem(at + ".metric", "found \"" + *m + "\", expected a share or mean metric (" + [&] {
          std::string s;
          for (const auto& n : metric_names) s += (s.empty() ? "" : ", ") + n;
          return s;
        }() + ")" + hint(nearest(*m, metric_names)));
        ok = false;
      } else {
        tg.metric = kTargetMetrics[static_cast<std::size_t>(it - metric_names.begin())];
      }
    } else ok = false;
    if (const auto g = c.string(t, "group", at, false)) {
      if (*g == "all") tg.group = Group::all;
      else if (*g == "deprived") tg.group = Group::deprived;
      else if (*g == "well_off") tg.group = Group::well_off;
      else {
        c.problem(at + ".group", "found \"" + *g + "\", expected all, deprived (d >= 0.7) or well_off (d <= 0.2)" +
                                     hint(nearest(*g, {"all", "deprived", "well_off"})));
        ok = false;
      }
    } else if (t.contains("group")) ok = false;
    if (const auto s = c.string(t, "statistic", at, false)) {
      if (*s == "pooled") tg.statistic = Statistic::pooled;
      else if (*s == "between_sd") tg.statistic = Statistic::between_sd;
      else {
        c.problem(at + ".statistic", "found \"" + *s + "\", expected pooled or between_sd (the spread between the scenarios)" +
                                         hint(nearest(*s, {"pooled", "between_sd"})));
        ok = false;
      }
    } else if (t.contains("statistic")) ok = false;
    if (const auto s = c.string(t, "scenario", at, false)) {
      // Matched after the scenarios are read: by the name in "scenarios" or the city code.
      scenario_names.push_back({cal.targets.size(), at + ".scenario", *s});
    } else if (t.contains("scenario")) ok = false;
    if (const auto v = c.number(t, "value", at, -1e9, 1e9, true)) tg.value = *v; else ok = false;
    if (const auto v = c.number(t, "tolerance", at, 0, 1e9, true, true)) tg.tolerance = *v; else ok = false;
    if (t.contains("weight")) {
      if (const auto v = c.number(t, "weight", at, 0, 1e6, false)) tg.weight = *v; else ok = false;
    }
    if (const auto s = c.string(t, "source", at, false)) tg.source = *s;
    else if (t.contains("source")) ok = false;
    // The objective sums weight x ((simulated - value) / tolerance)^2: a tolerance so small that
    // a miss of the target's own size overflows would make every fit "inf" and every
    // parameter look perfectly identified.
    if (ok) {
      const double miss = 2 * std::max(1.0, std::fabs(tg.value)) / tg.tolerance;
      if (!std::isfinite(tg.weight * miss * miss * 1e6))
        c.problem(at + ".tolerance", "found " + number_text(tg.tolerance) + ", too small: the objective would overflow to infinity; "
                                                                            "expected a tolerance of at least about " +
                                         number_text(2 * std::max(1.0, std::fabs(tg.value)) * 1e-150));
      if (!std::isfinite(tg.weight * miss * miss * 1e6)) ok = false;
    }
    if (ok) cal.targets.push_back(tg);
    else if (!scenario_names.empty() && scenario_names.back().target == cal.targets.size() && scenario_names.back().at == at + ".scenario")
      scenario_names.pop_back();
  }
}

void read_optimiser(JsonChecker& c, const json& doc, Calibration& cal) {
  if (!doc.contains("optimiser")) return;
  const json& o = doc["optimiser"];
  if (!o.is_object()) {
    c.problem("optimiser", "found " + describe(o) + ", expected an object such as {\"method\": \"nelder-mead\", \"max_evaluations\": 150}");
    return;
  }
  c.only_keys(o, "optimiser", {"method", "max_evaluations", "restarts", "initial_step", "xtol", "ftol", "fd_step"});
  auto& s = cal.optimiser;
  if (const auto m = c.string(o, "method", "optimiser", false)) {
    if (*m != "nelder-mead" && *m != "sbplx" && *m != "bobyqa")
      c.problem("optimiser.method", "found \"" + *m + "\", expected nelder-mead, sbplx or bobyqa (NLopt)" +
                                        hint(nearest(*m, {"nelder-mead", "sbplx", "bobyqa"})));
    else
      s.method = *m;
  }
  if (const auto v = c.integer(o, "max_evaluations", "optimiser", 0, 100000, false)) s.max_evaluations = static_cast<int>(*v);
  if (const auto v = c.integer(o, "restarts", "optimiser", 0, 20, false)) s.restarts = static_cast<int>(*v);
  if (const auto v = c.number(o, "initial_step", "optimiser", 0, 1, false, true)) s.initial_step = *v;
  if (const auto v = c.number(o, "xtol", "optimiser", 0, 1, false, true)) s.xtol = *v;
  if (const auto v = c.number(o, "ftol", "optimiser", 0, 1e9, false)) s.ftol = *v;
  if (const auto v = c.number(o, "fd_step", "optimiser", 0, 0.25, false, true)) s.fd_step = *v;
}

}  // namespace

const char* group_name(Group g) {
  switch (g) {
    case Group::all: return "all";
    case Group::deprived: return "deprived";
    case Group::well_off: return "well_off";
  }
  return "?";
}

bool in_group(Group g, double d) {
  switch (g) {
    case Group::all: return true;
    case Group::deprived: return d >= deprived_min;
    case Group::well_off: return d <= well_off_max;
  }
  return false;
}

std::vector<Override> point_overrides(const Calibration& c, const std::vector<double>& x) {
  std::vector<Override> o;
  if (c.years > 0) o.push_back({"simulation.years", number_text(c.years)});
  o.push_back({"programme.enabled", "false"});
  o.insert(o.end(), c.set.begin(), c.set.end());
  for (std::size_t j = 0; j < c.parameters.size() && j < x.size(); ++j) o.push_back({c.parameters[j].path, number_text(x[j])});
  return o;
}

Calibration load_calibration_file(const std::string& file) { return load_calibration_json(read_json_file(file), file); }

Calibration load_calibration_json(const json& doc, const std::string& file) {
  JsonChecker c(file);
  Calibration cal;
  cal.file = file;
  cal.document = doc;
  const std::string canonical = doc.dump();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(canonical.data(), canonical.size())));
  cal.hash = hex;
  if (!doc.is_object())
    throw InputError(std::vector<Problem>{{file, "", "found " + describe(doc) + " at the top level, expected an object"}});
  c.only_keys(doc, "", {"description", "notes", "scenario", "scenarios", "years", "replicates", "seed", "average_weeks", "set",
                        "parameters", "targets", "optimiser"});
  (void)c.string(doc, "description", "", false);
  (void)c.string(doc, "notes", "", false);

  // Scenarios: one ("scenario") or several ("scenarios"), relative to this file.
  std::vector<std::pair<std::string, std::string>> given;  // (JSON path, text)
  if (doc.contains("scenario") && doc.contains("scenarios")) {
    c.problem("scenarios", "given together with \"scenario\", expected one of the two");
  } else if (doc.contains("scenario")) {
    if (const auto s = c.string(doc, "scenario", "", true)) given.emplace_back("scenario", *s);
  } else if (doc.contains("scenarios")) {
    const json& ss = doc["scenarios"];
    if (!ss.is_array() || ss.empty()) c.problem("scenarios", "found " + describe(ss) + ", expected a non-empty array of scenario files");
    else
      for (std::size_t i = 0; i < ss.size(); ++i) {
        const std::string at = "scenarios[" + std::to_string(i) + "]";
        if (!ss[i].is_string() || ss[i].get<std::string>().empty()) c.problem(at, "found " + describe(ss[i]) + ", expected a scenario file");
        else given.emplace_back(at, ss[i].get<std::string>());
      }
  } else {
    c.problem("scenario", "missing, expected \"scenario\": FILE or \"scenarios\": [FILE, ...] (relative to the calibration file)");
  }
  // Aligned with cal.scenario_files (a missing or repeated file is in neither): the JSON path
  // and the text as given of each resolved scenario.
  std::vector<std::string> scenario_paths;
  std::vector<std::string> scenario_texts;
  for (const auto& [at, s] : given) {
    fs::path p(s);
    if (p.is_relative()) p = fs::path(file).parent_path() / p;
    const std::string resolved = p.lexically_normal().string();
    std::error_code ec;
    if (!fs::is_regular_file(resolved, ec)) {
      c.problem(at, "found \"" + s + "\", but " + resolved + " is not a file; expected a scenario file (relative paths are relative to the calibration file)");
      continue;
    }
    if (std::find(cal.scenario_files.begin(), cal.scenario_files.end(), resolved) != cal.scenario_files.end()) {
      c.problem(at, "\"" + s + "\" listed twice, expected each scenario once");
      continue;
    }
    cal.scenario_files.push_back(resolved);
    scenario_paths.push_back(at);
    scenario_texts.push_back(s);
  }

  if (const auto y = c.number(doc, "years", "", 0.02, 100, false)) cal.years = *y;
  cal.replicates = static_cast<std::uint32_t>(c.integer(doc, "replicates", "", 2, 10000, true).value_or(0));
  cal.seed = static_cast<std::uint64_t>(c.integer(doc, "seed", "", 0, 2147483647, false).value_or(1));
  cal.average_weeks = static_cast<int>(c.integer(doc, "average_weeks", "", 1, 5200, false).value_or(1));
  if (doc.contains("set")) {
    if (!doc["set"].is_object()) {
      c.problem("set", "found " + describe(doc["set"]) + ", expected an object of \"path\": value");
    } else {
      for (auto it = doc["set"].begin(); it != doc["set"].end(); ++it) {
        if (reserved(it.key())) c.problem("set" + quoted(it.key()), "is set by the calibration itself, expected a model parameter");
        else if (doc.contains("parameters") && doc["parameters"].is_object() && doc["parameters"].contains(it.key()))
          c.problem("set" + quoted(it.key()), "is also a free parameter, expected each parameter in one place");
        else cal.set.push_back({it.key(), it.value().dump()});
      }
    }
  }
  read_parameters(c, doc, cal);
  std::vector<ScenarioName> scenario_names;
  read_targets(c, doc, cal, scenario_names);
  read_optimiser(c, doc, cal);
  if (cal.years > 0 && cal.average_weeks > static_cast<int>(cal.years * 52.0 + 0.5))
    c.problem("average_weeks", "found " + std::to_string(cal.average_weeks) + ", expected at most the simulated weeks (" +
                                   number_text(std::round(cal.years * 52.0)) + ")");

  // Each scenario is loaded with the start point, so bad overrides and ranges fail before any
  // run; problems the scenario checker ties to an override belong to this file.
  std::vector<Problem> problems = c.problems();
  std::vector<double> start;
  for (const auto& p : cal.parameters) start.push_back(p.start);
  const std::vector<Override> overrides = point_overrides(cal, start);
  std::set<std::string> seen;
  std::vector<bool> has_group(3, false);
  for (std::size_t k = 0; k < cal.scenario_files.size(); ++k) {
    try {
      cal.scenarios.push_back(read_json_file(cal.scenario_files[k]));
      const ScenarioSpec spec = load_scenario_json(cal.scenarios.back(), cal.scenario_files[k], overrides);
      cal.scenario_labels.push_back(spec.city.code + " " + spec.city.name);
      for (const auto& w : spec.city.wijken)
        for (const auto& b : w.buurten)
          for (Group g : {Group::all, Group::deprived, Group::well_off})
            if (in_group(g, b.deprivation)) has_group[static_cast<std::size_t>(g)] = true;
    } catch (const InputError& err) {
      for (const auto& p : err.problems()) {
        Problem q = p;
        if (p.file.rfind("--set ", 0) == 0) {
          const std::string what = p.file.substr(6);
          std::string origin = scenario_paths[k];
          for (const auto& o : overrides)
            if (what == o.text() || what == checker_path(o.path) || what == o.path) {
              const bool free = std::any_of(cal.parameters.begin(), cal.parameters.end(), [&](const FreeParameter& f) { return f.path == o.path; });
              origin = free ? "parameters" + quoted(o.path) + ".start" : "set" + quoted(o.path);
            }
          q = {file, origin, p.path + ": " + p.message};
        }
        if (seen.insert(q.file + "\x1f" + q.path + "\x1f" + q.message).second) problems.push_back(q);
      }
    }
  }
  // Targets of one place: matched by city code or by the name in "scenarios" once every
  // scenario has loaded (their city codes are known only then).
  if (cal.scenario_labels.size() == cal.scenario_files.size()) {
    for (const auto& sn : scenario_names) {
      int found = -1;
      for (std::size_t k = 0; k < cal.scenario_files.size(); ++k) {
        const std::string code = cal.scenario_labels[k].substr(0, cal.scenario_labels[k].find(' '));
        if (sn.name == code || sn.name == scenario_texts[k]) found = static_cast<int>(k);
      }
      if (found < 0) {
        std::string list;
        for (std::size_t k = 0; k < cal.scenario_files.size() && k < 8; ++k)
          list += (list.empty() ? "" : ", ") + cal.scenario_labels[k].substr(0, cal.scenario_labels[k].find(' '));
        problems.push_back({file, sn.at, "found \"" + sn.name + "\", expected a scenario of this file by its city code or its name in \"scenarios\" (" + list + (cal.scenario_files.size() > 8 ? ", ..." : "") + ")"});
      } else {
        cal.targets[sn.target].scenario = found;
      }
    }
  }
  for (std::size_t i = 0; i < cal.targets.size(); ++i) {
    const bool one_place = std::any_of(scenario_names.begin(), scenario_names.end(), [&](const ScenarioName& s) { return s.target == i; });
    if (cal.targets[i].statistic == Statistic::between_sd && (one_place || given.size() < 2))
      problems.push_back({file, "targets[" + std::to_string(i) + "].statistic",
                          "between_sd needs at least two scenarios and no \"scenario\", expected the spread over all of them"});
  }
  if (problems.empty()) {
    for (std::size_t i = 0; i < cal.targets.size(); ++i)
      if (!has_group[static_cast<std::size_t>(cal.targets[i].group)])
        problems.push_back({file, "targets[" + std::to_string(i) + "].group",
                            std::string("\"") + group_name(cal.targets[i].group) + "\": no buurt of the scenarios is in this group, expected a scenario with " +
                                (cal.targets[i].group == Group::deprived ? "deprivation >= 0.7" : "deprivation <= 0.2")});
  }
  if (!problems.empty()) throw InputError(problems);
  return cal;
}

}  // namespace wijksim::calibration
