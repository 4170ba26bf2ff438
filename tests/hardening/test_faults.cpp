// Fault injection on the command line (issue "nothing lost, nothing misleading"): full disks,
// signals, clobbering, odd paths, resource limits and edge values. Every case must end in a
// complete output or none, with exit 1 for a failure while running and 2 for a refusal.
//
// Tests that mount a 2 MiB tmpfs need root: without it they exit with code 77, which CTest
// reports as skipped (SKIP_RETURN_CODE), never as passed.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "test_support.hpp"
#include "wijksim/core/atomic_file.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/core/number_text.hpp"

using nlohmann::json;
using wijksim::test::CliResult;
using wijksim::test::contains;
using wijksim::test::TempDir;
namespace fs = std::filesystem;
namespace test = wijksim::test;

// Evaluates `result` once (it may be a CLI call).
#define REQUIRE_EXIT(result, code)                                                      \
  do {                                                                                  \
    const CliResult& r_ = (result);                                                     \
    INFO(r_.command << "\nstdout:\n" << r_.out << "\nstderr:\n" << r_.err);             \
    REQUIRE(r_.exit_code == (code));                                                    \
  } while (false)

namespace {

constexpr int kSkipped = 77;  // SKIP_RETURN_CODE of this executable (tests/CMakeLists.txt)

// A 2 MiB tmpfs at DIR/disk, unmounted in every case (also when a REQUIRE fails). Without
// root the test process exits 77 before anything is created: CTest reports "skipped".
class SmallDisk {
 public:
  explicit SmallDisk(const TempDir& dir, const char* size = "2m") : path_(dir / "disk") {
    if (geteuid() != 0) {
      WARN("skipped: mounting a tmpfs needs root");
      std::exit(kSkipped);
    }
    fs::create_directories(path_);
    const std::string opts = std::string("size=") + size;
    if (mount("tmpfs", path_.c_str(), "tmpfs", 0, opts.c_str()) != 0) {
      WARN("skipped: cannot mount a tmpfs here (" << std::strerror(errno) << ")");
      std::exit(kSkipped);
    }
  }
  ~SmallDisk() { umount2(path_.c_str(), MNT_DETACH); }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

fs::path small_scenario() { return test::source_dir() / "tests" / "regression" / "small.json"; }

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

int wait_status(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// A pid that belonged to a process that has exited (and been reaped).
pid_t dead_pid() {
  const pid_t p = fork();
  if (p == 0) _exit(0);
  wait_status(p);
  return p;
}

}  // namespace

// ---- 1. results that look complete but are not ---------------------------------------------

TEST_CASE("faults 1: run on a disk that fills while parts are joined fails and leaves nothing", "[hardening][disk]") {
  TempDir dir("faults-disk-run");
  SmallDisk disk(dir);
  // 4 replicates of weekly rows: ~1.6 MB of parts, then the joined copy fills the 2 MiB disk.
  const CliResult r = test::run_cli({"run", small_scenario().string(), "--out", (disk / "run").string(), "--quiet",
                                     "--replicates", "4", "--years", "0.75", "--set", "output.interval=1"});
  REQUIRE_EXIT(r, 1);
  CHECK(contains(r.err, "disk full"));
  CHECK(entries(disk.path()).empty());  // no folder, no temporary
}

// ---- 6-8. clobbering -----------------------------------------------------------------------

TEST_CASE("faults 6: run --force refuses a folder that is not an earlier run's", "[hardening]") {
  TempDir dir("faults-force");
  const fs::path out = dir / "work";
  fs::create_directories(out);
  fs::copy_file(small_scenario(), out / "small.json");
  test::write_file(out / "notes.txt", "mine");
  const CliResult r = test::run_cli({"run", (out / "small.json").string(), "--out", out.string(), "--quiet", "--force"});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "notes.txt"));
  CHECK(entries(out) == std::vector<std::string>{"notes.txt", "small.json"});
  CHECK(test::read_file(out / "notes.txt") == "mine");

  // An earlier run's folder with a file added by the user is not replaced either.
  REQUIRE_EXIT(test::run_cli({"run", small_scenario().string(), "--out", (dir / "run").string(), "--quiet", "--years", "0.1"}), 0);
  test::write_file(dir / "run" / "plot.png", "x");
  REQUIRE_EXIT(test::run_cli({"run", small_scenario().string(), "--out", (dir / "run").string(), "--quiet", "--years", "0.1", "--force"}), 2);
  CHECK(fs::exists(dir / "run" / "plot.png"));
}

