// Golden-file regression: the small scenario's timeseries.csv must match the committed
// golden file byte for byte. On a mismatch the failure shows the differing rows side by side.
// After an intended model change, rewrite the golden file with
//   WIJKSIM_UPDATE_GOLDEN=1 ctest --test-dir build/tests -R golden --output-on-failure
// and commit it together with the change (tests/README.md).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "csv_diff.hpp"
#include "test_support.hpp"

using namespace wijksim;
namespace fs = std::filesystem;

namespace {

bool update_mode() {
  const char* v = std::getenv("WIJKSIM_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

fs::path scenario_file() { return test::source_dir() / "tests" / "regression" / "small.json"; }
fs::path golden_file() { return test::source_dir() / "tests" / "regression" / "golden" / "small_timeseries.csv"; }

// Rewrites the golden file through a temporary name, so an interrupted update never leaves
// half a file behind.
void write_golden(const std::string& text) {
  fs::create_directories(golden_file().parent_path());
  const fs::path tmp = golden_file().string() + ".tmp";
  test::write_file(tmp, text);
  fs::rename(tmp, golden_file());
}

}  // namespace

TEST_CASE("golden: the small scenario's timeseries matches the golden file", "[regression][golden]") {
  test::TempDir dir("golden");
  const test::CliResult r =
      test::run_cli({"run", scenario_file().string(), "--out", (dir / "run").string(), "--threads", "2", "--quiet"});
  {
    INFO(r.command << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    REQUIRE(r.exit_code == 0);
  }
  const std::string fresh = test::read_file(dir / "run" / "timeseries.csv");
  REQUIRE(fresh.rfind("replicate,week,level,unit,metric,value\n", 0) == 0);

  if (update_mode()) {
    write_golden(fresh);
    WARN("WIJKSIM_UPDATE_GOLDEN=1: rewrote " << golden_file().string() << " (" << fresh.size() << " bytes)");
    return;
  }
  if (!fs::exists(golden_file()))
    FAIL("no golden file at " << golden_file().string()
                              << "; create it with WIJKSIM_UPDATE_GOLDEN=1 ctest --test-dir build/tests -R golden");
  const test::CsvDiff d = test::diff_timeseries(test::read_file(golden_file()), fresh);
  if (!d.identical)
    FAIL(d.report() << "If the change is intended, rewrite the golden file:\n"
                    << "  WIJKSIM_UPDATE_GOLDEN=1 ctest --test-dir build/tests -R golden\n"
                    << "and commit " << golden_file().string() << " with the change.");
  SUCCEED("identical to the golden file (" << d.golden_rows << " rows)");
}

TEST_CASE("golden: the diff shows differing rows side by side and counts them", "[regression][diff]") {
  const std::string header = "replicate,week,level,unit,metric,value\n";
  std::string golden = header, fresh = header;
  for (int week = 0; week < 30; ++week) {
    const std::string key = "0," + std::to_string(week) + ",city,GM1,active_share,";
    golden += key + "0.05\n";
    fresh += key + (week % 2 == 0 ? "0.05" : "0.0625") + "\n";  // 15 rows differ
  }
  SECTION("value changes") {
    const test::CsvDiff d = test::diff_timeseries(golden, fresh);
    CHECK_FALSE(d.identical);
    CHECK(d.golden_rows == 30);
    CHECK(d.differing == 15);
    CHECK(d.only_golden == 0);
    CHECK(d.only_new == 0);
    REQUIRE(d.examples.size() == 15);
    CHECK(d.examples[0].find("0,1,city,GM1,active_share") != std::string::npos);
    CHECK(d.examples[0].find("0.05") != std::string::npos);
    CHECK(d.examples[0].find("0.0625") != std::string::npos);
    CHECK(d.examples[0].find("+0.0125") != std::string::npos);
    const std::string report = d.report();
    CHECK(report.find("15 of 30 rows") != std::string::npos);
    CHECK(report.find("golden vs new") != std::string::npos);
    CHECK(report.find("golden") != std::string::npos);
  }
  SECTION("at most max_examples rows are shown, the rest counted") {
    const test::CsvDiff d = test::diff_timeseries(golden, fresh, 4);
    CHECK(d.differing == 15);
    CHECK(d.examples.size() == 4);
    CHECK(d.report().find("... and 11 more") != std::string::npos);
  }
  SECTION("missing and extra rows") {
    const std::string shorter = header + "0,0,city,GM1,active_share,0.05\n0,99,city,GM1,active_share,0.05\n";
    const test::CsvDiff d = test::diff_timeseries(golden, shorter);
    CHECK(d.only_golden == 29);
    CHECK(d.only_new == 1);
    CHECK(d.report().find("(missing)") != std::string::npos);
  }
  SECTION("identical files") {
    const test::CsvDiff d = test::diff_timeseries(golden, golden);
    CHECK(d.identical);
    CHECK(d.differing == 0);
  }
  SECTION("same values, different bytes (line endings) still fail") {
    std::string crlf;
    for (char c : golden) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    const test::CsvDiff d = test::diff_timeseries(golden, crlf);
    CHECK_FALSE(d.identical);
    CHECK(d.differing == 0);
    CHECK(d.order_differs);
    CHECK(d.report().find("line endings") != std::string::npos);
  }
}
