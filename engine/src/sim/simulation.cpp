#include "wijksim/sim/simulation.hpp"

#include <algorithm>
#include <cmath>

#include "wijksim/city/build.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/model/processes.hpp"
#include "wijksim/sim/invariants.hpp"

namespace wijksim {

namespace {
using Clock = std::chrono::steady_clock;
constexpr std::array<std::string_view, phase_count> kPhaseNames = {
    "build", "governance", "professional_time", "sense_ties", "outreach", "participation", "vision",
    "initiatives", "incidents", "safety", "trust", "observe", "turnover", "publish", "mobility", "work_ties"};

double since(Clock::time_point& t) {
  const auto now = Clock::now();
  const double s = std::chrono::duration<double>(now - t).count();
  t = now;
  return s;
}
}  // namespace

std::string_view phase_name(Phase p) { return kPhaseNames[static_cast<std::size_t>(p)]; }

Simulation::Simulation(const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicate, ThreadPool& pool)
    : pool_(pool) {
  auto t = Clock::now();
  build_world(w_, spec, seed, replicate, pool);
  std::uint32_t largest = 0;
  for (const auto& b : w_.buurten) largest = std::max(largest, b.place.count);
  scratch_.resize(pool.size());
  for (auto& s : scratch_) s.reserve(largest);
  worker_seconds_.assign(pool.size(), PhaseSeconds{});
  double total = 0;
  for (const auto& b : w_.buurten) total += b.place.count + 1.0;
  std::size_t begin = 0;
  double acc = 0;
  for (unsigned k = 0; k < pool.size(); ++k) {
    std::size_t end = begin;
    const double share = total * (k + 1) / pool.size();
    while (end < w_.buurten.size() &&
           (acc + w_.buurten[end].place.count + 1.0 <= share + 1e-9 || k + 1 == pool.size())) {
      acc += w_.buurten[end].place.count + 1.0;
      ++end;
    }
    worker_buurten_.emplace_back(begin, end);
    begin = end;
  }
  buurt_tally_.assign(w_.buurten.size(), Tally{});
  wijk_tally_.assign(w_.wijken.size(), Tally{});
  last_week_ = static_cast<std::int32_t>(std::lround(spec.params.simulation.years));
  seconds_[static_cast<std::size_t>(Phase::build)] += since(t);
}

void Simulation::run_burn_in() {
  while (w_.week < 0) step();
}

void Simulation::step() {
  auto t = Clock::now();
  auto& sec = seconds_;
  model::governance(w_);
  sec[static_cast<std::size_t>(Phase::governance)] += since(t);
  model::professional_time(w_);
  sec[static_cast<std::size_t>(Phase::professional_time)] += since(t);

  auto buurt_step = [&](std::size_t bi, unsigned worker) {
    Buurt& b = w_.buurten[bi];
    Scratch& s = scratch_[worker];
    auto& ws = worker_seconds_[worker];
    auto tb = Clock::now();
    auto mark = [&](Phase ph) { ws[static_cast<std::size_t>(ph)] += since(tb); };
    model::residential_mobility(w_, b);
    mark(Phase::mobility);
    model::sense_ties(w_, b, s);
    mark(Phase::sense_ties);
    model::outreach(w_, b, s);
    mark(Phase::outreach);
    model::participation(w_, b, s);
    mark(Phase::participation);
    model::vision_formation(w_, b, s);
    mark(Phase::vision);
    model::initiatives(w_, b);
    model::casework(w_, b);
    model::expectations(w_, b);  // after this week's invitations and results
    mark(Phase::initiatives);
    model::work_ties(w_, b);
    mark(Phase::work_ties);
    model::incidents_and_disorder(w_, b);
    mark(Phase::incidents);
    model::perceived_safety(w_, b, s);
    mark(Phase::safety);
    model::trust_dynamics(w_, b, s);
    mark(Phase::trust);
    // Observation, and the buurt's own aggregates for next week's processes.
    Tally& tally = buurt_tally_[bi];
    tally = tally_buurt(w_, b, w_.week);
    const double adults = at(tally, TallyField::adults);
    b.last_week.active_share = adults > 0 ? at(tally, TallyField::active) / adults : 0;
    b.last_week.unsafe_share = adults > 0 ? at(tally, TallyField::unsafe) / adults : 0;
    b.last_week.collective_efficacy = adults > 0 ? at(tally, TallyField::sum_efficacy_social) / adults : 0;
    mark(Phase::observe);
  };
  pool_.on_every_worker([&](unsigned worker) {
    for (std::size_t bi = worker_buurten_[worker].first; bi < worker_buurten_[worker].second; ++bi) buurt_step(bi, worker);
  });
  t = Clock::now();
  model::staff_turnover(w_);
  sec[static_cast<std::size_t>(Phase::turnover)] += since(t);
  pool_.on_every_worker([&](unsigned worker) {
    for (std::size_t bi = worker_buurten_[worker].first; bi < worker_buurten_[worker].second; ++bi)
      model::publish_views(w_, w_.buurten[bi]);
  });
  sec[static_cast<std::size_t>(Phase::publish)] += since(t);

  // Wijk and city tallies: sums in a fixed order, so identical on any thread count.
  city_tally_ = Tally{};
  for (std::size_t wi = 0; wi < w_.wijken.size(); ++wi) {
    Wijk& wk = w_.wijken[wi];
    Tally& wt = wijk_tally_[wi];
    wt = Tally{};
    double vision = 0;
    for (std::uint32_t k = 0; k < wk.buurt_count; ++k) {
      const Tally& bt = buurt_tally_[wk.first_buurt + k];
      for (std::size_t f = 0; f < wt.size(); ++f) wt[f] += bt[f];
      vision += w_.buurten[wk.first_buurt + k].vision.level * at(bt, TallyField::adults);
    }
    const double adults = at(wt, TallyField::adults), residents = at(wt, TallyField::residents);
    wk.unsafe_share = adults > 0 ? at(wt, TallyField::unsafe) / adults : 0;
    wk.disorder = residents > 0 ? at(wt, TallyField::disorder_x_residents) / residents : 0;
    wk.incidents_rate = residents > 0 ? at(wt, TallyField::incidents) / residents : 0;
    wk.vision = adults > 0 ? vision / adults : w_.p->building_blocks.vision;
    for (std::size_t f = 0; f < wt.size(); ++f) city_tally_[f] += wt[f];
  }
  sec[static_cast<std::size_t>(Phase::observe)] += since(t);
  for (auto& ws : worker_seconds_) {
    for (std::size_t i = 0; i < phase_count; ++i) sec[i] += ws[i];
    ws = PhaseSeconds{};
  }
#ifndef NDEBUG
  if (const std::string broken = check_invariants(w_); !broken.empty())
    throw RuntimeFailure("invariant violated in week " + std::to_string(w_.week) + ": " + broken);
#endif
  ++w_.week;
  ++w_.step;
}

}  // namespace wijksim
