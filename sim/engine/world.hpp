// The state one replication shares between its actors: open incidents, waiting lines, responders' wake-up
// semaphores, the dispatcher and the observer. Actors are cooperative (they yield only inside simcalls), so
// this needs no locks. Each handler here is one event of the incident life cycle; actors call them and then
// pass simulated time with sleep_until or a semaphore.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include <simgrid/s4u/Semaphore.hpp>

#include "city/incident_stream.hpp"
#include "city/roster.hpp"
#include "metrics/incident_log.hpp"
#include "metrics/observer.hpp"
#include "policy/dispatcher.hpp"

namespace civicgrid::engine {

struct Incident {
  std::int64_t id = 0;
  int type = 0;
  int role = 0;
  int grid = 0;
  city::Point place;
  double service_s = 0;
  metrics::IncidentTimes times;
  int responder = -1;
};

class World {
 public:
  World(const scenario::Scenario& scenario, const city::City& city, const city::Roster& roster,
        metrics::IncidentLog& log);

  // Event handlers, each called by the actor that holds the event at the current simulated time.
  void incident_occurs(int type, const city::Occurrence& occurrence, double now_s);
  // Body of responder `responder`'s actor: wait for work, do it, take the next waiting one or head home.
  void responder_shift(int responder);
  // Called once at the horizon: closes the books; the result is then available from result().
  void close_at_horizon(int replication, std::uint64_t seed, double now_s);

  const metrics::ReplicationResult& result() const { return result_; }

 private:
  int allocate_incident();
  void assign(int responder, int slot, double travel_s, double now_s);
  void incident_closed(int responder, double now_s);
  std::optional<int> oldest_waiting_for(int responder) const;
  void log_incident(const Incident& incident, bool open, double now_s);

  const scenario::Scenario& scenario_;
  const city::City& city_;
  const city::Roster& roster_;
  city::TravelModel travel_;
  policy::Dispatcher dispatcher_;
  metrics::ReplicationObserver observer_;
  metrics::IncidentLog& log_;
  std::vector<int> role_of_type_;

  std::vector<Incident> incidents_;       // a pool: slots are reused, so memory follows the open count
  std::vector<char> slot_in_use_;
  std::vector<int> free_slots_;
  std::int64_t next_incident_id_ = 0;
  std::int64_t open_count_ = 0;
  std::vector<std::deque<int>> waiting_by_role_;
  std::int64_t waiting_count_ = 0;

  struct ResponderRuntime {
    simgrid::s4u::SemaphorePtr wake;
    int incident = -1;                    // slot it works on, -1 when free
    double back_from_s = 0;               // open "back to base" interval, when back_until_s > back_from_s
    double back_until_s = 0;
  };
  std::vector<ResponderRuntime> runtime_;
  metrics::ReplicationResult result_;
};

}  // namespace civicgrid::engine
