// scenario/param_table.hpp: the one place parameters are declared. Checks the table's own
// consistency (defaults in range, unique paths, one accessor per entry, no two entries
// writing the same field), the unit conversion (once, at the boundary), and the rendered
// markdown and JSON.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "test_support.hpp"
#include "wijksim/scenario/param_table.hpp"

using namespace wijksim;

namespace {

// Tolerance for a value that went through to_internal and back: 1e-9, relative above 1.
double round_trip_tolerance(double v) { return 1e-9 * std::max(1.0, std::fabs(v)); }

std::string kind_name(ParamKind k) {
  switch (k) {
    case ParamKind::real: return "real";
    case ParamKind::integer: return "integer";
    case ParamKind::boolean: return "boolean";
    case ParamKind::choice: return "choice";
  }
  return "?";
}

}  // namespace

TEST_CASE("the parameter table is not empty and covers every section", "[param_table]") {
  const auto& t = param_table();
  REQUIRE(t.size() > 100);
  std::set<std::string> sections;
  for (const auto& d : t) sections.insert(d.path.substr(0, d.path.find('.')));
  for (const char* s : {"building_blocks", "programme", "governance", "styles", "classes", "staff", "residents",
                        "participation", "outreach", "vision", "initiatives", "budget", "incidents", "safety", "trust",
                        "network", "urgency", "simulation", "output"})
    CHECK(sections.count(s) == 1);
  // The seven building blocks are the scenario's public levers.
  for (const char* b : {"vision", "anchoring", "urgency", "process_leadership", "long_breath", "trust", "resources"})
    CHECK(find_param(std::string("building_blocks.") + b) != nullptr);
}

TEST_CASE("every entry's default lies in its range and the entry is well formed", "[param_table]") {
  for (const auto& d : param_table()) {
    INFO(d.path << " (" << kind_name(d.kind) << ")");
    CHECK_FALSE(d.path.empty());
    CHECK_FALSE(d.meaning.empty());
    CHECK_FALSE(d.source.empty());
    CHECK(std::isfinite(d.default_value));
    switch (d.kind) {
      case ParamKind::real:
        CHECK(d.real != nullptr);
        CHECK(d.integer == nullptr);
        CHECK(d.boolean == nullptr);
        CHECK(d.min <= d.max);
        CHECK(d.default_value >= d.min);
        CHECK(d.default_value <= d.max);
        break;
      case ParamKind::integer:
        CHECK(d.integer != nullptr);
        CHECK(d.min <= d.max);
        CHECK(d.default_value >= d.min);
        CHECK(d.default_value <= d.max);
        CHECK(d.default_value == std::floor(d.default_value));
        break;
      case ParamKind::boolean:
        CHECK(d.boolean != nullptr);
        CHECK((d.default_value == 0 || d.default_value == 1));
        break;
      case ParamKind::choice:
        CHECK(d.integer != nullptr);
        REQUIRE_FALSE(d.choices.empty());
        CHECK(d.default_value >= 0);
        CHECK(d.default_value < static_cast<double>(d.choices.size()));
        CHECK(d.default_value == std::floor(d.default_value));
        CHECK(std::set<std::string>(d.choices.begin(), d.choices.end()).size() == d.choices.size());
        break;
    }
  }
}

TEST_CASE("parameter paths are unique and none is a prefix section of another", "[param_table]") {
  std::set<std::string> paths;
  for (const auto& d : param_table()) {
    INFO(d.path);
    CHECK(paths.insert(d.path).second);
  }
  // A leaf cannot also be a section ("a.b" and "a.b.c" cannot both be parameters).
  for (const auto& p : paths) {
    INFO(p);
    const auto it = paths.lower_bound(p + ".");
    CHECK((it == paths.end() || it->rfind(p + ".", 0) != 0));
  }
  CHECK(find_param("building_blocks.trust") != nullptr);
  CHECK(find_param("building_blocks.trust")->path == "building_blocks.trust");
  CHECK(find_param("building_blocks.trsut") == nullptr);
  CHECK(find_param("building_blocks") == nullptr);
}

TEST_CASE("defaults round-trip through assign and read in user units", "[param_table]") {
  const Params defaults = default_params();
  for (const auto& d : param_table()) {
    INFO(d.path);
    // default_params() holds every default, read back in the user's unit.
    CHECK(d.read(defaults) == Approx(d.default_value).margin(round_trip_tolerance(d.default_value)));
    Params p;
    d.assign(p, d.default_value);
    CHECK(d.read(p) == Approx(d.default_value).margin(round_trip_tolerance(d.default_value)));
    if (d.kind == ParamKind::real) {
      // The ends of the range and a point inside survive the conversion too (a per-year
      // probability of 1 has no weekly equivalent below 1, so stop just short of it).
      const double hi = d.unit == Unit::per_year && d.max >= 1 ? 0.99 : d.max;
      for (double v : {d.min, 0.5 * (d.min + hi), hi}) {
        Params q;
        d.assign(q, v);
        CHECK(d.read(q) == Approx(v).margin(round_trip_tolerance(v)));
      }
    }
  }
}

