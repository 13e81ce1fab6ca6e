// Validation of the grid-management workflow against exact results: escalation tiers (the two-server
// hypercube), non-preemptive priorities (M/G/1), joint responses and escalation after failed handling
// (derived by hand below). Tolerances: 99.9% confidence intervals over replications (support.hpp).
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "support/scenarios.hpp"
#include "validation/support.hpp"

namespace civicgrid {
namespace {

constexpr double mile_m = 1609.344;
using testing::Validation;

using testing::expect_matches;

// MIT 1.203J / 6.281J / 15.073J Logistical and Transportation Planning Methods (Odoni & Larson), 2001, quiz 2,
// problem 1: two adjacent 1 x 1 mile sectors, lambda = 1/h in each, one server per sector, exponential service
// mean 30 min, negligible travel time, own sector first, no queue (calls finding both busy go elsewhere).
// Published: P(both idle) = 2/5, P(both busy) = 1/5, workload 2/5 per server, 3/4 of the calls served by the
// servers go to the own-sector server; mean travel distance with servers waiting at sector centres 11/16 mile.
TEST(Hypercube, TwoSectorsOwnFirstNoQueue) {
  auto s = testing::single_grid_queue(1, 1.0 / 60, testing::exponential_min(30), 24 * 300, 24);
  s.layout = {1, 2, mile_m, 1, 2, 1, 1};
  s.teams = {{"sector_car", scenario::Level::grid, 1, {"patrol"}},
             {"backup", scenario::Level::community, 20, {"patrol"}}};
  s.incidents[0].roles = {"patrol"};
  s.travel = {scenario::TravelMetric::manhattan, 1e6, 1.0, 0};   // 1000 km/s: distances count, times do not
  s.dispatch.policy = scenario::DispatchPolicyName::own_unit_first;
  s.escalation = {scenario::EscalationMode::tiered, scenario::WhenBusy::escalate};
  const auto run = testing::replicate(s, 30, 1203);
  expect_matches(run, "escalation_rate", 1.0 / 5, "P(both busy) = escalated");
  expect_matches(run, "utilization@sector_car", 2.0 / 5, "workload per sector car");
  expect_matches(run, "own_grid_share", 3.0 / 4, "own-sector share");
  // Calls served in the sectors travel 11/16 mile on average (published); escalated ones come from the
  // community centre on the sectors' common edge: E|x - 1| + E|y - 1/2| = 1/2 + 1/4 = 3/4 mile (uniform point).
  const double expected_km = (4.0 / 5 * 11.0 / 16 + 1.0 / 5 * 3.0 / 4) * mile_m / 1000;
  expect_matches(run, "travel_km_mean", expected_km, "mean travel distance (km)");
  EXPECT_EQ(run.kpi.at("queue_length_mean").mean, 0.0);   // nothing ever waits: the backup tier is ample
}

// The same quiz: with idle cars patrolling their sector uniformly, the published mean travel distance of the
// calls the sector cars serve is 5/6 mile (own sector: E[L1 between two uniform points of a unit square] = 2/3;
// the neighbour's: 1 + 1/3; weighted 3/4 and 1/4). Escalated calls still come from the community centre (3/4).
TEST(Hypercube, PatrollingCarsTravelFiveSixthsOfAMile) {
  auto s = testing::single_grid_queue(1, 1.0 / 60, testing::exponential_min(30), 24 * 300, 24);
  s.layout = {1, 2, mile_m, 1, 2, 1, 1};
  s.teams = {{"sector_car", scenario::Level::grid, 1, {"patrol"}},
             {"backup", scenario::Level::community, 20, {"patrol"}}};
  s.teams[0].patrols_when_idle = true;
  s.incidents[0].roles = {"patrol"};
  s.travel = {scenario::TravelMetric::manhattan, 1e6, 1.0, 0};
  s.dispatch.policy = scenario::DispatchPolicyName::own_unit_first;
  s.escalation = {scenario::EscalationMode::tiered, scenario::WhenBusy::escalate};
  const auto run = testing::replicate(s, 30, 1204);
  const double expected_km = (4.0 / 5 * 5.0 / 6 + 1.0 / 5 * 3.0 / 4) * mile_m / 1000;
  expect_matches(run, "travel_km_mean", expected_km, "mean travel distance (km)");
  expect_matches(run, "own_grid_share", 3.0 / 4, "own-sector share");
}

// Non-preemptive priority M/G/1, MIT 1.203J (2003) quiz 2 problem 1: lambda1 = lambda2 = 12/h, fixed service
// 1 min (class 1, urgent) and 3 min (class 2). W0 = sum lambda_i E[S_i^2] / 2 = (0.2 * 1 + 0.2 * 9) / 2 = 1 min;
// Wq1 = W0 / (1 - rho1) = 1.25 min; Wq2 = W0 / ((1 - rho1)(1 - rho1 - rho2)) = 6.25 min; FCFS: W0 / (1 - rho) = 5 min.
scenario::Scenario two_classes(int routine_priority) {
  auto s = testing::single_grid_queue(1, 12.0 / 60, testing::fixed_min(1), 24 * 200, 24);
  auto routine = s.incidents[0];
  s.incidents[0].name = "urgent";
  s.incidents[0].priority = 1;
  routine.name = "routine";
  routine.service = testing::fixed_min(3);
  routine.priority = routine_priority;
  s.incidents.push_back(routine);
  return s;
}

TEST(PriorityQueue, NonPreemptiveMG1) {
  const auto run = testing::replicate(two_classes(2), 30, 2003);
  expect_matches(run, "wait_min_mean@urgent", 1.25, "Wq urgent (min)");
  expect_matches(run, "wait_min_mean@routine", 6.25, "Wq routine (min)");
  testing::expect_littles_law(run);
}

TEST(PriorityQueue, FirstComeFirstServedWhenEqual) {
  const auto run = testing::replicate(two_classes(1), 30, 2003);
  expect_matches(run, "wait_min_mean@urgent", 5.0, "Wq class 1, FCFS (min)");
  expect_matches(run, "wait_min_mean@routine", 5.0, "Wq class 2, FCFS (min)");
}

// Preemptive-resume priority M/G/1 with the same two classes (dispatch.preemption: by_priority). Kleinrock,
// Queueing Systems vol. 2 (1976) §3.7, eq. 3.65: T_k = E[S_k] / (1 - s_{k-1}) + R_k / ((1 - s_{k-1})(1 - s_k)),
// R_k = sum_{i<=k} lambda_i E[S_i^2] / 2, s_k = rho_1 + ... + rho_k. Here rho1 = 0.2, rho2 = 0.6:
//   urgent:  R1 = 0.2 x 1 / 2 = 0.1 min; T1 = 1 + 0.1 / 0.8 = 1.125 min, so Wq1 = 0.125 min (an M/D/1 of its own);
//   routine: R2 = 0.1 + 0.2 x 9 / 2 = 1 min; T2 = 3 / 0.8 + 1 / (0.8 x 0.2) = 10 min.
// Closure (known -> closed, no travel) averages the classes, which arrive equally often: (1.125 + 10) / 2.
// A routine job's time in line is every spell it waits, before its first dispatch and after each pre-emption:
// with no travel, T2 - E[S2] = 10 - 3 = 7 min. Counting only the first spell would undercount it and break
// Little's law on the line, which counts every spell.
// Pre-emptions: an urgent arrival finds routine work in progress with probability rho2 (PASTA), so they occur
// at lambda1 x rho2 = 0.12/min. The server is busy rho = 0.8 of the time whatever the order of work, which
// checks that interrupted jobs hand back the time they no longer use.
TEST(PriorityQueue, PreemptiveResumeMG1) {
  auto s = two_classes(2);
  s.dispatch.preemption = scenario::Preemption::by_priority;
  const auto run = testing::replicate(s, 30, 2004);
  expect_matches(run, "wait_min_mean@urgent", 0.125, "Wq urgent, pre-emptive (min)");
  expect_matches(run, "wait_min_mean@routine", 10.0 - 3.0, "time in line, routine (min)");
  testing::expect_littles_law(run);
  expect_matches(run, "closure_h_mean", (1.125 + 10.0) / 2 / 60, "closure, both classes (h)");
  const double window_min = (24 * 200 - 24) * 60.0;
  expect_matches(run, "preempted_jobs", 0.2 * 0.6 * window_min, "pre-emptions");
  expect_matches(run, "utilization", 0.8, "server busy");
  EXPECT_EQ(run.kpi.at("handed_over_jobs").mean, 0.0);
}

// Joint response: every incident needs a grid worker and a mediator at once, and there is one of each, so the
// pair works as a single server: M/M/1 with lambda = 0.05/min, mu = 0.1/min -> Wq = rho / (mu - lambda) =
// 0.5 / 0.05 = 10 min, and each of the two is busy exactly when the pair is: utilisation rho = 0.5.
TEST(JointResponse, PairActsAsOneServer) {
  auto s = testing::single_grid_queue(1, 0.05, testing::exponential_min(10), 24 * 300, 48);
  s.teams = {{"grid_worker", scenario::Level::grid, 1, {"grid_worker"}},
             {"mediator", scenario::Level::community, 1, {"mediator"}}};
  s.incidents[0].roles = {"grid_worker", "mediator"};
  const auto run = testing::replicate(s, 30, 77);
  expect_matches(run, "wait_min_mean", 10.0, "Wq of the pair (min)");
  expect_matches(run, "utilization@grid_worker", 0.5, "grid worker busy");
  expect_matches(run, "utilization@mediator", 0.5, "mediator busy");
  EXPECT_DOUBLE_EQ(run.kpi.at("full_team_response_min_mean").mean, run.kpi.at("response_min_mean").mean);
  testing::expect_littles_law(run);
}

// Pre-emption of a joint crew: routine disputes need the grid worker and the mediator together (exponential,
// mean 10 min, lambda2 = 0.04/min); urgent calls need only the grid worker (exponential, mean 5 min, lambda1 =
// 0.04/min) and take it from a dispute in progress, which releases the mediator. The mediator serves disputes
// only and the interrupted dispute stays first in line (nobody younger jumps it), so the mediator is always free
// when the grid worker is: the grid worker is a preemptive-resume priority M/M/1 (Kleinrock vol. 2, eq. 3.65;
// rho1 = 0.2, rho2 = 0.4, R1 = lambda1 E[S1^2] / 2 = 0.04 x 50 / 2 = 1 min, R2 = R1 + 0.04 x 200 / 2 = 5 min):
//   T1 = 5 + 1 / 0.8 = 6.25 min; T2 = 10 / 0.8 + 5 / (0.8 x 0.4) = 28.125 min; closure = (T1 + T2) / 2.
// The grid worker is busy rho = 0.6 of the time, the mediator only while disputes are worked on: 0.4.
// A dispute is in line whenever it is not worked on (no travel), so its time in line is T2 - E[S2] = 18.125 min.
TEST(JointResponse, PreemptionReleasesTheCrewMate) {
  auto s = testing::single_grid_queue(1, 0.04, testing::exponential_min(10), 24 * 300, 48);
  s.teams = {{"grid_worker", scenario::Level::grid, 1, {"grid_worker"}},
             {"mediator", scenario::Level::community, 1, {"mediator"}}};
  s.incidents[0].name = "dispute";
  s.incidents[0].roles = {"grid_worker", "mediator"};
  s.incidents[0].priority = 2;
  auto urgent = s.incidents[0];
  urgent.name = "urgent";
  urgent.roles = {"grid_worker"};
  urgent.priority = 1;
  urgent.service = testing::exponential_min(5);
  s.incidents.push_back(urgent);
  s.dispatch.preemption = scenario::Preemption::by_priority;
  const auto run = testing::replicate(s, 30, 78);
  expect_matches(run, "closure_h_mean", (6.25 + 28.125) / 2 / 60, "closure, both classes (h)");
  expect_matches(run, "wait_min_mean@urgent", 1.25, "Wq urgent (min)");
  expect_matches(run, "wait_min_mean@dispute", 28.125 - 10.0, "time in line, dispute (min)");
  testing::expect_littles_law(run);
  expect_matches(run, "utilization@grid_worker", 0.6, "grid worker busy");
  expect_matches(run, "utilization@mediator", 0.4, "mediator busy");
}

// Joint response with travel: the grid worker starts at the grid office (0.5, 0.5), the mediator at the
// community centre (1, 0.5) on the edge shared by the 1 x 2 grids of 1 km; incidents are uniform in grid 0,
// light traffic (see below), zero turnout, 1 km/min. With f = |x - 0.5| and g = 1 - x (the x parts of the two L1
// distances; the y part |y - 0.5| is common, mean 1/4): f <= g exactly when x <= 3/4, so
// E[min] = int_0^.5 (.5 - x) + int_.5^.75 (x - .5) + int_.75^1 (1 - x) = 1/8 + 1/32 + 1/32 = 3/16, and
// E[max] = int_0^.75 (1 - x) + int_.75^1 (x - .5) = 15/32 + 3/32 = 9/16. First on scene: 3/16 + 1/4 = 7/16 min;
// full team on scene: 9/16 + 1/4 = 13/16 min.
TEST(JointResponse, FullTeamWaitsForTheFarthestMember) {
  // One second on scene keeps the crew away ~2 min per incident, so at 0.2 incidents a day an incident finds
  // it busy with probability ~3e-4 and the waits that would add are far inside the interval.
  auto s = testing::single_grid_queue(1, 0.0, testing::fixed_min(1.0 / 60), 24 * 3600, 0);
  s.layout = {1, 2, 1000.0, 1, 2, 1, 1};
  s.incidents[0].rate_per_grid_per_s = 0;
  s.population.residents_by_grid = {1000, 0};   // incidents only in grid 0
  s.incidents[0].rate_per_1000_residents_per_s = 0.2 / 86400;
  s.teams = {{"grid_worker", scenario::Level::grid, 1, {"grid_worker"}},
             {"mediator", scenario::Level::community, 1, {"mediator"}}};
  s.incidents[0].roles = {"grid_worker", "mediator"};
  s.travel = {scenario::TravelMetric::manhattan, 1000.0 / 60, 1.0, 0};
  const auto run = testing::replicate(s, 30, 5);
  expect_matches(run, "response_min_mean", 7.0 / 16, "first on scene (min)");
  expect_matches(run, "full_team_response_min_mean", 13.0 / 16, "full team on scene (min)");
}

// Escalation after failed handling: ample staff (nobody waits), zero travel, fixed 20 min of work at each
// level; the grid level fails with probability 1/4 and the community level then takes 20 min more. So
// closure takes 20 min (p = 3/4) or 40 min (p = 1/4): escalation rate 1/4, mean closure 25 min, and with a
// 30-minute deadline the on-time closure rate is 3/4.
TEST(Escalation, FailedHandlingGoesUpOneLevel) {
  auto s = testing::single_grid_queue(1, 0.1, testing::fixed_min(20), 24 * 100, 24);
  s.teams = {{"grid_worker", scenario::Level::grid, 20, {"worker"}},
             {"community_team", scenario::Level::community, 20, {"worker"}}};
  s.incidents[0].roles = {"worker"};
  s.incidents[0].failure_probability = 0.25;
  s.incidents[0].deadline = {scenario::TimeLimit::Kind::clock, 30 * 60};
  s.escalation = {scenario::EscalationMode::tiered, scenario::WhenBusy::wait};
  const auto run = testing::replicate(s, 20, 9);
  expect_matches(run, "escalation_rate", 0.25, "escalated after failure");
  expect_matches(run, "on_time_closure_rate", 0.75, "on-time closure");
  expect_matches(run, "closure_h_mean", 25.0 / 60, "closure time (h)");
  EXPECT_EQ(run.kpi.at("wait_min_mean").mean, 0.0);
}

}  // namespace
}  // namespace civicgrid

