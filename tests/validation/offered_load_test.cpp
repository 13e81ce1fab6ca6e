// Validation of the offered-load estimate against the simulation: in an M/M/c queue (one grid, c servers, no
// travel) the long-run share of on-duty time the servers are busy is ρ = λ E[S] / c whatever the queue does,
// so the estimate must equal the staff utilisation the runs measure, within the 99 % interval of the
// replications. A crew of two with turnout checks the work per incident (2 x (turnout + service)).
#include <gtest/gtest.h>

#include <boost/math/distributions/students_t.hpp>

#include "city/offered_load.hpp"
#include "support/scenarios.hpp"
#include "validation/support.hpp"

namespace civicgrid {
namespace {

// Half-width of the 99 % Student t interval: the 95 % one scaled by t_{0.995,n-1} / t_{0.975,n-1}.
double half_width_99(const metrics::KpiSummary& summary) {
  const boost::math::students_t t(static_cast<double>(summary.n - 1));
  return summary.ci95_half_width * boost::math::quantile(t, 0.995) / boost::math::quantile(t, 0.975);
}

void expect_estimate_matches_the_run(const scenario::Scenario& scenario, double by_hand_utilisation) {
  const auto load = city::estimate_offered_load(scenario, city::City::build(scenario));
  ASSERT_EQ(load.pools.size(), 1u);
  const double estimated = load.pools.front().utilisation;
  EXPECT_NEAR(estimated, by_hand_utilisation, 1e-9);
  const auto run = testing::replicate(scenario, 20, 4711);
  const auto& measured = run.kpi.at("utilization");
  testing::show("utilisation (estimated ρ)", estimated, measured);
  EXPECT_NEAR(measured.mean, estimated, half_width_99(measured));
  EXPECT_LT(measured.ci95_half_width, 0.05 * estimated) << "interval too wide for the comparison to mean anything";
}

TEST(OfferedLoadValidation, MMcUtilisationIsTheEstimatedRho) {
  // c = 5, λ = 0.4/min, E[S] = 10 min: ρ = 0.8.
  expect_estimate_matches_the_run(testing::single_grid_queue(5, 0.4, testing::exponential_min(10), 24 * 40, 48), 0.8);
}

TEST(OfferedLoadValidation, CrewOfTwoWithTurnoutTakesTwiceTheWork) {
  // c = 6, λ = 0.15/min, crews of 2, each busy 1 min turnout + 10 min: ρ = 0.15 x 2 x 11 / 6 = 0.55.
  auto scenario = testing::single_grid_queue(6, 0.15, testing::exponential_min(10), 24 * 40, 48);
  scenario.travel.turnout_s = 60;
  scenario.incidents[0].roles = {"server", "server"};
  expect_estimate_matches_the_run(scenario, 0.55);
}

}  // namespace
}  // namespace civicgrid
