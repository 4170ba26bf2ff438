// Vision formation and the plan's legitimacy (MODEL.md §7.6). In phases with vision sessions,
// residents take part (active and invited residents first; process leadership widens the
// circle to others). The vision V rises toward a ceiling set by breadth (share of residents
// who took part) and diversity (spread of participants over age and resources), not by hours
// alone. The same breadth and diversity, and the neutrality of who ran the sessions, set the
// plan's legitimacy among residents: a plan made without them keeps the low legitimacy it
// started with, which costs uptake of projects and brings resistance when they go ahead.
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {

double project_uptake(const World& w, const Buurt& b) {
  return 1.0 - w.p->legitimacy.uptake_loss * (1.0 - b.expectations.legitimacy);
}

// Each adult opposes the project with probability resistance * (1 - L); for those who did, the
// municipality went ahead over their heads: a bad experience and some frustration. Opponents
// are found by geometric skips, so a project costs draws in proportion to its opponents.
void project_resistance(World& w, Buurt& b) {
  const auto& lp = w.p->legitimacy;
  const double q = lp.resistance * (1.0 - b.expectations.legitimacy);
  if (q <= 0 || b.place.count == 0) return;
  auto& r = w.residents;
  CounterRng rng =
      w.rng(Stream::vision,
            EntityId{b.place.key, 0x40000000u + static_cast<std::uint32_t>(b.initiatives.visible_results_week)});
  const double log_miss = std::log1p(-std::min(q, 0.999999));
  for (double i = std::floor(std::log1p(-rng.uniform()) / log_miss); i < b.place.count;
       i += 1.0 + std::floor(std::log1p(-rng.uniform()) / log_miss)) {
    const std::uint32_t row = b.place.first + static_cast<std::uint32_t>(i);
    add_bad_experience(r, row);
    r.frustration[row] += static_cast<float>(lp.resistance_frustration);
    ++b.outreach.resisting_week;
  }
}

void vision_formation(World& w, Buurt& b, const Scratch& s) {
  const Params& p = *w.p;
  auto& r = w.residents;
  const double v0 = p.building_blocks.vision;
  if (b.hours.h_vision <= 0 || b.place.count == 0) {
    // Without sessions a vision slowly loses its hold once the programme is gone, and the
    // plan's legitimacy relaxes toward that of a plan made without residents.
    if (!w.programme.alive && b.vision.level > v0)
      b.vision.level -= p.vision.post_programme_decay * (b.vision.level - v0);
    b.expectations.legitimacy -= p.legitimacy.decay * (b.expectations.legitimacy - p.legitimacy.base);
    return;
  }
  const double pl = w.process_leadership();
  const double seats = b.hours.h_vision * p.vision.participants_per_hour;
  // Who is in the room: engaged or invited residents, plus others when a neutral leader
  // reaches beyond the usual suspects.
  double eligible = 0;
  const double wider = pl * p.vision.leadership_breadth * p.vision.noncore_weight;
  for (std::uint32_t i = 0; i < b.place.count; ++i) {
    const std::uint32_t row = b.place.first + i;
    const bool core = r.engagement[row] != Engagement::passive || r.invited_until[row] > w.week;
    eligible += core ? 1.0 : wider;
  }
  if (eligible <= 0) return;
  for (std::uint32_t i = 0; i < b.place.count; ++i) {
    const std::uint32_t row = b.place.first + i;
    const bool core = r.engagement[row] != Engagement::passive || r.invited_until[row] > w.week;
    const double weight = core ? 1.0 : wider;
    if (weight <= 0 || (r.flags[row] & flag_vision)) continue;
    if (s.draws[i][draw_vision] >= std::min(1.0, seats * weight / eligible)) continue;
    r.flags[row] |= flag_vision;
    ++b.vision.vision_participants;
    ++b.vision.vision_groups[static_cast<std::size_t>(r.age_band[row] * 2 + (r.ses[row] >= 0.5f ? 1 : 0))];
  }
  const double breadth = std::min(1.0, b.vision.vision_participants / (p.vision.full_breadth_share * b.place.count));
  double entropy = 0;
  for (int g : b.vision.vision_groups)
    if (g > 0) {
      const double q = static_cast<double>(g) / b.vision.vision_participants;
      entropy -= q * std::log(q);
    }
  const double diversity = entropy / std::log(static_cast<double>(b.vision.vision_groups.size()));
  const double dw = p.vision.diversity_weight;
  const double broad = (1.0 - dw) * breadth + dw * diversity * breadth;
  const double ceiling = v0 + (1.0 - v0) * broad;
  if (ceiling > b.vision.level) b.vision.level += p.vision.formation_rate * (ceiling - b.vision.level);
  // Legitimacy: as broad and diverse as the circle that made the plan, and as neutral as who ran it.
  const auto& lp = p.legitimacy;
  const double target = lp.base + (1.0 - lp.base) * broad * ((1.0 - lp.leadership_weight) + lp.leadership_weight * pl);
  if (target > b.expectations.legitimacy)
    b.expectations.legitimacy += lp.formation_rate * (target - b.expectations.legitimacy);
}

}  // namespace wijksim::model
