#include "wijksim/experiment/store.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>

#include "store_impl.hpp"
#include "wijksim/core/atomic_file.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/core/number_text.hpp"
#include "wijksim/experiment/batch.hpp"
#include "wijksim/io/run_output.hpp"

namespace wijksim::experiment {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr const char* kSchema = R"(
CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  variant TEXT NOT NULL,
  design_point INTEGER NOT NULL,
  parameters TEXT NOT NULL,
  replicate INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  error TEXT,
  wall_seconds REAL,
  UNIQUE (variant, design_point, replicate));
CREATE TABLE outcomes (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  week INTEGER NOT NULL,
  level TEXT NOT NULL,
  unit TEXT NOT NULL,
  metric TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, metric, level, unit, week)) WITHOUT ROWID;
)";

bool has_table(sql::Db& db, const std::string& name) {
  sql::Stmt st(db.get(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  st.bind(1, name);
  return st.step();
}

json read_manifest(sql::Db& db, const std::string& key) {
  sql::Stmt st(db.get(), "SELECT value FROM manifest WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return nullptr;
  return json::parse(st.text(0), nullptr, false);
}

void write_manifest(sql::Db& db, const std::string& key, const json& value) {
  sql::Stmt st(db.get(), "INSERT OR REPLACE INTO manifest (key, value) VALUES (?, ?)");
  st.bind(1, key).bind(2, value.dump());
  st.step();
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// SQLite's own check of the file's structure (pages, indexes): a zeroed or cut page shows here.
void verify_integrity(sql::Db& db, const std::string& dir) {
  sql::Stmt st(db.get(), "PRAGMA quick_check(5)");
  std::string found;
  while (st.step()) {
    const std::string line = st.text(0);
    if (line == "ok") continue;
    found += (found.empty() ? "" : "; ") + line;
  }
  if (!found.empty())
    throw InputError(std::vector<Problem>{{dir, "", "holds a damaged " + std::string(store_file_name) + " (SQLite quick_check: " + found +
                                                        "); expected an intact store: restore it or run the experiment into a new folder"}});
}

// The range every value of a metric must lie in: shares and means of [0, 1] quantities, and
// counts, hours and euros that are never negative. A value outside it is damage, not a result.
std::pair<double, double> metric_range(std::string_view m) {
  const bool unit_interval = (m.size() > 6 && m.substr(m.size() - 6) == "_share") || m == "mean_trust" ||
                             m == "mean_social_trust" || m == "collective_efficacy" || m == "programme_alive";
  return {0.0, unit_interval ? 1.0 : std::numeric_limits<double>::infinity()};
}

void verify_values(sql::Db& db, const std::string& dir) {
  sql::Stmt st(db.get(), "SELECT metric, MIN(value), MAX(value), COUNT(*) - COUNT(value) FROM outcomes GROUP BY metric");
  std::vector<Problem> problems;
  while (st.step()) {
    const std::string m = st.text(0);
    if (metric_index(m) < 0) {
      problems.push_back({dir, "", "holds values of an unknown metric \"" + m + "\"; the store is damaged or was edited"});
      continue;
    }
    const auto [lo, hi] = metric_range(m);
    const double mn = st.real(1), mx = st.real(2);
    const double bad = !(mn >= lo - 1e-9) ? mn : !(mx <= hi + 1e-9) ? mx : 0;
    if (bad != 0 || !(mn >= lo - 1e-9) || st.integer(3) > 0)
      problems.push_back({dir, "", "holds " + m + " = " + number_text(bad) + ", outside its range [" + number_text(lo) + ", " +
                                       number_text(hi) + "]; the store is damaged or was edited"});
  }
  if (!problems.empty()) throw InputError(problems);
}

// The manifest values every reader relies on, with their types: a tampered manifest is a
// clear error here, not a JSON exception in some reader later.
void verify_manifest(sql::Db& db, const std::string& dir) {
  sql::Stmt st(db.get(), "SELECT key, value FROM manifest");
  std::vector<Problem> problems;
  json m = json::object();
  while (st.step()) {
    json v = json::parse(st.text(1), nullptr, false);
    if (v.is_discarded()) problems.push_back({dir, "manifest." + st.text(0), "is not valid JSON; the store is damaged or was edited"});
    else m[st.text(0)] = std::move(v);
  }
  auto expect = [&](const char* key, bool ok, const char* what) {
    if (m.contains(key) && !ok) problems.push_back({dir, std::string("manifest.") + key, std::string("is not ") + what + "; the store is damaged or was edited"});
  };
  auto strings = [](const json& v) {
    return v.is_array() && std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_string(); });
  };
  auto get = [&](const char* key) { return m.contains(key) ? m[key] : json(); };
  expect("experiment_hash", get("experiment_hash").is_string(), "a string");
  expect("experiment_file", get("experiment_file").is_string(), "a string");
  expect("scenario_file", get("scenario_file").is_string(), "a string");
  expect("experiment", get("experiment").is_object(), "an object");
  expect("variants", strings(get("variants")), "an array of names");
  expect("baseline", get("baseline").is_string(), "a string");
  expect("outcomes", strings(get("outcomes")), "an array of metric names");
  expect("levels", strings(get("levels")), "an array of levels");
  expect("interval_weeks", get("interval_weeks").is_number(), "a number");
  expect("replicates", get("replicates").is_number(), "a number");
  const json cells = get("cells");
  expect("cells", cells.is_array() && std::all_of(cells.begin(), cells.end(), [](const json& c) {
           return c.is_object() && c.contains("variant") && c["variant"].is_string();
         }), "an array of cells");
  expect("design", get("design").is_object() || get("design").is_null(), "an object");
  if (!problems.empty()) throw InputError(problems);
}

void prepare_writes(Store::Impl& s) {
  sqlite3* db = s.db.get();
  s.delete_outcomes = std::make_unique<sql::Stmt>(
      db, "DELETE FROM outcomes WHERE run_id IN (SELECT id FROM runs WHERE variant = ? AND design_point = ? AND replicate = ?)");
  s.delete_run = std::make_unique<sql::Stmt>(db, "DELETE FROM runs WHERE variant = ? AND design_point = ? AND replicate = ?");
  s.insert_run = std::make_unique<sql::Stmt>(
      db, "INSERT INTO runs (variant, design_point, parameters, replicate, seed, status, error, wall_seconds) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s.insert_outcome = std::make_unique<sql::Stmt>(
      db, "INSERT INTO outcomes (run_id, week, level, unit, metric, value) VALUES (?, ?, ?, ?, ?, ?)");
}

// A store's database opened for writing: WAL, and NORMAL sync, which in WAL mode survives a
// killed process (not a power cut) and is much faster.
std::unique_ptr<Store::Impl> open_for_writing(const std::string& file, const std::string& dir) {
  auto impl = std::make_unique<Store::Impl>(file, false);
  impl->dir = dir;
  // NORMAL first: switching a new file to WAL is itself a write and then syncs less.
  impl->db.exec("PRAGMA synchronous = NORMAL");
  impl->db.exec("PRAGMA journal_mode = WAL");
  return impl;
}

// The tables and the manifest of a new store (inside the caller's transaction).
void create_schema(sql::Db& db, const json& manifest) {
  db.exec(kSchema);
  sql::Stmt ins(db.get(), "INSERT INTO manifest (key, value) VALUES (?, ?)");
  for (auto it = manifest.begin(); it != manifest.end(); ++it) {
    ins.bind(1, it.key()).bind(2, it.value().dump());
    ins.step();
    ins.reset();
  }
}

}  // namespace

// Whether `e` is the experiment stored as `stored` with a higher fixed number of replicates:
// replicate r runs with (seed, r) whatever the total, so the runs already stored are exactly
// those a fresh run of `e` would make.
bool more_replicates_of(const json& stored, const Experiment& e) {
  if (!stored.is_object() || !e.document.is_object() || e.adaptive.enabled()) return false;
  const json& had = stored.contains("replicates") ? stored["replicates"] : json();
  if (!had.is_number_integer() || had.get<long long>() >= static_cast<long long>(e.replicates)) return false;
  json a = stored, b = e.document;
  a.erase("replicates");
  b.erase("replicates");
  return a == b;
}

json role_json(const Experiment& e, std::size_t point) {
  const auto& r = e.design.roles.at(point);
  json j = {{"role", sensitivity::kind_name(r.kind)}, {"row", r.row}};
  if (r.factor >= 0) {
    j["factor"] = r.factor;
    j["parameter"] = e.design.parameters[static_cast<std::size_t>(r.factor)].path;
  }
  if (r.kind == sensitivity::PointRole::Kind::AB) j["role"] = "AB_" + std::to_string(r.factor + 1);
  if (r.kind == sensitivity::PointRole::Kind::trajectory) {
    j["step"] = r.step;
    j["direction"] = r.direction;
  }
  return j;
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

std::string cell_parameters(const Cell& c) {
  json p = json::object();
  for (const auto& o : c.overrides) {
    json v = json::parse(o.value, nullptr, false);
    p[o.path] = v.is_discarded() ? json(o.value) : v;
  }
  return p.dump();
}

json make_manifest(const Experiment& e, const std::string& command_line) {
  json m = json::object();
  m["wijksim_experiment"] = 1;
  m["experiment"] = e.document;
  m["experiment_file"] = e.file;
  m["experiment_hash"] = e.hash;
  m["scenario_file"] = e.scenario_file;
  json names = json::array();
  for (const auto& v : e.variants) names.push_back(v.name);
  m["variants"] = names;
  m["baseline"] = e.variants[e.baseline].name;
  json outcomes = json::array();
  for (Metric k : e.outcomes) outcomes.push_back(std::string(metric_name(k)));
  m["outcomes"] = outcomes;
  json levels = json::array();
  for (Level l : e.levels) levels.push_back(level_name(l));
  m["levels"] = levels;
  m["interval_weeks"] = e.interval;
  m["replicates"] = e.replicates;
  if (!e.design.method.empty()) {
    json params = json::array();
    for (const auto& p : e.design.parameters) params.push_back(p.path);
    m["design"] = {{"method", e.design.method}, {"samples", e.design.samples}, {"seed", e.design.seed},
                   {"parameters", params}, {"points", e.design.points}};
    if (e.design.sensitivity()) {
      // Where each design point sits, so `wijksim sensitivity` can rebuild A, B, AB_i or the
      // trajectories from the store alone.
      json roles = json::array();
      for (std::size_t k = 0; k < e.design.roles.size(); ++k) roles.push_back(role_json(e, k));
      m["design"]["roles"] = roles;
      if (e.design.method == "morris") {
        m["design"]["levels"] = e.design.levels;
        m["design"]["delta"] = sensitivity::morris_delta(e.design.levels);
      } else {
        m["design"]["base_rows"] = e.design.samples;
        m["design"]["sequence"] = "Sobol' (boost::random::sobol: Joe-Kuo 6.21201 direction numbers, Gray-code order), origin skipped, 64-bit digital shift from the design seed (none if 0)";
      }
    }
  }
  // Parameter uncertainty: the drawn sets, so compare and discover can read them from the store.
  if (e.uncertainty.enabled()) {
    m["uncertainty"] = {{"source", e.uncertainty.source},
                        {"draws", e.uncertainty.draws},
                        {"set_of_replicate", "replicate mod draws"},
                        {"parameters", e.uncertainty.parameters},
                        {"sets", e.uncertainty.sets}};
    if (!e.uncertainty.file.empty()) m["uncertainty"]["file"] = e.uncertainty.file;
  }
  // Resolved scenario hash per variant (and design point): a changed scenario is detected on resume.
  json hashes = json::object(), cells = json::array();
  for (const auto& c : e.cells) {
    if (c.design_point < 0) hashes[e.variants[c.variant].name] = c.scenario_hash;
    cells.push_back({{"variant", e.variants[c.variant].name}, {"design_point", c.design_point},
                     {"parameters", json::parse(cell_parameters(c))}, {"scenario_hash", c.scenario_hash}});
    if (e.design.sensitivity() && c.design_point >= 0)
      cells.back()["role"] = role_json(e, static_cast<std::size_t>(c.design_point));
  }
  if (!hashes.empty()) m["scenario_hashes"] = hashes;
  m["cells"] = cells;
  m["seeds"] = {{"experiment", e.seed},
                {"rule", "replicate r of every variant and design point runs with (seed, r): common random numbers"}};
  m["engine"] = json::parse(engine_info().dump());
  m["command_line"] = command_line;
  m["created_utc"] = utc_now();
  return m;
}

namespace {

std::string size_text(double bytes) {
  char buf[64];
  std::snprintf(buf, sizeof buf, bytes >= 1e9 ? "%.1f GB" : "%.1f MB", bytes >= 1e9 ? bytes / 1e9 : bytes / 1e6);
  return buf;
}

// Refuses, with the estimate, an experiment whose store cannot fit on the disk or whose list of
// runs cannot fit in memory (as the population check does for one simulation).
void refuse_if_too_large(const Experiment& e, const std::string& dir) {
  if (e.cells.empty()) return;
  const ScenarioSpec spec = load_cell(e, e.cells.front());
  double units = 0;
  for (Level l : e.levels) {
    if (l == Level::city) units += 1;
    else if (l == Level::wijk) units += static_cast<double>(spec.city.wijken.size());
    else
      for (const auto& w : spec.city.wijken) units += static_cast<double>(w.buurten.size());
  }
  const double weeks = std::round(spec.params.simulation.years);
  const double observations = std::floor(weeks / std::max(1, e.interval)) + 2;
  const double runs = static_cast<double>(e.cells.size()) * static_cast<double>(e.replicates);
  const double rows = runs * observations * units * static_cast<double>(e.outcomes.size());
  const double disk = rows * 25;  // at least 25 bytes an outcome row in SQLite (measured ~40)
  std::error_code ec;
  fs::path where = fs::absolute(dir);
  while (!fs::exists(where, ec) && where.has_parent_path() && where != where.parent_path()) where = where.parent_path();
  const auto space = fs::space(where, ec);
  if (!ec && space.capacity > 0 && disk > static_cast<double>(space.available))
    throw InputError(std::vector<Problem>{
        {e.file, "replicates", "the store would take about " + size_text(disk) + " (" + number_text(runs) + " runs x " +
                                   number_text(observations) + " observed weeks x " + number_text(units) + " units x " +
                                   std::to_string(e.outcomes.size()) + " outcomes) in " + dir + " but " + where.string() + " has " +
                                   size_text(static_cast<double>(space.available)) +
                                   " free; expected fewer variants, replicates, levels or outcomes, or a larger interval"}});
  const double memory = runs * 256;  // the list of runs to do and done, per run
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page > 0 && memory > 0.5 * static_cast<double>(pages) * static_cast<double>(page))
    throw InputError(std::vector<Problem>{
        {e.file, "replicates", "the experiment has " + number_text(runs) + " runs, whose bookkeeping alone would need about " +
                                   size_text(memory) + ", more than half of this machine's memory; expected fewer variants or replicates "
                                   "(or --shard i/N over several machines)"}});
}

}  // namespace

Store Store::open_for(const Experiment& e, const std::string& dir, const json& manifest) {
  refuse_if_too_large(e, dir);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw InputError(std::vector<Problem>{{dir, "", "exists and is not a folder, expected a folder for the results store"}});
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec) || access(dir.c_str(), W_OK) != 0)
    throw InputError(std::vector<Problem>{{dir, "", "cannot be created or written, expected a writable folder"}});
  const std::string file = (fs::path(dir) / store_file_name).string();
  const bool existed = fs::exists(file, ec);
  if (existed) {
    // A damaged store must not be taken for "N already done": check before resuming.
    sql::Db check(file, true);
    try {
      verify_integrity(check, dir);
      if (has_table(check, "manifest")) verify_manifest(check, dir);
      if (has_table(check, "outcomes")) verify_values(check, dir);
      // Another experiment's store is refused before anything (even the journal mode) changes.
      const json hash = has_table(check, "manifest") ? read_manifest(check, "experiment_hash") : json();
      if (!hash.is_null() && hash != json(e.hash) && !more_replicates_of(read_manifest(check, "experiment"), e)) {
        const json other = read_manifest(check, "experiment_file");
        throw InputError(std::vector<Problem>{
            {dir, "", "holds the results of a different experiment (" +
                          (other.is_string() ? other.get<std::string>() : std::string("unknown file")) + ", hash " +
                          (hash.is_string() ? hash.get<std::string>() : std::string("none")) + "; this one is " + e.file +
                          ", hash " + e.hash + "); expected an empty folder or the same experiment to resume"}});
      }
    } catch (const RuntimeFailure& ex) {
      const int code = sqlite3_errcode(check.get());
      if (code != SQLITE_CORRUPT && code != SQLITE_NOTADB) throw;
      throw InputError(std::vector<Problem>{{dir, "", "holds a damaged " + std::string(store_file_name) + " (" + ex.what() +
                                                          "); expected an intact store: restore it or run the experiment into a new folder"}});
    }
  }
  auto impl = open_for_writing(file, dir);
  sql::Db& db = impl->db;
  // Schema and manifest in one transaction: a store either has both or neither.
  db.transaction([&] {
    if (!has_table(db, "manifest")) {
      create_schema(db, manifest);
    } else {
      const json hash = read_manifest(db, "experiment_hash");
      const bool extended = hash != json(e.hash) && more_replicates_of(read_manifest(db, "experiment"), e);
      if ((!hash.is_string() || hash.get<std::string>() != e.hash) && !extended) {
        const json other = read_manifest(db, "experiment_file");
        throw InputError(std::vector<Problem>{
            {dir, "", "holds the results of a different experiment (" +
                          (other.is_string() ? other.get<std::string>() : std::string("unknown file")) + ", hash " +
                          (hash.is_string() ? hash.get<std::string>() : std::string("none")) + "; this one is " + e.file +
                          ", hash " + e.hash + "); expected an empty folder or the same experiment to resume"}});
      }
      // Same experiment file, but the scenario it points to may have changed since.
      const json cells = read_manifest(db, "cells");
      const json now = manifest.at("cells");
      if (cells != now) {
        std::string which;
        for (std::size_t i = 0; i < now.size() && which.empty(); ++i)
          if (i >= cells.size() || cells[i] != now[i]) which = now[i]["variant"].get<std::string>();
        throw InputError(std::vector<Problem>{
            {dir, "", "was made from a different version of " + e.scenario_file + " (resolved scenario of variant \"" + which +
                          "\" changed); expected the same scenario to resume, or a new folder"}});
      }
      // More replicates than the store was made for (the file's count raised, or --replicates N):
      // the store becomes the fresh store of this experiment; the missing replicates are run.
      if (extended) {
        write_manifest(db, "experiment", e.document);
        write_manifest(db, "experiment_hash", e.hash);
        write_manifest(db, "experiment_file", e.file);
      }
      const json had = read_manifest(db, "replicates");
      if (!e.adaptive.enabled() && had.is_number_integer() &&
          had.get<long long>() < static_cast<long long>(e.replicates))
        write_manifest(db, "replicates", e.replicates);
    }
  });
  prepare_writes(*impl);
  return Store(std::move(impl));
}

