#include <filesystem>

#include "csv.hpp"
#include "store_impl.hpp"
#include "wijksim/experiment/results.hpp"

namespace wijksim::experiment {

using json = nlohmann::json;
namespace fs = std::filesystem;

std::size_t export_csv(const std::string& dir) {
  const Store store = Store::open_read(dir);
  sqlite3* db = store.impl().db.get();
  // Design parameters get a column each, so a design reads as a plain data frame.
  std::vector<std::string> design_params;
  const json design = store.manifest("design");
  if (design.is_object())
    for (const auto& p : design["parameters"]) design_params.push_back(p.get<std::string>());

  {  // The data dictionary: unit, meaning and better direction of every metric in outcomes.csv.
    csv::AtomicFile f(fs::path(dir) / "metrics.csv");
    f.write(metric_catalogue_csv());
    f.commit();
  }
  {
    csv::AtomicFile f(fs::path(dir) / "runs.csv");
    std::string s = "variant,design_point,replicate,seed,status,error,wall_seconds,parameters";
    for (const auto& p : design_params) csv::append(s, ",", p);
    s += "\n";
    sql::Stmt st(db, "SELECT variant, design_point, replicate, seed, status, error, wall_seconds, parameters FROM runs "
                     "ORDER BY variant, design_point, replicate");
    while (st.step()) {
      csv::field(s, st.text(0));
      csv::append(s, ",", st.integer(1), ",", st.integer(2), ",", st.integer(3), ",");
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
      s += "\n";
    }
    f.write(s);
    f.commit();
  }

  csv::AtomicFile f(fs::path(dir) / "outcomes.csv");
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
