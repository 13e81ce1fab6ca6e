// Parsing and expansion of sweep files (see sweep_plan.hpp). Ranges {from, to, step} accept plain numbers or
// numbers sharing one unit suffix ("10min" ... "30min" by "5min"), so durations and speeds sweep naturally.
#include "experiment/sweep_plan.hpp"

#include "scenario/units.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include <yaml-cpp/yaml.h>

#include "metrics/kpis.hpp"
#include "scenario/document.hpp"
#include "scenario/input_file.hpp"

namespace civicgrid::experiment {
namespace {

class Collector {
 public:
  explicit Collector(std::string file) : file_(std::move(file)) {}
  void error(const YAML::Mark& mark, const std::string& key, const std::string& message,
             const std::string& hint = "") {
    problems_.push_back({file_, mark.line + 1, mark.column + 1, key, message, hint});
  }
  scenario::Diagnostic at(const YAML::Mark& mark, const std::string& key) const {
    return {file_, mark.line + 1, mark.column + 1, key, "", ""};
  }
  void throw_if_any() const {
    if (!problems_.empty()) throw scenario::InputError(problems_);
  }

 private:
  std::string file_;
  std::vector<scenario::Diagnostic> problems_;
};

std::string scalar_text(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter emitter;
  emitter.SetMapFormat(YAML::Flow);
  emitter.SetSeqFormat(YAML::Flow);
  emitter << node;
  return emitter.c_str();
}

// Splits "12.5km/h" into 12.5 and "km/h"; false if it does not start with a number.
bool split_number(const std::string& text, double& number, std::string& suffix) {
  const char* begin = text.c_str();
  char* end = nullptr;
  number = std::strtod(begin, &end);
  if (end == begin) return false;
  suffix.assign(end);
  return true;
}

std::string format_number(double value, const std::string& suffix) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer + suffix;
}

std::vector<std::string> expand_values(const YAML::Node& node, const std::string& key, Collector& errors) {
  std::vector<std::string> values;
  if (node.IsSequence()) {
    for (const auto& item : node) values.push_back(scalar_text(item));
    if (values.empty()) errors.error(node.Mark(), key, "no values to sweep", "give a list of at least one value");
    return values;
  }
  if (node.IsMap()) {
    std::set<std::string> allowed = {"from", "to", "step"};
    for (const auto& entry : node) {
      const auto name = entry.first.as<std::string>();
      if (!allowed.count(name))
        errors.error(entry.first.Mark(), key + "." + name, "unknown key in a range", "use from, to and step");
    }
    for (const char* required : {"from", "to", "step"})
      if (!node[required]) {
        errors.error(node.Mark(), key, std::string("range without '") + required + "'",
                     "write {from: A, to: B, step: S}");
        return values;
      }
    double from = 0, to = 0, step = 0;
    std::string from_unit, to_unit, step_unit;
    const bool numbers = split_number(node["from"].Scalar(), from, from_unit) &&
                         split_number(node["to"].Scalar(), to, to_unit) &&
                         split_number(node["step"].Scalar(), step, step_unit);
    if (!numbers) {
      errors.error(node.Mark(), key, "range bounds must be numbers (with an optional unit)", "e.g. {from: 1, to: 4, step: 1}");
      return values;
    }
    if (from_unit != to_unit || from_unit != step_unit) {
      errors.error(node.Mark(), key, "from, to and step must use the same unit",
                   "got '" + from_unit + "', '" + to_unit + "', '" + step_unit + "'");
      return values;
    }
    if (!(step > 0)) {
      errors.error(node["step"].Mark(), key + ".step", "step must be positive");
      return values;
    }
    if (to < from) {
      errors.error(node.Mark(), key, "empty range: 'to' is below 'from'");
      return values;
    }
    const auto count = static_cast<long long>(std::floor((to - from) / step + 1e-9)) + 1;
    if (count > 100000) {
      errors.error(node.Mark(), key, "range has " + std::to_string(count) + " values", "at most 100000");
      return values;
    }
    for (long long k = 0; k < count; ++k) values.push_back(format_number(from + static_cast<double>(k) * step, from_unit));
    return values;
  }
  errors.error(node.Mark(), key, "expected a list of values or a range {from, to, step}");
  return values;
}

// A plan file as read so far: its YAML and the keys sweep and search files share (version checked).
struct PlanHeader {
  YAML::Node root;
  PlanBasics basics;
};

PlanHeader read_plan_header(const std::filesystem::path& file, Collector& errors, const char* kind,
                            const std::vector<std::string>& own_keys, int min_replications) {
  PlanHeader header;
  // The scenario's reader checks the file first (a regular UTF-8 file, bounded aliases, no key written twice,
  // syntax errors in the scenario format); only then does yaml-cpp's node API, which follows aliases blindly,
  // see the text.
  std::vector<scenario::Diagnostic> problems;
  const auto text = scenario::read_input_text({file.string(), scenario::max_yaml_file_bytes, {}, ""}, problems);
  if (text) scenario::parse_yaml_document(*text, file.string(), problems);
  if (!problems.empty()) throw scenario::InputError(problems);
  try {
    header.root = YAML::Load(*text);
  } catch (const YAML::Exception& error) {   // the checks above have parsed this text: not expected
    throw std::runtime_error(file.string() + ": yaml-cpp refused a checked document: " + error.msg);
  }
  const YAML::Node& root = header.root;
  PlanBasics& basics = header.basics;
  basics.file = file;
  basics.name = file.stem().string();
  if (!root.IsMap()) {
    errors.error(root.Mark(), "", std::string("a ") + kind + " file is a map", "see docs/scenario.md");
    errors.throw_if_any();
  }
  std::vector<std::string> known = {"version", "name", "description", "scenario", "replications", "seed"};
  known.insert(known.end(), own_keys.begin(), own_keys.end());
  std::string listed;
  for (const auto& key : known) listed += (listed.empty() ? "" : ", ") + key;
  for (const auto& entry : root) {
    const auto key = entry.first.as<std::string>();
    if (std::find(known.begin(), known.end(), key) == known.end())
      errors.error(entry.first.Mark(), key, std::string("unknown key in a ") + kind + " file", "valid keys: " + listed);
  }
  if (!root["version"] || root["version"].Scalar() != "1")
    errors.error(root["version"] ? root["version"].Mark() : root.Mark(), "version",
                 std::string(kind) + " files need 'version: 1'");
  if (root["name"]) basics.name = root["name"].Scalar();
  if (!root["scenario"]) {
    errors.error(root.Mark(), "scenario", "missing the base scenario", "add 'scenario: path/to/scenario.yaml'");
  } else {
    basics.base_scenario = file.parent_path() / root["scenario"].Scalar();
    if (!std::filesystem::exists(basics.base_scenario))
      errors.error(root["scenario"].Mark(), "scenario", "no such file: " + basics.base_scenario.string());
  }
  if (const auto& node = root["replications"]) {
    try {
      const int replications = node.as<int>();
      if (replications < min_replications || replications > 10000) throw YAML::Exception(node.Mark(), "range");
      basics.replications = replications;
    } catch (const YAML::Exception&) {
      errors.error(node.Mark(), "replications",
                   "expected a whole number from " + std::to_string(min_replications) + " to 10000",
                   min_replications > 1 ? "a confidence bound needs at least 2 replications; 10 or more is sensible" : "");
    }
  }
  if (const auto& node = root["seed"]) {
    try {
      basics.seed = node.as<std::uint64_t>();
    } catch (const YAML::Exception&) {
      errors.error(node.Mark(), "seed", "expected a non-negative whole number");
    }
  }
  return header;
}

}  // namespace

