#include "wijksim/experiment/batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <optional>

#include <boost/math/distributions/students_t.hpp>
#include <mutex>
#include <thread>

#include "wijksim/city/build.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/core/thread_pool.hpp"
#include "store_impl.hpp"
#include "wijksim/sim/simulation.hpp"

namespace wijksim::experiment {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

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

// One unit of work: replicate r of one cell, or, with burn-in branching, of several cells of
// the same design point that share one burn-in.
struct Task {
  std::vector<std::size_t> cells;
  std::uint32_t replicate;
};

RunResult empty_result(const Experiment& e, const Cell& cell, std::uint32_t replicate) {
  RunResult r;
  r.key = {e.variants[cell.variant].name, cell.design_point, replicate};
  r.parameters = cell_parameters(cell);
  r.seed = e.seed;
  return r;
}

// Burn-in branching: the burn-in is simulated once (with the first cell's spec), the whole
// state is copied, and every cell continues from the copy with its own spec. Valid when the
// cells differ only in parameters that do not act before week 0 (checked at load).
std::vector<RunResult> run_branched(const Experiment& e, const std::vector<std::size_t>& cells, std::uint32_t replicate,
                                    const std::atomic<bool>* cancel) {
  const auto start = Clock::now();
  std::vector<RunResult> out;
  for (std::size_t c : cells) out.push_back(empty_result(e, e.cells[c], replicate));
  std::vector<ScenarioSpec> specs;
  specs.reserve(cells.size());
  try {
    for (std::size_t c : cells) specs.push_back(load_cell(e, e.cells[c], replicate));
  } catch (const std::exception& ex) {
    for (auto& r : out) r.error = ex.what();
    return out;
  }
  ThreadPool pool(1);
  std::optional<Simulation> base;
  try {
    base.emplace(specs[0], e.seed, replicate, pool);
    while (base->week() < 0) {
      if (cancel && cancel->load(std::memory_order_relaxed)) throw RuntimeFailure("cancelled");
      base->step();
    }
  } catch (const std::exception& ex) {
    for (auto& r : out) r.error = ex.what();
    return out;
  }
  const double burn = seconds_since(start) / static_cast<double>(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const auto t0 = Clock::now();
    RunResult& r = out[i];
    try {
      Simulation sim = *base;  // the whole state; random streams are counter-based
      sim.world().spec = &specs[i];
      sim.world().p = &specs[i].params;
      while (!sim.done()) {
        if (cancel && cancel->load(std::memory_order_relaxed)) throw RuntimeFailure("cancelled");
        sim.step();
        observe_week(e, sim, r.rows);
      }
      r.ok = true;
    } catch (const std::exception& ex) {
      r.ok = false;
      r.error = ex.what();
      r.rows.clear();
    }
    r.wall_seconds = burn + seconds_since(t0);
  }
  return out;
}

// Two-sided 95% Student t quantile with df degrees of freedom.
double t975(std::size_t df) { return boost::math::quantile(boost::math::students_t(static_cast<double>(df)), 0.975); }

}  // namespace

// Appends the outcome rows of the week just stepped, at the experiment's levels.
void observe_week(const Experiment& e, const Simulation& sim, std::vector<OutcomeRow>& rows) {
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
      for (std::size_t i = 0; i < w.buurten.size(); ++i) add(l, w.buurten[i].place.code, sim.buurt_tallies()[i]);
  }
}

