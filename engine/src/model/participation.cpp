// Participation (MODEL.md §4.4): a Granovetter threshold rule on the network with logistic
// noise. A passive resident joins with weekly probability join_rate * logistic((u - theta) /
// noise), where u weighs trust, social trust, efficacy, the active share among ties, a recent
// invitation, urgency while the programme mobilises, minus the cost of taking part and
// frustration. Active residents drop out with a hazard that rises with frustration, long crew
// duty and a utility that fell below the threshold, and falls with a shared vision. Active
// residents with efficacy and free hours become initiators.
// Overload (participatiemoeheid): fatigue F rises with load (a week of crew duty counts 1,
// being invited again while already active counts fatigue_invited_load) and fades; it lowers
// the utility and raises the drop-out hazard, and ties who are burnt out (F above
// fatigue_tired) lower their ties' utility too. Read from last week: F is updated after the
// decisions.
#include <array>
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void participation(World& w, Buurt& b, Scratch& s) {
  const Params& p = *w.p;
  const auto& pp = p.participation;
  auto& r = w.residents;
  const PhaseSpec* ph = w.phase();
  const bool mobilising = ph && ph->mobilising && b.gov.in_programme;
  const double urgency = mobilising ? w.wijken[b.place.wijk].urgency : 0.0;
  const double vision_keep = 1.0 - pp.dropout_vision * b.vision.level;
  const float inv_noise = static_cast<float>(1.0 / pp.noise);
  // The plan's legitimacy among residents (vision.cpp) raises or lowers willingness to join.
  const double legitimacy =
      programme_reaches(w, b) ? p.legitimacy.join_weight * (b.expectations.legitimacy - p.legitimacy.neutral) : 0.0;
  // Crowding-out: where the programme's professionals made most of the buurt's recent results,
  // and did so instead of helping residents make them, taking part seems less needed and less
  // one's own (last week's memories, initiatives.cpp).
  const auto& ini = b.initiatives;
  const double made = ini.programme_results_recent + ini.resident_results_recent;
  const double hands_on = ini.programme_project_hours_recent + ini.programme_support_hours_recent;
  const double taken_over = hands_on > 0 ? ini.programme_project_hours_recent / hands_on : 0.0;
  const double crowding = made > 0 ? pp.crowding_out * taken_over * ini.programme_results_recent / made : 0.0;
  const auto join_rate = static_cast<float>(pp.join_rate);
  const double organiser_stay = 1.0 - p.self_organisation.organiser_commitment;
  for (std::uint32_t i = 0; i < b.place.count; ++i) {
    const std::uint32_t row = b.place.first + i;
    const float draw = s.draws[i][draw_participation];
    // A passive resident joins with probability join_rate x willing <= join_rate: most
    // residents are decided before their utility is even computed.
    if (r.engagement[row] == Engagement::passive && draw >= join_rate) continue;
    const float free_h = r.free_hours[row];
    const float cost = 0.5f * (1.f - std::min(1.f, free_h / 8.f)) + 0.5f * (1.f - r.ses[row]);
    const bool invited = r.invited_until[row] > w.week;
    const double u = pp.beta_trust * r.trust[row] + pp.beta_social * r.social[row] +
                     pp.beta_efficacy * r.efficacy[row] + pp.beta_network * s.tie_active[i] +
                     (invited ? pp.beta_invited : 0.0) + pp.beta_urgency * urgency -
                     pp.beta_cost * cost * b.place.participation_cost_factor - r.frustration[row] + legitimacy -
                     crowding - pp.beta_fatigue * r.fatigue[row] - pp.beta_tired_ties * s.tie_tired[i] +
                     p.residents.age_propensity[r.age_band[row]];
    const float z = static_cast<float>(u - r.theta[row]) * inv_noise;
    const float willing = 1.f / (1.f + std::exp(-z));
    switch (r.engagement[row]) {
      case Engagement::passive:
        if (draw < join_rate * willing) {
          r.engagement[row] = Engagement::active;
          r.duty_weeks[row] = 0;
        }
        break;
      case Engagement::active:
      case Engagement::initiator: {
        const bool crew = r.flags[row] & flag_in_crew;
        if (crew && r.duty_weeks[row] < 65535) ++r.duty_weeks[row];
        const double hazard = pp.dropout * (1.0 + pp.dropout_frustration * r.frustration[row]) *
                              (1.0 + pp.dropout_fatigue * r.fatigue[row]) *
                              (1.0 + pp.dropout_duty * r.duty_weeks[row] / weeks_per_year) * vision_keep *
                              (1.0 + 2.0 * (1.0 - willing)) *
                              ((r.flags[row] & flag_organiser) ? organiser_stay : 1.0);  // organisers are committed (self_organisation.cpp)
        if (draw < hazard) {
          r.engagement[row] = Engagement::passive;
          r.flags[row] &= static_cast<std::uint8_t>(~(flag_in_crew | flag_wants_initiative));
          r.duty_weeks[row] = 0;
          break;
        }
        if (r.engagement[row] == Engagement::active && !crew && r.efficacy[row] >= pp.initiator_efficacy_min &&
            free_h >= 2.f && s.draws[i][draw_initiator] < pp.initiator_rate * r.efficacy[row] * 2.0) {
          r.engagement[row] = Engagement::initiator;
          r.flags[row] |= flag_wants_initiative;
        }
        break;
      }
    }
  }
  // Fatigue: F += rise x load x (1 - F) - recovery x F, branch-free over restrict pointers.
  {
    const std::uint32_t n = b.place.count, first = b.place.first;
    float* __restrict fatigue = r.fatigue.data() + first;
    const std::uint8_t* __restrict flags = r.flags.data() + first;
    const Engagement* __restrict engagement = r.engagement.data() + first;
    const std::int32_t* __restrict invited_until = r.invited_until.data() + first;
    const float rise = static_cast<float>(pp.fatigue_rise), keep = static_cast<float>(1.0 - pp.fatigue_recovery),
                invited_load = static_cast<float>(pp.fatigue_invited_load);
    const std::int32_t week = w.week;
    for (std::uint32_t i = 0; i < n; ++i) {
      const float crew = static_cast<float>((flags[i] & flag_in_crew) != 0);
      // `&`, not `&&`: a short-circuit is control flow, which keeps the loop from vectorising.
      const float asked = static_cast<float>((engagement[i] != Engagement::passive) & (invited_until[i] > week));
      const float F = fatigue[i];
      fatigue[i] = clamp01(F * keep + rise * (crew + invited_load * asked) * (1.f - F));
    }
  }
  // The core changes slowly: recomputed every four weeks (a pass over the buurt's rows).
  if (w.step % 4 == 0) active_core(w, b);
}

