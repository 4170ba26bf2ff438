// Experiments (docs/EXPERIMENTS.md): the file format and its validation, common random
// numbers across variants, the SQLite store and resuming it (in-process and after SIGKILL),
// export and compare.
#include <signal.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <set>
#include <string>
#include <thread>

#include "require_exit.hpp"
#include "test_support.hpp"
#include "wijksim/experiment/batch.hpp"
#include "wijksim/experiment/experiment.hpp"

using namespace wijksim;
using nlohmann::json;
using test::CliResult;
using test::TempDir;
namespace fs = std::filesystem;
namespace ex = wijksim::experiment;

namespace {

using wijksim::test::contains;


// The minimal form of docs/EXPERIMENTS.md, shortened to 1 year and 3 replicates, next to a
// copy of hengelo-noord.json so the relative scenario path is exercised.
json minimal_experiment() {
  return json::parse(R"({"scenario": "hengelo-noord.json", "years": 1, "replicates": 3, "seed": 1,
    "outcomes": ["active_share", "unsafe_share"],
    "variants": [{"name": "baseline"}, {"name": "no-leader", "set": {"building_blocks.process_leadership": 0}}]})");
}

std::string write_experiment(const TempDir& dir, const json& doc, const std::string& name = "experiment.json") {
  fs::copy_file(test::source_dir() / "scenarios" / "hengelo-noord.json", dir / "hengelo-noord.json",
                fs::copy_options::overwrite_existing);
  const auto file = dir / name;
  test::write_file(file, doc.dump(2));
  return file.string();
}

// A read-only SQLite handle for checking the store.
class Db {
 public:
  explicit Db(const fs::path& file) {
    REQUIRE(sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  }
  ~Db() { sqlite3_close(db_); }
  // Every row of a query as text, columns joined by '|'.
  std::vector<std::string> rows(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        if (i) row += '|';
        if (sqlite3_column_type(st, i) == SQLITE_FLOAT) {
          // Exact bits, not a rounded text.
          const double v = sqlite3_column_double(st, i);
          char buf[40];
          std::snprintf(buf, sizeof buf, "%a", v);
          row += buf;
        } else {
          const auto* t = sqlite3_column_text(st, i);
          row += t ? reinterpret_cast<const char*>(t) : "NULL";
        }
      }
      out.push_back(row);
    }
    sqlite3_finalize(st);
    return out;
  }
  void exec(const std::string& sql) { REQUIRE(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK); }

 private:
  sqlite3* db_ = nullptr;
};

// The content of a store, independent of row order and ids: runs by key, outcomes by key.
std::vector<std::string> content(const fs::path& dir) {
  Db db(dir / "results.sqlite");
  auto runs = db.rows(
      "SELECT variant, design_point, replicate, parameters, seed, status FROM runs "
      "ORDER BY variant, design_point, replicate");
  auto outcomes = db.rows(
      "SELECT r.variant, r.design_point, r.replicate, o.week, o.level, o.unit, o.metric, o.value "
      "FROM outcomes o JOIN runs r ON r.id = o.run_id "
      "ORDER BY r.variant, r.design_point, r.replicate, o.week, o.level, o.unit, o.metric");
  runs.insert(runs.end(), outcomes.begin(), outcomes.end());
  return runs;
}

ex::BatchSummary run_library(const std::string& file, const fs::path& out, std::size_t stop_after = 0) {
  const ex::Experiment e = ex::load_experiment_file(file);
  ex::BatchOptions opt;
  opt.out_dir = out.string();
  opt.threads = 2;
  opt.progress = ex::ProgressMode::none;
  opt.stop_after = stop_after;
  return ex::run_experiment(e, opt);
}

}  // namespace

