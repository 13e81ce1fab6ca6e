// Offered load per pool of staff (offered_load.hpp). The estimate follows the engine's rules where they are
// deterministic (the tier ladder, crews, failures passed up, rework, shifts, expected multipliers) and takes the
// mean where they are random; what it cannot predict (who is free when) is stated in docs/offered-load.md.
#include "city/offered_load.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <utility>

#include "city/calendar.hpp"
#include "city/geometry.hpp"
#include "city/roster.hpp"

namespace civicgrid::city {
namespace {

using scenario::Level;
constexpr int level_count = 4;
constexpr double hour_s = 3600.0;
constexpr double day_s = 86400.0;
// Points per side of the lattice in a grid's rectangle where travel is averaged: with an even count the mean
// |x| from the centre of the rectangle is exact, as the Manhattan distance from a grid office is.
constexpr int lattice_side = 4;

double mean_duration_s(const scenario::Distribution& distribution) {
  if (distribution.kind == scenario::DistributionKind::uniform) return (distribution.min_s + distribution.max_s) / 2;
  return distribution.mean_s;   // every other kind is parameterised by its mean
}

// The occurrence rate of each grid, with the same arithmetic as IncidentStream (a unit test keeps them equal).
std::vector<double> rate_by_grid_per_s(const scenario::IncidentType& type, const City& city) {
  std::vector<double> rates;
  rates.reserve(city.grids().size());
  for (const Grid& grid : city.grids()) {
    const double migrant_factor = 1.0 - grid.migrant_share + grid.migrant_share * type.migrant_rate_ratio;
    const double key_factor =
        1.0 - grid.key_population_share + grid.key_population_share * type.key_population_rate_ratio;
    rates.push_back((type.rate_per_grid_per_s + type.rate_per_1000_residents_per_s * grid.residents / 1000.0) *
                    migrant_factor * key_factor);
  }
  return rates;
}

// The expected share of the measured window [warmup, horizon) a member of the team is on duty: the union of its
// shifts clipped to the window, times the chance of working a given day. Overtime is not foreseen.
double duty_share(const scenario::Team& team, const scenario::Scenario& scenario) {
  if (!team.shift) return team.availability;   // whole days, each worked with that probability
  const scenario::Shift& shift = *team.shift;
  const double from_s = scenario.run.warmup_s;
  const double to_s = scenario.run.horizon_s;
  if (to_s <= from_s) return 0.0;
  const WorkingCalendar calendar(scenario.calendar);
  std::vector<std::pair<double, double>> on_duty;
  for (long long day = 0; static_cast<double>(day) * day_s < to_s; ++day) {
    const bool scheduled =
        shift.follows_calendar ? calendar.working_day(day) : shift.days[static_cast<std::size_t>(day % 7)];
    if (!scheduled) continue;
    const double start_s = static_cast<double>(day) * day_s + shift.start_s;
    const double begin = std::max(start_s, from_s);
    const double end = std::min(start_s + shift.length_s, to_s);
    if (end > begin) on_duty.emplace_back(begin, end);
  }
  // Shifts of 24 h or more overlap the next day's: on duty once, as the engine runs them on.
  std::sort(on_duty.begin(), on_duty.end());
  double total_s = 0;
  double covered_until_s = -std::numeric_limits<double>::infinity();
  for (const auto& [begin, end] : on_duty) {
    const double counted_from = std::max(begin, covered_until_s);
    if (end > counted_from) total_s += end - counted_from;
    covered_until_s = std::max(covered_until_s, end);
  }
  return team.availability * total_s / (to_s - from_s);
}

struct Tier {
  unsigned levels = 0;   // bit L: staff of level L belongs to the tier
  int highest_level = 0;
};

// The engine's tiers (engine/world.cpp): one pool of every level, or one tier per level that has staff, each
// calling on the levels below it.
std::vector<Tier> tiers_of(const scenario::Scenario& scenario, const std::vector<std::array<double, level_count>>& members) {
  std::vector<Tier> tiers;
  if (scenario.escalation.mode == scenario::EscalationMode::tiered) {
    for (int level = 0; level < level_count; ++level) {
      bool staffed = false;
      for (const auto& by_level : members) staffed = staffed || by_level[level] > 0;
      if (staffed) tiers.push_back({(2u << level) - 1, level});
    }
  }
  if (tiers.empty()) tiers.push_back({(1u << level_count) - 1, level_count - 1});
  return tiers;
}

// The first tier from `from` on whose members (levels >= min_level) can form the crew, as the engine picks it.
int qualified_tier(const std::vector<Tier>& tiers, const std::vector<int>& needed_by_role, int min_level,
                   const std::vector<std::array<double, level_count>>& members, int from) {
  for (int t = from; t < static_cast<int>(tiers.size()); ++t) {
    if (tiers[t].highest_level < min_level) continue;
    bool enough = true;
    for (std::size_t role = 0; role < needed_by_role.size() && enough; ++role) {
      if (needed_by_role[role] == 0) continue;
      double capacity = 0;
      for (int level = min_level; level < level_count; ++level)
        if (tiers[t].levels & (1u << level)) capacity += members[role][level];
      enough = capacity >= needed_by_role[role];
    }
    if (enough) return t;
  }
  return -1;
}

// Expected response travel (turnout + drive) from the base of a grid's own unit of `level` to a point of the
// grid, averaged over a lattice of the grid's rectangle (for a polygon, the lattice points inside it).
std::vector<double> travel_from_own_unit_s(Level level, const City& city, const TravelModel& travel) {
  std::vector<double> mean_s(city.grids().size(), 0.0);
  for (const Grid& grid : city.grids()) {
    const Point base = city.unit_base(level, city.unit_of_grid(level, grid.id));
    double sum_s = 0;
    int points = 0;
    for (int i = 0; i < lattice_side; ++i)
      for (int j = 0; j < lattice_side; ++j) {
        const Point place{grid.area.min_x_m + (i + 0.5) / lattice_side * (grid.area.max_x_m - grid.area.min_x_m),
                          grid.area.min_y_m + (j + 0.5) / lattice_side * (grid.area.max_y_m - grid.area.min_y_m)};
        if (city.is_geographic() && city.grid_at(place) != grid.id) continue;
        sum_s += travel.response_travel_s(base, place, true);
        ++points;
      }
    mean_s[grid.id] = points > 0 ? sum_s / points : travel.response_travel_s(base, grid.centroid, true);
  }
  return mean_s;
}

// One type's rounds of work at one tier, for one role: where it may be served and what it costs.
struct Demand {
  int role = 0;
  int lowest_level = 0;
  int highest_level = 0;
  int type = 0;
  double cases_per_h = 0;
  double work_h_per_case = 0;
};

}  // namespace

OfferedLoad estimate_offered_load(const scenario::Scenario& scenario, const City& city) {
  OfferedLoad load;
  const Roster roster(scenario, city);
  const int roles = roster.role_count();
  std::vector<double> team_duty_share;
  for (const auto& team : scenario.teams) team_duty_share.push_back(duty_share(team, scenario));
  std::vector<std::array<double, level_count>> members(roles), on_duty(roles);   // [role][level], zeros
  for (const Responder& responder : roster.responders())
    for (int role : responder.roles) {
      members[role][static_cast<int>(responder.level)] += 1;
      on_duty[role][static_cast<int>(responder.level)] += team_duty_share[responder.team];
    }
  const auto tiers = tiers_of(scenario, members);
  const bool tiered = scenario.escalation.mode == scenario::EscalationMode::tiered;

  // Known incidents per type: those residents report, all of those workers can find (assumed found), and the
  // ones that develop unseen into another type (known at once there).
  const std::size_t types = scenario.incidents.size();
  std::vector<std::vector<double>> grid_rates(types);
  std::vector<double> known_per_s(types, 0.0);
  for (std::size_t t = 0; t < types; ++t) {
    const auto& type = scenario.incidents[t];
    grid_rates[t] = rate_by_grid_per_s(type, city);
    double rate_per_s = 0;
    for (double r : grid_rates[t]) rate_per_s += r;
    const double known_share = type.findable_by_workers() ? 1.0 : type.report_probability;
    known_per_s[t] += rate_per_s * known_share;
    if (type.develops && !type.findable_by_workers() && type.develops->into_type >= 0)
      known_per_s[static_cast<std::size_t>(type.develops->into_type)] +=
          rate_per_s * (1.0 - type.report_probability) * type.develops->probability;
  }

  const TravelModel travel(scenario.travel, city);
  std::array<std::vector<double>, level_count> travel_by_grid_s;   // filled for the levels that need it
  const auto mean_travel_s = [&](std::size_t type, int level) {
    auto& by_grid = travel_by_grid_s[static_cast<std::size_t>(level)];
    if (by_grid.empty()) by_grid = travel_from_own_unit_s(static_cast<Level>(level), city, travel);
    double weighted = 0, weight = 0;
    for (std::size_t g = 0; g < by_grid.size(); ++g) {
      weighted += grid_rates[type][g] * by_grid[g];
      weight += grid_rates[type][g];
    }
    return weight > 0 ? weighted / weight : 0.0;
  };

  std::vector<Demand> demands;
  for (std::size_t t = 0; t < types; ++t) {
    const auto& type = scenario.incidents[t];
    if (known_per_s[t] <= 0) continue;
    std::vector<int> needed(static_cast<std::size_t>(roles), 0);
    for (const auto& role : type.roles)
      if (const int id = roster.role_id(role); id >= 0) ++needed[static_cast<std::size_t>(id)];
    const int min_level = static_cast<int>(type.min_level);
    std::vector<int> ladder;
    for (int tier = qualified_tier(tiers, needed, min_level, members, 0); tier >= 0;
         tier = qualified_tier(tiers, needed, min_level, members, tier + 1))
      ladder.push_back(tier);
    if (ladder.empty()) {
      load.unstaffable_types.push_back(static_cast<int>(t));
      continue;
    }
    const scenario::EscalationRule escalation = scenario.escalation_for(static_cast<int>(t));
    const bool escalates_when_busy = tiered && escalation.when_busy == scenario::WhenBusy::escalate;
    const double fail = ladder.size() > 1 ? type.failure_probability : 0.0;
    const double rework = type.case_flow ? type.case_flow->rework_probability : 0.0;
    double reaching = 1.0;   // share of the type's incidents handled at this step of the ladder
    for (std::size_t step = 0; step < ladder.size() && reaching > 0; ++step) {
      const bool last = step + 1 == ladder.size();
      // A failed handling goes up without a check; a successful one is checked and may be reworked there
      // (the failure draw of a level is fixed per incident, so a reworked round does not fail).
      const double rounds = last ? 1.0 / (1.0 - rework) : fail + (1.0 - fail) / (1.0 - rework);
      const Tier& tier = tiers[static_cast<std::size_t>(ladder[step])];
      // Where its cases may end up being served: escalation when busy or after waiting moves them up the ladder.
      int highest_reachable = tier.highest_level;
      for (std::size_t up = step; up + 1 < ladder.size(); ++up) {
        const int level_here = tiers[static_cast<std::size_t>(ladder[up])].highest_level;
        if (!escalates_when_busy && !(tiered && escalation.after_s[static_cast<std::size_t>(level_here)] > 0))
          break;
        highest_reachable = tiers[static_cast<std::size_t>(ladder[up + 1])].highest_level;
        load.load_moves_up = true;
      }
      // The crew works once the last member is there: every member's time is the slowest travel + service.
      double slowest_travel_s = 0;
      std::vector<int> serving_level(static_cast<std::size_t>(roles), -1);
      for (int role = 0; role < roles; ++role) {
        if (needed[static_cast<std::size_t>(role)] == 0) continue;
        for (int level = min_level; level <= tier.highest_level && serving_level[role] < 0; ++level)
          if ((tier.levels & (1u << level)) && members[role][level] > 0) serving_level[role] = level;
        if (serving_level[role] >= 0) slowest_travel_s = std::max(slowest_travel_s, mean_travel_s(t, serving_level[role]));
      }
      if (slowest_travel_s > 0) load.travel_included = true;
      const double work_s = slowest_travel_s + mean_duration_s(type.service);
      for (int role = 0; role < roles; ++role) {
        if (needed[static_cast<std::size_t>(role)] == 0) continue;
        demands.push_back({role, min_level, highest_reachable, static_cast<int>(t),
                           known_per_s[t] * hour_s * reaching * rounds,
                           needed[static_cast<std::size_t>(role)] * work_s / hour_s});
      }
      reaching *= fail;
    }
  }

  // Every interval of levels that is exactly spanned by the work it must take (a wider one with the same work
  // has at least the staff, so it can only look better).
  for (int role = 0; role < roles; ++role)
    for (int lowest = 0; lowest < level_count; ++lowest)
      for (int highest = lowest; highest < level_count; ++highest) {
        PoolLoad pool;
        pool.role = roster.role_name(role);
        pool.lowest_level = static_cast<Level>(lowest);
        pool.highest_level = static_cast<Level>(highest);
        int spanned_low = level_count, spanned_high = -1;
        std::map<int, LoadContribution> by_type;
        for (const Demand& demand : demands) {
          if (demand.role != role || demand.lowest_level < lowest || demand.highest_level > highest) continue;
          spanned_low = std::min(spanned_low, demand.lowest_level);
          spanned_high = std::max(spanned_high, demand.highest_level);
          LoadContribution& part = by_type[demand.type];
          part.incident_type = demand.type;
          const double staff_hours = part.staff_hours_per_h() + demand.cases_per_h * demand.work_h_per_case;
          part.cases_per_h += demand.cases_per_h;
          part.work_h_per_case = part.cases_per_h > 0 ? staff_hours / part.cases_per_h : 0.0;
        }
        if (spanned_low != lowest || spanned_high != highest) continue;
        for (const auto& [type, part] : by_type) {
          pool.contributions.push_back(part);
          pool.cases_per_h += part.cases_per_h;
          pool.offered_staff_hours_per_h += part.staff_hours_per_h();
        }
        if (pool.offered_staff_hours_per_h <= 0) continue;
        std::sort(pool.contributions.begin(), pool.contributions.end(),
                  [](const LoadContribution& a, const LoadContribution& b) {
                    return a.staff_hours_per_h() > b.staff_hours_per_h();
                  });
        for (int level = lowest; level <= highest; ++level) {
          pool.members += members[role][level];
          pool.staff_on_duty += on_duty[role][level];
          if (members[role][level] > 0) pool.staffed_levels.push_back(static_cast<Level>(level));
        }
        pool.utilisation = pool.staff_on_duty > 0 ? pool.offered_staff_hours_per_h / pool.staff_on_duty
                                                  : std::numeric_limits<double>::infinity();
        load.pools.push_back(std::move(pool));
      }
  return load;
}

std::vector<const PoolLoad*> pools_at_or_above(const OfferedLoad& load, double threshold) {
  std::vector<const PoolLoad*> found;
  for (const PoolLoad& pool : load.pools) {
    if (!(pool.utilisation >= threshold)) continue;
    const bool inner_one_too = std::any_of(load.pools.begin(), load.pools.end(), [&](const PoolLoad& other) {
      return &other != &pool && other.role == pool.role && other.lowest_level >= pool.lowest_level &&
             other.highest_level <= pool.highest_level && other.utilisation >= threshold;
    });
    if (!inner_one_too) found.push_back(&pool);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const PoolLoad* a, const PoolLoad* b) { return a->utilisation > b->utilisation; });
  return found;
}

