// wijksim._core: the native half of `import wijksim`. Thin bindings over the engine library;
// the public API, its docstrings and everything pandas live in python/wijksim/__init__.py.
// Numbers come from the same engine calls as the CLI's (run_to_table shares its units, weeks
// and values with timeseries.csv; experiments run through run_experiment into the same store).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <map>
#include <optional>
#include <mutex>
#include <thread>

#include "wijksim/city/build.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/experiment/batch.hpp"
#include "wijksim/experiment/results.hpp"
#include "wijksim/experiment/store.hpp"
#include "wijksim/io/cbs_import.hpp"
#include "wijksim/io/cbs_indicators.hpp"
#include "wijksim/io/run_output.hpp"
#include "wijksim/scenario/load.hpp"
#include "wijksim/scenario/param_table.hpp"
#include "wijksim/sim/metrics.hpp"

namespace py = pybind11;
using namespace wijksim;

namespace {

// The Python class input problems are raised as (wijksim.ScenarioError), set once at import.
// Never destroyed: it must outlive the interpreter's teardown of this module.
py::object* g_input_error = nullptr;

using Overrides = std::vector<std::pair<std::string, std::string>>;

std::vector<Override> to_overrides(const Overrides& pairs) {
  std::vector<Override> out;
  for (const auto& [path, value] : pairs) out.push_back({path, value});
  return out;
}

// Runs `work` on a thread of its own with the GIL released, while the calling thread checks
// for signals every 100 ms with the GIL briefly held: Ctrl-C in a terminal or a notebook's
// interrupt sets `cancel`, the engine stops at its next week, and the KeyboardInterrupt is
// raised here once the work has returned. (Python runs signal handlers only on its main
// thread, so the engine cannot run there and still be interruptible.)
template <class Work>
void run_interruptibly(std::atomic<bool>& cancel, Work&& work) {
  std::mutex m;
  std::condition_variable cv;
  bool done = false, interrupted = false;
  std::exception_ptr error;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        work();
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard lock(m);
      done = true;
      cv.notify_all();
    });
    std::unique_lock lock(m);
    while (!cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return done; })) {
      if (interrupted) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() != 0) {  // the handler raised: keep its exception for later
          interrupted = true;
          cancel = true;
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (interrupted) throw py::error_already_set();
  if (error) std::rethrow_exception(error);
}

// A validated scenario: the document it came from, its overrides and the resolved spec. Runs
// reload the document with their own overrides appended, exactly as the CLI turns --seed,
// --years, ... into overrides of the file it read.
struct ScenarioHandle {
  nlohmann::json document;
  std::string label;  // the file name problems and manifests use
  std::vector<Override> overrides;
  ScenarioSpec spec;

  static ScenarioHandle load(nlohmann::json doc, std::string label, std::vector<Override> overrides) {
    ScenarioHandle h{std::move(doc), std::move(label), std::move(overrides), {}};
    h.spec = load_scenario_json(h.document, h.label, h.overrides);
    return h;
  }
  ScenarioHandle with(const Overrides& extra) const {
    std::vector<Override> all = overrides;
    for (const auto& o : to_overrides(extra)) all.push_back(o);
    return load(document, label, all);
  }
};

// The rows of timeseries.csv as numpy columns: codes into `units`, the level and metric names.
py::dict table_columns(const RunTable& t) {
  std::size_t blocks = 0;
  for (const auto& r : t.replicates) blocks += r.size();
  const std::size_t rows = blocks * metric_count;
  py::array_t<std::int32_t> replicate(rows), week(rows), unit(rows);
  py::array_t<std::int8_t> level(rows), metric(rows);
  py::array_t<double> value(rows);
  std::vector<std::int8_t> unit_level(t.units.size());
  py::list unit_codes;
  for (std::size_t u = 0; u < t.units.size(); ++u) {
    const auto& l = t.units[u].level;
    unit_level[u] = static_cast<std::int8_t>(l == "city" ? 0 : l == "wijk" ? 1 : 2);
    unit_codes.append(t.units[u].code);
  }
  auto* rp = replicate.mutable_data();
  auto* wp = week.mutable_data();
  auto* up = unit.mutable_data();
  auto* lp = level.mutable_data();
  auto* mp = metric.mutable_data();
  auto* vp = value.mutable_data();
  std::size_t i = 0;
  for (std::size_t r = 0; r < t.replicates.size(); ++r)
    for (const auto& b : t.replicates[r]) {
      for (std::size_t k = 0; k < metric_count; ++k, ++i) {
        rp[i] = static_cast<std::int32_t>(r);
        wp[i] = b.week;
        up[i] = static_cast<std::int32_t>(b.unit);
        lp[i] = unit_level[b.unit];
        mp[i] = static_cast<std::int8_t>(k);
      }
      std::memcpy(vp + i - metric_count, b.values.data(), metric_count * sizeof(double));
    }
  py::dict d;
  d["replicate"] = replicate;
  d["week"] = week;
  d["level"] = level;
  d["unit"] = unit;
  d["metric"] = metric;
  d["value"] = value;
  d["units"] = unit_codes;
  return d;
}

