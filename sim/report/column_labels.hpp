// Chinese and English labels for the keys of civicgrid's result files: CSV column names, summary.json's KPI
// names and members. The spreadsheet export (report/spreadsheet.hpp) puts them above each sheet's key row, so
// a planner reads 平均响应时间 / Mean response time over response_min_mean. One function, so that every label
// comes from one place: the KPI catalogue of sim/metrics/kpis.hpp (through i18n::kpi_name) for every KPI, and a
// table of the columns that are no KPI.
#pragma once

#include <string>
#include <string_view>

#include "report/html_i18n.hpp"

namespace civicgrid::report {

// The label of `key` in `lang`, first match wins:
//   1. a KPI of the catalogue, breakdowns "<kpi>@<type, team, level:x or role:x>" included (i18n::kpi_name):
//      "within_target_rate" -> "响应达标率" / "Within-target response rate";
//   2. a column of the result files that is no KPI: "grid_id" -> "网格" / "Grid", "travel_min" ->
//      "往程时间（分钟）" / "Travel time (min)";
//   3. the key itself, in both languages (a swept parameter's path, a column added later).
std::string column_label(std::string_view key, i18n::Lang lang);

}  // namespace civicgrid::report
