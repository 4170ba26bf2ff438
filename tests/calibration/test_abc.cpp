// wijksim abc (docs/CALIBRATION.md, "Calibration against the programme evidence"): recovery of
// a known parameter from summaries the model generated itself, the same bytes on 1 or 2
// threads, a clean stop on SIGINT/SIGTERM, and bad ABC files (exit 2, file and JSON path).
// Tiny cities and a few dozen draws: the shipped ABC (scenarios/calibration/programme-evidence.json)
// never runs here.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fcntl.h>
#include <thread>

#include "test_support.hpp"
#include "wijksim/calibration/abc.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/io/stats.hpp"

using nlohmann::json;
using wijksim::test::CliResult;
using wijksim::test::contains;
using wijksim::test::TempDir;
namespace test = wijksim::test;
namespace cal = wijksim::calibration;
namespace fs = std::filesystem;

namespace {

// One wijk of two buurten (deprivation 0.3 and 0.95, 600 residents each), half a year of
// burn-in and two simulated years; the programme runs in both variants, herstructurering
// (only in the 0.95 buurt) in one, with the effect's half point at half a percent of the
// dwellings renewed so that two years of it are near full effect (the summary then follows
// physical.safety_effect steeply).
void write_city_and_experiment(const fs::path& dir, double years = 2.0) {
  test::write_file(dir / "city.json", test::explicit_scenario({{{600, 0.3}, {600, 0.95}}}, years, 0.5).dump(2));
  const json exp = {{"scenario", "city.json"},
                    {"replicates", 1},
                    {"seed", 5},
                    {"outcomes", {"unsafe_share"}},
                    {"variants",
                     {{{"name", "programme"}},
                      {{"name", "renewal"},
                       {"set",
                        {{"physical.herstructurering", 600},
                         {"physical.renewal_min_deprivation", 0.9},
                         {"physical.half_renewed_share", 0.005}}}}}}};
  test::write_file(dir / "experiment.json", exp.dump(2));
}

json renewal_abc(double target, std::uint32_t draws, double tolerance = 0.01) {
  return json{{"experiment", "experiment.json"},
              {"comparison", "programme"},
              {"draws", draws},
              {"seed", 11},
              {"average_weeks", 13},
              {"parameters", {"physical.safety_effect"}},
              {"summaries",
               {{{"name", "unsafe_renewed"},
                 {"variant", "renewal"},
                 {"metric", "unsafe_share"},
                 {"buurten", "renewed"},
                 {"target", target},
                 {"tolerance", tolerance},
                 {"source", "synthetic: the model at safety_effect 0.06"}}}},
              {"accept", {{"epsilon", 1}, {"min_accepted", 5}}}};
}

std::string without_provenance(const std::string& posterior) {
  json j = json::parse(posterior);
  j.erase("provenance");
  return j.dump();
}

}  // namespace

TEST_CASE("abc recovers a known parameter from summaries the model generated itself", "[calibration]") {
  // Truth: physical.safety_effect 0.06 (prior uniform [0, 0.075]). The target is the renewed
  // buurt's paired change in the unsafe share at the truth (4 replicates, seeds the draws do
  // not use), tolerance half a point; 80 draws, 4 replicates each. Tolerance of the check: the
  // accepted median within 0.01 of the truth and the accepted 90% interval at most 60% of the
  // prior's (0.0675): draws accepted at random would span about 0.06, so a summary that did not
  // depend on the parameter fails (measured: 18 accepted, median 0.057, 5-95% 0.045 .. 0.068).
  TempDir dir("abc-recovery");
  write_city_and_experiment(dir.path());
  const auto file = (dir / "abc.json").string();
  const cal::Abc probe = cal::load_abc_json(renewal_abc(0, 40), file);
  const double truth = cal::measure_summaries(probe, {{"physical.safety_effect", "0.06"}}, 4, 2).at(0);
  const double none = cal::measure_summaries(probe, {{"physical.safety_effect", "0"}}, 4, 2).at(0);
  INFO("summary at the truth " << truth << ", at safety_effect 0: " << none);
  REQUIRE(truth < none - 0.03);  // the summary moves with the parameter, well beyond the tolerance
  json doc = renewal_abc(truth, 80, 0.005);
  doc["replicates_per_draw"] = 4;
  const cal::Abc a = cal::load_abc_json(doc, file);
  cal::AbcOptions opt;
  opt.threads = 2;
  const cal::AbcResult r = cal::run_abc(a, opt);
  std::vector<double> accepted;
  for (std::size_t i : r.accepted) accepted.push_back(a.experiment.uncertainty.sets[i][0]);
  const wijksim::Summary s = wijksim::summarise(accepted);
  INFO("accepted " << r.accepted.size() << " of 80 (effective epsilon " << r.effective_epsilon << "): median " << s.p50
                   << ", 5-95% " << s.p5 << " .. " << s.p95);
  REQUIRE(r.accepted.size() >= 5);
  CHECK(std::fabs(s.p50 - 0.06) < 0.01);
  CHECK(s.p95 - s.p5 < 0.0405);
  // The accepted draws are the nearest: none rejected is nearer than the farthest accepted.
  for (std::size_t i = 0; i < r.distance.size(); ++i)
    if (std::find(r.accepted.begin(), r.accepted.end(), i) == r.accepted.end())
      CHECK(r.distance[i] >= r.effective_epsilon);
}

