// MODEL.md §7 patterns 2, 3, 4, 5 and 7 as ensemble tests. Each compares variants run with the
// same seeds (common random numbers) and asserts on paired differences with a stated
// tolerance: a 95% t-interval that must exclude zero on the expected side, or a ratio bound.
// Nothing here is hard-wired in the model: each pattern emerges from the mechanisms.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <tuple>

#include "ensemble.hpp"
#include "wijksim/core/thread_pool.hpp"

using namespace wijksim;
using namespace wijksim::patterns;

namespace {
constexpr const char* kScenario = "hengelo-noord.json";
Override set(const std::string& path, const std::string& value) { return Override{path, value}; }
}  // namespace

TEST_CASE("pattern 2: with as many broken as kept promises, trust falls", "[pattern]") {
  // A programme whose municipality keeps only half the promises it makes to initiative crews
  // (anchoring 0, governance.promise_keep_base 0.5: the money comes on time or late, at
  // random; no promise on decision times, so slow decisions break none). Nothing is injected: residents start initiatives, are approved, and the promise
  // is kept or broken in the programme's own course. For every approved initiative, each crew
  // member's trust is read the week before approval and half a year later; the mean change
  // over all these episodes must be negative. With every promise kept (promise_keep_base 1)
  // it must be positive, so the fall comes from kept and broken promises weighing unequally,
  // not from anything else that happens to crews.
  const int years = 3, lag = 26;  // before the first election: no stop muddles the promises
  auto episode_change = [&](double keep_base) {
    const ScenarioSpec spec = load(kScenario, {set("simulation.years", std::to_string(years)), set("building_blocks.anchoring", "0"),
                                               set("governance.decision_promised", "104"),
                                               set("governance.promise_keep_base", std::to_string(keep_base))});
    std::vector<double> change;
    for (std::uint32_t rep = 0; rep < 8; ++rep) {
      ThreadPool pool(1);
      Simulation sim(spec, 5, rep, pool);
      sim.run_burn_in();
      const auto& r = sim.world().residents;
      std::vector<float> before(r.trust);
      std::set<std::tuple<std::size_t, std::int32_t, std::uint32_t>> seen;  // buurt, created, initiator
      struct Episode {
        std::uint32_t row;
        float trust_before;
        int due;
      };
      std::vector<Episode> open;
      double sum = 0, n = 0;
      for (int week = 0; week < 52 * years; ++week) {
        sim.step();
        const auto& buurten = sim.world().buurten;
        for (std::size_t bi = 0; bi < buurten.size(); ++bi)
          for (const Initiative& in : buurten[bi].initiatives.list)
            if (in.state == InitiativeState::running && seen.emplace(bi, in.created, in.initiator).second)
              for (int k = 0; k < in.crew_size; ++k) {
                const std::uint32_t row = buurten[bi].place.first + in.crew[static_cast<std::size_t>(k)];
                open.push_back({row, before[row], week + lag});
              }
        for (auto it = open.begin(); it != open.end();)
          if (it->due == week) {
            sum += r.trust[it->row] - it->trust_before;
            n += 1;
            it = open.erase(it);
          } else {
            ++it;
          }
        before = r.trust;
      }
      REQUIRE(n > 20);  // enough promises to speak of
      change.push_back(sum / n);
    }
    return change;
  };
  const auto half = episode_change(0.5), all = episode_change(1.0);
  const Summary h = summarise(half), a = summarise(all), d = summarise(paired_difference(all, half));
  INFO("crew trust change over an episode: half the promises kept " << h.mean << " CI [" << h.ci_low << ", " << h.ci_high
                                                                     << "]; all kept " << a.mean << "; all - half " << d.mean << " CI ["
                                                                     << d.ci_low << ", " << d.ci_high << "]");
  CHECK(h.ci_high < 0.0);  // as many broken as kept: trust falls
  CHECK(a.mean > 0.0);     // all kept: it rises
  CHECK(d.ci_low > 0.0);
}

