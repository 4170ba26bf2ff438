// model/governance.cpp, vision.cpp, expectations.cpp: what the phases of a programme build
// (MODEL.md 7.1.11-7.1.13, 7.6): a shared problem definition and team, budget and convenant
// organised in their own phases (late when skipped), legitimacy from vision sessions (none
// from a top-down plan), the wendbaar review that sends a plan back to its vision phase, and
// the promises of results an invitation makes, kept by results or broken at the horizon.
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wijksim/core/thread_pool.hpp"
#include "wijksim/scenario/param_table.hpp"
#include "wijksim/sim/simulation.hpp"

using namespace wijksim;

namespace {
ScenarioSpec small(const std::vector<Override>& overrides, const nlohmann::json& shocks = nullptr) {
  auto doc = test::small_generated_scenario(3.0, 0.25);
  if (!shocks.is_null()) doc["shocks"] = shocks;
  return test::load(doc, overrides);
}
// Runs `weeks` weeks after burn-in and calls `each` after every week.
template <class F>
void run(const ScenarioSpec& spec, int weeks, F each) {
  ThreadPool pool(1);
  Simulation sim(spec, 3, 0, pool);
  sim.run_burn_in();
  for (int k = 0; k < weeks; ++k) {
    sim.step();
    each(sim.world());
  }
}
double legitimacy(const World& w) {
  double s = 0, n = 0;
  for (const auto& b : w.buurten) {
    s += b.expectations.legitimacy * b.place.count;
    n += b.place.count;
  }
  return s / n;
}
}  // namespace

TEST_CASE("phases build their conditions; a top-down plan organises them late", "[programme]") {
  auto conditions = [](const char* plan) {
    ProgrammeState pr;
    double alignment = 0;
    run(small({{"programme.plan", plan}}), 80, [&](const World& w) {
      pr = w.programme;
      alignment = w.wijken[0].alignment;
    });
    return std::array<double, 4>{alignment, pr.team, pr.budget, pr.convenant};
  };
  const auto wendbaar = conditions("wendbaar"), top_down = conditions("top-down");
  for (std::size_t k = 0; k < 4; ++k) {
    INFO("condition " << k << ": wendbaar " << wendbaar[k] << ", top-down " << top_down[k]);
    CHECK(wendbaar[k] > 0.3);
    CHECK(top_down[k] > 0.0);  // organised on the go
    CHECK(wendbaar[k] > top_down[k]);
  }
}

TEST_CASE("vision sessions build legitimacy; a plan made without residents keeps the base", "[programme]") {
  double wendbaar = 0, top_down = 0;
  run(small({{"programme.plan", "wendbaar"}}), 60, [&](const World& w) { wendbaar = legitimacy(w); });
  run(small({{"programme.plan", "top-down"}}), 60, [&](const World& w) { top_down = legitimacy(w); });
  const double base = default_params().legitimacy.base;
  CHECK(top_down <= base + 1e-12);  // disappointment can only erode it
  CHECK(wendbaar > base + 0.05);
}

TEST_CASE("the wendbaar review sends a plan without support back to its vision phase", "[programme]") {
  auto trace = [](int max_returns) {
    std::vector<int> phases;
    int returns = 0;
    run(small({{"governance.support_threshold", "1"}, {"governance.max_returns", std::to_string(max_returns)},
               {"governance.return_cooldown", "13"}, {"programme.plan", "wendbaar"}}),
        156, [&](const World& w) {
          phases.push_back(w.programme.phase);
          returns = w.programme.returns;
        });
    return std::make_pair(phases, returns);
  };
  const auto [phases, returns] = trace(2);
  CHECK(returns == 2);
  bool back = false;
  for (std::size_t k = 1; k < phases.size(); ++k) back |= phases[k - 1] == 4 && phases[k] == 2;  // uitvoeren -> visievorming
  CHECK(back);
  const auto [never, none] = trace(0);
  CHECK(none == 0);
  for (std::size_t k = 1; k < never.size(); ++k) CHECK(never[k] >= never[k - 1]);
}

namespace {
// Residents disappointed by broken promises over `weeks` weeks, the first week one was, and
// the most promises open at once and after week `after`.
struct Promises {
  int disappointed = 0, first_week = -1, most_open = 0, open_after = 0;
};
Promises promises(const ScenarioSpec& spec, int weeks, int after = 1000000) {
  Promises out;
  run(spec, weeks, [&](const World& w) {
    int open = 0;
    for (const auto& b : w.buurten) {
      open += b.expectations.promises_open;
      if (b.expectations.disappointed_week > 0 && out.first_week < 0) out.first_week = w.week;
      out.disappointed += b.expectations.disappointed_week;
    }
    out.most_open = std::max(out.most_open, open);
    if (w.week > after) out.open_after += open;
  });
  return out;
}
}  // namespace

TEST_CASE("an invitation promises results, broken at the horizon and disappointing if remembered", "[programme]") {
  // A long invitation phase makes many promises before anything is carried out.
  const std::vector<Override> plan = {{"programme.plan", "wendbaar"}};
  auto with = [&](std::vector<Override> more) {
    more.insert(more.end(), plan.begin(), plan.end());
    return promises(small(more), 80);
  };
  const Promises base = with({}), soon = with({{"expectations.horizon", "13"}}), never = with({{"expectations.horizon", "520"}}),
                 forgotten = with({{"expectations.fade", "1"}});
  INFO("disappointed: default " << base.disappointed << " (first in week " << base.first_week << "), horizon 13 "
       << soon.disappointed << "; most open " << base.most_open);
  CHECK(base.most_open > 0);
  CHECK(base.disappointed > 0);
  CHECK(base.first_week >= 52);  // nobody is disappointed before the horizon (52 weeks) has passed
  CHECK(soon.disappointed > base.disappointed);
  CHECK(never.disappointed == 0);
  CHECK(forgotten.disappointed == 0);
}

TEST_CASE("promises made before a stop still fall due after it (stop-and-go leaves them unmet)", "[programme]") {
  const auto stop = nlohmann::json::array({{{"kind", "stop"}, {"week", 30}}});
  const Promises p = promises(small({{"programme.plan", "wendbaar"}}, stop), 90, 30);
  INFO("most open " << p.most_open << ", disappointed " << p.disappointed << " (first in week " << p.first_week << ")");
  CHECK(p.most_open > 0);
  CHECK(p.open_after > 0);
  CHECK(p.first_week >= 52);
  CHECK(p.disappointed > 0);
}
