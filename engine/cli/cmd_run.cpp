#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "args.hpp"
#include "wijksim/city/build.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/io/run_output.hpp"
#include "wijksim/io/stats.hpp"
#include "wijksim/scenario/load.hpp"

namespace wijksim::cli {

namespace {

void print_table(const ScenarioSpec& spec, const RunOutcome& outcome, double wall_seconds) {
  const Metric shown[] = {Metric::active_share, Metric::unsafe_share, Metric::trust_share, Metric::mean_trust,
                          Metric::collective_efficacy, Metric::initiatives_completed, Metric::euros_spent,
                          Metric::programme_alive};
  std::printf("%s (%s), final week, %zu replicate(s)\n", spec.name.c_str(), spec.city.name.c_str(),
              outcome.final_city.size());
  std::printf("  %-24s %12s %24s\n", "metric", "mean", "95% CI");
  for (Metric m : shown) {
    std::vector<double> v;
    for (const auto& f : outcome.final_city) v.push_back(f[static_cast<std::size_t>(m)]);
    const Summary s = summarise(v);
    if (v.size() > 1) {
      // A t-interval is symmetric, but these levels cannot leave their range (a count or euros
      // below 0, a share above 1): print the interval cut at the bounds and say so.
      const std::string_view unit = metric_info(m).unit;
      const bool unit_range = unit == "share" || unit == "mean";
      const double lo = std::max(0.0, s.ci_low), hi = unit_range ? std::min(1.0, s.ci_high) : s.ci_high;
      const bool clipped = unit != "index" && (lo != s.ci_low || hi != s.ci_high);
      std::printf("  %-24s %12.4f   [%10.4f, %10.4f]%s\n", std::string(metric_name(m)).c_str(), s.mean,
                  clipped ? lo : s.ci_low, clipped ? hi : s.ci_high, clipped ? "  (clipped at the metric's range)" : "");
    } else
      std::printf("  %-24s %12.4f\n", std::string(metric_name(m)).c_str(), s.mean);
  }
  // The whole command's wall time: building the city and writing count as much as simulating.
  std::printf("output: %s (%.1f s)\n", outcome.out_dir.c_str(), wall_seconds);
}

}  // namespace

int cmd_run(const std::vector<std::string>& argv, const std::string& command_line) {
  const auto started = std::chrono::steady_clock::now();
  Command cmd("run",
              "Simulates one scenario: every replicate week by week, written to a folder of manifest.json, "
              "results.sqlite (the store of an experiment of one variant: compare, export, report and plot read it), "
              "timeseries.csv and summary.json, then a table of final-week outcomes.",
              "wijksim run SCENARIO [--out DIR] [--seed N] [--replicates R] [--threads T] [--years Y]\n"
              "                     [--detail city|wijk|buurt] [--set PATH=VALUE]... [--force] [--quiet]");
  std::vector<std::string> pos;
  std::optional<std::string> seed, replicates, years, detail, threads_text, out;
  std::vector<std::string> sets;
  bool force = false;
  cmd.positionals("SCENARIO", pos, 1, 1,
                  "the scenario JSON file (scenarios/ has examples; `wijksim import-cbs` makes one)");
  cmd.option("--out", out, "DIR",
             "output folder (default: out/<scenario name>); must be new, empty or an earlier run's with --force");
  cmd.option("--seed", seed, "N", "master seed, 0-2147483647 (default: the scenario's simulation.seed)");
  cmd.option("--replicates", replicates, "R", "independent replicates, 1-100000 (default: the scenario's)");
  cmd.option("--threads", threads_text, "T",
             "replicates simulated at once, 1-1024 (default: every core); never changes results");
  cmd.option("--years", years, "Y", "simulated years after burn-in, 0.02-100 (default: the scenario's)");
  cmd.option("--detail", detail, "LEVEL", "city, wijk or buurt: the finest level written to timeseries.csv");
  cmd.repeated(
      "--set", sets, "PATH=VALUE",
      "override one parameter, e.g. --set building_blocks.trust=0.4 (repeatable; `wijksim params` lists them)");
  cmd.flag("--force", force, "replace an existing output folder written by an earlier run");
  cmd.quiet_flag();
  cmd.footer("The folder is written under a temporary name and appears complete or not at all (also on Ctrl-C).");
  if (cmd.parse(argv)) return 0;
  std::vector<Override> overrides;
  // Flags are shorthands for parameters, validated and recorded the same way.
  if (seed) overrides.push_back({"simulation.seed", std::to_string(cmd.integer("--seed", *seed, 0, 2147483647))});
  if (replicates)
    overrides.push_back({"simulation.replicates", std::to_string(cmd.integer("--replicates", *replicates, 1, 100000))});
  if (years) {
    cmd.number("--years", *years, 0.02, 100);
    overrides.push_back({"simulation.years", *years});
  }
  if (detail)
    overrides.push_back({"output.detail", "\"" + cmd.choice("--detail", *detail, {"city", "wijk", "buurt"}) + "\""});
  for (const auto& s : sets) overrides.push_back(set_override(s));
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  unsigned threads = hw;
  if (threads_text) threads = static_cast<unsigned>(cmd.integer("--threads", *threads_text, 1, 1024));
  const bool quiet = cli::quiet();
  const ScenarioSpec spec = load_scenario_file(pos[0], overrides);

  RunRequest req;
  req.scenario_file = pos[0];
  req.overrides = overrides;
  req.out_dir = out.value_or("out/" + spec.name);
  req.threads = threads;
  req.force = force;
  req.progress = !quiet;
  req.command_line = command_line;
  check_output_location(req.out_dir, force);
  // Refuse populations that cannot fit before building them.
  refuse_if_too_large(spec, std::min<std::size_t>(threads, static_cast<std::size_t>(spec.params.simulation.replicates)), pos[0]);
  check_run_fits(spec, req.out_dir);
  const RunOutcome outcome = run_and_write(spec, req);
  print_table(spec, outcome, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return 0;
}

}  // namespace wijksim::cli
