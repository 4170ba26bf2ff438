#include "wijksim/scenario/json_checker.hpp"

#include <algorithm>
#include <cmath>

#include "wijksim/scenario/load.hpp"          // nearest

namespace wijksim {

using json = nlohmann::json;

std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: {
      std::string s = "\"";  // appended, not operator+: GCC 12 warns (-Wrestrict) on the latter
      s += v.get_ref<const std::string&>();
      return s + "\"";
    }
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return v.dump();
  }
}

std::string quoted(const std::string& key) { return "[\"" + key + "\"]"; }
std::string hint(const std::string& near) { return near.empty() ? "" : "; did you mean \"" + near + "\"?"; }

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
    problem(path.empty() ? it.key() : path + "." + it.key(), msg);
  }
}

std::optional<std::string> JsonChecker::string(const json& obj, const std::string& key, const std::string& path,
                                               bool required) {
  const std::string at = path.empty() ? key : path + "." + key;
  if (!obj.contains(key)) {
    if (required) problem(at, "missing, expected a string");
    return std::nullopt;
  }
  const json& v = obj[key];
  if (!v.is_string() || v.get<std::string>().empty()) {
    problem(at, "found " + describe(v) + ", expected a non-empty string");
    return std::nullopt;
  }
  return v.get<std::string>();
}

std::optional<long long> JsonChecker::integer(const json& obj, const std::string& key, const std::string& path,
                                              long long lo, long long hi, bool required) {
  const std::string at = path.empty() ? key : path + "." + key;
  const std::string want = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (!obj.contains(key)) {
    if (required) problem(at, "missing, expected " + want);
    return std::nullopt;
  }
  const json& v = obj[key];
  const bool whole = v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
  if (!whole || v.get<double>() < static_cast<double>(lo) || v.get<double>() > static_cast<double>(hi)) {
    problem(at, "found " + describe(v) + ", expected " + want);
    return std::nullopt;
  }
  return static_cast<long long>(v.get<double>());
}

std::optional<double> JsonChecker::number(const json& obj, const std::string& key, const std::string& path, double lo,
                                          double hi, bool required, bool open_low) {
  const std::string at = path.empty() ? key : path + "." + key;
  const std::string want =
      std::string("a number in ") + (open_low ? "(" : "[") + number_text(lo) + ", " + number_text(hi) + "]";
  if (!obj.contains(key)) {
    if (required) problem(at, "missing, expected " + want);
    return std::nullopt;
  }
  const json& v = obj[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo || v.get<double>() > hi ||
      (open_low && v.get<double>() == lo)) {
    problem(at, "found " + describe(v) + ", expected " + want);
    return std::nullopt;
  }
  return v.get<double>();
}

}  // namespace wijksim
