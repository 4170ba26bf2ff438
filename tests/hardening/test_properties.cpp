// Property test (issue 7, "Invariants"): many random valid scenarios, every parameter drawn
// uniformly within the range the parameter table documents, small and tiny cities, a few
// years. Each one must load, build and run without an exception, with every state variable in
// range, nothing NaN or infinite and the counts conserved in every week, burn-in included.
// Draws are deterministic (fixed seed); a failing case prints its scenario as JSON, which
// `wijksim run` accepts as it is.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

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
