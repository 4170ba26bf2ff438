#pragma once
// `wijksim serve`: the HTTP server (cpp-httplib) for the workbench page (web/) and its JSON API
// (docs/SERVE.md).
#include <atomic>
#include <cstddef>
#include <string>

namespace wijksim::serve {

struct ServeOptions {
  int port = 8080;
  std::string bind = "127.0.0.1";
  unsigned threads = 0;                 // simulation workers; 0: every core
  std::string data_dir;                 // data/cbs
  std::string web_dir;                  // the page (web/)
  std::string vendor_dir;               // Chart.js, copied into the build folder by CMake
  std::string scenarios_dir;            // shipped scenarios
  std::size_t max_body = 16u << 20;     // bytes; larger requests get 413
  std::size_t memory_budget = 1024u << 20;
  std::string work_dir;                 // "": a fresh temporary folder, removed on exit
  bool quiet = false;
};

// Serves until `stop` becomes true (set by SIGINT/SIGTERM in the command). Returns the exit code.
int run_server(const ServeOptions& options, std::atomic<bool>& stop);

}  // namespace wijksim::serve
