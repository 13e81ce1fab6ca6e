// The incident life cycle: occurs -> known when residents report it (or never) -> routed to the first tier
// qualified for it -> staffed all-or-nothing (every needed role at once, so joint responses never hold some
// staff while waiting for others) or put in line by (priority, time known) -> crew travels -> work starts when
// the whole crew is on scene -> handled; a failed handling escalates to the next tier, a successful one closes
// the case and its report goes to the platform (or not). Crew members then serve the waiting lines they can
// help with or drive back to base, available on the way, until their shift ends.
#include "engine/world.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "city/random.hpp"
#include "policy/preemption.hpp"
#include "policy/reporting.hpp"

namespace civicgrid::engine {
namespace {
constexpr double not_reached = std::numeric_limits<double>::quiet_NaN();
using scenario::Level;

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

World::World(const scenario::Scenario& scenario, const city::City& city, const city::Roster& roster,
             metrics::IncidentLog& log, std::uint64_t seed, int replication)
    : scenario_(scenario),
      city_(city),
      roster_(roster),
      travel_(scenario.travel, city),
      calendar_(scenario.calendar),
      dispatcher_(scenario.dispatch.policy, city, roster, travel_, seed, replication),
      escalation_(scenario.escalation),
      observer_(scenario, city, roster),
      log_(log),
      seed_(seed),
      replication_(replication),
      runtime_(roster.responders().size()) {
  // Tiers: one pool of every level, or one tier per level that has staff, lowest first. A tier at level L
  // leads with its own staff and may call on the levels below it (a community case takes the grid worker
  // along: 组团式服务), so each tier's levels are those up to L.
  if (scenario.escalation.mode == scenario::EscalationMode::pooled) {
    tiers_.push_back({policy::Dispatcher::all_levels, 3});
  } else {
    for (int level = 0; level < 4; ++level) {
      const bool staffed = std::any_of(roster.responders().begin(), roster.responders().end(),
                                       [&](const city::Responder& r) { return static_cast<int>(r.level) == level; });
      if (staffed) tiers_.push_back({(2u << level) - 1, level});
    }
    if (tiers_.empty()) tiers_.push_back({policy::Dispatcher::all_levels, 3});
  }
  for (int level = 0; level < 4; ++level)
    for (int t = static_cast<int>(tiers_.size()) - 1; t >= 0; --t)
      if (tiers_[t].levels & (1u << level)) lowest_tier_of_level_[level] = t;
  waiting_.resize(tiers_.size());
  timed_waits_.resize(tiers_.size());
  waiting_role_count_.assign(tiers_.size(), std::vector<int>(roster.role_count(), 0));

  for (int type = 0; type < static_cast<int>(scenario.incidents.size()); ++type) {
    std::vector<int> roles;
    for (const auto& role : scenario.incidents[type].roles) roles.push_back(roster.role_id(role));
    roles_of_type_.push_back(roles);
  }
  for (int type = 0; type < static_cast<int>(scenario.incidents.size()); ++type) {
    first_tier_of_type_.push_back(qualified_tier(type, 0));
    std::vector<int> next(tiers_.size());
    for (int t = 0; t < static_cast<int>(tiers_.size()); ++t) next[t] = qualified_tier(type, t + 1);
    next_tier_.push_back(next);
  }

  hidden_by_grid_.resize(city.grids().size());
  consequences_.resize(scenario.incidents.size());
  for (const auto& type : scenario.incidents)
    if (type.develops && !consequences_[type.develops->into_type])
      consequences_[type.develops->into_type] = std::make_unique<city::IncidentStream>(
          scenario.incidents[type.develops->into_type], city, seed, replication);
  set_up_idle_work();
  case_flow_draws_.resize(scenario.incidents.size());
  for (std::size_t type = 0; type < scenario.incidents.size(); ++type)
    if (scenario.incidents[type].case_flow)
      case_flow_draws_[type] = std::make_unique<city::RandomStream>(seed, "case_flow/" + scenario.incidents[type].name,
                                                                    static_cast<std::uint64_t>(replication));

  for (const auto& responder : roster.responders()) {
    runtime_[responder.id].wake = simgrid::s4u::Semaphore::create(0);
    // Dispatchable from the start, unless the team works shifts: then from its first shift on.
    dispatcher_.make_available(responder.id, {responder.base, responder.base, 0.0, 0.0});
    if (scenario.teams[responder.team].has_duty_roster()) dispatcher_.make_busy(responder.id);
  }
  responders_with_role_.resize(static_cast<std::size_t>(roster.role_count()));
  for (const auto& responder : roster.responders())
    for (int role : responder.roles) responders_with_role_[role].push_back(responder.id);
  jobs_interruptible_ = scenario.dispatch.preemption != scenario::Preemption::none ||
                        std::any_of(scenario.teams.begin(), scenario.teams.end(), [](const scenario::Team& team) {
                          return team.shift && team.shift->at_end == scenario::Shift::AtEnd::hand_over;
                        });
}

int World::qualified_tier(int type, int from) const {
  const auto min_level = static_cast<int>(scenario_.incidents[type].min_level);
  for (int t = from; t < static_cast<int>(tiers_.size()); ++t) {
    if (tiers_[t].highest_level < min_level) continue;
    // In a pooled tier only levels >= min_level count; capacity is checked per role with multiplicity.
    std::vector<int> needed(roster_.role_count(), 0);
    for (int role : roles_of_type_[type]) ++needed[role];
    bool enough = true;
    for (int role = 0; role < roster_.role_count() && enough; ++role) {
      if (needed[role] == 0) continue;
      int capacity = 0;
      for (const auto& responder : roster_.responders())
        if ((tiers_[t].levels & (1u << static_cast<unsigned>(responder.level))) &&
            static_cast<int>(responder.level) >= min_level &&
            std::binary_search(responder.roles.begin(), responder.roles.end(), role))
          ++capacity;
      enough = capacity >= needed[role];
    }
    if (enough) return t;
  }
  return -1;
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

void World::release_incident(int slot) {
  slot_in_use_[slot] = 0;
  free_slots_.push_back(slot);
  --open_count_;
}

PendingIncident World::incident_occurs(int type, const city::Occurrence& occurrence, double now_s,
                                       metrics::KnownBy source) {
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
  incident.times = {now_s, not_reached, not_reached, not_reached, not_reached, not_reached};
  incident.not_reported_draw = occurrence.not_reported_draw;
  incident.platform_delay_s = occurrence.platform_delay_s;
  incident.household_u = occurrence.household_u;
  // A type no tier can staff (a joint crew larger than any tier) waits at the top tier and shows as backlog.
  incident.tier = first_tier_of_type_[type] >= 0 ? first_tier_of_type_[type] : static_cast<int>(tiers_.size()) - 1;
  observer_.incident_occurred(now_s, incident.grid);
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
    wake_assigned();
    return {};
  }
  if (!occurrence.reported_by_residents && !rules.findable_by_workers() && !occurrence.develops) {
    // Nobody reports it and nothing can find it or make it visible: it stays out of every count but capture.
    log_incident(incident, LogStatus::never_known, now_s);
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
  if (!slot_in_use_[slot] || incidents_[slot].id != id || incidents_[slot].known) return;   // found first, or gone
  make_known(slot, now_s, metrics::KnownBy::residents, -1);
  wake_assigned();
}

void World::development_due(int slot, std::int64_t id, double now_s) {
  if (!slot_in_use_[slot] || incidents_[slot].id != id || incidents_[slot].known) return;   // found in time
  Incident& cause = incidents_[slot];
  assert(cause.stage == Stage::unknown);
  const auto& rules = scenario_.incidents[cause.type];
  if (rules.findable_by_workers()) forget_hidden(slot);
  observer_.incident_developed(cause.times.t_occur_s);
  log_incident(cause, LogStatus::developed, now_s);
  city::Occurrence origin;
  origin.grid = cause.grid;
  origin.place = cause.place;
  origin.household_u = cause.household_u;
  const int into = rules.develops->into_type;
  release_incident(slot);   // before the new one: it may take the same slot
  const auto consequence = consequences_[into]->consequence_of(origin, now_s);
  incident_occurs(into, consequence, now_s, metrics::KnownBy::development);
}

void World::make_known(int slot, double now_s, metrics::KnownBy source, int acting) {
  Incident& incident = incidents_[slot];
  assert(incident.stage == Stage::unknown);
  const auto& rules = scenario_.incidents[incident.type];
  if (rules.findable_by_workers() && source != metrics::KnownBy::development) forget_hidden(slot);
  incident.times.t_known_s = now_s;
  incident.known = true;
  incident.known_by = source;
  // Deadlines in working time fall due by the calendar: longer on the clock over a weekend or a holiday.
  incident.closure_deadline_s = rules.deadline.set() ? calendar_.due_s(now_s, rules.deadline) - now_s : 0.0;
  incident.disposal_deadline_s =
      rules.disposal_deadline.set() ? calendar_.due_s(now_s, rules.disposal_deadline) - now_s : 0.0;
  observer_.incident_known(incident.times.t_occur_s, now_s, incident.closure_deadline_s, incident.disposal_deadline_s,
                           source, rules.findable_by_workers());
  incident.tier_since_s = now_s;
  if (scenario_.escalation.mode == scenario::EscalationMode::tiered)
    observer_.incident_reached_level(incident.times.t_occur_s, tiers_[incident.tier].highest_level);
  if (rules.case_flow && rules.case_flow->registration) {
    // 受理/立案 first: dispatch starts once the platform has registered the case.
    enter(incident, Stage::registering);
    schedule({now_s + city::sample_duration_s(*rules.case_flow->registration, *case_flow_draws_[incident.type]), StepKind::registration,
              slot, incident.id});
    return;
  }
  enter(incident, Stage::routing);
  route(slot, now_s, acting);
}

void World::report_to_platform(Incident& incident) {
  const auto& rules = scenario_.incidents[incident.type].reporting;
  if (!rules) return;
  const policy::ExclusiveReasonsReporting reporting(*rules);
  const policy::ReportVerdict verdict =
      reporting.decide(incident.escalations > 0, incident.not_reported_draw, incident.platform_delay_s);
  if (reporting.reports(verdict)) incident.t_platform_s = incident.times.t_closed_s + incident.platform_delay_s;
  observer_.incident_reported(incident.times.t_occur_s, to_report_outcome(verdict), closing_level(incident));
}

int World::closing_level(const Incident& incident) const {
  // A tier is led by its own level; a pooled tier has none, so the crew's first member stands for it.
  if (scenario_.escalation.mode == scenario::EscalationMode::tiered || incident.crew.empty())
    return tiers_[incident.tier].highest_level;
  return static_cast<int>(roster_.responders()[incident.crew.front()].level);
}

void World::wake_assigned() {
  // release() is a simcall, and other actors may run during it: the state must be complete before the first.
  std::vector<int> waking;
  waking.swap(to_wake_);
  for (int responder : waking) runtime_[responder].wake->release();
  if (clock_wake_pending_) {
    clock_wake_pending_ = false;
    clock_wake_->release();
  }
}

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
    if (!dispatcher_.could_share_staff(incidents_[waiting.slot].grid, incident.grid, tiers_[incident.tier].levels)) continue;
    for (int role : roles_of_type_[incidents_[waiting.slot].type])
      if (std::find(roles_of_type_[incident.type].begin(), roles_of_type_[incident.type].end(), role) !=
          roles_of_type_[incident.type].end())
        return true;
  }
  return false;
}

void World::route(int slot, double now_s, int acting_responder) {
  assert(incidents_[slot].stage == Stage::routing);
  while (true) {
    Incident& incident = incidents_[slot];
    if (!must_wait_behind_others(slot) && try_staff(slot, now_s, acting_responder)) return;
    const int next = next_tier_[incident.type][incident.tier];
    if (next >= 0 && escalation_.goes_up_when_busy(incident.type, tiers_[incident.tier].highest_level)) {
      move_up(incident, next, metrics::EscalationCause::no_capacity, now_s);
      continue;
    }
    enqueue(slot, now_s);
    return;
  }
}

bool World::try_staff(int slot, double now_s, int acting_responder) {
  Incident& incident = incidents_[slot];
  const auto& type = scenario_.incidents[incident.type];
  policy::Dispatcher::LevelMask levels = tiers_[incident.tier].levels;
  for (int level = 0; level < static_cast<int>(type.min_level); ++level) levels &= ~(1u << level);
  // Scratch buffers reused across calls: staffing runs for every incident and must not allocate.
  std::vector<int>& crew = crew_scratch_;
  std::vector<double>& travel_s = travel_scratch_;
  crew.clear();
  travel_s.clear();
  // Routine work skips members in their shift's last call; the crew chosen so far is excluded too.
  std::vector<int>& excluded = excluded_scratch_;
  excluded.clear();
  if (incident.priority > 1) excluded.assign(last_call_.begin(), last_call_.end());
  const bool may_preempt = scenario_.dispatch.preemption == scenario::Preemption::by_priority;
  std::vector<int>& preempting = preempting_scratch_;
  preempting.clear();
  for (int role : roles_of_type_[incident.type]) {
    auto chosen = dispatcher_.choose(role, incident.grid, incident.place, now_s, levels, excluded);
    // A member whose shift ends now is listed until its own actor goes off duty: it takes no new work (a
    // handed-over job must not go to a colleague leaving at the same moment).
    while (chosen && now_s >= runtime_[chosen->responder].duty_end_s) {
      excluded.push_back(chosen->responder);
      chosen = dispatcher_.choose(role, incident.grid, incident.place, now_s, levels, excluded);
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
  std::vector<int> victims;
  for (int responder : preempting)
    if (std::find(victims.begin(), victims.end(), runtime_[responder].incident) == victims.end())
      victims.push_back(runtime_[responder].incident);
  for (int victim : victims) interrupt_job(victim, now_s, metrics::LifeStep::Kind::preempted, preempting);
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
  if (log_.enabled()) {
    const int level = tiers_[incident.tier].highest_level;
    incident.steps.push_back({metrics::LifeStep::Kind::dispatched, level, lead, now_s});
    incident.steps.push_back({metrics::LifeStep::Kind::on_scene, level, lead, first_arrival_s});
    if (crew.size() > 1) incident.steps.push_back({metrics::LifeStep::Kind::team_on_scene, level, lead, team_arrival_s});
  }
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
    if (responder != acting_responder) to_wake_.push_back(responder);
  }
  // Arrival on scene is already determined; it counts only if it happens within the run.
  if (first_dispatch && first_arrival_s <= scenario_.run.horizon_s)
    observer_.incident_responded(incident.times, incident.grid, incident.type, type.target_s, lead, lead_distance_m,
                                 closing_level(incident));
  // Last, because routing may staff them at once (the scratch buffers above are reused there).
  for (int victim : victims) route(victim, now_s, acting_responder);
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
    if (!dispatcher_.may_serve(responder, incident.grid)) continue;
    if (std::find(excluded.begin(), excluded.end(), responder) != excluded.end()) continue;
    choice.consider({responder, current.priority, current.work_start_s, current.place});
  }
  later_s = std::min(later_s, choice.retry_at_s());
  return choice.choice();
}

void World::interrupt_job(int slot, double now_s, metrics::LifeStep::Kind why, const std::vector<int>& keep) {
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
      to_wake_.push_back(responder);
    } else if (taken_away < 0) {
      taken_away = responder;
    }
  }
  incident.crew_pending = 0;
  enter(incident, Stage::routing);
  incident.times.t_closed_s = std::numeric_limits<double>::quiet_NaN();
  const int level = tiers_[incident.tier].highest_level;
  if (log_.enabled()) incident.steps.push_back({why, level, taken_away, now_s});
  observer_.job_interrupted(incident.times.t_occur_s, why == metrics::LifeStep::Kind::preempted
                                                          ? metrics::Interruption::preempted
                                                          : metrics::Interruption::handed_over);
}

