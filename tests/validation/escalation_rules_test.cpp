// Validation of escalation rules per incident type (incidents[].escalation): three types share one grid
// worker, and each goes up by its own rule. The reference is the stationary workload of an M/M/1 queue whose
// classes have different deterministic patience, derived below; with a single class it is the M/M/1+D result
// the Escalation.WaitingTooLongAtTheGridGoesUp test (discovery_test.cpp) already checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "support/scenarios.hpp"
#include "validation/support.hpp"

namespace civicgrid {
namespace {

using testing::expect_matches;

// Derivation. One FCFS server, exponential work of rate mu, Poisson classes i of rate lambda_i. A class-i
// arrival that would wait tau_i or longer goes up at tau_i (to a tier that takes it at once) and adds no work
// here; tau_i = 0 is "escalate when busy": it stays only if the server is idle. The virtual waiting time V
// (work in the system) is then a Markov process: it falls at rate 1 and jumps by Exp(mu) when an arrival
// stays. Level crossing (down-crossings of v = up-crossings of v) gives its density for v > 0:
//   f(v) = sum_i lambda_i [ p0 e^{-mu v} + int_0^{min(v, tau_i)} f(u) e^{-mu (v - u)} du ],
// so f(0+) = Lambda p0 (Lambda = sum lambda_i: everyone stays when the server is idle) and, differentiating,
//   f'(v) = -(mu - sum_{i: tau_i > v} lambda_i) f(v):
// f is exponential piece by piece between the sorted patiences, at rate r_k = mu - (the classes still patient).
// p0 follows from p0 + int f = 1; by PASTA a class-i arrival goes up with probability P(V >= tau_i) (tau_i = 0:
// P(V > 0) = 1 - p0) and waits min(V, tau_i): E = int_0^tau_i v f(v) dv + tau_i P(V >= tau_i).
struct Workload {
  struct Piece {
    double from_h, to_h, f_from, rate_per_h;   // f(v) = f_from e^{-rate (v - from)} on [from, to)
  };
  std::vector<Piece> pieces;
  double p0 = 0;

