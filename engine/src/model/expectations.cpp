// Expectations and disappointment (MODEL.md §7.6.2). Every programme invitation is a promise
// of involvement and results: the buurt owes per_contact results for it. Results delivered in
// the buurt (completed initiatives and professional-led projects) pay the debt off; unmet
// expectations are slowly forgotten. While more is owed than residents tolerate, residents the
// programme reached are disappointed at a rate that grows with the gap: a bad experience
// (weighed trust.asymmetry times a good one in trust.cpp) and frustration, and the plan loses
// legitimacy. A programme that invites widely and delivers little, or stops, leaves a debt.
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void expectations(World& w, Buurt& b) {
  const auto& ep = w.p->expectations;
  b.disappointed_week = 0;
  if (b.count == 0) return;
  const double per_1000 = 1000.0 / std::max(1, b.residents_total);
  b.expectation += (ep.per_contact * b.contacts_week - b.visible_results_week) * per_1000;
  b.expectation = std::max(0.0, b.expectation * (1.0 - ep.fade));
  const double gap = b.expectation - ep.tolerance;
  if (gap > 0) {
    const double q = 1.0 - std::exp(-ep.disappointment * gap);
    auto& r = w.residents;
    CounterRng rng = w.rng(Stream::vision, EntityId{b.key, 0x20000000u});
    for (std::uint32_t row = b.first; row < b.first + b.count; ++row) {
      if (!(r.flags[row] & flag_reached) || rng.uniform() >= q) continue;
      add_bad_experience(r, row);
      r.frustration[row] += static_cast<float>(ep.frustration);
      ++b.disappointed_week;
    }
  }
  const double share = static_cast<double>(b.disappointed_week) / b.count;
  b.legitimacy = std::max(0.0, b.legitimacy * (1.0 - std::min(1.0, w.p->legitimacy.erosion * share)));
}

}  // namespace wijksim::model
