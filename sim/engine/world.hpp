// The state one replication shares between its actors: open incidents, waiting lines per tier, responders'
// wake-up semaphores, the dispatcher and the observer. Actors are cooperative (they yield only inside
// simcalls), so this needs no locks. Each handler here is one event of the incident life cycle; actors call
// them and then pass simulated time with sleep_until or a semaphore.
#pragma once

#include <cassert>
#include <cmath>
#include <cstdint>
#include <deque>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <vector>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Semaphore.hpp>

#include "city/calendar.hpp"
#include "city/incident_stream.hpp"
#include "city/roster.hpp"
#include "engine/incident.hpp"
#include "engine/life_events.hpp"
#include "metrics/incident_log.hpp"
#include "metrics/observer.hpp"
#include "policy/dispatcher.hpp"
#include "policy/escalation.hpp"
#include "policy/visits.hpp"

namespace civicgrid::engine {

// Something due for an incident at t_s, kept in a time-ordered heap (DueSteps). Ties go by incident id, then
// by kind, so the order never depends on the order of insertion. The id guards against a reused slot.
template <class Kind>
struct DueStep {
  double t_s;
  Kind kind;
  int slot;
  std::int64_t id;
  bool operator>(const DueStep& other) const {
    if (t_s != other.t_s) return t_s > other.t_s;
    return id != other.id ? id > other.id : kind > other.kind;
  }
};
template <class Kind>
using DueSteps = std::priority_queue<DueStep<Kind>, std::vector<DueStep<Kind>>, std::greater<>>;

// What the incident source must still schedule for an incident that is not known when it occurs: the
// residents' report (if they report it) and its development into another type (if it develops). The id
// guards against the slot having been reused by then (found, closed and released in the meantime).
struct PendingIncident {
  int slot = -1;
  std::int64_t id = 0;
  bool report = false;
  double report_at_s = 0;
  bool develop = false;
  double develop_at_s = 0;
};

// One rung of the escalation ladder: the level that leads there and the levels whose staff may be called.
struct Tier {
  policy::Dispatcher::LevelMask levels = 0;
  int highest_level = 0;
  // The dispatch policy's widening delay there (Dispatcher::widening_delay_s), asked once, not per case.
  double widening_delay_s = std::numeric_limits<double>::infinity();
};

class World {
 public:
  World(const scenario::Scenario& scenario, const city::City& city, const city::Roster& roster,
        metrics::IncidentLog& log, std::uint64_t seed, int replication);

  // Event handlers, each called by the actor that holds the event at the current simulated time.
  // Returns what the caller must schedule when the incident is not known at once (slot -1: nothing).
  PendingIncident incident_occurs(int type, const city::Occurrence& occurrence, double now_s,
                                  metrics::KnownBy source = metrics::KnownBy::residents);
  // Residents report it: it becomes known, unless a worker found it first or it is gone.
  void residents_report(int slot, std::int64_t id, double now_s);
  // Its development time came: if still unknown, it becomes an incident of the type it develops into.
  void development_due(int slot, std::int64_t id, double now_s);
  // Body of responder `responder`'s actor: wait for work, do it, take the next waiting one or head home.
  void responder_shift(int responder);
  // Body of the platform clock's actor: case registrations and checks after their delays (case_flow), and
  // incidents that waited too long at a level moved up (escalation.after).
  void platform_clock();
  bool needs_platform_clock() const;
  // Body of the coverage sampler's actor: at each sample time, tells the observer who is available (free
  // for dispatch, on duty, at rest), for dynamic coverage. It only reads the world.
  void sample_coverage();
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

