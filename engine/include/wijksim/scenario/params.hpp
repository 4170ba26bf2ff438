#pragma once
// Every tunable number of the model, in the unit the model steps in (weeks, weekly
// probabilities). Scenario files write them in the units of the parameter table
// (param_table.hpp), which converts once at load. Defaults live only in the table.
#include <array>

namespace wijksim {

enum class Style : int { stimuleren = 0, regisseren = 1, faciliteren = 2, loslaten = 3 };
inline constexpr int style_count = 4;
enum class WijkClass : int { green = 0, orange = 1, red = 2 };
inline constexpr int class_count = 3;
enum class Targeting : int { random = 0, low_trust_first = 1, via_active = 2 };
enum class Allocation : int { by_class = 0, by_population = 1, equal_per_wijk = 2 };
enum class PlanPreset : int { wendbaar = 0, hengelo = 1, top_down = 2 };
enum class Detail : int { city = 0, wijk = 1, buurt = 2 };

// CBS age bands of residents aged 15+ (0-15 are counted, not simulated).
inline constexpr int age_band_count = 4;  // 15-25, 25-45, 45-65, 65+

struct BuildingBlocks {
  double vision = 0;              // prior shared vision V0
  double anchoring = 0;           // administrative anchoring A
  double urgency = 0;             // prior societal urgency U0
  double process_leadership = 0;  // independent process leadership (quality x presence)
  double long_breath = 0;         // planned programme length, weeks
  double trust = 0;               // initial mean institutional trust
  double resources = 0;           // multiplier on the plan's staff hours and budgets
};

struct ProgrammeParams {
  bool enabled = true;
  int plan = 0;                   // PlanPreset, used when no explicit phases are given
  int stop_at_election = 0;       // 0: never forced; n: stops at the n-th election
  double rollout_after = 0;       // weeks after start when the programme spreads wijk-wide; 0 never
  double restart_after = 0;       // weeks after an early stop when the programme starts again; 0 never
};

// The wijkwethouder, the programme's political owner (MODEL.md 7.1.4).
struct WethouderParams {
  double personal_share = 0;       // share of anchoring A held by the wethouder in person
  double familiarity_weeks = 0;    // time constant of a new wethouder's growing commitment
  double replace_probability = 0;  // chance an election brings a new wethouder
  int replace_at_election = 0;     // 0: replacements are drawn; n: replaced for sure at the n-th election
};

// Urgentie: partners come to a shared problem definition (MODEL.md 7.1.11).
struct AlignmentParams {
  double rate = 0;               // weekly hazard scale
  double base = 0, urgency_weight = 0, leadership_weight = 0;
  double unaligned_partner_share = 0;  // share of partner programme hours that still serve the programme without it
};

// Randvoorwaarden organiseren: team, budget, convenant (7.1.12).
struct OrganiseParams {
  double team_rate = 0, budget_rate = 0, convenant_rate = 0;  // weekly hazards in an organising phase
  double late_factor = 0;          // hazard multiplier when organised on the go (outside such a phase)
  double late_ceiling = 0;         // how far conditions get when the plan never had their phase
  double convenant_unaligned = 0;  // convenant hazard multiplier without a shared problem definition
  double no_team_hours = 0;        // programme hours factor while the team is incomplete
  double no_budget_share = 0;      // share of programme pots and investment paid without committed budget
  double no_convenant_partner_share = 0;  // partner programme hours factor without a convenant
};

// Legitimacy of the plan among residents (7.6.1).
struct LegitimacyParams {
  double base = 0;              // legitimacy of a plan made without residents
  double formation_rate = 0;    // weekly approach to the target during vision sessions
  double leadership_weight = 0; // share of the target that depends on independent process leadership
  double decay = 0;             // weekly relaxation toward base without sessions
  double neutral = 0;           // legitimacy at which willingness to join is unaffected
  double join_weight = 0;       // participation utility per unit of legitimacy above neutral
  double uptake_loss = 0;       // share of a project's effect lost at legitimacy 0
  double resistance = 0;        // per project: probability an adult opposes it at legitimacy 0
  double resistance_frustration = 0;
  double erosion = 0;           // legitimacy lost per disappointed share of adults
};

// A programme invitation promises the invited resident results; results they notice keep it,
// none within the horizon breaks it (MODEL.md 7.16).
struct ExpectationParams {
  double horizon = 0;           // weeks within which an invited resident expects to see a result
  double audience = 0;          // residents who notice one visible result in their buurt
  double fade = 0;              // weekly share of unmet expectation forgotten
  double frustration = 0;       // frustration added to a disappointed resident
};

struct GovernanceParams {
  double first_election_after = 0;  // weeks after start
  double election_interval = 0;     // weeks
  double survival_base = 0, survival_anchoring = 0, survival_urgency = 0,
         survival_results = 0, survival_vision = 0;
  double budget_cut_probability = 0;  // weekly, at annual budget rounds only (see governance)
  double budget_cut_fraction = 0;
  double decision_weeks_anchored = 0, decision_weeks_unanchored = 0, decision_promised = 0;
  double promise_keep_base = 0;
  bool reallocate = true;
  double reallocation_rate = 0;
  double monitoring_interval = 0;   // weeks
  int allocation = 0;               // Allocation
  double monitoring_aspiration = 0; // active share below which a buurt counts as in need
  double survival_results_cap = 0;  // completed initiatives per 1,000 that count at most
  // Wendbaar review: go back to an earlier phase when support falls short.
  double support_threshold = 0;
  int max_returns = 0;
  double return_cooldown = 0;       // weeks
};

struct StyleParams {
  double proactive = 0;   // share of free (non-overhead, non-casework) hours spent proactively
  double outreach = 0;    // weights of the proactive split
  double support = 0;
  double projects = 0;
  double ownership = 0;   // how much residents feel the result is theirs (crew effects)
  double presence = 0;    // share of a visible programme role's free hours spent in the street
  double approval = 0;    // shift of the approval probability of residents' proposals
};

struct ClassParams {
  double capacity = 0;        // multiplier on programme staff per resident
  int style = 0;              // Style
  double deprivation_max = 0; // upper bound of mean deprivation for this class when derived
};

// Roles whose hours are costed (staff.euros_per_fte_year.*); a scenario role with another name
// is costed at "other".
inline constexpr std::array<const char*, 8> staff_cost_roles = {
    "wijkagent", "sociaal_wijkteam", "corporatie", "wijkmanager", "opbouwwerker", "projectleider", "procesleider", "other"};

struct StaffParams {
  double hours_per_fte = 0;
  double turnover = 0;                 // weekly probability of leaving
  double vacancy_weeks = 0;
  double contacts_per_hour = 0;
  double outreach_saturation = 0;     // outreach hours per 1,000 residents per week at which contacts saturate
  double coordination_base = 0, coordination_no_vision = 0, coordination_leadership_cut = 0;
  double caseload_hours_per_1000 = 0;  // reactive demand per 1,000 residents per week at d = 0.5
  double relationship_gain = 0, relationship_half_hours = 0, relationship_decay = 0;
  double presence_hours_ref = 0;       // visible hours per 1,000 residents per week for presence 0.63
  double leader_hours = 0;             // process leader hours per week per programme wijk at PL = 1
  std::array<double, staff_cost_roles.size()> euros_per_fte_year{};  // employer cost of 1 FTE, by role
  double coordination_max = 0;         // cap on the coordination share
  double casework_max = 0;             // cap on the casework share of free hours
  double casework_incident_floor = 0;  // lower bound of the incident factor of casework demand
  double leader_vision_factor = 0;     // leader's vision share = factor x phase vision weight
  // Actors (MODEL.md §7.2.1): the wijkregisseur and the sociaal wijkteam.
  double regisseur_hours_ref = 0;      // regisseur hours per 10,000 residents per week for full coverage
  double regisseur_coordination_cut = 0;  // share of coordination overhead removed at full coverage
  double regisseur_partner_gain = 0;   // extra partner hours mobilised at full coverage
  double koppelkans_gain = 0;          // extra project results from combined projects at full coverage
  double casework_hours_per_case = 0;  // casework hours that resolve one resident's problem
  double casework_efficacy_gain = 0, casework_frustration_relief = 0, casework_free_hours_gain = 0;
};

struct ResidentParams {
  // Baseline institutional trust, in logit units (population.cpp): logit(building_blocks.trust)
  // + ses and age effects - deprivation shift + noise.
  double trust_sd = 0, trust_deprivation_shift = 0, trust_ses = 0, trust_ses_centre = 0;
  std::array<double, age_band_count> trust_age{};
  double social_trust_mean = 0, social_trust_sd = 0, social_trust_deprivation_shift = 0;
  double efficacy_mean = 0, efficacy_sd = 0;
  double threshold_mean = 0, threshold_sd = 0;
  double epsilon_mean = 0, epsilon_sd = 0;
  std::array<double, age_band_count> free_hours{};
  std::array<double, age_band_count> age_propensity{};
  double ses_concentration = 0;
  double volunteer_hours = 0;
};

struct ParticipationParams {
  double beta_trust = 0, beta_social = 0, beta_efficacy = 0, beta_network = 0, beta_invited = 0,
         beta_urgency = 0, beta_cost = 0;
  double noise = 0;
  double join_rate = 0;       // weekly
  double dropout = 0;         // weekly
  double dropout_frustration = 0, dropout_duty = 0, dropout_vision = 0;
  double initiator_rate = 0;  // weekly
  double initiator_efficacy_min = 0;
  double invite_weeks = 0;
  double frustration_decay = 0;  // weekly share of frustration that fades
  // Overload (participatiemoeheid): fatigue rises with load (crew duty, being asked again while
  // active) and fades; it lowers one's own and one's ties' willingness.
  double fatigue_rise = 0, fatigue_recovery = 0;  // weekly
  double fatigue_invited_load = 0;                // load of an invitation while already active
  double beta_fatigue = 0, dropout_fatigue = 0, beta_tired_ties = 0;
  double fatigue_tired = 0;                       // fatigue above which a resident counts as burnt out
  // Crowding-out: the share of the buurt's visible results of the past crowding_weeks that the
  // programme's professionals made (projects) rather than residents (initiatives) lowers the
  // utility of taking part (MODEL.md §7.5).
  double crowding_out = 0;    // utility lost when every recent result was the programme's own
  double crowding_weeks = 0;  // weeks: e-folding memory of who made the results
};

struct OutreachParams {
  int targeting = 0;  // Targeting
  double contact_trust_rate = 0;
  double stranger_trust = 0, relationship_trust = 0;
  double leadership_low_trust_gain = 0;
  double targeting_floor = 0, targeting_gain = 0;  // targeting weight = floor + gain * (1 - T)^2 or tie share
  double downward_step = 0;     // contact step toward a lower earned trust, relative to contact_trust_rate
};

struct VisionParams {
  double formation_rate = 0;     // weekly
  double participants_per_hour = 0;
  double diversity_weight = 0;
  double leadership_breadth = 0;
  double approval_fit = 0;
  double full_breadth_share = 0; // share of adults taking part that counts as fully broad
  double noncore_weight = 0;     // seat weight of non-core residents at full leadership breadth
  double post_programme_decay = 0;  // weekly loss of vision above V0 after the programme
};

struct InitiativeParams {
  double cost_median = 0, cost_sigma = 0, cost_min = 0, cost_max = 0;
  double hours_median = 0, hours_sigma = 0;
  double support_share = 0;
  double fast_track_euros = 0, supporters_threshold_euros = 0, supporters_needed = 0;
  double idea_max_weeks = 0;
  double crew_target = 0;
  double critical_mass_hours = 0, critical_mass_exponent = 0;
  double stall_weeks = 0;
  double approval_base = 0, approval_support = 0;
  double co_funding = 0;
  double theme_physical = 0, theme_social = 0;  // the rest is safety
  double disorder_reduction = 0;
  double crew_social_gain = 0, crew_efficacy_gain = 0, visible_efficacy_gain = 0;
  double frustration_failure = 0;
  double failure_efficacy_loss = 0;  // share of a crew member's efficacy lost when it fails
  double signatures_base = 0;        // supporters a crew member gathers a week at S = 0 (1 at S = 1)
  double idea_min_weeks = 0;
  double fast_track_delay = 0;       // decision delay of a small request relative to a large one
  double approval_vision_centre = 0;
  double late_money_weeks = 0, late_money_production = 0;
  double support_floor = 0;          // production share without professional support
  double stall_share = 0;            // weekly production below this share of volunteer hours stalls
  double disorder_scale_cap = 0;     // cap on the buurt-size scaling 1000 / residents
  double project_hours = 0;          // professional project hours per visible result
  double project_disorder_share = 0; // a project's disorder effect relative to an initiative's
  double meeting_recruit = 0;        // extra crew recruitment attempts per meeting place per 1,000
  double meeting_cost_relief = 0;    // share of the cost of taking part removed per meeting place per 1,000 above the reference
  double meeting_places_ref = 0;     // meeting places per 1,000 residents at which the cost is as calibrated
};

struct PhysicalParams {
  // The woningcorporatie and physical capital (MODEL.md §7.8.1): two stocks, the share of
  // dwellings renewed by herstructurering and the programme's public-space investment in euros
  // per resident, each with its own half-effect point.
  double corporatie_share_base = 0, corporatie_share_deprivation = 0;
  double herstructurering = 0;         // corporatie programme investment, euros per owned-dwelling resident per week
  double renewal_min_deprivation = 0;  // herstructurering only where deprivation is at least this
  double lifetime = 0;                 // weeks: mean lifetime of a renewal or public-space work
  double half_renewed_share = 0;       // share of dwellings renewed at which renewal's effect is half its maximum
  double disorder_effect = 0;          // shift of equilibrium disorder at full effect of renewal
  double safety_effect = 0;            // shift of the safety target at full effect of renewal
  double half_public_space = 0;        // euros per resident at which public space's effect is half its maximum
  double public_space_disorder_effect = 0;  // shift of equilibrium disorder at full effect of public space
  // Herstructurering renews dwellings, and their tenants move: the share of the buurt's residents
  // rehoused in a week (and of its dwellings renewed) is that week's herstructurering per
  // resident over the cost of renewing the dwelling of one resident (MODEL.md §7.14, relocation).
  double renewal_cost = 0;             // euros per resident whose dwelling is renewed
};

struct SelfOrganisationParams {
  // Bewonersgroepen (MODEL.md §7.7.1).
  double critical_mass = 0;        // core organisers who know each other for a group to form
  double formation_rate = 0;       // weekly chance it forms once critical mass is there
  double min_core = 0;             // below this core the group is fragile
  double collapse_hazard = 0;      // weekly collapse chance of a fragile group
  double base_hazard = 0;          // weekly collapse chance of any group
  double initiative_rate = 0;      // group ideas per core member per week
  double support_hours = 0;        // support hours a core member gives running initiatives a week
  double invite_rate = 0;          // ties a core member invites a week
  double organiser_fade = 0;       // weekly chance an inactive organiser stops counting as one
  double organiser_commitment = 0; // share of the drop-out hazard an organiser does not have
  double own_funding = 0;          // share of a group initiative's cost the group raises itself (funds, members)
};

struct BudgetParams {
  double wijk_budget = 0;        // programme, euros per resident per week
  double baseline_budget = 0;    // always, euros per resident per week
  double investment_budget = 0;  // programme physical measures, euros per resident per week
  // The programme's money is split into domain pots (MODEL.md 7.1.2): fysiek and sociaal by
  // these shares, veiligheid the rest.
  double domain_share_physical = 0, domain_share_social = 0;
  // Chance, at full wijkregisseur coverage, that a request its own domain cannot pay is paid by
  // combining other domains' pots (MODEL.md 7.7).
  double pooling = 0;
};

struct IncidentParams {
  double base_rate = 0;          // per resident per week
  double recorded_reference = 0; // national police-recorded rate, per resident per week
  double disorder_effect = 0, efficacy_effect = 0, presence_effect = 0;
  double victims_per_incident = 0;
  double disorder_per_incident = 0;  // disorder added per weekly incident per 1,000 residents
  double disorder_relaxation = 0;    // weekly pull toward the buurt's equilibrium disorder
  double disorder_min = 0, disorder_max = 0;
};

// The response of safety posts (wijkagent, handhaving) to incidents (MODEL.md 7.8.2).
struct ResponseParams {
  double hours_per_incident = 0;   // a safety post's own hours per recorded incident (follow-up)
  double max_share = 0;            // most of a safety post's free hours that response can take
  double unanswered_fear = 0;      // an unanswered victim's fear lasts this many times safety.victim_weeks
};

struct SafetyParams {
  double base = 0, w_social = 0, w_efficacy = 0, w_disorder = 0, deprivation_bias = 0,
         w_heard = 0, w_victim = 0, w_presence = 0, w_active = 0;
  double fear_rise = 0, fear_recovery = 0, fear_spread = 0;
  double unsafe_threshold = 0;
  double heard_weeks = 0, victim_weeks = 0;
  double initial_sd = 0;
};

struct TrustParams {
  double asymmetry = 0;         // lambda: weight of a bad experience relative to a good one
  double experience_gain = 0;
  double social_influence = 0;  // mu of bounded confidence
  double baseline_drift = 0;
  double news_weight = 0;
  double leadership_damping = 0;
  double social_activity_gain = 0, social_fear_loss = 0, social_drift = 0;
  double efficacy_drift = 0;
  double baseline_learning = 0;     // share of an experience's change that moves the baseline too
  double low_trust_sensitivity = 0; // extra weight of bad experiences per unit of (0.5 - T)
  double low_trust_reach = 0;       // outreach response lost at T = 0
};

struct NetworkParams {
  double ties_min = 0, ties_max = 0, rewire = 0, cross_buurt = 0;
  double work_tie_lifetime = 0;  // weeks: e-folding time of a tie formed in a crew
  double acquaint_weeks = 0;     // weeks a newcomer needs to hear from their ties fully
};

// Residential mobility (mobility.cpp): moves per buurt from tenure and disorder, selective by
// resources; movers are replaced in place by newcomers.
struct MobilityParams {
  double owner_rate = 0, rental_rate = 0;        // weekly move probability by tenure
  double owner_share_at_0 = 0, owner_share_slope = 0;  // owner-occupied share from deprivation
  double disorder_effect = 0;                    // relative rise per unit of disorder above 0.35
  double selectivity = 0;                        // who leaves: resources x deprivation
  double newcomer_selectivity = 0;               // who arrives: deprivation seen by newcomers
};

struct UrgencyParams {
  double indicator_weight = 0;
  double partner_mobilisation = 0;
  double unsafe_ref = 0, disorder_ref = 0, incidents_ref = 0;        // levels giving full weight
  double weight_unsafe = 0, weight_disorder = 0, weight_incidents = 0;
};

struct SimulationParams {
  double years = 0;    // weeks
  double burn_in = 0;  // weeks simulated before week 0 without the programme
  int seed = 0;
  int replicates = 0;
};

struct OutputParams {
  int detail = 0;       // Detail
  double interval = 0;  // weeks
};

struct Params {
  BuildingBlocks building_blocks;
  ProgrammeParams programme;
  GovernanceParams governance;
  WethouderParams wethouder;
  std::array<StyleParams, style_count> styles;
  std::array<ClassParams, class_count> classes;
  StaffParams staff;
  ResidentParams residents;
  ParticipationParams participation;
  OutreachParams outreach;
  VisionParams vision;
  InitiativeParams initiatives;
  PhysicalParams physical;
  SelfOrganisationParams self_organisation;
  BudgetParams budget;
  IncidentParams incidents;
  ResponseParams response;
  SafetyParams safety;
  TrustParams trust;
  NetworkParams network;
  MobilityParams mobility;
  UrgencyParams urgency;
  AlignmentParams alignment;
  OrganiseParams organise;
  LegitimacyParams legitimacy;
  ExpectationParams expectations;
  SimulationParams simulation;
  OutputParams output;
};

}  // namespace wijksim
