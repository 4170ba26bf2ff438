// Calendar and governance (MODEL.md §7.1): the programme's start, phases and end; elections
// with survival draws; yearly budget rounds; scheduled shocks; rollout; what the phases build
// (a shared problem definition among partners, the team, budget and convenant); quarterly
// monitoring, re-allocation and the wendbaar review that can send the plan back to its vision
// phase; a restart after a stop; urgency from live indicators.
#include <algorithm>
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {
namespace {

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// A stopped programme withdraws staff and budgets and refuses pending requests: each is a
// broken promise to the residents involved.
void stop_programme(World& w) {
  if (!w.programme.alive) return;
  w.programme.alive = false;
  w.programme.stopped = true;
  w.programme.ended = w.week;
  auto& r = w.residents;
  const auto& p = *w.p;
  const double remember = 1.0 - p.expectations.fade;
  for (auto& b : w.buurten) {
    if (!b.gov.in_programme) continue;
    for (auto& in : b.initiatives.list) {
      const bool pending = in.state == InitiativeState::proposed;
      const bool funded_running = in.state == InitiativeState::running && in.programme_funded;
      if (!pending && !funded_running) continue;
      in.state = pending ? InitiativeState::refused : InitiativeState::failed;
      if (in.created >= 0)
        pending ? ++b.initiatives.refused : ++b.initiatives.failed;  // cohort from week 0, as in initiatives.cpp
      in.reserved = 0;  // back to its domains' pots, which are withdrawn below
      for (int k = 0; k < in.crew_size; ++k) {
        const std::uint32_t row = b.place.first + in.crew[static_cast<std::size_t>(k)];
        add_bad_experience(r, row);
        r.frustration[row] += static_cast<float>(p.initiatives.frustration_failure);
        r.flags[row] &= static_cast<std::uint8_t>(~flag_in_crew);
        r.duty_weeks[row] = 0;
        if (r.engagement[row] == Engagement::initiator) r.engagement[row] = Engagement::active;
      }
    }
    // Residents the programme invited were promised involvement. Each still holds that promise
    // with the probability of not having forgotten it since the invitation ended, forgotten at
    // the rate of any unmet expectation (expectations.fade): the stop breaks what is remembered.
    // Promises of results still open (expectations.cpp) are not settled by the stop: with the
    // programme gone they mostly break at their horizon (stop-and-go leaves them unmet).
    CounterRng rng = w.rng(Stream::vision, EntityId{b.place.key, 0x30000000u});
    for (std::uint32_t row = b.place.first; row < b.place.first + b.place.count; ++row) {
      const double since = std::max(0.0, static_cast<double>(w.week) - r.invited_until[row]);  // never invited: pow -> 0
      if (rng.uniform() < std::pow(remember, since)) add_bad_experience(r, row);
    }
    b.gov.programme_pot = {};
    b.gov.invest_week = 0;
  }
  // The team disperses and the budget and agreements lapse; a restart organises them anew.
  w.programme.team = w.programme.budget = w.programme.convenant = 0;
}

// A planned end: staff leave as announced, promises already made are honoured.
void finish_programme(World& w) {
  w.programme.alive = false;
  w.programme.finished = true;
  w.programme.ended = w.week;
  for (auto& b : w.buurten) b.gov.invest_week = 0;
}

// Week 0: cumulative outcomes count from the start date, not from the start of burn-in.
void start_observation(World& w) {
  for (auto& b : w.buurten) {
    b.initiatives.proposed = b.initiatives.approved = b.initiatives.completed = b.initiatives.failed =
        b.initiatives.refused = b.initiatives.completed_term = 0;
    b.initiatives.refused_money = 0;
    b.initiatives.euros_pooled = 0;
    b.money.euros_spent = 0;
    b.money.staff_euros = 0;
    b.outreach.reached = 0;
    b.outreach.reached_groups = {};
    b.expectations.legitimacy = w.p->legitimacy.base;
  }
  for (auto& f : w.residents.flags) f &= static_cast<std::uint8_t>(~flag_reached);
  std::fill(w.residents.promised.begin(), w.residents.promised.end(), no_promise);
}

// The share of a programme pot paid out, given how far the budget is committed.
double budget_share(const World& w) {
  const double nb = w.p->organise.no_budget_share;
  return nb + (1.0 - nb) * w.programme.budget;
}

double yearly_pot(const World& w, const Buurt& b) {
  return w.p->budget.wijk_budget * weeks_per_year * b.place.residents_total * w.p->building_blocks.resources *
         w.wijken[b.place.wijk].budget_factor;
}

// A buurt's programme pots set anew (a start, a rollout, a new year): unspent money lapses.
void refill_programme_pots(const Params& p, Buurt& b, double euros) {
  b.gov.programme_pot = {};
  add_to_programme_pots(p, b, euros);
}

void start_programme(World& w) {
  const auto& spec = *w.spec;
  const int starts = w.programme.starts;
  const int elections = w.programme.elections_held;
  w.programme = ProgrammeState{};
  w.programme.starts = starts + 1;
  w.programme.elections_held = elections;
  w.programme.alive = true;
  w.programme.phase = 0;
  w.programme.started = w.week;
  w.programme.planned_end = w.week + static_cast<std::int32_t>(std::lround(w.p->building_blocks.long_breath));
  for (auto& b : w.buurten) {
    const bool wijk_in = w.wijken[b.place.wijk].in_programme;
    b.gov.in_programme = wijk_in && (spec.programme_start_buurten.empty() ||
                                     std::find(spec.programme_start_buurten.begin(), spec.programme_start_buurten.end(),
                                               b.place.code) != spec.programme_start_buurten.end());
    b.initiatives.completed_term = 0;
  }
}

// Stop-and-go: a stopped programme starts again from its first phase and runs to its original
// planned end. Nothing is reset for residents: expectations still owed and trust lost meet it.
void restart_programme(World& w) {
  auto& pr = w.programme;
  const std::int32_t planned_end = pr.planned_end, started = pr.started;
  const int starts = pr.starts, elections = pr.elections_held, returns = pr.returns;
  pr = ProgrammeState{};
  pr.alive = true;
  pr.phase = 0;
  pr.started = started;  // rollout and budget rounds keep the original calendar
  pr.planned_end = planned_end;
  pr.starts = starts + 1;
  pr.elections_held = elections;
  pr.returns = returns;
  const double rest_of_year = (weeks_per_year - w.week % static_cast<std::int32_t>(weeks_per_year)) / weeks_per_year;
  for (auto& b : w.buurten)
    if (b.gov.in_programme) refill_programme_pots(*w.p, b, yearly_pot(w, b) * budget_share(w) * rest_of_year);
}

// What urgentie and randvoorwaarden build (MODEL.md 7.1.11-7.1.12): each a degree in [0, 1]
// that grows with a weekly hazard toward 1 while its own phase runs. Outside it, in phases with
// an open budget, it grows late_factor times slower and, if the plan never had such a phase,
// only up to organise.late_ceiling: partners and the council commit only partly to a plan that
// skipped them.
void build_conditions(World& w, const PhaseSpec& ph) {
  const auto& p = *w.p;
  auto& pr = w.programme;
  const auto& op = p.organise;
  const double pl = w.process_leadership();
  pr.had_aligning |= ph.aligning;
  pr.had_organising |= ph.organising;
  auto grow = [&](double& x, double hazard, bool own_phase, bool had_phase) {
    const double pace = own_phase ? 1.0 : (ph.budget_open ? op.late_factor : 0.0);
    const double ceiling = had_phase ? 1.0 : op.late_ceiling;
    if (x < ceiling) x += std::min(1.0, pace * hazard) * (ceiling - x);
  };
  double aligned = 0, wres = 0;
  for (auto& wk : w.wijken) {
    if (!wk.in_programme) continue;
    grow(wk.alignment, p.alignment.rate * (p.alignment.base + p.alignment.urgency_weight * wk.urgency + p.alignment.leadership_weight * pl),
         ph.aligning, pr.had_aligning);
    aligned += wk.alignment * wk.residents_total;
    wres += wk.residents_total;
  }
  aligned = wres > 0 ? aligned / wres : 0;
  const double before = pr.budget;
  grow(pr.team, op.team_rate, ph.organising, pr.had_organising);
  grow(pr.budget, op.budget_rate * (0.25 + 0.75 * w.anchoring()), ph.organising, pr.had_organising);
  grow(pr.convenant, op.convenant_rate * (op.convenant_unaligned + (1.0 - op.convenant_unaligned) * aligned), ph.organising,
       pr.had_organising);
  // Money committed during the year tops up this year's pot pro rata.
  if (pr.budget > before && ph.budget_open) {
    const double rest_of_year = (weeks_per_year - w.week % static_cast<std::int32_t>(weeks_per_year)) / weeks_per_year;
    const double more = (1.0 - op.no_budget_share) * (pr.budget - before) * rest_of_year;
    for (auto& b : w.buurten)
      if (b.gov.in_programme) add_to_programme_pots(p, b, yearly_pot(w, b) * more);
  }
}

// Wendbaar (MODEL.md 7.1.13): support is the adult-weighted legitimacy of the plan among
// programme residents. Below the threshold the plan goes back to its latest earlier phase with
// vision sessions (else to uitnodigen): a new round of sessions with new participants, which
// costs time and can restore legitimacy. Top-down plans have no such phase to return to.
void review_support(World& w) {
  const auto& p = *w.p;
  auto& pr = w.programme;
  double sum = 0, adults = 0;
  for (const auto& b : w.buurten)
    if (b.gov.in_programme) {
      sum += b.expectations.legitimacy * b.place.count;
      adults += b.place.count;
    }
  pr.support = adults > 0 ? sum / adults : 0;
  if (pr.support >= p.governance.support_threshold || pr.returns >= p.governance.max_returns ||
      w.week - pr.last_return < static_cast<std::int32_t>(std::lround(p.governance.return_cooldown)))
    return;
  const auto& phases = w.spec->phases;
  int target = -1;
  for (int j = pr.phase - 1; j >= 0 && target < 0; --j)
    if (phases[static_cast<std::size_t>(j)].activities.vision > 0) target = j;
  for (int j = pr.phase - 1; j >= 0 && target < 0; --j)
    if (phases[static_cast<std::size_t>(j)].kind == PhaseKind::uitnodigen) target = j;
  if (target < 0) return;
  pr.phase = target;
  pr.weeks_in_phase = 0;
  pr.weeks_since_monitoring = 0;
  ++pr.returns;
  pr.last_return = w.week;
  auto& r = w.residents;
  for (auto& b : w.buurten) {
    if (!b.gov.in_programme) continue;
    b.vision.vision_participants = 0;
    b.vision.vision_groups = {};
    for (std::uint32_t row = b.place.first; row < b.place.first + b.place.count; ++row)
      r.flags[row] &= static_cast<std::uint8_t>(~flag_vision);
  }
}

void advance_phase(World& w) {
  auto& pr = w.programme;
  const auto& phases = w.spec->phases;
  ++pr.weeks_in_phase;
  ++pr.weeks_since_monitoring;
  if (pr.phase + 1 >= static_cast<int>(phases.size())) return;  // the last phase runs to the end
  const PhaseSpec& ph = phases[static_cast<std::size_t>(pr.phase)];
  bool leave;
  if (ph.exit_reached_share >= 0) {
    long long reached = 0, adults = 0;
    for (const auto& b : w.buurten)
      if (b.gov.in_programme) {
        reached += b.outreach.reached;
        adults += b.place.count;
      }
    const double share = adults > 0 ? static_cast<double>(reached) / static_cast<double>(adults) : 0;
    leave = (pr.weeks_in_phase >= ph.min_weeks && share >= ph.exit_reached_share) ||
            (ph.max_weeks > 0 && pr.weeks_in_phase >= ph.max_weeks);
  } else {
    leave = pr.weeks_in_phase >= ph.min_weeks;
  }
  if (leave) {
    ++pr.phase;
    pr.weeks_in_phase = 0;
    pr.weeks_since_monitoring = 0;
  }
}

// The election may bring a new wijkwethouder (Binnenlands Bestuur: about half do not return),
// drawn from its own key so that scenarios which coincide so far draw the same replacement. The
// successor inherits the programme without the commitment of the one who launched it.
void elect_wethouder(World& w) {
  const auto& wp = w.p->wethouder;
  CounterRng rng = w.rng(Stream::governance, EntityId{0, 3});
  const bool drawn = rng.uniform() < wp.replace_probability;
  const bool forced = wp.replace_at_election > 0 && w.programme.elections_held == wp.replace_at_election;
  if (drawn || forced) {
    w.wethouder.commitment = 0;
    ++w.wethouder.replaced;
  }
}

void hold_election(World& w) {
  auto& pr = w.programme;
  const auto& p = *w.p;
  ++pr.elections_held;
  // The new college is formed before it decides on the programme: survival meets the new wethouder.
  elect_wethouder(w);
  if (!pr.alive) return;
  if (p.programme.stop_at_election > 0 && pr.elections_held >= p.programme.stop_at_election) {
    stop_programme(w);
    return;
  }
  // Survival: anchoring, political attention (urgency), visible results, vision breadth.
  double completed = 0, residents = 0, participants = 0, adults = 0, urgency = 0, wres = 0;
  for (auto& b : w.buurten) {
    if (!b.gov.in_programme) continue;
    completed += b.initiatives.completed_term;
    residents += b.place.residents_total;
    participants += b.vision.vision_participants;
    adults += b.place.count;
    b.initiatives.completed_term = 0;
  }
  for (const auto& wk : w.wijken)
    if (wk.in_programme) {
      urgency += wk.urgency * wk.residents_total;
      wres += wk.residents_total;
    }
  urgency = wres > 0 ? urgency / wres : p.building_blocks.urgency;
  const double results = residents > 0 ? completed * 1000.0 / residents : 0;
  const double breadth = adults > 0 ? participants / adults : 0;
  const auto& gv = p.governance;
  const double survive = logistic(
      gv.survival_base + gv.survival_anchoring * (w.anchoring() - 0.5) + gv.survival_urgency * (urgency - 0.5) +
      gv.survival_results * std::min(results, gv.survival_results_cap) + gv.survival_vision * breadth);
  CounterRng rng = w.rng(Stream::governance, EntityId{0, 1});
  if (rng.uniform() >= survive) stop_programme(w);
}

void budget_round(World& w) {
  const auto& p = *w.p;
  CounterRng rng = w.rng(Stream::governance, EntityId{0, 2});
  const double cut = p.governance.budget_cut_probability * (1.0 - w.anchoring());
  if (w.programme.alive && w.week > w.programme.started && rng.uniform() < cut)
    for (auto& wk : w.wijken) wk.budget_factor *= 1.0 - p.governance.budget_cut_fraction;
  // New year's budgets: unspent money lapses (so roughly the share actually asked is spent).
  for (auto& b : w.buurten) {
    const Wijk& wk = w.wijken[b.place.wijk];
    b.gov.baseline_budget = p.budget.baseline_budget * weeks_per_year * b.place.residents_total;
    refill_programme_pots(p, b,
                          programme_reaches(w, b) ? p.budget.wijk_budget * weeks_per_year * b.place.residents_total *
                                                        p.building_blocks.resources * wk.budget_factor * budget_share(w)
                                                  : 0.0);
  }
}

void apply_shocks(World& w) {
  for (std::size_t i = 0; i < w.spec->shocks.size(); ++i) {
    const ShockSpec& s = w.spec->shocks[i];
    const auto start = static_cast<std::int32_t>(std::lround(s.week));
    auto applies = [&](const Wijk& wk) {
      return s.wijken.empty() || std::find(s.wijken.begin(), s.wijken.end(), wk.code) != s.wijken.end();
    };
    if (s.kind == ShockKind::incident_wave) {
      const bool on = w.week >= start && w.week < start + static_cast<std::int32_t>(std::lround(s.duration_weeks));
      if (w.week == start || w.week == start + static_cast<std::int32_t>(std::lround(s.duration_weeks)))
        for (auto& b : w.buurten)
          if (applies(w.wijken[b.place.wijk])) b.gov.incident_multiplier = on ? s.magnitude : 1.0;
      continue;
    }
    if (w.week != start) continue;
    switch (s.kind) {
      case ShockKind::budget_cut:
        for (auto& wk : w.wijken)
          if (applies(wk)) wk.budget_factor *= 1.0 - s.magnitude;
        for (auto& b : w.buurten)
          if (applies(w.wijken[b.place.wijk]))
            for (double& pot : b.gov.programme_pot) pot *= 1.0 - s.magnitude;  // every domain alike
        break;
      case ShockKind::staff_change:
        for (auto& post : w.posts) {
          if (!applies(w.wijken[post.wijk])) continue;
          CounterRng rng = w.rng(Stream::shocks, EntityId{post.key, static_cast<std::uint32_t>(i)});
          if (rng.uniform() < s.magnitude) {
            post.vacant_until = w.week + static_cast<std::int32_t>(std::lround(w.p->staff.vacancy_weeks));
            std::fill(post.relationship.begin(), post.relationship.end(), 0.f);
            post.tenure = 0;
          }
        }
        break;
      case ShockKind::stop: stop_programme(w); break;
      case ShockKind::incident_wave: break;
    }
  }
}

// Leren en bijsturen: move programme hours toward buurten where unsafety is high or few are active.
void monitor_and_reallocate(World& w) {
  const auto& p = *w.p;
  const double aspiration = p.governance.monitoring_aspiration;
  for (auto& wk : w.wijken) {
    double need_sum = 0, n_sum = 0;
    for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
      const Buurt& b = w.buurten[wk.first_buurt + k];
      if (!b.gov.in_programme) continue;
      need_sum += (b.last_week.unsafe_share + std::max(0.0, aspiration - b.last_week.active_share)) * b.place.count;
      n_sum += b.place.count;
    }
    if (need_sum <= 0 || n_sum <= 0) continue;
    for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
      Buurt& b = w.buurten[wk.first_buurt + k];
      if (!b.gov.in_programme) continue;
      const double need =
          (b.last_week.unsafe_share + std::max(0.0, aspiration - b.last_week.active_share)) / (need_sum / n_sum);
      b.gov.allocation_weight += p.governance.reallocation_rate * (need - b.gov.allocation_weight);
    }
  }
}

