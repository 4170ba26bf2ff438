// scenario/load.hpp: strict loading. Every problem names its origin (file or --set), the
// JSON path and what was expected, and all problems of a file come in one InputError.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/scenario/param_table.hpp"

using namespace wijksim;
using nlohmann::json;

namespace {

// Loads and returns the problems; fails the test if loading succeeded.
std::vector<Problem> problems_of(const json& doc, const std::vector<Override>& overrides = {}) {
  try {
    (void)load_scenario_json(doc, "test.json", overrides);
  } catch (const InputError& e) {
    return e.problems();
  }
  FAIL("expected an InputError, but the scenario loaded");
  return {};
}

std::vector<Problem> file_problems(const std::string& file) {
  try {
    (void)load_scenario_file(file);
  } catch (const InputError& e) {
    return e.problems();
  }
  FAIL("expected an InputError, but " << file << " loaded");
  return {};
}

std::string dump(const std::vector<Problem>& ps) {
  std::string s;
  for (const auto& p : ps) s += "  " + p.format() + "\n";
  return s;
}

// The problem at exactly this path, or nullptr.
const Problem* at_path(const std::vector<Problem>& ps, const std::string& path) {
  for (const auto& p : ps)
    if (p.path == path) return &p;
  return nullptr;
}

using wijksim::test::contains;

// Two wijken, three buurten: codes WK1 (BU11, BU12), WK2 (BU21).
json base() { return test::explicit_scenario({{{500, 0.4}, {600, 0.6}}, {{700, 0.3}}}, 1.0, 0.25); }

}  // namespace

TEST_CASE("valid scenarios load", "[load]") {
  SECTION("an explicit city") {
    const ScenarioSpec s = test::load(base());
    REQUIRE(s.city.wijken.size() == 2);
    CHECK(s.city.wijken[0].buurten.size() == 2);
    CHECK(s.city.wijken[0].buurten[1].residents == 600);
    CHECK(s.city.wijken[0].buurten[1].deprivation == 0.6);
    CHECK(s.hash.size() == 16);
    CHECK(s.params.simulation.years == Approx(52.0));
  }
  SECTION("a generated city") {
    const ScenarioSpec s = test::load(test::small_generated_scenario());
    REQUIRE(s.city.wijken.size() == 2);
    for (const auto& w : s.city.wijken) {
      CHECK(w.buurten.size() >= 2);
      CHECK(w.buurten.size() <= 3);
      for (const auto& b : w.buurten) {
        CHECK(b.residents >= 100);
        CHECK(b.residents <= 1000);
        CHECK(b.adults() > 0);
      }
    }
    // The generated city depends on its own seed only.
    CHECK(test::load(test::small_generated_scenario()).hash == s.hash);
  }
  SECTION("the main scenario, hengelo-noord") {
    const ScenarioSpec s = load_scenario_file((test::source_dir() / "scenarios" / "hengelo-noord.json").string());
    CHECK(s.name == "hengelo-noord");
    REQUIRE(s.city.wijken.size() == 1);
    CHECK(s.city.wijken[0].buurten.size() == 5);
    REQUIRE(s.programme_start_buurten.size() == 1);
    CHECK(s.programme_start_buurten[0] == "BU01640202");
    CHECK(s.phases.size() == 3);  // Hengelo's own plan
  }
  SECTION("age groups that differ from residents by CBS rounding are accepted") {
    auto doc = base();
    doc["city"]["wijken"][0]["buurten"][0]["age"]["65+"] = doc["city"]["wijken"][0]["buurten"][0]["age"]["65+"].get<int>() + 10;
    CHECK_NOTHROW(test::load(doc));
  }
}

TEST_CASE("the scenario hash follows the resolved values", "[load]") {
  const std::string h = test::load(base()).hash;
  CHECK(test::load(base()).hash == h);
  CHECK(test::load(base(), {Override{"building_blocks.trust", "0.3"}}).hash != h);
  // Writing a default explicitly resolves to the same scenario.
  auto doc = base();
  doc["building_blocks"] = {{"trust", find_param("building_blocks.trust")->default_value}};
  CHECK(test::load(doc).hash == h);
}

