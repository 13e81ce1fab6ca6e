// Watches one replication and turns what happens into the KPIs of kpis.hpp. It only counts: the engine tells
// it what happened and when; it never decides anything. Everything is clipped to the statistics window
// [warm-up, horizon], and memory does not grow with the number of incidents.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "city/city.hpp"
#include "city/roster.hpp"
#include "metrics/histogram.hpp"
#include "metrics/replication_result.hpp"

namespace civicgrid::metrics {

// The time stamps of one incident (DESIGN.md §5), seconds; NaN where not reached.
struct IncidentTimes {
  double t_occur_s;
  double t_known_s;
  double t_dispatch_s;
  double t_on_scene_s;
  double t_closed_s;
};

enum class ResponderActivity { travel, on_scene, back_to_base };

class ReplicationObserver {
 public:
  ReplicationObserver(const scenario::Scenario& scenario, const city::City& city, const city::Roster& roster);

  void incident_occurred(double t_occur_s, int grid);
  // First responder on scene (called once per incident, only if that happens before the horizon).
  void incident_responded(const IncidentTimes& times, int grid, double target_s);
  void incident_closed(const IncidentTimes& times);
  // The number of incidents waiting for a responder changed to `waiting` at `now_s`.
  void queue_changed(double now_s, std::int64_t waiting);
  // A responder spent [start_s, end_s) doing `activity` (intervals may reach past the horizon: clipped).
  void responder_busy(int responder, ResponderActivity activity, double start_s, double end_s);
  void responder_served(int responder, double t_occur_s);

  ReplicationResult finish(int replication, std::uint64_t seed, std::int64_t backlog_at_end) const;

 private:
  double clipped_s(double start_s, double end_s) const;
  bool counted(double t_occur_s) const { return t_occur_s >= warmup_s_; }

  double warmup_s_;
  double horizon_s_;
  const city::City& city_;
  const city::Roster& roster_;
  const scenario::Scenario& scenario_;

  std::int64_t incidents_ = 0;
  std::int64_t responded_ = 0;
  std::int64_t within_target_ = 0;
  std::int64_t waited_ = 0;
  std::int64_t closed_ = 0;
  double response_sum_s_ = 0;
  double wait_sum_s_ = 0;
  double travel_sum_s_ = 0;
  double on_scene_sum_s_ = 0;
  DurationHistogram response_histogram_;

  double queue_area_ = 0;            // integral of the waiting count over the window, incident-seconds
  double queue_last_change_s_ = 0;
  std::int64_t queue_waiting_ = 0;

  std::vector<GridTally> grids_;
  struct Busy {
    double travel_s = 0;
    double on_scene_s = 0;
    double back_s = 0;
    std::int64_t served = 0;
  };
  std::vector<Busy> responders_;
};

}  // namespace civicgrid::metrics
