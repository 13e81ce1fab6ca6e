// Unit tier: the rectangular city (ids, hierarchy, partial edge blocks, bases, population) and the roster.
#include <gtest/gtest.h>

#include "city/city.hpp"
#include "city/roster.hpp"
#include "support/scenarios.hpp"

namespace civicgrid {
namespace {

scenario::Scenario five_by_seven() {
  auto s = testing::single_grid_queue(1, 1.0, testing::exponential_min(10), 24, 0);
  s.layout = {5, 7, 100.0, 2, 3, 2, 2};   // communities of 2 x 3 grids, towns of 2 x 2 communities
  return s;
}

TEST(City, HierarchyWithPartialEdgeBlocks) {
  const auto city = city::City::build(five_by_seven());
  ASSERT_EQ(city.grids().size(), 35u);
  // ceil(5/2) x ceil(7/3) = 3 x 3 communities; ceil(3/2) x ceil(3/2) = 2 x 2 towns.
  EXPECT_EQ(city.communities().size(), 9u);
  EXPECT_EQ(city.towns().size(), 4u);
  const auto& corner = city.grids()[4 * 7 + 6];   // row 4, col 6: community (2, 2) -> id 8, town (1, 1) -> 3
  EXPECT_EQ(corner.community, 8);
  EXPECT_EQ(corner.town, 3);
  EXPECT_EQ(city.communities()[8].grids.size(), 1u);   // a 1 x 1 remainder block
  EXPECT_DOUBLE_EQ(city.communities()[8].centre.x_m, 650.0);
  EXPECT_DOUBLE_EQ(city.communities()[8].centre.y_m, 450.0);
  EXPECT_EQ(city.grids()[0].code, "G01");
  EXPECT_EQ(city.grids()[34].code, "G35");
  EXPECT_EQ(city.communities()[0].code, "C01");
  std::size_t grids_in_communities = 0;
  for (const auto& community : city.communities()) grids_in_communities += community.grids.size();
  EXPECT_EQ(grids_in_communities, 35u);
  EXPECT_DOUBLE_EQ(city.city_platform().x_m, 350.0);
  EXPECT_DOUBLE_EQ(city.city_platform().y_m, 250.0);
  EXPECT_EQ(city.unit_of_grid(scenario::Level::town, 34), 3);
}

TEST(City, PopulationFromBaseGradientHotspotAndOverrides) {
  auto s = five_by_seven();
  s.population.residents_per_grid = 1000;
  s.population.hotspots = {{2, 3, 500, 0}};   // radius 0: only the grid itself
  s.population.residents_by_grid.assign(35, -1);
  s.population.residents_by_grid[0] = 42;
  const auto city = city::City::build(s);
  EXPECT_DOUBLE_EQ(city.grids()[2 * 7 + 3].residents, 1500);
  EXPECT_DOUBLE_EQ(city.grids()[0].residents, 42);
  EXPECT_DOUBLE_EQ(city.grids()[1].residents, 1000);
  EXPECT_DOUBLE_EQ(city.total_residents(), 1000 * 35 + 500 - 958);
}

TEST(Roster, ExpandsTeamsPerUnitWithStableIds) {
  auto s = five_by_seven();
  s.teams = {{"worker", scenario::Level::grid, 1, {"grid_worker"}},
             {"team", scenario::Level::community, 2, {"mediator", "grid_worker"}}};
  const auto city = city::City::build(s);
  const city::Roster roster(s, city);
  ASSERT_EQ(roster.responders().size(), 35u + 18u);
  EXPECT_EQ(roster.role_count(), 2);
  const auto& last = roster.responders().back();
  EXPECT_EQ(last.name, "team@C09#2");
  EXPECT_EQ(last.roles.size(), 2u);
  EXPECT_EQ(roster.at_unit(scenario::Level::community, 8).size(), 2u);
  EXPECT_EQ(roster.role_id("nobody"), -1);
}

}  // namespace
}  // namespace civicgrid