void World::enqueue(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  incident.waiting_since_s = now_s;
  join_line(slot, now_s);
  const double after_s = escalation_.wait_limit_s(incident.type, tiers_[incident.tier].highest_level);
  if (after_s > 0 && next_tier_[incident.type][incident.tier] >= 0) {
    timed_waits_[incident.tier].push_back({now_s + after_s, slot, incident.id, now_s});
    if (now_s + after_s < clock_target_s_) clock_wake_pending_ = true;
  }
}

bool World::needs_platform_clock() const {
  for (const auto& type : scenario_.incidents)
    if (type.case_flow && (type.case_flow->registration || type.case_flow->check)) return true;
  if (scenario_.dispatch.preemption != scenario::Preemption::none) return true;
  return escalation_.has_wait_limits();
}

void World::schedule(const PlatformStep& step) {
  platform_steps_.push(step);
  if (step.t_s < clock_target_s_) clock_wake_pending_ = true;
}

void World::registered(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  if (log_.enabled())
    incident.steps.push_back({metrics::LifeStep::Kind::registered, tiers_[incident.tier].highest_level, -1, now_s});
  enter(incident, Stage::routing);
  route(slot, now_s, -1);
}

void World::checked(int slot, double now_s) {
  Incident& incident = incidents_[slot];
  assert(incident.stage == Stage::checking);
  const auto& type = scenario_.incidents[incident.type];
  if (case_flow_draws_[incident.type]->uniform01() < type.case_flow->rework_probability) {
    // 返工: back to the same level for another round of handling, by a new crew.
    ++incident.reworks;
    if (log_.enabled())
      incident.steps.push_back({metrics::LifeStep::Kind::rework, tiers_[incident.tier].highest_level, -1, now_s});
    incident.crew_pending = 0;
    enter(incident, Stage::routing);
    route(slot, now_s, -1);
    return;
  }
  enter(incident, Stage::closed);
  incident.closed = true;
  incident.times.t_closed_s = now_s;
  observer_.incident_closed(incident.times, closing_level(incident), incident.closure_deadline_s);
  report_to_platform(incident);
  log_incident(incident, LogStatus::closed, now_s);
  if (incident.crew_pending == 0) release_incident(slot);
}

