// Up-front memory check for `wijksim run` and `wijksim experiment`: a city too large for the
// machine is refused with the estimate before a single resident is built (README, "Performance
// and limits").
#include <unistd.h>

#include <algorithm>

#include "wijksim/city/build.hpp"
#include "wijksim/core/error.hpp"

namespace wijksim {

std::size_t estimated_bytes(const ScenarioSpec& spec) {
  std::size_t adults = 0, buurten = 0;
  for (const auto& w : spec.city.wijken)
    for (const auto& b : w.buurten) {
      adults += static_cast<std::size_t>(b.adults());
      ++buurten;
    }
  return estimated_bytes(adults, 0.5 * (spec.params.network.ties_min + spec.params.network.ties_max), buurten);
}

void refuse_if_too_large(const ScenarioSpec& spec, std::size_t concurrent, const std::string& file) {
  concurrent = std::max<std::size_t>(1, concurrent);
  const std::size_t need = estimated_bytes(spec) * concurrent;
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return;  // unknown: let the allocator decide
  const std::size_t limit = static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) / 10 * 9;
  if (need > limit)
    throw InputError(std::vector<Problem>{
        {file, "city",
         "needs about " + std::to_string(need >> 20) + " MiB for " + std::to_string(concurrent) +
             " concurrent simulation(s) (about " + std::to_string(estimated_bytes(spec) >> 20) +
             " MiB each), more than 90% of this machine's memory (" + std::to_string(limit >> 20) +
             " MiB); expected fewer threads or a smaller city"}});
}

}  // namespace wijksim
