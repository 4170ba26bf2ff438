// Global sensitivity analysis (docs/EXPERIMENTS.md, "Sensitivity designs"): the Sobol'
// sequence and the Saltelli and Morris designs, the estimators against the analytic indices of
// the Ishigami and Sobol' G functions, Morris on a function with known linear, nonlinear,
// interacting and inert inputs, and `wijksim sensitivity` end to end on hengelo-noord.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <string>

#include "test_support.hpp"
#include "wijksim/experiment/experiment.hpp"
#include "wijksim/experiment/sensitivity.hpp"

using namespace wijksim;
using nlohmann::json;
using test::CliResult;
using test::TempDir;
namespace fs = std::filesystem;
namespace ex = wijksim::experiment;
namespace sa = wijksim::experiment::sensitivity;

namespace {

constexpr double kPi = 3.14159265358979323846;

// Outputs of a Saltelli design arranged for sobol_indices.
template <class F>
sa::SobolResult sobol_of(F f, std::size_t n, std::size_t k, std::uint64_t seed) {
  const auto d = sa::saltelli_design(n, k, seed);
  std::vector<double> fa(n), fb(n);
  std::vector<std::vector<double>> fab(k, std::vector<double>(n));
  for (std::size_t p = 0; p < d.points.size(); ++p) {
    const auto& r = d.roles[p];
    const double y = f(d.points[p]);
    const auto j = static_cast<std::size_t>(r.row);
    if (r.kind == sa::PointRole::Kind::A) fa[j] = y;
    else if (r.kind == sa::PointRole::Kind::B) fb[j] = y;
    else fab[static_cast<std::size_t>(r.factor)][j] = y;
  }
  return sa::sobol_indices(fa, fb, fab);
}

void check_indices(const sa::SobolResult& s, const std::vector<double>& s1, const std::vector<double>& st, double tol) {
  for (std::size_t i = 0; i < s1.size(); ++i) {
    INFO("factor " << i + 1 << ": S1 " << s.first[i].estimate << " [" << s.first[i].ci_low << ", " << s.first[i].ci_high
                   << "] vs " << s1[i] << "; ST " << s.total[i].estimate << " [" << s.total[i].ci_low << ", "
                   << s.total[i].ci_high << "] vs " << st[i]);
    CHECK(std::fabs(s.first[i].estimate - s1[i]) < tol);
    CHECK(std::fabs(s.total[i].estimate - st[i]) < tol);
    // The bootstrap interval brackets the estimate and, up to the tolerance, the analytic value.
    CHECK(s.first[i].ci_low <= s.first[i].estimate);
    CHECK(s.first[i].ci_high >= s.first[i].estimate);
    CHECK(s.total[i].ci_low <= s.total[i].estimate);
    CHECK(s.total[i].ci_high >= s.total[i].estimate);
    CHECK(s.first[i].ci_low - tol < s1[i]);
    CHECK(s.first[i].ci_high + tol > s1[i]);
    CHECK(s.total[i].ci_low - tol < st[i]);
    CHECK(s.total[i].ci_high + tol > st[i]);
  }
}

json morris_experiment() {
  return json::parse(R"({"scenario": "hengelo-noord.json", "years": 1, "replicates": 1, "seed": 1,
    "outcomes": ["active_share", "unsafe_share"],
    "variants": [{"name": "baseline"}],
    "design": {"method": "morris", "samples": 4, "seed": 3,
               "parameters": {"building_blocks.trust": [0.2, 0.8], "building_blocks.process_leadership": [0, 1]}}})");
}

std::string write_experiment(const TempDir& dir, const json& doc, const std::string& name = "experiment.json") {
  fs::copy_file(test::source_dir() / "scenarios" / "hengelo-noord.json", dir / "hengelo-noord.json",
                fs::copy_options::overwrite_existing);
  const auto file = dir / name;
  test::write_file(file, doc.dump(2));
  return file.string();
}

using wijksim::test::contains;

}  // namespace

