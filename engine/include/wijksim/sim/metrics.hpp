#pragma once
// Outcomes (MODEL.md §5). A Tally holds additive sums per buurt; wijk and city tallies are
// sums of buurt tallies, and every metric is derived from a tally, so all levels agree.
#include <array>
#include <string_view>

#include "wijksim/sim/world.hpp"

namespace wijksim {

enum class TallyField : int {
  residents, adults, active, initiators, unsafe, trusting, sum_trust, sum_social, sum_efficacy_social,
  incidents, disorder_x_residents, proposed, approved, running, completed, failed, refused,
  vision_x_adults, reached, h_outreach, h_vision, h_support, h_projects, h_casework, h_coordination,
  euros_spent, moved_in, legitimacy_x_adults, expectation_x_residents, disappointed, resisting, count
};
using Tally = std::array<double, static_cast<std::size_t>(TallyField::count)>;
inline double& at(Tally& t, TallyField f) { return t[static_cast<std::size_t>(f)]; }
inline double at(const Tally& t, TallyField f) { return t[static_cast<std::size_t>(f)]; }

enum class Metric : int {
  residents, adults, active_residents, active_share, initiators, unsafe_share, trust_share, mean_trust,
  mean_social_trust, collective_efficacy, incidents, disorder, initiatives_proposed, initiatives_approved,
  initiatives_running, initiatives_completed, initiatives_failed, initiatives_refused, vision, reached_share,
  phase, programme_alive, hours_outreach, hours_vision, hours_support, hours_projects, hours_casework,
  hours_coordination, euros_spent, moved_in, legitimacy, expectation, disappointed, resisting, count
};
inline constexpr std::size_t metric_count = static_cast<std::size_t>(Metric::count);
std::string_view metric_name(Metric m);
// Index of a metric by name, or -1.
int metric_index(std::string_view name);

// Sums the state of one buurt (run after its weekly processes).
Tally tally_buurt(const World& w, const Buurt& b);
// Derives the metric values of a unit from its tally and the programme state.
std::array<double, metric_count> derive_metrics(const Tally& t, const World& w);

}  // namespace wijksim
