// The decisions of sim/policy that are plain functions of their inputs: the reporting and escalation rules.
// Each is checked at its boundaries, where an off-by-one in the order of the reasons would move a figure.
#include <gtest/gtest.h>

#include <cmath>

#include "policy/escalation.hpp"
#include "policy/preemption.hpp"
#include "policy/reporting.hpp"
#include "policy/shift_rules.hpp"
#include "policy/visits.hpp"

namespace civicgrid {
namespace {

using policy::ReportVerdict;

scenario::IncidentType::Reporting three_reasons() {
  scenario::IncidentType::Reporting rules;
  rules.not_reported_sensitive = 0.1;
  rules.not_reported_handled = 0.2;
  rules.not_reported_could_not_handle = 0.5;
  rules.on_time_limit_s = 3600;
  return rules;
}

TEST(ReportingPolicy, ReasonsAreExclusiveAndTriedInOrder) {
  const auto rules = three_reasons();
  const policy::ExclusiveReasonsReporting reporting(rules);
  // [0, 0.1): sensitive; then (1 - 0.1) * 0.2 = 0.18 more for "handled": [0.1, 0.28).
  EXPECT_EQ(reporting.decide(false, 0.0999, 0), ReportVerdict::not_reported_sensitive);
  EXPECT_EQ(reporting.decide(false, 0.1, 0), ReportVerdict::not_reported_handled);
  EXPECT_EQ(reporting.decide(false, 0.2799, 0), ReportVerdict::not_reported_handled);
  EXPECT_EQ(reporting.decide(false, 0.2801, 0), ReportVerdict::on_time);
  // Escalated: (1 - 0.1) * 0.5 = 0.45 for "could not handle": [0.1, 0.55).
  EXPECT_EQ(reporting.decide(true, 0.5499, 0), ReportVerdict::not_reported_could_not_handle);
  EXPECT_EQ(reporting.decide(true, 0.5501, 0), ReportVerdict::on_time);
}

TEST(ReportingPolicy, LateOnlyPastTheLimitAndOnlyWhenReported) {
  const auto rules = three_reasons();
  const policy::ExclusiveReasonsReporting reporting(rules);
  EXPECT_EQ(reporting.decide(false, 0.9, 3600), ReportVerdict::on_time);
  EXPECT_EQ(reporting.decide(false, 0.9, 3601), ReportVerdict::late);
  EXPECT_EQ(reporting.decide(false, 0.05, 1e9), ReportVerdict::not_reported_sensitive);
  EXPECT_TRUE(reporting.reports(ReportVerdict::late));
  EXPECT_FALSE(reporting.reports(ReportVerdict::not_reported_handled));
  auto unlimited = rules;
  unlimited.on_time_limit_s = 0;   // 0: never late
  EXPECT_EQ(policy::ExclusiveReasonsReporting(unlimited).decide(false, 0.9, 1e9), ReportVerdict::on_time);
}

TEST(EscalationPolicy, WaitLimitsOnlyOnATieredLadder) {
  scenario::Scenario s;
  s.incidents.resize(1);
  s.escalation.after_s = {7200, 0, 0, 0};
  const policy::LadderEscalation escalation(s);   // reads the scenario as it is when asked
  EXPECT_EQ(escalation.wait_limit_s(0, 0), 0.0);
  EXPECT_FALSE(escalation.has_wait_limits());
  s.escalation.mode = scenario::EscalationMode::tiered;
  EXPECT_EQ(escalation.wait_limit_s(0, 0), 7200.0);
  EXPECT_EQ(escalation.wait_limit_s(0, 1), 0.0);
  EXPECT_TRUE(escalation.has_wait_limits());
  EXPECT_FALSE(escalation.goes_up_when_busy(0, 0));
  s.escalation.when_busy = scenario::WhenBusy::escalate;
  EXPECT_TRUE(escalation.goes_up_when_busy(0, 0));
}

TEST(PreemptionPolicy, NearestLessUrgentJobAtWorkOnly) {
  scenario::Travel travel_rules{scenario::TravelMetric::manhattan, 1000.0 / 60, 1.0, 60};   // 1 km/min
  const city::TravelModel travel(travel_rules);
  const city::Point call{0, 0};
  policy::ByPriorityPreemption choice(travel, 1, call, 100.0);
  choice.consider({1, 1, 0.0, {100, 0}});      // as urgent: never taken
  choice.consider({2, 2, 0.0, {3000, 0}});     // at work, 3 km away
  choice.consider({3, 3, 0.0, {2000, 0}});     // at work, 2 km away: nearer, taken
  choice.consider({4, 2, 0.0, {2000, 0}});     // as near: the first considered keeps it
  choice.consider({5, 2, 250.0, {10, 0}});     // nearest, but still on its way: a retry at 250 s instead
  choice.consider({6, 2, 400.0, {10, 0}});
  ASSERT_TRUE(choice.choice().has_value());
  EXPECT_EQ(choice.choice()->responder, 3);
  EXPECT_DOUBLE_EQ(choice.choice()->travel_s, 180.0);   // 2 km from its scene + 1 min turnout (it stands there)
  EXPECT_EQ(choice.retry_at_s(), 250.0);
}

TEST(PreemptionPolicy, NobodyToTake) {
  scenario::Travel travel_rules{scenario::TravelMetric::manhattan, 10, 1.0, 0};
  const city::TravelModel travel(travel_rules);
  policy::ByPriorityPreemption choice(travel, 2, {0, 0}, 0.0);
  choice.consider({1, 2, 0.0, {1, 1}});
  EXPECT_FALSE(choice.choice().has_value());
  EXPECT_TRUE(std::isinf(choice.retry_at_s()));
}

TEST(VisitPolicy, KeyHouseholdsFirstAndSpreadOverTheFirstRound) {
  scenario::VisitProgramme programme;
  programme.every_s = 30 * 86400.0;
  programme.household_size = 2.5;
  programme.key_population_share = 0.1;
  programme.key_every_s = 7 * 86400.0;
  const policy::VisitIntervals visits(programme);
  EXPECT_EQ(visits.households(250), 100);
  EXPECT_EQ(visits.households(0.4), 1);   // never a grid without a household
  EXPECT_EQ(visits.key_households(100), 10);
  // Key households 0..9 spread over a week, the other 90 over a month.
  const auto grid = visits.households_of(250);
  EXPECT_EQ(grid.count, 100);
  EXPECT_EQ(grid.key, 10);
  EXPECT_DOUBLE_EQ(visits.first_due_s(5, grid), 0.5 * 7 * 86400.0);
  EXPECT_DOUBLE_EQ(visits.first_due_s(10, grid), 0.0);
  EXPECT_DOUBLE_EQ(visits.first_due_s(55, grid), 0.5 * 30 * 86400.0);
  EXPECT_DOUBLE_EQ(visits.next_due_s(5, grid, 1000.0), 1000.0 + 7 * 86400.0);
  EXPECT_DOUBLE_EQ(visits.next_due_s(50, grid, 1000.0), 1000.0 + 30 * 86400.0);
}

TEST(VisitPolicy, ACampaignShortensTheIntervalOnlyWhileItRuns) {
  scenario::VisitProgramme programme;
  programme.every_s = 30 * 86400.0;
  programme.campaigns = {{10 * 86400.0, 20 * 86400.0, 3 * 86400.0}};
  const policy::VisitIntervals visits(programme);
  const policy::VisitIntervals::Households grid{50, 0};
  EXPECT_DOUBLE_EQ(visits.next_due_s(0, grid, 9 * 86400.0), 39 * 86400.0);
  EXPECT_DOUBLE_EQ(visits.next_due_s(0, grid, 10 * 86400.0), 13 * 86400.0);
  EXPECT_DOUBLE_EQ(visits.next_due_s(0, grid, 20 * 86400.0), 50 * 86400.0);   // the campaign's end is excluded
}

TEST(ShiftPolicy, WeekdaysAttendanceAndLastCall) {
  scenario::Shift shift;
  shift.days = {true, true, true, true, true, false, false};   // Monday to Friday
  shift.last_call_s = 1800;
  const city::WorkingCalendar calendar(scenario::Calendar{});
  const policy::ShiftRules rules(shift, calendar);
  EXPECT_TRUE(rules.works_on(4, 0.2, 0.5));    // Friday, present
  EXPECT_FALSE(rules.works_on(4, 0.5, 0.5));   // Friday, absent (the draw is not below availability)
  EXPECT_FALSE(rules.works_on(12, 0.0, 1.0));  // Saturday of week 2
  EXPECT_TRUE(rules.has_last_call());
  EXPECT_DOUBLE_EQ(rules.last_call_from_s(61200), 59400);
  EXPECT_FALSE(rules.in_last_call(59399, 61200));
  EXPECT_TRUE(rules.in_last_call(59400, 61200));
  shift.last_call_s = 0;
  EXPECT_FALSE(policy::ShiftRules(shift, calendar).in_last_call(61199, 61200));
}

}  // namespace
}  // namespace civicgrid
