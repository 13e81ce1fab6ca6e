// What a responder does between calls: household visits (入户走访) in the order the visit policy gives, and
// patrol rounds of its unit; both may find hidden incidents, and a call may cut them short.
#include "engine/world.hpp"
#include "policy/visits.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "city/random.hpp"

namespace civicgrid::engine {
void World::set_up_idle_work() {
  idle_work_.resize(roster_.responders().size());
  std::vector<char> counted_grid(city_.grids().size(), 0);
  double households_total = 0;
  for (const auto& responder : roster_.responders()) {
    const auto& team = scenario_.teams[responder.team];
    if (!team.visits && team.patrol_round_s <= 0) continue;
    auto work = std::make_unique<IdleWork>(
        city::RandomStream(seed_, "visits/" + responder.name, static_cast<std::uint64_t>(replication_)));
    work->patrol_round_s = team.patrol_round_s;
    for (const auto& grid : city_.grids())
      if (city_.unit_of_grid(responder.level, grid.id) == responder.unit) work->grids.push_back(grid.id);
    if (team.visits) {
      const auto& programme = *team.visits;
      work->visits = &programme;
      const policy::VisitIntervals intervals(programme);
      // Members of the same team at the same unit share its households: member k takes every m-th one.
      int member = 0;
      int members = 0;
      for (int other : roster_.at_unit(responder.level, responder.unit))
        if (roster_.responders()[other].team == responder.team) {
          if (other == responder.id) member = members;
          ++members;
        }
      for (std::size_t index = 0; index < work->grids.size(); ++index) {
        const int grid = work->grids[index];
        const auto households = intervals.households_of(city_.grids()[grid].residents);
        work->households.push_back(households);
        if (!counted_grid[grid]) {
          counted_grid[grid] = 1;
          households_total += households.count;
        }
        // The team's members at a unit share its households: declared once, by its first member (member 0).
        if (member == 0) observer_.set_programme_households(responder.team, grid, households.count);
        for (int h = member; h < households.count; h += members)
          work->due.push({intervals.first_due_s(h, households), static_cast<int>(index), h});
      }
    }
    idle_work_[responder.id] = std::move(work);
  }
  observer_.set_households(households_total);
}

bool World::wait_for_work(int responder, double wait_s) {
  ResponderRuntime& runtime = runtime_[responder];
  const double until_s = simgrid::s4u::Engine::get_clock() + wait_s;
  // A token without work is a late one (an interruption raced with a time-out): it must not end the wait
  // early, or a patrol round or a visit would be completed before its time.
  while (runtime.incident < 0 && !runtime.released) {
    if (std::isinf(wait_s)) {
      wait_for_token(responder, wait_s);
      continue;
    }
    const double now_s = simgrid::s4u::Engine::get_clock();
    if (now_s >= until_s) break;
    // SimGrid 3.32: acquire_timeout() returns true when it timed out.
    if (wait_for_token(responder, until_s - now_s)) {
      // Assigned at the very moment the wait ended: the token arrived after the time-out; take it.
      if (runtime.incident >= 0) wait_for_token(responder, std::numeric_limits<double>::infinity());
      break;
    }
  }
  return runtime.incident >= 0;
}

void World::idle(int responder, double until_s) {
  ResponderRuntime& runtime = runtime_[responder];
  IdleWork* work = idle_work_[responder].get();
  while (runtime.incident < 0) {
    if (runtime.released) {
      // Its crew was interrupted before this actor even started on the job (no travel): leave the scene.
      rejoin_after_release(responder);
      continue;
    }
    const double now_s = simgrid::s4u::Engine::get_clock();
    if (now_s >= until_s) return;
    if (work == nullptr) {
      wait_for_work(responder, until_s - now_s);
      continue;
    }
    if (work->visits != nullptr && !work->due.empty() && work->due.top().due_s <= now_s) {
      const DueVisit visit = work->due.top();
      const double end_s = now_s + city::sample_duration_s(work->visits->time_per_household, work->draws);
      if (end_s > until_s) {   // no time left for a whole visit: it stays due for the next shift
        wait_for_work(responder, until_s - now_s);
        continue;
      }
      if (!work->visits->preempted_by_incidents) {
        // Finish first: not dispatchable until the visit is over, then back to the lines.
        dispatcher_.make_busy(responder);
        pass_time_until(end_s);
        const HandlerScope handler(*this);
        complete_visit(responder, *work, visit, now_s, end_s);
        const city::Point base = roster_.responders()[responder].base;
        dispatcher_.make_available(responder, {base, base, end_s, end_s});
        serve_waiting(responder, end_s);
        continue;
      }
      if (wait_for_work(responder, end_s - now_s)) return;   // called away: the visit is dropped, still due
      if (runtime.released) continue;                          // called away, and already sent back
      const HandlerScope handler(*this);
      complete_visit(responder, *work, visit, now_s, end_s);
      continue;
    }
    if (work->patrol_round_s > 0) {
      const double end_s = std::min(until_s, now_s + work->patrol_round_s);
      if (wait_for_work(responder, end_s - now_s)) return;   // a call ends the round unfinished
      if (runtime.released) continue;
      const HandlerScope handler(*this);
      if (end_s - now_s >= work->patrol_round_s) complete_patrol_round(responder, *work, end_s);
      continue;
    }
    // Nothing due: wait for a call until the next visit falls due.
    const double next_s = work->due.empty() ? until_s : std::min(until_s, work->due.top().due_s);
    wait_for_work(responder, next_s - now_s);
  }
}

void World::complete_visit(int responder, IdleWork& work, const DueVisit& visit, double start_s, double end_s) {
  observer_.visit_done(responder, work.grids[visit.grid_index], visit.household, start_s, end_s);
  work.due.pop();
  const policy::VisitIntervals::Households& households = work.households[visit.grid_index];
  work.due.push({policy::VisitIntervals(*work.visits).next_due_s(visit.household, households, end_s),
                 visit.grid_index, visit.household});
  // The hidden incidents of that household: each found with its type's detection probability.
  const int grid = work.grids[visit.grid_index];
  std::vector<int> found;
  for (const auto& [slot, id] : hidden_by_grid_[grid]) {
    const Incident& incident = incidents_[slot];
    const double p = scenario_.incidents[incident.type].visit_detection_probability;
    if (p <= 0 || static_cast<int>(incident.household_u * households.count) != visit.household) continue;
    if (work.draws.uniform01() < p) found.push_back(slot);
  }
  for (int slot : found) make_known(slot, end_s, metrics::KnownBy::visit, responder);
}

void World::complete_patrol_round(int responder, IdleWork& work, double now_s) {
  std::vector<int> found;
  for (int grid : work.grids)
    for (const auto& [slot, id] : hidden_by_grid_[grid]) {
      const double p = scenario_.incidents[incidents_[slot].type].patrol_detection_probability;
      if (p > 0 && work.draws.uniform01() < p) found.push_back(slot);
    }
  for (int slot : found) make_known(slot, now_s, metrics::KnownBy::patrol, responder);
}

}  // namespace civicgrid::engine
