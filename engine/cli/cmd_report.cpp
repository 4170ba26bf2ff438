// `wijksim report` and `wijksim plot`: the pictures are drawn by the Python tools in tools/plot
// (Debian's python3 with matplotlib). This side validates the arguments, brings the comparison
// and sensitivity files up to date with the store, and writes report_context.json: what the
// store does not record itself (phases, elections, unit names, every parameter with its source).
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "args.hpp"
#include "experiment_commands.hpp"
#include "wijksim/core/atomic_file.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/experiment/completeness.hpp"
#include "wijksim/experiment/experiment.hpp"
#include "wijksim/experiment/programme_area.hpp"
#include "wijksim/experiment/results.hpp"
#include "wijksim/experiment/store.hpp"
#include "wijksim/scenario/calendar.hpp"
#include "wijksim/scenario/param_table.hpp"

#ifndef WIJKSIM_TOOLS_DIR_DEFAULT
#define WIJKSIM_TOOLS_DIR_DEFAULT "tools/plot"
#endif

namespace wijksim::cli {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr const char* kReportUsage =
    "wijksim report DIR --out FILE.html [--lang nl|en] [--sensitivity SDIR] [--bench FILE.json] [--force] [--quiet]";

// An existing --out may be replaced when it is an HTML page (an earlier report); anything
// else may be the user's and needs --force.
bool looks_like_html(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(64, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto start = head.find_first_not_of(" \t\r\n");
  return start != std::string::npos && (head.compare(start, 14, "<!doctype html") == 0 || head.compare(start, 5, "<html") == 0);
}

std::string tools_dir() {
  if (const char* d = std::getenv("WIJKSIM_TOOLS_DIR"); d && *d) return d;
  return WIJKSIM_TOOLS_DIR_DEFAULT;
}

}  // namespace

// The source tree the tools belong to: where a store's relative experiment file is tried when
// it does not exist from the current folder.
std::string source_root() { return (fs::path(tools_dir()) / ".." / "..").lexically_normal().string(); }

namespace {

std::string python_path() {
  if (const char* p = std::getenv("WIJKSIM_PYTHON"); p && *p) return p;
  return "/usr/bin/python3";  // Debian's interpreter has python3-matplotlib; a pyenv one may not
}

// Runs python SCRIPT ARGS... and returns its exit status; stdout and stderr pass through.
// The child is its own process group, killed with this process: by the kernel if this one
// dies (PR_SET_PDEATHSIG), by the signal handler on SIGINT/SIGTERM.
int run_python(const std::string& script, const std::vector<std::string>& script_args) {
  const std::string python = python_path();
  if (access(python.c_str(), X_OK) != 0)
    throw RuntimeFailure("needs " + python + " with matplotlib (Debian: apt-get install python3-matplotlib); "
                         "set WIJKSIM_PYTHON to use another interpreter");
  const std::string path = (fs::path(tools_dir()) / script).string();
  if (access(path.c_str(), R_OK) != 0)
    throw RuntimeFailure("plot tools not found: " + path + " (set WIJKSIM_TOOLS_DIR to the tools/plot folder of the source tree)");
  // The tools read the metric catalogue from this very engine (tools/plot/catalogue.py).
  if (std::error_code ec; !std::getenv("WIJKSIM_BIN")) setenv("WIJKSIM_BIN", fs::read_symlink("/proc/self/exe", ec).c_str(), 1);
  std::vector<std::string> argv_s = {python, path};
  argv_s.insert(argv_s.end(), script_args.begin(), script_args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw RuntimeFailure(std::string("cannot start ") + python + ": " + std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the parent died before the line above
    execv(python.c_str(), argv.data());
    std::fprintf(stderr, "error while running: cannot execute %s: %s\n", python.c_str(), std::strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);
  kill_on_signal(pid);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw RuntimeFailure(std::string("waiting for python: ") + std::strerror(errno));
  }
  kill_on_signal(0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  throw RuntimeFailure(python + " " + script + " was stopped by signal " + std::to_string(WTERMSIG(status)));
}

// A derived file is stale when it is missing or older than the store it was computed from.
bool stale(const fs::path& derived, const fs::path& store) {
  std::error_code ec;
  if (!fs::exists(derived, ec)) return true;
  const auto d = fs::last_write_time(derived, ec);
  if (ec) return true;
  auto s = fs::last_write_time(store, ec);
  const fs::path wal = store.string() + "-wal";
  if (fs::exists(wal, ec) && fs::file_size(wal, ec) > 0) s = std::max(s, fs::last_write_time(wal, ec));
  return d < s;
}

json param_value(const ParamDef& d, const Params& p) {
  const double v = d.read(p);
  switch (d.kind) {
    case ParamKind::choice: return d.choices.at(static_cast<std::size_t>(v));
    case ParamKind::boolean: return v != 0;
    case ParamKind::integer: return static_cast<long long>(std::llround(v));
    case ParamKind::real: return v;
  }
  return nullptr;
}

json param_default(const ParamDef& d) {
  switch (d.kind) {
    case ParamKind::choice: return d.choices.at(static_cast<std::size_t>(d.default_value));
    case ParamKind::boolean: return d.default_value != 0;
    case ParamKind::integer: return static_cast<long long>(d.default_value);
    case ParamKind::real: return d.default_value;
  }
  return nullptr;
}

// What the report needs beyond the store: the resolved baseline scenario. Loaded from the
// experiment document recorded in the store; if the scenario file is gone or has changed, the
// report says so instead of presenting today's values as the experiment's.
json report_context(const experiment::Store& store) {
  json ctx = {{"written_by", "wijksim report"}, {"note", "derived from the store and the scenario it names; safe to delete"}};
  json params = json::array();
  const Params defaults = default_params();
  const experiment::StoreScenario loaded = experiment::load_store_scenario(store, source_root());
  const std::optional<ScenarioSpec>& spec = loaded.spec;
  ctx["scenario_matches_store"] = loaded.matches_store;
  if (!loaded.warning.empty()) ctx["scenario_warning"] = loaded.warning;
  const auto done = experiment::completeness(store);
  ctx["runs"] = {{"planned", done.planned}, {"ok", done.ok}};
  if (!done.complete()) ctx["incomplete"] = done.sentence();
  if (spec) {
    const Params& p = spec->params;
    ctx["programme_area"] = {{"wijken", spec->programme_wijken}, {"start_buurten", spec->programme_start_buurten}};
    ctx["credit"] = spec->city.credit;
    json deprivation = json::object();
    for (const auto& wk : spec->city.wijken)
      for (const auto& b : wk.buurten) deprivation[b.code] = b.deprivation;
    ctx["deprivation"] = deprivation;
    // buurt code -> wijk code and adults per unit: the map and the names of the programme area
    // (its figures are compare's, from the same experiment::programme_area).
    const experiment::ProgrammeArea area = experiment::programme_area(*spec);
    ctx["wijk_of"] = area.wijk_of;
    ctx["adults"] = area.adults;
    ctx["scenario"] = {{"name", spec->name}, {"description", spec->description}, {"file", spec->source_file},
                       {"hash", spec->hash}, {"start_date", spec->start_date}};
    ctx["weeks"] = std::lround(p.simulation.years);
    ctx["burn_in_weeks"] = std::lround(p.simulation.burn_in);
    ctx["phase_names"] = phase_timeline_names(*spec);
    ctx["elections_weeks"] = election_weeks(p);
    ctx["programme"] = {{"enabled", p.programme.enabled}, {"planned_weeks", std::lround(p.building_blocks.long_breath)}};
    json units = json::object();
    units[spec->city.code] = spec->city.name;
    for (const auto& wk : spec->city.wijken) {
      units[wk.code] = wk.name;
      for (const auto& b : wk.buurten) units[b.code] = b.name;
    }
    ctx["units"] = units;
  }
  for (const auto& d : param_table()) {
    params.push_back({{"name", d.path},
                      {"value", param_value(d, spec ? spec->params : defaults)},
                      {"default", param_default(d)},
                      {"unit", std::string(unit_name(d.unit))},
                      {"meaning", d.meaning},
                      {"source", d.source}});
  }
  ctx["parameters"] = params;
  return ctx;
}

// Brings DIR's comparison (and sensitivity, for sensitivity designs) up to date.
void refresh(const std::string& dir, bool need_compare) {
  const experiment::Store store = experiment::Store::open_read(dir);
  const fs::path db = fs::path(dir) / experiment::store_file_name;
  const json design = store.manifest("design");
  const bool sensitivity_design =
      design.is_object() && design.contains("roles") && design.value("method", "") != "";
  // Every file compare writes: a folder compared by an older engine lacks the newer ones.
  const bool compare_stale = std::any_of(
      experiment::compare_files.begin(), experiment::compare_files.end(), [&](const char* f) { return stale(fs::path(dir) / f, db); });
  if (need_compare && compare_stale) {
    const auto s = experiment::compare(dir, source_root());
    if (!quiet()) std::fprintf(stderr, "report: compared %zu series with \"%s\"\n", s.comparisons, s.baseline.c_str());
  }
  if (sensitivity_design && stale(fs::path(dir) / experiment::derived::sensitivity_json, db)) {
    const auto s = experiment::sensitivity_report(dir, {});
    if (!quiet()) std::fprintf(stderr, "report: %s indices of %zu series\n", s.method.c_str(), s.series);
  }
  if (need_compare) write_file_atomically(fs::path(dir) / experiment::derived::report_context_json, report_context(store).dump(1) + "\n");
}

}  // namespace

int cmd_report(const std::vector<std::string>& argv) {
  Command cmd(
      "report",
      "Writes one self-contained HTML report for strategists: the answer to each contrast, the programme area next "
      "to the city, charts, costs and the assumptions (tools/plot/README.md).",
      kReportUsage);
  std::vector<std::string> pos;
  std::optional<std::string> out, lang_given, sens, bench;
  bool force = false;
  cmd.positionals("DIR", pos, 1, 1, "the --out folder of `wijksim experiment` or `wijksim run`");
  cmd.option("--out", out, "FILE.html", "the report to write (required); an earlier report there is replaced");
  cmd.option("--lang", lang_given, "LANG", "nl (default) or en");
  cmd.option("--sensitivity", sens, "SDIR", "also show the Morris/Sobol' results of this experiment store");
  cmd.option("--bench", bench, "FILE.json", "also show a Google Benchmark JSON file (the engine's speed)");
  cmd.flag("--force", force, "replace an existing --out file that is not an HTML report");
  cmd.quiet_flag();
  if (cmd.parse(argv)) return 0;
  if (!out) throw InputError(std::vector<Problem>{{"report", "--out", "missing, expected --out FILE.html"}});
  const std::string lang = cmd.choice("--lang", lang_given.value_or("nl"), {"nl", "en"});
  std::error_code ec;
  const fs::path out_path(*out);
  const fs::path parent = out_path.has_parent_path() ? out_path.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec))
    throw InputError(std::vector<Problem>{{"report", "--out", "folder " + parent.string() + " does not exist, expected an existing folder"}});
  if (access(parent.c_str(), W_OK) != 0)
    throw InputError(std::vector<Problem>{{"report", "--out", "folder " + parent.string() + " is not writable"}});
  if (fs::is_directory(out_path, ec))
    throw InputError(std::vector<Problem>{{"report", "--out", *out + " is a folder, expected a file name such as report.html"}});
  if (out_path.extension() != ".html")
    throw InputError(std::vector<Problem>{{"report", "--out", "found \"" + *out + "\", expected a file name ending in .html"}});
  if (fs::exists(out_path, ec) && !force && !looks_like_html(out_path))
    throw InputError(std::vector<Problem>{{"report", "--out", *out + " exists and is not an HTML report; pass --force to replace it"}});
  if (bench && !fs::is_regular_file(*bench, ec))
    throw InputError(std::vector<Problem>{{"report", "--bench", *bench + ": file not found, expected Google Benchmark JSON"}});
  if (!fs::is_directory(pos[0], ec))
    throw InputError(std::vector<Problem>{{pos[0], "", "folder not found, expected the --out folder of `wijksim experiment` or `wijksim run`"}});

