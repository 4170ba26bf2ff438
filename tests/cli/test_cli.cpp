// The wijksim command line: exit codes (0 ok, 2 invalid input or arguments, 1 failure while
// running), messages that name file, path and fix, and self-describing run folders.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "test_support.hpp"
#include "wijksim/experiment/store.hpp"
#include "wijksim/scenario/param_table.hpp"
#include "wijksim/sim/metrics.hpp"
#include "wijksim/sim/simulation.hpp"

using namespace wijksim;
using nlohmann::json;
using test::CliResult;
using test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string hengelo() { return (test::source_dir() / "scenarios" / "hengelo-noord.json").string(); }

using wijksim::test::contains;

// A small scenario written into `dir`; returns its path.
std::string small_scenario(const TempDir& dir, const std::string& name = "small.json") {
  auto doc = test::small_generated_scenario(0.5, 0.1);
  doc["name"] = "cli-small";
  const auto file = dir / name;
  test::write_file(file, doc.dump(2));
  return file.string();
}

#define REQUIRE_EXIT(result, code)                                                                   \
  do {                                                                                               \
    INFO((result).command << "\nstdout:\n" << (result).out << "\nstderr:\n" << (result).err);        \
    REQUIRE((result).exit_code == (code));                                                           \
  } while (false)

}  // namespace

TEST_CASE("cli: validate accepts hengelo-noord", "[cli]") {
  const CliResult r = test::run_cli({"validate", hengelo()});
  REQUIRE_EXIT(r, 0);
  CHECK(contains(r.out, "valid"));
  CHECK(contains(r.out, "5 buurten"));
  CHECK(r.err.empty());
}

TEST_CASE("cli: validate rejects an unknown key naming file and path and suggestion", "[cli]") {
  TempDir dir("cli-unknown-key");
  auto doc = json::parse(test::read_file(hengelo()));
  doc["building_blocks"]["trsut"] = 0.5;
  const auto file = (dir / "typo.json").string();
  test::write_file(file, doc.dump(2));
  const CliResult r = test::run_cli({"validate", file});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, file));
  CHECK(contains(r.err, "building_blocks.trsut"));
  CHECK(contains(r.err, "did you mean \"trust\""));
  CHECK_FALSE(contains(r.out, "valid"));
}

TEST_CASE("cli: validate reports every problem and the --set origin", "[cli]") {
  TempDir dir("cli-many");
  auto doc = json::parse(test::read_file(hengelo()));
  doc["building_blocks"]["trust"] = 3;
  doc["network"] = {{"ties_min", 20}, {"ties_max", 10}};
  const auto file = (dir / "many.json").string();
  test::write_file(file, doc.dump(2));
  const CliResult r = test::run_cli({"validate", file, "--set", "building_blocks.vision=-1"});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "building_blocks.trust"));
  CHECK(contains(r.err, "network.ties_min"));
  CHECK(contains(r.err, "--set building_blocks.vision"));
  // One line per problem.
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 3);
}

TEST_CASE("cli: invalid input files exit with 2", "[cli]") {
  TempDir dir("cli-bad-files");
  SECTION("missing file") {
    const CliResult r = test::run_cli({"validate", (dir / "nope.json").string()});
    REQUIRE_EXIT(r, 2);
    CHECK(contains(r.err, "no such file"));
  }
  SECTION("malformed JSON") {
    test::write_file(dir / "bad.json", "{\n  \"city\": \n}\n");
    const CliResult r = test::run_cli({"validate", (dir / "bad.json").string()});
    REQUIRE_EXIT(r, 2);
    CHECK(contains(r.err, "line 3"));
  }
}

