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
