// nearest_idle: the free qualified responder with the shortest travel time from where it is now (a responder
// driving back to base counts as free and is redirected). own_unit_first: the free qualified responders of
// the incident's own grid, then its community, town and city, nearest within the first tier that has one;
// anyone nearest if no own unit has a free one. preference_list: the grid's listed units in order, the
// nearest free qualified member of the first that has one, nobody if none has (Larson's hypercube model with
// fixed preferences: Larson 1974; Larson & Odoni, Urban Operations Research, 1981, ch. 5). own_unit_only with
// dispatch.mutual_aid: a case whose reach has widened (it waited `after` at a tier drawing on grid staff) may
// also take the nearest free qualified member of a neighbouring grid, after its own grid and before the levels
// above. Ties go to the lowest responder id, so runs are reproducible.
#include "policy/dispatcher.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace civicgrid::policy {

Dispatcher::Dispatcher(const scenario::Dispatch& rules, const city::City& city, const city::Roster& roster,
                       const city::TravelModel& travel, std::uint64_t patrol_seed, int replication)
    : policy_(rules.policy),
      rules_(rules),
      city_(city),
      roster_(roster),
      travel_(travel),
      patrol_stream_(patrol_seed, "patrol", static_cast<std::uint64_t>(replication)),
      patrol_drawn_at_s_(roster.responders().size(), std::numeric_limits<double>::quiet_NaN()),
      patrol_point_(roster.responders().size()) {
  slot_.resize(roster.responders().size());
  free_by_role_.resize(roster.role_count());
  index_in_role_.resize(roster.responders().size());
  for (const auto& responder : roster.responders()) {
    index_in_role_[responder.id].assign(responder.roles.size(), -1);
    level_bit_.push_back(1u << static_cast<unsigned>(responder.level));
    team_.push_back(responder.team);
    patrols_.push_back(responder.patrols ? 1 : 0);
  }
  if (policy_ == scenario::DispatchPolicyName::preference_list) check_preferences();
  if (rules.mutual_aid) {
    if (policy_ != scenario::DispatchPolicyName::own_unit_only)
      throw std::invalid_argument(std::string("mutual_aid: needs dispatch.policy own_unit_only, not ") +
                                  scenario::to_string(policy_));
    mutual_aid_.emplace(*rules.mutual_aid, city);
  }
}

void Dispatcher::check_preferences() const {
  const int grids = static_cast<int>(city_.grids().size());
  if (static_cast<int>(rules_.preferences_by_grid.size()) > grids)
    throw std::invalid_argument("preference_list: lists for " + std::to_string(rules_.preferences_by_grid.size()) +
                                " grids, the city has " + std::to_string(grids));
  // The level each team works at, as far as the roster shows it (a team without members cannot be checked).
  std::vector<int> team_level;
  for (const auto& responder : roster_.responders()) {
    if (responder.team >= static_cast<int>(team_level.size())) team_level.resize(static_cast<std::size_t>(responder.team) + 1, -1);
    team_level[static_cast<std::size_t>(responder.team)] = static_cast<int>(responder.level);
  }
  const auto check_entry = [&](const scenario::PreferredUnit& entry) {
    const int level = static_cast<int>(entry.level);
    if (level < 0 || level > 3 || entry.unit < 0 || entry.unit >= city_.unit_count(entry.level))
      throw std::invalid_argument("preference_list: no unit " + std::to_string(entry.unit) + " at level " +
                                  std::to_string(level));
    if (entry.team >= 0 && entry.team < static_cast<int>(team_level.size()) && team_level[entry.team] >= 0 &&
        team_level[entry.team] != level)
      throw std::invalid_argument("preference_list: team " + std::to_string(entry.team) + " does not work at level " +
                                  std::to_string(level));
  };
  for (const auto& entry : rules_.default_preferences) check_entry(entry);
  for (int grid = 0; grid < grids; ++grid) {
    const auto& list = preferences_of(grid);
    if (list.empty())
      throw std::invalid_argument("preference_list: grid " + city_.grids()[grid].code + " has no list and there is no default");
    for (const auto& entry : list) check_entry(entry);
  }
}

