// "How this was obtained" for the experiment reports (sweep, compare, search): what was run, from which files,
// with which seeds, replications, versions and command, gathered only from the folder (the variants'
// manifest.json, runs.csv, the top-level result file). Kept apart from html_experiments.cpp because all three
// kinds share it and every input is optional: a missing file leaves an empty field, never an error.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace civicgrid::report::detail {

// What the caller already knows from the kind's own file.
struct ProvenanceHints {
  std::vector<std::string> seeds;          // e.g. compare.json "seed"
  std::vector<long long> replications;     // per-variant replication counts known without manifests
  nlohmann::ordered_json varied = nlohmann::ordered_json::array();   // [{path, values: [..]}]
  nlohmann::ordered_json runs = nullptr;   // {total, reused, ran} when the kind's file counts them
  bool per_variant_scenarios = false;      // list each variant's scenario file (compare: they differ)
};

// The data section's "method" object. `labels`: the variants in report order, the first one the base (its
// scenario.resolved.yaml is the one shown).
//   {base: {variant, scenario, scenario_path, source_files}, inputs: [files on the command line],
//    overrides: ["path=value" of --set], resolved: {file, present}, varied, seeds, replications: {min, max},
//    runs: {total, reused, ran, variants}, versions, git_revisions, jobs, started_utc, wall_time_s, argv,
//    manifests: {found, variants}, scenarios: [{variant, scenario, scenario_path}] if per_variant_scenarios}
nlohmann::ordered_json experiment_provenance(const std::filesystem::path& dir, const std::vector<std::string>& labels,
                                             const ProvenanceHints& hints);

}  // namespace civicgrid::report::detail
