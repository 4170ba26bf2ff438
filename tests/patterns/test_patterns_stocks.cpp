// Durable stocks as ensemble tests (issue 12 item 9 c and e, and a Vogelaar-like variant).
// Each compares variants run with the same seeds (common random numbers) and asserts on
// outcomes the mechanisms do not set directly: the share of active residents years after a
// programme ended, the unsafe share by buurt. Tolerances are stated next to each check. Small
// synthetic cities are written inline to keep the runtime down (the suite runs on 2 cores).
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ensemble.hpp"

using namespace wijksim;
using namespace wijksim::patterns;
using nlohmann::json;

namespace {

Override set(const std::string& path, const std::string& value) { return Override{path, value}; }

json buurt(const std::string& code, int residents, double deprivation) {
  return json{{"code", code}, {"name", code}, {"residents", residents}, {"deprivation", deprivation}};
}
json wijk(const std::string& code, json buurten) {
  return json{{"code", code}, {"name", code}, {"class", "orange"}, {"buurten", std::move(buurten)}};
}
ScenarioSpec city_spec(const std::string& label, json wijken, const std::vector<Override>& overrides) {
  json doc{{"name", label},
           {"city", {{"code", "GM9998"}, {"name", label}, {"wijken", std::move(wijken)}}},
           {"simulation", {{"years", 4}, {"replicates", 1}, {"seed", 1}}},
           {"governance", {{"allocation", "by_population"}}},
           {"output", {{"detail", "buurt"}}}};
  return load_scenario_json(doc, label, overrides);
}

std::string fmt(const Summary& s) {
  std::ostringstream o;
  o << s.mean << " CI [" << s.ci_low << ", " << s.ci_high << "]";
  return o.str();
}

// City metric m at the given weeks: out[week][replicate].
std::map<int, std::vector<double>> at_weeks(const ScenarioSpec& spec, std::uint32_t reps, Metric m, const std::vector<int>& weeks,
                                            std::uint64_t seed = 23) {
  std::map<int, std::vector<double>> out;
  for (int wk : weeks) out[wk].assign(reps, 0.0);
  std::mutex mu;
  RunnerHooks hooks;
  hooks.on_week = [&](std::uint32_t rep, const Simulation& sim) {
    const auto it = out.find(sim.week());
    if (it == out.end()) return;
    const double v = city(sim, m);
    std::lock_guard<std::mutex> lock(mu);
    it->second[rep] = v;
  };
  run_ensemble(spec, seed, reps, hooks);
  return out;
}

// Unsafe share of buurt index bi at the end: one number per replicate.
std::vector<double> buurt_metric(const ScenarioSpec& spec, std::uint32_t reps, Metric m, std::size_t bi) {
  return ensemble(spec, reps, [m, bi](const Simulation& s) {
    return derive_metrics(s.buurt_tallies()[bi], s.world())[static_cast<std::size_t>(m)];
  });
}

}  // namespace

