#pragma once
// Everything one simulation owns: the spec it was built from, the state, and the keys of its
// random streams. Model processes are free functions over a World.
#include <array>
#include <cstdint>
#include <vector>

#include "wijksim/core/rng.hpp"
#include "wijksim/scenario/spec.hpp"
#include "wijksim/sim/state.hpp"

namespace wijksim {

struct StreamKeys {
  std::array<std::uint64_t, 17> key{};
  std::uint64_t operator[](Stream s) const { return key[static_cast<std::size_t>(s)]; }
};

// Per-thread work space, sized once for the largest buurt: the weekly step never allocates.
struct Scratch {
  std::vector<float> tie_active, tie_fear, tie_tired, hk_target, news_good, news_bad, weight;
  std::vector<std::uint8_t> heard;
  // Four uniforms per resident per week from the keyed counter hash (counter_uniforms4),
  // shared by the per-resident processes (one slot each): one hash call per resident-week.
  std::vector<std::array<float, 4>> draws;
  void reserve(std::size_t n) {
    for (auto* v : {&tie_active, &tie_fear, &tie_tired, &hk_target, &news_good, &news_bad, &weight}) v->assign(n, 0.f);
    heard.assign(n, 0);
    draws.assign(n, {});
  }
};
// Slots of Scratch::draws.
enum : int { draw_outreach = 0, draw_participation = 1, draw_initiator = 2, draw_vision = 3 };

struct World {
  const ScenarioSpec* spec = nullptr;
  const Params* p = nullptr;
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  StreamKeys keys;

  Residents residents;
  std::vector<Buurt> buurten;
  std::vector<Wijk> wijken;
  std::vector<Post> posts;
  ProgrammeState programme;
  Wethouder wethouder;

  std::int32_t step = 0;  // weeks since the start of burn-in: the week key of random draws
  std::int32_t week = 0;  // weeks since the start date (negative during burn-in)
  std::vector<std::int32_t> election_weeks;
  std::vector<double> buurt_scratch, buurt_scratch2, buurt_scratch3;  // serial processes' work space

  // Programme state as it applies this week (set by governance).
  const PhaseSpec* phase() const {
    return programme.alive && programme.phase >= 0 ? &spec->phases[static_cast<std::size_t>(programme.phase)] : nullptr;
  }
  double process_leadership() const {
    return programme.alive ? p->building_blocks.process_leadership : 0.0;
  }
  // Effective anchoring (MODEL.md 7.1.4): the institutional part of the lever A plus the part the
  // wijkwethouder holds in person, which a new wethouder has to build up again.
  double anchoring() const {
    const double a = p->building_blocks.anchoring, s = p->wethouder.personal_share;
    return a * ((1.0 - s) + s * wethouder.commitment);
  }
  CounterRng rng(Stream s, EntityId e) const { return CounterRng(keys[s], e, step); }
  EntityId resident_id(const Buurt& b, std::uint32_t local) const { return EntityId{b.place.key, local}; }
};

}  // namespace wijksim
