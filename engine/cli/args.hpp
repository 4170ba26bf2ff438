#pragma once
// The subcommands' argument parsing, on CLI11 (Debian's libcli11-dev): each command declares its
// options with a sentence of help, so `wijksim COMMAND --help` (and `-h`, `wijksim help COMMAND`)
// explains every one. Values arrive as text and are checked by the command with integer(),
// number() and choice(), so every bad flag is an input error (exit code 2) that names the flag,
// what was found and what was expected.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wijksim/core/error.hpp"
#include "wijksim/scenario/load.hpp"

namespace CLI {
class App;
}

namespace wijksim::cli {

// Whether this command was given --quiet: then only errors are printed (no progress, summaries
// or warnings). Standard output is pointed at /dev/null as soon as the flag is parsed.
bool quiet();

class Command {
 public:
  // `usage` is the synopsis shown in --help and in errors, e.g. "wijksim run SCENARIO [options]".
  Command(std::string name, std::string summary, std::string usage);
  ~Command();
  Command(const Command&) = delete;
  Command& operator=(const Command&) = delete;

  // "--name VALUE" or "--name=VALUE"; given twice, the last one wins.
  void option(const std::string& flag, std::optional<std::string>& into, const std::string& value_name,
              const std::string& help);
  // Repeatable: every value in order.
  void repeated(const std::string& flag, std::vector<std::string>& into, const std::string& value_name,
                const std::string& help);
  void flag(const std::string& flag, bool& into, const std::string& help);
  // -q, --quiet (see quiet()); `help` replaces the standard explanation. Without
  // `silence_stdout` the command keeps standard output (serve prints its address there).
  void quiet_flag(const std::string& help = "", bool silence_stdout = true);
  // min..max positional arguments, called `name` in the help.
  void positionals(const std::string& name, std::vector<std::string>& into, std::size_t min, std::size_t max,
                   const std::string& help);
  // Text after the options in --help (notes, examples, where the docs are).
  void footer(const std::string& text);

  // Parses the arguments after the command's name. Returns true when help was asked for and
  // printed (the caller returns 0); throws InputError for anything wrong.
  bool parse(const std::vector<std::string>& args);
  std::string help() const;

  long long integer(const std::string& flag, const std::string& value, long long lo, long long hi) const;
  double number(const std::string& flag, const std::string& value, double lo, double hi) const;
  // One of `allowed`, else an error listing them. By value: `allowed` is usually a braced list,
  // a temporary that is gone by the caller's next statement.
  std::string choice(const std::string& flag, const std::string& value,
                            const std::vector<std::string>& allowed) const;

 private:
  struct Positional {
    std::string name;
    std::vector<std::string>* into;
    std::size_t min, max;
  };
  std::vector<Problem> unknown_options(const std::vector<std::string>& args) const;
  std::string count_problem(std::size_t found, bool more) const;

  std::string name_, usage_;
  std::unique_ptr<CLI::App> app_;
  std::optional<Positional> positional_;
  bool quiet_ = false, has_quiet_ = false, quiet_silences_stdout_ = true;
};

// --set PATH=VALUE with the spaces around PATH and VALUE trimmed (--set "building_blocks.trust = 0.4").
Override set_override(const std::string& arg);

int cmd_run(const std::vector<std::string>& args, const std::string& command_line);
int cmd_validate(const std::vector<std::string>& args);
int cmd_params(const std::vector<std::string>& args);
int cmd_metrics(const std::vector<std::string>& args);
int cmd_import_cbs(const std::vector<std::string>& args);

}  // namespace wijksim::cli
