#include "wijksim/io/run_output.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <Eigen/Core>
#include <boost/version.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "wijksim/core/error.hpp"
#include "wijksim/io/stats.hpp"
#include "wijksim/version.hpp"

namespace wijksim {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

namespace {

// Shortest round-trip text of a double: the same bytes on every run and thread count.
void append_number(std::string& out, double v) {
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    out.append(buf, p);
    return;
  }
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, p);
}

// The units a run reports on and the weeks it reports, in one place for timeseries.csv and the
// in-memory table: every `interval` weeks and the final week; city, then wijken, then buurten
// as far as `detail` goes. emit(unit index into output_units, metric values). Returns false in
// weeks that are not reported.
template <class Emit>
bool for_each_reported(const Simulation& sim, int detail, int interval, Emit&& emit) {
  const World& w = sim.world();
  const std::int32_t week = w.week - 1;  // the week just simulated
  if (week % std::max(1, interval) != 0 && week != sim.last_week()) return false;
  std::size_t unit = 0;
  emit(unit++, derive_metrics(sim.city_tally(), w));
  if (detail >= static_cast<int>(Detail::wijk))
    for (std::size_t i = 0; i < w.wijken.size(); ++i) emit(unit++, derive_metrics(sim.wijk_tallies()[i], w));
  else unit += w.wijken.size();
  if (detail >= static_cast<int>(Detail::buurt))
    for (std::size_t i = 0; i < w.buurten.size(); ++i) emit(unit++, derive_metrics(sim.buurt_tallies()[i], w));
  return true;
}

// Writes one replicate's rows to its own part file; parts are joined in replicate order.
class TimeseriesParts {
 public:
  TimeseriesParts(const fs::path& dir, std::uint32_t replicates, int detail, int interval, const std::vector<OutputUnit>& units)
      : dir_(dir), detail_(detail), interval_(std::max(1, interval)), units_(units) {
    files_.resize(replicates);
    buffers_.resize(replicates);
  }

