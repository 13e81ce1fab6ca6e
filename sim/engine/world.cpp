// World's set-up and bookkeeping: the tier ladder built from who is staffed, the incident pool, the wake-up
// discipline (HandlerScope; pass_time_until and wait_for_token, through which responders pass time), the staffing
// scratch lease, and the books closed at the horizon. The life cycle is in the files named after its parts
// (incident_sources, staffing, waiting_lines, case_flow, platform_clock, responder_actor, idle_work), each step
// recorded once in life_record.cpp; the decisions are in sim/policy/. Map and recipes: docs/architecture.md.
#include "engine/world.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <exception>
#include <utility>

#include <simgrid/s4u/Actor.hpp>

#include "city/random.hpp"

namespace civicgrid::engine {
using scenario::Level;

World::World(const scenario::Scenario& scenario, const city::City& city, const city::Roster& roster,
             metrics::IncidentLog& log, std::uint64_t seed, int replication)
    : scenario_(scenario),
      city_(city),
      roster_(roster),
      travel_(scenario.travel, city),
      calendar_(scenario.calendar),
      dispatcher_(scenario.dispatch, city, roster, travel_, seed, replication),
      escalation_(scenario),
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
  for (Tier& tier : tiers_) tier.widening_delay_s = dispatcher_.widening_delay_s(tier.levels);
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
  registration_desk_of_type_.assign(scenario.incidents.size(), -1);
  check_desk_of_type_.assign(scenario.incidents.size(), -1);
  desks_of_responder_.resize(roster.responders().size());
  desk_slot_.assign(roster.responders().size(), -1);
  for (std::size_t type = 0; type < scenario.incidents.size(); ++type) {
    const auto& flow = scenario.incidents[type].case_flow;
    if (!flow) continue;
    if (!flow->registration_by.empty()) registration_desk_of_type_[type] = desk_for_role(flow->registration_by);
    if (!flow->check_by.empty()) check_desk_of_type_[type] = desk_for_role(flow->check_by);
  }
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

int World::closing_level(const Incident& incident) const {
  // A tier is led by its own level; a pooled tier has none, so the crew's first member stands for it.
  if (scenario_.escalation.mode == scenario::EscalationMode::tiered || incident.crew.empty())
    return tiers_[incident.tier].highest_level;
  return static_cast<int>(roster_.responders()[incident.crew.front()].level);
}

void World::wake_assigned() {
  // release() is a simcall, and other actors may run during it: the state must be complete before the first.
  // Other actors' handlers run during those simcalls, so nothing pending may still belong to this one by then.
  // Usually one responder: it is taken off the list by value, so to_wake_ keeps its capacity and a handler
  // allocates nothing (swapping the list out cost an allocation and a free per handler, ~1 % of a run).
  const bool wake_clock = std::exchange(clock_wake_pending_, false);
  if (to_wake_.size() == 1) {
    const int responder = to_wake_.front();
    to_wake_.clear();
    runtime_[responder].wake->release();
  } else if (!to_wake_.empty()) {
    const std::vector<int> waking(to_wake_);
    to_wake_.clear();
    for (int responder : waking) runtime_[responder].wake->release();
  }
  if (wake_clock) clock_wake_->release();
}

World::ScratchLease::ScratchLease(StaffingScratch& scratch) : scratch_(scratch) {
  assert(!scratch.leased && "staffing's scratch space is in use: a re-entrant call must wait until the lease ends");
  scratch.leased = true;
}

World::ScratchLease::~ScratchLease() { scratch_.leased = false; }

void World::close_at_horizon(int replication, std::uint64_t seed, double now_s) {
  for (std::size_t slot = 0; slot < incidents_.size(); ++slot) {
    if (!slot_in_use_[slot] || is_closed(incidents_[slot])) continue;
    record(incidents_[slot], life_events::OpenAtHorizon{now_s});
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
    backlog += slot_in_use_[slot] && is_known(incidents_[slot]) && !is_closed(incidents_[slot]);
  result_ = observer_.finish(replication, seed, backlog);
}

}  // namespace civicgrid::engine