TEST_CASE("stocks (c): a well-run long programme leaves more behind than a short one", "[pattern]") {
  // One wijk of two buurten (deprivation 0.45 and 0.6, 3,000 residents each). A well-run
  // programme (vision 0.5, anchoring 0.9, process leadership 0.8, survives its elections) of 8
  // years against the same yearly staff and budget for 2 years, and against no programme; 30
  // paired replicates (at 10 the interval of the first check, below, spans zero although its
  // mean is 58% remaining: 30 are needed to tell 58% from half). Gain = active share minus no programme's at the same week. Nothing sets
  // what remains: it is what the programme built (organisers, bewonersgroepen, ties, trust,
  // physical capital) that keeps residents active once professionals have gone.
  // Tolerances: two years after the 8-year programme ends at least half of its gain at the end
  // remains: per replicate, remaining gain minus half the gain at the end, and the lower end of
  // the paired 95% t-interval of that difference must be above 0 (so half is exceeded with the
  // replicates' spread, not only on the mean); and that remaining gain exceeds the 2-year
  // programme's two years after its end (paired 95% t-interval above 0). Measured (seed 23, 30
  // replicates): gain 3.8 pt at the end, 2.3 pt two years later (59%; remaining minus half +0.36
  // pt [+0.17, +0.54]). For scale: drop-out (0.24/yr) and moves (~10%/yr) alone would leave
  // about half of the extra active residents after two years, so the built stocks add little more.
  const std::uint32_t reps = 30;
  const json wijken = json::array({wijk("WK999801", json::array({buurt("BU99980101", 3000, 0.45), buurt("BU99980102", 3000, 0.60)}))});
  const std::vector<Override> well_run = {set("building_blocks.vision", "0.5"), set("building_blocks.anchoring", "0.9"),
                                          set("building_blocks.process_leadership", "0.8"), set("governance.survival_base", "10"),
                                          set("simulation.years", "10")};
  auto with = [&](std::vector<Override> extra) {
    auto o = well_run;
    o.insert(o.end(), extra.begin(), extra.end());
    return city_spec("stocks-c", wijken, o);
  };
  const int y = 52;
  const std::vector<int> weeks = {2 * y, 4 * y, 8 * y, 10 * y};
  const auto none = at_weeks(with({set("programme.enabled", "false")}), reps, Metric::active_share, weeks);
  const auto long8 = at_weeks(with({set("building_blocks.long_breath", "8")}), reps, Metric::active_share, weeks);
  const auto short2 = at_weeks(with({set("building_blocks.long_breath", "2")}), reps, Metric::active_share, weeks);
  const Summary g8_end = summarise(paired_difference(long8.at(8 * y), none.at(8 * y)));
  const Summary g8_after = summarise(paired_difference(long8.at(10 * y), none.at(10 * y)));
  const Summary g2_end = summarise(paired_difference(short2.at(2 * y), none.at(2 * y)));
  const Summary g2_after = summarise(paired_difference(short2.at(4 * y), none.at(4 * y)));
  const Summary long_minus_short = summarise(paired_difference(paired_difference(long8.at(10 * y), none.at(10 * y)),
                                                               paired_difference(short2.at(4 * y), none.at(4 * y))));
  INFO("active-share gain: 8-year programme at its end " << fmt(g8_end) << ", two years later " << fmt(g8_after)
                                                        << "; 2-year programme at its end " << fmt(g2_end) << ", two years later "
                                                        << fmt(g2_after) << "; long - short after two years " << fmt(long_minus_short));
  REQUIRE(g8_end.ci_low > 0.0);
  std::vector<double> over_half(reps);
  for (std::uint32_t i = 0; i < reps; ++i)
    over_half[i] = (long8.at(10 * y)[i] - none.at(10 * y)[i]) - 0.5 * (long8.at(8 * y)[i] - none.at(8 * y)[i]);
  const Summary h = summarise(over_half);
  INFO("remaining gain minus half the gain at the end: " << fmt(h) << "; share remaining " << g8_after.mean / g8_end.mean);
  CHECK(h.ci_low > 0.0);
  CHECK(long_minus_short.ci_low > 0.0);
}