TEST_CASE("an unknown key names file and path and the nearest key", "[load]") {
  SECTION("top level") {
    auto doc = base();
    doc["buildng_blocks"] = {{"trust", 0.5}};
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].file == "test.json");
    CHECK(ps[0].path == "buildng_blocks");
    CHECK(contains(ps[0].message, "unknown key"));
    CHECK(contains(ps[0].message, "did you mean \"building_blocks\""));
    CHECK(contains(ps[0].format(), "test.json"));
    CHECK(contains(ps[0].format(), "buildng_blocks"));
  }
  SECTION("nested in a parameter section") {
    auto doc = base();
    doc["building_blocks"] = {{"trsut", 0.5}};
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].path == "building_blocks.trsut");
    CHECK(contains(ps[0].message, "did you mean \"trust\""));
  }
  SECTION("inside a buurt") {
    auto doc = base();
    doc["city"]["wijken"][1]["buurten"][0]["deprivaton"] = 0.5;
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].path == "city.wijken[1].buurten[0].deprivaton");
    CHECK(contains(ps[0].message, "did you mean \"deprivation\""));
  }
  SECTION("nothing close: the allowed keys are listed") {
    auto doc = base();
    doc["network"] = {{"zzzzzzzzzzzz", 1}};
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].path == "network.zzzzzzzzzzzz");
    CHECK_FALSE(contains(ps[0].message, "did you mean"));
    CHECK(contains(ps[0].message, "ties_min"));
  }
}

TEST_CASE("wrong types are reported with what was expected", "[load]") {
  auto doc = base();
  doc["building_blocks"] = {{"trust", "high"}, {"vision", true}};
  doc["programme"] = {{"enabled", 1}, {"plan", "hengel"}};
  doc["simulation"]["replicates"] = 2.5;
  doc["city"]["wijken"][0]["buurten"][0]["code"] = 12;
  const auto ps = problems_of(doc);
  INFO(dump(ps));
  REQUIRE(at_path(ps, "building_blocks.trust"));
  CHECK(contains(at_path(ps, "building_blocks.trust")->message, "found \"high\""));
  CHECK(contains(at_path(ps, "building_blocks.trust")->message, "expected a number in [0, 1]"));
  REQUIRE(at_path(ps, "building_blocks.vision"));
  CHECK(contains(at_path(ps, "building_blocks.vision")->message, "expected a number"));
  REQUIRE(at_path(ps, "programme.enabled"));
  CHECK(contains(at_path(ps, "programme.enabled")->message, "expected true or false"));
  REQUIRE(at_path(ps, "programme.plan"));
  CHECK(contains(at_path(ps, "programme.plan")->message, "did you mean \"hengelo\""));
  REQUIRE(at_path(ps, "simulation.replicates"));
  CHECK(contains(at_path(ps, "simulation.replicates")->message, "expected an integer"));
  REQUIRE(at_path(ps, "city.wijken[0].buurten[0].code"));
  CHECK(contains(at_path(ps, "city.wijken[0].buurten[0].code")->message, "expected a string"));
}

TEST_CASE("out-of-range values are reported with the valid range", "[load]") {
  auto doc = base();
  doc["building_blocks"] = {{"trust", 1.5}};
  doc["staff"] = {{"turnover", -0.1}};
  doc["city"]["wijken"][0]["buurten"][1]["deprivation"] = 1.2;
  const auto ps = problems_of(doc);
  INFO(dump(ps));
  REQUIRE(ps.size() == 3);
  REQUIRE(at_path(ps, "building_blocks.trust"));
  CHECK(contains(at_path(ps, "building_blocks.trust")->message, "found 1.5"));
  CHECK(contains(at_path(ps, "building_blocks.trust")->message, "[0, 1]"));
  REQUIRE(at_path(ps, "staff.turnover"));
  CHECK(contains(at_path(ps, "staff.turnover")->message, "per year"));  // the unit is named
  REQUIRE(at_path(ps, "city.wijken[0].buurten[1].deprivation"));
}

