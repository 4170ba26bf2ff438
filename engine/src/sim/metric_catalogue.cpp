// The metric catalogue (WIJKSIM_METRICS in sim/metrics.hpp) written out for people and tools:
// `wijksim metrics`, the data dictionary `export` writes beside the CSVs, and tools/plot,
// which reads `wijksim metrics --format json` instead of keeping its own copy.
#include <nlohmann/json.hpp>

#include "wijksim/sim/metrics.hpp"

namespace wijksim {

namespace {
std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}
}  // namespace

std::string metric_catalogue_json() {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < metric_count; ++i) {
    const MetricInfo& m = metric_info(static_cast<Metric>(i));
    arr.push_back({{"name", m.name},
                   {"unit", m.unit},
                   {"better", m.better},
                   {"scope", m.scope},
                   {"meaning", m.meaning},
                   {"labels", {{"nl", m.label_nl}, {"en", m.label_en}}}});
  }
  nlohmann::ordered_json doc = {
      {"written_by", "wijksim metrics"},
      {"unit_meaning",
       {{"share", "fraction 0-1 of adults"}, {"count", "number of people or things"},
        {"mean", "mean on a 0-1 scale"}, {"index", "a code, not a quantity"},
        {"hours_per_week", "professional hours in that week"}, {"euros", "cumulative euros since week 0"}}},
      {"better_meaning", "higher: a larger value is an improvement; lower: a smaller one; none: not judged"},
      {"scope_meaning", "units: buurt, wijk and city each from its own tally; programme: one value for the whole programme"},
      {"metrics", arr}};
  return doc.dump(2) + "\n";
}

std::string metric_catalogue_markdown() {
  std::string s = "| metric | unit | better | scope | meaning | Nederlands |\n|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < metric_count; ++i) {
    const MetricInfo& m = metric_info(static_cast<Metric>(i));
    s += "| `" + std::string(m.name) + "` | " + std::string(m.unit) + " | " + std::string(m.better) + " | " +
         std::string(m.scope) + " | " + std::string(m.meaning) + " | " + std::string(m.label_nl) + " |\n";
  }
  return s;
}

std::string metric_catalogue_csv() {
  std::string s = "metric,unit,better,scope,meaning,label_nl,label_en\n";
  for (std::size_t i = 0; i < metric_count; ++i) {
    const MetricInfo& m = metric_info(static_cast<Metric>(i));
    for (std::string_view f : {m.name, m.unit, m.better, m.scope, m.meaning, m.label_nl}) s += csv_field(f) + ",";
    s += csv_field(m.label_en) + "\n";
  }
  return s;
}

}  // namespace wijksim
