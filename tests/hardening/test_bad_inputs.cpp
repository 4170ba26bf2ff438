// A catalogue of bad inputs for `wijksim run` and `wijksim validate`. Each case must end with
// exit code 2 (invalid input or arguments) or 1 (failure while running), a message on stderr
// that names the file or flag and what was expected, and no output folder that looks complete.
// None may crash, hang or write a run folder.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "test_support.hpp"

using nlohmann::json;
using wijksim::test::CliResult;
using wijksim::test::contains;
using wijksim::test::TempDir;
namespace fs = std::filesystem;
namespace test = wijksim::test;

namespace {

std::string hengelo_text() { return test::read_file(test::source_dir() / "scenarios" / "hengelo-noord.json"); }

// One wijk of explicit buurten with the given residents, half a year.
json city_of(const std::vector<int>& residents) {
  std::vector<test::BuurtSize> b;
  for (int r : residents) b.push_back({r, 0.3});
  return test::explicit_scenario({b}, 0.5, 0.1);
}

struct Outcome {
  CliResult validate, run;
  std::string out;  // the run's --out folder
};

// Runs `validate FILE` and `run FILE --out DIR` on one input file.
Outcome both(const TempDir& dir, const std::string& file, const std::vector<std::string>& extra = {}) {
  Outcome o;
  o.out = (dir / "out").string();
  std::vector<std::string> v = {"validate", file};
  v.insert(v.end(), extra.begin(), extra.end());
  o.validate = test::run_cli(v);
  std::vector<std::string> r = {"run", file, "--out", o.out, "--quiet", "--replicates", "1", "--threads", "1"};
  r.insert(r.end(), extra.begin(), extra.end());
  o.run = test::run_cli(r);
  return o;
}

// The run folder is absent, or at least not one with a manifest (a complete run's marker).
void require_no_complete_output(const fs::path& out) {
  INFO("output folder " << out.string());
  CHECK_FALSE(fs::exists(out / "manifest.json"));
  CHECK(test::entries_containing(out.parent_path(), ".tmp-").empty());
}

#define REQUIRE_REJECTED(result, code, ...)                                                          \
  do {                                                                                               \
    INFO((result).command << "\nexit " << (result).exit_code << "\nstdout:\n" << (result).out        \
                          << "\nstderr:\n" << (result).err);                                          \
    REQUIRE((result).exit_code == (code));                                                           \
    for (const std::string& part : std::vector<std::string>{__VA_ARGS__}) CHECK(contains((result).err, part));              \
  } while (false)

}  // namespace

TEST_CASE("bad inputs: truncated JSON names file, line and column", "[hardening]") {
  TempDir dir("bad-truncated");
  const std::string text = hengelo_text();
  const auto file = (dir / "cut.json").string();
  test::write_file(file, text.substr(0, text.size() / 2));
  const Outcome o = both(dir, file);
  for (const auto* r : {&o.validate, &o.run}) REQUIRE_REJECTED(*r, 2, file, "invalid JSON at line ", ", column ");
  require_no_complete_output(o.out);

  test::write_file(file, "");
  const CliResult empty = test::run_cli({"validate", file});
  REQUIRE_REJECTED(empty, 2, file, "line 1, column 1");
}

TEST_CASE("bad inputs: wrong root type", "[hardening]") {
  TempDir dir("bad-root");
  for (const std::string root : {"[1, 2]", "\"city\"", "42", "null"}) {
    const auto file = (dir / "root.json").string();
    test::write_file(file, root);
    const Outcome o = both(dir, file);
    for (const auto* r : {&o.validate, &o.run}) REQUIRE_REJECTED(*r, 2, file, "top level, expected an object");
    require_no_complete_output(o.out);
  }
}

