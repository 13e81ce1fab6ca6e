// Choosing a responder for an incident: which responders are free, where they are right now, and the policy
// that picks one. A decision takes no simulated time, so this is plain C++ called by whichever actor holds the
// event; the policy is a small value chosen by name in the scenario (dispatch.policy).
#pragma once

#include <optional>
#include <vector>

#include "city/geometry.hpp"
#include "city/random.hpp"
#include "city/roster.hpp"
#include "policy/mutual_aid.hpp"

namespace civicgrid::policy {

// Where a free responder is: standing at `from` (depart_s == arrive_s) or driving back from `from` to `to`.
struct Whereabouts {
  city::Point from;
  city::Point to;
  double depart_s = 0;
  double arrive_s = 0;
  bool moving_at(double now_s) const { return now_s < arrive_s; }
  city::Point position_at(double now_s) const {
    if (now_s >= arrive_s || arrive_s <= depart_s) return to;
    return city::interpolate(from, to, (now_s - depart_s) / (arrive_s - depart_s));
  }
};

// How far a waiting case may look for staff. Every case starts with its own reach, as the policy defines it;
// a policy may widen it once the case has waited its widening delay at a tier (mutual aid between
// neighbouring grids lends an idle member of the grid next door). The engine only holds the value per case
// and times the delay; what a reach means is the policy's.
enum class Reach : unsigned char { own, widened };

struct Assignment {
  int responder = -1;
  double travel_s = 0;   // turnout (if it was standing) + drive to the incident
};

class Dispatcher {
 public:
  // `rules` is the scenario's dispatch section (policy and its settings); it is read, not copied, so it must
  // outlive the dispatcher (the scenario does). `patrol_seed`/`replication` seed the stream that places
  // patrolling responders when a call comes. Throws std::invalid_argument for preference lists that do not
  // fit the city and roster (the loader rejects those in files; this catches scenarios built in code).
  Dispatcher(const scenario::Dispatch& rules, const city::City& city, const city::Roster& roster,
             const city::TravelModel& travel, std::uint64_t patrol_seed = 1, int replication = 0);

  // The responder is free from now on, at the given whereabouts.
  void make_available(int responder, const Whereabouts& whereabouts);
  // The responder was given work (by choose() or by taking a queued incident itself).
  void make_busy(int responder);
  bool is_available(int responder) const { return slot_[responder].available; }
  // Some responder with this role is free (anywhere, at any level): a cheap test before a full choose().
  bool anyone_free(int role) const { return !free_by_role_[role].empty(); }
  const Whereabouts& whereabouts(int responder) const { return slot_[responder].whereabouts; }

  // Levels a tier may draw on: bit L set = responders of level L are eligible.
  using LevelMask = unsigned;
  static constexpr LevelMask all_levels = 0xF;

  // The free responder with `role`, of a level in `levels` and not in `excluded`, that the policy sends to an
  // incident at `place` in `grid` with reach `reach`, or none.
  std::optional<Assignment> choose(int role, int grid, city::Point place, double now_s,
                                   LevelMask levels = all_levels, const std::vector<int>& excluded = {},
                                   Reach reach = Reach::own) const;

  // How long a case waits at a tier drawing on `levels` before its reach widens; infinity: never (every
  // policy but mutual aid), 0: at once, before the case would wait or escalate for want of staff.
  double widening_delay_s(LevelMask levels) const;

  // The own-unit rule: under own_unit_only a responder serves only incidents of its own unit, and two
  // incidents compete for staff only if some unit's staff could serve both; under preference_list only the
  // grids that list its unit (and team), and two incidents compete if their grids' lists share a unit; every
  // other policy pools them.
  // `reach`: the case's (a widened case may also be served by whom the widening adds).
  bool may_serve(int responder, int grid, Reach reach = Reach::own) const {
    // Inline for the pooling policies: pre-emption asks it for every working member of a role.
    if (policy_ == scenario::DispatchPolicyName::nearest_idle || policy_ == scenario::DispatchPolicyName::own_unit_first)
      return true;
    return may_serve_by_unit(responder, grid, reach);
  }
  bool could_share_staff(int grid_a, Reach reach_a, int grid_b, Reach reach_b, LevelMask levels) const;
  bool could_share_staff(int grid_a, int grid_b, LevelMask levels) const {
    return could_share_staff(grid_a, Reach::own, grid_b, Reach::own, levels);
  }

  // Where `responder` is now. A patrolling responder that stands free is at a uniform point of its unit, drawn
  // once per dispatch decision (before choose() compares candidates) and kept until it moves.
  // Inline with the one-mode travel time: dispatch asks both for every free candidate of every call.
  city::Point position_now(int responder, double now_s) const {
    const Whereabouts& where = slot_[responder].whereabouts;
    if (!patrols_[responder] || where.moving_at(now_s)) return where.position_at(now_s);
    return patrol_position(responder, now_s);
  }
  // Turnout + drive for `responder` from where it is now.
  double travel_from_current_s(int responder, city::Point place, double now_s) const {
    return travel_.response_travel_s(position_now(responder, now_s), place, !slot_[responder].whereabouts.moving_at(now_s));
  }

 private:
  // `team` >= 0: only members of that team count (a `team@unit` entry of a preference list).
  std::optional<Assignment> nearest(const std::vector<int>& candidates, int role, city::Point place, double now_s,
                                    bool check_role, LevelMask levels, const std::vector<int>& excluded,
                                    int team = -1) const;
  // preference_list: the grid's own list, or the default row.
  const std::vector<scenario::PreferredUnit>& preferences_of(int grid) const;
  void check_preferences() const;

  // may_serve under the policies that keep staff to units (own_unit_only, preference_list).
  bool may_serve_by_unit(int responder, int grid, Reach reach) const;
  // A patrolling responder standing free: its point of the unit for this moment (see position_now).
  city::Point patrol_position(int responder, double now_s) const;

  struct Slot {
    bool available = false;
    Whereabouts whereabouts;
  };
  // own_unit_only with mutual aid: the members of the neighbouring grids a widened case may also take.
  std::optional<Assignment> nearest_neighbour(int role, int grid, city::Point place, double now_s, LevelMask levels,
                                              const std::vector<int>& excluded) const;
  bool grid_helps(int helper_grid, int grid, Reach reach) const {
    return helper_grid == grid || (reach == Reach::widened && mutual_aid_ && mutual_aid_->helps(helper_grid, grid));
  }

  scenario::DispatchPolicyName policy_;
  std::optional<MutualAid> mutual_aid_;
  const scenario::Dispatch& rules_;
  const city::City& city_;
  const city::Roster& roster_;
  const city::TravelModel& travel_;
  std::vector<Slot> slot_;
  // Per responder, copied from the roster so that the scan over candidates touches a few bytes each, not the
  // whole Responder (name, roles, base): its level as a LevelMask bit, its team, whether it patrols.
  std::vector<LevelMask> level_bit_;
  std::vector<int> team_;
  std::vector<char> patrols_;
  // Free responders per role, kept compact (swap-remove) so that scans touch only free ones.
  std::vector<std::vector<int>> free_by_role_;
  std::vector<std::vector<int>> index_in_role_;   // [responder][k] position of responder in free_by_role_[role k]
  mutable city::RandomStream patrol_stream_;
  mutable std::vector<double> patrol_drawn_at_s_;  // when the patrol point below was drawn (NaN: never)
  mutable std::vector<city::Point> patrol_point_;
};

}  // namespace civicgrid::policy