  // One visit programme's next household visits, most overdue first.
  struct DueVisit {
    double due_s;
    int grid_index;                       // into IdleWork::grids
    int household;
    bool operator>(const DueVisit& other) const {
      if (due_s != other.due_s) return due_s > other.due_s;
      if (grid_index != other.grid_index) return grid_index > other.grid_index;
      return household > other.household;
    }
  };
  // What a responder does while waiting for work: household visits and/or patrol rounds of its unit.
  struct IdleWork {
    const scenario::VisitProgramme* visits = nullptr;
    double patrol_round_s = 0;
    std::vector<int> grids;               // grids of its unit
    std::vector<policy::VisitIntervals::Households> households;   // per grid, as its programme counts them
    std::priority_queue<DueVisit, std::vector<DueVisit>, std::greater<>> due;
    city::RandomStream draws;             // visit durations, detection
    explicit IdleWork(city::RandomStream stream) : draws(stream) {}
  };

  // An incident waiting at a tier since due_s - after: if it still waits there at due_s, it goes up.
  struct TimedWait {
    double due_s;
    std::uint64_t sequence;   // ties in due_s go in the order the waits began
    int slot;
    std::int64_t id;
    double since_s;   // the wait it times: a case back in line (pre-empted, reworked) has a newer one
    bool operator>(const TimedWait& other) const {
      return due_s != other.due_s ? due_s > other.due_s : sequence > other.sequence;
    }
  };
  // Per tier, earliest due first: the limit may differ by incident type, so arrival order is not due order.
  using TimedWaits = std::priority_queue<TimedWait, std::vector<TimedWait>, std::greater<>>;
  PendingIncident occur(int type, const city::Occurrence& occurrence, double now_s, metrics::KnownBy source);
  void escalate_if_still_waiting(const TimedWait& wait, int tier, double now_s);
  // The incident leaves its tier for `next_tier` (escalation.mode tiered only: pooled has one tier).
  void move_up(Incident& incident, int next_tier, metrics::EscalationCause cause, double now_s);
  // Why a case that found nobody free goes up: off_duty when no member of its tier's units (the grid,
  // community, town or city that answer for its place) with a role it needs is on duty, so that the move is
  // routing rather than escalation (提级); no_capacity when such members are on duty and all busy.
  metrics::EscalationCause cause_of_no_capacity(const Incident& incident) const;
  bool on_duty(int responder) const;
  // A step of the platform, due at t_s: a case-flow registration or check, or another try at pre-emption for
  // a waiting urgent case once the less urgent crews that were still on their way have begun their work.
  // A widening step: the case has waited its tier's widening delay (dispatch policy), so its reach widens.
  enum class StepKind : unsigned char { registration, check, preemption_retry, widening };
  using PlatformStep = DueStep<StepKind>;
  // Staffs the line's case `key` if it can (out of the line meanwhile); false: it is back in its place.
  bool staff_from_line(const WaitingKey& key, double now_s, int acting_responder);
  // A case left the line (staffed): the cases behind it are offered to free staff in order, until one cannot go.
  void offer_line_after(int tier, const WaitingKey& left, double now_s, int acting_responder);
  // Offers every waiting case, in line order and without jumping, to whoever is free or may be pre-empted:
  // after a case left a line unstaffed (time escalation) or a crew began work that may now be taken.
  void recheck_lines(double now_s);
  // A waiting incident's place in its tier's line, and joining or leaving that line (with the role counts and
  // the observer's queue length); leave_line is false if it is not there.
  WaitingKey line_key(int slot) const;
  void join_line(int slot, double now_s);
  bool leave_line(int slot, double now_s);
  void schedule(const PlatformStep& step);
  void registered(int slot, double now_s);
  // The widening step due at due_s: if the case still waits in the wait that scheduled it, its reach widens
  // and it is offered to the staff that adds (in line order: it does not jump cases that could share them).
  void widen_reach(int slot, double due_s, double now_s);
  void checked(int slot, double now_s);
  void set_up_idle_work();
  // Waits for work until `until_s`, visiting households or patrolling in the meantime when it has such work.
  // Returns when it is assigned (runtime.incident >= 0) or at until_s.
  void idle(int responder, double until_s);
  // Waits up to wait_s (infinity: for ever) for an assignment or a release from a job; true when assigned.
  bool wait_for_work(int responder, double wait_s);
  void complete_visit(int responder, IdleWork& work, const DueVisit& visit, double start_s, double end_s);
  void complete_patrol_round(int responder, IdleWork& work, double now_s);
  // Makes a hidden or pending incident known (`acting`: the responder whose actor is running, or -1).
  void make_known(int slot, double now_s, metrics::KnownBy source, int acting);
  void forget_hidden(int slot);
  int allocate_incident();
  void release_incident(int slot);
  // The first tier at or above `from` whose levels can supply every role the type needs; -1 if none.
  int qualified_tier(int type, int from) const;
  // Sends the incident to its tier (escalating when busy, if so configured) or puts it in line there.
  void route(int slot, double now_s, int acting_responder);
  // All-or-nothing: a free responder for every needed role at the incident's tier, or nothing at all.
  bool try_staff(int slot, double now_s, int acting_responder);
  // try_staff's first part, under the scratch lease: chooses and sends the crew; `victims`: the jobs it
  // interrupted by pre-emption, for the caller to route.
  bool staff_crew(int slot, double now_s, int acting_responder, std::vector<int>& victims);
  bool must_wait_behind_others(int slot) const;
  void enqueue(int slot, double now_s);
  // A responder became free at its tier: serve the line in order, stopping at the first incident it could
  // help with but that cannot be fully staffed (so large joint responses are not starved).
  void serve_waiting(int responder, double now_s);
  // One tier's line; false when it stopped at an incident it could not fully staff.
  bool serve_line(int responder, int tier, double now_s);
  void finish_assignment(int responder, double now_s);
  // After a job (finished, or taken away): heads home, and back on the lines unless it goes off duty.
  void leave_scene(int responder, city::Point scene, double now_s, bool off_duty);
  // Works on its jobs until it has none: sleeps to each job's end and settles it, or, when jobs can be
  // interrupted, waits so that a pre-emption or its shift's end (hand_over_s) can cut the job short.
  // True when it handed a job over at hand_over_s (it is off duty then).
  bool work_on_jobs(int responder, double hand_over_s);
  // Leaves the scene of a job its crew was taken off (its `released` flag), from its own actor.
  void rejoin_after_release(int responder);
  // The crew of `slot` stops work at now_s; the incident keeps its remaining work and must be staffed again
  // (the caller routes it). Members in `keep` have been given other work; the rest leave the scene.
  void interrupt_job(int slot, double now_s, metrics::Interruption why, const std::vector<int>& keep);
  // dispatch.preemption: the nearest member with `role`, allowed here, working on a less urgent incident.
  // `later_s`: lowered to when the first such crew still on its way will have begun its work.
  std::optional<policy::Assignment> preemptable(int role, const Incident& incident, policy::Dispatcher::LevelMask levels,
                                                const std::vector<int>& excluded, double now_s, double& later_s) const;
  // Body of a responder whose team works shifts: on duty shift by shift, finishing a job past the shift's end.
  void work_shifts(int responder, const scenario::Shift& shift, double availability);
  bool jobs_interruptible_ = false;   // pre-emption or hand-over is possible: jobs wait on the wake semaphore
  void end_trip_home(int responder, double now_s);
  // The one record of each life-cycle step (engine/life_events.hpp): KPI tallies, events.csv, incidents.csv.
  void record(Incident& incident, const life_events::Occurred& step);
  void record(Incident& incident, const life_events::NeverKnown& step);
  void record(Incident& incident, const life_events::Developed& step);
  void record(Incident& incident, const life_events::Known& step);
  void record(Incident& incident, const life_events::RegistrationStarted& step);
  void record(Incident& incident, const life_events::CheckStarted& step);
  void record(Incident& incident, const life_events::Registered& step);
  void record(Incident& incident, const life_events::Escalated& step);
  void record(Incident& incident, const life_events::ReachWidened& step);
  void record(Incident& incident, const life_events::Dispatched& step);
  void record(Incident& incident, const life_events::Disposed& step);
  void record(Incident& incident, const life_events::HandedToCheck& step);
  void record(Incident& incident, const life_events::Reworked& step);
  void record(Incident& incident, const life_events::Interrupted& step);
  void record(Incident& incident, const life_events::Closed& step);
  void record(Incident& incident, const life_events::OpenAtHorizon& step);
  void add_step(Incident& incident, metrics::LifeStep::Kind kind, int level, int responder, double t_s);
  enum class LogStatus { closed, open, not_yet_known, never_known, developed };
  void log_incident(const Incident& incident, LogStatus status, double now_s);
  void report_to_platform(Incident& incident);
  int closing_level(const Incident& incident) const;

