// Staff turnover (MODEL.md §4.11): each professional leaves with a weekly hazard; the post
// stays vacant for some weeks and the successor starts without relationship capital.
#include <algorithm>
#include <cmath>

#include "wijksim/model/processes.hpp"

namespace wijksim::model {

void staff_turnover(World& w) {
  const Params& p = *w.p;
  for (auto& post : w.posts) {
    if (w.week < post.vacant_until) continue;
    const RoleSpec& role = w.spec->roles[static_cast<std::size_t>(post.role)];
    if (role.programme && !w.programme.alive) continue;
    ++post.tenure;
    CounterRng rng = w.rng(Stream::turnover, EntityId{post.key, 0});
    if (rng.uniform() < p.staff.turnover) {
      post.vacant_until = w.week + static_cast<std::int32_t>(std::lround(p.staff.vacancy_weeks));
      std::fill(post.relationship.begin(), post.relationship.end(), 0.f);
      post.tenure = 0;
    }
  }
}

}  // namespace wijksim::model
