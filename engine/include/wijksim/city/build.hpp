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

// A resident's baseline institutional trust (MODEL.md §4.10): logit-normal around the lever,
// shifted by resources, age band and deprivation; z is a standard normal draw.
double baseline_trust(const Params& p, double ses, int band, double deprivation, double z);
// Draws a fresh profile into `row` (age band given): resources as for `ses_deprivation`, the
// trust and social-trust baselines for the buurt's `buurt_deprivation`. Used at build and for
// newcomers (mobility.cpp); the caller owns the stream.
void draw_resident(const World& w, Residents& r, std::uint32_t row, int band, double ses_deprivation,
                   double buurt_deprivation, CounterRng& rng);

// Equilibrium disorder of a buurt without a programme.
double equilibrium_disorder(const Params& p, double deprivation);

// Residents' safety target (MODEL.md §4.9), shared by initialisation and the weekly step: the
// buurt's part once per buurt, the personal part per resident. Centred terms: at average
// conditions the target is safety.base.
inline double safety_buurt_term(const Params& p, const Buurt& b) {
  const auto& s = p.safety;
  const double perceived_disorder = b.disorder + s.deprivation_bias * b.deprivation;
  return s.base + s.w_efficacy * (b.collective_efficacy - 0.3) - s.w_disorder * (perceived_disorder - 0.35) +
         s.w_presence * (b.presence - 0.3) + s.w_active * (b.active_share - 0.07);
}
inline float safety_target(const Params& p, double buurt_term, float social, float offset, bool heard, bool victim) {
  const auto& s = p.safety;
  double t = buurt_term + offset + s.w_social * (social - 0.5);
  if (heard) t -= s.w_heard;
  if (victim) t -= s.w_victim;
  return static_cast<float>(t < 0 ? 0 : (t > 1 ? 1 : t));
}

// Bytes a population of this many adults with this many ties is expected to need.
std::size_t estimated_bytes(std::size_t adults, double mean_ties, std::size_t buurten);
// The same for one simulation of a scenario's city.
std::size_t estimated_bytes(const ScenarioSpec& spec);
// Refuses, before anything is built, `concurrent` simulations of the spec that would need more
// than 90% of this machine's memory: InputError naming `file`, the estimate and the remedy.
void refuse_if_too_large(const ScenarioSpec& spec, std::size_t concurrent, const std::string& file);

}  // namespace wijksim