Store Store::open_with_manifest(const std::string& dir, const json& manifest) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec) || access(dir.c_str(), W_OK) != 0)
    throw InputError(std::vector<Problem>{{dir, "", "cannot be created or written, expected a writable folder"}});
  auto impl = open_for_writing((fs::path(dir) / store_file_name).string(), dir);
  sql::Db& db = impl->db;
  db.transaction([&] {
    if (!has_table(db, "manifest")) {
      create_schema(db, manifest);
    } else if (read_manifest(db, "experiment_hash") != manifest.at("experiment_hash") ||
               read_manifest(db, "cells") != manifest.at("cells")) {
      throw InputError(std::vector<Problem>{{dir, "", "holds the results of a different experiment (or scenario version); expected an empty folder or a store of the same experiment"}});
    }
  });
  prepare_writes(*impl);
  return Store(std::move(impl));
}

void Store::set_manifest(const std::string& key, const json& value) {
  sql::Stmt st(impl_->db.get(), "INSERT OR REPLACE INTO manifest (key, value) VALUES (?, ?)");
  st.bind(1, key).bind(2, value.dump());
  st.step();
}

std::map<RunKey, std::vector<double>> Store::final_city_values(const std::vector<Metric>& metrics) const {
  std::map<RunKey, std::vector<std::pair<std::int64_t, double>>> best;  // per metric: (week, value)
  sql::Stmt st(impl_->db.get(),
               "SELECT r.variant, r.design_point, r.replicate, o.metric, o.week, o.value FROM outcomes o "
               "JOIN runs r ON r.id = o.run_id WHERE r.status = 'ok' AND o.level = 'city'");
  while (st.step()) {
    const int idx = metric_index(st.text(3));
    const auto it = std::find(metrics.begin(), metrics.end(), static_cast<Metric>(idx));
    if (idx < 0 || it == metrics.end()) continue;
    auto& v = best[{st.text(0), static_cast<int>(st.integer(1)), static_cast<std::uint32_t>(st.integer(2))}];
    v.resize(metrics.size(), {-1, 0.0});
    auto& slot = v[static_cast<std::size_t>(it - metrics.begin())];
    if (st.integer(4) > slot.first) slot = {st.integer(4), st.real(5)};
  }
  std::map<RunKey, std::vector<double>> out;
  for (const auto& [key, v] : best) {
    if (std::any_of(v.begin(), v.end(), [](const auto& p) { return p.first < 0; })) continue;
    std::vector<double> values;
    for (const auto& p : v) values.push_back(p.second);
    out[key] = values;
  }
  return out;
}