void active_core(World& w, Buurt& b) {
  // Who the active core is, as state other processes read (vision, legitimacy): counts by age
  // band x resources (below/above 0.5), the same groups as vision formation's.
  const auto& r = w.residents;
  std::array<int, 2 * age_band_count> all{}, core{};
  double ses = 0;
  for (std::uint32_t row = b.place.first; row < b.place.first + b.place.count; ++row) {
    const std::size_t g = static_cast<std::size_t>(r.age_band[row]) * 2 + (r.ses[row] >= 0.5f ? 1 : 0);
    const bool active = r.engagement[row] != Engagement::passive;
    ++all[g];
    core[g] += active;
    ses += active ? r.ses[row] : 0.f;
  }
  int n_core = 0;
  for (int c : core) n_core += c;
  if (n_core == 0 || b.place.count == 0) {
    b.participation.core_breadth = 0;
    b.participation.core_ses = 0;
    b.participation.core_old_share = 0;
    return;
  }
  // 1 - Duncan's dissimilarity index between the core and all adults.
  double dissimilarity = 0;
  for (std::size_t g = 0; g < all.size(); ++g)
    dissimilarity += std::abs(static_cast<double>(core[g]) / n_core - static_cast<double>(all[g]) / b.place.count);
  b.participation.core_breadth = 1.0 - 0.5 * dissimilarity;
  b.participation.core_ses = ses / n_core;
  const std::size_t old = 2 * (age_band_count - 1);
  b.participation.core_old_share = static_cast<double>(core[old] + core[old + 1]) / n_core;
}

}  // namespace wijksim::model
