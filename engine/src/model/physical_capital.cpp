// Physical capital (MODEL.md §7.8.1): what the woningcorporatie and the municipality invest in
// dwellings and streets, as euros per resident not yet worn out. It is a stock: programme
// investment and the corporatie's herstructurering add to it while the budget is open, and it
// wears out with a mean lifetime of years, so it outlasts the programme that paid for it. Its
// effect saturates (the first renewals fix the worst places) and acts on the buurt's
// equilibrium disorder (incidents.cpp) and on residents' perceived safety (safety.cpp).
#include "wijksim/model/processes.hpp"

namespace wijksim::model {

double corporatie_share(const Params& p, double deprivation) {
  return clamp01(p.physical.corporatie_share_base + p.physical.corporatie_share_deprivation * deprivation);
}

double physical_effect(const Params& p, const Buurt& b) {
  const double c = b.physical.physical_capital;
  return c > 0 ? c / (c + p.physical.half_capital) : 0.0;
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
  double euros = b.gov.invest_week;  // the municipality's programme budget for public space (governance)
  b.money.euros_spent += b.gov.invest_week;
  euros += herstructurering_week(w, b) * b.place.residents_total;  // the corporatie's own dwellings
  const double wear = pp.lifetime > 0 ? 1.0 / pp.lifetime : 1.0;
  b.physical.physical_capital = b.physical.physical_capital * (1.0 - wear) + euros / b.place.residents_total;
}

}  // namespace wijksim::model