TEST_CASE("several problems are reported at once in one InputError", "[load]") {
  auto doc = base();
  doc["buildng_blocks"] = json::object();
  doc["network"] = {{"cross_buurt", 2}};
  doc["city"]["wijken"][1]["buurten"][0].erase("residents");
  doc["city"]["wijken"][1]["buurten"][0].erase("age");
  doc["output"] = {{"detail", "street"}};
  try {
    (void)test::load(doc);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    const auto& ps = e.problems();
    INFO(dump(ps));
    CHECK(ps.size() == 4);
    CHECK(at_path(ps, "buildng_blocks"));
    CHECK(at_path(ps, "network.cross_buurt"));
    CHECK(at_path(ps, "city.wijken[1].buurten[0].residents"));
    CHECK(at_path(ps, "output.detail"));
    // what() lists every problem, one per line.
    const std::string what = e.what();
    CHECK(std::count(what.begin(), what.end(), '\n') == static_cast<long>(ps.size()) - 1);
  }
}

TEST_CASE("contradictions between values valid alone are reported", "[load]") {
  SECTION("ties_min > ties_max") {
    auto doc = base();
    doc["network"] = {{"ties_min", 12}, {"ties_max", 6}};
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].path == "network.ties_min");
    CHECK(contains(ps[0].message, "exceeds ties_max"));
  }
  SECTION("unknown programme.start_buurten") {
    auto doc = base();
    doc["programme"] = json::parse(R"({"start_buurten": ["BU12", "BU13"]})");
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].path == "programme.start_buurten[1]");
    CHECK(contains(ps[0].message, "unknown buurt \"BU13\""));
    CHECK(contains(ps[0].message, "did you mean"));
  }
  SECTION("unknown programme.wijken") {
    auto doc = base();
    doc["programme"] = json::parse(R"({"wijken": ["WK9"]})");
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].path == "programme.wijken[0]");
  }
  SECTION("rollout without start buurten") {
    auto doc = base();
    doc["programme"] = {{"rollout_after", 2}};
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(at_path(ps, "programme.rollout_after"));
  }
  SECTION("theme shares above one") {
    auto doc = base();
    doc["initiatives"] = {{"theme_physical", 0.7}, {"theme_social", 0.5}};
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(at_path(ps, "initiatives.theme_social"));
  }
  SECTION("duplicate codes") {
    auto doc = base();
    doc["city"]["wijken"][1]["buurten"][0]["code"] = "BU11";
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].path == "city.wijken[1].buurten[0].code");
    CHECK(contains(ps[0].message, "duplicate"));
  }
  SECTION("phase min_weeks above max_weeks") {
    auto doc = base();
    doc["programme"] = json::parse(R"({"phases": [{"kind": "uitnodigen", "min_weeks": 20, "max_weeks": 10}, {"kind": "uitvoeren"}]})");
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(at_path(ps, "programme.phases[0].min_weeks"));
  }
}

