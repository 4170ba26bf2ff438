#include "runs.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <fstream>
#include <random>
#include <sstream>

#include <boost/math/distributions/students_t.hpp>

#include "wijksim/experiment/experiment.hpp"
#include "wijksim/experiment/store.hpp"
#include "wijksim/io/stats.hpp"
#include "wijksim/scenario/calendar.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/sim/simulation.hpp"

extern char** environ;

namespace wijksim::serve {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace ex = wijksim::experiment;

namespace {

// Outcomes every run records, at city and buurt level. The first three are charted and mapped;
// phase and programme_alive draw the phase plan and the programme's survival on the timeline.
const std::vector<std::string> kOutcomes = {"active_share", "unsafe_share", "trust_share", "phase", "programme_alive"};
constexpr std::size_t kCharted = 3;
constexpr int kInterval = 4;          // weeks between observed weeks, as `experiment`'s default
constexpr std::size_t kMaxVariants = 3;
constexpr std::uint32_t kMaxReplicates = 200;
const char* kRequest = "request";

// Bytes per simulated adult while a replicate runs (README "Memory": peak 138 per simulated
// resident at scale; a margin for small cities, whose fixed costs weigh more).
constexpr double kBytesPerAdult = 200;

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

}  // namespace

// One request's runs and their results.
struct Run {
  std::string id, dir;
  ex::Experiment exp;
  std::vector<ScenarioSpec> specs;  // per cell, loaded once, read by every worker
  json scenario_doc;                // the base scenario as given or imported
  std::vector<json> variant_sets;   // per cell: every override, as an object
  std::vector<std::string> units;   // buurt codes in world order
  std::string city_code;
  std::vector<std::int32_t> weeks;  // observed weeks
  std::uint32_t replicates = 0;
  double years = 0;
  std::size_t adults = 0;
  std::atomic<bool> cancelled{false};
  Clock::time_point created = Clock::now();

  mutable std::mutex m;  // everything below
  struct Rep {
    bool done = false;
    std::size_t weeks_done = 0;  // observed weeks simulated so far (all of them when done)
    std::vector<double> city;   // [outcome][week]
    std::vector<double> buurt;  // [outcome][buurt][week]
  };
  std::vector<Rep> reps;            // [cell * replicates + replicate]
  std::vector<double> running;      // fraction done of each task under way (by task index)
  std::size_t finished = 0, failed = 0;
  std::string error;
  double first_week = -1;    // seconds after creation until every variant has its first observed week
  double first_result = -1, all_results = -1;  // ... one whole replicate of every variant; every replicate
  std::string report = "none";                 // none, running, ready, failed: ...

  std::size_t weeks_n() const { return weeks.size(); }
  std::size_t tasks() const { return exp.cells.size() * replicates; }
};

RunManager::RunManager(const Catalog& catalog, RunOptions options)
    : catalog_(catalog), opt_(std::move(options)), shipped_(read_shipped(opt_.scenarios_dir)) {
  fs::create_directories(opt_.work_dir);
  for (unsigned t = 0; t < std::max(1u, opt_.threads); ++t) workers_.emplace_back([this] { worker_loop(); });
}

RunManager::~RunManager() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    for (auto& [id, r] : runs_) r->cancelled = true;
    queue_.clear();
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
  for (auto& t : reporters_) t.join();
}

std::size_t RunManager::active_runs() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [id, r] : runs_) {
    std::lock_guard rl(r->m);
    if (!r->cancelled && r->finished < r->tasks()) ++n;
  }
  return n;
}

std::shared_ptr<Run> RunManager::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = runs_.find(id);
  return it == runs_.end() ? nullptr : it->second;
}

json RunManager::read_shipped(const std::string& dir) {
  json list = json::array();
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return list;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    try {
      std::ifstream in(f);
      const json doc = json::parse(in);
      if (!doc.is_object() || !doc.contains("city")) continue;  // experiment files, not scenarios
      // What the page shows of it: its gemeente's map and its own building blocks and plan.
      json shown = {{"city", {{"code", doc["city"].value("code", "")}}}};
      for (const char* k : {"building_blocks", "programme", "start_date"})
        if (doc.contains(k)) shown[k] = doc[k];
      list.push_back({{"file", f.filename().string()},
                      {"name", doc.value("name", f.stem().string())},
                      {"description", doc.value("description", "")},
                      {"document", shown}});
    } catch (const json::exception&) {
    }
  }
  return list;
}

