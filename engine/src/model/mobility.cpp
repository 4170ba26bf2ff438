// Residential mobility (MODEL.md §4.14). Each week a buurt loses a binomial number of movers
// from an annual rate set by its tenure mix (owner-occupiers move less than tenants) and
// raised by disorder (Steenbeek & Hipp 2011). Who leaves is selective: in a deprived buurt
// residents with more resources leave more often, in a well-off one those with fewer. Every
// mover is replaced in place by a newcomer (the buurt's rows stay contiguous and its size as in
// the data): a fresh profile whose resources are drawn as if the buurt were a little more
// extreme than it is (newcomers to deprived buurten have fewer resources), a baseline trust
// drawn for that profile, passive, not invited, not reached, without frustration, fatigue,
// crew or work ties, and ties that only count after an acquaintance period (sense.cpp).
// Draws: one stream per buurt-week (how many, who), one per newcomer-week (the profile).
#include <boost/random/binomial_distribution.hpp>
#include <cmath>

#include "wijksim/city/build.hpp"
#include "wijksim/model/processes.hpp"

namespace wijksim::model {

namespace {

// Reference disorder of the mobility rate: the same centre as the safety target's.
constexpr double kDisorderCentre = 0.35;
// Reference deprivation of the model (the centre every deprivation effect is measured from).
constexpr double kDeprivationCentre = 0.4;

// The mover leaves: what was theirs in the buurt goes with them.
void leave(Buurt& b, Residents& r, std::uint32_t local) {
  const std::uint32_t row = b.place.first + local;
  if ((r.flags[row] & flag_reached) && b.outreach.reached > 0) --b.outreach.reached;
  // Those who took part in vision formation are counted among the buurt's current residents
  // (breadth and diversity of the vision's support): a participant who leaves takes their part.
  if ((r.flags[row] & flag_vision) && b.vision.vision_participants > 0) {
    --b.vision.vision_participants;
    auto& group = b.vision.vision_groups[static_cast<std::size_t>(r.age_band[row] * 2 + (r.ses[row] >= 0.5f ? 1 : 0))];
    if (group > 0) --group;
  }
  for (auto& in : b.initiatives.list) {
    int kept = 0;
    for (int k = 0; k < in.crew_size; ++k)
      if (in.crew[static_cast<std::size_t>(k)] != local) in.crew[static_cast<std::size_t>(kept++)] = in.crew[static_cast<std::size_t>(k)];
    in.crew_size = static_cast<std::uint8_t>(kept);
  }
}

void arrive(World& w, Buurt& b, const BuurtSpec& spec, std::uint32_t local) {
  const Params& p = *w.p;
  auto& r = w.residents;
  const std::uint32_t row = b.place.first + local;
  CounterRng rng = w.rng(Stream::mobility, w.resident_id(b, local));
  // Age band in proportion to the buurt's adults (movers are replaced by a draw from the same
  // composition, so the age structure stays as in the data in expectation).
  const int adults = spec.adults();
  int band = 0;
  if (adults > 0) {
    const double u = rng.uniform() * adults;
    double acc = 0;
    for (band = 0; band < age_band_count - 1; ++band) {
      acc += spec.age[static_cast<std::size_t>(band + 1)];
      if (u < acc) break;
    }
  }
  const double d = b.place.deprivation;
  const double newcomer_d = d + p.mobility.newcomer_selectivity * (d - kDeprivationCentre);
  draw_resident(w, r, row, band, newcomer_d, d, rng);
  r.engagement[row] = Engagement::passive;
  r.flags[row] = 0;
  r.good_experiences[row] = r.bad_experiences[row] = r.victim_now[row] = 0;
  r.duty_weeks[row] = 0;
  r.invited_until[row] = r.heard_until[row] = r.victim_until[row] = long_ago;
  r.frustration[row] = 0;
  r.fatigue[row] = 0;
  r.arrived[row] = w.step;
  r.promised[row] = no_promise;  // the programme promised nothing to a newcomer
  r.work_ties[row] = WorkTies{};
  r.safety[row] = safety_target(p, safety_buurt_term(p, b), r.social[row], r.safety_offset[row], false, false);
}

}  // namespace

double owner_share(const Params& p, const Buurt& b) {
  if (b.place.owner_occupied >= 0) return b.place.owner_occupied;
  return clamp01(p.mobility.owner_share_at_0 - p.mobility.owner_share_slope * b.place.deprivation);
}

double move_probability(const Params& p, const Buurt& b) {
  const auto& mp = p.mobility;
  const double o = owner_share(p, b);
  const double base = o * mp.owner_rate + (1.0 - o) * mp.rental_rate;
  return clamp01(base * std::max(0.0, 1.0 + mp.disorder_effect * (b.incidents.disorder - kDisorderCentre)));
}

namespace {

// Ordinary moves: how many from the buurt's move probability, who by selectivity.
void residential_moves(World& w, Buurt& b, const BuurtSpec& spec) {
  const Params& p = *w.p;
  const double q = move_probability(p, b);
  if (q <= 0) return;
  auto& r = w.residents;
  CounterRng rng = w.rng(Stream::mobility, EntityId{b.place.key, 0xFFFFFFFFu});
  boost::random::binomial_distribution<int, double> movers(static_cast<int>(b.place.count), q);
  const auto m = static_cast<std::uint32_t>(movers(rng));
  if (m == 0) return;
  // Who leaves: odds exp(slope (ses - expected mean)), by rejection against the largest odds
  // (|ses - mean| <= 1), so the number of movers stays binomial and only their mix is selective.
  const double d = std::clamp(b.place.deprivation, 0.02, 0.98);
  const double slope = p.mobility.selectivity * (d - kDeprivationCentre);
  const double mean_ses = 1.0 - d;
  const double odds_max = std::exp(std::abs(slope));
  std::uint32_t moved = 0;
  for (std::uint32_t attempt = 0; moved < m && attempt < 64 * m; ++attempt) {
    const auto local = std::min(b.place.count - 1, static_cast<std::uint32_t>(rng.uniform() * b.place.count));
    const std::uint32_t row = b.place.first + local;
    const double accept = rng.uniform() * odds_max;
    if (r.arrived[row] == w.step) continue;  // already replaced this week
    if (accept >= std::exp(slope * (r.ses[row] - mean_ses))) continue;
    leave(b, r, local);
    arrive(w, b, spec, local);
    ++moved;
  }
  b.mobility.moved_in_week += static_cast<int>(moved);
}

// Herstructurering rehouses the tenants of the dwellings it renews (MODEL.md §7.14,
// relocation): the week's share of residents is the week's investment per resident over the
// cost of renewing one resident's dwelling. Whoever lives there must go, whatever their
// resources, so they are drawn uniformly (a row at most once a week, movers included); each
// leaves with their crews and memberships, and a newcomer without history takes the renewed
// dwelling. A stream of its own, so the ordinary moves draw the same numbers with or without
// renewal (common random numbers).
void relocation(World& w, Buurt& b, const BuurtSpec& spec) {
  const double euros = herstructurering_week(w, b);
  if (euros <= 0 || w.p->physical.renewal_cost <= 0) return;
  const double q = clamp01(euros / w.p->physical.renewal_cost);
  auto& r = w.residents;
  CounterRng rng = w.rng(Stream::mobility, EntityId{b.place.key, 0xFFFFFFFEu});
  boost::random::binomial_distribution<int, double> rehoused(static_cast<int>(b.place.count), q);
  const auto m = static_cast<std::uint32_t>(rehoused(rng));
  std::uint32_t moved = 0;
  for (std::uint32_t attempt = 0; moved < m && attempt < 64 * m; ++attempt) {
    const auto local = std::min(b.place.count - 1, static_cast<std::uint32_t>(rng.uniform() * b.place.count));
    if (r.arrived[b.place.first + local] == w.step) continue;  // already replaced this week
    leave(b, r, local);
    arrive(w, b, spec, local);
    ++moved;
  }
  b.mobility.moved_in_week += static_cast<int>(moved);
}

}  // namespace

void residential_mobility(World& w, Buurt& b) {
  b.mobility.moved_in_week = 0;
  if (b.place.count == 0) return;
  const auto& wk = w.wijken[b.place.wijk];
  const BuurtSpec& spec =
      w.spec->city.wijken[b.place.wijk].buurten[static_cast<std::size_t>(&b - &w.buurten[wk.first_buurt])];
  residential_moves(w, b, spec);
  relocation(w, b, spec);
}

}  // namespace wijksim::model
