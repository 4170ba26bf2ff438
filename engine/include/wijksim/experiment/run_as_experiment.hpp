#pragma once
// A `wijksim run` seen as an experiment of one variant: the run folder's results.sqlite is the
// store `wijksim experiment` would write for this document, so compare, export, report,
// discover and the plot tools read run folders and experiment folders alike.
#include <string>
#include <vector>

#include "wijksim/experiment/experiment.hpp"

namespace wijksim::experiment {

// The experiment of one run: its scenario file, seed, replicates and years (from the flags or
// the scenario), every metric as outcome, the levels output.detail reports, output.interval
// as interval, and one variant named after the scenario that applies the run's other
// overrides. Replicate r runs with (seed, r), as `run` always did. Throws InputError.
Experiment experiment_of_run(const ScenarioSpec& spec, const std::string& scenario_file,
                             const std::vector<Override>& overrides);

}  // namespace wijksim::experiment