  // The wake-up discipline. A handler that runs for an actor may assign other responders or schedule a
  // platform step; those actors must be woken, but only once the world is consistent again, because a wake-up
  // is a simcall during which other actors run. Every entry from an actor into the world therefore opens a
  // HandlerScope: assignments queue their wake-ups in it (wake_after_handler asserts that one is open), and
  // the scope's end wakes them. Passing simulated time (pass_time_until, wait_for_token) asserts that no
  // scope is open and no wake-up is left, so a forgotten wake-up fails loudly in debug builds instead of
  // leaving a responder asleep with work.
  class [[nodiscard]] HandlerScope {
   public:
    // Inline, with the exception test only when there is someone to wake: a scope opens for every event.
    explicit HandlerScope(World& world) : world_(world) {
      assert(!world.in_handler_ && "a handler scope is already open: handlers must not nest (engine/world.hpp)");
      world.in_handler_ = true;
    }
    // Wakes with simcalls, which throw SimGrid's kill exception when the run ends at the horizon; that must
    // unwind the actor as before, hence noexcept(false). When the handler itself throws (scopes never open
    // during another exception's unwinding), nobody is woken: the run has failed.
    ~HandlerScope() noexcept(false) {
      world_.in_handler_ = false;
      if (world_.to_wake_.empty() && !world_.clock_wake_pending_) return;
      if (std::uncaught_exceptions() > 0) return;
      world_.wake_assigned();
    }
    HandlerScope(const HandlerScope&) = delete;
    HandlerScope& operator=(const HandlerScope&) = delete;