namespace {

// Sets a dotted path (array indices as numbers) in a JSON document, creating objects on the way.
void apply_set(json& doc, const std::string& path, const json& value) {
  json* at = &doc;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    json* next = nullptr;
    if (at->is_array() && !key.empty() && std::all_of(key.begin(), key.end(), ::isdigit)) {
      const std::size_t i = std::stoul(key);
      if (i >= at->size()) return;  // the checker has already refused it
      next = &(*at)[i];
    } else {
      if (!at->is_object()) *at = json::object();
      next = &(*at)[key];
    }
    if (dot == std::string::npos) {
      *next = value;
      return;
    }
    at = next;
    start = dot + 1;
  }
}

// Problems name the request, not the server's temporary files.
InputError relabel(const InputError& e, const std::string& scenario_file, const std::string& experiment_file) {
  std::vector<Problem> ps = e.problems();
  for (auto& p : ps) {
    if (p.file == scenario_file) p.file = "scenario";
    if (p.file == experiment_file) p.file = kRequest;
    const auto pos = p.message.find(scenario_file);
    if (pos != std::string::npos) p.message.replace(pos, scenario_file.size(), "scenario");
  }
  return InputError(ps);
}

std::string describe(const json& v) {
  if (v.is_string()) return "\"" + v.get<std::string>() + "\"";
  return v.type_name() + std::string(" ") + v.dump().substr(0, 40);
}

}  // namespace

