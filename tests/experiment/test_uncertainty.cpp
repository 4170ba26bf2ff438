// Parameter uncertainty in experiments (docs/EXPERIMENTS.md, "Parameter uncertainty") and
// scenario discovery ("Scenario discovery"): draws from the priors and from a posterior file,
// the same set for every variant of a replicate, what compare adds, partial rank correlations
// and PRIM on synthetic cases with a known answer, and `wijksim discover` end to end.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>

#include "test_support.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/experiment/batch.hpp"
#include "wijksim/experiment/evidence.hpp"
#include "wijksim/experiment/experiment.hpp"
#include "wijksim/experiment/results.hpp"
#include "wijksim/scenario/param_table.hpp"

namespace ex = wijksim::experiment;
namespace fs = std::filesystem;
using json = nlohmann::json;
using wijksim::test::TempDir;
using wijksim::test::contains;

namespace {

// A tiny city with a programme, a scenario value the draws must leave alone (safety.base), and
// an experiment comparing it with no programme.
json tiny_experiment(const TempDir& dir) {
  json sc = wijksim::test::explicit_scenario({{{120, 0.3}, {100, 0.6}}, {{150, 0.5}}}, 0.5, 0.25);
  sc["safety"] = {{"base", 0.7}};
  wijksim::test::write_file(dir / "tiny.json", sc.dump(2));
  return json::parse(R"({"scenario": "tiny.json", "replicates": 6, "seed": 4,
    "outcomes": ["active_share", "unsafe_share"],
    "variants": [{"name": "baseline"},
                 {"name": "no-programme", "set": {"programme.enabled": false, "participation.beta_urgency": 0.1}}],
    "uncertainty": {"source": "prior", "draws": 3}})");
}

std::string write(const TempDir& dir, const json& doc, const std::string& name) {
  const auto file = dir / name;
  wijksim::test::write_file(file, doc.dump(2));
  return file.string();
}

ex::BatchSummary run(const ex::Experiment& e, const fs::path& out) {
  ex::BatchOptions opt;
  opt.out_dir = out.string();
  opt.threads = 2;
  opt.progress = ex::ProgressMode::none;
  return ex::run_experiment(e, opt);
}

double value_of(const wijksim::ScenarioSpec& s, const std::string& path) { return wijksim::find_param(path)->read(s.params); }

}  // namespace

TEST_CASE("uncertainty: prior draws are one set per replicate, shared by every variant", "[experiment][uncertainty]") {
  TempDir dir("unc-prior");
  const json doc = tiny_experiment(dir);
  const ex::Experiment e = ex::load_experiment_file(write(dir, doc, "e.json"));
  const auto& u = e.uncertainty;
  REQUIRE(u.enabled());
  REQUIRE(u.sets.size() == 3);
  REQUIRE(u.parameters.size() > 50);
  // Not drawn: what the scenario file, a variant or the experiment sets, and fixed priors.
  for (const char* p : {"safety.base", "participation.beta_urgency", "programme.enabled", "building_blocks.anchoring",
                        "governance.election_interval"})
    CHECK(std::find(u.parameters.begin(), u.parameters.end(), p) == u.parameters.end());
  // Every value inside its prior's bounds; a Latin hypercube: the draws of one row fall in
  // different thirds of its prior.
  for (std::size_t j = 0; j < u.parameters.size(); ++j) {
    const auto& prior = wijksim::find_param(u.parameters[j])->prior;
    INFO(u.parameters[j]);
    for (const auto& set : u.sets) {
      CHECK(set[j] >= prior.lo - 1e-9);
      CHECK(set[j] <= prior.hi + 1e-9);
    }
    if (prior.kind == wijksim::PriorKind::uniform) {
      std::set<int> thirds;
      for (const auto& set : u.sets) thirds.insert(static_cast<int>(3 * (set[j] - prior.lo) / (prior.hi - prior.lo)));
      CHECK(thirds.size() == 3);
    }
  }
  // Replicates 0 and 3 share set 0, in both variants; replicate 1 has another.
  const std::string p = "safety.fear_rise";
  const auto j = static_cast<std::size_t>(std::find(u.parameters.begin(), u.parameters.end(), p) - u.parameters.begin());
  REQUIRE(j < u.parameters.size());
  const auto& base_cell = e.cells[0];
  const auto& other_cell = e.cells[1];
  CHECK(value_of(ex::load_cell(e, base_cell, 0), p) == Approx(u.sets[0][j]));
  CHECK(value_of(ex::load_cell(e, other_cell, 0), p) == Approx(u.sets[0][j]));
  CHECK(value_of(ex::load_cell(e, base_cell, 3), p) == Approx(u.sets[0][j]));
  CHECK(value_of(ex::load_cell(e, base_cell, 1), p) == Approx(u.sets[1][j]));
  CHECK(u.sets[0][j] != u.sets[1][j]);
  CHECK(value_of(ex::load_cell(e, base_cell, 0), "safety.base") == Approx(0.7));
  // Deterministic: the same file draws the same sets.
  CHECK(ex::load_experiment_file(write(dir, doc, "again.json")).uncertainty.sets == u.sets);

  // Without the key nothing is drawn and a cell loads as before.
  json plain = doc;
  plain.erase("uncertainty");
  const ex::Experiment e0 = ex::load_experiment_file(write(dir, plain, "plain.json"));
  CHECK_FALSE(e0.uncertainty.enabled());
  CHECK(ex::load_cell(e0, e0.cells[0], 1).hash == ex::load_cell(e0, e0.cells[0]).hash);
}

