// The command line as a finished tool: help for every command, suggestions for typing errors,
// --quiet, --set with spaces, and numbers in messages as people write them.
#include <catch2/catch.hpp>
#include <string>

#include "require_exit.hpp"
#include "test_support.hpp"

using namespace wijksim;
using nlohmann::json;
using test::CliResult;
using test::contains;
using test::TempDir;
namespace fs = std::filesystem;

namespace {


// Every command and, for each, options its help must explain.
struct CommandHelp {
  std::string name;
  std::vector<std::string> options;
};
const std::vector<CommandHelp> kCommands = {
    {"run", {"--out", "--seed", "--replicates", "--threads", "--years", "--detail", "--set", "--force", "--quiet"}},
    {"validate", {"--set", "--quiet"}},
    {"params", {"--format"}},
    {"metrics", {"--format"}},
    {"import-cbs",
     {"--gemeente", "--all", "--wijk", "--out", "--force", "--kwb", "--indicators", "--income", "--quiet"}},
    {"experiment",
     {"--out", "--replicates", "--threads", "--dry-run", "--progress", "--fail-fast", "--shard", "--quiet"}},
    {"merge", {"--out", "--quiet"}},
    {"export", {"--out", "--format", "--quiet"}},
    {"compare", {"--quiet"}},
    {"sensitivity", {"--outcome", "--level", "--week", "--quiet"}},
    {"discover", {"--outcome", "--below", "--above", "--variant", "--alpha", "--density", "--quiet"}},
    {"calibrate", {"--out", "--threads", "--max-evaluations", "--progress", "--quiet"}},
    {"abc", {"--out", "--threads", "--progress", "--measure", "--replicates", "--set", "--median-of", "--quiet"}},
    {"report", {"--out", "--lang", "--sensitivity", "--bench", "--force", "--quiet"}},
    {"serve", {"--port", "--bind", "--threads", "--data", "--web", "--quiet"}},
    {"version", {}},
};

// The help line of `option`: the option followed by its explanation on the same line.
bool explained(const std::string& help, const std::string& option) {
  std::size_t at = 0;
  while ((at = help.find(option, at)) != std::string::npos) {
    const std::size_t eol = help.find('\n', at);
    const std::string line = help.substr(at, eol == std::string::npos ? std::string::npos : eol - at);
    // "--out DIR      the folder ...": at least three words after the option and its value.
    std::size_t words = 0;
    bool in_word = false;
    for (char c : line.substr(option.size())) {
      if (c != ' ' && !in_word) ++words;
      in_word = c != ' ';
    }
    if ((at == 0 || help[at - 1] == ' ' || help[at - 1] == ',') && words >= 4) return true;
    at += option.size();
  }
  return false;
}

std::string small_scenario(const TempDir& dir) {
  auto doc = test::small_generated_scenario(0.2, 0.05);
  const auto file = dir / "small.json";
  test::write_file(file, doc.dump(2));
  return file.string();
}

}  // namespace

TEST_CASE("cli help: every command has --help, -h and `wijksim help COMMAND`, each option explained", "[cli]") {
  for (const auto& c : kCommands) {
    INFO(c.name);
    const CliResult long_form = test::run_cli({c.name, "--help"});
    REQUIRE_EXIT(long_form, 0);
    const CliResult short_form = test::run_cli({c.name, "-h"});
    REQUIRE_EXIT(short_form, 0);
    const CliResult via_help = test::run_cli({"help", c.name});
    REQUIRE_EXIT(via_help, 0);
    CHECK(long_form.out == short_form.out);
    CHECK(long_form.out == via_help.out);
    CHECK(contains(long_form.out, "usage:"));
    CHECK(contains(long_form.out, "wijksim " + c.name));
    CHECK(long_form.err.empty());
    for (const auto& o : c.options) {
      INFO(o << " in\n" << long_form.out);
      CHECK(explained(long_form.out, o));
    }
  }
  // The overview lists every command.
  const CliResult overview = test::run_cli({"help"});
  REQUIRE_EXIT(overview, 0);
  for (const auto& c : kCommands) CHECK(contains(overview.out, "\n  " + c.name + " "));
  CHECK(contains(overview.out, "plot"));
  // plot's options are its Python tool's (argparse), reached the same three ways.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"plot", "--help"}, {"plot", "-h"}, {"help", "plot"}}) {
    const CliResult p = test::run_cli(args);
    REQUIRE_EXIT(p, 0);
    CHECK(contains(p.out, "usage: wijksim plot"));
  }
  CHECK(test::run_cli({"--help"}).out == overview.out);
  CHECK(test::run_cli({"-h"}).exit_code == 0);
  // Without a command: the overview on stderr, exit 2 (nothing was done).
  const CliResult none = test::run_cli({});
  REQUIRE_EXIT(none, 2);
  CHECK(contains(none.err, "commands:"));
}

