// Expectations and disappointment (MODEL.md §7.16). A programme's first invitation promises
// the invited resident results in their buurt (outreach.cpp records the week). The promise is
// kept when that resident notices a visible result (a completed initiative or professional-led
// project) — their own crew's, or one of the buurt's, each noticed by about
// expectations.audience residents — and broken when none is noticed within expectations.horizon
// weeks. A broken promise the resident still remembers disappoints: a bad experience (weighed
// trust.asymmetry times a good one in trust.cpp) and frustration, and the plan loses
// legitimacy. A kept promise only confirms what was expected, so it adds nothing: the cost is
// one-sided. A programme that invites widely and delivers little, or stops, disappoints.
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void expectations(World& w, Buurt& b) {
  const auto& ep = w.p->expectations;
  b.expectations.disappointed_week = 0;
  b.expectations.promises_open = 0;
  if (b.place.count == 0 || b.outreach.reached == 0) return;  // a promise needs an invitation (reached)
  auto& r = w.residents;
  const auto horizon = static_cast<std::int32_t>(std::lround(ep.horizon));
  // One result is noticed by `audience` residents of the buurt's N; this week's results by
  // each resident independently.
  const double one = std::min(1.0, ep.audience / std::max(1, b.place.residents_total));
  const auto notice = static_cast<float>(1.0 - std::pow(1.0 - one, b.initiatives.visible_results_week));
  const double remember = 1.0 - ep.fade;
  const std::uint64_t key = w.keys[Stream::vision];
  int open = 0;
  for (std::uint32_t i = 0; i < b.place.count; ++i) {
    const std::uint32_t row = b.place.first + i;
    const std::int32_t made = r.promised[row];
    if (made == no_promise) continue;
    const std::int32_t waited = w.week - made;
    const bool own = r.good_experiences[row] > 0;  // their crew completed an initiative
    if (!own && notice <= 0.f && waited < horizon) {
      ++open;
      continue;
    }
    // Drawn per resident and week (not in sequence), so one resident's promise does not shift
    // another's draws between compared scenarios.
    float u[4];
    counter_uniforms4(key, w.resident_id(b, i), w.step, u);
    const bool seen = own || u[0] < notice;
    if (!seen && waited < horizon) {
      ++open;
      continue;
    }
    r.promised[row] = no_promise;
    if (seen || u[1] >= std::pow(remember, waited)) continue;  // kept, or forgotten
    add_bad_experience(r, row);
    r.frustration[row] += static_cast<float>(ep.frustration);
    ++b.expectations.disappointed_week;
  }
  b.expectations.promises_open = open;
  const double share = static_cast<double>(b.expectations.disappointed_week) / b.place.count;
  b.expectations.legitimacy =
      std::max(0.0, b.expectations.legitimacy * (1.0 - std::min(1.0, w.p->legitimacy.erosion * share)));
}

}  // namespace wijksim::model
