#include "args.hpp"

#include <cmath>

#include "wijksim/core/error.hpp"

namespace wijksim::cli {

std::optional<std::string> Args::take(const std::string& name) {
  std::optional<std::string> value;
  for (std::size_t i = 0; i < args_.size();) {
    if (args_[i] == name) {
      if (i + 1 >= args_.size() || (args_[i + 1].rfind("--", 0) == 0 && args_[i + 1].size() > 2))
        throw InputError(std::vector<Problem>{{command_, name, "missing value after " + name}});
      value = args_[i + 1];
      args_.erase(args_.begin() + static_cast<long>(i), args_.begin() + static_cast<long>(i) + 2);
    } else if (args_[i].rfind(name + "=", 0) == 0) {
      value = args_[i].substr(name.size() + 1);
      args_.erase(args_.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
  return value;
}

std::vector<std::string> Args::take_all(const std::string& name) {
  std::vector<std::string> values;
  for (std::size_t i = 0; i < args_.size();) {
    if (args_[i] == name) {
      if (i + 1 >= args_.size()) throw InputError(std::vector<Problem>{{command_, name, "missing value after " + name}});
      values.push_back(args_[i + 1]);
      args_.erase(args_.begin() + static_cast<long>(i), args_.begin() + static_cast<long>(i) + 2);
    } else if (args_[i].rfind(name + "=", 0) == 0) {
      values.push_back(args_[i].substr(name.size() + 1));
      args_.erase(args_.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
  return values;
}

bool Args::take_flag(const std::string& name) {
  bool found = false;
  for (std::size_t i = 0; i < args_.size();) {
    if (args_[i] == name) {
      found = true;
      args_.erase(args_.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
  return found;
}

std::vector<std::string> Args::positionals(std::size_t min, std::size_t max, const std::string& usage) {
  std::vector<Problem> problems;
  std::vector<std::string> pos;
  for (const auto& a : args_) {
    if (a.size() > 1 && a[0] == '-') problems.push_back({command_, a, "unknown option; usage: " + usage});
    else pos.push_back(a);
  }
  if (problems.empty() && (pos.size() < min || pos.size() > max))
    problems.push_back({command_, "", "expected " + (min == max ? std::to_string(min) : std::to_string(min) + "-" + std::to_string(max)) +
                                          " argument(s), found " + std::to_string(pos.size()) + "; usage: " + usage});
  if (!problems.empty()) throw InputError(problems);
  return pos;
}

long long Args::integer(const std::string& flag, const std::string& value, long long lo, long long hi) const {
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(value, &used);
  } catch (...) {
    used = 0;
  }
  if (used != value.size() || value.empty() || v < lo || v > hi)
    throw InputError(std::vector<Problem>{{command_, flag, "found \"" + value + "\", expected an integer in [" +
                                                               std::to_string(lo) + ", " + std::to_string(hi) + "]"}});
  return v;
}

double Args::number(const std::string& flag, const std::string& value, double lo, double hi) const {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(value, &used);
  } catch (...) {
    used = 0;
  }
  if (used != value.size() || value.empty() || !std::isfinite(v) || v < lo || v > hi)
    throw InputError(std::vector<Problem>{{command_, flag, "found \"" + value + "\", expected a number in [" +
                                                               std::to_string(lo) + ", " + std::to_string(hi) + "]"}});
  return v;
}

}  // namespace wijksim::cli
