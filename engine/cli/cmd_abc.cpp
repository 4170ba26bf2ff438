// wijksim abc FILE --out DIR: rejection ABC against the programme evidence (docs/CALIBRATION.md,
// "Calibration against the programme evidence"); writes DIR/posterior.json and DIR/posterior-draws.csv.
// wijksim abc FILE --measure: the summaries at one parameter point (defaults, --set, or the
// medians of a posterior), without drawing.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "abc_command.hpp"
#include "args.hpp"
#include "interrupt.hpp"
#include "wijksim/calibration/abc.hpp"
#include "wijksim/core/atomic_file.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/io/stats.hpp"
#include "wijksim/scenario/load.hpp"

namespace wijksim::cli {

namespace {

constexpr const char* kUsage =
    "wijksim abc FILE --out DIR [--threads T] [--progress lines|none]\n"
    "  wijksim abc FILE --measure [--replicates R] [--set PATH=VALUE]... [--median-of POSTERIOR] [--threads T]";

namespace fs = std::filesystem;

// The median of each column of a posterior file, as overrides.
std::vector<Override> medians_of(const std::string& file) {
  const experiment::Posterior post = experiment::read_posterior(file);
  std::vector<Override> out;
  for (std::size_t j = 0; j < post.parameters.size(); ++j) {
    std::vector<double> col;
    for (const auto& row : post.draws) col.push_back(row[j]);
    std::sort(col.begin(), col.end());
    out.push_back({post.parameters[j], number_text(percentile(col, 0.5))});
  }
  return out;
}

int measure(const std::vector<std::string>& file, std::uint32_t replicates, const std::vector<Override>& given,
            const std::optional<std::string>& median_of, unsigned threads) {
  std::vector<Override> point;
  if (median_of) point = medians_of(*median_of);
  point.insert(point.end(), given.begin(), given.end());
  const calibration::Abc a = calibration::load_abc_file(file[0]);
  const auto values = calibration::measure_summaries(a, point, replicates, threads);
  std::printf("summaries at %s, %u replicate(s):\n", point.empty() ? "the defaults" : "the given values", replicates);
  for (const auto& o : point) std::printf("  %s = %s\n", o.path.c_str(), o.value.c_str());
  for (std::size_t k = 0; k < a.summaries.size(); ++k) {
    const auto& s = a.summaries[k];
    const bool within = std::fabs(values[k] - s.target) <= s.tolerance;
    std::printf("  %-30s %9.4f   target %8.4f +- %-8.4f %s\n", s.name.c_str(), values[k], s.target, s.tolerance,
                std::isfinite(values[k]) ? (within ? "within" : "outside") : "undefined (empty group)");
  }
  return 0;
}

}  // namespace

int cmd_abc(const std::vector<std::string>& argv, const std::string& command_line) {
  Command cmd("abc",
              "Rejection ABC of the programme-effect parameters against the programme evidence "
              "(docs/CALIBRATION.md): draws parameter sets from their priors, runs the evidence's experiment "
              "with each and keeps the sets whose summaries land nearest the targets.",
              kUsage);
  std::vector<std::string> pos, sets;
  std::optional<std::string> out, threads_text, progress_text, replicates_text, median_of;
  bool measuring = false;
  cmd.positionals("FILE", pos, 1, 1, "the ABC JSON file (scenarios/calibration/programme-evidence.json)");
  cmd.option("--out", out, "DIR", "write posterior.json and posterior-draws.csv into this folder");
  cmd.option("--threads", threads_text, "T", "simulations at once, 1-1024 (default: every core); never changes results");
  cmd.option("--progress", progress_text, "MODE", "lines (default, on stderr) or none");
  cmd.flag("--measure", measuring, "print the summaries at one parameter point instead of drawing (no --out)");
  cmd.option("--replicates", replicates_text, "R", "with --measure: replicates per variant, 1-10000 (default 10)");
  cmd.repeated("--set", sets, "PATH=VALUE", "with --measure: a parameter value of the point (repeatable)");
  cmd.option("--median-of", median_of, "POSTERIOR", "with --measure: start from the medians of a posterior file");
  cmd.quiet_flag();
  if (cmd.parse(argv)) return 0;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (threads_text) threads = static_cast<unsigned>(cmd.integer("--threads", *threads_text, 1, 1024));
  std::string progress = cmd.choice("--progress", progress_text.value_or("lines"), {"lines", "none"});
  if (cli::quiet()) progress = "none";
  if (measuring) {
    if (out) throw InputError(std::vector<Problem>{{"abc", "--out", "not used with --measure, which only prints"}});
    std::uint32_t replicates = 10;
    if (replicates_text) replicates = static_cast<std::uint32_t>(cmd.integer("--replicates", *replicates_text, 1, 10000));
    std::vector<Override> given;
    for (const auto& s : sets) given.push_back(set_override(s));
    return measure(pos, replicates, given, median_of, threads);
  }
  for (const auto& [given, flag] : {std::pair{replicates_text.has_value(), "--replicates"},
                                    std::pair{!sets.empty(), "--set"}, std::pair{median_of.has_value(), "--median-of"}})
    if (given) throw InputError(std::vector<Problem>{{"abc", flag, "only used with --measure"}});
  // Installed before loading, so a signal at any moment stops the command the same way.
  const InterruptHandlers handlers;
  if (!out)
    throw InputError(std::vector<Problem>{
        {"abc", "--out", "missing, expected --out DIR for posterior.json and posterior-draws.csv"}});
  // Everything is validated (every variant loaded with every drawn set) before anything runs.
  const calibration::Abc a = calibration::load_abc_file(pos[0]);
  std::error_code ec;
  if (fs::exists(*out, ec) && !fs::is_directory(*out, ec))
    throw InputError(
        std::vector<Problem>{{*out, "", "exists and is not a folder, expected a folder for the posterior"}});
  fs::create_directories(*out, ec);
  if (ec) throw InputError(std::vector<Problem>{{*out, "", "cannot create the folder: " + ec.message()}});

  calibration::AbcOptions opt;
  opt.threads = threads;
  opt.cancel = &g_interrupt;
  std::mutex mu;
  std::size_t shown = 0;
  if (progress == "lines")
    opt.on_progress = [&](std::size_t done, std::size_t total) {
      const std::size_t step = std::max<std::size_t>(1, total / 20);
      if (done % step && done != total) return;
      std::lock_guard lock(mu);
      if (done <= shown) return;
      shown = done;
      std::fprintf(stderr, "abc: %zu of %zu runs\n", done, total);
    };
  calibration::AbcResult r;
  try {
    r = calibration::run_abc(a, opt);
  } catch (const RuntimeFailure&) {
    if (!g_interrupt.load()) throw;
    const int sig = g_signal;
    std::cerr << "wijksim: interrupted by " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
              << "; nothing written (rerun to start again)\n";
    return 128 + sig;
  }
  if (g_interrupt.load()) {
    const int sig = g_signal;
    std::cerr << "wijksim: interrupted by " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << "; nothing written\n";
    return 128 + sig;
  }
  const nlohmann::json provenance{{"command", command_line}, {"wall_seconds", r.wall_seconds}, {"threads", threads}};
  const fs::path dir(*out);
  // Both files belong together: written and synced before either is renamed into place.
  AtomicFile post(dir / "posterior.json"), draws(dir / "posterior-draws.csv");
  post.write(calibration::posterior_json(a, r, provenance).dump(1) + "\n");
  draws.write(calibration::draws_csv(a, r));
  for (AtomicFile* f : {&post, &draws}) f->prepare();
  for (AtomicFile* f : {&post, &draws}) f->rename();
  std::cout << calibration::abc_report_text(a, r);
  std::printf(
      "posterior: %s, every draw: %s\nwall time %.1f s (%u draws x %u replicate(s) x %zu variants, %u thread(s))\n",
      (dir / "posterior.json").string().c_str(), (dir / "posterior-draws.csv").string().c_str(), r.wall_seconds,
      a.draws, a.replicates_per_draw, a.experiment.variants.size(), threads);
  return 0;
}

}  // namespace wijksim::cli
