#pragma once
// The readers of a scenario document's sections, called in order by load_scenario_json
// (load.cpp). Each checks its section with the one JsonChecker and fills its part of the spec.
#include <array>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/scenario/json_checker.hpp"
#include "wijksim/scenario/spec.hpp"

namespace wijksim::scenario_sections {

// The table-driven sections (every row of the parameter table) and the top-level keys
// (read_params.cpp).
void read_params(JsonChecker& c, const nlohmann::json& doc, Params& p);

// city: wijken with buurten, or city.generate (read_city.cpp, city_generation.cpp).
void read_city(JsonChecker& c, const nlohmann::json& doc, CitySpec& city);
void generate_city(JsonChecker& c, const nlohmann::json& g, const std::string& path, CitySpec& city);
// A total split over the CBS age groups by national shares, where a buurt gives only a total.
std::array<int, cbs_age_group_count> split_by_national_shares(int residents);

// programme.phases, staff.roles, shocks and lists of unit codes (read_programme.cpp).
void read_phases(JsonChecker& c, const nlohmann::json& arr, std::vector<PhaseSpec>& phases);
void read_roles(JsonChecker& c, const nlohmann::json& arr, std::vector<RoleSpec>& roles);
void read_shocks(JsonChecker& c, const nlohmann::json& arr, std::vector<ShockSpec>& shocks, const CitySpec& city);
std::vector<std::string> read_codes(JsonChecker& c, const nlohmann::json& obj, const std::string& key,
                                    const std::string& path, const std::set<std::string>& valid, const char* what);

}  // namespace wijksim::scenario_sections