std::string RunManager::submit(const json& req) {
  std::vector<Problem> problems;
  auto problem = [&](const std::string& path, const std::string& msg) { problems.push_back({kRequest, path, msg}); };
  if (!req.is_object()) throw InputError(std::vector<Problem>{{kRequest, "", "found " + describe(req) + ", expected an object"}});
  static const std::vector<std::string> keys = {"gemeente", "wijken", "scenario", "scenario_file", "set", "variants",
                                                "replicates", "years", "seed", "replaces", "start_date", "baseline"};
  for (const auto& [k, v] : req.items())
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      const auto near = nearest(k, keys);
      problem(k, "unknown key" + (near.empty() ? std::string(", expected one of gemeente, scenario, scenario_file, set, variants, replicates, years, seed, replaces")
                                               : "; did you mean \"" + near + "\"?"));
    }

  // The base scenario: a gemeente from the CBS data, a shipped file, or one sent along.
  json scenario;
  const int sources = req.contains("gemeente") + req.contains("scenario") + req.contains("scenario_file");
  if (sources != 1) {
    problem("", "expected exactly one of \"gemeente\", \"scenario_file\" and \"scenario\"");
  } else if (req.contains("gemeente")) {
    std::vector<std::string> wijken;
    if (req.contains("wijken")) {
      if (!req["wijken"].is_array()) problem("wijken", "found " + describe(req["wijken"]) + ", expected an array of wijk codes");
      else
        for (std::size_t i = 0; i < req["wijken"].size(); ++i) {
          if (req["wijken"][i].is_string()) wijken.push_back(req["wijken"][i].get<std::string>());
          else problem("wijken[" + std::to_string(i) + "]", "found " + describe(req["wijken"][i]) + ", expected a wijk code such as \"WK016402\"");
        }
    }
    if (!req["gemeente"].is_string()) {
      problem("gemeente", "found " + describe(req["gemeente"]) + ", expected a gemeente code such as \"GM0164\"");
    } else {
      const std::string g = req["gemeente"].get<std::string>();
      if (catalog_.find(g) < 0) {
        const auto near = catalog_.suggestion(g);
        problem("gemeente", "found \"" + g + "\", expected a CBS gemeente code or name" + (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
      } else if (problems.empty()) {
        try {
          scenario = catalog_.scenario(catalog_.gemeenten()[static_cast<std::size_t>(catalog_.find(g))].code, wijken);
        } catch (const InputError& e) {
          for (auto p : e.problems()) {
            p.file = kRequest;
            if (p.path == "--wijk") p.path = "wijken";
            if (p.path == "--gemeente") p.path = "gemeente";
            problems.push_back(p);
          }
        }
      }
    }
  } else if (req.contains("scenario_file")) {
    const json& list = shipped_;
    const std::string f = req["scenario_file"].is_string() ? req["scenario_file"].get<std::string>() : "";
    bool found = false;
    for (const auto& s : list)
      if (s["file"] == f) found = true;
    if (!found) {
      std::string names;
      for (const auto& s : list) names += (names.empty() ? "" : ", ") + s["file"].get<std::string>();
      problem("scenario_file", "found " + describe(req["scenario_file"]) + ", expected a shipped scenario: " + names);
    } else {
      scenario = read_json_file((fs::path(opt_.scenarios_dir) / f).string());
    }
  } else {
    scenario = req["scenario"];
    if (!scenario.is_object()) problem("scenario", "found " + describe(scenario) + ", expected a scenario object (as in scenarios/*.json)");
  }

  if (req.contains("start_date") && !scenario.is_null()) scenario["start_date"] = req["start_date"];  // checked with the scenario
  auto read_set = [&](const json& s, const std::string& at, json& out) {
    if (!s.is_object()) {
      problem(at, "found " + describe(s) + ", expected an object of \"dotted.path\": value");
      return;
    }
    for (const auto& [k, v] : s.items()) out[k] = v;
  };
  json base_set = json::object();
  if (req.contains("set")) read_set(req["set"], "set", base_set);
  json variants = json::array();
  json baseline_name = "baseline";
  if (req.contains("baseline")) baseline_name = req["baseline"];  // the experiment checks the name
  variants.push_back({{"name", baseline_name}, {"set", base_set}});
  if (req.contains("variants")) {
    const json& vs = req["variants"];
    if (!vs.is_array() || vs.size() > kMaxVariants) {
      problem("variants", "found " + describe(vs) + ", expected an array of at most 3 variants {\"name\", \"set\"}");
    } else {
      for (std::size_t i = 0; i < vs.size(); ++i) {
        const std::string at = "variants[" + std::to_string(i) + "]";
        if (!vs[i].is_object()) {
          problem(at, "found " + describe(vs[i]) + ", expected {\"name\": ..., \"set\": {...}}");
          continue;
        }
        json set = base_set;
        if (vs[i].contains("set")) read_set(vs[i]["set"], at + ".set", set);
        for (const auto& [k, v] : vs[i].items())
          if (k != "name" && k != "set") problem(at + "." + k, "unknown key, expected name and set");
        variants.push_back({{"name", vs[i].value("name", json(nullptr))}, {"set", set}});
      }
    }
  }
  auto integer = [&](const char* key, long long lo, long long hi, long long def) -> long long {
    if (!req.contains(key)) return def;
    const json& v = req[key];
    if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi) {
      problem(key, "found " + describe(v) + ", expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
      return def;
    }
    return v.get<long long>();
  };
  const auto replicates = static_cast<std::uint32_t>(integer("replicates", 1, kMaxReplicates, 20));
  const auto seed = integer("seed", 0, 2147483647, 1);
  double years = 0;
  if (req.contains("years")) {
    if (!req["years"].is_number() || req["years"].get<double>() < 0.25 || req["years"].get<double>() > 30)
      problem("years", "found " + describe(req["years"]) + ", expected a number of years from 0.25 to 30");
    else years = req["years"].get<double>();
  }
  std::string replaces;
  if (req.contains("replaces")) {
    if (!req["replaces"].is_string()) problem("replaces", "found " + describe(req["replaces"]) + ", expected a run id");
    else replaces = req["replaces"].get<std::string>();
  }
  if (!problems.empty()) throw InputError(problems);
  // Stale work goes first, so the new run does not wait behind it.
  if (!replaces.empty()) cancel(replaces);

  auto run = std::make_shared<Run>();
  {
    std::lock_guard lock(mutex_);
    std::ostringstream id;
    std::random_device rd;
    id << "r" << ++counter_ << "-" << std::hex << (rd() & 0xffffff);
    run->id = id.str();
  }
  run->dir = (fs::path(opt_.work_dir) / run->id).string();
  fs::create_directories(run->dir);
  const std::string scenario_file = (fs::path(run->dir) / "scenario.json").string();
  const std::string experiment_file = (fs::path(run->dir) / "experiment.json").string();
  scenario.erase("simulation");  // years, replicates and seed belong to the request
  run->scenario_doc = scenario;
  {
    std::ofstream out(scenario_file);
    out << scenario.dump(1) << "\n";
  }
  json edoc = {{"scenario", "scenario.json"},
               {"description", "wijksim serve run " + run->id},
               {"replicates", replicates},
               {"seed", seed},
               {"outcomes", kOutcomes},
               {"levels", {"city", "buurt"}},
               {"interval", kInterval},
               {"variants", variants}};
  if (years > 0) edoc["years"] = years;
  {
    std::ofstream out(experiment_file);
    out << edoc.dump(1) << "\n";
  }
  try {
    run->exp = ex::load_experiment_json(edoc, experiment_file);
    for (const auto& c : run->exp.cells) run->specs.push_back(ex::load_cell(run->exp, c));
  } catch (const InputError& e) {
    std::error_code ec;
    fs::remove_all(run->dir, ec);
    throw relabel(e, scenario_file, experiment_file);
  }
  for (const auto& v : variants) run->variant_sets.push_back(v["set"]);
  run->replicates = replicates;
  const ScenarioSpec& spec = run->specs.front();
  run->city_code = spec.city.code;
  for (const auto& w : spec.city.wijken)
    for (const auto& b : w.buurten) {
      run->units.push_back(b.code);
      run->adults += static_cast<std::size_t>(b.adults());
    }
  const auto last_week = static_cast<std::int32_t>(std::lround(spec.params.simulation.years));
  for (std::int32_t w = 0; w <= last_week; ++w)
    if (w % kInterval == 0 || w == last_week) run->weeks.push_back(w);
  run->years = static_cast<double>(last_week) / 52.0;

  // Memory: the worlds under way plus every replicate's results.
  const double worlds = kBytesPerAdult * static_cast<double>(run->adults) * std::max(1u, opt_.threads);
  const double results = 8.0 * static_cast<double>(run->tasks()) * static_cast<double>(run->weeks.size()) *
                         static_cast<double>(kOutcomes.size()) * static_cast<double>(1 + run->units.size());
  if (worlds + results > static_cast<double>(opt_.memory_budget)) {
    std::error_code ec;
    fs::remove_all(run->dir, ec);
    std::ostringstream msg;
    msg << "this run needs about " << std::llround((worlds + results) / 1048576) << " MiB (" << run->adults
        << " adults on " << opt_.threads << " threads: " << std::llround(worlds / 1048576) << " MiB; results of "
        << run->tasks() << " replicates: " << std::llround(results / 1048576) << " MiB), beyond the memory budget of "
        << (opt_.memory_budget >> 20) << " MiB (wijksim serve --memory-budget); choose fewer wijken, replicates or years";
    throw BudgetError(msg.str());
  }
  run->reps.resize(run->tasks());
  run->running.assign(run->tasks(), 0.0);

  {
    std::lock_guard lock(mutex_);
    runs_[run->id] = run;
    order_.push_back(run->id);
    // Replicate-major, so every variant gets its first replicates early and paired differences
    // can be drawn from the first results on.
    for (std::uint32_t r = 0; r < replicates; ++r)
      for (std::size_t c = 0; c < run->exp.cells.size(); ++c) queue_.push_back({run, c, r});
    evict_locked();
  }
  wake_.notify_all();
  return run->id;
}

void RunManager::evict_locked() {
  // Drops the oldest runs that are finished or cancelled, beyond max_runs.
  while (order_.size() > opt_.max_runs) {
    bool dropped = false;
    for (auto it = order_.begin(); it != order_.end(); ++it) {
      auto& r = runs_[*it];
      std::unique_lock rl(r->m);
      const bool over = r->cancelled || r->finished == r->tasks();  // finished or abandoned
      if (!over || r->report == "running") continue;
      rl.unlock();
      r->cancelled = true;
      std::error_code ec;
      fs::remove_all(r->dir, ec);
      runs_.erase(*it);
      order_.erase(it);
      dropped = true;
      break;
    }
    if (!dropped) return;  // every kept run is still working
  }
}

bool RunManager::cancel(const std::string& id) {
  auto run = find(id);
  if (!run) return false;
  run->cancelled = true;
  std::lock_guard lock(mutex_);
  queue_.erase(std::remove_if(queue_.begin(), queue_.end(), [&](const Task& t) { return t.run == run; }), queue_.end());
  return true;
}

void RunManager::worker_loop() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    if (!task.run->cancelled) execute(task.run, task.cell, task.replicate);
  }
}

