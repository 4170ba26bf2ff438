// The in-memory run (run_to_table, behind the Python module's wijksim.run) holds exactly the
// rows run_and_write puts in timeseries.csv, and a cancelled run stops between weeks.
#include <atomic>
#include <catch2/catch.hpp>
#include <charconv>
#include <chrono>
#include <sstream>
#include <thread>

#include "test_support.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/io/run_output.hpp"

using namespace wijksim;

TEST_CASE("run_to_table holds the rows of timeseries.csv, value for value", "[run_table]") {
  const auto detail = GENERATE(std::string("city"), std::string("buurt"));
  const std::vector<Override> overrides = {
      {"simulation.replicates", "3"}, {"output.detail", "\"" + detail + "\""}, {"output.interval", "5"}};
  // run_and_write also writes the run's store, whose experiment names the scenario file.
  test::TempDir dir("run_table");
  const auto scenario_file = dir / "scenario.json";
  test::write_file(scenario_file, test::small_generated_scenario(0.5, 0.1).dump());
  const ScenarioSpec spec = load_scenario_file(scenario_file.string(), overrides);
  const RunTable table = run_to_table(spec, 2);
  RunRequest req;
  req.scenario_file = scenario_file.string();
  req.overrides = overrides;
  req.out_dir = (dir / "run").string();
  req.threads = 2;
  req.progress = false;
  run_and_write(spec, req);
  std::istringstream csv(test::read_file(dir / "run" / "timeseries.csv"));
  std::string line;
  std::getline(csv, line);  // header
  std::size_t rows = 0;
  for (std::size_t rep = 0; rep < table.replicates.size(); ++rep)
    for (const auto& block : table.replicates[rep])
      for (std::size_t k = 0; k < metric_count; ++k) {
        REQUIRE(std::getline(csv, line));
        const std::string expected_prefix = std::to_string(rep) + "," + std::to_string(block.week) + "," +
                                            table.units[block.unit].level + "," + table.units[block.unit].code + "," +
                                            std::string(metric_name(static_cast<Metric>(k))) + ",";
        REQUIRE(line.substr(0, expected_prefix.size()) == expected_prefix);
        double v = 0;
        const std::string text = line.substr(expected_prefix.size());
        std::from_chars(text.data(), text.data() + text.size(), v);
        REQUIRE(v == block.values[k]);
        ++rows;
      }
  CHECK_FALSE(std::getline(csv, line));  // nothing left over
  CHECK(rows > 0);
  CHECK(table.units.size() == (detail == "city" ? 1u : output_units(spec).size()));
}

TEST_CASE("a cancelled run_to_table stops between weeks", "[run_table]") {
  // 4 replicates of 100 years: far longer than the 20 ms after which the flag is set.
  const ScenarioSpec spec = test::load(test::small_generated_scenario(100, 0.1), {{"simulation.replicates", "4"}});
  std::atomic<bool> cancel{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(run_to_table(spec, 2, &cancel), "cancelled");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stopper.join();
  CHECK(seconds < 10);
  // Set before the start: nothing runs.
  CHECK_THROWS_WITH(run_to_table(spec, 1, &cancel), "cancelled");
}
