// Perceived safety (MODEL.md §4.9). Each resident's P moves toward a personal target set by
// social trust, collective efficacy, perceived disorder (with a compositional bias by
// deprivation), incidents heard of or suffered, visible professionals and the active share.
// Fear comes fast and goes slowly (two rates), and spreads through ties (their fear relative
// to the usual level shifts one's target).
#include "wijksim/city/build.hpp"
#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void perceived_safety(World& w, Buurt& b, const Scratch& s) {
  const Params& p = *w.p;
  const auto& sp = p.safety;
  auto& r = w.residents;
  const auto heard_for = static_cast<std::int32_t>(sp.heard_weeks + 0.5);
  const float rise = static_cast<float>(sp.fear_rise), recover = static_cast<float>(sp.fear_recovery);
  const float spread = static_cast<float>(sp.fear_spread), usual_fear = static_cast<float>(1.0 - sp.base);
  const float w_social = static_cast<float>(sp.w_social), w_heard = static_cast<float>(sp.w_heard),
              w_victim = static_cast<float>(sp.w_victim);
  // The buurt's part of the target (safety_buurt_term), and fear spreading's constant part.
  const float buurt_term = static_cast<float>(safety_buurt_term(p, b)) + spread * usual_fear - 0.5f * w_social;
  for (std::uint32_t i = 0; i < b.count; ++i) {
    const std::uint32_t row = b.first + i;
    if (s.heard[i]) r.heard_until[row] = w.week + heard_for;
    const float heard = r.heard_until[row] > w.week ? 1.f : 0.f;
    const float victim = r.victim_until[row] > w.week ? 1.f : 0.f;
    // safety_target() written out in float, plus fear spreading: ties more afraid than usual
    // lower one's target, calmer ties raise it.
    const float target = clamp01(buurt_term + r.safety_offset[row] + w_social * r.social[row] - w_heard * heard -
                                 w_victim * victim - spread * s.tie_fear[i]);
    const float P = r.safety[row];
    const float rate = target < P ? rise : recover;  // fear comes fast, goes slowly
    r.safety[row] = clamp01(P + rate * (target - P));
  }
}

}  // namespace wijksim::model
