#pragma once
// The mutable state of one simulation, built from a ScenarioSpec. Residents are a structure of
// arrays numbered so that each buurt is one contiguous block of rows; the fields neighbours
// read live in their own compact array (NeighbourView), written once a week after every buurt
// has finished reading, so a week's result never depends on update order or thread count.
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "wijksim/scenario/spec.hpp"

namespace wijksim {

enum class Engagement : std::uint8_t { passive = 0, active = 1, initiator = 2 };

// Resident flag bits.
enum : std::uint8_t {
  flag_reached = 1,           // contacted by a professional at least once
  flag_vision = 2,            // took part in vision formation
  flag_in_crew = 4,           // member of a running initiative's crew
  flag_wants_initiative = 8,  // became an initiator this week and has no initiative yet
  flag_work_ties = 16,        // has (or had) a work tie: sense_ties reads WorkTies only then
  flag_fear_unanswered = 32,  // victim_until was set by an incident nobody answered (it lasts longer; metrics.cpp)
  flag_organiser = 0x80,      // helped carry an initiative to completion (self_organisation.cpp)
};

// What a resident's ties can see of them: last week's values packed in one 64-bit word, so
// each tie costs one load. The counts ties sum sit in lanes wide enough for network.ties_max
// (at most 63) ties: summing the words over ties sums every lane at once. Trust, which ties
// compare rather than sum, sits in the top byte (its sum overflows harmlessly out of the word).
struct NeighbourView {
  std::uint64_t word;
};
inline constexpr int lane_fear = 0, lane_active = 14, lane_good = 20, lane_bad = 26, lane_victim = 32, lane_tired = 38,
                     lane_trust = 56;
inline constexpr std::uint64_t lane_mask_fear = 0x3FFF, lane_mask_count = 0x3F;
// The CSR ties plus the work ties (WorkTies) must fit a count lane.
inline constexpr int max_ties = 59;
inline std::uint8_t to_byte(float x) { return static_cast<std::uint8_t>(x * 255.f + 0.5f); }
inline std::uint64_t pack_view(float trust, float fear, bool active, bool good_news, bool bad_news, bool victim, bool tired) {
  return static_cast<std::uint64_t>(to_byte(fear)) << lane_fear | static_cast<std::uint64_t>(active) << lane_active |
         static_cast<std::uint64_t>(good_news) << lane_good | static_cast<std::uint64_t>(bad_news) << lane_bad |
         static_cast<std::uint64_t>(victim) << lane_victim | static_cast<std::uint64_t>(tired) << lane_tired |
         static_cast<std::uint64_t>(to_byte(trust)) << lane_trust;
}

// Ties formed by working together in a crew (MODEL.md §4.13): a few fixed slots per resident,
// so forming one never allocates. A slot holds the other's row and the step it was last
// reinforced; its weight decays as exp(-(step - last) / network.work_tie_lifetime). A slot is
// stale when its row has since been taken by a newcomer (arrived after `last`).
struct WorkTies {
  static constexpr int slots = 4;
  static constexpr std::uint32_t none = 0xFFFFFFFFu;
  std::array<std::uint32_t, slots> row{none, none, none, none};
  std::array<std::int32_t, slots> last{};
};
inline constexpr std::int32_t long_ago = -1000000;
// Residents::promised of a resident who holds no open promise of results (expectations.cpp).
inline constexpr std::int32_t no_promise = std::numeric_limits<std::int32_t>::min();
inline int view_trust(NeighbourView v) { return static_cast<int>(v.word >> lane_trust); }

struct Residents {
  // fixed while the resident lives here (a newcomer gets a fresh profile: mobility.cpp)
  std::vector<std::uint8_t> age_band;
  std::vector<float> ses, free_hours, theta, epsilon, trust0, social0, efficacy0, safety_offset;
  // changing
  std::vector<float> trust, social, efficacy, safety, frustration;
  std::vector<Engagement> engagement;
  std::vector<std::uint8_t> flags;
  std::vector<std::uint8_t> good_experiences, bad_experiences;  // this week
  std::vector<std::uint8_t> victim_now;                         // victimised this week
  std::vector<std::uint16_t> duty_weeks;
  std::vector<std::int32_t> invited_until, heard_until, victim_until;
  // Baseline trust trust0 (above) also changes a little with experiences (trust.cpp).
  std::vector<float> fatigue;           // participatiemoeheid 0..1 (participation.cpp)
  std::vector<std::int32_t> arrived;    // step the resident moved in (long_ago: from the start)
  // Week the programme's first invitation promised this resident results, while that promise is
  // neither kept nor broken (no_promise otherwise): expectations.cpp.
  std::vector<std::int32_t> promised;
  std::vector<WorkTies> work_ties;
  // ties (CSR over global rows): the people whose behaviour and stories reach this resident
  std::vector<std::uint32_t> tie_offsets, ties;
  std::vector<NeighbourView> view;

