// The machine's memory bandwidth, measured here so the step's figures can be read as a fraction
// of it (bench/README.md, "How far from the memory limit"):
//
//   BM_StreamTriad/<threads>   a[i] = b[i] + s * c[i] over three arrays of 32M doubles (768 MB,
//                              far beyond any cache), split in equal contiguous parts over the
//                              engine's own thread pool
//
// bytes_per_second counts 24 bytes per element (two reads, one write), as STREAM does; with
// write-allocate the hardware moves 32.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <memory>
#include <utility>

#include "wijksim/core/thread_pool.hpp"

namespace {

constexpr std::size_t kElements = std::size_t{32} << 20;

void BM_StreamTriad(benchmark::State& state) {
  const auto threads = static_cast<unsigned>(state.range(0));
  wijksim::ThreadPool pool(threads);
  // Not value-initialised: the pages are first touched by the threads that use them below.
  std::unique_ptr<double[]> a(new double[kElements]), b(new double[kElements]), c(new double[kElements]);
  const std::size_t part = kElements / threads;
  auto range = [&](std::size_t t) {
    const std::size_t lo = t * part, hi = t + 1 == threads ? kElements : lo + part;
    return std::pair(lo, hi);
  };
  // on_every_worker: part t always on the same thread, as the engine splits its buurten.
  pool.on_every_worker([&](unsigned t) {
    const auto [lo, hi] = range(t);
    for (std::size_t i = lo; i < hi; ++i) {
      a[i] = 0.0;
      b[i] = 1.0;
      c[i] = 2.0;
    }
  });
  const double s = 3.0;
  for (auto _ : state) {
    pool.on_every_worker([&](unsigned t) {
      const auto [lo, hi] = range(t);
      double* __restrict pa = a.get();
      const double* __restrict pb = b.get();
      const double* __restrict pc = c.get();
      for (std::size_t i = lo; i < hi; ++i) pa[i] = pb[i] + s * pc[i];
    });
    benchmark::DoNotOptimize(a[kElements / 2]);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(3 * sizeof(double) * kElements));
  state.counters["threads"] = threads;
}

BENCHMARK(BM_StreamTriad)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
