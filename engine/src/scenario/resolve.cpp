#include "wijksim/scenario/resolve.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "wijksim/core/rng.hpp"
#include "wijksim/scenario/param_table.hpp"

namespace wijksim {

using ojson = nlohmann::ordered_json;

ojson phase_json(const PhaseSpec& p) {
  ojson j = {{"name", p.name}, {"kind", phase_kind_names[static_cast<std::size_t>(p.kind)]},
             {"min_weeks", p.min_weeks}, {"max_weeks", p.max_weeks}};
  j["exit_reached_share"] = p.exit_reached_share >= 0 ? ojson(p.exit_reached_share) : ojson(nullptr);  // null: none
  j["activities"] = {{"outreach", p.activities.outreach}, {"vision", p.activities.vision},
                     {"support", p.activities.support}, {"projects", p.activities.projects}};
  j["monitoring"] = p.monitoring;
  j["budget_open"] = p.budget_open;
  j["mobilising"] = p.mobilising;
  j["styled"] = p.styled;
  j["aligning"] = p.aligning;
  j["organising"] = p.organising;
  return j;
}

ojson role_json(const RoleSpec& ro) {
  return {{"role", ro.role}, {"employer", ro.employer}, {"domain", ro.domain}, {"fte_per_10k", ro.fte_per_10k},
          {"programme", ro.programme}, {"visible", ro.visible}, {"leader", ro.leader}, {"coordinator", ro.coordinator}};
}

namespace {

// A real parameter in the user's unit as recorded and hashed: the shortest decimal that, assigned
// back, gives the very double the model uses. Unit conversions add noise in the last digits
// (0.1 years read back as 0.09999999999999999), which this removes; values that differ in the
// model keep different text (no rounding to a fixed number of digits).
// `probe` is a scratch copy of p, left as it was.
double recorded_value(const ParamDef& d, const Params& p, Params& probe) {
  const double v = d.read(p);
  if (!std::isfinite(v)) return v;
  const double used = *d.real(const_cast<Params&>(p));
  double found = v;
  for (int digits = 1; digits <= 17; ++digits) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    const double candidate = std::strtod(buf, nullptr);
    d.assign(probe, candidate);
    if (std::memcmp(d.real(probe), &used, sizeof used) == 0) {
      found = candidate;
      break;
    }
  }
  *d.real(probe) = used;
  return found;
}

}  // namespace

// Every value in the user's units, for the manifest and the hash.
ojson resolve(const ScenarioSpec& s) {
  ojson r;
  Params probe = s.params;
  r["name"] = s.name;
  if (!s.description.empty()) r["description"] = s.description;
  r["start_date"] = s.start_date;
  for (const auto& d : param_table()) {
    ojson* node = &r;
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = d.path.find('.', start);
      const std::string key = d.path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (dot == std::string::npos) {
        const double v = d.read(s.params);
        switch (d.kind) {
          case ParamKind::boolean: (*node)[key] = v != 0; break;
          case ParamKind::choice: (*node)[key] = d.choices.at(static_cast<std::size_t>(v)); break;
          case ParamKind::integer: (*node)[key] = static_cast<long long>(v); break;
          case ParamKind::real: (*node)[key] = recorded_value(d, s.params, probe); break;
        }
        break;
      }
      node = &(*node)[key];
      start = dot + 1;
    }
  }
  ojson phases = ojson::array();
  for (const auto& p : s.phases) phases.push_back(phase_json(p));
  r["programme"]["phases"] = phases;
  r["programme"]["start_buurten"] = s.programme_start_buurten;
  r["programme"]["wijken"] = s.programme_wijken;
  ojson roles = ojson::array();
  for (const auto& ro : s.roles) roles.push_back(role_json(ro));
  r["staff"]["roles"] = roles;
  ojson shocks = ojson::array();
  for (const auto& sh : s.shocks)
    shocks.push_back({{"kind", shock_kind_names[static_cast<std::size_t>(sh.kind)]}, {"week", sh.week},
                      {"magnitude", sh.magnitude}, {"duration_weeks", sh.duration_weeks}, {"wijken", sh.wijken}});
  r["shocks"] = shocks;
  ojson city;
  city["code"] = s.city.code;
  city["name"] = s.city.name;
  if (!s.city.credit.empty()) city["credit"] = s.city.credit;
  ojson wijken = ojson::array();
  const char* classes[] = {"green", "orange", "red"};
  for (const auto& w : s.city.wijken) {
    ojson wj;
    wj["code"] = w.code;
    wj["name"] = w.name;
    if (w.wijk_class >= 0) wj["class"] = classes[w.wijk_class];
    ojson bs = ojson::array();
    for (const auto& b : w.buurten) {
      ojson age;
      for (int g = 0; g < cbs_age_group_count; ++g) age[cbs_age_groups[static_cast<std::size_t>(g)]] = b.age[static_cast<std::size_t>(g)];
      ojson bj = {{"code", b.code}, {"name", b.name}, {"residents", b.residents}, {"age", age},
                  {"deprivation", b.deprivation}, {"meeting_places", b.meeting_places}};
      if (b.owner_occupied >= 0) bj["owner_occupied"] = b.owner_occupied;
      if (b.recorded_crime_per_1000 >= 0) bj["recorded_crime_per_1000"] = b.recorded_crime_per_1000;
      bs.push_back(bj);
    }
    wj["buurten"] = bs;
    wijken.push_back(wj);
  }
  city["wijken"] = wijken;
  r["city"] = city;
  return r;
}

std::string scenario_hash(const ojson& resolved) {
  const std::string dump = resolved.dump();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(dump.data(), dump.size())));
  return hex;
}

}  // namespace wijksim
