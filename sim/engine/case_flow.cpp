// What happens when a crew's work ends: the case closes, goes up the ladder after a failed handling, or waits
// for the platform's check (核查) which may send it back (返工); registration (受理/立案) before dispatch; and
// the information report after closure, decided by the reporting policy.
#include "engine/world.hpp"

#include <cassert>

#include "city/random.hpp"
#include "policy/reporting.hpp"

namespace civicgrid::engine {
namespace {
metrics::ReportOutcome to_report_outcome(policy::ReportVerdict verdict) {
  switch (verdict) {
    case policy::ReportVerdict::on_time: return metrics::ReportOutcome::on_time;
    case policy::ReportVerdict::late: return metrics::ReportOutcome::late;
    case policy::ReportVerdict::not_reported_handled: return metrics::ReportOutcome::not_reported_handled;
    case policy::ReportVerdict::not_reported_could_not_handle: return metrics::ReportOutcome::not_reported_could_not_handle;
    case policy::ReportVerdict::not_reported_sensitive: return metrics::ReportOutcome::not_reported_sensitive;
  }
  return metrics::ReportOutcome::on_time;
}
}  // namespace

void World::finish_assignment(int responder, double now_s) {
  ResponderRuntime& runtime = runtime_[responder];
  const int slot = runtime.incident;
  Incident& incident = incidents_[slot];
  const city::Point scene = incident.place;
  if (runtime.generation == incident.generation && incident.crew_pending == static_cast<int>(incident.crew.size())) {
    // The first crew member to finish settles the case for the whole crew.
    assert(incident.stage == Stage::staffed);
    const auto& type = scenario_.incidents[incident.type];
    const int level = tiers_[incident.tier].highest_level;
    const int next = next_tier_[incident.type][incident.tier];
    incident.remaining_service_s = -1;   // the work is done; another round (escalation, rework) starts afresh
    if (!incident.disposed) {
      incident.disposed = true;
      observer_.incident_disposed(incident.times.t_occur_s, incident.times.t_known_s, now_s, incident.disposal_deadline_s,
                                  closing_level(incident));
    }
    if (next >= 0 && incident.failure_draw[level] < type.failure_probability) {
      move_up(incident, next, metrics::EscalationCause::failed, now_s);
      incident.crew_pending = 0;   // this crew is done; the next tier sends its own
      enter(incident, Stage::routing);
      route(slot, now_s, responder);
    } else if (type.case_flow && type.case_flow->check) {
      // Handled (处置); the platform checks it (核查) before it is closed, or sends it back.
      if (log_.enabled()) incident.steps.push_back({metrics::LifeStep::Kind::handled, level, responder, now_s});
      enter(incident, Stage::checking);
      schedule({now_s + city::sample_duration_s(*type.case_flow->check, *case_flow_draws_[incident.type]), StepKind::check, slot,
                incident.id});
    } else {
      enter(incident, Stage::closed);
      incident.times.t_closed_s = now_s;
      observer_.incident_closed(incident.times, closing_level(incident), incident.closure_deadline_s);
      report_to_platform(incident);
      log_incident(incident, LogStatus::closed, now_s);
    }
  }
  if (runtime.generation == incident.generation && incident.crew_pending > 0) --incident.crew_pending;
  runtime.incident = -1;
  if (is_closed(incident) && incident.crew_pending == 0) release_incident(slot);
  leave_scene(responder, scene, now_s, now_s >= runtime.duty_end_s);
}

void World::registered(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  if (log_.enabled())
    incident.steps.push_back({metrics::LifeStep::Kind::registered, tiers_[incident.tier].highest_level, -1, now_s});
  enter(incident, Stage::routing);
  route(slot, now_s, -1);
}

void World::checked(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  assert(incident.stage == Stage::checking);
  const auto& type = scenario_.incidents[incident.type];
  if (case_flow_draws_[incident.type]->uniform01() < type.case_flow->rework_probability) {
    // 返工: back to the same level for another round of handling, by a new crew.
    ++incident.reworks;
    if (log_.enabled())
      incident.steps.push_back({metrics::LifeStep::Kind::rework, tiers_[incident.tier].highest_level, -1, now_s});
    incident.crew_pending = 0;
    enter(incident, Stage::routing);
    route(slot, now_s, -1);
    return;
  }
  enter(incident, Stage::closed);
  incident.times.t_closed_s = now_s;
  observer_.incident_closed(incident.times, closing_level(incident), incident.closure_deadline_s);
  report_to_platform(incident);
  log_incident(incident, LogStatus::closed, now_s);
  if (incident.crew_pending == 0) release_incident(slot);
}

void World::move_up(Incident& incident, int next_tier, metrics::EscalationCause cause, double now_s) {
  const int level = tiers_[incident.tier].highest_level;
  if (log_.enabled()) {
    const auto kind = cause == metrics::EscalationCause::no_capacity ? metrics::LifeStep::Kind::escalated_no_capacity
                      : cause == metrics::EscalationCause::failed    ? metrics::LifeStep::Kind::escalated_failed
                                                                     : metrics::LifeStep::Kind::escalated_timed_out;
    incident.steps.push_back({kind, level, -1, now_s});
  }
  observer_.incident_escalated(incident.times.t_occur_s, level, cause, incident.escalations == 0,
                               now_s - incident.tier_since_s);
  ++incident.escalations;
  incident.tier = next_tier;
  incident.tier_since_s = now_s;
  observer_.incident_reached_level(incident.times.t_occur_s, tiers_[next_tier].highest_level);
}

void World::report_to_platform(Incident& incident) {
  const auto& rules = scenario_.incidents[incident.type].reporting;
  if (!rules) return;
  const policy::ExclusiveReasonsReporting reporting(*rules);
  const policy::ReportVerdict verdict =
      reporting.decide(incident.escalations > 0, incident.not_reported_draw, incident.platform_delay_s);
  if (reporting.reports(verdict)) incident.t_platform_s = incident.times.t_closed_s + incident.platform_delay_s;
  observer_.incident_reported(incident.times.t_occur_s, to_report_outcome(verdict), closing_level(incident));
}

}  // namespace civicgrid::engine
