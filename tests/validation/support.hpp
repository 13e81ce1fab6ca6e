// Runs replications of an in-code scenario in child processes (this test process never starts SimGrid) and
// summarises them, so validation tests read as "model, reference, tolerance from the confidence interval".
#pragma once

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <unistd.h>

#include "city/city.hpp"
#include "experiment/replications.hpp"
#include "metrics/summary.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <gtest/gtest.h>

namespace civicgrid::testing {

struct Validation {
  std::vector<metrics::ReplicationResult> results;
  std::map<std::string, metrics::KpiSummary> kpi;
};

inline Validation replicate(const scenario::Scenario& scenario, int replications, std::uint64_t seed) {
  const auto work_dir = std::filesystem::temp_directory_path() /
                        ("civicgrid-validation-" + std::to_string(getpid()));
  std::filesystem::create_directories(work_dir);
  const city::City city = city::City::build(scenario);
  experiment::ReplicationPlan plan;
  plan.replications = replications;
  plan.seed = seed;
  plan.jobs = 2;
  plan.work_dir = work_dir;
  plan.write_incidents = false;
  Validation validation;
  validation.results = experiment::run_replications(scenario, city, plan);
  std::filesystem::remove_all(work_dir);
  for (auto& summary : metrics::summarise(validation.results)) validation.kpi[summary.name] = summary;
  return validation;
}

// Prints expectation and actual the way SimGrid's teshsuite/models tests do, so a failure explains itself.
inline void show(const char* what, double expected, const metrics::KpiSummary& actual) {
  std::printf("%-28s expected %10.6f  simulated %10.6f +- %.6f (95%% CI, n=%lld)\n", what, expected, actual.mean,
              actual.ci95_half_width, static_cast<long long>(actual.n));
}

// The tolerance of every statistical check: the half-width of a 99.9% Student t interval over replications
// (the 95% half-width scaled by t_{0.9995,n-1} / t_{0.975,n-1}). With some thirty checks in this tier, 95%
// intervals would fail one check in twenty by chance alone; 99.9% keeps false alarms rare while a real bias of a
// few standard errors still fails.
inline double tolerance(const metrics::KpiSummary& summary) {
  const boost::math::students_t t(static_cast<double>(summary.n - 1));
  return summary.ci95_half_width * boost::math::quantile(t, 0.9995) / boost::math::quantile(t, 0.975);
}

// Mean within tolerance() of the exact value, and an interval tight enough for that to mean something.
inline void expect_matches(const Validation& run, const std::string& kpi, double expected, const char* label,
                           double max_relative_half_width = 0.1) {
  const auto& simulated = run.kpi.at(kpi);
  show(label, expected, simulated);
  EXPECT_NEAR(simulated.mean, expected, tolerance(simulated)) << kpi;
  EXPECT_LT(simulated.ci95_half_width, max_relative_half_width * std::max(expected, 0.05))
      << kpi << ": interval too wide for the comparison to mean anything";
}

// Little's law L = lambda W on the waiting line, per replication. The two sides differ only by incidents
// waiting across the window's edges, a few minutes of queue out of weeks, hence the 1% allowance.
inline void expect_littles_law(const Validation& validation) {
  for (const auto& result : validation.results) {
    std::map<std::string, double> kpi(result.kpis.begin(), result.kpis.end());
    const double lambda_w = kpi["arrival_rate_per_h"] / 60 * kpi["wait_min_mean"];
    EXPECT_NEAR(kpi["queue_length_mean"], lambda_w, 0.01 * lambda_w + 1e-3)
        << "replication " << result.replication;
  }
}

}  // namespace civicgrid::testing
