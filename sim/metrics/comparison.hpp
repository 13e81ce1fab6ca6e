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
  // Two-sided p-value of the paired Student t test of mean difference 0 (n - 1 degrees of freedom); 1 when
  // every difference is 0 (identical plans), 0 when they are all the same non-zero value, NaN if n < 2.
  double p_value = 0;
};

PairedDifference paired_difference(const std::vector<double>& a, const std::vector<double>& b);

// Two-sided p-value of Student's t statistic `t` with `degrees_of_freedom` (boost::math::students_t).
double two_sided_t_p_value(double t, double degrees_of_freedom);

// Holm's step-down adjustment (Holm 1979) of one family of p-values, in the input's order. Comparing every
// pair of plans on one KPI is one family: m pairs, each tested at 5% alone, would find a "difference" far
// more often than 5% of the time. NaN p-values (a pair with too few replications) stay NaN and are not
// counted in m.
std::vector<double> holm_adjusted(const std::vector<double>& p_values);

}  // namespace civicgrid::metrics
