#include "sections.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "wijksim/core/rng.hpp"
#include "wijksim/scenario/presets.hpp"

namespace wijksim::scenario_sections {

using json = nlohmann::json;

namespace {

// National age shares (CBS 85984NED, 1 Jan 2024) used where a buurt gives only a total.
constexpr std::array<double, cbs_age_group_count> kNationalAgeShares = {
    2714040.0 / 17942942, 2202159.0 / 17942942, 4586399.0 / 17942942, 4763116.0 / 17942942,
    3677228.0 / 17942942};

constexpr double kMaxGeneratedBuurten = 100000;  // in the message below too

}  // namespace

std::array<int, cbs_age_group_count> split_by_national_shares(int residents) {
  std::array<int, cbs_age_group_count> out{};
  int assigned = 0;
  for (int g = 0; g < cbs_age_group_count; ++g) {
    out[static_cast<std::size_t>(g)] = static_cast<int>(std::floor(residents * kNationalAgeShares[static_cast<std::size_t>(g)]));
    assigned += out[static_cast<std::size_t>(g)];
  }
  out[2] += residents - assigned;  // rounding remainder to the largest group
  return out;
}

void generate_city(JsonChecker& c, const json& g, const std::string& path, CitySpec& city) {
  if (!c.expect_object(g, path)) return;
  c.only_keys(g, path, {"wijken", "buurten_per_wijk", "residents_per_buurt", "deprivation", "seed"});
  const int wijken = static_cast<int>(c.integer(g, "wijken", path, 1, 100000, true).value_or(0));
  constexpr CityGeneration def = city_generation_defaults;
  double bmin = def.buurten_min, bmax = def.buurten_max;
  if (g.contains("buurten_per_wijk")) {
    const auto p = JsonChecker::join(path, "buurten_per_wijk");
    if (c.expect_array(g["buurten_per_wijk"], p) && g["buurten_per_wijk"].size() == 2) {
      bmin = c.number_value(g["buurten_per_wijk"][0], JsonChecker::index(p, 0), 1, 1000, true).value_or(bmin);
      bmax = c.number_value(g["buurten_per_wijk"][1], JsonChecker::index(p, 1), 1, 1000, true).value_or(bmax);
    } else if (g["buurten_per_wijk"].is_array()) {
      c.problem(p, "found " + std::to_string(g["buurten_per_wijk"].size()) + " values, expected [min, max]");
    }
  }
  double median = def.residents_median, sigma = def.residents_sigma, rmin = def.residents_min, rmax = def.residents_max;
  if (g.contains("residents_per_buurt")) {
    const auto p = JsonChecker::join(path, "residents_per_buurt");
    if (c.expect_object(g["residents_per_buurt"], p)) {
      const auto& r = g["residents_per_buurt"];
      c.only_keys(r, p, {"median", "sigma", "min", "max"});
      median = c.number(r, "median", p, 1, 1e7, false).value_or(median);
      sigma = c.number(r, "sigma", p, 0, 5, false).value_or(sigma);
      if (const auto v = c.integer(r, "min", p, 0, 10000000, false)) rmin = static_cast<double>(*v);
      if (const auto v = c.integer(r, "max", p, 0, 100000000, false)) rmax = static_cast<double>(*v);
      if (rmin > rmax) c.problem(p, "min " + number_text(rmin) + " exceeds max " + number_text(rmax));
    }
  }
  double dlo = def.deprivation_low, dhi = def.deprivation_high;
  if (g.contains("deprivation")) {
    const auto p = JsonChecker::join(path, "deprivation");
    if (c.expect_array(g["deprivation"], p) && g["deprivation"].size() == 2) {
      dlo = c.number_value(g["deprivation"][0], JsonChecker::index(p, 0), 0, 1, false).value_or(dlo);
      dhi = c.number_value(g["deprivation"][1], JsonChecker::index(p, 1), 0, 1, false).value_or(dhi);
    } else if (g["deprivation"].is_array()) {
      c.problem(p, "expected [low, high]");
    }
  }
  const auto seed = static_cast<std::uint64_t>(
      c.integer(g, "seed", path, 0, 2147483647, false).value_or(static_cast<long long>(def.seed)));
  if (bmin > bmax) c.problem(JsonChecker::join(path, "buurten_per_wijk"), "min exceeds max");
  // Refused before anything is generated: 100000 wijken of 1000 buurten would take gigabytes
  // of buurt specs before the population check could run. The Netherlands has about 14,500.
  if (static_cast<double>(wijken) * bmax > kMaxGeneratedBuurten)
    c.problem(path, "up to " + std::to_string(static_cast<long long>(wijken * bmax)) +
                        " buurten (wijken x buurten_per_wijk max), expected at most 100000");
  if (!c.problems().empty() || wijken <= 0) return;
  // The generated city depends on its own seed only, so it is the same in every replicate.
  const std::uint64_t key = stream_key(seed, 0, Stream::city);
  for (int w = 0; w < wijken; ++w) {
    CounterRng rng(key, EntityId{0, static_cast<std::uint32_t>(w)}, 0);
    WijkSpec wijk;
    char code[32];
    std::snprintf(code, sizeof code, "WK%06d", w);
    wijk.code = code;
    wijk.name = "Wijk " + std::to_string(w + 1);
    const int nb = static_cast<int>(bmin + std::floor(rng.uniform() * (bmax - bmin + 1)));
    const double wijk_dep = dlo + (dhi - dlo) * rng.uniform();
    for (int b = 0; b < nb; ++b) {
      BuurtSpec buurt;
      std::snprintf(code, sizeof code, "BU%06d%02d", w, b);
      buurt.code = code;
      buurt.name = wijk.name + " buurt " + std::to_string(b + 1);
      // Box-Muller on two counter draws: lognormal buurt sizes.
      const double u1 = std::max(rng.uniform(), 1e-12), u2 = rng.uniform();
      const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
      buurt.residents = static_cast<int>(std::clamp(median * std::exp(sigma * z), rmin, rmax));
      buurt.age = split_by_national_shares(buurt.residents);
      buurt.deprivation = std::clamp(wijk_dep + def.buurt_deprivation_spread * (rng.uniform() - 0.5), 0.0, 1.0);
      wijk.buurten.push_back(buurt);
    }
    city.wijken.push_back(std::move(wijk));
  }
}

}  // namespace wijksim::scenario_sections