void update_urgency(World& w) {
  const auto& p = *w.p;
  const double expected_rate = p.incidents.base_rate;  // per resident per week
  for (auto& wk : w.wijken) {
    const auto& u = p.urgency;
    const double indicator = clamp01(u.weight_unsafe * wk.unsafe_share / u.unsafe_ref + u.weight_disorder * wk.disorder / u.disorder_ref +
                                     u.weight_incidents * (expected_rate > 0 ? wk.incidents_rate / expected_rate / u.incidents_ref : 0));
    wk.urgency = (1 - p.urgency.indicator_weight) * p.building_blocks.urgency + p.urgency.indicator_weight * indicator;
  }
}

}  // namespace

double programme_hours_factor(const World& w, const Wijk& wk, const RoleSpec& role) {
  if (!role.programme || role.leader) return 1.0;
  const auto& p = *w.p;
  const auto& pr = w.programme;
  double f = p.organise.no_team_hours + (1.0 - p.organise.no_team_hours) * pr.team;
  if (role.employer != "municipality") {
    const double ua = p.alignment.unaligned_partner_share, nc = p.organise.no_convenant_partner_share;
    f *= (ua + (1.0 - ua) * wk.alignment) * (nc + (1.0 - nc) * pr.convenant);
  }
  return f;
}