TEST_CASE("sensitivity: the Sobol' sequence is stratified in every dimension", "[experiment][sensitivity]") {
  // The first 2^m points (index 0 included) put one point in each interval [i/2^m, (i+1)/2^m)
  // of every coordinate, digitally shifted or not.
  // Checked in the first 40 dimensions and the last 20 of the 3667 Boost provides.
  constexpr std::size_t dims = sa::sobol_max_dims;
  for (const std::vector<std::uint64_t>& shift :
       {std::vector<std::uint64_t>{}, std::vector<std::uint64_t>(dims, 0x9e3779b97f4a7c15ull)}) {
    const auto pts = sa::sobol_points(64, dims, 0, shift);
    for (std::size_t d = 0; d < dims; ++d) {
      if (d == 40) d = dims - 20;
      std::set<int> cells;
      for (const auto& p : pts) {
        REQUIRE(p[d] >= 0);
        REQUIRE(p[d] < 1);
        cells.insert(static_cast<int>(p[d] * 64));
      }
      INFO("dimension " << d + 1);
      CHECK(cells.size() == 64);
    }
  }
  // Known opening of dimensions 1-3 in Gray-code order (indices 1, 3, 2 of the natural order).
  const auto p = sa::sobol_points(3, 3, 1);
  CHECK(p[0] == std::vector<double>{0.5, 0.5, 0.5});
  CHECK(p[1] == std::vector<double>{0.75, 0.25, 0.25});
  CHECK(p[2] == std::vector<double>{0.25, 0.75, 0.75});
  // A skip continues the same sequence.
  const auto later = sa::sobol_points(2, 3, 2);
  CHECK(later[0] == p[1]);
  CHECK(later[1] == p[2]);
  CHECK_THROWS(sa::sobol_points(1, sa::sobol_max_dims + 1));
}

TEST_CASE("sensitivity: the Saltelli and Morris designs have their structure", "[experiment][sensitivity]") {
  const std::size_t n = 16, k = 3;
  const auto d = sa::saltelli_design(n, k, 5);
  REQUIRE(d.points.size() == n * (k + 2));
  for (std::size_t j = 0; j < n; ++j) {
    const auto& a = d.points[j * (k + 2)];
    const auto& b = d.points[j * (k + 2) + 1];
    CHECK(d.roles[j * (k + 2)].kind == sa::PointRole::Kind::A);
    CHECK(d.roles[j * (k + 2) + 1].kind == sa::PointRole::Kind::B);
    for (std::size_t i = 0; i < k; ++i) {
      const auto& ab = d.points[j * (k + 2) + 2 + i];
      CHECK(d.roles[j * (k + 2) + 2 + i].factor == static_cast<int>(i));
      for (std::size_t c = 0; c < k; ++c) CHECK(ab[c] == (c == i ? b[c] : a[c]));
    }
  }

  const int levels = 4;
  const double delta = sa::morris_delta(levels);
  CHECK(delta == Approx(2.0 / 3.0));
  const auto m = sa::morris_design(10, k, levels, 9);
  REQUIRE(m.points.size() == 10 * (k + 1));
  for (std::size_t t = 0; t < 10; ++t) {
    std::set<int> moved;
    for (std::size_t s = 1; s <= k; ++s) {
      const auto& prev = m.points[t * (k + 1) + s - 1];
      const auto& cur = m.points[t * (k + 1) + s];
      const auto& role = m.roles[t * (k + 1) + s];
      moved.insert(role.factor);
      for (std::size_t c = 0; c < k; ++c) {
        CHECK(cur[c] >= 0);
        CHECK(cur[c] <= 1 + 1e-12);
        const double grid = cur[c] * (levels - 1);
        CHECK(std::fabs(grid - std::round(grid)) < 1e-12);  // on the p-level grid
        if (static_cast<int>(c) == role.factor) CHECK(cur[c] - prev[c] == Approx(role.direction * delta));
        else CHECK(cur[c] == prev[c]);
      }
    }
    CHECK(moved.size() == k);  // every factor moves once per trajectory
  }
}

TEST_CASE("sensitivity: Sobol' indices of the Ishigami function", "[experiment][sensitivity]") {
  // f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3, a = 7, b = 0.1.
  const double a = 7, b = 0.1;
  auto f = [&](const std::vector<double>& u) {
    const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
    return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
  };
  const double pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  const double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
  const double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5), v2 = a * a / 8, v13 = 8 * b * b * pi8 / 225;
  const std::vector<double> s1 = {v1 / v, v2 / v, 0}, st = {(v1 + v13) / v, v2 / v, v13 / v};
  // The analytic values quoted in the literature.
  CHECK(s1[0] == Approx(0.3139).margin(1e-4));
  CHECK(s1[1] == Approx(0.4424).margin(1e-4));
  CHECK(st[0] == Approx(0.5576).margin(1e-4));
  CHECK(st[2] == Approx(0.2437).margin(1e-4));
  // Tolerance 0.01 at N = 2^13 base rows (40960 evaluations); the errors are about 0.001.
  const auto s = sobol_of(f, 1u << 13, 3, 1);
  CHECK(s.n == 8192);
  CHECK(s.variance == Approx(v).epsilon(0.02));
  check_indices(s, s1, st, 0.01);
}

