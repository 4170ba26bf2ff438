// Crash safety of `wijksim run`: SIGKILL at random moments must never leave a run folder that
// looks complete but is not. A run writes into `<out>.tmp-<pid>` and renames it into place
// when every file is written, so after a kill the folder is either absent (or, with --force,
// still the previous complete run) or complete: manifest.json parses and names its files, and
// timeseries.csv is byte for byte the uninterrupted run's.
//
// Stale `<out>.tmp-<pid>` (and, with --force, `<out>.old-<pid>`) folders of a killed run are
// left behind until the next run into the same --out, which removes those whose process is
// gone. They are never mistaken for output since their names differ from --out. (`wijksim experiment` has its own
// SIGKILL-and-resume test in tests/experiment.)
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "test_support.hpp"

using nlohmann::json;
using wijksim::test::TempDir;
namespace fs = std::filesystem;
namespace test = wijksim::test;

namespace {

using Clock = std::chrono::steady_clock;

// Waits for `pid`; returns the raw status.
int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// A complete run folder equal to the reference run (same scenario, seed and thread count).
void require_complete(const fs::path& out, const std::string& reference_ts) {
  INFO("run folder " << out.string());
  REQUIRE(fs::is_directory(out));
  json m;
  REQUIRE_NOTHROW(m = json::parse(test::read_file(out / "manifest.json")));
  REQUIRE(m["files"].is_array());
  for (const auto& f : m["files"]) CHECK(fs::is_regular_file(out / f.get<std::string>()));
  REQUIRE_NOTHROW(json::parse(test::read_file(out / "summary.json")));
  const std::string ts = test::read_file(out / "timeseries.csv");
  REQUIRE(ts.rfind("replicate,week,level,unit,metric,value\n", 0) == 0);
  CHECK(std::count(ts.begin(), ts.end(), '\n') == std::count(reference_ts.begin(), reference_ts.end(), '\n'));
  CHECK(ts == reference_ts);
}

}  // namespace

TEST_CASE("crash safety: SIGKILL during run leaves the folder absent or complete", "[hardening]") {
  TempDir dir("crash-run");
  auto doc = test::small_generated_scenario(1.0, 0.25);
  doc["name"] = "crash";
  const std::string scenario = (dir / "crash.json").string();
  test::write_file(scenario, doc.dump(2));
  const std::vector<std::string> flags = {"--quiet", "--seed", "5", "--replicates", "3", "--threads", "2", "--detail", "buurt"};
  auto run_args = [&](const fs::path& out, bool force) {
    std::vector<std::string> a = {"run", scenario, "--out", out.string()};
    a.insert(a.end(), flags.begin(), flags.end());
    if (force) a.push_back("--force");
    return a;
  };

  // The uninterrupted reference, timed to spread the kills over a whole run.
  const auto t0 = Clock::now();
  const int ref_status = wait_for(test::spawn_cli(run_args(dir / "reference", false)));
  const double ref_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  REQUIRE(WIFEXITED(ref_status));
  REQUIRE(WEXITSTATUS(ref_status) == 0);
  const std::string reference_ts = test::read_file(dir / "reference" / "timeseries.csv");
  INFO("uninterrupted run: " << ref_seconds << " s");

  std::mt19937_64 rng(Catch::rngSeed() + 12345);
  // Kill anywhere from the start to a little past the usual end of a run.
  std::uniform_real_distribution<double> when(0.0, 1.15 * ref_seconds);
  const auto budget = std::chrono::seconds(15);
  const auto start = Clock::now();
  int trials = 0, killed = 0, absent = 0, complete = 0, stale = 0;
  for (; trials < 20 && Clock::now() - start < budget; ++trials) {
    // Odd trials replace a complete earlier run with --force: then the old run may survive.
    const bool force = trials % 2 == 1;
    const fs::path out = dir / ("trial" + std::to_string(trials));
    if (force) fs::copy(dir / "reference", out);
    const double delay = when(rng);
    INFO("trial " << trials << (force ? " (--force over a complete run)" : "") << ", kill after " << delay << " s");
    const pid_t pid = test::spawn_cli(run_args(out, force));
    REQUIRE(pid > 0);
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    kill(pid, SIGKILL);
    const int status = wait_for(pid);
    if (WIFSIGNALED(status)) {
      CHECK(WTERMSIG(status) == SIGKILL);
      ++killed;
    } else {
      REQUIRE(WIFEXITED(status));
      CHECK(WEXITSTATUS(status) == 0);
    }
    if (fs::exists(out)) {
      // With --force the earlier run is identical to the new one, so either is "complete".
      require_complete(out, reference_ts);
      ++complete;
    } else {
      ++absent;
      // The only way a --force run loses the old folder: killed between the two renames,
      // the old run then sits in <out>.old-<pid>.
      if (force) CHECK_FALSE(test::entries_containing(dir.path(), out.filename().string() + ".old-").empty());
    }
    // Leftovers are named apart from --out and never contain a manifest next to a partial CSV
    // that a reader would take for a run: they are simply not --out.
    const auto leftovers = test::entries_containing(dir.path(), out.filename().string() + ".tmp-");
    stale += static_cast<int>(leftovers.size());
    if (WIFEXITED(status)) CHECK(leftovers.empty());
  }
  WARN("crash safety: " << trials << " trials, " << killed << " killed, " << absent << " absent, " << complete
                        << " complete, " << stale << " stale *.tmp-* folders left (removed by the next run into the same folder)");
  CHECK(trials >= 5);

  // A stale temporary folder does not stop a new run into the same place, which removes it
  // (its process is gone: a child that has exited and been reaped).
  const pid_t gone = fork();
  if (gone == 0) _exit(0);
  wait_for(gone);
  const fs::path again = dir / "again";
  const fs::path stale_tmp = dir / ("again.tmp-" + std::to_string(gone));
  fs::create_directories(stale_tmp);
  test::write_file(stale_tmp / "timeseries.csv", "partial");
  const int status = wait_for(test::spawn_cli(run_args(again, false)));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  require_complete(again, reference_ts);
  CHECK_FALSE(fs::exists(stale_tmp));
}
