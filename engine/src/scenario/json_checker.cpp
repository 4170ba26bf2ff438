#include "wijksim/scenario/json_checker.hpp"

#include <algorithm>
#include <cmath>

#include "wijksim/scenario/nearest_key.hpp"

namespace wijksim {

using json = nlohmann::json;

std::string describe(const json& v) {
  std::string s;
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string:
      s = "\"";  // appended, not operator+: GCC 12 warns (-Wrestrict) on the latter
      s += v.get_ref<const std::string&>();
      s += "\"";
      break;
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: s = v.dump(); break;
  }
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string quoted(const std::string& key) { return "[\"" + key + "\"]"; }
std::string hint(const std::string& near) { return near.empty() ? "" : "; did you mean \"" + near + "\"?"; }

void JsonChecker::problem(const std::string& path, const std::string& message) {
  std::string origin = file_;
  for (const auto& o : overridden_)
    if (path == o || path.rfind(o + ".", 0) == 0 || path.rfind(o + "[", 0) == 0 || o.rfind(path + ".", 0) == 0 ||
        o.rfind(path + "[", 0) == 0)
      origin = "--set " + o;
  problems_.push_back(Problem{origin, path, message});
}

void JsonChecker::only_keys(const json& obj, const std::string& path, const std::vector<std::string>& allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end()) continue;
    const std::string near = nearest(it.key(), allowed);
    std::string msg = "unknown key";
    if (!near.empty()) msg += hint(near);
    else {
      msg += "; expected one of:";
      for (const auto& a : allowed) msg += " " + a;
    }
    problem(join(path, it.key()), msg);
  }
}

bool JsonChecker::expect_object(const json& v, const std::string& path) {
  if (v.is_object()) return true;
  problem(path, "found " + describe(v) + ", expected an object");
  return false;
}

bool JsonChecker::expect_array(const json& v, const std::string& path) {
  if (v.is_array()) return true;
  problem(path, "found " + describe(v) + ", expected an array");
  return false;
}

std::optional<std::string> JsonChecker::string(const json& obj, const std::string& key, const std::string& path,
                                               bool required, bool allow_empty) {
  const std::string at = join(path, key);
  if (!obj.contains(key)) {
    if (required) problem(at, "missing, expected a string");
    return std::nullopt;
  }
  const json& v = obj[key];
  if (!v.is_string() || (!allow_empty && v.get_ref<const std::string&>().empty())) {
    problem(at, "found " + describe(v) + (allow_empty ? ", expected a string" : ", expected a non-empty string"));
    return std::nullopt;
  }
  return v.get<std::string>();
}

namespace {

std::string range_text(bool whole, double lo, double hi, bool open_low) {
  return std::string(whole ? "an integer" : "a number") + " in " + (open_low ? "(" : "[") + number_text(lo) + ", " +
         number_text(hi) + "]";
}

// A finite number in [lo, hi] (open_low: (lo, hi]); whole: with no fractional part.
bool fits(const json& v, double lo, double hi, bool whole, bool open_low) {
  if (!v.is_number()) return false;
  const double x = v.get<double>();
  return std::isfinite(x) && x >= lo && x <= hi && !(open_low && x == lo) && !(whole && std::floor(x) != x);
}

}  // namespace

std::optional<double> JsonChecker::number_value(const json& v, const std::string& path, double lo, double hi,
                                                bool whole) {
  if (!fits(v, lo, hi, whole, false)) {
    problem(path, "found " + describe(v) + ", expected " + range_text(whole, lo, hi, false));
    return std::nullopt;
  }
  return v.get<double>();
}

std::optional<long long> JsonChecker::integer(const json& obj, const std::string& key, const std::string& path,
                                              long long lo, long long hi, bool required) {
  const std::string at = join(path, key);
  if (!obj.contains(key)) {
    if (required)
      problem(at, "missing, expected " + range_text(true, static_cast<double>(lo), static_cast<double>(hi), false));
    return std::nullopt;
  }
  const auto v = number_value(obj[key], at, static_cast<double>(lo), static_cast<double>(hi), true);
  if (!v) return std::nullopt;
  return static_cast<long long>(*v);
}

std::optional<double> JsonChecker::number(const json& obj, const std::string& key, const std::string& path, double lo,
                                          double hi, bool required, bool open_low) {
  const std::string at = join(path, key);
  if (!obj.contains(key)) {
    if (required) problem(at, "missing, expected " + range_text(false, lo, hi, open_low));
    return std::nullopt;
  }
  const json& v = obj[key];
  if (!fits(v, lo, hi, false, open_low)) {
    problem(at, "found " + describe(v) + ", expected " + range_text(false, lo, hi, open_low));
    return std::nullopt;
  }
  return v.get<double>();
}

}  // namespace wijksim
