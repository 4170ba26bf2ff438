#include "wijksim/calibration/nlopt_search.hpp"

#include <algorithm>
#include <exception>
#include <nlopt.hpp>

namespace wijksim::calibration {

namespace {

struct Context {
  const Objective* f = nullptr;
  int calls = 0;
  std::exception_ptr error;  // an exception from the objective, rethrown after NLopt returns
};

double call_objective(unsigned n, const double* x, double* /*grad*/, void* data) {
  auto* c = static_cast<Context*>(data);
  ++c->calls;
  try {
    return (*c->f)(std::vector<double>(x, x + n));
  } catch (...) {
    c->error = std::current_exception();
    throw nlopt::forced_stop();
  }
}

}  // namespace

NloptResult nlopt_minimise(const std::string& method, const Objective& f, std::vector<double> x0,
                           const NelderMeadOptions& options) {
  const auto n = static_cast<unsigned>(x0.size());
  nlopt::opt opt(method == "bobyqa" ? nlopt::LN_BOBYQA : nlopt::LN_SBPLX, n);
  if (!options.lower.empty()) opt.set_lower_bounds(options.lower);
  if (!options.upper.empty()) opt.set_upper_bounds(options.upper);
  for (unsigned j = 0; j < n; ++j) {
    if (!options.lower.empty()) x0[j] = std::max(x0[j], options.lower[j]);
    if (!options.upper.empty()) x0[j] = std::min(x0[j], options.upper[j]);
  }
  if (!options.initial_step.empty()) opt.set_initial_step(options.initial_step);
  opt.set_xtol_abs(options.xtol);
  opt.set_ftol_abs(options.ftol);
  opt.set_maxeval(std::max(1, options.max_evaluations));
  Context ctx;
  ctx.f = &f;
  opt.set_min_objective(call_objective, &ctx);
  NloptResult out;
  double fmin = 0;
  nlopt::result r = nlopt::FAILURE;
  try {
    r = opt.optimize(x0, fmin);
  } catch (const nlopt::forced_stop&) {
    if (ctx.error) std::rethrow_exception(ctx.error);
    throw;
  }
  out.x = x0;
  out.f = fmin;
  out.evaluations = ctx.calls;
  switch (r) {
    case nlopt::XTOL_REACHED: out.stop_reason = "converged (xtol)"; out.converged = true; break;
    case nlopt::FTOL_REACHED: out.stop_reason = "converged (ftol)"; out.converged = true; break;
    case nlopt::STOPVAL_REACHED: out.stop_reason = "converged (stopval)"; out.converged = true; break;
    case nlopt::MAXEVAL_REACHED: out.stop_reason = "max_evaluations"; break;
    default: out.stop_reason = "nlopt result " + std::to_string(static_cast<int>(r)); break;
  }
  return out;
}

}  // namespace wijksim::calibration
