// The weekly step allocates nothing (issue "City-scale speed"): every buffer a step needs is
// sized when the simulation is built. This executable replaces the global operator new with a
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

void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

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
