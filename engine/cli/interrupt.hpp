#pragma once
// SIGINT (Ctrl-C) and SIGTERM (what SLURM and most schedulers send before killing a job) stop a
// long command cleanly (experiment, abc): work under way is abandoned, and the command decides
// what to keep and exits 128 + the signal. The handlers reset themselves, so a second signal
// kills at once.
#include <signal.h>

#include <atomic>
#include <csignal>

namespace wijksim::cli {

inline std::atomic<bool> g_interrupt{false};
inline volatile std::sig_atomic_t g_signal = 0;
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" inline void on_interrupt(int sig) {
  g_signal = sig;
  g_interrupt.store(true);
}

class InterruptHandlers {
 public:
  InterruptHandlers() {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~InterruptHandlers() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptHandlers(const InterruptHandlers&) = delete;
  InterruptHandlers& operator=(const InterruptHandlers&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

}  // namespace wijksim::cli
