// The sequential stopping rule of precision.hpp.
#include "experiment/precision.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace civicgrid::experiment {

PrecisionCheck check_precision(const std::vector<metrics::KpiSummary>& summaries, const PrecisionGoal& goal) {
  PrecisionCheck check;
  check.threshold = goal.relative_error / (1.0 + goal.relative_error);
  check.relative_half_width = std::numeric_limits<double>::quiet_NaN();
  for (const auto& kpi : summaries)
    if (kpi.name == goal.kpi && kpi.n >= std::max(2, goal.min_replications) && std::isfinite(kpi.ci95_half_width) &&
        kpi.mean != 0) {
      check.relative_half_width = kpi.ci95_half_width / std::fabs(kpi.mean);
      check.met = check.relative_half_width <= check.threshold;
    }
  return check;
}

int next_replication_count(int current, int jobs, const PrecisionGoal& goal) {
  if (current < goal.min_replications) return std::min(goal.min_replications, goal.max_replications);
  return std::min(current + std::max(1, jobs), goal.max_replications);
}

std::string describe(const PrecisionCheck& check, const PrecisionGoal& goal, int replications) {
  char line[256];
  std::snprintf(line, sizeof line, "precision on %s after %d replications: relative half-width %.4f %s %.4f%s",
                goal.kpi.c_str(), replications, check.relative_half_width, check.met ? "<=" : ">", check.threshold,
                check.met ? " (met)" : (replications >= goal.max_replications ? " (NOT met: cap reached)" : ""));
  return line;
}

}  // namespace civicgrid::experiment
