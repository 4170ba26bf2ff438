#include "wijksim/experiment/store.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>

#include "store_impl.hpp"
#include "wijksim/core/error.hpp"
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

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
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

}  // namespace

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
        m["design"]["sequence"] = "Sobol' (Joe-Kuo 6.21201 direction numbers), index 0 skipped, digital shift from the design seed (none if 0)";
      }
    }
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

Store Store::open_for(const Experiment& e, const std::string& dir, const json& manifest) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw InputError(std::vector<Problem>{{dir, "", "exists and is not a folder, expected a folder for the results store"}});
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec) || access(dir.c_str(), W_OK) != 0)
    throw InputError(std::vector<Problem>{{dir, "", "cannot be created or written, expected a writable folder"}});
  const std::string file = (fs::path(dir) / store_file_name).string();
  auto impl = std::make_unique<Impl>(file, false);
  impl->dir = dir;
  sql::Db& db = impl->db;
  db.exec("PRAGMA journal_mode = WAL");
  // NORMAL in WAL mode survives a killed process (not a power cut), and is much faster.
  db.exec("PRAGMA synchronous = NORMAL");
  // Schema and manifest in one transaction: a store either has both or neither.
  db.exec("BEGIN IMMEDIATE");
  try {
    if (!has_table(db, "manifest")) {
      db.exec(kSchema);
      sql::Stmt ins(db.get(), "INSERT INTO manifest (key, value) VALUES (?, ?)");
      for (auto it = manifest.begin(); it != manifest.end(); ++it) {
        ins.bind(1, it.key()).bind(2, it.value().dump());
        ins.step();
        ins.reset();
      }
    } else {
      const json hash = read_manifest(db, "experiment_hash");
      if (!hash.is_string() || hash.get<std::string>() != e.hash) {
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
    }
    db.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  prepare_writes(*impl);
  return Store(std::move(impl));
}

Store Store::open_read(const std::string& dir) {
  const std::string file = (fs::path(dir) / store_file_name).string();
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw InputError(std::vector<Problem>{{dir, "", "holds no " + std::string(store_file_name) + ", expected the --out folder of `wijksim experiment`"}});
  auto impl = std::make_unique<Impl>(file, true);
  impl->dir = dir;
  if (!has_table(impl->db, "manifest") || read_manifest(impl->db, "experiment_hash").is_null())
    throw InputError(std::vector<Problem>{{file, "", "is not a wijksim results store (no manifest)"}});
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

void Store::write(const RunResult& r) {
  Impl& s = *impl_;
  s.db.exec("BEGIN IMMEDIATE");
  try {
    // A rerun replaces the failed attempt.
    s.delete_outcomes->bind(1, r.key.variant).bind(2, r.key.design_point).bind(3, r.key.replicate);
    s.delete_outcomes->step();
    s.delete_outcomes->reset();
    s.delete_run->bind(1, r.key.variant).bind(2, r.key.design_point).bind(3, r.key.replicate);
    s.delete_run->step();
    s.delete_run->reset();
    auto& ins = *s.insert_run;
    ins.bind(1, r.key.variant).bind(2, r.key.design_point).bind(3, r.parameters).bind(4, r.key.replicate).bind(5, r.seed);
    ins.bind(6, std::string(r.ok ? "ok" : "failed"));
    if (r.ok) ins.bind_null(7);
    else ins.bind(7, r.error);
    ins.bind(8, r.wall_seconds);
    ins.step();
    ins.reset();
    const std::int64_t id = sqlite3_last_insert_rowid(s.db.get());
    auto& out = *s.insert_outcome;
    for (const auto& row : r.rows) {
      out.bind(1, id).bind(2, row.week).bind(3, std::string(level_name(row.level))).bind(4, row.unit);
      out.bind(5, std::string(metric_name(row.metric))).bind(6, row.value);
      out.step();
      out.reset();
    }
    s.db.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(s.db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace wijksim::experiment
