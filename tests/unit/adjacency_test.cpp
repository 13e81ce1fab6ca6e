// Unit tier: neighbour lists for mutual aid between grids. Rectangular cells by hand, small GeoJSON cities whose
// neighbours are known by construction (shared edge, corner contact, digitising gaps, a grid in a hole), the
// shipped layouts against brute-force checks, and a 10,000-grid city of each kind. Set
// CIVICGRID_ADJACENCY_TIMING=1 to have the 10,000-grid tests print their construction times to stderr.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "city/adjacency.hpp"
#include "city/city.hpp"
#include "city/geo_shapes.hpp"
#include "scenario/loader.hpp"

namespace civicgrid {
namespace {

namespace bg = boost::geometry;
namespace fs = std::filesystem;
using city::City;
using city::GridNeighbours;
using city::NeighbourRule;
using Ids = std::vector<int>;

const fs::path source_dir = CIVICGRID_SOURCE_DIR;

scenario::Scenario rectangular_scenario(int rows, int cols, double cell_size_m) {
  scenario::Scenario s;
  s.layout = {rows, cols, cell_size_m, 1, 1, 1, 1};
  s.population.residents_per_grid = 100;
  return s;
}

City rectangular(int rows, int cols, double cell_size_m) { return City::build(rectangular_scenario(rows, cols, cell_size_m)); }

struct Box {
  double min_x_m, min_y_m, max_x_m, max_y_m;
};

std::vector<scenario::GeoPoint> ring(Box b) {
  return {{b.min_x_m, b.min_y_m}, {b.max_x_m, b.min_y_m}, {b.max_x_m, b.max_y_m}, {b.min_x_m, b.max_y_m}, {b.min_x_m, b.min_y_m}};
}

// A GeoJSON city built in code (as the loader would leave it): one community, one town, grids "0", "1", ...
class GeoCity {
 public:
  GeoCity& add(Box outer, std::vector<Box> holes = {}) {
    scenario::GeoGrid grid;
    grid.id = std::to_string(layout_.grids.size());
    grid.feature = static_cast<int>(layout_.grids.size());
    scenario::GeoPolygon polygon{ring(outer), {}};
    for (const Box& hole : holes) polygon.holes.push_back(ring(hole));
    grid.parts.push_back(std::move(polygon));
    layout_.grid_index[grid.id] = grid.feature;
    layout_.grids.push_back(std::move(grid));
    return *this;
  }
  City build() const {
    scenario::Scenario s;
    s.population.residents_per_grid = 100;
    s.layout.geo = layout_;
    s.layout.geo->community_ids = {"C1"};
    s.layout.geo->community_town = {0};
    s.layout.geo->town_ids = {"T1"};
    return City::build(s);
  }