void RunManager::execute(const std::shared_ptr<Run>& run, std::size_t cell, std::uint32_t replicate) {
  const std::size_t task = cell * run->replicates + replicate;
  const std::size_t nw = run->weeks_n(), nb = run->units.size(), no = kOutcomes.size();
  {
    // The replicate's arrays live in the run from the start: every observed week is published
    // as soon as it is simulated, so charts grow week by week even while no replicate is done.
    std::lock_guard lock(run->m);
    auto& rep = run->reps[task];
    rep.city.assign(no * nw, 0.0);
    rep.buurt.assign(no * nb * nw, 0.0);
    rep.weeks_done = 0;
    rep.done = false;
  }
  std::vector<int> metric;
  for (const auto& name : kOutcomes) metric.push_back(metric_index(name));
  std::vector<double> city_now(no), buurt_now(no * nb);  // one week's values, filled outside the lock
  std::string error;
  bool ok = false;
  try {
    ThreadPool pool(1);  // parallelism is over replicates
    // Common random numbers: (experiment seed, replicate) for every variant, as run_cell does.
    Simulation sim(run->specs[cell], run->exp.seed, replicate, pool);
    const double first = sim.week(), span = std::max(1.0, sim.last_week() - first + 1);
    std::size_t wi = 0;
    while (!sim.done()) {
      if (run->cancelled.load(std::memory_order_relaxed)) return;
      const bool observed = sim.week() >= 0;
      sim.step();
      const std::int32_t week = sim.week() - 1;
      if (observed && wi < nw && week == run->weeks[wi]) {
        const World& w = sim.world();
        const auto city = derive_metrics(sim.city_tally(), w);
        for (std::size_t k = 0; k < no; ++k) city_now[k] = city[static_cast<std::size_t>(metric[k])];
        for (std::size_t b = 0; b < nb; ++b) {
          const auto m = derive_metrics(sim.buurt_tallies()[b], w);
          for (std::size_t k = 0; k < no; ++k) buurt_now[k * nb + b] = m[static_cast<std::size_t>(metric[k])];
        }
        std::lock_guard lock(run->m);
        auto& rep = run->reps[task];
        for (std::size_t k = 0; k < no; ++k) rep.city[k * nw + wi] = city_now[k];
        for (std::size_t k = 0; k < no; ++k)
          for (std::size_t b = 0; b < nb; ++b) rep.buurt[(k * nb + b) * nw + wi] = buurt_now[k * nb + b];
        rep.weeks_done = ++wi;
        run->running[task] = (sim.week() - first) / span;
        if (run->first_week < 0) {
          bool all = true;
          for (std::size_t c = 0; c < run->exp.cells.size(); ++c) all = all && run->reps[c * run->replicates].weeks_done > 0;
          if (all) run->first_week = seconds(run->created, Clock::now());
        }
      } else if ((sim.week() & 7) == 0) {
        std::lock_guard lock(run->m);
        run->running[task] = (sim.week() - first) / span;
      }
    }
    ok = true;
  } catch (const std::exception& e) {
    error = e.what();
  }
  std::lock_guard lock(run->m);
  run->running[task] = 0;
  ++run->finished;
  auto& rep = run->reps[task];
  if (!ok) {
    ++run->failed;
    if (run->error.empty()) run->error = error;
    rep = Run::Rep{};
  } else {
    rep.done = true;
  }
  const double t = seconds(run->created, Clock::now());
  // First result: one replicate of every variant, so every chart and difference has a line.
  if (run->first_result < 0) {
    bool all = true;
    for (std::size_t c = 0; c < run->exp.cells.size(); ++c) all = all && run->reps[c * run->replicates].done;
    if (all) run->first_result = t;
  }
  if (run->finished == run->tasks()) run->all_results = t;
}

