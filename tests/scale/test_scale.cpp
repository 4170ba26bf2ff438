// Scale properties that are not timings: the weekly step allocates nothing (every buffer a step
// needs is sized when the simulation is built), and a city of a million residents is as
// deterministic as a small one. This executable replaces the global operator new with a
// counting one, so it lives apart from the other tests.
#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wijksim/core/thread_pool.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/sim/simulation.hpp"

namespace {
std::atomic<long> g_allocations{0};
std::atomic<bool> g_counting{false};
}  // namespace

// GCC inlines these deletes and then sees free() of memory from operator new; it cannot tell
// that the operator new below is malloc. The pairs match, so that warning is switched off here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
// The nothrow forms too: every allocation must come from the malloc that the deletes below
// free (ASan checks that they match).
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return ::operator new(n, t); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

// Steps `weeks` weeks of the scenario after burn-in and returns the allocations they made.
long allocations_in_steps(const nlohmann::json& doc, unsigned threads, int weeks) {
  const auto spec = wijksim::load_scenario_json(doc, "no-allocation");
  wijksim::ThreadPool pool(threads);
  wijksim::Simulation sim(spec, 7, 0, pool);
  sim.run_burn_in();
  // The first weeks may still grow per-run containers to their high-water mark (initiatives,
  // posts); what must hold is that a running simulation does not keep allocating.
  for (int k = 0; k < 26 && !sim.done(); ++k) sim.step();
  g_allocations = 0;
  g_counting = true;
  int stepped = 0;
  for (; stepped < weeks && !sim.done(); ++stepped) sim.step();
  g_counting = false;
  REQUIRE(stepped == weeks);
  return g_allocations.load();
}

}  // namespace

TEST_CASE("the allocation counter counts", "[scale]") {
  g_allocations = 0;
  g_counting = true;
  auto* v = new std::vector<int>(100);
  g_counting = false;
  delete v;
  CHECK(g_allocations.load() == 2);  // the vector and its buffer
}

TEST_CASE("the weekly step allocates no memory once a run is under way", "[scale]") {
  auto doc = wijksim::test::small_generated_scenario(4.0, 0.25);
  for (unsigned threads : {1u, 2u}) {
    INFO("threads " << threads);
    CHECK(allocations_in_steps(doc, threads, 150) == 0);
  }
}

TEST_CASE("a city of a million residents gives the same tallies on 1 and 2 threads", "[scale]") {
  // Determinism at benchmark scale (bench/: 112 wijken of 5 generated buurten, ~1M residents):
  // every buurt, wijk and city tally of every week, burn-in included, bit for bit.
  const nlohmann::json doc = {
      {"name", "million"},
      {"city",
       {{"generate",
         {{"wijken", 112},
          {"buurten_per_wijk", {5, 5}},
          {"residents_per_buurt", {{"median", 1500}, {"sigma", 0.6}, {"min", 50}, {"max", 20000}}},
          {"deprivation", {0.1, 0.8}},
          {"seed", 1}}}}},
      {"simulation", {{"years", 0.15}, {"burn_in", 0.05}}}};
  const auto spec = wijksim::test::load(doc);
  long long residents = 0;
  for (const auto& w : spec.city.wijken)
    for (const auto& b : w.buurten) residents += b.residents;
  REQUIRE(residents > 900'000);
  const auto one = wijksim::test::trace_simulation(spec, 5, 0, 1, true);
  const auto two = wijksim::test::trace_simulation(spec, 5, 0, 2, true);
  REQUIRE(one.weeks.size() == two.weeks.size());
  REQUIRE(one.weeks.size() >= 8);
  for (std::size_t k = 0; k < one.weeks.size(); ++k) {
    INFO("week " << one.weeks[k].week);
    for (std::size_t i = 0; i < one.weeks[k].buurt.size(); ++i) REQUIRE(wijksim::test::same_bits(one.weeks[k].buurt[i], two.weeks[k].buurt[i]));
    REQUIRE(wijksim::test::same_bits(one.weeks[k].city, two.weeks[k].city));
  }
}
