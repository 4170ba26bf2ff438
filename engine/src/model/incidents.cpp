// Incidents and disorder (MODEL.md §4.8). Recorded incidents per buurt ~ Poisson(residents x
// base rate x (1 + a D) x (1 - b CE) x (1 - c presence)); victimisation (including unrecorded
// incidents) falls on residents aged 15+, and their ties hear of it next week. Disorder rises
// with incidents, is pulled toward the buurt's equilibrium (maintenance against neglect), and
// whose level falls with renewed dwellings and public space (physical_capital.cpp), and falls
// with completed initiatives (initiatives.cpp).
#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "wijksim/city/build.hpp"
#include "wijksim/model/processes.hpp"

namespace wijksim::model {

double recorded_crime_factor(const Params& p, const BuurtSpec& spec) {
  if (spec.recorded_crime_per_1000 < 0 || p.incidents.recorded_reference <= 0) return 1.0;
  // Data set the buurt's level relative to the country; the disorder term already raises the
  // rate of a deprived buurt, so that part of the data is divided out rather than counted twice.
  const double relative = spec.recorded_crime_per_1000 / 1000.0 / weeks_per_year / p.incidents.recorded_reference;
  const double own_disorder = 1.0 + p.incidents.disorder_effect * equilibrium_disorder(p, spec.deprivation);
  const double centre_disorder = 1.0 + p.incidents.disorder_effect * equilibrium_disorder(p, 0.4);
  return std::clamp(relative * centre_disorder / own_disorder, 0.1, 10.0);
}

void incidents_and_disorder(World& w, Buurt& b) {
  const Params& p = *w.p;
  const auto& ip = p.incidents;
  auto& r = w.residents;
  CounterRng rng = w.rng(Stream::incidents, EntityId{b.place.key, 0xFFFFFFFFu});
  const double rate = b.place.residents_total * ip.base_rate * (1.0 + ip.disorder_effect * b.incidents.disorder) *
                      (1.0 - ip.efficacy_effect * b.last_week.collective_efficacy) *
                      (1.0 - ip.presence_effect * b.hours.presence) * b.gov.incident_multiplier * b.place.crime_factor;
  int incidents = 0;
  if (rate > 0) incidents = boost::random::poisson_distribution<int, double>(rate)(rng);
  b.incidents.incidents_week = incidents;
  if (incidents > 0 && b.place.count > 0) {
    const double victims_mean =
        incidents * ip.victims_per_incident * b.place.count / std::max(1, b.place.residents_total);
    const int victims = victims_mean > 0 ? boost::random::poisson_distribution<int, double>(victims_mean)(rng) : 0;
    const auto until = w.week + static_cast<std::int32_t>(std::lround(p.safety.victim_weeks));
    const auto until_unanswered =
        w.week + static_cast<std::int32_t>(std::lround(p.safety.victim_weeks * p.response.unanswered_fear));
    // Whether a victim's incident is followed up (MODEL.md 7.8.2) is drawn from its own key, so
    // the victims themselves are the same whatever the response.
    CounterRng answer = w.rng(Stream::incidents, EntityId{b.place.key, 0xFFFFFFFEu});
    for (int k = 0; k < victims; ++k) {
      const std::uint32_t row = b.place.first + static_cast<std::uint32_t>(rng.uniform() * b.place.count);
      r.victim_now[row] = 1;
      // The flag records which kind of incident set victim_until, so the metrics can tell when
      // the victimisation happened (it changes no behaviour).
      if (answer.uniform() < b.hours.answered) {
        if (until > r.victim_until[row]) {
          r.victim_until[row] = until;
          r.flags[row] &= static_cast<std::uint8_t>(~flag_fear_unanswered);
        }
      } else {  // nobody came: fear lasts longer, and the authorities let them down
        if (until_unanswered > r.victim_until[row]) {
          r.victim_until[row] = until_unanswered;
          r.flags[row] |= flag_fear_unanswered;
        }
        add_bad_experience(r, row);
      }
    }
  }
  // Disorder.
  const double per_1000 = b.place.residents_total > 0 ? incidents * 1000.0 / b.place.residents_total : 0.0;
  const double expected_per_1000 = ip.base_rate * 1000.0;
  // Renewed dwellings and streets lower the level disorder returns to, for as long as they last.
  physical_capital(w, b);
  const double equilibrium = equilibrium_disorder(p, b.place.deprivation) -
                             p.physical.disorder_effect * renewal_effect(p, b) -
                             p.physical.public_space_disorder_effect * public_space_effect(p, b);
  const double d = b.incidents.disorder + ip.disorder_relaxation * (equilibrium - b.incidents.disorder) +
                   ip.disorder_per_incident * (per_1000 - expected_per_1000);
  b.incidents.disorder = clamp01(d);
}

}  // namespace wijksim::model
