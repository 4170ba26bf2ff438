// Common random numbers ("worlds", after Starsim): every draw is keyed by entity and week, so
// two scenarios run with the same seed differ only where they differ. Adding residents to one
// buurt must leave the rest of the city untouched; changing a programme lever must leave the
// population and everything before the programme starts untouched.
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "test_support.hpp"
#include "wijksim/core/thread_pool.hpp"
#include "wijksim/sim/simulation.hpp"

using namespace wijksim;
using nlohmann::json;

namespace {

// Two wijken: WK1 with BU11, BU12, BU13; WK2 with BU21, BU22.
json worlds_scenario() {
  auto doc = test::explicit_scenario({{{420, 0.3}, {510, 0.6}, {380, 0.45}}, {{450, 0.5}, {600, 0.7}}}, 1.5, 0.5);
  doc["name"] = "worlds";
  return doc;
}

// The same scenario with `extra` more residents aged 65+ in one buurt. The last age group is
// used so existing residents keep their local index (and with it their random streams).
json with_extra_residents(json doc, std::size_t wijk, std::size_t buurt, int extra) {
  auto& b = doc["city"]["wijken"][wijk]["buurten"][buurt];
  b["residents"] = b["residents"].get<int>() + extra;
  b["age"]["65+"] = b["age"]["65+"].get<int>() + extra;
  return doc;
}

// Per buurt code, the weeks at which its tallies differ between two traces, and the first
// differing field with both values.
struct BuurtDiff {
  std::vector<std::int32_t> weeks;
  std::string first;
};
std::map<std::string, BuurtDiff> differing_weeks(const test::Trace& a, const test::Trace& b) {
  std::map<std::string, BuurtDiff> out;
  REQUIRE(a.weeks.size() == b.weeks.size());
  REQUIRE(a.buurt_codes == b.buurt_codes);
  for (std::size_t k = 0; k < a.weeks.size(); ++k)
    for (std::size_t i = 0; i < a.buurt_codes.size(); ++i) {
      const int f = test::first_difference(a.weeks[k].buurt[i], b.weeks[k].buurt[i]);
      if (f < 0) continue;
      auto& d = out[a.buurt_codes[i]];
      if (d.weeks.empty()) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s %.17g vs %.17g", test::tally_field_name(f),
                      a.weeks[k].buurt[i][static_cast<std::size_t>(f)], b.weeks[k].buurt[i][static_cast<std::size_t>(f)]);
        d.first = buf;
      }
      d.weeks.push_back(a.weeks[k].week);
    }
  return out;
}

std::string describe(const std::map<std::string, BuurtDiff>& diffs) {
  std::string s;
  for (const auto& [code, d] : diffs)
    s += "  " + code + ": differs in " + std::to_string(d.weeks.size()) + " weeks, first in week " +
         std::to_string(d.weeks.front()) + " (" + d.first + ")\n";
  return s.empty() ? "  (no differences)\n" : s;
}

// Fixed attributes of one resident, and its ties as (buurt code, local index).
struct Person {
  std::uint8_t age_band;
  float ses, free_hours, theta, epsilon, trust0, social0, efficacy0, safety_offset;
  std::vector<std::pair<std::string, std::uint32_t>> ties;
  bool operator==(const Person&) const = default;
};

// The population by (buurt code, local index).
std::map<std::pair<std::string, std::uint32_t>, Person> population(const ScenarioSpec& spec, std::uint64_t seed) {
  ThreadPool pool(1);
  Simulation sim(spec, seed, 0, pool);
  const World& w = sim.world();
  const auto& r = w.residents;
  std::vector<std::pair<std::string, std::uint32_t>> id_of_row(r.size());
  for (const auto& b : w.buurten)
    for (std::uint32_t i = 0; i < b.place.count; ++i) id_of_row[b.place.first + i] = {b.place.code, i};
  std::map<std::pair<std::string, std::uint32_t>, Person> out;
  for (const auto& b : w.buurten)
    for (std::uint32_t i = 0; i < b.place.count; ++i) {
      const std::uint32_t row = b.place.first + i;
      Person p{r.age_band[row], r.ses[row],     r.free_hours[row], r.theta[row],         r.epsilon[row],
               r.trust0[row],   r.social0[row], r.efficacy0[row],  r.safety_offset[row], {}};
      for (std::uint32_t k = r.tie_offsets[row]; k < r.tie_offsets[row + 1]; ++k) p.ties.push_back(id_of_row[r.ties[k]]);
      out[{b.place.code, i}] = p;
    }
  return out;
}