  Workload(double mu_per_h, const std::vector<double>& lambda_per_h, const std::vector<double>& patience_h) {
    std::vector<double> starts{0};
    for (double tau : patience_h)
      if (tau > 0) starts.push_back(tau);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    double f = 0;
    for (double lambda : lambda_per_h) f += lambda;   // f(0+) with p0 = 1, normalised below
    double mass = 1;
    for (std::size_t k = 0; k < starts.size(); ++k) {
      const double to = k + 1 < starts.size() ? starts[k + 1] : std::numeric_limits<double>::infinity();
      double rate = mu_per_h;
      for (std::size_t i = 0; i < lambda_per_h.size(); ++i)
        if (patience_h[i] >= to) rate -= lambda_per_h[i];
      pieces.push_back({starts[k], to, f, rate});
      mass += std::isinf(to) ? f / rate : f / rate * (1 - std::exp(-rate * (to - starts[k])));
      if (!std::isinf(to)) f *= std::exp(-rate * (to - starts[k]));
    }
    p0 = 1 / mass;
    for (auto& piece : pieces) piece.f_from *= p0;
  }
  // P(V >= t) for t > 0.
  double tail(double t_h) const {
    double sum = 0;
    for (const auto& p : pieces) {
      if (t_h >= p.to_h) continue;
      const double from = std::max(t_h, p.from_h);
      const double end = std::isinf(p.to_h) ? 0.0 : std::exp(-p.rate_per_h * (p.to_h - p.from_h));
      sum += p.f_from / p.rate_per_h * (std::exp(-p.rate_per_h * (from - p.from_h)) - end);
    }
    return sum;
  }
  double goes_up(double tau_h) const { return tau_h > 0 ? tail(tau_h) : 1 - p0; }
  // E[min(V, tau)] in hours.
  double mean_wait_h(double tau_h) const {
    double sum = 0;
    for (const auto& p : pieces) {
      const double b = std::min(tau_h, p.to_h);
      if (b <= p.from_h) continue;
      const double e = std::exp(-p.rate_per_h * (b - p.from_h));
      sum += p.f_from * ((p.from_h - b * e) / p.rate_per_h + (1 - e) / (p.rate_per_h * p.rate_per_h));
    }
    return sum + tau_h * goes_up(tau_h);
  }
};

// The derivation's single-class case is the published M/M/1+D share (Baccelli & Hebuterne 1981):
// (1 - rho) rho E / (1 - rho^2 E), E = e^{-(mu - lambda) tau}; lambda = 0.8/h, mu = 1/h, tau = 30 min.
TEST(EscalationRules, WorkloadDerivationReducesToMM1D) {
  const Workload single(1.0, {0.8}, {0.5});
  const double e = std::exp(-0.2 * 0.5);
  EXPECT_NEAR(single.goes_up(0.5), 0.2 * 0.8 * e / (1 - 0.64 * e), 1e-12);
  // And with no patience limit it is M/M/1: p0 = 1 - rho, E[V] = rho / (mu - lambda).
  const Workload patient(1.0, {0.8}, {1e9});
  EXPECT_NEAR(patient.p0, 0.2, 1e-12);
  EXPECT_NEAR(patient.mean_wait_h(1e3), 0.8 / 0.2, 1e-9);
}

// One grid worker (work Exp, mean 60 min), three types of 0.3/h each, and an ample community tier with no
// travel. Scenario-wide rule: wait at the grid, go up after 1 h. `urgent` escalates when busy (tau = 0),
// `routine` goes up after 15 min (its own after), `call` keeps the scenario-wide 1 h.
TEST(EscalationRules, EachTypeGoesUpByItsOwnRule) {
  auto s = testing::single_grid_queue(1, 0.3 / 60, testing::exponential_min(60), 24 * 200, 24 * 5);
  testing::add_ample_community_tier(s);
  s.escalation.when_busy = scenario::WhenBusy::wait;
  s.escalation.after_s = {3600, 0, 0, 0};
  auto urgent = s.incidents[0];
  urgent.name = "urgent";
  urgent.escalation = scenario::IncidentType::EscalationOverride{scenario::WhenBusy::escalate, std::nullopt};
  auto routine = s.incidents[0];
  routine.name = "routine";
  routine.escalation = scenario::IncidentType::EscalationOverride{std::nullopt, std::array<double, 4>{900, 0, 0, 0}};
  s.incidents.push_back(urgent);
  s.incidents.push_back(routine);

  const std::vector<double> patience_h{1.0, 0.0, 0.25};   // call, urgent, routine
  const Workload grid(1.0, {0.3, 0.3, 0.3}, patience_h);
  double escalated = 0, delay_h = 0;
  for (double tau : patience_h) {
    escalated += grid.goes_up(tau) / 3;
    delay_h += grid.goes_up(tau) * tau / 3;
  }
  const auto run = testing::replicate(s, 20, 3101);
  expect_matches(run, "escalation_rate", escalated, "escalated, all types");
  // Every case is dispatched at once at the community tier, so the wait is min(V, tau) for each type.
  expect_matches(run, "wait_min_mean@call", 60 * grid.mean_wait_h(1.0), "wait, call (after 1 h) (min)");
  expect_matches(run, "wait_min_mean@routine", 60 * grid.mean_wait_h(0.25), "wait, routine (after 15 min) (min)");
  EXPECT_EQ(run.kpi.at("wait_min_mean@urgent").mean, 0.0);   // served at once at the grid or at once above
  // The time a case spent at the grid before going up: 0 (urgent), 15 min or 1 h, weighted by who goes up.
  expect_matches(run, "escalation_delay_h_mean@level:grid", delay_h / escalated, "time at the grid before going up (h)");
}

}  // namespace
}  // namespace civicgrid