namespace {

double t975(std::size_t df) {
  return df == 0 ? 0 : boost::math::quantile(boost::math::students_t(static_cast<double>(df)), 0.975);
}

json round_vec(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(std::isfinite(x) ? json(std::round(x * 1e5) / 1e5) : json(nullptr));  // null: not simulated yet
  return a;
}

}  // namespace

json RunManager::status(const std::string& id) const {
  auto run = find(id);
  if (!run) return nullptr;
  std::lock_guard lock(run->m);
  const std::size_t nc = run->exp.cells.size(), R = run->replicates, nw = run->weeks_n(), nb = run->units.size();
  double progress = static_cast<double>(run->finished);
  for (double f : run->running) progress += f;
  progress /= static_cast<double>(run->tasks());
  const bool complete = run->finished == run->tasks();
  // A run replaced after it finished keeps its results: it is done, not cancelled.
  std::string state = complete ? (run->failed ? "failed" : "done") : run->cancelled ? "cancelled" : (run->finished || progress > 0 ? "running" : "queued");
  json variants = json::array();
  for (std::size_t c = 0; c < nc; ++c) {
    std::size_t n = 0;
    for (std::uint32_t r = 0; r < R; ++r) n += run->reps[c * R + r].done;
    variants.push_back({{"name", run->exp.variants[c].name}, {"set", run->variant_sets[c]}, {"replicates_done", n}});
  }
  json out = {{"id", run->id},
              {"status", state},
              {"progress", std::round(progress * 1000) / 1000},
              {"replicates", R},
              {"years", run->years},
              {"seed", run->exp.seed},
              {"start_date", run->specs.front().start_date},
              {"city", {{"code", run->city_code}, {"name", run->specs.front().city.name}, {"adults", run->adults}}},
              {"weeks", run->weeks},
              {"variants", variants},
              {"baseline", run->exp.variants[run->exp.baseline].name},
              {"elapsed_seconds", std::round(seconds(run->created, Clock::now()) * 1000) / 1000},
              {"first_week_seconds", run->first_week},
              {"first_result_seconds", run->first_result},
              {"all_results_seconds", run->all_results},
              {"report", run->report}};
  if (!run->error.empty()) out["error"] = run->error;
  // Elections on the timeline, in weeks after the start date, up to the last week shown.
  json el = json::array();
  for (const auto week : election_weeks(run->specs.front().params))
    if (week <= run->weeks.back() + 0.5) el.push_back(week);
  out["elections"] = el;

  // Fan charts per variant and outcome; paired differences with the baseline.
  const std::size_t base = run->exp.baseline;
  json fans = json::object(), diffs = json::object(), timeline = json::object();
  std::vector<double> vals;
  for (std::size_t k = 0; k < kOutcomes.size(); ++k) {
    json per_variant = json::object(), per_diff = json::object();
    for (std::size_t c = 0; c < nc; ++c) {
      // Weeks no replicate has reached yet stay NaN (null in JSON): the charts grow week by week.
      const double nan = std::numeric_limits<double>::quiet_NaN();
      std::vector<double> p5(nw, nan), p25(nw, nan), p50(nw, nan), p75(nw, nan), p95(nw, nan), mean(nw, nan);
      std::size_t n = 0, any = 0;  // n: replicates that reached the last week
      for (std::size_t w = 0; w < nw; ++w) {
        vals.clear();
        for (std::uint32_t r = 0; r < R; ++r)
          if (run->reps[c * R + r].weeks_done > w) vals.push_back(run->reps[c * R + r].city[k * nw + w]);
        n = vals.size();
        any += n;
        if (vals.empty()) continue;
        std::sort(vals.begin(), vals.end());
        p5[w] = percentile(vals, 0.05), p25[w] = percentile(vals, 0.25), p50[w] = percentile(vals, 0.5);
        p75[w] = percentile(vals, 0.75), p95[w] = percentile(vals, 0.95);
        double s = 0;
        for (double v : vals) s += v;
        mean[w] = s / static_cast<double>(n);
      }
      if (any == 0) continue;
      const std::string name = run->exp.variants[c].name;
      if (k >= kCharted) {
        timeline[kOutcomes[k]][name] = round_vec(mean);
        continue;
      }
      per_variant[name] = {{"n", n}, {"p5", round_vec(p5)},   {"p25", round_vec(p25)}, {"p50", round_vec(p50)},
                           {"p75", round_vec(p75)}, {"p95", round_vec(p95)}, {"mean", round_vec(mean)}};
      if (c == base) continue;
      std::vector<double> dm(nw, nan), lo(nw, nan), hi(nw, nan);
      std::size_t pairs = 0, any_pairs = 0;
      for (std::size_t w = 0; w < nw; ++w) {
        vals.clear();
        for (std::uint32_t r = 0; r < R; ++r)
          if (run->reps[c * R + r].weeks_done > w && run->reps[base * R + r].weeks_done > w)
            vals.push_back(run->reps[c * R + r].city[k * nw + w] - run->reps[base * R + r].city[k * nw + w]);
        pairs = vals.size();
        any_pairs += pairs;
        if (vals.empty()) continue;
        const Summary s = summarise(vals);
        dm[w] = s.mean;
        const double half = pairs > 1 ? t975(pairs - 1) * s.sd / std::sqrt(static_cast<double>(pairs)) : 0;
        lo[w] = s.mean - half, hi[w] = s.mean + half;
      }
      if (any_pairs) per_diff[name] = {{"n", pairs}, {"mean", round_vec(dm)}, {"lo", round_vec(lo)}, {"hi", round_vec(hi)}};
    }
    if (k < kCharted) {
      fans[kOutcomes[k]] = per_variant;
      diffs[kOutcomes[k]] = per_diff;
    }
  }
  out["fans"] = fans;
  out["differences"] = diffs;
  out["timeline"] = timeline;

  // The map: per buurt, the mean at each whole year (and the paired difference with the baseline).
  std::vector<std::size_t> year_idx;
  json years = json::array();
  for (int y = 0; y * 52 <= run->weeks.back(); ++y) {
    std::size_t best = 0;
    for (std::size_t w = 0; w < nw; ++w)
      if (std::abs(run->weeks[w] - y * 52) < std::abs(run->weeks[best] - y * 52)) best = w;
    year_idx.push_back(best);
    years.push_back(run->weeks[best]);
  }
  if (run->weeks.back() % 52 != 0) {
    year_idx.push_back(nw - 1);
    years.push_back(run->weeks.back());
  }
  json map = {{"weeks", years}, {"units", run->units}, {"mean", json::object()}, {"difference", json::object()}};
  const std::size_t ny = year_idx.size();
  for (std::size_t k = 0; k < kCharted; ++k) {
    for (std::size_t c = 0; c < nc; ++c) {
      // Per year, the replicates that reached it (and, for the difference, whose baseline did too).
      std::vector<double> mean(nb * ny, 0.0), diff(nb * ny, 0.0);
      std::vector<std::size_t> n(ny, 0), pairs(ny, 0);
      for (std::uint32_t r = 0; r < R; ++r) {
        const auto& rep = run->reps[c * R + r];
        const auto& brep = run->reps[base * R + r];
        for (std::size_t y = 0; y < ny; ++y) {
          if (rep.weeks_done <= year_idx[y]) continue;
          ++n[y];
          const bool paired = c != base && brep.weeks_done > year_idx[y];
          pairs[y] += paired;
          for (std::size_t b = 0; b < nb; ++b) {
            const double v = rep.buurt[(k * nb + b) * nw + year_idx[y]];
            mean[b * ny + y] += v;
            if (paired) diff[b * ny + y] += v - brep.buurt[(k * nb + b) * nw + year_idx[y]];
          }
        }
      }
      const double nan = std::numeric_limits<double>::quiet_NaN();
      bool any = false, any_pairs = false;
      for (std::size_t b = 0; b < nb; ++b)
        for (std::size_t y = 0; y < ny; ++y) {
          mean[b * ny + y] = n[y] ? mean[b * ny + y] / static_cast<double>(n[y]) : nan;
          diff[b * ny + y] = pairs[y] ? diff[b * ny + y] / static_cast<double>(pairs[y]) : nan;
          any = any || n[y];
          any_pairs = any_pairs || pairs[y];
        }
      const std::string name = run->exp.variants[c].name;
      if (any) map["mean"][kOutcomes[k]][name] = round_vec(mean);
      if (any_pairs) map["difference"][kOutcomes[k]][name] = round_vec(diff);
    }
  }
  out["map"] = map;
  return out;
}

