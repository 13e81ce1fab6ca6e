// The one place where each life-cycle step reaches every output. A handler changes the incident and records
// the step (life_events.hpp); the overload here feeds the KPI tallies, the incident's event rows for
// events.csv and, at its last step, its incidents.csv row. Adding a step means adding an event type and its
// overload here, and nothing else has to be kept in agreement.
#include "engine/world.hpp"

#include <cmath>

#include "policy/reporting.hpp"

namespace civicgrid::engine {
using metrics::LifeStep;
using scenario::Level;

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

void World::add_step(Incident& incident, LifeStep::Kind kind, int level, int responder, double t_s) {
  if (log_.enabled()) incident.steps.push_back({kind, level, responder, t_s});
}

void World::record(Incident& incident, const life_events::Occurred& step) {
  observer_.incident_occurred(step.t_s, incident.grid, incident.type);
}

void World::record(Incident& incident, const life_events::NeverKnown& step) {
  log_incident(incident, LogStatus::never_known, step.t_s);
}

void World::record(Incident& incident, const life_events::Developed& step) {
  observer_.incident_developed(incident.times.t_occur_s);
  log_incident(incident, LogStatus::developed, step.t_s);
}

void World::record(Incident& incident, const life_events::Known& step) {
  const auto& rules = scenario_.incidents[incident.type];
  observer_.incident_known(incident.times.t_occur_s, step.t_s, incident.closure_deadline_s, incident.disposal_deadline_s,
                           incident.known_by, rules.findable_by_workers(), incident.type);
  if (scenario_.escalation.mode == scenario::EscalationMode::tiered)
    observer_.incident_reached_level(incident.times.t_occur_s, tiers_[incident.tier].highest_level);
}

void World::record(Incident& incident, const life_events::RegistrationStarted& step) {
  add_step(incident, LifeStep::Kind::registration_started, tiers_[incident.tier].highest_level, step.registrar, step.t_s);
}

void World::record(Incident& incident, const life_events::CheckStarted& step) {
  add_step(incident, LifeStep::Kind::check_started, tiers_[incident.tier].highest_level, step.checker, step.t_s);
}

void World::record(Incident& incident, const life_events::Registered& step) {
  add_step(incident, LifeStep::Kind::registered, tiers_[incident.tier].highest_level, step.registrar, step.t_s);
}

void World::record(Incident& incident, const life_events::Escalated& step) {
  const auto kind = step.cause == metrics::EscalationCause::no_capacity ? LifeStep::Kind::escalated_no_capacity
                    : step.cause == metrics::EscalationCause::failed    ? LifeStep::Kind::escalated_failed
                    : step.cause == metrics::EscalationCause::timed_out ? LifeStep::Kind::escalated_timed_out
                                                                        : LifeStep::Kind::routed_off_hours;
  add_step(incident, kind, step.from_level, -1, step.t_s);
  const bool first_of_its_kind = step.cause == metrics::EscalationCause::off_duty ? incident.routed_off_hours == 1
                                                                                  : incident.escalations == 1;
  observer_.incident_escalated(incident.times.t_occur_s, step.from_level, step.cause, first_of_its_kind,
                               step.at_level_s);
  observer_.incident_reached_level(incident.times.t_occur_s, tiers_[incident.tier].highest_level);
}

void World::record(Incident& incident, const life_events::ReachWidened& step) {
  add_step(incident, LifeStep::Kind::widened, tiers_[incident.tier].highest_level, -1, step.t_s);
}

void World::record(Incident& incident, const life_events::Dispatched& step) {
  const int level = tiers_[incident.tier].highest_level;
  add_step(incident, LifeStep::Kind::dispatched, level, step.lead, step.t_s);
  add_step(incident, LifeStep::Kind::on_scene, level, step.lead, step.first_arrival_s);
  if (step.crew_size > 1) add_step(incident, LifeStep::Kind::team_on_scene, level, step.lead, step.team_arrival_s);
  // Arrival on scene is already determined; it counts only if it happens within the run.
  if (step.first_dispatch && step.first_arrival_s <= scenario_.run.horizon_s)
    observer_.incident_responded(incident.times, incident.grid, incident.type, scenario_.incidents[incident.type].target_s,
                                 step.lead, step.lead_distance_m, closing_level(incident));
  // A later dispatch ends a later spell in line. Such a spell starts only after work began (a pre-emption, a
  // hand-over, a failed handling, a rework), so the incident has responded and its spell counts with its wait.
  if (!step.first_dispatch)
    observer_.incident_waited_again(incident.times.t_occur_s, incident.type, step.t_s - incident.dispatchable_since_s);
}

void World::record(Incident& incident, const life_events::Disposed& step) {
  observer_.incident_disposed(incident.times.t_occur_s, incident.times.t_known_s, step.t_s, incident.disposal_deadline_s,
                              closing_level(incident));
}

void World::record(Incident& incident, const life_events::HandedToCheck& step) {
  add_step(incident, LifeStep::Kind::handled, tiers_[incident.tier].highest_level, step.responder, step.t_s);
}

void World::record(Incident& incident, const life_events::Reworked& step) {
  add_step(incident, LifeStep::Kind::rework, tiers_[incident.tier].highest_level, -1, step.t_s);
}

void World::record(Incident& incident, const life_events::Interrupted& step) {
  add_step(incident,
           step.why == metrics::Interruption::preempted ? LifeStep::Kind::preempted : LifeStep::Kind::handed_over,
           tiers_[incident.tier].highest_level, step.member, step.t_s);
  observer_.job_interrupted(incident.times.t_occur_s, step.why);
}

void World::record(Incident& incident, const life_events::Closed& step) {
  observer_.incident_closed(incident.times, closing_level(incident), incident.closure_deadline_s, incident.type);
  report_to_platform(incident);
  log_incident(incident, LogStatus::closed, step.t_s);
}

void World::record(Incident& incident, const life_events::OpenAtHorizon& step) {
  log_incident(incident, is_known(incident) ? LogStatus::open : LogStatus::not_yet_known, step.t_s);
  // A responded incident back in line at the horizon: its spell so far, as queue_length_mean counts it. (A
  // first wait still open is left out, with the incident: it has not responded.)
  if (incident.stage == Stage::waiting && !std::isnan(incident.times.t_dispatch_s))
    observer_.incident_waited_again(incident.times.t_occur_s, incident.type, step.t_s - incident.dispatchable_since_s);
  if ((incident.stage == Stage::registering || incident.stage == Stage::checking) && !std::isinf(incident.step_due_s))
    observer_.platform_step_open_at_horizon(incident.stage == Stage::registering
                                                ? metrics::ReplicationObserver::PlatformStep::registration
                                                : metrics::ReplicationObserver::PlatformStep::check,
                                            incident.times.t_occur_s, incident.step_due_s);
  if (is_known(incident))
    observer_.incident_open_at_horizon(incident.times.t_occur_s, incident.times.t_known_s, incident.closure_deadline_s,
                                       incident.disposal_deadline_s, incident.disposed, closing_level(incident),
                                       incident.type);
}

void World::report_to_platform(Incident& incident) {
  const auto& rules = scenario_.incidents[incident.type].reporting;
  if (!rules) return;
  const policy::ExclusiveReasonsReporting reporting(*rules);
  const policy::ReportVerdict verdict =
      // Any move up (escalated or routed off-hours) makes the case one the grid "could not handle" itself.
      reporting.decide(incident.escalations > 0 || incident.routed_off_hours > 0, incident.not_reported_draw,
                       incident.platform_delay_s);
  if (reporting.reports(verdict)) incident.t_platform_s = incident.times.t_closed_s + incident.platform_delay_s;
  observer_.incident_reported(incident.times.t_occur_s, to_report_outcome(verdict), closing_level(incident));
}

void World::log_incident(const Incident& incident, LogStatus status, double now_s) {
  const bool open = status != LogStatus::closed;
  if (!log_.enabled() || incident.times.t_occur_s < scenario_.run.warmup_s) return;
  metrics::IncidentRecord record;
  record.incident = incident.id;
  record.type = &scenario_.incidents[incident.type].name;
  record.grid = &city_.grids()[incident.grid];
  record.place = incident.place;
  record.times = incident.times;
  if (open) {
    // Stamps planned for after the horizon did not happen within the run.
    for (double* stamp : {&record.times.t_dispatch_s, &record.times.t_on_scene_s, &record.times.t_team_on_scene_s,
                          &record.times.t_closed_s})
      if (*stamp > now_s) *stamp = not_reached;
    if (!is_closed(incident)) record.times.t_closed_s = not_reached;
  }
  record.responder = incident.crew.empty() ? nullptr : &roster_.responders()[incident.crew.front()].name;
  record.crew_size = static_cast<int>(incident.crew.size());
  record.level = scenario::to_string(static_cast<Level>(closing_level(incident)));
  record.escalations = incident.escalations;
  record.routed_off_hours = incident.routed_off_hours;
  record.target_s = scenario_.incidents[incident.type].target_s;
  record.t_platform_s = incident.t_platform_s;
  record.known_by = is_known(incident) ? metrics::to_string(incident.known_by) : "";
  record.steps = &incident.steps;
  record.responders = &roster_.responders();
  record.t_end_s = status == LogStatus::closed ? incident.times.t_closed_s : now_s;
  if (status == LogStatus::developed)
    record.developed_into = &scenario_.incidents[scenario_.incidents[incident.type].develops->into_type].name;
  record.status = status == LogStatus::closed ? "closed"
                  : status == LogStatus::open ? "open"
                  : status == LogStatus::not_yet_known ? "not_yet_known"
                  : status == LogStatus::developed   ? "developed"
                                                     : "never_known";
  log_.write(record);
}

}  // namespace civicgrid::engine
