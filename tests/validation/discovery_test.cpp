// Validation of proactive work (走访, 巡查) and case-flow rules: hidden incidents found by household visits,
// incidents that develop when nobody finds them, how visits delay calls, escalation by time and deadlines in
// working time. Each expectation is derived in the comment above its
// test; the statistical checks use support.hpp (99.9 % t interval, and its printed 95 % half-width).
#include <gtest/gtest.h>

#include <cmath>

#include "city/calendar.hpp"
#include "support/scenarios.hpp"
#include "validation/support.hpp"

namespace civicgrid {
namespace {

using testing::expect_matches;

// One grid of 280 residents = 100 households (2.8 per household), visited by one worker; hidden incidents
// (never reported by residents) are served by a separate team so that the worker's visits stay periodic.
scenario::Scenario visited_grid(double visit_every_d, double visit_min, double detection) {
  auto s = testing::single_grid_queue(50, 2.0 / (24 * 60), testing::exponential_min(10), 24 * 400, 0);
  s.population.residents_per_grid = 280;
  s.teams[0].name = "fixer";
  scenario::Team visitor;
  visitor.name = "grid_worker";
  visitor.level = scenario::Level::grid;
  visitor.per_unit = 1;
  visitor.roles = {"visitor"};
  scenario::VisitProgramme visits;
  visits.every_s = visit_every_d * 86400;
  visits.household_size = 2.8;
  visits.time_per_household = testing::fixed_min(visit_min);
  visitor.visits = visits;
  s.teams.push_back(visitor);
  auto& hazard = s.incidents[0];
  hazard.name = "hazard";
  hazard.report_probability = 0;
  hazard.visit_detection_probability = detection;
  return s;
}

// Censored detection delay. Visits of a household end every P = every + visit time (a visit falls due
// `every` after the last one ended, and never waits: 100 visits of 30 min fit easily in 10 days), so the
// delay from occurrence to the finding visit is D = U + P (G - 1), U ~ Uniform(0, P) (Poisson arrivals are
// independent of the visit phase) and G ~ Geometric(p) the number of visits needed. An incident occurring s
// before the horizon is found within the run only if D < s; with s uniform on [0, L] the simulated mean delay
// and capture rate are E[D; D < s] / P(D < s) and P(D < s), integrated here numerically (each geometric term
// contributes a uniform piece, so the integrands are exact; Simpson's rule on 200,000 steps).
struct Censored {
  double mean_delay_d;
  double capture;
};
Censored censored_detection(double period_d, double p, double window_d) {
  auto pieces = [&](double s, double& found, double& delay_sum) {
    found = 0;
    delay_sum = 0;
    double weight = p;
    for (int k = 0; k < 400 && weight > 1e-15; ++k, weight *= 1 - p) {
      const double lo = k * period_d;
      const double hi = std::min(s, lo + period_d);
      if (hi <= lo) break;
      found += weight * (hi - lo) / period_d;
      delay_sum += weight * (hi * hi - lo * lo) / (2 * period_d);
    }
  };
  const int steps = 200000;
  double found_integral = 0, delay_integral = 0;
  for (int i = 0; i <= steps; ++i) {
    const double s = window_d * i / steps;
    const double w = (i == 0 || i == steps) ? 1 : (i % 2 ? 4 : 2);
    double found = 0, delay_sum = 0;
    pieces(s, found, delay_sum);
    found_integral += w * found;
    delay_integral += w * delay_sum;
  }
  // Simpson: the integral is (h / 3) sum(w f) with h = window / steps; h cancels in the mean.
  return {delay_integral / found_integral, found_integral / (3.0 * steps)};
}

TEST(Visits, HiddenIncidentsAreFoundAsThePeriodicVisitsPredict) {
  const double every_d = 10, visit_min = 30, detection = 0.5;
  const double period_d = every_d + visit_min / (24 * 60);
  const auto exact = censored_detection(period_d, detection, 400);
  std::printf("visit period %.4f d, detection %.2f: censored mean delay %.4f d, capture %.5f\n", period_d, detection,
              exact.mean_delay_d, exact.capture);
  const auto run = testing::replicate(visited_grid(every_d, visit_min, detection), 20, 17);
  expect_matches(run, "discovery_delay_h_mean", exact.mean_delay_d * 24, "detection delay (h)");
  expect_matches(run, "capture_rate", exact.capture, "found within the run");
  // Deterministic: household h's first visit ends at h x every / 100 + 30 min, then one every P; counted
  // within the 400 days and scaled to 30 days (about 30 / P = 2.99).
  double visits = 0;
  for (int h = 0; h < 100; ++h) visits += std::floor((400 - (h * every_d / 100 + visit_min / 1440)) / period_d) + 1;
  EXPECT_NEAR(run.kpi.at("visits_per_household").mean, visits / 100 * 30 / 400, 1e-9);
  EXPECT_EQ(run.kpi.at("public_first_rate").mean, 0.0);   // residents never report these
}

// 入户覆盖率 (visit_coverage_rate): the households visited at least once in the window over all of them. In
// visited_grid the visits are deterministic (previous test): household h's visits end at
// h x every / 100 + 30 min + k P, k = 0, 1, ...; over the window [100 d, 104 d] a household counts when one of
// its visit ends falls in it. A window as long as the interval covers every household, and the team's own
// figure is the whole programme's (one team visits).
TEST(Visits, CoverageIsTheShareOfHouseholdsVisitedInTheWindow) {
  const double every_d = 10, visit_min = 30, period_d = every_d + visit_min / (24 * 60);
  auto s = visited_grid(every_d, visit_min, 0);
  s.run.warmup_s = 100 * 86400.0;
  s.run.horizon_s = 104 * 86400.0;
  int visited = 0;
  for (int h = 0; h < 100; ++h) {
    const double first_end_d = h * every_d / 100 + visit_min / 1440;
    // The first visit end at or after the window opens, and whether it is inside the window.
    const double k = std::ceil((100 - first_end_d) / period_d);
    visited += first_end_d + std::max(0.0, k) * period_d <= 104;
  }
  std::printf("households visited in [100 d, 104 d]: %d of 100\n", visited);
  const auto run = testing::replicate(s, 3, 29);
  EXPECT_NEAR(run.kpi.at("visit_coverage_rate").mean, visited / 100.0, 1e-12);
  EXPECT_NEAR(run.kpi.at("visit_coverage_rate@grid_worker").mean, visited / 100.0, 1e-12);
  EXPECT_NEAR(run.results[0].grids[0].visit_coverage_rate, visited / 100.0, 1e-12);   // grids.csv
  s.run.horizon_s = 110.5 * 86400.0;   // a window longer than one visit period: every household
  EXPECT_EQ(testing::replicate(s, 2, 31).kpi.at("visit_coverage_rate").mean, 1.0);
}

// Platform step limits (按时受理率, 按时核查率): registration an exponential delay of mean 10 min with a 15-min
// limit is on time with probability 1 - exp(-1.5); a check of mean 1 h with a 2-h limit, 1 - exp(-2). Ample
// field staff (nothing waits), Poisson calls; cases under way at the horizon inside their limit are not yet
// due, which lifts the rates by less than the share of cases in the limit's last stretch (15 min or 2 h of 20
// days, times the late share: below 2e-4), far inside the interval.
TEST(CaseFlow, StepLimitsAreMetWithTheStepTimesProbability) {
  auto s = testing::single_grid_queue(50, 0.5, testing::fixed_min(1), 24 * 20, 24);
  scenario::IncidentType::CaseFlow flow;
  flow.registration = testing::exponential_min(10);
  flow.registration_limit = {scenario::TimeLimit::Kind::clock, 15 * 60};
  flow.check = testing::exponential_min(60);
  flow.check_limit = {scenario::TimeLimit::Kind::clock, 2 * 3600};
  s.incidents[0].case_flow = flow;
  const auto run = testing::replicate(s, 20, 37);
  expect_matches(run, "on_time_registration_rate", 1 - std::exp(-1.5), "registered within 15 min");
  expect_matches(run, "on_time_check_rate", 1 - std::exp(-2.0), "checked within 2 h");
}

// Development without anyone looking: a hazard nobody reports or finds develops with probability q = 0.3
// after an exponential time of mean m = 20 d. Occurring s before the horizon, it develops within the run with
// probability q (1 - exp(-s / m)); averaged over s uniform on [0, L], L = 400 d: q (1 - (m / L)(1 - exp(-L / m))).
// Every development is an accident that is known at once, so `known` counts the developments.
TEST(Development, UnfoundHazardsDevelopAtTheirRate) {
  auto s = testing::single_grid_queue(50, 2.0 / (24 * 60), testing::exponential_min(10), 24 * 400, 0);
  auto hazard = s.incidents[0];
  hazard.name = "hazard";
  hazard.report_probability = 0;
  scenario::IncidentType::Development development;
  development.into = "accident";
  development.into_type = 1;
  development.probability = 0.3;
  development.after = testing::exponential_min(20 * 24 * 60);
  hazard.develops = development;
  auto accident = s.incidents[0];
  accident.name = "accident";
  accident.rate_per_grid_per_s = 0;
  accident.rate_per_1000_residents_per_s = 0;
  s.incidents = {hazard, accident};
  const double q = 0.3, m = 20, L = 400;
  const double expected = q * (1 - (m / L) * (1 - std::exp(-L / m)));
  const auto run = testing::replicate(s, 20, 23);
  // developed / hazards per replication (accidents count as incidents too, so hazards = incidents - developed).
  testing::Validation shares;
  shares.results = run.results;
  for (auto& result : shares.results) {
    double developed = 0, incidents = 0;
    for (const auto& [name, value] : result.kpis) {
      if (name == "developed") developed = value;
      if (name == "incidents") incidents = value;
    }
    result.kpis.emplace_back("developed_share", developed / (incidents - developed));
  }
  for (auto& summary : metrics::summarise(shares.results)) shares.kpi[summary.name] = summary;
  expect_matches(shares, "developed_share", expected, "developed share of hazards");
}

// A worker who visits households whenever no call waits is an M/G/1 queue with multiple vacations (a visit is
// a vacation of fixed length v; visits are always overdue here: 100 households x 30 min every day). By the
// decomposition of Fuhrmann & Cooper (Operations Research 33(5), 1985), the mean wait is the M/G/1 wait plus
// the mean residual vacation: W = lambda E[S^2] / (2 (1 - rho)) + E[V^2] / (2 E[V]) = 10 + 15 = 25 min for
// lambda = 1/h, exponential service of mean 20 min (rho = 1/3, E[S^2] = 800 min^2) and v = 30 min, when the
// call waits for the visit to end (yield: finish). When calls pre-empt visits the vacation term vanishes and
// the wait is the M/M/1 one, 10 min.
scenario::Scenario visiting_server(bool preempt) {
  auto s = testing::single_grid_queue(1, 1.0 / 60, testing::exponential_min(20), 24 * 400, 24 * 5);
  s.population.residents_per_grid = 280;
  scenario::VisitProgramme visits;
  visits.every_s = 86400;
  visits.household_size = 2.8;
  visits.time_per_household = testing::fixed_min(30);
  visits.preempted_by_incidents = preempt;
  s.teams[0].visits = visits;
  return s;
}

TEST(Visits, FinishingAVisitAddsTheResidualVisitToTheWait) {
  const auto run = testing::replicate(visiting_server(false), 20, 41);
  expect_matches(run, "wait_min_mean", 25.0, "wait, visits finished first (min)");
}

TEST(Visits, PreemptedVisitsLeaveTheMM1Wait) {
  const auto run = testing::replicate(visiting_server(true), 20, 41);
  expect_matches(run, "wait_min_mean", 10.0, "wait, visits pre-empted (min)");
}

}  // namespace
}  // namespace civicgrid

