// Property test (issue 7, "Invariants"): many random valid scenarios, every parameter drawn
// uniformly within the range the parameter table documents, small and tiny cities, a few
// years. Each one must load, build and run without an exception, with every state variable in
// range, nothing NaN or infinite and the counts conserved in every week, burn-in included.
// Draws are deterministic (fixed seed); a failing case prints its scenario as JSON, which
// `wijksim run` accepts as it is.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/core/thread_pool.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/scenario/param_table.hpp"
#include "wijksim/sim/invariants.hpp"
#include "wijksim/sim/metrics.hpp"
#include "wijksim/sim/simulation.hpp"

using nlohmann::json;

namespace {

// Writes value at a dotted path, creating objects on the way.
void put(json& doc, const std::string& path, const json& value) {
  json* node = &doc;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (dot == std::string::npos) {
      (*node)[key] = value;
      return;
    }
    node = &(*node)[key];
    start = dot + 1;
  }
}

double get(const json& doc, std::string path) {
  for (auto& ch : path)
    if (ch == '.') ch = '/';
  return doc.at(json::json_pointer("/" + path)).get<double>();
}

class Draw {
 public:
  explicit Draw(std::uint64_t seed) : rng_(seed) {}
  double uniform(double lo, double hi) { return lo + (hi - lo) * std::uniform_real_distribution<double>(0, 1)(rng_); }
  long long integer(long long lo, long long hi) { return std::uniform_int_distribution<long long>(lo, hi)(rng_); }
  bool chance(double p) { return uniform(0, 1) < p; }

 private:
  std::mt19937_64 rng_;
};

// Residents of one buurt: mostly small, sometimes empty or a single resident.
json random_buurt(Draw& d, const std::string& code) {
  json b = {{"code", code}, {"deprivation", d.uniform(0, 1)}, {"meeting_places", d.integer(0, 5)}};
  const double kind = d.uniform(0, 1);
  if (kind < 0.1) {
    b["residents"] = 0;
  } else if (kind < 0.2) {
    b["residents"] = 1;
    b["age"] = {{"0-15", 0}, {"15-25", 0}, {"25-45", 0}, {"45-65", 1}, {"65+", 0}};
  } else if (kind < 0.5) {
    // Explicit age groups, each group possibly empty.
    json age;
    long long sum = 0;
    for (const char* g : {"0-15", "15-25", "25-45", "45-65", "65+"}) {
      const long long n = d.chance(0.2) ? 0 : d.integer(0, 60);
      age[g] = n;
      sum += n;
    }
    b["age"] = age;
    b["residents"] = sum;
  } else {
    b["residents"] = d.integer(2, 300);
  }
  return b;
}

