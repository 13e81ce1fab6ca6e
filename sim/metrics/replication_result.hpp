// What one replication hands back to the experiment layer: its KPIs and per-grid / per-responder tallies.
// A replication runs in a child process, so this value crosses a process boundary as JSON (to_json/from_json);
// it is the only contract between engine/ and experiment/ + report/.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace civicgrid::metrics {

// Per grid, incidents that occurred after the warm-up.
struct GridTally {
  int grid = 0;                     // numeric id, row * cols + col
  std::string grid_id;              // e.g. "G0012"
  std::string community_id;         // e.g. "C03"
  std::string town_id;              // e.g. "T01"
  double residents = 0;
  std::int64_t incidents = 0;       // occurred after warm-up
  std::int64_t responded = 0;       // of those, reached on scene before the horizon
  std::int64_t within_target = 0;   // of those responded, response <= the type's target
  double response_min_sum = 0;      // sum of response times of the responded ones, minutes
  // Mutual aid (ReplicationResult::mutual_aid only): responded cases of other grids this grid's members led
  // (given), and this grid's responded cases led by another grid's member (received).
  std::int64_t assists_given = 0;
  std::int64_t assists_received = 0;
  // Coverage of the grid's residents (metrics/coverage.hpp, the whole service): static, and dynamic
  // averaged over the samples; NaN for a grid without residents.
  double static_coverage_rate = 0;
  double dynamic_coverage_rate = 0;
  // 入户覆盖率: households of the visit programmes visited at least once in the window; NaN without a programme.
  double visit_coverage_rate = 0;
};

// Per responder, time split over the statistics window [warm-up, horizon].
struct ResponderTally {
  int responder = 0;
  std::string team;
  std::string level;                // "grid", "community", "town" or "city"
  std::string unit;                 // id of the unit it belongs to, e.g. "C03" or "G0012"
  double travel_min = 0;            // travelling to incidents
  double on_scene_min = 0;
  double return_min = 0;            // travelling back to base
  double idle_min = 0;
  double on_duty_min = 0;           // length of the window it was on duty
  std::int64_t incidents_served = 0;
};

// Responded incidents by the weekday and hour they became known (time 0 is Monday 00:00), for the weekday x
// hour view of the within-target rate: index weekday * 24 + hour.
struct HourTally {
  std::int64_t responded = 0;
  std::int64_t within_target = 0;
};

// Cases known and not yet closed at a sample time (every coverage.sample_every inside the window).
struct BacklogSample {
  double t_h = 0;
  std::int64_t open_known = 0;
};

// Responded incidents of one type by response time, in the bins of response_bin_upper_min() (histogram.hpp).
struct TypeResponses {
  std::string type;
  std::vector<std::int64_t> responded_by_bin;   // response_bin_count() entries
};

struct ReplicationResult {
  int replication = 0;              // 0-based
  std::uint64_t seed = 0;           // the seed its streams were derived from (the master seed)
  // Ordered (name, value) pairs; names come from kpi_catalogue() in kpis.hpp. NaN means "not defined here"
  // (e.g. no incident responded); it is written as null.
  std::vector<std::pair<std::string, double>> kpis;
  bool mutual_aid = false;          // dispatch.mutual_aid was set: the grids' assist counts mean something
  std::vector<GridTally> grids;
  std::vector<ResponderTally> responders;
  std::vector<HourTally> week_hours;   // 7 x 24, see HourTally
  std::vector<BacklogSample> backlog;  // in time order
  std::vector<TypeResponses> responses;   // per incident type, in the scenario's order
};

std::string to_json(const ReplicationResult& result);
ReplicationResult replication_result_from_json(const std::string& text);

}  // namespace civicgrid::metrics
