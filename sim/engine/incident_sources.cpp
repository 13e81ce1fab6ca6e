// How incidents enter the life cycle: they occur, and become known when residents report them, when a worker
// finds them, or when they develop into a visible incident. Until then they are hidden in their grid.
#include "engine/world.hpp"

#include <algorithm>
#include <cassert>

#include "city/random.hpp"

namespace civicgrid::engine {
PendingIncident World::incident_occurs(int type, const city::Occurrence& occurrence, double now_s,
                                       metrics::KnownBy source) {
  const HandlerScope handler(*this);
  return occur(type, occurrence, now_s, source);
}

PendingIncident World::occur(int type, const city::Occurrence& occurrence, double now_s, metrics::KnownBy source) {
  const int slot = allocate_incident();
  Incident& incident = incidents_[slot];
  std::vector<int> crew = std::move(incident.crew);   // keep the reused slot's capacity
  std::vector<metrics::LifeStep> steps = std::move(incident.steps);
  crew.clear();
  steps.clear();
  incident = Incident{};
  incident.crew = std::move(crew);
  incident.steps = std::move(steps);
  incident.id = next_incident_id_++;
  incident.type = type;
  incident.grid = occurrence.grid;
  incident.priority = scenario_.incidents[type].priority;
  incident.place = occurrence.place;
  incident.service_s = occurrence.service_s;
  std::copy(std::begin(occurrence.failure_draw), std::end(occurrence.failure_draw), incident.failure_draw);
  incident.times = {now_s, not_reached, not_reached, not_reached, not_reached, not_reached, not_reached};
  incident.not_reported_draw = occurrence.not_reported_draw;
  incident.platform_delay_s = occurrence.platform_delay_s;
  incident.household_u = occurrence.household_u;
  // A type no tier can staff (a joint crew larger than any tier) waits at the top tier and shows as backlog.
  incident.tier = first_tier_of_type_[type] >= 0 ? first_tier_of_type_[type] : static_cast<int>(tiers_.size()) - 1;
  record(incident, life_events::Occurred{now_s});
  const auto& rules = scenario_.incidents[type];
  PendingIncident pending;
  pending.slot = slot;
  pending.id = incident.id;
  pending.report = occurrence.reported_by_residents && occurrence.known_delay_s > 0;
  pending.report_at_s = now_s + occurrence.known_delay_s;
  pending.develop = occurrence.develops;
  pending.develop_at_s = now_s + occurrence.develop_after_s;
  if (occurrence.reported_by_residents && occurrence.known_delay_s <= 0) {
    make_known(slot, now_s, source, -1);
    return {};
  }
  if (!occurrence.reported_by_residents && !rules.findable_by_workers() && !occurrence.develops) {
    // Nobody reports it and nothing can find it or make it visible: it stays out of every count but capture.
    record(incident, life_events::NeverKnown{now_s});
    release_incident(slot);
    return {};
  }
  if (rules.findable_by_workers()) hidden_by_grid_[incident.grid].emplace_back(slot, incident.id);
  return pending;
}

void World::forget_hidden(int slot) {
  auto& hidden = hidden_by_grid_[incidents_[slot].grid];
  for (std::size_t k = 0; k < hidden.size(); ++k)
    if (hidden[k].first == slot) {
      hidden[k] = hidden.back();
      hidden.pop_back();
      return;
    }
}

void World::residents_report(int slot, std::int64_t id, double now_s) {
  if (!slot_in_use_[slot] || incidents_[slot].id != id || is_known(incidents_[slot])) return;   // found first, or gone
  const HandlerScope handler(*this);
  make_known(slot, now_s, metrics::KnownBy::residents, -1);
}

void World::development_due(int slot, std::int64_t id, double now_s) {
  if (!slot_in_use_[slot] || incidents_[slot].id != id || is_known(incidents_[slot])) return;   // found in time
  const HandlerScope handler(*this);
  Incident& cause = incidents_[slot];
  assert(cause.stage == Stage::unknown);
  const auto& rules = scenario_.incidents[cause.type];
  if (rules.findable_by_workers()) forget_hidden(slot);
  record(cause, life_events::Developed{now_s});
  city::Occurrence origin;
  origin.grid = cause.grid;
  origin.place = cause.place;
  origin.household_u = cause.household_u;
  const int into = rules.develops->into_type;
  release_incident(slot);   // before the new one: it may take the same slot
  const auto consequence = consequences_[into]->consequence_of(origin, now_s);
  occur(into, consequence, now_s, metrics::KnownBy::development);
}

void World::make_known(int slot, double now_s, metrics::KnownBy source, int acting) {
  Incident& incident = incidents_[slot];
  assert(incident.stage == Stage::unknown);
  const auto& rules = scenario_.incidents[incident.type];
  if (rules.findable_by_workers() && source != metrics::KnownBy::development) forget_hidden(slot);
  incident.times.t_known_s = now_s;
  incident.known_by = source;
  // Deadlines in working time fall due by the calendar: longer on the clock over a weekend or a holiday.
  incident.closure_deadline_s = rules.deadline.set() ? calendar_.due_s(now_s, rules.deadline) - now_s : 0.0;
  incident.disposal_deadline_s =
      rules.disposal_deadline.set() ? calendar_.due_s(now_s, rules.disposal_deadline) - now_s : 0.0;
  incident.tier_since_s = now_s;
  record(incident, life_events::Known{now_s});
  incident.times.t_registration_start_s = now_s;
  if (rules.case_flow && rules.case_flow->registration) {
    // 受理/立案 first: dispatch starts once the platform has registered the case. Its registration time is
    // drawn now, whether a desk member or a pure delay does it, so that variants with other desk staff see
    // the same draws.
    enter(incident, Stage::registering);
    const double registration_s = city::sample_duration_s(*rules.case_flow->registration, *case_flow_draws_[incident.type]);
    incident.step_due_s = calendar_.due_s(now_s, rules.case_flow->registration_limit);   // inf: no limit
    if (const int desk = registration_desk_of_type_[incident.type]; desk >= 0)
      join_desk(slot, desk, registration_s, now_s);
    else
      schedule({now_s + registration_s, StepKind::registration, slot, incident.id});
    return;
  }
  incident.times.t_registered_s = now_s;   // no registration step: known is registered
  incident.dispatchable_since_s = now_s;
  enter(incident, Stage::routing);
  route(slot, now_s, acting);
}

}  // namespace civicgrid::engine
