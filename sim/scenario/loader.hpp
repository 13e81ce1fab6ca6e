// Reading scenario files: YAML -> fully resolved document (model merged, --set applied) -> validated Scenario.
// Every problem is collected with the file, line and column where it was written and reported together,
// because a planner fixing a scenario wants the whole list, not one error per attempt.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace civicgrid::scenario {

struct Diagnostic {
  std::string file;       // "--set" for a command-line override (line = its position among the overrides)
  int line = 0;           // 1-based; 0 when there is no position (a file that cannot be opened)
  int col = 0;
  std::string key_path;   // dotted, list items by index: "incidents.0.rate"
  std::string message;
  std::string hint;
  // "file:line:col: path.to.key: message (hint: ...)"
  std::string format() const;
};

class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// The unit of a KPI key of the catalogue, or none for a name it does not have. The catalogue lives in
// metrics/, above this layer, so its callers hand it down (metrics::kpi_unit_lookup()).
using KpiUnitLookup = std::function<std::optional<std::string>(const std::string& kpi)>;
// The key an old KPI key was renamed to, or nullptr (metrics::renamed_kpi), for the hint of an unknown KPI.
using KpiRenameLookup = std::function<const char*(const std::string& kpi)>;

struct LoadOptions {
  std::vector<std::string> set_overrides;   // "path.to.key=value", applied in order after the model merge
  KpiUnitLookup kpi_unit;                   // needed when the document has `standards:`
  KpiRenameLookup kpi_renamed;              // optional: names the new key of a renamed one
};

// Throws InputError listing every problem found (sorted by file, line, column).
Scenario load_scenario(const std::string& path, const LoadOptions& options = {});

// A resolved scenario's text with one more "path=value" applied and recorded in its header comments, for
// settings decided while running (the replication count that --precision arrived at), so the file written
// beside the results stays rerunnable as it is. Throws InputError if the assignment does not apply.
std::string resolved_yaml_with(const std::string& resolved_yaml, const std::string& assignment,
                               const std::string& reason);

}  // namespace civicgrid::scenario
