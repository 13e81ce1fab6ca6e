// Across-replication statistics of the per-replication KPIs: the numbers summary.json, the stderr table and
// the validation tests read. Each replication is one independent observation of a KPI; the summary is the
// mean over the replications where the KPI is defined (not NaN) and a Student-t 95% confidence half-width.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "metrics/replication_result.hpp"

namespace civicgrid::metrics {

struct KpiSummary {
  std::string name;                      // as in ReplicationResult::kpis and kpi_catalogue()
  std::string unit;                      // from kpi_catalogue(); empty if the name is not catalogued
  double mean = 0;                       // over the n replications where the KPI is defined; NaN if n == 0
  double ci95_half_width = 0;            // t_{0.975, n-1} * s / sqrt(n), s the sample std dev; NaN if n < 2
  std::int64_t n = 0;                    // replications where the KPI is defined (not NaN)
  std::vector<double> per_replication;   // one value per result, in the order given; NaN where undefined
};

// One summary per KPI name, in the order the names appear in the first result; names that only later results
// carry follow, in order of first appearance. A result that lacks a name counts as NaN (undefined) for it.
// No results: an empty vector.
std::vector<KpiSummary> summarise(const std::vector<ReplicationResult>& results);

// Per grid, the across-replication summary of its KPIs in grids.csv (the map's figures): each replication is one
// observation of the grid's value, as for the headline KPIs, so a grid's within-target rate is the mean of its
// per-replication rates (replications where it responded nothing do not count), not a pooled ratio.
struct GridSummary {
  int grid = 0;
  std::string grid_id, community_id, town_id;
  std::vector<KpiSummary> kpis;   // residents, incidents, responded, within_target_rate, response_min_mean,
                                  // static_coverage_rate, dynamic_coverage_rate (grid_kpi_names())
};
const std::vector<std::string>& grid_kpi_names();
std::vector<GridSummary> summarise_grids(const std::vector<ReplicationResult>& results);

// The KPI names of summarise(results), in the same order (the columns of replications.csv).
std::vector<std::string> kpi_names_of(const std::vector<ReplicationResult>& results);

// The 0.975 quantile of Student's t distribution (two-sided 95%); NaN for degrees_of_freedom < 1.
double student_t_quantile_975(std::int64_t degrees_of_freedom);
// Any quantile (a one-sided 95% bound uses 0.95); NaN for degrees_of_freedom < 1 or p outside (0, 1).
double student_t_quantile(double probability, std::int64_t degrees_of_freedom);

}  // namespace civicgrid::metrics
