// wijksim: the command line. Each subcommand lives in its own file; this file only dispatches
// and turns errors into exit codes: 2 for invalid input or arguments, 1 for a failure while
// running.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "abc_command.hpp"
#include "args.hpp"
#include "calibrate_command.hpp"
#include "experiment_commands.hpp"
#include "serve_command.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/version.hpp"

namespace {

int print_version(const std::vector<std::string>& argv) {
  wijksim::cli::Command cmd("version", "Prints the engine's version, git revision and compiler.", "wijksim version");
  if (cmd.parse(argv)) return 0;
  std::cout << "wijksim " << wijksim::build_info::version << " (" << wijksim::build_info::git_revision << ", "
            << wijksim::build_info::compiler << ")\n";
  return 0;
}

using Handler = int (*)(const std::vector<std::string>&, const std::string&);

struct Entry {
  const char* name;
  const char* summary;
  Handler run;
};

// Every command, in the order `wijksim help` lists them; each explains its options with --help.
const std::vector<Entry>& commands() {
  using namespace wijksim::cli;
  static const std::vector<Entry> list = {
      {"run", "simulate one scenario (replicates, per-week outcomes) into a folder", cmd_run},
      {"validate", "check a scenario file and report every problem",
       [](const auto& a, const auto&) { return cmd_validate(a); }},
      {"params", "every parameter: unit, default, range, source",
       [](const auto& a, const auto&) { return cmd_params(a); }},
      {"metrics", "every recorded metric: unit, meaning, level, better direction",
       [](const auto& a, const auto&) { return cmd_metrics(a); }},
      {"import-cbs", "a scenario of a real gemeente from CBS data",
       [](const auto& a, const auto&) { return cmd_import_cbs(a); }},
      {"experiment",
       "run an experiment file into a results store (rerun: resume, or add replicates)",
       cmd_experiment},
      {"merge", "merge results stores of the same experiment", [](const auto& a, const auto&) { return cmd_merge(a); }},
      {"export", "a results store as CSV files (runs, outcomes, metric dictionary)",
       [](const auto& a, const auto&) { return cmd_export(a); }},
      {"compare", "every variant against the baseline, with intervals",
       [](const auto& a, const auto&) { return cmd_compare(a); }},
      {"sensitivity", "Morris or Sobol' indices of a design experiment",
       [](const auto& a, const auto&) { return cmd_sensitivity(a); }},
      {"discover", "scenario discovery (PRIM): which parameter ranges lead to an outcome",
       [](const auto& a, const auto&) { return cmd_discover(a); }},
      {"calibrate", "fit free parameters to baseline targets", cmd_calibrate},
      {"abc", "rejection ABC of programme-effect parameters against the programme evidence", cmd_abc},
      {"report", "one self-contained HTML report of an experiment or run",
       [](const auto& a, const auto&) { return cmd_report(a); }},
      {"plot", "single charts (fan, heatgrid, variants, diff, ranking, sensitivity, bench)",
       [](const auto& a, const auto&) { return cmd_plot(a); }},
      {"serve", "the local web workbench", [](const auto& a, const auto&) { return cmd_serve(a); }},
      {"version", "engine version, git revision and compiler",
       [](const auto& a, const auto&) { return print_version(a); }},
      {"help", "this overview, or `wijksim help COMMAND` for one command's options", nullptr},
  };
  return list;
}

std::string overview() {
  std::string s =
      "wijksim - district-programme simulation\n\n"
      "usage:\n  wijksim COMMAND [ARGUMENTS] [OPTIONS]\n  wijksim help COMMAND      (or wijksim COMMAND --help): "
      "the command's options\n\ncommands:\n";
  for (const auto& c : commands()) {
    std::string name = c.name;
    name.resize(std::max<std::size_t>(name.size(), 13), ' ');
    s += "  " + name + c.summary + "\n";
  }
  s += "\nEvery command that prints messages takes -q/--quiet (errors only; plot has its own options).\n"
       "exit codes: 0 ok, 1 failure while running, 2 invalid input or arguments,\n"
       "            130/143 stopped by Ctrl-C/SIGTERM (nothing half-written is left)\n"
       "docs: README.md, docs/EXPERIMENTS.md, docs/CALIBRATION.md, docs/SERVE.md, docs/MODEL.md\n";
  return s;
}

const Entry* find(const std::string& name) {
  for (const auto& c : commands())
    if (name == c.name) return &c;
  return nullptr;
}

int unknown_command(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& c : commands()) names.push_back(c.name);
  const std::string near = wijksim::nearest(name, names);
  std::cerr << "wijksim: unknown command \"" << name << "\"";
  if (!near.empty()) std::cerr << "; did you mean '" << near << "'?";
  std::cerr << " (`wijksim help` lists the commands)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line;
  for (int i = 0; i < argc; ++i) {
    if (i) command_line += ' ';
    command_line += argv[i];
  }
  if (args.empty()) {
    std::cerr << overview();
    return 2;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "--help" || command == "-h" || (command == "help" && args.empty())) {
    std::cout << overview();
    return 0;
  }
  if (command == "--version") command = "version";
  if (command == "help") {
    // `wijksim help COMMAND` is `wijksim COMMAND --help`.
    command = args[0];
    args = {"--help"};
    if (command == "help") {
      std::cout << overview();
      return 0;
    }
  }
  const Entry* entry = find(command);
  if (!entry) return unknown_command(command);
  try {
    return entry->run(args, command_line);
  } catch (const wijksim::InputError& e) {
    for (const auto& p : e.problems()) std::cerr << "error: " << p.format() << "\n";
    return 2;
  } catch (const wijksim::RuntimeFailure& e) {
    std::cerr << "error while running: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "error while running: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error while running: " << e.what() << "\n";
    return 1;
  }
}