py::dict run_scenario(const ScenarioHandle& h, unsigned threads, const std::string& call) {
  const ScenarioSpec& spec = h.spec;
  const auto replicates = static_cast<std::size_t>(spec.params.simulation.replicates);
  refuse_if_too_large(spec, std::min<std::size_t>(threads, replicates), h.label);
  std::atomic<bool> cancel{false};
  RunTable table;
  run_interruptibly(cancel, [&] { table = run_to_table(spec, threads, &cancel); });
  RunRequest req;
  req.scenario_file = h.label;
  req.overrides = h.overrides;
  req.threads = threads;
  req.command_line = call;
  py::dict d = table_columns(table);
  d["manifest"] = run_manifest(spec, req, table.stats).dump();
  return d;
}

py::dict experiment_run(const std::string& file, const std::string& text, const std::string& out_dir, unsigned threads,
                        bool progress, const std::string& call) {
  const experiment::Experiment e = text.empty() ? experiment::load_experiment_file(file)
                                                : experiment::load_experiment_json(parse_json_text(text, file), file);
  experiment::refuse_if_too_large(e, threads);
  experiment::BatchOptions opt;
  opt.out_dir = out_dir;
  opt.threads = threads;
  opt.progress = progress ? experiment::ProgressMode::bar : experiment::ProgressMode::none;
  opt.command_line = call;
  std::atomic<bool> cancel{false};
  opt.interrupt = &cancel;
  experiment::BatchSummary s;
  run_interruptibly(cancel, [&] { s = experiment::run_experiment(e, opt); });
  py::dict d;
  d["total"] = s.total;
  d["skipped"] = s.skipped;
  d["ok"] = s.ok;
  d["failed"] = s.failed;
  d["not_run"] = s.not_run;
  d["wall_seconds"] = s.wall_seconds;
  d["first_error"] = s.first_error;
  d["adaptive_stop"] = s.adaptive_stop;
  return d;
}

// Every run of a store and every outcome row, as columns.
py::dict read_store(const std::string& dir) {
  std::vector<experiment::RunResult> runs;
  {
    py::gil_scoped_release release;
    runs = experiment::Store::open_read(dir).runs();
  }
  std::size_t rows = 0;
  for (const auto& r : runs) rows += r.rows.size();
  py::list variant, status, error, parameters;
  py::array_t<std::int32_t> design_point(runs.size()), replicate(runs.size());
  py::array_t<std::int64_t> seed(runs.size());
  py::array_t<double> wall(runs.size());
  py::array_t<std::int32_t> o_run(rows), o_week(rows), o_unit(rows);
  py::array_t<std::int8_t> o_level(rows), o_metric(rows);
  py::array_t<double> o_value(rows);
  std::vector<std::string> units;
  std::map<std::string, std::int32_t> unit_index;
  std::size_t i = 0;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const auto& r = runs[k];
    variant.append(r.key.variant);
    design_point.mutable_at(k) = r.key.design_point;
    replicate.mutable_at(k) = static_cast<std::int32_t>(r.key.replicate);
    seed.mutable_at(k) = static_cast<std::int64_t>(r.seed);
    status.append(r.ok ? "ok" : "failed");
    error.append(r.error);
    wall.mutable_at(k) = r.wall_seconds;
    parameters.append(r.parameters);
    for (const auto& row : r.rows) {
      auto [it, added] = unit_index.try_emplace(row.unit, static_cast<std::int32_t>(units.size()));
      if (added) units.push_back(row.unit);
      o_run.mutable_at(i) = static_cast<std::int32_t>(k);
      o_week.mutable_at(i) = row.week;
      o_unit.mutable_at(i) = it->second;
      o_level.mutable_at(i) = static_cast<std::int8_t>(row.level);
      o_metric.mutable_at(i) = static_cast<std::int8_t>(row.metric);
      o_value.mutable_at(i) = row.value;
      ++i;
    }
  }
  py::dict runs_d, out_d, d;
  runs_d["variant"] = variant;
  runs_d["design_point"] = design_point;
  runs_d["replicate"] = replicate;
  runs_d["seed"] = seed;
  runs_d["status"] = status;
  runs_d["error"] = error;
  runs_d["wall_seconds"] = wall;
  runs_d["parameters"] = parameters;
  out_d["run"] = o_run;
  out_d["week"] = o_week;
  out_d["level"] = o_level;
  out_d["unit"] = o_unit;
  out_d["metric"] = o_metric;
  out_d["value"] = o_value;
  out_d["units"] = units;
  d["runs"] = runs_d;
  d["outcomes"] = out_d;
  return d;
}

