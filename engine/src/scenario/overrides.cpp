#include "wijksim/scenario/overrides.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "wijksim/scenario/json_text.hpp"
#include "wijksim/scenario/presets.hpp"
#include "wijksim/scenario/resolve.hpp"

namespace wijksim {

using json = nlohmann::json;

namespace {

// Applies one --set to the document; array indices are written as numbers in the path.
void apply_override(json& doc, const Override& o, std::vector<Problem>& problems) {
  json value;
  if (!too_deep_at(o.value).empty()) {
    problems.push_back({"--set " + o.path, o.path, "value nested deeper than " + std::to_string(kMaxJsonDepth) +
                                                       " levels, expected a number, string or small object"});
    return;
  }
  try {
    value = json::parse(o.value);
  } catch (const json::exception&) {
    // A bare word is a string: --set programme.plan=hengelo. It must be UTF-8 like any JSON
    // string, or writing the resolved scenario would fail later.
    if (invalid_utf8_at(o.value) != std::string::npos) {
      problems.push_back({"--set " + o.path, o.path, "value is not UTF-8 text, expected a number, true/false, JSON or UTF-8 text"});
      return;
    }
    value = o.value;
  }
  json* node = &doc;
  std::size_t start = 0;
  std::string walked;
  for (;;) {
    const std::size_t dot = o.path.find('.', start);
    const std::string key = o.path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const bool last = dot == std::string::npos;
    if (key.empty()) {
      problems.push_back({"--set " + o.text(), o.path, "empty path segment, expected a dotted path like building_blocks.trust"});
      return;
    }
    if (node->is_array()) {
      // from_chars, not stoul: an index too long for 64 bits is bad input, not std::out_of_range.
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
      if (ec != std::errc() || end != key.data() + key.size() || index >= node->size()) {
        problems.push_back({"--set " + o.text(), walked + "." + key,
                            "expected an index below " + std::to_string(node->size()) + " into " + walked});
        return;
      }
      node = &(*node)[index];
    } else {
      if (!node->is_object()) *node = json::object();
      if (last) {
        (*node)[key] = value;
        return;
      }
      node = &(*node)[key];
    }
    if (last) {
      *node = value;
      return;
    }
    walked += (walked.empty() ? "" : ".") + key;
    start = dot + 1;
  }
}

}  // namespace

std::string checker_path(const std::string& dotted) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = dotted.find('.', start);
    const std::string key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const bool numeric = !key.empty() && std::all_of(key.begin(), key.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
    if (numeric) out += "[" + key + "]";
    else out += (out.empty() ? "" : ".") + key;
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

Override parse_override(const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(std::vector<Problem>{{"--set", arg, "expected PATH=VALUE, e.g. building_blocks.trust=0.3"}});
  return Override{arg.substr(0, eq), arg.substr(eq + 1)};
}

std::set<std::string> apply_overrides(json& doc, const std::vector<Override>& overrides,
                                      std::vector<Problem>& set_problems) {
  std::set<std::string> overridden;
  // An override into one phase or role of a preset (programme.phases.1.max_weeks) needs the
  // preset written out first, so there is an array to index into.
  auto preset_plan = [&] {
    std::string plan = "wendbaar";
    if (doc.contains("programme") && doc["programme"].is_object() && doc["programme"].contains("plan") &&
        doc["programme"]["plan"].is_string())
      plan = doc["programme"]["plan"].get<std::string>();
    for (const auto& o : overrides)
      if (o.path == "programme.plan") plan = o.value.size() > 1 && o.value.front() == '"' ? o.value.substr(1, o.value.size() - 2) : o.value;
    return plan == "hengelo" ? PlanPreset::hengelo : plan == "top-down" ? PlanPreset::top_down : PlanPreset::wendbaar;
  };
  for (const auto& o : overrides) {
    const bool into_phases = o.path.rfind("programme.phases.", 0) == 0;
    const bool into_roles = o.path.rfind("staff.roles.", 0) == 0;
    if (into_phases && !(doc.contains("programme") && doc["programme"].is_object() && doc["programme"].contains("phases"))) {
      json arr = json::array();
      for (const auto& ph : preset_phases(preset_plan())) arr.push_back(json(phase_json(ph)));
      if (!doc.contains("programme") || !doc["programme"].is_object()) doc["programme"] = json::object();
      doc["programme"]["phases"] = arr;
    }
    if (into_roles && !(doc.contains("staff") && doc["staff"].is_object() && doc["staff"].contains("roles"))) {
      json arr = json::array();
      for (const auto& ro : default_roles()) arr.push_back(json(role_json(ro)));
      if (!doc.contains("staff") || !doc["staff"].is_object()) doc["staff"] = json::object();
      doc["staff"]["roles"] = arr;
    }
  }
  for (const auto& o : overrides) {
    apply_override(doc, o, set_problems);
    overridden.insert(checker_path(o.path));
  }
  return overridden;
}

}  // namespace wijksim