TEST_CASE("wijksim abc writes the same posterior for the same file, on 1 or 2 threads", "[calibration][repro]") {
  TempDir dir("abc-determinism");
  write_city_and_experiment(dir.path(), 1.0);
  const auto file = (dir / "abc.json").string();
  json doc = renewal_abc(-0.05, 8);
  doc["accept"]["min_accepted"] = 3;
  test::write_file(file, doc.dump(2));
  std::vector<std::string> posteriors, draws;
  for (const std::string threads : {"2", "1"}) {
    const auto out = (dir / ("out-" + threads)).string();
    const CliResult r = test::run_cli({"abc", file, "--out", out, "--threads", threads, "--progress", "none"});
    INFO(r.command << "\n" << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "rejection ABC: "));
    CHECK(contains(r.out, "physical.safety_effect"));
    posteriors.push_back(test::read_file(out + "/posterior.json"));
    draws.push_back(test::read_file(out + "/posterior-draws.csv"));
  }
  CHECK(without_provenance(posteriors[0]) == without_provenance(posteriors[1]));
  CHECK(draws[0] == draws[1]);
  const json p = json::parse(posteriors[0]);
  CHECK(p["parameters"] == json::array({"physical.safety_effect"}));
  CHECK(p["draws"].size() == p["abc"]["accepted"].get<std::size_t>());
  CHECK(p["abc"]["drawn"] == 8);
  CHECK(p["provenance"].contains("wall_seconds"));
  // The posterior is usable as an experiment's parameter uncertainty.
  const auto post = wijksim::experiment::read_posterior((dir / "out-2" / "posterior.json").string());
  CHECK(post.draws.size() == p["draws"].size());
}

TEST_CASE("wijksim abc stops on SIGINT or SIGTERM with exit 128 + signal and writes nothing",
          "[calibration][hardening]") {
  TempDir dir("abc-signal");
  write_city_and_experiment(dir.path(), 3.0);
  const auto file = (dir / "abc.json").string();
  test::write_file(file, renewal_abc(-0.05, 2000).dump(2));
  for (const int sig : {SIGINT, SIGTERM}) {
    const fs::path out = dir / ("out-" + std::to_string(sig));
    const pid_t pid =
        test::spawn_cli({"abc", file, "--out", out.string(), "--threads", "1", "--progress", "none"}, dir / "err");
    // The handlers are in place before loading; 2,000 draws of three years take minutes.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    kill(pid, sig);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const std::string err = test::read_file(dir / "err");
    INFO("signal " << sig << ", stderr: " << err);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + sig);
    CHECK(contains(err, sig == SIGTERM ? "interrupted by SIGTERM" : "interrupted by SIGINT"));
    CHECK_FALSE(fs::exists(out / "posterior.json"));
    CHECK_FALSE(fs::exists(out / "posterior-draws.csv"));
    CHECK(test::entries_containing(out, ".tmp-").empty());
  }
}

