// Child side: run_replication, then write the result JSON through a temporary name and rename it, so a
// half-written file is never read as a result. Parent side: read them back in order, and join the incident
// parts (interruptible between parts).
#include "experiment/replications.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "engine/replication.hpp"
#include "metrics/incident_log.hpp"
#include "report/result_folder.hpp"

namespace civicgrid::experiment {
namespace {

std::filesystem::path numbered(const std::filesystem::path& dir, const char* stem, int replication,
                               const char* extension) {
  char name[64];
  std::snprintf(name, sizeof name, "%s-%05d.%s", stem, replication + 1, extension);
  return dir / name;
}


std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing replication output " + path.string());
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

std::filesystem::path incidents_part_path(const std::filesystem::path& work_dir, int replication) {
  return numbered(work_dir, "incidents", replication, "csv");
}

std::vector<metrics::ReplicationResult> run_replications(const scenario::Scenario& scenario, const city::City& city,
                                                         const ReplicationPlan& plan) {
  run_in_child_processes(
      plan.replications, plan.jobs,
      [&](int task) {
        const int replication = plan.first_replication + task;
        engine::ReplicationOptions options;
        options.replication = replication;
        options.seed = plan.seed;
        if (plan.write_incidents) options.incidents_csv_path = incidents_part_path(plan.work_dir, replication);
        const auto result = engine::run_replication(scenario, city, options);
        report::write_text_file(numbered(plan.work_dir, "rep", replication, "json"), metrics::to_json(result));
      },
      plan.on_progress);
  std::vector<metrics::ReplicationResult> results;
  results.reserve(plan.replications);
  for (int replication = plan.first_replication; replication < plan.first_replication + plan.replications; ++replication)
    results.push_back(metrics::replication_result_from_json(read_file(numbered(plan.work_dir, "rep", replication, "json"))));
  return results;
}

namespace {

void concatenate(const std::vector<std::filesystem::path>& parts, const std::filesystem::path& destination,
                 const char* header) {
  std::ofstream out(destination, std::ios::binary);
  out << header;
  for (const auto& path : parts) {
    std::ifstream part(path, std::ios::binary);
    if (!part) throw std::runtime_error("missing incident rows " + path.string());
    throw_if_interrupted();   // long for big runs: SIGINT/SIGTERM need not wait for the last part
    // Chunked copy: `out << part.rdbuf()` would flag an error on an empty part (a quiet replication).
    char buffer[1 << 16];
    while (part.read(buffer, sizeof buffer) || part.gcount() > 0) out.write(buffer, part.gcount());
  }
  if (!out.flush()) throw std::runtime_error("cannot write " + destination.string());
}

}  // namespace

void concatenate_incident_parts(const std::vector<std::filesystem::path>& parts,
                                const std::filesystem::path& destination,
                                const std::filesystem::path& events_destination) {
  concatenate(parts, destination, metrics::IncidentLog::header());
  if (events_destination.empty()) return;
  std::vector<std::filesystem::path> events;
  for (const auto& part : parts) events.emplace_back(metrics::IncidentLog::events_path_for(part.string()));
  concatenate(events, events_destination, metrics::IncidentLog::events_header());
}

}  // namespace civicgrid::experiment