void World::platform_clock() {
  while (true) {
    double next_s = platform_steps_.empty() ? std::numeric_limits<double>::infinity() : platform_steps_.top().t_s;
    for (const auto& waits : timed_waits_)
      if (!waits.empty()) next_s = std::min(next_s, waits.front().due_s);
    clock_target_s_ = next_s;
    const double now_s = simgrid::s4u::Engine::get_clock();
    if (next_s > now_s) {
      // Woken early when an earlier step arrives (a spurious wake just recomputes).
      if (std::isinf(next_s)) clock_wake_->acquire();
      else clock_wake_->acquire_timeout(next_s - now_s);
      continue;
    }
    while (!platform_steps_.empty() && platform_steps_.top().t_s <= now_s) {
      const PlatformStep step = platform_steps_.top();
      platform_steps_.pop();
      const bool current = slot_in_use_[step.slot] && incidents_[step.slot].id == step.id && !incidents_[step.slot].closed;
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
        case StepKind::preemption_retry: break;   // handled above
      }
    }
    for (int tier = 0; tier < static_cast<int>(timed_waits_.size()); ++tier)
      while (!timed_waits_[tier].empty() && timed_waits_[tier].front().due_s <= now_s) {
        const TimedWait wait = timed_waits_[tier].front();
        timed_waits_[tier].pop_front();
        escalate_if_still_waiting(wait, tier, now_s);
      }
    wake_assigned();
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

void World::move_up(Incident& incident, int next_tier, metrics::EscalationCause cause, double now_s) {
  const int level = tiers_[incident.tier].highest_level;
  if (log_.enabled()) {
    const auto kind = cause == metrics::EscalationCause::no_capacity ? metrics::LifeStep::Kind::escalated_no_capacity
                      : cause == metrics::EscalationCause::failed    ? metrics::LifeStep::Kind::escalated_failed
                                                                     : metrics::LifeStep::Kind::escalated_timed_out;
    incident.steps.push_back({kind, level, -1, now_s});
  }
  observer_.incident_escalated(incident.times.t_occur_s, level, cause, incident.escalations == 0,
                               now_s - incident.tier_since_s);
  ++incident.escalations;
  incident.tier = next_tier;
  incident.tier_since_s = now_s;
  observer_.incident_reached_level(incident.times.t_occur_s, tiers_[next_tier].highest_level);
}

void World::serve_waiting(int responder, double now_s) {
  // A member freed during its shift's last call takes only urgent work from here on.
  const auto& shift = scenario_.teams[roster_.responders()[responder].team].shift;
  if (shift && shift->last_call_s > 0 && now_s >= runtime_[responder].duty_end_s - shift->last_call_s &&
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
    const bool helps = dispatcher_.may_serve(responder, incidents_[slot].grid) &&
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

void World::end_trip_home(int responder, double now_s) {
  ResponderRuntime& runtime = runtime_[responder];
  observer_.responder_busy(responder, metrics::ResponderActivity::back_to_base, runtime.back_from_s,
                           std::min(now_s, runtime.back_until_s));
  runtime.back_from_s = runtime.back_until_s = 0;
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
    if (!incident.closed) record.times.t_closed_s = not_reached;
  }
  record.responder = incident.crew.empty() ? nullptr : &roster_.responders()[incident.crew.front()].name;
  record.crew_size = static_cast<int>(incident.crew.size());
  record.level = scenario::to_string(static_cast<Level>(closing_level(incident)));
  record.escalations = incident.escalations;
  record.target_s = scenario_.incidents[incident.type].target_s;
  record.t_platform_s = incident.t_platform_s;
  record.known_by = incident.known ? metrics::to_string(incident.known_by) : "";
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
      observer_.incident_disposed(incident.times.t_occur_s, incident.times.t_known_s, now_s, incident.disposal_deadline_s,
                                  closing_level(incident));
    }
    if (next >= 0 && incident.failure_draw[level] < type.failure_probability) {
      move_up(incident, next, metrics::EscalationCause::failed, now_s);
      incident.crew_pending = 0;   // this crew is done; the next tier sends its own
      enter(incident, Stage::routing);
      route(slot, now_s, responder);
    } else if (type.case_flow && type.case_flow->check) {
      // Handled (处置); the platform checks it (核查) before it is closed, or sends it back.
      if (log_.enabled()) incident.steps.push_back({metrics::LifeStep::Kind::handled, level, responder, now_s});
      enter(incident, Stage::checking);
      schedule({now_s + city::sample_duration_s(*type.case_flow->check, *case_flow_draws_[incident.type]), StepKind::check, slot,
                incident.id});
    } else {
      enter(incident, Stage::closed);
      incident.closed = true;
      incident.times.t_closed_s = now_s;
      observer_.incident_closed(incident.times, closing_level(incident), incident.closure_deadline_s);
      report_to_platform(incident);
      log_incident(incident, LogStatus::closed, now_s);
    }
  }
  if (runtime.generation == incident.generation && incident.crew_pending > 0) --incident.crew_pending;
  runtime.incident = -1;
  if (incident.closed && incident.crew_pending == 0) release_incident(slot);
  leave_scene(responder, scene, now_s, now_s >= runtime.duty_end_s);
}

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
      simgrid::s4u::this_actor::sleep_until(runtime.busy_until_s);
      finish_assignment(responder, simgrid::s4u::Engine::get_clock());
      wake_assigned();
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
    if (now_s < until_s && !runtime.wake->acquire_timeout(until_s - now_s)) continue;
    if (runtime.incident != job || runtime.generation != generation || runtime.busy_until_s != job_end_s) continue;
    if (until_s == job_end_s) {
      finish_assignment(responder, simgrid::s4u::Engine::get_clock());
    } else {
      // Its shift ends mid-job: whoever is on duty takes over the rest of the work.
      const double end_s = simgrid::s4u::Engine::get_clock();
      interrupt_job(job, end_s, metrics::LifeStep::Kind::handed_over, {responder});
      route(job, end_s, responder);
      // Off duty now, even if the timer's clock fell a rounding error short of the shift's end.
      leave_scene(responder, runtime.scene, end_s, true);
      wake_assigned();
      return true;
    }
    wake_assigned();
  }
  if (runtime.released) rejoin_after_release(responder);
  return false;
}