TEST_CASE("experiment: the minimal form runs and fills the store", "[experiment]") {
  TempDir dir("exp-minimal");
  const auto file = write_experiment(dir, minimal_experiment());
  const CliResult r = test::run_cli({"experiment", file, "--out", (dir / "out").string(), "--threads", "2", "--progress", "none"});
  REQUIRE_EXIT(r, 0);
  CHECK(contains(r.out, "6 run(s): 6 ok, 0 failed"));
  Db db(dir / "out" / "results.sqlite");
  // Written in WAL mode, then checkpointed: a finished store is one self-contained file.
  CHECK(db.rows("PRAGMA journal_mode") == std::vector<std::string>{"delete"});
  CHECK(db.rows("SELECT COUNT(*) FROM runs WHERE status = 'ok'") == std::vector<std::string>{"6"});
  // Weeks 0, 4, ..., 52 (the final week), 2 outcomes, city level, 6 runs.
  CHECK(db.rows("SELECT COUNT(*) FROM outcomes") == std::vector<std::string>{std::to_string(14 * 2 * 6)});
  CHECK(db.rows("SELECT DISTINCT level FROM outcomes") == std::vector<std::string>{"city"});
  CHECK(db.rows("SELECT MAX(week) FROM outcomes") == std::vector<std::string>{"52"});
  CHECK(db.rows("SELECT DISTINCT seed FROM runs") == std::vector<std::string>{"1"});
  CHECK(db.rows("SELECT parameters FROM runs WHERE variant = 'no-leader' AND replicate = 0") ==
        std::vector<std::string>{R"({"building_blocks.process_leadership":0,"simulation.years":1})"});
  // The manifest records the experiment, per-variant scenario hashes, the engine and seeds.
  const auto keys = db.rows("SELECT key FROM manifest ORDER BY key");
  for (const char* k : {"experiment", "experiment_hash", "scenario_hashes", "engine", "seeds", "cells"})
    CHECK(std::find(keys.begin(), keys.end(), k) != keys.end());
  const auto hashes = json::parse(db.rows("SELECT value FROM manifest WHERE key = 'scenario_hashes'").at(0));
  CHECK(hashes["baseline"] != hashes["no-leader"]);
}

TEST_CASE("experiment: --dry-run prints the plan and writes nothing", "[experiment]") {
  TempDir dir("exp-dry");
  const auto file = write_experiment(dir, minimal_experiment());
  const CliResult r = test::run_cli({"experiment", file, "--out", (dir / "out").string(), "--dry-run", "--threads", "2"});
  REQUIRE_EXIT(r, 0);
  CHECK(contains(r.out, "runs          6"));
  CHECK(contains(r.out, "wall time"));
  CHECK(contains(r.out, "peak memory"));
  CHECK_FALSE(fs::exists(dir / "out" / "results.sqlite"));
}

TEST_CASE("experiment: validation names file and path, suggests, and reports everything at once", "[experiment]") {
  TempDir dir("exp-invalid");
  auto doc = minimal_experiment();
  doc["yeras"] = 2;
  doc["outcomes"][0] = "active_shar";
  doc["variants"][1]["set"] = {{"building_blocks.process_leadershp", 0}, {"building_blocks.trust", 3}};
  const auto file = write_experiment(dir, doc);
  const CliResult r = test::run_cli({"experiment", file, "--out", (dir / "out").string()});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, file + ": yeras: unknown key; did you mean \"years\"?"));
  CHECK(contains(r.err, file + ": outcomes[0]: found \"active_shar\""));
  CHECK(contains(r.err, "did you mean \"active_share\"?"));
  CHECK(contains(r.err, file + ": variants[1].set[\"building_blocks.process_leadershp\"]: unknown key; did you mean \"process_leadership\"?"));
  CHECK(contains(r.err, file + ": variants[1].set[\"building_blocks.trust\"]: found 3, expected a number in [0, 1]"));
  CHECK_FALSE(fs::exists(dir / "out"));

  SECTION("design parameters are checked at every point") {
    auto d = minimal_experiment();
    d["design"] = json::parse(R"({"method": "grid", "samples": 3, "parameters": {"building_blocks.trust": [0.5, 1.5], "building_blocks.trsut": [0, 1]}})");
    const auto f2 = write_experiment(dir, d, "design.json");
    const CliResult r2 = test::run_cli({"experiment", f2, "--out", (dir / "out").string()});
    REQUIRE_EXIT(r2, 2);
    CHECK(contains(r2.err, "design.parameters[\"building_blocks.trsut\"]: unknown parameter; did you mean \"building_blocks.trust\"?"));
  }
  SECTION("a store of a different experiment is refused") {
    const auto good = write_experiment(dir, minimal_experiment(), "good.json");
    REQUIRE(run_library(good, dir / "store", 1).ok == 1);
    auto other = minimal_experiment();
    other["seed"] = 2;
    const auto f3 = write_experiment(dir, other, "other.json");
    const CliResult r3 = test::run_cli({"experiment", f3, "--out", (dir / "store").string()});
    REQUIRE_EXIT(r3, 2);
    CHECK(contains(r3.err, "holds the results of a different experiment"));
  }
}

