#pragma once
// Strict checking of JSON input files: scenario, experiment and calibration files all use this
// one checker. Every problem is collected with its origin (the file, or the --set override that
// wrote the value), the JSON path, what was found and what was expected, so all are reported at
// once. Internal to the engine.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/core/error.hpp"
#include "wijksim/core/number_text.hpp"

namespace wijksim {

// A value as problems name it: null, true, "text", an array, an object, or the number; cut to
// 60 characters so a long value does not drown the message.
std::string describe(const nlohmann::json& v);
// A key as a path element: ["key"].
std::string quoted(const std::string& key);
// "; did you mean "near"?", or "" when near is empty (see nearest() in scenario/nearest_key.hpp).
std::string hint(const std::string& near);

// Collects the problems of one file; path "" is the top level, "a.b" a nested key, "a[2]" an
// array element.
class JsonChecker {
 public:
  // overridden: paths (in checker spelling, see checker_path) that a --set wrote; a problem at,
  // under or above one of them names "--set PATH" as its origin instead of the file.
  explicit JsonChecker(std::string file, std::set<std::string> overridden = {})
      : file_(std::move(file)), overridden_(std::move(overridden)) {}
  void problem(const std::string& path, const std::string& message);
  std::vector<Problem>& problems() { return problems_; }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

  // Unknown keys of obj are reported with the nearest allowed key, else the allowed list.
  void only_keys(const nlohmann::json& obj, const std::string& path, const std::vector<std::string>& allowed);
  // v is an object (array); otherwise a problem at path.
  bool expect_object(const nlohmann::json& v, const std::string& path);
  bool expect_array(const nlohmann::json& v, const std::string& path);
  // A string; a non-empty one unless allow_empty.
  std::optional<std::string> string(const nlohmann::json& obj, const std::string& key, const std::string& path,
                                    bool required, bool allow_empty = false);
  // A whole number in [lo, hi] (2.0 counts as whole).
  std::optional<long long> integer(const nlohmann::json& obj, const std::string& key, const std::string& path,
                                   long long lo, long long hi, bool required);
  // A finite number in [lo, hi]; open_low excludes lo.
  std::optional<double> number(const nlohmann::json& obj, const std::string& key, const std::string& path, double lo,
                               double hi, bool required = false, bool open_low = false);
  // The value v itself (an array element) at path: a finite number, or a whole one, in [lo, hi].
  std::optional<double> number_value(const nlohmann::json& v, const std::string& path, double lo, double hi,
                                     bool whole);

 private:
  std::string file_;
  std::set<std::string> overridden_;
  std::vector<Problem> problems_;
};

}  // namespace wijksim
