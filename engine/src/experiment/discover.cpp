// `wijksim discover`: PRIM over the parameter draws and design values of an experiment store
// (docs/EXPERIMENTS.md, "Scenario discovery").
#include <cmath>
#include <filesystem>
#include <map>

#include "csv.hpp"
#include "store_impl.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/experiment/evidence.hpp"
#include "wijksim/experiment/results.hpp"

namespace wijksim::experiment {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

json box_json(const PrimBox& b, const std::vector<std::string>& dims, bool only_restricted) {
  json limits = json::object();
  for (std::size_t d = 0; d < dims.size(); ++d)
    if (!only_restricted || b.restricted[d]) limits[dims[d]] = {b.low[d], b.high[d]};
  return {{"coverage", b.coverage}, {"density", b.density}, {"mass", b.mass},
          {"points", b.points},     {"cases", b.cases},     {"limits", limits}};
}

}  // namespace

DiscoverSummary discover(const std::string& dir, const DiscoverOptions& o) {
  const Store store = Store::open_read(dir);
  const std::string baseline = store.manifest("baseline").get<std::string>();
  std::vector<std::string> variants;
  for (const auto& v : store.manifest("variants")) variants.push_back(v.get<std::string>());
  const int metric = metric_index(o.outcome);
  std::vector<std::string> outcomes;
  for (const auto& v : store.manifest("outcomes")) outcomes.push_back(v.get<std::string>());
  if (metric < 0 || std::find(outcomes.begin(), outcomes.end(), o.outcome) == outcomes.end())
    throw InputError(std::vector<Problem>{{"discover", "--outcome", "found \"" + o.outcome + "\", expected an outcome of the experiment"}});
  if (!o.variant.empty() && (o.variant == baseline || std::find(variants.begin(), variants.end(), o.variant) == variants.end()))
    throw InputError(std::vector<Problem>{{"discover", "--variant", "found \"" + o.variant + "\", expected a variant other than the baseline \"" + baseline + "\""}});
  if (variants.size() < 2)
    throw InputError(std::vector<Problem>{{dir, "variants", "only the baseline, expected a variant to compare with it"}});

  // The dimensions: drawn parameters, then design parameters.
  std::vector<std::string> dims;
  std::vector<std::vector<double>> sets, points;
  const json u = store.manifest("uncertainty"), design = store.manifest("design");
  if (u.is_object()) {
    for (const auto& p : u.at("parameters")) dims.push_back(p.get<std::string>());
    for (const auto& row : u.at("sets")) sets.push_back(row.get<std::vector<double>>());
  }
  const std::size_t drawn = dims.size();
  if (design.is_object()) {
    for (const auto& p : design.at("parameters")) dims.push_back(p.get<std::string>());
    for (const auto& row : design.at("points")) points.push_back(row.get<std::vector<double>>());
  }
  if (dims.empty())
    throw InputError(std::vector<Problem>{{dir, "manifest", "has neither \"uncertainty\" draws nor a design, expected an experiment whose runs differ in parameters"}});

  const auto finals = store.final_city_values({static_cast<Metric>(metric)});
  std::map<std::pair<int, std::uint32_t>, double> base;
  for (const auto& [key, v] : finals)
    if (key.variant == baseline) base[{key.design_point, key.replicate}] = v[0];

  DiscoverSummary summary;
  json per_variant = json::array();
  for (const auto& name : variants) {
    if (name == baseline || (!o.variant.empty() && name != o.variant)) continue;
    std::vector<std::vector<double>> x;
    std::vector<bool> is_case;
    for (const auto& [key, v] : finals) {
      if (key.variant != name) continue;
      const auto it = base.find({key.design_point, key.replicate});
      if (it == base.end()) continue;
      std::vector<double> point;
      if (drawn) point = sets.at(key.replicate % sets.size());
      if (!points.empty()) {
        const auto& dp = points.at(static_cast<std::size_t>(std::max(0, key.design_point)));
        point.insert(point.end(), dp.begin(), dp.end());
      }
      const double diff = v[0] - it->second;
      x.push_back(std::move(point));
      is_case.push_back(o.below ? diff < o.threshold : diff > o.threshold);
    }
    if (x.size() < 2) throw InputError(std::vector<Problem>{{dir, "runs", "fewer than 2 paired runs of \"" + name + "\", expected more"}});
    const PrimResult r = prim(x, is_case, o.prim);
    DiscoverSummary::PerVariant pv{name, x.size(), r.cases, r.pasted, dims};
    json traj = json::array();
    for (std::size_t i = 0; i < r.trajectory.size(); ++i) {
      const auto& b = r.trajectory[i];
      traj.push_back({{"step", i}, {"coverage", b.coverage}, {"density", b.density}, {"mass", b.mass},
                      {"restricted", static_cast<int>(std::count(b.restricted.begin(), b.restricted.end(), true))}});
    }
    per_variant.push_back({{"variant", name},
                           {"points", x.size()},
                           {"cases", r.cases},
                           {"base_rate", x.empty() ? 0.0 : static_cast<double>(r.cases) / static_cast<double>(x.size())},
                           {"trajectory", traj},
                           {"chosen_step", r.chosen},
                           {"chosen", box_json(r.trajectory[r.chosen], dims, true)},
                           {"box", box_json(r.pasted, dims, true)}});
    summary.variants.push_back(std::move(pv));
  }
  json doc = {{"method", "PRIM (Friedman & Fisher 1999): peeling then pasting, as in EMA Workbench"},
              {"outcome", o.outcome},
              {"difference", "final-week city value, variant minus baseline, paired by design point and replicate"},
              {"case", std::string(o.below ? "difference below " : "difference above ") + number_text(o.threshold)},
              {"alpha", o.prim.alpha},
              {"min_mass", o.prim.min_mass},
              {"threshold_density", o.prim.threshold},
              {"coverage_meaning", "cases inside the box / all cases"},
              {"density_meaning", "cases inside the box / runs inside the box"},
              {"dimensions", dims},
              {"variants", per_variant}};
  csv::AtomicFile f(fs::path(dir) / "discover.json");
  f.write(doc.dump(2) + "\n");
  f.commit();
  return summary;
}

}  // namespace wijksim::experiment