const std::vector<scenario::PreferredUnit>& Dispatcher::preferences_of(int grid) const {
  const auto& by_grid = rules_.preferences_by_grid;
  if (grid >= 0 && grid < static_cast<int>(by_grid.size()) && !by_grid[grid].empty()) return by_grid[grid];
  return rules_.default_preferences;
}

void Dispatcher::make_available(int responder, const Whereabouts& whereabouts) {
  Slot& slot = slot_[responder];
  slot.whereabouts = whereabouts;
  if (slot.available) return;
  slot.available = true;
  const auto& roles = roster_.responders()[responder].roles;
  for (std::size_t k = 0; k < roles.size(); ++k) {
    auto& list = free_by_role_[roles[k]];
    index_in_role_[responder][k] = static_cast<int>(list.size());
    list.push_back(responder);
  }
}

void Dispatcher::make_busy(int responder) {
  Slot& slot = slot_[responder];
  if (!slot.available) return;
  slot.available = false;
  const auto& roles = roster_.responders()[responder].roles;
  for (std::size_t k = 0; k < roles.size(); ++k) {
    auto& list = free_by_role_[roles[k]];
    const int position = index_in_role_[responder][k];
    const int moved = list.back();
    list[position] = moved;
    list.pop_back();
    if (moved != responder) {
      const auto& moved_roles = roster_.responders()[moved].roles;
      const auto role_k = std::lower_bound(moved_roles.begin(), moved_roles.end(), roles[k]) - moved_roles.begin();
      index_in_role_[moved][role_k] = position;
    }
    index_in_role_[responder][k] = -1;
  }
}

city::Point Dispatcher::patrol_position(int responder, double now_s) const {
  const auto& me = roster_.responders()[responder];
  // One point per responder and moment, so every comparison within a decision sees the same patrol position.
  if (patrol_drawn_at_s_[responder] != now_s) {
    patrol_drawn_at_s_[responder] = now_s;
    patrol_point_[responder] = city_.random_point_in_unit(me.level, me.unit, patrol_stream_);
  }
  return patrol_point_[responder];
}

std::optional<Assignment> Dispatcher::nearest(const std::vector<int>& candidates, int role, city::Point place,
                                              double now_s, bool check_role, LevelMask levels,
                                              const std::vector<int>& excluded, int team) const {
  Assignment best;
  double best_travel_s = std::numeric_limits<double>::infinity();
  for (int responder : candidates) {
    if (team >= 0 && team_[responder] != team) continue;
    if (levels != all_levels && !(levels & level_bit_[responder])) continue;
    if (!excluded.empty() && std::find(excluded.begin(), excluded.end(), responder) != excluded.end()) continue;
    if (check_role) {
      if (!slot_[responder].available) continue;
      const auto& roles = roster_.responders()[responder].roles;
      if (!std::binary_search(roles.begin(), roles.end(), role)) continue;
    }
    const double travel_s = travel_from_current_s(responder, place, now_s);
    if (travel_s < best_travel_s || (travel_s == best_travel_s && responder < best.responder)) {
      best_travel_s = travel_s;
      best = {responder, travel_s};
    }
  }
  if (best.responder < 0) return std::nullopt;
  return best;
}

double Dispatcher::widening_delay_s(LevelMask levels) const {
  if (!mutual_aid_ || !(levels & (1u << static_cast<unsigned>(scenario::Level::grid))))
    return std::numeric_limits<double>::infinity();
  return mutual_aid_->after_s();
}

std::optional<Assignment> Dispatcher::nearest_neighbour(int role, int grid, city::Point place, double now_s,
                                                        LevelMask levels, const std::vector<int>& excluded) const {
  std::optional<Assignment> best;
  for (int helper_grid : mutual_aid_->helpers_of(grid)) {
    auto found = nearest(roster_.at_unit(scenario::Level::grid, helper_grid), role, place, now_s, true, levels, excluded);
    // The same order as one scan over all of them: shortest travel, then lowest id.
    if (found && (!best || found->travel_s < best->travel_s ||
                  (found->travel_s == best->travel_s && found->responder < best->responder)))
      best = found;
  }
  return best;
}

