// Watches one replication and turns what happens into the KPIs of kpis.hpp. It only counts: the engine tells
// it what happened and when; it never decides anything. Everything is clipped to the statistics window
// [warm-up, horizon], and memory does not grow with the number of incidents.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "city/city.hpp"
#include "city/roster.hpp"
#include "metrics/coverage.hpp"
#include "metrics/histogram.hpp"
#include "metrics/replication_result.hpp"

namespace civicgrid::metrics {

// The time stamps of one incident (docs/domain.md#time-stamps), seconds; NaN where not reached.
struct IncidentTimes {
  double t_occur_s;
  double t_known_s;
  double t_registered_s;      // the platform registered it (受理/立案): t_known_s when its type has no registration step
  double t_dispatch_s;
  double t_on_scene_s;        // first crew member arrives
  double t_team_on_scene_s;   // every needed role has arrived: work starts
  double t_closed_s;
  // A member of its type's registration_by role began registering it; t_known_s without a staffed step.
  double t_registration_start_s = 0;
};

enum class ResponderActivity { travel, on_scene, back_to_base };
// Why a crew stopped work before the end: a more urgent call took a member (dispatch.preemption), or a
// member's shift ended (shift.at_end: hand_over).
enum class Interruption { preempted, handed_over };
// Why a case moved up a tier. off_duty is routing, not escalation: nobody who answers for the case's place at
// that level was on duty (提级率 leaves it out and routed_off_hours_rate counts it).
enum class EscalationCause { no_capacity, failed, timed_out, off_duty };
enum class ReportOutcome { on_time, late, not_reported_handled, not_reported_could_not_handle, not_reported_sensitive };
// Who made an incident known: residents (the public), a worker's household visit or patrol round, or the
// incident it developed from becoming visible.
enum class KnownBy { residents, visit, patrol, development };
const char* to_string(KnownBy source);

class ReplicationObserver {
 public:
  ReplicationObserver(const scenario::Scenario& scenario, const city::City& city, const city::Roster& roster);

  // `type`: index into scenario.incidents (the per-type breakdowns of summary.json).
  void incident_occurred(double t_occur_s, int grid, int type);
  // Became known (registered). Deadlines > 0: how long after becoming known it must be closed (结案时限) and
  // first handled (处置时限), on the clock (working-time limits already converted by the engine's calendar).
  // `findable`: its type is one that workers are expected to find (the public finding it first is a missed report).
  void incident_known(double t_occur_s, double t_known_s, double closure_deadline_s, double disposal_deadline_s,
                      KnownBy source, bool findable, int type);
  // Its first handling, at `level`, ended at t_disposed_s (closed there, or passed up after a failed attempt).
  void incident_disposed(double t_occur_s, double t_known_s, double t_disposed_s, double disposal_deadline_s, int level);
  // Tiered escalation: the case entered the tier led by `level` (when it became known, or escalated there).
  void incident_reached_level(double t_occur_s, int level);
  // A platform step (受理 or 核查) with a time limit ended at done_s, due by due_s; or it was still under way at
  // the horizon (step_open_at_horizon), which counts against the step once its limit has passed.
  enum class PlatformStep { registration, check };
  void platform_step_done(PlatformStep step, double t_occur_s, double done_s, double due_s);
  void platform_step_open_at_horizon(PlatformStep step, double t_occur_s, double due_s);
  // Known and still open at the horizon, held by `level`: its deadlines that fell due count against that level.
  void incident_open_at_horizon(double t_occur_s, double t_known_s, double closure_deadline_s,
                                double disposal_deadline_s, bool disposed, int level, int type);
  // Developed into another incident before anyone found it.
  void incident_developed(double t_occur_s);
  // A household visit by `responder` over [start_s, end_s) was completed, at household `household` (0-based,
  // in its team's programme) of `grid`.
  void visit_done(int responder, int grid, int household, double start_s, double end_s);
  // The households the visit programmes cover, each grid counted once (for visits per household).
  void set_households(double households) { households_ = households; }
  // Team `team`'s visit programme covers `households` households of `grid` (入户覆盖率's denominator).
  void set_programme_households(int team, int grid, int households);
  // What happened to its information report after closure (types with reporting rules only).
  void incident_reported(double t_occur_s, ReportOutcome outcome, int closing_level);
  // Moved up from the tier led by `from_level` (a scenario::Level value) to the next one.
  // `first_time`: the incident had not been escalated before (for the share of incidents escalated);
  // `at_level_s`: how long it had been at that level (since it became known there or arrived from below).
  void incident_escalated(double t_occur_s, int from_level, EscalationCause cause, bool first_time, double at_level_s);
  // First responder on scene (called once per incident, only if that happens before the horizon).
  // `type`: index into scenario.incidents; `lead`: the first crew member; `lead_distance_m`: its road distance;
  // `level`: the level responding (the tier's, or the lead's when tiers are pooled).
  void incident_responded(const IncidentTimes& times, int grid, int type, double target_s, int lead,
                          double lead_distance_m, int level);
  // A responded incident of `type` waited in line once more, for wait_s: after a pre-emption, a hand-over, a
  // failed handling or a rework, until its next dispatch (or the horizon). Counted in the wait KPIs with its
  // first wait, so that they measure the same time in line as queue_length_mean (Little's law).
  void incident_waited_again(double t_occur_s, int type, double wait_s);
  void incident_closed(const IncidentTimes& times, int level, double deadline_s, int type);
  // The number of incidents waiting for a responder changed to `waiting` at `now_s`.
  void queue_changed(double now_s, std::int64_t waiting);
  // A responder spent [start_s, end_s) doing `activity` (intervals may reach past the horizon: clipped).
  void responder_busy(int responder, ResponderActivity activity, double start_s, double end_s);
  void responder_served(int responder, double t_occur_s);
  // Part of an interval booked with responder_busy() will not be worked after all (the job was interrupted).
  void responder_busy_cancelled(int responder, ResponderActivity activity, double start_s, double end_s);
  void job_interrupted(double t_occur_s, Interruption why);
  // A responder of a team with shifts was on duty over [start_s, end_s) (others are on duty all the time).
  void responder_on_duty(int responder, double start_s, double end_s);