namespace civicgrid {
namespace {

// Escalation by time (escalation.after): one grid worker, calls that have waited 30 min at the grid go up to a
// community team large enough to take them at once. The grid line is then an M/M/1 queue with deterministic
// patience tau (M/M/1+D): the virtual waiting time has an atom p0 at 0, density p0 lambda e^{-(mu - lambda) v}
// below tau and p0 lambda e^{-(mu - lambda) tau} e^{-mu (v - tau)} above (arrivals that would wait longer
// leave and add no work); normalising gives p0 = (1 - rho) / (1 - rho^2 E), E = e^{-(mu - lambda) tau}, and
// the share that goes up is P(V >= tau) = (1 - rho) rho E / (1 - rho^2 E) (Baccelli & Hebuterne, 1981).
// lambda = 0.8/h, 1/mu = 60 min, tau = 30 min: 0.343960.
TEST(Escalation, WaitingTooLongAtTheGridGoesUp) {
  auto s = testing::single_grid_queue(1, 0.8 / 60, testing::exponential_min(60), 24 * 200, 24 * 5);
  testing::add_ample_community_tier(s);
  s.escalation.when_busy = scenario::WhenBusy::wait;
  s.escalation.after_s = {30 * 60, 0, 0, 0};
  const double rho = 0.8, mu_per_h = 1, lambda_per_h = 0.8, tau_h = 0.5;
  const double e = std::exp(-(mu_per_h - lambda_per_h) * tau_h);
  const double expected = (1 - rho) * rho * e / (1 - rho * rho * e);
  const auto run = testing::replicate(s, 20, 57);
  expect_matches(run, "escalation_rate", expected, "escalated after 30 min");
  // Every escalation here is by time, so each case had been at the grid exactly tau when it went up.
  EXPECT_NEAR(run.kpi.at("escalation_delay_h_mean@level:grid").mean, tau_h, 1e-9);
  EXPECT_NEAR(run.kpi.at("escalation_delay_h_mean").mean, tau_h, 1e-9);
  // The community takes every case it receives at once: none goes further, all are closed there or still open.
  EXPECT_EQ(run.kpi.at("escalation_rate@level:community").mean, 0.0);
}

}  // namespace
}  // namespace civicgrid

