#pragma once
// Simulation: the state built from a spec and the weekly step, a short ordered list of named
// processes (MODEL.md §4), each timed.
#include <array>
#include <chrono>
#include <vector>

#include "wijksim/core/thread_pool.hpp"
#include "wijksim/sim/metrics.hpp"
#include "wijksim/sim/world.hpp"

namespace wijksim {

enum class Phase : int {
  build, governance, professional_time, sense_ties, outreach, participation, vision, initiatives, incidents,
  safety, trust, observe, turnover, publish, mobility, work_ties, count
};
inline constexpr std::size_t phase_count = static_cast<std::size_t>(Phase::count);
std::string_view phase_name(Phase p);
using PhaseSeconds = std::array<double, phase_count>;

class Simulation {
 public:
  // Builds the population and network; burn-in happens in run_burn_in().
  Simulation(const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicate, ThreadPool& pool);

  void run_burn_in();  // weeks before the start date, not observed
  void step();         // simulates World::week, then advances it

  const World& world() const { return w_; }
  World& world() { return w_; }
  std::int32_t week() const { return w_.week; }
  std::int32_t last_week() const { return last_week_; }
  bool done() const { return w_.week > last_week_; }

  // Tallies of the week last stepped.
  const std::vector<Tally>& buurt_tallies() const { return buurt_tally_; }
  const std::vector<Tally>& wijk_tallies() const { return wijk_tally_; }
  const Tally& city_tally() const { return city_tally_; }
  const PhaseSeconds& seconds() const { return seconds_; }

 private:
  World w_;
  ThreadPool& pool_;
  std::vector<Scratch> scratch_;
  // Buurten each worker owns, contiguous and balanced by adults: the same every week, so a
  // buurt's data stays in one core's cache. Results do not depend on this split.
  std::vector<std::pair<std::size_t, std::size_t>> worker_buurten_;
  std::vector<PhaseSeconds> worker_seconds_;
  PhaseSeconds seconds_{};
  std::vector<Tally> buurt_tally_, wijk_tally_;
  Tally city_tally_{};
  std::int32_t last_week_ = 0;
};

}  // namespace wijksim