json RunManager::scenario_for(const std::string& id, const std::string& variant) const {
  auto run = find(id);
  if (!run) return nullptr;
  std::size_t c = run->exp.baseline;
  if (!variant.empty()) {
    c = run->exp.variants.size();
    for (std::size_t i = 0; i < run->exp.variants.size(); ++i)
      if (run->exp.variants[i].name == variant) c = i;
    if (c == run->exp.variants.size())
      throw InputError(std::vector<Problem>{{kRequest, "variant", "found \"" + variant + "\", expected the name of one of the run's variants"}});
  }
  json doc = run->scenario_doc;
  for (const auto& [k, v] : run->variant_sets[c].items()) apply_set(doc, k, v);
  doc["simulation"] = {{"years", run->years}, {"replicates", run->replicates}, {"seed", run->exp.seed}};
  doc["output"] = {{"detail", "buurt"}};
  return doc;
}

bool RunManager::csv(const std::string& id, std::string& out) const {
  auto run = find(id);
  if (!run) return false;
  std::lock_guard lock(run->m);
  std::ostringstream s;
  s.precision(17);
  s << "variant,replicate,week,level,unit,metric,value\n";
  const std::size_t R = run->replicates, nw = run->weeks_n(), nb = run->units.size();
  for (std::size_t c = 0; c < run->exp.cells.size(); ++c)
    for (std::uint32_t r = 0; r < R; ++r) {
      const auto& rep = run->reps[c * R + r];
      if (!rep.done) continue;
      const std::string& v = run->exp.variants[c].name;
      for (std::size_t w = 0; w < nw; ++w) {
        for (std::size_t k = 0; k < kOutcomes.size(); ++k)
          s << v << ',' << r << ',' << run->weeks[w] << ",city," << run->city_code << ',' << kOutcomes[k] << ','
            << rep.city[k * nw + w] << '\n';
        for (std::size_t b = 0; b < nb; ++b)
          for (std::size_t k = 0; k < kOutcomes.size(); ++k)
            s << v << ',' << r << ',' << run->weeks[w] << ",buurt," << run->units[b] << ',' << kOutcomes[k] << ','
              << rep.buurt[(k * nb + b) * nw + w] << '\n';
      }
    }
  out = s.str();
  return true;
}

