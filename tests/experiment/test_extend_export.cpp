// Adding replicates to an experiment's store (`--replicates N`, or the file's count raised) and
// `wijksim export`: --out, the design role and ranges of every run, the seed each run used.
#include <catch2/catch.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "require_exit.hpp"
#include "test_support.hpp"

using namespace wijksim;
using nlohmann::json;
using test::CliResult;
using test::contains;
using test::TempDir;
namespace fs = std::filesystem;

namespace {


// A small city with its own simulation.seed (99), which experiments do not use: their seed is
// the experiment's.
void write_scenario(const TempDir& dir) {
  auto doc = test::small_generated_scenario(0.3, 0.05);
  doc["simulation"]["seed"] = 99;
  test::write_file(dir / "small.json", doc.dump(2));
}

json experiment(int replicates) {
  return {{"scenario", "small.json"},
          {"years", 0.3},
          {"replicates", replicates},
          {"seed", 7},
          {"outcomes", {"active_share", "euros_spent"}},
          {"variants", {{{"name", "base"}}, {{"name", "trust"}, {"set", {{"building_blocks.trust", 0.6}}}}}}};
}

CliResult quietly(const std::vector<std::string>& args) {
  std::vector<std::string> a = args;
  a.push_back("--quiet");
  return test::run_cli(a);
}

// A CSV file as rows of cells (no quoted commas in the columns read here).
std::vector<std::vector<std::string>> read_csv(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(test::read_file(file));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"')
        quoted = !quoted;
      else if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else
        cell += c;
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

std::size_t column(const std::vector<std::vector<std::string>>& csv, const std::string& name) {
  REQUIRE_FALSE(csv.empty());
  for (std::size_t i = 0; i < csv[0].size(); ++i)
    if (csv[0][i] == name) return i;
  FAIL("no column " << name);
  return 0;
}

// runs.csv without the timing column (wall time differs between any two runs).
std::string runs_without_timing(const fs::path& file) {
  auto csv = read_csv(file);
  const std::size_t t = column(csv, "wall_seconds");
  std::string out;
  for (auto& row : csv) {
    row.erase(row.begin() + static_cast<long>(t));
    for (const auto& c : row) out += c + "|";
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE(
    "experiment: --replicates N above the store's count runs only the missing replicates, and the store equals a fresh one",
    "[experiment][cli]") {
  TempDir dir("extend-replicates");
  write_scenario(dir);
  test::write_file(dir / "exp.json", experiment(2).dump());
  const std::string file = (dir / "exp.json").string(), grown = (dir / "grown").string(),
                    fresh = (dir / "fresh").string();

  REQUIRE_EXIT(quietly({"experiment", file, "--out", grown, "--threads", "2"}), 0);
  const CliResult more =
      test::run_cli({"experiment", file, "--out", grown, "--threads", "2", "--replicates", "4", "--progress", "none"});
  REQUIRE_EXIT(more, 0);
  CHECK(contains(more.out, "8 run(s): 4 ok, 0 failed, 4 already done"));  // 2 variants x 2 new replicates
  REQUIRE_EXIT(quietly({"experiment", file, "--out", fresh, "--threads", "1", "--replicates", "4"}), 0);

  for (const std::string& store : {grown, fresh}) {
    REQUIRE_EXIT(quietly({"export", store}), 0);
    const CliResult c = test::run_cli({"compare", store});
    REQUIRE_EXIT(c, 0);
    CHECK_FALSE(contains(c.err, "incomplete"));  // the store knows it now holds 4 replicates
  }
  // Byte for byte: every outcome value, and every run but its wall time.
  CHECK(test::read_file(fs::path(grown) / "outcomes.csv") == test::read_file(fs::path(fresh) / "outcomes.csv"));
  CHECK(runs_without_timing(fs::path(grown) / "runs.csv") == runs_without_timing(fs::path(fresh) / "runs.csv"));
  CHECK(read_csv(fs::path(grown) / "runs.csv").size() == 1 + 8);

  // The same through the file: its count raised from 4 to 5 extends the store again; any other
  // change is still a different experiment.
  test::write_file(dir / "exp.json", experiment(5).dump());
  const CliResult file_grown =
      test::run_cli({"experiment", file, "--out", grown, "--threads", "2", "--progress", "none"});
  REQUIRE_EXIT(file_grown, 0);
  CHECK(contains(file_grown.out, "10 run(s): 2 ok, 0 failed, 8 already done"));
  json other = experiment(6);
  other["seed"] = 8;
  test::write_file(dir / "exp.json", other.dump());
  const CliResult refused = test::run_cli({"experiment", file, "--out", grown, "--progress", "none"});
  REQUIRE_EXIT(refused, 2);
  CHECK(contains(refused.err, "different experiment"));

  // A count out of range is refused.
  const CliResult bad = test::run_cli({"experiment", file, "--out", grown, "--replicates", "0"});
  REQUIRE_EXIT(bad, 2);
  CHECK(contains(bad.err, "--replicates"));
}

TEST_CASE(
    "export: --out DIR writes the CSV files there, and runs.csv has the seed used, the design role and the ranges",
    "[experiment][cli]") {
  TempDir dir("export-design");
  write_scenario(dir);
  json e = experiment(2);
  e["variants"] = {{{"name", "base"}}};
  e["design"] = {{"method", "sobol"},
                 {"samples", 2},
                 {"parameters", {{"building_blocks.trust", {0.2, 0.6}}, {"building_blocks.vision", {0.1, 0.5}}}}};
  test::write_file(dir / "sobol.json", e.dump());
  e["design"] = {{"method", "morris"},
                 {"samples", 2},
                 {"parameters", {{"building_blocks.trust", {0.2, 0.6}}, {"building_blocks.vision", {0.1, 0.5}}}}};
  test::write_file(dir / "morris.json", e.dump());

  const std::string sobol = (dir / "sobol").string(), csv_dir = (dir / "csv" / "sobol").string();
  REQUIRE_EXIT(quietly({"experiment", (dir / "sobol.json").string(), "--out", sobol, "--threads", "2"}), 0);
  const CliResult ex = test::run_cli({"export", sobol, "--out", csv_dir});
  REQUIRE_EXIT(ex, 0);
  CHECK(contains(ex.out, csv_dir));
  for (const char* f : {"runs.csv", "outcomes.csv", "metrics.csv"}) {
    CHECK(fs::is_regular_file(fs::path(csv_dir) / f));
    CHECK_FALSE(fs::exists(fs::path(sobol) / f));  // not next to the store
  }
  auto runs = read_csv(fs::path(csv_dir) / "runs.csv");
  // 2 base rows x (2 parameters + 2) points x 2 replicates.
  REQUIRE(runs.size() == 1 + 16);
  const std::size_t role = column(runs, "role"), row = column(runs, "row"), factor = column(runs, "factor"),
                    seed = column(runs, "seed"), lo = column(runs, "building_blocks.trust_low"),
                    hi = column(runs, "building_blocks.vision_high"), trust = column(runs, "building_blocks.trust");
  std::multiset<std::string> roles;
  for (std::size_t i = 1; i < runs.size(); ++i) {
    roles.insert(runs[i][role]);
    CHECK(runs[i][seed] == "7");  // the experiment's seed, not the scenario's 99
    CHECK(runs[i][lo] == "0.2");
    CHECK(runs[i][hi] == "0.5");
    const double t = std::stod(runs[i][trust]);
    CHECK((t >= 0.2 && t <= 0.6));
    if (runs[i][role] == "AB_1") CHECK(runs[i][factor] == "building_blocks.trust");
    if (runs[i][role] == "AB_2") CHECK(runs[i][factor] == "building_blocks.vision");
    CHECK((runs[i][row] == "0" || runs[i][row] == "1"));
  }
  CHECK(roles == std::multiset<std::string>{"A", "A", "A", "A", "B", "B", "B", "B", "AB_1", "AB_1", "AB_1", "AB_1",
                                            "AB_2", "AB_2", "AB_2", "AB_2"});

  const std::string morris = (dir / "morris").string();
  REQUIRE_EXIT(
      quietly({"experiment", (dir / "morris.json").string(), "--out", morris, "--threads", "2", "--replicates", "1"}),
      0);
  REQUIRE_EXIT(quietly({"export", morris}), 0);
  runs = read_csv(fs::path(morris) / "runs.csv");
  REQUIRE(runs.size() == 1 + 2 * 3);  // 2 trajectories x (2 parameters + 1) steps
  const std::size_t mrole = column(runs, "role"), mrow = column(runs, "row"), step = column(runs, "step"),
                    moved = column(runs, "factor"), dirn = column(runs, "direction");
  std::set<std::string> steps_of_0;
  for (std::size_t i = 1; i < runs.size(); ++i) {
    CHECK(runs[i][mrole] == "trajectory");
    if (runs[i][mrow] == "0") steps_of_0.insert(runs[i][step]);
    if (runs[i][step] == "0") {
      CHECK(runs[i][moved].empty());
    } else {
      CHECK((runs[i][moved] == "building_blocks.trust" || runs[i][moved] == "building_blocks.vision"));
      CHECK((runs[i][dirn] == "1" || runs[i][dirn] == "-1"));
    }
  }
  CHECK(steps_of_0 == std::set<std::string>{"0", "1", "2"});

  // --out that is a file is refused; nothing is written.
  test::write_file(dir / "plain", "x");
  const CliResult onto_file = test::run_cli({"export", sobol, "--out", (dir / "plain").string()});
  REQUIRE_EXIT(onto_file, 2);
  CHECK(contains(onto_file.err, "is a file"));
  CHECK(test::read_file(dir / "plain") == "x");
}
