// MODEL.md §7 patterns 1, 6, 8, 9 and 10 as ensemble tests. Every compared variant runs the
// same replicates with the same seed (common random numbers), so differences are paired per
// replicate. Each test states its tolerance next to the check. Small synthetic cities are
// written inline (load_scenario_json) to keep the runtime down; pattern 8 uses the shipped
// hengelo-noord scenario. Nothing here is hard-wired in the model.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ensemble.hpp"

using namespace wijksim;
using namespace wijksim::patterns;
using nlohmann::json;

namespace {

Override set(const std::string& path, const std::string& value) { return Override{path, value}; }

// One buurt of `residents` residents split by the national age shares (the loader does it).
json buurt(const std::string& code, int residents, double deprivation) {
  return json{{"code", code}, {"name", code}, {"residents", residents}, {"deprivation", deprivation}};
}

json wijk(const std::string& code, const std::string& cls, json buurten) {
  json w{{"code", code}, {"name", code}, {"buurten", std::move(buurten)}};
  if (!cls.empty()) w["class"] = cls;
  return w;
}

ScenarioSpec city_spec(const std::string& label, json wijken, const json& extra, const std::vector<Override>& overrides) {
  json doc{{"name", label},
           {"city", {{"code", "GM9999"}, {"name", label}, {"wijken", std::move(wijken)}}},
           {"simulation", {{"years", 4}, {"replicates", 1}, {"seed", 1}}},
           {"output", {{"detail", "buurt"}}}};
  doc.merge_patch(extra);
  return load_scenario_json(doc, label, overrides);
}

// Adult-weighted metric over the buurten whose deprivation satisfies `pick`.
double group_share(const Simulation& s, Metric m, const std::function<bool(double)>& pick) {
  const auto& bs = s.world().buurten;
  double num = 0, den = 0;
  for (std::size_t i = 0; i < bs.size(); ++i) {
    if (!pick(bs[i].place.deprivation)) continue;
    const auto v = derive_metrics(s.buurt_tallies()[i], s.world());
    const double adults = v[static_cast<std::size_t>(Metric::adults)];
    num += adults * v[static_cast<std::size_t>(m)];
    den += adults;
  }
  return den > 0 ? num / den : 0.0;
}

// A mid-deprivation city of one gemeente: two wijken, nine buurten from well-off (0.1) to
// deprived (0.85), resident-weighted mean deprivation about 0.42 (the engine's centre is 0.4).
json mid_city() {
  return json::array(
      {wijk("WK999901", "",
            json::array({buurt("BU99990101", 2500, 0.10), buurt("BU99990102", 2500, 0.15), buurt("BU99990103", 2500, 0.20),
                         buurt("BU99990104", 3000, 0.35), buurt("BU99990105", 3000, 0.45)})),
       wijk("WK999902", "",
            json::array({buurt("BU99990201", 3000, 0.50), buurt("BU99990202", 2500, 0.70), buurt("BU99990203", 2500, 0.80),
                         buurt("BU99990204", 2500, 0.85)}))});
}

// Several measures of the final state from one ensemble run: out[k][replicate].
using Measure = std::function<double(const Simulation&)>;
std::vector<std::vector<double>> ensemble_many(const ScenarioSpec& spec, std::uint32_t replicates,
                                               const std::vector<Measure>& measures, std::uint64_t seed = 11) {
  std::vector<std::vector<double>> out(measures.size(), std::vector<double>(replicates));
  RunnerHooks hooks;
  hooks.on_done = [&](std::uint32_t rep, const Simulation& sim) {
    for (std::size_t k = 0; k < measures.size(); ++k) out[k][rep] = measures[k](sim);
  };
  run_ensemble(spec, seed, replicates, hooks);
  return out;
}

Measure by_deprivation(Metric m, double d) {
  return [m, d](const Simulation& s) { return group_share(s, m, [d](double x) { return std::fabs(x - d) < 1e-9; }); };
}

std::string fmt(const Summary& s) {
  std::ostringstream o;
  o << s.mean << " CI [" << s.ci_low << ", " << s.ci_high << "]";
  return o.str();
}

}  // namespace

