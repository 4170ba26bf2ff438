#pragma once
// Outcomes (MODEL.md §5). A Tally holds additive sums per buurt; wijk and city tallies are
// sums of buurt tallies, and every metric is derived from a tally, so all levels agree.
#include <array>
#include <string>
#include <string_view>

#include "wijksim/sim/world.hpp"

namespace wijksim {

enum class TallyField : int {
  residents, adults, active, initiators, unsafe, trusting, sum_trust, sum_social, sum_efficacy_social,
  incidents, disorder_x_residents, proposed, approved, running, completed, failed, refused,
  vision_x_adults, reached, h_outreach, h_vision, h_support, h_projects, h_casework, h_coordination,
  euros_spent, staff_euros, moved_in, legitimacy_x_adults, promises_open, disappointed, resisting, victims_year, unsafe_victims_year,
  refused_money, euros_pooled, count
};
using Tally = std::array<double, static_cast<std::size_t>(TallyField::count)>;
inline double& at(Tally& t, TallyField f) { return t[static_cast<std::size_t>(f)]; }
inline double at(const Tally& t, TallyField f) { return t[static_cast<std::size_t>(f)]; }

// The metric catalogue: every outcome the engine records, declared once. Each line:
//   X(name, unit, better, scope, "meaning", "Dutch label", "English label")
// unit: share (0-1), count, mean (0-1 scale), index, hours_per_week, euros (cumulative);
// better: higher, lower or none (an input or a size, not an aim);
// scope: units (buurt, wijk and city, each from its own tally) or programme (one value for
// the whole programme, repeated in every unit).
// To add a metric: add one line here and set its value in derive_metrics (metrics.cpp).
// Everything else reads this list: the CSV and store writers, compare, `wijksim metrics`,
// `export`'s data dictionary, tools/plot and the report.
#define WIJKSIM_METRICS(X)                                                                                            \
  X(residents, count, none, units, "residents (all ages)", "bewoners", "residents")                                   \
  X(adults, count, none, units, "simulated adults (15 and over)", "volwassenen", "adults")                            \
  X(active_residents, count, higher, units, "adults who are active (not passive)", "actieve bewoners", "active residents") \
  X(active_share, share, higher, units, "share of adults who are active", "aandeel actieve bewoners", "share of active residents") \
  X(initiators, count, higher, units, "adults who lead an initiative", "initiatiefnemers", "initiators")             \
  X(unsafe_share, share, lower, units, "share of adults who sometimes feel unsafe in their buurt", "voelt zich weleens onveilig", "sometimes feels unsafe") \
  X(victim_share, share, lower, units, "share of adults victimised in the past 52 weeks (incl. unrecorded incidents)", "aandeel slachtoffer (afgelopen 12 maanden)", "share victimised (past 12 months)") \
  X(unsafe_share_victims, share, lower, units, "share of adults victimised in the past 52 weeks who sometimes feel unsafe in their buurt", "slachtoffers: voelt zich weleens onveilig", "victims: sometimes feels unsafe") \
  X(unsafe_share_nonvictims, share, lower, units, "share of adults not victimised in the past 52 weeks who sometimes feel unsafe in their buurt", "niet-slachtoffers: voelt zich weleens onveilig", "non-victims: sometimes feels unsafe") \
  X(trust_share, share, higher, units, "share of adults trusting the municipality (trust > 0.5)", "aandeel met vertrouwen in gemeente", "share trusting the municipality") \
  X(mean_trust, mean, higher, units, "mean trust in the municipality (0-1)", "vertrouwen in gemeente (gemiddeld)", "trust in municipality (mean)") \
  X(mean_social_trust, mean, higher, units, "mean trust in neighbours (0-1)", "vertrouwen in buurtgenoten (gemiddeld)", "trust in neighbours (mean)") \
  X(collective_efficacy, mean, higher, units, "mean of social trust x efficacy (0-1)", "collectieve redzaamheid", "collective efficacy") \
  X(incidents, count, lower, units, "incidents this week", "incidenten", "incidents")                                \
  X(disorder, mean, lower, units, "physical disorder, resident-weighted (0-1)", "verloedering", "disorder")           \
  X(initiatives_proposed, count, none, units, "initiatives proposed so far", "initiatieven ingediend", "initiatives proposed") \
  X(initiatives_approved, count, higher, units, "initiatives approved so far", "initiatieven goedgekeurd", "initiatives approved") \
  X(initiatives_running, count, none, units, "initiatives running now", "initiatieven lopend", "initiatives running") \
  X(initiatives_completed, count, higher, units, "initiatives completed so far", "initiatieven afgerond", "initiatives completed") \
  X(initiatives_failed, count, lower, units, "initiatives failed so far", "initiatieven mislukt", "initiatives failed") \
  X(initiatives_refused, count, none, units, "initiatives refused so far", "initiatieven afgewezen", "initiatives refused") \
  X(initiatives_refused_money, count, lower, units, "initiatives refused so far because the pot they may ask (their domain's, or the standing budget) could not pay", "initiatieven afgewezen wegens geld", "initiatives refused for money") \
  X(vision, mean, higher, units, "shared vision, adult-weighted (0-1)", "gedeelde visie", "shared vision")           \
  X(reached_share, share, higher, units, "share of adults reached by outreach so far", "aandeel bereikt", "share reached") \
  X(phase, index, none, programme, "programme phase (0: none, 1: first phase, ...)", "programmafase", "programme phase") \
  X(programme_alive, index, higher, programme, "1 while the programme runs, else 0", "programma loopt (0/1)", "programme running (0/1)") \
  X(anchoring, mean, higher, programme, "effective anchoring of the running programme: institutional part of A plus the wijkwethouder's personal part (0-1; 0 while none runs)", "bestuurlijke verankering", "anchoring") \
  X(hours_outreach, hours_per_week, none, units, "professional hours of outreach this week", "uren outreachwerk", "hours of outreach") \
  X(hours_vision, hours_per_week, none, units, "professional hours on the shared vision this week", "uren visievorming", "hours on vision") \
  X(hours_support, hours_per_week, none, units, "professional hours supporting residents this week", "uren ondersteuning", "hours of support") \
  X(hours_projects, hours_per_week, none, units, "professional hours on own projects this week", "uren projecten", "hours on projects") \
  X(hours_casework, hours_per_week, none, units, "professional hours of casework this week", "uren casuswerk", "hours of casework") \
  X(hours_coordination, hours_per_week, none, units, "professional hours lost to coordination this week", "uren coördinatie", "hours of coordination") \
  X(euros_spent, euros, none, units, "programme money spent so far: initiatives and physical investments", "uitgegeven euro's", "euros spent") \
  X(euros_pooled, euros, none, units, "programme money granted so far to initiatives from another domain's pot than their own (domains combined)", "euro's uit andere domeinen", "euros from other domains") \
  X(staff_euros, euros, none, units, "professional hours so far at their cost per FTE (staff.euros_per_fte_year)", "kosten professionals", "cost of professionals") \
  X(moved_in, count, none, units, "residents (15+) who moved into the unit this week", "nieuwe bewoners (deze week)", "residents moved in (this week)") \
  X(legitimacy, mean, higher, units, "legitimacy of the programme's plan among residents, adult-weighted (0-1)", "draagvlak voor het plan", "legitimacy of the plan") \
  X(expectation, share, none, units, "share of adults holding a promise of results from the programme that is not yet kept or broken", "openstaande verwachtingen", "expectations owed") \
  X(disappointed, count, lower, units, "residents disappointed by unmet expectations this week", "teleurgestelde bewoners (deze week)", "residents disappointed (this week)") \
  X(resisting, count, lower, units, "residents who opposed a project that went ahead this week", "bewoners met bezwaar (deze week)", "residents resisting (this week)")

enum class Metric : int {
#define WIJKSIM_METRIC_ENUM(name, ...) name,
  WIJKSIM_METRICS(WIJKSIM_METRIC_ENUM)
#undef WIJKSIM_METRIC_ENUM
  count
};
inline constexpr std::size_t metric_count = static_cast<std::size_t>(Metric::count);

// One catalogue entry (see WIJKSIM_METRICS).
struct MetricInfo {
  std::string_view name, unit, better, scope, meaning, label_nl, label_en;
};
const MetricInfo& metric_info(Metric m);
std::string_view metric_name(Metric m);
// Index of a metric by name, or -1.
int metric_index(std::string_view name);

// The catalogue for people and tools: `wijksim metrics` and export's data dictionary.
std::string metric_catalogue_json();      // {"metrics": [{name, unit, better, scope, meaning, labels}]}
std::string metric_catalogue_markdown();  // a table, one row per metric
std::string metric_catalogue_csv();       // metric,unit,better,scope,meaning,label_nl,label_en

// Sums the state of one buurt at the end of `week` (run after its weekly processes; the week is
// explicit because World::week moves on when the step ends, and "victimised in the past 52
// weeks" is counted back from it).
Tally tally_buurt(const World& w, const Buurt& b, std::int32_t week);
// Derives the metric values of a unit from its tally and the programme state.
std::array<double, metric_count> derive_metrics(const Tally& t, const World& w);

}  // namespace wijksim
