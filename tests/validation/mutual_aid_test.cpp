// Validation of mutual aid between neighbouring grids (dispatch.mutual_aid) against exact results: at once
// (after: 0) it is the published two-server hypercube with own sector first, then the other; with a delay it
// is an M/M/1 queue whose arrivals are the calls shifted by the delay, derived below. Tolerances: 99.9%
// confidence intervals over replications (support.hpp).
#include <gtest/gtest.h>

#include "support/scenarios.hpp"
#include "validation/support.hpp"

namespace civicgrid {
namespace {

constexpr double mile_m = 1609.344;
using scenario::Level;
using testing::expect_matches;

// Two adjacent 1 x 1 mile grids G01 and G02 (one community C01, its centre on their common edge), arrivals
// Poisson, service exponential 30 min, travel times negligible (1000 km/s) but distances counted. Each grid's
// staff serves only its own grid (own_unit_only) unless mutual aid lends it.
scenario::Scenario two_grids(double after_s) {
  auto s = testing::single_grid_queue(1, 1.0 / 60, testing::exponential_min(30), 24 * 300, 24);
  s.layout = {1, 2, mile_m, 1, 2, 1, 1};
  s.travel = {scenario::TravelMetric::manhattan, 1e6, 1.0, 0};
  s.dispatch.policy = scenario::DispatchPolicyName::own_unit_only;
  s.dispatch.mutual_aid = scenario::MutualAid{scenario::NeighbourKind::adjacent, 0, after_s};
  return s;
}

// MIT 1.203J 2001 quiz 2, problem 1 (workflow_test.cpp, Hypercube.TwoSectorsOwnFirstNoQueue): lambda = 1/h per
// sector, own sector first, then the other, no queue; here the other sector is mutual aid at once, and a call
// neither car can take goes to the ample community tier (tiered, when_busy: escalate). Published: P(both
// busy) = 1/5 (escalated), workload 2/5 per car, 3/4 of the cars' calls their own sector's, mean travel 11/16
// mile for the cars' calls. So mutual aid leads 1/4 of the cars' 4/5 of all calls: 1/5; escalated calls
// come from the community centre: 1/2 + 1/4 = 3/4 mile.
TEST(MutualAid, AtOnceIsThePublishedTwoSectorHypercube) {
  auto s = two_grids(0);
  s.teams = {{"sector_car", Level::grid, 1, {"server"}}, {"backup", Level::community, 20, {"server"}}};
  s.escalation = {scenario::EscalationMode::tiered, scenario::WhenBusy::escalate};
  const auto run = testing::replicate(s, 30, 1203);
  expect_matches(run, "escalation_rate", 1.0 / 5, "P(both busy) = escalated");
  expect_matches(run, "utilization@sector_car", 2.0 / 5, "workload per sector car");
  expect_matches(run, "own_grid_share", 3.0 / 4, "own-sector share of the cars' calls");
  expect_matches(run, "mutual_aid_share", 1.0 / 5, "calls led by the other sector's car");
  const double expected_km = (4.0 / 5 * 11.0 / 16 + 1.0 / 5 * 3.0 / 4) * mile_m / 1000;
  expect_matches(run, "travel_km_mean", expected_km, "mean travel distance (km)");
  EXPECT_EQ(run.kpi.at("queue_length_mean").mean, 0.0);
}

// Delayed aid, derived here. Calls come only in G01 (lambda = 1/h: residents 1000 and 0 at 1/h per 1000), and
// G01 has no staff of its own (a grid team of per_unit 0 with one extra member in G02). Each call waits
// exactly after = 20 min at the grid tier, then G02's member may take it; nothing escalates (when_busy: wait,
// no time limit). The calls become eligible for G02's member at t_i + 20 min: a Poisson process of rate lambda
// shifted by a constant, so again Poisson, served first come first served (the line's order is the calls'
// order) by one exponential server, mu = 2/h: M/M/1 with rho = 1/2 (Kleinrock, Queueing Systems I, 1975,
// sec. 3.2). Its mean wait Wq = rho / (mu - lambda) = 1/2 h, so a call waits 20 + 30 = 50 min before it is
// dispatched, every call waits (wait probability 1), the server is busy rho = 1/2 of the time, and by Little's
// law the mean number of known calls waiting is lambda x 50 min = 5/6. Every call is led by the neighbour:
// mutual aid share 1.
TEST(MutualAid, DelayedAidIsAShiftedMm1Queue) {
  auto s = two_grids(20 * 60);
  scenario::Team worker{"worker", Level::grid, 0, {"server"}};
  worker.extra_by_unit = {{"G02", 1}};
  s.teams = {worker};
  s.population.residents_by_grid = {1000, 0};
  s.incidents[0].rate_per_grid_per_s = 0;
  s.incidents[0].rate_per_1000_residents_per_s = 1.0 / 3600;
  s.escalation = {scenario::EscalationMode::tiered, scenario::WhenBusy::wait};
  const auto run = testing::replicate(s, 30, 2001);
  expect_matches(run, "wait_min_mean", 50, "20 min delay + M/M/1 wait 30 min");
  expect_matches(run, "utilization@worker", 0.5, "rho");
  expect_matches(run, "queue_length_mean", 5.0 / 6, "Little: lambda x 50 min");
  EXPECT_EQ(run.kpi.at("wait_probability").mean, 1.0);
  EXPECT_EQ(run.kpi.at("mutual_aid_share").mean, 1.0);
  EXPECT_EQ(run.kpi.at("escalation_rate").mean, 0.0);
}

}  // namespace
}  // namespace civicgrid