std::string variant_label(int index) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "v%04d", index + 1);
  return buffer;
}

SweepPlan load_sweep(const std::filesystem::path& file) {
  Collector errors(file.string());
  const PlanHeader header = read_plan_header(file, errors, "sweep", {"grid", "zip"}, 1);
  const YAML::Node& root = header.root;
  SweepPlan plan;
  static_cast<PlanBasics&>(plan) = header.basics;

  std::vector<std::vector<std::string>> axes;   // each grid axis; the zip block is one more axis of rows
  std::set<std::string> seen_paths;
  auto read_parameter = [&](const YAML::Node& key_node, const YAML::Node& values_node, const std::string& block) {
    SweepParameter parameter;
    parameter.path = key_node.as<std::string>();
    parameter.origin = errors.at(values_node.Mark(), block + "." + parameter.path);
    if (!seen_paths.insert(parameter.path).second)
      errors.error(key_node.Mark(), block + "." + parameter.path, "path swept twice");
    parameter.values = expand_values(values_node, block + "." + parameter.path, errors);
    return parameter;
  };
  if (const auto& grid = root["grid"]) {
    if (!grid.IsMap()) errors.error(grid.Mark(), "grid", "expected a map of path: values");
    else
      for (const auto& entry : grid) {
        plan.parameters.push_back(read_parameter(entry.first, entry.second, "grid"));
        axes.push_back(plan.parameters.back().values);
      }
  }
  std::size_t zip_rows = 0;
  const std::size_t first_zip = plan.parameters.size();
  if (const auto& zip = root["zip"]) {
    if (!zip.IsMap()) errors.error(zip.Mark(), "zip", "expected a map of path: values");
    else
      for (const auto& entry : zip) {
        plan.parameters.push_back(read_parameter(entry.first, entry.second, "zip"));
        const std::size_t rows = plan.parameters.back().values.size();
        if (zip_rows == 0) zip_rows = rows;
        else if (rows != zip_rows)
          errors.error(entry.second.Mark(), "zip." + entry.first.as<std::string>(),
                       "has " + std::to_string(rows) + " values but the first zip column has " + std::to_string(zip_rows),
                       "zip columns advance together: give them equal lengths");
      }
  }
  errors.throw_if_any();

  // Cartesian product; the last grid axis varies fastest, then the zip rows.
  std::size_t total = 1;
  for (const auto& axis : axes) total *= axis.size();
  if (zip_rows > 0) total *= zip_rows;
  if (total > 1000000) throw scenario::InputError({{file.string(), 1, 1, "grid", "the sweep has " + std::to_string(total) + " variants", "at most 1000000"}});
  for (std::size_t index = 0; index < total; ++index) {
    Variant variant;
    variant.index = static_cast<int>(index);
    variant.scenario_path = plan.base_scenario;
    std::size_t rest = index;
    std::vector<std::string> chosen(plan.parameters.size());
    if (zip_rows > 0) {
      const std::size_t row = rest % zip_rows;
      rest /= zip_rows;
      for (std::size_t p = first_zip; p < plan.parameters.size(); ++p) chosen[p] = plan.parameters[p].values[row];
    }
    for (std::size_t axis = axes.size(); axis-- > 0;) {
      chosen[axis] = axes[axis][rest % axes[axis].size()];
      rest /= axes[axis].size();
    }
    for (std::size_t p = 0; p < plan.parameters.size(); ++p)
      variant.overrides.push_back(plan.parameters[p].path + "=" + chosen[p]);
    variant.values = chosen;
    plan.variants.push_back(std::move(variant));
  }
  return plan;
}