unsigned default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "Native part of wijksim (engine bindings); use the wijksim package, not this module.";

  m.def("set_input_error", [](py::object cls) {
    if (!g_input_error) g_input_error = new py::object();
    *g_input_error = std::move(cls);
  });
  // Input problems (InputError) become wijksim.ScenarioError(message, [(file, path, message), ...]).
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      py::list problems;
      for (const auto& pr : e.problems()) problems.append(py::make_tuple(pr.file, pr.path, pr.message));
      if (g_input_error && *g_input_error) {
        py::object exc = (*g_input_error)(e.what(), problems);
        PyErr_SetObject(g_input_error->ptr(), exc.ptr());
      } else {
        PyErr_SetString(PyExc_ValueError, e.what());
      }
    }
  });

  m.attr("metric_count") = metric_count;
  m.attr("data_dir") = WIJKSIM_DATA_DIR;
  m.def("default_threads", &default_threads);
  m.def("engine_info", [] { return engine_info().dump(); });
  m.def("param_table_json", &param_table_json);
  m.def("metric_names", [] {
    std::vector<std::string> names;
    for (std::size_t k = 0; k < metric_count; ++k) names.emplace_back(metric_name(static_cast<Metric>(k)));
    return names;
  });
  m.def("metric_directions", [] {
    std::vector<std::string> dirs;
    for (std::size_t k = 0; k < metric_count; ++k)
      dirs.emplace_back(experiment::direction_name(experiment::better_direction(static_cast<Metric>(k))));
    return dirs;
  });

  py::class_<ScenarioHandle>(m, "Scenario")
      .def_static("from_file",
                  [](const std::string& file, const Overrides& ov) {
                    return ScenarioHandle::load(read_json_file(file), file, to_overrides(ov));
                  })
      .def_static("from_json",
                  [](const std::string& text, const std::string& label, const Overrides& ov) {
                    return ScenarioHandle::load(parse_json_text(text, label), label, to_overrides(ov));
                  })
      .def("with_overrides", &ScenarioHandle::with)
      .def_property_readonly("name", [](const ScenarioHandle& h) { return h.spec.name; })
      .def_property_readonly("description", [](const ScenarioHandle& h) { return h.spec.description; })
      .def_property_readonly("source", [](const ScenarioHandle& h) { return h.label; })
      .def_property_readonly("hash", [](const ScenarioHandle& h) { return h.spec.hash; })
      .def_property_readonly("overrides",
                             [](const ScenarioHandle& h) {
                               std::vector<std::pair<std::string, std::string>> out;
                               for (const auto& o : h.overrides) out.emplace_back(o.path, o.value);
                               return out;
                             })
      .def_property_readonly("resolved_json", [](const ScenarioHandle& h) { return h.spec.resolved.dump(); })
      .def_property_readonly("document_json", [](const ScenarioHandle& h) { return h.document.dump(); })
      .def("run", &run_scenario, py::arg("threads"), py::arg("call"));

  m.def(
      "import_cbs",
      [](const std::string& kwb_file, const std::string& gemeente, bool all, const std::vector<std::string>& wijken,
         const std::string& income_file, const std::string& indicators_file) {
        py::gil_scoped_release release;
        const cbs::KwbData kwb = cbs::read_kwb(kwb_file, cbs::KwbNeeds::population);
        std::optional<cbs::KwbData> income;
        if (!income_file.empty()) income = cbs::read_kwb(income_file, cbs::KwbNeeds::income);
        std::optional<cbs::IndicatorTable> indicators;  // real places, as `wijksim import-cbs`
        if (!indicators_file.empty() && indicators_file != "none") indicators = cbs::read_indicators(indicators_file);
        cbs::ImportOptions opt;
        opt.gemeente = gemeente;
        opt.all = all;
        opt.wijken = wijken;
        opt.income = income ? &*income : nullptr;
        opt.indicators = indicators ? &*indicators : nullptr;
        return cbs::build_scenario(kwb, opt).scenario.dump();
      },
      py::arg("kwb"), py::arg("gemeente"), py::arg("all"), py::arg("wijken"), py::arg("income"), py::arg("indicators"));

  m.def("run_experiment", &experiment_run, py::arg("file"), py::arg("text"), py::arg("out"), py::arg("threads"),
        py::arg("progress"), py::arg("call"));
  m.def("read_store", &read_store, py::arg("dir"));
  m.def(
      "compare",
      [](const std::string& dir) {
        py::gil_scoped_release release;
        return experiment::compare(dir).baseline;
      },
      py::arg("dir"));
  m.def(
      "sensitivity",
      [](const std::string& dir, const std::vector<std::string>& outcomes, const std::string& level,
         std::optional<std::int32_t> week) {
        experiment::SensitivityOptions opt;
        opt.outcomes = outcomes;
        opt.level = level;
        opt.week = week;
        py::gil_scoped_release release;
        return experiment::sensitivity_report(dir, opt).method;
      },
      py::arg("dir"), py::arg("outcomes"), py::arg("level"), py::arg("week"));
}