TEST_CASE("experiment: the shipped example is valid", "[experiment]") {
  const ex::Experiment e = ex::load_experiment_file((test::source_dir() / "scenarios" / "hengelo-noord-experiment.json").string());
  CHECK(e.variants.size() == 4);
  CHECK(e.variants[e.baseline].name == "baseline");
  CHECK(e.run_count() == 80);
}

TEST_CASE("experiment: design points are evenly spaced (grid) or stratified (lhs)", "[experiment]") {
  TempDir dir("exp-design");
  auto doc = minimal_experiment();
  doc["design"] = json::parse(R"({"method": "grid", "samples": 3,
      "parameters": {"building_blocks.trust": [0.2, 0.8], "building_blocks.urgency": [0, 1]}})");
  ex::Experiment e = ex::load_experiment_file(write_experiment(dir, doc));
  REQUIRE(e.design.points.size() == 9);
  REQUIRE(e.cells.size() == 18);
  CHECK(e.run_count() == 54);
  std::set<double> trust, urgency;
  for (const auto& p : e.design.points) {
    trust.insert(p[0]);
    urgency.insert(p[1]);
  }
  CHECK(trust == std::set<double>{0.2, 0.5, 0.8});
  CHECK(urgency == std::set<double>{0, 0.5, 1});

  doc["design"] = json::parse(R"({"method": "lhs", "samples": 10, "seed": 7, "parameters": {"building_blocks.trust": [0, 1]}})");
  e = ex::load_experiment_file(write_experiment(dir, doc));
  REQUIRE(e.design.points.size() == 10);
  std::set<int> strata;
  for (const auto& p : e.design.points) strata.insert(static_cast<int>(p[0] * 10));
  CHECK(strata.size() == 10);  // one point in each tenth
}

TEST_CASE("experiment: an identical variant differs from the baseline by exactly zero", "[experiment]") {
  TempDir dir("exp-crn");
  auto doc = minimal_experiment();
  // hengelo-noord.json has process_leadership 0.6: the same scenario, reached by an override.
  doc["variants"].push_back({{"name", "same"}, {"set", {{"building_blocks.process_leadership", 0.6}}}});
  doc["levels"] = {"city", "wijk", "buurt"};
  const auto file = write_experiment(dir, doc);
  const auto s = run_library(file, dir / "out");
  REQUIRE(s.ok == 9);
  Db db(dir / "out" / "results.sqlite");
  const auto pairs = db.rows(
      "SELECT COUNT(*), SUM(b.value = v.value) FROM outcomes b JOIN runs rb ON rb.id = b.run_id "
      "JOIN runs rv ON rv.variant = 'same' AND rv.replicate = rb.replicate AND rv.design_point = rb.design_point "
      "JOIN outcomes v ON v.run_id = rv.id AND v.week = b.week AND v.level = b.level AND v.unit = b.unit AND v.metric = b.metric "
      "WHERE rb.variant = 'baseline'");
  REQUIRE(pairs.size() == 1);
  // 3 replicates x 14 weeks x 2 outcomes x (1 city + 1 wijk + 5 buurten).
  CHECK(pairs[0] == std::to_string(3 * 14 * 2 * 7) + "|" + std::to_string(3 * 14 * 2 * 7));
  // ... while the no-leader variant does differ.
  CHECK(db.rows("SELECT COUNT(*) > 0 FROM outcomes b JOIN runs rb ON rb.id = b.run_id JOIN runs rv ON rv.variant = 'no-leader' "
                "AND rv.replicate = rb.replicate JOIN outcomes v ON v.run_id = rv.id AND v.week = b.week AND v.level = b.level "
                "AND v.unit = b.unit AND v.metric = b.metric WHERE rb.variant = 'baseline' AND b.value <> v.value") ==
        std::vector<std::string>{"1"});
}