 private:
  scenario::GeoLayout layout_;
};

City shipped(const char* relative) { return City::build(scenario::load_scenario((source_dir / relative).string())); }

// Sorted, free of the grid itself and of duplicates, and a in of(b) exactly when b in of(a).
void expect_well_formed(const GridNeighbours& neighbours, int grid_count) {
  ASSERT_EQ(neighbours.grid_count(), grid_count);
  std::set<std::pair<int, int>> pairs;
  for (int a = 0; a < grid_count; ++a) {
    const Ids& list = neighbours.of(a);
    for (std::size_t k = 0; k < list.size(); ++k) {
      EXPECT_NE(list[k], a);
      EXPECT_GE(list[k], 0);
      EXPECT_LT(list[k], grid_count);
      if (k > 0) {
        EXPECT_LT(list[k - 1], list[k]) << "grid " << a;
      }
      pairs.insert({a, list[k]});
    }
  }
  for (const auto& [a, b] : pairs) EXPECT_TRUE(pairs.count({b, a})) << b << " missing from of(" << a << ")'s mirror";
}

TEST(Adjacency, RectangularThreeByThreeIsTheFourNeighbourhood) {
  const City c = rectangular(3, 3, 100);
  const GridNeighbours adjacent(c, NeighbourRule::adjacent(city::digitising_tolerance));
  expect_well_formed(adjacent, 9);
  // 0 1 2 / 3 4 5 / 6 7 8 (ids row by row)
  EXPECT_EQ(adjacent.of(4), (Ids{1, 3, 5, 7}));
  EXPECT_EQ(adjacent.of(0), (Ids{1, 3}));
  EXPECT_EQ(adjacent.of(2), (Ids{1, 5}));
  EXPECT_EQ(adjacent.of(6), (Ids{3, 7}));
  EXPECT_EQ(adjacent.of(8), (Ids{5, 7}));
  EXPECT_EQ(adjacent.of(1), (Ids{0, 2, 4}));
  EXPECT_EQ(adjacent.of(3), (Ids{0, 4, 6}));
  EXPECT_EQ(adjacent.of(5), (Ids{2, 4, 8}));
  EXPECT_EQ(adjacent.of(7), (Ids{4, 6, 8}));
}

TEST(Adjacency, RectangularOneByTwoAndOneByOne) {
  const GridNeighbours pair(rectangular(1, 2, 500), NeighbourRule::adjacent(city::digitising_tolerance));
  EXPECT_EQ(pair.of(0), (Ids{1}));
  EXPECT_EQ(pair.of(1), (Ids{0}));
  const GridNeighbours column(rectangular(2, 1, 500), NeighbourRule::adjacent(city::digitising_tolerance));
  EXPECT_EQ(column.of(0), (Ids{1}));
  EXPECT_EQ(column.of(1), (Ids{0}));
  const City single = rectangular(1, 1, 500);
  EXPECT_TRUE(GridNeighbours(single, NeighbourRule::adjacent(city::digitising_tolerance)).of(0).empty());
  EXPECT_TRUE(GridNeighbours(single, NeighbourRule::within_m(1e6)).of(0).empty());
}

TEST(Adjacency, RectangularSidesNoLongerThanTheMinimumLengthAreNotShared) {
  // One definition for both layouts: a 5 m side is below the 10 m a shared edge must exceed.
  EXPECT_TRUE(GridNeighbours(rectangular(1, 2, 5), NeighbourRule::adjacent(city::digitising_tolerance)).of(0).empty());
  EXPECT_TRUE(GridNeighbours(rectangular(1, 2, 10), NeighbourRule::adjacent(city::digitising_tolerance)).of(0).empty());
  EXPECT_EQ(GridNeighbours(rectangular(1, 2, 10.5), NeighbourRule::adjacent(city::digitising_tolerance)).of(0), (Ids{1}));
}

TEST(Adjacency, RectangularWithinDistanceCountsCornersAndGaps) {
  const City c = rectangular(3, 3, 100);
  // Diagonal cells touch at a corner (distance 0): neighbours within 1 m, though not adjacent.
  const GridNeighbours within_1(c, NeighbourRule::within_m(1));
  expect_well_formed(within_1, 9);
  EXPECT_EQ(within_1.of(0), (Ids{1, 3, 4}));
  EXPECT_EQ(within_1.of(4), (Ids{0, 1, 2, 3, 5, 6, 7, 8}));
  EXPECT_EQ(within_1.of(2), (Ids{1, 4, 5}));
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::within_m(0)).of(0), (Ids{1, 3, 4}));
  // Cells two apart have a 100 m gap: in at exactly 100 m, out just below; the far corner is 141 m away.
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::within_m(99.9)).of(0), (Ids{1, 3, 4}));
  const GridNeighbours within_100(c, NeighbourRule::within_m(100));
  expect_well_formed(within_100, 9);
  EXPECT_EQ(within_100.of(0), (Ids{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::within_m(141.43)).of(0), (Ids{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(Adjacency, RulesRejectNegativeOrNonFiniteParameters) {
  EXPECT_THROW(NeighbourRule::within_m(-1), std::invalid_argument);
  EXPECT_THROW(NeighbourRule::within_m(std::nan("")), std::invalid_argument);
  EXPECT_THROW(NeighbourRule::adjacent({-0.5, 10}), std::invalid_argument);
  EXPECT_THROW(NeighbourRule::adjacent({1, -1}), std::invalid_argument);
  EXPECT_THROW(NeighbourRule::adjacent({INFINITY, 10}), std::invalid_argument);
  const GridNeighbours neighbours(rectangular(2, 2, 100), NeighbourRule::within_m(0));
  EXPECT_THROW(neighbours.of(4), std::out_of_range);
  EXPECT_THROW(neighbours.of(-1), std::out_of_range);
}

// 0, 1: 100 m squares sharing an edge. 2: a 0.5 m digitising gap from 1 along its whole edge. 3: touches 0 at
// one corner only. 4: 5 m from 2, a real gap. 5: under 0 and 1, 0.2 m below them, its corners not on theirs
// (50 m along each). 6: meets 0's left edge over 5 m only. 7: a square with a hole, 8: the grid filling it.
City test_district() {
  return GeoCity()
      .add({0, 0, 100, 100})
      .add({100, 0, 200, 100})
      .add({200.5, 0, 300, 100})
      .add({-100, 100, 0, 200})
      .add({305, 0, 400, 100})
      .add({50, -100, 150, -0.2})
      .add({-100, -100, 0, 5})
      .add({1000, 0, 1300, 300}, {{1100, 100, 1200, 200}})
      .add({1100, 100, 1200, 200})
      .build();
}

TEST(Adjacency, GeoJsonSharedEdgesWithinTheDigitisingTolerance) {
  const City c = test_district();
  ASSERT_TRUE(c.is_geographic());
  const GridNeighbours adjacent(c, NeighbourRule::adjacent(city::digitising_tolerance));
  expect_well_formed(adjacent, 9);
  EXPECT_EQ(adjacent.of(0), (Ids{1, 5}));      // not 3 (a corner), not 6 (5 m of edge)
  EXPECT_EQ(adjacent.of(1), (Ids{0, 2, 5}));   // 2 across a 0.5 m gap
  EXPECT_EQ(adjacent.of(2), (Ids{1}));         // not 4 (5 m away)
  EXPECT_TRUE(adjacent.of(3).empty());
  EXPECT_TRUE(adjacent.of(4).empty());
  EXPECT_EQ(adjacent.of(5), (Ids{0, 1}));
  EXPECT_TRUE(adjacent.of(6).empty());
  EXPECT_EQ(adjacent.of(7), (Ids{8}));         // the hole's boundary is an edge too
  EXPECT_EQ(adjacent.of(8), (Ids{7}));
}

TEST(Adjacency, GeoJsonToleranceDecidesGapsAndShortEdges) {
  const City c = test_district();
  // Exact boundaries only: the 0.5 m and 0.2 m gaps separate.
  const GridNeighbours exact(c, NeighbourRule::adjacent({0, 10}));
  EXPECT_EQ(exact.of(0), (Ids{1}));
  EXPECT_EQ(exact.of(1), (Ids{0}));
  EXPECT_TRUE(exact.of(5).empty());
  EXPECT_EQ(exact.of(7), (Ids{8}));
  // A 5 m gap needs a 5 m tolerance; grid 6's 5 m of edge (7 m of boundary within 1 m of grid 0) needs a
  // minimum below that.
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::adjacent({5.5, 10})).of(4), (Ids{2}));
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::adjacent({1, 6.9})).of(6), (Ids{0}));
  EXPECT_TRUE(GridNeighbours(c, NeighbourRule::adjacent({1, 7.1})).of(6).empty());
  // With no minimum length, a corner contact counts: 2 m of boundary lie within 1 m of the other grid.
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::adjacent({1, 1.9})).of(3), (Ids{0}));
  EXPECT_TRUE(GridNeighbours(c, NeighbourRule::adjacent({1, 2.1})).of(3).empty());
}

