// The KPI catalogue: the only place that names a KPI. Every key that summary.json, replications.csv,
// levels.csv, grids.csv, the stderr table, the reports, the spreadsheets and README show comes from here, with
// its unit, direction, Chinese and English names, and its definition as numerator over denominator, so that no
// two outputs can disagree on what a figure means. `civicgrid kpis [--json]` prints it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicgrid::metrics {

// One enumerator per catalogue entry, in catalogue order: code names a KPI through this enum, never by a
// string literal, so a KPI without an entry cannot be produced.
enum class Kpi : int {
  incidents, known, capture_rate, discovery_delay_h_mean, responded, response_min_mean, response_min_p50,
  response_min_p90, response_min_p95, registration_min_mean, registration_wait_min_mean, on_time_registration_rate, on_time_check_rate, wait_min_mean, wait_probability, travel_min_mean,
  travel_km_mean, on_scene_min_mean, full_team_response_min_mean, within_target_rate, grid_coverage_rate,
  resident_coverage_rate, static_coverage_rate, dynamic_coverage_rate, utilization, staff, on_duty_share,
  own_grid_share, mutual_aid_share, queue_length_mean, arrival_rate_per_h, closed, closure_rate, overdue_open, closure_h_mean,
  closure_h_p90, on_time_closure_rate, on_time_disposal_rate, escalation_rate, routed_off_hours_rate,
  escalation_delay_h_mean,
  reported_share_of_closed, unreported_rate, public_first_rate, found_by_visit, found_by_patrol, developed,
  preempted_jobs, handed_over_jobs, visits_per_household, visit_time_share, visit_coverage_rate, on_time_report_rate,
  not_reported_handled, not_reported_could_not_handle, not_reported_sensitive, backlog_at_end,
  escalations_from_grid, closed_at_grid, escalations_from_community, closed_at_community, escalations_from_town,
  closed_at_town, escalations_from_city, closed_at_city, reached, escalations_from, routed_off_hours_from, residents, within_target, assists_given,
  assists_received, incidents_served, travel_min, on_scene_min, return_min, idle_min, on_duty_min, busy_min,
  responders,
};

// The KPI an old key was renamed to (valid_report_rate -> reported_share_of_closed, missed_report_rate ->
// public_first_rate: their names suggested the standard's 有效上报率 and 漏报率), or nullptr; for hints only.
const char* renamed_kpi(const std::string& old_key);

enum class Direction { higher_is_better, lower_is_better, neither };

// Where a KPI exists besides the run as a whole (bit flags). In summary.json a breakdown is
// "<kpi>@<type>", "<kpi>@<team>", "<kpi>@level:<level>" or "<kpi>@role:<role>"; grid and responder values are
// the columns of grids.csv and teams.csv, level values also those of levels.csv.
enum Scope : unsigned {
  scope_run = 1u << 0,        // summary.json and replications.csv
  scope_level = 1u << 1,      // "@level:<level>" and levels.csv
  scope_type = 1u << 2,       // "@<incident type>"
  scope_team = 1u << 3,       // "@<team>"
  scope_role = 1u << 4,       // "@role:<role>"
  scope_grid = 1u << 5,       // a column of grids.csv
  scope_responder = 1u << 6,  // a column of teams.csv
  scope_hour = 1u << 7,       // a column of hours.csv (weekday x hour of becoming known)
};

struct KpiInfo {
  Kpi id;
  std::string_view key;          // key in summary.json, column in the CSVs
  std::string_view unit;         // "count", "share", "min", "h", "km", "persons", "per h", "per 30 d"
  Direction direction;
  std::string_view zh_name;      // as planners say it (结案率, 响应达标率 ...)
  std::string_view en_name;
  std::string_view numerator;    // what is summed or counted (a mean: the sum of the quantity)
  std::string_view denominator;  // what it is divided by; "" for counts
  std::string_view definition;   // one line in English, for README and the reports
  std::string_view zh_definition;
  bool headline;                 // on the first page of a report
  unsigned scopes;               // Scope flags
};

// Every entry, in Kpi order (the order summary.json and the tables use).
const std::vector<KpiInfo>& kpi_catalogue();
const KpiInfo& kpi_info(Kpi kpi);
std::string kpi_key(Kpi kpi);
// The entry of a key, or of a breakdown's base ("within_target_rate@dispute" -> within_target_rate); nullptr
// when nothing in the catalogue has that key.
const KpiInfo* find_kpi(std::string_view key);

// A key's breakdown as written after '@': "level:town" is level, "role:police" role; any other suffix is an
// incident type or a team (the KPI's scopes tell which).
struct KpiKey {
  std::string_view base;
  std::string_view breakdown;   // "" for the run as a whole
};
KpiKey split_kpi_key(std::string_view key);

// The catalogue for people and programs: an aligned text table, JSON (one object per entry), and README's
// Markdown table (README's copy is checked against this by a test).
std::string catalogue_text();
std::string catalogue_json();
std::string catalogue_markdown();

std::string_view to_string(Direction direction);

}  // namespace civicgrid::metrics