TEST_CASE("cli: run rejects bad flag values with exit code 2", "[cli]") {
  TempDir dir("cli-bad-flags");
  const std::string scenario = small_scenario(dir);
  const std::string out = (dir / "out").string();
  struct Case {
    std::vector<std::string> flags;
    std::string mentions;
  };
  const std::vector<Case> cases = {
      {{"--threads", "0"}, "--threads"},
      {{"--threads", "two"}, "--threads"},
      {{"--detail", "street"}, "--detail"},
      {{"--replicates", "0"}, "--replicates"},
      {{"--seed", "-1"}, "--seed"},
      {{"--years", "1000"}, "--years"},
      {{"--set", "building_blocks.trust=9"}, "building_blocks.trust"},
      {{"--set", "building_blocks.trust"}, "PATH=VALUE"},
      {{"--bogus"}, "--bogus"},
      {{"--threads"}, "missing value"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"run", scenario, "--out", out, "--quiet"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    const CliResult r = test::run_cli(args);
    REQUIRE_EXIT(r, 2);
    INFO(r.err);
    CHECK(contains(r.err, c.mentions));
    CHECK_FALSE(fs::exists(out));  // nothing was written
  }
}

TEST_CASE("cli: unknown commands and missing arguments exit with 2", "[cli]") {
  CHECK(test::run_cli({}).exit_code == 2);
  CHECK(test::run_cli({"frobnicate"}).exit_code == 2);
  CHECK(test::run_cli({"run"}).exit_code == 2);
  CHECK(test::run_cli({"validate", hengelo(), hengelo()}).exit_code == 2);
  CHECK(test::run_cli({"params", "--format", "yaml"}).exit_code == 2);
  CHECK(test::run_cli({"--help"}).exit_code == 0);
  const CliResult v = test::run_cli({"version"});
  REQUIRE_EXIT(v, 0);
  CHECK(contains(v.out, "wijksim"));
}

TEST_CASE("cli: run refuses a non-empty output folder without --force", "[cli]") {
  TempDir dir("cli-force");
  const std::string scenario = small_scenario(dir);
  const auto out = dir / "out";
  fs::create_directories(out);
  test::write_file(out / "keep.txt", "precious");
  const CliResult refused = test::run_cli({"run", scenario, "--out", out.string(), "--quiet"});
  REQUIRE_EXIT(refused, 2);
  CHECK(contains(refused.err, "--force"));
  CHECK(test::read_file(out / "keep.txt") == "precious");  // untouched
  CHECK(test::entries_containing(dir.path(), ".tmp-").empty());

  // An output path that is a file is refused too.
  test::write_file(dir / "file", "x");
  CHECK(test::run_cli({"run", scenario, "--out", (dir / "file").string(), "--quiet"}).exit_code == 2);

  // An empty existing folder is fine; --force replaces an earlier run's folder (only that:
  // see hardening/test_faults.cpp for a folder of the user's).
  fs::create_directories(dir / "empty");
  CHECK(test::run_cli({"run", scenario, "--out", (dir / "empty").string(), "--quiet"}).exit_code == 0);
  const std::string first_manifest = test::read_file(dir / "empty" / "manifest.json");
  const CliResult forced = test::run_cli({"run", scenario, "--out", (dir / "empty").string(), "--quiet", "--force", "--seed", "9"});
  REQUIRE_EXIT(forced, 0);
  CHECK(test::read_file(dir / "empty" / "manifest.json") != first_manifest);
  CHECK(test::entries_containing(dir.path(), ".tmp-").empty());
  CHECK(test::entries_containing(dir.path(), ".old-").empty());
}

TEST_CASE("cli: a successful run writes a self-describing folder", "[cli]") {
  TempDir dir("cli-run");
  const std::string scenario = small_scenario(dir);
  const auto out = dir / "run";
  const CliResult r = test::run_cli({"run", scenario, "--out", out.string(), "--seed", "77", "--replicates", "3",
                                     "--threads", "2", "--detail", "buurt", "--set", "building_blocks.trust = 0.4"});
  REQUIRE_EXIT(r, 0);
  CHECK(contains(r.out, "active_share"));

  // Only the four files (no -wal or -shm of the store), and nothing temporary left next to the folder.
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(out)) files.insert(e.path().filename().string());
  CHECK(files == std::set<std::string>{"manifest.json", "results.sqlite", "timeseries.csv", "summary.json"});
  CHECK(test::entries_containing(dir.path(), ".tmp-").empty());

  const ScenarioSpec spec = load_scenario_file(scenario, {Override{"simulation.seed", "77"},
                                                          Override{"simulation.replicates", "3"},
                                                          Override{"output.detail", "\"buurt\""},
                                                          Override{"building_blocks.trust", "0.4"}});
  std::size_t buurten = 0;
  for (const auto& w : spec.city.wijken) buurten += w.buurten.size();
  const std::size_t units = 1 + spec.city.wijken.size() + buurten;

  SECTION("manifest.json") {
    const json m = json::parse(test::read_file(out / "manifest.json"));
    CHECK(m["scenario_hash"] == spec.hash);
    CHECK(m["scenario_name"] == "cli-small");
    CHECK(m["seed"] == 77);
    CHECK(m["replicates"] == 3);
    CHECK(m["detail"] == "buurt");
    CHECK(m["threads"] == 2);
    REQUIRE(m["overrides"].is_array());
    CHECK(std::find(m["overrides"].begin(), m["overrides"].end(), "building_blocks.trust=0.4") != m["overrides"].end());
    CHECK(m["scenario"]["building_blocks"]["trust"] == 0.4);  // the resolved scenario, in user units
    CHECK(m["engine"]["version"].is_string());
    CHECK_FALSE(m["engine"]["version"].get<std::string>().empty());
    CHECK(m["engine"]["git_revision"].is_string());
    CHECK_FALSE(m["engine"]["git_revision"].get<std::string>().empty());
    CHECK(m["engine"].contains("compiler"));
    CHECK(m["engine"].contains("boost"));
    REQUIRE(m["timing"]["phase_cpu_seconds"].is_object());
    for (std::size_t i = 0; i < phase_count; ++i) {
      const std::string phase(phase_name(static_cast<Phase>(i)));
      INFO(phase);
      REQUIRE(m["timing"]["phase_cpu_seconds"].contains(phase));
      CHECK(m["timing"]["phase_cpu_seconds"][phase].get<double>() >= 0.0);
    }
    CHECK(m["timing"]["wall_seconds"].get<double>() > 0.0);
    CHECK(m["weeks"] == 26);
  }
  SECTION("timeseries.csv") {
    const std::string ts = test::read_file(out / "timeseries.csv");
    REQUIRE(ts.rfind("replicate,week,level,unit,metric,value\n", 0) == 0);
    // replicates x weeks 0..26 x units x metrics rows, plus the header.
    const auto lines = static_cast<std::size_t>(std::count(ts.begin(), ts.end(), '\n'));
    CHECK(lines == 1 + 3 * 27 * units * metric_count);
    CHECK(contains(ts, "\n0,0,city," + spec.city.code + ",residents,"));
    CHECK(contains(ts, "\n2,26,buurt," + spec.city.wijken[1].buurten[0].code + ",active_share,"));
    CHECK_FALSE(contains(ts, "nan"));
    CHECK_FALSE(contains(ts, "inf"));
  }
  SECTION("results.sqlite: the store of an experiment of one variant, holding timeseries.csv's values") {
    const auto store = experiment::Store::open_read(out.string());
    CHECK(store.manifest("variants") == json::array({"cli-small"}));
    CHECK(store.manifest("baseline") == "cli-small");
    CHECK(store.manifest("replicates") == 3);
    CHECK(store.manifest("levels") == json::array({"city", "wijk", "buurt"}));
    CHECK(store.manifest("outcomes").size() == metric_count);
    CHECK(store.manifest("experiment")["seed"] == 77);
    CHECK(store.manifest("experiment")["variants"][0]["set"]["building_blocks.trust"] == 0.4);
    std::map<std::string, std::string> csv;  // "replicate,week,level,unit,metric" -> value text
    {
      std::istringstream in(test::read_file(out / "timeseries.csv"));
      std::string line;
      std::getline(in, line);
      while (std::getline(in, line)) csv[line.substr(0, line.rfind(','))] = line.substr(line.rfind(',') + 1);
    }
    const auto runs = store.runs();
    REQUIRE(runs.size() == 3);
    std::size_t rows = 0;
    for (const auto& run : runs) {
      CHECK(run.ok);
      CHECK(run.seed == 77);
      for (const auto& row : run.rows) {
        const std::string key = std::to_string(run.key.replicate) + "," + std::to_string(row.week) + "," +
                                experiment::level_name(row.level) + "," + row.unit + "," + std::string(metric_name(row.metric));
        INFO(key);
        REQUIRE(csv.count(key) == 1);
        CHECK(std::stod(csv[key]) == row.value);
        ++rows;
      }
    }
    CHECK(rows == csv.size());
  }
  SECTION("summary.json") {
    const json s = json::parse(test::read_file(out / "summary.json"));
    CHECK(s["replicates"] == 3);
    CHECK(s["week"] == 26);
    const json& city = s["levels"]["city"][spec.city.code];
    for (const char* metric : {"active_share", "unsafe_share", "trust_share"}) {
      INFO(metric);
      const json& v = city[metric];
      for (const char* key : {"mean", "sd", "ci95", "p5", "p50", "p95"}) CHECK(v.contains(key));
      REQUIRE(v["ci95"].size() == 2);
      CHECK(v["ci95"][0].get<double>() <= v["mean"].get<double>());
      CHECK(v["mean"].get<double>() <= v["ci95"][1].get<double>());
      CHECK(v["p5"].get<double>() <= v["p50"].get<double>());
      CHECK(v["p50"].get<double>() <= v["p95"].get<double>());
    }
    CHECK(s["levels"]["wijk"].size() == spec.city.wijken.size());
    CHECK(s["levels"]["buurt"].size() == buurten);
  }
}

