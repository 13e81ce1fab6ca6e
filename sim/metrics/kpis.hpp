// The catalogue of per-replication KPIs: one place that names them, gives their unit and says how each is
// computed, so that summary.json, replications.csv, the stderr table and README never disagree.
#pragma once

#include <string_view>
#include <vector>

namespace civicgrid::metrics {

struct KpiInfo {
  std::string_view name;         // key in summary.json and column in replications.csv
  std::string_view unit;         // "count", "min", "share", "per h", ...
  std::string_view definition;   // one line, for README and reports
};

// In the order they are reported.
const std::vector<KpiInfo>& kpi_catalogue();

}  // namespace civicgrid::metrics
