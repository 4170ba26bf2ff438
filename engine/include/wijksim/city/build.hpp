#pragma once
// Builds a World from a spec: wijken and buurten, the synthetic population (one agent per
// resident aged 15+, each buurt a contiguous block), the social network and the posts of
// professionals. Draws are keyed by stable ids, so a buurt's people and ties do not change
// when another buurt changes.
#include "wijksim/core/thread_pool.hpp"
#include "wijksim/sim/world.hpp"

namespace wijksim {

void build_world(World& w, const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicate,
                 ThreadPool& pool);

// Equilibrium disorder of a buurt without a programme.
double equilibrium_disorder(const Params& p, double deprivation);

// Residents' personal safety target (MODEL.md §4.9), shared by initialisation and the weekly step.
float safety_target(const Params& p, const Buurt& b, float social, float offset, bool heard, bool victim);

// Bytes a population of this many adults with this many ties is expected to need.
std::size_t estimated_bytes(std::size_t adults, double mean_ties, std::size_t buurten);

}  // namespace wijksim