TEST_CASE("cli: compare and export read a run folder, and run --force still replaces it", "[cli]") {
  TempDir dir("cli-run-store");
  const std::string scenario = small_scenario(dir);
  const auto out = dir / "run";
  const CliResult r = test::run_cli({"run", scenario, "--out", out.string(), "--replicates", "2", "--quiet"});
  REQUIRE_EXIT(r, 0);
  const CliResult compared = test::run_cli({"compare", out.string()});
  REQUIRE_EXIT(compared, 0);
  CHECK(contains(compared.out, "baseline \"cli-small\""));
  const json comparison = json::parse(test::read_file(out / "comparison.json"));
  CHECK(comparison["comparisons"].empty());  // one variant: nothing to compare with
  CHECK(contains(test::read_file(out / "bands.csv"), "\ncli-small,-1,active_share,city,"));
  const CliResult exported = test::run_cli({"export", out.string()});
  REQUIRE_EXIT(exported, 0);
  CHECK(contains(test::read_file(out / "runs.csv"), "cli-small"));
  // What the downstream commands wrote belongs to the run folder: --force may replace it.
  const CliResult again = test::run_cli({"run", scenario, "--out", out.string(), "--replicates", "2", "--quiet", "--force"});
  REQUIRE_EXIT(again, 0);
  CHECK_FALSE(fs::exists(out / "comparison.json"));
}