std::vector<RunResult> Store::runs() const {
  std::vector<RunResult> out;
  std::map<std::int64_t, std::size_t> by_id;
  sql::Stmt st(impl_->db.get(),
               "SELECT id, variant, design_point, replicate, parameters, seed, status, error, wall_seconds FROM runs "
               "ORDER BY variant, design_point, replicate");
  while (st.step()) {
    RunResult r;
    r.key = {st.text(1), static_cast<int>(st.integer(2)), static_cast<std::uint32_t>(st.integer(3))};
    r.parameters = st.text(4);
    r.seed = static_cast<std::uint64_t>(st.integer(5));
    r.ok = st.text(6) == "ok";
    r.error = st.is_null(7) ? "" : st.text(7);
    r.wall_seconds = st.real(8);
    by_id[st.integer(0)] = out.size();
    out.push_back(std::move(r));
  }
  sql::Stmt o(impl_->db.get(), "SELECT run_id, week, level, unit, metric, value FROM outcomes ORDER BY run_id, week, level, unit, metric");
  while (o.step()) {
    const auto it = by_id.find(o.integer(0));
    if (it == by_id.end()) continue;
    const std::string level = o.text(2);
    const int m = metric_index(o.text(4));
    if (m < 0) throw RuntimeFailure(impl_->dir + ": unknown metric \"" + o.text(4) + "\" in the store");
    out[it->second].rows.push_back({static_cast<std::int32_t>(o.integer(1)),
                                    level == "city" ? Level::city : level == "wijk" ? Level::wijk : Level::buurt, o.text(3),
                                    static_cast<Metric>(m), o.real(5)});
  }
  return out;
}