namespace civicgrid {
namespace {

// Discovery and information reporting, derived by hand: residents report 80% of incidents after an
// exponential delay of mean 2 h, so capture rate 0.8 and mean discovery delay 2 h (incidents still unreported
// at the horizon shift these by ~2 h / 2400 h, far inside the interval). After closure the report is withheld
// when sensitive (p = 0.05) or otherwise, being handled without escalation, with p = 0.1: unreported
// 0.05 + 0.95 x 0.1 = 0.145, valid reports 0.855; reports are sent after an exponential delay of mean 10 h
// and are late past 24 h: on-time share exp(-24 / 10) subtracted from 1 = 0.909282.
TEST(Reporting, DiscoveryAndPlatformReports) {
  auto s = testing::single_grid_queue(30, 0.5 / 60, testing::exponential_min(20), 24 * 100, 24);
  auto& type = s.incidents[0];
  type.report_probability = 0.8;
  type.report_delay = testing::exponential_min(120);
  scenario::IncidentType::Reporting reporting;
  reporting.delay = testing::exponential_min(600);
  reporting.on_time_limit_s = 24 * 3600;
  reporting.not_reported_handled = 0.1;
  reporting.not_reported_sensitive = 0.05;
  type.reporting = reporting;
  const auto run = testing::replicate(s, 20, 31);
  expect_matches(run, "capture_rate", 0.8, "capture rate");
  expect_matches(run, "discovery_delay_h_mean", 2.0, "discovery delay (h)");
  expect_matches(run, "unreported_rate", 0.145, "unreported");
  expect_matches(run, "reported_share_of_closed", 0.855, "valid reports");
  expect_matches(run, "on_time_report_rate", 1 - std::exp(-2.4), "on-time reports");
  EXPECT_EQ(run.kpi.at("wait_min_mean").mean, 0.0);   // 30 servers: response is measured from t_known
}

}  // namespace
}  // namespace civicgrid

