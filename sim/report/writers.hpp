// The files of a result folder (README.md#what-a-run-writes), written from the replications' results and their summary.
//
// Determinism: summary.json and the CSVs depend only on their arguments' data (never on the clock, the host,
// the locale or -j), so the same inputs give the same bytes. Wall time, start time, host name and command
// line go to manifest.json only.
//
// Files and their exact shape (tests and downstream scripts rely on them):
//   summary.json       {"civicgrid_version": "0.1.0", "scenario": "<name>", "replications": 3, "seed": 5,
//                       "kpis": {"<kpi>": {"mean": x, "ci95_half_width": h, "n": k, "unit": "min",
//                                          "per_replication": [x1, x2, null]}, ...}}
//                      KPIs in the order of `summaries`; NaN written as null (n < 2 gives a null half-width);
//                      then "verdict": metrics::verdict_json (metrics/standards.hpp) when RunInfo has one.
//   replications.csv   replication,seed,<kpi>,<kpi>,...     one row per replication; KPI names as they are
//                      (they carry their unit: response_min_mean, within_target_rate, ...)
//   grids.csv          replication,grid,grid_id,community_id,town_id,residents,incidents,responded,
//                      within_target,within_target_rate,response_min_mean       one row per (replication, grid)
//                      within_target_rate = within_target / responded, response_min_mean = response_min_sum /
//                      responded (both empty when nothing was responded)
//   teams.csv          replication,responder,team,level,unit,incidents_served,travel_min,on_scene_min,return_min,
//                      idle_min,on_duty_min,utilization                    one row per (replication, responder)
//                      utilization = (travel_min + on_scene_min + return_min) / on_duty_min (empty if no duty)
//   layout.geojson     geographic layouts only (no file for a rectangular city): the grids as the run used them,
//                      so the report can draw the map without the scenario's own (relative) files:
//                      {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"grid":"<id>",
//                       "community":"<id>","town":"<id>","kind":"urban"|"rural"|""},"geometry":{"type":"Polygon"
//                       |"MultiPolygon","coordinates":...}}, ...]}    one feature per line, in grid order; the
//                      projected metres of the scenario, shortest round-trip decimals (std::to_chars)
//   manifest.json      civicgrid_version, git_revision, scenario, scenario_path, source_files, argv, seed,
//                      replications, jobs, started_utc, wall_time_s, output_dir, hostname
// CSV: "\n" line ends, a header row, `replication` as in ReplicationResult (0-based, as in incidents.csv),
// doubles in the shortest of "%.10g" (locale-independent), NaN as an empty field, text cells through
// metrics::csv_field (RFC 4180 quoting and the formula guard, docs/outputs.md). Every file is written atomically
// with write_text_file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/csv_text.hpp"
#include "metrics/replication_result.hpp"
#include "metrics/summary.hpp"
#include "report/result_folder.hpp"

namespace civicgrid::scenario {
struct Scenario;
}

namespace civicgrid::report {

// What the manifest records about a run; write_summary_json reads only tool_version, scenario_name, seed and
// replications from it.
struct RunInfo {
  std::string tool_version;
  std::string git_revision;
  std::string scenario_name;
  std::string scenario_path;
  std::vector<std::string> source_files;   // the scenario file and every file it included
  std::vector<std::string> argv;           // the command line, argv[0] first
  std::uint64_t seed = 0;                  // master seed
  int replications = 0;
  int jobs = 1;
  double wall_time_s = 0;
  std::string started_utc;                 // ISO 8601, e.g. "2024-05-01T08:30:00Z"
  std::string output_dir;                  // the final result folder
  // metrics::verdict_json of the run against its standards; written to summary.json as "verdict" (null: none)
  nlohmann::ordered_json verdict;
};

// <dir>/summary.json
void write_summary_json(const std::filesystem::path& dir, const RunInfo& info,
                        const std::vector<metrics::KpiSummary>& summaries);
// <dir>/replications.csv
void write_replications_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results);
// <dir>/grids.csv
void write_grids_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results);
// <dir>/grid_summary.csv: per grid, metrics::summarise_grids (mean, ci95 half-width and n over replications of
// each of metrics::grid_kpi_names(): columns <kpi>, <kpi>_ci95, <kpi>_n) -- the report's map.
void write_grid_summary_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results);
// <dir>/teams.csv
void write_teams_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results);
// <dir>/layout.geojson when scenario.layout is geographic; nothing otherwise.
void write_layout_geojson(const std::filesystem::path& dir, const scenario::Scenario& scenario);
// <dir>/manifest.json (the only file with times and the host name)
void write_manifest_json(const std::filesystem::path& dir, const RunInfo& info);

// The file contents behind the writers above, for tests and for other outputs (e.g. sweeps).
std::string summary_json(const RunInfo& info, const std::vector<metrics::KpiSummary>& summaries);
std::string replications_csv(const std::vector<metrics::ReplicationResult>& results);
std::string grids_csv(const std::vector<metrics::ReplicationResult>& results);
std::string grid_summary_csv(const std::vector<metrics::ReplicationResult>& results);
std::string teams_csv(const std::vector<metrics::ReplicationResult>& results);
std::string layout_geojson(const scenario::Scenario& scenario);   // "" for a rectangular layout
std::string manifest_json(const RunInfo& info);   // includes this machine's host name

// A short aligned table for people (stderr), one line per KPI after a header:
//   KPI                  mean    ± ci95  unit
//   response_min_mean   12.34  ± 0.5678  min
// Numbers with 5 significant digits; an undefined value (NaN) shows as "-".
std::string format_kpi_table(const std::vector<metrics::KpiSummary>& summaries);

// CSV helpers used by every writer of result files (metrics/csv_text.hpp: one text cell, quoted and
// formula-guarded as docs/outputs.md says; one number, "%.10g" style, "" for NaN).
using metrics::csv_field;
using metrics::csv_number;

}  // namespace civicgrid::report
