// Validation of travel geometry in light traffic: every incident finds its grid worker free at the grid
// office (the centre of a square cell), so travel = turnout + mean distance from the centre / speed.
// References in reference.hpp: L1 mean distance = side / 2; L2 = side/6 (sqrt 2 + ln(1 + sqrt 2)).
#include <gtest/gtest.h>

#include "support/scenarios.hpp"
#include "validation/reference.hpp"
#include "validation/support.hpp"

namespace civicgrid {
namespace {

scenario::Scenario light_traffic(scenario::TravelMetric metric) {
  // 10 x 10 grids of 600 m, one worker per grid, own grid first; 0.02 incidents per grid per day and 6 min on
  // scene: a worker is away ~0.02% of the time, so nearly every call starts at the office.
  auto s = testing::single_grid_queue(1, 0.02 / (24 * 60), testing::fixed_min(6), 24 * 2000, 0);
  s.layout = {10, 10, 600.0, 5, 5, 2, 2};
  s.travel = {metric, 12.0 / 3.6, 1.0, 90};   // 12 km/h = 200 m/min, 1.5 min turnout
  s.dispatch.policy = scenario::DispatchPolicyName::own_unit_first;
  return s;
}

void check(scenario::TravelMetric metric, double mean_distance_m) {
  const auto run = testing::replicate(light_traffic(metric), 20, 11);
  const double expected_min = 1.5 + mean_distance_m / 200.0;
  testing::expect_matches(run, "travel_min_mean", expected_min, "travel (min)", 0.01);
  testing::expect_littles_law(run);
}

TEST(Geometry, ManhattanMeanDistanceIsHalfTheSide) {
  check(scenario::TravelMetric::manhattan, reference::mean_l1_from_centre(600));
}

TEST(Geometry, EuclideanMeanDistanceFromTheCentre) {
  EXPECT_NEAR(reference::mean_l2_from_centre(1.0), 0.382598, 1e-6);
  check(scenario::TravelMetric::euclidean, reference::mean_l2_from_centre(600));
}

}  // namespace
}  // namespace civicgrid
