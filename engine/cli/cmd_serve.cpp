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
    "                [--memory-budget MIB] [--max-body MIB] [--work DIR] [--scenarios DIR] [--quiet]";

// A flag, else an environment variable, else the folder in the source tree this binary was built from.
std::string dir_option(const std::optional<std::string>& given, const char* env, const std::string& fallback) {
  if (given) return *given;
  if (const char* e = std::getenv(env); e && *e) return e;
  return fallback;
}

}  // namespace

int cmd_serve(const std::vector<std::string>& argv) {
  Command cmd(
      "serve",
      "Starts the workbench page and its JSON API (docs/SERVE.md) on http://BIND:PORT/. Ctrl-C or SIGTERM stops it.",
      kServeUsage);
  std::optional<std::string> port, bind, threads, memory, max_body, work, data, web, scenarios;
  cmd.option("--port", port, "PORT", "TCP port, 0-65535 (default 8080; 0 picks a free one)");
  cmd.option("--bind", bind, "ADDRESS", "address to listen on (default 127.0.0.1: this machine only)");
  cmd.option("--threads", threads, "T", "simulation threads, 1-256 (default: every core)");
  cmd.option("--memory-budget", memory, "MIB", "memory the running simulations may use, 16-1048576 MiB");
  cmd.option("--max-body", max_body, "MIB", "largest request body accepted, 1-1024 MiB");
  cmd.option("--work", work, "DIR", "folder for the server's runs (default: a temporary folder)");
  cmd.option("--data", data, "DIR", "CBS data folder (default: WIJKSIM_DATA_DIR, else data/cbs of the source tree)");
  cmd.option("--web", web, "DIR", "the page (default: WIJKSIM_WEB_DIR, else web/ of the source tree)");
  cmd.option("--scenarios", scenarios, "DIR", "scenarios offered (default: WIJKSIM_SCENARIOS_DIR, else scenarios/)");
  cmd.quiet_flag("log nothing but errors; the address line is still printed", false);
  cmd.footer("Chart.js is served from the build folder; nothing is fetched from elsewhere.");
  if (cmd.parse(argv)) return 0;
  serve::ServeOptions o;
  const std::string src = WIJKSIM_SOURCE_DIR;
  if (port) o.port = static_cast<int>(cmd.integer("--port", *port, 0, 65535));
  if (bind) o.bind = *bind;
  if (threads) o.threads = static_cast<unsigned>(cmd.integer("--threads", *threads, 1, 256));
  if (memory) o.memory_budget = static_cast<std::size_t>(cmd.integer("--memory-budget", *memory, 16, 1 << 20)) << 20;
  if (max_body) o.max_body = static_cast<std::size_t>(cmd.integer("--max-body", *max_body, 1, 1024)) << 20;
  if (work) o.work_dir = *work;
  o.quiet = quiet();
  o.data_dir = dir_option(data, "WIJKSIM_DATA_DIR", src + "/data/cbs");
  o.web_dir = dir_option(web, "WIJKSIM_WEB_DIR", src + "/web");
  o.scenarios_dir = dir_option(scenarios, "WIJKSIM_SCENARIOS_DIR", src + "/scenarios");
  o.vendor_dir = WIJKSIM_WEB_VENDOR_DIR;

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