void World::rejoin_after_release(int responder) {
  // Taken off its job (a more urgent call took a crew mate, or a crew mate's shift ended).
  ResponderRuntime& runtime = runtime_[responder];
  runtime.released = false;
  const double now_s = simgrid::s4u::Engine::get_clock();
  leave_scene(responder, runtime.scene, now_s, now_s >= runtime.duty_end_s);
  wake_assigned();
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
  for (long long day = 0;; ++day) {
    const double on_s = static_cast<double>(day) * 86400.0 + shift.start_s;
    double off_s = on_s + shift.length_s;
    if (on_s >= scenario_.run.horizon_s) return;
    const auto works_on = [&](long long d) {
      const bool scheduled = shift.follows_calendar ? calendar_.working_day(d) : shift.days[static_cast<std::size_t>(d % 7)];
      const bool present = attendance.uniform01() < availability;
      return scheduled && present;
    };
    if (!works_on(day)) continue;
    // A shift that ends as the next day's begins (24 h shifts; whole days without a shift) runs on through
    // consecutive days on duty: no break at midnight, no hand-over to oneself.
    while (shift.length_s >= 86400.0 && off_s < scenario_.run.horizon_s) {
      ++day;
      if (!works_on(day)) break;
      off_s += 86400.0;
    }
    simgrid::s4u::this_actor::sleep_until(on_s);
    const double now_s = simgrid::s4u::Engine::get_clock();
    runtime.duty_start_s = now_s;   // later than on_s when the previous day's overtime ran into it
    runtime.duty_end_s = off_s;
    // On duty from where it is: home by now, unless the drive back from a late job is still under way.
    const bool driving_home = runtime.back_until_s > now_s && runtime.back_until_s > runtime.back_from_s;
    dispatcher_.make_available(responder, driving_home ? policy::Whereabouts{runtime.scene, me.base, runtime.back_from_s,
                                                                             runtime.back_until_s}
                                                       : policy::Whereabouts{me.base, me.base, now_s, now_s});
    serve_waiting(responder, now_s);
    wake_assigned();
    while (true) {
      if (runtime.incident < 0) {
        const double last_call_s = off_s - shift.last_call_s;
        if (shift.last_call_s > 0 && simgrid::s4u::Engine::get_clock() < last_call_s) {
          idle(responder, last_call_s);
          if (runtime.incident >= 0) continue;
        }
        if (shift.last_call_s > 0 && std::find(last_call_.begin(), last_call_.end(), responder) == last_call_.end())
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
        const int households = std::max(1, static_cast<int>(std::lround(city_.grids()[grid].residents / programme.household_size)));
        work->households.push_back(households);
        if (!counted_grid[grid]) {
          counted_grid[grid] = 1;
          households_total += households;
        }
        const int key = static_cast<int>(std::lround(households * programme.key_population_share));
        for (int h = member; h < households; h += members) {
          const bool is_key = h < key && programme.key_every_s > 0;
          // The first round is spread evenly over one interval, so visits do not all fall due at once.
          const double interval_s = is_key ? programme.key_every_s : programme.every_s;
          const double position = is_key ? static_cast<double>(h) / key
                                         : static_cast<double>(h - std::min(h, key)) / std::max(1, households - key);
          work->due.push({position * interval_s, static_cast<int>(index), h});
        }
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
      runtime.wake->acquire();
      continue;
    }
    const double now_s = simgrid::s4u::Engine::get_clock();
    if (now_s >= until_s) break;
    // SimGrid 3.32: acquire_timeout() returns true when it timed out.
    if (runtime.wake->acquire_timeout(until_s - now_s)) {
      // Assigned at the very moment the wait ended: the token arrived after the time-out; take it.
      if (runtime.incident >= 0) runtime.wake->acquire();
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
        simgrid::s4u::this_actor::sleep_until(end_s);
        complete_visit(responder, *work, visit, now_s, end_s);
        const city::Point base = roster_.responders()[responder].base;
        dispatcher_.make_available(responder, {base, base, end_s, end_s});
        serve_waiting(responder, end_s);
        wake_assigned();
        continue;
      }
      if (wait_for_work(responder, end_s - now_s)) return;   // called away: the visit is dropped, still due
      if (runtime.released) continue;                          // called away, and already sent back
      complete_visit(responder, *work, visit, now_s, end_s);
      wake_assigned();
      continue;
    }
    if (work->patrol_round_s > 0) {
      const double end_s = std::min(until_s, now_s + work->patrol_round_s);
      if (wait_for_work(responder, end_s - now_s)) return;   // a call ends the round unfinished
      if (runtime.released) continue;
      if (end_s - now_s >= work->patrol_round_s) complete_patrol_round(responder, *work, end_s);
      wake_assigned();
      continue;
    }
    // Nothing due: wait for a call until the next visit falls due.
    const double next_s = work->due.empty() ? until_s : std::min(until_s, work->due.top().due_s);
    wait_for_work(responder, next_s - now_s);
  }
}