namespace {

// Same content: everything but wall time (and ids).
bool same_content(const RunResult& a, const RunResult& b) {
  if (a.parameters != b.parameters || a.seed != b.seed || a.ok != b.ok || a.error != b.error || a.rows.size() != b.rows.size())
    return false;
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    const auto &x = a.rows[i], &y = b.rows[i];
    if (x.week != y.week || x.level != y.level || x.unit != y.unit || x.metric != y.metric ||
        std::memcmp(&x.value, &y.value, sizeof(double)) != 0)
      return false;
  }
  return true;
}

}  // namespace

MergeSummary merge_stores(const std::vector<std::string>& dirs, const std::string& out) {
  if (dirs.empty()) throw InputError(std::vector<Problem>{{"merge", "", "no stores given, expected DIR1 DIR2 ..."}});
  std::vector<Store> in;
  std::vector<Problem> problems;
  for (const auto& d : dirs) in.push_back(Store::open_read(d));
  const json hash = in[0].manifest("experiment_hash"), cells = in[0].manifest("cells");
  for (std::size_t i = 1; i < in.size(); ++i) {
    if (in[i].manifest("experiment_hash") != hash)
      problems.push_back({dirs[i], "", "holds a different experiment (hash " + in[i].manifest("experiment_hash").dump() + ") than " +
                                           dirs[0] + " (hash " + hash.dump() + "); expected stores of the same experiment"});
    else if (in[i].manifest("cells") != cells)
      problems.push_back({dirs[i], "", "was made from a different version of the scenario than " + dirs[0] + "; expected the same scenario"});
  }
  if (!problems.empty()) throw InputError(problems);
  // The manifest of the first store, without its shard.
  json manifest = json::object();
  {
    sql::Stmt st(in[0].impl().db.get(), "SELECT key, value FROM manifest");
    while (st.step()) manifest[st.text(0)] = json::parse(st.text(1));
  }
  manifest.erase("shard");
  json from = json::array();
  for (const auto& d : dirs) from.push_back(d);
  manifest["merged_from"] = from;
  // The merged store is built under a temporary folder next to --out and put in place only
  // when complete: a refused or killed merge leaves nothing under the final name. Merging into
  // an existing store works on a copy of it, which then replaces its results.sqlite.
  std::string out_dir = out;
  while (out_dir.size() > 1 && out_dir.back() == '/') out_dir.pop_back();
  const fs::path out_path = fs::absolute(out_dir);
  std::error_code ec;
  if (fs::exists(out_path, ec) && !fs::is_directory(out_path, ec))
    throw InputError(std::vector<Problem>{{out, "", "exists and is not a folder, expected a folder for the merged store"}});
  const bool existed = fs::exists(out_path / store_file_name, ec);
  const bool folder_existed = fs::is_directory(out_path, ec);  // e.g. holding the MPI ranks' shard stores
  if (!fs::exists(out_path.parent_path(), ec) || access(out_path.parent_path().c_str(), W_OK) != 0)
    throw InputError(std::vector<Problem>{{out, "", "cannot be created or written, expected a writable folder"}});
  AtomicFolder building(out_path);
  const fs::path built = building.path() / store_file_name;
  if (existed) {
    const Store old = Store::open_read(out_path.string());
    if (old.manifest("experiment_hash") != manifest.at("experiment_hash") || old.manifest("cells") != manifest.at("cells"))
      throw InputError(std::vector<Problem>{{out, "", "holds the results of a different experiment (or scenario version); expected an empty folder or a store of the same experiment"}});
    sql::Stmt copy(old.impl().db.get(), "VACUUM INTO ?");
    copy.bind(1, built.string());
    copy.step();
  }
  std::optional<Store> target_store(Store::open_with_manifest(building.path().string(), manifest));
  Store& target = *target_store;
  target.set_manifest("merged_from", from);
  std::map<RunKey, RunResult> have;
  for (auto& r : target.runs()) {
    RunKey k = r.key;
    have.emplace(std::move(k), std::move(r));
  }
  MergeSummary sum;
  sum.inputs = dirs.size();
  // Check everything first, then write: a refused merge leaves the target as it was.
  std::vector<RunResult> to_write;
  std::map<RunKey, std::size_t> pending;
  for (std::size_t i = 0; i < in.size(); ++i) {
    for (auto& r : in[i].runs()) {
      const RunResult* old = nullptr;
      if (const auto it = have.find(r.key); it != have.end()) old = &it->second;
      if (const auto it = pending.find(r.key); it != pending.end()) old = &to_write[it->second];
      if (old && same_content(*old, r)) {
        ++sum.identical;
        continue;
      }
      if (old && old->ok && r.ok) {
        problems.push_back({dirs[i], "", "run (" + r.key.variant + ", design point " + std::to_string(r.key.design_point) + ", replicate " +
                                             std::to_string(r.key.replicate) + ") is also in another store with different content"});
        continue;
      }
      if (old && old->ok) continue;  // keep the ok run over a failed attempt
      if (const auto it = pending.find(r.key); it != pending.end()) {
        to_write[it->second] = std::move(r);
      } else {
        pending[r.key] = to_write.size();
        to_write.push_back(std::move(r));
      }
    }
  }
  if (!problems.empty()) throw InputError(problems);
  // One transaction: the target gets every new run or none. A run replacing a failed attempt
  // already in the target does not add to its count, so the count needs no second read.
  std::size_t replacing = 0;
  for (const auto& r : to_write) replacing += have.count(r.key);
  target.write(to_write);
  target.close();
  target_store.reset();
  if (folder_existed) {
    // Leftover -wal/-shm files of the old database would be replayed into the new one.
    for (const char* side : {"-wal", "-shm"}) fs::remove(out_path / (std::string(store_file_name) + side), ec);
    if (::rename(built.c_str(), (out_path / store_file_name).c_str()) != 0)
      throw RuntimeFailure("cannot replace " + (out_path / store_file_name).string() + ": " + std::strerror(errno));
    sync_folder(out_path);
  } else {
    building.commit(false);
  }
  sum.added = to_write.size();
  sum.runs = have.size() + to_write.size() - replacing;
  return sum;
}

