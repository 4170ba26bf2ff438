#include "wijksim/model/baselines.hpp"

#include <algorithm>
#include <cmath>

namespace wijksim {

double equilibrium_disorder(const Params& p, double deprivation) {
  return p.incidents.disorder_min + (p.incidents.disorder_max - p.incidents.disorder_min) * deprivation;
}

double baseline_trust(const Params& p, double ses, int band, double deprivation, double z) {
  // Logit-normal around the lever: building_blocks.trust is the baseline trust of a resident of
  // average resources (0.6) and age in an average buurt (0.4), so about that share trusts.
  const double lever = std::clamp(p.building_blocks.trust, 1e-3, 1 - 1e-3);
  const double logit = std::log(lever / (1 - lever)) + p.residents.trust_ses * (ses - p.residents.trust_ses_centre) +
                       p.residents.trust_age[static_cast<std::size_t>(band)] -
                       p.residents.trust_deprivation_shift * (deprivation - 0.4) + p.residents.trust_sd * z;
  return 1.0 / (1.0 + std::exp(-logit));
}

}  // namespace wijksim
