// Analytic reference values for the validation tier, computed from closed forms rather than typed in, with
// the source of each formula. Tests also pin the published numbers so that a slip here cannot go unnoticed.
#pragma once

#include <cmath>

namespace civicgrid::reference {

// Erlang C probability that an arrival waits in M/M/c with offered load a = lambda / mu (erlangs), a < c.
// Source: Gross, Shortle, Thompson & Harris, "Fundamentals of Queueing Theory", 4th ed., section 2.3.
inline double erlang_c_wait_probability(int servers, double offered_load) {
  double term = 1.0;   // a^k / k!
  double sum = 1.0;    // sum_{k=0}^{c-1} a^k / k!
  for (int k = 1; k < servers; ++k) {
    term *= offered_load / k;
    sum += term;
  }
  const double last = term * offered_load / servers;   // a^c / c!
  const double rho = offered_load / servers;
  const double tail = last / (1.0 - rho);
  return tail / (sum + tail);
}

// Mean wait in queue Wq = C(c, a) / (c mu - lambda), same source.
inline double erlang_c_mean_wait(int servers, double arrival_rate, double mean_service) {
  const double offered_load = arrival_rate * mean_service;
  return erlang_c_wait_probability(servers, offered_load) / (servers / mean_service - arrival_rate);
}

// P(W <= t) in M/M/c: 1 - C(c, a) exp(-(c mu - lambda) t), the waiting-time distribution of the same source
// (section 2.3); mean_service and t in the same unit.
inline double erlang_c_wait_within(int servers, double arrival_rate, double mean_service, double t) {
  const double offered_load = arrival_rate * mean_service;
  return 1.0 - erlang_c_wait_probability(servers, offered_load) *
                   std::exp(-(servers / mean_service - arrival_rate) * t);
}

// Mean distance from the centre of a square of side `side` to a uniform point in it.
// L1: E|x| + E|y| with x, y uniform on [-side/2, side/2] = side/4 + side/4 = side/2.
inline double mean_l1_from_centre(double side) { return side / 2; }
// L2: side/6 * (sqrt(2) + ln(1 + sqrt(2))) ~= 0.382598 side (the "mean distance from the centre of a square";
// e.g. Weisstein, "Square Point Picking", MathWorld, and Larson & Odoni, "Urban Operations Research", ch. 3).
inline double mean_l2_from_centre(double side) {
  return side / 6 * (std::sqrt(2.0) + std::log(1.0 + std::sqrt(2.0)));
}

}  // namespace civicgrid::reference
