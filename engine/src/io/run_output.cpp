#include "wijksim/io/run_output.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <Eigen/Core>
#include <boost/version.hpp>
#include <algorithm>
#include <cerrno>
#include <tuple>
#include <cstring>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <set>
#include <mutex>
#include <optional>
#include <thread>

#include "wijksim/core/atomic_file.hpp"
#include "wijksim/core/csv_text.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/core/number_text.hpp"
#include "wijksim/experiment/batch.hpp"
#include "wijksim/experiment/run_as_experiment.hpp"
#include "wijksim/experiment/store.hpp"
#include "wijksim/io/stats.hpp"
#include "wijksim/scenario/calendar.hpp"
#include "wijksim/version.hpp"

namespace wijksim {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

namespace {

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

// Writes each replicate's rows to its own part file; parts are joined in replicate order.
// Rows are gathered in memory and appended to the part in blocks: no file stays open between
// blocks, so a run of many replicates never needs a file descriptor per replicate.
class TimeseriesParts {
 public:
  TimeseriesParts(const fs::path& dir, std::uint32_t replicates, int detail, int interval)
      : dir_(dir), detail_(detail), interval_(std::max(1, interval)), buffers_(replicates), has_part_(replicates, 0) {}

  void write_week(std::uint32_t rep, const Simulation& sim) {
    const World& w = sim.world();
    const std::int32_t week = w.week - 1;  // the week just simulated
    if (week % interval_ != 0 && week != sim.last_week()) return;
    std::string& buf = buffers_[rep];
    auto rows = [&](const char* level, const std::string& unit, const Tally& t) {
      const auto m = derive_metrics(t, w);
      for (std::size_t k = 0; k < metric_count; ++k) {
        append_number(buf, rep);
        buf += ',';
        append_number(buf, week);
        buf += ',';
        buf += level;
        buf += ',';
        append_csv_field(buf, unit);
        buf += ',';
        buf += metric_name(static_cast<Metric>(k));
        buf += ',';
        append_number(buf, m[k]);
        buf += '\n';
      }
    };
    rows("city", w.spec->city.code, sim.city_tally());
    if (detail_ >= static_cast<int>(Detail::wijk))
      for (std::size_t i = 0; i < w.wijken.size(); ++i) rows("wijk", w.wijken[i].code, sim.wijk_tallies()[i]);
    if (detail_ >= static_cast<int>(Detail::buurt))
      for (std::size_t i = 0; i < w.buurten.size(); ++i) rows("buurt", w.buurten[i].place.code, sim.buurt_tallies()[i]);
    if (buf.size() >= kBlockBytes) flush(rep);
  }

  // Called when a replicate is done: its rows leave memory.
  void finish(std::uint32_t rep) { flush(rep); }

  void join_into(const fs::path& target) {
    CheckedFile out(target);
    out.write("replicate,week,level,unit,metric,value\n");
    for (std::uint32_t rep = 0; rep < buffers_.size(); ++rep) {
      if (has_part_[rep]) {
        out.append_file(part(rep));
        std::error_code ec;
        fs::remove(part(rep), ec);  // frees the space the joined copy needs
      }
      out.write(buffers_[rep]);
      std::string().swap(buffers_[rep]);
    }
    out.close();
  }