TEST_CASE("cli: a run's store holds the runs `wijksim experiment` makes of the same document", "[cli]") {
  TempDir dir("cli-run-as-experiment");
  const std::string scenario = small_scenario(dir);
  const auto out = dir / "run";
  const CliResult r = test::run_cli({"run", scenario, "--out", out.string(), "--replicates", "2", "--seed", "5",
                                     "--years", "0.25", "--set", "building_blocks.trust=0.3", "--quiet"});
  REQUIRE_EXIT(r, 0);
  const json doc = experiment::Store::open_read(out.string()).manifest("experiment");
  test::write_file(dir / "as-experiment.json", doc.dump());
  const CliResult e = test::run_cli({"experiment", (dir / "as-experiment.json").string(), "--out", (dir / "exp").string(),
                                     "--threads", "2", "--progress", "none"});
  REQUIRE_EXIT(e, 0);
  const auto a = experiment::Store::open_read(out.string()).runs();
  const auto b = experiment::Store::open_read((dir / "exp").string()).runs();
  REQUIRE(a.size() == 2);
  REQUIRE(b.size() == 2);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].key.tie() == b[i].key.tie());
    CHECK(a[i].parameters == b[i].parameters);
    REQUIRE(a[i].rows.size() == b[i].rows.size());
    for (std::size_t k = 0; k < a[i].rows.size(); ++k) CHECK(a[i].rows[k].value == b[i].rows[k].value);
  }
}

