#include "sections.hpp"

#include "wijksim/core/units.hpp"
#include "wijksim/scenario/nearest_key.hpp"
#include "wijksim/scenario/presets.hpp"

namespace wijksim::scenario_sections {

using json = nlohmann::json;

namespace {

bool read_bool(JsonChecker& c, const json& obj, const std::string& key, const std::string& path, bool fallback) {
  if (!obj.contains(key)) return fallback;
  if (!obj[key].is_boolean()) {
    c.problem(JsonChecker::join(path, key), "found " + describe(obj[key]) + ", expected true or false");
    return fallback;
  }
  return obj[key].get<bool>();
}

PhaseKind phase_kind_of(JsonChecker& c, const std::string& s, const std::string& path, bool& ok) {
  for (std::size_t i = 0; i < phase_kind_names.size(); ++i)
    if (s == phase_kind_names[i]) return static_cast<PhaseKind>(i);
  std::vector<std::string> names(phase_kind_names.begin(), phase_kind_names.end());
  std::string msg = "found \"" + s + "\", expected one of urgentie, uitnodigen, visievorming, randvoorwaarden, uitvoeren";
  const auto near = nearest(s, names);
  if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
  c.problem(path, msg);
  ok = false;
  return PhaseKind::uitvoeren;
}

}  // namespace

void read_phases(JsonChecker& c, const json& arr, std::vector<PhaseSpec>& phases) {
  const std::string path = "programme.phases";
  if (!c.expect_array(arr, path)) return;
  if (arr.empty()) c.problem(path, "empty, expected at least one phase");
  phases.clear();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = JsonChecker::index(path, i);
    const auto& pj = arr[i];
    if (!c.expect_object(pj, p)) continue;
    c.only_keys(pj, p, {"name", "kind", "min_weeks", "max_weeks", "exit_reached_share", "activities",
                        "monitoring", "budget_open", "mobilising", "styled", "aligning", "organising"});
    bool ok = true;
    PhaseSpec ph;
    const auto kind = c.string(pj, "kind", p, true, true);
    if (kind) ph.kind = phase_kind_of(c, *kind, JsonChecker::join(p, "kind"), ok);
    // Defaults come from the same kind in the wendbaar plan, so a phase needs only its kind.
    for (const auto& d : preset_phases(PlanPreset::wendbaar))
      if (d.kind == ph.kind) ph = d;
    ph.name = c.string(pj, "name", p, false, true).value_or(kind.value_or("phase"));
    ph.min_weeks = c.number(pj, "min_weeks", p, 0, 5200, false).value_or(ph.min_weeks);
    ph.max_weeks = c.number(pj, "max_weeks", p, 0, 5200, false).value_or(ph.max_weeks);
    if (pj.contains("exit_reached_share") && pj["exit_reached_share"].is_null()) ph.exit_reached_share = -1;  // no exit condition
    else ph.exit_reached_share = c.number(pj, "exit_reached_share", p, 0, 1, false).value_or(ph.exit_reached_share);
    if (ph.max_weeks > 0 && ph.min_weeks > ph.max_weeks)
      c.problem(JsonChecker::join(p, "min_weeks"), "min_weeks " + number_text(ph.min_weeks) + " exceeds max_weeks " +
                                                   number_text(ph.max_weeks) + ", expected min_weeks <= max_weeks");
    if (pj.contains("activities")) {
      const std::string ap = JsonChecker::join(p, "activities");
      if (c.expect_object(pj["activities"], ap)) {
        const auto& a = pj["activities"];
        c.only_keys(a, ap, {"outreach", "vision", "support", "projects"});
        ph.activities.outreach = c.number(a, "outreach", ap, 0, 1, false).value_or(0);
        ph.activities.vision = c.number(a, "vision", ap, 0, 1, false).value_or(0);
        ph.activities.support = c.number(a, "support", ap, 0, 1, false).value_or(0);
        ph.activities.projects = c.number(a, "projects", ap, 0, 1, false).value_or(0);
        const double sum = ph.activities.outreach + ph.activities.vision + ph.activities.support + ph.activities.projects;
        if (sum <= 0) c.problem(ap, "all zero, expected activity weights with a positive sum");
      }
    }
    ph.monitoring = read_bool(c, pj, "monitoring", p, ph.monitoring);
    ph.budget_open = read_bool(c, pj, "budget_open", p, ph.budget_open);
    ph.mobilising = read_bool(c, pj, "mobilising", p, ph.mobilising);
    ph.styled = read_bool(c, pj, "styled", p, ph.styled);
    ph.aligning = read_bool(c, pj, "aligning", p, ph.aligning);
    ph.organising = read_bool(c, pj, "organising", p, ph.organising);
    phases.push_back(ph);
  }
}

