// Zones: city (full) -> one zone per town (full) -> a leaf "centre" zone for the town centre host plus one leaf
// zone per community holding its centre and its grid offices. SimGrid 3.32 zones hold hosts or child zones,
// never both, hence the separate centre zones. No routes are declared: actors hand work over through
// semaphores and shared state, not network messages, so no communication crosses these zones yet.
#include "engine/platform.hpp"

#include <simgrid/s4u/NetZone.hpp>

namespace civicgrid::engine {
namespace {
constexpr double host_speed_flops = 1e9;   // nothing computes: hosts only locate actors

// GeoJSON IDs may repeat across levels (a village and its only grid often share a name) and SimGrid names
// must be unique, so there hosts and zones carry their level ("town/T1"; IDs contain no '/'). Rectangular
// codes (G01, C01, T01) never clash and keep their names.
std::string named(const city::City& city, const char* level, const std::string& code) {
  return city.is_geographic() ? std::string(level) + "/" + code : code;
}
}

simgrid::s4u::Host* Platform::base_of(scenario::Level level, int unit) const {
  switch (level) {
    case scenario::Level::grid: return grids[unit];
    case scenario::Level::community: return communities[unit];
    case scenario::Level::town: return towns[unit];
    case scenario::Level::city: return city_platform;
  }
  return city_platform;
}

Platform build_platform(const city::City& city, bool grid_offices) {
  Platform platform;
  auto* root = simgrid::s4u::create_full_zone(city.city_code());
  auto* city_centre = simgrid::s4u::create_full_zone(city.city_code() + "-platform");
  city_centre->set_parent(root);
  platform.city_platform = city_centre->create_host(city.city_code(), host_speed_flops);
  city_centre->seal();

  platform.towns.resize(city.towns().size());
  platform.communities.resize(city.communities().size());
  platform.grids.resize(city.grids().size(), nullptr);
  for (const auto& town : city.towns()) {
    auto* town_zone = simgrid::s4u::create_full_zone(named(city, "town", town.code) + "-zone");
    town_zone->set_parent(root);
    auto* town_centre = simgrid::s4u::create_full_zone(named(city, "town", town.code) + "-centre");
    town_centre->set_parent(town_zone);
    platform.towns[town.id] = town_centre->create_host(named(city, "town", town.code), host_speed_flops);
    town_centre->seal();
    for (int community_id : town.communities) {
      const auto& community = city.communities()[community_id];
      auto* community_zone = simgrid::s4u::create_full_zone(named(city, "community", community.code));
      community_zone->set_parent(town_zone);
      platform.communities[community_id] = community_zone->create_host(named(city, "community", community.code) + "-centre", host_speed_flops);
      if (grid_offices)
        for (int grid : community.grids)
          platform.grids[grid] = community_zone->create_host(named(city, "grid", city.grids()[grid].code), host_speed_flops);
      community_zone->seal();
    }
    town_zone->seal();
  }
  root->seal();
  return platform;
}

}  // namespace civicgrid::engine
