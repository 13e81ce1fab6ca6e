// The steps of an incident's life as values. A handler changes the incident's state and then records the step
// it took, once, with World::record(); that one call feeds the KPI tallies (metrics::ReplicationObserver), the
// incident's event rows (events.csv) and, at a final step, its incidents.csv row. Before this, each handler
// wrote the three by hand and a test had to check that they agreed; now they cannot disagree.
#pragma once

#include "metrics/observer.hpp"

namespace civicgrid::engine::life_events {

// It happened (known or not).
struct Occurred {
  double t_s;
};
// Nobody reports it, nothing can find it and it develops into nothing: it leaves the books at once.
struct NeverKnown {
  double t_s;
};
// Still unknown, it became an incident of another type (the new incident is recorded on its own).
struct Developed {
  double t_s;
};
// It became known (incident.known_by says how) at the tier where it starts.
struct Known {
  double t_s;
};
// A desk member (case_flow.registration_by) began registering it.
struct RegistrationStarted {
  double t_s;
  int registrar;
};
// A desk member (case_flow.check_by) began checking it (核查).
struct CheckStarted {
  double t_s;
  int checker;
};
// The platform registered it (受理/立案): dispatch may start. `registrar`: the desk member, or -1 (a delay).
struct Registered {
  double t_s;
  int registrar = -1;
};
// It left the tier led by `from_level` after `at_level_s` there, and is now at its next tier.
struct Escalated {
  double t_s;
  metrics::EscalationCause cause;
  int from_level;
  double at_level_s;
};
// It waited its tier's widening delay: the dispatch policy's wider reach (mutual aid) applies from now on.
struct ReachWidened {
  double t_s;
};
// A crew was sent; `lead` arrives first. Arrival times are already fixed at dispatch.
struct Dispatched {
  double t_s;
  int lead;
  int crew_size;
  bool first_dispatch;
  double lead_distance_m;      // from where the lead set out (first dispatch only)
  double first_arrival_s;
  double team_arrival_s;
};
// Its first handling ended (处置), whatever comes next.
struct Disposed {
  double t_s;
};
// Handled and handed to the platform's check (核查) by `responder`.
struct HandedToCheck {
  double t_s;
  int responder;
};
// The check sent it back for another round (返工).
struct Reworked {
  double t_s;
};
// Its crew stopped work (pre-empted by a more urgent case, or handed over at a shift's end); `member` is the
// one called away or going off duty.
struct Interrupted {
  double t_s;
  metrics::Interruption why;
  int member;
};
// Closed (结案), then reported to the platform as its reporting policy decides.
struct Closed {
  double t_s;
};
// Still open (or not yet known) when the run ends.
struct OpenAtHorizon {
  double t_s;
};

}  // namespace civicgrid::engine::life_events
