// Initiatives and their effects (MODEL.md §4.6-4.7). Lifecycle: idea (crew and supporters
// gather) -> proposed (the municipality decides after a delay that shrinks with anchoring) ->
// running (approved: money and support promised) or refused -> completed or failed (stalled
// too long, or the programme's money withdrawn). Progress follows a critical-mass production
// function of crew hours (Oliver, Marwell & Teixeira 1985): small crews stall.
#include <algorithm>
#include <boost/random/lognormal_distribution.hpp>
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {
namespace {

void crew_experience(World& w, Buurt& b, const Initiative& in, bool good) {
  const Params& p = *w.p;
  auto& r = w.residents;
  for (int k = 0; k < in.crew_size; ++k) {
    const std::uint32_t row = b.place.first + in.crew[static_cast<std::size_t>(k)];
    if (good) {
      add_good_experience(r, row);
    } else {
      add_bad_experience(r, row);
      r.frustration[row] += static_cast<float>(p.initiatives.frustration_failure);
      r.efficacy[row] *= static_cast<float>(1.0 - p.initiatives.failure_efficacy_loss);
    }
  }
}

void release_crew(World& w, Buurt& b, const Initiative& in) {
  auto& r = w.residents;
  for (int k = 0; k < in.crew_size; ++k) {
    const std::uint32_t row = b.place.first + in.crew[static_cast<std::size_t>(k)];
    r.flags[row] &= static_cast<std::uint8_t>(~flag_in_crew);
    r.duty_weeks[row] = 0;
    if (r.engagement[row] == Engagement::initiator) r.engagement[row] = Engagement::active;
  }
}

// An initiator recruits a crew: active ties in the buurt first, then other active residents.
void recruit(World& w, Buurt& b, Initiative& in, std::uint32_t initiator, CounterRng& rng) {
  auto& r = w.residents;
  const Params& p = *w.p;
  auto add = [&](std::uint32_t local) {
    for (int k = 0; k < in.crew_size; ++k)
      if (in.crew[static_cast<std::size_t>(k)] == local) return;
    in.crew[in.crew_size++] = local;
    r.flags[b.place.first + local] |= flag_in_crew;
  };
  add(initiator);
  const int target = std::min<int>(Initiative::max_crew, static_cast<int>(std::lround(p.initiatives.crew_target)));
  const std::uint32_t row = b.place.first + initiator;
  for (std::uint32_t k = r.tie_offsets[row]; k < r.tie_offsets[row + 1] && in.crew_size < target; ++k) {
    const std::uint32_t j = r.ties[k];
    if (j < b.place.first || j >= b.place.first + b.place.count) continue;
    if (r.engagement[j] == Engagement::active && !(r.flags[j] & flag_in_crew)) add(j - b.place.first);
  }
  // Meeting places make it easier to find and ask people beyond one's own ties.
  const int attempts = static_cast<int>(
      std::lround(3 * target * (1.0 + p.initiatives.meeting_recruit * b.place.meeting_places_per_1000)));
  for (int attempt = 0; attempt < attempts && in.crew_size < target && b.place.count > 1; ++attempt) {
    const auto local = static_cast<std::uint32_t>(rng.uniform() * b.place.count);
    const std::uint32_t j = b.place.first + local;
    if (r.engagement[j] == Engagement::active && !(r.flags[j] & flag_in_crew)) add(local);
  }
}

void drop_passive_crew(World& w, Buurt& b, Initiative& in) {
  auto& r = w.residents;
  int kept = 0;
  for (int k = 0; k < in.crew_size; ++k) {
    const std::uint32_t local = in.crew[static_cast<std::size_t>(k)];
    if (r.engagement[b.place.first + local] != Engagement::passive) in.crew[static_cast<std::size_t>(kept++)] = local;
  }
  in.crew_size = static_cast<std::uint8_t>(kept);
}

// Outcome counters follow the initiatives created from week 0 (the start date), so each count
// is a cohort: approved + refused <= proposed and completed <= approved always hold.
void count(int& counter, const Initiative& in) {
  if (in.created >= 0) ++counter;
}

// Money reserved for an initiative that ends early goes back to the pots it came from, each
// domain its own part.
void refund(Buurt& b, Initiative& in, bool programme_pot_open) {
  if (in.programme_funded && programme_pot_open)
    for (std::size_t d = 0; d < theme_count; ++d) b.gov.programme_pot[d] += in.reserved * in.pot_share[d];
  else if (!in.programme_funded)
    b.gov.baseline_budget += in.reserved;
  in.reserved = 0;
}

// Programme money for an ask its own domain's pot cannot pay: the other domains' pots join in
// only where someone coordinates across domains (the wijkregisseur's coverage), with a chance
// that grows with that coverage (MODEL.md 7.7). Keyed by the initiative, on a key of its own,
// so that this draw moves no other.
bool domains_combine(const World& w, const Buurt& b, const Initiative& in) {
  const double chance = w.p->budget.pooling * b.hours.regisseur;
  if (chance <= 0) return false;
  CounterRng rng = w.rng(Stream::initiatives, EntityId{b.place.key ^ splitmix64(static_cast<std::uint64_t>(in.created)),
                                                       0xC0000000u | in.initiator});
  return rng.uniform() < chance;
}

// Takes an approved ask from the programme pots: its own domain's first, the rest from the
// other domains in proportion to what they hold. Records each pot's share for refunds.
void draw_from_pots(Buurt& b, Initiative& in, double ask) {
  auto& pots = b.gov.programme_pot;
  const auto own = static_cast<std::size_t>(in.theme);
  in.pot_share = {};
  const double from_own = std::min(ask, pots[own]);
  pots[own] -= from_own;
  double others = 0;
  for (std::size_t d = 0; d < theme_count; ++d)
    if (d != own) others += pots[d];
  const double rest = ask - from_own;
  if (ask > 0) in.pot_share[own] = static_cast<float>(from_own / ask);
  if (rest > 0 && others > 0) {
    for (std::size_t d = 0; d < theme_count; ++d) {
      if (d == own) continue;
      const double take = rest * pots[d] / others;
      pots[d] = std::max(0.0, pots[d] - take);
      in.pot_share[d] = static_cast<float>(take / ask);
    }
    b.initiatives.euros_pooled += rest;
  }
}

double crew_hours(const World& w, const Buurt& b, const Initiative& in) {
  const auto& r = w.residents;
  double h = 0;
  for (int k = 0; k < in.crew_size; ++k) {
    const std::uint32_t row = b.place.first + in.crew[static_cast<std::size_t>(k)];
    h += std::min<double>(w.p->residents.volunteer_hours, r.free_hours[row]);
  }
  return h;
}

}  // namespace

void initiatives(World& w, Buurt& b) {
  const Params& p = *w.p;
  const auto& ip = p.initiatives;
  auto& r = w.residents;
  b.initiatives.visible_results_week = 0;
  const PhaseSpec* ph = w.phase();
  const bool programme_money = programme_reaches(w, b) && ph && ph->budget_open;
  const int style = w.wijken[b.place.wijk].style;

  // New ideas from this week's initiators.
  for (std::uint32_t i = 0; i < b.place.count; ++i) {
    const std::uint32_t row = b.place.first + i;
    if (!(r.flags[row] & flag_wants_initiative)) continue;
    r.flags[row] &= static_cast<std::uint8_t>(~flag_wants_initiative);
    CounterRng rng = w.rng(Stream::initiatives, w.resident_id(b, i));
    Initiative in;
    const double theme = rng.uniform();
    in.theme = theme < ip.theme_physical ? Theme::physical
               : theme < ip.theme_physical + ip.theme_social ? Theme::social
                                                              : Theme::safety;
    boost::random::lognormal_distribution<double> cost(std::log(std::max(1.0, ip.cost_median)), ip.cost_sigma);
    boost::random::lognormal_distribution<double> hours(std::log(ip.hours_median), ip.hours_sigma);
    in.cost = static_cast<float>(std::clamp(cost(rng), ip.cost_min, ip.cost_max));
    in.hours_needed = static_cast<float>(hours(rng));
    in.created = w.week;
    in.initiator = i;
    in.by_group = b.group.group_active && (r.flags[row] & flag_organiser);
    recruit(w, b, in, i, rng);
    in.supporters = static_cast<float>(in.crew_size);
    b.initiatives.list.push_back(in);
  }

  double support_need = 0;
  for (const auto& in : b.initiatives.list)
    if (in.state == InitiativeState::running) support_need += ip.support_share * crew_hours(w, b, in);
  // A bewonersgroep gives the support professionals would otherwise give (last week's group).
  const double support_ratio =
      support_need > 0 ? std::min(1.0, (b.hours.h_support + group_support_hours(p, b)) / support_need) : 1.0;
  // Disorder an initiative or project removes: an absolute amount (a cleaned-up square, a fixed
  // path), scaled to the buurt's size; it does not depend on how much disorder there is.
  const double disorder_step =
      ip.disorder_reduction * std::min(ip.disorder_scale_cap, 1000.0 / std::max(1, b.place.residents_total));

  const double anchoring = w.anchoring();  // institutional plus the wethouder's own (7.1.4)
  const double mean_delay = p.governance.decision_weeks_anchored +
                            (p.governance.decision_weeks_unanchored - p.governance.decision_weeks_anchored) * (1.0 - anchoring);
  const double keep_promise = p.governance.promise_keep_base + (1.0 - p.governance.promise_keep_base) * anchoring;
  for (auto& in : b.initiatives.list) {
    if (in.state == InitiativeState::completed || in.state == InitiativeState::failed ||
        in.state == InitiativeState::refused)
      continue;
    drop_passive_crew(w, b, in);
    // Keyed by the initiative's own id, so its draws do not depend on its place in the list.
    CounterRng rng =
        w.rng(Stream::initiatives,
              EntityId{b.place.key ^ splitmix64(static_cast<std::uint64_t>(in.created)), 0x80000000u | in.initiator});
    if (in.crew_size == 0) {
      in.state = InitiativeState::failed;
      count(b.initiatives.failed, in);
      refund(b, in, programme_money);
      continue;
    }
    switch (in.state) {
      case InitiativeState::idea: {
        // Signatures: each crew member gathers some a week, more where social trust is high.
        double s_mean = 0;
        for (int k = 0; k < in.crew_size; ++k) s_mean += r.social[b.place.first + in.crew[static_cast<std::size_t>(k)]];
        s_mean /= in.crew_size;
        in.supporters += static_cast<float>(in.crew_size * (ip.signatures_base + (1.0 - ip.signatures_base) * s_mean));
        const bool big = in.cost > ip.supporters_threshold_euros;
        const bool enough = !big || in.supporters >= ip.supporters_needed;
        if (w.week - in.created >= ip.idea_min_weeks && enough) {
          in.state = InitiativeState::proposed;
          count(b.initiatives.proposed, in);
          in.proposed_week = w.week;
          const double mean = in.cost < ip.fast_track_euros ? mean_delay * ip.fast_track_delay : mean_delay;
          in.decision_week = w.week + 1 + static_cast<std::int32_t>(std::floor(-mean * std::log(1.0 - rng.uniform())));
        } else if (w.week - in.created > ip.idea_max_weeks) {
          in.state = InitiativeState::failed;  // fizzled before reaching the municipality
          count(b.initiatives.failed, in);
          release_crew(w, b, in);
        }
        break;
      }
      case InitiativeState::proposed: {
        if (w.week < in.decision_week) break;
        if (in.decision_week - in.proposed_week > p.governance.decision_promised)
          crew_experience(w, b, in, false);  // decided later than promised
        // A bewonersgroep raises part of the money itself (fondsen, its members), so it asks less.
        const double ask = in.cost * std::max(0.0, 1.0 - ip.co_funding - (in.by_group ? p.self_organisation.own_funding : 0.0));
        // Programme money comes from the pot of the initiative's own domain (its theme); other
        // domains' pots can add to it only where the domains combine.
        const auto own = static_cast<std::size_t>(in.theme);
        const auto& pots = b.gov.programme_pot;
        double available = programme_money ? pots[own] : b.gov.baseline_budget;
        if (programme_money && ask > available && domains_combine(w, b, in)) available = pots[0] + pots[1] + pots[2];
        double approve =
            ip.approval_base + p.vision.approval_fit * (b.vision.level - ip.approval_vision_centre) +
            ip.approval_support * (std::min(1.0, in.supporters / std::max(1.0, ip.supporters_needed)) - 0.5);
        approve += p.styles[static_cast<std::size_t>(style)].approval;  // regisseren: professionals prefer their own plans
        const bool short_of_money = ask > available;
        if (short_of_money) approve = 0;  // no money left this year (in the pots it may ask)
        if (rng.uniform() < clamp01(approve)) {
          in.state = InitiativeState::running;
          in.programme_funded = programme_money;
          in.reserved = static_cast<float>(ask);
          if (programme_money)
            draw_from_pots(b, in, ask);
          else
            b.gov.baseline_budget -= ask;
          in.promise_kept = rng.uniform() < keep_promise;
          // A broken promise: the money comes late.
          in.money_week = w.week + (in.promise_kept ? 0 : static_cast<std::int32_t>(std::lround(ip.late_money_weeks)));
          count(b.initiatives.approved, in);
          if (!in.promise_kept) crew_experience(w, b, in, false);
        } else {
          in.state = InitiativeState::refused;
          count(b.initiatives.refused, in);
          if (short_of_money) count(b.initiatives.refused_money, in);
          crew_experience(w, b, in, false);
          release_crew(w, b, in);
        }
        break;
      }
      case InitiativeState::running: {
        const double h = crew_hours(w, b, in);
        const double gamma = ip.critical_mass_exponent;
        const double hg = std::pow(h, gamma);
        double production = h * hg / (std::pow(ip.critical_mass_hours, gamma) + hg);
        production *= ip.support_floor + (1.0 - ip.support_floor) * support_ratio;  // support speeds things up
        if (w.week < in.money_week) production *= ip.late_money_production;  // waiting for promised money
        const double before = in.progress;
        in.progress = static_cast<float>(std::min<double>(in.hours_needed, in.progress + production));
        const double spent = in.reserved * (in.progress - before) / std::max(1e-6, in.hours_needed - before);
        in.reserved -= static_cast<float>(spent);
        b.money.euros_spent += spent;
        in.stalled_weeks = production < ip.stall_share * w.p->residents.volunteer_hours ? in.stalled_weeks + 1 : 0;
        if (in.progress >= in.hours_needed - 1e-3f) {
          in.state = InitiativeState::completed;
          count(b.initiatives.completed, in);
          ++b.initiatives.completed_term;
          ++b.initiatives.visible_results_week;
          const double ownership = p.styles[static_cast<std::size_t>(style)].ownership;
          for (int k = 0; k < in.crew_size; ++k) {
            const std::uint32_t row = b.place.first + in.crew[static_cast<std::size_t>(k)];
            r.social[row] += static_cast<float>(ip.crew_social_gain * ownership * (1.0 - r.social[row]));
            r.efficacy[row] += static_cast<float>(ip.crew_efficacy_gain * ownership * (1.0 - r.efficacy[row]));
            r.flags[row] |= flag_organiser;  // knows how now (self_organisation.cpp)
          }
          if (in.promise_kept) crew_experience(w, b, in, true);
          if (in.theme != Theme::social) b.incidents.disorder = std::max(0.0, b.incidents.disorder - disorder_step);
          release_crew(w, b, in);
        } else if (in.stalled_weeks > ip.stall_weeks) {
          in.state = InitiativeState::failed;
          count(b.initiatives.failed, in);
          refund(b, in, programme_money);
          crew_experience(w, b, in, false);
          release_crew(w, b, in);
        }
        break;
      }
      default: break;
    }
  }
  // Finished initiatives leave the list.
  b.initiatives.list.erase(std::remove_if(b.initiatives.list.begin(), b.initiatives.list.end(),
                                          [](const Initiative& in) {
                                            return in.state == InitiativeState::completed ||
                                                   in.state == InitiativeState::failed ||
                                                   in.state == InitiativeState::refused;
                                          }),
                           b.initiatives.list.end());

  // Professional-led projects (regisseren, top-down): quick visible results, little ownership.
  // Where a wijkregisseur brings the domains together, the same hours find combined projects
  // (koppelkansen: a street renewal that is also a meeting place), so a result costs fewer hours.
  const double hours_per_result = ip.project_hours / (1.0 + p.staff.koppelkans_gain * b.hours.regisseur);
  const int resident_results = b.initiatives.visible_results_week;  // initiatives completed this week
  int project_results = 0;
  b.initiatives.project_hours_acc += b.hours.h_projects;
  while (hours_per_result > 0 && b.initiatives.project_hours_acc >= hours_per_result) {
    b.initiatives.project_hours_acc -= hours_per_result;
    ++b.initiatives.visible_results_week;
    ++project_results;
    // Residents use and keep a project as far as the plan is theirs (legitimacy); some oppose it.
    b.incidents.disorder =
        std::max(0.0, b.incidents.disorder - ip.project_disorder_share * disorder_step * project_uptake(w, b));
    project_resistance(w, b);
  }
  // Who made the results (crowding-out, participation.cpp): the programme's share of this week's
  // project hours counts as the programme's; regular services' projects are the baseline's.
  const double programme_share = b.hours.h_projects > 0 ? b.hours.h_projects_programme / b.hours.h_projects : 0.0;
  const double keep = 1.0 - 1.0 / std::max(1.0, p.participation.crowding_weeks);
  b.initiatives.programme_results_recent =
      b.initiatives.programme_results_recent * keep + project_results * programme_share;
  b.initiatives.resident_results_recent = b.initiatives.resident_results_recent * keep + resident_results;
  b.initiatives.programme_project_hours_recent =
      b.initiatives.programme_project_hours_recent * keep + b.hours.h_projects_programme;
  b.initiatives.programme_support_hours_recent =
      b.initiatives.programme_support_hours_recent * keep + b.hours.h_support_programme;
  self_organisation(w, b);
}

}  // namespace wijksim::model