  // Dynamic coverage: the engine samples who is available (idle, on duty, at rest) every
  // coverage_sample_every_s(), at warm-up + (k + 1/2) x that interval, inside the window.
  double coverage_sample_every_s() const { return scenario_.coverage.sample_every_s; }
  void coverage_sampled(double now_s, const std::vector<char>& available);
  // Known and not yet closed at now_s (a sample time), whenever they occurred: the backlog curve.
  void backlog_sampled(double now_s, std::int64_t open_known);

  ReplicationResult finish(int replication, std::uint64_t seed, std::int64_t backlog_at_end) const;

 private:
  double clipped_s(double start_s, double end_s) const;
  void add_busy_s(int responder, ResponderActivity activity, double seconds);
  bool counted(double t_occur_s) const { return t_occur_s >= warmup_s_; }

  double warmup_s_;
  double horizon_s_;
  const city::City& city_;
  const city::Roster& roster_;
  const scenario::Scenario& scenario_;

  std::int64_t incidents_ = 0;        // occurred
  std::int64_t known_ = 0;
  double discovery_sum_s_ = 0;
  std::int64_t report_outcomes_[5] = {};
  std::int64_t known_by_[4] = {};          // by KnownBy
  std::int64_t findable_known_ = 0;
  std::int64_t missed_by_workers_ = 0;     // findable, but the public reported it first
  std::int64_t developed_ = 0;
  std::int64_t interrupted_[2] = {};       // by Interruption
  std::int64_t visits_ = 0;
  double visit_s_ = 0;
  double households_ = 0;
  // [team][grid]: one flag per household of the team's programme there, set when it is visited in the window
  // (empty where the team has no programme).
  std::vector<std::vector<std::vector<char>>> visited_;
  std::int64_t responded_ = 0;
  std::int64_t within_target_ = 0;
  std::int64_t waited_ = 0;
  std::int64_t closed_ = 0;
  double response_sum_s_ = 0;
  double registration_sum_s_ = 0;    // t_registered - t_known of responded incidents
  double registration_wait_sum_s_ = 0;   // of those, the wait for a free desk member (staffed registration)
  double wait_sum_s_ = 0;            // every spell in line of responded incidents (see incident_waited_again)
  double travel_sum_s_ = 0;
  double on_scene_sum_s_ = 0;
  double team_response_sum_s_ = 0;
  std::int64_t team_responded_ = 0;
  double closure_sum_s_ = 0;
  // 应结案 (cases due), as Chinese evaluation counts them: a case is due once it is closed, or once its closure
  // deadline has passed while it is still open; an open case inside its deadline is not due yet. due_ counts
  // the due cases of types with a deadline (按期结案率); not_yet_due_ the open ones inside their deadline, so that
  // known_ - not_yet_due_ is every due case (types without a deadline are due once known: 结案率).
  std::int64_t due_ = 0;
  std::int64_t not_yet_due_ = 0;
  std::int64_t overdue_open_ = 0;     // open at the horizon past the closure deadline (超期未结案)
  // [step]: due (done, or under way past the limit at the horizon) and done within the limit.
  std::int64_t step_due_[2] = {};
  std::int64_t step_on_time_[2] = {};
  std::int64_t closed_on_time_ = 0;
  std::int64_t disposal_due_ = 0;
  std::int64_t disposed_on_time_ = 0;
  std::int64_t escalated_incidents_ = 0;        // escalated at least once (提级)
  std::int64_t routed_off_hours_incidents_ = 0; // routed up at least once for want of anyone on duty
  // Escalations (提级) from a level: every cause but off-duty routing.
  std::int64_t escalated_from(int level) const {
    return escalations_[level][static_cast<int>(EscalationCause::no_capacity)] +
           escalations_[level][static_cast<int>(EscalationCause::failed)] +
           escalations_[level][static_cast<int>(EscalationCause::timed_out)];
  }
  std::int64_t escalations_[4][4] = {};   // [from level][cause]
  std::int64_t closed_at_level_[4] = {};
  // The case-flow KPIs per level (levels.csv): each case counts at the level that closed it, or that held it
  // at the horizon (deadlines), first handled it (disposal), first responded (full-team response) or reached.
  struct LevelTally {
    std::int64_t reached = 0;
    double escalation_delay_sum_s = 0;   // time at the level before each escalation from it
    double closure_sum_s = 0;
    DurationHistogram closure;
    std::int64_t due = 0;           // as due_: closed here with a deadline, or held here past it at the horizon
    std::int64_t closed_on_time = 0;
    std::int64_t disposal_due = 0;
    std::int64_t disposed_on_time = 0;
    std::int64_t team_responded = 0;
    double team_response_sum_s = 0;
    std::int64_t report_outcomes[5] = {};
  };
  std::vector<LevelTally> levels_ = std::vector<LevelTally>(4);
  DurationHistogram response_histogram_;
  DurationHistogram closure_histogram_;
  double distance_sum_m_ = 0;
  std::int64_t grid_led_ = 0;          // responded incidents whose crew lead is a grid-level responder
  std::int64_t mutual_aid_led_ = 0;    // ... of another grid, lent by mutual aid (dispatch.mutual_aid)
  std::int64_t own_grid_led_ = 0;      // ... of the incident's own grid
  struct TypeTally {
    std::int64_t incidents = 0;
    std::int64_t known = 0;
    std::int64_t closed = 0;
    std::int64_t not_yet_due = 0;   // as not_yet_due_
    DurationHistogram response;
    std::int64_t responded = 0;
    double response_sum_s = 0;
    double wait_sum_s = 0;   // as wait_sum_s_: every spell in line
    std::int64_t within_target = 0;
    std::vector<std::int64_t> responded_by_bin = std::vector<std::int64_t>(response_bin_count());
  };
  std::vector<TypeTally> types_;

  double queue_area_ = 0;            // integral of the waiting count over the window, incident-seconds
  double queue_last_change_s_ = 0;
  std::int64_t queue_waiting_ = 0;

  std::vector<GridTally> grids_;
  std::vector<HourTally> week_hours_ = std::vector<HourTally>(7 * 24);
  CoverageMap coverage_;
  std::int64_t coverage_samples_ = 0;
  std::vector<double> dynamic_covered_sum_;          // per question, residents covered summed over samples
  std::vector<double> dynamic_covered_by_grid_sum_;  // per grid, question 0
  std::vector<double> coverage_scratch_;
  std::vector<BacklogSample> backlog_;
  struct Busy {
    double travel_s = 0;
    double on_scene_s = 0;
    double back_s = 0;
    double duty_s = 0;
    std::int64_t served = 0;
  };
  std::vector<Busy> responders_;
};

}  // namespace civicgrid::metrics
