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

}  // namespace

void professional_time(World& w) {
  const Params& p = *w.p;
  const ScenarioSpec& spec = *w.spec;
  const PhaseSpec* ph = w.phase();
  const double pl = w.process_leadership();
  for (auto& b : w.buurten) {
    b.h_outreach = b.h_vision = b.h_support = b.h_projects = b.h_casework = b.h_coordination = b.h_visible = b.h_leader = 0;
    b.relationship = 0;
  }
  // Reactive demand per wijk, shared by every post working there.
  std::vector<double>& demand = w.wijk_scratch;
  std::vector<double>& available = w.wijk_scratch2;
  demand.assign(w.wijken.size(), 0.0);
  available.assign(w.wijken.size(), 0.0);
  for (const auto& b : w.buurten) {
    const double incidents_factor = 1.0 + 0.5 * w.wijken[b.wijk].incidents_rate / std::max(1e-9, p.incidents.base_rate) - 0.5;
    demand[b.wijk] += p.staff.caseload_hours_per_1000 * b.residents_total / 1000.0 * (0.5 + b.deprivation) * std::max(0.5, incidents_factor);
  }
  auto active_hours = [&](const Post& post, const RoleSpec& role) {
    if (w.week < post.vacant_until) return 0.0;
    if (role.programme && !w.programme.alive) return 0.0;
    const Wijk& wk = w.wijken[post.wijk];
    double h = post.hours;
    if (role.programme) h *= wk.budget_factor;
    // Partners mobilise more hours when urgency is high.
    if (role.programme && role.employer != "municipality")
      h *= std::max(0.0, 1.0 + p.urgency.partner_mobilisation * (wk.urgency - 0.5));
    return h;
  };
  auto coordination_share = [&](const Wijk& wk) {
    return std::min(0.9, p.staff.coordination_base +
                             p.staff.coordination_no_vision * (1.0 - wk.vision) * (1.0 - p.staff.coordination_leadership_cut * pl));
  };
  for (const auto& post : w.posts) {
    const RoleSpec& role = spec.roles[static_cast<std::size_t>(post.role)];
    if (role.leader) continue;
    available[post.wijk] += active_hours(post, role) * (1.0 - coordination_share(w.wijken[post.wijk]));
  }

  for (auto& post : w.posts) {
    const RoleSpec& role = spec.roles[static_cast<std::size_t>(post.role)];
    const Wijk& wk = w.wijken[post.wijk];
    const double hours = active_hours(post, role);
    // Which buurten this post serves, and with what weight.
    double weight_sum = 0;
    for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
      const Buurt& b = w.buurten[wk.first_buurt + k];
      if (role.programme && !b.in_programme) continue;
      weight_sum += b.residents_total * (role.programme ? b.allocation_weight : 1.0);
    }
    for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
      Buurt& b = w.buurten[wk.first_buurt + k];
      float& rel = post.relationship[k];
      const bool serves = !(role.programme && !b.in_programme) && weight_sum > 0;
      const double h = serves ? hours * b.residents_total * (role.programme ? b.allocation_weight : 1.0) / weight_sum : 0.0;
      double contact_hours;
      if (role.leader) {
        // The independent process leader convenes and mediates: vision sessions when the phase
        // has them, kitchen-table outreach otherwise.
        const double vision_share = ph ? std::min(1.0, 2.0 * ph->activities.vision) : 0.0;
        b.h_vision += h * vision_share;
        b.h_outreach += h * (1 - vision_share);
        b.h_leader += h;
        contact_hours = h;
      } else {
        const double coord = h * coordination_share(wk);
        const double free = h - coord;
        const double case_share = available[post.wijk] > 0 ? std::min(0.85, demand[post.wijk] / available[post.wijk]) : 0.0;
        const double casework = free * case_share;
        const int style = role.programme ? wk.style : static_cast<int>(Style::loslaten);
        const double proactive = (free - casework) * p.styles[static_cast<std::size_t>(style)].proactive;
        const double on_request = free - casework - proactive;  // support when residents ask
        const Split s = proactive_split(p, role.programme ? ph : nullptr, style, role.programme);
        b.h_coordination += coord;
        b.h_casework += casework;
        b.h_outreach += proactive * s.outreach;
        b.h_vision += proactive * s.vision;
        b.h_projects += proactive * s.projects;
        b.h_support += proactive * s.support + on_request;
        if (role.visible) b.h_visible += free;
        else b.h_visible += proactive * (s.outreach + s.projects);
        contact_hours = proactive * (s.outreach + s.vision + s.support) + on_request;
      }
      // Relationship capital grows with contact, saturating; fades without it.
      if (contact_hours > 0)
        rel += static_cast<float>(p.staff.relationship_gain * contact_hours / (contact_hours + p.staff.relationship_half_hours) * (1.0 - rel));
      else
        rel -= static_cast<float>(p.staff.relationship_decay * rel);
      b.relationship += contact_hours * rel;  // normalised below
    }
  }
  for (auto& b : w.buurten) {
    const double contact = b.h_outreach + b.h_vision + b.h_support;
    b.relationship = contact > 0 ? b.relationship / contact : 0.0;
    const double per_1000 = b.residents_total > 0 ? b.h_visible * 1000.0 / b.residents_total : 0.0;
    b.presence = 1.0 - std::exp(-per_1000 / p.staff.presence_hours_ref);
  }
}

}  // namespace wijksim::model
