#include "wijksim/experiment/contrasts.hpp"

#include <set>

#include "wijksim/scenario/load.hpp"

namespace wijksim::experiment {

using json = nlohmann::json;

void check_contrasts(JsonChecker& c, const json& doc, const std::vector<std::string>& variants,
                     const std::vector<std::string>& outcomes) {
  if (doc.contains("contrasts")) {
    const json& arr = doc["contrasts"];
    if (!arr.is_array() || arr.empty()) {
      c.problem("contrasts", "found " + describe(arr) + ", expected a non-empty array of {\"name\": ..., \"a\": variant, \"b\": variant}");
    } else {
      std::set<std::string> names;
      for (std::size_t i = 0; i < arr.size(); ++i) {
        const std::string at = "contrasts[" + std::to_string(i) + "]";
        if (!arr[i].is_object()) {
          c.problem(at, "found " + describe(arr[i]) + ", expected an object with name, a and b");
          continue;
        }
        c.only_keys(arr[i], at, {"name", "a", "b"});
        if (const auto n = c.string(arr[i], "name", at, true); n && !names.insert(*n).second)
          c.problem(at + ".name", "\"" + *n + "\" used twice, expected unique contrast names");
        std::optional<std::string> side[2];
        for (int k = 0; k < 2; ++k) {
          const std::string key = k == 0 ? "a" : "b";
          side[k] = c.string(arr[i], key, at, true);
          if (side[k] && std::find(variants.begin(), variants.end(), *side[k]) == variants.end()) {
            c.problem(at + "." + key, "found \"" + *side[k] + "\", expected the name of a variant" + hint(nearest(*side[k], variants)));
            side[k].reset();
          }
        }
        if (side[0] && side[1] && *side[0] == *side[1])
          c.problem(at + ".b", "found \"" + *side[1] + "\" on both sides, expected two different variants");
      }
    }
  }
  if (doc.contains("smallest_effect")) {
    const json& obj = doc["smallest_effect"];
    if (!obj.is_object() || obj.empty()) {
      c.problem("smallest_effect", "found " + describe(obj) + ", expected an object of \"outcome\": smallest difference that matters, e.g. {\"active_share\": 0.005}");
    } else {
      for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (std::find(outcomes.begin(), outcomes.end(), it.key()) == outcomes.end()) {
          c.problem("smallest_effect" + quoted(it.key()), "expected an outcome of this experiment" + hint(nearest(it.key(), outcomes)));
          continue;
        }
        (void)c.number(obj, it.key(), "smallest_effect", 0, 1e12, true, true);
      }
    }
  }
}

}  // namespace wijksim::experiment
