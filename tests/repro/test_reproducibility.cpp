// Reproducibility: the same seed gives the same bytes; the thread count never changes a
// result (one replicate: threads over buurten; several: threads over replicates); a new seed
// gives a different result. Output files are compared byte for byte through the CLI, and
// every buurt/wijk/city tally of every week (burn-in included) through the library.
#include <catch2/catch.hpp>
#include <mutex>
#include <string>

#include "csv_diff.hpp"
#include "test_support.hpp"
#include "wijksim/sim/runner.hpp"

using namespace wijksim;
using test::CliResult;
using test::TempDir;

namespace {

// A scenario with a programme in every wijk, so governance, outreach, vision and initiatives
// all draw random numbers; two wijken with cross-buurt ties, so threads share neighbours.
nlohmann::json repro_scenario() {
  auto doc = test::small_generated_scenario(1.5, 0.5);
  doc["name"] = "repro";
  doc["programme"] = {{"plan", "wendbaar"}};
  doc["output"] = {{"detail", "buurt"}};
  return doc;
}

struct Run {
  std::string timeseries, summary;
};

// Runs the CLI on `scenario` with extra arguments and returns the output files.
Run run_cli(const TempDir& dir, const std::string& name, const nlohmann::json& scenario,
            const std::vector<std::string>& extra) {
  const auto file = dir / (name + ".json");
  test::write_file(file, scenario.dump(2));
  std::vector<std::string> args = {"run", file.string(), "--out", (dir / name).string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  const CliResult r = test::run_cli(args);
  INFO(r.command << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return {test::read_file(dir / name / "timeseries.csv"), test::read_file(dir / name / "summary.json")};
}

void require_same_bytes(const std::string& a, const std::string& b, const std::string& what) {
  if (a == b) {
    SUCCEED(what << ": identical (" << a.size() << " bytes)");
    return;
  }
  const test::CsvDiff d = test::diff_timeseries(a, b, 20, "first run", "second run");
  FAIL(what << " differ:\n" << d.report());
}

// Compares two traces tally by tally, bit for bit; reports the first difference.
void require_same_trace(const test::Trace& a, const test::Trace& b, const std::string& what) {
  REQUIRE(a.weeks.size() == b.weeks.size());
  REQUIRE(a.buurt_codes == b.buurt_codes);
  for (std::size_t k = 0; k < a.weeks.size(); ++k) {
    const auto& wa = a.weeks[k];
    const auto& wb = b.weeks[k];
    REQUIRE(wa.week == wb.week);
    for (std::size_t i = 0; i < wa.buurt.size(); ++i) {
      INFO(what << ": week " << wa.week << ", buurt " << a.buurt_codes[i] << ", first differing tally field "
                << test::first_difference(wa.buurt[i], wb.buurt[i]));
      REQUIRE(test::same_bits(wa.buurt[i], wb.buurt[i]));
    }
    for (std::size_t i = 0; i < wa.wijk.size(); ++i) {
      INFO(what << ": week " << wa.week << ", wijk " << a.wijk_codes[i]);
      REQUIRE(test::same_bits(wa.wijk[i], wb.wijk[i]));
    }
    INFO(what << ": week " << wa.week << ", city");
    REQUIRE(test::same_bits(wa.city, wb.city));
  }
}

}  // namespace

TEST_CASE("the same seed gives identical timeseries bytes", "[repro]") {
  TempDir dir("repro-same-seed");
  const auto a = run_cli(dir, "a", repro_scenario(), {"--seed", "5", "--replicates", "2", "--threads", "2"});
  const auto b = run_cli(dir, "b", repro_scenario(), {"--seed", "5", "--replicates", "2", "--threads", "2"});
  REQUIRE(a.timeseries.size() > 1000);
  require_same_bytes(a.timeseries, b.timeseries, "timeseries.csv of two runs with seed 5");
  CHECK(a.summary == b.summary);
}

TEST_CASE("one replicate on 1 and 2 threads gives identical output", "[repro][threads]") {
  TempDir dir("repro-threads-1rep");
  const auto one = run_cli(dir, "t1", repro_scenario(), {"--seed", "3", "--replicates", "1", "--threads", "1"});
  const auto two = run_cli(dir, "t2", repro_scenario(), {"--seed", "3", "--replicates", "1", "--threads", "2"});
  require_same_bytes(one.timeseries, two.timeseries, "timeseries.csv with 1 and 2 threads over buurten");
  CHECK(one.summary == two.summary);
}

TEST_CASE("two replicates on 1 and 2 threads give identical output", "[repro][threads]") {
  TempDir dir("repro-threads-2rep");
  const auto one = run_cli(dir, "t1", repro_scenario(), {"--seed", "3", "--replicates", "2", "--threads", "1"});
  const auto two = run_cli(dir, "t2", repro_scenario(), {"--seed", "3", "--replicates", "2", "--threads", "2"});
  require_same_bytes(one.timeseries, two.timeseries, "timeseries.csv of 2 replicates with 1 and 2 threads");
  CHECK(one.summary == two.summary);
}

TEST_CASE("hengelo-noord on 1 and 2 threads gives identical output", "[repro][threads]") {
  // The main scenario: a programme that starts in one buurt and rolls out after two years.
  TempDir dir("repro-hengelo");
  const auto scenario = nlohmann::json::parse(test::read_file(test::source_dir() / "scenarios" / "hengelo-noord.json"));
  const auto one = run_cli(dir, "t1", scenario, {"--years", "3", "--threads", "1"});
  const auto two = run_cli(dir, "t2", scenario, {"--years", "3", "--threads", "2"});
  require_same_bytes(one.timeseries, two.timeseries, "hengelo-noord timeseries.csv with 1 and 2 threads");
}

TEST_CASE("every tally of every week is independent of the thread count", "[repro][threads]") {
  // Burn-in weeks included: they are not written, but everything after depends on them.
  const ScenarioSpec spec = test::load(repro_scenario());
  const auto t1 = test::trace_simulation(spec, 9, 0, 1, true);
  const auto t2 = test::trace_simulation(spec, 9, 0, 2, true);
  const auto t3 = test::trace_simulation(spec, 9, 0, 3, true);  // more threads than cores
  REQUIRE(t1.weeks.front().week < 0);
  require_same_trace(t1, t2, "1 vs 2 threads");
  require_same_trace(t1, t3, "1 vs 3 threads");
}

TEST_CASE("a replicate is the same run alone or among others", "[repro][threads]") {
  // run_replicates runs replicates in parallel, each single-threaded; replicate 1 of that run
  // must equal replicate 1 simulated on its own with threads over buurten.
  const ScenarioSpec spec = test::load(repro_scenario());
  std::mutex m;
  std::vector<Tally> city_by_week_rep1;
  RunnerHooks hooks;
  hooks.on_week = [&](std::uint32_t rep, const Simulation& sim) {
    if (rep != 1) return;
    std::lock_guard lock(m);
    city_by_week_rep1.push_back(sim.city_tally());
  };
  run_replicates(spec, 4, 3, 2, hooks);
  const auto alone = test::trace_simulation(spec, 4, 1, 2, false);
  REQUIRE(alone.weeks.size() == city_by_week_rep1.size());
  for (std::size_t k = 0; k < alone.weeks.size(); ++k) {
    INFO("week " << alone.weeks[k].week);
    REQUIRE(test::same_bits(alone.weeks[k].city, city_by_week_rep1[k]));
  }
}

TEST_CASE("a different seed or replicate gives different output", "[repro]") {
  TempDir dir("repro-new-seed");
  const auto a = run_cli(dir, "s1", repro_scenario(), {"--seed", "1", "--replicates", "1"});
  const auto b = run_cli(dir, "s2", repro_scenario(), {"--seed", "2", "--replicates", "1"});
  const test::CsvDiff d = test::diff_timeseries(a.timeseries, b.timeseries);
  CHECK_FALSE(d.identical);
  // Same rows (same city, same weeks), different values in many of them.
  CHECK(d.only_golden == 0);
  CHECK(d.only_new == 0);
  CHECK(d.differing > d.golden_rows / 10);

  // Replicates of one run use different streams.
  const ScenarioSpec spec = test::load(repro_scenario());
  const auto r0 = test::trace_simulation(spec, 1, 0, 1, false);
  const auto r1 = test::trace_simulation(spec, 1, 1, 1, false);
  int differing_weeks = 0;
  for (std::size_t k = 0; k < r0.weeks.size(); ++k) differing_weeks += !test::same_bits(r0.weeks[k].city, r1.weeks[k].city);
  CHECK(differing_weeks > static_cast<int>(r0.weeks.size()) / 2);
}
