// Validation against Erlang C (M/M/c): one grid, c responders, zero travel time, exponential service.
// Reference: Gross, Shortle, Thompson & Harris, "Fundamentals of Queueing Theory" (4th ed.), section 2.3;
// published values for c = 20, lambda = 1.8/min, mean 10 min: P(wait) = 0.550769, Wq = 2.753845 min
// (docs/simgrid.md#model-m1). Tolerance: a 99.9% confidence interval over replications (support.hpp).
#include <gtest/gtest.h>

#include <string>

#include "support/scenarios.hpp"
#include "validation/reference.hpp"
#include "validation/support.hpp"

namespace civicgrid {
namespace {

void check_erlang_c(int servers, double arrivals_per_min, double mean_service_min, int replications,
                    double horizon_days) {
  const auto scenario = testing::single_grid_queue(servers, arrivals_per_min,
                                                   testing::exponential_min(mean_service_min), 24 * horizon_days, 48);
  const auto run = testing::replicate(scenario, replications, 2026);
  const double wq = reference::erlang_c_mean_wait(servers, arrivals_per_min, mean_service_min);
  const double p_wait = reference::erlang_c_wait_probability(servers, arrivals_per_min * mean_service_min);
  const double rho = arrivals_per_min * mean_service_min / servers;
  testing::expect_matches(run, "wait_min_mean", wq, "Wq (min)");
  testing::expect_matches(run, "wait_probability", p_wait, "P(wait)");
  testing::expect_matches(run, "utilization", rho, "utilisation");
  // With zero travel, response time is the wait.
  EXPECT_DOUBLE_EQ(run.kpi.at("response_min_mean").mean, run.kpi.at("wait_min_mean").mean);
  testing::expect_littles_law(run);
}

TEST(ErlangC, PublishedValuesMatchTheFormula) {
  EXPECT_NEAR(reference::erlang_c_wait_probability(20, 18.0), 0.550769, 5e-7);
  EXPECT_NEAR(reference::erlang_c_mean_wait(20, 1.8, 10.0), 2.753845, 5e-7);
}

TEST(ErlangC, TwentyServersAtNinetyPercentLoad) { check_erlang_c(20, 1.8, 10.0, 30, 40); }

TEST(ErlangC, FiveServersAtEightyPercentLoad) { check_erlang_c(5, 0.4, 10.0, 30, 40); }

TEST(ErlangC, SingleServerIsMM1) {
  // M/M/1 as the c = 1 case: Wq = rho / (mu - lambda) = 0.5 / (0.1 - 0.05) = 10 min (ibid., section 2.2).
  EXPECT_NEAR(reference::erlang_c_mean_wait(1, 0.05, 10.0), 10.0, 1e-12);
  check_erlang_c(1, 0.05, 10.0, 30, 60);
}

// A staffed registration stage (受理, case_flow.registration_by): c desk members, each case registered first come
// first served by a free one, exponential registration time, Poisson arrivals known at once. That stage is an
// M/M/c queue in front of the rest (departures of an M/M/c are Poisson, Burke's theorem, so nothing downstream
// feeds back): its wait is Erlang C's Wq, and the registration step is Wq + the mean registration time. The field
// team is ample (50 servers, 1 min of work), so nobody waits for it. c = 2, lambda = 1.5/min, mean 1 min:
// a = 1.5, C(2, 1.5) = 4.5 / 7, Wq = C / (c mu - lambda) = 9/7 min (Gross et al., section 2.3).
// Poisson calls at 1.5/min, an ample field team (50, 1 min of work, no travel) and a desk of two members of
// `role` doing the registration or the check in an exponential 1 min each.
scenario::Scenario with_desk(const std::string& role, bool check) {
  auto s = testing::single_grid_queue(50, 1.5, testing::fixed_min(1), 24 * 20, 24);
  s.teams.push_back({role, scenario::Level::city, 2, {role}});
  scenario::IncidentType::CaseFlow flow;
  (check ? flow.check : flow.registration) = testing::exponential_min(1);
  (check ? flow.check_by : flow.registration_by) = role;
  s.incidents[0].case_flow = flow;
  return s;
}

TEST(ErlangC, StaffedRegistrationDeskIsMMc) {
  const auto s = with_desk("operator", false);
  const double wq = reference::erlang_c_mean_wait(2, 1.5, 1.0);
  EXPECT_NEAR(wq, 9.0 / 7, 1e-12);
  const auto run = testing::replicate(s, 20, 2027);
  testing::expect_matches(run, "registration_wait_min_mean", wq, "Wq at the desk (min)");
  testing::expect_matches(run, "registration_min_mean", wq + 1, "registration step (min)");
  testing::expect_matches(run, "utilization@operator", 0.75, "desk utilisation");
  EXPECT_EQ(run.kpi.at("wait_min_mean").mean, 0.0);   // the field team never keeps a case waiting
}

// The check (核查, case_flow.check_by) staffed the same way: a case handled in 1 min by the ample field team
// waits first come first served for one of c = 2 checkers and takes an exponential 1 min of its time. Handled
// cases leave the field team as a Poisson stream (an M/G/infinity's departures are Poisson), so the desk is
// again M/M/2 at lambda = 1.5/min: closure = 1 min of work + Wq (9/7 min) + 1 min of check = 23/7 min.
TEST(ErlangC, StaffedCheckDeskIsMMc) {
  const auto run = testing::replicate(with_desk("checker", true), 20, 2028);
  testing::expect_matches(run, "closure_h_mean", (23.0 / 7) / 60, "closure with the check desk (h)");
  testing::expect_matches(run, "utilization@checker", 0.75, "checker utilisation");
  EXPECT_EQ(run.kpi.at("registration_min_mean").mean, 0.0);
}

}  // namespace
}  // namespace civicgrid
