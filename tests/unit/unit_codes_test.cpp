// Unit tier: the rectangular layout's unit codes (scenario/unit_codes.hpp), the one definition the city's
// names and the preference lists' reader share.
#include <gtest/gtest.h>

#include "city/city.hpp"
#include "scenario/unit_codes.hpp"
#include "support/scenarios.hpp"

namespace civicgrid {
namespace {

using scenario::Level;

TEST(UnitCodes, WidthFollowsTheCountAndCodesReadBack) {
  EXPECT_EQ(scenario::rectangular_unit_code(Level::grid, 0, 16), "G01");
  EXPECT_EQ(scenario::rectangular_unit_code(Level::grid, 15, 16), "G16");
  EXPECT_EQ(scenario::rectangular_unit_code(Level::grid, 0, 200), "G001");
  EXPECT_EQ(scenario::rectangular_unit_code(Level::community, 2, 9), "C03");
  EXPECT_EQ(scenario::rectangular_unit_code(Level::town, 0, 1), "T01");
  EXPECT_EQ(scenario::rectangular_unit_code(Level::city, 0, 1), "CITY");
  for (const long long count : {1LL, 9LL, 10LL, 99LL, 100LL, 12345LL})
    for (const long long unit : {0LL, count / 2, count - 1}) {
      const auto code = scenario::rectangular_unit_code(Level::grid, unit, count);
      EXPECT_EQ(scenario::parse_rectangular_unit_code(Level::grid, code, count), unit) << code;
    }
  EXPECT_FALSE(scenario::parse_rectangular_unit_code(Level::grid, "G1", 16));     // not padded
  EXPECT_FALSE(scenario::parse_rectangular_unit_code(Level::grid, "G17", 16));    // beyond the count
  EXPECT_FALSE(scenario::parse_rectangular_unit_code(Level::grid, "G00", 16));
  EXPECT_FALSE(scenario::parse_rectangular_unit_code(Level::grid, "C01", 16));    // another level's letter
  EXPECT_FALSE(scenario::parse_rectangular_unit_code(Level::grid, "G0x", 16));
  EXPECT_EQ(scenario::parse_rectangular_unit_code(Level::city, "CITY", 1), 0);
}

TEST(UnitCodes, TheCityNamesItsUnitsWithThem) {
  // 5 x 7 grids in 2 x 3 community blocks (cut short at the edges), towns of 2 x 2 communities.
  auto s = testing::single_grid_queue(1, 1.0, testing::exponential_min(10), 24, 0);
  s.layout = {5, 7, 100.0, 2, 3, 2, 2};
  const auto city = city::City::build(s);
  for (const Level level : {Level::grid, Level::community, Level::town, Level::city}) {
    const long long count = scenario::rectangular_unit_count(s.layout, level);
    ASSERT_EQ(city.unit_count(level), count) << scenario::to_string(level);
    for (int unit = 0; unit < count; ++unit)
      EXPECT_EQ(city.unit_code(level, unit), scenario::rectangular_unit_code(level, unit, count));
  }
  EXPECT_EQ(scenario::rectangular_unit_count(s.layout, Level::community), 3 * 3);
  EXPECT_EQ(scenario::rectangular_unit_count(s.layout, Level::town), 2 * 2);
}

}  // namespace
}  // namespace civicgrid