TEST_CASE("pattern 3: long breath beats stop-and-go with the same budget", "[pattern]") {
  // Continuous 8-year programme vs the same total budget spent in 4 years and stopped at the
  // first election (resources doubled). Active share at year 8: continuous must be higher.
  // 24 replicates: at the programme-evidence defaults (crowding-out on) the lead is about 0.3
  // points and 8 replicates left its interval touching zero (+0.33 [-0.06, +0.73]).
  const std::uint32_t reps = 24;
  const auto active = [](const Simulation& s) { return city(s, Metric::active_share); };
  const auto trust = [](const Simulation& s) { return city(s, Metric::mean_trust); };
  const auto continuous = ensemble(load(kScenario, {set("simulation.years", "8")}), reps, active);
  const auto stopped = ensemble(load(kScenario, {set("simulation.years", "8"), set("programme.stop_at_election", "1"),
                                                 set("building_blocks.resources", "2")}), reps, active);
  const Summary d = summarise(paired_difference(continuous, stopped));
  INFO("continuous - stopped active share at year 8: " << d.mean << " CI [" << d.ci_low << ", " << d.ci_high << "]");
  CHECK(d.ci_low > 0.0);
  // The stop breaks promises (MODEL.md §7.1.5): everyone the programme invited and who still
  // remembers it gets a bad experience, weighed lambda times a good one. Two consequences,
  // each measured on mean trust against the same seeds:
  // (i) half a year after the stop trust is below where the continuous programme has it (the
  //     stop costs trust, it does not just end the gains);
  // (ii) two years after the stop trust is below the no-programme baseline.
  // Why (ii) is read two years after the stop and not half a year: the stopped programme spent
  // the same money in four years and built trust by then (mean trust about +0.02 over the
  // baseline at the stop). That trust rests on experiences and drifts back to each resident's
  // own baseline over months (trust.baseline_drift, half-life about 35 weeks), while the broken
  // promises also lower the baselines themselves (trust.baseline_learning), a mark that lasts.
  // Half a year after the stop the built trust and the broken promises about cancel (measured
  // +0.0006, interval spanning zero); once the built trust has faded the mark remains. MODEL.md
  // §7 pattern 3 says "for a while", not when; which way trust goes half a year after a stop
  // depends on how much trust the programme built before it, so only (i) is asserted there.
  const auto stopped_at = [&](const char* years) {
    return ensemble(load(kScenario, {set("simulation.years", years), set("programme.stop_at_election", "1"),
                                     set("building_blocks.resources", "2")}), reps, trust);
  };
  const auto after_stop = stopped_at("4.5");
  const auto running = ensemble(load(kScenario, {set("simulation.years", "4.5")}), reps, trust);
  const Summary c = summarise(paired_difference(after_stop, running));
  INFO("stopped - continuous mean trust half a year after the stop: " << c.mean << " CI [" << c.ci_low << ", " << c.ci_high << "]");
  CHECK(c.ci_high < 0.0);
  const auto later = stopped_at("6");
  const auto baseline = ensemble(load(kScenario, {set("simulation.years", "6"), set("programme.enabled", "false")}), reps, trust);
  const Summary t = summarise(paired_difference(later, baseline));
  INFO("stopped - baseline mean trust two years after the stop: " << t.mean << " CI [" << t.ci_low << ", " << t.ci_high << "]");
  CHECK(t.ci_high < 0.0);
}

TEST_CASE("pattern 4: process leadership helps low-trust residents most", "[pattern]") {
  // Active share among residents whose initial trust was low (< 0.4) and high (> 0.6), with
  // and without independent process leadership. The gain, relative to the group's active share
  // without it, must be larger for the low-trust group. Relative, because the groups start far
  // apart (about 2% and 10% active) and a process leader also helps the trusting through what
  // every resident shares: more results keep more promises, so the plan keeps its legitimacy
  // (MODEL.md 7.16). In points the two gains are now close (low 1.29, high 1.06 pt; the
  // difference +0.23 pt [-0.22, 0.69]); see docs/MODEL.md 1.2.
  const std::uint32_t reps = 12;
  auto group_active = [](bool low) {
    return [low](const Simulation& s) {
      const auto& r = s.world().residents;
      double active = 0, n = 0;
      for (std::size_t i = 0; i < r.size(); ++i) {
        const bool in = low ? r.trust0[i] < 0.4f : r.trust0[i] > 0.6f;
        if (!in) continue;
        n += 1;
        active += r.engagement[i] != Engagement::passive;
      }
      return n > 0 ? active / n : 0.0;
    };
  };
  const std::vector<Override> common = {set("simulation.years", "6"), set("outreach.targeting", "low_trust_first")};
  auto with = common, without = common;
  with.push_back(set("building_blocks.process_leadership", "1"));
  without.push_back(set("building_blocks.process_leadership", "0"));
  const ScenarioSpec on = load(kScenario, with), off = load(kScenario, without);
  const auto low_on = ensemble(on, reps, group_active(true)), low_off = ensemble(off, reps, group_active(true));
  const auto high_on = ensemble(on, reps, group_active(false)), high_off = ensemble(off, reps, group_active(false));
  const auto gain_low = paired_difference(low_on, low_off), gain_high = paired_difference(high_on, high_off);
  std::vector<double> relative_low, relative_high;
  for (std::size_t i = 0; i < reps; ++i) {
    relative_low.push_back(gain_low[i] / low_off[i]);
    relative_high.push_back(gain_high[i] / high_off[i]);
  }
  const Summary points = summarise(paired_difference(gain_low, gain_high));
  const Summary d = summarise(paired_difference(relative_low, relative_high));
  INFO("without leadership: low " << mean(low_off) << ", high " << mean(high_off) << "; gain low " << mean(gain_low)
                                  << ", high " << mean(gain_high) << "; in points low - high " << points.mean << " CI ["
                                  << points.ci_low << ", " << points.ci_high << "]; relative low - high " << d.mean
                                  << " CI [" << d.ci_low << ", " << d.ci_high << "]");
  CHECK(mean(gain_low) > 0.0);
  CHECK(d.ci_low > 0.0);
}

