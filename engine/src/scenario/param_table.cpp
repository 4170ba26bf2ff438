// The parameter table: every parameter of the model, declared once.
//
// How to write a row. One macro per kind (WJ_REAL, WJ_INT, WJ_BOOL, WJ_CHOICE), arguments in
// this order: dotted JSON path, field of Params, unit (real only), default, range [lo, hi]
// (real and integer), choices (choice only), meaning, source, then the stage from which the
// parameter acts (build, burn_in or programme; see ParamStage in param_table.hpp) and its prior:
//
//   WJ_REAL("safety.fear_rise", safety.fear_rise, per_week, 0.3, 0, 1,
//           "weekly approach of P to a lower target (fear comes fast)", kPrieto,
//           burn_in, uniform(0.15, 0.5, "Prieto Curiel & Bishop 2017: fear comes fast (weeks)")),
//
// Priors are written in the user's unit: uniform(lo, hi, basis), log_uniform(lo, hi, basis),
// normal(mean, sd, basis) (truncated to the row's range) or normal(mean, sd, lo, hi, basis),
// beta(a, b, lo, hi, basis); around(f, basis) is uniform on default x (1 -+ f) and
// around_log(k, basis) log-uniform on default / k .. default x k, both clipped to the range;
// fixed(basis) marks a value fixed by definition (calendar, unit, switch, policy choice, lever).
// The basis names a source or says "assumption: ... because ...". An old-style row (without
// the last two arguments) becomes a new one by appending them; the property test in
// tests/hardening/test_properties.cpp checks the stage, tests/unit/test_param_table.cpp the prior.
#include "wijksim/scenario/param_table.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace wijksim {
namespace {

// Sources, cited once and referred to by key in the table.
constexpr const char* kCbsVolunteer = "CBS StatLine 85541NED (2022)";
constexpr const char* kVm = "CBS Veiligheidsmonitor 2019-2023";
constexpr const char* kSlovic = "Slovic 1993; Kampen, Van de Walle & Bouckaert 2006";
constexpr const char* kDeffuant = "Deffuant et al. 2000";
constexpr const char* kGranovetter = "Granovetter 1978";
constexpr const char* kHolzhauer = "Holzhauer et al. 2011";
constexpr const char* kDsp = "DSP-groep (Amersfoort): 1 FTE wijkmanager per 13,700 residents";
constexpr const char* kBudgets = "Enschede, Veenendaal, Best wijkbudgetten";
constexpr const char* kVeenendaal = "Veenendaal one-month decision rule";
constexpr const char* kWethouders =
    "Binnenlands Bestuur: half of wethouders not back after the 2010 council elections; 600-700 of about 1,400 not back after 2018 (23 March 2018)";
constexpr const char* kKieswet = "Kieswet: council elections every 4 years";
constexpr const char* kKeizer = "Keizer, Lindenberg & Steg 2008";
constexpr const char* kSampson = "Sampson, Raudenbush & Earls 1997";
constexpr const char* kOliver = "Oliver, Marwell & Teixeira 1985";
constexpr const char* kPlatform31 = "Platform31 2018, Naar een wendbare wijkaanpak";
constexpr const char* kZaanstad = "Zaanstad wijkgericht werken (green/red differentiation)";
constexpr const char* kPrieto = "Prieto Curiel & Bishop 2017";
// Employer cost of one FTE per year: salary scale maximum x 12 months, plus holiday and year-end
// pay (IKB) and employer premiums and overhead (about 30%), rounded to the nearest 5,000.
constexpr const char* kSalaryGemeenten = "CAO Gemeenten 2025-2026 salary scales (VNG) + IKB 17.05% + ~30% employer costs; rounded";
constexpr const char* kSalarySociaalWerk = "CAO Sociaal Werk 2025 scale 8 + holiday/year-end pay + ~30% employer costs; rounded";
constexpr const char* kSalaryOther = "CAO Politie / CAO Woondiensten 2025, comparable scale + ~30% employer costs; rounded";
constexpr const char* kSalaryLeader = "independent process leader hired at about EUR 100 per hour excl. VAT for ~1,500 billable hours; assumption";
constexpr const char* kAssumed = "assumption (free; calibrate)";
constexpr const char* kDomainShare =
    "assumption: the split follows residents' demand by theme (initiatives.theme_*), so no domain runs short by design; a scenario sets its municipality's own split";
constexpr const char* kScp = "SCP 2013 (Vogelaar wijken)";
constexpr const char* kAedes = "CBS/Aedes: woningcorporaties own ~29% of Dutch dwellings, most of the rental stock in deprived buurten";
constexpr const char* kWijkteam = "assumption: sociaal wijkteam cases take tens of hours (Movisie/Verwey-Jonker evaluations report 10-40)";
constexpr const char* kHorizon =
    "assumption: about a year (Platform31 wijkengids 4.9: verwachtingenmanagement, are the intentions realistic and achievable; "
    "the hengelo plan preset alone puts half a year between the first invitations and uitvoeren)";
constexpr const char* kAudience =
    "assumption: a visible result is noticed in its surroundings, not by the whole of a large buurt; the same 1,000 residents "
    "as initiatives.visible_efficacy_gain";
constexpr const char* kStructural = "assumption (structural constant, formerly in the code; MODEL.md §7.13)";
constexpr const char* kPolitie = "Politie 47022NED via CBS: police-recorded crimes per buurt 2021-2024 over CBS residents 2024 (data/cbs)";
// Politie: about 3,500 wijkagenten (norm one per 5,000 residents, Politiewet 2012 art. 38b) against
// about 770,000 recorded crimes a year (43.2 per 1,000, kPolitie): ~220 per wijkagent, 4-5 a week.
constexpr const char* kResponse =
    "assumption, scaled on Politiewet 2012 art. 38b (one wijkagent per 5,000 residents) and police-recorded crime (43.2 per 1,000 a year)";
// Fitted by scenarios/calibration/gemeenten.json (safety.base, w_disorder, w_victim; docs/CALIBRATION.md).
constexpr const char* kCalibratedGemeenten = "calibrated across 29 gemeenten to the Veiligheidsmonitor 2023 (docs/CALIBRATION.md)";

// Bases shared by many priors.
constexpr const char* kLever = "fixed: a building block, set by the scenario and varied by variants or a design";
constexpr const char* kSwitch = "fixed: a switch of the scenario";
constexpr const char* kPolicy = "fixed: a policy choice the scenario makes";
constexpr const char* kCalendar = "fixed: the election calendar (Kieswet)";
constexpr const char* kClassDefinition = "fixed: definition of the wijk classes";
constexpr const char* kStructure = "fixed: network structure (a fixed out-degree keeps the weekly pass fast), not a behaviour";
constexpr const char* kRun = "fixed: a setting of the run, not of the model";
constexpr const char* kOutput = "fixed: what is written, not what is simulated";
constexpr const char* kWide = "assumption: default +-50%, because no source gives its size";
// Programme effects on safety that SCP (2013) did not find outside the renewed buurten of the
// Vogelaar wijken: no effect at all is as plausible as the default, so the prior reaches 0.
constexpr const char* kScpNone =
    "assumption: from none to 1.5 x the default, because SCP 2013 found no gain in perceived safety in the Vogelaar wijken beyond renewal";
// Herstructurering (SCP: Wittebrood & Permentier 2011, Wonen, wijken & interventies; Permentier,
// Kullberg & Van Noije 2013, Werk aan de wijk): renewing dwellings improved liveability and safety.
constexpr const char* kScpRenewal =
    "SCP: Wittebrood & Permentier 2011; Permentier, Kullberg & Van Noije 2013 (favourable effects on liveability and safety came with herstructurering); size: assumption, a couple of points (docs/CALIBRATION.md)";
constexpr const char* kRenewalSize =
    "assumption: from none to 2.5 x the default, because SCP 2013 found a gain of a few points at most where dwellings were renewed";
constexpr const char* kHalfRenewed =
    "assumption: the first renewals take the worst complexes, a minority of a buurt's stock; half the effect at a tenth renewed, so a five-year Vogelaar-like programme (about 5% renewed in the model) is in the rising part";
constexpr const char* kGreen =
    "Wittebrood & Permentier 2011 (SCP): more green and play facilities showed little demonstrable effect on liveability and safety; maintenance acts on disorder (Keizer, Lindenberg & Steg 2008); size assumed";
constexpr const char* kFactor = "assumption: within a factor 2 of the default, because no source gives its size (a rate or scale)";
// Rows whose prior was relative to a default that the ABC has since moved keep the prior they had,
// so the shipped posterior stays a posterior of the prior it was drawn from.
constexpr const char* kWideOfOld = "assumption: the first default +-50%, because no source gives its size";
constexpr const char* kFactorOfOld = "assumption: within a factor 2 of the first default, because no source gives its size";
// Professionals' presence is where the programme evidence and the pattern tests pull apart: the
// evidence prefers a smaller effect, patterns 6, 8 and 9 need this one (docs/CALIBRATION.md).
constexpr const char* kPresenceAboveMedian =
    "assumption (free); kept above the programme-evidence ABC's posterior median, inside its 90% interval: at the median "
    "the pattern tests of differentiation, effect size and the RIGO nonlinearity fail (docs/CALIBRATION.md)";
// Defaults set by the programme evidence: the median of the accepted ABC draws, two digits.
std::string abc_default(const std::string& basis) {
  return basis + "; default: posterior median of the programme-evidence ABC (docs/CALIBRATION.md)";
}
constexpr const char* kZaanstadRange = "assumption: +-30% around a reading of Zaanstad's quadrant, which gives no numbers";
constexpr const char* kDentersRange = "assumption: +-30% around Denters et al. 2012's qualitative finding";
constexpr const char* kPlatform31Range = "assumption: +-50% around a reading of Platform31 2018, which gives no numbers";
constexpr const char* kTimeUse = "CBS tijdsbesteding (rounded); +-30% for rounding and the gap between free time and time for volunteering";

Prior fixed(const char* basis) { return Prior{PriorKind::fixed, 0, 0, 0, 0, basis}; }
Prior uniform(double lo, double hi, const char* basis) { return Prior{PriorKind::uniform, 0, 0, lo, hi, basis}; }
[[maybe_unused]] Prior log_uniform(double lo, double hi, const char* basis) { return Prior{PriorKind::log_uniform, 0, 0, lo, hi, basis}; }
// Truncated to the row's range unless bounds are given (lo = hi = 0: resolved later).
Prior normal(double mean, double sd, const char* basis) { return Prior{PriorKind::normal, mean, sd, 0, 0, basis}; }
Prior normal(double mean, double sd, double lo, double hi, const char* basis) {
  return Prior{PriorKind::normal, mean, sd, lo, hi, basis};
}
[[maybe_unused]] Prior beta(double a, double b, double lo, double hi, const char* basis) { return Prior{PriorKind::beta, a, b, lo, hi, basis}; }
Prior around(double fraction, const char* basis) {
  Prior p{PriorKind::uniform, 0, 0, 0, 0, basis};
  p.relative = fraction;
  return p;
}
Prior around_log(double factor, const char* basis) {
  Prior p{PriorKind::log_uniform, 0, 0, 0, 0, basis};
  p.factor = factor;
  return p;
}

// Relative priors and normal priors without bounds get them from the row.
void resolve_prior(ParamDef& d) {
  Prior& p = d.prior;
  if (p.is_fixed()) return;
  const double v = d.default_value;
  if (p.relative > 0) {
    p.lo = std::max(d.min, v * (1 - p.relative));
    p.hi = std::min(d.max, v * (1 + p.relative));
    if (p.lo > p.hi) std::swap(p.lo, p.hi);  // a negative default
    p.relative = 0;
  } else if (p.factor > 0) {
    p.lo = std::max(d.min, v / p.factor);
    p.hi = std::min(d.max, v * p.factor);
    p.factor = 0;
  } else if (p.kind == PriorKind::normal && p.lo == 0 && p.hi == 0) {
    p.lo = d.min;
    p.hi = d.max;
  }
}

#define WJ_REAL(PATH, FIELD, UNIT, DEF, LO, HI, MEANING, SOURCE, STAGE, PRIOR)                \
  ParamDef { PATH, ParamKind::real, Unit::UNIT, DEF, LO, HI, {}, MEANING, SOURCE,            \
             [](Params& p) -> double* { return &p.FIELD; }, nullptr, nullptr, ParamStage::STAGE, PRIOR }
#define WJ_INT(PATH, FIELD, DEF, LO, HI, MEANING, SOURCE, STAGE, PRIOR)                       \
  ParamDef { PATH, ParamKind::integer, Unit::none, DEF, LO, HI, {}, MEANING, SOURCE, nullptr, \
             [](Params& p) -> int* { return &p.FIELD; }, nullptr, ParamStage::STAGE, PRIOR }
#define WJ_BOOL(PATH, FIELD, DEF, MEANING, SOURCE, STAGE, PRIOR)                              \
  ParamDef { PATH, ParamKind::boolean, Unit::none, DEF, 0, 1, {}, MEANING, SOURCE, nullptr,   \
             nullptr, [](Params& p) -> bool* { return &p.FIELD; }, ParamStage::STAGE, PRIOR }
#define WJ_CHOICE(PATH, FIELD, DEF, CHOICES, MEANING, SOURCE, STAGE, PRIOR)                   \
  ParamDef { PATH, ParamKind::choice, Unit::none, DEF, 0, 0, CHOICES, MEANING, SOURCE,        \
             nullptr, [](Params& p) -> int* { return &p.FIELD; }, nullptr, ParamStage::STAGE, PRIOR }

const std::vector<std::string> kStyles = {"stimuleren", "regisseren", "faciliteren", "loslaten"};

std::vector<ParamDef> build_table() {
  std::vector<ParamDef> t = {
      // The seven building blocks: the scenario's public levers.
      WJ_REAL("building_blocks.vision", building_blocks.vision, share, 0.2, 0, 1,
              "prior shared, widely supported vision V0 (raised further during visievorming)", kPlatform31,
              build, fixed(kLever)),
      WJ_REAL("building_blocks.anchoring", building_blocks.anchoring, share, 0.5, 0, 1,
              "administrative anchoring A: survival at elections and budget rounds, decision speed, promises kept", kPlatform31,
              burn_in, fixed(kLever)),
      WJ_REAL("building_blocks.urgency", building_blocks.urgency, share, 0.5, 0, 1,
              "prior societal urgency U0 (mixed with live indicators): mobilisation and political attention", kPlatform31,
              programme, fixed(kLever)),
      WJ_REAL("building_blocks.process_leadership", building_blocks.process_leadership, share, 0.5, 0, 1,
              "independent process leadership (quality x presence): neutrality, less friction, broader vision; costs hours", kPlatform31,
              build, fixed(kLever)),
      WJ_REAL("building_blocks.long_breath", building_blocks.long_breath, years, 8, 0, 30,
              "planned length of the programme (lange adem)", kPlatform31,
              programme, fixed(kLever)),
      WJ_REAL("building_blocks.trust", building_blocks.trust, share, 0.49, 0, 1,
              "initial mean institutional trust T (share trusting the gemeenteraad ~50%, 2022)", "CBS (2022); calibrated (docs/CALIBRATION.md)",
              build, normal(0.49, 0.05, 0.35, 0.65, "CBS (2022): about half trust the gemeenteraad; sd 0.05 an assumption for the spread between gemeenten")),
      WJ_REAL("building_blocks.resources", building_blocks.resources, none, 1.0, 0, 10,
              "multiplier on the plan's programme staff hours and budgets", kPlatform31,
              build, fixed(kLever)),

      WJ_BOOL("programme.enabled", programme.enabled, 1, "false gives the no-programme baseline", "-",
              programme, fixed(kSwitch)),
      WJ_CHOICE("programme.plan", programme.plan, 0, (std::vector<std::string>{"wendbaar", "hengelo", "top-down"}),
                "phase plan used when programme.phases is not given", kPlatform31,
              programme, fixed(kSwitch)),
      WJ_INT("programme.stop_at_election", programme.stop_at_election, 0, 0, 10,
             "0: the programme lives on survival draws; n: it is stopped at the n-th election", "-",
              programme, fixed(kSwitch)),
      WJ_REAL("programme.rollout_after", programme.rollout_after, years, 0, 0, 30,
              "years after which a programme begun in start_buurten spreads to all buurten of their wijken; 0: never", "Hengelo (start in De Noork)",
              programme, fixed(kPolicy)),
      WJ_REAL("programme.restart_after", programme.restart_after, years, 0, 0, 30,
              "years after an early stop when the programme starts again from its first phase (stop-and-go); 0: never", "-",
              programme, fixed(kPolicy)),

      WJ_REAL("governance.first_election_after", governance.first_election_after, years, 4, 0, 4,
              "years from the scenario's start date to the first council election", kKieswet,
              build, fixed(kCalendar)),
      WJ_REAL("governance.election_interval", governance.election_interval, years, 4, 1, 10,
              "years between council elections", kKieswet,
              build, fixed(kCalendar)),
      WJ_REAL("governance.survival_base", governance.survival_base, none, 0.6, -10, 10,
              "logit of surviving an election at A = U = 0.5 and no results", kAssumed,
              programme, normal(0.6, 1.0, -2, 3, "assumption: logit sd 1 lets survival at average conditions range ~35-85%, since no study gives it")),
      WJ_REAL("governance.survival_anchoring", governance.survival_anchoring, none, 4.0, 0, 20,
              "logit per unit of anchoring above 0.5", kAssumed,
              programme, uniform(1, 8, "assumption: anchoring must matter (Platform31) but its size is unknown; 1-8 logit per unit")),
      WJ_REAL("governance.survival_urgency", governance.survival_urgency, none, 1.5, 0, 20,
              "logit per unit of urgency above 0.5 (political attention)", kAssumed,
              programme, uniform(0, 3, "assumption: from no effect to a strong one; political attention is documented (Platform31), its size not")),
      WJ_REAL("governance.survival_results", governance.survival_results, none, 1.0, 0, 20,
              "logit per completed initiative per 1,000 programme residents in the term (visible results)", kAssumed,
              programme, uniform(0, 2, "assumption: visible results help survival; 0-2 logit per completed initiative per 1,000")),
      WJ_REAL("governance.survival_vision", governance.survival_vision, none, 2.0, 0, 20,
              "logit per unit of vision breadth (share of residents who took part)", kAssumed,
              programme, uniform(0, 4, "assumption: broad support helps survival; 0-4 logit per unit of breadth")),
      WJ_REAL("wethouder.personal_share", wethouder.personal_share, share, 0.4, 0, 1,
              "share of anchoring A that rests on the wijkwethouder in person (the rest is institutional: council decisions, coalition agreement)", kAssumed,
              programme, uniform(0.2, 0.6, "assumption: Platform31 2018 names both a bestuurlijk trekker and council anchoring; neither is said to dominate")),
      WJ_REAL("wethouder.familiarity_weeks", wethouder.familiarity_weeks, years, 1, 0.1, 10,
              "time constant in which a new wethouder's commitment to an inherited programme grows toward full", kAssumed,
              programme, uniform(0.5, 2, "assumption: a new wethouder needs half a year to two years to own an inherited portfolio")),
      WJ_REAL("wethouder.replace_probability", wethouder.replace_probability, share, 0.5, 0, 1,
              "chance that a council election brings the programme a new wijkwethouder", kWethouders,
              programme, uniform(0.4, 0.7, "Binnenlands Bestuur 2010 and 2018: about half of wethouders do not return after council elections; up to 0.7 because a returning wethouder can change portfolio")),
      WJ_INT("wethouder.replace_at_election", wethouder.replace_at_election, 0, 0, 10,
             "0: the wethouder's replacement is drawn at each election; n: the wethouder is replaced for sure at the n-th election (what if our wethouder leaves?)", "-",
              programme, fixed(kSwitch)),
      WJ_REAL("governance.budget_cut_probability", governance.budget_cut_probability, none, 0.3, 0, 1,
              "chance a yearly budget round cuts the programme at A = 0 (scaled by 1 - A)", kAssumed,
              programme, uniform(0.1, 0.5, "assumption: cuts happen in some but not most budget rounds")),
      WJ_REAL("governance.budget_cut_fraction", governance.budget_cut_fraction, share, 0.25, 0, 1,
              "share of programme hours and budgets removed by a cut", kAssumed,
              programme, uniform(0.1, 0.4, "assumption: a cut removes a tenth to two fifths, as in reported wijkaanpak cuts")),
      WJ_REAL("governance.decision_weeks_anchored", governance.decision_weeks_anchored, weeks, 4, 0, 104,
              "mean weeks to a decision on a request when fully anchored", kVeenendaal,
              burn_in, uniform(2, 8, "Veenendaal one-month rule; 2-8 weeks because not every request meets it")),
      WJ_REAL("governance.decision_weeks_unanchored", governance.decision_weeks_unanchored, weeks, 20, 0, 104,
              "mean weeks to a decision when not anchored", "MODEL.md §10 ('months when not')",
              burn_in, uniform(10, 40, "MODEL.md §10 ('months when not'): two to nine months")),
      WJ_REAL("governance.decision_promised", governance.decision_promised, weeks, 6, 1, 104,
              "promised decision time: later decisions are broken promises", kVeenendaal,
              burn_in, fixed(kPolicy)),
      WJ_REAL("governance.promise_keep_base", governance.promise_keep_base, share, 0.6, 0, 1,
              "share of promises kept at A = 0 (rises linearly to 1 at A = 1)", kAssumed,
              burn_in, uniform(0.4, 0.8, "assumption: most but not all promises are kept without anchoring")),
      WJ_BOOL("governance.reallocate", governance.reallocate, 1,
              "quarterly monitoring during uitvoeren re-allocates hours toward buurten in need (leren en bijsturen)", kPlatform31,
              programme, fixed(kSwitch)),
      WJ_REAL("governance.reallocation_rate", governance.reallocation_rate, share, 0.3, 0, 1,
              "how far each re-allocation moves toward the need-based split", kAssumed,
              programme, uniform(0.1, 0.5, "assumption: monitoring moves hours part of the way, not all at once")),
      WJ_REAL("governance.monitoring_interval", governance.monitoring_interval, weeks, 13, 1, 104,
              "weeks between monitoring rounds (quarterly)", kPlatform31,
              programme, fixed(kPolicy)),
      WJ_CHOICE("governance.allocation", governance.allocation, 0,
                (std::vector<std::string>{"by_class", "by_population", "equal_per_wijk"}),
                "how programme staff are spread over wijken: by class capacity, equal per resident, or equal per wijk", kZaanstad,
              build, fixed(kPolicy)),
      WJ_REAL("governance.monitoring_aspiration", governance.monitoring_aspiration, share, 0.12, 0, 1,
              "active share below which monitoring counts a buurt as in need of more hours", "assumption: an aspiration above the 7% national level",
              programme, around(0.5, kWide)),
      WJ_REAL("governance.survival_results_cap", governance.survival_results_cap, none, 3, 0, 100,
              "completed initiatives per 1,000 programme residents that count at most at an election", "assumption: a burst of small initiatives cannot guarantee survival",
              programme, around(0.5, kWide)),
      WJ_REAL("governance.support_threshold", governance.support_threshold, share, 0.25, 0, 1,
              "wendbaar review: support (legitimacy of the plan among programme residents) below which the plan goes back to its vision phase", kPlatform31,
              programme, uniform(0.2, 0.4, "assumption: a review acts when well under half the residents back the plan")),
      WJ_INT("governance.max_returns", governance.max_returns, 2, 0, 10,
             "most times the wendbaar review sends the plan back (0: never)", "assumption: a plan is reopened once or twice, not forever",
              programme, fixed(kPolicy)),
      WJ_REAL("governance.return_cooldown", governance.return_cooldown, weeks, 52, 0, 520,
              "weeks after a return before the review may send the plan back again", "assumption: a year to show results",
              programme, fixed(kPolicy)),

      // Working styles (Zaanstad's quadrant).
      WJ_REAL("styles.stimuleren.proactive", styles[0].proactive, share, 0.75, 0, 1, "proactive share of free hours", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.stimuleren.outreach", styles[0].outreach, share, 0.5, 0, 1, "weight of outreach in proactive hours", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.stimuleren.support", styles[0].support, share, 0.4, 0, 1, "weight of initiative support", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.stimuleren.projects", styles[0].projects, share, 0.1, 0, 1, "weight of professional-led projects", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.stimuleren.ownership", styles[0].ownership, share, 1.0, 0, 1, "residents' ownership of results", "Denters et al. 2012",
              burn_in, around(0.3, kDentersRange)),
      WJ_REAL("styles.stimuleren.presence", styles[0].presence, share, 1.0, 0, 1, "share of a visible programme role's free hours spent in the street (loslaten: little presence)", "assumption: Zaanstad quadrant read as presence per style",
              programme, around(0.5, kWide)),
      WJ_REAL("styles.stimuleren.approval", styles[0].approval, none, 0.0, -1, 1, "shift of the approval probability of residents' proposals (regisseren: professionals prefer their own plans)", kStructural,
              burn_in, uniform(-0.1, 0.1, "assumption: a style shifts approval by at most a tenth either way")),
      WJ_REAL("styles.regisseren.proactive", styles[1].proactive, share, 0.75, 0, 1, "proactive share of free hours", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.regisseren.outreach", styles[1].outreach, share, 0.2, 0, 1, "weight of outreach", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.regisseren.support", styles[1].support, share, 0.2, 0, 1, "weight of initiative support", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.regisseren.projects", styles[1].projects, share, 0.6, 0, 1, "weight of professional-led projects", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.regisseren.ownership", styles[1].ownership, share, 0.5, 0, 1, "residents' ownership of results", "Denters et al. 2012",
              burn_in, around(0.3, kDentersRange)),
      WJ_REAL("styles.regisseren.presence", styles[1].presence, share, 1.0, 0, 1, "share of a visible programme role's free hours spent in the street (loslaten: little presence)", "assumption: Zaanstad quadrant read as presence per style",
              programme, around(0.5, kWide)),
      WJ_REAL("styles.regisseren.approval", styles[1].approval, none, -0.1, -1, 1, "shift of the approval probability of residents' proposals (regisseren: professionals prefer their own plans)", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("styles.faciliteren.proactive", styles[2].proactive, share, 0.3, 0, 1, "proactive share of free hours", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.faciliteren.outreach", styles[2].outreach, share, 0.15, 0, 1, "weight of outreach", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.faciliteren.support", styles[2].support, share, 0.75, 0, 1, "weight of initiative support", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.faciliteren.projects", styles[2].projects, share, 0.1, 0, 1, "weight of professional-led projects", kZaanstad,
              programme, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.faciliteren.ownership", styles[2].ownership, share, 1.0, 0, 1, "residents' ownership of results", "Denters et al. 2012",
              burn_in, around(0.3, kDentersRange)),
      WJ_REAL("styles.faciliteren.presence", styles[2].presence, share, 0.6, 0, 1, "share of a visible programme role's free hours spent in the street (loslaten: little presence)", "assumption: Zaanstad quadrant read as presence per style",
              programme, around(0.5, kWide)),
      WJ_REAL("styles.faciliteren.approval", styles[2].approval, none, 0.05, -1, 1, "shift of the approval probability of residents' proposals (regisseren: professionals prefer their own plans)", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("styles.loslaten.proactive", styles[3].proactive, share, 0.05, 0, 1, "proactive share of free hours", kZaanstad,
              burn_in, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.loslaten.outreach", styles[3].outreach, share, 0.1, 0, 1, "weight of outreach", kZaanstad,
              burn_in, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.loslaten.support", styles[3].support, share, 0.8, 0, 1, "weight of initiative support", kZaanstad,
              burn_in, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.loslaten.projects", styles[3].projects, share, 0.1, 0, 1, "weight of professional-led projects", kZaanstad,
              burn_in, around(0.3, kZaanstadRange)),
      WJ_REAL("styles.loslaten.ownership", styles[3].ownership, share, 1.0, 0, 1, "residents' ownership of results", "Denters et al. 2012",
              burn_in, around(0.3, kDentersRange)),
      WJ_REAL("styles.loslaten.presence", styles[3].presence, share, 0.2, 0, 1, "share of a visible programme role's free hours spent in the street (loslaten: little presence)", "assumption: Zaanstad quadrant read as presence per style",
              programme, around(0.5, kWide)),
      WJ_REAL("styles.loslaten.approval", styles[3].approval, none, 0.0, -1, 1, "shift of the approval probability of residents' proposals (regisseren: professionals prefer their own plans)", kStructural,
              programme, uniform(-0.1, 0.1, "assumption: a style shifts approval by at most a tenth either way")),

      // Wijk classes.
      WJ_REAL("classes.green.capacity", classes[0].capacity, none, 0.6, 0, 10, "programme staff multiplier for green wijken", kZaanstad,
              build, around(0.3, kZaanstadRange)),
      WJ_CHOICE("classes.green.style", classes[0].style, 2, kStyles, "working style in green wijken ('finger on the pulse')", kZaanstad,
              build, fixed(kPolicy)),
      WJ_REAL("classes.green.deprivation_max", classes[0].deprivation_max, share, 0.3, 0, 1, "mean deprivation below which a wijk is green", kAssumed,
              build, fixed(kClassDefinition)),
      WJ_REAL("classes.orange.capacity", classes[1].capacity, none, 1.0, 0, 10, "programme staff multiplier for orange wijken", kZaanstad,
              build, around(0.3, kZaanstadRange)),
      WJ_CHOICE("classes.orange.style", classes[1].style, 0, kStyles, "working style in orange wijken", kZaanstad,
              build, fixed(kPolicy)),
      WJ_REAL("classes.orange.deprivation_max", classes[1].deprivation_max, share, 0.55, 0, 1, "mean deprivation below which a non-green wijk is orange", kAssumed,
              build, fixed(kClassDefinition)),
      WJ_REAL("classes.red.capacity", classes[2].capacity, none, 1.6, 0, 10, "programme staff multiplier for red wijken", kZaanstad,
              build, around(0.3, kZaanstadRange)),
      WJ_CHOICE("classes.red.style", classes[2].style, 0, kStyles, "working style in red wijken (deeper, proactive work)", kZaanstad,
              build, fixed(kPolicy)),
      WJ_REAL("classes.red.deprivation_max", classes[2].deprivation_max, share, 1.0, 0, 1, "upper bound for red (always 1)", "-",
              build, fixed(kClassDefinition)),

      // Professionals.
      WJ_REAL("staff.hours_per_fte", staff.hours_per_fte, hours_per_week, 36, 1, 60, "contract hours per FTE", kDsp,
              build, fixed("fixed: a unit, a Dutch full-time contract (36 hours)")),
      WJ_REAL("staff.turnover", staff.turnover, per_year, 0.15, 0, 0.9, "annual probability a professional leaves", "MODEL.md §10: 10-25%, no Dutch source",
              burn_in, uniform(0.10, 0.25, "MODEL.md §10: 10-25% a year")),
      WJ_REAL("staff.vacancy_weeks", staff.vacancy_weeks, weeks, 12, 0, 104, "weeks a post stays vacant after someone leaves", kAssumed,
              burn_in, uniform(6, 26, "assumption: between six weeks and half a year to fill a post")),
      WJ_REAL("staff.contacts_per_hour", staff.contacts_per_hour, contacts_per_hour, 1.5, 0, 1000, "outreach contacts per proactive hour", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("staff.outreach_saturation", staff.outreach_saturation, hours_per_week, 4, 0.01, 1000, "outreach hours per 1,000 residents per week beyond which extra hours find few new doors to knock on (diminishing returns)", kAssumed,
              burn_in, around_log(2, kFactor)),
      WJ_REAL("staff.coordination_base", staff.coordination_base, share, 0.12, 0, 0.9, "share of hours lost to coordination in any case", kAssumed,
              burn_in, uniform(0.05, 0.2, "assumption: a twentieth to a fifth of hours go to meetings in any case")),
      WJ_REAL("staff.coordination_no_vision", staff.coordination_no_vision, share, 0.2, 0, 0.9, "extra coordination share without a shared vision (scaled by 1 - V)", kPlatform31,
              burn_in, around(0.5, kPlatform31Range)),
      WJ_REAL("staff.coordination_leadership_cut", staff.coordination_leadership_cut, share, 0.5, 0, 1, "share of the sector/district friction removed by full process leadership", kPlatform31,
              programme, around(0.5, kPlatform31Range)),
      WJ_REAL("staff.caseload_hours_per_1000", staff.caseload_hours_per_1000, hours_per_week, 12, 0, 500, "reactive caseload per 1,000 residents per week at deprivation 0.5", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("staff.relationship_gain", staff.relationship_gain, per_week, 0.04, 0, 1, "weekly growth of relationship capital R at saturating contact", kAssumed,
              burn_in, around_log(2, kFactor)),
      WJ_REAL("staff.relationship_half_hours", staff.relationship_half_hours, hours_per_week, 4, 0.1, 100, "hours per week in a buurt at which R grows at half speed", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("staff.relationship_decay", staff.relationship_decay, per_week, 0.01, 0, 1, "weekly loss of R in a buurt without hours", kAssumed,
              burn_in, around_log(2, kFactor)),
      WJ_REAL("staff.presence_hours_ref", staff.presence_hours_ref, hours_per_week, 10, 0.1, 1000, "visible hours per 1,000 residents giving presence 1 - 1/e", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("staff.euros_per_fte_year.wijkagent", staff.euros_per_fte_year[0], euros, 80000, 0, 1e6, "employer cost per FTE per year: community police officer", kSalaryOther,
              programme, around(0.15, "assumption: the scale estimate within 15%")),
      WJ_REAL("staff.euros_per_fte_year.sociaal_wijkteam", staff.euros_per_fte_year[1], euros, 85000, 0, 1e6, "employer cost per FTE per year: social district team (gemeente scale 9)", kSalaryGemeenten,
              programme, around(0.15, "assumption: the scale estimate within 15%")),
      WJ_REAL("staff.euros_per_fte_year.corporatie", staff.euros_per_fte_year[2], euros, 85000, 0, 1e6, "employer cost per FTE per year: housing association staff", kSalaryOther,
              programme, around(0.15, "assumption: the scale estimate within 15%")),
      WJ_REAL("staff.euros_per_fte_year.wijkmanager", staff.euros_per_fte_year[3], euros, 105000, 0, 1e6, "employer cost per FTE per year: wijkmanager (gemeente scale 11)", kSalaryGemeenten,
              programme, around(0.15, "assumption: the scale estimate within 15%")),
      WJ_REAL("staff.euros_per_fte_year.opbouwwerker", staff.euros_per_fte_year[4], euros, 75000, 0, 1e6, "employer cost per FTE per year: community worker (opbouwwerker)", kSalarySociaalWerk,
              programme, around(0.15, "assumption: the scale estimate within 15%")),
      WJ_REAL("staff.euros_per_fte_year.projectleider", staff.euros_per_fte_year[5], euros, 105000, 0, 1e6, "employer cost per FTE per year: project leader (gemeente scale 11)", kSalaryGemeenten,
              programme, around(0.15, "assumption: the scale estimate within 15%")),
      WJ_REAL("staff.euros_per_fte_year.procesleider", staff.euros_per_fte_year[6], euros, 150000, 0, 1e6, "cost per FTE per year: independent process leader", kSalaryLeader,
              programme, around(0.15, "assumption: the scale estimate within 15%")),
      WJ_REAL("staff.euros_per_fte_year.other", staff.euros_per_fte_year[7], euros, 85000, 0, 1e6, "employer cost per FTE per year: any other scenario role", kSalaryGemeenten,
              programme, around(0.15, "assumption: the scale estimate within 15%")),
      WJ_REAL("staff.leader_hours", staff.leader_hours, hours_per_week, 16, 0, 80, "process leader hours per programme wijk at process_leadership 1", kAssumed,
              build, around(0.5, kWide)),
      WJ_REAL("staff.coordination_max", staff.coordination_max, share, 0.9, 0, 1, "cap on the share of hours lost to coordination", kStructural,
              programme, around(0.5, kWide)),
      WJ_REAL("staff.casework_max", staff.casework_max, share, 0.85, 0, 1, "cap on the share of free hours taken by casework", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("staff.casework_incident_floor", staff.casework_incident_floor, share, 0.5, 0, 1, "f in the incident factor max(f, f + (1 - f) rate / base rate) of casework demand", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("staff.leader_vision_factor", staff.leader_vision_factor, none, 2, 0, 10, "the process leader's vision share is this times the phase's vision weight (at most 1)", kStructural,
              programme, around(0.5, kWide)),
      WJ_REAL("staff.regisseur_hours_ref", staff.regisseur_hours_ref, hours_per_week, 18, 0.1, 1000, "wijkregisseur hours per 10,000 residents per week that cover a wijk fully (half an FTE)", "assumption: one wijkregisseur per wijk of 10-20,000 residents (Hengelo, Zaanstad)",
              programme, around(0.5, kWide)),
      WJ_REAL("staff.regisseur_coordination_cut", staff.regisseur_coordination_cut, share, 0.4, 0, 1, "share of the coordination overhead a fully covering wijkregisseur removes", "assumption: Platform31 2018 (integraal werken)",
              programme, around(0.5, kWide)),
      WJ_REAL("staff.regisseur_partner_gain", staff.regisseur_partner_gain, none, 0.3, 0, 5, "extra programme partner hours mobilised at full wijkregisseur coverage", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("staff.koppelkans_gain", staff.koppelkans_gain, none, 0.5, 0, 10, "extra project results from the same hours at full coverage (combined projects, koppelkansen)", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("staff.casework_hours_per_case", staff.casework_hours_per_case, none, 20, 0, 1000, "casework hours that resolve one resident's problem (0: casework helps no one)", kWijkteam,
              burn_in, around(0.5, kWide)),
      WJ_REAL("staff.casework_efficacy_gain", staff.casework_efficacy_gain, share, 0.1, 0, 1, "share of the gap to 1 in efficacy closed for a resident helped", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("staff.casework_frustration_relief", staff.casework_frustration_relief, share, 0.3, 0, 1, "share of a helped resident's frustration lifted", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("staff.casework_free_hours_gain", staff.casework_free_hours_gain, hours_per_week, 0.5, 0, 40, "free hours a helped resident gains (up to the usual hours of their age band)", kAssumed,
              burn_in, around(0.5, kWide)),

      // Residents.
      WJ_REAL("residents.trust_sd", residents.trust_sd, none, 1.8, 0, 4,
              "sd of a resident's baseline institutional trust in logit units, beyond resources and age (with them the share trusting moves smoothly with building_blocks.trust)",
              "assumption: wide enough that SCP's 1/3 vs 2/3 trusting (lower vs higher educated) holds inside each group's spread; SCP Burgerperspectieven",
              build, uniform(1.2, 2.4, "assumption: the share trusting must stay between ~25% and ~75% for levers 0.3-0.7 (measured on hengelo-noord)")),
      WJ_REAL("residents.trust_deprivation_shift", residents.trust_deprivation_shift, none, 0, 0, 4, "lower baseline trust (logit units) per unit of buurt deprivation above 0.4, beyond residents' own resources", "assumption: 0, deprivation acts through residents' resources (trust_ses); MODEL.md §6",
              build, uniform(0, 1, "assumption: at most as large again as the resources effect across the deprivation range")),
      WJ_REAL("residents.trust_ses", residents.trust_ses, none, 3.5, 0, 10,
              "baseline trust (logit units) per unit of socio-economic resources above trust_ses_centre: with trust_sd 1.8 about 1/3 of the lowest and 2/3 of the highest third of resources trust (at the lever 0.5)",
              "SCP Burgerperspectieven (about a third of the lower and two thirds of the higher educated trust politics)",
              build, uniform(2.5, 4.5, "SCP Burgerperspectieven: 1/3 vs 2/3 between lower and higher educated; the mapping of education on resources an assumption")),
      WJ_REAL("residents.trust_ses_centre", residents.trust_ses_centre, share, 0.5, 0, 1, "resources at which baseline trust is the lever's (building_blocks.trust is the median baseline trust there)", "assumption: the middle of the resources scale",
              build, fixed("fixed: defines what the trust lever means (the median baseline at the middle of the resources scale)")),
      WJ_REAL("residents.trust_age.15-25", residents.trust_age[0], none, 0.2, -2, 2, "baseline trust shift (logit units), 15-25", "assumption: the young trust institutions a little more (CBS Vertrouwen in instituties)",
              build, uniform(-0.2, 0.6, "assumption: age differences in institutional trust are small (CBS)")),
      WJ_REAL("residents.trust_age.25-45", residents.trust_age[1], none, 0, -2, 2, "baseline trust shift (logit units), 25-45", "assumption (reference band)",
              build, fixed("fixed: the reference age band")),
      WJ_REAL("residents.trust_age.45-65", residents.trust_age[2], none, -0.2, -2, 2, "baseline trust shift (logit units), 45-65", "assumption: middle-aged trust least (CBS Vertrouwen in instituties)",
              build, uniform(-0.6, 0.2, "assumption: age differences in institutional trust are small (CBS)")),
      WJ_REAL("residents.trust_age.65+", residents.trust_age[3], none, 0, -2, 2, "baseline trust shift (logit units), 65+", "assumption",
              build, uniform(-0.4, 0.4, "assumption: age differences in institutional trust are small (CBS)")),
      WJ_REAL("residents.social_trust_mean", residents.social_trust_mean, share, 0.62, 0, 1, "mean initial social trust S (trust in other people ~66%)", "CBS (2022)",
              build, normal(0.62, 0.03, 0.5, 0.75, "CBS (2022): ~66% trust other people; sd 0.03 an assumption")),
      WJ_REAL("residents.social_trust_sd", residents.social_trust_sd, none, 0.15, 0, 0.5, "sd of initial social trust", kAssumed,
              build, uniform(0.1, 0.2, "assumption: survey spreads of trust items are of this order")),
      WJ_REAL("residents.social_trust_deprivation_shift", residents.social_trust_deprivation_shift, none, 0.25, 0, 1, "lower social trust per unit of deprivation above 0.4", kSampson,
              build, around(0.5, kWide)),
      WJ_REAL("residents.efficacy_mean", residents.efficacy_mean, share, 0.45, 0, 1, "mean initial efficacy E", kAssumed,
              build, uniform(0.35, 0.55, "assumption: no Dutch efficacy scale maps onto 0-1; +-0.1 around the default")),
      WJ_REAL("residents.efficacy_sd", residents.efficacy_sd, none, 0.15, 0, 0.5, "sd of initial efficacy", kAssumed,
              build, uniform(0.1, 0.2, "assumption: as the trust spreads")),
      WJ_REAL("residents.threshold_mean", residents.threshold_mean, none, 0.25, -1, 2, "mean participation threshold theta", kGranovetter,
              build, uniform(0.15, 0.35, "assumption: Granovetter thresholds have no measured scale here; +-0.1")),
      WJ_REAL("residents.threshold_sd", residents.threshold_sd, none, 0.1, 0, 1, "sd of theta", kGranovetter,
              build, around(0.5, kWide)),
      WJ_REAL("residents.epsilon_mean", residents.epsilon_mean, none, 0.4, 0, 1, "bounded-confidence width epsilon (0.3 two clusters - 0.5 consensus)", kDeffuant,
              build, uniform(0.3, 0.5, "Deffuant et al. 2000: 0.3 gives two clusters, 0.5 consensus")),
      WJ_REAL("residents.epsilon_sd", residents.epsilon_sd, none, 0.05, 0, 0.5, "sd of epsilon", kAssumed,
              build, around(0.5, kWide)),
      WJ_REAL("residents.free_hours.15-25", residents.free_hours[0], hours_per_week, 5, 0, 80, "free hours per week, 15-25", "CBS tijdsbesteding (rounded)",
              build, around(0.3, kTimeUse)),
      WJ_REAL("residents.free_hours.25-45", residents.free_hours[1], hours_per_week, 3, 0, 80, "free hours per week, 25-45", "CBS tijdsbesteding (rounded)",
              build, around(0.3, kTimeUse)),
      WJ_REAL("residents.free_hours.45-65", residents.free_hours[2], hours_per_week, 4, 0, 80, "free hours per week, 45-65", "CBS tijdsbesteding (rounded)",
              build, around(0.3, kTimeUse)),
      WJ_REAL("residents.free_hours.65+", residents.free_hours[3], hours_per_week, 8, 0, 80, "free hours per week, 65+", "CBS tijdsbesteding (rounded)",
              build, around(0.3, kTimeUse)),
      WJ_REAL("residents.age_propensity.15-25", residents.age_propensity[0], none, -0.12, -1, 1, "utility shift for 15-25 (2.8% active vs 7.1% overall)", kCbsVolunteer,
              build, normal(-0.12, 0.03, "CBS StatLine 85541NED (2022): the shifts reproduce the age profile; sd 0.03 an assumption")),
      WJ_REAL("residents.age_propensity.25-45", residents.age_propensity[1], none, -0.02, -1, 1, "utility shift for 25-45", kCbsVolunteer,
              build, normal(-0.02, 0.03, "CBS StatLine 85541NED (2022): the shifts reproduce the age profile; sd 0.03 an assumption")),
      WJ_REAL("residents.age_propensity.45-65", residents.age_propensity[2], none, 0.01, -1, 1, "utility shift for 45-65", kCbsVolunteer,
              build, normal(0.01, 0.03, "CBS StatLine 85541NED (2022): the shifts reproduce the age profile; sd 0.03 an assumption")),
      WJ_REAL("residents.age_propensity.65+", residents.age_propensity[3], none, 0.05, -1, 1, "utility shift for 65+ (65-75: 11.5% active)", kCbsVolunteer,
              build, normal(0.05, 0.03, "CBS StatLine 85541NED (2022): the shifts reproduce the age profile; sd 0.03 an assumption")),
      WJ_REAL("residents.ses_concentration", residents.ses_concentration, none, 4, 0.5, 100, "Beta concentration of socio-economic resources around 1 - deprivation", kAssumed,
              build, around_log(2, kFactor)),
      WJ_REAL("residents.volunteer_hours", residents.volunteer_hours, hours_per_week, 4, 0, 40, "hours a crew member gives per week", "CBS 2022 (Heerlen 5.2)",
              burn_in, uniform(3, 5.5, "CBS 2022 (Heerlen 5.2 hours); lower bound an assumption")),

      WJ_REAL("participation.beta_trust", participation.beta_trust, none, 0.08, 0, 5, "weight of institutional trust in the participation utility", kAssumed,
              build, around(0.5, kWide)),
      WJ_REAL("participation.beta_social", participation.beta_social, none, 0.08, 0, 5, "weight of social trust", kAssumed,
              build, around(0.5, kWide)),
      WJ_REAL("participation.beta_efficacy", participation.beta_efficacy, none, 0.08, 0, 5, "weight of efficacy", kAssumed,
              build, around(0.5, kWide)),
      WJ_REAL("participation.beta_network", participation.beta_network, none, 0.4, 0, 5, "weight of the active share among one's ties", "Centola & Macy 2007",
              build, uniform(0.2, 0.6, "Centola & Macy 2007 show the effect, not its size here; +-50%")),
      WJ_REAL("participation.beta_invited", participation.beta_invited, none, 0.28, 0, 5, "weight of having been invited recently", abc_default("Denters et al. 2012"),
              burn_in, uniform(0.15, 0.45, "Denters et al. 2012 show invitations matter; size +-50% an assumption")),
      WJ_REAL("participation.beta_urgency", participation.beta_urgency, none, 0.06, 0, 5, "weight of urgency while the programme mobilises", kPlatform31,
              programme, around(0.5, kWide)),
      WJ_REAL("participation.beta_cost", participation.beta_cost, none, 0.15, 0, 5, "weight of the cost of taking part (few free hours, low resources)", kAssumed,
              build, around(0.5, kWide)),
      WJ_REAL("participation.noise", participation.noise, none, 0.04, 0.001, 1, "logistic noise of the threshold rule", kAssumed,
              build, around_log(2, kFactor)),
      WJ_REAL("participation.join_rate", participation.join_rate, per_year, 0.4, 0, 1, "annual probability of joining when utility is far above the threshold", kAssumed,
              build, uniform(0.2, 0.6, "assumption: most who want to join do so within a few years")),
      WJ_REAL("participation.dropout", participation.dropout, per_year, 0.24, 0, 1, "base annual drop-out probability of active residents (moving away now counted apart: residential mobility)", "calibrated 0.32 (docs/CALIBRATION.md) less the ~10%/yr of active residents who now move away (mobility.*); recalibrate",
              build, normal(0.24, 0.04, 0.12, 0.4, "calibrated 0.32 less moves now modelled (docs/CALIBRATION.md); sd 0.04 an assumption until a posterior exists")),
      WJ_REAL("participation.dropout_frustration", participation.dropout_frustration, none, 2.0, 0, 50, "drop-out multiplier per unit of frustration", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("participation.dropout_duty", participation.dropout_duty, none, 0.5, 0, 50, "drop-out multiplier per year of continuous crew duty", kOliver,
              burn_in, around(0.5, kWide)),
      WJ_REAL("participation.dropout_vision", participation.dropout_vision, share, 0.3, 0, 1, "drop-out reduction at full shared vision", kPlatform31,
              burn_in, around(0.5, kWide)),
      WJ_REAL("participation.initiator_rate", participation.initiator_rate, per_year, 0.12, 0, 1, "annual probability an eligible active resident starts an initiative", "Staat van het Bestuur 2018 (8% in 5 years)",
              burn_in, uniform(0.06, 0.18, "Staat van het Bestuur 2018 (8% in 5 years); +-50% for the gap to this definition")),
      WJ_REAL("participation.initiator_efficacy_min", participation.initiator_efficacy_min, share, 0.45, 0, 1, "efficacy needed to become an initiator", kAssumed,
              burn_in, uniform(0.35, 0.55, "assumption: +-0.1 around the default, like the efficacy mean")),
      WJ_REAL("participation.frustration_decay", participation.frustration_decay, per_week, 0.026, 0, 1, "weekly share of frustration that fades (half-life ~26 weeks)", kAssumed,
              burn_in, around_log(2, kFactor)),
      WJ_REAL("participation.invite_weeks", participation.invite_weeks, weeks, 8, 0, 104, "weeks an invitation keeps counting", kAssumed,
              burn_in, uniform(4, 16, "assumption: an invitation counts for one to four months")),
      WJ_REAL("participation.fatigue_rise", participation.fatigue_rise, per_week, 0.02, 0, 1, "weekly rise of fatigue toward 1 per unit of load (crew duty = 1)", "assumption: burn-out of the usual suspects within about a year of continuous duty (Oliver, Marwell & Teixeira 1985; SCP 2013)",
              burn_in, around_log(2, kFactor)),
      WJ_REAL("participation.fatigue_recovery", participation.fatigue_recovery, per_week, 0.01, 0, 1, "weekly share of fatigue that fades (half-life ~1.3 years)", "assumption: slower than it comes",
              burn_in, around_log(2, kFactor)),
      WJ_REAL("participation.fatigue_invited_load", participation.fatigue_invited_load, none, 0.48, 0, 5, "load of being invited again while already active (relative to a week of crew duty)", abc_default("assumption: the same core is asked again and again"),
              programme, uniform(0.25, 0.75, kWideOfOld)),
      WJ_REAL("participation.beta_fatigue", participation.beta_fatigue, none, 0.15, 0, 5, "utility lost per unit of one's own fatigue (participatiemoeheid)", "assumption: as large as the cost term",
              burn_in, around(0.5, kWide)),
      WJ_REAL("participation.dropout_fatigue", participation.dropout_fatigue, none, 2.0, 0, 50, "drop-out multiplier per unit of fatigue", "assumption: as frustration",
              burn_in, around(0.5, kWide)),
      WJ_REAL("participation.beta_tired_ties", participation.beta_tired_ties, none, 0.2, 0, 5, "utility lost per share of one's ties who are burnt out", "assumption: fatigue spreads through ties",
              programme, around(0.5, kWide)),
      WJ_REAL("participation.fatigue_tired", participation.fatigue_tired, share, 0.5, 0, 1, "fatigue above which a resident counts as burnt out to their ties", "assumption: the middle of the scale",
              burn_in, uniform(0.3, 0.7, "assumption: +-0.2 around the middle")),
      WJ_REAL("participation.crowding_out", participation.crowding_out, none, 0.21, 0, 5, "utility lost when every visible result of the past crowding_weeks was a programme project (professionals took over what residents did)",
              abc_default("Frey & Jegen 2001 (motivation crowding-out: intervention seen as controlling lowers intrinsic motivation); size unmeasured until the programme-evidence ABC"),
              programme, uniform(0, 0.6, "assumption: from none to twice an invitation's pull (size unmeasured)")),
      WJ_REAL("participation.crowding_weeks", participation.crowding_weeks, weeks, 52, 1, 520, "e-folding memory of who made the buurt's visible results (crowding-out)",
              "assumption: residents judge who does the work in their buurt over about a year",
              programme, uniform(26, 104, "assumption: half a year to two years")),

      WJ_CHOICE("outreach.targeting", outreach.targeting, 0,
                (std::vector<std::string>{"random", "low_trust_first", "via_active"}),
                "which passive residents professionals reach first", "MODEL.md §4",
              burn_in, fixed(kPolicy)),
      WJ_REAL("outreach.contact_trust_rate", outreach.contact_trust_rate, share, 0.12, 0, 1, "how far one contact moves T toward the trust the professional earns", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("outreach.stranger_trust", outreach.stranger_trust, share, 0.45, 0, 1, "trust earned by a professional with no relationship capital (R = 0)", kAssumed,
              burn_in, uniform(0.3, 0.6, "assumption: a stranger is trusted a little less than average")),
      WJ_REAL("outreach.relationship_trust", outreach.relationship_trust, share, 0.85, 0, 1, "trust earned at full relationship capital (R = 1)", kAssumed,
              burn_in, uniform(0.7, 0.95, "assumption: a known professional is trusted well above average")),
      WJ_REAL("outreach.leadership_low_trust_gain", outreach.leadership_low_trust_gain, none, 3, 0, 20, "extra contact effect for low-trust residents per unit of process leadership x (1 - T)", kPlatform31,
              programme, around(0.5, kWide)),

      WJ_REAL("vision.formation_rate", vision.formation_rate, per_week, 0.05, 0, 1, "weekly growth of V toward its ceiling during visievorming", kPlatform31,
              programme, around_log(2, kFactor)),
      WJ_REAL("vision.participants_per_hour", vision.participants_per_hour, none, 2.0, 0, 50, "residents taking part per vision-session hour", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("vision.diversity_weight", vision.diversity_weight, share, 0.5, 0, 1, "weight of participants' diversity (age x resources) against their share", kPlatform31,
              programme, uniform(0.25, 0.75, "assumption: diversity and numbers both count (Platform31), weights unknown")),
      WJ_REAL("vision.leadership_breadth", vision.leadership_breadth, share, 0.6, 0, 1, "how much process leadership widens who takes part (low-trust residents join sessions)", kPlatform31,
              programme, around(0.5, kWide)),
      WJ_REAL("vision.approval_fit", vision.approval_fit, none, 0.25, 0, 1, "approval probability gained at full vision (initiatives fit the shared plan)", kPlatform31,
              burn_in, around(0.5, kWide)),
      WJ_REAL("outreach.targeting_floor", outreach.targeting_floor, none, 0.2, 0, 10, "targeting weight of a resident the rule does not favour", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("outreach.targeting_gain", outreach.targeting_gain, none, 4, 0, 100, "targeting weight added per (1 - T)^2 (low_trust_first) or active tie share (via_active)", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("outreach.downward_step", outreach.downward_step, share, 0.25, 0, 1, "step toward a lower earned trust, relative to contact_trust_rate", "assumption",
              burn_in, around(0.5, kWide)),

      WJ_REAL("vision.full_breadth_share", vision.full_breadth_share, share, 0.2, 0.01, 1, "share of adults taking part in vision formation that counts as fully broad", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("vision.noncore_weight", vision.noncore_weight, share, 0.5, 0, 1, "seat weight of residents outside the active and invited core at full leadership breadth", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("vision.post_programme_decay", vision.post_programme_decay, per_week, 0.002, 0, 1, "weekly loss of vision above V0 once the programme is gone (half-life ~7 years)", "assumption",
              programme, around_log(2, kFactor)),

      WJ_REAL("initiatives.cost_median", initiatives.cost_median, euros, 800, 0, 1e6, "median money an initiative asks", kBudgets,
              burn_in, uniform(500, 1500, "Enschede, Veenendaal, Best wijkbudgetten: typical asks of several hundred to 1,500 euros")),
      WJ_REAL("initiatives.cost_sigma", initiatives.cost_sigma, none, 1.0, 0, 5, "lognormal sigma of cost", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.cost_min", initiatives.cost_min, euros, 100, 0, 1e6, "smallest ask", kBudgets,
              burn_in, fixed("fixed by definition: the smallest ask the wijkbudget schemes accept")),
      WJ_REAL("initiatives.cost_max", initiatives.cost_max, euros, 15000, 0, 1e7, "largest ask", kAssumed,
              burn_in, fixed("fixed by definition: the largest ask modelled")),
      WJ_REAL("initiatives.hours_median", initiatives.hours_median, none, 120, 1, 1e5, "median volunteer hours an initiative needs", kAssumed,
              burn_in, around_log(2, kFactor)),
      WJ_REAL("initiatives.hours_sigma", initiatives.hours_sigma, none, 0.7, 0, 5, "lognormal sigma of hours", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.support_share", initiatives.support_share, share, 0.15, 0, 5, "professional support hours needed per volunteer hour", "Denters et al. 2012",
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.fast_track_euros", initiatives.fast_track_euros, euros, 1000, 0, 1e6, "asks below this are decided fast (a quarter of the delay)", kBudgets,
              burn_in, fixed(kPolicy)),
      WJ_REAL("initiatives.supporters_threshold_euros", initiatives.supporters_threshold_euros, euros, 5000, 0, 1e7, "asks above this need supporters_needed signatures", kBudgets,
              burn_in, fixed(kPolicy)),
      WJ_REAL("initiatives.supporters_needed", initiatives.supporters_needed, none, 10, 0, 1000, "signatures needed for large asks", "Smallingerland, Enschede (10-25)",
              burn_in, fixed(kPolicy)),
      WJ_REAL("initiatives.idea_max_weeks", initiatives.idea_max_weeks, weeks, 12, 1, 520, "weeks an idea may gather crew and supporters before it is proposed or fizzles", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.crew_target", initiatives.crew_target, none, 4, 1, 12, "crew members an initiator tries to recruit", kOliver,
              burn_in, uniform(2, 6, "Oliver, Marwell & Teixeira 1985: small groups carry collective action; 2-6")),
      WJ_REAL("initiatives.critical_mass_hours", initiatives.critical_mass_hours, hours_per_week, 8, 0.1, 1000, "weekly crew hours at which production reaches half speed", kOliver,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.critical_mass_exponent", initiatives.critical_mass_exponent, none, 3, 1, 10, "steepness of the critical-mass production function", kOliver,
              burn_in, uniform(2, 4, "Oliver, Marwell & Teixeira 1985: an accelerating (S-shaped) production function")),
      WJ_REAL("initiatives.stall_weeks", initiatives.stall_weeks, weeks, 26, 1, 520, "weeks of stalled progress after which an initiative fails", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.approval_base", initiatives.approval_base, share, 0.6, 0, 1, "approval probability with budget, no vision and half the supporters", kBudgets,
              burn_in, uniform(0.45, 0.75, "Enschede, Veenendaal, Best: most requests are granted")),
      WJ_REAL("initiatives.approval_support", initiatives.approval_support, share, 0.2, 0, 1, "approval probability gained from full draagvlak", kBudgets,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.co_funding", initiatives.co_funding, share, 0.2, 0, 1, "share of the cost residents fund themselves", "Smallingerland, Enschede",
              burn_in, uniform(0.1, 0.3, "Smallingerland, Enschede: residents add a share of the cost")),
      WJ_REAL("initiatives.theme_physical", initiatives.theme_physical, share, 0.4, 0, 1, "share of initiatives with a physical theme", kAssumed,
              burn_in, uniform(0.3, 0.5, "assumption: physical and social themes dominate equally")),
      WJ_REAL("initiatives.theme_social", initiatives.theme_social, share, 0.4, 0, 1, "share with a social theme (rest: safety)", kAssumed,
              burn_in, uniform(0.3, 0.5, "assumption: physical and social themes dominate equally")),
      WJ_REAL("initiatives.disorder_reduction", initiatives.disorder_reduction, share, 0.03, 0, 0.5, "disorder removed by a completed physical/safety initiative in a buurt of 1,000 residents (an absolute amount, not a share of what is there)", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.crew_social_gain", initiatives.crew_social_gain, share, 0.15, 0, 1, "social-trust gain of a crew on completion", "Denters et al. 2012",
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.crew_efficacy_gain", initiatives.crew_efficacy_gain, share, 0.2, 0, 1, "efficacy gain of a crew on completion", kSampson,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.visible_efficacy_gain", initiatives.visible_efficacy_gain, share, 0.01, 0, 1, "efficacy gain of every resident of a buurt of 1,000 from a visible result", kSampson,
              burn_in, around_log(2, kFactor)),
      WJ_REAL("initiatives.frustration_failure", initiatives.frustration_failure, none, 0.4, 0, 10, "frustration added to a crew by a refusal or failure", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.failure_efficacy_loss", initiatives.failure_efficacy_loss, share, 0.1, 0, 1, "share of a crew member's efficacy lost when their initiative is refused or fails", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.signatures_base", initiatives.signatures_base, none, 0.3, 0, 1, "signatures a crew member gathers a week at social trust 0 (1 at social trust 1)", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.idea_min_weeks", initiatives.idea_min_weeks, weeks, 2, 0, 52, "weeks an idea gathers crew before it can be proposed", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.fast_track_delay", initiatives.fast_track_delay, share, 0.25, 0, 1, "decision delay of a request below fast_track_euros relative to a large one", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.approval_vision_centre", initiatives.approval_vision_centre, share, 0.2, 0, 1, "vision V at which vision fit neither raises nor lowers approval", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.late_money_weeks", initiatives.late_money_weeks, weeks, 8, 0, 104, "weeks promised money comes late when a promise is broken", kStructural,
              programme, around(0.5, kWide)),
      WJ_REAL("initiatives.late_money_production", initiatives.late_money_production, share, 0.2, 0, 1, "production share while waiting for promised money", kStructural,
              programme, around(0.5, kWide)),
      WJ_REAL("initiatives.support_floor", initiatives.support_floor, share, 0.5, 0, 1, "production share of an initiative without any support (full support: 1)", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.stall_share", initiatives.stall_share, share, 0.25, 0, 1, "weekly production below this share of volunteer hours counts as stalled", kStructural,
              programme, around(0.5, kWide)),
      WJ_REAL("initiatives.disorder_scale_cap", initiatives.disorder_scale_cap, none, 3, 0, 100, "cap on the buurt-size scaling min(cap, 1000 / residents) of disorder removed", kStructural,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.project_hours", initiatives.project_hours, hours_per_week, 210, 1, 1e5, "professional project hours per visible result (a total, not per week)", abc_default(kStructural),
              programme, uniform(100, 300, kWideOfOld)),
      WJ_REAL("initiatives.project_disorder_share", initiatives.project_disorder_share, share, 0.34, 0, 1, "a project's disorder effect relative to a resident initiative's", abc_default(kStructural),
              programme, uniform(0, 0.75, kScpNone)),
      WJ_REAL("initiatives.meeting_recruit", initiatives.meeting_recruit, none, 0.5, 0, 10, "extra crew recruitment attempts per meeting place per 1,000 residents", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("initiatives.meeting_cost_relief", initiatives.meeting_cost_relief, share, 0.2, 0, 0.5, "share of the cost of taking part removed per meeting place per 1,000 residents above meeting_places_ref", kAssumed,
              build, around(0.5, kWide)),
      WJ_REAL("initiatives.meeting_places_ref", initiatives.meeting_places_ref, none, 0.5, 0, 2, "meeting places per 1,000 residents at which the cost of taking part is as calibrated", kAssumed,
              build, around(0.5, kWide)),

      // The woningcorporatie and physical capital (MODEL.md §7.8.1).
      WJ_REAL("physical.corporatie_share_base", physical.corporatie_share_base, share, 0.1, 0, 1, "corporatie share of dwellings at deprivation 0", kAedes,
              programme, around(0.5, kWide)),
      WJ_REAL("physical.corporatie_share_deprivation", physical.corporatie_share_deprivation, share, 0.6, 0, 1, "corporatie share added per unit of deprivation (0.29 near the national mean)", kAedes,
              programme, around(0.5, kWide)),
      WJ_REAL("physical.herstructurering", physical.herstructurering, euros_per_resident_per_year, 0, 0, 100000, "corporatie investment in its own dwellings under the programme, per corporatie-tenant resident (Vogelaar-like: hundreds)", kScp,
              programme, fixed(kPolicy)),
      WJ_REAL("physical.renewal_min_deprivation", physical.renewal_min_deprivation, share, 0.6, 0, 1, "herstructurering only in buurten at least this deprived", kScp,
              programme, around(0.5, kWide)),
      WJ_REAL("physical.lifetime", physical.lifetime, years, 20, 1, 60, "mean lifetime of renewed dwellings and of public-space works (10-30 years)", "MODEL.md §11 (10-30 years); assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("physical.half_renewed_share", physical.half_renewed_share, share, 0.12, 0.001, 1, "share of the buurt's dwellings renewed at which the effect of renewal is half its maximum", abc_default(kHalfRenewed),
              programme, log_uniform(0.03, 0.3, "assumption: from a few complexes (3% of a buurt's dwellings) to large-scale restructuring (30%)")),
      WJ_REAL("physical.disorder_effect", physical.disorder_effect, share, 0.077, 0, 1, "equilibrium disorder removed at full effect of renewed dwellings", abc_default(kScpRenewal),
              programme, uniform(0, 0.2, kRenewalSize)),
      WJ_REAL("physical.safety_effect", physical.safety_effect, share, 0.025, 0, 1, "rise of residents' safety target at full effect of renewed dwellings", abc_default(kScpRenewal),
              programme, uniform(0, 0.075, kRenewalSize)),
      WJ_REAL("physical.half_public_space", physical.half_public_space, euros, 500, 1, 1e6, "public-space investment per resident at which its effect is half the maximum", abc_default(kAssumed),
              programme, uniform(250, 750, kWideOfOld)),
      WJ_REAL("physical.public_space_disorder_effect", physical.public_space_disorder_effect, share, 0.13, 0, 1, "equilibrium disorder removed at full effect of public-space investment (it acts on safety only through disorder)", abc_default(kGreen),
              programme, uniform(0, 0.375, kScpNone)),
      WJ_REAL("physical.renewal_cost", physical.renewal_cost, euros, 47000, 1000, 1e6, "herstructurering cost per resident whose dwelling is renewed (they are relocated: MODEL.md §7.14)",
              abc_default("assumption: renovation with relocation about EUR 40-80k and demolition with new build about EUR 150-200k per dwelling, about 2.2 residents per dwelling (CBS); mostly renovation"),
              programme, log_uniform(20000, 80000, "assumption: from renovation only (about EUR 20k per resident) to mostly demolition and new build (about EUR 80k)")),

      // Resident self-organisation (MODEL.md §7.7.1).
      WJ_REAL("self_organisation.critical_mass", self_organisation.critical_mass, none, 6, 1, 1000, "active organisers who know another organiser needed for a bewonersgroep to form", kOliver,
              programme, around(0.5, kWide)),
      WJ_REAL("self_organisation.formation_rate", self_organisation.formation_rate, per_week, 0.05, 0, 1, "weekly chance a group forms once critical mass is there", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("self_organisation.min_core", self_organisation.min_core, none, 4, 0, 1000, "core below which a group is fragile", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("self_organisation.collapse_hazard", self_organisation.collapse_hazard, per_week, 0.02, 0, 1, "weekly collapse chance of a fragile group", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("self_organisation.base_hazard", self_organisation.base_hazard, per_year, 0.05, 0, 1, "annual collapse chance of any group (quarrels, a lost venue)", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("self_organisation.initiative_rate", self_organisation.initiative_rate, rate_per_year, 0.5, 0, 52, "initiatives a group proposes per core member per year", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("self_organisation.support_hours", self_organisation.support_hours, hours_per_week, 1, 0, 40, "hours of support per core member per week for the buurt's running initiatives", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("self_organisation.invite_rate", self_organisation.invite_rate, rate_per_year, 26, 0, 520, "ties a core member invites to take part per year (a neighbour every other week)", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("self_organisation.organiser_fade", self_organisation.organiser_fade, per_year, 0.2, 0, 1, "annual chance an inactive organiser's know-how no longer counts", kAssumed,
              programme, around(0.5, kWide)),
      WJ_REAL("self_organisation.organiser_commitment", self_organisation.organiser_commitment, share, 0.7, 0, 1, "share of the drop-out hazard an organiser does not have (who has carried a project tends to stay)", "assumption: Wilson & Musick 1999 (past volunteering predicts continued volunteering)",
              burn_in, around(0.5, kWide)),
      WJ_REAL("self_organisation.own_funding", self_organisation.own_funding, share, 0.4, 0, 1, "share of a group initiative's cost the bewonersgroep raises itself (funds, members) on top of co_funding", "assumption: Oranje Fonds and local funds co-finance bewonersinitiatieven",
              programme, around(0.5, kWide)),

      WJ_REAL("budget.wijk_budget", budget.wijk_budget, euros_per_resident_per_year, 4, 0, 1000, "programme wijk budget for resident initiatives", kBudgets,
              programme, fixed(kPolicy)),
      WJ_REAL("budget.baseline_budget", budget.baseline_budget, euros_per_resident_per_year, 1, 0, 1000, "standing liveability budget without a programme", kBudgets,
              burn_in, fixed(kPolicy)),
      WJ_REAL("budget.investment_budget", budget.investment_budget, euros_per_resident_per_year, 10, 0, 10000, "programme physical investments (uitvoeren)", kAssumed,
              programme, fixed(kPolicy)),
      WJ_REAL("budget.domain_share.physical", budget.domain_share_physical, share, 0.4, 0, 1, "share of the programme budget in the fysiek domain's pot (physical initiatives draw on it)", kDomainShare,
              programme, fixed(kPolicy)),
      WJ_REAL("budget.domain_share.social", budget.domain_share_social, share, 0.4, 0, 1, "share in the sociaal domain's pot (the rest is veiligheid's)", kDomainShare,
              programme, fixed(kPolicy)),
      WJ_REAL("budget.pooling", budget.pooling, share, 1, 0, 1, "chance, at full wijkregisseur coverage, that a request its own domain's pot cannot pay is paid by combining other domains' pots (scaled by coverage; none without a regisseur)",
              "assumption: a wijkregisseur (or a trio of a wijkambtenaar with sector colleagues) is what lets a municipality combine domain budgets (Platform31 2018, integraal werken); without one each domain keeps its own",
              programme, uniform(0.25, 1, "assumption: a regisseur does not combine every request; at least a quarter")),

      WJ_REAL("incidents.base_rate", incidents.base_rate, per_1000_residents_per_year, 29, 0, 1000, "recorded incidents at zero disorder, efficacy and presence effects", kVm,
              burn_in, normal(29, 3, "CBS Veiligheidsmonitor 2019-2023; sd 3 for the spread between years")),
      WJ_REAL("incidents.recorded_reference", incidents.recorded_reference, per_1000_residents_per_year, 43.2, 1, 1000,
              "national police-recorded crime rate against which a buurt's recorded rate (recorded_crime_per_1000) scales its base rate", kPolitie,
              build, fixed("fixed: the national mean of the data the buurt rates are read against (Politie 47022NED via CBS)")),
      WJ_REAL("incidents.disorder_effect", incidents.disorder_effect, none, 1.1, 0, 10, "a in (1 + a D): visible disorder roughly doubles violations", kKeizer,
              burn_in, uniform(0.5, 1.5, "Keizer, Lindenberg & Steg 2008: visible disorder roughly doubles violations")),
      WJ_REAL("incidents.efficacy_effect", incidents.efficacy_effect, share, 0.5, 0, 1, "b in (1 - b CE)", kSampson,
              burn_in, around(0.5, kWide)),
      WJ_REAL("incidents.presence_effect", incidents.presence_effect, share, 0.2, 0, 1, "c in (1 - c presence)", kPresenceAboveMedian,
              burn_in, uniform(0, 0.3, kScpNone)),
      WJ_REAL("response.hours_per_incident", response.hours_per_incident, none, 1, 0, 40,
              "hours of a safety post (wijkagent, handhaving) per recorded incident in its buurt: follow-up, a visit, an aangifte", kResponse,
              burn_in, uniform(0.5, 3, "assumption: national recorded crime over wijkagent FTE gives ~4-5 incidents per wijkagent-week; half an hour to three hours each leaves most hours for the wijk")),
      WJ_REAL("response.max_share", response.max_share, share, 0.8, 0, 1,
              "most of a safety post's free hours that responding to incidents can take (the rest stays presence)", kAssumed,
              burn_in, uniform(0.6, 0.95, "assumption: some street presence remains even in a wave, as casework leaves some discretion (staff.casework_max)")),
      WJ_REAL("response.unanswered_fear", response.unanswered_fear, none, 2, 1, 10,
              "an unanswered victim's fear lasts this many times safety.victim_weeks (answered: 1)", kAssumed,
              burn_in, uniform(1, 3, "assumption: from no difference to three times as long; victims who are followed up recover sooner (Veiligheidsmonitor: satisfaction with police contact)")),
      WJ_REAL("incidents.victims_per_incident", incidents.victims_per_incident, none, 6, 0, 100, "victimisation experiences (incl. unrecorded) per recorded incident: 17-20% a year", kVm,
              burn_in, uniform(4, 8, "CBS Veiligheidsmonitor: 17-20% victimised a year against recorded crime")),
      WJ_REAL("incidents.disorder_per_incident", incidents.disorder_per_incident, none, 0.01, 0, 1, "disorder added per weekly incident per 1,000 residents", kKeizer,
              burn_in, around(0.5, kWide)),
      WJ_REAL("incidents.disorder_relaxation", incidents.disorder_relaxation, per_week, 0.02, 0, 1, "weekly pull of disorder toward the buurt's equilibrium (maintenance vs neglect)", kAssumed,
              burn_in, around_log(2, kFactor)),
      WJ_REAL("incidents.disorder_min", incidents.disorder_min, share, 0.1, 0, 1, "equilibrium disorder in the least deprived buurt", kAssumed,
              build, uniform(0.05, 0.15, "assumption: little but some disorder everywhere")),
      WJ_REAL("incidents.disorder_max", incidents.disorder_max, share, 0.35, 0, 1, "equilibrium disorder in the most deprived buurt", kAssumed,
              build, uniform(0.25, 0.45, "assumption: visible disorder in the most deprived buurten")),

      WJ_REAL("safety.base", safety.base, share, 0.708, 0, 1, "perceived safety target at average conditions", kCalibratedGemeenten,
              build, normal(0.708, 0.03, 0.6, 0.85, "gemeente fit 0.708 (se 0.009, docs/CALIBRATION.md); sd 0.03 for what the fit's 29 gemeenten cannot show")),
      WJ_REAL("safety.w_social", safety.w_social, none, 0.25, 0, 5, "safety per unit of social trust above 0.5", "Steenbeek & Hipp 2011",
              build, around(0.5, kWide)),
      WJ_REAL("safety.w_efficacy", safety.w_efficacy, none, 0.2, 0, 5, "safety per unit of collective efficacy above 0.3", kSampson,
              build, around(0.5, kWide)),
      WJ_REAL("safety.w_disorder", safety.w_disorder, none, 0.1, 0, 5, "unsafety per unit of perceived disorder",
              "Markowitz et al. 2001 (disorder raises fear); size: gemeente fit, at its lower bound 0.1 (docs/CALIBRATION.md)",
              build, uniform(0.05, 0.2, "gemeente fit 0.1 (se 0.04) at the bound kept as the literature's floor; up to the national fit's 0.2")),
      WJ_REAL("safety.deprivation_bias", safety.deprivation_bias, none, 0.1, 0, 2, "compositional bias: disorder is perceived as higher in deprived buurten", "Sampson & Raudenbush 2004",
              build, around(0.5, kWide)),
      WJ_REAL("safety.w_heard", safety.w_heard, none, 0.08, 0, 5, "unsafety while an incident heard of through ties is recent", kVm,
              burn_in, around(0.5, kWide)),
      WJ_REAL("safety.w_victim", safety.w_victim, none, 0.05, 0, 5, "unsafety while one's own victimisation is recent",
              "gemeente fit to CBS Veiligheidsmonitor 2019: victims feel unsafe in their buurt 2.3x as often (Akkermans & Kloosterman 2020; docs/CALIBRATION.md)",
              burn_in, uniform(0.02, 0.12, "gemeente fit 0.05 (se 0.036); the victims' target is met there, most of the contrast is selection")),
      WJ_REAL("safety.w_presence", safety.w_presence, none, 0.04, 0, 5, "safety from visible professionals", kPresenceAboveMedian,
              build, uniform(0, 0.06, kScpNone)),
      WJ_REAL("safety.w_active", safety.w_active, none, 0.32, 0, 5, "safety per unit of active share in the buurt", abc_default("Steenbeek & Hipp 2011"),
              burn_in, uniform(0.15, 0.45, kWideOfOld)),
      WJ_REAL("safety.fear_rise", safety.fear_rise, per_week, 0.3, 0, 1, "weekly approach of P to a lower target (fear comes fast)", kPrieto,
              burn_in, uniform(0.15, 0.5, "Prieto Curiel & Bishop 2017: fear comes fast (weeks)")),
      WJ_REAL("safety.fear_recovery", safety.fear_recovery, per_week, 0.025, 0, 1, "weekly approach of P to a higher target (fear goes slowly)", kPrieto,
              burn_in, uniform(0.01, 0.05, "Prieto Curiel & Bishop 2017: fear goes slowly (months to a year)")),
      WJ_REAL("safety.fear_spread", safety.fear_spread, none, 0.15, 0, 2, "shift of one's safety target per unit of ties' fear above the usual level", kPrieto,
              burn_in, around(0.5, kWide)),
      WJ_REAL("safety.unsafe_threshold", safety.unsafe_threshold, share, 0.5, 0, 1, "P below this: 'sometimes feels unsafe in own buurt'", kVm,
              burn_in, fixed("fixed by definition: the survey answer 'sometimes feels unsafe' mapped onto P")),
      WJ_REAL("safety.heard_weeks", safety.heard_weeks, weeks, 6, 0, 104, "weeks hearing of an incident keeps weighing", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("safety.victim_weeks", safety.victim_weeks, weeks, 26, 0, 520, "weeks one's own victimisation keeps weighing", kVm,
              burn_in, uniform(13, 52, "CBS Veiligheidsmonitor asks about the last 12 months; a quarter to a year")),
      WJ_REAL("safety.initial_sd", safety.initial_sd, none, 0.18, 0, 0.5, "sd of individual safety around the target", kAssumed,
              build, around(0.5, kWide)),

      WJ_REAL("trust.asymmetry", trust.asymmetry, none, 3, 1, 10, "lambda: weight of a bad experience against a good one (2-5)", kSlovic,
              burn_in, uniform(2, 5, "Slovic 1993: bad experiences weigh 2-5 times as much")),
      WJ_REAL("trust.experience_gain", trust.experience_gain, share, 0.06, 0, 1, "step of T toward 1 per good experience", kSlovic,
              burn_in, around(0.5, kWide)),
      WJ_REAL("trust.social_influence", trust.social_influence, share, 0.02, 0, 1, "mu: weekly step toward ties within epsilon (Hegselmann-Krause)", "Hegselmann & Krause 2002",
              burn_in, around(0.5, kWide)),
      WJ_REAL("trust.baseline_drift", trust.baseline_drift, per_week, 0.02, 0, 1, "weekly drift of T to the personal baseline", kAssumed,
              burn_in, around_log(2, kFactor)),
      WJ_REAL("trust.news_weight", trust.news_weight, share, 0.25, 0, 1, "weight of experiences heard from ties relative to one's own", kAssumed,
              burn_in, around(0.5, kWide)),
      WJ_REAL("trust.leadership_damping", trust.leadership_damping, share, 0.6, 0, 1, "damping of distrust spill-over at full process leadership", kPlatform31,
              programme, around(0.5, kWide)),
      WJ_REAL("trust.social_activity_gain", trust.social_activity_gain, per_week, 0.004, 0, 1, "weekly social-trust gain of active residents", "Denters et al. 2012",
              burn_in, around_log(2, kFactor)),
      WJ_REAL("trust.social_fear_loss", trust.social_fear_loss, per_week, 0.001, 0, 1, "weekly social-trust loss per unit of fear", "Markowitz et al. 2001",
              burn_in, around_log(2, kFactor)),
      WJ_REAL("trust.social_drift", trust.social_drift, per_week, 0.01, 0, 1, "weekly drift of S to the personal baseline", kAssumed,
              burn_in, around_log(2, kFactor)),
      WJ_REAL("trust.efficacy_drift", trust.efficacy_drift, per_week, 0.004, 0, 1, "weekly drift of E to the personal baseline", kAssumed,
              burn_in, around_log(2, kFactor)),
      WJ_REAL("trust.baseline_learning", trust.baseline_learning, share, 0.1, 0, 1, "share of the change an experience makes to T that also moves the personal baseline T0 (lasting change)", "assumption: lasting change is possible but slow",
              burn_in, uniform(0.02, 0.25, "assumption: a small share, so that trust mostly returns to its baseline")),
      WJ_REAL("trust.low_trust_sensitivity", trust.low_trust_sensitivity, none, 1.0, 0, 2, "weight of a bad experience x (1 + s (0.5 - T)): the distrusting weigh broken promises more", "assumption; negativity bias (Kampen, Van de Walle & Bouckaert 2006)",
              burn_in, uniform(0, 2, "assumption: from none to doubling the weight at T = 0")),
      WJ_REAL("trust.low_trust_reach", trust.low_trust_reach, share, 0.5, 0, 1, "share of outreach contacts that fail at T = 0 (linear in 1 - T): the distrusting are harder to reach", "assumption; SCP 2013 (hard-to-reach groups)",
              burn_in, uniform(0.2, 0.8, "assumption: SCP 2013 names hard-to-reach groups, not a rate")),

      WJ_REAL("network.ties_min", network.ties_min, none, 10, 0, 59, "fewest ties a resident listens to (out-degree; in-degree varies through rewiring)", kHolzhauer,
              build, fixed(kStructure)),
      WJ_REAL("network.ties_max", network.ties_max, none, 10, 0, 59, "most ties a resident listens to (equal to ties_min by default: a fixed out-degree keeps the weekly pass over ties fast; at most 59 so that with the 4 work ties a count fits its 6-bit lane)", kHolzhauer,
              build, fixed(kStructure)),
      WJ_REAL("network.rewire", network.rewire, share, 0.1, 0, 1, "small-world rewiring inside the buurt", "Watts & Strogatz 1998",
              build, uniform(0.05, 0.2, "Watts & Strogatz 1998: small-world range of rewiring")),
      WJ_REAL("network.cross_buurt", network.cross_buurt, share, 0.1, 0, 1, "share of ties to other buurten of the wijk", kHolzhauer,
              build, uniform(0.05, 0.2, "Holzhauer et al. 2011: most ties stay in the buurt")),
      WJ_REAL("network.work_tie_lifetime", network.work_tie_lifetime, years, 3, 0.1, 30, "e-folding time of a tie formed by working in a crew (weight exp(-age/lifetime); dropped below 5%)", "assumption: durable ties last years (MODEL.md §11)",
              burn_in, uniform(1, 6, "assumption: ties from working together last years, not decades")),
      WJ_REAL("network.acquaint_weeks", network.acquaint_weeks, weeks, 52, 1, 520, "weeks a newcomer needs before their ties count fully (linear)", "assumption: about a year",
              burn_in, uniform(26, 104, "assumption: half a year to two years")),

      WJ_REAL("mobility.owner_rate", mobility.owner_rate, per_year, 0.065, 0, 1, "annual probability of moving out for an owner-occupier (5-8%)", "CBS verhuismobiliteit; MODEL.md §11",
              burn_in, uniform(0.05, 0.08, "CBS: 5-8% of owner-occupiers move a year")),
      WJ_REAL("mobility.rental_rate", mobility.rental_rate, per_year, 0.17, 0, 1, "annual probability of moving out for a tenant (15-20%)", "CBS verhuismobiliteit; MODEL.md §11",
              burn_in, uniform(0.15, 0.2, "CBS: 15-20% in rental and deprived buurten")),
      WJ_REAL("mobility.owner_share_at_0", mobility.owner_share_at_0, share, 0.85, 0, 1, "owner-occupied share of a buurt at deprivation 0 (when the buurt gives none)", "assumption; CBS KWB 2024 (NL 57% owner-occupied)",
              burn_in, uniform(0.75, 0.95, "assumption: the best-off buurten are mostly owner-occupied (CBS KWB 2024)")),
      WJ_REAL("mobility.owner_share_slope", mobility.owner_share_slope, share, 0.75, 0, 1, "fall of the owner-occupied share per unit of deprivation (0.55 at 0.4)", "assumption; CBS KWB 2024",
              burn_in, uniform(0.6, 0.9, "assumption: NL mean 57% owner-occupied at deprivation ~0.4 (CBS KWB 2024)")),
      WJ_REAL("mobility.disorder_effect", mobility.disorder_effect, none, 1.0, 0, 10, "relative rise of the move rate per unit of disorder above 0.35", "Steenbeek & Hipp 2011 (disorder raises residential instability); assumption: size",
              burn_in, uniform(0, 2, "Steenbeek & Hipp 2011 give the sign; size an assumption")),
      WJ_REAL("mobility.selectivity", mobility.selectivity, none, 4, 0, 20, "who leaves: odds factor exp(s (d - 0.4)(ses - buurt mean)): in deprived buurten those with more resources leave more", "Van Ham & Clark 2009; assumption: size",
              burn_in, uniform(0, 8, "Van Ham & Clark 2009 give the direction; size an assumption")),
      WJ_REAL("mobility.newcomer_selectivity", mobility.newcomer_selectivity, none, 0.3, 0, 2, "who arrives: newcomers' resources are drawn as for deprivation d + s (d - 0.4)", "Bailey & Livingston 2008 (selective migration); assumption: size",
              burn_in, uniform(0, 0.6, "Bailey & Livingston 2008 give the direction; size an assumption")),

      WJ_REAL("urgency.indicator_weight", urgency.indicator_weight, share, 0.5, 0, 1, "weight of live indicators (unsafety, disorder, incidents) against the prior", kPlatform31,
              programme, uniform(0.25, 0.75, "assumption: indicators and the prior both count (Platform31), weights unknown")),
      WJ_REAL("urgency.partner_mobilisation", urgency.partner_mobilisation, none, 0.5, 0, 5, "extra partner hours per unit of urgency above 0.5", kPlatform31,
              programme, around(0.5, kWide)),
      WJ_REAL("urgency.unsafe_ref", urgency.unsafe_ref, share, 0.25, 0.01, 1, "unsafe share giving the indicator full weight (a focus wijk)", kVm,
              programme, around(0.3, "assumption: +-30% around a focus-wijk value (Veiligheidsmonitor: >25% in focus wijken)")),
      WJ_REAL("urgency.disorder_ref", urgency.disorder_ref, share, 0.5, 0.01, 1, "disorder giving the indicator full weight", "assumption: a typical focus-wijk value",
              programme, around(0.5, kWide)),
      WJ_REAL("urgency.incidents_ref", urgency.incidents_ref, none, 2, 0.1, 20, "incident rate relative to the base rate giving the indicator full weight", "assumption: twice the base rate",
              programme, around(0.5, kWide)),
      WJ_REAL("urgency.weight_unsafe", urgency.weight_unsafe, share, 0.4, 0, 1, "weight of unsafety in the urgency indicator", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("urgency.weight_disorder", urgency.weight_disorder, share, 0.4, 0, 1, "weight of disorder in the urgency indicator", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("urgency.weight_incidents", urgency.weight_incidents, share, 0.2, 0, 1, "weight of incidents in the urgency indicator", "assumption",
              programme, around(0.5, kWide)),

      // Phase content (MODEL.md 7.1.11-7.1.14, 7.4.1, 7.6.1).
      WJ_REAL("alignment.rate", alignment.rate, per_week, 0.15, 0, 1, "weekly hazard scale of partners reaching a shared problem definition in an aligning phase (urgentie)", kPlatform31,
              programme, around_log(2, kFactor)),
      WJ_REAL("alignment.base", alignment.base, share, 0.2, 0, 1, "hazard share reached without urgency or leadership", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("alignment.urgency_weight", alignment.urgency_weight, share, 0.5, 0, 2, "hazard share per unit of wijk urgency", kPlatform31,
              programme, around(0.5, kWide)),
      WJ_REAL("alignment.leadership_weight", alignment.leadership_weight, share, 0.5, 0, 2, "hazard share per unit of process leadership", kPlatform31,
              programme, around(0.5, kWide)),
      WJ_REAL("alignment.unaligned_partner_share", alignment.unaligned_partner_share, share, 0.5, 0, 1, "share of partner programme hours that serve the programme without a shared problem definition (the rest stays in their own domain)", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("organise.team_rate", organise.team_rate, per_week, 0.15, 0, 1, "weekly hazard of completing the team in an organising phase (randvoorwaarden)", "assumption: about 7 weeks",
              programme, around_log(2, kFactor)),
      WJ_REAL("organise.budget_rate", organise.budget_rate, per_week, 0.15, 0, 1, "weekly hazard of committing the budget at anchoring 1 (scaled by 0.25 + 0.75 A)", "assumption",
              programme, around_log(2, kFactor)),
      WJ_REAL("organise.convenant_rate", organise.convenant_rate, per_week, 0.12, 0, 1, "weekly hazard of agreements with partners (convenant)", "assumption",
              programme, around_log(2, kFactor)),
      WJ_REAL("organise.late_factor", organise.late_factor, share, 0.25, 0, 1, "hazard multiplier when team, budget and convenant are organised on the go in uitvoeren", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("organise.late_ceiling", organise.late_ceiling, share, 0.6, 0, 1, "how far the shared problem definition, team, budget and convenant get when the plan never had their phase (top-down)", "assumption: partners commit only partly to a plan that skipped them",
              programme, around(0.5, kWide)),
      WJ_REAL("organise.convenant_unaligned", organise.convenant_unaligned, share, 0.3, 0, 1, "convenant hazard multiplier without a shared problem definition", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("organise.no_team_hours", organise.no_team_hours, share, 0.7, 0, 1, "programme hours factor while the team is incomplete", "assumption",
              programme, uniform(0.5, 0.9, "assumption: an incomplete team works with interim staff at a half to nine tenths of its hours")),
      WJ_REAL("organise.no_budget_share", organise.no_budget_share, share, 0.5, 0, 1, "share of the programme pot and investment paid out before the budget is committed", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("organise.no_convenant_partner_share", organise.no_convenant_partner_share, share, 0.7, 0, 1, "partner programme hours factor without a convenant", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("legitimacy.base", legitimacy.base, share, 0.2, 0, 1, "legitimacy among residents of a plan made without them", "assumption; SCP 2013: top-down Vogelaar plans",
              programme, uniform(0.1, 0.35, "assumption: a plan made without residents has little support (SCP 2013: Vogelaar residents did not join)")),
      WJ_REAL("legitimacy.formation_rate", legitimacy.formation_rate, per_week, 0.05, 0, 1, "weekly approach of legitimacy to its target during vision sessions", kPlatform31,
              programme, around_log(2, kFactor)),
      WJ_REAL("legitimacy.leadership_weight", legitimacy.leadership_weight, share, 0.4, 0, 1, "share of the legitimacy target that needs independent process leadership", kPlatform31,
              programme, around(0.5, kWide)),
      WJ_REAL("legitimacy.decay", legitimacy.decay, per_week, 0.002, 0, 1, "weekly relaxation of legitimacy toward base without vision sessions (half-life ~7 years)", "assumption",
              programme, around_log(2, kFactor)),
      WJ_REAL("legitimacy.neutral", legitimacy.neutral, share, 0.35, 0, 1, "legitimacy at which a programme neither raises nor lowers willingness to join", "assumption",
              programme, around(0.5, kWide)),
      WJ_REAL("legitimacy.join_weight", legitimacy.join_weight, none, 0.1, 0, 5, "participation utility per unit of legitimacy above neutral in programme buurten", kPlatform31,
              programme, around(0.5, kWide)),
      WJ_REAL("legitimacy.uptake_loss", legitimacy.uptake_loss, share, 0.63, 0, 1, "share of a professional-led project's effect lost at legitimacy 0 (residents do not use or keep it)", abc_default("assumption; SCP 2013"),
              programme, uniform(0.3, 0.9, kWideOfOld)),
      WJ_REAL("legitimacy.resistance", legitimacy.resistance, share, 0.05, 0, 1, "probability an adult opposes a professional-led project at legitimacy 0 (loses trust when it goes ahead)", "assumption",
              programme, around_log(2, kFactor)),
      WJ_REAL("legitimacy.resistance_frustration", legitimacy.resistance_frustration, none, 0.05, 0, 5, "frustration added to a resident who opposed a project that went ahead", "assumption",
              programme, around_log(2, kFactor)),
      WJ_REAL("legitimacy.erosion", legitimacy.erosion, none, 2, 0, 100, "legitimacy lost per share of adults disappointed in a week (relative)", "assumption",
              programme, around_log(2, kFactor)),
      WJ_REAL("expectations.horizon", expectations.horizon, weeks, 52, 1, 520, "weeks within which a resident the programme invites expects to see a result in their buurt; none seen by then breaks the promise", kHorizon,
              programme, uniform(26, 78, "assumption: residents expect to see something within half a year to a year and a half of being invited (Platform31 wijkengids 4.9 on verwachtingenmanagement gives no number)")),
      WJ_REAL("expectations.audience", expectations.audience, none, 1000, 1, 1e6, "residents who notice one visible result (see it or hear of it); each resident of a buurt of N notices it with probability min(1, audience/N)", kAudience,
              programme, log_uniform(300, 3000, "assumption: a result is seen or heard of within a few streets to a small buurt; the scale initiatives.visible_efficacy_gain is written for")),
      WJ_REAL("expectations.fade", expectations.fade, per_week, 0.02, 0, 1, "weekly share of an unmet expectation forgotten (half-life ~8 months): a broken promise disappoints with probability (1 - fade)^weeks since it was made", "assumption",
              programme, around_log(2, kFactor)),
      WJ_REAL("expectations.frustration", expectations.frustration, none, 0.052, 0, 5, "frustration added to a disappointed resident", abc_default("assumption"),
              programme, log_uniform(0.025, 0.1, kFactorOfOld)),

      WJ_REAL("simulation.years", simulation.years, years, 10, 0.02, 100, "simulated years from the start date", "-",
              programme, fixed(kRun)),
      WJ_REAL("simulation.burn_in", simulation.burn_in, years, 4, 0, 50, "years simulated before the start date without the programme (not written)", "-",
              burn_in, fixed(kRun)),
      WJ_INT("simulation.seed", simulation.seed, 1, 0, 2147483647, "master seed", "-",
              build, fixed(kRun)),
      WJ_INT("simulation.replicates", simulation.replicates, 1, 1, 100000, "replicates", "-",
              programme, fixed(kRun)),
      WJ_CHOICE("output.detail", output.detail, 1, (std::vector<std::string>{"city", "wijk", "buurt"}),
                "finest level written to timeseries.csv", "-",
              programme, fixed(kOutput)),
      WJ_REAL("output.interval", output.interval, weeks, 1, 1, 520, "weeks between rows of timeseries.csv", "-",
              programme, fixed(kOutput)),
  };
  for (auto& d : t) resolve_prior(d);
  return t;
}

}  // namespace

void ParamDef::assign(Params& p, double v) const {
  switch (kind) {
    case ParamKind::real: *real(p) = to_internal(unit, v); break;
    case ParamKind::integer:
    case ParamKind::choice: *integer(p) = static_cast<int>(v); break;
    case ParamKind::boolean: *boolean(p) = v != 0; break;
  }
}

double ParamDef::read(const Params& cp) const {
  auto& p = const_cast<Params&>(cp);  // accessors are shared by reads and writes
  switch (kind) {
    case ParamKind::real: {
      const double v = *real(p);
      switch (unit) {
        case Unit::years: return v / weeks_per_year;
        case Unit::per_year: return 1.0 - std::pow(1.0 - v, weeks_per_year);
        case Unit::rate_per_year:
        case Unit::euros_per_resident_per_year: return v * weeks_per_year;
        case Unit::per_1000_residents_per_year: return v * 1000.0 * weeks_per_year;
        default: return v;
      }
    }
    case ParamKind::integer:
    case ParamKind::choice: return *integer(p);
    case ParamKind::boolean: return *boolean(p) ? 1 : 0;
  }
  return 0;
}

const char* stage_name(ParamStage s) {
  switch (s) {
    case ParamStage::build: return "build";
    case ParamStage::burn_in: return "burn-in";
    case ParamStage::programme: return "programme";
  }
  return "?";
}

const char* prior_kind_name(PriorKind k) {
  switch (k) {
    case PriorKind::fixed: return "fixed";
    case PriorKind::uniform: return "uniform";
    case PriorKind::log_uniform: return "log-uniform";
    case PriorKind::normal: return "truncated normal";
    case PriorKind::beta: return "beta";
  }
  return "?";
}

double Prior::quantile(double u) const {
  switch (kind) {
    case PriorKind::fixed: throw std::logic_error("a fixed prior has no quantiles");
    case PriorKind::uniform: return lo + (hi - lo) * u;
    case PriorKind::log_uniform: return std::exp(std::log(lo) + (std::log(hi) - std::log(lo)) * u);
    case PriorKind::normal: {
      // Inverse CDF of the normal restricted to [lo, hi].
      const boost::math::normal_distribution<double> n(a, b);
      const double cl = boost::math::cdf(n, lo), ch = boost::math::cdf(n, hi);
      const double c = cl + (ch - cl) * u;
      if (c <= 0) return lo;
      if (c >= 1) return hi;
      return std::clamp(boost::math::quantile(n, c), lo, hi);
    }
    case PriorKind::beta: return lo + (hi - lo) * boost::math::quantile(boost::math::beta_distribution<double>(a, b), u);
  }
  return lo;
}

std::string Prior::describe() const {
  std::ostringstream os;
  os << prior_kind_name(kind);
  switch (kind) {
    case PriorKind::fixed: return os.str();
    case PriorKind::normal: os << " (" << a << ", " << b << ")"; break;
    case PriorKind::beta: os << " (" << a << ", " << b << ")"; break;
    default: break;
  }
  os << " [" << lo << ", " << hi << "]";
  return os.str();
}

bool acts_only_after_start(const ParamDef& d) { return d.stage == ParamStage::programme; }

const std::vector<ScenarioEntry>& scenario_entries() {
  static const std::vector<ScenarioEntry> entries = {
      {"name", ParamStage::programme, "a label: never read by the simulation"},
      {"description", ParamStage::programme, "a label: never read by the simulation"},
      {"notes", ParamStage::programme, "a label: never read by the simulation"},
      {"start_date", ParamStage::programme, "dates the output only; the simulation counts weeks from it"},
      {"city", ParamStage::build, "the buurten and residents themselves"},
      {"programme.phases", ParamStage::programme, "read from week 0, when the programme starts"},
      {"programme.start_buurten", ParamStage::programme, "the programme's buurten are chosen at week 0"},
      {"programme.wijken", ParamStage::build, "marks the programme's wijken when the world is built (posts are sized then)"},
      {"staff.roles", ParamStage::build, "the professional posts are created when the world is built"},
      {"shocks", ParamStage::programme, "shocks happen from week 0"},
  };
  return entries;
}

std::optional<ParamStage> stage_of(std::string_view path) {
  if (const ParamDef* d = find_param(path)) return d->stage;
  for (const auto& e : scenario_entries())
    if (path == e.path || (path.size() > e.path.size() && path.substr(0, e.path.size()) == e.path && path[e.path.size()] == '.'))
      return e.stage;
  return std::nullopt;
}

const std::vector<ParamDef>& param_table() {
  static const std::vector<ParamDef> table = build_table();
  return table;
}

const ParamDef* find_param(std::string_view path) {
  for (const auto& d : param_table())
    if (d.path == path) return &d;
  return nullptr;
}

Params default_params() {
  Params p;
  for (const auto& d : param_table()) d.assign(p, d.default_value);
  return p;
}

static std::string format_value(const ParamDef& d, double v) {
  if (d.kind == ParamKind::choice) return d.choices.at(static_cast<std::size_t>(v));
  if (d.kind == ParamKind::boolean) return v != 0 ? "true" : "false";
  std::ostringstream os;
  os << v;
  return os.str();
}

std::string param_table_markdown() {
  std::ostringstream os;
  os << "| name | meaning | unit | default | range | source | stage | prior |\n|---|---|---|---|---|---|---|---|\n";
  for (const auto& d : param_table()) {
    std::string range;
    if (d.kind == ParamKind::choice) {
      for (const auto& c : d.choices) range += (range.empty() ? "" : ", ") + c;
    } else if (d.kind == ParamKind::boolean) {
      range = "true, false";
    } else {
      range = "[";
      range += format_value(d, d.min);
      range += ", ";
      range += format_value(d, d.max);
      range += "]";
    }
    os << "| `" << d.path << "` | " << d.meaning << " | " << unit_name(d.unit) << " | "
       << format_value(d, d.default_value) << " | " << range << " | " << d.source << " | " << stage_name(d.stage)
       << " | " << d.prior.describe() << ": " << d.prior.basis << " |\n";
  }
  return os.str();
}

std::string param_table_json() {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& d : param_table()) {
    nlohmann::ordered_json e;
    e["name"] = d.path;
    e["meaning"] = d.meaning;
    e["unit"] = std::string(unit_name(d.unit));
    switch (d.kind) {
      case ParamKind::choice:
        e["type"] = "choice";
        e["default"] = d.choices.at(static_cast<std::size_t>(d.default_value));
        e["choices"] = d.choices;
        break;
      case ParamKind::boolean:
        e["type"] = "boolean";
        e["default"] = d.default_value != 0;
        break;
      case ParamKind::integer:
        e["type"] = "integer";
        e["default"] = static_cast<long long>(d.default_value);
        e["range"] = {d.min, d.max};
        break;
      case ParamKind::real:
        e["type"] = "number";
        e["default"] = d.default_value;
        e["range"] = {d.min, d.max};
        break;
    }
    e["source"] = d.source;
    e["stage"] = stage_name(d.stage);
    nlohmann::ordered_json prior;
    prior["distribution"] = prior_kind_name(d.prior.kind);
    if (!d.prior.is_fixed()) {
      if (d.prior.kind == PriorKind::normal) {
        prior["mean"] = d.prior.a;
        prior["sd"] = d.prior.b;
      } else if (d.prior.kind == PriorKind::beta) {
        prior["alpha"] = d.prior.a;
        prior["beta"] = d.prior.b;
      }
      prior["bounds"] = {d.prior.lo, d.prior.hi};
    }
    prior["basis"] = d.prior.basis;
    e["prior"] = prior;
    arr.push_back(e);
  }
  return arr.dump(2) + "\n";
}

}  // namespace wijksim
