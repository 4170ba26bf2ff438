// Ctrl-C and SIGTERM on the commands that read or compute for a while before writing
// (import-cbs, merge, calibrate): a message, the process ends by the signal (130/143 in a
// shell), and nothing half-written is left: no output, no temporary, no folder it created.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "test_support.hpp"

using namespace wijksim;
using test::contains;
using test::TempDir;
namespace fs = std::filesystem;

namespace {

// Starts the command, signals it after `delay`, and checks how it ended.
void stop_and_check(const std::vector<std::string>& args, int sig, std::chrono::milliseconds delay, const TempDir& dir,
                    const fs::path& output) {
  const fs::path err = dir / ("err" + std::to_string(sig));
  const pid_t pid = test::spawn_cli(args, err);
  std::this_thread::sleep_for(delay);
  kill(pid, sig);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string text = test::read_file(err);
  INFO("signal " << sig << ", stderr: " << text);
  REQUIRE(WIFSIGNALED(status));  // a shell reports 128 + signal: 130 for Ctrl-C, 143 for SIGTERM
  CHECK(WTERMSIG(status) == sig);
  CHECK(contains(text, sig == SIGINT ? "wijksim: stopped by SIGINT" : "wijksim: stopped by SIGTERM"));
  CHECK_FALSE(fs::exists(output));
  CHECK(test::entries_containing(output.parent_path(), ".tmp-").empty());
  CHECK(test::entries_containing(output.parent_path(), ".old-").empty());
}

}  // namespace

TEST_CASE("faults 10: Ctrl-C or SIGTERM stops import-cbs with a message and no output file", "[hardening][signal]") {
  TempDir dir("signal-import");
  for (int sig : {SIGINT, SIGTERM}) {
    const fs::path out = dir / "all.json";
    // Every gemeente of the shipped table: about a second of reading and building.
    stop_and_check({"import-cbs", "--all", "--out", out.string()}, sig, std::chrono::milliseconds(250), dir, out);
  }
}

TEST_CASE("faults 10: Ctrl-C or SIGTERM stops merge with a message and no merged store", "[hardening][signal]") {
  TempDir dir("signal-merge");
  const nlohmann::json e = {{"scenario", (test::source_dir() / "scenarios" / "hengelo-noord.json").string()},
                            {"years", 0.1},
                            {"replicates", 1},
                            {"outcomes", {"active_share"}},
                            {"variants", {{{"name", "a"}}}}};
  test::write_file(dir / "e.json", e.dump());
  const std::string store = (dir / "store").string();
  REQUIRE(
      test::run_cli({"experiment", (dir / "e.json").string(), "--out", store, "--quiet", "--threads", "1"}).exit_code ==
      0);
  for (int sig : {SIGINT, SIGTERM}) {
    // The same store given 3000 times: seconds of checking inputs before the merge is built.
    std::vector<std::string> args = {"merge"};
    for (int i = 0; i < 3000; ++i) args.push_back(store);
    const fs::path out = dir / "merged";
    args.insert(args.end(), {"--out", out.string()});
    stop_and_check(args, sig, std::chrono::milliseconds(300), dir, out);
  }
}

TEST_CASE("faults 10: Ctrl-C or SIGTERM stops calibrate with a message and removes the --out folder it made",
          "[hardening][signal]") {
  TempDir dir("signal-calibrate");
  for (int sig : {SIGINT, SIGTERM}) {
    const fs::path out = dir / "cal";
    stop_and_check({"calibrate", (test::source_dir() / "scenarios" / "calibration" / "baseline.json").string(), "--out",
                    out.string(), "--threads", "1", "--progress", "none"},
                   sig, std::chrono::milliseconds(800), dir, out);
  }
}