TEST(Adjacency, GeoJsonWithinDistanceOfPolygons) {
  const City c = test_district();
  const GridNeighbours touching(c, NeighbourRule::within_m(0));
  expect_well_formed(touching, 9);
  EXPECT_EQ(touching.of(0), (Ids{1, 3, 6}));   // the corner contact and the short edge touch
  EXPECT_EQ(touching.of(1), (Ids{0}));
  EXPECT_TRUE(touching.of(2).empty());
  EXPECT_TRUE(touching.of(5).empty());
  EXPECT_EQ(touching.of(8), (Ids{7}));
  const GridNeighbours within_1(c, NeighbourRule::within_m(1));
  expect_well_formed(within_1, 9);
  EXPECT_EQ(within_1.of(0), (Ids{1, 3, 5, 6}));
  EXPECT_EQ(within_1.of(1), (Ids{0, 2, 5}));
  EXPECT_EQ(within_1.of(2), (Ids{1}));
  EXPECT_EQ(within_1.of(5), (Ids{0, 1}));
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::within_m(0.49)).of(2), Ids{});
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::within_m(4.99)).of(4), Ids{});
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::within_m(5.01)).of(4), (Ids{2}));
  // Grid 8, in grid 7's hole, is 700 m from grid 4 and 800 m from grid 2 across grid 7.
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::within_m(699)).of(8), (Ids{7}));
  EXPECT_EQ(GridNeighbours(c, NeighbourRule::within_m(801)).of(8), (Ids{2, 4, 7}));
}

