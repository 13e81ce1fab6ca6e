// `civicgrid search`: the least staff that meets a KPI target with one-sided confidence, e.g. "how many grid
// workers per grid so that within_target_rate >= 0.9 holds at 95 % confidence". With one varied path the
// search bisects its candidate values (the KPI is taken to improve with staff); with several it allocates
// greedily: from the smallest plan, repeatedly add the step with the best KPI gain per added person
// (greedy marginal allocation), until the target holds. Every evaluated plan is a variant folder with all the
// run files; the search folder is a work area like a sweep's, so --resume reuses every finished run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/sweep.hpp"
#include "experiment/sweep_plan.hpp"

namespace civicgrid::experiment {

struct SearchPoint {
  int variant = 0;                         // index; folder variants/<variant_label(variant)>
  std::vector<int> levels;                 // index into each parameter's values
  std::vector<std::string> values;
  double staff = 0;                        // the `staff` KPI (persons)
  metrics::KpiSummary kpi;                 // the target KPI over the replications
  double bound = 0;                        // one-sided confidence bound on the KPI's mean (lower for at_least)
  bool feasible = false;                   // bound meets the target
  // The plan judged against its scenario's standards too (metrics::verdict_json), so search.json shows
  // which standards a plan that meets the target still misses.
  nlohmann::ordered_json standards_verdict;
};

struct SearchOutcome {
  std::filesystem::path folder;
  std::vector<SearchPoint> points;         // in evaluation order
  int recommended = -1;                    // index into points, -1 if no candidate met the target
  BatchCounts counts;
  // When no candidate met the target: why (search.json "no_plan"): the gap, whether the varied staff moves the
  // KPI, saturated teams and the worst weekday x hour cells of the largest plan, and a hint for people.
  nlohmann::ordered_json diagnosis;
};

// The confidence bound and verdict of one plan's KPI summary (public for tests).
void judge(SearchPoint& point, const SearchPlan& plan);

// --out, or results_root/<search name> (the name as one folder name, so it stays below results_root).
std::filesystem::path search_folder(const SearchPlan& plan, const BatchCommandOptions& options);

// Throws scenario::InputError for bad values (mapped to the search file), Interrupted, std::runtime_error.
SearchOutcome run_search(const SearchPlan& plan, const BatchCommandOptions& options);

}  // namespace civicgrid::experiment