TEST_CASE("experiment: an interrupted or damaged store resumes to the same content", "[experiment]") {
  TempDir dir("exp-resume");
  const auto file = write_experiment(dir, minimal_experiment());
  REQUIRE(run_library(file, dir / "fresh").ok == 6);
  const auto expected = content(dir / "fresh");

  SECTION("stopped after 2 runs, then rerun") {
    const auto first = run_library(file, dir / "partial", 2);
    CHECK(first.ok == 2);
    CHECK(first.not_run == 4);
    const auto second = run_library(file, dir / "partial");
    CHECK(second.skipped == 2);
    CHECK(second.ok == 4);
    CHECK(content(dir / "partial") == expected);
  }
  SECTION("missing and failed runs are rerun, ok runs are kept") {
    REQUIRE(run_library(file, dir / "damaged").ok == 6);
    {
      Db db(dir / "damaged" / "results.sqlite");
      db.exec("DELETE FROM outcomes WHERE run_id IN (SELECT id FROM runs WHERE replicate = 1)");
      db.exec("DELETE FROM runs WHERE replicate = 1");
      db.exec("DELETE FROM outcomes WHERE run_id IN (SELECT id FROM runs WHERE variant = 'no-leader' AND replicate = 2)");
      db.exec("UPDATE runs SET status = 'failed', error = 'simulated' WHERE variant = 'no-leader' AND replicate = 2");
    }
    const auto again = run_library(file, dir / "damaged");
    CHECK(again.skipped == 3);
    CHECK(again.ok == 3);
    CHECK(content(dir / "damaged") == expected);
  }
}