Store Store::open_read(const std::string& dir) {
  const std::string file = (fs::path(dir) / store_file_name).string();
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw InputError(std::vector<Problem>{{dir, "", "holds no " + std::string(store_file_name) + ", expected the --out folder of `wijksim experiment`"}});
  auto impl = std::make_unique<Impl>(file, true);
  impl->dir = dir;
  bool has_manifest = false;
  try {
    has_manifest = has_table(impl->db, "manifest") && !read_manifest(impl->db, "experiment_hash").is_null();
  } catch (const RuntimeFailure& e) {
    // SQLite opens lazily: a file that is not a database fails at the first statement.
    if (sqlite3_errcode(impl->db.get()) == SQLITE_CORRUPT)
      throw InputError(std::vector<Problem>{{file, "", "is damaged (" + std::string(e.what()) + "); expected an intact results store"}});
    if (sqlite3_errcode(impl->db.get()) != SQLITE_NOTADB) throw;
    throw InputError(std::vector<Problem>{{file, "", "is not a wijksim results store (" + std::string(e.what()) + ")"}});
  }
  if (!has_manifest) throw InputError(std::vector<Problem>{{file, "", "is not a wijksim results store (no manifest)"}});
  try {
    verify_integrity(impl->db, dir);
    verify_manifest(impl->db, dir);
    verify_values(impl->db, dir);
  } catch (const RuntimeFailure& e) {
    if (sqlite3_errcode(impl->db.get()) != SQLITE_CORRUPT) throw;
    throw InputError(std::vector<Problem>{{file, "", "is damaged (" + std::string(e.what()) + "); expected an intact results store"}});
  }
  return Store(std::move(impl));
}