TEST_CASE("set overrides are applied and validated", "[load][override]") {
  SECTION("applied") {
    const ScenarioSpec s = test::load(base(), {Override{"building_blocks.trust", "0.3"},
                                               Override{"programme.plan", "hengelo"},
                                               Override{"city.wijken.0.buurten.1.deprivation", "0.9"},
                                               Override{"network.cross_buurt", "0"}});
    CHECK(s.params.building_blocks.trust == 0.3);
    CHECK(s.params.programme.plan == static_cast<int>(PlanPreset::hengelo));  // a bare word is a string
    CHECK(s.city.wijken[0].buurten[1].deprivation == 0.9);
    CHECK(s.params.network.cross_buurt == 0.0);
    // The last override of a path wins.
    const ScenarioSpec t = test::load(base(), {Override{"building_blocks.trust", "0.3"}, Override{"building_blocks.trust", "0.7"}});
    CHECK(t.params.building_blocks.trust == 0.7);
  }
  SECTION("an out-of-range value names --set as its origin") {
    const auto ps = problems_of(base(), {Override{"building_blocks.trust", "2"}});
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].path == "building_blocks.trust");
    CHECK(ps[0].file.rfind("--set", 0) == 0);
    CHECK(contains(ps[0].format(), "--set"));
    CHECK(contains(ps[0].message, "[0, 1]"));
  }
  SECTION("an unknown key through --set") {
    const auto ps = problems_of(base(), {Override{"building_blocks.trsut", "0.3"}});
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].file.rfind("--set", 0) == 0);
    CHECK(ps[0].path == "building_blocks.trsut");
    CHECK(contains(ps[0].message, "did you mean \"trust\""));
  }
  SECTION("a wrong type through --set") {
    const auto ps = problems_of(base(), {Override{"building_blocks.trust", "abc"}});
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].file.rfind("--set", 0) == 0);
    CHECK(contains(ps[0].message, "found \"abc\""));
  }
  SECTION("a contradiction created by --set names --set, problems in the file name the file") {
    auto doc = base();
    doc["building_blocks"] = {{"trust", 7}};
    const auto ps = problems_of(doc, {Override{"network.ties_min", "40"}});
    INFO(dump(ps));
    REQUIRE(ps.size() == 2);
    REQUIRE(at_path(ps, "network.ties_min"));
    CHECK(at_path(ps, "network.ties_min")->file.rfind("--set", 0) == 0);
    REQUIRE(at_path(ps, "building_blocks.trust"));
    CHECK(at_path(ps, "building_blocks.trust")->file == "test.json");
  }
  SECTION("an array index out of range") {
    const auto ps = problems_of(base(), {Override{"city.wijken.5.buurten.0.deprivation", "0.5"}});
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].file.rfind("--set", 0) == 0);
    CHECK(contains(ps[0].message, "index below 2"));
  }
  SECTION("an array index into explicit phases") {
    auto doc = base();
    doc["programme"] = json::parse(R"({"phases": [{"kind": "uitnodigen"}, {"kind": "uitvoeren"}]})");
    const ScenarioSpec s = test::load(doc, {Override{"programme.phases.0.max_weeks", "30"}});
    REQUIRE(s.phases.size() == 2);
    CHECK(s.phases[0].max_weeks == 30);
  }
  SECTION("parse_override") {
    const Override o = parse_override("building_blocks.trust=0.3");
    CHECK(o.path == "building_blocks.trust");
    CHECK(o.value == "0.3");
    CHECK(o.text() == "building_blocks.trust=0.3");
    CHECK(parse_override("a=b=c").value == "b=c");
    CHECK_THROWS_AS(parse_override("building_blocks.trust"), InputError);
    CHECK_THROWS_AS(parse_override("=0.3"), InputError);
  }
}

TEST_CASE("an override into the phases of a preset plan is applied or blamed on --set", "[load][override]") {
  // load.hpp documents override paths with array indices using this very example:
  // programme.phases.1.max_weeks. hengelo-noord writes no phases (it uses the preset plan
  // "hengelo"), so the override either changes the preset's second phase or is reported as
  // a problem of the --set argument; the scenario file is not at fault either way.
  const std::string file = (test::source_dir() / "scenarios" / "hengelo-noord.json").string();
  try {
    const ScenarioSpec s = load_scenario_file(file, {Override{"programme.phases.1.max_weeks", "30"}});
    REQUIRE(s.phases.size() == 3);
    CHECK(s.phases[1].max_weeks == 30);
    CHECK(s.phases[0].name == "initieren");
  } catch (const InputError& e) {
    INFO(dump(e.problems()));
    for (const auto& p : e.problems()) CHECK(p.file.rfind("--set", 0) == 0);
  }
}