TEST_CASE("uncertainty: \"parameters\" draws only the named rows, each as it would be drawn among all",
          "[experiment][uncertainty]") {
  TempDir dir("unc-only");
  json doc = tiny_experiment(dir);
  const ex::Experiment all = ex::load_experiment_file(write(dir, doc, "all.json"));
  doc["uncertainty"]["parameters"] = {"safety.fear_rise", "physical.safety_effect"};
  const ex::Experiment some = ex::load_experiment_file(write(dir, doc, "some.json"));
  // Table order, and each column the same as in the full draw (one generator per row).
  REQUIRE(some.uncertainty.parameters == std::vector<std::string>{"physical.safety_effect", "safety.fear_rise"});
  for (std::size_t j = 0; j < 2; ++j) {
    const auto k =
        static_cast<std::size_t>(std::find(all.uncertainty.parameters.begin(), all.uncertainty.parameters.end(),
                                           some.uncertainty.parameters[j]) -
                                 all.uncertainty.parameters.begin());
    REQUIRE(k < all.uncertainty.parameters.size());
    for (std::size_t i = 0; i < 3; ++i) CHECK(some.uncertainty.sets[i][j] == all.uncertainty.sets[i][k]);
  }
  // A row the scenario sets, a fixed prior, an unknown path, and "parameters" with a posterior.
  doc["uncertainty"]["parameters"] = {"safety.base", "programme.stop_at_election", "safety.fear_rse"};
  const auto file = write(dir, doc, "bad.json");
  try {
    (void)ex::load_experiment_file(file);
    FAIL("expected an InputError");
  } catch (const wijksim::InputError& err) {
    const std::string msg = err.what();
    INFO(msg);
    CHECK(contains(msg, "uncertainty.parameters[1]: found \"programme.stop_at_election\", whose prior is fixed"));
    CHECK(contains(msg, "uncertainty.parameters[2]: found \"safety.fear_rse\", expected a numeric parameter"));
  }
  doc["uncertainty"]["parameters"] = {"safety.base"};
  try {
    (void)ex::load_experiment_file(write(dir, doc, "bad2.json"));
    FAIL("expected an InputError");
  } catch (const wijksim::InputError& err) {
    CHECK(
        contains(err.what(),
                 "uncertainty.parameters[0]: found \"safety.base\", which the scenario, a variant or the design sets"));
  }
}

