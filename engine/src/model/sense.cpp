// What each resident perceives through ties this week, from last week's NeighbourView:
// the active share among ties (threshold rule), their fear (fear spreading), incidents they
// heard of, experiences with the municipality they were told about, the share of ties who are
// burnt out (participatiemoeheid), and the mean trust of ties within the resident's confidence
// bound (Hegselmann-Krause). One pass over the network ties, then the few work ties (formed in
// crews, weighted by how recently they were reinforced). A newcomer hears from their ties in
// proportion to how long they have lived here (network.acquaint_weeks).
// It also draws the resident's random numbers for the week (Scratch::draws).
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {

namespace {
// A work tie whose weight fell below this no longer counts (about 3 lifetimes).
constexpr float kWorkTieFloor = 0.05f;
}  // namespace

void sense_ties(World& w, const Buurt& b, Scratch& s) {
  const auto& r = w.residents;
  const NeighbourView* view = r.view.data();
  const std::uint32_t* offsets = r.tie_offsets.data();
  const std::uint32_t* ties = r.ties.data();
  const std::uint64_t key = w.keys[Stream::resident_week];
  const float inv_lifetime = static_cast<float>(1.0 / w.p->network.work_tie_lifetime);
  const float inv_acquaint = static_cast<float>(1.0 / w.p->network.acquaint_weeks);
  for (std::uint32_t i = 0; i < b.place.count; ++i) {
    const std::uint32_t row = b.place.first + i;
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
    float fear = static_cast<float>((lanes >> lane_fear) & lane_mask_fear) * (1.f / 255.f);
    float active = static_cast<float>((lanes >> lane_active) & lane_mask_count);
    float good = static_cast<float>((lanes >> lane_good) & lane_mask_count);
    float bad = static_cast<float>((lanes >> lane_bad) & lane_mask_count);
    float tired = static_cast<float>((lanes >> lane_tired) & lane_mask_count);
    bool victims = ((lanes >> lane_victim) & lane_mask_count) != 0;
    float total = static_cast<float>(n), trust_w = static_cast<float>(trust_sum), n_trust_w = static_cast<float>(n_trust);
    // Work ties: most residents have none, which their flag byte tells without loading the slots.
    if (r.flags[row] & flag_work_ties) {
      const WorkTies& wt = r.work_ties[row];
      for (int k = 0; k < WorkTies::slots; ++k) {
        const std::uint32_t t_row = wt.row[static_cast<std::size_t>(k)];
        if (t_row == WorkTies::none || r.arrived[t_row] > wt.last[static_cast<std::size_t>(k)]) continue;
        const float weight = std::exp(-static_cast<float>(w.step - wt.last[static_cast<std::size_t>(k)]) * inv_lifetime);
        if (weight < kWorkTieFloor) continue;
        const std::uint64_t v = view[t_row].word;
        total += weight;
        fear += weight * static_cast<float>((v >> lane_fear) & lane_mask_fear) * (1.f / 255.f);
        active += weight * static_cast<float>((v >> lane_active) & 1u);
        good += weight * static_cast<float>((v >> lane_good) & 1u);
        bad += weight * static_cast<float>((v >> lane_bad) & 1u);
        tired += weight * static_cast<float>((v >> lane_tired) & 1u);
        victims = victims || ((v >> lane_victim) & 1u);
        const auto t = static_cast<int>(v >> lane_trust);
        if (std::abs(t - own) < eps) {
          trust_w += weight * static_cast<float>(t);
          n_trust_w += weight;
        }
      }
    }
    // A newcomer knows few of their ties yet: what they hear scales with time lived here.
    const float acquaint = std::min(1.f, static_cast<float>(w.step - r.arrived[row]) * inv_acquaint);
    const float inv = total > 0 ? acquaint / total : 0.f;
    s.tie_fear[i] = fear * inv;
    s.tie_active[i] = active * inv;
    s.news_good[i] = good * inv;
    s.news_bad[i] = bad * inv;
    s.tie_tired[i] = tired * inv;
    s.heard[i] = static_cast<std::uint8_t>(victims && acquaint >= 0.5f);
    const float own_t = static_cast<float>(own) * (1.f / 255.f);
    s.hk_target[i] = n_trust_w > 0 && acquaint > 0 ? own_t + acquaint * (trust_w / (255.f * n_trust_w) - own_t) : -1.f;
    counter_uniforms4(key, w.resident_id(b, i), w.step, s.draws[i].data());
  }
}

}  // namespace wijksim::model