TEST_CASE("faults 7: of two runs into the same new folder, the second refuses", "[hardening]") {
  TempDir dir("faults-race");
  const fs::path out = dir / "out";
  const std::vector<std::string> common = {"run", small_scenario().string(), "--out", out.string(), "--quiet", "--years", "1"};
  auto a = common, b = common;
  a.insert(a.end(), {"--seed", "1"});
  b.insert(b.end(), {"--seed", "2"});
  // Both pass the start checks (the folder does not exist yet), then both simulate.
  const pid_t pa = test::spawn_cli(a, dir / "a.err"), pb = test::spawn_cli(b, dir / "b.err");
  const int sa = wait_status(pa), sb = wait_status(pb);
  REQUIRE(WIFEXITED(sa));
  REQUIRE(WIFEXITED(sb));
  const int ca = WEXITSTATUS(sa), cb = WEXITSTATUS(sb);
  INFO("a: " << ca << " " << test::read_file(dir / "a.err") << "\nb: " << cb << " " << test::read_file(dir / "b.err"));
  CHECK(((ca == 0 && cb == 2) || (ca == 2 && cb == 0)));
  const json m = json::parse(test::read_file(out / "manifest.json"));
  CHECK(m["seed"] == (ca == 0 ? 1 : 2));  // the folder is the winner's, complete
  CHECK(test::entries_containing(dir.path(), ".tmp-").empty());
}

// ---- 10. signals and leftovers ---------------------------------------------------------------

TEST_CASE("faults 10: SIGTERM or SIGINT during run removes the unfinished folder and says so", "[hardening][signal]") {
  TempDir dir("faults-sigterm");
  for (int sig : {SIGTERM, SIGINT}) {
    const fs::path out = dir / ("out" + std::to_string(sig));
    const pid_t pid = test::spawn_cli({"run", small_scenario().string(), "--out", out.string(), "--quiet", "--years", "30",
                                 "--replicates", "2", "--threads", "1"},
                                dir / "err");
    // Wait until the temporary folder exists (the run is simulating), then stop it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (test::entries_containing(dir.path(), out.filename().string() + ".tmp-").empty() &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    kill(pid, sig);
    const int status = wait_status(pid);
    INFO("signal " << sig << ", stderr: " << test::read_file(dir / "err"));
    CHECK(WIFSIGNALED(status));
    CHECK(contains(test::read_file(dir / "err"), "unfinished output removed"));
    CHECK_FALSE(fs::exists(out));
    CHECK(test::entries_containing(dir.path(), ".tmp-").empty());
  }
}

TEST_CASE("faults 10: stale temporaries of dead processes are removed by the next writer", "[hardening]") {
  TempDir dir("faults-stale");
  const pid_t gone = dead_pid();
  // A file temporary (as `export` or `report` leave them) and a folder temporary (`run`).
  const fs::path target = dir / "outcomes.csv";
  test::write_file(wijksim::temporary_name(target, "tmp", gone), "partial");
  const std::string live = "outcomes.csv.tmp-" + std::to_string(getppid());  // a live process's
  test::write_file(dir / live, "being written");
  test::write_file(dir / "outcomes.csv.tmp-notapid", "not a temporary");
  wijksim::write_file_atomically(target, "complete\n");
  CHECK(test::read_file(target) == "complete\n");
  CHECK(entries(dir.path()) == std::vector<std::string>{"outcomes.csv", live, "outcomes.csv.tmp-notapid"});
}

// ---- 11-14. paths and limits -----------------------------------------------------------------