TEST_CASE("sensitivity: Sobol' indices of the Sobol' G function", "[experiment][sensitivity]") {
  const std::vector<double> a = {0, 1, 4.5, 9, 99, 99, 99, 99};
  const std::size_t k = a.size();
  auto g = [&](const std::vector<double>& u) {
    double y = 1;
    for (std::size_t i = 0; i < k; ++i) y *= (std::fabs(4 * u[i] - 2) + a[i]) / (1 + a[i]);
    return y;
  };
  // V_i = 1 / (3 (1 + a_i)^2), V = prod(1 + V_i) - 1, S_i = V_i / V, ST_i = V_i prod_{j != i}(1 + V_j) / V.
  std::vector<double> vi(k), s1(k), st(k);
  double prod = 1;
  for (std::size_t i = 0; i < k; ++i) {
    vi[i] = 1 / (3 * (1 + a[i]) * (1 + a[i]));
    prod *= 1 + vi[i];
  }
  const double v = prod - 1;
  for (std::size_t i = 0; i < k; ++i) {
    s1[i] = vi[i] / v;
    st[i] = vi[i] * prod / (1 + vi[i]) / v;
  }
  CHECK(s1[0] == Approx(0.7165).margin(1e-3));
  // Tolerance 0.01 at N = 2^13 base rows (81920 evaluations); the errors are about 0.002.
  const auto s = sobol_of(g, 1u << 13, k, 1);
  check_indices(s, s1, st, 0.01);
  // The four inert-ish inputs (a = 99) are below 0.01 in both indices, estimates included.
  for (std::size_t i = 4; i < k; ++i) {
    CHECK(std::fabs(s.first[i].estimate) < 0.01);
    CHECK(std::fabs(s.total[i].estimate) < 0.01);
  }
}

TEST_CASE("sensitivity: Morris separates linear, nonlinear, interacting and inert inputs", "[experiment][sensitivity]") {
  // f = 2 x1 + 4 x2^2 + 2 x3 x4 + 0 x5: x1 linear (every effect is 2: mu* = 2, sigma = 0),
  // x2 nonlinear (mu* = 4 at p = 4, sigma > 0), x3 and x4 interacting (mu* ~ 1, sigma > 0),
  // x5 inert (mu* = sigma = 0).
  const std::size_t k = 5, r = 50;
  const int levels = 4;
  auto f = [](const std::vector<double>& x) { return 2 * x[0] + 4 * x[1] * x[1] + 2 * x[2] * x[3] + 0 * x[4]; };
  const auto d = sa::morris_design(r, k, levels, 11);
  std::vector<double> y;
  for (const auto& p : d.points) y.push_back(f(p));
  const auto effects = sa::morris_effects(d.roles, y, k, sa::morris_delta(levels));
  REQUIRE(effects.size() == k);
  REQUIRE(effects[0].size() == r);
  const auto m = sa::morris_indices(effects);
  CHECK(m.r == r);
  CHECK(m.mu_star[0].estimate == Approx(2).margin(1e-12));
  CHECK(m.mu[0].estimate == Approx(2).margin(1e-12));
  CHECK(m.sigma[0].estimate < 1e-12);
  CHECK(m.mu_star[1].estimate == Approx(4).margin(0.5));
  CHECK(m.sigma[1].estimate > 0.5);
  CHECK(m.sigma[2].estimate > 0.1);
  CHECK(m.mu_star[4].estimate == 0);
  CHECK(m.sigma[4].estimate == 0);
  // mu* ordering: nonlinear > linear > interacting > inert.
  CHECK(m.mu_star[1].estimate > m.mu_star[0].estimate);
  CHECK(m.mu_star[0].estimate > m.mu_star[2].estimate);
  CHECK(m.mu_star[0].estimate > m.mu_star[3].estimate);
  CHECK(m.mu_star[2].estimate > m.mu_star[4].estimate);
  // Bootstrap intervals over trajectories.
  CHECK(m.mu_star[1].ci_low < m.mu_star[1].estimate);
  CHECK(m.mu_star[1].ci_high > m.mu_star[1].estimate);
  CHECK(m.mu_star[0].ci_low == Approx(2).margin(1e-12));

  SECTION("a trajectory with a missing output is left out whole") {
    std::vector<double> y2 = y;
    y2[3] = std::nan("");
    const auto e2 = sa::morris_effects(d.roles, y2, k, sa::morris_delta(levels));
    CHECK(e2[0].size() == r - 1);
  }
}

