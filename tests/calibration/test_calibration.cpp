// wijksim calibrate: recovery of known parameters, deterministic output, and bad calibration
// files (exit 2, every problem with file and JSON path).
#include <catch2/catch.hpp>

#include <cmath>

#include "test_support.hpp"
#include "wijksim/calibration/calibration.hpp"
#include "wijksim/core/error.hpp"

using nlohmann::json;
using wijksim::test::CliResult;
using wijksim::test::contains;
using wijksim::test::TempDir;
namespace test = wijksim::test;
namespace cal = wijksim::calibration;

namespace {

// Three buurten (well-off 0.1, middle 0.4, deprived 0.8), about 1,800 residents, half a year of
// burn-in and one simulated year: cheap enough for a hundred evaluations.
json tiny_city() { return test::explicit_scenario({{{600, 0.1}, {600, 0.4}}, {{600, 0.8}}}, 1.0, 0.5); }

json tiny_calibration(const json& targets, const json& parameters) {
  return json{{"scenario", "city.json"}, {"replicates", 4}, {"seed", 3}, {"average_weeks", 26},
              {"parameters", parameters}, {"targets", targets},
              {"optimiser", {{"max_evaluations", 120}, {"restarts", 1}, {"xtol", 0.002}, {"ftol", 0.001}}}};
}

}  // namespace

TEST_CASE("calibration recovers parameters from targets the model generated itself", "[calibration]") {
  // Truth: safety.base 0.72, safety.deprivation_bias 0.3. Targets are the model's own values at
  // the truth (same seed and replicates), tolerance 0.005 each; the search starts at 0.82 and
  // 0.1. Tolerance: each recovered value within 0.02 of the truth (7% of safety.base's range
  // 0.6-0.9, 4% of deprivation_bias's 0-0.5), all targets within tolerance at the optimum.
  TempDir dir("calib-recovery");
  test::write_file(dir / "city.json", tiny_city().dump(2));
  const json parameters = {{"safety.base", {{"range", {0.6, 0.9}}, {"start", 0.82}}},
                           {"safety.deprivation_bias", {{"range", {0.0, 0.5}}, {"start", 0.1}}}};
  json targets = json::array();
  for (const auto& [name, group] : std::vector<std::pair<std::string, std::string>>{{"unsafe", "all"}, {"unsafe_deprived", "deprived"}, {"unsafe_well_off", "well_off"}})
    targets.push_back({{"name", name}, {"metric", "unsafe_share"}, {"group", group}, {"value", 0.5}, {"tolerance", 0.005}});
  json doc = tiny_calibration(targets, parameters);
  const auto file = (dir / "calibration.json").string();
  const cal::Calibration probe = cal::load_calibration_json(doc, file);
  const cal::Evaluation truth = cal::evaluate(probe, {0.72, 0.3}, 2);
  for (std::size_t i = 0; i < truth.values.size(); ++i) doc["targets"][i]["value"] = truth.values[i];
  INFO("targets at the truth: " << truth.values[0] << ", " << truth.values[1] << ", " << truth.values[2]);
  const cal::Calibration c = cal::load_calibration_json(doc, file);
  cal::RunOptions opt;
  opt.threads = 2;
  const cal::Result r = cal::calibrate(c, opt);
  const auto& best = r.trace[r.best];
  INFO("recovered " << best.x[0] << ", " << best.x[1] << " objective " << best.objective << " after " << r.trace.size()
                    << " points; se " << r.parameters[0].se << ", " << r.parameters[1].se);
  CHECK(std::fabs(best.x[0] - 0.72) < 0.02);
  CHECK(std::fabs(best.x[1] - 0.3) < 0.02);
  for (std::size_t i = 0; i < c.targets.size(); ++i) CHECK(std::fabs(best.values[i] - c.targets[i].value) <= c.targets[i].tolerance);
  // Three targets, two parameters with distinct effects (level vs. gap): both identified.
  CHECK(r.parameters[0].verdict != "not identified");
  CHECK(r.parameters[1].verdict != "not identified");
  CHECK(std::isfinite(r.condition_number));
}

