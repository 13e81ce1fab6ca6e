// `civicgrid sweep` and `civicgrid compare`: batches of variants sharing replication indices (and so their
// incidents), written as one folder per variant plus tidy tables across variants. A sweep's folder is its
// work area: finished runs survive interruption and `--resume` continues; the tables are rewritten at the end.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "experiment/batch.hpp"
#include "experiment/sweep_plan.hpp"

namespace civicgrid::experiment {

struct BatchCommandOptions {
  std::filesystem::path out_dir;            // empty: results_root/<name> (sweep) or a timestamped folder (compare)
  std::filesystem::path results_root = "results";
  int jobs = 1;
  bool resume = false;
  bool write_incidents = true;
  bool show_progress = true;
  std::vector<std::string> overrides;       // the command line's --set (and -r, --seed), before each variant's own
  std::vector<std::string> argv;
};

// The numbered run table (variant, replication, seed, overrides) as CSV, without running anything.
std::string run_table_csv(const SweepPlan& plan, const std::vector<LoadedVariant>& variants);

// Pre-variant overrides of a sweep: its file's replications/seed, then the command line's.
std::vector<std::string> sweep_overrides(const SweepPlan& plan, const std::vector<std::string>& command_line);

struct BatchOutcome {
  std::filesystem::path folder;
  BatchCounts counts;
};

BatchOutcome run_sweep(const SweepPlan& plan, const std::vector<LoadedVariant>& variants,
                       const BatchCommandOptions& options);

// Compares scenario files (the first is the baseline) over the same replications: compare.csv and
// compare.json with each KPI's mean per variant and the paired difference against the baseline.
BatchOutcome run_compare(const std::vector<std::filesystem::path>& scenarios, const BatchCommandOptions& options);

}  // namespace civicgrid::experiment
