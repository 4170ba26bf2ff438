#include "test_support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "wijksim/core/thread_pool.hpp"
#include "wijksim/sim/simulation.hpp"

namespace wijksim::test {

fs::path source_dir() { return fs::path(WIJKSIM_SOURCE_DIR); }
fs::path cli_path() { return fs::path(WIJKSIM_CLI); }

namespace {

bool keep_files() {
  const char* v = std::getenv("WIJKSIM_KEEP_TEST_FILES");
  return v && std::string(v) == "1";
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

}  // namespace

TempDir::TempDir(const std::string& label) {
  static std::atomic<int> counter{0};
  const fs::path base = fs::temp_directory_path();
  for (;;) {
    path_ = base / ("wijksim-test-" + label + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::error_code ec;
    if (fs::create_directory(path_, ec)) return;
    if (ec) throw std::runtime_error("cannot create " + path_.string() + ": " + ec.message());
  }
}

TempDir::~TempDir() {
  if (keep_files()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

int spawn_cli(const std::vector<std::string>& args, const fs::path& err) {
  std::vector<std::string> all = {cli_path().string()};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = open("/dev/null", O_RDWR);
    const int e = err.empty() ? null : open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(null, 0);
    dup2(null, 1);
    dup2(e, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

CliResult run_cli(const std::vector<std::string>& args) {
  TempDir io("cli-io");
  CliResult r;
  std::string cmd = shell_quote(cli_path().string());
  for (const auto& a : args) {
    cmd += ' ';
    cmd += shell_quote(a);
  }
  r.command = cmd;
  cmd += " >" + shell_quote((io / "stdout").string()) + " 2>" + shell_quote((io / "stderr").string()) + " </dev/null";
  const int status = std::system(cmd.c_str());
  if (status != -1 && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  r.out = read_file(io / "stdout");
  r.err = read_file(io / "stderr");
  return r;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<std::string> entries_containing(const fs::path& dir, const std::string& part) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(part) != std::string::npos) found.push_back(e.path().filename().string());
  return found;
}

nlohmann::json small_generated_scenario(double years, double burn_in_years) {
  auto doc = nlohmann::json::parse(R"({
    "name": "small-generated",
    "city": {"generate": {"wijken": 2, "buurten_per_wijk": [2, 3],
             "residents_per_buurt": {"median": 400, "sigma": 0.3, "min": 100, "max": 1000}, "seed": 3}}
  })");
  doc["simulation"] = {{"years", years}, {"burn_in", burn_in_years}};
  return doc;
}

nlohmann::json age_groups(int residents) {
  const int a0 = residents * 15 / 100, a1 = residents * 12 / 100, a2 = residents * 26 / 100, a3 = residents * 26 / 100;
  return {{"0-15", a0}, {"15-25", a1}, {"25-45", a2}, {"45-65", a3}, {"65+", residents - a0 - a1 - a2 - a3}};
}

nlohmann::json explicit_scenario(const std::vector<std::vector<BuurtSize>>& wijken, double years, double burn_in_years) {
  nlohmann::json ws = nlohmann::json::array();
  for (std::size_t w = 0; w < wijken.size(); ++w) {
    nlohmann::json bs = nlohmann::json::array();
    for (std::size_t b = 0; b < wijken[w].size(); ++b) {
      bs.push_back({{"code", "BU" + std::to_string(w + 1) + std::to_string(b + 1)},
                    {"residents", wijken[w][b].residents},
                    {"age", age_groups(wijken[w][b].residents)},
                    {"deprivation", wijken[w][b].deprivation}});
    }
    ws.push_back({{"code", "WK" + std::to_string(w + 1)}, {"buurten", bs}});
  }
  return {{"name", "explicit"},
          {"city", {{"code", "GM1"}, {"wijken", ws}}},
          {"simulation", {{"years", years}, {"burn_in", burn_in_years}}}};
}

ScenarioSpec load(const nlohmann::json& doc, const std::vector<Override>& overrides) {
  return load_scenario_json(doc, "test.json", overrides);
}

Trace trace_simulation(const ScenarioSpec& spec, std::uint64_t seed, std::uint32_t replicate, unsigned threads,
                       bool include_burn_in) {
  ThreadPool pool(threads);
  Simulation sim(spec, seed, replicate, pool);
  Trace t;
  for (const auto& b : sim.world().buurten) t.buurt_codes.push_back(b.place.code);
  for (const auto& w : sim.world().wijken) t.wijk_codes.push_back(w.code);
  while (!sim.done()) {
    const std::int32_t week = sim.week();
    sim.step();
    if (week < 0 && !include_burn_in) continue;
    WeekRecord rec;
    rec.week = week;
    rec.buurt = sim.buurt_tallies();
    rec.wijk = sim.wijk_tallies();
    rec.city = sim.city_tally();
    t.weeks.push_back(std::move(rec));
  }
  return t;
}

bool same_bits(const Tally& a, const Tally& b) { return std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0; }

int first_difference(const Tally& a, const Tally& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0) return static_cast<int>(i);
  return -1;
}

const char* tally_field_name(int field) {
  static constexpr const char* names[] = {
      "residents", "adults", "active", "initiators", "unsafe", "trusting", "sum_trust", "sum_social",
      "sum_efficacy_social", "incidents", "disorder_x_residents", "proposed", "approved", "running", "completed",
      "failed", "refused", "vision_x_adults", "reached", "h_outreach", "h_vision", "h_support", "h_projects",
      "h_casework", "h_coordination", "euros_spent", "staff_euros", "moved_in", "legitimacy_x_adults", "promises_open",
      "disappointed", "resisting", "victims_year", "unsafe_victims_year"};
  static_assert(std::size(names) == static_cast<std::size_t>(TallyField::count), "update the names with TallyField");
  return field >= 0 && field < static_cast<int>(std::size(names)) ? names[field] : "?";
}

}  // namespace wijksim::test