std::set<RunKey> Store::ok_runs() const {
  std::set<RunKey> keys;
  sql::Stmt st(impl_->db.get(), "SELECT variant, design_point, replicate FROM runs WHERE status = 'ok'");
  while (st.step())
    keys.insert({st.text(0), static_cast<int>(st.integer(1)), static_cast<std::uint32_t>(st.integer(2))});
  return keys;
}

json Store::manifest(const std::string& key) const { return read_manifest(impl_->db, key); }

void Store::close() {
  // Everything in the WAL goes into results.sqlite, which then stands alone (journal mode
  // DELETE leaves no -wal file): a finished store is one self-contained file, or this throws
  // (a full disk during the checkpoint) and the command fails.
  sqlite3* db = impl_->db.get();
  int wal_frames = 0, done = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &wal_frames, &done);
  if (rc != SQLITE_OK || wal_frames != done)
    throw RuntimeFailure("cannot complete " + impl_->db.file() + ": " + sqlite3_errmsg(db) +
                         (sqlite3_errcode(db) == SQLITE_FULL ? " (disk full)" : "") +
                         "; the runs committed so far are in its -wal file, keep both files and rerun to finish");
  impl_->db.exec("PRAGMA journal_mode = DELETE");
  sql::Stmt check(db, "PRAGMA journal_mode");
  if (!check.step() || check.text(0) != "delete")
    throw RuntimeFailure("cannot complete " + impl_->db.file() + ": the WAL could not be folded into it");
}

