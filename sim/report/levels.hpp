// levels.csv (see levels.cpp): per replication and level, closures, escalations, staff and utilisation; and
// hours.csv, the same run by weekday and hour; backlog.csv over time; responses.csv, the response times by type
// in metrics' bins. All are tallies of metrics, only laid out here.
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

// responses.csv: per replication and incident type, the responded incidents whose response time (on scene -
// known) falls in each bin of metrics::response_bin_upper_min(): lower_min < response <= upper_min, upper_min
// empty for the open-ended last bin. Only bins holding incidents have a row.
std::string responses_csv(const std::vector<metrics::ReplicationResult>& results);
void write_responses_csv(const std::filesystem::path& dir, const std::vector<metrics::ReplicationResult>& results);

}  // namespace civicgrid::report
