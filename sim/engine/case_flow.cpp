// What happens when a crew's work ends: the case closes, goes up the ladder after a failed handling, or waits
// for the platform's check (核查) which may send it back (返工); registration (受理/立案) before dispatch; and
// escalation up the ladder. Each step is recorded once (life_record.cpp).
#include "engine/world.hpp"

#include <cassert>

#include "city/random.hpp"

namespace civicgrid::engine {

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
      record(incident, life_events::Disposed{now_s});
    }
    if (next >= 0 && incident.failure_draw[level] < type.failure_probability) {
      move_up(incident, next, metrics::EscalationCause::failed, now_s);
      incident.crew_pending = 0;   // this crew is done; the next tier sends its own
      incident.dispatchable_since_s = now_s;
      enter(incident, Stage::routing);
      route(slot, now_s, responder);
    } else if (type.case_flow && type.case_flow->check) {
      // Handled (处置); the platform checks it (核查) before it is closed, or sends it back.
      enter(incident, Stage::checking);
      record(incident, life_events::HandedToCheck{now_s, responder});
      schedule({now_s + city::sample_duration_s(*type.case_flow->check, *case_flow_draws_[incident.type]), StepKind::check, slot,
                incident.id});
    } else {
      enter(incident, Stage::closed);
      incident.times.t_closed_s = now_s;
      record(incident, life_events::Closed{now_s});
    }
  }
  if (runtime.generation == incident.generation && incident.crew_pending > 0) --incident.crew_pending;
  runtime.incident = -1;
  if (is_closed(incident) && incident.crew_pending == 0) release_incident(slot);
  leave_scene(responder, scene, now_s, now_s >= runtime.duty_end_s);
}

void World::begin_registration(int slot, int responder, double now_s) {
  Incident& incident = incidents_[slot];
  assert(incident.stage == Stage::registering && incident.registrar < 0 && registering_[responder] < 0);
  registering_[responder] = slot;
  incident.registrar = responder;
  incident.times.t_registration_start_s = now_s;
  record(incident, life_events::RegistrationStarted{now_s, responder});
  observer_.responder_busy(responder, metrics::ResponderActivity::on_scene, now_s, now_s + incident.registration_work_s);
  schedule({now_s + incident.registration_work_s, StepKind::registration, slot, incident.id});
}

void World::take_next_registration(int responder, double now_s) {
  if (registering_[responder] >= 0 || !on_duty(responder)) return;
  for (int desk : desks_of_responder_[responder]) {
    auto& waiting = desks_[desk].waiting;
    while (!waiting.empty()) {
      const auto [slot, id] = waiting.front();
      waiting.pop_front();
      // The case may have been released since (it cannot: a registering case waits until registered), but a
      // reused slot must not be taken for it.
      if (!slot_in_use_[slot] || incidents_[slot].id != id || incidents_[slot].stage != Stage::registering) continue;
      begin_registration(slot, responder, now_s);
      return;
    }
  }
}

void World::registered(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  assert(incident.stage == Stage::registering);
  const int registrar = incident.registrar;
  incident.registrar = -1;
  incident.times.t_registered_s = now_s;
  incident.dispatchable_since_s = now_s;
  enter(incident, Stage::routing);
  record(incident, life_events::Registered{now_s, registrar});
  route(slot, now_s, -1);
  // The desk member is free again: the next case in its line, if it is still on duty.
  if (registrar >= 0) {
    registering_[registrar] = -1;
    take_next_registration(registrar, now_s);
  }
}

void World::checked(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  assert(incident.stage == Stage::checking);
  const auto& type = scenario_.incidents[incident.type];
  if (case_flow_draws_[incident.type]->uniform01() < type.case_flow->rework_probability) {
    // 返工: back to the same level for another round of handling, by a new crew.
    ++incident.reworks;
    incident.crew_pending = 0;
    incident.dispatchable_since_s = now_s;
    enter(incident, Stage::routing);
    record(incident, life_events::Reworked{now_s});
    route(slot, now_s, -1);
    return;
  }
  enter(incident, Stage::closed);
  incident.times.t_closed_s = now_s;
  record(incident, life_events::Closed{now_s});
  if (incident.crew_pending == 0) release_incident(slot);
}

void World::move_up(Incident& incident, int next_tier, metrics::EscalationCause cause, double now_s) {
  const int from_level = tiers_[incident.tier].highest_level;
  const double at_level_s = now_s - incident.tier_since_s;
  ++(cause == metrics::EscalationCause::off_duty ? incident.routed_off_hours : incident.escalations);
  incident.tier = next_tier;
  incident.tier_since_s = now_s;
  record(incident, life_events::Escalated{now_s, cause, from_level, at_level_s});
}

}  // namespace civicgrid::engine
