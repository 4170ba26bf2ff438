// The social network: directed ties (whom a resident hears from), mostly inside the buurt on
// a small-world ring (Watts & Strogatz 1998), a share to other buurten of the same wijk.
// Each resident's ties come from that resident's own random stream, so a buurt's network
// does not change when another buurt changes (except ties pointing into the changed buurt).
#include <algorithm>

#include "wijksim/city/build.hpp"

namespace wijksim {

namespace {

std::uint32_t tie_count(const Params& p, CounterRng& rng) {
  const auto lo = static_cast<std::uint32_t>(p.network.ties_min);
  const auto hi = static_cast<std::uint32_t>(p.network.ties_max);
  return lo + static_cast<std::uint32_t>(rng.uniform() * (hi - lo + 1));
}

}  // namespace

void build_network(World& w, ThreadPool& pool) {
  const Params& p = *w.p;
  auto& r = w.residents;
  const std::size_t n = r.size();
  // Other buurten a cross-buurt tie can reach: the non-empty buurten of the same wijk.
  std::vector<std::vector<std::uint32_t>> peopled(w.wijken.size());
  for (std::uint32_t bi = 0; bi < w.buurten.size(); ++bi)
    if (w.buurten[bi].place.count > 0) peopled[w.buurten[bi].place.wijk].push_back(bi);
  // A resident has ties when someone else lives in the buurt or elsewhere in the wijk.
  auto has_ties = [&](const Buurt& b) {
    return b.place.count > 1 || (b.place.count == 1 && peopled[b.place.wijk].size() > 1);
  };
  std::vector<std::uint32_t> degree(n, 0);
  // Pass 1: degrees (the first draw of each resident's network stream).
  pool.parallel_for(w.buurten.size(), [&](std::size_t bi, unsigned) {
    const Buurt& b = w.buurten[bi];
    for (std::uint32_t i = 0; i < b.place.count; ++i) {
      CounterRng rng(w.keys[Stream::network], w.resident_id(b, i), 0);
      degree[b.place.first + i] = has_ties(b) ? tie_count(p, rng) : 0u;
    }
  });
  r.tie_offsets.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) r.tie_offsets[i + 1] = r.tie_offsets[i] + degree[i];
  r.ties.assign(r.tie_offsets[n], 0);
  // Pass 2: targets, continuing the same streams.
  pool.parallel_for(w.buurten.size(), [&](std::size_t bi, unsigned) {
    const Buurt& b = w.buurten[bi];
    const auto& others = peopled[b.place.wijk];  // includes b itself when b is peopled
    const bool can_cross = others.size() > 1;
    for (std::uint32_t i = 0; i < b.place.count; ++i) {
      const std::uint32_t row = b.place.first + i;
      CounterRng rng(w.keys[Stream::network], w.resident_id(b, i), 0);
      const std::uint32_t k = tie_count(p, rng);
      if (degree[row] == 0) continue;
      const std::uint32_t half = std::max<std::uint32_t>(1, (k + 1) / 2);
      for (std::uint32_t t = 0; t < k; ++t) {
        std::uint32_t target;
        const double u = rng.uniform();
        const double v = rng.uniform();
        const bool cross = can_cross && (u < p.network.cross_buurt || b.place.count == 1);
        if (cross) {
          // Another peopled buurt of the wijk, then a uniform resident in it. Never a self-tie.
          auto k_other = static_cast<std::uint32_t>(v * static_cast<double>(others.size() - 1));
          const auto self = static_cast<std::uint32_t>(std::find(others.begin(), others.end(), bi) - others.begin());
          if (k_other >= self) ++k_other;
          const Buurt& ob = w.buurten[others[k_other]];
          target = ob.place.first + static_cast<std::uint32_t>(rng.uniform() * ob.place.count);
        } else if (v < p.network.rewire) {
          auto j = static_cast<std::uint32_t>(rng.uniform() * (b.place.count - 1));
          if (j >= i) ++j;
          target = b.place.first + j;
        } else {
          // Ring neighbour: alternate sides, distance 1..half.
          const std::uint32_t dist = 1 + (t / 2) % half;
          const std::uint32_t j =
              (t % 2 == 0) ? (i + dist) % b.place.count : (i + b.place.count - dist % b.place.count) % b.place.count;
          target = b.place.first + (j == i ? (i + 1) % b.place.count : j);
        }
        r.ties[r.tie_offsets[row] + t] = target;
      }
    }
  });
}

}  // namespace wijksim
