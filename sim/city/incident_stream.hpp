// The occurrence process of one incident type: when, where and how much work. Kept apart from the engine so
// that the arrival process (non-homogeneous Poisson by hour of day, split over grids by population) can be
// tested without SimGrid, and so that every variant of a scenario draws the same incidents: occurrence time,
// place and service demand each come from their own named stream (common random numbers).
#pragma once

#include <cstdint>
#include <vector>

#include "city/city.hpp"
#include "city/random.hpp"

namespace civicgrid::city {

struct Occurrence {
  double t_occur_s = 0;
  int grid = 0;
  Point place;
  double service_s = 0;   // on-scene work this incident will need
  // One uniform per level, compared with the type's failure probability when it is handled at that level.
  double failure_draw[4] = {};
  // Discovery: whether residents report it, and how long after it occurs.
  bool reported_by_residents = true;
  double known_delay_s = 0;
  // Information reporting after closure: a uniform for the not-reported decision and the report's delay.
  double not_reported_draw = 1;
  double platform_delay_s = 0;
  // Where in its grid it is, as a share of the grid's households: a visit to household h of H finds it when
  // floor(household_u * H) == h (each visit programme counts households its own way).
  double household_u = 0;
  // Whether it will develop into another type if nobody has found it after develop_after_s.
  bool develops = false;
  double develop_after_s = 0;
};

class IncidentStream {
 public:
  IncidentStream(const scenario::IncidentType& type, const City& city, std::uint64_t master_seed, int replication);

  // The next occurrence after the previous one (the first after t = 0). Returns false when the type never
  // occurs (total rate 0). Time 0 is midnight of day 1: the hourly profile is indexed by hour of day.
  bool next(Occurrence& occurrence);

  // The work and outcome draws of an incident of this type that another one developed into (same time and
  // place as `cause`); from streams of their own ("developed/..."), so they never shift this type's own draws.
  Occurrence consequence_of(const Occurrence& cause, double t_s);

  // Expected occurrences per second averaged over a day, over the whole city.
  double mean_rate_per_s() const { return total_rate_per_s_; }

 private:
  double advance_nhpp(double from_s, double unit_exponential) const;
  int pick_grid(double uniform) const;

  const scenario::IncidentType& type_;
  const City& city_;
  double total_rate_per_s_ = 0;
  std::vector<double> cumulative_rate_;   // per grid, for choosing where it happens
  std::vector<double> hourly_;            // 24 multipliers with mean 1
  double last_s_ = 0;
  RandomStream arrivals_;
  RandomStream places_;
  RandomStream service_;
  RandomStream outcome_;
  RandomStream discovery_;
  RandomStream reporting_;
  RandomStream households_;    // only drawn for types that visits or patrols can find
  RandomStream development_;   // only drawn for types that develop
  RandomStream consequences_;  // draws of incidents this type is developed into
};

}  // namespace civicgrid::city
