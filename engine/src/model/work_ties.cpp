// Durable ties from working together (MODEL.md §4.13). Every week a running initiative's crew
// members reinforce ties to each other: member k to the next (up to) WorkTies::slots members
// of the crew in crew order, so ties spread over the crew instead of all pointing at the
// initiator. A tie lives in one of the member's fixed slots with the step it was last
// reinforced; its weight decays over years (network.work_tie_lifetime, read in sense.cpp), so
// it outlasts the initiative. A new tie takes an empty or stale slot, or else the oldest one
// not reinforced this week. Ties are written on the member's own row only: safe for a buurt's
// own worker even when crews mix residents of several buurten.
#include "wijksim/model/processes.hpp"

namespace wijksim::model {

namespace {

void reinforce(const Residents& r, WorkTies& t, std::uint32_t other, std::int32_t step) {
  int free = -1, oldest = -1;
  for (int k = 0; k < WorkTies::slots; ++k) {
    const auto ks = static_cast<std::size_t>(k);
    const std::uint32_t row = t.row[ks];
    const bool stale = row == WorkTies::none || r.arrived[row] > t.last[ks];
    if (!stale && row == other) {
      t.last[ks] = step;
      return;
    }
    if (stale) {
      if (free < 0) free = k;
    } else if (t.last[ks] < step && (oldest < 0 || t.last[ks] < t.last[static_cast<std::size_t>(oldest)])) {
      oldest = k;
    }
  }
  const int k = free >= 0 ? free : oldest;
  if (k < 0) return;  // every slot reinforced this week: the crew is larger than the slots
  t.row[static_cast<std::size_t>(k)] = other;
  t.last[static_cast<std::size_t>(k)] = step;
}

}  // namespace

void work_ties(World& w, const Buurt& b) {
  auto& r = w.residents;
  for (const auto& in : b.initiatives.list) {
    if (in.state != InitiativeState::running || in.crew_size < 2) continue;
    const int n = in.crew_size;
    const int reach = std::min(n - 1, WorkTies::slots);
    for (int k = 0; k < n; ++k) {
      const std::uint32_t row = b.place.first + in.crew[static_cast<std::size_t>(k)];
      r.flags[row] |= flag_work_ties;
      for (int j = 1; j <= reach; ++j)
        reinforce(r, r.work_ties[row], b.place.first + in.crew[static_cast<std::size_t>((k + j) % n)], w.step);
    }
  }
}

}  // namespace wijksim::model