TEST_CASE("sensitivity: sobol and morris designs are read, validated and stored with their roles", "[experiment][sensitivity]") {
  TempDir dir("sens-design");
  auto doc = morris_experiment();
  doc["design"] = json::parse(R"({"method": "saltelli", "samples": 8, "seed": 2,
      "parameters": {"building_blocks.trust": [0.2, 0.8], "building_blocks.urgency": [0, 1]}})");
  ex::Experiment e = ex::load_experiment_file(write_experiment(dir, doc));
  REQUIRE(e.design.points.size() == 8 * 4);
  REQUIRE(e.design.roles.size() == 32);
  for (const auto& p : e.design.points) {
    CHECK(p[0] >= 0.2);
    CHECK(p[0] <= 0.8);
  }
  e = ex::load_experiment_file(write_experiment(dir, morris_experiment()));
  CHECK(e.design.points.size() == 4 * 3);
  CHECK(e.run_count() == 12);
  // Parameters in key order (process_leadership, trust); trust on its 4-level grid over [0.2, 0.8].
  REQUIRE(e.design.parameters[1].path == "building_blocks.trust");
  std::set<double> trust;
  for (const auto& p : e.design.points) trust.insert(p[1]);
  for (double t : trust) CHECK(std::fabs((t - 0.2) / 0.6 * 3 - std::round((t - 0.2) / 0.6 * 3)) < 1e-9);

  doc["design"] = json::parse(R"({"method": "morris", "samples": 4, "levels": 5, "parameters": {"building_blocks.trust": [0, 1]}})");
  CHECK_THROWS_WITH(ex::load_experiment_file(write_experiment(dir, doc, "bad.json")), Catch::Contains("even number of levels"));
  doc["design"] = json::parse(R"({"method": "sobl", "samples": 4, "parameters": {"building_blocks.trust": [0, 1]}})");
  CHECK_THROWS_WITH(ex::load_experiment_file(write_experiment(dir, doc, "bad.json")), Catch::Contains("did you mean \"sobol\"?"));
}

TEST_CASE("sensitivity: the shipped Morris example is valid", "[experiment][sensitivity]") {
  const ex::Experiment e =
      ex::load_experiment_file((test::source_dir() / "scenarios" / "hengelo-noord-sensitivity.json").string());
  CHECK(e.design.method == "morris");
  CHECK(e.design.parameters.size() == 7);
  CHECK(e.design.points.size() == 10 * 8);
  CHECK(e.run_count() == 160);
}