  void write_week(std::uint32_t rep, const Simulation& sim) {
    std::string& buf = buffer_for(rep);
    buf.clear();
    const std::int32_t week = sim.world().week - 1;  // the week just simulated
    const bool observed = for_each_reported(sim, detail_, interval_, [&](std::size_t unit, const std::array<double, metric_count>& m) {
      const auto& [level, code] = units_[unit];
      for (std::size_t k = 0; k < metric_count; ++k) {
        append_number(buf, rep);
        buf += ',';
        append_number(buf, week);
        buf += ',';
        buf += level;
        buf += ',';
        buf += code;
        buf += ',';
        buf += metric_name(static_cast<Metric>(k));
        buf += ',';
        append_number(buf, m[k]);
        buf += '\n';
      }
    });
    if (!observed) return;
    auto& f = files_[rep];
    if (!f) {
      f = std::make_unique<std::ofstream>(part(rep), std::ios::binary);
      if (!*f) throw RuntimeFailure("cannot write " + part(rep).string());
    }
    f->write(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (!*f) throw RuntimeFailure("write failed for " + part(rep).string() + " (disk full?)");
  }

  void join_into(const fs::path& target) {
    std::ofstream out(target, std::ios::binary);
    out << "replicate,week,level,unit,metric,value\n";
    for (std::uint32_t rep = 0; rep < files_.size(); ++rep) {
      if (files_[rep]) {
        files_[rep]->close();
        std::ifstream in(part(rep), std::ios::binary);
        out << in.rdbuf();
        in.close();
        fs::remove(part(rep));
      }
    }
    out.close();
    if (!out) throw RuntimeFailure("write failed for " + target.string() + " (disk full?)");
  }

 private:
  fs::path part(std::uint32_t rep) const { return dir_ / ("timeseries.part" + std::to_string(rep)); }
  std::string& buffer_for(std::uint32_t rep) { return buffers_[rep]; }
  fs::path dir_;
  int detail_, interval_;
  const std::vector<OutputUnit>& units_;
  std::vector<std::unique_ptr<std::ofstream>> files_;
  std::vector<std::string> buffers_;  // one per replicate: replicates never share one
};

// Progress with ETA on stderr, shown only once a run has taken a few seconds.
class ProgressLine {
 public:
  ProgressLine(RunProgress& p, bool enabled) : p_(p) {
    if (enabled) thread_ = std::thread([this] { loop(); });
  }
  ~ProgressLine() {
    {
      std::lock_guard lock(m_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (shown_) std::cerr << (tty_ ? "\n" : "") << std::flush;
  }

 private:
  void loop() {
    const auto start = std::chrono::steady_clock::now();
    tty_ = isatty(2);
    std::unique_lock lock(m_);
    auto last_print = start;
    while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return stop_; })) {
      const auto now = std::chrono::steady_clock::now();
      const double elapsed = std::chrono::duration<double>(now - start).count();
      const double since_print = std::chrono::duration<double>(now - last_print).count();
      if (elapsed < 3.0 || since_print < (tty_ ? 0.5 : 10.0)) continue;
      last_print = now;
      const long long done = p_.steps_done.load();
      const double frac = p_.steps_total > 0 ? static_cast<double>(done) / static_cast<double>(p_.steps_total) : 0;
      const double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
      char line[160];
      std::snprintf(line, sizeof line, "wijksim: %5.1f%%  %lld/%lld weeks  %.0f weeks/s  ETA %dm%02ds", 100 * frac, done,
                    p_.steps_total, static_cast<double>(done) / elapsed, static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
      std::cerr << (tty_ ? "\r" : "") << line << (tty_ ? "" : "\n") << std::flush;
      shown_ = true;
    }
  }
  RunProgress& p_;
  std::thread thread_;
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false, shown_ = false, tty_ = false;
};

ojson summary_json(const ScenarioSpec& spec, std::uint32_t replicates, std::int32_t week,
                   const std::vector<std::vector<std::array<double, metric_count>>>& finals,
                   const std::vector<OutputUnit>& units) {
  ojson s;
  s["week"] = week;
  s["replicates"] = replicates;
  ojson levels;
  for (std::size_t u = 0; u < units.size(); ++u) {
    ojson metrics;
    for (std::size_t k = 0; k < metric_count; ++k) {
      std::vector<double> v(replicates);
      for (std::uint32_t r = 0; r < replicates; ++r) v[r] = finals[r][u][k];
      if (replicates == 1) {
        metrics[std::string(metric_name(static_cast<Metric>(k)))] = v[0];
      } else {
        const Summary sm = summarise(v);
        metrics[std::string(metric_name(static_cast<Metric>(k)))] = {
            {"mean", sm.mean}, {"sd", sm.sd}, {"ci95", {sm.ci_low, sm.ci_high}},
            {"p5", sm.p5},     {"p50", sm.p50}, {"p95", sm.p95}};
      }
    }
    levels[units[u].level][units[u].code] = metrics;
  }
  (void)spec;
  s["levels"] = levels;
  return s;
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw RuntimeFailure("write failed for " + file.string() + " (disk full?)");
}

}  // namespace

ojson engine_info() {
  ojson e;
  e["version"] = build_info::version;
  e["git_revision"] = build_info::git_revision;
  e["compiler"] = build_info::compiler;
  e["boost"] = BOOST_LIB_VERSION;
  e["eigen"] = std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
               std::to_string(EIGEN_MINOR_VERSION);
  e["nlohmann_json"] = std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." + std::to_string(NLOHMANN_JSON_VERSION_MINOR) +
                       "." + std::to_string(NLOHMANN_JSON_VERSION_PATCH);
  e["rng"] = "Philox4x32-10 keyed by (seed, replicate, stream, entity, week)";
  return e;
}

