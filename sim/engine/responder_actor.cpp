// The responder actor: on duty shift by shift (attendance and working days from the shift rules), working on
// its jobs until they end or are cut short, then back on the lines or driving home.
#include "engine/world.hpp"
#include "policy/shift_rules.hpp"

#include <algorithm>
#include <limits>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "city/random.hpp"

namespace civicgrid::engine {
void World::leave_scene(int responder, city::Point scene, double now_s, bool off_duty) {
  ResponderRuntime& runtime = runtime_[responder];
  const city::Point base = roster_.responders()[responder].base;
  runtime.back_from_s = now_s;
  runtime.back_until_s = now_s + travel_.drive_s(scene, base);
  if (off_duty) return;   // its shift is over: it drives home
  dispatcher_.make_available(responder, {scene, base, now_s, runtime.back_until_s});
  serve_waiting(responder, now_s);
}

bool World::work_on_jobs(int responder, double hand_over_s) {
  ResponderRuntime& runtime = runtime_[responder];
  while (runtime.incident >= 0) {
    if (!jobs_interruptible_) {
      pass_time_until(runtime.busy_until_s);
      const HandlerScope handler(*this);
      finish_assignment(responder, simgrid::s4u::Engine::get_clock());
      continue;
    }
    const int job = runtime.incident;
    const int generation = runtime.generation;
    const double job_end_s = runtime.busy_until_s;
    // A job not yet begun at the shift's end is finished (overtime): only work in progress is handed over.
    const double until_s = hand_over_s >= incidents_[job].work_start_s ? std::min(job_end_s, hand_over_s) : job_end_s;
    const double now_s = simgrid::s4u::Engine::get_clock();
    // SimGrid 3.32: acquire_timeout() returns true when it timed out. A token means it was given other work
    // or taken off this job (or is a late token of an earlier wake-up): look again either way.
    if (now_s < until_s && !wait_for_token(responder, until_s - now_s)) continue;
    if (runtime.incident != job || runtime.generation != generation || runtime.busy_until_s != job_end_s) continue;
    const HandlerScope handler(*this);
    if (until_s == job_end_s) {
      finish_assignment(responder, simgrid::s4u::Engine::get_clock());
    } else {
      // Its shift ends mid-job: whoever is on duty takes over the rest of the work.
      const double end_s = simgrid::s4u::Engine::get_clock();
      interrupt_job(job, end_s, metrics::Interruption::handed_over, {responder});
      route(job, end_s, responder);
      // Off duty now, even if the timer's clock fell a rounding error short of the shift's end.
      leave_scene(responder, runtime.scene, end_s, true);
      return true;
    }
  }
  if (runtime.released) rejoin_after_release(responder);
  return false;
}

void World::rejoin_after_release(int responder) {
  // Taken off its job (a more urgent call took a crew mate, or a crew mate's shift ended).
  ResponderRuntime& runtime = runtime_[responder];
  runtime.released = false;
  const HandlerScope handler(*this);
  const double now_s = simgrid::s4u::Engine::get_clock();
  leave_scene(responder, runtime.scene, now_s, now_s >= runtime.duty_end_s);
}

void World::responder_shift(int responder) {
  const auto& team = scenario_.teams[roster_.responders()[responder].team];
  if (team.shift) {
    work_shifts(responder, *team.shift, team.availability);
    return;
  }
  if (team.availability < 1) {
    // Absence without a shift: whole days, midnight to midnight.
    scenario::Shift whole_day;
    whole_day.length_s = 86400;
    work_shifts(responder, whole_day, team.availability);
    return;
  }
  while (true) {
    idle(responder, std::numeric_limits<double>::infinity());
    work_on_jobs(responder, std::numeric_limits<double>::infinity());
  }
}

void World::work_shifts(int responder, const scenario::Shift& shift, double availability) {
  ResponderRuntime& runtime = runtime_[responder];
  const auto& me = roster_.responders()[responder];
  // Whether a member works a given day: one draw per member and calendar day, in day order, drawn on days off
  // too, so that variants with other working days still pair each day's draw with the same day.
  city::RandomStream attendance(seed_, "availability/" + me.name, static_cast<std::uint64_t>(replication_));
  const policy::ShiftRules rules(shift, calendar_);
  for (long long day = 0;; ++day) {
    const double on_s = static_cast<double>(day) * 86400.0 + shift.start_s;
    double off_s = on_s + shift.length_s;
    if (on_s >= scenario_.run.horizon_s) return;
    const auto works_on = [&](long long d) { return rules.works_on(d, attendance.uniform01(), availability); };
    if (!works_on(day)) continue;
    // A shift that ends as the next day's begins (24 h shifts; whole days without a shift) runs on through
    // consecutive days on duty: no break at midnight, no hand-over to oneself.
    while (shift.length_s >= 86400.0 && off_s < scenario_.run.horizon_s) {
      ++day;
      if (!works_on(day)) break;
      off_s += 86400.0;
    }
    pass_time_until(on_s);
    const double now_s = simgrid::s4u::Engine::get_clock();
    runtime.duty_start_s = now_s;   // later than on_s when the previous day's overtime ran into it
    runtime.duty_end_s = off_s;
    // On duty from where it is: home by now, unless the drive back from a late job is still under way.
    const bool driving_home = runtime.back_until_s > now_s && runtime.back_until_s > runtime.back_from_s;
    dispatcher_.make_available(responder, driving_home ? policy::Whereabouts{runtime.scene, me.base, runtime.back_from_s,
                                                                             runtime.back_until_s}
                                                       : policy::Whereabouts{me.base, me.base, now_s, now_s});
    {
      const HandlerScope handler(*this);
      serve_waiting(responder, now_s);
      take_next_desk_work(responder, now_s);
    }
    while (true) {
      if (runtime.incident < 0) {
        const double last_call_s = rules.last_call_from_s(off_s);
        if (rules.has_last_call() && simgrid::s4u::Engine::get_clock() < last_call_s) {
          idle(responder, last_call_s);
          if (runtime.incident >= 0) continue;
        }
        if (rules.has_last_call() && std::find(last_call_.begin(), last_call_.end(), responder) == last_call_.end())
          last_call_.push_back(responder);
        idle(responder, off_s);
        if (runtime.incident < 0) break;
      }
      const bool handed_over =
          work_on_jobs(responder, shift.at_end == scenario::Shift::AtEnd::hand_over ? off_s : std::numeric_limits<double>::infinity());
      if (handed_over || simgrid::s4u::Engine::get_clock() >= off_s) break;
    }
    last_call_.erase(std::remove(last_call_.begin(), last_call_.end(), responder), last_call_.end());
    dispatcher_.make_busy(responder);   // off duty: not dispatchable until the next shift
    runtime.duty_end_s = std::numeric_limits<double>::infinity();
    // Overtime and the drive back from the last job are working time too.
    double duty_end_s = std::max(off_s, simgrid::s4u::Engine::get_clock());
    if (runtime.back_until_s > runtime.back_from_s) duty_end_s = std::max(duty_end_s, runtime.back_until_s);
    observer_.responder_on_duty(responder, std::max(runtime.duty_start_s, runtime.duty_recorded_until_s), duty_end_s);
    runtime.duty_recorded_until_s = duty_end_s;
    runtime.duty_start_s = std::numeric_limits<double>::infinity();
  }
}

}  // namespace civicgrid::engine
