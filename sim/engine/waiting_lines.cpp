// The waiting lines, one per tier, ordered by (priority, time known): joining and leaving them, who may jump
// whom, and serving them in order when staff become free, without letting younger cases overtake.
#include "engine/world.hpp"
#include "policy/shift_rules.hpp"

#include <algorithm>
#include <cmath>

namespace civicgrid::engine {
bool World::must_wait_behind_others(int slot) const {
  const Incident& incident = incidents_[slot];
  const auto& counts = waiting_role_count_[incident.tier];
  bool shares_a_role = false;
  for (int role : roles_of_type_[incident.type]) shares_a_role |= counts[role] > 0;
  if (!shares_a_role) return false;
  // Only incidents as urgent or more, and known earlier, go first; they do if they need one of its roles.
  const WaitingKey key = line_key(slot);
  for (const WaitingKey& waiting : waiting_[incident.tier]) {
    if (!(waiting < key)) break;
    const Incident& ahead = incidents_[waiting.slot];
    if (!dispatcher_.could_share_staff(ahead.grid, ahead.reach, incident.grid, incident.reach, tiers_[incident.tier].levels))
      continue;
    for (int role : roles_of_type_[incidents_[waiting.slot].type])
      if (std::find(roles_of_type_[incident.type].begin(), roles_of_type_[incident.type].end(), role) !=
          roles_of_type_[incident.type].end())
        return true;
  }
  return false;
}

void World::enqueue(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  incident.waiting_since_s = now_s;
  join_line(slot, now_s);
  const double after_s = escalation_.wait_limit_s(incident.type, tiers_[incident.tier].highest_level);
  if (after_s > 0 && next_tier_[incident.type][incident.tier] >= 0) {
    timed_waits_[incident.tier].push({now_s + after_s, timed_waits_begun_++, slot, incident.id, now_s});
    wake_clock_if_before(now_s + after_s);
  }
  const double widen_after_s = tiers_[incident.tier].widening_delay_s;
  if (incident.reach == policy::Reach::own && widen_after_s > 0 && !std::isinf(widen_after_s))
    schedule({now_s + widen_after_s, StepKind::widening, slot, incident.id});
}

void World::widen_reach(int slot, double due_s, double now_s) {
  Incident& incident = incidents_[slot];
  // Only the step of the current wait counts: a newer wait (back in line after a pre-emption or a rework, or
  // at a higher tier) has its own step, computed the same way, so the sum matches exactly.
  if (incident.stage != Stage::waiting || incident.reach != policy::Reach::own ||
      incident.waiting_since_s + tiers_[incident.tier].widening_delay_s != due_s)
    return;
  incident.reach = policy::Reach::widened;
  record(incident, life_events::ReachWidened{now_s});
  // Idle members do not watch the lines, so the staff the wider reach adds is offered the case now.
  if (!must_wait_behind_others(slot)) staff_from_line(line_key(slot), now_s, -1);
}

World::WaitingKey World::line_key(int slot) const {
  const Incident& incident = incidents_[slot];
  return {incident.priority, incident.times.t_known_s, incident.id, slot};
}

void World::join_line(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  enter(incident, Stage::waiting);
  waiting_[incident.tier].insert(line_key(slot));
  for (int role : roles_of_type_[incident.type]) ++waiting_role_count_[incident.tier][role];
  observer_.queue_changed(now_s, ++waiting_count_);
}

bool World::leave_line(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  if (waiting_[incident.tier].erase(line_key(slot)) == 0) return false;
  enter(incident, Stage::routing);
  for (int role : roles_of_type_[incident.type]) --waiting_role_count_[incident.tier][role];
  observer_.queue_changed(now_s, --waiting_count_);
  return true;
}

void World::serve_waiting(int responder, double now_s) {
  // A member freed during its shift's last call takes only urgent work from here on.
  const auto& shift = scenario_.teams[roster_.responders()[responder].team].shift;
  if (shift && policy::ShiftRules(*shift, calendar_).in_last_call(now_s, runtime_[responder].duty_end_s) &&
      std::find(last_call_.begin(), last_call_.end(), responder) == last_call_.end())
    last_call_.push_back(responder);
  // Its own tier's line first, then the lines of the tiers above that may call on it.
  for (int tier = lowest_tier_of_level_[static_cast<int>(roster_.responders()[responder].level)];
       tier < static_cast<int>(tiers_.size()) && dispatcher_.is_available(responder); ++tier)
    if (!serve_line(responder, tier, now_s)) return;
}

bool World::serve_line(int responder, int tier, double now_s) {
  const auto& my_roles = roster_.responders()[responder].roles;
  auto& line = waiting_[tier];
  for (auto it = line.begin(); it != line.end() && dispatcher_.is_available(responder);) {
    const int slot = it->slot;
    const auto& needed = roles_of_type_[incidents_[slot].type];
    const bool helps = dispatcher_.may_serve(responder, incidents_[slot].grid, incidents_[slot].reach) &&
                       std::any_of(needed.begin(), needed.end(), [&](int role) {
                         return std::binary_search(my_roles.begin(), my_roles.end(), role);
                       });
    if (!helps) {
      ++it;
      continue;
    }
    const WaitingKey key = *it;
    if (!staff_from_line(key, now_s, responder)) return false;   // it keeps its place; nobody younger jumps it
    offer_line_after(tier, key, now_s, responder);
    it = line.lower_bound(key);   // cases it displaced (pre-emption) may have joined the line behind it
  }
  return true;
}

void World::offer_line_after(int tier, const WaitingKey& left, double now_s, int acting_responder) {
  // The cases it held back (they share a role with it) may find free staff other than this responder; in
  // order, until one still cannot go.
  auto& line = waiting_[tier];
  const bool may_preempt = scenario_.dispatch.preemption != scenario::Preemption::none;
  for (auto it = line.upper_bound(left); it != line.end(); it = line.upper_bound(left)) {
    const WaitingKey key = *it;
    const auto& needed = roles_of_type_[incidents_[key.slot].type];
    if (!may_preempt && !std::all_of(needed.begin(), needed.end(), [&](int role) { return dispatcher_.anyone_free(role); }))
      return;   // the usual case under load: nobody free for it, no need to try
    if (must_wait_behind_others(key.slot) || !staff_from_line(key, now_s, acting_responder)) return;
  }
}

bool World::staff_from_line(const WaitingKey& key, double now_s, int acting_responder) {
  // Out of the line while it is staffed, so that the cases it takes staff from are routed as if it had left.
  leave_line(key.slot, now_s);
  if (try_staff(key.slot, now_s, acting_responder)) return true;
  join_line(key.slot, now_s);   // back in its place (its key is unchanged)
  return false;
}

void World::recheck_lines(double now_s) {
  for (int tier = 0; tier < static_cast<int>(waiting_.size()); ++tier) {
    auto& line = waiting_[tier];
    for (auto it = line.begin(); it != line.end();) {
      const WaitingKey key = *it;
      if (!must_wait_behind_others(key.slot) && staff_from_line(key, now_s, -1))
        it = line.lower_bound(key);
      else
        it = line.upper_bound(key);
    }
  }
}

}  // namespace civicgrid::engine
