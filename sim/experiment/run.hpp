// `civicgrid run` as a function: replications of one scenario written as one complete result folder
// (DESIGN.md §5), or nothing at all. The folder is assembled under a temporary name and renamed at the end,
// so an interrupted or failed run leaves no partial results behind.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "metrics/summary.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::experiment {

struct RunOptions {
  int jobs = 1;
  std::filesystem::path out_dir;            // exact result folder; empty = results_root/<name>/<UTC timestamp>
  std::filesystem::path results_root = "results";
  bool write_incidents = true;
  bool show_progress = true;                // progress lines on stderr
  std::vector<std::string> argv;            // for the manifest
};

struct RunOutcome {
  std::filesystem::path folder;
  std::vector<metrics::KpiSummary> summaries;
  double wall_time_s = 0;
};

RunOutcome run_to_folder(const scenario::Scenario& scenario, const RunOptions& options);

const char* tool_version();
const char* git_revision();

}  // namespace civicgrid::experiment