namespace civicgrid {
namespace {

// On-time disposal (按期处置率) with a deadline in working time: "1 working hour" under office hours 9-17 on
// weekdays. With ample staff and no travel, the first handling ends S ~ Exp(mean 30 min) after the incident
// is known, so an incident known at t is on time with probability 1 - exp(-w(t) / 30 min), where w(t) is the
// clock time until its deadline: 1 h inside office hours with an hour left, up to a whole weekend more when
// known on Friday evening. Known times are uniform (Poisson arrivals); only incidents whose deadline falls
// within the run count. The expectation is that average, integrated over the four weeks in 10 s steps with the
// calendar's own arithmetic (unit-tested by hand in tests/unit/calendar_test.cpp).
TEST(Calendar, OnTimeDisposalFollowsWorkingTime) {
  auto s = testing::single_grid_queue(40, 2.0 / 60, testing::exponential_min(30), 24 * 28, 0);
  s.calendar.defined = true;
  s.calendar.start_date = "2026-10-05";
  s.calendar.work_from_s = 9 * 3600;
  s.calendar.work_to_s = 17 * 3600;
  s.incidents[0].disposal_deadline = {scenario::TimeLimit::Kind::working_hours, 1};
  const city::WorkingCalendar calendar(s.calendar);
  const double horizon_s = 28 * 86400, mean_s = 1800;
  double weight = 0, on_time = 0;
  for (double t = 5; t < horizon_s; t += 10) {
    const double due = calendar.due_s(t, s.incidents[0].disposal_deadline);
    if (due > horizon_s) continue;
    weight += 1;
    on_time += 1 - std::exp(-(due - t) / mean_s);
  }
  const auto run = testing::replicate(s, 20, 61);
  expect_matches(run, "on_time_disposal_rate", on_time / weight, "on-time disposal, 1 working hour");
  EXPECT_GT(on_time / weight, 1 - std::exp(-2.0)) << "weekends and nights can only add time";
}

}  // namespace
}  // namespace civicgrid