TEST_CASE("cli: one replicate gives plain values in summary.json", "[cli]") {
  TempDir dir("cli-one-rep");
  const std::string scenario = small_scenario(dir);
  const CliResult r = test::run_cli({"run", scenario, "--out", (dir / "run").string(), "--replicates", "1", "--quiet"});
  REQUIRE_EXIT(r, 0);
  const json s = json::parse(test::read_file(dir / "run" / "summary.json"));
  CHECK(s["replicates"] == 1);
  const json& city = s["levels"]["city"].begin().value();
  CHECK(city["active_share"].is_number());
}

TEST_CASE("cli: params --format json lists every parameter once", "[cli]") {
  const CliResult r = test::run_cli({"params", "--format", "json"});
  REQUIRE_EXIT(r, 0);
  json j;
  REQUIRE_NOTHROW(j = json::parse(r.out));
  REQUIRE(j.is_array());
  CHECK(j.size() == param_table().size());
  std::set<std::string> names;
  for (const auto& e : j) {
    REQUIRE(e.contains("name"));
    CHECK(names.insert(e["name"].get<std::string>()).second);
    CHECK(find_param(e["name"].get<std::string>()) != nullptr);
    CHECK(e.contains("default"));
    CHECK(e.contains("unit"));
  }
  const CliResult md = test::run_cli({"params"});
  REQUIRE_EXIT(md, 0);
  CHECK(static_cast<std::size_t>(std::count(md.out.begin(), md.out.end(), '\n')) == param_table().size() + 2);
}

// ---- import-cbs (fixture: tests/fixtures, Bron: CBS, Kerncijfers wijken en buurten 2024 (85984NED))

namespace {

std::string kwb_fixture() { return (test::source_dir() / "tests" / "fixtures" / "kwb-2024-sample.csv").string(); }

}  // namespace

TEST_CASE("cli: import-cbs Hengelo by name and by code writes a scenario that validates", "[cli][cbs]") {
  TempDir dir("cli-import");
  for (const std::string g : {"Hengelo (O.)", "GM0164"}) {
    const auto out = (dir / "hengelo.json").string();
    const CliResult r = test::run_cli({"import-cbs", "--kwb", kwb_fixture(), "--gemeente", g, "--out", out, "--force"});
    REQUIRE_EXIT(r, 0);
    CHECK(contains(r.out, "Hengelo (O.) (GM0164)"));
    CHECK(contains(r.out, "1 empty buurten left out"));
    const json doc = json::parse(test::read_file(out));
    CHECK(doc["city"]["code"] == "GM0164");
    CHECK(doc["city"]["wijken"][0]["code"] == "WK016402");
    CHECK(doc["city"]["wijken"][0]["buurten"][2]["code"] == "BU01640202");
    CHECK(doc["city"]["wijken"][0]["buurten"][2]["name"] == "De Noork");
    CHECK(doc["city"]["wijken"][0]["buurten"][2]["residents"] == 2140);
    const CliResult v = test::run_cli({"validate", out});
    REQUIRE_EXIT(v, 0);
    CHECK(contains(v.out, "1 wijken, 5 buurten, 10250 residents"));
    CHECK(test::entries_containing(dir.path(), ".tmp-").empty());
  }
}

TEST_CASE("cli: import-cbs refuses to overwrite without --force", "[cli][cbs]") {
  TempDir dir("cli-import-force");
  const auto out = (dir / "s.json").string();
  test::write_file(out, "keep me");
  CliResult r = test::run_cli({"import-cbs", "--kwb", kwb_fixture(), "--gemeente", "0164", "--out", out});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "--force"));
  CHECK(test::read_file(out) == "keep me");
  r = test::run_cli({"import-cbs", "--kwb", kwb_fixture(), "--gemeente", "0164", "--out", out, "--force"});
  REQUIRE_EXIT(r, 0);
  CHECK(test::read_file(out) != "keep me");
}