TEST_CASE("no two entries write the same field", "[param_table]") {
  // Assign an unusual value to one entry and check every other entry still reads its default:
  // catches copy-paste slips where two paths point at one field.
  const auto& t = param_table();
  for (const auto& d : t) {
    Params p = default_params();
    double v = 0;
    switch (d.kind) {
      case ParamKind::real: v = d.default_value == d.min ? d.max : d.min; break;
      case ParamKind::integer: v = d.default_value == d.min ? d.max : d.min; break;
      case ParamKind::boolean: v = d.default_value != 0 ? 0 : 1; break;
      case ParamKind::choice: v = d.default_value == 0 ? static_cast<double>(d.choices.size() - 1) : 0; break;
    }
    if (v == d.default_value) continue;  // a one-value range cannot be varied
    d.assign(p, v);
    for (const auto& other : t) {
      if (&other == &d) continue;
      INFO("writing " << d.path << " changed " << other.path);
      REQUIRE(other.read(p) == Approx(other.default_value).margin(round_trip_tolerance(other.default_value)));
    }
  }
}

TEST_CASE("units are converted to the weekly step once", "[param_table][units]") {
  const Params p = default_params();
  SECTION("an annual probability becomes a weekly probability") {
    // staff.turnover 0.15 per year: staying a whole year has probability (1 - w)^52 = 0.85.
    REQUIRE(find_param("staff.turnover")->default_value == 0.15);
    const double w = p.staff.turnover;
    CHECK(std::pow(1.0 - w, 52.0) == Approx(0.85).margin(1e-12));
    CHECK(w == Approx(1.0 - std::pow(0.85, 1.0 / 52.0)).epsilon(1e-12));  // 0.003120
    // Not left annual, and not converted twice (that would give about 6e-5).
    CHECK(w != 0.15);
    CHECK(w > 0.003);
  }
  SECTION("years become weeks") {
    CHECK(p.building_blocks.long_breath == Approx(find_param("building_blocks.long_breath")->default_value * 52));
    CHECK(p.simulation.years == Approx(find_param("simulation.years")->default_value * 52));
    CHECK(p.governance.election_interval == Approx(4 * 52.0));
  }
  SECTION("annual rates become weekly rates") {
    CHECK(p.incidents.base_rate == Approx(find_param("incidents.base_rate")->default_value / 1000.0 / 52.0));
    CHECK(p.budget.wijk_budget == Approx(find_param("budget.wijk_budget")->default_value / 52.0));
  }
  SECTION("weekly and dimensionless values are stored as given") {
    CHECK(p.staff.vacancy_weeks == find_param("staff.vacancy_weeks")->default_value);
    CHECK(p.safety.fear_rise == find_param("safety.fear_rise")->default_value);
    CHECK(p.staff.hours_per_fte == find_param("staff.hours_per_fte")->default_value);
  }
  SECTION("loading a scenario converts once, not again") {
    // A scenario that writes the default explicitly gets exactly the default's internal value,
    // and the resolved scenario (manifest) shows it in the user's unit.
    auto doc = test::small_generated_scenario();
    doc["staff"] = {{"turnover", 0.15}};
    doc["building_blocks"] = {{"long_breath", 8}};
    const ScenarioSpec s = test::load(doc);
    CHECK(s.params.staff.turnover == p.staff.turnover);
    CHECK(s.params.building_blocks.long_breath == Approx(8 * 52.0));
    CHECK(s.resolved["staff"]["turnover"].get<double>() == Approx(0.15).margin(1e-12));
    CHECK(s.resolved["building_blocks"]["long_breath"].get<double>() == Approx(8.0).margin(1e-12));
    // The same through --set.
    const ScenarioSpec o = test::load(test::small_generated_scenario(), {Override{"staff.turnover", "0.25"}});
    CHECK(std::pow(1.0 - o.params.staff.turnover, 52.0) == Approx(0.75).margin(1e-12));
    CHECK(o.resolved["staff"]["turnover"].get<double>() == Approx(0.25).margin(1e-12));
  }
}