 private:
  static constexpr std::size_t kBlockBytes = 1 << 20;
  void flush(std::uint32_t rep) {
    std::string& buf = buffers_[rep];
    if (buf.empty()) return;
    const int fd = open(part(rep).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0) throw RuntimeFailure("cannot write " + part(rep).string() + ": " + std::strerror(errno));
    has_part_[rep] = 1;
    std::size_t done = 0;
    while (done < buf.size()) {
      const ssize_t n = ::write(fd, buf.data() + done, buf.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int err = errno;
        ::close(fd);
        throw RuntimeFailure("cannot write " + part(rep).string() + ": " + std::strerror(err) +
                             (err == ENOSPC ? " (disk full)" : ""));
      }
      done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) throw RuntimeFailure("cannot write " + part(rep).string() + ": " + std::strerror(errno));
    buf.clear();
  }
  fs::path part(std::uint32_t rep) const { return dir_ / ("timeseries.part" + std::to_string(rep)); }
  fs::path dir_;
  int detail_, interval_;
  std::vector<std::string> buffers_;  // one per replicate: replicates never share one
  std::vector<char> has_part_;
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
                   const std::vector<std::pair<std::string, std::string>>& units) {
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
    levels[units[u].first][units[u].second] = metrics;
  }
  (void)spec;
  s["levels"] = levels;
  return s;
}

// A file inside the run's temporary folder: checked and synced (the folder's rename is the
// atomic step).
void write_text(const fs::path& file, const std::string& text) {
  CheckedFile out(file);
  out.write(text);
  out.close();
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

namespace {

// What compare, export and report write beside a store; a run folder may hold them too.
const std::set<std::string> derived_files = {"comparison.json", "comparison.csv", "bands.csv",
                                             "runs.csv",        "outcomes.csv",   "metrics.csv",
                                             "report_context.json", "differences.csv"};

// A folder `run --force` may replace: one that a run wrote (its manifest says so) and that
// holds nothing but the files the manifest lists or the downstream commands derived from them.
// Anything else may be the user's.
std::string why_not_a_run_folder(const fs::path& out) {
  std::error_code ec;
  const fs::path manifest = out / "manifest.json";
  std::set<std::string> listed;
  std::string why;
  if (fs::is_regular_file(manifest, ec)) {
    std::ifstream in(manifest, std::ios::binary);
    const ojson m = ojson::parse(in, nullptr, false);
    if (!m.is_discarded() && m.is_object() && m.contains("wijksim_run") && m["files"].is_array()) {
      for (const auto& f : m["files"])
        if (f.is_string()) listed.insert(f.get<std::string>());
    } else {
      why = "its manifest.json is not that of a wijksim run";
    }
  } else {
    why = "it holds no manifest.json of a wijksim run";
  }
  std::string others;
  for (fs::directory_iterator it(out, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if ((listed.count(name) || derived_files.count(name)) && it->is_regular_file()) continue;
    if (!others.empty()) others += ", ";
    others += name;
  }
  if (ec) return "cannot be listed (" + ec.message() + ")";
  if (!why.empty()) return why + "; it holds " + others;
  return others.empty() ? "" : "it holds files a run does not write: " + others;
}

// Free bytes where dir lives; unknown (no limit) on pseudo file systems such as /proc.
std::uintmax_t free_bytes(const fs::path& dir) {
  std::error_code ec;
  const auto sp = fs::space(dir, ec);
  return ec || sp.capacity == 0 ? std::numeric_limits<std::uintmax_t>::max() : sp.available;
}

std::uintmax_t available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uintmax_t kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<std::uintmax_t>(pages) * static_cast<std::uintmax_t>(page)
                               : std::numeric_limits<std::uintmax_t>::max();
}

std::string gib_text(double bytes) {
  char buf[64];
  if (bytes >= 1e9) std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1e9);
  else std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  return buf;
}

// Units written at the requested detail: city, then wijken, then buurten.
std::size_t units_at_detail(const ScenarioSpec& spec) {
  std::size_t n = 1;
  const int detail = spec.params.output.detail;
  for (const auto& wk : spec.city.wijken) {
    if (detail >= static_cast<int>(Detail::wijk)) ++n;
    if (detail >= static_cast<int>(Detail::buurt)) n += wk.buurten.size();
  }
  return n;
}

}  // namespace

fs::path normalized_output(const std::string& out_dir) {
  if (out_dir.empty()) throw InputError(std::vector<Problem>{{"run", "--out", "is empty, expected a folder name"}});
  if (invalid_utf8_at(out_dir) != std::string::npos)
    throw InputError(std::vector<Problem>{{out_dir, "", "is not valid UTF-8, expected a folder name in UTF-8 (the manifest records it)"}});
  std::string s = out_dir;
  while (s.size() > 1 && s.back() == '/') s.pop_back();  // DIR/ is DIR
  const fs::path p(s);
  const std::string name = p.filename().string();
  if (name.empty() || name == "." || name == "..")
    throw InputError(std::vector<Problem>{{out_dir, "", "names an existing folder by . or .. or /, expected the name of the run folder "
                                                        "to create, e.g. out/run1"}});
  return fs::absolute(p);
}

void check_output_location(const std::string& out_dir, bool force) {
  std::error_code ec;
  const fs::path out = normalized_output(out_dir);
  const auto st = fs::symlink_status(out, ec);
  if (fs::is_symlink(st))
    throw InputError(std::vector<Problem>{{out_dir, "", "is a symbolic link, expected a folder (or a name that does not exist yet)"}});
  if (fs::exists(st)) {
    if (!fs::is_directory(st))
      throw InputError(std::vector<Problem>{{out_dir, "", "exists and is not a folder, expected a folder to write the run into"}});
    if (!fs::is_empty(out, ec)) {
      if (!force) throw InputError(std::vector<Problem>{{out_dir, "", "exists and is not empty; pass --force to replace it"}});
      if (const std::string why = why_not_a_run_folder(out); !why.empty())
        throw InputError(std::vector<Problem>{{out_dir, "", "is not the output of an earlier run (" + why +
                                                                "); --force only replaces run folders, expected a new or empty folder"}});
    }
  } else if (ec && ec != std::errc::no_such_file_or_directory) {
    throw InputError(std::vector<Problem>{{out_dir, "", "cannot be checked (" + ec.message() + "), expected a writable location"}});
  }
  ec.clear();
  const fs::path parent = out.parent_path();
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
  m["phase_names"] = phase_timeline_names(spec);
  m["elections_weeks"] = election_weeks(p);
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

void check_run_fits(const ScenarioSpec& spec, const std::string& out_dir) {
  const Params& p = spec.params;
  const double replicates = p.simulation.replicates;
  const double interval = std::max(1.0, std::round(p.output.interval));
  const double weeks = std::floor(std::round(p.simulation.years) / interval) + 2;  // recorded weeks, with the last
  const double units = static_cast<double>(units_at_detail(spec));
  const double rows = replicates * weeks * units * static_cast<double>(metric_count);
  // At least 30 bytes a row ("3,52,buurt,BU01,active_share,0.25\n" is 36); while the parts are
  // joined, up to one more replicate's worth exists twice.
  const double disk = rows * 30 * (1 + 1 / replicates);
  const fs::path parent = normalized_output(out_dir).parent_path();
  const auto free = static_cast<double>(free_bytes(parent));
  if (disk > free)
    throw InputError(std::vector<Problem>{
        {spec.source_file, "simulation.replicates",
         "the run would write about " + gib_text(disk) + " (" + number_text(replicates) + " replicates x " + number_text(weeks) +
             " recorded weeks x " + number_text(units) + " units x " + std::to_string(metric_count) + " metrics) into " +
             out_dir + " but " + parent.string() + " has " + gib_text(free) +
             " free; expected fewer replicates or years, a larger output.interval or a coarser --detail"}});
  // Final values of every replicate and unit are kept for summary.json.
  const double memory = replicates * units * static_cast<double>(metric_count) * 8 * 2;
  const auto avail = static_cast<double>(available_memory());
  if (memory > 0.9 * avail)
    throw InputError(std::vector<Problem>{
        {spec.source_file, "simulation.replicates",
         "the run would need about " + gib_text(memory) + " of memory for its summary (" + number_text(replicates) +
             " replicates x " + number_text(units) + " units), more than the " + gib_text(avail) +
             " available; expected fewer replicates or a coarser --detail"}});
}

RunOutcome run_and_write(const ScenarioSpec& spec, const RunRequest& req) {
  const Params& p = spec.params;
  const fs::path out = normalized_output(req.out_dir);
  AtomicFolder folder(out);  // removes stale temporaries of killed runs; removed on SIGINT/SIGTERM
  const fs::path tmp = folder.path();
  {
    const auto replicates = static_cast<std::uint32_t>(p.simulation.replicates);
    const auto seed = static_cast<std::uint64_t>(p.simulation.seed);
    TimeseriesParts parts(tmp, replicates, p.output.detail, static_cast<int>(std::lround(p.output.interval)));
    // Units in output order, at the requested detail: city, wijken, buurten.
    const int detail = p.output.detail;
    std::vector<std::pair<std::string, std::string>> units = {{"city", spec.city.code}};
    if (detail >= static_cast<int>(Detail::wijk))
      for (const auto& wk : spec.city.wijken) units.push_back({"wijk", wk.code});
    if (detail >= static_cast<int>(Detail::buurt))
      for (const auto& wk : spec.city.wijken)
        for (const auto& b : wk.buurten) units.push_back({"buurt", b.code});
    std::vector<std::vector<std::array<double, metric_count>>> finals(replicates);
    const auto final_week = static_cast<std::int32_t>(std::lround(p.simulation.years));
    // The same store an experiment of one variant writes (run_as_experiment.hpp), through the
    // experiment's writer: every downstream command reads run and experiment folders alike.
    const experiment::Experiment as_experiment = experiment::experiment_of_run(spec, req.scenario_file, req.overrides);
    std::optional<experiment::Store> store(
        experiment::Store::open_for(as_experiment, tmp.string(), experiment::make_manifest(as_experiment, req.command_line)));
    const std::string parameters = experiment::cell_parameters(as_experiment.cells.front());
    std::vector<std::vector<experiment::OutcomeRow>> rows(replicates);
    std::mutex store_mutex;
    // A replicate's rows go to the store in parts of this many (a few MB), as its timeseries
    // rows go to their part file: memory stays flat however long the run.
    constexpr std::size_t kPartRows = 100'000;
    auto hand_over = [&](std::uint32_t rep, double wall_seconds) {
      experiment::RunResult run;
      run.key = {as_experiment.variants.front().name, -1, rep};
      run.parameters = parameters;
      run.seed = as_experiment.seed;
      run.ok = true;
      run.wall_seconds = wall_seconds;
      run.rows = std::move(rows[rep]);
      rows[rep].clear();
      // In the store's key order (metric, level, unit, week): far fewer B-tree pages touched.
      std::sort(run.rows.begin(), run.rows.end(), [](const experiment::OutcomeRow& a, const experiment::OutcomeRow& b) {
        return std::tie(a.metric, a.level, a.unit, a.week) < std::tie(b.metric, b.level, b.unit, b.week);
      });
      std::lock_guard lock(store_mutex);
      store->append(run);
    };
    RunnerHooks hooks;
    hooks.on_week = [&](std::uint32_t rep, const Simulation& sim) {
      parts.write_week(rep, sim);
      experiment::observe_week(as_experiment, sim, rows[rep]);
      if (rows[rep].size() >= kPartRows) hand_over(rep, 0);
    };
    hooks.on_done = [&](std::uint32_t rep, const Simulation& sim) {
      double wall = 0;
      for (double s : sim.seconds()) wall += s;  // this replicate's simulation time
      hand_over(rep, wall);
      const World& w = sim.world();
      auto& f = finals[rep];
      f.push_back(derive_metrics(sim.city_tally(), w));
      if (detail >= static_cast<int>(Detail::wijk))
        for (const auto& t : sim.wijk_tallies()) f.push_back(derive_metrics(t, w));
      if (detail >= static_cast<int>(Detail::buurt))
        for (const auto& t : sim.buurt_tallies()) f.push_back(derive_metrics(t, w));
      parts.finish(rep);
    };
    RunProgress progress;
    progress.steps_total = static_cast<long long>(replicates) *
                           (std::lround(p.simulation.burn_in) + std::lround(p.simulation.years) + 1);
    RunnerStats stats;
    {
      ProgressLine line(progress, req.progress);
      stats = run_replicates(spec, seed, replicates, req.threads, hooks, &progress);
    }
    store->close();  // one self-contained file, and no connection left open in the folder
    store.reset();
    parts.join_into(tmp / "timeseries.csv");
    write_text(tmp / "summary.json", summary_json(spec, replicates, final_week, finals, units).dump(2) + "\n");

    // The manifest makes the folder self-describing.
    const ojson m = run_manifest(spec, req, stats, {"manifest.json", experiment::store_file_name, "timeseries.csv", "summary.json"});
    write_text(tmp / "manifest.json", m.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n");

    folder.commit(req.force);
    RunOutcome outcome;
    outcome.out_dir = out.string();
    for (const auto& f : finals) outcome.final_city.push_back(f.front());
    outcome.stats = stats;
    return outcome;
  }
}

}  // namespace wijksim
