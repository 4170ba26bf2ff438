// Resident self-organisation (MODEL.md §7.7.1). Residents who helped carry an initiative to
// completion become organisers (flag_organiser, set in initiatives.cpp). The core of a buurt is
// its organisers who are still active and know another organiser (a tie inside the buurt).
// Once the core reaches a critical mass a bewonersgroep forms; while it exists it proposes
// initiatives of its own, gives running initiatives the support professionals would otherwise
// give, and invites its members' ties to take part. A group whose core has shrunk below a
// minimum (members moved away, burned out, dropped out) collapses with a weekly hazard. So what
// a programme leaves behind is people who know how, and know each other.
#include <algorithm>
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {
namespace {

// Expected count x as floor(x) plus one more with probability frac(x).
int draw_count(double x, CounterRng& rng) {
  const double whole = std::floor(x);
  return static_cast<int>(whole) + (rng.uniform() < x - whole ? 1 : 0);
}

bool organiser_active(const Residents& r, std::uint32_t row) {
  return (r.flags[row] & flag_organiser) && r.engagement[row] != Engagement::passive;
}

}  // namespace

double group_support_hours(const Params& p, const Buurt& b) {
  return b.group.group_active ? p.self_organisation.support_hours * b.group.group_core : 0.0;
}

void self_organisation(World& w, Buurt& b) {
  const Params& p = *w.p;
  const auto& sp = p.self_organisation;
  auto& r = w.residents;
  CounterRng rng = w.rng(Stream::initiatives, EntityId{b.place.key, 0xFFFFFFF0u});
  const std::uint32_t first = b.place.first, last = b.place.first + b.place.count;
  int core = 0;
  for (std::uint32_t row = first; row < last; ++row) {
    if (!(r.flags[row] & flag_organiser)) continue;
    if (r.engagement[row] == Engagement::passive) {
      // Know-how that is not used fades: after some years an inactive organiser is a resident again.
      if (rng.uniform() < sp.organiser_fade) r.flags[row] &= static_cast<std::uint8_t>(~flag_organiser);
      continue;
    }
    for (std::uint32_t k = r.tie_offsets[row]; k < r.tie_offsets[row + 1]; ++k) {
      const std::uint32_t j = r.ties[k];
      if (j >= first && j < last && j != row && organiser_active(r, j)) {
        ++core;
        break;
      }
    }
  }
  b.group.group_core = core;
  if (!b.group.group_active) {
    if (core >= sp.critical_mass && rng.uniform() < sp.formation_rate) {
      b.group.group_active = true;
      b.group.group_since = w.week;
      ++b.group.groups_formed;
    }
  } else if (rng.uniform() < sp.base_hazard + (core < sp.min_core ? sp.collapse_hazard : 0.0)) {
    b.group.group_active = false;
    ++b.group.groups_collapsed;
  }
  if (!b.group.group_active || core == 0 || b.place.count == 0) return;

  // The group's own ideas: a core member free of crew duty becomes their initiator (the idea is
  // picked up by next week's initiatives step, like any other initiator's).
  const int ideas = draw_count(sp.initiative_rate * core, rng);
  for (int n = 0; n < ideas; ++n) {
    for (int attempt = 0; attempt < 16; ++attempt) {
      const std::uint32_t row = first + static_cast<std::uint32_t>(rng.uniform() * b.place.count) % b.place.count;
      if (!organiser_active(r, row) || (r.flags[row] & (flag_in_crew | flag_wants_initiative))) continue;
      r.engagement[row] = Engagement::initiator;
      r.flags[row] |= flag_wants_initiative;
      break;
    }
  }
  // Members invite their ties: a neighbour asking counts as an invitation to take part.
  const auto until = w.week + static_cast<std::int32_t>(std::lround(p.participation.invite_weeks));
  for (std::uint32_t row = first; row < last; ++row) {
    if (!organiser_active(r, row)) continue;
    const std::uint32_t deg = r.tie_offsets[row + 1] - r.tie_offsets[row];
    if (deg == 0) continue;
    const int invites = draw_count(sp.invite_rate, rng);
    for (int n = 0; n < invites; ++n) {
      const std::uint32_t j = r.ties[r.tie_offsets[row] + static_cast<std::uint32_t>(rng.uniform() * deg) % deg];
      if (j >= first && j < last && r.engagement[j] == Engagement::passive) r.invited_until[j] = std::max(r.invited_until[j], until);
    }
  }
}

}  // namespace wijksim::model