TEST_CASE("faults 11: a trailing slash is the folder; ., .. and symlink loops are refused before simulating", "[hardening]") {
  TempDir dir("faults-paths");
  const std::string s = small_scenario().string();
  REQUIRE_EXIT(test::run_cli({"run", s, "--out", (dir / "slash").string() + "/", "--quiet", "--years", "0.1"}), 0);
  CHECK(fs::is_regular_file(dir / "slash" / "manifest.json"));
  for (const std::string& bad : std::vector<std::string>{".", "..", (dir / ".").string(), "/"}) {
    const CliResult r = test::run_cli({"run", s, "--out", bad, "--quiet", "--years", "0.1"});
    REQUIRE_EXIT(r, 2);
  }
  fs::create_symlink(dir / "loop", dir / "loop");
  const CliResult loop = test::run_cli({"run", s, "--out", (dir / "loop").string(), "--quiet", "--years", "0.1"});
  REQUIRE_EXIT(loop, 2);
  CHECK(contains(loop.err, "symbolic link"));
  CHECK(test::entries_containing(dir.path(), ".tmp-").empty());
}

TEST_CASE("faults 12: output names of up to 255 bytes work (the temporary name is shortened)", "[hardening]") {
  TempDir dir("faults-name");
  for (std::size_t len : {247u, 255u}) {
    const fs::path out = dir / std::string(len, 'r');
    const CliResult r = test::run_cli({"run", small_scenario().string(), "--out", out.string(), "--quiet", "--years", "0.1"});
    REQUIRE_EXIT(r, 0);
    CHECK(fs::is_regular_file(out / "timeseries.csv"));
  }
  CHECK(wijksim::temporary_name(dir / std::string(255, 'r')).filename().string().size() <= 255);
  // A name cut in the middle of a UTF-8 character keeps whole characters.
  const std::string cut = wijksim::temporary_name(dir / (std::string(239, 'a') + "\xC3\xA9\xC3\xA9")).filename().string();
  CHECK(cut.rfind(std::string(239, 'a') + ".tmp-", 0) == 0);
}

TEST_CASE("faults 13: paths that are not UTF-8 are refused by validate and run alike, before simulating", "[hardening]") {
  TempDir dir("faults-utf8");
  const fs::path scenario = dir / "bad\xff.json";
  fs::copy_file(small_scenario(), scenario);
  const CliResult v = test::run_cli({"validate", scenario.string()});
  REQUIRE_EXIT(v, 2);
  CHECK(contains(v.err, "UTF-8"));
  REQUIRE_EXIT(test::run_cli({"run", scenario.string(), "--out", (dir / "out").string(), "--quiet"}), 2);
  const CliResult out = test::run_cli({"run", small_scenario().string(), "--out", (dir / "out\xfe").string(), "--quiet"});
  REQUIRE_EXIT(out, 2);
  CHECK(contains(out.err, "UTF-8"));
  CHECK(entries(dir.path()) == std::vector<std::string>{"bad\xff.json"});
}

TEST_CASE("faults 14: many replicates under a low open-files limit", "[hardening]") {
  TempDir dir("faults-nofile");
  rlimit old{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &old) == 0);
  rlimit low = old;
  low.rlim_cur = 48;  // inherited by the CLI
  REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
  const CliResult r = test::run_cli({"run", small_scenario().string(), "--out", (dir / "out").string(), "--quiet",
                                     "--replicates", "80", "--years", "0.1", "--set", "simulation.burn_in=0", "--threads", "2"});
  setrlimit(RLIMIT_NOFILE, &old);
  REQUIRE_EXIT(r, 0);
  const std::string ts = test::read_file(dir / "out" / "timeseries.csv");
  CHECK(contains(ts, "\n79,"));
}

TEST_CASE("faults 15: a run too large for the disk or memory is refused with the estimate", "[hardening]") {
  TempDir dir("faults-huge");
  const CliResult r = test::run_cli({"run", small_scenario().string(), "--out", (dir / "out").string(), "--quiet",
                                     "--replicates", "100000", "--years", "100", "--detail", "buurt", "--set", "output.interval=1"});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "would write about"));
  CHECK(contains(r.err, "free"));
  CHECK(entries(dir.path()).empty());
}