TEST(Adjacency, ShippedRectangularLayoutIsSymmetric) {
  const City c = shipped("scenarios/district/one-net.yaml");
  ASSERT_FALSE(c.is_geographic());
  const int n = static_cast<int>(c.grids().size());
  ASSERT_EQ(n, 100);
  const GridNeighbours adjacent(c, NeighbourRule::adjacent(city::digitising_tolerance));
  expect_well_formed(adjacent, n);
  const GridNeighbours within(c, NeighbourRule::within_m(600));
  expect_well_formed(within, n);
  // Every adjacent cell is also within any distance; brute force over all pairs for within_m.
  for (int a = 0; a < n; ++a) {
    Ids expected;
    for (int b = 0; b < n; ++b) {
      const auto& p = c.grids()[a].area;
      const auto& q = c.grids()[b].area;
      const double dx = std::max({0.0, p.min_x_m - q.max_x_m, q.min_x_m - p.max_x_m});
      const double dy = std::max({0.0, p.min_y_m - q.max_y_m, q.min_y_m - p.max_y_m});
      if (b != a && std::hypot(dx, dy) <= 600) expected.push_back(b);
    }
    EXPECT_EQ(within.of(a), expected) << "grid " << a;
    for (int b : adjacent.of(a)) EXPECT_TRUE(std::binary_search(expected.begin(), expected.end(), b));
  }
}

