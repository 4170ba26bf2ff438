#include <filesystem>

#include "csv.hpp"
#include "store_impl.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/experiment/results.hpp"

namespace wijksim::experiment {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The folder the CSV files go to: created when missing; a file there is refused.
fs::path output_folder(const std::string& out) {
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_directory(out, ec))
    throw InputError(std::vector<Problem>{{out, "--out", "is a file, expected a folder for the CSV files"}});
  fs::create_directories(out, ec);
  if (ec) throw InputError(std::vector<Problem>{{out, "--out", "cannot create the folder: " + ec.message()}});
  return out;
}

}  // namespace

std::size_t export_csv(const std::string& dir, const std::string& out) {
  const Store store = Store::open_read(dir);
  sqlite3* db = store.impl().db.get();
  const fs::path to = output_folder(out.empty() ? dir : out);
  // Design parameters get a column each, so a design reads as a plain data frame; with their
  // ranges ([low, high] of the experiment file) and, for sensitivity designs, each point's place
  // in the design, so Sobol' or Morris indices can be recomputed from runs.csv alone.
  std::vector<std::string> design_params;
  std::vector<std::pair<double, double>> ranges;
  const json design = store.manifest("design");
  const json experiment = store.manifest("experiment");
  if (design.is_object())
    for (const auto& p : design["parameters"]) {
      design_params.push_back(p.get<std::string>());
      const json r = experiment.is_object() && experiment.contains("design")
                         ? experiment["design"]["parameters"].value(design_params.back(), json())
                         : json();
      ranges.emplace_back(r.is_array() && r.size() == 2 ? r[0].get<double>() : 0.0,
                          r.is_array() && r.size() == 2 ? r[1].get<double>() : 0.0);
    }
  const json roles = design.is_object() && design.contains("roles") ? design["roles"] : json::array();

  {  // The data dictionary: unit, meaning and better direction of every metric in outcomes.csv.
    csv::AtomicFile f(to / derived::metrics_csv);
    f.write(metric_catalogue_csv());
    f.commit();
  }
  {
    csv::AtomicFile f(to / derived::runs_csv);
    std::string s =
        "variant,design_point,role,row,step,factor,direction,replicate,seed,status,error,wall_seconds,parameters";
    for (const auto& p : design_params) csv::append(s, ",", p);
    for (const auto& p : design_params) csv::append(s, ",", p, "_low,", p, "_high");
    s += "\n";
    sql::Stmt st(db, "SELECT variant, design_point, replicate, seed, status, error, wall_seconds, parameters FROM runs "
                     "ORDER BY variant, design_point, replicate");
    while (st.step()) {
      csv::field(s, st.text(0));
      const long long point = st.integer(1);
      csv::append(s, ",", point, ",");
      // role (A, B, AB_i; trajectory), row (Sobol' base row or Morris trajectory), step, factor
      // (the parameter taken from B or moved at this step) and direction (+1/-1): empty outside
      // sensitivity designs.
      if (point >= 0 && static_cast<std::size_t>(point) < roles.size()) {
        const json& r = roles[static_cast<std::size_t>(point)];
        csv::field(s, r.value("role", ""));
        csv::append(s, ",", r.value("row", 0), ",");
        if (r.contains("step")) csv::append(s, r["step"].get<long long>());
        s += ",";
        csv::field(s, r.value("parameter", ""));
        s += ",";
        if (r.contains("direction")) csv::append(s, r["direction"].get<long long>());
      } else {
        s += ",,,,";
      }
      csv::append(s, ",", st.integer(2), ",", st.integer(3), ",");
      csv::field(s, st.text(4));
      s += ",";
      csv::field(s, st.text(5));
      s += ",";
      csv::number(s, st.real(6));
      s += ",";
      csv::field(s, st.text(7));
      const json params = json::parse(st.text(7), nullptr, false);
      for (const auto& p : design_params) {
        s += ",";
        if (params.is_object() && params.contains(p) && params[p].is_number()) csv::number(s, params[p].get<double>());
      }
      for (const auto& [low, high] : ranges) {
        s += ",";
        csv::number(s, low);
        s += ",";
        csv::number(s, high);
      }
      s += "\n";
    }
    f.write(s);
    f.commit();
  }

  csv::AtomicFile f(to / derived::outcomes_csv);
  f.write("variant,design_point,replicate,week,level,unit,metric,value\n");
  sql::Stmt st(db, "SELECT r.variant, r.design_point, r.replicate, o.week, o.level, o.unit, o.metric, o.value "
                   "FROM outcomes o JOIN runs r ON r.id = o.run_id WHERE r.status = 'ok' "
                   "ORDER BY r.variant, r.design_point, r.replicate, o.metric, o.level, o.unit, o.week");
  std::string s;
  std::size_t rows = 0;
  while (st.step()) {
    csv::field(s, st.text(0));
    csv::append(s, ",", st.integer(1), ",", st.integer(2), ",", st.integer(3), ",");
    csv::field(s, st.text(4));
    s += ",";
    csv::field(s, st.text(5));
    s += ",";
    csv::field(s, st.text(6));
    s += ",";
    csv::number(s, st.real(7));
    s += "\n";
    ++rows;
    if (s.size() > (1u << 20)) {  // stream: outcome tables can be large
      f.write(s);
      s.clear();
    }
  }
  f.write(s);
  f.commit();
  return rows;
}

}  // namespace wijksim::experiment
