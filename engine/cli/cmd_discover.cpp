// `wijksim discover DIR --outcome NAME (--below T | --above T) [--variant NAME]`: scenario
// discovery (PRIM) over the parameter draws of an experiment store (docs/EXPERIMENTS.md).
#include <cstdio>

#include "args.hpp"
#include "wijksim/core/error.hpp"
#include "wijksim/experiment/evidence.hpp"

namespace wijksim::cli {

int cmd_discover(const std::vector<std::string>& argv) {
  Args args("discover", argv);
  experiment::DiscoverOptions o;
  const auto outcome = args.take("--outcome");
  const auto below = args.take("--below"), above = args.take("--above");
  o.variant = args.take("--variant").value_or("");
  if (const auto a = args.take("--alpha")) o.prim.alpha = args.number("--alpha", *a, 0.01, 0.5);
  if (const auto t = args.take("--density")) o.prim.threshold = args.number("--density", *t, 0, 1);
  const auto pos = args.positionals(1, 1, "wijksim discover DIR --outcome NAME (--below T | --above T) [--variant NAME] [--alpha A] [--density D]");
  if (!outcome) throw InputError(std::vector<Problem>{{"discover", "--outcome", "missing, expected an outcome of the experiment"}});
  if (below.has_value() == above.has_value())
    throw InputError(std::vector<Problem>{{"discover", "--below", "expected exactly one of --below T and --above T"}});
  o.outcome = *outcome;
  o.below = below.has_value();
  o.threshold = args.number(o.below ? "--below" : "--above", o.below ? *below : *above, -1e12, 1e12);
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