namespace {

// Starts `wijksim experiment FILE --out OUT --threads 2` in a child process (stdout to
// /dev/null, stderr to `err`) and returns once at least 3 runs are committed or 20 s passed.
pid_t start_batch(const std::string& file, const std::string& out, const fs::path& err, std::size_t& committed) {
  const std::string cli = test::cli_path().string();
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(null, 1);
    dup2(err_fd, 2);
    execl(cli.c_str(), cli.c_str(), "experiment", file.c_str(), "--out", out.c_str(), "--threads", "2", "--progress", "none",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto start = std::chrono::steady_clock::now();
  committed = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!fs::exists(fs::path(out) / "results.sqlite")) continue;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2((fs::path(out) / "results.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM runs", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        committed = static_cast<std::size_t>(sqlite3_column_int64(st, 0));
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
    if (committed >= 3) break;
  }
  return pid;
}

// The minimal experiment with `replicates` replicates in `dir`, and the store content of an
// uninterrupted batch of it (in dir/fresh), for comparing interrupted batches with.
std::string experiment_with_reference(const TempDir& dir, std::uint32_t replicates, std::vector<std::string>& expected) {
  auto doc = minimal_experiment();
  doc["replicates"] = replicates;
  const auto file = write_experiment(dir, doc);
  REQUIRE(run_library(file, dir / "fresh").ok == 2 * replicates);
  expected = content(dir / "fresh");
  return file;
}

}  // namespace

TEST_CASE("experiment: SIGKILL at any moment, then the same command, gives an uninterrupted batch", "[experiment]") {
  TempDir dir("exp-kill");
  std::vector<std::string> expected;
  const auto file = experiment_with_reference(dir, 8, expected);

  // Wait until some runs are committed, then kill without warning.
  const std::string out = (dir / "killed").string();
  std::size_t committed = 0;
  const pid_t pid = start_batch(file, out, dir / "stderr.txt", committed);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  INFO("runs committed before the kill: " << committed);
  const bool killed = WIFSIGNALED(status);
  if (!killed) WARN("the batch finished before it could be killed; resume is then trivially checked");

  const CliResult r = test::run_cli({"experiment", file, "--out", out, "--threads", "2", "--progress", "none"});
  REQUIRE_EXIT(r, 0);
  CHECK(content(out) == expected);
}

TEST_CASE("experiment: SIGTERM or Ctrl-C stops cleanly, keeps the finished runs and says how to resume", "[experiment]") {
  TempDir dir("exp-term");
  std::vector<std::string> expected;
  // 6 replicates (12 runs): the signal arrives after 3 are committed, with enough left that it
  // lands mid-batch; small enough for the ThreadSanitizer run on a slow 2-core machine.
  const auto file = experiment_with_reference(dir, 6, expected);

  for (const int sig : {SIGTERM, SIGINT}) {
    const std::string out = (dir / ("stopped-" + std::to_string(sig))).string();
    std::size_t committed = 0;
    const pid_t pid = start_batch(file, out, dir / "stderr.txt", committed);
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    const std::string err = test::read_file(dir / "stderr.txt");
    INFO("signal " << sig << ", runs committed before it: " << committed << "\nstderr:\n" << err);
    REQUIRE(WIFEXITED(status));  // handled, not killed by the signal
    if (WEXITSTATUS(status) == 0) {
      WARN("the batch finished before the signal arrived; resume is then trivially checked");
    } else {
      CHECK(WEXITSTATUS(status) == 128 + sig);
      CHECK(contains(err, sig == SIGTERM ? "interrupted by SIGTERM" : "interrupted by SIGINT"));
      CHECK(contains(err, "Run the same command again to resume"));
      // Whatever was committed before the signal is still there, and only whole runs.
      Db db(fs::path(out) / "results.sqlite");
      const auto runs = db.rows("SELECT COUNT(*) FROM runs WHERE status = 'ok'");
      CHECK(std::stoul(runs.at(0)) >= committed);
      CHECK(db.rows("SELECT run_id FROM outcomes GROUP BY run_id HAVING COUNT(*) <> 28").empty());
    }
    const CliResult r = test::run_cli({"experiment", file, "--out", out, "--threads", "2", "--progress", "none"});
    REQUIRE_EXIT(r, 0);
    CHECK(content(out) == expected);
  }
}

TEST_CASE("experiment: export writes tidy CSVs and compare writes the comparison", "[experiment]") {
  TempDir dir("exp-results");
  auto doc = minimal_experiment();
  doc["levels"] = {"city", "wijk"};
  const auto file = write_experiment(dir, doc);
  const std::string out = (dir / "out").string();
  REQUIRE(run_library(file, out).ok == 6);

  const CliResult ex = test::run_cli({"export", out, "--format", "csv"});
  REQUIRE_EXIT(ex, 0);
  const auto runs = test::read_file(dir / "out" / "runs.csv");
  const auto outcomes = test::read_file(dir / "out" / "outcomes.csv");
  CHECK(runs.rfind(
            "variant,design_point,role,row,step,factor,direction,replicate,seed,status,error,wall_seconds,parameters\n",
            0) == 0);
  CHECK(outcomes.rfind("variant,design_point,replicate,week,level,unit,metric,value\n", 0) == 0);
  CHECK(std::count(runs.begin(), runs.end(), '\n') == 7);
  CHECK(std::count(outcomes.begin(), outcomes.end(), '\n') == 1 + 6 * 14 * 2 * 2);
  CHECK(contains(outcomes, "no-leader,-1,2,52,wijk,WK016402,unsafe_share,"));

  const CliResult cmp = test::run_cli({"compare", out});
  REQUIRE_EXIT(cmp, 0);
  const auto j = json::parse(test::read_file(dir / "out" / "comparison.json"));
  CHECK(j["baseline"] == "baseline");
  CHECK(j["final_week"] == 52);
  CHECK(j["directions"]["active_share"] == "higher");
  CHECK(j["directions"]["unsafe_share"] == "lower");
  CHECK(j["bootstrap"]["resamples"] == 2000);
  REQUIRE(j["comparisons"].size() == 4);  // 2 outcomes x (city + wijk), no-leader vs baseline
  for (const auto& c : j["comparisons"]) {
    CHECK(c["variant"] == "no-leader");
    CHECK(c["n_pairs"] == 3);
    for (const char* k : {"mean_difference", "ci95_t", "ci95_bootstrap", "probability_of_improvement",
                          "first_week_significant", "baseline_mean", "variant_mean", "direction"})
      CHECK(c.contains(k));
    CHECK(c["ci95_t"][0].get<double>() <= c["mean_difference"].get<double>());
    CHECK(c["ci95_t"][1].get<double>() >= c["mean_difference"].get<double>());
    CHECK((c["first_week_significant"].is_null() || c["first_week_significant"].is_number_integer()));
    const double p = c["probability_of_improvement"].get<double>();
    CHECK((p >= 0 && p <= 1));
  }
  const auto csv = test::read_file(dir / "out" / "comparison.csv");
  CHECK(csv.rfind("variant,baseline,design_point,outcome,level,unit,direction,week,n_pairs,", 0) == 0);
  const auto bands = test::read_file(dir / "out" / "bands.csv");
  CHECK(bands.rfind("variant,design_point,outcome,level,unit,week,n,median,p25,p75,p5,p95\n", 0) == 0);
  CHECK(std::count(bands.begin(), bands.end(), '\n') == 1 + 2 * 2 * 2 * 14);  // variants x outcomes x units x weeks
  CHECK(test::entries_containing(dir / "out", ".tmp-").empty());
}

TEST_CASE("experiment: a run that throws is recorded as failed and the batch goes on", "[experiment]") {
  TempDir dir("exp-failed");
  ex::Experiment e = ex::load_experiment_file(write_experiment(dir, minimal_experiment()));
  // Bypass validation so that every no-leader run throws while loading its scenario.
  e.cells[1].overrides.push_back({"building_blocks.trust", "7"});
  ex::BatchOptions opt;
  opt.out_dir = (dir / "out").string();
  opt.threads = 2;
  opt.progress = ex::ProgressMode::none;
  const auto s = ex::run_experiment(e, opt);
  CHECK(s.ok == 3);
  CHECK(s.failed == 3);
  CHECK(contains(s.first_error, "building_blocks.trust"));
  Db db(dir / "out" / "results.sqlite");
  CHECK(db.rows("SELECT variant, status, error IS NOT NULL FROM runs WHERE status = 'failed' GROUP BY variant") ==
        std::vector<std::string>{"no-leader|failed|1"});
  CHECK(db.rows("SELECT COUNT(*) FROM outcomes o JOIN runs r ON r.id = o.run_id WHERE r.status = 'failed'") ==
        std::vector<std::string>{"0"});

  SECTION("a rerun retries only the failed runs") {
    const auto again = ex::run_experiment(e, opt);
    CHECK(again.skipped == 3);
    CHECK(again.failed == 3);
    CHECK(db.rows("SELECT COUNT(*) FROM runs") == std::vector<std::string>{"6"});
  }
  SECTION("--fail-fast stops at the first failure") {
    opt.out_dir = (dir / "fast").string();
    opt.fail_fast = true;
    opt.threads = 1;
    const auto fast = ex::run_experiment(e, opt);
    CHECK(fast.failed == 1);
    CHECK(fast.not_run == 4);  // replicate-major order: baseline 0 ok, no-leader 0 failed
  }
}

// --- Shards and merge, burn-in branching, adaptive replicates ------------------------------

TEST_CASE("experiment: two shards merged equal the unsharded batch", "[experiment][shard]") {
  TempDir dir("exp-shard");
  json doc = minimal_experiment();
  doc["years"] = 0.5;
  const auto file = write_experiment(dir, doc);
  auto run = [&](const std::string& out, const std::string& shard) {
    std::vector<std::string> args = {"experiment", file, "--out", (dir / out).string(), "--threads", "2", "--progress", "none"};
    if (!shard.empty()) {
      args.push_back("--shard");
      args.push_back(shard);
    }
    return test::run_cli(args);
  };
  REQUIRE_EXIT(run("full", ""), 0);
  const CliResult s0 = run("s0", "0/2");
  REQUIRE_EXIT(s0, 0);
  CHECK(contains(s0.out, "3 run(s): 3 ok"));
  REQUIRE_EXIT(run("s1", "1/2"), 0);
  // Disjoint: the two shards hold different runs.
  CHECK(Db(dir / "s0" / "results.sqlite").rows("SELECT variant || replicate FROM runs ORDER BY 1") !=
        Db(dir / "s1" / "results.sqlite").rows("SELECT variant || replicate FROM runs ORDER BY 1"));
  const CliResult m = test::run_cli({"merge", (dir / "s0").string(), (dir / "s1").string(), "--out", (dir / "merged").string()});
  REQUIRE_EXIT(m, 0);
  CHECK(content(dir / "merged") == content(dir / "full"));
  // Merging again (overlap with identical content) changes nothing.
  REQUIRE_EXIT(test::run_cli({"merge", (dir / "s0").string(), (dir / "full").string(), "--out", (dir / "merged").string()}), 0);
  CHECK(content(dir / "merged") == content(dir / "full"));
  // Overlapping runs with different content are refused.
  {
    Db db(dir / "s1" / "results.sqlite");
    db.exec("UPDATE outcomes SET value = value * 0.5");  // different, but within every metric's range
  }
  const CliResult bad = test::run_cli({"merge", (dir / "full").string(), (dir / "s1").string(), "--out", (dir / "bad").string()});
  REQUIRE_EXIT(bad, 2);
  CHECK(contains(bad.err, "different content"));
  // Stores of another experiment are refused.
  json other = doc;
  other["seed"] = 2;
  const auto file2 = write_experiment(dir, other, "other.json");
  REQUIRE_EXIT(test::run_cli({"experiment", file2, "--out", (dir / "other").string(), "--shard", "0/3", "--progress", "none"}), 0);
  const CliResult diff = test::run_cli({"merge", (dir / "s0").string(), (dir / "other").string(), "--out", (dir / "bad2").string()});
  REQUIRE_EXIT(diff, 2);
  CHECK(contains(diff.err, "different experiment"));
  REQUIRE_EXIT(test::run_cli({"experiment", file, "--out", (dir / "x").string(), "--shard", "2/2"}), 2);
}

TEST_CASE("experiment: burn-in branching equals running every variant from scratch", "[experiment][branching]") {
  TempDir dir("exp-branch");
  json doc = json::parse(R"({"scenario": "hengelo-noord.json", "years": 1, "replicates": 2, "seed": 5,
    "outcomes": ["active_share", "unsafe_share", "mean_trust"],
    "variants": [{"name": "baseline"}, {"name": "no-programme", "set": {"programme.enabled": false}},
                 {"name": "stop", "set": {"programme.stop_at_election": 1}},
                 {"name": "rich", "set": {"budget.investment_budget": 400, "governance.reallocate": false}}]})");
  const auto scratch = write_experiment(dir, doc, "scratch.json");
  doc["burn_in_branching"] = true;
  const auto branched = write_experiment(dir, doc, "branched.json");
  REQUIRE(run_library(scratch, dir / "scratch").ok == 8);
  REQUIRE(run_library(branched, dir / "branched").ok == 8);
  CHECK(content(dir / "branched") == content(dir / "scratch"));  // values compared bit for bit

