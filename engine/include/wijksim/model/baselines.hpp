#pragma once
// Model formulas that the build (city/population.cpp) and the weekly processes share: the
// levels a buurt or a resident starts from and is pulled toward. They are model, not
// construction, so they live here; the build calls them to initialise what the step moves.
#include "wijksim/scenario/params.hpp"
#include "wijksim/sim/state.hpp"

namespace wijksim {

// A resident's baseline institutional trust (MODEL.md §4.10): logit-normal around the lever,
// shifted by resources, age band and deprivation; z is a standard normal draw.
double baseline_trust(const Params& p, double ses, int band, double deprivation, double z);
// Equilibrium disorder of a buurt without a programme.
double equilibrium_disorder(const Params& p, double deprivation);

// Residents' safety target (MODEL.md §4.9), shared by initialisation and the weekly step: the
// buurt's part once per buurt, the personal part per resident. Centred terms: at average
// conditions the target is safety.base.
inline double safety_buurt_term(const Params& p, const Buurt& b) {
  const auto& s = p.safety;
  const double perceived_disorder = b.incidents.disorder + s.deprivation_bias * b.place.deprivation;
  return s.base + s.w_efficacy * (b.last_week.collective_efficacy - 0.3) - s.w_disorder * (perceived_disorder - 0.35) +
         s.w_presence * (b.hours.presence - 0.3) + s.w_active * (b.last_week.active_share - 0.07);
}
inline float safety_target(const Params& p, double buurt_term, float social, float offset, bool heard, bool victim) {
  const auto& s = p.safety;
  double t = buurt_term + offset + s.w_social * (social - 0.5);
  if (heard) t -= s.w_heard;
  if (victim) t -= s.w_victim;
  return static_cast<float>(t < 0 ? 0 : (t > 1 ? 1 : t));
}

}  // namespace wijksim
