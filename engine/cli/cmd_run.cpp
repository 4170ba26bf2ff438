#include <unistd.h>

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
    if (v.size() > 1)
      std::printf("  %-24s %12.4f   [%10.4f, %10.4f]\n", std::string(metric_name(m)).c_str(), s.mean, s.ci_low, s.ci_high);
    else
      std::printf("  %-24s %12.4f\n", std::string(metric_name(m)).c_str(), s.mean);
  }
  // The whole command's wall time: building the city and writing count as much as simulating.
  std::printf("output: %s (%.1f s)\n", outcome.out_dir.c_str(), wall_seconds);
}

}  // namespace

int cmd_run(const std::vector<std::string>& argv, const std::string& command_line) {
  const auto started = std::chrono::steady_clock::now();
  Args args("run", argv);
  std::vector<Override> overrides;
  // Flags are shorthands for parameters, validated and recorded the same way.
  if (auto v = args.take("--seed")) overrides.push_back({"simulation.seed", std::to_string(args.integer("--seed", *v, 0, 2147483647))});
  if (auto v = args.take("--replicates"))
    overrides.push_back({"simulation.replicates", std::to_string(args.integer("--replicates", *v, 1, 100000))});
  if (auto v = args.take("--years")) {
    args.number("--years", *v, 0.02, 100);
    overrides.push_back({"simulation.years", *v});
  }
  if (auto v = args.take("--detail")) {
    if (*v != "city" && *v != "wijk" && *v != "buurt")
      throw InputError(std::vector<Problem>{{"run", "--detail", "found \"" + *v + "\", expected city, wijk or buurt"}});
    overrides.push_back({"output.detail", "\"" + *v + "\""});
  }
  for (const auto& s : args.take_all("--set")) overrides.push_back(parse_override(s));
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  unsigned threads = hw;
  if (auto v = args.take("--threads")) threads = static_cast<unsigned>(args.integer("--threads", *v, 1, 1024));
  const auto out = args.take("--out");
  const bool force = args.take_flag("--force");
  const bool quiet = args.take_flag("--quiet");
  const auto pos = args.positionals(1, 1, "wijksim run SCENARIO [--out DIR] [--seed N] [--replicates R] [--threads T] "
                                          "[--years Y] [--detail city|wijk|buurt] [--set PATH=VALUE]...");
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