TEST_CASE("pattern 1a: the no-programme baseline meets the calibration levels", "[pattern]") {
  // No programme, 4 years after a 4-year burn-in, 8 replicates, final week, on a mid-deprivation
  // city (resident-weighted mean deprivation 0.42). Tolerances (MODEL.md §6, widened for a
  // synthetic city): ensemble mean active share 4-11% of adults (target 7.1%), unsafe share
  // 10-20% (target 14-16%), trust share 42-58% (target ~50%).
  //
  // Measured (seed 11, 8 replicates, calibrated defaults of docs/CALIBRATION.md): active 6.3%,
  // trust 45.1%, unsafe 16.6% (before calibration, safety.base 0.755: 6.9%, 49.2%, 18.3%).
  // The convex link between deprivation and unsafety lifts the city mean above the value at
  // mean deprivation, so the unsafe share sits in the upper half of the band. Trust is lower
  // than on the calibration city: within a buurt bounded-confidence influence pulls T to the
  // buurt's mean, so the trust share is close to the share of adults in buurten with d < ~0.4,
  // 45% here.
  const std::uint32_t reps = 8;
  const ScenarioSpec spec = city_spec("mid-city", mid_city(), json::object(), {set("programme.enabled", "false")});
  const auto v = ensemble_many(spec, reps,
                               {[](const Simulation& s) { return city(s, Metric::active_share); },
                                [](const Simulation& s) { return city(s, Metric::unsafe_share); },
                                [](const Simulation& s) { return city(s, Metric::trust_share); }});
  const auto &active = v[0], &unsafe = v[1], &trust = v[2];
  INFO("active " << mean(active) << ", unsafe " << mean(unsafe) << ", trust " << mean(trust));
  CHECK(mean(active) > 0.04);
  CHECK(mean(active) < 0.11);
  CHECK(mean(unsafe) > 0.10);
  CHECK(mean(unsafe) < 0.20);
  CHECK(mean(trust) > 0.42);
  CHECK(mean(trust) < 0.58);
}

TEST_CASE("pattern 1c: the trust lever spreads the trust share around the national level", "[pattern]") {
  // The same mid-deprivation city and runs as 1a at building_blocks.trust 0.3, 0.5 and 0.7.
  // The lever is the median baseline trust at the centre of the resources scale; on a city
  // whose residents have the national mix of resources the share trusting the municipality
  // must then sit near the national 50% at 0.5 (1a) and spread around it: MODEL.md's target is
  // "roughly 30% at 0.3 ... 70% at 0.7". Tolerance: 0.3 gives 20-40%, 0.7 gives 60-80%. A
  // deprived place has fewer trusting residents at the same lever (hengelo-noord: docs/MODEL.md
  // 7.10), because trust follows resources (SCP: a third of the lower, two thirds of the higher
  // educated).
  const std::uint32_t reps = 8;
  std::vector<double> share;
  for (const char* t : {"0.3", "0.7"}) {
    const ScenarioSpec spec = city_spec("mid-city", mid_city(), json::object(), {set("programme.enabled", "false"), set("building_blocks.trust", t)});
    share.push_back(mean(ensemble_many(spec, reps, {[](const Simulation& s) { return city(s, Metric::trust_share); }})[0]));
  }
  INFO("trust share at 0.3: " << share[0] << ", at 0.7: " << share[1]);
  CHECK(share[0] > 0.20);
  CHECK(share[0] < 0.40);
  CHECK(share[1] > 0.60);
  CHECK(share[1] < 0.80);
}

