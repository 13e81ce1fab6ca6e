// The incident life cycle of the foundation model: occurs (and is known at once) -> dispatched to a free
// qualified responder, or waits first-come first-served -> on scene -> closed; the responder then takes the
// oldest waiting incident it can serve or drives back to base, staying available on the way.
#include "engine/world.hpp"

#include <cmath>
#include <limits>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace civicgrid::engine {
namespace {
constexpr double not_reached = std::numeric_limits<double>::quiet_NaN();
}

World::World(const scenario::Scenario& scenario, const city::City& city, const city::Roster& roster,
             metrics::IncidentLog& log)
    : scenario_(scenario),
      city_(city),
      roster_(roster),
      travel_(scenario.travel),
      dispatcher_(scenario.dispatch.policy, city, roster, travel_),
      observer_(scenario, city, roster),
      log_(log),
      waiting_by_role_(roster.role_count()),
      runtime_(roster.responders().size()) {
  for (const auto& type : scenario.incidents) role_of_type_.push_back(roster.role_id(type.roles.front()));
  for (const auto& responder : roster.responders()) {
    runtime_[responder.id].wake = simgrid::s4u::Semaphore::create(0);
    dispatcher_.make_available(responder.id, {responder.base, responder.base, 0.0, 0.0});
  }
}

int World::allocate_incident() {
  ++open_count_;
  if (!free_slots_.empty()) {
    const int slot = free_slots_.back();
    free_slots_.pop_back();
    slot_in_use_[slot] = 1;
    return slot;
  }
  incidents_.emplace_back();
  slot_in_use_.push_back(1);
  return static_cast<int>(incidents_.size()) - 1;
}

void World::incident_occurs(int type, const city::Occurrence& occurrence, double now_s) {
  const int slot = allocate_incident();
  Incident& incident = incidents_[slot];
  incident.id = next_incident_id_++;
  incident.type = type;
  incident.role = role_of_type_[type];
  incident.grid = occurrence.grid;
  incident.place = occurrence.place;
  incident.service_s = occurrence.service_s;
  incident.times = {now_s, now_s, not_reached, not_reached, not_reached};
  incident.responder = -1;
  observer_.incident_occurred(now_s, incident.grid);

  if (const auto chosen = dispatcher_.choose(incident.role, incident.grid, incident.place, now_s)) {
    assign(chosen->responder, slot, chosen->travel_s, now_s);
    runtime_[chosen->responder].wake->release();
    return;
  }
  waiting_by_role_[incident.role].push_back(slot);
  observer_.queue_changed(now_s, ++waiting_count_);
}

void World::assign(int responder, int slot, double travel_s, double now_s) {
  ResponderRuntime& runtime = runtime_[responder];
  if (runtime.back_until_s > runtime.back_from_s) {
    // Redirected (or simply reassigned) while driving back: the trip home ends here.
    observer_.responder_busy(responder, metrics::ResponderActivity::back_to_base, runtime.back_from_s,
                             std::min(now_s, runtime.back_until_s));
    runtime.back_from_s = runtime.back_until_s = 0;
  }
  dispatcher_.make_busy(responder);
  Incident& incident = incidents_[slot];
  incident.responder = responder;
  incident.times.t_dispatch_s = now_s;
  incident.times.t_on_scene_s = now_s + travel_s;
  incident.times.t_closed_s = incident.times.t_on_scene_s + incident.service_s;
  runtime.incident = slot;
  observer_.responder_busy(responder, metrics::ResponderActivity::travel, now_s, incident.times.t_on_scene_s);
  observer_.responder_busy(responder, metrics::ResponderActivity::on_scene, incident.times.t_on_scene_s,
                           incident.times.t_closed_s);
  observer_.responder_served(responder, incident.times.t_occur_s);
  // The arrival on scene is already determined; it counts only if it happens within the run.
  if (incident.times.t_on_scene_s <= scenario_.run.horizon_s)
    observer_.incident_responded(incident.times, incident.grid, scenario_.incidents[incident.type].target_s);
}

std::optional<int> World::oldest_waiting_for(int responder) const {
  std::optional<int> oldest;
  for (int role : roster_.responders()[responder].roles) {
    const auto& line = waiting_by_role_[role];
    if (line.empty()) continue;
    const Incident& candidate = incidents_[line.front()];
    if (!oldest || candidate.times.t_known_s < incidents_[*oldest].times.t_known_s ||
        (candidate.times.t_known_s == incidents_[*oldest].times.t_known_s &&
         candidate.id < incidents_[*oldest].id))
      oldest = line.front();
  }
  return oldest;
}

void World::log_incident(const Incident& incident, bool open, double now_s) {
  if (!log_.enabled() || incident.times.t_occur_s < scenario_.run.warmup_s) return;
  metrics::IncidentRecord record;
  record.incident = incident.id;
  record.type = &scenario_.incidents[incident.type].name;
  record.grid = &city_.grids()[incident.grid];
  record.place = incident.place;
  record.times = incident.times;
  if (open) {
    // Stamps planned for after the horizon did not happen within the run.
    for (double* stamp : {&record.times.t_dispatch_s, &record.times.t_on_scene_s, &record.times.t_closed_s})
      if (*stamp > now_s) *stamp = not_reached;
  }
  record.responder = incident.responder >= 0 ? &roster_.responders()[incident.responder].name : nullptr;
  record.target_s = scenario_.incidents[incident.type].target_s;
  record.open = open;
  log_.write(record);
}

void World::incident_closed(int responder, double now_s) {
  ResponderRuntime& runtime = runtime_[responder];
  const int slot = runtime.incident;
  const Incident& incident = incidents_[slot];
  observer_.incident_closed(incident.times);
  log_incident(incident, false, now_s);
  const city::Point scene = incident.place;
  slot_in_use_[slot] = 0;
  free_slots_.push_back(slot);
  --open_count_;

  if (const auto next = oldest_waiting_for(responder)) {
    waiting_by_role_[incidents_[*next].role].pop_front();
    observer_.queue_changed(now_s, --waiting_count_);
    assign(responder, *next, travel_.response_travel_s(scene, incidents_[*next].place, true), now_s);
    return;
  }
  runtime.incident = -1;
  const city::Point base = roster_.responders()[responder].base;
  const double home_s = now_s + travel_.drive_s(scene, base);
  runtime.back_from_s = now_s;
  runtime.back_until_s = home_s;
  dispatcher_.make_available(responder, {scene, base, now_s, home_s});
}

void World::responder_shift(int responder) {
  ResponderRuntime& runtime = runtime_[responder];
  while (true) {
    runtime.wake->acquire();
    while (runtime.incident >= 0) {
      simgrid::s4u::this_actor::sleep_until(incidents_[runtime.incident].times.t_closed_s);
      incident_closed(responder, simgrid::s4u::Engine::get_clock());
    }
  }
}

void World::close_at_horizon(int replication, std::uint64_t seed, double now_s) {
  for (std::size_t slot = 0; slot < incidents_.size(); ++slot)
    if (slot_in_use_[slot]) log_incident(incidents_[slot], true, now_s);
  for (std::size_t responder = 0; responder < runtime_.size(); ++responder) {
    const ResponderRuntime& runtime = runtime_[responder];
    if (runtime.back_until_s > runtime.back_from_s)
      observer_.responder_busy(static_cast<int>(responder), metrics::ResponderActivity::back_to_base,
                               runtime.back_from_s, runtime.back_until_s);
  }
  result_ = observer_.finish(replication, seed, open_count_);
}

}  // namespace civicgrid::engine