TEST_CASE("the markdown table has one row per entry", "[param_table]") {
  const std::string md = param_table_markdown();
  std::istringstream in(md);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  const auto& t = param_table();
  REQUIRE(lines.size() == t.size() + 2);  // header and separator
  CHECK(lines[0].rfind("| name |", 0) == 0);
  CHECK(lines[1].rfind("|---|", 0) == 0);
  const auto columns = std::count(lines[0].begin(), lines[0].end(), '|');
  for (std::size_t i = 0; i < t.size(); ++i) {
    INFO(lines[i + 2]);
    CHECK(lines[i + 2].rfind("| `" + t[i].path + "` |", 0) == 0);
    // Meanings must not break the table with a stray '|'.
    CHECK(std::count(lines[i + 2].begin(), lines[i + 2].end(), '|') == columns);
  }
}

TEST_CASE("the JSON table has one entry per parameter with its default", "[param_table]") {
  const auto j = nlohmann::json::parse(param_table_json());
  const auto& t = param_table();
  REQUIRE(j.is_array());
  REQUIRE(j.size() == t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    INFO(t[i].path);
    CHECK(j[i]["name"] == t[i].path);
    CHECK(j[i].contains("meaning"));
    CHECK(j[i].contains("unit"));
    CHECK(j[i].contains("source"));
    switch (t[i].kind) {
      case ParamKind::real:
        CHECK(j[i]["type"] == "number");
        CHECK(j[i]["default"].get<double>() == t[i].default_value);
        CHECK(j[i]["range"][0].get<double>() == t[i].min);
        CHECK(j[i]["range"][1].get<double>() == t[i].max);
        break;
      case ParamKind::integer: CHECK(j[i]["type"] == "integer"); break;
      case ParamKind::boolean: CHECK(j[i]["default"].is_boolean()); break;
      case ParamKind::choice:
        CHECK(j[i]["default"] == t[i].choices[static_cast<std::size_t>(t[i].default_value)]);
        CHECK(j[i]["choices"].size() == t[i].choices.size());
        break;
    }
  }
}

TEST_CASE("every row declares a stage and a prior inside its range", "[param_table][prior]") {
  for (const auto& d : param_table()) {
    INFO(d.path << ": " << d.prior.describe());
    CHECK_FALSE(d.prior.basis.empty());
    CHECK(d.prior.relative == 0);  // resolved when the table is built
    CHECK(d.prior.factor == 0);
    if (d.kind == ParamKind::boolean || d.kind == ParamKind::choice) {
      CHECK(d.prior.is_fixed());  // switches and choices are not drawn
      continue;
    }
    if (d.prior.is_fixed()) {
      CHECK(d.prior.basis.rfind("fixed", 0) == 0);
      continue;
    }
    // A basis is a source or an assumption that says what it assumes, not a bare label.
    CHECK(d.prior.basis.size() > 20);
    CHECK(d.min <= d.prior.lo);
    CHECK(d.prior.lo < d.prior.hi);
    CHECK(d.prior.hi <= d.max);
    CHECK(d.prior.lo <= d.default_value);  // the default is a plausible value
    CHECK(d.default_value <= d.prior.hi);
    if (d.prior.kind == PriorKind::log_uniform) CHECK(d.prior.lo > 0);
    // The quantile function maps (0, 1) onto the bounds, monotonically.
    double last = d.prior.lo;
    for (double u : {0.001, 0.1, 0.5, 0.9, 0.999}) {
      const double v = d.prior.quantile(u);
      CHECK(v >= last);
      CHECK(v <= d.prior.hi);
      last = v;
    }
  }
}

TEST_CASE("prior quantiles follow their distribution", "[param_table][prior]") {
  Prior u{PriorKind::uniform, 0, 0, 2, 4, "t"};
  CHECK(u.quantile(0.25) == Approx(2.5));
  Prior l{PriorKind::log_uniform, 0, 0, 1, 100, "t"};
  CHECK(l.quantile(0.5) == Approx(10));
  Prior n{PriorKind::normal, 0, 1, -10, 10, "t"};
  CHECK(n.quantile(0.975) == Approx(1.959964).epsilon(1e-5));
  Prior tn{PriorKind::normal, 0, 1, 0, 10, "t"};  // half-normal: median 0.674
  CHECK(tn.quantile(0.5) == Approx(0.6744898).epsilon(1e-5));
  Prior b{PriorKind::beta, 2, 2, 0, 10, "t"};
  CHECK(b.quantile(0.5) == Approx(5));
}

TEST_CASE("stages: burn-in branching may vary exactly the programme rows", "[param_table][stage]") {
  for (const auto& d : param_table()) CHECK(acts_only_after_start(d) == (d.stage == ParamStage::programme));
  CHECK(find_param("building_blocks.long_breath")->stage == ParamStage::programme);
  CHECK(find_param("building_blocks.trust")->stage == ParamStage::build);
  CHECK(find_param("safety.fear_rise")->stage == ParamStage::burn_in);
}
