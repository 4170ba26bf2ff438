#pragma once
// The weekly processes of MODEL.md §4, in the order Simulation::step calls them. City-level
// processes run once a week; buurt processes run for one buurt and touch only its residents
// (reading other buurten only through last week's NeighbourView).
#include <algorithm>

#include "wijksim/core/units.hpp"
#include "wijksim/sim/world.hpp"

namespace wijksim::model {

// 1. Calendar and governance: programme start, phases, elections, budget rounds, shocks,
//    rollout, quarterly monitoring, urgency. Serial.
void governance(World& w);
// What the phases have organised scales a programme role's hours (governance.cpp): the team
// (all programme roles but the leader), and for partners the shared problem definition of
// their wijk and the convenant. 1 for regular services and the process leader.
double programme_hours_factor(const World& w, const Wijk& wk, const RoleSpec& role);
// 2. Professional time: contract hours into coordination, casework and proactive activities,
//    spread over buurten; relationship capital. Serial over posts.
void professional_time(World& w);

// Buurt processes (3-10). Each touches only buurt b's rows.
void residential_mobility(World& w, Buurt& b);                // 14: movers out, newcomers in
void sense_ties(World& w, const Buurt& b, Scratch& s);        // ties' last-week views; the week's draws
void outreach(World& w, Buurt& b, Scratch& s);                // 3
void participation(World& w, Buurt& b, Scratch& s);           // 4 (ends with active_core)
void active_core(World& w, Buurt& b);                         // 4: breadth of the active core
void vision_formation(World& w, Buurt& b, const Scratch& s);  // 5: vision and its legitimacy
void initiatives(World& w, Buurt& b);                         // 6-7 (ends with self_organisation)
void self_organisation(World& w, Buurt& b);                   // 6.2 bewonersgroepen
void casework(World& w, Buurt& b);                            // 6.3 the sociaal wijkteam's cases
void expectations(World& w, Buurt& b);                        // 6.4 promises owed and disappointment
void work_ties(World& w, const Buurt& b);                     // 13: crews form durable ties
void incidents_and_disorder(World& w, Buurt& b);              // 8
void perceived_safety(World& w, Buurt& b, const Scratch& s);  // 9
void trust_dynamics(World& w, Buurt& b, const Scratch& s);    // 10

// 11. Staff turnover. Serial over posts.
void staff_turnover(World& w);
// Makes this week's state visible to ties next week (after every buurt has read).
void publish_views(World& w, const Buurt& b);

// Durable stocks (physical_capital.cpp, self_organisation.cpp).
void physical_capital(World& w, Buurt& b);  // called by incidents_and_disorder
double renewal_effect(const Params& p, const Buurt& b);       // saturating effect 0..1 of the renewed dwellings
double public_space_effect(const Params& p, const Buurt& b);  // saturating effect 0..1 of the public-space capital
double corporatie_share(const Params& p, double deprivation);
// The corporatie's herstructurering in buurt b this week, euros per resident (0 where the
// programme does not renew): over renewal_cost, the share of dwellings renewed
// (physical_capital) and of residents relocated (mobility.cpp).
double herstructurering_week(const World& w, const Buurt& b);
double group_support_hours(const Params& p, const Buurt& b);
// A buurt's police-recorded crime relative to what the model expects for its deprivation
// (1 without data): a fixed multiplier on its incident base rate.
double recorded_crime_factor(const Params& p, const BuurtSpec& spec);

// Shared helpers.
// As max then min, so the per-resident loops stay branch-free and vectorise (minss/maxss); the
// same result as the comparison chain for every input, NaN included.
inline float clamp01(float x) { return std::min(std::max(x, 0.f), 1.f); }
inline double clamp01(double x) { return std::min(std::max(x, 0.0), 1.0); }
// Residential mobility: the buurt's owner-occupied share (from the spec or derived from
// deprivation) and its weekly probability of a resident moving out.
double owner_share(const Params& p, const Buurt& b);
double move_probability(const Params& p, const Buurt& b);
// Share of outreach contacts a resident with trust t responds to: the distrusting are harder
// to reach (trust.low_trust_reach).
inline float outreach_response(const Params& p, float t) {
  return 1.f - static_cast<float>(p.trust.low_trust_reach) * (1.f - t);
}
// A week whose programme is alive and whose phase and area reach buurt b.
bool programme_reaches(const World& w, const Buurt& b);
// The programme's money in domain pots (MODEL.md 7.1.2): the share of it in domain d (a Theme
// index) by budget.domain_share, and `euros` added to buurt b's pots in those shares.
double domain_share(const Params& p, std::size_t d);
void add_to_programme_pots(const Params& p, Buurt& b, double euros);
// Broken promises to a crew or a resident: an experience weighed lambda times a good one.
void add_bad_experience(Residents& r, std::uint32_t row);
void add_good_experience(Residents& r, std::uint32_t row);
// A professional-led project went ahead in buurt b (initiatives.cpp): its uptake by residents
// (the share of its effect that lasts) and the residents who opposed it (vision.cpp).
double project_uptake(const World& w, const Buurt& b);
void project_resistance(World& w, Buurt& b);

}  // namespace wijksim::model
