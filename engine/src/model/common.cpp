#include "wijksim/model/processes.hpp"

namespace wijksim::model {

bool programme_reaches(const World& w, const Buurt& b) { return w.programme.alive && b.gov.in_programme; }

void add_bad_experience(Residents& r, std::uint32_t row) {
  if (r.bad_experiences[row] < 255) ++r.bad_experiences[row];
}
void add_good_experience(Residents& r, std::uint32_t row) {
  if (r.good_experiences[row] < 255) ++r.good_experiences[row];
}

void publish_views(World& w, const Buurt& b) {
  auto& r = w.residents;
  // Local restrict pointers and a hoisted count: the byte stores below could otherwise alias
  // anything (char types), which keeps the compiler from vectorising the loop.
  const std::uint32_t n = b.place.count, first = b.place.first;
  const float* __restrict trust = r.trust.data() + first;
  const float* __restrict safety = r.safety.data() + first;
  const Engagement* __restrict engagement = r.engagement.data() + first;
  const float* __restrict fatigue = r.fatigue.data() + first;
  const float tired = static_cast<float>(w.p->participation.fatigue_tired);
  std::uint8_t* __restrict good = r.good_experiences.data() + first;
  std::uint8_t* __restrict bad = r.bad_experiences.data() + first;
  std::uint8_t* __restrict victim = r.victim_now.data() + first;
  NeighbourView* __restrict view = r.view.data() + first;
  for (std::uint32_t i = 0; i < n; ++i) {
    const int net = static_cast<int>(good[i]) - static_cast<int>(bad[i]);
    view[i] = NeighbourView{pack_view(trust[i], 1.f - safety[i], engagement[i] != Engagement::passive, net > 0, net < 0, victim[i] != 0,
                                       fatigue[i] > tired)};
  }
  std::fill_n(good, n, std::uint8_t{0});
  std::fill_n(bad, n, std::uint8_t{0});
  std::fill_n(victim, n, std::uint8_t{0});
}

}  // namespace wijksim::model
