#pragma once
// Counter-based random numbers (Philox4x32-10, Salmon et al. 2011).
//
// Every draw is a pure function of (seed, replicate, stream, entity, week, draw index), so
// - results do not depend on thread count or on the order in which entities are visited;
// - two scenarios run with the same seed draw the same numbers wherever their entities and
//   weeks coincide (common random numbers), and differ only where their policy differs.
// Boost.Random distributions sit on top: their algorithms are fixed across platforms.
#include <array>
#include <cstdint>
#include <limits>

namespace wijksim {

// Named streams, one per process. Never reorder: the numbers are part of the output contract.
enum class Stream : std::uint32_t {
  population = 1,
  network = 2,
  governance = 3,
  staff = 4,
  outreach = 5,
  participation = 6,
  vision = 7,
  initiatives = 8,
  incidents = 9,
  safety = 10,
  trust = 11,
  turnover = 12,
  shocks = 13,
  city = 14,
  resident_week = 15,  // one block per resident per week, a slot per process
  mobility = 16,       // residential moves: per buurt-week (who moves), per newcomer (profile)
};

inline constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// 64-bit FNV-1a, used to turn stable names (CBS codes) into entity keys.
inline constexpr std::uint64_t fnv1a64(const char* s, std::size_t n) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(s[i]);
    h *= 0x100000001B3ULL;
  }
  return h;
}

// Key of one stream of one replicate of one seed: computed once, reused for every draw.
inline constexpr std::uint64_t stream_key(std::uint64_t seed, std::uint32_t replicate,
                                          Stream stream) noexcept {
  return splitmix64(splitmix64(splitmix64(seed) ^ replicate) ^
                    static_cast<std::uint64_t>(stream));
}

// Entity identity: a 64-bit group key (e.g. a buurt's code hash) and a 32-bit index inside it.
// A resident's id is (buurt key, local index): adding a resident elsewhere never changes it.
struct EntityId {
  std::uint64_t group = 0;
  std::uint32_t index = 0;
};

// Philox4x32-10 as a UniformRandomBitGenerator: 32-bit outputs, four per block.
class CounterRng {
 public:
  using result_type = std::uint32_t;

  CounterRng(std::uint64_t key, EntityId entity, std::int32_t week) noexcept
      : key_{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)},
        ctr_{0u, entity.index, static_cast<std::uint32_t>(entity.group),
             static_cast<std::uint32_t>(entity.group >> 32)} {
    // Week occupies the high half of word 0; the block counter the low half.
    week_bits_ = static_cast<std::uint32_t>(week) << 16;
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<std::uint32_t>::max(); }

  result_type operator()() noexcept {
    if (pos_ == 4) refill();
    return out_[pos_++];
  }

  // Uniform on [0,1) with 32 bits of resolution: the hot paths use this directly.
  double uniform() noexcept { return (*this)() * 0x1.0p-32; }
  float uniformf() noexcept { return static_cast<float>((*this)() >> 8) * 0x1.0p-24f; }

 private:
  void refill() noexcept {
    std::array<std::uint32_t, 4> c = {week_bits_ | (block_ & 0xFFFFu), ctr_[1], ctr_[2], ctr_[3]};
    std::uint32_t k0 = key_[0], k1 = key_[1];
    for (int round = 0; round < 10; ++round) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(0xD2511F53u) * c[0];
      const std::uint64_t p1 = static_cast<std::uint64_t>(0xCD9E8D57u) * c[2];
      const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
      const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
      c = {hi1 ^ c[1] ^ k0, lo1, hi0 ^ c[3] ^ k1, lo0};
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    out_ = c;
    ++block_;
    pos_ = 0;
  }

  std::array<std::uint32_t, 2> key_;
  std::array<std::uint32_t, 4> ctr_;
  std::uint32_t week_bits_ = 0;
  std::uint32_t block_ = 0;
  std::array<std::uint32_t, 4> out_{};
  int pos_ = 4;
};

// Four uniforms on [0,1) for one entity in one week from a keyed counter hash (SplitMix64's
// finaliser over (key, entity, week)): the cheap per-resident weekly block used by the hot
// loops. Same keying as CounterRng, so the same guarantees hold.
inline void counter_uniforms4(std::uint64_t key, EntityId e, std::int32_t week, float out[4]) noexcept {
  const std::uint64_t base = splitmix64(key ^ splitmix64(e.group ^ (static_cast<std::uint64_t>(e.index) << 20) ^
                                                         static_cast<std::uint64_t>(static_cast<std::uint32_t>(week))));
  const std::uint64_t a = splitmix64(base), b = splitmix64(base + 0x632BE59BD9B4E019ULL);
  out[0] = static_cast<float>(a >> 40) * 0x1.0p-24f;
  out[1] = static_cast<float>((a >> 8) & 0xFFFFFF) * 0x1.0p-24f;
  out[2] = static_cast<float>(b >> 40) * 0x1.0p-24f;
  out[3] = static_cast<float>((b >> 8) & 0xFFFFFF) * 0x1.0p-24f;
}

}  // namespace wijksim
