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
// 2. Professional time: contract hours into coordination, casework and proactive activities,
//    spread over buurten; relationship capital. Serial over posts.
void professional_time(World& w);

// Buurt processes (3-10). Each touches only buurt b's rows.
void sense_ties(World& w, const Buurt& b, Scratch& s);        // ties' last-week views; the week's draws
void outreach(World& w, Buurt& b, Scratch& s);                // 3
void participation(World& w, Buurt& b, Scratch& s);           // 4
void vision_formation(World& w, Buurt& b, const Scratch& s);  // 5
void initiatives(World& w, Buurt& b);                         // 6-7 (ends with self_organisation)
void self_organisation(World& w, Buurt& b);                   // 6.2 bewonersgroepen
void casework(World& w, Buurt& b);                            // 6.3 the sociaal wijkteam's cases
void incidents_and_disorder(World& w, Buurt& b);              // 8
void perceived_safety(World& w, Buurt& b, const Scratch& s);  // 9
void trust_dynamics(World& w, Buurt& b, const Scratch& s);    // 10

// 11. Staff turnover. Serial over posts.
void staff_turnover(World& w);
// Makes this week's state visible to ties next week (after every buurt has read).
void publish_views(World& w, const Buurt& b);

// Durable stocks (physical_capital.cpp, self_organisation.cpp).
void physical_capital(World& w, Buurt& b);  // called by incidents_and_disorder
double physical_effect(const Params& p, const Buurt& b);  // saturating effect 0..1 of the capital
double corporatie_share(const Params& p, double deprivation);
double group_support_hours(const Params& p, const Buurt& b);

// Shared helpers.
// As max then min, so the per-resident loops stay branch-free and vectorise (minss/maxss); the
// same result as the comparison chain for every input, NaN included.
inline float clamp01(float x) { return std::min(std::max(x, 0.f), 1.f); }
inline double clamp01(double x) { return std::min(std::max(x, 0.0), 1.0); }
// A week whose programme is alive and whose phase and area reach buurt b.
bool programme_reaches(const World& w, const Buurt& b);
// Broken promises to a crew or a resident: an experience weighed lambda times a good one.
void add_bad_experience(Residents& r, std::uint32_t row);
void add_good_experience(Residents& r, std::uint32_t row);

}  // namespace wijksim::model
