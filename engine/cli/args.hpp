#pragma once
// Small, strict argument parsing shared by the subcommands: every bad flag is an input error
// (exit code 2) that names the flag and what was expected.
#include <optional>
#include <string>
#include <vector>

namespace wijksim::cli {

class Args {
 public:
  Args(std::string command, std::vector<std::string> args) : command_(std::move(command)), args_(std::move(args)) {}

  // Takes "--name VALUE" or "--name=VALUE" (last one wins; repeatable ones via take_all).
  std::optional<std::string> take(const std::string& name);
  std::vector<std::string> take_all(const std::string& name);
  bool take_flag(const std::string& name);
  // What is left must be positional arguments: an unknown flag is an error.
  std::vector<std::string> positionals(std::size_t min, std::size_t max, const std::string& usage);

  long long integer(const std::string& flag, const std::string& value, long long lo, long long hi) const;
  double number(const std::string& flag, const std::string& value, double lo, double hi) const;

 private:
  std::string command_;
  std::vector<std::string> args_;
};

int cmd_run(const std::vector<std::string>& args, const std::string& command_line);
int cmd_validate(const std::vector<std::string>& args);
int cmd_params(const std::vector<std::string>& args);
int cmd_metrics(const std::vector<std::string>& args);
int cmd_import_cbs(const std::vector<std::string>& args);

}  // namespace wijksim::cli
