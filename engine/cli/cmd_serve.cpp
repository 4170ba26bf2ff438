// `wijksim serve`: the local web workbench (engine/serve/, web/, docs/SERVE.md). This file only
// reads the flags, finds the page and the data, and stops the server on SIGINT/SIGTERM.
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "args.hpp"
#include "serve_command.hpp"
#include "../serve/server.hpp"

#ifndef WIJKSIM_SOURCE_DIR
#define WIJKSIM_SOURCE_DIR "."
#endif
#ifndef WIJKSIM_WEB_VENDOR_DIR
#define WIJKSIM_WEB_VENDOR_DIR "web-vendor"
#endif

namespace wijksim::cli {

namespace {

constexpr const char* kServeUsage =
    "wijksim serve [--port 8080] [--bind 127.0.0.1] [--threads T] [--data DIR] [--web DIR]\n"
    "              [--memory-budget MIB] [--max-body MIB] [--quiet]";

// A flag, else an environment variable, else the folder in the source tree this binary was built from.
std::string dir_option(Args& a, const char* flag, const char* env, const std::string& fallback) {
  if (auto v = a.take(flag)) return *v;
  if (const char* e = std::getenv(env); e && *e) return e;
  return fallback;
}

}  // namespace

int cmd_serve(const std::vector<std::string>& argv) {
  Args a("serve", argv);
  if (a.take_flag("--help") || a.take_flag("-h")) {
    std::cout << kServeUsage << "\n\n"
              << "Starts the workbench page and its JSON API (docs/SERVE.md) on http://BIND:PORT/.\n"
                 "--port 0 picks a free port. Data (--data, WIJKSIM_DATA_DIR) defaults to data/cbs and the page\n"
                 "(--web, WIJKSIM_WEB_DIR) to web/ of the source tree; Chart.js is served from the build folder.\n";
    return 0;
  }
  serve::ServeOptions o;
  const std::string src = WIJKSIM_SOURCE_DIR;
  if (auto v = a.take("--port")) o.port = static_cast<int>(a.integer("--port", *v, 0, 65535));
  if (auto v = a.take("--bind")) o.bind = *v;
  if (auto v = a.take("--threads")) o.threads = static_cast<unsigned>(a.integer("--threads", *v, 1, 256));
  if (auto v = a.take("--memory-budget"))
    o.memory_budget = static_cast<std::size_t>(a.integer("--memory-budget", *v, 16, 1 << 20)) << 20;
  if (auto v = a.take("--max-body")) o.max_body = static_cast<std::size_t>(a.integer("--max-body", *v, 1, 1024)) << 20;
  if (auto v = a.take("--work")) o.work_dir = *v;
  o.quiet = a.take_flag("--quiet");
  o.data_dir = dir_option(a, "--data", "WIJKSIM_DATA_DIR", src + "/data/cbs");
  o.web_dir = dir_option(a, "--web", "WIJKSIM_WEB_DIR", src + "/web");
  o.scenarios_dir = dir_option(a, "--scenarios", "WIJKSIM_SCENARIOS_DIR", src + "/scenarios");
  o.vendor_dir = WIJKSIM_WEB_VENDOR_DIR;
  (void)a.positionals(0, 0, kServeUsage);

  // Signals go to one thread that sets the flag the server polls; every other thread (HTTP and
  // simulation workers, created after this) has them blocked.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::atomic<bool> stop{false};
  std::thread signals([&] {
    const timespec tick{0, 200'000'000};
    while (!stop.load()) {
      if (sigtimedwait(&set, nullptr, &tick) > 0) stop = true;
    }
  });
  int rc = 0;
  try {
    rc = serve::run_server(o, stop);
  } catch (...) {
    stop = true;
    signals.join();
    throw;
  }
  stop = true;
  signals.join();
  return rc;
}

}  // namespace wijksim::cli