TEST_CASE("calibration identifiability flags a parameter that no target depends on", "[calibration]") {
  // staff.leader_hours acts only through a programme, and the calibration runs the
  // no-programme baseline: its Jacobian column is zero, so it must be "not identified", while
  // safety.base (which moves the unsafe share directly) is identified. Start point only.
  TempDir dir("calib-ident");
  test::write_file(dir / "city.json", tiny_city().dump(2));
  const json parameters = {{"safety.base", {{"range", {0.6, 0.9}}}}, {"staff.leader_hours", {{"range", {0, 40}}}}};
  const json targets = json::array({{{"name", "unsafe"}, {"metric", "unsafe_share"}, {"value", 0.15}, {"tolerance", 0.01}},
                                    {{"name", "active"}, {"metric", "active_share"}, {"value", 0.07}, {"tolerance", 0.01}}});
  json doc = tiny_calibration(targets, parameters);
  doc["optimiser"]["max_evaluations"] = 0;
  const cal::Calibration c = cal::load_calibration_json(doc, (dir / "calibration.json").string());
  cal::RunOptions opt;
  opt.threads = 2;
  const cal::Result r = cal::calibrate(c, opt);
  INFO("verdicts: " << r.parameters[0].verdict << " / " << r.parameters[1].verdict);
  CHECK(r.trace.size() == 5);  // start + 2 x 2 Jacobian points
  CHECK(r.parameters[1].verdict == "not identified");
  CHECK(r.parameters[0].verdict != "not identified");
  CHECK(r.jacobian[0][1] == 0.0);
  CHECK(r.jacobian[0][0] < 0.0);  // a higher safety target means fewer unsafe residents
}

TEST_CASE("wijksim calibrate writes the same bytes for the same file, on 1 or 2 threads", "[calibration][repro]") {
  // calibration.json and evaluations.csv hold no timings (timings.json does): same file ->
  // identical bytes, whatever the thread count.
  TempDir dir("calib-determinism");
  test::write_file(dir / "city.json", tiny_city().dump(2));
  const json parameters = {{"safety.base", {{"range", {0.6, 0.9}}}}};
  const json targets = json::array({{{"name", "unsafe"}, {"metric", "unsafe_share"}, {"value", 0.2}, {"tolerance", 0.01}},
                                    {{"name", "trust"}, {"metric", "trust_share"}, {"value", 0.5}, {"tolerance", 0.02}}});
  json doc = tiny_calibration(targets, parameters);
  doc["optimiser"]["max_evaluations"] = 15;
  const auto file = (dir / "calibration.json").string();
  test::write_file(file, doc.dump(2));
  std::vector<std::string> reports, traces;
  for (const std::string threads : {"2", "2", "1"}) {
    const auto out = (dir / ("out-" + std::to_string(reports.size()))).string();
    const CliResult r = test::run_cli({"calibrate", file, "--out", out, "--threads", threads, "--progress", "none"});
    INFO(r.command << "\n" << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "unsafe"));
    CHECK(contains(r.out, "identified"));
    reports.push_back(test::read_file(out + "/calibration.json"));
    traces.push_back(test::read_file(out + "/evaluations.csv"));
    CHECK(std::filesystem::exists(out + "/timings.json"));
  }
  CHECK(reports[0] == reports[1]);
  CHECK(reports[0] == reports[2]);
  CHECK(traces[0] == traces[1]);
  CHECK(traces[0] == traces[2]);
  const json rep = json::parse(reports[0]);
  CHECK(rep["targets"].size() == 2);
  CHECK(rep["parameters"][0]["name"] == "safety.base");
  CHECK(rep["targets"][0].contains("ci95"));
}