TEST_CASE("pattern 5: diminishing returns to staff hours", "[pattern]") {
  // Gain in active share over the no-programme baseline at year 6, with the plan's staff hours
  // and budget (resources 1), doubled (2) and doubled again (4): more must raise the gain, and
  // the second doubling must raise it by less than double (tolerance: at most 1.9x).
  // Why the doubling is read from 2 to 4 and not from 1 to 2: MODEL.md §7 pattern 7 makes the
  // active share S-shaped in outreach intensity (slow start, a tipping region where network
  // effects cascade, saturation), and below the tipping region returns *increase*. On
  // hengelo-noord the plan's own hours sit just below it: 1 -> 2 gives about 2.2x the gain
  // although the contacts outreach makes rise only 1.4x (casework takes a fixed share of the
  // hours first, and the complex contagion of participation amplifies the extra contacts).
  // Diminishing returns are the property of the saturating part, so they are tested there;
  // both doublings are printed.
  const std::uint32_t reps = 8;
  const auto active = [](const Simulation& s) { return city(s, Metric::active_share); };
  const auto at = [&](const char* resources) {
    return ensemble(load(kScenario, {set("simulation.years", "6"), set("building_blocks.resources", resources)}), reps, active);
  };
  const auto base = ensemble(load(kScenario, {set("simulation.years", "6"), set("programme.enabled", "false")}), reps, active);
  const double g1 = mean(paired_difference(at("1"), base)), g2 = mean(paired_difference(at("2"), base)),
               g4 = mean(paired_difference(at("4"), base));
  INFO("gain at resources 1: " << g1 << ", 2: " << g2 << ", 4: " << g4 << "; 2/1 " << g2 / g1 << ", 4/2 " << g4 / g2);
  CHECK(g1 > 0.0);
  CHECK(g2 > g1);
  CHECK(g4 > g2);
  CHECK(g4 < 1.9 * g2);  // tolerance: at most 1.9x for 2x the hours
}

TEST_CASE("pattern 7: active share against outreach intensity is S-shaped (tipping point)", "[pattern]") {
  // Final active share after 8 years over a geometric grid of outreach intensity (contacts per
  // hour, programme everywhere from the start). The gain per doubling must rise to an interior
  // maximum and fall again: slow start, a tipping region where network effects cascade, saturation.
  const std::uint32_t reps = 4;
  const auto active = [](const Simulation& s) { return city(s, Metric::active_share); };
  std::vector<double> level;
  for (double c = 0.25; c <= 256.0; c *= 2) {
    const auto v = ensemble(load(kScenario, {set("simulation.years", "8"), set("staff.contacts_per_hour", std::to_string(c)),
                                             set("programme.start_buurten", "[]"), set("programme.rollout_after", "0")}),
                            reps, active);
    level.push_back(mean(v));
  }
  std::vector<double> gain;
  for (std::size_t i = 1; i < level.size(); ++i) gain.push_back(level[i] - level[i - 1]);
  const auto peak = static_cast<std::size_t>(std::max_element(gain.begin(), gain.end()) - gain.begin());
  std::string curve;
  for (double v : level) curve += std::to_string(v) + " ";
  INFO("active share over intensity 0.25..256: " << curve);
  CHECK(peak > 0);
  CHECK(peak < gain.size() - 1);
  CHECK(gain[peak] > 3.0 * std::max(gain.front(), 1e-4));
  CHECK(gain[peak] > 3.0 * std::max(gain.back(), 1e-4));
  CHECK(level.back() > 3.0 * level.front());
}