   private:
    World& world_;
  };
  void wake_after_handler(int responder) {
    assert(in_handler_ && "an assignment outside a HandlerScope would never wake its responder");
    to_wake_.push_back(responder);
  }
  void wake_clock_if_before(double t_s) {
    assert(in_handler_ && "a platform step scheduled outside a HandlerScope would never wake the clock");
    if (t_s < clock_target_s_) clock_wake_pending_ = true;
  }
  void pass_time_until(double t_s) const {
    assert(!in_handler_ && to_wake_.empty() && !clock_wake_pending_ &&
           "simulated time passes with a handler open or a wake-up left undone");
    simgrid::s4u::this_actor::sleep_until(t_s);
  }
  // Waits on a responder's semaphore (wait_s infinite: for ever); true when it timed out (SimGrid 3.32).
  bool wait_for_token(int responder, double wait_s) const {
    assert(!in_handler_ && to_wake_.empty() && !clock_wake_pending_ &&
           "simulated time passes with a handler open or a wake-up left undone");
    if (std::isinf(wait_s)) {
      runtime_[responder].wake->acquire();
      return false;
    }
    return runtime_[responder].wake->acquire_timeout(wait_s);
  }
  void wake_assigned();
  bool in_handler_ = false;

  const scenario::Scenario& scenario_;
  const city::City& city_;
  const city::Roster& roster_;
  city::TravelModel travel_;
  city::WorkingCalendar calendar_;
  policy::Dispatcher dispatcher_;
  policy::LadderEscalation escalation_;
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
  // try_staff()'s working space, reused because staffing runs for every incident and must not allocate.
  // Staffing re-enters itself (the jobs a pre-emption interrupts are routed again), so the space is leased:
  // a second lease while one is held asserts instead of silently overwriting the first caller's crew.
  struct StaffingScratch {
    std::vector<int> crew, excluded, preempting;
    std::vector<double> travel_s;
    bool leased = false;
  };
  class [[nodiscard]] ScratchLease {
   public:
    explicit ScratchLease(StaffingScratch& scratch);
    ~ScratchLease();
    ScratchLease(const ScratchLease&) = delete;
    ScratchLease& operator=(const ScratchLease&) = delete;

