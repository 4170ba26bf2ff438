// Casework of the sociaal wijkteam (MODEL.md §7.7.2). The casework hours professional_time
// assigns to a buurt resolve residents' problems (debts, care, housing): each case helped
// raises the resident's efficacy, lifts some frustration and gives back some free hours, so
// casework is not only hours lost to proactive work but a pathway of its own. Cases go to
// residents with fewer resources: of two residents drawn, the one with the lower ses.
#include <algorithm>
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void casework(World& w, Buurt& b) {
  const Params& p = *w.p;
  const auto& sp = p.staff;
  if (b.place.count == 0 || sp.casework_hours_per_case <= 0) return;
  b.casework.casework_acc += b.hours.h_casework / sp.casework_hours_per_case;
  const int cases = static_cast<int>(std::min<double>(b.casework.casework_acc, b.place.count));
  b.casework.casework_acc -= cases;
  if (cases == 0) return;
  auto& r = w.residents;
  CounterRng rng = w.rng(Stream::staff, EntityId{b.place.key, 0xFFFFFFF1u});
  const auto gain = static_cast<float>(sp.casework_efficacy_gain), relief = static_cast<float>(1.0 - sp.casework_frustration_relief);
  for (int c = 0; c < cases; ++c) {
    const std::uint32_t a = b.place.first + static_cast<std::uint32_t>(rng.uniform() * b.place.count) % b.place.count;
    const std::uint32_t z = b.place.first + static_cast<std::uint32_t>(rng.uniform() * b.place.count) % b.place.count;
    const std::uint32_t row = r.ses[a] <= r.ses[z] ? a : z;
    r.efficacy[row] += gain * (1.f - r.efficacy[row]);
    r.frustration[row] *= relief;
    // Problems solved give time back, up to what residents of that age usually have.
    const auto usual = static_cast<float>(p.residents.free_hours[r.age_band[row]]);
    if (r.free_hours[row] < usual)
      r.free_hours[row] = std::min(usual, r.free_hours[row] + static_cast<float>(sp.casework_free_hours_gain));
  }
}

}  // namespace wijksim::model
