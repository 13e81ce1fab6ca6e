// A first-order offered-load estimate (ρ = arrivals × work per case / staff on duty) for every pool of staff a
// scenario's incidents draw on, computed from the scenario and the city alone, before anything runs. A rate
// typed per hour instead of per day makes a run that only builds queues; this says so, with the figures,
// before hours are spent on it. The method and its assumptions are in docs/offered-load.md.
#pragma once

#include <string>
#include <vector>

#include "city/city.hpp"
#include "scenario/scenario.hpp"

namespace civicgrid::city {

// What one incident type adds to a pool: its cases (rounds of work: first handling, rework, failures passed up
// to this pool's levels) and the staff time each takes of the pool's role.
struct LoadContribution {
  int incident_type = 0;            // index into Scenario::incidents
  double cases_per_h = 0;
  double work_h_per_case = 0;       // crew slots of the role x (expected travel + expected service)
  double staff_hours_per_h() const { return cases_per_h * work_h_per_case; }
};

// The staff of one role at the levels [lowest_level, highest_level], and every case that can only be served
// there. Pools overlap (grid and grid..community): staff shared by several tiers is checked with all of the work
// that can reach it (the condition is the one of a bipartite flow: no set of levels gets more than it can do).
struct PoolLoad {
  std::string role;
  scenario::Level lowest_level = scenario::Level::grid;
  scenario::Level highest_level = scenario::Level::grid;
  std::vector<scenario::Level> staffed_levels;   // levels of the interval where the role has members
  double cases_per_h = 0;
  double offered_staff_hours_per_h = 0;
  double members = 0;               // people with the role at these levels
  double staff_on_duty = 0;         // members x their team's expected share of the measured window on duty
  double utilisation = 0;           // ρ = offered staff-hours per hour / staff on duty (infinite without staff)
  std::vector<LoadContribution> contributions;   // largest staff-hours first
  double mean_work_h() const { return cases_per_h > 0 ? offered_staff_hours_per_h / cases_per_h : 0.0; }
};

struct OfferedLoad {
  std::vector<PoolLoad> pools;          // every pool some work must be served in, by role then levels
  std::vector<int> unstaffable_types;   // no tier has the crew these types need: every case waits for ever
  bool travel_included = false;         // travel or turnout is part of the work (the model has some)
  bool load_moves_up = false;           // escalation.when_busy: escalate, or escalation.after: cases waiting
                                        // at a tier may be served higher up, so they count there too
};

// Warn from this ρ on; note from the softer one (waits grow without bound as ρ approaches 1).
constexpr double overload_utilisation = 1.0;
constexpr double near_capacity_utilisation = 0.95;

OfferedLoad estimate_offered_load(const scenario::Scenario& scenario, const City& city);

// The pools at or above `threshold` that contain no smaller pool of the same role at or above it: where the
// overload is, not every wider pool it spills into. Worst first.
std::vector<const PoolLoad*> pools_at_or_above(const OfferedLoad& load, double threshold);

// The stderr text: one warning per overloaded pool (figures, the types that contribute most, a hint at the
// rate of the largest), a note per pool near capacity, a warning per unstaffable type; "" when all is well.
// Each line starts with "civicgrid: ".
std::string format_offered_load_warnings(const OfferedLoad& load, const scenario::Scenario& scenario);

}  // namespace civicgrid::city
