#include "wijksim/core/units.hpp"

namespace wijksim {

std::string_view unit_name(Unit u) {
  switch (u) {
    case Unit::none: return "-";
    case Unit::share: return "share";
    case Unit::weeks: return "weeks";
    case Unit::years: return "years";
    case Unit::per_year: return "per year";
    case Unit::rate_per_year: return "per year (rate)";
    case Unit::per_week: return "per week";
    case Unit::hours_per_week: return "hours/week";
    case Unit::euros: return "EUR";
    case Unit::euros_per_resident_per_year: return "EUR/resident/year";
    case Unit::per_1000_residents_per_year: return "per 1,000 residents/year";
    case Unit::fte_per_10k_residents: return "FTE per 10,000 residents";
    case Unit::contacts_per_hour: return "contacts/hour";
  }
  return "?";
}

}  // namespace wijksim
