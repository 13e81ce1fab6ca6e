// Staffing a case: sends it to its tier, escalating when nobody is free if the escalation policy says so, or
// puts it in line; staffs it all-or-nothing (every needed role at once), pre-empting less urgent work when the
// dispatch rules allow; and interrupts a crew's job (pre-emption, hand-over at a shift's end).
#include "engine/world.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "policy/preemption.hpp"

namespace civicgrid::engine {
using scenario::Level;

void World::route(int slot, double now_s, int acting_responder) {
  assert(incidents_[slot].stage == Stage::routing);
  while (true) {
    Incident& incident = incidents_[slot];
    // Each arrival at a tier starts with the reach the policy gives there (widened at once if its delay is 0).
    incident.reach = tiers_[incident.tier].widening_delay_s == 0 ? policy::Reach::widened : policy::Reach::own;
    if (!must_wait_behind_others(slot) && try_staff(slot, now_s, acting_responder)) return;
    const int next = next_tier_[incident.type][incident.tier];
    if (next >= 0 && escalation_.goes_up_when_busy(incident.type, tiers_[incident.tier].highest_level)) {
      move_up(incident, next, cause_of_no_capacity(incident), now_s);
      continue;
    }
    enqueue(slot, now_s);
    return;
  }
}

bool World::on_duty(int responder) const {
  // Teams without a duty roster are always on duty; the others between a shift's start and its end.
  if (!scenario_.teams[roster_.responders()[responder].team].has_duty_roster()) return true;
  return !std::isinf(runtime_[responder].duty_start_s);
}

metrics::EscalationCause World::cause_of_no_capacity(const Incident& incident) const {
  const auto& type = scenario_.incidents[incident.type];
  const auto& needed = roles_of_type_[incident.type];
  for (int level = static_cast<int>(type.min_level); level < 4; ++level) {
    if (!(tiers_[incident.tier].levels & (1u << level))) continue;
    const auto as_level = static_cast<Level>(level);
    for (int responder : roster_.at_unit(as_level, city_.unit_of_grid(as_level, incident.grid))) {
      const auto& roles = roster_.responders()[responder].roles;
      const bool qualified = std::any_of(needed.begin(), needed.end(), [&](int role) {
        return std::binary_search(roles.begin(), roles.end(), role);
      });
      if (qualified && on_duty(responder)) return metrics::EscalationCause::no_capacity;
    }
  }
  return metrics::EscalationCause::off_duty;
}

bool World::try_staff(int slot, double now_s, int acting_responder) {
  // The jobs a pre-emption interrupted are routed again only once the crew is staffed and the scratch space
  // is free again (ScratchLease), because routing them may staff them at once with the same space.
  std::vector<int> victims;
  if (!staff_crew(slot, now_s, acting_responder, victims)) return false;
  for (int victim : victims) route(victim, now_s, acting_responder);
  return true;
}

bool World::staff_crew(int slot, double now_s, int acting_responder, std::vector<int>& victims) {
  const ScratchLease lease(staffing_scratch_);
  Incident& incident = incidents_[slot];
  const auto& type = scenario_.incidents[incident.type];
  policy::Dispatcher::LevelMask levels = tiers_[incident.tier].levels;
  for (int level = 0; level < static_cast<int>(type.min_level); ++level) levels &= ~(1u << level);
  std::vector<int>& crew = staffing_scratch_.crew;
  std::vector<double>& travel_s = staffing_scratch_.travel_s;
  crew.clear();
  travel_s.clear();
  // Routine work skips members in their shift's last call; the crew chosen so far is excluded too.
  std::vector<int>& excluded = staffing_scratch_.excluded;
  excluded.clear();
  if (incident.priority > 1) excluded.assign(last_call_.begin(), last_call_.end());
  const bool may_preempt = scenario_.dispatch.preemption == scenario::Preemption::by_priority;
  std::vector<int>& preempting = staffing_scratch_.preempting;
  preempting.clear();
  for (int role : roles_of_type_[incident.type]) {
    auto chosen = dispatcher_.choose(role, incident.grid, incident.place, now_s, levels, excluded, incident.reach);
    // A member whose shift ends now is listed until its own actor goes off duty: it takes no new work (a
    // handed-over job must not go to a colleague leaving at the same moment).
    while (chosen && now_s >= runtime_[chosen->responder].duty_end_s) {
      excluded.push_back(chosen->responder);
      chosen = dispatcher_.choose(role, incident.grid, incident.place, now_s, levels, excluded, incident.reach);
    }
    if (!chosen && may_preempt) {
      double later_s = std::numeric_limits<double>::infinity();
      chosen = preemptable(role, incident, levels, excluded, now_s, later_s);
      if (chosen) {
        preempting.push_back(chosen->responder);
      } else if (!std::isinf(later_s) && incident.preemption_retry_s != later_s) {
        // Only crews still on their way could be taken: try again once the first of them is at work.
        incident.preemption_retry_s = later_s;
        schedule({later_s, StepKind::preemption_retry, slot, incident.id});
      }
    }
    if (!chosen) return false;
    crew.push_back(chosen->responder);
    excluded.push_back(chosen->responder);
    travel_s.push_back(chosen->travel_s);
  }
  const bool first_dispatch = std::isnan(incident.times.t_dispatch_s);
  double first_arrival_s = std::numeric_limits<double>::infinity();
  double team_arrival_s = now_s;
  for (double t : travel_s) {
    first_arrival_s = std::min(first_arrival_s, now_s + t);
    team_arrival_s = std::max(team_arrival_s, now_s + t);
  }
  // The crew member who arrives first leads. Its distance counts from where it sets out (a pre-empted one: the
  // scene it leaves), read before any pre-empted member leaves.
  const int lead = crew[static_cast<std::size_t>(std::min_element(travel_s.begin(), travel_s.end()) - travel_s.begin())];
  const double lead_distance_m =
      first_dispatch ? travel_.road_distance_m(runtime_[lead].incident >= 0 ? runtime_[lead].scene
                                                                            : dispatcher_.position_now(lead, now_s),
                                               incident.place)
                     : 0.0;
  // Pre-emption: the less urgent jobs those members leave wait again with the rest of their work.
  for (int responder : preempting)
    if (std::find(victims.begin(), victims.end(), runtime_[responder].incident) == victims.end())
      victims.push_back(runtime_[responder].incident);
  for (int victim : victims) interrupt_job(victim, now_s, metrics::Interruption::preempted, preempting);
  const double work_s = incident.remaining_service_s >= 0 ? incident.remaining_service_s : incident.service_s;
  const double done_s = team_arrival_s + work_s;
  incident.work_start_s = team_arrival_s;
  enter(incident, Stage::staffed);
  ++incident.generation;
  incident.crew = crew;
  incident.crew_pending = static_cast<int>(crew.size());
  if (first_dispatch) {
    incident.times.t_dispatch_s = now_s;
    incident.times.t_on_scene_s = first_arrival_s;
    incident.times.t_team_on_scene_s = team_arrival_s;
  }
  incident.times.t_closed_s = done_s;   // planned end of this crew's work (final only once closed)
  for (std::size_t k = 0; k < crew.size(); ++k) {
    const int responder = crew[k];
    ResponderRuntime& runtime = runtime_[responder];
    if (runtime.back_until_s > runtime.back_from_s) end_trip_home(responder, now_s);
    dispatcher_.make_busy(responder);
    runtime.incident = slot;
    runtime.generation = incident.generation;
    runtime.busy_until_s = done_s;
    const double arrival_s = now_s + travel_s[k];
    runtime.scene = incident.place;
    observer_.responder_busy(responder, metrics::ResponderActivity::travel, now_s, arrival_s);
    observer_.responder_busy(responder, metrics::ResponderActivity::on_scene, arrival_s, done_s);
    observer_.responder_served(responder, incident.times.t_occur_s);
    if (responder != acting_responder) wake_after_handler(responder);
  }
  record(incident, life_events::Dispatched{now_s, lead, static_cast<int>(crew.size()), first_dispatch, lead_distance_m,
                                           first_arrival_s, team_arrival_s});
  return true;
}

std::optional<policy::Assignment> World::preemptable(int role, const Incident& incident, policy::Dispatcher::LevelMask levels,
                                                     const std::vector<int>& excluded, double now_s, double& later_s) const {
  policy::ByPriorityPreemption choice(travel_, incident.priority, incident.place, now_s);
  for (int responder : responders_with_role_[role]) {
    const ResponderRuntime& runtime = runtime_[responder];
    if (runtime.incident < 0 || now_s >= runtime.duty_end_s) continue;   // free, handing over, or in overtime
    const Incident& current = incidents_[runtime.incident];
    if (runtime.generation != current.generation) continue;
    // Only a complete crew's job can be interrupted, and work that ends now is done (a crew mate whose actor
    // ran first may already have settled the case).
    if (current.crew_pending != static_cast<int>(current.crew.size()) || now_s >= runtime.busy_until_s) continue;
    if (!(levels & (1u << static_cast<unsigned>(roster_.responders()[responder].level)))) continue;
    if (!dispatcher_.may_serve(responder, incident.grid, incident.reach)) continue;
    if (std::find(excluded.begin(), excluded.end(), responder) != excluded.end()) continue;
    choice.consider({responder, current.priority, current.work_start_s, current.place});
  }
  later_s = std::min(later_s, choice.retry_at_s());
  return choice.choice();
}

void World::interrupt_job(int slot, double now_s, metrics::Interruption why, const std::vector<int>& keep) {
  Incident& incident = incidents_[slot];
  // Callers interrupt only work in progress (every role on scene), so no booked arrival is undone.
  const double planned_end_s = incident.times.t_closed_s;
  incident.remaining_service_s = planned_end_s - now_s;
  int taken_away = -1;   // the member called away (pre-emption) or going off duty (hand-over)
  for (int responder : incident.crew) {
    ResponderRuntime& runtime = runtime_[responder];
    if (runtime.incident != slot || runtime.generation != incident.generation) continue;
    // Its time was booked up to the planned end at dispatch; the part it will not work is taken back.
    observer_.responder_busy_cancelled(responder, metrics::ResponderActivity::on_scene, now_s, planned_end_s);
    runtime.incident = -1;
    if (std::find(keep.begin(), keep.end(), responder) == keep.end()) {
      runtime.released = true;
      wake_after_handler(responder);
    } else if (taken_away < 0) {
      taken_away = responder;
    }
  }
  incident.crew_pending = 0;
  incident.dispatchable_since_s = now_s;   // the rest of its work waits for staff again
  enter(incident, Stage::routing);
  incident.times.t_closed_s = std::numeric_limits<double>::quiet_NaN();
  record(incident, life_events::Interrupted{now_s, why, taken_away});
}

void World::end_trip_home(int responder, double now_s) {
  ResponderRuntime& runtime = runtime_[responder];
  observer_.responder_busy(responder, metrics::ResponderActivity::back_to_base, runtime.back_from_s,
                           std::min(now_s, runtime.back_until_s));
  runtime.back_from_s = runtime.back_until_s = 0;
}

}  // namespace civicgrid::engine
