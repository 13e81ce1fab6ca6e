// Replications of one scenario, each in its own child process with its own SimGrid engine. A child writes its
// result (JSON) and its incident rows (CSV part) into `work_dir`; the parent reads them back in replication
// order, so nothing depends on -j or on which child finished first.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "city/city.hpp"
#include "experiment/process_pool.hpp"
#include "metrics/replication_result.hpp"

namespace civicgrid::experiment {

struct ReplicationPlan {
  int first_replication = 0;                 // runs replications first_replication .. first_replication + replications - 1
  int replications = 1;
  std::uint64_t seed = 1;
  int jobs = 1;
  std::filesystem::path work_dir;            // must exist; children write rep-NNNN.json and incidents-NNNN.csv
  bool write_incidents = true;
  std::function<void(const PoolProgress&)> on_progress;
};

std::vector<metrics::ReplicationResult> run_replications(const scenario::Scenario& scenario, const city::City& city,
                                                         const ReplicationPlan& plan);

std::filesystem::path incidents_part_path(const std::filesystem::path& work_dir, int replication);

// Streams the header and then every part, in the order given, into `destination`; the events of the same
// replications (IncidentLog::events_path_for each part) into `events_destination`, if not empty.
void concatenate_incident_parts(const std::vector<std::filesystem::path>& parts,
                                const std::filesystem::path& destination,
                                const std::filesystem::path& events_destination = {});

}  // namespace civicgrid::experiment