namespace {

// Three significant figures without exponents, for people.
std::string figure(double value) {
  if (std::isinf(value)) return "∞";
  char buffer[64];
  const double size = std::abs(value);
  const char* format = size >= 100 ? "%.0f" : size >= 10 ? "%.1f" : size >= 0.1 || size == 0 ? "%.2f" : "%.2g";
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string percent(double share) {
  if (share > 0 && share < 0.005) return "<1 %";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f %%", 100 * share);
  return buffer;
}

std::string levels_text(const PoolLoad& pool) {
  std::vector<Level> levels = pool.staffed_levels;
  if (levels.empty())
    for (int level = static_cast<int>(pool.lowest_level); level <= static_cast<int>(pool.highest_level); ++level)
      levels.push_back(static_cast<Level>(level));
  if (levels.size() == 1) return std::string("at ") + scenario::to_string(levels.front()) + " level";
  std::string text = "at ";
  for (std::size_t k = 0; k < levels.size(); ++k)
    text += std::string(k == 0 ? "" : k + 1 == levels.size() ? " and " : ", ") + scenario::to_string(levels[k]);
  return text + " levels";
}

// The rate as written in the file's terms (which key, per grid or per 1000 residents), per hour and per day.
std::string rate_text(const scenario::IncidentType& type, int index) {
  const bool per_grid = type.rate_per_grid_per_s > 0;
  const double per_s = per_grid ? type.rate_per_grid_per_s : type.rate_per_1000_residents_per_s;
  return "incidents[" + std::to_string(index) + "]." + (per_grid ? "rate" : "rate_per_1000_residents") + " (" +
         type.name + "): " + figure(per_s * hour_s) + "/h = " + figure(per_s * day_s) + "/d " +
         (per_grid ? "per grid" : "per 1000 residents");
}

std::string pool_figures(const PoolLoad& pool) {
  const double share_on_duty = pool.members > 0 ? pool.staff_on_duty / pool.members : 0.0;
  char rho[32];
  std::snprintf(rho, sizeof rho, "%.2f", pool.utilisation);   // two decimals near 1, where they matter
  return figure(pool.cases_per_h) + " incidents/h × " + figure(pool.mean_work_h()) + " h of work = " +
         figure(pool.offered_staff_hours_per_h) + " staff-hours/h against " + figure(pool.staff_on_duty) +
         " staff on duty (" + std::to_string(std::llround(pool.members)) + " members, on duty " + percent(share_on_duty) +
         " of the time) (ρ = " + (pool.utilisation < 10 ? std::string(rho) : figure(pool.utilisation)) + ")";
}

std::string contributions_text(const PoolLoad& pool, const scenario::Scenario& scenario) {
  std::string text;
  const std::size_t shown = std::min<std::size_t>(3, pool.contributions.size());
  for (std::size_t k = 0; k < shown; ++k) {
    const auto& part = pool.contributions[k];
    text += std::string(k ? ", " : "") + scenario.incidents[static_cast<std::size_t>(part.incident_type)].name + " " +
            percent(part.staff_hours_per_h() / pool.offered_staff_hours_per_h) + " (" + figure(part.cases_per_h) +
            "/h × " + figure(part.work_h_per_case) + " h)";
  }
  if (pool.contributions.size() > shown)
    text += ", " + std::to_string(pool.contributions.size() - shown) + " more";
  return text;
}

}  // namespace

std::string format_offered_load_warnings(const OfferedLoad& load, const scenario::Scenario& scenario) {
  std::string text;
  const auto overloaded = pools_at_or_above(load, overload_utilisation);
  for (const PoolLoad* pool : overloaded) {
    text += "civicgrid: warning: " + pool->role + " " + levels_text(*pool) + " is overloaded: " + pool_figures(*pool) +
            "; the run will build queues that never empty\n";
    text += "civicgrid:   from " + contributions_text(*pool, scenario) + "\n";
    const int largest = pool->contributions.front().incident_type;
    text += "civicgrid:   hint: check the rate unit of " +
            rate_text(scenario.incidents[static_cast<std::size_t>(largest)], largest) + ", and the staff of " +
            pool->role + "\n";
  }
  for (const PoolLoad* pool : pools_at_or_above(load, near_capacity_utilisation)) {
    if (pool->utilisation >= overload_utilisation) continue;
    text += "civicgrid: note: " + pool->role + " " + levels_text(*pool) + " is near capacity: " + pool_figures(*pool) +
            "; waits will be long and grow with any extra load\n";
  }
  for (int type : load.unstaffable_types)
    text += "civicgrid: warning: no tier can form the crew of " + scenario.incidents[static_cast<std::size_t>(type)].name +
            " (more of a role at once than any tier has): every such incident will wait to the end of the run\n";
  if (!text.empty()) {
    text += std::string("civicgrid:   (first-order estimate from the scenario alone: mean rates with their multipliers, "
                        "failures and rework passed along the tier ladder, ") +
            (load.travel_included ? "travel from the base of the incident's own unit" : "no travel in this model") +
            (load.load_moves_up ? ", cases that may escalate counted against every level they can reach" : "") +
            "; see docs/offered-load.md)\n";
  }
  return text;
}

}  // namespace civicgrid::city
