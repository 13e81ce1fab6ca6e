// Differences between two variants' KPIs over the same replications. Because replication r of every variant
// sees the same incidents (common random numbers), the per-replication differences are paired and their
// confidence interval is usually much narrower than the unpaired (Welch) one; both are reported.
#pragma once

#include <cstdint>
#include <vector>

namespace civicgrid::metrics {

struct PairedDifference {
  double mean = 0;                 // mean of (b_r - a_r) over replications where both are defined
  double ci95_half_width = 0;      // Student t on the paired differences; NaN if n < 2
  double unpaired_ci95_half_width = 0;  // Welch-Satterthwaite interval of mean(b) - mean(a), for reference
  std::int64_t n = 0;
  bool significant = false;        // the paired interval excludes 0
};

PairedDifference paired_difference(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace civicgrid::metrics
