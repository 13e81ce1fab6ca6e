// `civicgrid run` as a function: replications of one scenario written as one complete result folder
// (README.md#what-a-run-writes), or nothing at all. The folder is assembled under a temporary name and renamed at the end,
// so an interrupted or failed run leaves no partial results behind. assemble_result_files() is shared with
// sweeps and comparisons, which write one such folder per variant.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "experiment/precision.hpp"
#include "metrics/replication_result.hpp"
#include "metrics/summary.hpp"
#include "report/result_folder.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::experiment {

struct RunOptions {
  int jobs = 1;
  std::filesystem::path out_dir;            // exact result folder; empty = results_root/<name>/<UTC timestamp>
  std::filesystem::path results_root = "results";
  bool write_incidents = true;
  bool show_progress = true;                // progress lines on stderr
  std::vector<std::string> argv;            // for the manifest
  std::string report_lang = "zh";           // language of report.html: "zh" or "en"
  std::optional<PrecisionGoal> precision;   // add replications until met (the scenario's count is the start)
};

struct RunOutcome {
  std::filesystem::path folder;
  std::vector<metrics::KpiSummary> summaries;
  double wall_time_s = 0;
  int replications = 0;
  std::string precision_note;               // describe() of the last check, when a precision goal was given
};

RunOutcome run_to_folder(const scenario::Scenario& scenario, const RunOptions& options);

// The result folder of a command that writes one (run, compare), locked against a second writer: `out_dir`,
// or results_root/<name>/<UTC stamp> (after removing the temporaries that killed runs left there; a stamp
// another run just locked is passed over).
std::unique_ptr<report::ResultFolder> open_result_folder(const std::filesystem::path& out_dir,
                                                         const std::filesystem::path& results_root,
                                                         const std::string& name);

// Writes summary.json, the tidy CSVs, incidents.csv (from `incident_parts`, if any), scenario.resolved.yaml,
// manifest.json and report.html (in `report_lang`) into `dir`; returns the KPI summaries.
std::vector<metrics::KpiSummary> assemble_result_files(const std::filesystem::path& dir,
                                                       const scenario::Scenario& scenario,
                                                       const std::vector<metrics::ReplicationResult>& results,
                                                       const std::vector<std::filesystem::path>& incident_parts,
                                                       const std::vector<std::string>& argv, int jobs,
                                                       double wall_time_s, const std::string& final_path,
                                                       const std::string& report_lang = "zh");

// The scenario as it ran with `replications` replications decided by --precision (resolved file updated).
scenario::Scenario with_precision_replications(const scenario::Scenario& scenario, int replications,
                                               const PrecisionGoal& goal);

std::string utc_now_iso8601();
const char* tool_version();
const char* git_revision();

}  // namespace civicgrid::experiment
