// `wijksim discover DIR --outcome NAME (--below T | --above T) [--variant NAME]`: scenario
// discovery (PRIM) over the parameter draws of an experiment store (docs/EXPERIMENTS.md).
#include <cstdio>

#include "args.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/experiment/evidence.hpp"

namespace wijksim::cli {

int cmd_discover(const std::vector<std::string>& argv) {
  Command cmd(
      "discover",
      "Scenario discovery (PRIM): which ranges of the experiment's sampled parameters lead to an outcome below or "
      "above a threshold; written to DIR/discover.json.",
      "wijksim discover DIR --outcome NAME (--below T | --above T) [--variant NAME] [--alpha A] [--density D] [--quiet]");
  std::vector<std::string> pos;
  std::optional<std::string> outcome, below, above, variant, alpha, density;
  experiment::DiscoverOptions o;
  cmd.positionals("DIR", pos, 1, 1, "the --out folder of `wijksim experiment` with a design (sampled parameters)");
  cmd.option("--outcome", outcome, "NAME", "the outcome that defines a case (required)");
  cmd.option("--below", below, "T", "a case is a run whose outcome is below T (write --below=-0.5 for a negative T)");
  cmd.option("--above", above, "T", "a case is a run whose outcome is above T");
  cmd.option("--variant", variant, "NAME",
             "only this variant (default: every variant but the baseline, each on its own)");
  cmd.option("--alpha", alpha, "A", "PRIM's peeling fraction, 0.01-0.5");
  cmd.option("--density", density, "D", "stop peeling at this share of cases in the box, 0-1");
  cmd.quiet_flag();
  if (cmd.parse(argv)) return 0;
  o.variant = variant.value_or("");
  if (alpha) o.prim.alpha = cmd.number("--alpha", *alpha, 0.01, 0.5);
  if (density) o.prim.threshold = cmd.number("--density", *density, 0, 1);
  if (!outcome) throw InputError(std::vector<Problem>{{"discover", "--outcome", "missing, expected an outcome of the experiment"}});
  if (below.has_value() == above.has_value())
    throw InputError(std::vector<Problem>{{"discover", "--below", "expected exactly one of --below T and --above T"}});
  o.outcome = *outcome;
  o.below = below.has_value();
  o.threshold = cmd.number(o.below ? "--below" : "--above", o.below ? *below : *above, -1e12, 1e12);
  const auto s = experiment::discover(pos[0], o);
  for (const auto& v : s.variants) {
    std::printf("%s: %zu of %zu runs are cases; box: coverage %.2f, density %.2f, %zu runs\n", v.variant.c_str(), v.cases,
                v.points, v.box.coverage, v.box.density, v.box.points);
    for (std::size_t d = 0; d < v.dimensions.size(); ++d)
      if (v.box.restricted[d]) std::printf("  %s in [%g, %g]\n", v.dimensions[d].c_str(), v.box.low[d], v.box.high[d]);
  }
  std::printf("wrote %s/discover.json\n", pos[0].c_str());
  return 0;
}

}  // namespace wijksim::cli
