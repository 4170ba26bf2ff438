#include "args.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "wijksim/core/error.hpp"
#include "wijksim/core/number_text.hpp"

namespace wijksim::cli {

namespace {

bool g_quiet = false;

// Standard output goes to /dev/null; standard error (errors) stays.
void silence_stdout() {
  std::fflush(stdout);
  std::cout.flush();
  const int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    dup2(fd, STDOUT_FILENO);
    close(fd);
  }
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  const auto b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

// The names of an option as given to CLI11 ("-q,--quiet"): its long form.
std::string long_name(const std::string& flags) {
  const auto comma = flags.rfind(',');
  return comma == std::string::npos ? flags : flags.substr(comma + 1);
}

// CLI11's help with the command's own synopsis (which shows alternatives and repeats that a
// generated "[OPTIONS]" line cannot).
class Formatter : public CLI::Formatter {
 public:
  explicit Formatter(std::string usage) : usage_(std::move(usage)) { column_width(kColumn); }
  std::string make_description(const CLI::App* app) const override {
    return wrap(app->get_description(), kWidth) + "\n\n";
  }
  std::string make_usage(const CLI::App*, std::string) const override { return "usage:\n  " + usage_ + "\n"; }
  std::string make_option_desc(const CLI::Option* o) const override {
    return wrap(o->get_description(), kWidth - kColumn);
  }
  std::string make_footer(const CLI::App* app) const override {
    const std::string f = app->get_footer();
    return f.empty() ? "" : wrap(f, kWidth) + "\n";
  }

