#include "sections.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "wijksim/scenario/nearest_key.hpp"
#include "wijksim/scenario/param_table.hpp"

namespace wijksim::scenario_sections {

using json = nlohmann::json;

namespace {

// Tree of allowed keys for the table-driven sections.
struct KeyNode {
  std::map<std::string, KeyNode> children;
  const ParamDef* leaf = nullptr;
};

KeyNode& param_tree() {
  static KeyNode root = [] {
    KeyNode r;
    for (const auto& d : param_table()) {
      KeyNode* n = &r;
      std::size_t start = 0;
      for (;;) {
        const std::size_t dot = d.path.find('.', start);
        n = &n->children[d.path.substr(start, dot == std::string::npos ? std::string::npos : dot - start)];
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
      n->leaf = &d;
    }
    return r;
  }();
  return root;
}

// Structural keys handled by dedicated code, per table section.
const std::map<std::string, std::vector<std::string>>& structural_keys() {
  static const std::map<std::string, std::vector<std::string>> keys = {
      {"", {"name", "description", "notes", "start_date", "city"}},
      {"programme", {"phases", "start_buurten", "wijken"}},
      {"staff", {"roles"}},
  };
  return keys;
}

void assign_leaf(JsonChecker& c, const ParamDef& d, const json& v, const std::string& path, Params& p) {
  switch (d.kind) {
    case ParamKind::boolean:
      if (!v.is_boolean()) {
        c.problem(path, "found " + describe(v) + ", expected true or false");
        return;
      }
      d.assign(p, v.get<bool>() ? 1 : 0);
      return;
    case ParamKind::choice: {
      if (!v.is_string()) {
        std::string want;
        for (const auto& ch : d.choices) want += (want.empty() ? "" : ", ") + ("\"" + ch + "\"");
        c.problem(path, "found " + describe(v) + ", expected one of " + want);
        return;
      }
      const auto s = v.get<std::string>();
      const auto it = std::find(d.choices.begin(), d.choices.end(), s);
      if (it == d.choices.end()) {
        std::string want;
        for (const auto& ch : d.choices) want += (want.empty() ? "" : ", ") + ("\"" + ch + "\"");
        std::string msg = "found " + describe(v) + ", expected one of " + want;
        const auto near = nearest(s, d.choices);
        if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
        c.problem(path, msg);
        return;
      }
      d.assign(p, static_cast<double>(it - d.choices.begin()));
      return;
    }
    case ParamKind::integer:
    case ParamKind::real: {
      std::string want = std::string(d.kind == ParamKind::integer ? "an integer" : "a number") + " in [" +
                         number_text(d.min) + ", " + number_text(d.max) + "]";
      if (d.unit != Unit::none && d.unit != Unit::share) want += " (" + std::string(unit_name(d.unit)) + ")";
      if (!v.is_number() || v.is_boolean()) {
        c.problem(path, "found " + describe(v) + ", expected " + want);
        return;
      }
      const double x = v.get<double>();
      if (!std::isfinite(x) || x < d.min || x > d.max ||
          (d.kind == ParamKind::integer && x != std::floor(x))) {
        c.problem(path, "found " + describe(v) + ", expected " + want);
        return;
      }
      d.assign(p, x);
      return;
    }
  }
}

void walk_params(JsonChecker& c, const json& obj, const KeyNode& node, const std::string& path, Params& p) {
  std::vector<std::string> allowed;
  for (const auto& [k, _] : node.children) allowed.push_back(k);
  if (auto it = structural_keys().find(path); it != structural_keys().end())
    allowed.insert(allowed.end(), it->second.begin(), it->second.end());
  if (path.empty()) allowed.push_back("shocks");
  c.only_keys(obj, path, allowed);
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const auto child = node.children.find(it.key());
    if (child == node.children.end()) continue;  // structural or unknown (reported)
    const std::string sub = JsonChecker::join(path, it.key());
    if (child->second.leaf) {
      assign_leaf(c, *child->second.leaf, it.value(), sub, p);
    } else if (c.expect_object(it.value(), sub)) {
      walk_params(c, it.value(), child->second, sub, p);
    }
  }
}

}  // namespace

void read_params(JsonChecker& c, const json& doc, Params& p) { walk_params(c, doc, param_tree(), "", p); }

}  // namespace wijksim::scenario_sections