void governance(World& w) {
  const auto& p = *w.p;
  update_urgency(w);
  if (w.week == 0) {
    start_observation(w);
    if (p.programme.enabled) start_programme(w);
  }
  if (w.week % static_cast<std::int32_t>(weeks_per_year) == 0) budget_round(w);
  auto& pr = w.programme;
  // A planned end comes before that week's election: finishing as announced is no broken promise.
  if (pr.alive && w.week >= pr.planned_end && w.week > pr.started) finish_programme(w);
  if (w.week >= 0) {
    if (std::find(w.election_weeks.begin(), w.election_weeks.end(), w.week) != w.election_weeks.end()) hold_election(w);
    apply_shocks(w);
  }
  if (!pr.alive && pr.stopped && p.programme.restart_after > 0 && w.week < pr.planned_end &&
      w.week == pr.ended + static_cast<std::int32_t>(std::lround(p.programme.restart_after)))
    restart_programme(w);
  if (!pr.alive) return;
  // A wethouder's commitment to the programme grows while in office and while it runs.
  if (p.wethouder.familiarity_weeks > 0)
    w.wethouder.commitment += (1.0 - w.wethouder.commitment) / p.wethouder.familiarity_weeks;
  if (p.programme.rollout_after > 0 && w.week == pr.started + static_cast<std::int32_t>(std::lround(p.programme.rollout_after))) {
    for (auto& b : w.buurten)
      if (w.wijken[b.place.wijk].in_programme && !b.gov.in_programme) {
        b.gov.in_programme = true;
        refill_programme_pots(p, b,
                              p.budget.wijk_budget * b.place.residents_total * p.building_blocks.resources *
                                  w.wijken[b.place.wijk].budget_factor * budget_share(w) *
                                  (weeks_per_year - w.week % static_cast<std::int32_t>(weeks_per_year)));
      }
  }
  if (w.week > pr.started) advance_phase(w);
  if (const PhaseSpec* current = w.phase()) build_conditions(w, *current);
  const PhaseSpec* ph = w.phase();
  if (ph && ph->monitoring && pr.weeks_since_monitoring >= static_cast<int>(std::lround(p.governance.monitoring_interval))) {
    if (p.governance.reallocate) monitor_and_reallocate(w);
    pr.weeks_since_monitoring = 0;
    review_support(w);
    ph = w.phase();
  }
  // Physical investments flow while the plan's budget is open, in full once it is committed.
  const double invest_share = budget_share(w);
  for (auto& b : w.buurten)
    b.gov.invest_week = (ph && ph->budget_open && b.gov.in_programme)
                            ? p.budget.investment_budget * b.place.residents_total * p.building_blocks.resources *
                                  w.wijken[b.place.wijk].budget_factor * invest_share
                            : 0.0;
}

}  // namespace wijksim::model
