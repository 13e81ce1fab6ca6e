// levels.csv (see levels.cpp): per replication and level, closures, escalations, staff and utilisation.
#pragma once

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "metrics/replication_result.hpp"

namespace civicgrid::report {

std::string levels_csv(const std::vector<metrics::ReplicationResult>& results);
void write_levels_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results);

}  // namespace civicgrid::report
