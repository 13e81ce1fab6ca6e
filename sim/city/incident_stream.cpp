// Arrival times by inversion of the cumulative intensity (exact for a piecewise-constant hourly profile and
// one unit exponential per arrival), places by cumulative rate per grid, service from the type's distribution.
#include "city/incident_stream.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace civicgrid::city {

IncidentStream::IncidentStream(const scenario::IncidentType& type, const City& city, std::uint64_t master_seed,
                               int replication)
    : type_(type),
      city_(city),
      arrivals_(master_seed, "arrivals/" + type.name, replication),
      places_(master_seed, "places/" + type.name, replication),
      service_(master_seed, "service/" + type.name, replication),
      outcome_(master_seed, "outcome/" + type.name, replication),
      discovery_(master_seed, "discovery/" + type.name, replication),
      reporting_(master_seed, "reporting/" + type.name, replication),
      households_(master_seed, "households/" + type.name, replication),
      development_(master_seed, "develops/" + type.name, replication),
      consequences_(master_seed, "developed/" + type.name, replication) {
  cumulative_rate_.reserve(city.grids().size());
  double sum = 0;
  for (const Grid& grid : city.grids()) {
    const double migrant_factor = 1.0 - grid.migrant_share + grid.migrant_share * type.migrant_rate_ratio;
    const double key_factor =
        1.0 - grid.key_population_share + grid.key_population_share * type.key_population_rate_ratio;
    sum += (type.rate_per_grid_per_s + type.rate_per_1000_residents_per_s * grid.residents / 1000.0) * migrant_factor *
           key_factor;
    cumulative_rate_.push_back(sum);
  }
  total_rate_per_s_ = sum;
  hourly_ = type.hourly_profile.empty() ? std::vector<double>(24, 1.0) : type.hourly_profile;
}

double IncidentStream::advance_nhpp(double from_s, double unit_exponential) const {
  constexpr double hour_s = 3600.0;
  double t = from_s;
  double remaining = unit_exponential;
  // A day with no intensity at all cannot happen (the loader rejects an all-zero profile), so this ends.
  while (true) {
    const auto hour_index = static_cast<long long>(std::floor(t / hour_s));
    const double intensity = total_rate_per_s_ * hourly_[static_cast<std::size_t>(hour_index % 24)];
    const double hour_end = static_cast<double>(hour_index + 1) * hour_s;
    const double capacity = intensity * (hour_end - t);
    if (intensity > 0 && remaining <= capacity) return t + remaining / intensity;
    remaining -= capacity;
    t = hour_end;
  }
}

int IncidentStream::pick_grid(double uniform) const {
  const double target = uniform * total_rate_per_s_;
  const auto it = std::upper_bound(cumulative_rate_.begin(), cumulative_rate_.end(), target);
  const auto index = static_cast<int>(it - cumulative_rate_.begin());
  return std::min(index, static_cast<int>(cumulative_rate_.size()) - 1);
}

bool IncidentStream::next(Occurrence& occurrence) {
  if (total_rate_per_s_ <= 0) return false;
  last_s_ = advance_nhpp(last_s_, -std::log(arrivals_.uniform_open0()));
  occurrence.t_occur_s = last_s_;
  occurrence.grid = pick_grid(places_.uniform01());
  occurrence.place = city_.random_point_in_unit(scenario::Level::grid, occurrence.grid, places_);
  occurrence.service_s = sample_duration_s(type_.service, service_);
  for (double& draw : occurrence.failure_draw) draw = outcome_.uniform01();
  occurrence.reported_by_residents = discovery_.uniform01() < type_.report_probability;
  occurrence.known_delay_s = type_.report_delay ? sample_duration_s(*type_.report_delay, discovery_) : 0.0;
  occurrence.not_reported_draw = reporting_.uniform01();
  occurrence.platform_delay_s =
      type_.reporting && type_.reporting->delay ? sample_duration_s(*type_.reporting->delay, reporting_) : 0.0;
  // Streams of their own, drawn only when the feature is on: scenarios without it keep every draw they had.
  occurrence.household_u = type_.findable_by_workers() ? households_.uniform01() : 0.0;
  occurrence.develops = false;
  if (type_.develops) {
    occurrence.develops = development_.uniform01() < type_.develops->probability;
    occurrence.develop_after_s = sample_duration_s(type_.develops->after, development_);
  }
  return true;
}

Occurrence IncidentStream::consequence_of(const Occurrence& cause, double t_s) {
  Occurrence consequence;
  consequence.t_occur_s = t_s;
  consequence.grid = cause.grid;
  consequence.place = cause.place;
  consequence.service_s = sample_duration_s(type_.service, consequences_);
  for (double& draw : consequence.failure_draw) draw = consequences_.uniform01();
  consequence.reported_by_residents = true;   // it is out in the open
  consequence.known_delay_s = 0;
  consequence.not_reported_draw = consequences_.uniform01();
  consequence.platform_delay_s =
      type_.reporting && type_.reporting->delay ? sample_duration_s(*type_.reporting->delay, consequences_) : 0.0;
  consequence.household_u = cause.household_u;
  return consequence;
}

}  // namespace civicgrid::city