TEST_CASE("bad calibration files: every problem at once, with file and JSON path, exit 2", "[calibration][hardening]") {
  TempDir dir("calib-bad");
  test::write_file(dir / "city.json", tiny_city().dump(2));
  const auto file = (dir / "bad.json").string();
  const json doc = {
      {"scenario", "city.json"},
      {"replicate", 4},  // typo: replicates
      {"parameters",
       {{"safety.bse", {{"range", {0.6, 0.9}}}},                    // unknown parameter
        {"safety.w_disorder", {{"range", {0.1, 9}}}},               // outside the valid range [0, 5]
        {"residents.trust_sd", {{"range", {0.1, 0.3}}, {"start", 0.4}}},  // start outside the range
        {"simulation.years", {{"range", {1, 2}}}},                  // reserved
        {"network.ties_min", {{"range", {5, 10}}, {"strat", 6}}}}},  // unknown key
      {"targets",
       json::array({{{"name", "a"}, {"metric", "unsafe_shar"}, {"value", 0.15}, {"tolerance", 0.01}},
                    {{"name", "a"}, {"metric", "active_share"}, {"group", "deprivd"}, {"value", 0.07}, {"tolerance", 0}}})},
      {"optimiser", {{"method", "nelder-maed"}, {"max_evaluations", -1}}}};
  test::write_file(file, doc.dump(2));
  const CliResult r = test::run_cli({"calibrate", file, "--progress", "none"});
  INFO(r.command << "\nexit " << r.exit_code << "\n" << r.err);
  REQUIRE(r.exit_code == 2);
  for (const std::string& part : std::vector<std::string>{file + ": replicate: unknown key; did you mean \"replicates\"?", file + ": replicates: missing",
        "parameters[\"safety.bse\"]: unknown parameter; did you mean \"safety.base\"?",
        "parameters[\"safety.w_disorder\"].range: found [0.1,9], expected a range within the parameter's valid range [0, 5]",
        "parameters[\"residents.trust_sd\"].start: found 0.4", "parameters[\"simulation.years\"]: is set by the calibration itself",
        "parameters[\"network.ties_min\"].strat: unknown key; did you mean \"start\"?",
        "targets[0].metric: found \"unsafe_shar\"", "did you mean \"unsafe_share\"?", "targets[1].name: \"a\" used twice",
        "targets[1].group: found \"deprivd\"", "did you mean \"deprived\"?", "targets[1].tolerance: found 0",
        "optimiser.method: found \"nelder-maed\", expected nelder-mead", "optimiser.max_evaluations: found -1"})
    CHECK(contains(r.err, part));
  CHECK(r.out.empty());
}

TEST_CASE("bad calibration files: missing scenario, empty group, bad flags", "[calibration][hardening]") {
  TempDir dir("calib-bad2");
  const auto file = (dir / "bad.json").string();
  const json targets = json::array({{{"name", "u"}, {"metric", "unsafe_share"}, {"group", "well_off"}, {"value", 0.1}, {"tolerance", 0.01}}});
  json doc = tiny_calibration(targets, {{"safety.base", {{"range", {0.6, 0.9}}}}});
  test::write_file(file, doc.dump(2));
  CliResult r = test::run_cli({"calibrate", file});
  INFO(r.err);
  REQUIRE(r.exit_code == 2);
  CHECK(contains(r.err, file + ": scenario: found \"city.json\", but "));
  CHECK(contains(r.err, "relative paths are relative to the calibration file"));

  // A city without well-off buurten cannot carry a well-off target.
  test::write_file(dir / "city.json", test::explicit_scenario({{{600, 0.5}}}, 1.0, 0.5).dump(2));
  r = test::run_cli({"calibrate", file});
  INFO(r.err);
  REQUIRE(r.exit_code == 2);
  CHECK(contains(r.err, file + ": targets[0].group: \"well_off\": no buurt of the scenarios is in this group"));

  // A fixed override the scenario rejects is reported at the calibration file's "set".
  test::write_file(dir / "city.json", tiny_city().dump(2));
  doc["set"] = {{"safety.w_victim", 99}};
  test::write_file(file, doc.dump(2));
  r = test::run_cli({"calibrate", file});
  INFO(r.err);
  REQUIRE(r.exit_code == 2);
  CHECK(contains(r.err, file + ": set[\"safety.w_victim\"]"));

  r = test::run_cli({"calibrate", file, "--max-evaluations", "x"});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "--max-evaluations"));
  r = test::run_cli({"calibrate", file, "--progress", "loud"});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "expected lines, jsonl or none"));
  r = test::run_cli({"calibrate", (dir / "nope.json").string()});
  CHECK(r.exit_code == 2);
}

