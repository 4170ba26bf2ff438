#include "wijksim/sim/invariants.hpp"

#include <cmath>
#include <sstream>

namespace wijksim {

namespace {
bool unit_interval(float x) { return std::isfinite(x) && x >= 0.f && x <= 1.f; }
bool unit_interval(double x) { return std::isfinite(x) && x >= 0.0 && x <= 1.0; }
}  // namespace

std::string check_invariants(const World& w) {
  const auto& r = w.residents;
  std::ostringstream os;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (!unit_interval(r.trust[i]) || !unit_interval(r.social[i]) || !unit_interval(r.efficacy[i]) ||
        !unit_interval(r.safety[i]) || !std::isfinite(r.frustration[i]) || r.frustration[i] < 0.f) {
      os << "resident row " << i << " out of range: T=" << r.trust[i] << " S=" << r.social[i] << " E=" << r.efficacy[i]
         << " P=" << r.safety[i] << " F=" << r.frustration[i];
      return os.str();
    }
  }
  std::uint64_t rows = 0;
  for (const auto& b : w.buurten) {
    if (b.place.first != rows) return "buurt " + b.place.code + " is not contiguous with the previous one";
    rows += b.place.count;
    if (!unit_interval(b.incidents.disorder) || !unit_interval(b.vision.level) || !unit_interval(b.hours.presence))
      return "buurt " + b.place.code + ": disorder, vision or presence outside [0, 1]";
    if (!std::isfinite(b.gov.programme_budget) || b.gov.programme_budget < -1e-6 ||
        !std::isfinite(b.gov.baseline_budget) || b.gov.baseline_budget < -1e-6 || !std::isfinite(b.money.euros_spent) ||
        b.money.euros_spent < 0)
      return "buurt " + b.place.code + ": a budget is negative or not finite";
    if (b.outreach.reached > static_cast<int>(b.place.count) ||
        b.vision.vision_participants > static_cast<int>(b.place.count))
      return "buurt " + b.place.code + ": more residents reached than live there";
    // The counters follow the cohort of initiatives created from week 0.
    if (b.initiatives.approved + b.initiatives.refused > b.initiatives.proposed ||
        b.initiatives.completed > b.initiatives.approved || b.initiatives.failed < 0)
      return "buurt " + b.place.code + ": initiative counts not conserved";
    for (const auto& in : b.initiatives.list) {
      if (in.state == InitiativeState::completed || in.state == InitiativeState::failed || in.state == InitiativeState::refused)
        return "buurt " + b.place.code + ": a finished initiative is still listed";
      if (!(in.progress >= 0 && in.progress <= in.hours_needed + 1e-3f) || !(in.reserved >= -1e-3f))
        return "buurt " + b.place.code + ": initiative progress or money out of range";
      for (int k = 0; k < in.crew_size; ++k)
        if (in.crew[static_cast<std::size_t>(k)] >= b.place.count)
          return "buurt " + b.place.code + ": crew member outside the buurt";
    }
  }
  if (rows != r.size()) return "buurten do not cover every resident row";
  if (r.tie_offsets.size() != r.size() + 1 || r.tie_offsets.back() != r.ties.size()) return "tie offsets inconsistent";
  for (auto t : r.ties)
    if (t >= r.size()) return "a tie points outside the population";
  return {};
}

}  // namespace wijksim