// The shipped district's neighbours against checks that do not share its code: the within_m lists equal an
// all-pairs Boost.Geometry distance, grids with an exactly shared boundary (the same two vertices) of more than
// 10 m are adjacent, and adjacent grids lie within the 1 m gap of each other.
TEST(Adjacency, ShippedGeoJsonLayoutAgainstBruteForce) {
  const City c = shipped("scenarios/district/geo.yaml");
  ASSERT_TRUE(c.is_geographic());
  const city::GeoShapes& shapes = *c.geo_shapes();
  const int n = static_cast<int>(c.grids().size());
  ASSERT_EQ(n, 105);
  const GridNeighbours adjacent(c, NeighbourRule::adjacent(city::digitising_tolerance));
  expect_well_formed(adjacent, n);
  const GridNeighbours within_gap(c, NeighbourRule::within_m(city::digitising_tolerance.gap_m));
  expect_well_formed(within_gap, n);
  const GridNeighbours within_500(c, NeighbourRule::within_m(500));
  expect_well_formed(within_500, n);

  for (int a = 0; a < n; ++a) {
    Ids expected;
    for (int b = 0; b < n; ++b)
      if (b != a && bg::distance(shapes.shape(a), shapes.shape(b)) <= 500) expected.push_back(b);
    EXPECT_EQ(within_500.of(a), expected) << "grid " << c.grids()[a].code;
    EXPECT_FALSE(adjacent.of(a).empty()) << "the district tiles its land, so no grid is alone: " << c.grids()[a].code;
    for (int b : adjacent.of(a))
      EXPECT_TRUE(std::binary_search(within_gap.of(a).begin(), within_gap.of(a).end(), b))
          << c.grids()[a].code << " " << c.grids()[b].code;
  }

  // Exactly shared segments, keyed by their two end points in either order.
  std::map<std::pair<std::pair<double, double>, std::pair<double, double>>, std::vector<int>> owners;
  const auto add_ring = [&owners](const auto& ring, int grid) {
    for (std::size_t i = 1; i < ring.size(); ++i) {
      std::pair<double, double> p{ring[i - 1].x(), ring[i - 1].y()};
      std::pair<double, double> q{ring[i].x(), ring[i].y()};
      if (q < p) std::swap(p, q);
      owners[{p, q}].push_back(grid);
    }
  };
  for (int grid = 0; grid < n; ++grid)
    for (const auto& polygon : shapes.shape(grid)) {
      add_ring(polygon.outer(), grid);
      for (const auto& hole : polygon.inners()) add_ring(hole, grid);
    }
  std::map<std::pair<int, int>, double> exact_m;
  for (const auto& [segment, grids] : owners)
    if (grids.size() == 2 && grids[0] != grids[1])
      exact_m[{std::min(grids[0], grids[1]), std::max(grids[0], grids[1])}] +=
          std::hypot(segment.second.first - segment.first.first, segment.second.second - segment.first.second);
  EXPECT_GE(exact_m.size(), 150u) << "the district should share most of its edges vertex for vertex";
  for (const auto& [pair, metres] : exact_m)
    if (metres > city::digitising_tolerance.min_length_m) {
      const Ids& list = adjacent.of(pair.first);
      EXPECT_TRUE(std::binary_search(list.begin(), list.end(), pair.second))
          << c.grids()[pair.first].code << " " << c.grids()[pair.second].code << " share " << metres << " m";
    }

  // Two grids checked by hand in grids.geojson: the first compound, and the first village.
  const auto codes = [&c](const Ids& ids) {
    std::vector<std::string> out;
    for (int id : ids) out.push_back(c.grids()[id].code);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(codes(adjacent.of(0)), (std::vector<std::string>{"DC01-2", "DC01-3"}));
  ASSERT_EQ(c.grids()[60].code, "LQ01-1");
  EXPECT_EQ(codes(adjacent.of(60)), (std::vector<std::string>{"LQ01-2", "LQ03-1"}));
  // Where the urban core meets the villages the edges are collinear but their vertices differ (T-junctions),
  // which the vertex check above cannot see: XC06-4 runs 53 m along LQ05-1 and 377 m along LQ07-1.
  const auto index_of = [&c](const std::string& code) {
    for (const auto& grid : c.grids())
      if (grid.code == code) return grid.id;
    ADD_FAILURE() << "no grid " << code;
    return 0;
  };
  const Ids& interface = adjacent.of(index_of("XC06-4"));
  EXPECT_TRUE(std::binary_search(interface.begin(), interface.end(), index_of("LQ05-1")));
  EXPECT_TRUE(std::binary_search(interface.begin(), interface.end(), index_of("LQ07-1")));
}

bool timing_wanted() { return std::getenv("CIVICGRID_ADJACENCY_TIMING") != nullptr; }

template <typename Build>
GridNeighbours timed(const char* what, Build build) {
  const auto start = std::chrono::steady_clock::now();
  GridNeighbours neighbours = build();
  const double elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (timing_wanted()) std::fprintf(stderr, "adjacency timing: %s: %.1f ms\n", what, elapsed_ms);
  return neighbours;
}

TEST(Adjacency, TenThousandRectangularGrids) {
  const City c = rectangular(100, 100, 300);
  const GridNeighbours adjacent =
      timed("100 x 100 rectangular, adjacent", [&] { return GridNeighbours(c, NeighbourRule::adjacent(city::digitising_tolerance)); });
  const GridNeighbours within =
      timed("100 x 100 rectangular, within_m(500)", [&] { return GridNeighbours(c, NeighbourRule::within_m(500)); });
  expect_well_formed(adjacent, 10000);
  expect_well_formed(within, 10000);
  std::size_t links = 0;
  for (int grid = 0; grid < 10000; ++grid) links += adjacent.of(grid).size();
  EXPECT_EQ(links, 2u * 2 * 100 * 99);   // 99 shared sides in each of 100 rows and 100 columns, both ways
  EXPECT_EQ(adjacent.of(0), (Ids{1, 100}));
  EXPECT_EQ(adjacent.of(5050), (Ids{4950, 5049, 5051, 5150}));
  // 500 m reaches cells two steps away (gaps of 300 m, 424 m diagonally) but not three (600 m): the 5 x 5
  // block around the cell; a corner cell has the 3 x 3 block of that reach.
  EXPECT_EQ(within.of(5050).size(), 24u);
  EXPECT_EQ(within.of(0), (Ids{1, 2, 100, 101, 102, 200, 201, 202}));
}

// 10,000 separately digitised 300 m squares: each drawn 0.2 m inside its cell, so neighbours are 0.4 m apart
// and no vertex of one lies on another. Adjacency must come out as the 4-neighbourhood.
TEST(Adjacency, TenThousandDigitisedGeoJsonGrids) {
  GeoCity builder;
  for (int row = 0; row < 100; ++row)
    for (int col = 0; col < 100; ++col)
      builder.add({col * 300.0 + 0.2, row * 300.0 + 0.2, (col + 1) * 300.0 - 0.2, (row + 1) * 300.0 - 0.2});
  const City c = builder.build();
  const City cells = rectangular(100, 100, 300);
  const GridNeighbours adjacent =
      timed("100 x 100 GeoJSON squares, adjacent", [&] { return GridNeighbours(c, NeighbourRule::adjacent(city::digitising_tolerance)); });
  const GridNeighbours within =
      timed("100 x 100 GeoJSON squares, within_m(500)", [&] { return GridNeighbours(c, NeighbourRule::within_m(500)); });
  const GridNeighbours expected(cells, NeighbourRule::adjacent(city::digitising_tolerance));
  const GridNeighbours expected_within(cells, NeighbourRule::within_m(500));
  for (int grid = 0; grid < 10000; ++grid) {
    ASSERT_EQ(adjacent.of(grid), expected.of(grid)) << "grid " << grid;
    ASSERT_EQ(within.of(grid), expected_within.of(grid)) << "grid " << grid;   // gaps of 0.4 m leave 500 m's reach unchanged
  }
}

TEST(Adjacency, ShippedGeoJsonTiming) {
  const City c = shipped("scenarios/district/geo.yaml");
  const GridNeighbours adjacent =
      timed("district/geo.yaml (105 grids), adjacent", [&] { return GridNeighbours(c, NeighbourRule::adjacent(city::digitising_tolerance)); });
  const GridNeighbours within =
      timed("district/geo.yaml (105 grids), within_m(500)", [&] { return GridNeighbours(c, NeighbourRule::within_m(500)); });
  EXPECT_EQ(adjacent.grid_count(), 105);
  EXPECT_EQ(within.grid_count(), 105);
}

}  // namespace
}  // namespace civicgrid
