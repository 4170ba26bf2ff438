#include "wijksim/sim/metrics.hpp"

#include <array>
#include <cmath>

namespace wijksim {

namespace {
constexpr std::array<MetricInfo, metric_count> kCatalogue = {{
#define WIJKSIM_METRIC_INFO(name, unit, better, scope, meaning, nl, en) \
  MetricInfo{#name, #unit, #better, #scope, meaning, nl, en},
    WIJKSIM_METRICS(WIJKSIM_METRIC_INFO)
#undef WIJKSIM_METRIC_INFO
}};
}  // namespace

const MetricInfo& metric_info(Metric m) { return kCatalogue[static_cast<std::size_t>(m)]; }

std::string_view metric_name(Metric m) { return metric_info(m).name; }

int metric_index(std::string_view name) {
  for (std::size_t i = 0; i < metric_count; ++i)
    if (kCatalogue[i].name == name) return static_cast<int>(i);
  return -1;
}

Tally tally_buurt(const World& w, const Buurt& b, std::int32_t week) {
  const auto& r = w.residents;
  const float unsafe_below = static_cast<float>(w.p->safety.unsafe_threshold);
  Tally t{};
  // Counts in integers (the same values as summing 0/1 in doubles, but off the floating-point
  // add's latency chain); the sums stay doubles added in row order.
  // Victimised in the past 52 weeks (the Veiligheidsmonitor's "past 12 months"): the week of
  // the latest victimisation is victim_until minus the weeks it keeps weighing.
  const std::int32_t victim_since = week - 52 + static_cast<std::int32_t>(std::lround(w.p->safety.victim_weeks));
  std::uint32_t active = 0, initiators = 0, unsafe = 0, trusting = 0, victims = 0, unsafe_victims = 0;
  double st = 0, ss = 0, sse = 0;
  for (std::uint32_t row = b.place.first; row < b.place.first + b.place.count; ++row) {
    const auto e = r.engagement[row];
    active += e != Engagement::passive;
    initiators += e == Engagement::initiator;
    const bool is_unsafe = r.safety[row] < unsafe_below, victim = r.victim_until[row] > victim_since;
    unsafe += is_unsafe;
    victims += victim;
    unsafe_victims += victim && is_unsafe;
    trusting += r.trust[row] > 0.5f;
    st += r.trust[row];
    ss += r.social[row];
    sse += r.social[row] * r.efficacy[row];
  }
  int running = 0;
  for (const auto& in : b.initiatives.list) running += in.state == InitiativeState::running;
  at(t, TallyField::residents) = b.place.residents_total;
  at(t, TallyField::adults) = b.place.count;
  at(t, TallyField::active) = active;
  at(t, TallyField::initiators) = initiators;
  at(t, TallyField::unsafe) = unsafe;
  at(t, TallyField::trusting) = trusting;
  at(t, TallyField::sum_trust) = st;
  at(t, TallyField::sum_social) = ss;
  at(t, TallyField::sum_efficacy_social) = sse;
  at(t, TallyField::incidents) = b.incidents.incidents_week;
  at(t, TallyField::disorder_x_residents) = b.incidents.disorder * b.place.residents_total;
  at(t, TallyField::proposed) = b.initiatives.proposed;
  at(t, TallyField::approved) = b.initiatives.approved;
  at(t, TallyField::running) = running;
  at(t, TallyField::completed) = b.initiatives.completed;
  at(t, TallyField::failed) = b.initiatives.failed;
  at(t, TallyField::refused) = b.initiatives.refused;
  at(t, TallyField::vision_x_adults) = b.vision.level * b.place.count;
  at(t, TallyField::reached) = b.outreach.reached;
  at(t, TallyField::h_outreach) = b.hours.h_outreach;
  at(t, TallyField::h_vision) = b.hours.h_vision;
  at(t, TallyField::h_support) = b.hours.h_support;
  at(t, TallyField::h_projects) = b.hours.h_projects;
  at(t, TallyField::h_casework) = b.hours.h_casework;
  at(t, TallyField::h_coordination) = b.hours.h_coordination;
  at(t, TallyField::euros_spent) = b.money.euros_spent;
  at(t, TallyField::staff_euros) = b.money.staff_euros;
  at(t, TallyField::moved_in) = b.mobility.moved_in_week;
  at(t, TallyField::legitimacy_x_adults) = b.expectations.legitimacy * b.place.count;
  at(t, TallyField::promises_open) = b.expectations.promises_open;
  at(t, TallyField::disappointed) = b.expectations.disappointed_week;
  at(t, TallyField::resisting) = b.outreach.resisting_week;
  at(t, TallyField::victims_year) = victims;
  at(t, TallyField::unsafe_victims_year) = unsafe_victims;
  return t;
}

std::array<double, metric_count> derive_metrics(const Tally& t, const World& w) {
  std::array<double, metric_count> m{};
  auto set = [&](Metric k, double v) { m[static_cast<std::size_t>(k)] = v; };
  const double adults = at(t, TallyField::adults), residents = at(t, TallyField::residents);
  auto per_adult = [&](TallyField f) { return adults > 0 ? at(t, f) / adults : 0.0; };
  set(Metric::residents, residents);
  set(Metric::adults, adults);
  set(Metric::active_residents, at(t, TallyField::active));
  set(Metric::active_share, per_adult(TallyField::active));
  set(Metric::initiators, at(t, TallyField::initiators));
  set(Metric::unsafe_share, per_adult(TallyField::unsafe));
  const double victims = at(t, TallyField::victims_year), unsafe_victims = at(t, TallyField::unsafe_victims_year);
  set(Metric::victim_share, per_adult(TallyField::victims_year));
  set(Metric::unsafe_share_victims, victims > 0 ? unsafe_victims / victims : 0.0);
  set(Metric::unsafe_share_nonvictims,
      adults > victims ? (at(t, TallyField::unsafe) - unsafe_victims) / (adults - victims) : 0.0);
  set(Metric::trust_share, per_adult(TallyField::trusting));
  set(Metric::mean_trust, per_adult(TallyField::sum_trust));
  set(Metric::mean_social_trust, per_adult(TallyField::sum_social));
  set(Metric::collective_efficacy, per_adult(TallyField::sum_efficacy_social));
  set(Metric::incidents, at(t, TallyField::incidents));
  set(Metric::disorder, residents > 0 ? at(t, TallyField::disorder_x_residents) / residents : 0.0);
  set(Metric::initiatives_proposed, at(t, TallyField::proposed));
  set(Metric::initiatives_approved, at(t, TallyField::approved));
  set(Metric::initiatives_running, at(t, TallyField::running));
  set(Metric::initiatives_completed, at(t, TallyField::completed));
  set(Metric::initiatives_failed, at(t, TallyField::failed));
  set(Metric::initiatives_refused, at(t, TallyField::refused));
  set(Metric::vision, per_adult(TallyField::vision_x_adults));
  set(Metric::reached_share, per_adult(TallyField::reached));
  set(Metric::phase, w.programme.alive ? w.programme.phase + 1 : 0);
  set(Metric::programme_alive, w.programme.alive ? 1 : 0);
  set(Metric::anchoring, w.programme.alive ? w.anchoring() : 0.0);
  set(Metric::hours_outreach, at(t, TallyField::h_outreach));
  set(Metric::hours_vision, at(t, TallyField::h_vision));
  set(Metric::hours_support, at(t, TallyField::h_support));
  set(Metric::hours_projects, at(t, TallyField::h_projects));
  set(Metric::hours_casework, at(t, TallyField::h_casework));
  set(Metric::hours_coordination, at(t, TallyField::h_coordination));
  set(Metric::euros_spent, at(t, TallyField::euros_spent));
  set(Metric::staff_euros, at(t, TallyField::staff_euros));
  set(Metric::moved_in, at(t, TallyField::moved_in));
  set(Metric::legitimacy, per_adult(TallyField::legitimacy_x_adults));
  set(Metric::expectation, per_adult(TallyField::promises_open));
  set(Metric::disappointed, at(t, TallyField::disappointed));
  set(Metric::resisting, at(t, TallyField::resisting));
  return m;
}

}  // namespace wijksim