std::optional<Assignment> Dispatcher::choose(int role, int grid, city::Point place, double now_s, LevelMask levels,
                                             const std::vector<int>& excluded, Reach reach) const {
  if (role < 0 || role >= static_cast<int>(free_by_role_.size())) return std::nullopt;
  if (policy_ == scenario::DispatchPolicyName::preference_list) {
    // Units of levels the tier may not call on are passed over, not the end of the list: a grid tier tries
    // the listed grids, the community tier above it the whole list again with the community units in it.
    for (const auto& entry : preferences_of(grid)) {
      if (!(levels & (1u << static_cast<unsigned>(entry.level)))) continue;
      if (auto found = nearest(roster_.at_unit(entry.level, entry.unit), role, place, now_s, true, levels, excluded,
                               entry.team))
        return found;
    }
    return std::nullopt;
  }
  if (policy_ != scenario::DispatchPolicyName::nearest_idle) {
    for (int level = 0; level < 4; ++level) {
      if (!(levels & (1u << static_cast<unsigned>(level)))) continue;
      const auto as_level = static_cast<scenario::Level>(level);
      const auto& own = roster_.at_unit(as_level, city_.unit_of_grid(as_level, grid));
      if (auto found = nearest(own, role, place, now_s, true, levels, excluded)) return found;
      if (level == 0 && reach == Reach::widened && mutual_aid_)
        if (auto found = nearest_neighbour(role, grid, place, now_s, levels, excluded)) return found;
    }
    if (policy_ == scenario::DispatchPolicyName::own_unit_only) return std::nullopt;
  }
  return nearest(free_by_role_[role], role, place, now_s, false, levels, excluded);
}

bool Dispatcher::may_serve_by_unit(int responder, int grid, Reach reach) const {
  const auto& me = roster_.responders()[responder];
  if (policy_ == scenario::DispatchPolicyName::preference_list) {
    const auto& list = preferences_of(grid);
    return std::any_of(list.begin(), list.end(), [&](const scenario::PreferredUnit& entry) {
      return entry.level == me.level && entry.unit == me.unit && (entry.team < 0 || entry.team == me.team);
    });
  }
  if (policy_ != scenario::DispatchPolicyName::own_unit_only) return true;
  if (me.level == scenario::Level::grid) return grid_helps(me.unit, grid, reach);
  return city_.unit_of_grid(me.level, grid) == me.unit;
}

bool Dispatcher::could_share_staff(int grid_a, Reach reach_a, int grid_b, Reach reach_b, LevelMask levels) const {
  if (policy_ == scenario::DispatchPolicyName::preference_list) {
    // Two entries share staff when they name the same unit and their teams can coincide. A team entry is
    // taken to have members there (a team with none at that unit only makes a case wait behind another
    // for nothing, never lets one overtake a case that could have had its staff).
    const auto& list_b = preferences_of(grid_b);
    for (const auto& a : preferences_of(grid_a)) {
      if (!(levels & (1u << static_cast<unsigned>(a.level)))) continue;
      for (const auto& b : list_b)
        if (a.level == b.level && a.unit == b.unit && (a.team < 0 || b.team < 0 || a.team == b.team)) return true;
    }
    return false;
  }
  if (policy_ != scenario::DispatchPolicyName::own_unit_only) return true;
  // Grid staff: the grids whose members may serve each case (its own, and its neighbours once widened) meet.
  if ((levels & 1u) && mutual_aid_ && (reach_a == Reach::widened || reach_b == Reach::widened)) {
    if (grid_helps(grid_a, grid_b, reach_b) || grid_helps(grid_b, grid_a, reach_a)) return true;
    if (reach_a == Reach::widened && reach_b == Reach::widened) {
      const auto& helpers_a = mutual_aid_->helpers_of(grid_a);
      const auto& helpers_b = mutual_aid_->helpers_of(grid_b);
      auto a = helpers_a.begin();
      auto b = helpers_b.begin();
      while (a != helpers_a.end() && b != helpers_b.end()) {   // both ascending: a merge finds a common one
        if (*a == *b) return true;
        if (*a < *b) ++a; else ++b;
      }
    }
  }
  for (int level = 0; level < 4; ++level) {
    const auto as_level = static_cast<scenario::Level>(level);
    if ((levels & (1u << level)) && city_.unit_of_grid(as_level, grid_a) == city_.unit_of_grid(as_level, grid_b))
      return true;
  }
  return false;
}

}  // namespace civicgrid::policy
