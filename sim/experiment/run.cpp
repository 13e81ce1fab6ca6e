// Assembles a result folder: replications in child processes (their parts land in a hidden .parts folder),
// then summary, tidy CSVs, the resolved scenario and the manifest, then the seal (file sizes and checksums in
// the manifest) and one rename. SIGINT/SIGTERM are looked at between the steps, so an interrupted assembly
// unwinds and its temporary folder goes with it.
#include "experiment/run.hpp"

#include "metrics/standards.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

#include "city/city.hpp"
#include "experiment/progress.hpp"
#include "experiment/replications.hpp"
#include "report/html_report.hpp"
#include "report/levels.hpp"
#include "report/result_folder.hpp"
#include "report/writers.hpp"
#include "scenario/loader.hpp"

#ifndef CIVICGRID_VERSION
#define CIVICGRID_VERSION "0.0.0"
#endif
#ifndef CIVICGRID_GIT_REVISION
#define CIVICGRID_GIT_REVISION "unknown"
#endif

namespace civicgrid::experiment {

const char* tool_version() { return CIVICGRID_VERSION; }
const char* git_revision() { return CIVICGRID_GIT_REVISION; }

std::string utc_now_iso8601() {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::vector<metrics::KpiSummary> assemble_result_files(const std::filesystem::path& dir,
                                                       const scenario::Scenario& scenario,
                                                       const std::vector<metrics::ReplicationResult>& results,
                                                       const std::vector<std::filesystem::path>& incident_parts,
                                                       const std::vector<std::string>& argv, int jobs,
                                                       double wall_time_s, const std::string& final_path,
                                                       const std::string& report_lang) {
  const auto summaries = metrics::summarise(results);
  throw_if_interrupted();
  if (!incident_parts.empty()) concatenate_incident_parts(incident_parts, dir / "incidents.csv", dir / "events.csv");
  throw_if_interrupted();
  report::write_replications_csv(dir, results);
  report::write_grids_csv(dir, results);
  report::write_grid_summary_csv(dir, results);
  throw_if_interrupted();
  report::write_teams_csv(dir, results);
  report::write_levels_csv(dir, results);
  report::write_hours_csv(dir, results);
  report::write_backlog_csv(dir, results);
  report::write_responses_csv(dir, results);
  throw_if_interrupted();
  report::write_layout_geojson(dir, scenario);
  report::write_text_file(dir / "scenario.resolved.yaml", scenario.resolved_yaml);
  report::RunInfo info;
  info.tool_version = tool_version();
  info.git_revision = git_revision();
  info.scenario_name = scenario.name;
  info.scenario_path = scenario.source_files.empty() ? std::string() : scenario.source_files.front();
  info.source_files = scenario.source_files;
  info.argv = argv;
  info.seed = scenario.run.seed;
  info.replications = scenario.run.replications;
  info.jobs = jobs;
  info.wall_time_s = wall_time_s;
  info.started_utc = utc_now_iso8601();
  info.output_dir = final_path;
  info.verdict = metrics::verdict_json(metrics::judge(summaries, metrics::effective_standards(scenario)));
  report::write_summary_json(dir, info, summaries);
  report::write_manifest_json(dir, info);
  throw_if_interrupted();
  report::write_run_report(dir, report_lang);   // reads the files above
  throw_if_interrupted();
  return summaries;
}

scenario::Scenario with_precision_replications(const scenario::Scenario& scenario, int replications,
                                               const PrecisionGoal& goal) {
  scenario::Scenario ran = scenario;
  ran.run.replications = replications;
  char reason[160];
  std::snprintf(reason, sizeof reason, "replications chosen by --precision %g on %s (cap %d)", goal.relative_error,
                goal.kpi.c_str(), goal.max_replications);
  ran.resolved_yaml = scenario::resolved_yaml_with(scenario.resolved_yaml,
                                                   "run.replications=" + std::to_string(replications), reason);
  return ran;
}

std::unique_ptr<report::ResultFolder> open_result_folder(const std::filesystem::path& out_dir,
                                                         const std::filesystem::path& results_root,
                                                         const std::string& name) {
  if (!out_dir.empty()) return std::make_unique<report::ResultFolder>(out_dir, report::WriterLock::beside);
  // Temporaries and lock files that killed runs left among this name's results (the folder is civicgrid's own).
  report::remove_stale_temporaries(results_root / report::safe_folder_name(name));
  report::remove_stale_locks(results_root / report::safe_folder_name(name));
  // Two runs that start in the same second pick the same name: the one that finds it locked takes the next.
  for (int attempt = 0;; ++attempt) {
    try {
      return std::make_unique<report::ResultFolder>(
          report::default_result_path(results_root, name, std::chrono::system_clock::now()), report::WriterLock::beside);
    } catch (const scenario::InputError&) {
      if (attempt >= 20) throw;
    }
  }
}

RunOutcome run_to_folder(const scenario::Scenario& scenario, const RunOptions& options) {
  const auto clock_start = std::chrono::steady_clock::now();
  const city::City city = city::City::build(scenario);

  const auto held = open_result_folder(options.out_dir, options.results_root, scenario.name);
  report::ResultFolder& folder = *held;
  const std::filesystem::path final_path = folder.final_path();
  const std::filesystem::path parts = folder.path() / ".parts";
  std::filesystem::create_directories(parts);

  RunOutcome outcome;
  ProgressLine progress("replications", options.show_progress);
  ReplicationPlan plan;
  plan.replications = scenario.run.replications;
  if (options.precision) plan.replications = std::max(plan.replications, options.precision->min_replications);
  plan.seed = scenario.run.seed;
  plan.jobs = options.jobs;
  plan.work_dir = parts;
  plan.write_incidents = options.write_incidents;
  plan.on_progress = [&](const PoolProgress& p) { progress.update(plan.first_replication + p.done, plan.first_replication + p.total); };
  auto results = run_replications(scenario, city, plan);
  int replications = plan.replications;
  // The sequential procedure (precision.hpp): more replications, with the next indices, until precise.
  while (options.precision) {
    const auto check = check_precision(metrics::summarise(results), *options.precision);
    outcome.precision_note = describe(check, *options.precision, replications);
    if (check.met || replications >= options.precision->max_replications) break;
    plan.first_replication = replications;
    plan.replications = next_replication_count(replications, options.jobs, *options.precision) - replications;
    for (auto& more : run_replications(scenario, city, plan)) results.push_back(std::move(more));
    replications += plan.replications;
  }
  progress.finish();
  const scenario::Scenario ran = options.precision && replications != scenario.run.replications
                                     ? with_precision_replications(scenario, replications, *options.precision)
                                     : scenario;

  std::vector<std::filesystem::path> incident_parts;
  if (options.write_incidents)
    for (int replication = 0; replication < replications; ++replication)
      incident_parts.push_back(incidents_part_path(parts, replication));
  outcome.replications = replications;
  outcome.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  outcome.summaries = assemble_result_files(folder.path(), ran, results, incident_parts, options.argv,
                                            options.jobs, outcome.wall_time_s, final_path.string(),
                                            options.report_lang);
  std::filesystem::remove_all(parts);
  throw_if_interrupted();
  folder.commit();
  outcome.folder = final_path;
  return outcome;
}

}  // namespace civicgrid::experiment