void World::complete_visit(int responder, IdleWork& work, const DueVisit& visit, double start_s, double end_s) {
  observer_.visit_done(responder, start_s, end_s);
  work.due.pop();
  const auto& programme = *work.visits;
  const int households = work.households[visit.grid_index];
  const int key = static_cast<int>(std::lround(households * programme.key_population_share));
  double interval_s = visit.household < key && programme.key_every_s > 0 ? programme.key_every_s : programme.every_s;
  for (const auto& campaign : programme.campaigns)
    if (end_s >= campaign.from_s && end_s < campaign.to_s) interval_s = std::min(interval_s, campaign.every_s);
  work.due.push({end_s + interval_s, visit.grid_index, visit.household});
  // The hidden incidents of that household: each found with its type's detection probability.
  const int grid = work.grids[visit.grid_index];
  std::vector<int> found;
  for (const auto& [slot, id] : hidden_by_grid_[grid]) {
    const Incident& incident = incidents_[slot];
    const double p = scenario_.incidents[incident.type].visit_detection_probability;
    if (p <= 0 || static_cast<int>(incident.household_u * households) != visit.household) continue;
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

void World::close_at_horizon(int replication, std::uint64_t seed, double now_s) {
  for (std::size_t slot = 0; slot < incidents_.size(); ++slot) {
    if (!slot_in_use_[slot] || incidents_[slot].closed) continue;
    const Incident& incident = incidents_[slot];
    log_incident(incident, incident.known ? LogStatus::open : LogStatus::not_yet_known, now_s);
    if (incident.known)
      observer_.incident_open_at_horizon(incident.times.t_occur_s, incident.times.t_known_s, incident.closure_deadline_s,
                                         incident.disposal_deadline_s, incident.disposed, closing_level(incident));
  }
  for (std::size_t responder = 0; responder < runtime_.size(); ++responder) {
    const ResponderRuntime& runtime = runtime_[responder];
    if (runtime.duty_start_s < now_s)   // a shift still running at the horizon
      observer_.responder_on_duty(static_cast<int>(responder), std::max(runtime.duty_start_s, runtime.duty_recorded_until_s),
                                  now_s);
    if (runtime.back_until_s > runtime.back_from_s)
      observer_.responder_busy(static_cast<int>(responder), metrics::ResponderActivity::back_to_base,
                               runtime.back_from_s, runtime.back_until_s);
  }
  std::int64_t backlog = 0;
  // Backlog: known and still open. Incidents not yet known at the horizon are not anyone's backlog.
  for (std::size_t slot = 0; slot < incidents_.size(); ++slot)
    backlog += slot_in_use_[slot] && incidents_[slot].known && !incidents_[slot].closed;
  result_ = observer_.finish(replication, seed, backlog);
}

}  // namespace civicgrid::engine
