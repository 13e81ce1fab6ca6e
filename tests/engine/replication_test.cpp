// Engine tier: one SimGrid replication per test process (ctest runs each TEST separately). These check the
// engine's bookkeeping on single replications; statistical agreement with theory is in tests/validation.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "city/city.hpp"
#include "engine/replication.hpp"
#include "support/scenarios.hpp"

namespace civicgrid {
namespace {

std::map<std::string, double> kpis_of(const metrics::ReplicationResult& result) {
  return {result.kpis.begin(), result.kpis.end()};
}

TEST(Replication, CountsPoissonArrivalsAndObeysLittlesLaw) {
  // M/M/20, lambda = 1.8/min, mean service 10 min, 200 days after a 2-day warm-up.
  auto scenario = testing::single_grid_queue(20, 1.8, testing::exponential_min(10), 24 * 202, 48);
  const auto city = city::City::build(scenario);
  const auto result = engine::run_replication(scenario, city, {0, 7, ""});
  auto kpi = kpis_of(result);
  const double expected = 1.8 * 60 * 24 * 200;
  std::printf("incidents expected %.0f, got %.0f\n", expected, kpi["incidents"]);
  EXPECT_NEAR(kpi["incidents"], expected, 5 * std::sqrt(expected));   // Poisson count: 5 standard deviations
  EXPECT_EQ(kpi["arrival_rate_per_h"], kpi["incidents"] / (24 * 200));
  // Little's law L = lambda W on the waiting line. Only boundary effects separate the two sides: incidents
  // already waiting at the warm-up or still waiting at the horizon (a few minutes of queue out of 200 days).
  const double lambda_per_min = kpi["arrival_rate_per_h"] / 60;
  const double little_l = lambda_per_min * kpi["wait_min_mean"];
  std::printf("L_q time-average %.5f, lambda W_q %.5f\n", kpi["queue_length_mean"], little_l);
  EXPECT_NEAR(kpi["queue_length_mean"], little_l, 0.01 * little_l);
  EXPECT_LE(kpi["backlog_at_end"], 60);
  EXPECT_NEAR(kpi["utilization"], 0.9, 0.02);
  EXPECT_EQ(kpi["travel_min_mean"], 0.0);   // metric none, no turnout
}

TEST(Replication, NoArrivalsMeansNoWorkAndNoDeadlock) {
  auto scenario = testing::single_grid_queue(3, 0.0, testing::exponential_min(10), 24, 0);
  const auto city = city::City::build(scenario);
  const auto result = engine::run_replication(scenario, city, {0, 1, ""});
  auto kpi = kpis_of(result);
  EXPECT_EQ(kpi["incidents"], 0);
  EXPECT_EQ(kpi["utilization"], 0);
  EXPECT_TRUE(std::isnan(kpi["response_min_mean"]));
  ASSERT_EQ(result.responders.size(), 3u);
  EXPECT_DOUBLE_EQ(result.responders[0].idle_min, 24 * 60);
}

TEST(Replication, ResponderDrivesOutAndBackWithTurnout) {
  // One responder at the centre of a 1 km cell, Manhattan at 6 km/h (100 m/min), 2 min turnout, fixed 10 min
  // on scene, rare incidents: every response is turnout + L1 distance / speed from the cell centre.
  auto scenario = testing::single_grid_queue(1, 1.0 / 600, testing::fixed_min(10), 24 * 400, 0);
  scenario.travel = {scenario::TravelMetric::manhattan, 100.0 / 60, 1.0, 120};
  const auto city = city::City::build(scenario);
  const auto result = engine::run_replication(scenario, city, {0, 3, ""});
  auto kpi = kpis_of(result);
  // Mean L1 distance from a square's centre to a uniform point = side / 2 = 500 m -> 5 min, plus 2 min turnout.
  // Light traffic: nearly every incident finds the responder at base. SE of the mean ~ 0.07 min here.
  EXPECT_NEAR(kpi["travel_min_mean"], 7.0, 0.3);
  EXPECT_NEAR(kpi["on_scene_min_mean"], 10.0, 1e-9);
  const auto& responder = result.responders.at(0);
  // Back-to-base drive equals the outbound drive on average (without the turnout).
  EXPECT_NEAR(responder.return_min / responder.incidents_served, 5.0, 0.35);
}

}  // namespace
}  // namespace civicgrid
