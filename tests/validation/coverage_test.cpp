// Validation of the coverage KPIs (docs/coverage.md) against values derived by hand.
//
// Static coverage. One square grid of side s = 1000 m with its office at the centre, Manhattan travel at v,
// no turnout, no detour, coverage time T: a resident is covered when |x| + |y| <= r = vT from the centre.
// Residents are uniform over the square, so the covered share is an area ratio:
//   r <= s/2:        the whole diamond lies in the square: area 2r^2, share 2r^2 / s^2;
//   s/2 <= r <= s:   the square minus its four corner triangles with legs (s - r): share 1 - 2(s - r)^2 / s^2.
// civicgrid places residents on the midpoints of an N x N lattice of cells of side h = s/N; a cell is
// misjudged only where the diamond's edge crosses it. Each of the four edges (slope +-1) spans at most
// w = min(r, s - r) horizontally inside the square and crosses at most 2(w/h + 1) cells, so the lattice share
// differs from the exact one by at most 8 (w/h + 1) h^2 / s^2: the tolerance below (a bound, not a guess).
//
// Dynamic coverage. With one responder at a fixed base, the residents it covers are the static set while it is
// at rest and nobody otherwise, so dynamic = P(at rest) x static, and P(at rest) = 1 - utilisation (busy time
// counts the trips to and from the scene). With zero travel it is M/M/1: utilisation rho = lambda / mu exactly
// (Gross, Shortle, Thompson & Harris, Fundamentals of Queueing Theory, 4th ed., section 2.2), so dynamic
// coverage = 1 - rho. With travel, the identity is checked per replication against the simulated
// utilisation: the paired difference must have a confidence interval that contains 0.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "support/scenarios.hpp"
#include "validation/support.hpp"

namespace civicgrid {
namespace {

constexpr double side_m = 1000;

scenario::Scenario static_case(double reach_m, int points_per_side) {
  auto s = testing::single_grid_queue(1, 0.01, testing::exponential_min(10), 2, 0);
  const double speed_mps = 5;
  s.travel = {scenario::TravelMetric::manhattan, speed_mps, 1.0, 0.0};
  s.coverage.within_s = reach_m / speed_mps;
  s.coverage.points_per_side = points_per_side;
  s.coverage.sample_every_s = 1e9;   // static only: no samples inside the window
  return s;
}

void check_static(double reach_m, double expected) {
  const int n = 1000;
  const auto run = testing::replicate(static_case(reach_m, n), 2, 7);
  const auto& simulated = run.kpi.at("static_coverage_rate");
  const double h = side_m / n;
  const double w = std::min(reach_m, side_m - reach_m);
  const double bound = 8 * (w / h + 1) * h * h / (side_m * side_m);
  testing::show("static coverage", expected, simulated);
  EXPECT_NEAR(simulated.mean, expected, bound);
  EXPECT_EQ(simulated.ci95_half_width, 0) << "static coverage depends on no random draw";
  // The role and the grid level see the same single member.
  EXPECT_EQ(run.kpi.at("static_coverage_rate@role:server").mean, simulated.mean);
  EXPECT_EQ(run.kpi.at("static_coverage_rate@level:grid").mean, simulated.mean);
}

TEST(Coverage, StaticDiamondInsideTheSquare) { check_static(400, 2 * 400.0 * 400.0 / (side_m * side_m)); }

TEST(Coverage, StaticDiamondClippedByTheSquare) {
  check_static(700, 1 - 2 * (side_m - 700) * (side_m - 700) / (side_m * side_m));
}

TEST(Coverage, DynamicIsOneMinusRhoForMM1) {
  // lambda = 0.05/min, 1/mu = 10 min: rho = 0.5; zero travel, so every resident is within any T.
  auto s = testing::single_grid_queue(1, 0.05, testing::exponential_min(10), 24 * 60, 48);
  s.coverage.within_s = 15 * 60;
  const auto run = testing::replicate(s, 30, 2026);
  EXPECT_EQ(run.kpi.at("static_coverage_rate").mean, 1.0);
  testing::expect_matches(run, "dynamic_coverage_rate", 0.5, "dynamic coverage = 1 - rho");
  testing::expect_matches(run, "utilization", 0.5, "utilisation");
}

TEST(Coverage, DynamicIsRestShareTimesStaticWithTravel) {
  auto s = testing::single_grid_queue(1, 0.03, testing::exponential_min(10), 24 * 60, 48);
  const double speed_mps = 5;
  s.travel = {scenario::TravelMetric::manhattan, speed_mps, 1.0, 0.0};
  s.coverage.within_s = 400 / speed_mps;
  s.coverage.points_per_side = 100;
  const auto run = testing::replicate(s, 30, 2027);
  const double static_share = run.kpi.at("static_coverage_rate").mean;
  EXPECT_NEAR(static_share, 0.32, 8 * (400 / 10.0 + 1) * 100 / (side_m * side_m));
  // Paired per replication: dynamic_i - (1 - utilisation_i) x static.
  metrics::ReplicationResult differences;
  std::vector<metrics::ReplicationResult> paired;
  for (const auto& result : run.results) {
    std::map<std::string, double> kpi(result.kpis.begin(), result.kpis.end());
    metrics::ReplicationResult one;
    one.replication = result.replication;
    one.kpis = {{"difference", kpi["dynamic_coverage_rate"] - (1 - kpi["utilization"]) * static_share},
                {"dynamic_coverage_rate", kpi["dynamic_coverage_rate"]}};
    paired.push_back(one);
  }
  const auto summaries = metrics::summarise(paired);
  const auto& difference = summaries[0];
  testing::show("dynamic - (1-rho) static", 0.0, difference);
  EXPECT_NEAR(difference.mean, 0.0, testing::tolerance(difference));
  EXPECT_LT(difference.ci95_half_width, 0.01) << "interval too wide for the comparison to mean anything";
  EXPECT_GT(summaries[1].mean, 0.05);   // a load at which the responder is often away
  EXPECT_LT(summaries[1].mean, static_share - 0.05);
}

}  // namespace
}  // namespace civicgrid