TEST_CASE("calibration across places: per-place targets and the spread between them, with NLopt", "[calibration]") {
  // Two places with different deprivation; targets are the model's own values at the truth
  // (safety.base 0.75, safety.deprivation_bias 0.35): each place's unsafe share, and the
  // standard deviation between the places. Subplex (NLopt) from 0.65 / 0.05 must land within
  // 0.03 of the truth and put every target within tolerance; the report names the place it
  // misses most.
  TempDir dir("calib-places");
  test::write_file(dir / "a.json", test::explicit_scenario({{{600, 0.1}, {600, 0.3}}}, 1.0, 0.5).dump(2));
  json b = test::explicit_scenario({{{600, 0.7}, {600, 0.95}}}, 1.0, 0.5);
  b["city"]["code"] = "GM9999";
  test::write_file(dir / "b.json", b.dump(2));
  const json parameters = {{"safety.base", {{"range", {0.6, 0.9}}, {"start", 0.65}}},
                           {"safety.deprivation_bias", {{"range", {0.0, 0.6}}, {"start", 0.05}}}};
  json targets = json::array({{{"name", "unsafe a"}, {"metric", "unsafe_share"}, {"scenario", "a.json"}, {"value", 0.5}, {"tolerance", 0.006}},
                              {{"name", "unsafe b"}, {"metric", "unsafe_share"}, {"scenario", "GM9999"}, {"value", 0.5}, {"tolerance", 0.006}},
                              {{"name", "spread"}, {"metric", "unsafe_share"}, {"statistic", "between_sd"}, {"value", 0.1}, {"tolerance", 0.006}}});
  json doc = {{"scenarios", {"a.json", "b.json"}}, {"replicates", 3}, {"seed", 5}, {"average_weeks", 26},
              {"parameters", parameters}, {"targets", targets},
              {"optimiser", {{"method", "sbplx"}, {"max_evaluations", 100}, {"initial_step", 0.2}, {"xtol", 0.002}, {"ftol", 0.0005}}}};
  const auto file = (dir / "calibration.json").string();
  const cal::Calibration probe = cal::load_calibration_json(doc, file);
  REQUIRE(probe.targets[0].scenario == 0);
  REQUIRE(probe.targets[1].scenario == 1);
  REQUIRE(probe.targets[2].statistic == cal::Statistic::between_sd);
  const cal::Evaluation truth = cal::evaluate(probe, {0.75, 0.35}, 2);
  // The places differ, so the measured spread is the sd of two different values.
  CHECK(truth.values[2] == Approx(std::fabs(truth.values[1] - truth.values[0]) / std::sqrt(2.0)).margin(0.02));
  CHECK(truth.values[1] > truth.values[0] + 0.03);
  for (std::size_t i = 0; i < truth.values.size(); ++i) doc["targets"][i]["value"] = truth.values[i];
  const cal::Calibration c = cal::load_calibration_json(doc, file);
  cal::RunOptions opt;
  opt.threads = 2;
  const cal::Result r = cal::calibrate(c, opt);
  const auto& best = r.trace[r.best];
  INFO("recovered " << best.x[0] << ", " << best.x[1] << " objective " << best.objective << " after " << r.trace.size() << " points, "
                    << r.stop_reason);
  CHECK(std::fabs(best.x[0] - 0.75) < 0.03);
  CHECK(std::fabs(best.x[1] - 0.35) < 0.03);
  for (std::size_t i = 0; i < c.targets.size(); ++i) CHECK(std::fabs(best.values[i] - c.targets[i].value) <= c.targets[i].tolerance);
  const auto report = cal::report_json(c, r);
  CHECK(report["fit"]["optimiser"] == "nlopt sbplx");
  REQUIRE(report["worst_places"].size() == 2);
  CHECK(contains(cal::report_text(c, r), "places the model misses most"));
}