TEST_CASE("bad ABC files: every problem at once, with file and JSON path, exit 2", "[calibration][hardening]") {
  TempDir dir("abc-bad");
  write_city_and_experiment(dir.path());
  const auto file = (dir / "abc.json").string();
  SECTION("the file's own keys") {
    json doc = renewal_abc(0, 10);
    doc["draw"] = 5;  // typo
    doc["replicates_per_draw"] = 0;
    doc["accept"] = {{"epsilon", 0}, {"min_accepted", 50}};
    doc["experiment"] = "missing.json";
    test::write_file(file, doc.dump(2));
    const CliResult r = test::run_cli({"abc", file, "--out", (dir / "out").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    for (const std::string& part : std::vector<std::string>{
             file + ": draw: unknown key; did you mean \"draws\"?", file + ": replicates_per_draw: found 0",
             file + ": accept.epsilon: found 0", file + ": accept.min_accepted: found 50, expected at most draws (10)",
             file + ": experiment: found \"missing.json\""})
      CHECK(contains(r.err, part));
    CHECK_FALSE(fs::exists(dir / "out" / "posterior.json"));
  }
  SECTION("the drawn parameters") {
    json doc = renewal_abc(0, 10);
    doc["parameters"] = {"physical.safety_efect", "physical.herstructurering", "physical.renewal_min_deprivation",
                         "programme.plan"};
    test::write_file(file, doc.dump(2));
    const CliResult r = test::run_cli({"abc", file, "--out", (dir / "out").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    CHECK(contains(
        r.err, file + ": parameters[0]: found \"physical.safety_efect\", expected a numeric parameter of the table"));
    CHECK(contains(r.err, file + ": parameters[1]: found \"physical.herstructurering\", whose prior is fixed"));
    CHECK(contains(r.err, file + ": parameters[3]: found \"programme.plan\", expected a numeric parameter"));
  }
  SECTION("a parameter a variant sets") {
    json doc = renewal_abc(0, 10);
    doc["parameters"] = {"physical.safety_effect", "physical.renewal_min_deprivation"};
    test::write_file(file, doc.dump(2));
    const CliResult r = test::run_cli({"abc", file, "--out", (dir / "out").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    CHECK(contains(
        r.err,
        file +
            ": parameters[1]: found \"physical.renewal_min_deprivation\", which the scenario, a variant or the design sets"));
  }
  SECTION("the summaries") {
    json doc = renewal_abc(0, 10);
    doc["comparison"] = "programme";
    doc["summaries"] = {{{"name", "a"},
                         {"variant", "renewl"},
                         {"metric", "unsafe_shar"},
                         {"buurten", "renwed"},
                         {"target", 0},
                         {"tolerance", 0}},
                        {{"name", "a"},
                         {"variant", "programme"},
                         {"metric", "active_share"},
                         {"buurten", "all"},
                         {"statistic", "middle"},
                         {"target", 0},
                         {"tolerance", 0.01},
                         {"source", "x"}}};
    test::write_file(file, doc.dump(2));
    const CliResult r = test::run_cli({"abc", file, "--out", (dir / "out").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    for (const std::string& part : std::vector<std::string>{
             file + ": summaries[0].variant: found \"renewl\"", "did you mean \"renewal\"?",
             file + ": summaries[0].metric: found \"unsafe_shar\"", file + ": summaries[0].buurten: found \"renwed\"",
             "did you mean \"renewed\"?", file + ": summaries[0].tolerance: found 0",
             file + ": summaries[0].source: missing", file + ": summaries[1].name: found \"a\" twice",
             file + ": summaries[1].variant: found \"programme\", the comparison itself",
             file + ": summaries[1].statistic: found \"middle\""})
      CHECK(contains(r.err, part));
  }
  SECTION("an experiment with its own design or uncertainty, and bad flags") {
    json exp = json::parse(test::read_file(dir / "experiment.json"));
    exp["uncertainty"] = {{"source", "prior"}, {"draws", 2}};
    test::write_file(dir / "experiment.json", exp.dump(2));
    test::write_file(file, renewal_abc(0, 10).dump(2));
    const CliResult r = test::run_cli({"abc", file, "--out", (dir / "out").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    CHECK(contains(r.err, file + ": experiment: the experiment has \"uncertainty\""));
    const CliResult no_out = test::run_cli({"abc", file});
    REQUIRE(no_out.exit_code == 2);
    CHECK(contains(no_out.err, "--out"));
    const CliResult both = test::run_cli({"abc", file, "--measure", "--out", (dir / "out").string()});
    REQUIRE(both.exit_code == 2);
    CHECK(contains(both.err, "not used with --measure"));
  }
}