TEST_CASE("cli: import-cbs input errors exit with 2 and say where", "[cli][cbs]") {
  TempDir dir("cli-import-errors");
  const auto out = (dir / "s.json").string();

  CliResult r = test::run_cli({"import-cbs", "--kwb", kwb_fixture(), "--gemeente", "Hengelow", "--out", out});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "unknown gemeente \"Hengelow\""));
  CHECK(contains(r.err, "nearest names: \"Hengelo (O.)\""));

  r = test::run_cli({"import-cbs", "--kwb", kwb_fixture(), "--gemeente", "Hengelo (O.)", "--wijk", "WK016409", "--out", out});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "WK016409"));
  CHECK(contains(r.err, "WK016402"));

  const std::string text = test::read_file(kwb_fixture());
  const auto cut = (dir / "cut.csv").string();
  test::write_file(cut, text.substr(0, text.size() - 12));
  r = test::run_cli({"import-cbs", "--kwb", cut, "--gemeente", "Hengelo (O.)", "--out", out});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, cut + ": line 15, column \"Bevolking/Leeftijdsgroepen/"));

  // The last column (65+) removed from every line.
  std::string no65;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    no65 += line.substr(0, line.rfind(';')) + "\n";
    start = end + 1;
  }
  const auto missing = (dir / "missing.csv").string();
  test::write_file(missing, no65);
  r = test::run_cli({"import-cbs", "--kwb", missing, "--gemeente", "Hengelo (O.)", "--out", out});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, missing + ": line 1, column \"Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)\""));

  r = test::run_cli({"import-cbs", "--kwb", kwb_fixture(), "--out", out});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "--gemeente"));
  r = test::run_cli({"import-cbs", "--kwb", kwb_fixture(), "--gemeente", "Hengelo (O.)", "--wijk", "WK016407", "--out", out});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "no residents"));
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("cli: import-cbs needs nothing but the shipped data", "[cli][cbs][data]") {
  // No --kwb and no --indicators: the 2024 tables in data/cbs are the defaults.
  TempDir dir("cli-import-shipped");
  const auto out = (dir / "deventer.json").string();
  const CliResult r = test::run_cli({"import-cbs", "--gemeente", "Deventer", "--out", out});
  REQUIRE_EXIT(r, 0);
  CHECK(contains(r.out, "deprivation from housing data"));
  const CliResult v = test::run_cli({"validate", out});
  REQUIRE_EXIT(v, 0);
  const json doc = json::parse(test::read_file(out));
  CHECK(doc["city"]["code"] == "GM0150");
  CHECK(contains(doc["city"]["credit"].get<std::string>(), "Bron: CBS, Kerncijfers wijken en buurten 2024"));
  std::set<double> deprivations;
  for (const auto& w : doc["city"]["wijken"])
    for (const auto& b : w["buurten"]) {
      deprivations.insert(b["deprivation"].get<double>());
      CHECK(b.contains("recorded_crime_per_1000"));
    }
  CHECK(deprivations.size() > 20);  // real data, not one default

  // --indicators none keeps the old behaviour: every buurt at the default.
  const auto flat = (dir / "flat.json").string();
  const CliResult rf = test::run_cli({"import-cbs", "--gemeente", "Deventer", "--indicators", "none", "--out", flat});
  REQUIRE_EXIT(rf, 0);
  const json f = json::parse(test::read_file(flat));
  CHECK_FALSE(f["city"]["wijken"][0]["buurten"][0].contains("deprivation"));

  // The explicit file still works.
  const auto data = test::source_dir() / "data" / "cbs" / "cbs-kwb-2024-bevolking.csv";
  const auto hengelo = (dir / "hengelo.json").string();
  const CliResult rh = test::run_cli({"import-cbs", "--kwb", data.string(), "--gemeente", "hengelo (o.)", "--out", hengelo});
  REQUIRE_EXIT(rh, 0);
  const json h = json::parse(test::read_file(hengelo));
  bool found = false;
  for (const auto& w : h["city"]["wijken"])
    if (w["code"] == "WK016402")
      for (const auto& b : w["buurten"])
        if (b["code"] == "BU01640202") found = b["residents"] == 2140 && b["name"] == "De Noork";
  CHECK(found);
}