TEST_CASE("faults 16: summary.json keeps to --detail, and the reported time is the command's wall time", "[hardening]") {
  TempDir dir("faults-detail");
  // Many small buurten: writing a buurt-level summary would dominate the run.
  json doc = test::small_generated_scenario(0.05, 0);
  doc["city"]["generate"] = {{"wijken", 40}, {"buurten_per_wijk", {40, 40}},
                             {"residents_per_buurt", {{"median", 20}, {"sigma", 0.1}, {"min", 15}, {"max", 30}}}, {"seed", 3}};
  test::write_file(dir / "city.json", doc.dump());
  const auto t0 = std::chrono::steady_clock::now();
  // Not --quiet: the time is in the table on stdout.
  const CliResult r = test::run_cli(
      {"run", (dir / "city.json").string(), "--out", (dir / "out").string(), "--detail", "city", "--replicates", "2"});
  const double outside = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE_EXIT(r, 0);
  const json summary = json::parse(test::read_file(dir / "out" / "summary.json"));
  CHECK(summary["levels"].size() == 1);
  CHECK(summary["levels"].contains("city"));
  const auto at = r.out.rfind("(");
  REQUIRE(at != std::string::npos);
  const double printed = std::stod(r.out.substr(at + 1));
  INFO("printed " << printed << " s, measured from outside " << outside << " s");
  CHECK(printed <= outside + 0.05);
  CHECK(printed >= 0.5 * outside - 0.1);
}

// ---- 17-21. values ---------------------------------------------------------------------------

TEST_CASE("faults 17: a number too large for a double is named by line and path", "[hardening]") {
  TempDir dir("faults-1e400");
  json doc = json::parse(test::read_file(small_scenario()));
  std::string text = doc.dump(2);
  const std::string key = "\"residents\": 500";
  REQUIRE(text.find(key) != std::string::npos);
  text.replace(text.find(key), key.size(), "\"residents\": 1e400");
  test::write_file(dir / "big.json", text);
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.find("1e400"); ++i) line += text[i] == '\n';
  const CliResult r = test::run_cli({"validate", (dir / "big.json").string()});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "city.wijken[0].buurten[0].residents"));
  CHECK(contains(r.err, "line " + std::to_string(line) + ":"));
}

TEST_CASE("faults 18: scenario values are hashed and recorded exactly", "[hardening]") {
  json doc = json::parse(test::read_file(small_scenario()));
  doc["building_blocks"]["trust"] = 0.5;
  const auto a = test::load(doc);
  doc["building_blocks"]["trust"] = 0.5000000001;  // differs in the 10th digit
  const auto b = test::load(doc);
  CHECK(a.hash != b.hash);
  CHECK(b.resolved["building_blocks"]["trust"].get<double>() == 0.5000000001);
  doc["building_blocks"]["trust"] = 1e-12;
  CHECK(test::load(doc).resolved["building_blocks"]["trust"].get<double>() == 1e-12);
  // Unit conversions (years to weeks and back) leave no noise in the record.
  doc["simulation"]["years"] = 0.1;
  CHECK(test::load(doc).resolved["simulation"]["years"].dump() == "0.1");
  // The text of numbers in messages and CSV is the shortest that reads back to the same double.
  CHECK(wijksim::number_text(0.1 + 0.2) == "0.30000000000000004");
  CHECK(std::stod(wijksim::number_text(1e-12)) == 1e-12);
  CHECK(wijksim::number_text(52) == "52");
}

TEST_CASE("faults 20: start dates must exist in the calendar", "[hardening]") {
  json doc = json::parse(test::read_file(small_scenario()));
  for (const char* bad : {"2023-02-29", "2026-02-31", "2026-04-31", "0000-01-01"}) {
    doc["start_date"] = bad;
    INFO(bad);
    CHECK_THROWS_AS(test::load(doc), wijksim::InputError);
  }
  for (const char* good : {"2024-02-29", "2000-02-29", "2026-12-31"}) {
    doc["start_date"] = good;
    INFO(good);
    CHECK_NOTHROW(test::load(doc));
  }
}

TEST_CASE("faults 21: unit codes with separators or line breaks are refused at validation", "[hardening]") {
  for (const char* bad : {"BU,1", "BU\n1", "BU\"1", "BU\r1"}) {
    json doc = json::parse(test::read_file(small_scenario()));
    doc["city"]["wijken"][0]["buurten"][0]["code"] = bad;
    INFO(json(bad).dump());
    try {
      test::load(doc);
      FAIL("accepted");
    } catch (const wijksim::InputError& e) {
      CHECK(contains(e.what(), "city.wijken[0].buurten[0].code"));
    }
  }
  json doc = json::parse(test::read_file(small_scenario()));
  doc["city"]["code"] = "GM,1";
  CHECK_THROWS_AS(test::load(doc), wijksim::InputError);
}