namespace civicgrid {
namespace {

// The platform's case flow: registered (受理) a fixed 10 min after becoming known, then dispatched; every
// handling (exponential, mean 30 min, ample staff, no travel) is checked (核查) a fixed 60 min later and sent
// back for another round (返工) with probability 1/4. Response = the registration delay, 10 min. Closure after
// G ~ Geometric(3/4) rounds: E = 10 + (30 + 60) / (3/4) = 130 min = 2.1667 h. The registration is not
// queueing: registration_min_mean is the 10 min and response = registration + wait + travel.
TEST(CaseFlow, RegistrationCheckAndReworkAddUp) {
  auto s = testing::single_grid_queue(50, 1.0 / 60, testing::exponential_min(30), 24 * 200, 24);
  scenario::IncidentType::CaseFlow flow;
  flow.registration = testing::fixed_min(10);
  flow.check = testing::fixed_min(60);
  flow.rework_probability = 0.25;
  s.incidents[0].case_flow = flow;
  const auto run = testing::replicate(s, 20, 71);
  expect_matches(run, "closure_h_mean", 130.0 / 60, "closure with check and rework (h)");
  EXPECT_NEAR(run.kpi.at("response_min_mean").mean, 10.0, 1e-9) << "dispatch waits for registration";
  EXPECT_NEAR(run.kpi.at("registration_min_mean").mean, 10.0, 1e-9);
  for (const auto& result : run.results) {
    std::map<std::string, double> kpi(result.kpis.begin(), result.kpis.end());
    EXPECT_NEAR(kpi["response_min_mean"], kpi["registration_min_mean"] + kpi["wait_min_mean"] + kpi["travel_min_mean"],
                1e-9)
        << "replication " << result.replication;
  }
}

}  // namespace
}  // namespace civicgrid
