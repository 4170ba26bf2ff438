#include "wijksim/core/thread_pool.hpp"

namespace wijksim {

ThreadPool::ThreadPool(unsigned threads) {
  const unsigned extra = threads > 1 ? threads - 1 : 0;
  workers_.reserve(extra);
  for (unsigned i = 0; i < extra; ++i) workers_.emplace_back([this, i] { worker_loop(i + 1); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::run_share(unsigned id, const std::function<void(unsigned)>* per_worker) {
  if (per_worker) {
    try {
      (*per_worker)(id);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    return;
  }
  for (;;) {
    std::size_t i;
    {
      std::lock_guard lock(mutex_);
      if (next_ >= job_size_ || error_) return;
      i = next_++;
    }
    try {
      (*job_)(i, id);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

void ThreadPool::worker_loop(unsigned id) {
  std::size_t seen = 0;
  for (;;) {
    const std::function<void(unsigned)>* per_worker;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      per_worker = per_worker_;
      ++busy_;
    }
    run_share(id, per_worker);
    {
      std::lock_guard lock(mutex_);
      --busy_;
      if (per_worker) ++finished_;
    }
    done_.notify_all();
  }
}

void ThreadPool::on_every_worker(const std::function<void(unsigned)>& fn) {
  if (workers_.empty()) {
    fn(0);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    per_worker_ = &fn;
    job_size_ = 0;
    next_ = 0;
    error_ = nullptr;
    finished_ = 0;
    ++generation_;
  }
  wake_.notify_all();
  run_share(0, &fn);
  std::exception_ptr error;
  {
    std::unique_lock lock(mutex_);
    // Every worker must have taken its turn: count them in through finished_.
    done_.wait(lock, [&] { return finished_ == workers_.size(); });
    finished_ = 0;
    per_worker_ = nullptr;
    error = error_;
  }
  if (error) std::rethrow_exception(error);
}

void ThreadPool::parallel_for(std::size_t n, const std::function<void(std::size_t, unsigned)>& fn) {
  if (n == 0) return;
  if (workers_.empty() || n == 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i, 0);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    job_ = &fn;
    job_size_ = n;
    next_ = 0;
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  run_share(0, nullptr);
  std::exception_ptr error;
  {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return busy_ == 0 && (next_ >= job_size_ || error_); });
    job_ = nullptr;
    job_size_ = 0;
    error = error_;
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace wijksim