TEST_CASE("bad inputs: deep nesting is refused without a stack overflow", "[hardening]") {
  TempDir dir("bad-deep");
  // 10,000 and 1,000,000 nested arrays; the latter overflowed the stack when the parsed value
  // was copied, before the depth limit in read_json_file.
  for (std::size_t depth : {std::size_t{10'000}, std::size_t{1'000'000}}) {
    const auto file = (dir / "deep.json").string();
    test::write_file(file, std::string(depth, '[') + std::string(depth, ']'));
    const Outcome o = both(dir, file);
    for (const auto* r : {&o.validate, &o.run}) REQUIRE_REJECTED(*r, 2, file, "nested deeper than", "line 1, column 257");
    require_no_complete_output(o.out);
  }
  // Deep nesting inside a valid object, and through --set.
  const auto file = (dir / "deep-city.json").string();
  test::write_file(file, "{\"city\": " + std::string(100'000, '[') + std::string(100'000, ']') + "}");
  REQUIRE_REJECTED(test::run_cli({"validate", file}), 2, file, "nested deeper than");
  const auto ok = (dir / "ok.json").string();
  test::write_file(ok, city_of({300}).dump());
  REQUIRE_REJECTED(test::run_cli({"validate", ok, "--set", "name=" + std::string(5'000, '[') + std::string(5'000, ']')}),
                   2, "--set name", "nested deeper than");
  // Brackets inside strings do not count.
  auto doc = city_of({300});
  doc["description"] = std::string(1'000, '[');
  test::write_file(ok, doc.dump());
  CHECK(test::run_cli({"validate", ok}).exit_code == 0);
}

TEST_CASE("bad inputs: a byte-order mark is accepted", "[hardening]") {
  TempDir dir("bad-bom");
  const auto file = (dir / "bom.json").string();
  test::write_file(file, "\xEF\xBB\xBF" + city_of({300}).dump(2));
  const CliResult v = test::run_cli({"validate", file});
  INFO(v.err);
  CHECK(v.exit_code == 0);
  const CliResult r = test::run_cli({"run", file, "--out", (dir / "out").string(), "--quiet", "--replicates", "1"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(dir / "out" / "manifest.json"));
}

TEST_CASE("bad inputs: non-UTF-8 bytes in a string", "[hardening]") {
  TempDir dir("bad-utf8");
  const auto file = (dir / "latin1.json").string();
  auto text = city_of({300}).dump(2);
  text.replace(text.find("\"explicit\""), 10, "\"caf\xE9\"");  // Latin-1 e-acute
  test::write_file(file, text);
  const Outcome o = both(dir, file);
  for (const auto* r : {&o.validate, &o.run}) REQUIRE_REJECTED(*r, 2, file, "invalid JSON at line", "UTF-8");
  require_no_complete_output(o.out);
}

TEST_CASE("bad inputs: empty city and zero residents", "[hardening]") {
  TempDir dir("bad-empty-city");
  const auto file = (dir / "city.json").string();
  SECTION("no wijken key") {
    auto doc = city_of({300});
    doc["city"] = json::object();
    test::write_file(file, doc.dump());
    const Outcome o = both(dir, file);
    for (const auto* r : {&o.validate, &o.run}) REQUIRE_REJECTED(*r, 2, file, "city.wijken", "expected");
    require_no_complete_output(o.out);
  }
  SECTION("an empty list of wijken") {
    auto doc = city_of({300});
    doc["city"]["wijken"] = json::array();
    test::write_file(file, doc.dump());
    const Outcome o = both(dir, file);
    for (const auto* r : {&o.validate, &o.run}) REQUIRE_REJECTED(*r, 2, file, "city.wijken", "expected at least one");
    require_no_complete_output(o.out);
  }
  SECTION("every buurt without residents") {
    test::write_file(file, city_of({0, 0}).dump());
    const Outcome o = both(dir, file);
    for (const auto* r : {&o.validate, &o.run}) REQUIRE_REJECTED(*r, 2, file, "city", "no residents aged 15+");
    require_no_complete_output(o.out);
  }
}

TEST_CASE("bad inputs: edge cities that are valid run without NaN", "[hardening]") {
  TempDir dir("edge-cities");
  const auto file = (dir / "city.json").string();
  SECTION("zero-resident buurten next to populated ones") { test::write_file(file, city_of({0, 300, 0}).dump()); }
  SECTION("a single resident") {
    auto doc = city_of({1});
    doc["city"]["wijken"][0]["buurten"][0]["age"] = {{"0-15", 0}, {"15-25", 0}, {"25-45", 1}, {"45-65", 0}, {"65+", 0}};
    test::write_file(file, doc.dump());
  }
  const Outcome o = both(dir, file);
  INFO(o.validate.err << o.run.err);
  REQUIRE(o.validate.exit_code == 0);
  REQUIRE(o.run.exit_code == 0);
  const std::string ts = test::read_file(fs::path(o.out) / "timeseries.csv");
  CHECK_FALSE(contains(ts, "nan"));
  CHECK_FALSE(contains(ts, "inf"));
  const std::string summary = test::read_file(fs::path(o.out) / "summary.json");
  CHECK_FALSE(contains(summary, "null"));  // nlohmann writes NaN and infinity as null
}

TEST_CASE("bad inputs: huge and overflowing numbers", "[hardening]") {
  TempDir dir("bad-huge");
  const auto file = (dir / "huge.json").string();
  struct Case {
    std::string pointer, mentions;
  };
  for (const Case& c : std::vector<Case>{{"/city/wijken/0/buurten/0/deprivation", "deprivation"},
                                         {"/city/wijken/0/buurten/0/residents", "residents"},
                                         {"/building_blocks/trust", "building_blocks.trust"},
                                         {"/simulation/years", "simulation.years"},
                                         {"/network/ties_max", "network.ties_max"}}) {
    auto doc = city_of({300});
    doc[json::json_pointer(c.pointer)] = 1e308;
    test::write_file(file, doc.dump());
    const Outcome o = both(dir, file);
    for (const auto* r : {&o.validate, &o.run}) REQUIRE_REJECTED(*r, 2, file, c.mentions, "expected");
    require_no_complete_output(o.out);
  }
  // 1e999 does not fit a double: the parser throws out_of_range, which used to escape as
  // "error while running" (exit 1) without the file.
  auto text = city_of({300}).dump();
  text.replace(text.find("\"years\":0.5"), 11, "\"years\":1e999");
  test::write_file(file, text);
  const Outcome o = both(dir, file);
  for (const auto* r : {&o.validate, &o.run}) REQUIRE_REJECTED(*r, 2, file, "1e999", "expected a finite number");
  require_no_complete_output(o.out);
  test::write_file(file, city_of({300}).dump());
  REQUIRE_REJECTED(test::run_cli({"validate", file, "--set", "simulation.years=1e999"}), 2, "simulation.years", "expected");
}

TEST_CASE("bad inputs: directories, missing files and unwritable output", "[hardening]") {
  TempDir dir("bad-paths");
  fs::create_directories(dir / "folder.json");
  const Outcome d = both(dir, (dir / "folder.json").string());
  for (const auto* r : {&d.validate, &d.run}) REQUIRE_REJECTED(*r, 2, "folder.json", "is a directory, expected a JSON file");
  require_no_complete_output(d.out);

  const Outcome m = both(dir, (dir / "missing.json").string());
  for (const auto* r : {&m.validate, &m.run}) REQUIRE_REJECTED(*r, 2, "missing.json", "no such file");
  require_no_complete_output(m.out);

  const auto file = (dir / "ok.json").string();
  test::write_file(file, city_of({300}).dump());
  // /proc accepts access(W_OK) for root but no new entries: the temporary folder fails (exit 1).
  const CliResult proc = test::run_cli({"run", file, "--out", "/proc/wijksim-x", "--quiet"});
  INFO(proc.err);
  CHECK((proc.exit_code == 1 || proc.exit_code == 2));
  CHECK(contains(proc.err, "/proc/wijksim-x"));
  CHECK_FALSE(fs::exists("/proc/wijksim-x"));
  REQUIRE_REJECTED(test::run_cli({"run", file, "--out", "/dev/full/x", "--quiet"}), 2, "/dev/full/x", "expected a writable location");
  // --out naming an existing file.
  test::write_file(dir / "plain", "x");
  REQUIRE_REJECTED(test::run_cli({"run", file, "--out", (dir / "plain").string(), "--quiet"}), 2, "expected a folder");
  CHECK(test::read_file(dir / "plain") == "x");
}

TEST_CASE("bad inputs: bad flag values", "[hardening]") {
  TempDir dir("bad-flags");
  const auto file = (dir / "ok.json").string();
  test::write_file(file, city_of({300}).dump());
  const std::string out = (dir / "out").string();
  const std::vector<std::vector<std::string>> cases = {
      {"--threads", "-1"},        {"--threads", "99999999999999999999"}, {"--replicates", "1.5"},
      {"--replicates", ""},       {"--seed", "abc"},                     {"--seed", "99999999999"},
      {"--years", "nan"},         {"--years", "inf"},                    {"--years", "1e999"},
      {"--years", "0"},           {"--detail", ""},                      {"--set", "=1"},
      {"--set", "a..b=1"},        {"--set", "simulation.years=nan"},     {"--set", "simulation.years=\"x\""},
      {"--out"},
  };
  for (const auto& flags : cases) {
    std::vector<std::string> args = {"run", file, "--quiet"};
    if (flags[0] != "--out") args.insert(args.end(), {"--out", out});
    args.insert(args.end(), flags.begin(), flags.end());
    const CliResult r = test::run_cli(args);
    const std::string& flag = flags[0] == "--set" ? flags[1].substr(0, flags[1].find('=')) : flags[0];
    REQUIRE_REJECTED(r, 2, flag.empty() ? std::string("--set") : flag);
    CHECK_FALSE(fs::exists(out));
  }
  // validate takes no run flags.
  REQUIRE_REJECTED(test::run_cli({"validate", file, "--threads", "2"}), 2, "--threads");
}
