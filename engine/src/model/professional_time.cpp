// Professional time (MODEL.md §4.2): contract hours, minus vacancies, split into coordination
// overhead (higher without shared vision or process leadership), reactive casework (grows with
// deprivation and incidents) and proactive hours (outreach, vision sessions, initiative
// support, own projects) by phase and working style; spread over the buurten the post serves.
#include <algorithm>
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {
namespace {

struct Split {
  double outreach = 0, vision = 0, support = 0, projects = 0;
};

// The proactive split of a post: the phase's activities, shaped by the working style.
Split proactive_split(const Params& p, const PhaseSpec* ph, int style, bool programme_role) {
  const StyleParams& st = p.styles[static_cast<std::size_t>(style)];
  Split s;
  if (!programme_role || !ph) {  // regular services: support on request and presence only
    s.outreach = st.outreach;
    s.support = st.support;
    s.projects = st.projects;
  } else {
    const Activities& a = ph->activities;
    s.vision = a.vision;
    if (ph->styled) {
      s.outreach = a.outreach * st.outreach;
      s.support = a.support * st.support;
      s.projects = a.projects * st.projects;
    } else {
      s.outreach = a.outreach;
      s.support = a.support;
      s.projects = a.projects;
    }
    // Rescale the non-vision part to the phase's non-vision share.
    const double rest = s.outreach + s.support + s.projects;
    const double target = a.outreach + a.support + a.projects;
    if (rest > 0)
      for (double* x : {&s.outreach, &s.support, &s.projects}) *x *= target / rest;
  }
  const double total = s.outreach + s.vision + s.support + s.projects;
  if (total > 0)
    for (double* x : {&s.outreach, &s.vision, &s.support, &s.projects}) *x /= total;
  return s;
}

// Cost of one paid hour of a role: its yearly cost per FTE spread over the contract hours.
double euros_per_hour(const Params& p, const RoleSpec& role) {
  std::size_t k = staff_cost_roles.size() - 1;  // "other"
  for (std::size_t i = 0; i + 1 < staff_cost_roles.size(); ++i)
    if (role.role == staff_cost_roles[i]) k = i;
  return p.staff.euros_per_fte_year[k] / (p.staff.hours_per_fte * 52.0);
}

}  // namespace

void professional_time(World& w) {
  const Params& p = *w.p;
  const ScenarioSpec& spec = *w.spec;
  const PhaseSpec* ph = w.phase();
  for (auto& b : w.buurten) {
    b.hours.h_outreach = b.hours.h_vision = b.hours.h_support = b.hours.h_projects = b.hours.h_casework =
        b.hours.h_coordination = b.hours.h_visible = b.hours.h_leader = 0;
    b.hours.h_projects_programme = 0;
    b.hours.h_support_programme = 0;
    b.hours.relationship = 0;
    b.hours.regisseur = 0;
    b.hours.h_response = 0;  // first the safety posts' free hours, then the hours they respond (below)
  }
  // Everything here is computed per buurt (demand, coordination, casework share), so without a
  // programme a buurt's professional time depends on that buurt alone.
  auto leadership_in = [&](const Buurt& b) {
    return w.wijken[b.place.wijk].in_programme ? w.process_leadership() : 0.0;
  };
  // Domains (sociaal, fysiek, veiligheid) have their own budgets and cultures: working across
  // them costs time. A wijkregisseur who knows the partners removes part of that cost.
  auto coordination_share = [&](const Buurt& b) {
    return std::min(p.staff.coordination_max,
                    (p.staff.coordination_base + p.staff.coordination_no_vision * (1.0 - b.vision.level) *
                                                     (1.0 - p.staff.coordination_leadership_cut * leadership_in(b))) *
                        (1.0 - p.staff.regisseur_coordination_cut * b.hours.regisseur));
  };
  auto base_hours = [&](const Post& post, const RoleSpec& role) {
    if (w.week < post.vacant_until) return 0.0;
    if (role.programme && !w.programme.alive) return 0.0;
    double h = post.hours;
    if (role.programme) h *= w.wijken[post.wijk].budget_factor * programme_hours_factor(w, w.wijken[post.wijk], role);
    return h;
  };
  // The wijkregisseur's coverage of each buurt of its wijk (programme buurten for a programme
  // role): their hours against the hours a wijk of this size needs, at most 1.
  for (const auto& post : w.posts) {
    const RoleSpec& role = spec.roles[static_cast<std::size_t>(post.role)];
    if (!role.coordinator) continue;
    const Wijk& wk = w.wijken[post.wijk];
    const double need = p.staff.regisseur_hours_ref * wk.residents_total / 10000.0;
    const double coverage = need > 0 ? base_hours(post, role) / need : 0.0;
    for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
      Buurt& b = w.buurten[wk.first_buurt + k];
      if (role.programme && !b.gov.in_programme) continue;
      if (post.buurt >= 0 && static_cast<std::uint32_t>(post.buurt) != k) continue;
      b.hours.regisseur = std::min(1.0, b.hours.regisseur + coverage);
    }
  }
  auto active_hours = [&](const Post& post, const RoleSpec& role) {
    double h = base_hours(post, role);
    if (h <= 0) return 0.0;
    // Partners mobilise more hours when urgency is high, and when a wijkregisseur brings them
    // to the table (the wijk's best-covered buurt stands for the wijk).
    if (role.programme && role.employer != "municipality") {
      const Wijk& wk = w.wijken[post.wijk];
      double regisseur = 0;
      for (std::uint32_t k = 0; k < wk.buurt_count; ++k)
        regisseur = std::max(regisseur, w.buurten[wk.first_buurt + k].hours.regisseur);
      h *= std::max(0.0, 1.0 + p.urgency.partner_mobilisation * (wk.urgency - 0.5)) *
           (1.0 + p.staff.regisseur_partner_gain * regisseur);
    }
    return h;
  };
  // The share of a post's hours that goes to the k-th buurt of its wijk.
  auto buurt_share = [&](const Post& post, const RoleSpec& role, std::uint32_t k, double weight_sum) {
    if (post.buurt >= 0) return static_cast<std::uint32_t>(post.buurt) == k ? 1.0 : 0.0;
    const Buurt& b = w.buurten[w.wijken[post.wijk].first_buurt + k];
    if ((role.programme && !b.gov.in_programme) || weight_sum <= 0) return 0.0;
    return b.place.residents_total * (role.programme ? b.gov.allocation_weight : 1.0) / weight_sum;
  };
  auto weight_sum_of = [&](const Post& post, const RoleSpec& role) {
    double sum = 0;
    const Wijk& wk = w.wijken[post.wijk];
    for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
      const Buurt& b = w.buurten[wk.first_buurt + k];
      if (role.programme && !b.gov.in_programme) continue;
      sum += b.place.residents_total * (role.programme ? b.gov.allocation_weight : 1.0);
    }
    return sum;
  };

  // Response to incidents (MODEL.md 7.8.2): the safety posts (wijkagent, handhaving) follow up
  // last week's recorded incidents in their buurt before anything else, with at most
  // response.max_share of their free hours; the share answered is what that buys. Each safety
  // post in the buurt gives the same share of its free hours, and those hours are not presence.
  auto safety_post = [&](const RoleSpec& role) { return role.domain == "safety" && !role.leader && !role.coordinator; };
  for (const auto& post : w.posts) {
    const RoleSpec& role = spec.roles[static_cast<std::size_t>(post.role)];
    if (!safety_post(role)) continue;
    const double hours = active_hours(post, role);
    const Wijk& wk = w.wijken[post.wijk];
    const double weight_sum = post.buurt >= 0 ? 0.0 : weight_sum_of(post, role);
    for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
      Buurt& b = w.buurten[wk.first_buurt + k];
      b.hours.h_response += hours * buurt_share(post, role, k, weight_sum) * (1.0 - coordination_share(b));
    }
  }
  std::vector<double>& response_share = w.buurt_scratch3;
  response_share.assign(w.buurten.size(), 0.0);
  for (std::size_t bi = 0; bi < w.buurten.size(); ++bi) {
    Buurt& b = w.buurten[bi];
    const double free = b.hours.h_response;
    const double need = b.incidents.incidents_week * p.response.hours_per_incident;
    b.hours.h_response = std::min(need, p.response.max_share * free);
    b.hours.answered = need > 0 ? b.hours.h_response / need : 1.0;
    response_share[bi] = free > 0 ? b.hours.h_response / free : 0.0;
  }

  // Reactive demand and the free hours available to meet it, per buurt.
  std::vector<double>& demand = w.buurt_scratch;
  std::vector<double>& available = w.buurt_scratch2;
  demand.assign(w.buurten.size(), 0.0);
  available.assign(w.buurten.size(), 0.0);
  for (std::size_t bi = 0; bi < w.buurten.size(); ++bi) {
    const Buurt& b = w.buurten[bi];
    const double rate =
        b.place.residents_total > 0 ? b.incidents.incidents_week / static_cast<double>(b.place.residents_total) : 0.0;
    const double f = p.staff.casework_incident_floor;
    const double incidents_factor = std::max(f, f + (1.0 - f) * rate / std::max(1e-12, p.incidents.base_rate));
    demand[bi] = p.staff.caseload_hours_per_1000 * b.place.residents_total / 1000.0 * (0.5 + b.place.deprivation) *
                 incidents_factor;
  }
  for (const auto& post : w.posts) {
    const RoleSpec& role = spec.roles[static_cast<std::size_t>(post.role)];
    if (role.leader || role.coordinator) continue;
    const double hours = active_hours(post, role);
    const Wijk& wk = w.wijken[post.wijk];
    const double weight_sum = post.buurt >= 0 ? 0.0 : weight_sum_of(post, role);
    for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
      const Buurt& b = w.buurten[wk.first_buurt + k];
      const double responding = safety_post(role) ? response_share[wk.first_buurt + k] : 0.0;
      available[wk.first_buurt + k] +=
          hours * buurt_share(post, role, k, weight_sum) * (1.0 - coordination_share(b)) * (1.0 - responding);
    }
  }

  for (auto& post : w.posts) {
    const RoleSpec& role = spec.roles[static_cast<std::size_t>(post.role)];
    const Wijk& wk = w.wijken[post.wijk];
    const double hours = active_hours(post, role);
    const double weight_sum = post.buurt >= 0 ? 0.0 : weight_sum_of(post, role);
    const double rate = euros_per_hour(p, role);
    for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
      const std::uint32_t bi = wk.first_buurt + k;
      Buurt& b = w.buurten[bi];
      float& rel = post.relationship[k];
      const double h = hours * buurt_share(post, role, k, weight_sum);
      b.money.staff_euros += h * rate;
      double contact_hours;
      if (role.coordinator) {
        // The wijkregisseur's own hours are coordination: with partners, not with residents.
        b.hours.h_coordination += h;
        contact_hours = 0;
      } else if (role.leader) {
        // The independent process leader convenes and mediates: vision sessions when the phase
        // has them, kitchen-table outreach otherwise.
        const double vision_share = ph ? std::min(1.0, p.staff.leader_vision_factor * ph->activities.vision) : 0.0;
        b.hours.h_vision += h * vision_share;
        b.hours.h_outreach += h * (1 - vision_share);
        b.hours.h_leader += h;
        contact_hours = h;
      } else {
        const double coord = h * coordination_share(b);
        const double responding =
            safety_post(role) ? (h - coord) * response_share[bi] : 0.0;  // counted in b.hours.h_response
        const double free = h - coord - responding;
        const double case_share = available[bi] > 0 ? std::min(p.staff.casework_max, demand[bi] / available[bi]) : 0.0;
        const double casework = free * case_share;
        const int style = role.programme ? wk.style : static_cast<int>(Style::loslaten);
        const double proactive = (free - casework) * p.styles[static_cast<std::size_t>(style)].proactive;
        const double on_request = free - casework - proactive;  // support when residents ask
        const Split s = proactive_split(p, role.programme ? ph : nullptr, style, role.programme);
        b.hours.h_coordination += coord;
        b.hours.h_casework += casework;
        b.hours.h_outreach += proactive * s.outreach;
        b.hours.h_vision += proactive * s.vision;
        b.hours.h_projects += proactive * s.projects;
        b.hours.h_support += proactive * s.support + on_request;
        if (role.programme) {
          b.hours.h_projects_programme += proactive * s.projects;
          b.hours.h_support_programme += proactive * s.support + on_request;
        }
        // Visible roles are in the street with their free hours; in a programme role the wijk's
        // working style sets how much (loslaten: little presence). Regular services keep theirs.
        if (role.visible)
          b.hours.h_visible += free * (role.programme ? p.styles[static_cast<std::size_t>(style)].presence : 1.0);
        else
          b.hours.h_visible += proactive * (s.outreach + s.projects);
        contact_hours = proactive * (s.outreach + s.vision + s.support) + on_request;
      }
      // Relationship capital grows with contact, saturating; fades without it.
      if (contact_hours > 0)
        rel += static_cast<float>(p.staff.relationship_gain * contact_hours / (contact_hours + p.staff.relationship_half_hours) * (1.0 - rel));
      else
        rel -= static_cast<float>(p.staff.relationship_decay * rel);
      b.hours.relationship += contact_hours * rel;  // normalised below
    }
  }
  for (auto& b : w.buurten) {
    const double contact = b.hours.h_outreach + b.hours.h_vision + b.hours.h_support;
    b.hours.relationship = contact > 0 ? b.hours.relationship / contact : 0.0;
    const double per_1000 = b.place.residents_total > 0 ? b.hours.h_visible * 1000.0 / b.place.residents_total : 0.0;
    b.hours.presence = 1.0 - std::exp(-per_1000 / p.staff.presence_hours_ref);
  }
}

}  // namespace wijksim::model