TEST_CASE("scenario files: BOM and malformed JSON and missing files", "[load][file]") {
  test::TempDir dir("load");
  const std::string text = base().dump(2);
  SECTION("a UTF-8 byte-order mark is accepted") {
    test::write_file(dir / "bom.json", "\xEF\xBB\xBF" + text);
    const ScenarioSpec s = load_scenario_file((dir / "bom.json").string());
    CHECK(s.city.wijken.size() == 2);
    test::write_file(dir / "plain.json", text);
    CHECK(load_scenario_file((dir / "plain.json").string()).hash == s.hash);
  }
  SECTION("malformed JSON reports line and column") {
    // Line 3 has a value missing: the parser stops at the ',' in column 13.
    const std::string bad = "{\n  \"city\": {\n    \"code\": ,\n    \"wijken\": []\n  }\n}\n";
    test::write_file(dir / "bad.json", bad);
    const auto ps = file_problems((dir / "bad.json").string());
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].file == (dir / "bad.json").string());
    CHECK(contains(ps[0].message, "invalid JSON at line 3, column 13"));
  }
  SECTION("malformed JSON after a BOM reports the same position") {
    // The ',' after "x" is missing: the parser stops in the string "city" on line 3, columns 3-8
    // (it reports where it stopped reading: the end of the unexpected token).
    const std::string bad = "\xEF\xBB\xBF{\n  \"name\": \"x\"\n  \"city\": {}\n}\n";
    test::write_file(dir / "bad-bom.json", bad);
    const auto ps = file_problems((dir / "bad-bom.json").string());
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    const std::string prefix = "invalid JSON at line 3, column ";
    const auto at = ps[0].message.find(prefix);
    REQUIRE(at != std::string::npos);
    const int column = std::stoi(ps[0].message.substr(at + prefix.size()));
    CHECK(column >= 3);
    CHECK(column <= 8);  // the BOM's three bytes are not counted
  }
  SECTION("a missing file and a folder") {
    const auto missing = file_problems((dir / "nope.json").string());
    REQUIRE(missing.size() == 1);
    CHECK(contains(missing[0].message, "no such file"));
    const auto folder = file_problems(dir.path().string());
    REQUIRE(folder.size() == 1);
    CHECK(contains(folder[0].message, "directory"));
  }
  SECTION("the scenario name defaults to the file name") {
    auto doc = base();
    doc.erase("name");
    test::write_file(dir / "my-city.json", doc.dump());
    CHECK(load_scenario_file((dir / "my-city.json").string()).name == "my-city");
  }
}

TEST_CASE("the city must be present and consistent", "[load][city]") {
  SECTION("missing city") {
    const auto ps = problems_of(json{{"name", "x"}});
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].path == "city");
    CHECK(contains(ps[0].message, "missing"));
  }
  SECTION("not an object at the top level") {
    const auto ps = problems_of(json::array());
    REQUIRE(ps.size() == 1);
    CHECK(contains(ps[0].message, "expected an object"));
  }
  SECTION("age groups inconsistent with residents") {
    auto doc = base();
    doc["city"]["wijken"][0]["buurten"][1]["age"] = test::age_groups(1200);  // residents: 600
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].path == "city.wijken[0].buurten[1].age");
    CHECK(contains(ps[0].message, "add up to 1200"));
    CHECK(contains(ps[0].message, "600"));
  }
  SECTION("an age group missing") {
    auto doc = base();
    doc["city"]["wijken"][0]["buurten"][0]["age"].erase("65+");
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(at_path(ps, "city.wijken[0].buurten[0].age.65+"));
  }
  SECTION("residents only: age groups from national shares add up") {
    auto doc = base();
    doc["city"]["wijken"][0]["buurten"][0].erase("age");
    const ScenarioSpec s = test::load(doc);
    const auto& b = s.city.wijken[0].buurten[0];
    int sum = 0;
    for (int a : b.age) sum += a;
    CHECK(sum == 500);
    CHECK(b.adults() > 350);
  }
  SECTION("no residents aged 15+ anywhere") {
    const json doc = json::parse(R"({"city": {"wijken": [{"code": "W", "buurten": [{"code": "B", "residents": 0}]}]}})");
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(at_path(ps, "city"));
  }
  SECTION("both wijken and generate") {
    auto doc = base();
    doc["city"]["generate"] = {{"wijken", 2}};
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(at_path(ps, "city"));
    CHECK(contains(at_path(ps, "city")->message, "both"));
  }
  SECTION("a wijk without buurten") {
    auto doc = base();
    doc["city"]["wijken"][1]["buurten"] = json::array();
    const auto ps = problems_of(doc);
    INFO(dump(ps));
    REQUIRE(at_path(ps, "city.wijken[1].buurten"));
  }
}

TEST_CASE("nearest suggests only close candidates", "[load]") {
  CHECK(nearest("trsut", {"vision", "trust", "urgency"}) == "trust");
  CHECK(nearest("Trust", {"vision", "trust"}) == "trust");  // case-insensitive
  CHECK(nearest("buildng_blocks", {"building_blocks", "budget"}) == "building_blocks");
  CHECK(nearest("zzzzzzzz", {"trust", "vision"}).empty());
  CHECK(nearest("x", {}).empty());
}