// Residents of `a` whose fixed attributes or ties differ in `b` (or who are missing there),
// restricted to buurten accepted by `in_scope`.
template <class Scope>
std::vector<std::string> changed_people(const std::map<std::pair<std::string, std::uint32_t>, Person>& a,
                                        const std::map<std::pair<std::string, std::uint32_t>, Person>& b, Scope in_scope,
                                        bool attributes_only = false) {
  std::vector<std::string> changed;
  for (const auto& [id, person] : a) {
    if (!in_scope(id.first)) continue;
    const auto it = b.find(id);
    bool same = it != b.end();
    if (same) {
      Person x = person, y = it->second;
      if (attributes_only) x.ties.clear(), y.ties.clear();
      same = x == y;
    }
    if (!same) changed.push_back(id.first + "#" + std::to_string(id.second));
  }
  return changed;
}

std::string first_few(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < 10; ++i) s += (i ? ", " : "") + v[i];
  return s + (v.size() > 10 ? ", ..." : "");
}

bool in_wijk(const std::string& buurt_code, char wijk_digit) { return buurt_code.size() >= 3 && buurt_code[2] == wijk_digit; }

}  // namespace

TEST_CASE("worlds: adding residents to one buurt leaves the population elsewhere unchanged", "[repro][worlds]") {
  const json base = worlds_scenario();
  const ScenarioSpec a = test::load(base);
  const ScenarioSpec b = test::load(with_extra_residents(base, 0, 1, 5));  // BU12 +5
  const auto pa = population(a, 21), pb = population(b, 21);
  REQUIRE(pb.size() == pa.size() + 5);
  // Attributes: everyone who existed before is the same person, in BU12 too.
  const auto attrs = changed_people(pa, pb, [](const std::string&) { return true; }, true);
  INFO("changed: " << first_few(attrs));
  CHECK(attrs.empty());
  // Ties: unchanged in the other wijk; in WK1 only BU12's ring changes, and ties into BU12
  // from its neighbours may move (they draw a uniform resident of the larger buurt).
  const auto other_wijk = changed_people(pa, pb, [](const std::string& c) { return in_wijk(c, '2'); });
  INFO("changed in WK2: " << first_few(other_wijk));
  CHECK(other_wijk.empty());
  // With no cross-buurt ties, nobody outside BU12 changes at all.
  const ScenarioSpec a0 = test::load(base, {Override{"network.cross_buurt", "0"}});
  const ScenarioSpec b0 = test::load(with_extra_residents(base, 0, 1, 5), {Override{"network.cross_buurt", "0"}});
  const auto outside = changed_people(population(a0, 21), population(b0, 21), [](const std::string& c) { return c != "BU12"; });
  INFO("changed outside BU12: " << first_few(outside));
  CHECK(outside.empty());
}

TEST_CASE("worlds: without cross-buurt ties or programme other wijken stay bit-identical", "[repro][worlds]") {
  const std::vector<Override> isolated = {Override{"network.cross_buurt", "0"}, Override{"programme.enabled", "false"}};
  const json base = worlds_scenario();
  const auto ta = test::trace_simulation(test::load(base, isolated), 8, 0, 1, true);
  const auto tb = test::trace_simulation(test::load(with_extra_residents(base, 0, 1, 5), isolated), 8, 0, 1, true);
  const auto diffs = differing_weeks(ta, tb);
  INFO("buurten whose tallies differ:\n" << describe(diffs));
  // The changed buurt itself must differ, or the test would prove nothing.
  REQUIRE(diffs.count("BU12") == 1);
  CHECK(diffs.count("BU21") == 0);
  CHECK(diffs.count("BU22") == 0);
}