TEST_CASE("stocks (e): participation does most for liveability in middle-ranked buurten, unshaped", "[pattern]") {
  // Pattern 9 (RIGO 2012) without a rule shaped for it: a completed initiative removes an
  // absolute amount of disorder, the same wherever it is. Three wijken of one buurt each
  // (deprivation 0.15, 0.45, 0.80; 4,000 residents, class orange, allocation by population, so
  // hours per resident are equal), a 6-year programme, 64 paired replicates: the programme as
  // it is against the same programme with the effects of completed initiatives switched off.
  // Gain = reduction of the unsafe share through residents' own initiatives.
  // Where it can come from: the well-off buurt has more initiatives, the deprived one more to
  // gain per initiative but fewer initiatives; and the unsafe share counts residents below a
  // threshold, so the same shift of the safety target moves it most where residents sit near
  // that threshold, which is in the middle.
  // Tolerance: the middle buurt's gain exceeds each extreme's, lower end of the paired 95%
  // t-interval > 0.
  const std::uint32_t reps = 64;
  const json wijken = json::array({wijk("WK999901", json::array({buurt("BU99990101", 4000, 0.15)})),
                                   wijk("WK999902", json::array({buurt("BU99990201", 4000, 0.45)})),
                                   wijk("WK999903", json::array({buurt("BU99990301", 4000, 0.80)}))});
  const std::vector<Override> years = {set("simulation.years", "6")};
  auto no_results = years;
  for (const char* path : {"initiatives.disorder_reduction", "initiatives.visible_efficacy_gain", "initiatives.crew_social_gain",
                           "initiatives.crew_efficacy_gain"})
    no_results.push_back(set(path, "0"));
  const ScenarioSpec with_residents = city_spec("three-buurten", wijken, years);
  const ScenarioSpec without = city_spec("three-buurten", wijken, no_results);
  std::vector<std::vector<double>> gain(3);
  for (std::size_t bi = 0; bi < 3; ++bi)
    gain[bi] = paired_difference(buurt_metric(without, reps, Metric::unsafe_share, bi), buurt_metric(with_residents, reps, Metric::unsafe_share, bi));
  const Summary mid_low = summarise(paired_difference(gain[1], gain[0]));
  const Summary mid_high = summarise(paired_difference(gain[1], gain[2]));
  INFO("unsafe-share reduction through initiatives: d 0.15 " << fmt(summarise(gain[0])) << ", d 0.45 " << fmt(summarise(gain[1]))
                                                              << ", d 0.80 " << fmt(summarise(gain[2])) << "; mid - low " << fmt(mid_low)
                                                              << ", mid - high " << fmt(mid_high));
  CHECK(mean(gain[1]) > 0.0);
  // On the integrated model v2 the middle's lead over the well-off end was about 0.36 points
  // (32 replicates: [0.13, 0.59]); at the programme-evidence defaults it is about 0.16 and 32
  // replicates left the interval touching zero ([-0.02, +0.33]), so the ensemble has 64.
  CHECK(mid_low.ci_low > 0.0);
  CHECK(mid_high.ci_low > 0.0);
}

TEST_CASE("stocks: Vogelaar-like herstructurering makes residents safer only where dwellings were renewed", "[pattern]") {
  // Three wijken of one buurt each (deprivation 0.3, 0.5, 0.8), a 6-year programme with and
  // without the corporatie's herstructurering (600 euros per tenant-resident per year, only in
  // buurten with deprivation >= 0.6: here the 0.8 buurt, where the corporatie owns ~58%), 12
  // paired replicates. Safety follows renewal through disorder and the look of the street;
  // what spills over to other buurten (ties, fear spreading) must be small.
  // Tolerances: in the renewed buurt the unsafe share falls (paired 95% t-interval below 0);
  // in the others the mean change is under a fifth of the renewed buurt's, and the city's
  // active share does not rise by more than half a point (renewal is no participation policy).
  const std::uint32_t reps = 12;
  const json wijken = json::array({wijk("WK999701", json::array({buurt("BU99970101", 3000, 0.30)})),
                                   wijk("WK999702", json::array({buurt("BU99970201", 3000, 0.50)})),
                                   wijk("WK999703", json::array({buurt("BU99970301", 3000, 0.80)}))});
  const std::vector<Override> years = {set("simulation.years", "6")};
  auto renewal = years;
  renewal.push_back(set("physical.herstructurering", "600"));
  const ScenarioSpec plain = city_spec("vogelaar", wijken, years), renewed = city_spec("vogelaar", wijken, renewal);
  std::vector<Summary> change(3);
  for (std::size_t bi = 0; bi < 3; ++bi)
    change[bi] = summarise(paired_difference(buurt_metric(renewed, reps, Metric::unsafe_share, bi), buurt_metric(plain, reps, Metric::unsafe_share, bi)));
  const Summary active = summarise(paired_difference(ensemble(renewed, reps, [](const Simulation& s) { return city(s, Metric::active_share); }),
                                                     ensemble(plain, reps, [](const Simulation& s) { return city(s, Metric::active_share); })));
  INFO("unsafe-share change with herstructurering: d 0.3 " << fmt(change[0]) << ", d 0.5 " << fmt(change[1]) << ", d 0.8 (renewed) "
                                                           << fmt(change[2]) << "; city active share " << fmt(active));
  CHECK(change[2].ci_high < 0.0);
  CHECK(std::fabs(change[0].mean) < 0.2 * std::fabs(change[2].mean));
  CHECK(std::fabs(change[1].mean) < 0.2 * std::fabs(change[2].mean));
  CHECK(active.mean < 0.005);
}

