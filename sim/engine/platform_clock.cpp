// The platform clock: one actor that runs the platform's steps when they fall due (registrations, checks,
// retries of pre-emption, widenings of a waiting case's reach) and moves up the cases that waited at a level
// past the escalation policy's limit.
#include "engine/world.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <simgrid/s4u/Engine.hpp>

namespace civicgrid::engine {
bool World::needs_platform_clock() const {
  for (const auto& type : scenario_.incidents)
    if (type.case_flow && (type.case_flow->registration || type.case_flow->check)) return true;
  if (scenario_.dispatch.preemption != scenario::Preemption::none) return true;
  return escalation_.has_wait_limits() || std::any_of(tiers_.begin(), tiers_.end(), [](const Tier& tier) {
           return !std::isinf(tier.widening_delay_s);
         });
}

void World::schedule(const PlatformStep& step) {
  platform_steps_.push(step);
  wake_clock_if_before(step.t_s);
}

void World::platform_clock() {
  while (true) {
    double next_s = platform_steps_.empty() ? std::numeric_limits<double>::infinity() : platform_steps_.top().t_s;
    for (const auto& waits : timed_waits_)
      if (!waits.empty()) next_s = std::min(next_s, waits.top().due_s);
    clock_target_s_ = next_s;
    const double now_s = simgrid::s4u::Engine::get_clock();
    if (next_s > now_s) {
      // Woken early when an earlier step arrives (a spurious wake just recomputes).
      assert(!in_handler_ && to_wake_.empty() && !clock_wake_pending_ && "the clock waits with a wake-up left undone");
      if (std::isinf(next_s)) clock_wake_->acquire();
      else clock_wake_->acquire_timeout(next_s - now_s);
      continue;
    }
    const HandlerScope handler(*this);
    while (!platform_steps_.empty() && platform_steps_.top().t_s <= now_s) {
      const PlatformStep step = platform_steps_.top();
      platform_steps_.pop();
      const bool current = slot_in_use_[step.slot] && incidents_[step.slot].id == step.id && !is_closed(incidents_[step.slot]);
      if (step.kind == StepKind::preemption_retry) {
        // A crew has begun work and may now be taken: every line is looked at, whoever scheduled the step.
        if (current) incidents_[step.slot].preemption_retry_s = -1;
        recheck_lines(now_s);
        continue;
      }
      if (!current) continue;
      switch (step.kind) {
        case StepKind::registration: registered(step.slot, now_s); break;
        case StepKind::check: checked(step.slot, now_s); break;
        case StepKind::widening: widen_reach(step.slot, step.t_s, now_s); break;
        case StepKind::preemption_retry: break;   // handled above
      }
    }
    for (int tier = 0; tier < static_cast<int>(timed_waits_.size()); ++tier)
      while (!timed_waits_[tier].empty() && timed_waits_[tier].top().due_s <= now_s) {
        const TimedWait wait = timed_waits_[tier].top();
        timed_waits_[tier].pop();
        escalate_if_still_waiting(wait, tier, now_s);
      }
  }
}

void World::escalate_if_still_waiting(const TimedWait& wait, int tier, double now_s) {
  if (!slot_in_use_[wait.slot] || incidents_[wait.slot].id != wait.id) return;
  Incident& incident = incidents_[wait.slot];
  if (incident.tier != tier || incident.waiting_since_s != wait.since_s) return;
  if (!leave_line(wait.slot, now_s)) return;   // a crew took it in time
  move_up(incident, next_tier_[incident.type][tier], metrics::EscalationCause::timed_out, now_s);
  route(wait.slot, now_s, -1);
  // Cases behind it that only waited for it may now find idle staff (idle members do not watch the lines).
  recheck_lines(now_s);
}

}  // namespace civicgrid::engine
