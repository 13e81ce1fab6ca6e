// The state one replication shares between its actors: open incidents, waiting lines per tier, responders'
// wake-up semaphores, the dispatcher and the observer. Actors are cooperative (they yield only inside
// simcalls), so this needs no locks. Each handler here is one event of the incident life cycle; actors call
// them and then pass simulated time with sleep_until or a semaphore.
#pragma once

#include <cstdint>
#include <limits>
#include <set>
#include <vector>

#include <simgrid/s4u/Semaphore.hpp>

#include "city/incident_stream.hpp"
#include "city/roster.hpp"
#include "metrics/incident_log.hpp"
#include "metrics/observer.hpp"
#include "policy/dispatcher.hpp"

namespace civicgrid::engine {

constexpr int max_tiers = 4;

struct Incident {
  std::int64_t id = 0;
  int type = 0;
  int grid = 0;
  int priority = 1;
  int tier = 0;                          // the tier now responsible for it
  int escalations = 0;
  city::Point place;
  double service_s = 0;
  double failure_draw[max_tiers] = {};   // uniform per tier, drawn at occurrence (common random numbers)
  metrics::IncidentTimes times;
  std::vector<int> crew;                 // responders of the current generation
  int generation = 0;                    // bumped each time a new crew is sent (after an escalation)
  int crew_pending = 0;                  // crew members of the current generation still working
  bool known = false;
  bool closed = false;
  double not_reported_draw = 1;          // information reporting, drawn at occurrence
  double platform_delay_s = 0;
  double t_platform_s = std::numeric_limits<double>::quiet_NaN();   // when its report reached the platform
};

// One rung of the escalation ladder: the level that leads there and the levels whose staff may be called.
struct Tier {
  policy::Dispatcher::LevelMask levels = 0;
  int highest_level = 0;
};

class World {
 public:
  World(const scenario::Scenario& scenario, const city::City& city, const city::Roster& roster,
        metrics::IncidentLog& log, std::uint64_t seed, int replication);

  // Event handlers, each called by the actor that holds the event at the current simulated time.
  // Returns the incident's slot when it becomes known only later (call incident_known then), else -1.
  int incident_occurs(int type, const city::Occurrence& occurrence, double now_s);
  void incident_known(int slot, double now_s);
  // Body of responder `responder`'s actor: wait for work, do it, take the next waiting one or head home.
  void responder_shift(int responder);
  // Called once at the horizon: closes the books; the result is then available from result().
  void close_at_horizon(int replication, std::uint64_t seed, double now_s);

  const metrics::ReplicationResult& result() const { return result_; }

 private:
  struct WaitingKey {
    int priority;
    double t_known_s;
    std::int64_t id;
    int slot;
    bool operator<(const WaitingKey& other) const {
      if (priority != other.priority) return priority < other.priority;
      if (t_known_s != other.t_known_s) return t_known_s < other.t_known_s;
      return id < other.id;
    }
  };

  int allocate_incident();
  void release_incident(int slot);
  // The first tier at or above `from` whose levels can supply every role the type needs; -1 if none.
  int qualified_tier(int type, int from) const;
  // Sends the incident to its tier (escalating when busy, if so configured) or puts it in line there.
  void route(int slot, double now_s, int acting_responder);
  // All-or-nothing: a free responder for every needed role at the incident's tier, or nothing at all.
  bool try_staff(int slot, double now_s, int acting_responder);
  bool must_wait_behind_others(int slot) const;
  void enqueue(int slot, double now_s);
  // A responder became free at its tier: serve the line in order, stopping at the first incident it could
  // help with but that cannot be fully staffed (so large joint responses are not starved).
  void serve_waiting(int responder, double now_s);
  // One tier's line; false when it stopped at an incident it could not fully staff.
  bool serve_line(int responder, int tier, double now_s);
  void finish_assignment(int responder, double now_s);
  // Body of a responder whose team works shifts: on duty shift by shift, finishing a job past the shift's end.
  void work_shifts(int responder, const scenario::Shift& shift, double availability);
  void end_trip_home(int responder, double now_s);
  enum class LogStatus { closed, open, not_yet_known, never_known };
  void log_incident(const Incident& incident, LogStatus status, double now_s);
  void report_to_platform(Incident& incident);
  // Wakes the responders that the handler just finished assigned (see the .cpp for why this waits).
  void wake_assigned();
  int closing_level(const Incident& incident) const;

  const scenario::Scenario& scenario_;
  const city::City& city_;
  const city::Roster& roster_;
  city::TravelModel travel_;
  policy::Dispatcher dispatcher_;
  metrics::ReplicationObserver observer_;
  metrics::IncidentLog& log_;
  std::uint64_t seed_;
  int replication_;
  std::vector<std::vector<int>> roles_of_type_;   // role ids, one per needed crew member
  std::vector<Tier> tiers_;
  std::vector<int> first_tier_of_type_;
  std::vector<std::vector<int>> next_tier_;             // [type][tier] next qualified tier, -1 at the top
  int lowest_tier_of_level_[4] = {0, 0, 0, 0};         // the first tier that may call on a level's staff

  std::vector<Incident> incidents_;       // a pool: slots are reused, so memory follows the open count
  std::vector<char> slot_in_use_;
  std::vector<int> free_slots_;
  std::int64_t next_incident_id_ = 0;
  std::int64_t open_count_ = 0;
  std::vector<std::set<WaitingKey>> waiting_;          // per tier
  std::vector<std::vector<int>> waiting_role_count_;   // [tier][role] waiting incidents that need the role
  std::int64_t waiting_count_ = 0;
  std::vector<int> to_wake_;     // responders assigned by the running handler, woken when it is done
  std::vector<int> crew_scratch_;      // try_staff()'s working space
  std::vector<double> travel_scratch_;

  struct ResponderRuntime {
    simgrid::s4u::SemaphorePtr wake;
    int incident = -1;                    // slot it works on, -1 when free
    int generation = 0;                   // the incident's crew generation it belongs to
    double busy_until_s = 0;              // when its part of the work ends
    double back_from_s = 0;               // open "back to base" interval, when back_until_s > back_from_s
    double back_until_s = 0;
    double duty_start_s = std::numeric_limits<double>::infinity(); // start of the current shift, if on one
    double duty_end_s = std::numeric_limits<double>::infinity();   // end of the current shift
  };
  std::vector<ResponderRuntime> runtime_;
  metrics::ReplicationResult result_;
};

}  // namespace civicgrid::engine
