// `civicgrid sweep` and `civicgrid compare`: batches of variants sharing replication indices (and so their
// incidents), written as one folder per variant plus tidy tables across variants. A sweep's folder is its
// work area: finished runs survive interruption and `--resume` continues; the tables are rewritten at the end.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "experiment/batch.hpp"
#include "experiment/precision.hpp"
#include "experiment/sweep_plan.hpp"
#include "metrics/summary.hpp"
#include "report/result_folder.hpp"

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
  Slice slice;                              // --shard i/N: run only this slice and leave the tables to `merge`
  std::string report_lang = "zh";
  std::optional<PrecisionGoal> precision;   // every variant's KPI precise (replications added to all alike)
};

// The numbered run table (variant, replication, seed, overrides) as CSV, without running anything.
std::string run_table_csv(const SweepPlan& plan, const std::vector<LoadedVariant>& variants);

// Pre-variant overrides of a sweep: its file's replications/seed, then the command line's.
std::vector<std::string> sweep_overrides(const SweepPlan& plan, const std::vector<std::string>& command_line);

struct BatchOutcome {
  std::filesystem::path folder;
  BatchCounts counts;
  bool complete = true;                     // false for a shard: its tables are written by `merge`
  std::string precision_note;               // the worst variant's last precision check, with --precision
  std::string table;                        // compare: headline KPIs and verdicts for people (stderr)
};

// Runs the batch; with a precision goal, then adds replications to every variant together (so comparisons
// stay paired) until each variant's KPI meets it or the cap is reached. Variants' replication counts (and
// resolved files) are updated to what ran.
BatchCounts run_batch_to_precision(std::vector<LoadedVariant>& variants, const std::filesystem::path& out_dir,
                                   const BatchOptions& batch, const std::optional<PrecisionGoal>& goal,
                                   std::string& note);

// The sweep's folder: --out, or results_root/<sweep name> (a shard: results_root/<sweep name>/shard-<i>); the
// name as one folder name (report::safe_folder_name), so `name: ../../x` stays below results_root.
std::filesystem::path sweep_folder(const SweepPlan& plan, const BatchCommandOptions& options);

// What a sweep's or search's work folder records of the command that owns it (top-level manifest.json), so
// that another sweep or search is refused instead of replacing its runs.
struct WorkFolderOwner {
  std::string kind;                         // "sweep" or "search"
  std::string name;                         // the plan's name
  std::filesystem::path plan_file;
};

// Opens a sweep's or search's work folder for writing, before anything in it changes: creates it (an existing
// folder needs `resume`), takes its lock (civicgrid.lock), and on resume refuses (scenario::InputError, nothing
// touched) a folder that another sweep or search owns, another shard of the sweep (`slice`), or that holds
// files civicgrid did not write; then removes what killed writers left (temporary folders of dead processes,
// half-written "*.tmp" tables) and records the owner. The lock is held as long as the result lives.
std::unique_ptr<report::FolderLock> open_work_folder(const std::filesystem::path& folder, const WorkFolderOwner& owner,
                                                     bool resume, const Slice& slice = {});

// Records the owner in folder/manifest.json and seals the folder's top-level files (report::seal_folder): the
// last step of a finished sweep or search.
void seal_work_folder(const std::filesystem::path& folder, const WorkFolderOwner& owner);

// The entries under a work folder that civicgrid did not write (for open_work_folder; public for tests).
std::vector<std::filesystem::path> foreign_entries(const std::filesystem::path& folder);

// Runs the sweep (or, with options.slice, one shard of it, recorded in shard.json) into its folder and writes
// the tables when the run table is complete.
BatchOutcome run_sweep(const SweepPlan& plan, std::vector<LoadedVariant> variants,
                       const BatchCommandOptions& options);

// The tables of a sweep whose runs are all finished under `folder`: variants/<v>/ (a full result folder
// each), sweep.csv, runs.csv, report.html, and last the folder's manifest.json listing them. Throws
// std::runtime_error if a run is missing.
void finish_sweep(const SweepPlan& plan, const std::vector<LoadedVariant>& variants,
                  const std::filesystem::path& folder, const BatchCommandOptions& options);

// Rebuilds folder/variants/<label> from the variant's finished runs under folder/runs (derived data, replaced
// as a whole); `final_root` is where `folder` ends up (for the manifests). Returns the KPI summaries.
std::vector<metrics::KpiSummary> write_variant_folder(const std::filesystem::path& folder,
                                                      const std::filesystem::path& final_root,
                                                      const LoadedVariant& variant, const BatchCommandOptions& options);

// What a shard folder records so that `merge` can check and finish the sweep without being told the file.
struct ShardRecord {
  std::filesystem::path sweep_file;         // absolute
  std::vector<std::string> overrides;       // the command line's, as given to every shard
  Slice slice;
  std::string plan_hash;
};
void write_shard_record(const std::filesystem::path& folder, const ShardRecord& record);
// Throws scenario::InputError (with the file's name) when the folder is no shard of a sweep.
ShardRecord read_shard_record(const std::filesystem::path& folder);

// `civicgrid merge DIR...`: the runs of shard folders combined into one complete sweep folder (runs are hard
// links where possible), with the same tables a local run writes, in --out or results_root/<sweep>/merged. Problems (folders of different sweeps, a
// missing shard, a changed sweep file) are scenario::InputError; nothing is written then.
BatchOutcome merge_shards(const std::vector<std::filesystem::path>& shard_folders, const BatchCommandOptions& options);

// A Slurm batch script that runs the sweep as a job array of `shards` tasks, each `--shard i/N` into its own
// folder under `folder`, and then merges them in a dependent job. Pure text, for `--emit-sbatch`.
struct SbatchSettings {
  int shards = 1;
  int cpus_per_task = 1;
  std::string time_limit = "02:00:00";
  std::string civicgrid = "civicgrid";      // the command as the cluster's nodes find it
};
std::string sbatch_script(const SweepPlan& plan, const std::filesystem::path& sweep_file,
                          const std::filesystem::path& folder, const std::vector<std::string>& overrides,
                          const SbatchSettings& settings);

// Compares scenario files (the first is the baseline) over the same replications: compare.csv and
// compare.json with each KPI's mean per variant and the paired difference against the baseline.
BatchOutcome run_compare(const std::vector<std::filesystem::path>& scenarios, const BatchCommandOptions& options);

}  // namespace civicgrid::experiment