TEST_CASE("pattern 1b: the no-programme baseline shows the gap between deprived and well-off buurten", "[pattern]") {
  // Same city and runs as 1a. Tolerance: deprived buurten (d >= 0.7) are more often unsafe than
  // well-off ones (d <= 0.2) by at least 10 points (lower end of the paired 95% t-interval),
  // with deprived > 22% and well-off < 12% (MODEL.md §6: >25% in focus wijken, 5-10% in green).
  const std::uint32_t reps = 8;
  const ScenarioSpec spec = city_spec("mid-city", mid_city(), json::object(), {set("programme.enabled", "false")});
  const auto v = ensemble_many(
      spec, reps,
      {[](const Simulation& s) { return group_share(s, Metric::unsafe_share, [](double d) { return d >= 0.7; }); },
       [](const Simulation& s) { return group_share(s, Metric::unsafe_share, [](double d) { return d <= 0.2; }); }});
  const auto &deprived = v[0], &welloff = v[1];
  const Summary gap = summarise(paired_difference(deprived, welloff));
  INFO("unsafe deprived " << mean(deprived) << ", well-off " << mean(welloff) << ", gap " << fmt(gap));
  CHECK(gap.ci_low > 0.10);
  CHECK(mean(deprived) > 0.22);
  CHECK(mean(welloff) < 0.12);
}

TEST_CASE("pattern 6: capacity allocated by need beats an equal split on perceived safety", "[pattern]") {
  // One green wijk (d 0.2) and one red wijk (d 0.75) of equal size; the same programme total
  // (building_blocks.resources 1) either by class (red capacity 1.6, green 0.6) or by
  // population (equal per resident). Styles are the classes' in both. 6 years, 10 replicates.
  // Gain = no-programme unsafe share - programme unsafe share (city, final week), paired.
  // Tolerance: gain(by_class) - gain(by_population) > 0 with the lower end of its 95% t-interval
  // above 0, and gain(by_class) > 0.
  const std::uint32_t reps = 10;
  const json wijken = json::array(
      {wijk("WK999901", "green", json::array({buurt("BU99990101", 3000, 0.15), buurt("BU99990102", 3000, 0.20), buurt("BU99990103", 3000, 0.25)})),
       wijk("WK999902", "red", json::array({buurt("BU99990201", 3000, 0.70), buurt("BU99990202", 3000, 0.75), buurt("BU99990203", 3000, 0.80)}))});
  const auto unsafe = [](const Simulation& s) { return city(s, Metric::unsafe_share); };
  const std::vector<Override> years = {set("simulation.years", "6")};
  auto with = [&](std::vector<Override> o) {
    o.insert(o.end(), years.begin(), years.end());
    return ensemble(city_spec("green-red", wijken, json::object(), o), reps, unsafe);
  };
  const auto base = with({set("programme.enabled", "false")});
  const auto by_class = with({set("governance.allocation", "by_class")});
  const auto by_pop = with({set("governance.allocation", "by_population")});
  const auto gain_class = paired_difference(base, by_class);
  const auto gain_pop = paired_difference(base, by_pop);
  const Summary d = summarise(paired_difference(gain_class, gain_pop));
  INFO("unsafe share: no programme " << mean(base) << ", by_class " << mean(by_class) << ", by_population " << mean(by_pop)
                                     << "; gain by_class " << fmt(summarise(gain_class)) << ", gain by_population "
                                     << fmt(summarise(gain_pop)) << "; difference " << fmt(d));
  CHECK(mean(gain_class) > 0.0);
  CHECK(d.ci_low > 0.0);
}

TEST_CASE("pattern 8: a typical 4-year programme moves the unsafe share by a few points, not tens", "[pattern]") {
  // hengelo-noord with a 4-year commitment (building_blocks.long_breath 4), measured at the end
  // of year 4 against the no-programme baseline, 10 replicates. Tolerance: the mean paired
  // reduction of the wijk's unsafe share lies in [1.5, 6] points (SCP 2013: 2-6 points; the
  // lower end widened by half a point for a single wijk that is only fully in the programme for
  // the last two years) and its 95% t-interval excludes 0.
  const std::uint32_t reps = 10;
  const auto unsafe = [](const Simulation& s) { return city(s, Metric::unsafe_share); };
  const std::vector<Override> common = {set("simulation.years", "4"), set("building_blocks.long_breath", "4")};
  auto off = common;
  off.push_back(set("programme.enabled", "false"));
  const auto on_v = ensemble(load("hengelo-noord.json", common), reps, unsafe);
  const auto off_v = ensemble(load("hengelo-noord.json", off), reps, unsafe);
  const Summary red = summarise(paired_difference(off_v, on_v));
  INFO("unsafe share: no programme " << mean(off_v) << ", programme " << mean(on_v) << "; reduction " << fmt(red));
  CHECK(red.ci_low > 0.0);
  CHECK(red.mean >= 0.015);
  CHECK(red.mean <= 0.06);
}

