#include "wijksim/model/processes.hpp"

namespace wijksim::model {

bool programme_reaches(const World& w, const Buurt& b) { return w.programme.alive && b.in_programme; }

void add_bad_experience(Residents& r, std::uint32_t row) {
  if (r.bad_experiences[row] < 255) ++r.bad_experiences[row];
}
void add_good_experience(Residents& r, std::uint32_t row) {
  if (r.good_experiences[row] < 255) ++r.good_experiences[row];
}

void publish_views(World& w, const Buurt& b) {
  auto& r = w.residents;
  for (std::uint32_t row = b.first; row < b.first + b.count; ++row) {
    const int net = static_cast<int>(r.good_experiences[row]) - static_cast<int>(r.bad_experiences[row]);
    r.view[row] = NeighbourView{pack_view(r.trust[row], 1.f - r.safety[row], r.engagement[row] != Engagement::passive,
                                          net > 0, net < 0, r.victim_now[row] != 0)};
    r.good_experiences[row] = 0;
    r.bad_experiences[row] = 0;
    r.victim_now[row] = 0;
  }
}

}  // namespace wijksim::model