void check_output_location(const std::string& out_dir, bool force) {
  std::error_code ec;
  const fs::path out(out_dir);
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec))
      throw InputError(std::vector<Problem>{{out_dir, "", "exists and is not a folder, expected a folder to write the run into"}});
    if (!fs::is_empty(out, ec) && !force)
      throw InputError(std::vector<Problem>{{out_dir, "", "exists and is not empty; pass --force to replace it"}});
  }
  const fs::path parent = fs::absolute(out, ec).parent_path();
  if (!fs::exists(parent, ec)) fs::create_directories(parent, ec);
  if (!fs::is_directory(parent, ec) || access(parent.c_str(), W_OK) != 0)
    throw InputError(std::vector<Problem>{{out_dir, "", "cannot write into " + parent.string() + ", expected a writable location"}});
}

std::vector<OutputUnit> output_units(const ScenarioSpec& spec) {
  std::vector<OutputUnit> units = {{"city", spec.city.code}};
  for (const auto& wk : spec.city.wijken) units.push_back({"wijk", wk.code});
  for (const auto& wk : spec.city.wijken)
    for (const auto& b : wk.buurten) units.push_back({"buurt", b.code});
  return units;
}

ojson run_manifest(const ScenarioSpec& spec, const RunRequest& req, const RunnerStats& stats,
                   const std::vector<std::string>& files) {
  const Params& p = spec.params;
  const auto replicates = static_cast<std::uint32_t>(p.simulation.replicates);
  const auto seed = static_cast<std::uint64_t>(p.simulation.seed);
  const auto final_week = static_cast<std::int32_t>(std::lround(p.simulation.years));
  ojson m;
  m["wijksim_run"] = 1;
  m["scenario_name"] = spec.name;
  m["scenario_file"] = spec.source_file;
  m["scenario_hash"] = spec.hash;
  ojson ov = ojson::array();
  for (const auto& o : req.overrides) ov.push_back(o.text());
  m["overrides"] = ov;
  m["seed"] = seed;
  m["replicates"] = replicates;
  m["start_date"] = spec.start_date;
  m["weeks"] = final_week;
  m["burn_in_weeks"] = std::lround(p.simulation.burn_in);
  m["detail"] = std::array<const char*, 3>{"city", "wijk", "buurt"}[static_cast<std::size_t>(p.output.detail)];
  m["interval_weeks"] = std::lround(p.output.interval);
  m["threads"] = req.threads;
  m["command_line"] = req.command_line;
  ojson phases = ojson::array({"none"});
  for (const auto& ph : spec.phases) phases.push_back(ph.name);
  m["phase_names"] = phases;
  ojson elections = ojson::array();
  for (double t = p.governance.first_election_after; t <= p.simulation.years + 1e-9; t += p.governance.election_interval)
    elections.push_back(std::lround(t));
  m["elections_weeks"] = elections;
  ojson unit_names;
  unit_names[spec.city.code] = spec.city.name;
  for (const auto& wk : spec.city.wijken) {
    unit_names[wk.code] = wk.name;
    for (const auto& b : wk.buurten) unit_names[b.code] = b.name;
  }
  m["units"] = unit_names;
  m["engine"] = engine_info();
  ojson timing;
  timing["wall_seconds"] = stats.wall_seconds;
  ojson per_phase;
  for (std::size_t i = 0; i < phase_count; ++i) per_phase[std::string(phase_name(static_cast<Phase>(i)))] = stats.seconds[i];
  timing["phase_cpu_seconds"] = per_phase;
  timing["resident_state_bytes"] = stats.peak_resident_bytes;
  m["timing"] = timing;
  if (!files.empty()) m["files"] = files;
  m["scenario"] = spec.resolved;
  return m;
}

