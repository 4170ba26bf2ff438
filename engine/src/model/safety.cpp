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
  // Renewed dwellings feel safer (SCP 2013: the one effect found in the Vogelaar wijken); public
  // space acts only through disorder (physical_capital.cpp).
  const float buurt_term =
      static_cast<float>(safety_buurt_term(p, b) + p.physical.safety_effect * renewal_effect(p, b)) +
      spread * usual_fear - 0.5f * w_social;
  // Branch-free over restrict pointers, so it vectorises (bench/README.md, "Vectorisation").
  const std::uint32_t n = b.place.count, first = b.place.first;
  const std::int32_t week = w.week, heard_new = w.week + heard_for;
  const std::uint8_t* __restrict heard_now = s.heard.data();
  const float* __restrict tie_fear = s.tie_fear.data();
  std::int32_t* __restrict heard_until = r.heard_until.data() + first;
  const std::int32_t* __restrict victim_until = r.victim_until.data() + first;
  const float* __restrict offset = r.safety_offset.data() + first;
  const float* __restrict social = r.social.data() + first;
  float* __restrict safety = r.safety.data() + first;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::int32_t until = heard_now[i] ? heard_new : heard_until[i];
    heard_until[i] = until;
    const float heard = static_cast<float>(until > week);
    const float victim = static_cast<float>(victim_until[i] > week);
    // safety_target() written out in float, plus fear spreading: ties more afraid than usual
    // lower one's target, calmer ties raise it.
    const float target =
        clamp01(buurt_term + offset[i] + w_social * social[i] - w_heard * heard - w_victim * victim - spread * tie_fear[i]);
    const float P = safety[i];
    const float rate = target < P ? rise : recover;  // fear comes fast, goes slowly
    safety[i] = clamp01(P + rate * (target - P));
  }
}

}  // namespace wijksim::model