RunResult run_cell(const Experiment& e, const Cell& cell, std::uint32_t replicate, const std::atomic<bool>* cancel) {
  const auto start = Clock::now();
  RunResult r;
  r.key = {e.variants[cell.variant].name, cell.design_point, replicate};
  r.parameters = cell_parameters(cell);
  r.seed = e.seed;
  try {
    const ScenarioSpec spec = load_cell(e, cell, replicate);
    ThreadPool pool(1);  // parallelism is over runs
    // Common random numbers: (experiment seed, replicate) for every variant and design point.
    Simulation sim(spec, e.seed, replicate, pool);
    while (!sim.done()) {
      if (cancel && cancel->load(std::memory_order_relaxed)) throw RuntimeFailure("cancelled");
      const bool observed = sim.week() >= 0;
      sim.step();
      if (observed) observe_week(e, sim, r.rows);
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

namespace {

// Group commit: finished runs wait at most this long for company before their transaction
// commits. A commit costs about as much as writing a short run's rows, so runs of a few
// milliseconds share one; a killed batch loses at most this much finished work (rerun on resume).
constexpr auto kGroupWindow = std::chrono::milliseconds(100);
// A group commits early once it holds this many outcome rows, which bounds the writer's memory.
constexpr std::size_t kGroupRows = 200'000;

// Runs the tasks over threads; this thread is the single writer. Every run is committed whole,
// alone or with the runs that finished within kGroupWindow of it.
// Returns false when stopped early (fail-fast, stop_after, an interrupt or a store error).
bool execute(const Experiment& e, const std::vector<Task>& tasks, Store& store, const BatchOptions& opt, Progress& progress,
             BatchSummary& sum, std::size_t& committed) {
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
        const Task& task = tasks[i];
        std::vector<RunResult> rs;
        if (e.burn_in_branching) rs = run_branched(e, task.cells, task.replicate, &stop);
        else rs.push_back(run_cell(e, e.cells[task.cells[0]], task.replicate, &stop));
        const bool stopping = stop.load();
        std::lock_guard lock(m);
        // Once stopping, only whole runs are handed on (the writer may still take them after an
        // interrupt); abandoned ones are not recorded and run again on resume.
        for (auto& r : rs)
          if (!stopping || r.ok) queue.push_back(std::move(r));
        cv.notify_one();
        if (stopping) break;
      }
      std::lock_guard lock(m);
      --running;
      cv.notify_one();
    });
  }

  std::exception_ptr error;
  bool accept = true;  // false after fail-fast, stop_after or a store error: later results are dropped
  std::vector<RunResult> group;
  std::size_t group_rows = 0;
  Clock::time_point group_opened;
  // Commits the group, then counts and reports its runs.
  auto commit = [&] {
    try {
      const auto write_start = Clock::now();
      store.write(group);
      sum.store_seconds += seconds_since(write_start);
    } catch (...) {
      error = std::current_exception();
      stop = true;
      accept = false;
      group.clear();
      return;
    }
    for (const RunResult& r : group) {
      ++committed;
      if (r.ok) {
        ++sum.ok;
      } else {
        ++sum.failed;
        if (sum.first_error.empty()) sum.first_error = r.key.variant + " replicate " + std::to_string(r.key.replicate) + ": " + r.error;
      }
      progress.finished(r, sum.skipped + sum.ok + sum.failed, sum.failed);
    }
    group.clear();
    group_rows = 0;
  };
  for (;;) {
    std::unique_lock lock(m);
    const auto deadline = group.empty() ? Clock::now() + std::chrono::milliseconds(250) : group_opened + kGroupWindow;
    cv.wait_until(lock, deadline, [&] { return !queue.empty() || running == 0; });
    bool due = false;
    while (!queue.empty() && accept) {
      if (group.empty()) group_opened = Clock::now();
      group.push_back(std::move(queue.front()));
      queue.pop_front();
      group_rows += group.back().rows.size();
      // Stop conditions count runs in the order they finished, as if each committed alone.
      const bool failed_stop = opt.fail_fast && !group.back().ok;
      const bool enough = opt.stop_after > 0 && committed + group.size() >= opt.stop_after;
      if (failed_stop || enough) {
        stop = true;
        accept = false;
      }
      due = due || failed_stop || enough || group_rows >= kGroupRows;
    }
    queue.clear();  // results after a stop: not recorded, rerun on resume
    const bool finished = running == 0;
    lock.unlock();
    if (opt.interrupt && opt.interrupt->load() && !sum.interrupted) {
      stop = true;  // workers abandon their runs at the next week; whole runs still come in
      sum.interrupted = true;
    }
    if (!group.empty() && (due || finished || sum.interrupted || Clock::now() >= group_opened + kGroupWindow)) commit();
    if (finished && group.empty()) break;
    progress.tick();
  }
  for (auto& w : workers) w.join();
  if (error) std::rethrow_exception(error);
  return !stop.load();
}

