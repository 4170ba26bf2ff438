// wijksim calibrate FILE: fits free parameters to the no-programme baseline targets
// (docs/CALIBRATION.md) and reports fit, residuals and identification.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "args.hpp"
#include "calibrate_command.hpp"
#include "wijksim/calibration/calibration.hpp"
#include "wijksim/core/atomic_file.hpp"
#include "wijksim/core/error.hpp"

namespace wijksim::cli {

namespace {

constexpr const char* kUsage =
    "wijksim calibrate FILE [--out DIR] [--threads T] [--max-evaluations N] [--progress lines|jsonl|none] [--quiet]";

namespace fs = std::filesystem;

}  // namespace

int cmd_calibrate(const std::vector<std::string>& argv, const std::string& command_line) {
  Command cmd(
      "calibrate",
      "Fits the free parameters of a calibration file to its no-programme baseline targets (docs/CALIBRATION.md) "
      "and prints fit, residuals and identification.",
      kUsage);
  std::vector<std::string> pos;
  std::optional<std::string> out, threads_text, max_text, progress_text;
  cmd.positionals("FILE", pos, 1, 1, "the calibration JSON file (scenarios/calibration/ has examples)");
  cmd.option("--out", out, "DIR", "also write calibration.json, evaluations.csv and timings.json into this folder");
  cmd.option("--threads", threads_text, "T",
             "simulations at once, 1-1024 (default: every core); never changes results");
  cmd.option("--max-evaluations", max_text, "N",
             "stop the search after N simulated points, 0-100000 (default: the file's)");
  cmd.option("--progress", progress_text, "MODE", "lines (default, one line per point on stderr), jsonl or none");
  cmd.quiet_flag();
  if (cmd.parse(argv)) return 0;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (threads_text) threads = static_cast<unsigned>(cmd.integer("--threads", *threads_text, 1, 1024));
  int max_evaluations = -1;
  if (max_text) max_evaluations = static_cast<int>(cmd.integer("--max-evaluations", *max_text, 0, 100000));
  std::string progress = cmd.choice("--progress", progress_text.value_or("lines"), {"lines", "jsonl", "none"});
  if (cli::quiet()) progress = "none";
  // Everything is validated (every scenario loaded at the start point) before anything runs.
  const calibration::Calibration cal = calibration::load_calibration_file(pos[0]);
  // Ctrl-C or SIGTERM: a message, exit 130/143, and no folder this command created is left.
  stop_cleanly_on_signal();
  int created_slot = -1;
  if (out) {
    std::error_code ec;
    if (fs::exists(*out, ec) && !fs::is_directory(*out, ec))
      throw InputError(std::vector<Problem>{{*out, "", "exists and is not a folder, expected a folder for the calibration report"}});
    const bool existed = fs::exists(*out, ec);
    fs::create_directories(*out, ec);
    if (ec) throw InputError(std::vector<Problem>{{*out, "", "cannot create the folder: " + ec.message()}});
    if (!existed) created_slot = register_for_cleanup(*out, true);
  }

  calibration::RunOptions opt;
  opt.threads = threads;
  opt.max_evaluations = max_evaluations;
  if (progress != "none") {
    opt.on_evaluation = [&](const calibration::Evaluation& e, const std::string& kind, std::size_t index, double best) {
      if (progress == "jsonl") {
        nlohmann::ordered_json j{{"index", index}, {"kind", kind}, {"x", e.x}, {"values", e.values},
                                 {"objective", e.objective}, {"best", best}, {"seconds", e.seconds}};
        std::cerr << j.dump() << "\n";
      } else {
        std::fprintf(stderr, "[%3zu %-8s] objective %10.4g  best %10.4g  (%.1f s)\n", index, kind.c_str(), e.objective, best, e.seconds);
      }
    };
  }
  const calibration::Result r = calibration::calibrate(cal, opt);
  std::cout << calibration::report_text(cal, r);
  if (out) {
    const fs::path dir(*out);
    // Timings vary from run to run, so they live apart from the deterministic report.
    double sum = 0;
    for (const auto& e : r.trace) sum += e.seconds;
    nlohmann::ordered_json t{{"wall_seconds", r.wall_seconds},
                             {"simulated_points", r.trace.size()},
                             {"seconds_per_point", r.trace.empty() ? 0.0 : sum / static_cast<double>(r.trace.size())},
                             {"threads", threads},
                             {"command_line", command_line}};
    // The three files belong together: all are written and synced before any is renamed into
    // place, so a full disk leaves none of them.
    AtomicFile report(dir / "calibration.json"), trace(dir / "evaluations.csv"), timings(dir / "timings.json");
    report.write(calibration::report_json(cal, r).dump(2) + "\n");
    trace.write(calibration::trace_csv(cal, r));
    timings.write(t.dump(2) + "\n");
    for (AtomicFile* f : {&report, &trace, &timings}) f->prepare();
    for (AtomicFile* f : {&report, &trace, &timings}) f->rename();
    unregister_cleanup(created_slot);
    std::cout << "report: " << (dir / "calibration.json").string() << ", trace: " << (dir / "evaluations.csv").string() << "\n";
  }
  std::fprintf(stdout, "wall time %.1f s (%zu simulated points, %u thread(s))\n", r.wall_seconds, r.trace.size(), threads);
  return 0;
}

}  // namespace wijksim::cli
