// Many runs (variant x replication) in child processes, resumable. Each finished run is a folder
// runs/<variant>/<replication>/ renamed into place only when complete and sealed (its manifest.json lists every
// file's size and SHA-256), tagged with a hash of its inputs; a resumed batch reuses exactly the runs that are
// intact and whose inputs are unchanged, redoes the others (saying why when a run was damaged), and removes the
// temporary folders of dead processes. Used by `sweep`, `search` and `compare`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "experiment/sweep_plan.hpp"
#include "metrics/replication_result.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::experiment {

struct LoadedVariant {
  Variant variant;
  scenario::Scenario scenario;
  std::string input_hash;     // of everything that determines a replication except the replication count
};

// Loads every variant (base file + caller's --set + the variant's overrides), collecting all problems of all
// variants into one InputError. `sweep`, when given, maps problems in swept values back to the sweep file.
std::vector<LoadedVariant> load_variants(const std::vector<Variant>& variants,
                                         const std::vector<std::string>& extra_overrides,
                                         const SweepPlan* sweep = nullptr);

// One slice of a run table, for spreading it over machines (MPI ranks, Slurm array tasks): the runs whose
// number in the table (0-based, variant-major) is `index` modulo `count`. Round-robin keeps slices balanced
// when later variants are heavier (more staff, longer runs).
struct Slice {
  int index = 0;
  int count = 1;
  bool contains(int run_number) const { return run_number % count == index; }
};

struct BatchOptions {
  int jobs = 1;
  bool write_incidents = true;
  bool show_progress = true;
  Slice slice;
  std::string progress_label = "runs";
};

struct BatchCounts {
  int total = 0;      // runs in the slice
  int reused = 0;
  int ran = 0;
};

// Runs every (variant, replication) of the slice not already finished under `out_dir`. A failing run does not
// stop the others. Throws Interrupted or std::runtime_error (after all runs ended, if some failed); finished
// runs stay on disk either way, so --resume redoes only what is missing.
BatchCounts run_batch(const std::vector<LoadedVariant>& variants, const std::filesystem::path& out_dir,
                      const BatchOptions& options);

std::filesystem::path run_folder(const std::filesystem::path& out_dir, int variant, int replication);

// What out_dir holds of the run (variant, replication): `finished` only when its folder is intact (every file
// has its manifest's size and checksum) and tagged with exactly these inputs.
struct RunState {
  enum class Kind { finished, missing, inputs_changed, damaged };
  Kind kind = Kind::missing;
  std::string reason;                       // for damaged: what failed the check, e.g. "result.json: 0 bytes, ..."
};
RunState run_state(const std::filesystem::path& out_dir, const LoadedVariant& variant, int replication);
bool run_is_finished(const std::filesystem::path& out_dir, const LoadedVariant& variant, int replication);

// The names of the files a finished run folder may hold (what a worker writes), to tell civicgrid's files from
// a user's.
bool is_run_file_name(const std::string& name);

// The run table's runs (as "v0002/r0003") that are not finished under out_dir.
std::vector<std::string> missing_runs(const std::vector<LoadedVariant>& variants, const std::filesystem::path& out_dir);

// A fingerprint of the whole run table (every variant's inputs and replication count), to tell whether
// folders written by different processes belong to the same sweep.
std::string plan_hash(const std::vector<LoadedVariant>& variants);
std::vector<metrics::ReplicationResult> read_variant_results(const std::filesystem::path& out_dir,
                                                             const LoadedVariant& variant);

}  // namespace civicgrid::experiment
