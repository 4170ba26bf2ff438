// Fault injection on `wijksim report`, which runs tools/plot/report.py (Debian's python3):
// label report, like every test that spawns the Python side. See test_faults.cpp.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "test_support.hpp"

using nlohmann::json;
using wijksim::test::CliResult;
using wijksim::test::contains;
using wijksim::test::TempDir;
namespace fs = std::filesystem;
namespace test = wijksim::test;

namespace {

std::string small_store(const TempDir& dir) {
  fs::copy_file(test::source_dir() / "tests" / "regression" / "small.json", dir / "small.json");
  const json doc = {{"scenario", "small.json"}, {"years", 1}, {"replicates", 2}, {"seed", 1},
                    {"outcomes", {"active_share", "unsafe_share"}},
                    {"variants", {{{"name", "a"}}, {{"name", "b"}, {"set", {{"building_blocks.trust", 0.3}}}}}}};
  test::write_file(dir / "exp.json", doc.dump(2));
  const CliResult r = test::run_cli({"experiment", (dir / "exp.json").string(), "--out", (dir / "s").string(), "--progress", "none"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return (dir / "s").string();
}

// Direct children of `pid` (Linux /proc/PID/task/PID/children).
std::vector<pid_t> children_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> out;
  for (pid_t c; in >> c;) out.push_back(c);
  return out;
}

}  // namespace

TEST_CASE("faults 9: killing report kills its Python child, and nothing appears under --out afterwards", "[report]") {
  TempDir dir("faults-report-kill");
  const std::string store = small_store(dir);
  // Orphans become our children, so we can wait for the Python process after its parent dies.
  REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
  for (int sig : {SIGKILL, SIGTERM}) {
    const fs::path out = dir / ("r" + std::to_string(sig) + ".html");
    const std::string cli = test::cli_path().string(), o = out.string();
    const pid_t pid = fork();
    if (pid == 0) {
      const int null = open("/dev/null", O_RDWR);
      dup2(null, 1);
      dup2(null, 2);
      execl(cli.c_str(), cli.c_str(), "report", store.c_str(), "--out", o.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    // Wait for the Python child, give it a moment to start drawing, then stop the parent.
    std::vector<pid_t> kids;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while ((kids = children_of(pid)).empty() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(kids.size() == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    // The child must be gone at once (not finish its report seconds later).
    const auto t0 = std::chrono::steady_clock::now();
    int child_status = 0;
    REQUIRE(waitpid(kids[0], &child_status, 0) == kids[0]);
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 1.0);
    CHECK(WIFSIGNALED(child_status));
    CHECK_FALSE(fs::exists(out));
  }
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  // What the killed ones left are temporaries (removed by the next writer, see faults 10).
  for (const auto& e : fs::directory_iterator(dir.path()))
    if (e.path().filename().string().rfind("r", 0) == 0) CHECK(contains(e.path().filename().string(), ".tmp-"));
}

TEST_CASE("faults 5: report on a full disk exits 1 and leaves nothing", "[report]") {
  TempDir dir("faults-report-disk");
  if (geteuid() != 0) {
    WARN("skipped: mounting a tmpfs needs root");
    std::exit(77);
  }
  const std::string store = small_store(dir);
  fs::create_directories(dir / "disk");
  REQUIRE(mount("tmpfs", (dir / "disk").c_str(), "tmpfs", 0, "size=16k") == 0);
  const CliResult r = test::run_cli({"report", store, "--out", (dir / "disk" / "r.html").string()});
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir / "disk")) left.push_back(e.path().filename().string());
  umount2((dir / "disk").c_str(), MNT_DETACH);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(left.empty());
}
