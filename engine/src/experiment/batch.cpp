#include "wijksim/experiment/batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "wijksim/core/error.hpp"
#include "wijksim/core/thread_pool.hpp"
#include "wijksim/sim/simulation.hpp"

namespace wijksim::experiment {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Appends the outcome rows of the week just stepped, at the experiment's levels.
void observe(const Experiment& e, const Simulation& sim, std::vector<OutcomeRow>& rows) {
  const World& w = sim.world();
  const std::int32_t week = w.week - 1;
  if (week % e.interval != 0 && week != sim.last_week()) return;
  auto add = [&](Level level, const std::string& unit, const Tally& t) {
    const auto m = derive_metrics(t, w);
    for (Metric k : e.outcomes) rows.push_back({week, level, unit, k, m[static_cast<std::size_t>(k)]});
  };
  for (Level l : e.levels) {
    if (l == Level::city) add(l, w.spec->city.code, sim.city_tally());
    if (l == Level::wijk)
      for (std::size_t i = 0; i < w.wijken.size(); ++i) add(l, w.wijken[i].code, sim.wijk_tallies()[i]);
    if (l == Level::buurt)
      for (std::size_t i = 0; i < w.buurten.size(); ++i) add(l, w.buurten[i].code, sim.buurt_tallies()[i]);
  }
}

// Progress on stderr: a redrawn bar on a terminal, a line every ~10 s otherwise, or one JSON
// object per finished run.
class Progress {
 public:
  Progress(ProgressMode mode, std::size_t total) : mode_(mode), total_(total), tty_(isatty(2) != 0) {}

  void finished(const RunResult& r, std::size_t done, std::size_t failed) {
    done_ = done;
    failed_ = failed;
    if (mode_ == ProgressMode::jsonl) {
      json j = {{"done", done},
                {"total", total_},
                {"variant", r.key.variant},
                {"design_point", r.key.design_point},
                {"replicate", r.key.replicate},
                {"status", r.ok ? "ok" : "failed"},
                {"wall_seconds", r.wall_seconds},
                {"runs_per_second", rate()},
                {"eta_seconds", eta()}};
      if (!r.ok) j["error"] = r.error;
      std::cerr << j.dump() << "\n" << std::flush;
    } else {
      tick();
    }
  }
  // Called often; prints only when due.
  void tick() {
    if (mode_ != ProgressMode::bar) return;
    const double since = seconds_since(last_);
    if (shown_ && since < (tty_ ? 0.25 : 10.0)) return;
    if (!tty_ && !shown_ && seconds_since(start_) < 10.0) return;
    last_ = Clock::now();
    print();
  }
  void close() {
    if (mode_ != ProgressMode::bar) return;
    if (tty_) {
      print();
      std::cerr << "\n" << std::flush;
    }
  }

 private:
  double rate() const {
    const double t = seconds_since(start_);
    return t > 0 ? static_cast<double>(done_) / t : 0;
  }
  double eta() const { return done_ > 0 ? static_cast<double>(total_ - done_) / rate() : 0; }
  void print() {
    char line[200];
    const double frac = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1;
    std::string bar(20, ' ');
    for (std::size_t i = 0; i < static_cast<std::size_t>(frac * 20); ++i) bar[i] = '#';
    const int e = static_cast<int>(eta());
    std::snprintf(line, sizeof line, "wijksim: [%s] %zu/%zu runs  %.2f runs/s  ETA %dm%02ds%s", bar.c_str(), done_, total_,
                  rate(), e / 60, e % 60, failed_ ? ("  " + std::to_string(failed_) + " failed").c_str() : "");
    std::cerr << (tty_ ? "\r" : "") << line << (tty_ ? "" : "\n") << std::flush;
    shown_ = true;
  }
  ProgressMode mode_;
  std::size_t total_, done_ = 0, failed_ = 0;
  bool tty_, shown_ = false;
  Clock::time_point start_ = Clock::now(), last_ = Clock::now();
};

struct Task {
  std::size_t cell;
  std::uint32_t replicate;
};

}  // namespace

RunResult run_cell(const Experiment& e, const Cell& cell, std::uint32_t replicate, const std::atomic<bool>* cancel) {
  const auto start = Clock::now();
  RunResult r;
  r.key = {e.variants[cell.variant].name, cell.design_point, replicate};
  r.parameters = cell_parameters(cell);
  r.seed = e.seed;
  try {
    const ScenarioSpec spec = load_cell(e, cell);
    ThreadPool pool(1);  // parallelism is over runs
    // Common random numbers: (experiment seed, replicate) for every variant and design point.
    Simulation sim(spec, e.seed, replicate, pool);
    while (!sim.done()) {
      if (cancel && cancel->load(std::memory_order_relaxed)) throw RuntimeFailure("cancelled");
      const bool observed = sim.week() >= 0;
      sim.step();
      if (observed) observe(e, sim, r.rows);
    }
    r.ok = true;
  } catch (const std::exception& ex) {
    r.ok = false;
    r.error = ex.what();
    r.rows.clear();
  }
  r.wall_seconds = seconds_since(start);
  return r;
}

