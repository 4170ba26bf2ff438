#pragma once
// Helpers shared by the test areas: where the sources and the CLI are, temporary folders,
// running the CLI, small scenarios, and recording what a simulation produced week by week.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/scenario/load.hpp"
#include "wijksim/sim/metrics.hpp"

namespace wijksim::test {

namespace fs = std::filesystem;

// The source tree (for scenarios/ and the golden files) and the CLI binary, set by CMake.
fs::path source_dir();
fs::path cli_path();

// A fresh folder under the system temporary directory, removed with everything in it when
// the object goes out of scope (kept when WIJKSIM_KEEP_TEST_FILES=1, for debugging).
class TempDir {
 public:
  explicit TempDir(const std::string& label);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& file);
void write_file(const fs::path& file, const std::string& text);

// Runs the CLI with the given arguments (each one quoted for the shell) and captures the
// exit code, stdout and stderr.
struct CliResult {
  int exit_code = -1;
  std::string out, err;
  std::string command;  // for failure messages
};
CliResult run_cli(const std::vector<std::string>& args);

// Starts the CLI in the background (for tests that signal or kill it): stdin and stdout go to
// /dev/null, stderr to `err` (or /dev/null when empty). Returns its pid; the caller waits.
int spawn_cli(const std::vector<std::string>& args, const std::filesystem::path& err = {});

// Whether s contains part (messages, CLI output).
bool contains(const std::string& s, const std::string& part);

// Entries of a folder whose name contains `part` (e.g. ".tmp-").
std::vector<std::string> entries_containing(const fs::path& dir, const std::string& part);

// A small generated city (2 wijken of 2-3 buurten, a few hundred residents per buurt) with
// a short horizon: cheap enough to run many times.
nlohmann::json small_generated_scenario(double years = 1.0, double burn_in_years = 0.25);

// An explicit city: wijken[w] lists the residents of its buurten (codes WK<w+1>, BU<w+1><b+1>);
// the age groups are given explicitly so a test can add residents to one group.
struct BuurtSize {
  int residents;
  double deprivation;
};
nlohmann::json explicit_scenario(const std::vector<std::vector<BuurtSize>>& wijken, double years,
                                 double burn_in_years);
// Age groups in fixed proportions (15%, 12%, 26%, 26%, rest 65+) that add up to residents.
nlohmann::json age_groups(int residents);

ScenarioSpec load(const nlohmann::json& doc, const std::vector<Override>& overrides = {});

// Everything a simulation tallied, week by week: buurt, wijk and city tallies.
struct WeekRecord {
  std::int32_t week = 0;
  std::vector<Tally> buurt, wijk;
  Tally city{};
};
struct Trace {
  std::vector<std::string> buurt_codes, wijk_codes;
  std::vector<WeekRecord> weeks;  // burn-in weeks included when asked for
};
Trace trace_simulation(const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicate, unsigned threads,
                       bool include_burn_in);

// Bitwise equality of two tallies (no tolerance: reproducibility means the same bits).
bool same_bits(const Tally& a, const Tally& b);
// Index of the first field whose bits differ, or -1.
int first_difference(const Tally& a, const Tally& b);
// Name of a TallyField by index ("?" out of range), for failure messages.
const char* tally_field_name(int field);

}  // namespace wijksim::test
