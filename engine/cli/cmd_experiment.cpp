#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <thread>

#include "args.hpp"
#include "experiment_commands.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/experiment/batch.hpp"

namespace wijksim::cli {

namespace {

constexpr const char* kUsage =
    "wijksim experiment FILE --out DIR [--threads T] [--dry-run] [--progress bar|jsonl|none] [--fail-fast]";

std::string mib(std::size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

std::string duration(double s) {
  char buf[48];
  const long t = static_cast<long>(s + 0.5);
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, t / 60 % 60);
  else if (t >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

}  // namespace

int cmd_experiment(const std::vector<std::string>& argv, const std::string& command_line) {
  Args args("experiment", argv);
  const auto out = args.take("--out");
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (auto v = args.take("--threads")) threads = static_cast<unsigned>(args.integer("--threads", *v, 1, 1024));
  const bool dry_run = args.take_flag("--dry-run");
  const bool fail_fast = args.take_flag("--fail-fast");
  experiment::ProgressMode progress = experiment::ProgressMode::bar;
  if (auto v = args.take("--progress")) {
    if (*v == "jsonl") progress = experiment::ProgressMode::jsonl;
    else if (*v == "none") progress = experiment::ProgressMode::none;
    else if (*v != "bar")
      throw InputError(std::vector<Problem>{{"experiment", "--progress", "found \"" + *v + "\", expected bar, jsonl or none"}});
  }
  const auto pos = args.positionals(1, 1, kUsage);
  if (!out) throw InputError(std::vector<Problem>{{"experiment", "--out", "missing, expected --out DIR for the results store"}});

  // Every variant and design point is loaded here: nothing runs unless all of them are valid.
  const experiment::Experiment e = experiment::load_experiment_file(pos[0]);

  if (dry_run) {
    const experiment::Plan p = experiment::plan_experiment(e, *out, threads);
    std::printf("experiment %s (hash %s)\n", e.file.c_str(), e.hash.c_str());
    std::printf("  scenario      %s\n", e.scenario_file.c_str());
    std::printf("  runs          %zu = %zu variant(s) x %zu design point(s) x %u replicate(s)\n", p.runs, e.variants.size(),
                e.design_points(), e.replicates);
    if (p.already_ok) std::printf("  already done  %zu (ok in %s)\n", p.already_ok, out->c_str());
    std::printf("  threads       %u concurrent run(s)\n", p.concurrent);
    std::printf("  per run       ~%s (timed: burn-in and half a year of %s)\n", duration(p.seconds_per_run).c_str(),
                e.variants[e.baseline].name.c_str());
    std::printf("  wall time     ~%s\n", duration(p.wall_seconds).c_str());
    std::printf("  peak memory   ~%s (%s of resident state per run)\n", mib(p.peak_bytes).c_str(), mib(p.bytes_per_run).c_str());
    std::printf("  outcome rows  ~%zu\n", p.outcome_rows);
    return 0;
  }

  experiment::BatchOptions opt;
  opt.out_dir = *out;
  opt.threads = threads;
  opt.progress = progress;
  opt.fail_fast = fail_fast;
  opt.command_line = command_line;
  const experiment::BatchSummary s = experiment::run_experiment(e, opt);
  std::printf("%zu run(s): %zu ok, %zu failed, %zu already done", s.total, s.ok, s.failed, s.skipped);
  if (s.not_run) std::printf(", %zu not run (stopped at the first failure)", s.not_run);
  std::printf(" (%.1f s)\nstore: %s/%s\n", s.wall_seconds, out->c_str(), experiment::store_file_name);
  if (s.failed) {
    std::cerr << "error: " << s.failed << " run(s) failed; first: " << s.first_error
              << "\n(run the same command again to retry the failed runs)\n";
    return 1;
  }
  return s.not_run ? 1 : 0;
}

}  // namespace wijksim::cli
