#include <algorithm>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "wijksim/city/build.hpp"
#include "wijksim/model/processes.hpp"
#include "wijksim/scenario/calendar.hpp"

namespace wijksim {

void build_network(World& w, ThreadPool& pool);  // network.cpp

void Residents::resize(std::size_t n) {
  for (auto* v : {&ses, &free_hours, &theta, &epsilon, &trust0, &social0, &efficacy0, &safety_offset, &trust,
                  &social, &efficacy, &safety, &frustration, &fatigue})
    v->assign(n, 0.f);
  arrived.assign(n, long_ago);
  promised.assign(n, no_promise);
  work_ties.assign(n, WorkTies{});
  age_band.assign(n, 0);
  engagement.assign(n, Engagement::passive);
  flags.assign(n, 0);
  good_experiences.assign(n, 0);
  bad_experiences.assign(n, 0);
  victim_now.assign(n, 0);
  duty_weeks.assign(n, 0);
  invited_until.assign(n, -1000000);
  heard_until.assign(n, -1000000);
  victim_until.assign(n, -1000000);
  view.assign(n, NeighbourView{});
}

std::size_t Residents::bytes() const {
  auto b = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  return b(age_band) + b(ses) + b(free_hours) + b(theta) + b(epsilon) + b(trust0) + b(social0) + b(efficacy0) +
         b(safety_offset) + b(trust) + b(social) + b(efficacy) + b(safety) + b(frustration) + b(engagement) +
         b(flags) + b(good_experiences) + b(bad_experiences) + b(victim_now) + b(duty_weeks) + b(invited_until) +
         b(heard_until) + b(victim_until) + b(tie_offsets) + b(ties) + b(view) + b(fatigue) + b(arrived) + b(promised) + b(work_ties);
}

std::size_t estimated_bytes(std::size_t adults, double mean_ties, std::size_t buurten) {
  const double per_resident = 4 * 14 + 1 * 6 + 2 + 4 * 4 + sizeof(NeighbourView) + sizeof(WorkTies) + 4 + 4 + 4 * mean_ties;
  return static_cast<std::size_t>(per_resident * static_cast<double>(adults)) + buurten * 4096;
}

namespace {

int derive_class(const Params& p, double deprivation) {
  if (deprivation <= p.classes[0].deprivation_max) return 0;
  if (deprivation <= p.classes[1].deprivation_max) return 1;
  return 2;
}

}  // namespace

void draw_resident(const World& w, Residents& r, std::uint32_t row, int band, double ses_deprivation,
                   double buurt_deprivation, CounterRng& rng) {
  const Params& p = *w.p;
  const double kappa = p.residents.ses_concentration;
  const double ds = std::clamp(ses_deprivation, 0.02, 0.98), d = std::clamp(buurt_deprivation, 0.02, 0.98);
  boost::random::normal_distribution<double> normal;
  boost::random::beta_distribution<double> beta(kappa * (1 - ds), kappa * ds);
  r.age_band[row] = static_cast<std::uint8_t>(band);
  const double ses = beta(rng);
  r.ses[row] = static_cast<float>(ses);
  r.free_hours[row] = static_cast<float>(p.residents.free_hours[static_cast<std::size_t>(band)] * std::exp(0.4 * normal(rng)));
  r.theta[row] = static_cast<float>(p.residents.threshold_mean + p.residents.threshold_sd * normal(rng));
  r.epsilon[row] = static_cast<float>(std::clamp(p.residents.epsilon_mean + p.residents.epsilon_sd * normal(rng), 0.02, 1.0));
  const double dev = d - 0.4;
  r.trust0[row] = static_cast<float>(baseline_trust(p, ses, band, d, normal(rng)));
  r.social0[row] = static_cast<float>(model::clamp01(p.residents.social_trust_mean - p.residents.social_trust_deprivation_shift * dev +
                                                     p.residents.social_trust_sd * normal(rng)));
  r.efficacy0[row] = static_cast<float>(model::clamp01(p.residents.efficacy_mean + 0.1 * (ses - 0.5) +
                                                       p.residents.efficacy_sd * normal(rng)));
  r.safety_offset[row] = static_cast<float>(p.safety.initial_sd * normal(rng));
  r.trust[row] = r.trust0[row];
  r.social[row] = r.social0[row];
  r.efficacy[row] = r.efficacy0[row];
}

namespace {

void synthesise_buurt(World& w, Buurt& b, const BuurtSpec& spec) {
  const Params& p = *w.p;
  auto& r = w.residents;
  b.place.owner_occupied = spec.owner_occupied;
  std::uint32_t local = 0;
  for (int band = 0; band < age_band_count; ++band) {
    const int n = spec.age[static_cast<std::size_t>(band + 1)];
    for (int k = 0; k < n; ++k, ++local) {
      const std::uint32_t row = b.place.first + local;
      CounterRng rng = CounterRng(w.keys[Stream::population], w.resident_id(b, local), 0);
      draw_resident(w, r, row, band, spec.deprivation, spec.deprivation, rng);
      const double ses = r.ses[row];
      // Start near the participation equilibrium of the threshold rule (join vs drop-out rates
      // at the resident's own utility, ties assumed at a typical 7% active), so burn-in only
      // has to settle the network's share, not build participation from nothing.
      const auto& pp = p.participation;
      const double cost = 0.5 * (1.0 - std::min(1.0, r.free_hours[row] / 8.0)) + 0.5 * (1.0 - ses);
      const double u = pp.beta_trust * r.trust[row] + pp.beta_social * r.social[row] + pp.beta_efficacy * r.efficacy[row] +
                       pp.beta_network * 0.07 - pp.beta_cost * cost + p.residents.age_propensity[static_cast<std::size_t>(band)];
      const double willing = 1.0 / (1.0 + std::exp(-(u - r.theta[row]) / pp.noise));
      const double join = pp.join_rate * willing, drop = pp.dropout * (1.0 + 2.0 * (1.0 - willing));
      if (join + drop > 0 && rng.uniform() < join / (join + drop)) r.engagement[row] = Engagement::active;
    }
  }
  // Initial safety from the buurt's starting conditions; burn-in settles the rest.
  double ce = 0;
  for (std::uint32_t i = 0; i < b.place.count; ++i) ce += r.social[b.place.first + i] * r.efficacy[b.place.first + i];
  b.last_week.collective_efficacy = b.place.count ? ce / b.place.count : 0;
  b.last_week.active_share = 0.07;
  const double buurt_term = safety_buurt_term(p, b);
  for (std::uint32_t i = 0; i < b.place.count; ++i) {
    const std::uint32_t row = b.place.first + i;
    r.safety[row] = safety_target(p, buurt_term, r.social[row], r.safety_offset[row], false, false);
  }
}

void build_posts(World& w) {
  const ScenarioSpec& spec = *w.spec;
  const Params& p = *w.p;
  // Programme staff are spread over the programme's wijken by the allocation rule; the total
  // is what the same FTE norms give the whole programme area, times resources.
  double programme_residents = 0, weighted = 0;
  int programme_wijken = 0;
  for (const auto& wk : w.wijken) {
    if (!wk.in_programme) continue;
    programme_residents += wk.residents_total;
    weighted += wk.residents_total * p.classes[static_cast<std::size_t>(wk.wijk_class)].capacity;
    ++programme_wijken;
  }
  auto add_posts = [&](std::size_t role_index, std::uint32_t wi, std::int32_t buurt, const std::string& where, double hours) {
    if (hours <= 0) return;
    // Split into posts of at most one FTE so turnover hits people, not the whole role.
    const int n_posts = std::max(1, static_cast<int>(std::ceil(hours / p.staff.hours_per_fte - 1e-9)));
    for (int k = 0; k < n_posts; ++k) {
      Post post;
      post.role = static_cast<int>(role_index);
      post.wijk = wi;
      post.buurt = buurt;
      const std::string id = spec.roles[role_index].role + "/" + where + "/" + std::to_string(k);
      post.key = fnv1a64(id.data(), id.size());
      post.hours = hours / n_posts;
      post.relationship.assign(w.wijken[wi].buurt_count, 0.f);
      w.posts.push_back(std::move(post));
    }
  };
  for (std::size_t ri = 0; ri < spec.roles.size(); ++ri) {
    const RoleSpec& role = spec.roles[ri];
    for (std::uint32_t wi = 0; wi < w.wijken.size(); ++wi) {
      const Wijk& wk = w.wijken[wi];
      if (!role.programme) {
        // Regular services are staffed per buurt, by its own residents: a buurt's service does
        // not change when another buurt grows.
        for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
          const Buurt& b = w.buurten[wk.first_buurt + k];
          add_posts(ri, wi, static_cast<std::int32_t>(k), b.place.code,
                    role.fte_per_10k * b.place.residents_total / 10000.0 * p.staff.hours_per_fte);
        }
        continue;
      }
      if (!wk.in_programme) continue;
      double hours;
      if (role.leader) {
        hours = p.building_blocks.process_leadership * p.staff.leader_hours * p.building_blocks.resources;
      } else {
        const double total_fte = role.fte_per_10k * programme_residents / 10000.0 * p.building_blocks.resources;
        double share = 0;
        switch (static_cast<Allocation>(p.governance.allocation)) {
          case Allocation::by_class:
            share = weighted > 0 ? wk.residents_total * p.classes[static_cast<std::size_t>(wk.wijk_class)].capacity / weighted : 0;
            break;
          case Allocation::by_population:
            share = programme_residents > 0 ? wk.residents_total / programme_residents : 0;
            break;
          case Allocation::equal_per_wijk: share = 1.0 / programme_wijken; break;
        }
        hours = total_fte * share * p.staff.hours_per_fte;
      }
      add_posts(ri, wi, -1, wk.code, hours);
    }
  }
}

}  // namespace

