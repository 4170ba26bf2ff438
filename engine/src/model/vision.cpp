// Vision formation (MODEL.md §4.5): in phases with vision sessions, residents take part
// (active and invited residents first; process leadership widens the circle to others). The
// vision V rises toward a ceiling set by breadth (share of residents who took part) and
// diversity (spread of participants over age and resources), not by hours alone.
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void vision_formation(World& w, Buurt& b, const Scratch& s) {
  const Params& p = *w.p;
  auto& r = w.residents;
  const double v0 = p.building_blocks.vision;
  if (b.h_vision <= 0 || b.count == 0) {
    // Without sessions a vision slowly loses its hold once the programme is gone.
    if (!w.programme.alive && b.vision > v0) b.vision -= 0.002 * (b.vision - v0);
    return;
  }
  const double pl = w.process_leadership();
  const double seats = b.h_vision * p.vision.participants_per_hour;
  // Who is in the room: engaged or invited residents, plus others when a neutral leader
  // reaches beyond the usual suspects.
  double eligible = 0;
  const double wider = pl * p.vision.leadership_breadth;
  for (std::uint32_t i = 0; i < b.count; ++i) {
    const std::uint32_t row = b.first + i;
    const bool core = r.engagement[row] != Engagement::passive || r.invited_until[row] > w.week;
    eligible += core ? 1.0 : wider * 0.5;
  }
  if (eligible <= 0) return;
  for (std::uint32_t i = 0; i < b.count; ++i) {
    const std::uint32_t row = b.first + i;
    const bool core = r.engagement[row] != Engagement::passive || r.invited_until[row] > w.week;
    const double weight = core ? 1.0 : wider * 0.5;
    if (weight <= 0 || (r.flags[row] & flag_vision)) continue;
    if (s.draws[i][draw_vision] >= std::min(1.0, seats * weight / eligible)) continue;
    r.flags[row] |= flag_vision;
    ++b.vision_participants;
    ++b.vision_groups[static_cast<std::size_t>(r.age_band[row] * 2 + (r.ses[row] >= 0.5f ? 1 : 0))];
  }
  // Breadth: 20% of residents taking part counts as fully broad.
  const double breadth = std::min(1.0, b.vision_participants / (0.2 * b.count));
  double entropy = 0;
  for (int g : b.vision_groups)
    if (g > 0) {
      const double q = static_cast<double>(g) / b.vision_participants;
      entropy -= q * std::log(q);
    }
  const double diversity = entropy / std::log(8.0);
  const double ceiling = v0 + (1.0 - v0) * ((1.0 - p.vision.diversity_weight) * breadth + p.vision.diversity_weight * diversity * breadth);
  if (ceiling > b.vision) b.vision += p.vision.formation_rate * (ceiling - b.vision);
}

}  // namespace wijksim::model