   private:
    StaffingScratch& scratch_;
  };
  StaffingScratch staffing_scratch_;
  std::vector<int> last_call_;         // on duty but in their shift's last call: urgent work only
  std::vector<std::vector<int>> responders_with_role_;
  // Staffed platform steps (case_flow.registration_by, check_by): one desk per role, its members, and the cases
  // waiting for one of them first come first served (slot, id: a stale entry is skipped). The members are
  // responders like any other, with their shifts; the desk only tracks which of them is busy with a case.
  struct Desk {
    int role = -1;
    std::vector<int> members;
    std::deque<std::pair<int, std::int64_t>> waiting;
  };
  std::vector<Desk> desks_;
  std::vector<int> registration_desk_of_type_;       // -1: registration is a delay, or none
  std::vector<int> check_desk_of_type_;              // -1: the check is a delay, or none
  std::vector<std::vector<int>> desks_of_responder_;
  std::vector<int> desk_slot_;                       // per responder: the case it registers or checks, -1
  int desk_for_role(const std::string& role_name);
  // A case reaching a staffed step (registering or checking) with its drawn step time: a free desk member on
  // duty takes it at once, or it joins the desk's line.
  void join_desk(int slot, int desk, double work_s, double now_s);
  void begin_desk_work(int slot, int responder, double now_s);
  // A desk member on duty and free takes the first waiting case of its desks, if any.
  void take_next_desk_work(int responder, double now_s);
  // The case's staffed step ended: its desk member (returned, -1 if none) is free; the caller lets it take
  // the next case once this one has gone on.
  int leave_desk(Incident& incident);

  struct ResponderRuntime {
    simgrid::s4u::SemaphorePtr wake;
    int incident = -1;                    // slot it works on, -1 when free
    int generation = 0;                   // the incident's crew generation it belongs to
    double busy_until_s = 0;              // when its part of the work ends
    double back_from_s = 0;               // open "back to base" interval, when back_until_s > back_from_s
    double back_until_s = 0;
    double duty_start_s = std::numeric_limits<double>::infinity(); // start of the current shift, if on one
    double duty_end_s = std::numeric_limits<double>::infinity();   // end of the current shift
    city::Point scene;                    // where its current (or last) job is
    bool released = false;                // taken off its job by an interruption: must leave the scene
    double duty_recorded_until_s = 0;     // on-duty time is recorded up to here (a long drive home may overlap
                                          // the next shift: counted once)
  };
  std::vector<ResponderRuntime> runtime_;
  std::vector<std::unique_ptr<IdleWork>> idle_work_;               // per responder; null: waits at base
  std::vector<std::vector<std::pair<int, std::int64_t>>> hidden_by_grid_;   // unknown, findable (slot, id)
  std::vector<std::unique_ptr<city::IncidentStream>> consequences_;       // per type developed into
  std::vector<TimedWaits> timed_waits_;   // per tier
  std::uint64_t timed_waits_begun_ = 0;
  DueSteps<StepKind> platform_steps_;
  std::vector<std::unique_ptr<city::RandomStream>> case_flow_draws_;   // per type with a case flow
  simgrid::s4u::SemaphorePtr clock_wake_ = simgrid::s4u::Semaphore::create(0);
  double clock_target_s_ = std::numeric_limits<double>::infinity();
  bool clock_wake_pending_ = false;   // a wait earlier than the clock's target arrived: wake it after the handler
  metrics::ReplicationResult result_;
  std::vector<char> available_scratch_;   // sample_coverage's per-responder flags, reused
};

}  // namespace civicgrid::engine
