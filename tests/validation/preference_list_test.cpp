// Validation of dispatch.policy: preference_list, the hypercube model's fixed preferences (Larson 1974;
// Larson & Odoni, Urban Operations Research, 1981, ch. 5), against exact results: the published two-server
// quiz of workflow_test.cpp written as preference lists, and an asymmetric case solved by hand below.
// Tolerances: 99.9% confidence intervals over replications (support.hpp).
#include <gtest/gtest.h>

#include "support/scenarios.hpp"
#include "validation/support.hpp"

namespace civicgrid {
namespace {

constexpr double mile_m = 1609.344;
using scenario::Level;
using testing::expect_matches;

// Two adjacent 1 x 1 mile sectors G01 and G02 (one community C01, its centre on their common edge), arrivals
// Poisson, service exponential 30 min, travel times negligible (1000 km/s) but distances counted. Each list
// ends with the ample backup team at C01; tiered escalation with when_busy: escalate sends a call nobody on
// the grid level of its list can take to the community tier at once, where the list's C01 entry catches it.
scenario::Scenario two_sectors() {
  auto s = testing::single_grid_queue(1, 1.0 / 60, testing::exponential_min(30), 24 * 300, 24);
  s.layout = {1, 2, mile_m, 1, 2, 1, 1};
  s.incidents[0].roles = {"patrol"};
  s.travel = {scenario::TravelMetric::manhattan, 1e6, 1.0, 0};
  s.dispatch.policy = scenario::DispatchPolicyName::preference_list;
  s.escalation = {scenario::EscalationMode::tiered, scenario::WhenBusy::escalate};
  return s;
}

// MIT 1.203J 2001 quiz 2, problem 1 (workflow_test.cpp, Hypercube.TwoSectorsOwnFirstNoQueue): lambda = 1/h per
// sector, own sector first, then the other, no queue. Written as lists, G01: [G01, G02, C01] and, in the
// team@unit form, G02: [sector_car@G02, sector_car@G01, backup@C01]. Published: P(both busy) = 1/5 (those
// calls are escalated), workload 2/5 per car, 3/4 of the calls the cars serve are their own sector's, mean
// travel 11/16 mile for the cars' calls; escalated calls come from the community centre: 1/2 + 1/4 = 3/4 mile.
TEST(PreferenceList, PublishedTwoSectorHypercube) {
  auto s = two_sectors();
  s.teams = {{"sector_car", Level::grid, 1, {"patrol"}}, {"backup", Level::community, 20, {"patrol"}}};
  s.dispatch.preferences_by_grid = {{{Level::grid, 0, -1}, {Level::grid, 1, -1}, {Level::community, 0, -1}},
                                    {{Level::grid, 1, 0}, {Level::grid, 0, 0}, {Level::community, 0, 1}}};
  const auto run = testing::replicate(s, 30, 1203);
  expect_matches(run, "escalation_rate", 1.0 / 5, "P(both busy) = escalated");
  expect_matches(run, "utilization@sector_car", 2.0 / 5, "workload per sector car");
  expect_matches(run, "own_grid_share", 3.0 / 4, "own-sector share");
  const double expected_km = (4.0 / 5 * 11.0 / 16 + 1.0 / 5 * 3.0 / 4) * mile_m / 1000;
  expect_matches(run, "travel_km_mean", expected_km, "mean travel distance (km)");
  EXPECT_EQ(run.kpi.at("queue_length_mean").mean, 0.0);   // nothing ever waits: the backup tier is ample
}

// An asymmetric hypercube, derived here. Car A is car_a@G01, car B is car_b@G02 (two teams, so each has its
// own utilisation KPI; each team also has a member in the other grid that no list names, car_a@G02 and
// car_b@G01: it must never be sent, and it halves its team's utilisation); lambda1 = 1/h in G01, lambda2 = 2/h in G02 (residents 1000 and 2000 at 1/h per
// 1000), service rate mu = 2/h. G01 calls go to A, else the backup; G02 calls to B, then A, else the backup:
// A helps out in G02, B never leaves it. State (a, b), 1 = busy; backup calls change nothing.
//   (0,0): lambda1 -> (1,0), lambda2 -> (0,1)
//   (1,0): lambda2 -> (1,1), mu -> (0,0)            [a G01 call is escalated]
//   (0,1): lambda1 + lambda2 -> (1,1), mu -> (0,0)  [a G02 call goes to A]
//   (1,1): mu -> (0,1), mu -> (1,0)                 [every call is escalated]
// The lists name the cars by team: G01: [car_a@G01, C01], G02: [car_b@G02, car_a@G01, C01].
// Balance (mu = 1, lambda1 = 1/2, lambda2 = 1, p00 = 1 unnormalised):
//   3/2 p00 = p10 + p01;  2 p10 = 1/2 p00 + p11;  5/2 p01 = p00 + p11;  2 p11 = p10 + 3/2 p01
//   -> p11 = 17/18, p10 = 13/18, p01 = 14/18; normalised (p00, p10, p01, p11) = (18, 13, 14, 17) / 62.
// Utilisation of A: p10 + p11 = 30/62 = 15/31. Of B: p01 + p11 = 1/2 (B alone is an Erlang loss system,
// lambda2 / (lambda2 + mu) = 1/2, a check on the algebra). Per team, with its idle second member: 15/62, 1/4.
// Escalated (PASTA): lambda1 (p10 + p11) + lambda2 p11 = 64/62 per hour out of 3/h: 32/93.
// Cars' calls: A in G01 lambda1 (p00 + p01) = 32/62, B in G02 lambda2 (1 - p_B) = 62/62, A in G02 lambda2 p01
// = 28/62 per hour: own-grid share (32 + 62) / 122 = 47/61.
// Distances (manhattan, cars wait at their grid's centre, backup at the community centre on the common edge):
// own grid 1/4 + 1/4 = 1/2 mile, A into G02 1 + 1/4 = 5/4, backup 1/2 + 1/4 = 3/4; over all 186/62 calls per
// hour: (94 x 1/2 + 28 x 5/4 + 64 x 3/4) / 186 = 130/186 = 65/93 mile.
TEST(PreferenceList, AsymmetricListsSolvedByHand) {
  auto s = two_sectors();
  s.teams = {{"car_a", Level::grid, 1, {"patrol"}}, {"car_b", Level::grid, 1, {"patrol"}},
             {"backup", Level::community, 20, {"patrol"}}};
  s.population.residents_by_grid = {1000, 2000};
  s.incidents[0].rate_per_grid_per_s = 0;
  s.incidents[0].rate_per_1000_residents_per_s = 1.0 / 3600;
  s.dispatch.preferences_by_grid = {{{Level::grid, 0, 0}, {Level::community, 0, -1}},
                                    {{Level::grid, 1, 1}, {Level::grid, 0, 0}, {Level::community, 0, -1}}};
  const auto run = testing::replicate(s, 30, 1974);
  expect_matches(run, "utilization@car_a", 15.0 / 31 / 2, "car_a (A 15/31, idle 0)");
  expect_matches(run, "utilization@car_b", 1.0 / 2 / 2, "car_b (B 1/2, idle 0)");
  expect_matches(run, "escalation_rate", 32.0 / 93, "escalated share");
  expect_matches(run, "own_grid_share", 47.0 / 61, "own-grid share of the cars");
  expect_matches(run, "travel_km_mean", 65.0 / 93 * mile_m / 1000, "mean travel distance (km)");
  EXPECT_EQ(run.kpi.at("queue_length_mean").mean, 0.0);
}

}  // namespace
}  // namespace civicgrid
