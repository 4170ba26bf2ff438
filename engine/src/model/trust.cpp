// Trust dynamics (MODEL.md §4.10). Institutional trust T: own experiences move it
// asymmetrically (a bad one weighs lambda times a good one: "trust comes on foot and leaves
// on horseback"); experiences heard from ties count at news_weight, with distrust spill-over
// damped by independent process leadership; bounded-confidence influence toward ties within
// epsilon (Hegselmann-Krause, synchronous on last week's values); slow drift to a personal
// baseline T0. The baseline itself moves a little with experiences (trust.baseline_learning:
// lasting change), and the distrusting weigh a bad experience more (trust.low_trust_sensitivity).
// Social trust S grows with joint activity and shrinks with fear; efficacy E grows
// with visible results in the buurt. Frustration fades.
#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void trust_dynamics(World& w, Buurt& b, const Scratch& s) {
  const Params& p = *w.p;
  const auto& tp = p.trust;
  auto& r = w.residents;
  const double damping = 1.0 - tp.leadership_damping * (b.hours.h_leader > 0 ? w.process_leadership() : 0.0);
  const double visible = b.place.count > 0 ? p.initiatives.visible_efficacy_gain * b.initiatives.visible_results_week *
                                                 std::min(3.0, 1000.0 / std::max(1, b.place.residents_total))
                                           : 0.0;
  const float gain = static_cast<float>(tp.experience_gain), lambda = static_cast<float>(tp.asymmetry);
  const float news = static_cast<float>(tp.news_weight), mu = static_cast<float>(tp.social_influence);
  const float drift = static_cast<float>(tp.baseline_drift);
  const float frustration_keep = static_cast<float>(1.0 - p.participation.frustration_decay);
  // Three branch-free passes over restrict pointers (trust, social trust, efficacy), each with
  // few enough arrays that the compiler vectorises it without run-time alias checks.
  const std::uint32_t n = b.place.count, first = b.place.first;
  {
    float* __restrict T_ = r.trust.data() + first;
    float* __restrict T0 = r.trust0.data() + first;
    const std::uint8_t* __restrict good_own = r.good_experiences.data() + first;
    const std::uint8_t* __restrict bad_own = r.bad_experiences.data() + first;
    const float* __restrict news_good = s.news_good.data();
    const float* __restrict news_bad = s.news_bad.data();
    const float* __restrict hk = s.hk_target.data();
    const float bad_news = news * static_cast<float>(damping);
    const float learn = static_cast<float>(tp.baseline_learning), sensitivity = static_cast<float>(tp.low_trust_sensitivity);
    // Two arrays written: GCC drops the locals' restrict and would not vectorise; ivdep restores
    // it (every array is read and written at index i only). Clang would warn on the pragma.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
    for (std::uint32_t i = 0; i < n; ++i) {
      float T = T_[i];
      const float good = static_cast<float>(good_own[i]) + news * news_good[i];
      const float bad = static_cast<float>(bad_own[i]) + bad_news * news_bad[i];
      const float bad_weight = lambda * (1.f + sensitivity * (0.5f - T));
      const float experienced = gain * good * (1.f - T) - gain * bad_weight * bad * T;
      T += experienced;
      const float base = clamp01(T0[i] + learn * experienced);
      T0[i] = base;
      // Computed unconditionally, then selected: no tie within the confidence bound, no pull.
      const float pulled = T + mu * (hk[i] - T);
      T = hk[i] >= 0.f ? pulled : T;
      T += drift * (base - T);
      T_[i] = clamp01(T);
    }
  }
  {
    float* __restrict S_ = r.social.data() + first;
    const float* __restrict S0 = r.social0.data() + first;
    const float* __restrict P = r.safety.data() + first;
    const Engagement* __restrict engagement = r.engagement.data() + first;
    const float activity = static_cast<float>(tp.social_activity_gain), fear_loss = static_cast<float>(tp.social_fear_loss),
                social_drift = static_cast<float>(tp.social_drift);
    for (std::uint32_t i = 0; i < n; ++i) {
      float S = S_[i];
      const auto active = static_cast<float>(engagement[i] != Engagement::passive);
      S += activity * active * (1.f - S) - fear_loss * (1.f - P[i]) * S + social_drift * (S0[i] - S);
      S_[i] = clamp01(S);
    }
  }
  {
    float* __restrict E_ = r.efficacy.data() + first;
    const float* __restrict E0 = r.efficacy0.data() + first;
    float* __restrict frustration = r.frustration.data() + first;
    const float seen = static_cast<float>(visible), efficacy_drift = static_cast<float>(tp.efficacy_drift);
    for (std::uint32_t i = 0; i < n; ++i) {
      float E = E_[i];
      E += seen * (1.f - E) + efficacy_drift * (E0[i] - E);
      E_[i] = clamp01(E);
      frustration[i] *= frustration_keep;
    }
  }
}

}  // namespace wijksim::model