TEST_CASE("uncertainty: compare states robustness and what a difference hinges on", "[experiment][uncertainty]") {
  TempDir dir("unc-compare");
  const json doc = tiny_experiment(dir);
  const ex::Experiment e = ex::load_experiment_file(write(dir, doc, "e.json"));
  REQUIRE(run(e, dir / "store").ok == 12);
  ex::compare((dir / "store").string());
  const json c = json::parse(wijksim::test::read_file(dir / "store" / "comparison.json"));
  REQUIRE(c.contains("parameter_uncertainty"));
  CHECK(c["parameter_uncertainty"]["source"] == "prior");
  CHECK(c["parameter_uncertainty"]["sets"] == 3);
  std::size_t city_rows = 0;
  for (const auto& row : c["comparisons"]) {
    if (row["level"] != "city") continue;
    ++city_rows;
    const json& pu = row.at("parameter_uncertainty");
    CHECK(pu["sets"] == 3);
    CHECK(pu["interval95_over_sets"][0].get<double>() <= pu["interval95_over_sets"][1].get<double>());
    const double share = pu["share_of_sets_better"].get<double>();
    CHECK(share >= 0);
    CHECK(share <= 1);
    const std::string st = pu["statement"];
    CHECK(st.rfind("in ", 0) == 0);
    CHECK(contains(st, "% of the plausible parameter sets, "));
    CHECK((contains(st, "sets, baseline beats no-programme on ") || contains(st, "sets, no-programme beats baseline on ")));
    CHECK(pu["robust"] == (std::max(share, 1 - share) >= 0.9));  // no ties in a continuous outcome here
    CHECK(pu["hinges_on"].size() <= 5);
    CHECK(contains(pu["hinges_method"].get<std::string>(), "Spearman"));  // 3 sets: too few for PRCC
  }
  CHECK(city_rows == 2);

  // Without the key, comparison.json has no trace of it.
  json plain = doc;
  plain.erase("uncertainty");
  REQUIRE(run(ex::load_experiment_file(write(dir, plain, "plain.json")), dir / "plain").ok == 12);
  ex::compare((dir / "plain").string());
  const json p = json::parse(wijksim::test::read_file(dir / "plain" / "comparison.json"));
  CHECK_FALSE(p.contains("parameter_uncertainty"));
  for (const auto& row : p["comparisons"]) CHECK_FALSE(row.contains("parameter_uncertainty"));
}

TEST_CASE("uncertainty: a posterior file supplies the sets; bad files and keys are refused", "[experiment][uncertainty]") {
  TempDir dir("unc-posterior");
  json doc = tiny_experiment(dir);
  const json post = {{"description", "test fixture, not a calibration result"},
                     {"method", "hand-written for the test"},
                     {"parameters", {"safety.fear_rise", "participation.dropout"}},
                     {"draws", {{0.2, 0.3}, {0.25, 0.35}, {0.4, 0.28}}}};
  write(dir, post, "posterior.json");
  doc["uncertainty"] = {{"source", "posterior"}, {"draws", 3}, {"file", "posterior.json"}};
  const ex::Experiment e = ex::load_experiment_file(write(dir, doc, "e.json"));
  REQUIRE(e.uncertainty.parameters == std::vector<std::string>{"safety.fear_rise", "participation.dropout"});
  std::set<std::vector<double>> got(e.uncertainty.sets.begin(), e.uncertainty.sets.end());
  CHECK(got == std::set<std::vector<double>>{{0.2, 0.3}, {0.25, 0.35}, {0.4, 0.28}});  // each accepted set once
  CHECK(value_of(ex::load_cell(e, e.cells[1], 2), "safety.fear_rise") == Approx(e.uncertainty.sets[2][0]));
  // Without "source" the sets come from the posterior: the evidence is the default source.
  doc["uncertainty"] = {{"draws", 3}, {"file", "posterior.json"}};
  const ex::Experiment by_default = ex::load_experiment_file(write(dir, doc, "e-default.json"));
  CHECK(by_default.uncertainty.source == "posterior");
  CHECK(by_default.uncertainty.sets == e.uncertainty.sets);

  // A value outside its row's range names the file and the place.
  json bad_post = post;
  bad_post["draws"][1][1] = 7;
  write(dir, bad_post, "bad-posterior.json");
  doc["uncertainty"]["file"] = "bad-posterior.json";
  try {
    (void)ex::load_experiment_file(write(dir, doc, "bad1.json"));
    FAIL("a bad posterior was accepted");
  } catch (const wijksim::InputError& err) {
    const std::string w = err.what();
    CHECK(contains(w, "bad-posterior.json"));
    CHECK(contains(w, "draws[1][1]"));
  }
  // The default file next to the scenario is missing here.
  doc["uncertainty"] = {{"source", "posterior"}, {"draws", 2}};
  CHECK_THROWS_WITH(ex::load_experiment_file(write(dir, doc, "bad2.json")), Catch::Contains("calibration/posterior.json"));
  // More draws than replicates, an unknown source.
  doc["uncertainty"] = {{"source", "prior"}, {"draws", 9}};
  CHECK_THROWS_WITH(ex::load_experiment_file(write(dir, doc, "bad3.json")), Catch::Contains("uncertainty.draws"));
  doc["uncertainty"] = {{"source", "priors"}, {"draws", 2}};
  CHECK_THROWS_WITH(ex::load_experiment_file(write(dir, doc, "bad4.json")), Catch::Contains("did you mean \"prior\""));
}

