#include "wijksim/io/cbs_indicators.hpp"

#include <algorithm>
#include <cmath>

#include "wijksim/core/error.hpp"
#include "wijksim/io/cbs_import.hpp"

namespace wijksim::cbs {
namespace {

// The complete years of police-recorded crime in the 2024 file (2025 is a part year).
const std::vector<std::string> kCrimeYears = {"2021", "2022", "2023", "2024"};

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

void WeightedDistribution::finish() {
  std::sort(items_.begin(), items_.end());
  values_.clear();
  cumulative_.assign(1, 0.0);
  for (const auto& [value, weight] : items_) {
    values_.push_back(value);
    cumulative_.push_back(cumulative_.back() + weight);
  }
  items_.clear();
}

double WeightedDistribution::percentile(double x) const {
  if (values_.empty() || cumulative_.back() <= 0) return 0.5;
  const auto lo = static_cast<std::size_t>(std::lower_bound(values_.begin(), values_.end(), x) - values_.begin());
  const auto hi = static_cast<std::size_t>(std::upper_bound(values_.begin(), values_.end(), x) - values_.begin());
  return (cumulative_[lo] + 0.5 * (cumulative_[hi] - cumulative_[lo])) / cumulative_.back();
}

double housing_score(const IndicatorTable& t, double woz, double owner_occupied_percent) {
  const double low_woz = 1.0 - t.woz.percentile(woz);
  const double rental = t.rental.percentile(100.0 - owner_occupied_percent);
  return 0.5 * (low_woz + rental);
}

double deprivation_from_score(const IndicatorTable& t, double score) {
  return std::pow(t.score.percentile(score), kDeprivationExponent);
}

IndicatorTable read_indicators(const std::string& file) {
  const CsvTable csv = read_csv(file);
  IndicatorTable t;
  t.file = file;
  t.years = kCrimeYears;
  auto column = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < csv.header.size(); ++i)
      if (csv.header[i] == name) return static_cast<int>(i);
    return -1;
  };
  std::vector<Problem> problems;
  auto require = [&](const std::string& name) {
    const int c = column(name);
    if (c < 0) problems.push_back({file, "line 1, column \"" + name + "\"", "missing from the header, expected the CBS buurt indicator columns (data/cbs/README.md)"});
    return c;
  };
  const int c_code = require("buurtcode"), c_res = require("inwoners"), c_woz = require("wozWaarde"),
            c_koop = require("koopwoningen");
  std::vector<int> c_crime;
  for (const auto& y : kCrimeYears) c_crime.push_back(require("misdrijven_" + y));
  if (!problems.empty()) throw InputError(problems);

  auto number = [&](const std::vector<std::string>& row, std::size_t line, int col, double lo, double hi) -> std::optional<double> {
    const auto& cell = row[static_cast<std::size_t>(col)];
    bool ok = true;
    const auto v = parse_number(cell, ok);
    if (!ok || (v && (*v < lo || *v > hi || !std::isfinite(*v)))) {
      if (problems.size() < 20)
        problems.push_back({file, "line " + std::to_string(line) + ", column \"" + csv.header[static_cast<std::size_t>(col)] + "\"",
                            "found \"" + cell + "\", expected a number in [" + std::to_string(static_cast<long long>(lo)) + ", " +
                                std::to_string(static_cast<long long>(hi)) + "] or empty (not published)"});
      return std::nullopt;
    }
    return v;
  };

  double crimes_all = 0, residents_all = 0;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    const auto& row = csv.rows[r];
    const std::size_t line = csv.lines[r];
    BuurtIndicators b;
    b.residents = number(row, line, c_res, 0, 5e7);
    b.woz = number(row, line, c_woz, 0, 1e5);
    b.owner_occupied = number(row, line, c_koop, 0, 100);
    double crimes = 0;
    int years = 0;
    for (int c : c_crime)
      if (auto v = number(row, line, c, 0, 1e7)) {
        crimes += *v;
        ++years;
      }
    if (years > 0) b.crimes_per_year = crimes / years;
    const double res = b.residents.value_or(0);
    if (res > 0) {
      if (b.woz) t.woz.add(*b.woz, res);
      if (b.owner_occupied) t.rental.add(100.0 - *b.owner_occupied, res);
      if (b.crimes_per_year) {
        crimes_all += *b.crimes_per_year;
        residents_all += res;
      }
    }
    t.buurten[upper(row[static_cast<std::size_t>(c_code)])] = b;
  }
  if (!problems.empty()) throw InputError(problems);
  t.woz.finish();
  t.rental.finish();
  if (t.woz.empty() || t.rental.empty() || residents_all <= 0)
    throw InputError(std::vector<Problem>{{file, "", "no buurt with residents, WOZ value, owner-occupied share and crime, expected the national buurt table"}});
  for (const auto& [code, b] : t.buurten)
    if (b.residents.value_or(0) > 0 && b.woz && b.owner_occupied)
      t.score.add(housing_score(t, *b.woz, *b.owner_occupied), *b.residents);
  t.score.finish();
  t.national_crime_per_1000 = crimes_all / residents_all * 1000.0;
  return t;
}

}  // namespace wijksim::cbs