  // Parameters that act before week 0 are refused, all at once.
  doc["variants"][1]["set"] = {{"building_blocks.process_leadership", 0}, {"residents.trust_deprivation_shift", 0.1}};
  const auto bad = write_experiment(dir, doc, "bad.json");
  const CliResult r = test::run_cli({"experiment", bad, "--out", (dir / "bad").string(), "--dry-run"});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "variants[1].set[\"building_blocks.process_leadership\"]: acts before week 0"));
  CHECK(contains(r.err, "variants[1].set[\"residents.trust_deprivation_shift\"]: acts before week 0"));
}

TEST_CASE("experiment: adaptive replicates stop on the CI half-width, record why, and resume", "[experiment][adaptive]") {
  TempDir dir("exp-adaptive");
  json doc = json::parse(R"({"scenario": "hengelo-noord.json", "years": 0.5, "seed": 1,
    "outcomes": ["active_share", "unsafe_share"],
    "replicates": {"adaptive": {"outcomes": ["active_share", "unsafe_share"], "ci_half_width": 1e-9, "min": 2, "max": 5}},
    "variants": [{"name": "baseline"}, {"name": "no-leader", "set": {"building_blocks.process_leadership": 0}}]})");
  const auto file = write_experiment(dir, doc);
  // Unreachable width: runs to max, in rounds 2, 4, 5.
  const auto s = run_library(file, dir / "max");
  CHECK(s.adaptive_stop == "max");
  CHECK(s.adaptive_replicates == 5);
  CHECK(s.ok == 10);
  const auto m = json::parse(Db(dir / "max" / "results.sqlite").rows("SELECT value FROM manifest WHERE key = 'adaptive'").at(0));
  CHECK(m["stopped"] == "max");
  CHECK(m["replicates"] == 5);
  CHECK(m["rounds"].size() == 3);
  // Interrupted after 3 runs, then resumed: the same content and the same stop.
  const auto part = run_library(file, dir / "resumed", 3);
  CHECK(part.adaptive_stop == "interrupted");
  const auto rest = run_library(file, dir / "resumed");
  CHECK(rest.skipped == 3);
  CHECK(rest.adaptive_stop == "max");
  CHECK(content(dir / "resumed") == content(dir / "max"));
  // A reachable width stops at min with a prefix of the same runs.
  doc["replicates"]["adaptive"]["ci_half_width"] = 0.5;
  const auto file2 = write_experiment(dir, doc, "wide.json");
  const auto w = run_library(file2, dir / "wide");
  CHECK(w.adaptive_stop == "converged");
  CHECK(w.adaptive_replicates == 2);
  Db wide(dir / "wide" / "results.sqlite");
  Db full(dir / "max" / "results.sqlite");
  const std::string q = "SELECT r.variant, r.replicate, o.week, o.metric, o.value FROM outcomes o JOIN runs r ON r.id = o.run_id "
                        "WHERE r.replicate < 2 ORDER BY 1, 2, 3, 4";
  CHECK(wide.rows(q) == full.rows(q));
  // Strict validation, every problem at once.
  doc["replicates"] = json::parse(R"({"adaptive": {"outcomes": ["active_shar"], "ci_half_width": -1, "min": 10, "max": 5, "tol": 1}})");
  const auto bad = write_experiment(dir, doc, "bad.json");
  const CliResult r = test::run_cli({"experiment", bad, "--out", (dir / "bad").string(), "--dry-run"});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "bad.json: replicates.adaptive.tol: unknown key"));
  CHECK(contains(r.err, "replicates.adaptive.outcomes[0]: found \"active_shar\""));
  CHECK(contains(r.err, "replicates.adaptive.ci_half_width: found -1"));
  CHECK(contains(r.err, "replicates.adaptive.max: found 5, expected at least min (10)"));
}