TEST_CASE("bad calibration files: unknown place, spread over one place, unknown optimiser", "[calibration][hardening]") {
  TempDir dir("calib-places-bad");
  test::write_file(dir / "a.json", test::explicit_scenario({{{600, 0.1}}}, 1.0, 0.5).dump(2));
  json doc = {{"scenarios", {"a.json"}}, {"replicates", 2},
              {"parameters", {{"safety.base", {{"range", {0.6, 0.9}}}}}},
              {"targets", json::array({{{"name", "x"}, {"metric", "unsafe_share"}, {"scenario", "GM0000"}, {"value", 0.1}, {"tolerance", 0.01}},
                                       {{"name", "s"}, {"metric", "unsafe_share"}, {"statistic", "between_sd"}, {"value", 0.1}, {"tolerance", 0.01}},
                                       {{"name", "t"}, {"metric", "unsafe_share"}, {"statistic", "betwen_sd"}, {"value", 0.1}, {"tolerance", 0.01}}})},
              {"optimiser", {{"method", "cobyla"}}}};
  std::string err;
  try {
    (void)cal::load_calibration_json(doc, (dir / "c.json").string());
  } catch (const wijksim::InputError& e) {
    err = e.what();
  }
  INFO(err);
  CHECK(contains(err, "targets[1].statistic"));        // between_sd over one scenario
  CHECK(contains(err, "did you mean \"between_sd\""));  // typo with a suggestion
  CHECK(contains(err, "optimiser.method"));
  CHECK(contains(err, "sbplx"));
}

TEST_CASE("bad calibration files: a missing or repeated scenario does not shift the names of the others", "[calibration][hardening]") {
  // A target names its place by the file as given in "scenarios". When an earlier file is
  // missing or listed twice, the later ones must still be matched to their own names: the only
  // problem reported is the missing (or repeated) file, not a spurious unknown place.
  TempDir dir("calib-places-missing");
  test::write_file(dir / "a.json", test::explicit_scenario({{{600, 0.1}}}, 1.0, 0.5).dump(2));
  test::write_file(dir / "c.json", test::explicit_scenario({{{600, 0.8}}}, 1.0, 0.5).dump(2));
  const json targets = json::array({{{"name", "unsafe c"}, {"metric", "unsafe_share"}, {"scenario", "c.json"}, {"value", 0.2}, {"tolerance", 0.01}}});
  for (const std::string second : {"missing.json", "a.json"}) {
    const json doc = {{"scenarios", {"a.json", second, "c.json"}}, {"replicates", 2},
                      {"parameters", {{"safety.base", {{"range", {0.6, 0.9}}}}}}, {"targets", targets}};
    std::string err;
    try {
      (void)cal::load_calibration_json(doc, (dir / "cal.json").string());
    } catch (const wijksim::InputError& e) {
      err = e.what();
    }
    INFO(second << ": " << err);
    CHECK(contains(err, "scenarios[1]"));
    CHECK(contains(err, second == "a.json" ? "listed twice" : "is not a file"));
    CHECK_FALSE(contains(err, "targets[0].scenario"));
    CHECK_FALSE(contains(err, "expected a scenario of this file"));
  }
}
