// Many runs (variant x replication) in child processes, resumable. Each finished run is a folder
// runs/<variant>/<replication>/ renamed into place only when complete, tagged with a hash of its inputs; a
// resumed batch reuses exactly the runs whose inputs are unchanged, redoes the others, and removes
// half-written leftovers. Used by `sweep` and `compare`.
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

struct BatchOptions {
  int jobs = 1;
  bool write_incidents = true;
  bool show_progress = true;
};

struct BatchCounts {
  int total = 0;
  int reused = 0;
  int ran = 0;
};

// Runs every (variant, replication) not already finished under `out_dir`. Throws Interrupted or
// std::runtime_error; finished runs stay on disk either way.
BatchCounts run_batch(const std::vector<LoadedVariant>& variants, const std::filesystem::path& out_dir,
                      const BatchOptions& options);

std::filesystem::path run_folder(const std::filesystem::path& out_dir, int variant, int replication);
std::vector<metrics::ReplicationResult> read_variant_results(const std::filesystem::path& out_dir,
                                                             const LoadedVariant& variant);

}  // namespace civicgrid::experiment
