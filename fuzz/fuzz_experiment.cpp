// Fuzz harness: experiment JSON text -> load_experiment_json, against a small scenario file
// written once to a temporary folder ("scenario": "s.json" in the seeds). Every variant and
// design point is loaded, so overrides from variants and designs are fuzzed too.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "wijksim/core/error.hpp"
#include "wijksim/experiment/experiment.hpp"
#include "wijksim/scenario/load.hpp"
#include "fuzz_support.hpp"

namespace {

namespace fs = std::filesystem;

// Folder holding s.json; the experiment file is named as if it sat next to it.
const fs::path& work_dir() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / ("wijksim-fuzz-experiment-" + std::to_string(getpid()));
    fs::create_directories(d);
    std::ofstream(d / "s.json") << R"({
      "name": "fuzz-experiment",
      "city": {"generate": {"wijken": 2, "buurten_per_wijk": [1, 2],
                            "residents_per_buurt": {"median": 80, "sigma": 0.3, "min": 20, "max": 200}}},
      "simulation": {"years": 0.5, "burn_in": 0.1, "replicates": 1}
    })";
    return d;
  }();
  return dir;
}

// Designs and variant lists are validated point by point; a large one is a slow input, not a
// bug, and would only make the fuzzer report timeouts.
bool too_many_cells(const nlohmann::json& doc) {
  if (!doc.is_object()) return false;
  if (doc.contains("variants") && doc["variants"].is_array() && doc["variants"].size() > 32) return true;
  if (doc.contains("design") && doc["design"].is_object() && doc["design"].contains("samples")) {
    const auto& n = doc["design"]["samples"];
    if (n.is_number() && n.get<double>() > 16) return true;
    if (doc["design"].contains("parameters") && doc["design"]["parameters"].size() > 8) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file = (work_dir() / "experiment.json").string();
  try {
    const nlohmann::json doc = wijksim::parse_json_text(std::string(reinterpret_cast<const char*>(data), size), file);
    if (too_many_cells(doc)) return 0;
    const auto e = wijksim::experiment::load_experiment_json(doc, file);
    if (e.cells.size() != e.variants.size() * e.design_points())
      wijksim::fuzz::fail("cell count", std::to_string(e.cells.size()));
    if (e.baseline >= e.variants.size()) wijksim::fuzz::fail("baseline out of range", std::to_string(e.baseline));
  } catch (const wijksim::InputError&) {
  }
  return 0;
}