void build_world(World& w, const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicate, ThreadPool& pool) {
  w.spec = &spec;
  w.p = &spec.params;
  w.seed = seed;
  w.replicate = replicate;
  for (std::uint32_t s = 1; s < w.keys.key.size(); ++s) w.keys.key[s] = stream_key(seed, replicate, static_cast<Stream>(s));
  const Params& p = spec.params;

  std::uint32_t rows = 0;
  for (const auto& ws : spec.city.wijken) {
    Wijk wk;
    wk.code = ws.code;
    wk.first_buurt = static_cast<std::uint32_t>(w.buurten.size());
    wk.buurt_count = static_cast<std::uint32_t>(ws.buurten.size());
    wk.in_programme = spec.programme_wijken.empty() ||
                      std::find(spec.programme_wijken.begin(), spec.programme_wijken.end(), ws.code) != spec.programme_wijken.end();
    double dep = 0;
    for (const auto& bs : ws.buurten) {
      Buurt b;
      b.place.code = bs.code;
      b.place.key = fnv1a64(bs.code.data(), bs.code.size());
      b.place.first = rows;
      b.place.count = static_cast<std::uint32_t>(bs.adults());
      b.place.wijk = static_cast<std::uint32_t>(w.wijken.size());
      b.place.residents_total = bs.residents;
      b.place.deprivation = bs.deprivation;
      b.place.crime_factor = model::recorded_crime_factor(p, bs);
      b.incidents.disorder = equilibrium_disorder(p, bs.deprivation);
      // Meeting places per 1,000 residents, capped so a tiny buurt with one place is not a village hall.
      b.place.meeting_places_per_1000 =
          std::min(2.0, bs.residents > 0 ? bs.meeting_places * 1000.0 / bs.residents : 0.0);
      b.place.participation_cost_factor =
          std::clamp(1.0 - p.initiatives.meeting_cost_relief *
                               (b.place.meeting_places_per_1000 - p.initiatives.meeting_places_ref),
                     0.5, 1.5);
      b.vision.level = p.building_blocks.vision;
      b.initiatives.list.reserve(32);
      rows += b.place.count;
      wk.residents_total += bs.residents;
      wk.adults += static_cast<int>(b.place.count);
      dep += bs.deprivation * bs.residents;
      w.buurten.push_back(std::move(b));
    }
    dep = wk.residents_total > 0 ? dep / wk.residents_total : 0.4;
    wk.wijk_class = ws.wijk_class >= 0 ? ws.wijk_class : derive_class(p, dep);
    wk.style = p.classes[static_cast<std::size_t>(wk.wijk_class)].style;
    wk.vision = p.building_blocks.vision;
    wk.urgency = p.building_blocks.urgency;
    w.wijken.push_back(std::move(wk));
  }
  w.residents.resize(rows);

  pool.parallel_for(w.buurten.size(), [&](std::size_t bi, unsigned) {
    Buurt& b = w.buurten[bi];
    const WijkSpec& ws = spec.city.wijken[b.place.wijk];
    synthesise_buurt(w, b, ws.buurten[bi - w.wijken[b.place.wijk].first_buurt]);
  });
  build_network(w, pool);
  pool.parallel_for(w.buurten.size(), [&](std::size_t bi, unsigned) { model::publish_views(w, w.buurten[bi]); });
  build_posts(w);

  // Council elections from the start date (week 0).
  w.election_weeks = election_weeks(p);
  w.step = 0;
  w.week = -static_cast<std::int32_t>(std::lround(p.simulation.burn_in));
}

}  // namespace wijksim
