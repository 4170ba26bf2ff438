#pragma once
// Background runs for `wijksim serve`: a request (scenario + overrides + up to three variants)
// becomes an experiment (experiment/experiment.hpp, so the same validation and the same
// common random numbers as `wijksim experiment`), whose (variant, replicate) runs are executed
// by a fixed set of worker threads shared by every run. Results are kept per replicate and
// summarised on request, so charts fill in as replicates finish. A run can be cancelled at any
// moment; its workers drop it between two weeks.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog.hpp"
#include "wijksim/core/error.hpp"

namespace wijksim::serve {

// A valid request that needs more memory than the budget allows (HTTP 422).
class BudgetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  unsigned threads = 2;                        // simulation workers, shared by all runs
  std::size_t memory_budget = 1024ull << 20;   // bytes one run may hold (worlds + results)
  std::size_t max_runs = 24;                   // runs kept; the oldest finished ones are dropped
  std::string work_dir;                        // run folders (scenario, experiment, store, report)
  std::string scenarios_dir;                   // shipped scenarios (scenario_file)
  std::string self_exe;                        // this executable, for `wijksim report`
};

struct Run;

class RunManager {
 public:
  RunManager(const Catalog& catalog, RunOptions options);
  ~RunManager();  // cancels everything and joins the workers
  RunManager(const RunManager&) = delete;
  RunManager& operator=(const RunManager&) = delete;

  // Validates the request and queues its runs. Returns the run id. Throws InputError (400)
  // with every problem, or BudgetError (422).
  std::string submit(const nlohmann::json& request);
  // Status, progress and results so far; nullptr for an unknown id.
  nlohmann::json status(const std::string& id) const;
  // Cancels (stale work); false for an unknown id.
  bool cancel(const std::string& id);
  // The scenario of one variant as a file for `wijksim run` ("" variant: the baseline).
  // nullptr for an unknown run; InputError for an unknown variant.
  nlohmann::json scenario_for(const std::string& id, const std::string& variant) const;
  // Tidy CSV of every finished replicate: variant,replicate,week,level,unit,metric,value.
  // False for an unknown id.
  bool csv(const std::string& id, std::string& out) const;
  // Starts `wijksim report` on the finished runs (written to a results store first).
  // Returns the report state: "none" (unknown run), "running", "ready", "failed: ...",
  // or "not finished" when the run is still going.
  std::string start_report(const std::string& id, const std::string& lang);
  // Report state and, when ready, the HTML file's path.
  std::string report_state(const std::string& id, std::string& html_path) const;

  // Shipped scenarios: [{file, name, description, document}], read once at start-up.
  const nlohmann::json& shipped_scenarios() const { return shipped_; }

  std::size_t active_runs() const;

 private:
  void worker_loop();
  void execute(const std::shared_ptr<Run>& run, std::size_t cell, std::uint32_t replicate);
  std::shared_ptr<Run> find(const std::string& id) const;
  void evict_locked();

  static nlohmann::json read_shipped(const std::string& dir);

  const Catalog& catalog_;
  RunOptions opt_;
  nlohmann::json shipped_;
  mutable std::mutex mutex_;  // runs_, queue_, counter_
  std::condition_variable wake_;
  std::map<std::string, std::shared_ptr<Run>> runs_;
  std::vector<std::string> order_;  // ids, oldest first
  struct Task {
    std::shared_ptr<Run> run;
    std::size_t cell;
    std::uint32_t replicate;
  };
  std::deque<Task> queue_;
  std::uint64_t counter_ = 0;
  bool stop_ = false;
  std::vector<std::thread> workers_;
  std::vector<std::thread> reporters_;
};

}  // namespace wijksim::serve