// ---- 2-4, 15. experiment stores ---------------------------------------------------------------

namespace {

// A small experiment next to a copy of the regression scenario; returns the experiment file.
std::string small_experiment(const TempDir& dir, int replicates = 2, const std::string& name = "exp.json") {
  fs::copy_file(small_scenario(), dir / "small.json", fs::copy_options::overwrite_existing);
  const json doc = {{"scenario", "small.json"}, {"years", 1}, {"replicates", replicates}, {"seed", 1}, {"interval", 1},
                    {"outcomes", {"active_share", "unsafe_share", "mean_trust", "euros_spent"}}, {"levels", {"city", "buurt"}},
                    {"variants", {{{"name", "a"}}, {{"name", "b"}, {"set", {{"building_blocks.trust", 0.3}}}}}}};
  test::write_file(dir / name, doc.dump(2));
  return (dir / name).string();
}

CliResult experiment(const std::string& file, const fs::path& out) {
  return test::run_cli({"experiment", file, "--out", out.string(), "--progress", "none", "--threads", "2"});
}

}  // namespace

TEST_CASE("faults 2: a full disk during the final checkpoint fails the experiment", "[hardening][disk]") {
  TempDir dir("faults-disk-exp");
  const std::string file = small_experiment(dir, 4);
  SmallDisk disk(dir, "800k");  // the WAL fits; folding it into results.sqlite does not
  const CliResult r = experiment(file, disk / "s");
  REQUIRE_EXIT(r, 1);
  CHECK(contains(r.err, "disk full"));
}

TEST_CASE("faults 2: a finished store is one self-contained file", "[hardening]") {
  TempDir dir("faults-selfcontained");
  REQUIRE_EXIT(experiment(small_experiment(dir), dir / "s"), 0);
  CHECK(entries(dir / "s") == std::vector<std::string>{"results.sqlite"});
}

TEST_CASE("faults 3: damaged stores and values out of range are refused by every reader", "[hardening]") {
  TempDir dir("faults-damaged");
  const std::string file = small_experiment(dir);
  REQUIRE_EXIT(experiment(file, dir / "s"), 0);
  const fs::path db = dir / "s" / "results.sqlite";
  fs::copy(dir / "s", dir / "flipped");
  fs::copy(dir / "s", dir / "zeroed");
  fs::copy(dir / "s", dir / "manifest");
  // A flipped value.
  auto sql = [](const fs::path& store, const std::string& statement) {
    return std::system(("/usr/bin/env python3 -c \"import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()\" '" +
                        (store / "results.sqlite").string() + "' \"" + statement + "\"").c_str());
  };
  REQUIRE(sql(dir / "flipped", "UPDATE outcomes SET value = -111.86 WHERE metric = 'active_share' AND week = 52") == 0);
  for (const char* cmd : {"export", "compare"}) {
    const CliResult r = test::run_cli({cmd, (dir / "flipped").string()});
    REQUIRE_EXIT(r, 2);
    CHECK(contains(r.err, "active_share = -111.86"));
  }
  // One zeroed page in the middle of the file.
  {
    const auto size = fs::file_size(db);
    std::FILE* f = std::fopen((dir / "zeroed" / "results.sqlite").c_str(), "r+b");
    REQUIRE(f);
    const std::string zeros(4096, '\0');
    std::fseek(f, static_cast<long>(size / 2 / 4096 * 4096), SEEK_SET);
    std::fwrite(zeros.data(), 1, zeros.size(), f);
    std::fclose(f);
  }
  const CliResult resumed = experiment(file, dir / "zeroed");
  REQUIRE_EXIT(resumed, 2);
  CHECK_FALSE(contains(resumed.out, "already done"));
  REQUIRE_EXIT(test::run_cli({"export", (dir / "zeroed").string()}), 2);
  // A tampered manifest: a clear error naming the key.
  REQUIRE(sql(dir / "manifest", "UPDATE manifest SET value = '{oops' WHERE key = 'variants'") == 0);
  const CliResult m = test::run_cli({"compare", (dir / "manifest").string()});
  REQUIRE_EXIT(m, 2);
  CHECK(contains(m.err, "manifest.variants"));
  CHECK_FALSE(contains(m.err, "json.exception"));
}

