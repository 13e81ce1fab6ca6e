// What happens when a crew's work ends: the case closes, goes up the ladder after a failed handling, or waits
// for the platform's check (核查) which may send it back (返工); registration (受理/立案) before dispatch; and
// escalation up the ladder. Each step is recorded once (life_record.cpp).
#include "engine/world.hpp"

#include <cassert>
#include <cmath>

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
      const double check_s = city::sample_duration_s(*type.case_flow->check, *case_flow_draws_[incident.type]);
      incident.step_due_s = calendar_.due_s(now_s, type.case_flow->check_limit);   // inf: no limit
      if (const int desk = check_desk_of_type_[incident.type]; desk >= 0)
        join_desk(slot, desk, check_s, now_s);
      else
        schedule({now_s + check_s, StepKind::check, slot, incident.id});
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

int World::desk_for_role(const std::string& role_name) {
  const int role = roster_.role_id(role_name);
  assert(role >= 0);   // the loader refuses a role no team has
  for (std::size_t desk = 0; desk < desks_.size(); ++desk)
    if (desks_[desk].role == role) return static_cast<int>(desk);
  desks_.push_back({role, responders_with_role_[role], {}});
  const int desk = static_cast<int>(desks_.size()) - 1;
  for (int member : responders_with_role_[role]) desks_of_responder_[member].push_back(desk);
  return desk;
}

void World::join_desk(int slot, int desk, double work_s, double now_s) {
  Incident& incident = incidents_[slot];
  incident.desk_work_s = work_s;
  for (int member : desks_[desk].members)
    if (desk_slot_[member] < 0 && on_duty(member)) {
      begin_desk_work(slot, member, now_s);
      return;
    }
  desks_[desk].waiting.emplace_back(slot, incident.id);
}

void World::begin_desk_work(int slot, int responder, double now_s) {
  Incident& incident = incidents_[slot];
  assert((incident.stage == Stage::registering || incident.stage == Stage::checking) && incident.desk_member < 0 &&
         desk_slot_[responder] < 0);
  desk_slot_[responder] = slot;
  incident.desk_member = responder;
  const bool registering = incident.stage == Stage::registering;
  if (registering) {
    incident.times.t_registration_start_s = now_s;
    record(incident, life_events::RegistrationStarted{now_s, responder});
  } else {
    record(incident, life_events::CheckStarted{now_s, responder});
  }
  observer_.responder_busy(responder, metrics::ResponderActivity::on_scene, now_s, now_s + incident.desk_work_s);
  schedule({now_s + incident.desk_work_s, registering ? StepKind::registration : StepKind::check, slot, incident.id});
}

void World::take_next_desk_work(int responder, double now_s) {
  if (desk_slot_[responder] >= 0 || !on_duty(responder)) return;
  for (int desk : desks_of_responder_[responder]) {
    auto& waiting = desks_[desk].waiting;
    while (!waiting.empty()) {
      const auto [slot, id] = waiting.front();
      waiting.pop_front();
      // A waiting case stays at its step until a member takes it; a reused slot is another case.
      if (!slot_in_use_[slot] || incidents_[slot].id != id) continue;
      assert(incidents_[slot].stage == Stage::registering || incidents_[slot].stage == Stage::checking);
      begin_desk_work(slot, responder, now_s);
      return;
    }
  }
}

int World::leave_desk(Incident& incident) {
  const int member = incident.desk_member;
  if (member < 0) return -1;
  incident.desk_member = -1;
  desk_slot_[member] = -1;
  return member;
}

void World::registered(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  assert(incident.stage == Stage::registering);
  const int registrar = leave_desk(incident);
  if (!std::isinf(incident.step_due_s))
    observer_.platform_step_done(metrics::ReplicationObserver::PlatformStep::registration, incident.times.t_occur_s,
                                 now_s, incident.step_due_s);
  incident.times.t_registered_s = now_s;
  incident.dispatchable_since_s = now_s;
  enter(incident, Stage::routing);
  record(incident, life_events::Registered{now_s, registrar});
  route(slot, now_s, -1);
  // The desk member is free again (the case went on first): the next case in its line, if still on duty.
  if (registrar >= 0) take_next_desk_work(registrar, now_s);
}

void World::checked(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  assert(incident.stage == Stage::checking);
  const auto& type = scenario_.incidents[incident.type];
  // The checker is free once the case goes on (rework or closure, which may release the slot).
  const int checker = leave_desk(incident);
  if (!std::isinf(incident.step_due_s))
    observer_.platform_step_done(metrics::ReplicationObserver::PlatformStep::check, incident.times.t_occur_s, now_s,
                                 incident.step_due_s);
  if (case_flow_draws_[incident.type]->uniform01() < type.case_flow->rework_probability) {
    // 返工: back to the same level for another round of handling, by a new crew.
    ++incident.reworks;
    incident.crew_pending = 0;
    incident.dispatchable_since_s = now_s;
    enter(incident, Stage::routing);
    record(incident, life_events::Reworked{now_s});
    route(slot, now_s, -1);
  } else {
    enter(incident, Stage::closed);
    incident.times.t_closed_s = now_s;
    record(incident, life_events::Closed{now_s});
    if (incident.crew_pending == 0) release_incident(slot);
  }
  if (checker >= 0) take_next_desk_work(checker, now_s);
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