// Tasks for replicates [r0, r1) of this shard that are not ok in the store yet. The run index
// of (cell c, replicate r) is r * cells + c; shard i of n takes the indices with index mod n = i.
std::vector<Task> make_tasks(const Experiment& e, std::uint32_t r0, std::uint32_t r1, const std::set<RunKey>& done,
                             const BatchOptions& opt, BatchSummary& sum) {
  std::vector<Task> tasks;
  const std::size_t n = e.cells.size(), dp = e.design_points();
  for (std::uint32_t r = r0; r < r1; ++r) {
    // Replicate-major order: an interrupted batch has every variant at similar replicate counts.
    std::vector<std::vector<std::size_t>> by_point(dp);
    for (std::size_t c = 0; c < n; ++c) {
      const std::size_t index = static_cast<std::size_t>(r) * n + c;
      if (index % opt.shard_count != opt.shard_index) continue;
      ++sum.total;
      if (done.count({e.variants[e.cells[c].variant].name, e.cells[c].design_point, r})) {
        ++sum.skipped;
        continue;
      }
      if (e.burn_in_branching) by_point[c % dp].push_back(c);
      else tasks.push_back({{c}, r});
    }
    for (auto& cells : by_point)
      if (!cells.empty()) tasks.push_back({std::move(cells), r});
  }
  return tasks;
}

}  // namespace

AdaptiveCheck adaptive_check(const Experiment& e, const std::map<RunKey, std::vector<double>>& finals, std::uint32_t n) {
  AdaptiveCheck out;
  const auto& a = e.adaptive;
  const std::size_t nv = e.variants.size();
  out.half_widths.assign(a.outcomes.size(), std::numeric_limits<double>::infinity());
  for (std::size_t k = 0; k < a.outcomes.size(); ++k) {
    const auto col = static_cast<std::size_t>(std::find(e.outcomes.begin(), e.outcomes.end(), a.outcomes[k]) - e.outcomes.begin());
    double worst = 0;
    std::size_t used = n;
    for (std::size_t v = 0; v < nv; ++v) {
      if (nv > 1 && v == e.baseline) continue;
      std::vector<double> xs;
      for (std::uint32_t r = 0; r < n; ++r) {
        const auto it = finals.find({e.variants[v].name, -1, r});
        if (it == finals.end()) continue;
        if (nv == 1) {
          xs.push_back(it->second[col]);
          continue;
        }
        const auto b = finals.find({e.variants[e.baseline].name, -1, r});
        if (b != finals.end()) xs.push_back(it->second[col] - b->second[col]);  // paired by replicate
      }
      used = std::min(used, xs.size());
      if (xs.size() < 2) {
        worst = std::numeric_limits<double>::infinity();
        continue;
      }
      double mean = 0;
      for (double x : xs) mean += x;
      mean /= static_cast<double>(xs.size());
      double ss = 0;
      for (double x : xs) ss += (x - mean) * (x - mean);
      const double sd = std::sqrt(ss / static_cast<double>(xs.size() - 1));
      worst = std::max(worst, t975(xs.size() - 1) * sd / std::sqrt(static_cast<double>(xs.size())));
    }
    out.half_widths[k] = worst;
    out.used = k == 0 ? used : std::min(out.used, used);
  }
  out.converged = std::all_of(out.half_widths.begin(), out.half_widths.end(), [&](double h) { return h <= a.ci_half_width; });
  return out;
}

