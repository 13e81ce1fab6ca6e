// An incident as the engine holds it while it is open, and the stages of its life cycle with the only
// transitions allowed between them. Kept apart from World so that every handler reads the same definition of
// "where a case stands" instead of inferring it from its time stamps and flags.
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>
#include <vector>

#include "city/geometry.hpp"
#include "metrics/incident_log.hpp"
#include "metrics/observer.hpp"
#include "policy/dispatcher.hpp"

namespace civicgrid::engine {

// A time stamp the incident has not reached (yet).
constexpr double not_reached = std::numeric_limits<double>::quiet_NaN();

constexpr int max_tiers = 4;

// Where an incident stands in its life cycle. The engine moves it only along the transitions below; each
// handler asserts the stage it expects, so an impossible step fails loudly in debug builds (as JEMSS's
// handlers assert their state) instead of silently corrupting a count.
//   unknown ─┬─> registering ──> routing ─┬─> waiting ──> routing (staffed from the line, or timed out)
//            └──────────────────> routing └─> staffed ─┬─> routing (failed and escalated, interrupted)
//                                                       ├─> checking ─┬─> routing (返工) └─> closed
//                                                       └─> closed
enum class Stage : unsigned char { unknown, registering, routing, waiting, staffed, checking, closed };
const char* to_string(Stage stage);
constexpr bool allowed_transition(Stage from, Stage to) {
  switch (from) {
    case Stage::unknown: return to == Stage::registering || to == Stage::routing;
    case Stage::registering: return to == Stage::routing;
    case Stage::routing: return to == Stage::waiting || to == Stage::staffed;
    case Stage::waiting: return to == Stage::routing;
    case Stage::staffed: return to == Stage::routing || to == Stage::checking || to == Stage::closed;
    case Stage::checking: return to == Stage::routing || to == Stage::closed;
    case Stage::closed: return false;
  }
  return false;
}

struct Incident {
  std::int64_t id = 0;
  Stage stage = Stage::unknown;
  int type = 0;
  int grid = 0;
  int priority = 1;
  int tier = 0;                          // the tier now responsible for it
  int escalations = 0;                   // moves up because the level could not settle it (提级)
  int routed_off_hours = 0;              // moves up because nobody there was on duty (routing)
  int desk_member = -1;                  // the desk member registering or checking it now (staffed step)
  double desk_work_s = 0;                // that step's time, drawn when the case reached the step
  double step_due_s = std::numeric_limits<double>::infinity();   // its registration or check is due (inf: no limit)
  city::Point place;
  double service_s = 0;
  double failure_draw[max_tiers] = {};   // uniform per tier, drawn at occurrence (common random numbers)
  metrics::IncidentTimes times;
  std::vector<int> crew;                 // responders of the current generation
  int generation = 0;                    // bumped each time a new crew is sent (after an escalation)
  int crew_pending = 0;                  // crew members of the current generation still working
  double not_reported_draw = 1;          // information reporting, drawn at occurrence
  double platform_delay_s = 0;
  double t_platform_s = std::numeric_limits<double>::quiet_NaN();   // when its report reached the platform
  double household_u = 0;               // where in its grid (see city::Occurrence)
  metrics::KnownBy known_by = metrics::KnownBy::residents;
  std::vector<metrics::LifeStep> steps;  // dispatches, arrivals and escalations, for events.csv
  int reworks = 0;                       // rounds sent back by the platform's check (返工)
  double closure_deadline_s = 0;         // after t_known, on the clock (0 = none)
  double disposal_deadline_s = 0;
  bool disposed = false;                 // its first handling has ended
  // Work left after a crew was taken away mid-job (pre-empted or handed over at a shift's end); -1: the whole
  // service_s is still to do.
  double remaining_service_s = -1;
  double work_start_s = 0;               // when the current crew's work starts (every role on scene)
  double tier_since_s = 0;               // when it reached its current tier (known there, or escalated there)
  double waiting_since_s = 0;            // when it last joined a waiting line (time escalation counts from then)
  // When it could last be dispatched: registered (known, without a registration step), or back to routing after
  // a pre-emption, a hand-over, a failed handling or a rework. Until its next dispatch it is only ever routed (no
  // time passes) or in a line (escalations for no capacity or by time keep it there), so the time from here to
  // that dispatch is one spell of what queue_length_mean counts: the wait KPIs add up these spells.
  double dispatchable_since_s = 0;
  double preemption_retry_s = -1;        // a retry of pre-emption is scheduled for then (-1: none)
  // Whom it may draw on at its tier (the dispatch policy's widening, e.g. mutual aid); it widens once the
  // current wait (waiting_since_s) has lasted the tier's widening delay.
  policy::Reach reach = policy::Reach::own;
};

// Derived from the stage, never stored beside it.
inline bool is_known(const Incident& incident) { return incident.stage != Stage::unknown; }
inline bool is_closed(const Incident& incident) { return incident.stage == Stage::closed; }

// Moves the incident to `next`, asserting that the life cycle allows it.
inline void enter(Incident& incident, Stage next) {
  assert(allowed_transition(incident.stage, next) && "impossible life-cycle transition (engine/incident.hpp)");
  incident.stage = next;
}

}  // namespace civicgrid::engine