namespace civicgrid {
namespace {

// Shifts, derived by hand: one worker on duty 08:00-16:00 every day, 1-second jobs, rare incidents spread
// evenly over the day. Incidents during the shift (1/3) wait nothing; the others wait for 08:00, on average
// half of the 16 hours off: E[wait] = 2/3 x 8 h = 320 min. On-duty share 1/3.
TEST(Shifts, IncidentsWaitForTheNextShift) {
  auto s = testing::single_grid_queue(1, 0.01, testing::fixed_min(1.0 / 60), 24 * 201, 24);
  s.teams[0].shift = scenario::Shift{8 * 3600.0, 8 * 3600.0, {true, true, true, true, true, true, true}};
  const auto run = testing::replicate(s, 20, 8);
  expect_matches(run, "wait_min_mean", 320.0, "wait for the shift (min)");
  EXPECT_NEAR(run.kpi.at("on_duty_share").mean, 1.0 / 3, 1e-9);   // no randomness in a full-time shift
}

// Part-time members: 20 of them, weekdays only, each working a given weekday's 8-hour shift with
// probability 1/2: on-duty share 5/7 x 1/2 x 8/24 = 0.119048 over whole weeks (30 weeks, no warm-up).
TEST(Shifts, PartTimeAvailability) {
  auto s = testing::single_grid_queue(20, 0.001, testing::fixed_min(1), 24 * 210, 0);
  s.teams[0].shift = scenario::Shift{9 * 3600.0, 8 * 3600.0, {true, true, true, true, true, false, false}};
  s.teams[0].availability = 0.5;
  const auto run = testing::replicate(s, 20, 12);
  expect_matches(run, "on_duty_share", 5.0 / 7 * 0.5 / 3, "on-duty share", 0.02);
}

// Absence without shifts (sick leave, training): 10 members, each at work on a given day with probability 0.8,
// drawn per member and day over whole days: on-duty share 0.8.
TEST(Shifts, AbsenceWithoutShiftsTakesWholeDays) {
  auto s = testing::single_grid_queue(10, 0.001, testing::fixed_min(1), 24 * 210, 0);
  s.teams[0].availability = 0.8;
  const auto run = testing::replicate(s, 20, 13);
  expect_matches(run, "on_duty_share", 0.8, "on-duty share", 0.02);
}

// Hand-over at the end of a shift, derived by hand: one worker on duty 00:00-12:00, another 12:00-24:00, each
// handing its job in progress to the other at the change (no travel). Exactly one server is then always at
// work and a job resumes where it stopped, so the queue is M/M/1 (lambda = 0.05/min, mean service 10 min):
// Wq = rho / (mu - lambda) = 10 min, closure W = 1 / (mu - lambda) = 20 min. A job is handed over whenever the
// server is busy at a change, which happens with probability rho = 1/2 (the changes fall at fixed times,
// independent of the queue): 2 x 1/2 hand-overs a day. Each worker is busy half its time on duty.
TEST(Shifts, HandOverKeepsOneServerAtWork) {
  auto s = testing::single_grid_queue(1, 0.05, testing::exponential_min(10), 24 * 200, 24);
  s.teams = {{"day", scenario::Level::grid, 1, {"server"}}, {"night", scenario::Level::grid, 1, {"server"}}};
  const std::array<bool, 7> every_day{true, true, true, true, true, true, true};
  s.teams[0].shift = scenario::Shift{0, 12 * 3600.0, every_day, false, scenario::Shift::AtEnd::hand_over};
  s.teams[1].shift = scenario::Shift{12 * 3600.0, 12 * 3600.0, every_day, false, scenario::Shift::AtEnd::hand_over};
  const auto run = testing::replicate(s, 30, 14);
  expect_matches(run, "wait_min_mean", 10.0, "Wq (min)");
  expect_matches(run, "closure_h_mean", 20.0 / 60, "closure (h)");
  expect_matches(run, "handed_over_jobs", 2 * 0.5 * (200 - 1), "hand-overs");
  expect_matches(run, "utilization@day", 0.5, "day worker busy");
  expect_matches(run, "utilization@night", 0.5, "night worker busy");
}

}  // namespace
}  // namespace civicgrid