  // A `run` folder holds the same store as an experiment of one variant.
  refresh(pos[0], true);
  if (sens) refresh(*sens, false);

  // Python writes a temporary name; only this process puts it in place, so nothing appears under
  // --out once this process is gone.
  remove_stale_temporaries(out_path);
  const fs::path tmp = temporary_name(fs::absolute(out_path));
  const int slot = register_for_cleanup(tmp, false);
  std::vector<std::string> py = {pos[0], "--out", tmp.string(), "--lang", lang};
  if (sens) py.insert(py.end(), {"--sensitivity", *sens});
  if (bench) py.insert(py.end(), {"--bench", *bench});  // the benchmark chart only when asked for
  int rc = 1;
  try {
    rc = run_python("report.py", py);
    if (rc == 0) {
      const int fd = open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0 || fsync(fd) != 0) throw RuntimeFailure("cannot sync " + tmp.string() + ": " + std::strerror(errno));
      close(fd);
      if (::rename(tmp.c_str(), out_path.c_str()) != 0)
        throw RuntimeFailure("cannot rename " + tmp.string() + " to " + *out + ": " + std::strerror(errno));
      sync_folder(fs::absolute(out_path).parent_path());
      std::printf("report: %s is complete\n", out->c_str());
    }
  } catch (...) {
    ::unlink(tmp.c_str());
    unregister_cleanup(slot);
    throw;
  }
  ::unlink(tmp.c_str());
  unregister_cleanup(slot);
  return rc == 0 ? 0 : rc == 2 ? 2 : 1;
}

int cmd_plot(const std::vector<std::string>& argv) {
  // The charts of differences draw the engine's intervals (differences.csv, from compare):
  // brought up to date first. A folder that is not a readable store is left to the tools' own
  // error messages.
  if (argv.size() >= 2 && (argv[0] == "diff" || argv[0] == "ranking")) {
    const fs::path db = fs::path(argv[1]) / experiment::store_file_name;
    std::error_code ec;
    if (fs::is_regular_file(db, ec) && stale(fs::path(argv[1]) / experiment::derived::differences_csv, db)) {
      try {
        (void)experiment::compare(argv[1], source_root());
      } catch (const InputError&) {
      }
    }
  }
  // Everything else goes to wijksim_plot.py, which has its own --help and argument checking.
  const int rc = run_python("wijksim_plot.py", argv);
  return rc == 0 ? 0 : rc == 2 ? 2 : 1;
}

}  // namespace wijksim::cli