json random_scenario(Draw& d, int index) {
  json doc;
  doc["name"] = "property-" + std::to_string(index);
  for (const auto& def : wijksim::param_table()) {
    // The run itself is set below; output settings do not change the state.
    if (def.path.rfind("simulation.", 0) == 0 || def.path.rfind("output.", 0) == 0) continue;
    switch (def.kind) {
      case wijksim::ParamKind::real: put(doc, def.path, d.uniform(def.min, def.max)); break;
      case wijksim::ParamKind::integer:
        put(doc, def.path, d.integer(static_cast<long long>(def.min), static_cast<long long>(std::min(def.max, 1e6))));
        break;
      case wijksim::ParamKind::boolean: put(doc, def.path, d.chance(0.5)); break;
      case wijksim::ParamKind::choice:
        put(doc, def.path, def.choices[static_cast<std::size_t>(d.integer(0, static_cast<long long>(def.choices.size()) - 1))]);
        break;
    }
  }
  // Constraints between parameters that are each valid alone (load.cpp, "Contradictions").
  auto order = [&](const std::string& lo, const std::string& hi) {
    const double a = get(doc, lo), b = get(doc, hi);
    if (a > b) {
      put(doc, lo, b);
      put(doc, hi, a);
    }
  };
  order("network.ties_min", "network.ties_max");
  order("initiatives.cost_min", "initiatives.cost_max");
  order("classes.green.deprivation_max", "classes.orange.deprivation_max");
  order("governance.decision_weeks_anchored", "governance.decision_weeks_unanchored");
  order("incidents.disorder_min", "incidents.disorder_max");
  if (get(doc, "governance.first_election_after") > get(doc, "governance.election_interval"))
    put(doc, "governance.first_election_after", d.uniform(0, get(doc, "governance.election_interval")));
  const double physical = get(doc, "initiatives.theme_physical"), social = get(doc, "initiatives.theme_social");
  if (physical + social > 1) put(doc, "initiatives.theme_social", 1 - physical);
  const double fysiek = get(doc, "budget.domain_share.physical"), sociaal = get(doc, "budget.domain_share.social");
  if (fysiek + sociaal > 1) put(doc, "budget.domain_share.social", 1 - fysiek);
  // The longest preset plan needs 36 weeks before uitvoeren; 0 means no limit.
  const double breath = get(doc, "building_blocks.long_breath");
  if (breath > 0 && breath < 1) put(doc, "building_blocks.long_breath", 1 + breath);

  // A small explicit city: 1-3 wijken of 1-4 buurten, at least one adult somewhere.
  json wijken = json::array();
  std::vector<std::string> buurt_codes, wijk_codes;
  const long long nw = d.integer(1, 3);
  for (long long w = 0; w < nw; ++w) {
    json wj = {{"code", "WK" + std::to_string(w + 1)}};
    if (d.chance(0.3)) wj["class"] = std::vector<std::string>{"green", "orange", "red"}[static_cast<std::size_t>(d.integer(0, 2))];
    json buurten = json::array();
    const long long nb = d.integer(1, 4);
    for (long long b = 0; b < nb; ++b) {
      const std::string code = "BU" + std::to_string(w + 1) + std::to_string(b + 1);
      buurten.push_back(random_buurt(d, code));
      buurt_codes.push_back(code);
    }
    wj["buurten"] = buurten;
    wijk_codes.push_back(wj["code"]);
    wijken.push_back(wj);
  }
  wijken[0]["buurten"][0] = {{"code", "BU11"}, {"residents", d.integer(5, 200)}, {"deprivation", d.uniform(0, 1)}};
  doc["city"] = {{"code", "GM0000"}, {"name", "Eigenschapstad"}, {"wijken", wijken}};

  if (d.chance(0.5) || get(doc, "programme.rollout_after") > 0)
    doc["programme"]["start_buurten"] = {buurt_codes[static_cast<std::size_t>(d.integer(0, static_cast<long long>(buurt_codes.size()) - 1))]};
  if (d.chance(0.3)) doc["programme"]["wijken"] = {wijk_codes.front()};
  json shocks = json::array();
  for (long long k = d.integer(0, 2); k > 0; --k) {
    const char* kinds[] = {"budget_cut", "incident_wave", "staff_change", "stop"};
    const std::string kind = kinds[d.integer(0, 3)];
    json s = {{"kind", kind}, {"week", d.integer(0, 150)}, {"duration_weeks", d.integer(0, 30)}};
    s["magnitude"] = kind == "incident_wave" ? d.uniform(0, 100) : d.uniform(0, 1);
    if (d.chance(0.5)) s["wijken"] = {wijk_codes.back()};
    shocks.push_back(s);
  }
  doc["shocks"] = shocks;
  doc["simulation"] = {{"years", d.uniform(0.5, 3)}, {"burn_in", d.uniform(0, 1)}, {"replicates", 1},
                       {"seed", d.integer(0, 2147483647)}};
  return doc;
}

bool all_finite_non_negative(const wijksim::Tally& t) {
  for (double v : t)
    if (!std::isfinite(v) || v < 0) return false;
  return true;
}

