// A sweep file expanded into its numbered run table. A sweep names a base scenario and varies values by the
// same dotted paths as --set: `grid:` axes multiply (cartesian product), `zip:` columns advance in lock-step
// and together form one more axis. Parsing reports problems with the sweep file's own line and column.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenario/loader.hpp"

namespace civicgrid::experiment {

struct SweepParameter {
  std::string path;                        // dotted --set path
  scenario::Diagnostic origin;             // where its values are written (for error messages)
  std::vector<std::string> values;         // as --set values (YAML text)
};

struct Variant {
  int index = 0;                           // 0-based; shown 1-based as v0001
  std::filesystem::path scenario_path;
  std::vector<std::string> overrides;      // "path=value", applied after the caller's own --set
  std::vector<std::string> values;         // the swept values in parameter order (for tables)
};

// What sweep and search files share.
struct PlanBasics {
  std::string name;
  std::filesystem::path file;
  std::filesystem::path base_scenario;
  std::optional<int> replications;
  std::optional<std::uint64_t> seed;
};

struct SweepPlan : PlanBasics {
  std::vector<SweepParameter> parameters;  // grid axes first, then zip columns
  std::vector<Variant> variants;
};

// Throws scenario::InputError with every problem found.
SweepPlan load_sweep(const std::filesystem::path& file);

// A staffing search file (`civicgrid search`, docs/scenario.md): a base scenario, a KPI target to meet with
// one-sided confidence, and the --set paths that add staff, each with its candidate values in increasing order.
struct SearchTarget {
  std::string kpi;
  bool at_least = true;                    // at_least: the KPI must reach `value`; at_most: stay under it
  double value = 0;
};

struct SearchPlan : PlanBasics {
  SearchTarget target;
  double confidence = 0.95;                // one-sided
  std::vector<SweepParameter> parameters;  // one: least value by bisection; several: greedy marginal allocation
};

SearchPlan load_search(const std::filesystem::path& file);

// "v0001"
std::string variant_label(int index);

}  // namespace civicgrid::experiment