TEST_CASE("uncertainty: partial rank correlations find the parameter that matters", "[experiment][uncertainty]") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  for (int i = 0; i < 200; ++i) {
    const double a = u(rng), b = u(rng), c = u(rng);
    x.push_back({a, b, c});
    y.push_back(std::exp(3 * a) - 2 * b + 0.1 * u(rng));  // monotone in a and b, none in c
  }
  bool partial = false;
  const auto r = ex::rank_correlations(x, y, partial);
  CHECK(partial);
  CHECK(r[0] > 0.9);
  CHECK(r[1] < -0.8);
  CHECK(std::fabs(r[2]) < 0.2);
  // Too few draws for PRCC: plain rank correlations, flagged.
  std::vector<std::vector<double>> few(x.begin(), x.begin() + 5);
  std::vector<double> fy(y.begin(), y.begin() + 5);
  (void)ex::rank_correlations(few, fy, partial);
  CHECK_FALSE(partial);
  CHECK(ex::ranks({3, 1, 3, 2}) == std::vector<double>{3.5, 1, 3.5, 2});
}

TEST_CASE("discover: PRIM finds a known box", "[experiment][discover]") {
  // Cases where x0 > 0.7 and x1 < 0.4 (x2 irrelevant), and 3% of points flipped at random.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::vector<double>> x;
  std::vector<bool> is_case;
  for (int i = 0; i < 2000; ++i) {
    x.push_back({u(rng), u(rng), u(rng)});
    bool c = x.back()[0] > 0.7 && x.back()[1] < 0.4;
    if (u(rng) < 0.03) c = !c;
    is_case.push_back(c);
  }
  const ex::PrimResult r = ex::prim(x, is_case, {});
  const ex::PrimBox& b = r.pasted;
  INFO("box x0 [" << b.low[0] << ", " << b.high[0] << "], x1 [" << b.low[1] << ", " << b.high[1] << "], density " << b.density
                  << ", coverage " << b.coverage);
  CHECK(b.low[0] == Approx(0.7).margin(0.05));
  CHECK(b.high[1] == Approx(0.4).margin(0.05));
  CHECK(b.restricted[0]);
  CHECK(b.restricted[1]);
  CHECK(b.density >= 0.8);  // the chosen box: the widest that reaches the density threshold
  CHECK(b.coverage > 0.75);
  // The trajectory starts with everything and density rises along it.
  REQUIRE(r.trajectory.size() > 2);
  CHECK(r.trajectory[0].coverage == 1);
  CHECK(r.trajectory[0].mass == 1);
  for (std::size_t i = 1; i < r.trajectory.size(); ++i) CHECK(r.trajectory[i].density >= r.trajectory[i - 1].density);
  CHECK(r.trajectory.back().density > 0.9);  // peeling on reaches the true box's density (97%)
  CHECK(r.trajectory[0].density == Approx(0.12 * 0.97 + 0.88 * 0.03).margin(0.02));  // the base rate
}

TEST_CASE("discover: the command reads a store with draws and writes the box", "[experiment][discover]") {
  TempDir dir("unc-discover");
  json doc = tiny_experiment(dir);
  const ex::Experiment e = ex::load_experiment_file(write(dir, doc, "e.json"));
  REQUIRE(run(e, dir / "store").ok == 12);
  const auto r = wijksim::test::run_cli({"discover", (dir / "store").string(), "--outcome", "active_share", "--below", "0"});
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "no-programme:"));
  const json d = json::parse(wijksim::test::read_file(dir / "store" / "discover.json"));
  CHECK(d["outcome"] == "active_share");
  REQUIRE(d["variants"].size() == 1);
  CHECK(d["variants"][0]["points"] == 6);
  CHECK(d["variants"][0]["trajectory"].size() >= 1);
  CHECK(d["variants"][0]["box"].contains("coverage"));
  CHECK(d["variants"][0]["box"].contains("density"));
  // Bad arguments: exit 2 with the flag named.
  const auto bad = wijksim::test::run_cli({"discover", (dir / "store").string(), "--outcome", "nope", "--below", "0"});
  CHECK(bad.exit_code == 2);
  CHECK(contains(bad.err, "--outcome"));
  const auto both = wijksim::test::run_cli({"discover", (dir / "store").string(), "--outcome", "active_share"});
  CHECK(both.exit_code == 2);
}