TEST_CASE("cli help: a mistyped command or option suggests the nearest one, exit 2", "[cli]") {
  const CliResult cmd = test::run_cli({"experimnt", "x.json"});
  REQUIRE_EXIT(cmd, 2);
  CHECK(contains(cmd.err, "unknown command \"experimnt\""));
  CHECK(contains(cmd.err, "did you mean 'experiment'?"));
  const CliResult help = test::run_cli({"help", "valdate"});
  REQUIRE_EXIT(help, 2);
  CHECK(contains(help.err, "did you mean 'validate'?"));
  const CliResult far = test::run_cli({"xyzzyplugh"});
  REQUIRE_EXIT(far, 2);
  CHECK_FALSE(contains(far.err, "did you mean"));
  const CliResult opt = test::run_cli({"run", "x.json", "--thraeds", "2"});
  REQUIRE_EXIT(opt, 2);
  CHECK(contains(opt.err, "--thraeds: unknown option; did you mean --threads?"));
  const CliResult missing = test::run_cli({"export", "dir", "--out"});
  REQUIRE_EXIT(missing, 2);
  CHECK(contains(missing.err, "missing value after --out"));
  const CliResult next_flag = test::run_cli({"run", "x.json", "--out", "--force"});
  REQUIRE_EXIT(next_flag, 2);
  CHECK(contains(next_flag.err, "missing value after --out"));
  const CliResult count = test::run_cli({"validate", "a.json", "b.json"});
  REQUIRE_EXIT(count, 2);
  CHECK(contains(count.err, "expected 1 argument(s) (SCENARIO), found more"));
}

TEST_CASE("cli quiet: --quiet prints nothing but errors", "[cli]") {
  TempDir dir("cli-quiet");
  const std::string s = small_scenario(dir);
  const CliResult loud = test::run_cli({"run", s, "--out", (dir / "loud").string(), "--threads", "1"});
  REQUIRE_EXIT(loud, 0);
  CHECK(contains(loud.out, "active_share"));
  const CliResult quiet = test::run_cli({"run", s, "--out", (dir / "quiet").string(), "--threads", "1", "--quiet"});
  REQUIRE_EXIT(quiet, 0);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.empty());
  CHECK(fs::is_regular_file(dir / "quiet" / "manifest.json"));  // the work is done all the same
  const CliResult v = test::run_cli({"validate", s, "-q"});
  REQUIRE_EXIT(v, 0);
  CHECK(v.out.empty());
  CHECK(v.err.empty());
  // Errors still print.
  const CliResult bad = test::run_cli({"validate", (dir / "none.json").string(), "--quiet"});
  REQUIRE_EXIT(bad, 2);
  CHECK(contains(bad.err, "no such file"));
  // An experiment, its export and comparison.
  json e = {{"scenario", "small.json"},
            {"years", 0.2},
            {"replicates", 2},
            {"outcomes", {"active_share"}},
            {"variants", {{{"name", "base"}}, {{"name", "trust"}, {"set", {{"building_blocks.trust", 0.6}}}}}}};
  test::write_file(dir / "exp.json", e.dump());
  const std::string store = (dir / "store").string();
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"experiment", (dir / "exp.json").string(), "--out", store, "--threads", "1", "--quiet"},
           {"export", store, "--quiet"},
           {"compare", store, "--quiet"}}) {
    const CliResult r = test::run_cli(args);
    REQUIRE_EXIT(r, 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
  }
  CHECK(fs::is_regular_file(fs::path(store) / "runs.csv"));
  CHECK(fs::is_regular_file(fs::path(store) / "comparison.json"));
}

TEST_CASE("cli set: spaces around = are trimmed and recorded without them", "[cli]") {
  TempDir dir("cli-set-spaces");
  const std::string s = small_scenario(dir);
  const CliResult r = test::run_cli({"run", s, "--out", (dir / "out").string(), "--quiet", "--threads", "1", "--set",
                                     " building_blocks.trust =  0.45 "});
  REQUIRE_EXIT(r, 0);
  const json m = json::parse(test::read_file(dir / "out" / "manifest.json"));
  CHECK(m["scenario"]["building_blocks"]["trust"] == 0.45);
  CHECK(std::find(m["overrides"].begin(), m["overrides"].end(), "building_blocks.trust=0.45") != m["overrides"].end());
  const CliResult v = test::run_cli({"validate", s, "--set", "building_blocks.trust = 9"});
  REQUIRE_EXIT(v, 2);
  CHECK(contains(v.err, "building_blocks.trust"));
  const CliResult no_eq = test::run_cli({"validate", s, "--set", "building_blocks.trust 0.4"});
  REQUIRE_EXIT(no_eq, 2);
  CHECK(contains(no_eq.err, "PATH=VALUE"));
}

TEST_CASE("cli numbers: ranges in messages are written as people write them", "[cli]") {
  TempDir dir("cli-numbers");
  const std::string s = small_scenario(dir);
  const CliResult r = test::run_cli({"run", s, "--out", (dir / "out").string(), "--years", "1000"});
  REQUIRE_EXIT(r, 2);
  CHECK(contains(r.err, "--years: found \"1000\", expected a number in [0.02, 100]"));
  CHECK_FALSE(contains(r.err, "0.020000"));
  const CliResult a =
      test::run_cli({"discover", dir.path().string(), "--outcome", "x", "--below", "1", "--alpha", "0.9"});
  REQUIRE_EXIT(a, 2);
  CHECK(contains(a.err, "expected a number in [0.01, 0.5]"));
}