BatchSummary run_experiment(const Experiment& e, const BatchOptions& opt) {
  const auto start = Clock::now();
  Store store = Store::open_for(e, opt.out_dir, make_manifest(e, opt.command_line));
  const std::set<RunKey> done = store.ok_runs();

  // Replicate-major order: an interrupted batch has every variant at similar replicate counts.
  std::vector<Task> tasks;
  BatchSummary sum;
  sum.total = e.run_count();
  for (std::uint32_t r = 0; r < e.replicates; ++r)
    for (std::size_t c = 0; c < e.cells.size(); ++c) {
      if (done.count({e.variants[e.cells[c].variant].name, e.cells[c].design_point, r})) ++sum.skipped;
      else tasks.push_back({c, r});
    }

  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex m;
  std::condition_variable cv;
  std::deque<RunResult> queue;
  unsigned running = std::max(1u, std::min<unsigned>(opt.threads, static_cast<unsigned>(std::max<std::size_t>(1, tasks.size()))));
  const unsigned workers_total = running;
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < workers_total; ++t) {
    workers.emplace_back([&] {
      for (;;) {
        const std::size_t i = next.fetch_add(1);
        if (i >= tasks.size() || stop.load()) break;
        RunResult r = run_cell(e, e.cells[tasks[i].cell], tasks[i].replicate, &stop);
        if (stop.load()) break;  // cancelled or stopping: not recorded, rerun on resume
        std::lock_guard lock(m);
        queue.push_back(std::move(r));
        cv.notify_one();
      }
      std::lock_guard lock(m);
      --running;
      cv.notify_one();
    });
  }

  // This thread is the single writer: one transaction per run.
  Progress progress(opt.progress, sum.total);
  std::exception_ptr error;
  std::size_t committed = 0;
  for (;;) {
    std::unique_lock lock(m);
    cv.wait_for(lock, std::chrono::milliseconds(250), [&] { return !queue.empty() || running == 0; });
    if (queue.empty()) {
      if (running == 0) break;
      lock.unlock();
      progress.tick();
      continue;
    }
    RunResult r = std::move(queue.front());
    queue.pop_front();
    lock.unlock();
    if (stop.load()) continue;  // drain without writing once stopped
    try {
      store.write(r);
    } catch (...) {
      error = std::current_exception();
      stop = true;
      continue;
    }
    ++committed;
    if (r.ok) {
      ++sum.ok;
    } else {
      ++sum.failed;
      if (sum.first_error.empty()) sum.first_error = r.key.variant + " replicate " + std::to_string(r.key.replicate) + ": " + r.error;
    }
    progress.finished(r, sum.skipped + sum.ok + sum.failed, sum.failed);
    if ((opt.fail_fast && !r.ok) || (opt.stop_after > 0 && committed >= opt.stop_after)) stop = true;
  }
  for (auto& w : workers) w.join();
  progress.close();
  if (error) std::rethrow_exception(error);
  sum.not_run = sum.total - sum.skipped - sum.ok - sum.failed;
  sum.wall_seconds = seconds_since(start);
  return sum;
}

Plan plan_experiment(const Experiment& e, const std::string& out_dir, unsigned threads) {
  Plan p;
  p.runs = e.run_count();
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(out_dir) / store_file_name, ec)) {
    const Store s = Store::open_read(out_dir);
    const json hash = s.manifest("experiment_hash");
    if (!hash.is_string() || hash.get<std::string>() != e.hash)
      throw InputError(std::vector<Problem>{{out_dir, "", "holds the results of a different experiment; expected an empty folder or the same experiment"}});
    p.already_ok = s.ok_runs().size();
  }
  const std::size_t todo = p.runs - std::min(p.runs, p.already_ok);
  p.concurrent = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, todo)));

  // Time the burn-in and half a year of the baseline, then scale the observed part.
  const Cell& cell = e.cells[e.baseline * e.design_points()];
  const ScenarioSpec spec = load_cell(e, cell);
  ThreadPool pool(1);
  auto t0 = Clock::now();
  Simulation sim(spec, e.seed, 0, pool);
  while (sim.week() < 0) sim.step();
  const double burn = seconds_since(t0);
  const std::int32_t probe = std::min<std::int32_t>(26, sim.last_week() + 1);
  t0 = Clock::now();
  std::vector<OutcomeRow> rows;
  for (std::int32_t i = 0; i < probe && !sim.done(); ++i) {
    sim.step();
    observe(e, sim, rows);
  }
  const double per_week = probe > 0 ? seconds_since(t0) / probe : 0;
  const std::int32_t weeks = sim.last_week() + 1;
  p.seconds_per_run = burn + per_week * weeks;
  p.wall_seconds = p.seconds_per_run * static_cast<double>(todo) / p.concurrent;
  p.bytes_per_run = sim.world().residents.bytes();
  p.peak_bytes = p.bytes_per_run * p.concurrent;
  // Rows per run: observed weeks x units x outcomes (from the probe's rows per observed week).
  std::size_t per_observation = 0;
  for (Level l : e.levels)
    per_observation += l == Level::city ? 1 : l == Level::wijk ? sim.world().wijken.size() : sim.world().buurten.size();
  const std::size_t observations = static_cast<std::size_t>((weeks - 1) / e.interval + 1 + ((weeks - 1) % e.interval ? 1 : 0));
  p.outcome_rows = observations * per_observation * e.outcomes.size() * p.runs;
  return p;
}

}  // namespace wijksim::experiment