// Every week: the engine's own invariants plus the tallies' counts against the city spec.
std::string check_week(const wijksim::Simulation& sim, double residents, double adults) {
  using wijksim::TallyField;
  if (std::string broken = wijksim::check_invariants(sim.world()); !broken.empty()) return broken;
  const auto& city = sim.city_tally();
  if (!all_finite_non_negative(city)) return "a city tally is negative or not finite";
  if (at(city, TallyField::residents) != residents || at(city, TallyField::adults) != adults)
    return "residents or adults not conserved";
  if (at(city, TallyField::active) > adults || at(city, TallyField::initiators) > at(city, TallyField::active) ||
      at(city, TallyField::unsafe) > adults || at(city, TallyField::trusting) > adults || at(city, TallyField::reached) > adults)
    return "more active, unsafe, trusting or reached residents than adults";
  for (const auto& t : sim.buurt_tallies())
    if (!all_finite_non_negative(t)) return "a buurt tally is negative or not finite";
  for (double m : wijksim::derive_metrics(city, sim.world()))
    if (!std::isfinite(m)) return "a city metric is not finite";
  for (const auto& post : sim.world().posts)
    if (!std::isfinite(post.hours) || post.hours < 0) return "a professional's hours are negative or not finite";
  const auto& prog = sim.world().programme;
  if (prog.phase >= static_cast<int>(sim.world().spec->phases.size())) return "programme phase out of range";
  return {};
}

}  // namespace

TEST_CASE("random valid scenarios keep every invariant", "[property]") {
  constexpr int kCases = 200;
  Draw d(20261122);
  int ran = 0;
  for (int k = 0; k < kCases; ++k) {
    const json doc = random_scenario(d, k);
    INFO("case " << k << ", scenario:\n" << doc.dump(2));
    wijksim::ScenarioSpec spec;
    try {
      spec = wijksim::load_scenario_json(doc, "property.json");
    } catch (const wijksim::InputError& e) {
      FAIL("a scenario drawn within the documented ranges was refused: " << e.what());
    }
    double residents = 0, adults = 0;
    for (const auto& w : spec.city.wijken)
      for (const auto& b : w.buurten) {
        residents += b.residents;
        adults += b.adults();
      }
    wijksim::ThreadPool pool(1 + static_cast<unsigned>(k % 2));
    std::string broken;
    try {
      wijksim::Simulation sim(spec, spec.params.simulation.seed, static_cast<std::uint32_t>(k), pool);
      while (!sim.done() && broken.empty()) {
        const auto week = sim.week();
        sim.step();
        broken = check_week(sim, residents, adults);
        if (!broken.empty()) broken = "week " + std::to_string(week) + ": " + broken;
      }
    } catch (const std::exception& e) {
      broken = std::string("exception: ") + e.what();
    }
    if (!broken.empty()) FAIL(broken);
    ++ran;
  }
  CHECK(ran == kCases);
}

// ---- Stages -------------------------------------------------------------------------------
// Every row of the parameter table declares the stage from which it acts (ParamStage). Each row
// is run both ways: from scratch with a perturbed value, and "branched" (built and burnt in with
// the default, the perturbed value swapped in at a given week, as burn-in branching does). The
// two agree exactly when the parameter did not act before the swap. Swapping at the build
// (burn-in 0) separates build rows; swapping at week 0 after a burn-in separates programme rows.

