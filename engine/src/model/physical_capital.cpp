// Physical capital (MODEL.md §7.8.1): what the woningcorporatie and the municipality invest in
// dwellings and streets, as two stocks with their own units, because the evidence sets them
// apart. The corporatie's herstructurering renews dwellings: a share of the buurt's stock, at
// physical.renewal_cost per resident whose dwelling is renewed (the same share mobility.cpp
// rehouses). The municipality's programme money goes to public space (streets, lighting,
// green): euros per resident. Both are added while the budget is open and wear out with a mean
// lifetime of years, so they outlast the programme that paid for them. Each effect saturates
// at its own half point (the first renewals fix the worst complexes, the first euros the worst
// streets). Renewed dwellings lower the buurt's equilibrium disorder (incidents.cpp) and raise
// residents' perceived safety (safety.cpp): SCP found the Vogelaar wijken's safety gains where
// dwellings were renewed. Public space acts on disorder only, and through it on safety: SCP
// found little demonstrable effect of green and play facilities.
#include "wijksim/model/processes.hpp"

namespace wijksim::model {

double corporatie_share(const Params& p, double deprivation) {
  return clamp01(p.physical.corporatie_share_base + p.physical.corporatie_share_deprivation * deprivation);
}

double renewal_effect(const Params& p, const Buurt& b) {
  const double r = b.physical.renewed_share;
  return r > 0 ? r / (r + p.physical.half_renewed_share) : 0.0;
}

double public_space_effect(const Params& p, const Buurt& b) {
  const double s = b.physical.public_space;
  return s > 0 ? s / (s + p.physical.half_public_space) : 0.0;
}

double herstructurering_week(const World& w, const Buurt& b) {
  const Params& p = *w.p;
  const auto& pp = p.physical;
  // Under the programme's performance agreements the corporatie renews its own dwellings, only in
  // the buurten deprived enough to qualify (Vogelaar: where it owned most).
  const PhaseSpec* ph = w.phase();
  if (!(programme_reaches(w, b) && ph && ph->budget_open && b.place.deprivation >= pp.renewal_min_deprivation))
    return 0.0;
  // The corporatie share physical_capital keeps on the buurt (set every week, burn-in included).
  return pp.herstructurering * b.physical.corporatie_share * p.building_blocks.resources;
}

void physical_capital(World& w, Buurt& b) {
  const Params& p = *w.p;
  const auto& pp = p.physical;
  b.physical.corporatie_share = corporatie_share(p, b.place.deprivation);
  if (b.place.residents_total <= 0) return;
  b.money.euros_spent += b.gov.invest_week;  // the municipality's programme budget for public space (governance)
  const double keep = pp.lifetime > 0 ? 1.0 - 1.0 / pp.lifetime : 0.0;
  b.physical.public_space = b.physical.public_space * keep + b.gov.invest_week / b.place.residents_total;
  // The corporatie's own dwellings: the euros per resident over the cost of renewing one
  // resident's dwelling is the share renewed this week (the share relocation rehouses).
  const double renewed = pp.renewal_cost > 0 ? herstructurering_week(w, b) / pp.renewal_cost : 0.0;
  b.physical.renewed_share = clamp01(b.physical.renewed_share * keep + renewed);
}

}  // namespace wijksim::model
