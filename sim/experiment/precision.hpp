// --precision: replications are added until one KPI's confidence interval is narrow enough relative to its
// mean, instead of guessing a replication count. The stopping rule is the sequential procedure of Law & Kelton
// (Law, "Simulation Modeling and Analysis", 5th ed., 2015, §9.4.1): with n0 >= 10 first replications, stop at
// the first n with  t_{n-1,0.975} s(n) / sqrt(n) <= gamma' |mean(n)|,  where gamma' = gamma / (1 + gamma)
// makes the *actual* relative error at most gamma with probability about 0.95. Replications are added `jobs` at
// a time (one per process) rather than one, which can only overshoot n by fewer than `jobs`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "metrics/summary.hpp"

namespace civicgrid::experiment {

struct PrecisionGoal {
  std::string kpi = "response_min_mean";
  double relative_error = 0.05;    // gamma
  int min_replications = 10;       // n0
  int max_replications = 200;      // the cap: stop there even if not precise
};

struct PrecisionCheck {
  bool met = false;
  double relative_half_width = 0;  // ci95_half_width / |mean| (NaN when undefined)
  double threshold = 0;            // gamma' = gamma / (1 + gamma)
};

PrecisionCheck check_precision(const std::vector<metrics::KpiSummary>& summaries, const PrecisionGoal& goal);

// The replication count to go to next from `current` (at least n0, at most the cap).
int next_replication_count(int current, int jobs, const PrecisionGoal& goal);

// One line for people (stderr, progress logs).
std::string describe(const PrecisionCheck& check, const PrecisionGoal& goal, int replications);

}  // namespace civicgrid::experiment
