// One replication of a scenario on a fresh SimGrid engine. SimGrid allows one engine per process, so the
// experiment layer calls this in a child process; calling it twice in one process is a programming error.
#pragma once

#include <cstdint>
#include <string>

#include "city/city.hpp"
#include "metrics/replication_result.hpp"

namespace civicgrid::engine {

struct ReplicationOptions {
  int replication = 0;               // 0-based index: selects the random streams
  std::uint64_t seed = 1;            // master seed
  std::string incidents_csv_path;    // where to stream incident rows (no header); empty = do not write them
};

metrics::ReplicationResult run_replication(const scenario::Scenario& scenario, const city::City& city,
                                           const ReplicationOptions& options);

}  // namespace civicgrid::engine
