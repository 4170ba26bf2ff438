#pragma once
// A small fixed pool with a blocking parallel_for. Work is handed out by an atomic counter;
// callers must make each index's work independent, so the result never depends on which
// thread ran it.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace wijksim {

class ThreadPool {
 public:
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned size() const noexcept { return static_cast<unsigned>(workers_.size()) + 1; }

  // Calls fn(i, worker) for i in [0, n); worker in [0, size()) identifies per-thread scratch.
  // The calling thread takes part. Exceptions are rethrown on the caller (first one wins).
  void parallel_for(std::size_t n, const std::function<void(std::size_t, unsigned)>& fn);

  // Calls fn(worker) once on every thread of the pool, worker k always on the same thread, so
  // work split by worker keeps its data in that core's cache from one call to the next.
  void on_every_worker(const std::function<void(unsigned)>& fn);

 private:
  void worker_loop(unsigned id);
  void run_share(unsigned id, const std::function<void(unsigned)>* per_worker);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t, unsigned)>* job_ = nullptr;
  const std::function<void(unsigned)>* per_worker_ = nullptr;
  std::size_t job_size_ = 0;
  std::size_t next_ = 0;
  std::size_t generation_ = 0;
  unsigned busy_ = 0;
  std::size_t finished_ = 0;  // workers done with the current on_every_worker job
  bool stop_ = false;
  std::exception_ptr error_;
};

}  // namespace wijksim
