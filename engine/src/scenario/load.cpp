#include "wijksim/scenario/load.hpp"

#include <cctype>
#include <filesystem>
#include <set>

#include "sections.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/core/number_text.hpp"
#include "wijksim/scenario/json_checker.hpp"
#include "wijksim/scenario/param_table.hpp"
#include "wijksim/scenario/presets.hpp"
#include "wijksim/scenario/resolve.hpp"

namespace wijksim {

using json = nlohmann::json;
using namespace scenario_sections;

namespace {

bool valid_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

}  // namespace

ScenarioSpec load_scenario_file(const std::string& file, const std::vector<Override>& overrides) {
  return load_scenario_json(read_json_file(file), file, overrides);
}

ScenarioSpec load_scenario_json(const json& input, const std::string& file, const std::vector<Override>& overrides) {
  json doc = input;
  if (!doc.is_object())
    throw InputError(std::vector<Problem>{{file, "", "found " + describe(doc) + " at the top level, expected an object"}});
  std::vector<Problem> set_problems;
  const std::set<std::string> overridden = apply_overrides(doc, overrides, set_problems);
  JsonChecker c(file, overridden);
  ScenarioSpec s;
  s.source_file = file;
  s.params = default_params();
  s.name = c.string(doc, "name", "", false, true).value_or(std::filesystem::path(file).stem().string());
  s.description = c.string(doc, "description", "", false, true).value_or("");
  (void)c.string(doc, "notes", "", false, true);
  if (auto d = c.string(doc, "start_date", "", false, true)) {
    if (!valid_date(*d)) c.problem("start_date", "found \"" + *d + "\", expected a calendar date YYYY-MM-DD (year 1 or later)");
    else s.start_date = *d;
  }
  read_params(c, doc, s.params);
  read_city(c, doc, s.city);

  std::set<std::string> buurt_codes, wijk_codes;
  for (const auto& w : s.city.wijken) {
    wijk_codes.insert(w.code);
    for (const auto& b : w.buurten) buurt_codes.insert(b.code);
  }
  const auto& prog = doc.contains("programme") && doc["programme"].is_object() ? doc["programme"] : json::object();
  if (prog.contains("phases")) read_phases(c, prog["phases"], s.phases);
  else s.phases = preset_phases(static_cast<PlanPreset>(s.params.programme.plan));
  s.programme_start_buurten = read_codes(c, prog, "start_buurten", "programme", buurt_codes, "buurt");
  s.programme_wijken = read_codes(c, prog, "wijken", "programme", wijk_codes, "wijk");
  const auto& staff = doc.contains("staff") && doc["staff"].is_object() ? doc["staff"] : json::object();
  if (staff.contains("roles")) read_roles(c, staff["roles"], s.roles);
  else s.roles = default_roles();
  if (doc.contains("shocks")) read_shocks(c, doc["shocks"], s.shocks, s.city);

  // Contradictions between values that are each valid alone.
  const auto& p = s.params;
  if (p.network.ties_min > p.network.ties_max)
    c.problem("network.ties_min", "ties_min " + number_text(p.network.ties_min) + " exceeds ties_max " + number_text(p.network.ties_max));
  if (p.initiatives.cost_min > p.initiatives.cost_max)
    c.problem("initiatives.cost_min", "cost_min exceeds cost_max");
  if (p.initiatives.theme_physical + p.initiatives.theme_social > 1 + 1e-9)
    c.problem("initiatives.theme_social", "theme_physical + theme_social = " +
                                              number_text(p.initiatives.theme_physical + p.initiatives.theme_social) + ", expected at most 1");
  if (p.budget.domain_share_physical + p.budget.domain_share_social > 1 + 1e-9)
    c.problem("budget.domain_share.social",
              "domain_share.physical + domain_share.social = " +
                  number_text(p.budget.domain_share_physical + p.budget.domain_share_social) +
                  ", expected at most 1 (veiligheid gets the rest)");
  if (p.classes[0].deprivation_max > p.classes[1].deprivation_max)
    c.problem("classes.green.deprivation_max", "exceeds classes.orange.deprivation_max, expected green <= orange");
  if (p.governance.first_election_after > p.governance.election_interval + 1e-9)
    c.problem("governance.first_election_after", "later than one election interval, expected at most governance.election_interval");
  if (p.governance.decision_weeks_anchored > p.governance.decision_weeks_unanchored)
    c.problem("governance.decision_weeks_anchored", "exceeds decision_weeks_unanchored, expected anchoring to speed decisions up");
  if (p.incidents.disorder_min > p.incidents.disorder_max)
    c.problem("incidents.disorder_min", "exceeds incidents.disorder_max");
  if (!s.phases.empty()) {
    double before_execution = 0;
    for (const auto& ph : s.phases) before_execution += ph.kind == PhaseKind::uitvoeren ? 0 : ph.min_weeks;
    if (s.params.programme.enabled && before_execution > s.params.building_blocks.long_breath + 1e-9 &&
        s.params.building_blocks.long_breath > 0)
      c.problem("programme.phases", "the phases before uitvoeren need at least " + number_text(before_execution) +
                                        " weeks but building_blocks.long_breath is " +
                                        number_text(s.params.building_blocks.long_breath) + " weeks, expected a plan that fits the programme");
  }
  if (s.params.programme.rollout_after > 0 && s.programme_start_buurten.empty())
    c.problem("programme.rollout_after", "set, but programme.start_buurten is empty: expected start buurten to roll out from");
  long long adults = 0;
  for (const auto& w : s.city.wijken)
    for (const auto& b : w.buurten) adults += b.adults();
  if (c.problems().empty() && adults == 0 && !s.city.wijken.empty())
    c.problem("city", "no residents aged 15+ in any buurt, expected at least one to simulate");
  // Residents are numbered with 32-bit rows.
  if (adults > 200'000'000LL) c.problem("city", "has " + std::to_string(adults) + " residents aged 15+, expected at most 200,000,000");

  std::vector<Problem> all = set_problems;
  all.insert(all.end(), c.problems().begin(), c.problems().end());
  if (!all.empty()) throw InputError(all);
  s.resolved = resolve(s);
  s.hash = scenario_hash(s.resolved);
  return s;
}

}  // namespace wijksim
