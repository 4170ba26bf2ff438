// What each resident perceives through ties this week, from last week's NeighbourView:
// the active share among ties (threshold rule), their fear (fear spreading), incidents they
// heard of, experiences with the municipality they were told about, and the mean trust of
// ties within the resident's confidence bound (Hegselmann-Krause). One pass over the ties.
// It also draws the resident's random numbers for the week (Scratch::draws).
#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void sense_ties(World& w, const Buurt& b, Scratch& s) {
  const auto& r = w.residents;
  const NeighbourView* view = r.view.data();
  const std::uint32_t* offsets = r.tie_offsets.data();
  const std::uint32_t* ties = r.ties.data();
  const std::uint64_t key = w.keys[Stream::resident_week];
  for (std::uint32_t i = 0; i < b.count; ++i) {
    const std::uint32_t row = b.first + i;
    const int own = view_trust(view[row]);
    const int eps = static_cast<int>(r.epsilon[row] * 255.f);
    std::uint64_t lanes = 0;
    unsigned trust_sum = 0, n_trust = 0;
    const std::uint32_t n = offsets[row + 1] - offsets[row];  // the network has no self-ties
    for (std::uint32_t k = offsets[row]; k < offsets[row + 1]; ++k) {
      const std::uint64_t v = view[ties[k]].word;
      lanes += v;
      const auto t = static_cast<unsigned>(v >> lane_trust);
      // |t - own| < eps as one unsigned comparison.
      const unsigned close = static_cast<unsigned>(static_cast<int>(t) - own + eps - 1) < static_cast<unsigned>(2 * eps - 1);
      trust_sum += t & (0u - close);
      n_trust += close;
    }
    const float inv = n > 0 ? 1.f / static_cast<float>(n) : 0.f;
    s.tie_fear[i] = static_cast<float>((lanes >> lane_fear) & lane_mask_fear) * inv * (1.f / 255.f);
    s.tie_active[i] = static_cast<float>((lanes >> lane_active) & lane_mask_count) * inv;
    s.news_good[i] = static_cast<float>((lanes >> lane_good) & lane_mask_count) * inv;
    s.news_bad[i] = static_cast<float>((lanes >> lane_bad) & lane_mask_count) * inv;
    s.heard[i] = static_cast<std::uint8_t>(((lanes >> lane_victim) & lane_mask_count) != 0);
    s.hk_target[i] = n_trust > 0 ? static_cast<float>(trust_sum) / (255.f * static_cast<float>(n_trust)) : -1.f;
    counter_uniforms4(key, w.resident_id(b, i), w.step, s.draws[i].data());
  }
}

}  // namespace wijksim::model