SearchPlan load_search(const std::filesystem::path& file) {
  Collector errors(file.string());
  const PlanHeader header = read_plan_header(file, errors, "search", {"target", "confidence", "vary"}, 2);
  const YAML::Node& root = header.root;
  SearchPlan plan;
  static_cast<PlanBasics&>(plan) = header.basics;
  if (const auto& node = root["confidence"]) {
    try {
      plan.confidence = node.as<double>();
      if (!(plan.confidence >= 0.5 && plan.confidence < 1)) throw YAML::Exception(node.Mark(), "range");
    } catch (const YAML::Exception&) {
      errors.error(node.Mark(), "confidence", "expected a probability in [0.5, 1)", "e.g. confidence: 0.95");
    }
  }
  const auto& target = root["target"];
  std::string_view target_unit;   // of the target's KPI, once known
  if (!target || !target.IsMap()) {
    errors.error(target ? target.Mark() : root.Mark(), "target", "missing the target",
                 "e.g. target: {kpi: within_target_rate, at_least: 0.9}");
  } else {
    for (const auto& entry : target) {
      const auto key = entry.first.as<std::string>();
      if (key != "kpi" && key != "at_least" && key != "at_most")
        errors.error(entry.first.Mark(), "target." + key, "unknown key in the target", "use kpi and at_least or at_most");
    }
    if (!target["kpi"]) {
      errors.error(target.Mark(), "target.kpi", "missing the KPI", "e.g. kpi: within_target_rate");
    } else {
      plan.target.kpi = target["kpi"].Scalar();
      const metrics::KpiInfo* info = metrics::find_kpi(plan.target.kpi);
      if (info != nullptr && plan.target.kpi.find('@') == std::string::npos) target_unit = info->unit;
      const char* renamed = metrics::renamed_kpi(plan.target.kpi);
      if (info == nullptr || plan.target.kpi.find('@') != std::string::npos)
        errors.error(target["kpi"].Mark(), "target.kpi", "unknown KPI '" + plan.target.kpi + "'",
                     renamed != nullptr
                         ? std::string("renamed: it is now ") + renamed
                         : "a name of summary.json, e.g. within_target_rate, on_time_closure_rate, response_min_p90");
    }
    if (static_cast<bool>(target["at_least"]) == static_cast<bool>(target["at_most"])) {
      errors.error(target.Mark(), "target", "give exactly one of at_least and at_most");
    } else {
      const auto& bound = target["at_least"] ? target["at_least"] : target["at_most"];
      plan.target.at_least = static_cast<bool>(target["at_least"]);
      const std::string bound_key = plan.target.at_least ? "target.at_least" : "target.at_most";
      // The same reading as a scenario's standards: in the KPI's unit, "30min" for minutes, 0.9 or 90% for shares.
      if (!bound.IsScalar()) {
        errors.error(bound.Mark(), bound_key, "expected a single value in the KPI's unit", "e.g. 0.9, 90% or 30min");
      } else if (!target_unit.empty()) {
        const scenario::Quantity value = scenario::parse_kpi_value(bound.Scalar(), std::string(target_unit));
        if (value.value) plan.target.value = *value.value;
        else errors.error(bound.Mark(), bound_key, value.error, value.hint);
      }
    }
  }
  const auto& vary = root["vary"];
  if (!vary || !vary.IsMap() || vary.size() == 0) {
    errors.error(vary ? vary.Mark() : root.Mark(), "vary", "missing the staff to vary",
                 "e.g. vary: {teams.grid_worker.per_unit: {from: 1, to: 6, step: 1}}");
  } else {
    for (const auto& entry : vary) {
      SweepParameter parameter;
      parameter.path = entry.first.as<std::string>();
      parameter.origin = errors.at(entry.second.Mark(), "vary." + parameter.path);
      parameter.values = expand_values(entry.second, "vary." + parameter.path, errors);
      plan.parameters.push_back(std::move(parameter));
    }
  }
  errors.throw_if_any();
  return plan;
}

}  // namespace civicgrid::experiment
