// The SimGrid platform: one host per base (grid office, community centre, town centre, city platform) in
// netzones that mirror the administrative hierarchy, so actors live where the people they stand for work
// and traces read as the city reads. Built in code from the City, never from an XML file.
#pragma once

#include <vector>

#include <simgrid/s4u/Host.hpp>

#include "city/city.hpp"

namespace civicgrid::engine {

struct Platform {
  simgrid::s4u::Host* city_platform = nullptr;
  std::vector<simgrid::s4u::Host*> towns;
  std::vector<simgrid::s4u::Host*> communities;
  std::vector<simgrid::s4u::Host*> grids;   // empty entries for grids without an office host

  simgrid::s4u::Host* base_of(scenario::Level level, int unit) const;
};

// `grid_offices`: create a host per grid office (only needed when grid-level staff exist).
Platform build_platform(const city::City& city, bool grid_offices);

}  // namespace civicgrid::engine