namespace {

using wijksim::ParamDef;
using wijksim::ParamStage;

// A tiny city with a green, an orange and a red wijk, the programme on, a start buurt (so the
// rollout matters) and an election, a budget round and a monitoring round inside the window.
json stage_scenario(double burn_in_years) {
  json doc = wijksim::test::explicit_scenario({{{300, 0.15}, {250, 0.25}}, {{350, 0.45}}, {{400, 0.8}, {300, 0.7}}}, 0.3,
                                              burn_in_years);
  doc["simulation"]["seed"] = 7;
  // Many initiatives (so the rows of their life cycle act during burn-in), a fourth style in
  // use and an election inside the observed weeks.
  doc["participation"] = {{"initiator_rate", 0.6}};
  doc["classes"] = {{"red", {{"style", "regisseren"}}}};
  doc["governance"] = {{"first_election_after", 0.1}};
  return doc;
}

constexpr double kBurnIn = 1.2;  // years: the budget round at week -52 and a year of processes
constexpr int kWeeksAfter = 13;  // observed weeks after the swap

// A value different from the default that the loader accepts: halfway to the top of the range,
// else halfway to the bottom; the next choice; the other boolean.
std::vector<std::string> perturbations(const ParamDef& d) {
  auto text = [](double v) {
    std::ostringstream os;
    os.precision(17);
    os << v;
    return os.str();
  };
  switch (d.kind) {
    case wijksim::ParamKind::boolean: return {d.default_value != 0 ? "false" : "true"};
    case wijksim::ParamKind::choice: {
      std::vector<std::string> out;
      for (std::size_t k = 1; k < d.choices.size(); ++k)
        out.push_back("\"" + d.choices[(static_cast<std::size_t>(d.default_value) + k) % d.choices.size()] + "\"");
      return out;
    }
    case wijksim::ParamKind::integer: {
      const double hi = std::min(d.max, d.default_value + 10), lo = std::max(d.min, d.default_value - 10);
      return {text(std::round((d.default_value + hi) / 2 + 0.5)), text(std::round((d.default_value + lo) / 2 - 0.5))};
    }
    case wijksim::ParamKind::real: {
      const double hi = std::min(d.max, std::max(2 * std::fabs(d.default_value), d.default_value + 1));
      return {text(d.default_value + (hi - d.default_value) / 2), text(d.default_value - (d.default_value - d.min) / 2)};
    }
  }
  return {};
}

// Tallies of every level for kWeeksAfter weeks from the simulation's current week.
std::vector<wijksim::Tally> observe_after(wijksim::Simulation& sim) {
  std::vector<wijksim::Tally> out;
  for (int k = 0; k < kWeeksAfter && !sim.done(); ++k) {
    sim.step();
    out.insert(out.end(), sim.buurt_tallies().begin(), sim.buurt_tallies().end());
    out.insert(out.end(), sim.wijk_tallies().begin(), sim.wijk_tallies().end());
    out.push_back(sim.city_tally());
  }
  return out;
}

bool same(const std::vector<wijksim::Tally>& a, const std::vector<wijksim::Tally>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!wijksim::test::same_bits(a[i], b[i])) return false;
  return true;
}

// Does the run with `set` differ from the run that switches to it at week 0 (after burn-in)?
struct StageProbe {
  double burn_in_years;
  json doc;
  wijksim::ScenarioSpec base_spec;
  wijksim::ThreadPool pool{1};
  std::optional<wijksim::Simulation> base;  // default parameters, stepped to week 0

  explicit StageProbe(double burn) : burn_in_years(burn), doc(stage_scenario(burn)) {
    base_spec = wijksim::test::load(doc);
    base.emplace(base_spec, 7, 0, pool);
    while (base->week() < 0) base->step();
  }
  // nullopt: the perturbed scenario is refused; else whether the two runs differ.
  std::optional<bool> differs(const std::string& path, const std::string& value) {
    wijksim::ScenarioSpec spec;
    try {
      spec = wijksim::test::load(doc, {{path, value}});
    } catch (const wijksim::InputError&) {
      return std::nullopt;
    }
    // Other roles are other posts: the copied world's posts would index roles the new spec
    // lacks, so that difference is decided without running (posts are made at the build).
    if (spec.resolved["staff"]["roles"] != base_spec.resolved["staff"]["roles"]) return true;
    wijksim::Simulation scratch(spec, 7, 0, pool);
    while (scratch.week() < 0) scratch.step();
    wijksim::Simulation branched = *base;
    branched.world().spec = &spec;
    branched.world().p = &spec.params;
    return !same(observe_after(scratch), observe_after(branched));
  }
};

// The stage the runs show: build if the row acts at the build, burn_in if only during burn-in,
// programme if neither. `seen` tells whether any perturbation was accepted.
ParamStage observed_stage(const ParamDef& d, StageProbe& at_build, StageProbe& after_burn_in, bool& seen) {
  bool build = false, burn = false;
  seen = false;
  for (const auto& v : perturbations(d)) {
    const auto b = at_build.differs(d.path, v);
    const auto a = after_burn_in.differs(d.path, v);
    if (!b || !a) continue;
    seen = true;
    build = build || *b;
    burn = burn || *a;
  }
  return build ? ParamStage::build : burn ? ParamStage::burn_in : ParamStage::programme;
}

