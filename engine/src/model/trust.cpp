// Trust dynamics (MODEL.md §4.10). Institutional trust T: own experiences move it
// asymmetrically (a bad one weighs lambda times a good one: "trust comes on foot and leaves
// on horseback"); experiences heard from ties count at news_weight, with distrust spill-over
// damped by independent process leadership; bounded-confidence influence toward ties within
// epsilon (Hegselmann-Krause, synchronous on last week's values); slow drift to a personal
// baseline. Social trust S grows with joint activity and shrinks with fear; efficacy E grows
// with visible results in the buurt. Frustration fades.
#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void trust_dynamics(World& w, Buurt& b, const Scratch& s) {
  const Params& p = *w.p;
  const auto& tp = p.trust;
  auto& r = w.residents;
  const double damping = 1.0 - tp.leadership_damping * (b.h_leader > 0 ? w.process_leadership() : 0.0);
  const double visible = b.count > 0 ? p.initiatives.visible_efficacy_gain * b.visible_results_week *
                                           std::min(3.0, 1000.0 / std::max(1, b.residents_total))
                                     : 0.0;
  const float gain = static_cast<float>(tp.experience_gain), lambda = static_cast<float>(tp.asymmetry);
  const float news = static_cast<float>(tp.news_weight), mu = static_cast<float>(tp.social_influence);
  const float drift = static_cast<float>(tp.baseline_drift);
  const float frustration_keep = static_cast<float>(1.0 - p.participation.frustration_decay);
  for (std::uint32_t i = 0; i < b.count; ++i) {
    const std::uint32_t row = b.first + i;
    float T = r.trust[row];
    const float good = static_cast<float>(r.good_experiences[row]) + news * s.news_good[i];
    const float bad = static_cast<float>(r.bad_experiences[row]) + news * static_cast<float>(damping) * s.news_bad[i];
    T += gain * good * (1.f - T) - gain * lambda * bad * T;
    if (s.hk_target[i] >= 0.f) T += mu * (s.hk_target[i] - T);
    T += drift * (r.trust0[row] - T);
    r.trust[row] = clamp01(T);

    float S = r.social[row];
    const bool active = r.engagement[row] != Engagement::passive;
    S += static_cast<float>(tp.social_activity_gain) * (active ? 1.f : 0.f) * (1.f - S) -
         static_cast<float>(tp.social_fear_loss) * (1.f - r.safety[row]) * S + static_cast<float>(tp.social_drift) * (r.social0[row] - S);
    r.social[row] = clamp01(S);

    float E = r.efficacy[row];
    E += static_cast<float>(visible) * (1.f - E) + static_cast<float>(tp.efficacy_drift) * (r.efficacy0[row] - E);
    r.efficacy[row] = clamp01(E);
    r.frustration[row] *= frustration_keep;
  }
}

}  // namespace wijksim::model
