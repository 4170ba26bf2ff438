#pragma once
// Time units. Parameters are written in the unit a person thinks in (years, per year) and
// converted to the weekly step once, when the scenario is loaded.
#include <cmath>
#include <string_view>

namespace wijksim {

inline constexpr double weeks_per_year = 52.0;  // the calendar uses 52-week years

enum class Unit {
  none,         // dimensionless, stored as given
  share,        // fraction in [0,1]
  weeks,        // stored as weeks
  years,        // converted to weeks
  per_year,     // an annual probability, converted to a weekly probability
  rate_per_year,// an annual rate (events per unit per year), converted to per week
  per_week,     // a weekly probability or rate, stored as given
  hours_per_week,
  euros,
  euros_per_resident_per_year,  // converted to euros per resident per week
  per_1000_residents_per_year,  // converted to per resident per week
  fte_per_10k_residents,
  contacts_per_hour,
};

std::string_view unit_name(Unit u);

// From the unit a scenario writes to the unit the model steps in.
inline double to_internal(Unit u, double v) {
  switch (u) {
    case Unit::years: return v * weeks_per_year;
    case Unit::per_year: return 1.0 - std::pow(1.0 - v, 1.0 / weeks_per_year);
    case Unit::rate_per_year: return v / weeks_per_year;
    case Unit::euros_per_resident_per_year: return v / weeks_per_year;
    case Unit::per_1000_residents_per_year: return v / 1000.0 / weeks_per_year;
    default: return v;
  }
}

}  // namespace wijksim