namespace {

void insert_rows(Store::Impl& s, std::int64_t run_id, const std::vector<OutcomeRow>& rows) {
  auto& out = *s.insert_outcome;
  for (const auto& row : rows) {
    out.bind(1, run_id).bind(2, row.week).bind_static(3, level_name(row.level)).bind(4, row.unit);
    out.bind_static(5, metric_name(row.metric)).bind(6, row.value);
    out.step();
    out.reset();
  }
}

}  // namespace

void Store::write(std::span<const RunResult> runs) {
  Impl& s = *impl_;
  s.db.transaction([&] {
    for (const RunResult& r : runs) {
      // A rerun replaces the failed attempt.
      s.delete_outcomes->bind(1, r.key.variant).bind(2, r.key.design_point).bind(3, r.key.replicate);
      s.delete_outcomes->step();
      s.delete_outcomes->reset();
      s.delete_run->bind(1, r.key.variant).bind(2, r.key.design_point).bind(3, r.key.replicate);
      s.delete_run->step();
      s.delete_run->reset();
      auto& ins = *s.insert_run;
      ins.bind(1, r.key.variant).bind(2, r.key.design_point).bind(3, r.parameters).bind(4, r.key.replicate).bind(5, r.seed);
      ins.bind_static(6, r.ok ? "ok" : "failed");
      if (r.ok) ins.bind_null(7);
      else ins.bind(7, r.error);
      ins.bind(8, r.wall_seconds);
      ins.step();
      ins.reset();
      insert_rows(s, sqlite3_last_insert_rowid(s.db.get()), r.rows);
    }
  });
}

void Store::append(const RunResult& part) {
  Impl& s = *impl_;
  std::optional<std::int64_t> id;
  {
    sql::Stmt find(s.db.get(), "SELECT id FROM runs WHERE variant = ? AND design_point = ? AND replicate = ?");
    find.bind(1, part.key.variant).bind(2, part.key.design_point).bind(3, part.key.replicate);
    if (find.step()) id = find.integer(0);
  }
  if (!id) {
    write({&part, 1});
    return;
  }
  s.db.transaction([&] {
    sql::Stmt wall(s.db.get(), "UPDATE runs SET wall_seconds = ? WHERE id = ?");
    wall.bind(1, part.wall_seconds).bind(2, *id);
    wall.step();
    insert_rows(s, *id, part.rows);
  });
}

}  // namespace wijksim::experiment
