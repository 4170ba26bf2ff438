#pragma once
// Strict checking of JSON input files (experiment and calibration files; scenario files have
// their own checker in scenario/load.cpp). Every problem is collected with file, JSON path,
// what was found and what was expected, so all are reported at once. Internal to the engine.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wijksim/core/error.hpp"
#include "wijksim/core/number_text.hpp"

namespace wijksim {

// A value as problems name it: null, true, "text", an array, an object, or the number.
std::string describe(const nlohmann::json& v);
// A key as a path element: ["key"].
std::string quoted(const std::string& key);
// "; did you mean "near"?", or "" when near is empty (see nearest() in scenario/load.hpp).
std::string hint(const std::string& near);

// Collects the problems of one file; path "" is the top level, "a.b" a nested key.
class JsonChecker {
 public:
  explicit JsonChecker(std::string file) : file_(std::move(file)) {}
  void problem(const std::string& path, const std::string& message) { problems_.push_back({file_, path, message}); }
  std::vector<Problem>& problems() { return problems_; }

  // Unknown keys of obj are reported with the nearest allowed key, else the allowed list.
  void only_keys(const nlohmann::json& obj, const std::string& path, const std::vector<std::string>& allowed);
  // A non-empty string.
  std::optional<std::string> string(const nlohmann::json& obj, const std::string& key, const std::string& path,
                                    bool required);
  // A whole number in [lo, hi] (2.0 counts as whole).
  std::optional<long long> integer(const nlohmann::json& obj, const std::string& key, const std::string& path,
                                   long long lo, long long hi, bool required);
  // A finite number in [lo, hi]; open_low excludes lo.
  std::optional<double> number(const nlohmann::json& obj, const std::string& key, const std::string& path, double lo,
                               double hi, bool required = false, bool open_low = false);

 private:
  std::string file_;
  std::vector<Problem> problems_;
};

}  // namespace wijksim