BatchSummary run_experiment(const Experiment& e, const BatchOptions& opt) {
  const auto start = Clock::now();
  if (opt.shard_count == 0 || opt.shard_index >= opt.shard_count)
    throw InputError(std::vector<Problem>{{"experiment", "--shard", "expected i/N with 0 <= i < N"}});
  if (e.adaptive.enabled() && opt.shard_count > 1)
    throw InputError(std::vector<Problem>{{e.file, "replicates.adaptive",
                                           "adaptive replicates decide centrally when to stop, expected a single process (no --shard, no MPI)"}});
  json manifest = make_manifest(e, opt.command_line);
  if (opt.shard_count > 1) manifest["shard"] = {{"index", opt.shard_index}, {"count", opt.shard_count}, {"rule", "run index mod count"}};
  Store store = Store::open_for(e, opt.out_dir, manifest);
  const std::set<RunKey> done = store.ok_runs();

  BatchSummary sum;
  std::size_t committed = 0;
  Progress progress(opt.progress, e.run_count() / opt.shard_count);
  if (!e.adaptive.enabled()) {
    const auto tasks = make_tasks(e, 0, e.replicates, done, opt, sum);
    execute(e, tasks, store, opt, progress, sum, committed);
  } else {
    // Rounds over replicates 0, 1, 2, ...: each replicate's result does not depend on the
    // round it ran in, and the rule for the next round depends only on those results, so a
    // resumed batch stops where an uninterrupted one would.
    const auto& a = e.adaptive;
    std::uint32_t n = a.min, ran = 0;
    std::string reason;
    AdaptiveCheck check;
    json rounds = json::array();
    for (;;) {
      const auto tasks = make_tasks(e, ran, n, done, opt, sum);
      if (!execute(e, tasks, store, opt, progress, sum, committed)) {
        reason = "interrupted";
        break;
      }
      ran = n;
      check = adaptive_check(e, store.final_city_values(e.outcomes), n);
      rounds.push_back({{"replicates", n}, {"half_widths", check.half_widths}});
      if (check.converged) {
        reason = "converged";
        break;
      }
      if (n >= a.max) {
        reason = "max";
        break;
      }
      // Next round: enough replicates for the worst ratio by the 1/sqrt(n) law (10% margin),
      // at least one more and at most double.
      double ratio = 0;
      for (double h : check.half_widths) ratio = std::max(ratio, h / a.ci_half_width);
      const double want = std::isfinite(ratio) ? std::ceil(1.1 * n * ratio * ratio) : 2.0 * n;
      n = static_cast<std::uint32_t>(std::min<double>({static_cast<double>(a.max), 2.0 * n, std::max<double>(n + 1.0, want)}));
    }
    json outcomes = json::array();
    for (Metric k : a.outcomes) outcomes.push_back(std::string(metric_name(k)));
    json half = json::object();
    for (std::size_t k = 0; k < a.outcomes.size(); ++k)
      half[metric_name(a.outcomes[k])] = std::isfinite(check.half_widths.empty() ? 0.0 : check.half_widths[k]) && !check.half_widths.empty()
                                             ? json(check.half_widths[k]) : json(nullptr);
    store.set_manifest("adaptive", {{"outcomes", outcomes}, {"ci_half_width", a.ci_half_width}, {"min", a.min}, {"max", a.max},
                                    {"replicates", ran}, {"stopped", reason},
                                    {"criterion", e.variants.size() > 1 ? "paired differences with the baseline, final week, city level"
                                                                        : "outcome, final week, city level"},
                                    {"half_widths", half}, {"rounds", rounds}});
    if (reason != "interrupted") store.set_manifest("replicates", ran);
    sum.adaptive_stop = reason;
    sum.adaptive_replicates = ran;
    if (reason != "interrupted") sum.total = static_cast<std::size_t>(ran) * e.cells.size();
    else sum.total = e.run_count();
  }
  progress.close();
  store.close();  // a finished store is self-contained, or the command fails
  sum.not_run = sum.total - std::min(sum.total, sum.skipped + sum.ok + sum.failed);
  sum.wall_seconds = seconds_since(start);
  return sum;
}

void refuse_if_too_large(const Experiment& e, unsigned threads) {
  // Every cell simulates the same city; only network overrides change the estimate.
  for (std::size_t k = 0; k < e.cells.size(); ++k) {
    const auto& ov = e.cells[k].overrides;
    if (k > 0 && std::none_of(ov.begin(), ov.end(), [](const Override& o) { return o.path.rfind("network.", 0) == 0; })) continue;
    wijksim::refuse_if_too_large(load_cell(e, e.cells[k]), std::min<std::size_t>(threads, e.run_count()), e.scenario_file);
  }
}

Plan plan_experiment(const Experiment& e, const std::string& out_dir, unsigned threads) {
  Plan p;
  p.runs = e.run_count();
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(out_dir) / store_file_name, ec)) {
    const Store s = Store::open_read(out_dir);
    const json hash = s.manifest("experiment_hash");
    if ((!hash.is_string() || hash.get<std::string>() != e.hash) && !more_replicates_of(s.manifest("experiment"), e))
      throw InputError(std::vector<Problem>{{out_dir, "", "holds the results of a different experiment; expected an empty folder or the same experiment"}});
    p.already_ok = s.ok_runs().size();
  }
  const std::size_t remaining = p.runs - std::min(p.runs, p.already_ok);
  p.concurrent = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, remaining)));

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
    observe_week(e, sim, rows);
  }
  const double per_week = probe > 0 ? seconds_since(t0) / probe : 0;
  const std::int32_t weeks = sim.last_week() + 1;
  p.seconds_per_run = burn + per_week * weeks;
  p.wall_seconds = p.seconds_per_run * static_cast<double>(remaining) / p.concurrent;
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