std::string RunManager::start_report(const std::string& id, const std::string& lang) {
  auto run = find(id);
  if (!run) return "none";
  std::vector<ex::RunResult> results;
  {
    std::lock_guard lock(run->m);
    if (run->report == "running" || run->report == "ready") return run->report;
    if (run->finished < run->tasks()) return "not finished";
    // The rows `wijksim experiment` stores for the same experiment: per observed week, city
    // then buurten, every outcome.
    const std::size_t R = run->replicates, nw = run->weeks_n(), nb = run->units.size();
    for (std::size_t c = 0; c < run->exp.cells.size(); ++c)
      for (std::uint32_t r = 0; r < R; ++r) {
        const auto& rep = run->reps[c * R + r];
        ex::RunResult res;
        res.key = {run->exp.variants[c].name, -1, r};
        res.parameters = ex::cell_parameters(run->exp.cells[c]);
        res.seed = run->exp.seed;
        res.ok = rep.done;
        if (!rep.done) res.error = "failed";
        for (std::size_t w = 0; w < nw && rep.done; ++w) {
          for (std::size_t k = 0; k < kOutcomes.size(); ++k)
            res.rows.push_back({run->weeks[w], ex::Level::city, run->city_code,
                                static_cast<Metric>(metric_index(kOutcomes[k])), rep.city[k * nw + w]});
          for (std::size_t b = 0; b < nb; ++b)
            for (std::size_t k = 0; k < kOutcomes.size(); ++k)
              res.rows.push_back({run->weeks[w], ex::Level::buurt, run->units[b],
                                  static_cast<Metric>(metric_index(kOutcomes[k])), rep.buurt[(k * nb + b) * nw + w]});
        }
        results.push_back(std::move(res));
      }
    run->report = "running";
  }
  const std::string store_dir = (fs::path(run->dir) / "store").string();
  const std::string html = (fs::path(run->dir) / "report.html").string();
  const std::string exe = opt_.self_exe;
  const std::string language = lang == "en" ? "en" : "nl";
  std::lock_guard lock(mutex_);
  reporters_.emplace_back([run, results = std::move(results), store_dir, html, exe, language] {
    std::string state = "ready";
    try {
      std::error_code ec;
      fs::remove_all(store_dir, ec);
      {
        ex::Store store = ex::Store::open_for(run->exp, store_dir, ex::make_manifest(run->exp, "wijksim serve"));
        store.write(results);
      }
      std::vector<std::string> args = {exe, "report", store_dir, "--out", html, "--lang", language};
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      pid_t pid = 0;
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      const std::string log = store_dir + "/report.log";
      posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      posix_spawn_file_actions_adddup2(&fa, 1, 2);
      // The server's threads block SIGINT/SIGTERM (cmd_serve.cpp); the report must not inherit that.
      posix_spawnattr_t attr;
      posix_spawnattr_init(&attr);
      sigset_t none;
      sigemptyset(&none);
      posix_spawnattr_setsigmask(&attr, &none);
      posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
      const int rc = posix_spawn(&pid, exe.c_str(), &fa, &attr, argv.data(), environ);
      posix_spawnattr_destroy(&attr);
      posix_spawn_file_actions_destroy(&fa);
      int status = 0;
      if (rc != 0) state = "failed: could not start " + exe;
      else if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::ifstream in(log);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        state = "failed: wijksim report: " + text.substr(text.size() > 400 ? text.size() - 400 : 0);
      }
    } catch (const std::exception& e) {
      state = std::string("failed: ") + e.what();
    }
    std::lock_guard rl(run->m);
    run->report = state;
  });
  return "running";
}

std::string RunManager::report_state(const std::string& id, std::string& html_path) const {
  auto run = find(id);
  if (!run) return "none";
  std::lock_guard lock(run->m);
  html_path = (fs::path(run->dir) / "report.html").string();
  return run->report;
}

}  // namespace wijksim::serve
