// levels.csv (see levels.cpp): per replication and level, closures, escalations, staff and utilisation; and
// hours.csv, the same run by weekday and hour. Both are tallies of metrics, only laid out here.
#pragma once

#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "metrics/replication_result.hpp"

namespace civicgrid::report {

std::string levels_csv(const std::vector<metrics::ReplicationResult>& results);
void write_levels_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results);

// hours.csv: per replication, weekday (0 = Monday) and hour of day when incidents became known, the responded
// incidents, those within target and their rate (empty when none responded): the weekday x hour view.
std::string hours_csv(const std::vector<metrics::ReplicationResult>& results);
void write_hours_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results);

// backlog.csv: per replication and sample time (hours of simulated time), the cases known and not yet closed.
std::string backlog_csv(const std::vector<metrics::ReplicationResult>& results);
void write_backlog_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results);

}  // namespace civicgrid::report