TEST_CASE("sensitivity: a small Morris experiment end to end", "[experiment][sensitivity]") {
  TempDir dir("sens-e2e");
  const auto file = write_experiment(dir, morris_experiment());
  const std::string out = (dir / "out").string();
  const CliResult r = test::run_cli({"experiment", file, "--out", out, "--threads", "2", "--progress", "none"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);

  // The manifest holds each point's role.
  const CliResult s = test::run_cli({"sensitivity", out});
  INFO(s.out << s.err);
  REQUIRE(s.exit_code == 0);
  CHECK(contains(s.out, "morris indices of 2 series at week 52"));
  const auto j = json::parse(test::read_file(dir / "out" / "sensitivity.json"));
  CHECK(j["method"] == "morris");
  CHECK(j["week"] == 52);
  CHECK(j["level"] == "city");
  CHECK(j["levels"] == 4);
  CHECK(j["delta"].get<double>() == Approx(2.0 / 3.0));
  CHECK(j["bootstrap"]["resamples"] == 1000);
  CHECK(j["parameters"] == json({"building_blocks.process_leadership", "building_blocks.trust"}));
  REQUIRE(j["results"].size() == 2);
  for (const auto& res : j["results"]) {
    CHECK(res["variant"] == "baseline");
    CHECK(res["trajectories"] == 4);
    REQUIRE(res["indices"].size() == 2);
    for (const auto& idx : res["indices"]) {
      for (const char* key : {"mu", "mu_star", "sigma"}) {
        REQUIRE(idx.contains(key));
        CHECK(idx[key]["estimate"].is_number());
        CHECK(idx[key].contains("ci_low"));
        CHECK(idx[key].contains("ci_high"));
      }
      CHECK(idx["mu_star"]["estimate"].get<double>() >= std::fabs(idx["mu"]["estimate"].get<double>()) - 1e-12);
    }
  }
  const auto csv = test::read_file(dir / "out" / "sensitivity.csv");
  CHECK(csv.rfind("parameter,outcome,method,index,estimate,ci_low,ci_high,variant,level,unit,week,n\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 2 * 2 * 3);  // outcomes x parameters x (mu, mu*, sigma)
  CHECK(contains(csv, "building_blocks.trust,active_share,morris,mu_star,"));
  CHECK(test::entries_containing(dir / "out", ".tmp-").empty());

  SECTION("one outcome, a stored week, and wrong arguments") {
    const CliResult one = test::run_cli({"sensitivity", out, "--outcome", "unsafe_share", "--week", "24"});
    REQUIRE(one.exit_code == 0);
    const auto j1 = json::parse(test::read_file(dir / "out" / "sensitivity.json"));
    CHECK(j1["week"] == 24);
    CHECK(j1["results"].size() == 1);
    const CliResult wrong = test::run_cli({"sensitivity", out, "--outcome", "active_shar", "--level", "wijk"});
    CHECK(wrong.exit_code == 2);
    CHECK(contains(wrong.err, "did you mean \"active_share\"?"));
    CHECK(contains(wrong.err, "--level"));
    CHECK(test::run_cli({"sensitivity", out, "--week", "25"}).exit_code == 2);
  }
}

TEST_CASE("sensitivity: a small Sobol' experiment end to end", "[experiment][sensitivity]") {
  TempDir dir("sens-sobol");
  auto doc = morris_experiment();
  doc["years"] = 0.25;
  doc["design"] = json::parse(R"({"method": "sobol", "samples": 4, "seed": 5,
      "parameters": {"building_blocks.trust": [0.2, 0.8], "building_blocks.urgency": [0, 1]}})");
  const auto file = write_experiment(dir, doc);
  const std::string out = (dir / "out").string();
  REQUIRE(test::run_cli({"experiment", file, "--out", out, "--threads", "2", "--progress", "none"}).exit_code == 0);
  const CliResult s = test::run_cli({"sensitivity", out, "--outcome", "mean_trust"});
  INFO(s.out << s.err);
  CHECK(s.exit_code == 2);  // not an outcome of this experiment
  const CliResult s2 = test::run_cli({"sensitivity", out});
  INFO(s2.out << s2.err);
  REQUIRE(s2.exit_code == 0);
  const auto j = json::parse(test::read_file(dir / "out" / "sensitivity.json"));
  CHECK(j["method"] == "sobol");
  CHECK(j["design_method"] == "sobol");
  CHECK(j["base_rows"] == 4);
  REQUIRE(j["results"].size() == 2);
  for (const auto& res : j["results"]) {
    CHECK(res["rows"] == 4);
    REQUIRE(res["indices"].size() == 2);
    for (const auto& idx : res["indices"])
      for (const char* key : {"S1", "ST"}) {
        REQUIRE(idx.contains(key));
        CHECK(idx[key].contains("estimate"));
        CHECK(idx[key].contains("ci_low"));
      }
  }
  const auto csv = test::read_file(dir / "out" / "sensitivity.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 2 * 2 * 2);  // outcomes x parameters x (S1, ST)
  CHECK(contains(csv, "building_blocks.urgency,unsafe_share,sobol,ST,"));
}

TEST_CASE("sensitivity: a store without a sensitivity design is refused", "[experiment][sensitivity]") {
  TempDir dir("sens-refused");
  auto doc = morris_experiment();
  doc["design"] = json::parse(R"({"method": "grid", "samples": 2, "parameters": {"building_blocks.trust": [0.2, 0.8]}})");
  doc["years"] = 0.1;
  const auto file = write_experiment(dir, doc);
  const std::string out = (dir / "out").string();
  REQUIRE(test::run_cli({"experiment", file, "--out", out, "--threads", "2", "--progress", "none"}).exit_code == 0);
  const CliResult s = test::run_cli({"sensitivity", out});
  CHECK(s.exit_code == 2);
  CHECK(contains(s.err, "with a grid design; expected a sensitivity design"));
}
