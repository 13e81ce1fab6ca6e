// Unit tier: the offered-load estimate against figures worked out by hand for small scenarios (one tier, two
// tiers, shifts, crews, failures, rework, discovery), and the warning text people read on stderr.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "city/incident_stream.hpp"
#include "city/offered_load.hpp"
#include "support/scenarios.hpp"

namespace civicgrid {
namespace {

using scenario::Level;

const city::PoolLoad* find_pool(const city::OfferedLoad& load, const std::string& role, Level lowest, Level highest) {
  for (const auto& pool : load.pools)
    if (pool.role == role && pool.lowest_level == lowest && pool.highest_level == highest) return &pool;
  return nullptr;
}

city::OfferedLoad estimate(const scenario::Scenario& s) { return city::estimate_offered_load(s, city::City::build(s)); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(OfferedLoad, OneTierIsArrivalsTimesServiceOverServers) {
  // 30 calls/h x 5 min = 2.5 staff-hours per hour on 3 servers: ρ = 5/6.
  const auto s = testing::single_grid_queue(3, 0.5, testing::fixed_min(5), 24 * 7, 0);
  const auto load = estimate(s);
  ASSERT_EQ(load.pools.size(), 1u);
  const auto& pool = load.pools.front();
  EXPECT_EQ(pool.role, "server");
  EXPECT_EQ(pool.lowest_level, Level::grid);
  EXPECT_EQ(pool.highest_level, Level::city);   // pooled: every level may serve
  EXPECT_NEAR(pool.cases_per_h, 30.0, 1e-9);
  EXPECT_NEAR(pool.mean_work_h(), 5.0 / 60, 1e-12);
  EXPECT_NEAR(pool.offered_staff_hours_per_h, 2.5, 1e-9);
  EXPECT_DOUBLE_EQ(pool.members, 3);
  EXPECT_DOUBLE_EQ(pool.staff_on_duty, 3);
  EXPECT_NEAR(pool.utilisation, 2.5 / 3, 1e-9);
  EXPECT_FALSE(load.travel_included);
  EXPECT_EQ(city::format_offered_load_warnings(load, s), "");
}

TEST(OfferedLoad, UniformServiceCountsItsMidpoint) {
  auto s = testing::single_grid_queue(4, 0.5, testing::fixed_min(5), 24, 0);
  s.incidents[0].service.kind = scenario::DistributionKind::uniform;
  s.incidents[0].service.min_s = 10 * 60;
  s.incidents[0].service.max_s = 20 * 60;
  EXPECT_NEAR(estimate(s).pools.at(0).mean_work_h(), 0.25, 1e-12);   // 15 min
}

TEST(OfferedLoad, ArrivalsMatchTheIncidentStreamWithItsMultipliers) {
  auto s = testing::single_grid_queue(50, 0.0, testing::fixed_min(5), 24, 0);
  s.layout = {2, 2, 500.0, 2, 2, 1, 1};
  s.incidents[0].rate_per_grid_per_s = 0;
  s.incidents[0].rate_per_1000_residents_per_s = 2.0 / 86400;   // 2 per 1000 residents per day
  s.incidents[0].migrant_rate_ratio = 3;
  s.incidents[0].key_population_rate_ratio = 5;
  s.population.residents_by_grid = {1000, 2000, 3000, 4000};
  s.population.migrant_share = 0.25;              // x (0.75 + 0.25 x 3) = 1.5
  s.population.key_population_share = 0.1;        // x (0.9 + 0.1 x 5) = 1.4
  const auto city = city::City::build(s);
  const auto load = city::estimate_offered_load(s, city);
  const double by_hand_per_h = 10 * 2.0 / 24 * 1.5 * 1.4;   // 10,000 residents
  EXPECT_NEAR(load.pools.at(0).cases_per_h, by_hand_per_h, 1e-9);
  city::IncidentStream stream(s.incidents[0], city, 1, 0);
  EXPECT_NEAR(load.pools.at(0).cases_per_h, stream.mean_rate_per_s() * 3600, 1e-9);
}

TEST(OfferedLoad, ShiftsAtAThirdOfTheDayLeaveAThirdOfTheStaff) {
  // 6 servers on an 8-hour shift every day: 2 on duty on average; 30/h x 5 min = 2.5 staff-hours/h: ρ = 1.25.
  auto s = testing::single_grid_queue(6, 0.5, testing::fixed_min(5), 24 * 14, 0);
  scenario::Shift shift;
  shift.start_s = 8 * 3600;
  shift.length_s = 8 * 3600;
  s.teams[0].shift = shift;
  auto load = estimate(s);
  EXPECT_NEAR(load.pools.at(0).staff_on_duty, 2.0, 1e-9);
  EXPECT_NEAR(load.pools.at(0).utilisation, 1.25, 1e-9);
  // Half of them absent on a given day: 1 on duty.
  s.teams[0].availability = 0.5;
  EXPECT_NEAR(estimate(s).pools.at(0).staff_on_duty, 1.0, 1e-9);
  // Weekdays only, over two weeks from Monday: 10 shifts of 8 h in 336 h.
  s.teams[0].availability = 1;
  s.teams[0].shift->days = {true, true, true, true, true, false, false};
  EXPECT_NEAR(estimate(s).pools.at(0).staff_on_duty, 6 * 80.0 / 336, 1e-9);
  // The measured window only: warm-up to the end of day 1 leaves 13 days, 9 of them weekdays.
  s.run.warmup_s = 86400;
  EXPECT_NEAR(estimate(s).pools.at(0).staff_on_duty, 6 * 72.0 / 312, 1e-9);
}

TEST(OfferedLoad, LongShiftsOnConsecutiveDaysAreCountedOnce) {
  auto s = testing::single_grid_queue(2, 0.5, testing::fixed_min(5), 24 * 7, 0);
  scenario::Shift shift;
  shift.start_s = 0;
  shift.length_s = 30 * 3600;   // overlaps the next day's shift
  s.teams[0].shift = shift;
  EXPECT_NEAR(estimate(s).pools.at(0).staff_on_duty, 2.0, 1e-9);
}

TEST(OfferedLoad, ACrewOfTwoTakesTwiceTheStaffTimeAndTravelCounts) {
  // One 1 km grid, office at its centre: mean Manhattan distance to a uniform point 500 m; 10 m/s and 60 s
  // turnout give 110 s of travel. Crew of 2, 10 min service: 2 x (110 + 600) s per call.
  auto s = testing::single_grid_queue(6, 0.2, testing::fixed_min(10), 24, 0);
  s.travel = {scenario::TravelMetric::manhattan, 10.0, 1.0, 60.0};
  s.incidents[0].roles = {"server", "server"};
  const auto load = estimate(s);
  const auto& pool = load.pools.at(0);
  EXPECT_TRUE(load.travel_included);
  EXPECT_NEAR(pool.cases_per_h, 12.0, 1e-9);
  EXPECT_NEAR(pool.mean_work_h(), 2 * 710.0 / 3600, 1e-9);
  EXPECT_NEAR(pool.utilisation, 12.0 * 2 * 710.0 / 3600 / 6, 1e-9);
}

TEST(OfferedLoad, AJointCrewWaitsForItsSlowestMember) {
  // 2 x 2 grids of 1 km in one community; a grid worker (from the grid office: 500 m) and a mediator (from the
  // community centre, a grid corner for every grid: 1000 m) at 10 m/s. Both are busy until the mediator is
  // there: 100 s + 20 min each.
  auto s = testing::single_grid_queue(1, 0.1, testing::fixed_min(20), 24, 0);
  s.layout = {2, 2, 1000.0, 2, 2, 1, 1};
  s.travel = {scenario::TravelMetric::manhattan, 10.0, 1.0, 0.0};
  s.teams = {{"grid_worker", Level::grid, 1, {"grid_worker"}}, {"mediation", Level::community, 1, {"mediator"}}};
  s.incidents[0].roles = {"grid_worker", "mediator"};
  const auto load = estimate(s);
  const auto* grid_workers = find_pool(load, "grid_worker", Level::grid, Level::city);
  const auto* mediators = find_pool(load, "mediator", Level::grid, Level::city);
  ASSERT_TRUE(grid_workers && mediators);
  EXPECT_NEAR(grid_workers->mean_work_h(), (100.0 + 1200) / 3600, 1e-9);
  EXPECT_NEAR(mediators->mean_work_h(), (100.0 + 1200) / 3600, 1e-9);
  EXPECT_NEAR(grid_workers->cases_per_h, 4 * 6.0, 1e-9);
  EXPECT_DOUBLE_EQ(grid_workers->staff_on_duty, 4);
  EXPECT_DOUBLE_EQ(mediators->staff_on_duty, 1);
}

// Two tiers: 4 grids with a worker each, one community with 1 more; everything starts at the grid tier.
scenario::Scenario two_tiers(double calls_per_grid_per_h, double failure_probability) {
  auto s = testing::single_grid_queue(1, calls_per_grid_per_h / 60, testing::fixed_min(30), 24 * 7, 0);
  s.layout = {2, 2, 500.0, 2, 2, 1, 1};
  s.teams = {{"grid_worker", Level::grid, 1, {"worker"}}, {"community_team", Level::community, 1, {"worker"}}};
  s.incidents[0].roles = {"worker"};
  s.incidents[0].failure_probability = failure_probability;
  s.escalation.mode = scenario::EscalationMode::tiered;
  return s;
}

TEST(OfferedLoad, TwoTiersCountFailuresAtTheNextTierWithTheStaffBelowIt) {
  // 1 call/h per grid x 0.5 h: the grid tier gets 4/h (2 staff-hours/h on 4 workers: ρ = 0.5); half of the
  // calls fail and go to the community tier, which leads with its own member and may take the grid workers
  // along: every call's work can only be done by those 5, 6/h x 0.5 h = 3 staff-hours/h, ρ = 0.6.
  const auto load = estimate(two_tiers(1.0, 0.5));
  const auto* grid = find_pool(load, "worker", Level::grid, Level::grid);
  const auto* both = find_pool(load, "worker", Level::grid, Level::community);
  ASSERT_TRUE(grid && both);
  EXPECT_NEAR(grid->cases_per_h, 4.0, 1e-9);
  EXPECT_NEAR(grid->utilisation, 0.5, 1e-9);
  EXPECT_NEAR(both->cases_per_h, 6.0, 1e-9);
  EXPECT_DOUBLE_EQ(both->staff_on_duty, 5);
  EXPECT_NEAR(both->utilisation, 0.6, 1e-9);
  EXPECT_EQ(load.pools.size(), 2u);
  EXPECT_FALSE(load.load_moves_up);
}

TEST(OfferedLoad, MinimumLevelKeepsTheLowerStaffOut) {
  auto s = two_tiers(1.0, 0.0);
  s.teams[1].roles = {"worker", "mediator"};
  scenario::IncidentType dispute = s.incidents[0];
  dispute.name = "dispute";
  dispute.roles = {"mediator"};
  dispute.min_level = Level::community;
  dispute.rate_per_grid_per_s = 0.25 / 3600;   // 1/h over the community, 1 h each
  dispute.service = testing::fixed_min(60);
  s.incidents.push_back(dispute);
  const auto load = estimate(s);
  const auto* mediators = find_pool(load, "mediator", Level::community, Level::community);
  ASSERT_NE(mediators, nullptr);
  EXPECT_NEAR(mediators->utilisation, 1.0, 1e-9);
  EXPECT_DOUBLE_EQ(mediators->members, 1);
}

TEST(OfferedLoad, EscalationWhenBusyLetsTheLoadMoveUp) {
  // 2 calls/h per grid x 0.5 h = 1 staff-hour/h per grid worker: at the grid tier alone ρ = 1, but with
  // when_busy: escalate the community member takes what the grid cannot: 4 staff-hours/h on 5, ρ = 0.8.
  auto s = two_tiers(2.0, 0.0);
  EXPECT_NEAR(find_pool(estimate(s), "worker", Level::grid, Level::grid)->utilisation, 1.0, 1e-9);
  s.escalation.when_busy = scenario::WhenBusy::escalate;
  const auto load = estimate(s);
  EXPECT_TRUE(load.load_moves_up);
  EXPECT_EQ(find_pool(load, "worker", Level::grid, Level::grid), nullptr);
  EXPECT_NEAR(find_pool(load, "worker", Level::grid, Level::community)->utilisation, 0.8, 1e-9);
  EXPECT_TRUE(city::pools_at_or_above(load, 1.0).empty());
  // Waiting time limits move it up the same way.
  s.escalation.when_busy = scenario::WhenBusy::wait;
  s.escalation.after_s = {4 * 3600.0, 0, 0, 0};
  EXPECT_EQ(find_pool(estimate(s), "worker", Level::grid, Level::grid), nullptr);
}

TEST(OfferedLoad, AnIncidentTypesOwnEscalationRuleMovesOnlyItsLoad) {
  // The scenario-wide rule keeps cases at the grid (ρ = 1 there, as above); a type's own when_busy: escalate
  // (incidents[].escalation) moves its load up exactly as the scenario-wide rule did.
  auto s = two_tiers(2.0, 0.0);
  s.incidents[0].escalation = scenario::IncidentType::EscalationOverride{scenario::WhenBusy::escalate, std::nullopt};
  const auto load = estimate(s);
  EXPECT_TRUE(load.load_moves_up);
  EXPECT_NEAR(find_pool(load, "worker", Level::grid, Level::community)->utilisation, 0.8, 1e-9);
  // Its own empty after (no limit) overrides a scenario-wide one: the load stays at the grid again.
  s.incidents[0].escalation = scenario::IncidentType::EscalationOverride{std::nullopt, std::array<double, 4>{0, 0, 0, 0}};
  s.escalation.after_s = {4 * 3600.0, 0, 0, 0};
  EXPECT_FALSE(estimate(s).load_moves_up);
  EXPECT_NEAR(find_pool(estimate(s), "worker", Level::grid, Level::grid)->utilisation, 1.0, 1e-9);
}

TEST(OfferedLoad, ReworkAndDiscoveryChangeTheCasesThatNeedWork) {
  auto s = testing::single_grid_queue(10, 1.0, testing::fixed_min(5), 24, 0);   // 60/h
  scenario::IncidentType::CaseFlow flow;
  flow.check = testing::fixed_min(60);
  flow.rework_probability = 0.2;   // 1 / (1 - 0.2) = 1.25 rounds
  s.incidents[0].case_flow = flow;
  EXPECT_NEAR(estimate(s).pools.at(0).cases_per_h, 75.0, 1e-9);
  // 40 % never reported and nothing finds them; half of those turn into accidents (known at once).
  s.incidents[0].case_flow.reset();
  s.incidents[0].report_probability = 0.6;
  scenario::IncidentType accident = s.incidents[0];
  accident.name = "accident";
  accident.rate_per_grid_per_s = 0;
  accident.report_probability = 1;
  accident.service = testing::fixed_min(50);
  s.incidents.push_back(accident);
  s.incidents[0].develops = scenario::IncidentType::Development{"accident", 1, 0.5, testing::fixed_min(60)};
  const auto load = estimate(s);
  const auto& pool = load.pools.at(0);
  ASSERT_EQ(pool.contributions.size(), 2u);
  EXPECT_NEAR(pool.cases_per_h, 36.0 + 12.0, 1e-9);
  EXPECT_NEAR(pool.offered_staff_hours_per_h, 36.0 * 5 / 60 + 12.0 * 50 / 60, 1e-9);
  // Workers who can find hidden incidents are assumed to find them all.
  s.incidents[0].visit_detection_probability = 0.5;
  EXPECT_NEAR(estimate(s).pools.at(0).cases_per_h, 60.0, 1e-9);
}

TEST(OfferedLoad, AnOverloadIsWarnedWithItsFigures) {
  // A rate typed per hour: 60 calls/h x 5 min on 2 servers is 5 staff-hours/h: ρ = 2.5.
  const auto s = testing::single_grid_queue(2, 1.0, testing::fixed_min(5), 24, 0);
  const auto load = estimate(s);
  ASSERT_EQ(city::pools_at_or_above(load, 1.0).size(), 1u);
  const std::string text = city::format_offered_load_warnings(load, s);
  EXPECT_TRUE(contains(text, "civicgrid: warning: server at grid level is overloaded: 60.0 incidents/h × 0.083 h of work "
                             "= 5.00 staff-hours/h against 2.00 staff on duty (2 members, on duty 100 % of the time) "
                             "(ρ = 2.50); the run will build queues that never empty"))
      << text;
  EXPECT_TRUE(contains(text, "from call 100 % (60.0/h × 0.083 h)")) << text;
  EXPECT_TRUE(contains(text, "hint: check the rate unit of incidents[0].rate (call): 60.0/h = 1440/d per grid")) << text;
  EXPECT_TRUE(contains(text, "docs/offered-load.md")) << text;
}

TEST(OfferedLoad, NearCapacityIsANoteNotAWarning) {
  const auto s = testing::single_grid_queue(5, 0.48, testing::fixed_min(10), 24, 0);   // 28.8/h x 1/6 h / 5
  const auto load = estimate(s);
  EXPECT_NEAR(load.pools.at(0).utilisation, 0.96, 1e-9);
  const std::string text = city::format_offered_load_warnings(load, s);
  EXPECT_TRUE(contains(text, "civicgrid: note: server at grid level is near capacity")) << text;
  EXPECT_FALSE(contains(text, "warning")) << text;
}

TEST(OfferedLoad, TheInnermostOverloadedPoolIsNamed) {
  // 3 calls/h per grid x 0.5 h: grid tier ρ = 1.5; half fail, so the 5 of both levels get 18/h x 0.5 h: ρ = 1.8.
  // The overload starts at the grid level: that is the one reported.
  const auto load = estimate(two_tiers(3.0, 0.5));
  EXPECT_NEAR(find_pool(load, "worker", Level::grid, Level::community)->utilisation, 1.8, 1e-9);
  const auto overloaded = city::pools_at_or_above(load, 1.0);
  ASSERT_EQ(overloaded.size(), 1u);
  EXPECT_EQ(overloaded[0]->highest_level, Level::grid);
  EXPECT_NEAR(overloaded[0]->utilisation, 1.5, 1e-9);
}

TEST(OfferedLoad, ACrewNoTierCanFormIsWarned) {
  auto s = testing::single_grid_queue(2, 0.1, testing::fixed_min(5), 24, 0);
  s.incidents[0].roles = {"server", "server", "server"};
  const auto load = estimate(s);
  ASSERT_EQ(load.unstaffable_types, std::vector<int>{0});
  EXPECT_TRUE(contains(city::format_offered_load_warnings(load, s), "no tier can form the crew of call"));
}

}  // namespace
}  // namespace civicgrid
