// Outreach (MODEL.md §7.4): proactive hours become contacts with passive residents who are not
// already invited, with diminishing returns. Contacts are spread by a targeting weight; the
// chance of being reached saturates (1 - exp(-m w / W)). Distrustful residents are harder to
// reach (a share of their contacts fails) unless a neutral process leader works here. A
// contact marks the resident invited (a programme invitation is a promise: expectations.cpp),
// records who was reached (breadth and diversity of uitnodigen), and moves trust toward what
// the professionals have earned here.
#include <array>
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void outreach(World& w, Buurt& b, Scratch& s) {
  const Params& p = *w.p;
  auto& r = w.residents;
  // Diminishing returns: the first hours reach the easy doors; more hours in the same buurt
  // find fewer new people (contacts saturate at saturation hours x contacts per hour).
  const double saturation = p.staff.outreach_saturation * std::max(1, b.place.residents_total) / 1000.0;
  const double contacts = p.staff.contacts_per_hour * saturation * (1.0 - std::exp(-b.hours.h_outreach / saturation));
  b.outreach.resisting_week = 0;  // counted when projects go ahead (initiatives.cpp), read by observation
  if (contacts <= 0 || b.place.count == 0) return;
  const bool promising = programme_reaches(w, b);
  const auto& op = p.outreach;
  const float floor_w = static_cast<float>(op.targeting_floor), gain_w = static_cast<float>(op.targeting_gain);
  const auto targeting = static_cast<Targeting>(p.outreach.targeting);
  // Branch-free over local pointers, one loop per targeting rule: whether a resident can be
  // contacted is a coin flip to the branch predictor, and byte stores would force reloads.
  const std::uint32_t n = b.place.count;
  const Engagement* engagement = r.engagement.data() + b.place.first;
  const std::int32_t* invited_until = r.invited_until.data() + b.place.first;
  const float* trust = r.trust.data() + b.place.first;
  const float* tie_active = s.tie_active.data();
  float* weights = s.weight.data();
  const std::int32_t week = w.week;
  double total = 0;
  auto spread = [&](auto rule) {
    for (std::uint32_t i = 0; i < n; ++i) {
      const bool open = (engagement[i] == Engagement::passive) & (invited_until[i] <= week);
      const float weight = open ? rule(i) : 0.f;
      weights[i] = weight;
      total += weight;
    }
  };
  switch (targeting) {
    case Targeting::random: spread([](std::uint32_t) { return 1.f; }); break;
    case Targeting::low_trust_first:
      spread([&](std::uint32_t i) { return floor_w + gain_w * (1.f - trust[i]) * (1.f - trust[i]); });
      break;
    case Targeting::via_active: spread([&](std::uint32_t i) { return floor_w + gain_w * tie_active[i]; }); break;
  }
  if (total <= 0) return;
  // Process leadership: perceived neutrality makes contact count more for those who distrust.
  const double pl = w.process_leadership() * (b.hours.h_leader > 0 ? 1.0 : 0.0);
  const double earned =
      p.outreach.stranger_trust + (p.outreach.relationship_trust - p.outreach.stranger_trust) * b.hours.relationship;
  const double scale = contacts / total;
  const auto invite = static_cast<std::int32_t>(std::lround(p.participation.invite_weeks));
  const auto neutral = static_cast<float>(1.0 - pl);
  const auto scale_f = static_cast<float>(scale);
  // The response below is at most 1 when both factors are shares (as the parameter table
  // bounds them), so x <= scale x weight: most residents are decided on that bound alone.
  const bool response_capped = p.trust.low_trust_reach >= 0 && neutral >= 0.f;
  const std::array<float, 4>* draws = s.draws.data();
  for (std::uint32_t i = 0; i < n; ++i) {
    // reach = 1 - exp(-x) <= x: most draws are decided without computing the exponential.
    const float u = draws[i][draw_outreach];
    const float sw = scale_f * weights[i];
    if (u >= sw && response_capped) continue;  // also every resident of weight 0
    if (weights[i] <= 0) continue;
    const std::uint32_t row = b.place.first + i;
    // A contact with a distrustful resident fails more often (the door stays shut), less so
    // where a neutral process leader works.
    const float response = 1.f - (1.f - outreach_response(p, trust[i])) * neutral;
    const float x = sw * response;
    if (u >= x || u >= 1.f - std::exp(-x)) continue;
    r.invited_until[row] = w.week + invite;
    if (!(r.flags[row] & flag_reached)) {
      r.flags[row] |= flag_reached;
      ++b.outreach.reached;
      if (promising) r.promised[row] = w.week;  // a first invitation is a promise (expectations.cpp)
      ++b.outreach.reached_groups[static_cast<std::size_t>(r.age_band[row] * 2 + (r.ses[row] >= 0.5f ? 1 : 0))];
    }
    const float t = r.trust[row];
    const double rate = p.outreach.contact_trust_rate * (1.0 + pl * p.outreach.leadership_low_trust_gain * (1.0 - t));
    // Meeting a professional who has earned less trust than one has pulls gently down.
    const double step = earned >= t ? std::min(1.0, rate) * (earned - t) : op.downward_step * op.contact_trust_rate * (earned - t);
    r.trust[row] = clamp01(static_cast<float>(t + step));
  }
}

}  // namespace wijksim::model