  // Breaks text at spaces into lines of at most `width` characters (existing line breaks kept).
  static std::string wrap(const std::string& text, std::size_t width) {
    std::string out, line, word;
    auto flush_word = [&] {
      if (word.empty()) return;
      if (!line.empty() && line.size() + 1 + word.size() > width) {
        out += line + "\n";
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
      word.clear();
    };
    for (char c : text) {
      if (c == ' ')
        flush_word();
      else if (c == '\n') {
        flush_word();
        out += line + "\n";
        line.clear();
      } else
        word += c;
    }
    flush_word();
    return out + line;
  }

 private:
  static constexpr std::size_t kColumn = 30, kWidth = 100;
  std::string usage_;
};

}  // namespace

bool quiet() { return g_quiet; }

Override set_override(const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos) return parse_override(trim(arg));  // its error names the form
  return parse_override(trim(arg.substr(0, eq)) + "=" + trim(arg.substr(eq + 1)));
}

Command::Command(std::string name, std::string summary, std::string usage)
    : name_(std::move(name)),
      usage_(std::move(usage)),
      app_(std::make_unique<CLI::App>(std::move(summary), "wijksim " + name_)) {
  app_->option_defaults()->group("options");
  app_->set_help_flag("-h,--help", "print this help and exit");
  app_->formatter(std::make_shared<Formatter>(usage_));
  app_->get_formatter()->label("REQUIRED", "");
  app_->get_formatter()->label("Positionals", "arguments");
}

Command::~Command() = default;

void Command::option(const std::string& flag, std::optional<std::string>& into, const std::string& value_name,
                     const std::string& help) {
  const std::string name = long_name(flag), command = name_;
  app_->add_option_function<std::string>(
          flag,
          [&into, name, command](const std::string& v) {
            // "--out --force": the next flag is not a value.
            if (v.size() > 2 && v.compare(0, 2, "--") == 0)
              throw InputError(std::vector<Problem>{{command, name, "missing value after " + name}});
            into = v;
          },
          help)
      ->type_name(value_name)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

void Command::repeated(const std::string& flag, std::vector<std::string>& into, const std::string& value_name,
                       const std::string& help) {
  app_->add_option(flag, into, help)
      ->type_name(value_name)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->expected(1)
      ->allow_extra_args(false);
}

void Command::flag(const std::string& flag, bool& into, const std::string& help) { app_->add_flag(flag, into, help); }

void Command::quiet_flag(const std::string& help, bool silence_stdout) {
  has_quiet_ = true;
  quiet_silences_stdout_ = silence_stdout;
  app_->add_flag("-q,--quiet", quiet_,
                 help.empty() ? "print nothing but errors (no progress, summaries or warnings)" : help);
}

void Command::positionals(const std::string& name, std::vector<std::string>& into, std::size_t min, std::size_t max,
                          const std::string& help) {
  positional_ = Positional{name, &into, min, max};
  // Counted here rather than by CLI11, so a wrong count names what was expected.
  app_->add_option(name, into, help)->type_name("")->expected(0, static_cast<int>(std::min<std::size_t>(max, 1 << 20)));
}

void Command::footer(const std::string& text) { app_->footer(text); }

std::string Command::help() const { return app_->help(); }

std::vector<Problem> Command::unknown_options(const std::vector<std::string>& args) const {
  std::vector<std::string> options;
  for (const CLI::Option* o : app_->get_options()) {
    for (const auto& l : o->get_lnames()) options.push_back("--" + l);
    for (const auto& s : o->get_snames()) options.push_back("-" + s);
  }
  std::vector<Problem> problems;
  for (const auto& a : args) {
    if (a == "--") break;
    // "-0.5" is a value (a negative threshold), not an option.
    if (a.size() < 2 || a[0] != '-' || std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.') continue;
    const std::string given = a.substr(0, a.find('='));
    if (std::find(options.begin(), options.end(), given) != options.end()) continue;
    const std::string near = nearest(given, options);
    problems.push_back({name_, given,
                        "unknown option" + (near.empty() ? "" : "; did you mean " + near + "?") + " (see `wijksim " +
                            name_ + " --help`)"});
  }
  return problems;
}

std::string Command::count_problem(std::size_t found, bool more) const {
  const auto& p = *positional_;
  std::string usage;  // on one line
  for (std::size_t i = 0; i < usage_.size(); ++i) {
    if (usage_[i] == '\n') {
      while (i + 1 < usage_.size() && usage_[i + 1] == ' ') ++i;
      usage += ' ';
    } else {
      usage += usage_[i];
    }
  }
  const std::string expected = p.min == p.max ? std::to_string(p.min)
                               : more         ? "at most " + std::to_string(p.max)
                                              : "at least " + std::to_string(p.min);
  return "expected " + expected + " argument(s) (" + p.name + "), found " + (more ? "more" : std::to_string(found)) +
         "; usage: " + usage;
}

bool Command::parse(const std::vector<std::string>& args) {
  // CLI11 takes the arguments in reverse order.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  const std::string see = "see `wijksim " + name_ + " --help`";
  try {
    app_->parse(reversed);
  } catch (const CLI::CallForHelp&) {
    std::cout << help();
    return true;
  } catch (const CLI::ExtrasError&) {
    std::vector<Problem> problems = unknown_options(args);
    if (problems.empty() && positional_) problems.push_back({name_, "", count_problem(0, true)});
    if (problems.empty())
      problems.push_back({name_, "", "takes no arguments besides options; see `wijksim " + name_ + " --help`"});
    throw InputError(problems);
  } catch (const CLI::ArgumentMismatch& e) {
    std::vector<Problem> problems = unknown_options(args);
    if (!problems.empty()) throw InputError(problems);
    // "--threads: 1 required T missing": the flag was last, without its value.
    const std::string what = e.what();
    const std::string flag = what.substr(0, what.find(':'));
    if (positional_ && flag == positional_->name)
      throw InputError(std::vector<Problem>{{name_, "", count_problem(0, true)}});
    throw InputError(std::vector<Problem>{{name_, flag, "missing value after " + flag + " (" + see + ")"}});
  } catch (const CLI::ParseError& e) {
    throw InputError(std::vector<Problem>{{name_, "", std::string(e.what()) + " (" + see + ")"}});
  }
  if (positional_ && positional_->into->size() < positional_->min)
    throw InputError(std::vector<Problem>{{name_, "", count_problem(positional_->into->size(), false)}});
  if (has_quiet_ && quiet_) {
    g_quiet = true;
    if (quiet_silences_stdout_) silence_stdout();
  }
  return false;
}

long long Command::integer(const std::string& flag, const std::string& value, long long lo, long long hi) const {
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(value, &used);
  } catch (...) {
    used = 0;
  }
  if (used != value.size() || value.empty() || v < lo || v > hi)
    throw InputError(std::vector<Problem>{
        {name_, flag,
         "found \"" + value + "\", expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]"}});
  return v;
}

double Command::number(const std::string& flag, const std::string& value, double lo, double hi) const {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(value, &used);
  } catch (...) {
    used = 0;
  }
  if (used != value.size() || value.empty() || !std::isfinite(v) || v < lo || v > hi)
    throw InputError(std::vector<Problem>{
        {name_, flag,
         "found \"" + value + "\", expected a number in [" + number_text(lo) + ", " + number_text(hi) + "]"}});
  return v;
}

std::string Command::choice(const std::string& flag, const std::string& value,
                            const std::vector<std::string>& allowed) const {
  for (const auto& a : allowed)
    if (a == value) return a;
  std::string list;
  for (std::size_t i = 0; i < allowed.size(); ++i)
    list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
  throw InputError(std::vector<Problem>{{name_, flag, "found \"" + value + "\", expected " + list}});
}

}  // namespace wijksim::cli