// Rows whose declared stage the tiny city cannot show within its window (the runs then see a
// later stage than declared, never an earlier one), with the reason. Keep this list short:
// a row here is checked only in the safe direction.
const std::map<std::string, std::string> kNotShownHere = {
    {"classes.red.deprivation_max", "never read: red is what is neither green nor orange"},
    {"governance.election_interval", "the second election falls after the observed weeks"},
    {"residents.free_hours.15-25", "set at the build; few young residents, no draw flips in the observed weeks"},
    {"styles.loslaten.ownership", "no wijk class uses loslaten, so no initiative completes under it"},
    {"participation.invite_weeks", "invitations by regular services are rare; none expires differently in burn-in"},
    {"incidents.recorded_reference", "the tiny city's buurten carry no recorded_crime_per_1000, which this scales against"},
    {"staff.casework_free_hours_gain", "acts only when a case falls on a resident below their usual free hours; since the response to incidents (MODEL.md 7.8.2) shifted casework hours, none does in burn-in"},
    {"staff.outreach_saturation", "regular outreach hours are far below saturation"},
    {"staff.relationship_decay", "regular posts keep hours in their buurt; decay needs a buurt without hours"},
    {"vision.approval_fit", "approval with the prior vision: no decision flips in burn-in"},
    {"initiatives.cost_max", "needs an ask drawn above the cap"},
    {"initiatives.idea_max_weeks", "needs ideas that run out of time in burn-in"},
    {"initiatives.theme_physical", "themes matter only once initiatives complete"},
    {"initiatives.theme_social", "themes matter only once initiatives complete"},
};

}  // namespace

TEST_CASE("every row of the parameter table acts from its declared stage", "[property][stage]") {
  StageProbe at_build(0), after_burn_in(kBurnIn);
  for (const auto& d : wijksim::param_table()) {
    // The run's own settings: the experiment sets them, never a variant.
    if (d.path.rfind("simulation.", 0) == 0) continue;
    bool seen = false;
    const ParamStage got = observed_stage(d, at_build, after_burn_in, seen);
    INFO(d.path << ": declared " << wijksim::stage_name(d.stage) << ", observed " << wijksim::stage_name(got));
    REQUIRE(seen);
    // Safe direction first: a row declared programme must not act before week 0, or burn-in
    // branching would give wrong results.
    CHECK(static_cast<int>(d.stage) <= static_cast<int>(got));  // never later than seen
    if (kNotShownHere.count(d.path) == 0) CHECK(got == d.stage);
    else CHECK(got != d.stage);  // shown after all: drop it from the list
  }
}

TEST_CASE("every scenario entry acts from its declared stage", "[property][stage]") {
  // One different value per entry; `city` is left out: another city is another world.
  const std::map<std::string, std::string> other = {
      {"name", "\"other\""},
      {"description", "\"other\""},
      {"notes", "\"other\""},
      {"start_date", "\"2026-06-01\""},
      {"programme.phases", R"([{"kind": "uitvoeren"}])"},
      {"programme.start_buurten", R"(["BU11", "BU31"])"},
      {"programme.wijken", R"(["WK1"])"},
      {"staff.roles", R"([{"role": "wijkagent", "fte_per_10k": 5, "programme": false, "visible": true}])"},
      {"shocks", R"([{"kind": "incident_wave", "week": 2, "magnitude": 5, "duration_weeks": 4}])"},
  };
  StageProbe at_build(0), after_burn_in(kBurnIn);
  for (const auto& e : wijksim::scenario_entries()) {
    if (e.path == "city") continue;
    INFO(e.path << ": declared " << wijksim::stage_name(e.stage));
    REQUIRE(other.count(e.path) == 1);
    const auto b = at_build.differs(e.path, other.at(e.path));
    const auto a = after_burn_in.differs(e.path, other.at(e.path));
    REQUIRE(b);
    REQUIRE(a);
    const ParamStage got = *b ? ParamStage::build : *a ? ParamStage::burn_in : ParamStage::programme;
    INFO("observed " << wijksim::stage_name(got));
    CHECK(got == e.stage);
  }
  // Paths inside an entry take its stage; unknown paths have none.
  CHECK(wijksim::stage_of("programme.phases.1.max_weeks") == ParamStage::programme);
  CHECK(wijksim::stage_of("staff.roles.0.fte_per_10k") == ParamStage::build);
  CHECK_FALSE(wijksim::stage_of("programme.phasesX").has_value());
  CHECK_FALSE(wijksim::stage_of("no.such.path").has_value());
}
