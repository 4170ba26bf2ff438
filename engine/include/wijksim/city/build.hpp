#pragma once
// Builds a World from a spec: wijken and buurten, the synthetic population (one agent per
// resident aged 15+, each buurt a contiguous block), the social network and the posts of
// professionals. Draws are keyed by stable ids, so a buurt's people and ties do not change
// when another buurt changes.
#include "wijksim/core/thread_pool.hpp"
#include "wijksim/model/baselines.hpp"  // the model formulas the build shares with the step
#include "wijksim/sim/world.hpp"

namespace wijksim {

void build_world(World& w, const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicate,
                 ThreadPool& pool);

// Draws a fresh profile into `row` (age band given): resources as for `ses_deprivation`, the
// trust and social-trust baselines for the buurt's `buurt_deprivation`. Used at build and for
// newcomers (mobility.cpp); the caller owns the stream.
void draw_resident(const World& w, Residents& r, std::uint32_t row, int band, double ses_deprivation,
                   double buurt_deprivation, CounterRng& rng);

// Bytes a population of this many adults with this many ties is expected to need.
std::size_t estimated_bytes(std::size_t adults, double mean_ties, std::size_t buurten);
// The same for one simulation of a scenario's city.
std::size_t estimated_bytes(const ScenarioSpec& spec);
// Refuses, before anything is built, `concurrent` simulations of the spec that would need more
// than 90% of this machine's memory: InputError naming `file`, the estimate and the remedy.
void refuse_if_too_large(const ScenarioSpec& spec, std::size_t concurrent, const std::string& file);

}  // namespace wijksim
