// The decisions of sim/policy that are plain functions of their inputs: the reporting and escalation rules.
// Each is checked at its boundaries, where an off-by-one in the order of the reasons would move a figure.
#include <gtest/gtest.h>

#include "policy/escalation.hpp"
#include "policy/reporting.hpp"

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
  scenario::Escalation rules;
  rules.after_s = {7200, 0, 0, 0};
  const policy::LadderEscalation pooled(rules);
  EXPECT_EQ(pooled.wait_limit_s(0, 0), 0.0);
  EXPECT_FALSE(pooled.has_wait_limits());
  rules.mode = scenario::EscalationMode::tiered;
  const policy::LadderEscalation tiered(rules);
  EXPECT_EQ(tiered.wait_limit_s(0, 0), 7200.0);
  EXPECT_EQ(tiered.wait_limit_s(0, 1), 0.0);
  EXPECT_TRUE(tiered.has_wait_limits());
  EXPECT_FALSE(tiered.goes_up_when_busy(0, 0));
  rules.when_busy = scenario::WhenBusy::escalate;
  EXPECT_TRUE(policy::LadderEscalation(rules).goes_up_when_busy(0, 0));
}

}  // namespace
}  // namespace civicgrid
