// core/thread_pool.hpp: parallel_for hands out every index exactly once, reports worker ids
// in range, rethrows the first exception on the caller, and stays usable afterwards.
#include <atomic>
#include <chrono>
#include <catch2/catch.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "wijksim/core/thread_pool.hpp"

using wijksim::ThreadPool;

namespace {

// Runs parallel_for(n) and returns how often each index was visited.
std::vector<int> visits(ThreadPool& pool, std::size_t n, std::atomic<bool>& bad_worker) {
  std::unique_ptr<std::atomic<int>[]> count(new std::atomic<int>[n]);
  for (std::size_t i = 0; i < n; ++i) count[i] = 0;
  pool.parallel_for(n, [&](std::size_t i, unsigned worker) {
    if (worker >= pool.size()) bad_worker = true;
    count[i].fetch_add(1, std::memory_order_relaxed);
  });
  std::vector<int> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = count[i].load();
  return out;
}

}  // namespace

TEST_CASE("the pool counts the calling thread", "[thread_pool]") {
  CHECK(ThreadPool(1).size() == 1u);
  CHECK(ThreadPool(2).size() == 2u);
  CHECK(ThreadPool(4).size() == 4u);
  CHECK(ThreadPool(0).size() == 1u);  // zero threads still runs on the caller
}

TEST_CASE("parallel_for covers every index exactly once", "[thread_pool]") {
  const unsigned threads = GENERATE(1u, 2u, 3u, 8u);
  ThreadPool pool(threads);
  for (std::size_t n : {0ul, 1ul, 2ul, 7ul, 1000ul, 100000ul}) {
    std::atomic<bool> bad_worker{false};
    const auto v = visits(pool, n, bad_worker);
    INFO("threads " << threads << ", n " << n);
    CHECK_FALSE(bad_worker);
    std::size_t wrong = 0;
    for (int c : v) wrong += c != 1;
    CHECK(wrong == 0);
  }
}

TEST_CASE("parallel_for returns only when all work is done and can be called many times", "[thread_pool]") {
  ThreadPool pool(4);
  for (int round = 0; round < 500; ++round) {
    std::atomic<long long> sum{0};
    const std::size_t n = 1 + static_cast<std::size_t>(round % 37);
    pool.parallel_for(n, [&](std::size_t i, unsigned) { sum += static_cast<long long>(i) + 1; });
    // The sum is read right after the call: nothing may still be running.
    REQUIRE(sum.load() == static_cast<long long>(n * (n + 1) / 2));
  }
}

TEST_CASE("several threads really take part when work blocks", "[thread_pool]") {
  // Two items that each wait (up to 5 s) for the other to start: they overlap only if two
  // threads run them. Run one after the other, the second starts after the first finished.
  ThreadPool pool(2);
  std::atomic<int> arrived{0}, finished{0};
  std::atomic<bool> overlapped{false};
  pool.parallel_for(2, [&](std::size_t, unsigned) {
    ++arrived;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (arrived.load() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    if (arrived.load() == 2 && finished.load() == 0) overlapped = true;
    ++finished;
  });
  CHECK(overlapped);
}

TEST_CASE("exceptions thrown by the work propagate to the caller", "[thread_pool]") {
  const unsigned threads = GENERATE(1u, 2u, 4u);
  ThreadPool pool(threads);
  INFO("threads " << threads);
  CHECK_THROWS_WITH(pool.parallel_for(1000,
                                      [](std::size_t i, unsigned) {
                                        if (i == 17) throw std::runtime_error("index 17 failed");
                                      }),
                    "index 17 failed");
  // Only the first exception is rethrown when several items throw.
  CHECK_THROWS_AS(pool.parallel_for(100, [](std::size_t i, unsigned) { throw std::out_of_range(std::to_string(i)); }),
                  std::out_of_range);
  // A single item runs on the caller; its exception propagates too.
  CHECK_THROWS_AS(pool.parallel_for(1, [](std::size_t, unsigned) { throw std::logic_error("one"); }), std::logic_error);
  // The pool is still usable afterwards.
  std::atomic<bool> bad_worker{false};
  const auto v = visits(pool, 5000, bad_worker);
  std::size_t wrong = 0;
  for (int c : v) wrong += c != 1;
  CHECK(wrong == 0);
  CHECK_FALSE(bad_worker);
}