TEST_CASE("pattern 9: participation helps liveability most in middle-ranked buurten", "[pattern]") {
  // Three wijken of one buurt each (deprivation 0.15, 0.45, 0.80; 4,000 residents; all class
  // orange so style and capacity per resident are the same; allocation by population), so every
  // buurt gets the same programme hours per resident and no ties cross between them. The
  // programme runs 6 years, 40 replicates. What participation does for liveability is the part
  // of the programme's effect that comes through residents' own initiatives: the programme as
  // it is against the same programme with the effects of completed initiatives switched off
  // (no disorder removed, no efficacy or social-trust gains from results), paired by replicate.
  // Gain = reduction of the buurt's unsafe share (veiligheidsbeleving), and of its disorder.
  // Tolerance: the middle buurt's gain exceeds each extreme's, lower end of the paired 95%
  // t-interval > 0 (RIGO 2012), for the unsafe share; disorder is reported.
  //
  // Why it emerges: more residents take part in the well-off buurt (more initiatives), but an
  // initiative removes a share of the disorder there is, and there is little; in the most
  // deprived buurt there is much to repair but few initiatives get going. The programme's other
  // pathways (presence, investments) still do most in the deprived buurt, so the programme's
  // total effect rises with deprivation (pattern 8's magnitude holds there).
  const std::uint32_t reps = 40;
  const json wijken = json::array({wijk("WK999901", "orange", json::array({buurt("BU99990101", 4000, 0.15)})),
                                   wijk("WK999902", "orange", json::array({buurt("BU99990201", 4000, 0.45)})),
                                   wijk("WK999903", "orange", json::array({buurt("BU99990301", 4000, 0.80)}))});
  const json extra = {{"governance", {{"allocation", "by_population"}}}};
  const std::vector<Override> years = {set("simulation.years", "6")};
  auto no_results = years;
  for (const char* path : {"initiatives.disorder_reduction", "initiatives.visible_efficacy_gain", "initiatives.crew_social_gain",
                           "initiatives.crew_efficacy_gain"})
    no_results.push_back(set(path, "0"));
  const ScenarioSpec with_residents = city_spec("three-buurten", wijken, extra, years);
  const ScenarioSpec without = city_spec("three-buurten", wijken, extra, no_results);
  // Measures: unsafe share at d 0.15, 0.45, 0.80, then disorder at the same.
  const std::vector<Measure> ms = {by_deprivation(Metric::unsafe_share, 0.15), by_deprivation(Metric::unsafe_share, 0.45),
                                   by_deprivation(Metric::unsafe_share, 0.80), by_deprivation(Metric::disorder, 0.15),
                                   by_deprivation(Metric::disorder, 0.45), by_deprivation(Metric::disorder, 0.80)};
  const auto v_with = ensemble_many(with_residents, reps, ms), v_without = ensemble_many(without, reps, ms);
  const auto low = paired_difference(v_without[0], v_with[0]), mid = paired_difference(v_without[1], v_with[1]),
             high = paired_difference(v_without[2], v_with[2]);
  INFO("disorder reduction through initiatives: d 0.15 " << fmt(summarise(paired_difference(v_without[3], v_with[3]))) << ", d 0.45 "
                                                         << fmt(summarise(paired_difference(v_without[4], v_with[4]))) << ", d 0.80 "
                                                         << fmt(summarise(paired_difference(v_without[5], v_with[5]))));
  const Summary mid_low = summarise(paired_difference(mid, low));
  const Summary mid_high = summarise(paired_difference(mid, high));
  INFO("unsafe-share reduction through initiatives: d 0.15 " << fmt(summarise(low)) << ", d 0.45 " << fmt(summarise(mid))
                                                              << ", d 0.80 " << fmt(summarise(high)) << "; mid - low " << fmt(mid_low)
                                                              << ", mid - high " << fmt(mid_high));
  CHECK(mean(mid) > 0.0);
  // Model v2 (issue 12): the middle's lead over the well-off end is about 0.4 points, so the
  // ensemble has 40 replicates (20 left the interval touching zero; measured: mid - low 0.40
  // points [0.19, 0.60], mid - high 1.21 [1.02, 1.40]).
  CHECK(mid_low.ci_low > 0.0);
  CHECK(mid_high.ci_low > 0.0);
}