  std::size_t size() const { return trust.size(); }
  void resize(std::size_t n);
  std::size_t bytes() const;  // heap bytes held
};

enum class InitiativeState : std::uint8_t { idea, proposed, running, completed, failed, refused };
enum class Theme : std::uint8_t { physical, social, safety };
// Themes are also the programme's domains (fysiek, sociaal, veiligheid): each has its own pot.
inline constexpr std::size_t theme_count = 3;

struct Initiative {
  static constexpr int max_crew = 12;
  Theme theme = Theme::social;
  InitiativeState state = InitiativeState::idea;
  bool programme_funded = false;
  bool promise_kept = true;  // drawn at approval: will the municipality deliver as promised?
  bool by_group = false;     // proposed while its initiator's bewonersgroep existed
  std::uint32_t initiator = 0;  // local index: with `created`, the initiative's stable id
  std::int32_t created = 0, proposed_week = 0, decision_week = 0, money_week = 0;
  float cost = 0, hours_needed = 0, progress = 0, supporters = 0, reserved = 0;
  // Share of a programme-funded initiative's money that came from each domain's pot (by Theme):
  // all from its own theme's pot unless domains combined (MODEL.md 7.7); refunds follow it.
  std::array<float, theme_count> pot_share{};
  std::int32_t stalled_weeks = 0;
  std::uint8_t crew_size = 0;
  std::array<std::uint32_t, max_crew> crew{};  // local indices in the buurt
};

// One buurt's state, split by the process that writes it (files in engine/src/): each part
// says who writes it and who reads it. Other processes read a part within the week in the
// order of Simulation::step, or through last week's aggregates (BuurtLastWeek). Several
// counters are also reset by governance at the programme's start (week 0): "from week 0" below.

// Fixed at build (city/population.cpp, from the ScenarioSpec); read everywhere.
struct BuurtPlace {
  std::string code;
  std::uint64_t key = 0;  // entity key for random streams: hash of the CBS code
  std::uint32_t first = 0, count = 0;  // rows of residents aged 15+
  std::uint32_t wijk = 0;
  int residents_total = 0;
  double deprivation = 0;
  double crime_factor = 1;  // the buurt's recorded crime relative to the model's expectation (read by incidents)
  double meeting_places_per_1000 = 0;    // read by initiatives
  double participation_cost_factor = 1;  // meeting places make taking part cheaper (read by participation)
  double owner_occupied = -1;  // share of owner-occupied dwellings from the spec; < 0: derived (read by mobility)
};

// Written by governance (model/governance.cpp): programme membership, budgets, decisions. Read
// by professional_time (in_programme, allocation_weight), physical_capital (invest_week),
// incidents (incident_multiplier), initiatives (spends the budgets) and participation.
struct BuurtGovernance {
  bool in_programme = false;
  double allocation_weight = 1;  // within-wijk weight for programme hours (monitoring)
  // Euros; initiatives spends the budgets. The programme's money sits in one pot per domain
  // (indexed by Theme: fysiek, sociaal, veiligheid), filled by budget.domain_share.
  std::array<double, theme_count> programme_pot{};
  double baseline_budget = 0, invest_week = 0;
  double incident_multiplier = 1;
};

// Written by professional_time (model/professional_time.cpp): this week's hours by activity.
// Read by outreach, vision, initiatives, casework, incidents, trust (h_leader), the safety
// target and metrics.
struct BuurtHours {
  double h_outreach = 0, h_vision = 0, h_support = 0, h_projects = 0, h_casework = 0,
         h_coordination = 0, h_visible = 0, h_leader = 0;
  // The parts of h_projects and h_support given by programme roles (crowding-out: does the
  // programme do the work itself or help residents do it).
  double h_projects_programme = 0, h_support_programme = 0;
  double relationship = 0;     // hours-weighted relationship capital of the professionals here (read by outreach)
  double regisseur = 0;        // wijkregisseur coverage 0..1 of this buurt's wijk this week (read by initiatives)
  double presence = 0;         // visible presence 0..1 (read by incidents and the safety target)
  // The wijkagent's and handhaving's response to last week's incidents (MODEL.md 7.8.2): hours
  // spent on it this week, and the share of incidents answered (read by incidents).
  double h_response = 0, answered = 1;
};

// Money (euros), read by metrics. No single owner: each spender adds its own spending where it
// decides it (professional_time: staff_euros; physical_capital and initiatives: euros_spent);
// governance resets both at week 0.
struct BuurtMoney {
  double euros_spent = 0;      // cumulative from week 0
  double staff_euros = 0;      // cumulative from week 0: professional hours at their cost per FTE
};

// Written by incidents (model/incidents.cpp). Also written: its start value at build
// (city/population.cpp), and initiatives lowers disorder when a project completes (the
// project's effect on the street). Read by mobility, professional_time, the safety target and
// metrics.
struct BuurtIncidents {
  double disorder = 0;
  int incidents_week = 0;
};

// Written by physical_capital (model/physical_capital.cpp): the two stocks of MODEL.md 7.8.1.
// Read by physical_capital's herstructurering and, through renewal_effect and
// public_space_effect, by incidents and the safety target.
struct BuurtPhysical {
  double corporatie_share = 0;  // share of dwellings owned by the woningcorporatie (set by physical_capital, fixed)
  double renewed_share = 0;     // share of the buurt's dwellings renewed by herstructurering, not yet worn out
  double public_space = 0;      // euros per resident invested in public space by the programme, not yet worn out
};

// Written by self_organisation (model/self_organisation.cpp): the bewonersgroep. Read by
// initiatives (group_active).
struct BuurtSelfOrganisation {
  bool group_active = false;    // a bewonersgroep exists
  int group_core = 0;           // organisers still active and tied to another organiser
  std::int32_t group_since = 0;
  int groups_formed = 0, groups_collapsed = 0;  // cumulative from the start of burn-in
};

// Written by casework (model/casework.cpp); read by nobody else.
struct BuurtCasework {
  double casework_acc = 0;      // fractional cases carried to next week
};

// Written by outreach (model/outreach.cpp); vision counts resisting_week, governance resets
// it at week 0, mobility removes movers (a resident who leaves takes their contact along).
// Read by expectations (reached), governance and metrics.
struct BuurtOutreach {
  int reached = 0;
  std::array<int, 8> reached_groups{};  // residents reached since week 0, by age band x resources
  int resisting_week = 0;  // residents who opposed a project that went ahead this week (counted by vision)
};

// Written by vision (model/vision.cpp); its start value is set at build (city/population.cpp),
// governance resets the participants at week 0, mobility removes movers. Read by initiatives,
// participation, professional_time, governance and metrics.
struct BuurtVision {
  double level = 0;  // how far residents share a vision of the buurt, 0..1
  std::array<int, 8> vision_groups{};  // participants by age band x resources (low/high)
  int vision_participants = 0;
};

// Phase content (MODEL.md 7.1.11-7.1.14): what uitnodigen and visievorming leave behind.
// Written by expectations (model/expectations.cpp); vision raises and decays legitimacy too
// (visievorming builds it); governance resets at week 0. Read by participation (legitimacy),
// governance (the wendbaar review) and metrics.
struct BuurtExpectations {
  double legitimacy = 0;        // of the plan among residents, 0..1
  int promises_open = 0;        // residents holding a promise of results not yet kept or broken
  int disappointed_week = 0;    // residents disappointed this week
};

// Written by mobility (model/mobility.cpp). Read by metrics.
struct BuurtMobility {
  int moved_in_week = 0;       // residents who moved in this week
};

// Written by participation (model/participation.cpp): how far the active core mirrors the
// adults by age band x resources (1 - dissimilarity index; 1: a perfect mirror), and its mean
// resources and 65+ share. Read by no process today: recorded state (MODEL.md 7.5).
struct BuurtParticipation {
  double core_breadth = 1, core_ses = 0, core_old_share = 0;
};

// Written at the end of the week (sim/simulation.cpp) from the residents; read by this week's
// processes (governance, incidents, the safety target).
struct BuurtLastWeek {
  double collective_efficacy = 0, active_share = 0, unsafe_share = 0;
};

// Written by initiatives (model/initiatives.cpp); governance resets the counters at week 0 and
// ends open initiatives when the programme stops, mobility takes movers out of crews. Read by
// governance, mobility, work_ties, expectations, trust, vision, participation and metrics.
struct BuurtInitiatives {
  std::vector<Initiative> list;  // capacity kept across weeks: no allocation in the weekly step
  double project_hours_acc = 0;
  int visible_results_week = 0;  // read by expectations, trust and vision
  // Who made the buurt's visible results lately (exponentially weighted counts): the
  // programme's projects and residents' completed initiatives; and, with the same memory, the
  // programme's hours on projects and on supporting residents. Read by participation
  // (crowding-out) next week.
  double programme_results_recent = 0, resident_results_recent = 0;
  double programme_project_hours_recent = 0, programme_support_hours_recent = 0;
  int proposed = 0, approved = 0, completed = 0, failed = 0, refused = 0;  // cumulative from week 0
  // From week 0: refused because the pot asked could not pay (also counted in refused), and
  // euros paid to initiatives from another domain's pot than their own (domains combined).
  int refused_money = 0;
  double euros_pooled = 0;
  int completed_term = 0;  // completed since the last election (visible results; governance resets it)
};

struct Buurt {
  BuurtPlace place;
  BuurtGovernance gov;
  BuurtHours hours;
  BuurtMoney money;
  BuurtIncidents incidents;
  BuurtPhysical physical;
  BuurtSelfOrganisation group;
  BuurtCasework casework;
  BuurtOutreach outreach;
  BuurtVision vision;
  BuurtExpectations expectations;
  BuurtMobility mobility;
  BuurtParticipation participation;
  BuurtLastWeek last_week;
  BuurtInitiatives initiatives;
};

struct Post {
  int role = 0;           // index into ScenarioSpec::roles
  std::uint32_t wijk = 0;
  std::int32_t buurt = -1;  // regular services serve one buurt (index in the wijk); -1: the wijk
  std::uint64_t key = 0;  // stable entity key for turnover draws
  double hours = 0;       // contract hours per week
  std::int32_t vacant_until = -1000000;
  std::int32_t tenure = 0;
  std::vector<float> relationship;  // per buurt of the wijk
};

struct Wijk {
  std::string code;
  std::uint32_t first_buurt = 0, buurt_count = 0;
  int wijk_class = 1;
  int style = 0;
  int residents_total = 0, adults = 0;
  bool in_programme = false;
  double urgency = 0;
  double budget_factor = 1;  // programme hours and budgets after cuts
  double vision = 0;         // adult-weighted mean of its buurten
  // Phase content: how far partners share a problem definition (urgentie), 0..1; without it
  // their programme hours stay in their own domain.
  double alignment = 0;
  // last week's aggregates
  double unsafe_share = 0, disorder = 0, incidents_rate = 0;
};

struct ProgrammeState {
  bool alive = false;
  bool finished = false;  // reached its planned end
  bool stopped = false;   // ended early (election, forced, shock)
  int phase = -1;         // index into ScenarioSpec::phases
  int weeks_in_phase = 0;
  int weeks_since_monitoring = 0;
  int elections_held = 0;
  std::int32_t started = 0, planned_end = 0, ended = -1;
  // Randvoorwaarden (MODEL.md 7.1.12), each organised to a degree 0..1: each can be missing or
  // late and then lowers what uitvoeren achieves.
  double team = 0, budget = 0, convenant = 0;
  bool had_aligning = false, had_organising = false;  // the plan has run such a phase
  // Wendbaar review (7.1.13): how often and when the plan went back to an earlier phase.
  int returns = 0;
  std::int32_t last_return = -1000000;
  double support = 0;  // last review's support: adult-weighted legitimacy of programme buurten
  int starts = 0;      // times the programme started (a restart meets more distrust)
};

// The wijkwethouder (MODEL.md 7.1.4): the programme's political owner, a person whose
// commitment to it grows in office and is lost with them when an election replaces them. The
// person outlives a stop and restart of the programme, so this is not part of ProgrammeState.
struct Wethouder {
  double commitment = 1;   // 0..1; the wethouder who launches the programme owns it fully
  int replaced = 0;        // times an election brought a new wethouder
};

}  // namespace wijksim
