// What each resident perceives through ties this week, from last week's NeighbourView:
// the active share among ties (threshold rule), their fear (fear spreading), incidents they
// heard of, experiences with the municipality they were told about, and the mean trust of
// ties within the resident's confidence bound (Hegselmann-Krause). One pass over the ties.
#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void sense_ties(World& w, const Buurt& b, Scratch& s) {
  const auto& r = w.residents;
  const NeighbourView* view = r.view.data();
  const std::uint32_t* offsets = r.tie_offsets.data();
  const std::uint32_t* ties = r.ties.data();
  for (std::uint32_t i = 0; i < b.count; ++i) {
    const std::uint32_t row = b.first + i;
    const float own = view[row].trust;
    const float eps = r.epsilon[row];
    float active = 0, fear = 0, trust_sum = 0;
    int n = 0, n_trust = 0, good = 0, bad = 0, heard = 0;
    for (std::uint32_t k = offsets[row]; k < offsets[row + 1]; ++k) {
      const std::uint32_t j = ties[k];
      if (j == row) continue;
      const NeighbourView v = view[j];
      ++n;
      active += v.active;
      fear += v.fear;
      heard |= v.victim;
      good += v.news > 0;
      bad += v.news < 0;
      const float d = v.trust - own;
      if (d < eps && d > -eps) {
        trust_sum += v.trust;
        ++n_trust;
      }
    }
    const float inv = n > 0 ? 1.f / static_cast<float>(n) : 0.f;
    s.tie_active[i] = active * inv;
    s.tie_fear[i] = fear * inv * (1.f / 255.f);
    s.news_good[i] = static_cast<float>(good) * inv;
    s.news_bad[i] = static_cast<float>(bad) * inv;
    s.heard[i] = static_cast<std::uint8_t>(heard);
    s.hk_target[i] = n_trust > 0 ? trust_sum / static_cast<float>(n_trust) : own;
  }
}

}  // namespace wijksim::model
