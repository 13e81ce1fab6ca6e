// The "how this was obtained" data of the experiment reports (html_provenance.hpp). Variants assembled from runs
// carry the manifest of the command that assembled them, so the first readable manifest speaks for the whole
// folder; seeds and replication counts are gathered from every source and shown as they are, so a folder mixed
// from several commands (--resume with other settings) shows the mix instead of hiding it.
#include "report/html_provenance.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "report/html_util.hpp"

namespace civicgrid::report::detail {
namespace {

namespace fs = std::filesystem;

bool safe_label(const std::string& label) {
  return !label.empty() && label.find('/') == std::string::npos && label.find('\\') == std::string::npos &&
         label.find("..") == std::string::npos;
}

void add_unique(Json& list, const std::string& value) {
  if (value.empty()) return;
  for (const Json& item : list)
    if (item == value) return;
  list.push_back(value);
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Json experiment_provenance(const fs::path& dir, const std::vector<std::string>& labels, const ProvenanceHints& hints) {
  Json method;
  Json seeds = Json::array();
  for (const std::string& seed : hints.seeds) add_unique(seeds, seed);
  std::vector<long long> replications = hints.replications;

  // runs.csv (sweeps): one row per run, with its seed.
  long long runs_in_table = -1;
  if (CsvReader csv(dir / "runs.csv"); csv.ok()) {
    csv.require({"variant", "seed"});
    const int c_variant = csv.column("variant"), c_seed = csv.column("seed");
    std::map<std::string, long long> per_variant;
    runs_in_table = 0;
    while (csv.next()) {
      ++runs_in_table;
      ++per_variant[csv.text(c_variant)];
      csv.number(c_seed);
      add_unique(seeds, csv.text(c_seed));
    }
    for (const auto& [label, count] : per_variant) replications.push_back(count);
  }

  // The variants' manifests.
  Json first_manifest;
  Json versions = Json::array(), revisions = Json::array();
  double wall = 0;
  bool wall_recorded = false;
  std::string started;
  long long manifest_runs = 0;
  int found = 0;
  Json scenarios = Json::array();
  for (const std::string& label : labels) {
    if (!safe_label(label)) continue;
    const Json manifest = read_json(dir / "variants" / label / "manifest.json");
    if (!manifest.is_object()) continue;
    ++found;
    if (hints.per_variant_scenarios)
      scenarios.push_back({{"variant", label}, {"scenario", json_string(manifest, "scenario")},
                           {"scenario_path", json_string(manifest, "scenario_path")}});
    if (first_manifest.is_null()) first_manifest = manifest;
    add_unique(versions, json_string(manifest, "civicgrid_version"));
    add_unique(revisions, json_string(manifest, "git_revision"));
    add_unique(seeds, json_string(manifest, "seed"));
    const double n = json_double(manifest.value("replications", Json()));
    if (std::isfinite(n)) {
      if (runs_in_table < 0) replications.push_back(static_cast<long long>(n));
      manifest_runs += static_cast<long long>(n);
    }
    // Variants assembled from runs record no wall time of their own (0): only positive times count.
    const double seconds = json_double(manifest.value("wall_time_s", Json()));
    if (std::isfinite(seconds) && seconds > 0) {
      wall += seconds;
      wall_recorded = true;
    }
    const std::string at = json_string(manifest, "started_utc");
    if (!at.empty() && (started.empty() || at < started)) started = at;
  }

  const std::string base_label = labels.empty() ? std::string() : labels.front();
  Json base;
  base["variant"] = base_label;
  base["scenario"] = json_string(first_manifest, "scenario");
  base["scenario_path"] = json_string(first_manifest, "scenario_path");
  base["source_files"] = first_manifest.is_object() && first_manifest.contains("source_files") &&
                                 first_manifest["source_files"].is_array()
                             ? first_manifest["source_files"]
                             : Json::array();
  method["base"] = std::move(base);

  // The command line: the plan or scenario files it names, and its --set overrides.
  const Json argv = first_manifest.is_object() && first_manifest.contains("argv") && first_manifest["argv"].is_array()
                        ? first_manifest["argv"]
                        : Json::array();
  Json inputs = Json::array(), overrides = Json::array();
  for (std::size_t i = 2; i < argv.size(); ++i) {
    const std::string argument = string_of(argv[i]);
    if (argument == "--set" && i + 1 < argv.size()) add_unique(overrides, string_of(argv[++i]));
    else if (argument.rfind("--set=", 0) == 0) add_unique(overrides, argument.substr(6));
    else if (argument.rfind("-", 0) != 0 && (ends_with(argument, ".yaml") || ends_with(argument, ".yml")))
      inputs.push_back(argument);
  }
  method["inputs"] = std::move(inputs);
  method["overrides"] = std::move(overrides);

  const std::string resolved = safe_label(base_label) ? "variants/" + base_label + "/scenario.resolved.yaml" : "";
  method["resolved"] = {{"file", resolved}, {"present", !resolved.empty() && fs::exists(dir / resolved)}};
  method["varied"] = hints.varied;
  method["seeds"] = std::move(seeds);
  if (replications.empty()) {
    method["replications"] = nullptr;
  } else {
    const auto [low, high] = std::minmax_element(replications.begin(), replications.end());
    method["replications"] = {{"min", *low}, {"max", *high}};
  }
  Json runs = hints.runs.is_object() ? hints.runs : Json{{"total", nullptr}, {"reused", nullptr}, {"ran", nullptr}};
  if (runs["total"].is_null()) {
    if (runs_in_table >= 0) runs["total"] = runs_in_table;
    else if (found > 0 && found == static_cast<int>(labels.size())) runs["total"] = manifest_runs;
  }
  runs["variants"] = labels.size();
  method["runs"] = std::move(runs);
  method["versions"] = std::move(versions);
  method["git_revisions"] = std::move(revisions);
  method["jobs"] = first_manifest.is_object() ? first_manifest.value("jobs", Json(nullptr)) : Json(nullptr);
  method["started_utc"] = started;
  method["wall_time_s"] = wall_recorded ? num(wall) : Json(nullptr);
  method["argv"] = argv;
  method["manifests"] = {{"found", found}, {"variants", labels.size()}};
  if (hints.per_variant_scenarios) method["scenarios"] = std::move(scenarios);
  return method;
}

}  // namespace civicgrid::report::detail