TEST_CASE("pattern 10: fear persists after an incident wave", "[pattern]") {
  // The mid-deprivation city without a programme; an incident wave (incident rate x3 for 13
  // weeks) starts at year 2. Weekly city incidents and unsafe share, averaged over 8 replicates
  // (and incidents over a centred 5-week window). After the wave ends, the half-recovery time of
  // each series is the first week at which it is back within half of its excess at the wave's
  // end over its pre-wave level (mean of the 26 weeks before the wave).
  // Tolerance: incidents fall back within 8 weeks; the unsafe share takes at least twice as long
  // and at least 8 weeks longer (Prieto Curiel & Bishop 2017).
  const std::uint32_t reps = 8;
  const json extra = {{"shocks", json::array({{{"kind", "incident_wave"}, {"year", 2}, {"magnitude", 3}, {"duration_weeks", 13}}})}};
  const ScenarioSpec spec = city_spec("mid-city-wave", mid_city(), extra, {set("programme.enabled", "false"), set("simulation.years", "4")});
  const int weeks = 4 * 52 + 1, start = 104, end = start + 13;
  std::vector<std::vector<double>> inc(reps, std::vector<double>(weeks)), uns(reps, std::vector<double>(weeks));
  RunnerHooks hooks;
  hooks.on_week = [&](std::uint32_t rep, const Simulation& s) {
    const int w = s.week() - 1;  // the week just simulated
    if (w < 0 || w >= weeks) return;
    inc[rep][w] = city(s, Metric::incidents);
    uns[rep][w] = city(s, Metric::unsafe_share);
  };
  run_ensemble(spec, 11, reps, hooks);
  std::vector<double> mi(weeks, 0.0), mu(weeks, 0.0);
  for (std::uint32_t r = 0; r < reps; ++r)
    for (int w = 0; w < weeks; ++w) {
      mi[w] += inc[r][w] / reps;
      mu[w] += uns[r][w] / reps;
    }
  std::vector<double> si(weeks, 0.0);  // centred 5-week mean of incidents
  for (int w = 0; w < weeks; ++w) {
    double s = 0;
    int n = 0;
    for (int k = std::max(0, w - 2); k <= std::min(weeks - 1, w + 2); ++k, ++n) s += mi[k];
    si[w] = s / n;
  }
  auto pre = [&](const std::vector<double>& v) {
    double s = 0;
    for (int w = start - 26; w < start; ++w) s += v[w];
    return s / 26;
  };
  // Weeks after the wave's last week until the series is within half its excess.
  auto half_recovery = [&](const std::vector<double>& v, double level_at_end) {
    const double base = pre(v), target = base + 0.5 * (level_at_end - base);
    for (int w = end; w < weeks; ++w)
      if (v[w] <= target) return w - end;
    return weeks - end;
  };
  // Level at the wave's end: mean of its last 4 weeks (incidents) and the week it ends (unsafe).
  double inc_end = 0;
  for (int w = end - 4; w < end; ++w) inc_end += mi[w] / 4;
  const double uns_end = mu[end - 1];
  const int t_inc = half_recovery(si, inc_end), t_uns = half_recovery(mu, uns_end);
  INFO("incidents/week pre-wave " << pre(mi) << ", end of wave " << inc_end << ", half-recovery " << t_inc << " weeks; unsafe share pre-wave "
                                  << pre(mu) << ", end of wave " << uns_end << ", half-recovery " << t_uns << " weeks");
  CHECK(inc_end > 2.0 * pre(mi));  // the wave happened
  CHECK(uns_end > pre(mu) + 0.01);  // and raised fear by at least a point
  CHECK(t_inc <= 8);
  CHECK(t_uns >= 2 * t_inc);
  CHECK(t_uns >= t_inc + 8);
}