RunTable run_to_table(const ScenarioSpec& spec, unsigned threads, const std::atomic<bool>* cancel) {
  const Params& p = spec.params;
  const auto replicates = static_cast<std::uint32_t>(p.simulation.replicates);
  const int detail = p.output.detail;
  const int interval = static_cast<int>(std::lround(p.output.interval));
  RunTable table;
  table.units = output_units(spec);
  table.replicates.resize(replicates);
  // Keep only the levels the detail reports (they lead the list: city, wijken, buurten).
  std::size_t reported = 1;
  if (detail >= static_cast<int>(Detail::wijk)) reported += spec.city.wijken.size();
  if (detail >= static_cast<int>(Detail::buurt)) reported = table.units.size();
  table.units.resize(reported);
  const auto weeks = static_cast<std::size_t>(std::lround(p.simulation.years) / std::max(1, interval) + 2);
  for (auto& blocks : table.replicates) blocks.reserve(weeks * reported);
  RunnerHooks hooks;
  hooks.cancel = cancel;
  hooks.on_week = [&](std::uint32_t rep, const Simulation& sim) {
    const std::int32_t week = sim.world().week - 1;
    auto& blocks = table.replicates[rep];
    for_each_reported(sim, detail, interval, [&](std::size_t unit, const std::array<double, metric_count>& m) {
      blocks.push_back({week, static_cast<std::uint32_t>(unit), m});
    });
  };
  table.stats = run_replicates(spec, static_cast<std::uint64_t>(p.simulation.seed), replicates, threads, hooks);
  return table;
}

RunOutcome run_and_write(const ScenarioSpec& spec, const RunRequest& req) {
  const Params& p = spec.params;
  const fs::path out = fs::absolute(req.out_dir);
  const fs::path tmp = out.parent_path() / (out.filename().string() + ".tmp-" + std::to_string(getpid()));
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (!fs::create_directories(tmp, ec)) throw RuntimeFailure("cannot create " + tmp.string() + ": " + ec.message());
  try {
    const auto replicates = static_cast<std::uint32_t>(p.simulation.replicates);
    const auto seed = static_cast<std::uint64_t>(p.simulation.seed);
    const std::vector<OutputUnit> units = output_units(spec);
    TimeseriesParts parts(tmp, replicates, p.output.detail, static_cast<int>(std::lround(p.output.interval)), units);
    std::vector<std::vector<std::array<double, metric_count>>> finals(replicates);
    const auto final_week = static_cast<std::int32_t>(std::lround(p.simulation.years));
    RunnerHooks hooks;
    hooks.on_week = [&](std::uint32_t rep, const Simulation& sim) { parts.write_week(rep, sim); };
    hooks.on_done = [&](std::uint32_t rep, const Simulation& sim) {
      const World& w = sim.world();
      auto& f = finals[rep];
      f.push_back(derive_metrics(sim.city_tally(), w));
      for (const auto& t : sim.wijk_tallies()) f.push_back(derive_metrics(t, w));
      for (const auto& t : sim.buurt_tallies()) f.push_back(derive_metrics(t, w));
    };
    RunProgress progress;
    progress.steps_total = static_cast<long long>(replicates) *
                           (std::lround(p.simulation.burn_in) + std::lround(p.simulation.years) + 1);
    RunnerStats stats;
    {
      ProgressLine line(progress, req.progress);
      stats = run_replicates(spec, seed, replicates, req.threads, hooks, &progress);
    }
    parts.join_into(tmp / "timeseries.csv");
    write_text(tmp / "summary.json", summary_json(spec, replicates, final_week, finals, units).dump(2) + "\n");

    // The manifest makes the folder self-describing.
    const ojson m = run_manifest(spec, req, stats, {"manifest.json", "timeseries.csv", "summary.json"});
    write_text(tmp / "manifest.json", m.dump(2) + "\n");

    // Complete: swap into place.
    if (fs::exists(out, ec)) {
      // Swap old and new in one step, so there is no moment without a complete folder at `out`;
      // the temporary name then holds the old run, which is removed.
      if (renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) == 0) {
        fs::remove_all(tmp, ec);
      } else {  // file systems without RENAME_EXCHANGE
        const fs::path old = out.parent_path() / (out.filename().string() + ".old-" + std::to_string(getpid()));
        fs::rename(out, old);
        fs::rename(tmp, out);
        fs::remove_all(old, ec);
      }
    } else {
      fs::rename(tmp, out);
    }
    RunOutcome outcome;
    outcome.out_dir = out.string();
    for (const auto& f : finals) outcome.final_city.push_back(f.front());
    outcome.stats = stats;
    return outcome;
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
}

}  // namespace wijksim