void read_roles(JsonChecker& c, const json& arr, std::vector<RoleSpec>& roles) {
  const std::string path = "staff.roles";
  if (!c.expect_array(arr, path)) return;
  roles.clear();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = JsonChecker::index(path, i);
    const auto& rj = arr[i];
    if (!c.expect_object(rj, p)) continue;
    c.only_keys(rj, p, {"role", "employer", "domain", "fte_per_10k", "programme", "visible", "leader", "coordinator"});
    RoleSpec r;
    r.role = c.string(rj, "role", p, true, true).value_or("");
    r.employer = c.string(rj, "employer", p, false, true).value_or(role_defaults.employer);
    r.domain = c.string(rj, "domain", p, false, true).value_or(role_defaults.domain);
    r.fte_per_10k = c.number(rj, "fte_per_10k", p, 0, 1000, false).value_or(role_defaults.fte_per_10k);
    r.programme = read_bool(c, rj, "programme", p, role_defaults.programme);
    r.visible = read_bool(c, rj, "visible", p, role_defaults.visible);
    r.leader = read_bool(c, rj, "leader", p, role_defaults.leader);
    r.coordinator = read_bool(c, rj, "coordinator", p, role_defaults.coordinator);
    if (r.leader && r.coordinator) c.problem(JsonChecker::join(p, "coordinator"), "a role is either the process leader or a coordinator, not both");
    if (r.leader && !r.programme) c.problem(JsonChecker::join(p, "leader"), "a process leader must be a programme role (programme: true)");
    roles.push_back(r);
  }
}

void read_shocks(JsonChecker& c, const json& arr, std::vector<ShockSpec>& shocks, const CitySpec& city) {
  const std::string path = "shocks";
  if (!c.expect_array(arr, path)) return;
  std::set<std::string> wijk_codes;
  for (const auto& w : city.wijken) wijk_codes.insert(w.code);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = JsonChecker::index(path, i);
    const auto& sj = arr[i];
    if (!c.expect_object(sj, p)) continue;
    c.only_keys(sj, p, {"kind", "year", "week", "magnitude", "duration_weeks", "wijken"});
    ShockSpec s;
    if (auto k = c.string(sj, "kind", p, true, true)) {
      bool found = false;
      for (std::size_t j = 0; j < shock_kind_names.size(); ++j)
        if (*k == shock_kind_names[j]) {
          s.kind = static_cast<ShockKind>(j);
          found = true;
        }
      if (!found) {
        std::vector<std::string> names(shock_kind_names.begin(), shock_kind_names.end());
        std::string msg = "found \"" + *k + "\", expected one of budget_cut, incident_wave, staff_change, stop";
        const auto near = nearest(*k, names);
        if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
        c.problem(JsonChecker::join(p, "kind"), msg);
      }
    }
    if (sj.contains("year") && sj.contains("week")) c.problem(p, "both year and week given, expected one");
    if (auto y = c.number(sj, "year", p, 0, 100, false)) s.week = *y * weeks_per_year;
    else if (auto w = c.integer(sj, "week", p, 0, 5200, false)) s.week = static_cast<double>(*w);
    else if (!sj.contains("year") && !sj.contains("week")) c.problem(JsonChecker::join(p, "year"), "missing, expected year or week of the shock");
    const ShockPreset& preset = shock_presets[static_cast<std::size_t>(s.kind)];
    s.magnitude = c.number(sj, "magnitude", p, 0, 100, false).value_or(preset.magnitude);
    s.duration_weeks = c.number(sj, "duration_weeks", p, 0, 5200, false).value_or(preset.duration_weeks);
    if ((s.kind == ShockKind::budget_cut || s.kind == ShockKind::staff_change) && s.magnitude > 1)
      c.problem(JsonChecker::join(p, "magnitude"), "found " + number_text(s.magnitude) + ", expected a share in [0, 1] for " + shock_kind_names[static_cast<std::size_t>(s.kind)]);
    if (sj.contains("wijken") && c.expect_array(sj["wijken"], JsonChecker::join(p, "wijken"))) {
      for (std::size_t j = 0; j < sj["wijken"].size(); ++j) {
        const auto& v = sj["wijken"][j];
        const auto wp = JsonChecker::index(JsonChecker::join(p, "wijken"), j);
        if (!v.is_string()) c.problem(wp, "found " + describe(v) + ", expected a wijk code");
        else if (!wijk_codes.count(v.get<std::string>()))
          c.problem(wp, "unknown wijk \"" + v.get<std::string>() + "\", expected a code from city.wijken");
        else s.wijken.push_back(v.get<std::string>());
      }
    }
    shocks.push_back(s);
  }
}

std::vector<std::string> read_codes(JsonChecker& c, const json& obj, const std::string& key, const std::string& path,
                                    const std::set<std::string>& valid, const char* what) {
  std::vector<std::string> out;
  if (!obj.contains(key)) return out;
  const std::string p = JsonChecker::join(path, key);
  if (!c.expect_array(obj[key], p)) return out;
  std::vector<std::string> cands(valid.begin(), valid.end());
  for (std::size_t i = 0; i < obj[key].size(); ++i) {
    const auto& v = obj[key][i];
    const auto ip = JsonChecker::index(p, i);
    if (!v.is_string()) {
      c.problem(ip, "found " + describe(v) + ", expected a " + what + " code");
      continue;
    }
    const auto s = v.get<std::string>();
    if (!valid.count(s)) {
      std::string msg = "unknown " + std::string(what) + " \"" + s + "\", expected a code from city";
      const auto near = nearest(s, cands);
      if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
      c.problem(ip, msg);
      continue;
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace wijksim::scenario_sections
