// wijksim: the command line. Each subcommand lives in its own file; this file only dispatches
// and turns errors into exit codes: 2 for invalid input or arguments, 1 for a failure while
// running.
#include <iostream>
#include <string>
#include <vector>

#include "abc_command.hpp"
#include "args.hpp"
#include "calibrate_command.hpp"
#include "experiment_commands.hpp"
#include "serve_command.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/version.hpp"

namespace {

constexpr const char* kUsage = R"(wijksim - district-programme simulation

usage:
  wijksim run SCENARIO [--out DIR] [--seed N] [--replicates R] [--threads T] [--years Y]
                       [--detail city|wijk|buurt] [--set PATH=VALUE]... [--force] [--quiet]
  wijksim validate SCENARIO [--set PATH=VALUE]...
  wijksim params [--format md|json]
  wijksim metrics [--format md|json|csv]   (every recorded metric: unit, meaning, better direction)
  wijksim import-cbs --kwb FILE (--gemeente NAME|CODE | --all) [--wijk CODE]... [--income FILE]
                     --out FILE [--force]      (import-cbs --help for details)
  wijksim experiment FILE --out DIR [--threads T] [--dry-run] [--progress bar|jsonl|none]
                     [--fail-fast] [--shard i/N] (docs/EXPERIMENTS.md; rerun to resume;
                                                 mpirun -np K wijksim experiment ... in MPI builds)
  wijksim merge DIR1 DIR2 ... --out DIR
  wijksim export DIR [--format csv]
  wijksim compare DIR
  wijksim sensitivity DIR [--outcome NAME]... [--level city|wijk|buurt] [--week W]
  wijksim discover DIR --outcome NAME (--below T | --above T) [--variant NAME]
  wijksim calibrate FILE [--out DIR] [--threads T] [--max-evaluations N] [--progress lines|jsonl|none]
                     (docs/CALIBRATION.md)
  wijksim abc FILE --out DIR [--threads T] [--progress lines|none]
  wijksim abc FILE --measure [--replicates R] [--set PATH=VALUE]... [--median-of POSTERIOR]
                     (rejection ABC against the programme evidence; docs/CALIBRATION.md)
  wijksim report DIR --out FILE.html [--lang nl|en] [--sensitivity SDIR] [--bench FILE.json] [--force]
                     (one self-contained HTML report for strategists; tools/plot/README.md)
  wijksim plot fan|heatgrid|bench|variants|diff|ranking|sensitivity ...   (plot --help)
  wijksim serve [--port 8080] [--bind 127.0.0.1] [--threads T] [--data DIR]
                     (the web workbench; docs/SERVE.md)
  wijksim version

exit codes: 0 ok, 1 failure while running, 2 invalid input or arguments
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line;
  for (int i = 0; i < argc; ++i) {
    if (i) command_line += ' ';
    command_line += argv[i];
  }
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "run") return wijksim::cli::cmd_run(args, command_line);
    if (command == "validate") return wijksim::cli::cmd_validate(args);
    if (command == "params") return wijksim::cli::cmd_params(args);
    if (command == "metrics") return wijksim::cli::cmd_metrics(args);
    if (command == "import-cbs") return wijksim::cli::cmd_import_cbs(args);
    if (command == "experiment") return wijksim::cli::cmd_experiment(args, command_line);
    if (command == "merge") return wijksim::cli::cmd_merge(args);
    if (command == "export") return wijksim::cli::cmd_export(args);
    if (command == "compare") return wijksim::cli::cmd_compare(args);
    if (command == "sensitivity") return wijksim::cli::cmd_sensitivity(args);
    if (command == "discover") return wijksim::cli::cmd_discover(args);
    if (command == "calibrate") return wijksim::cli::cmd_calibrate(args, command_line);
    if (command == "abc") return wijksim::cli::cmd_abc(args, command_line);
    if (command == "report") return wijksim::cli::cmd_report(args);
    if (command == "plot") return wijksim::cli::cmd_plot(args);
    if (command == "serve") return wijksim::cli::cmd_serve(args);
    if (command == "version" || command == "--version") {
      std::cout << "wijksim " << wijksim::build_info::version << " (" << wijksim::build_info::git_revision << ", "
                << wijksim::build_info::compiler << ")\n";
      return 0;
    }
    std::cerr << "wijksim: unknown command \"" << command << "\"\n\n" << kUsage;
    return 2;
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