TEST_CASE("worlds: without cross-buurt ties or programme other buurten of the same wijk stay bit-identical",
          "[repro][worlds]") {
  // The strict worlds property (STYLE.md): add residents to one buurt, nothing changes
  // elsewhere. Ties are off and the programme is off, so any difference in BU11 or BU13
  // comes from wijk-level coupling in the engine.
  const std::vector<Override> isolated = {Override{"network.cross_buurt", "0"}, Override{"programme.enabled", "false"}};
  const json base = worlds_scenario();
  const auto ta = test::trace_simulation(test::load(base, isolated), 8, 0, 1, true);
  const auto tb = test::trace_simulation(test::load(with_extra_residents(base, 0, 1, 5), isolated), 8, 0, 1, true);
  const auto diffs = differing_weeks(ta, tb);
  INFO("buurten whose tallies differ:\n" << describe(diffs));
  REQUIRE(diffs.count("BU12") == 1);
  CHECK(diffs.count("BU11") == 0);
  CHECK(diffs.count("BU13") == 0);
}

TEST_CASE("worlds: with cross-buurt ties on buurten in other wijken stay bit-identical", "[repro][worlds]") {
  const std::vector<Override> no_programme = {Override{"network.cross_buurt", "0.2"}, Override{"programme.enabled", "false"}};
  const json base = worlds_scenario();
  const auto ta = test::trace_simulation(test::load(base, no_programme), 8, 0, 1, true);
  const auto tb = test::trace_simulation(test::load(with_extra_residents(base, 0, 1, 5), no_programme), 8, 0, 1, true);
  const auto diffs = differing_weeks(ta, tb);
  INFO("buurten whose tallies differ:\n" << describe(diffs));
  REQUIRE(diffs.count("BU12") == 1);
  CHECK(diffs.count("BU21") == 0);
  CHECK(diffs.count("BU22") == 0);
}

TEST_CASE("worlds: a programme lever changes nothing before the programme starts", "[repro][worlds]") {
  // Same seed, scenarios that differ only in process leadership and resources.
  const json base = worlds_scenario();
  const ScenarioSpec low = test::load(base, {Override{"building_blocks.process_leadership", "0.1"}});
  const ScenarioSpec high = test::load(base, {Override{"building_blocks.process_leadership", "0.9"},
                                              Override{"building_blocks.resources", "2"}});
  // The same population: fixed attributes and ties of every resident.
  const auto changed = changed_people(population(low, 13), population(high, 13), [](const std::string&) { return true; });
  INFO("changed: " << first_few(changed));
  CHECK(changed.empty());
  // The same burn-in, week by week; the runs must part once the programme acts.
  const auto tl = test::trace_simulation(low, 13, 0, 1, true);
  const auto th = test::trace_simulation(high, 13, 0, 1, true);
  REQUIRE(tl.weeks.size() == th.weeks.size());
  int burn_in_weeks = 0, differing_after = 0;
  for (std::size_t k = 0; k < tl.weeks.size(); ++k) {
    const bool same_city = test::same_bits(tl.weeks[k].city, th.weeks[k].city);
    if (tl.weeks[k].week < 0) {
      ++burn_in_weeks;
      INFO("burn-in week " << tl.weeks[k].week);
      CHECK(same_city);
      for (std::size_t i = 0; i < tl.buurt_codes.size(); ++i) CHECK(test::same_bits(tl.weeks[k].buurt[i], th.weeks[k].buurt[i]));
    } else {
      differing_after += !same_city;
    }
  }
  CHECK(burn_in_weeks == 26);
  CHECK(differing_after > 0);
}

TEST_CASE("worlds: a programme confined to one wijk leaves the other wijk as in the baseline", "[repro][worlds]") {
  // Common random numbers across policies: the programme in WK1 only, against no programme.
  // WK2 gets no programme staff, budget or invitations, so its buurten must be bit-identical.
  const json base = worlds_scenario();
  const ScenarioSpec baseline = test::load(base, {Override{"programme.enabled", "false"}});
  auto doc = base;
  doc["programme"] = json::parse(R"({"wijken": ["WK1"]})");
  const ScenarioSpec policy = test::load(doc);
  const auto tb = test::trace_simulation(baseline, 17, 0, 1, true);
  const auto tp = test::trace_simulation(policy, 17, 0, 1, true);
  const auto diffs = differing_weeks(tb, tp);
  INFO("buurten whose tallies differ:\n" << describe(diffs));
  REQUIRE(diffs.count("BU11") == 1);  // the programme does act in WK1
  CHECK(diffs.count("BU21") == 0);
  CHECK(diffs.count("BU22") == 0);
}
