// One replication of a scenario on a fresh SimGrid engine. SimGrid allows one engine per process, so the
// experiment layer calls this in a child process; calling it twice in one process is a programming error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "city/city.hpp"
#include "metrics/replication_result.hpp"

namespace civicgrid::engine {

struct ReplicationOptions {
  int replication = 0;               // 0-based index: selects the random streams
  std::uint64_t seed = 1;            // master seed
  std::string incidents_csv_path;    // where to stream incident rows (no header); empty = do not write them
};

// SimGrid configuration for every engine of this process, from the environment variable below: settings
// separated by spaces, each as SimGrid's --cfg takes it ("contexts/factory:thread network/model:CM02"). Set after
// civicgrid's own, so they override them. Throws std::invalid_argument for a word that is not key:value.
inline constexpr const char* simgrid_settings_variable = "CIVICGRID_SIMGRID_CFG";
std::vector<std::string> simgrid_settings_from_environment();

metrics::ReplicationResult run_replication(const scenario::Scenario& scenario, const city::City& city,
                                           const ReplicationOptions& options);

}  // namespace civicgrid::engine
