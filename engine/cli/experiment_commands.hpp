#pragma once
// The experiment subcommands (docs/EXPERIMENTS.md): declared apart from args.hpp so they
// stay one self-contained addition to the CLI.
#include <string>
#include <vector>

namespace wijksim::cli {

int cmd_experiment(const std::vector<std::string>& args, const std::string& command_line);
int cmd_merge(const std::vector<std::string>& args);
int cmd_export(const std::vector<std::string>& args);
int cmd_compare(const std::vector<std::string>& args);
int cmd_sensitivity(const std::vector<std::string>& args);
int cmd_discover(const std::vector<std::string>& args);  // cmd_discover.cpp
// tools/plot: the one-file HTML report and the plot tool (cmd_report.cpp).
int cmd_report(const std::vector<std::string>& args);
int cmd_plot(const std::vector<std::string>& args);
// The source tree of the plot tools (cmd_report.cpp): where compare and report look for a
// store's experiment file given relative to a folder that is not the current one.
std::string source_root();

}  // namespace wijksim::cli
