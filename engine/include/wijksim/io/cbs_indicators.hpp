#pragma once
// Real buurt indicators for imported places: deprivation from housing data and the incident
// base rate from police-recorded crime (data/cbs/cbs-buurt-2024-indicators.csv; CBS 85984NED,
// Politie 47022NED). Formulas and why, in docs/MODEL.md §5.3 ("Input data: real places").
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace wijksim::cbs {

inline constexpr const char* kIndicatorCredit =
    "Bron: CBS, Kerncijfers wijken en buurten 2024 (85984NED); Politie, geregistreerde misdrijven (47022NED)";

// One buurt's row; a missing (suppressed) value is nullopt.
struct BuurtIndicators {
  std::optional<double> residents;       // inwoners
  std::optional<double> woz;             // mean WOZ value, x EUR 1,000
  std::optional<double> owner_occupied;  // % owner-occupied dwellings
  std::optional<double> crimes_per_year; // police-recorded crimes, mean of the complete years read
};

// A resident-weighted national distribution: sorted values with cumulative weights.
class WeightedDistribution {
 public:
  void add(double value, double weight) { items_.emplace_back(value, weight); }
  void finish();  // sorts and accumulates; call once after the last add
  bool empty() const { return values_.empty(); }
  // Share of the weight below x, ties counting half.
  double percentile(double x) const;

 private:
  std::vector<std::pair<double, double>> items_;
  std::vector<double> values_, cumulative_;
};

struct IndicatorTable {
  std::string file;
  std::vector<std::string> years;  // crime years averaged, e.g. 2021..2024
  std::unordered_map<std::string, BuurtIndicators> buurten;  // by upper-case BU code
  // National reference distributions (resident-weighted), for percentile ranks.
  WeightedDistribution woz, rental, score;  // rental = 100 - % owner-occupied
  double national_crime_per_1000 = 0;  // all buurten: sum of crimes / sum of residents
};

// Reads the indicator CSV (',' separated, '.' decimals, empty = not published). Throws
// InputError naming the file, line and column for a missing column or a bad number.
IndicatorTable read_indicators(const std::string& file);

// Composite housing score in [0, 1] from WOZ and the rental share: the mean of the buurt's
// national percentile of low WOZ and of the rental share.
double housing_score(const IndicatorTable& t, double woz, double owner_occupied_percent);

// Deprivation in [0, 1]: the national resident-weighted percentile P of the housing score,
// raised to kDeprivationExponent so that the national resident-weighted mean is 0.4 (the
// engine's centre, where its baseline was calibrated): E[P^k] = 1 / (k + 1) = 0.4.
inline constexpr double kDeprivationExponent = 1.5;
double deprivation_from_score(const IndicatorTable& t, double score);

// Crime per 1,000 residents per year shrunk toward the wijk's rate: small buurten (a business
// park with 20 residents and 300 crimes) otherwise get absurd rates. The pseudo-population is
// kCrimePseudoResidents residents at the wijk's rate.
inline constexpr double kCrimePseudoResidents = 500;

}  // namespace wijksim::cbs
