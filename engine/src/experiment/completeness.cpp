#include "wijksim/experiment/completeness.hpp"

namespace wijksim::experiment {

Completeness completeness(const Store& store) {
  Completeness c;
  const auto cells = store.manifest("cells");
  std::size_t per_cell = 0;
  const auto doc = store.manifest("experiment");
  // Adaptive replicates stop early by design: only the minimum is owed.
  if (doc.is_object() && doc.contains("replicates") && doc["replicates"].is_object()) {
    const auto& a = doc["replicates"].value("adaptive", nlohmann::json::object());
    per_cell = a.value("min", 0u);
  } else {
    const auto reps = store.manifest("replicates");
    per_cell = reps.is_number_unsigned() || reps.is_number_integer() ? reps.get<std::size_t>() : 0;
  }
  c.planned = (cells.is_array() ? cells.size() : 0) * per_cell;
  c.ok = store.ok_runs().size();
  return c;
}

std::string Completeness::sentence() const {
  return "incomplete store: " + std::to_string(ok) + " of " + std::to_string(planned) +
         " planned runs are finished; rerun `wijksim experiment` with the same file and --out to complete it";
}

}  // namespace wijksim::experiment
