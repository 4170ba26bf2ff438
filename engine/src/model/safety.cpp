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
  const double buurt_term = safety_buurt_term(p, b);
  for (std::uint32_t i = 0; i < b.count; ++i) {
    const std::uint32_t row = b.first + i;
    if (s.heard[i]) r.heard_until[row] = w.week + heard_for;
    const bool heard = r.heard_until[row] > w.week;
    const bool victim = r.victim_until[row] > w.week;
    // Fear spreads: ties more afraid than usual lower one's target, calmer ties raise it.
    const float target = clamp01(safety_target(p, buurt_term, r.social[row], r.safety_offset[row], heard, victim) -
                                 spread * (s.tie_fear[i] - usual_fear));
    float P = r.safety[row];
    P += (target < P ? rise : recover) * (target - P);
    r.safety[row] = clamp01(P);
  }
}

}  // namespace wijksim::model