TEST_CASE("faults 4: a refused merge leaves nothing under --out", "[hardening]") {
  TempDir dir("faults-merge");
  const std::string file = small_experiment(dir);
  REQUIRE_EXIT(experiment(file, dir / "a"), 0);
  fs::copy(dir / "a", dir / "b");
  REQUIRE(std::system(("/usr/bin/env python3 -c \"import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                       "c.execute('UPDATE outcomes SET value = value * 0.5'); c.commit()\" '" +
                       (dir / "b" / "results.sqlite").string() + "'").c_str()) == 0);
  const CliResult r = test::run_cli({"merge", (dir / "a").string(), (dir / "b").string(), "--out", (dir / "m").string()});
  REQUIRE_EXIT(r, 2);
  CHECK_FALSE(fs::exists(dir / "m"));
  CHECK(test::entries_containing(dir.path(), ".tmp-").empty());
  // A good merge into a new folder and then into the existing store.
  REQUIRE_EXIT(test::run_cli({"merge", (dir / "a").string(), "--out", (dir / "m").string()}), 0);
  REQUIRE_EXIT(test::run_cli({"merge", (dir / "a").string(), "--out", (dir / "m").string()}), 0);
  CHECK(entries(dir / "m") == std::vector<std::string>{"results.sqlite"});
  REQUIRE_EXIT(test::run_cli({"export", (dir / "m").string()}), 0);
}

TEST_CASE("faults 15: an experiment too large for the disk is refused with the estimate", "[hardening]") {
  TempDir dir("faults-huge-exp");
  json doc = json::parse(test::read_file(small_experiment(dir)));
  doc["replicates"] = 100000;
  doc["years"] = 100;
  test::write_file(dir / "huge.json", doc.dump());
  const CliResult r = experiment((dir / "huge.json").string(), dir / "s");
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "would take about"));
  CHECK_FALSE(fs::exists(dir / "s" / "results.sqlite"));
}

// ---- 5, 8, 19. calibrate and report ------------------------------------------------------------

namespace {

// A calibration of the no-programme baseline on a tiny explicit city, start point only.
std::string tiny_calibration(const TempDir& dir, double tolerance) {
  test::write_file(dir / "city.json", test::explicit_scenario({{{300, 0.1}, {300, 0.8}}}, 0.5, 0.25).dump(2));
  const json doc = {{"scenario", "city.json"}, {"replicates", 2}, {"seed", 3}, {"average_weeks", 4},
                    {"parameters", {{"safety.base", {{"range", {0.6, 0.9}}}}}},
                    {"targets", {{{"name", "unsafe"}, {"metric", "unsafe_share"}, {"value", 0.2}, {"tolerance", tolerance}}}},
                    {"optimiser", {{"max_evaluations", 0}}}};
  test::write_file(dir / "calibration.json", doc.dump(2));
  return (dir / "calibration.json").string();
}

}  // namespace

TEST_CASE("faults 5: calibrate on a full disk leaves none of its files", "[hardening][disk]") {
  TempDir dir("faults-disk-calib");
  const std::string file = tiny_calibration(dir, 0.01);
  SmallDisk disk(dir, "8k");  // two pages: not room for three files
  const CliResult r = test::run_cli({"calibrate", file, "--out", (disk / "c").string(), "--progress", "none", "--threads", "1"});
  REQUIRE_EXIT(r, 1);
  CHECK(contains(r.err, "disk full"));
  CHECK(entries(disk / "c").empty());
}

TEST_CASE("faults 8: report --out refuses to overwrite a file that is not a report", "[hardening]") {
  TempDir dir("faults-report-out");
  // A file with the right extension whose content is not a report (another extension is refused
  // as such, see tests/report). Refused before the store is even opened.
  test::write_file(dir / "notes.html", "mine");
  const CliResult r = test::run_cli({"report", (dir / "no-store").string(), "--out", (dir / "notes.html").string()});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "--force"));
  CHECK(test::read_file(dir / "notes.html") == "mine");
}

TEST_CASE("faults 19: calibration tolerances that overflow the objective are refused", "[hardening]") {
  TempDir dir("faults-tolerance");
  const CliResult r = test::run_cli({"calibrate", tiny_calibration(dir, 1e-300), "--progress", "none"});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "targets[0].tolerance"));
  CHECK(contains(r.err, "infinity"));
}
