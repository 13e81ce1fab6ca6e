// Unit tier: cities from GeoJSON. Exact areas and centroids of known polygons, uniform sampling inside a
// polygon, bases and their centroid fallback, population by grid ID, the travel matrix and urban/rural modes,
// and every input error with its file and position.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "city/city.hpp"
#include "city/geometry.hpp"
#include "city/random.hpp"
#include "scenario/loader.hpp"
#include "support/scenarios.hpp"

namespace civicgrid {
namespace {

namespace fs = std::filesystem;
using scenario::Level;

// SQ: a 100 m square; L: an L-shape of three 100 m squares (area 30,000 m², centroid 250/3 m from its corner).
const char* square_ring = "[[1000,1000],[1100,1000],[1100,1100],[1000,1100],[1000,1000]]";
const char* l_ring = "[[2000,2000],[2200,2000],[2200,2100],[2100,2100],[2100,2200],[2000,2200],[2000,2000]]";

std::string feature(const std::string& properties, const std::string& rings, const std::string& type = "Polygon") {
  return "{\"type\": \"Feature\", \"properties\": {" + properties + "}, \"geometry\": {\"type\": \"" + type +
         "\", \"coordinates\": [" + rings + "]}}";
}

std::string collection(const std::vector<std::string>& features) {
  std::string text = "{\"type\": \"FeatureCollection\", \"features\": [\n";
  for (std::size_t i = 0; i < features.size(); ++i) text += features[i] + (i + 1 < features.size() ? ",\n" : "\n");
  return text + "]}\n";
}

std::string two_grids() {
  return collection({feature("\"grid\": \"SQ\", \"community\": \"C1\", \"town\": \"T1\", \"kind\": \"urban\", \"residents\": 800",
                             square_ring),
                     feature("\"grid\": \"L\", \"community\": \"C2\", \"town\": \"T1\", \"kind\": \"rural\"", l_ring)});
}

class Geo : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("civicgrid-geo-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  // A scenario around `layout`, `population` and `travel` (YAML flow maps).
  std::string scenario_file(const std::string& layout, const std::string& population = "{residents_per_grid: 100}",
                            const std::string& travel = "{metric: euclidean, speed: 36km/h}") {
    return write("scenario.yaml",
                 "version: 1\nname: geo\nrun: {horizon: 1d}\n"
                 "layout: " + layout + "\n"
                 "population: " + population + "\n"
                 "travel: " + travel + "\n"
                 "teams: [{name: w, level: grid, roles: [w]}]\n"
                 "incidents: [{type: call, rate: 1/d, service: {distribution: fixed, mean: 10min}, target: 30min, roles: [w]}]\n");
  }
  std::vector<scenario::Diagnostic> problems(const std::string& path) {
    try {
      scenario::load_scenario(path);
    } catch (const scenario::InputError& error) {
      return error.diagnostics();
    }
    ADD_FAILURE() << "no InputError for " << path;
    return {};
  }
  // The one diagnostic of `path`, checked for file, line and a message fragment.
  void expect_one(const std::string& path, const std::string& file, int line, const std::string& fragment) {
    const auto found = problems(path);
    ASSERT_EQ(found.size(), 1u) << (found.empty() ? "" : scenario::InputError(found).what());
    EXPECT_EQ(found[0].file, file) << found[0].format();
    EXPECT_EQ(found[0].line, line) << found[0].format();
    EXPECT_NE(found[0].format().find(fragment), std::string::npos) << found[0].format();
    EXPECT_FALSE(found[0].hint.empty()) << found[0].format();
  }
  fs::path dir_;
};

TEST_F(Geo, AreaAndCentroidOfASquareAndAnLShape) {
  write("grids.geojson", two_grids());
  const auto s = scenario::load_scenario(scenario_file("{geojson: grids.geojson}"));
  const auto city = city::City::build(s);
  ASSERT_TRUE(city.is_geographic());
  ASSERT_EQ(city.grids().size(), 2u);
  const auto& square = city.grids()[0];
  const auto& l_shape = city.grids()[1];
  EXPECT_EQ(square.code, "SQ");
  EXPECT_DOUBLE_EQ(square.area_m2, 10000);
  EXPECT_NEAR(square.centroid.x_m, 1050, 1e-9);
  EXPECT_NEAR(square.centroid.y_m, 1050, 1e-9);
  EXPECT_DOUBLE_EQ(l_shape.area_m2, 30000);
  // Rectangles [0,200]x[0,100] (area 2) and [0,100]x[100,200] (area 1): x = (2 x 100 + 1 x 50) / 3 = 250/3.
  EXPECT_NEAR(l_shape.centroid.x_m, 2000 + 250.0 / 3, 1e-9);
  EXPECT_NEAR(l_shape.centroid.y_m, 2000 + 250.0 / 3, 1e-9);
  EXPECT_EQ(l_shape.kind, scenario::AreaKind::rural);
  // Bounding boxes are the Rect areas.
  EXPECT_DOUBLE_EQ(l_shape.area.max_x_m, 2200);
  // Hierarchy from the IDs, in order of first appearance.
  ASSERT_EQ(city.communities().size(), 2u);
  ASSERT_EQ(city.towns().size(), 1u);
  EXPECT_EQ(city.communities()[1].code, "C2");
  EXPECT_EQ(city.towns()[0].code, "T1");
  EXPECT_EQ(city.unit_of_grid(Level::town, 1), 0);
  // Residents: the GeoJSON's number, else residents_per_grid.
  EXPECT_DOUBLE_EQ(square.residents, 800);
  EXPECT_DOUBLE_EQ(l_shape.residents, 100);
  // Point location: inside, on the notch of the L (outside it), and outside everything (nearest centroid).
  EXPECT_EQ(city.grid_at({1050, 1050}), 0);
  EXPECT_EQ(city.grid_at({2150, 2150}), 1);   // the L's missing square: nearest centroid is the L's
  EXPECT_EQ(city.grid_at({1200, 1200}), 0);
}

TEST_F(Geo, MultiPolygonWithAHole) {
  // Two 100 m squares as one grid, the first with a 20 m square hole: 2 x 10,000 - 400 m².
  const std::string parts = "[[[5000,5000],[5100,5000],[5100,5100],[5000,5100],[5000,5000]],"
                            "[[5040,5040],[5060,5040],[5060,5060],[5040,5060],[5040,5040]]],"
                            "[[[5200,5000],[5300,5000],[5300,5100],[5200,5100],[5200,5000]]]";
  write("grids.geojson", collection({feature("\"grid\": \"M\", \"community\": \"C\", \"town\": \"T\"", parts, "MultiPolygon")}));
  const auto city = city::City::build(scenario::load_scenario(scenario_file("{geojson: grids.geojson}")));
  EXPECT_DOUBLE_EQ(city.grids()[0].area_m2, 19600);
  EXPECT_NEAR(city.grids()[0].centroid.x_m, (9600 * 5050.0 + 10000 * 5250.0) / 19600, 1e-9);
  city::RandomStream stream(3, "places/m", 0);
  int in_second = 0;
  for (int i = 0; i < 5000; ++i) {
    const auto p = city.random_point_in_unit(Level::grid, 0, stream);
    ASSERT_FALSE(p.x_m > 5040 && p.x_m < 5060 && p.y_m > 5040 && p.y_m < 5060) << "a point in the hole";
    ASSERT_FALSE(p.x_m > 5100 && p.x_m < 5200) << "a point between the parts";
    in_second += p.x_m >= 5200;
  }
  const double share = 10000.0 / 19600;
  EXPECT_NEAR(in_second / 5000.0, share, 4 * std::sqrt(share * (1 - share) / 5000));
}

TEST_F(Geo, BasesFromTheFileElseCentroids) {
  write("grids.geojson", two_grids());
  write("bases.csv", "level,unit,x_m,y_m\ntown,T1,1500,1500\ngrid,L,2010,2010\n");
  const auto city = city::City::build(scenario::load_scenario(scenario_file("{geojson: grids.geojson, bases: bases.csv}")));
  EXPECT_DOUBLE_EQ(city.unit_base(Level::town, 0).x_m, 1500);
  EXPECT_DOUBLE_EQ(city.unit_base(Level::grid, 1).y_m, 2010);
  EXPECT_NEAR(city.unit_base(Level::grid, 0).x_m, 1050, 1e-9);               // no row: the polygon's centroid
  EXPECT_NEAR(city.unit_base(Level::community, 1).x_m, 2000 + 250.0 / 3, 1e-9);  // the centroid of its grids
  // The city: no row, so the centroid of everything, (10,000 x 1050 + 30,000 x 6250/3) / 40,000 = 1825.
  EXPECT_NEAR(city.city_platform().x_m, 1825, 1e-9);
  EXPECT_NEAR(city.city_platform().y_m, 1825, 1e-9);
}

TEST_F(Geo, SamplingStaysInsideAndIsUniform) {
  write("grids.geojson", two_grids());
  const auto city = city::City::build(scenario::load_scenario(scenario_file("{geojson: grids.geojson}")));
  city::RandomStream stream(7, "places/test", 0);
  constexpr int draws = 30000;
  int in_corner = 0;
  for (int i = 0; i < draws; ++i) {
    const auto p = city.random_point_in_unit(Level::grid, 1, stream);
    ASSERT_EQ(city.grid_at(p), 1);
    ASSERT_FALSE(p.x_m > 2100 && p.y_m > 2100) << p.x_m << ", " << p.y_m;   // never in the notch
    in_corner += p.x_m < 2100 && p.y_m < 2100;
  }
  // The corner square is a third of the L: the share is binomial, within 4 standard errors.
  const double p = 1.0 / 3;
  EXPECT_NEAR(static_cast<double>(in_corner) / draws, p, 4 * std::sqrt(p * (1 - p) / draws));
  // A town made of both grids: every point lies in one of them.
  for (int i = 0; i < 2000; ++i) {
    const auto q = city.random_point_in_unit(Level::town, 0, stream);
    const int grid = city.grid_at(q);
    ASSERT_TRUE(grid == 0 ? q.x_m <= 1100 && q.y_m <= 1100 : !(q.x_m > 2100 && q.y_m > 2100));
  }
  // Deterministic per stream.
  city::RandomStream a(7, "patrol", 3), b(7, "patrol", 3);
  for (int i = 0; i < 100; ++i) {
    const auto pa = city.random_point_in_unit(Level::city, 0, a);
    const auto pb = city.random_point_in_unit(Level::city, 0, b);
    ASSERT_EQ(pa.x_m, pb.x_m);
    ASSERT_EQ(pa.y_m, pb.y_m);
  }
}

TEST(GeoRectangular, SamplingDrawsTwoUniformsAsBefore) {
  auto s = testing::single_grid_queue(1, 1.0, testing::exponential_min(10), 24, 0);
  s.layout = {3, 4, 250.0, 2, 2, 1, 1};
  const auto city = city::City::build(s);
  EXPECT_FALSE(city.is_geographic());
  city::RandomStream sampled(5, "places/x", 1), manual(5, "places/x", 1);
  for (int i = 0; i < 50; ++i) {
    const auto p = city.random_point_in_unit(Level::grid, 7, sampled);
    const double x = manual.uniform(750, 1000);   // grid 7: row 1, col 3
    const double y = manual.uniform(250, 500);
    ASSERT_EQ(p.x_m, x);
    ASSERT_EQ(p.y_m, y);
  }
  EXPECT_EQ(city.grid_at({760, 260}), 7);
}

TEST_F(Geo, TravelMatrixAndUrbanRuralModes) {
  write("grids.geojson", two_grids());
  write("matrix.csv", "from_grid,to_grid,minutes\nSQ,L,12\n");
  const auto s = scenario::load_scenario(
      scenario_file("{geojson: grids.geojson}", "{residents_per_grid: 100}",
                    "{metric: euclidean, speed: 36km/h, matrix: matrix.csv, urban: {speed: 18km/h},"
                    " rural: {speed: 72km/h, turnout: 5min}}"));
  const auto city = city::City::build(s);
  const city::TravelModel travel(s.travel, city);
  const city::Point in_square{1050, 1050}, in_l{2050, 2050};
  EXPECT_DOUBLE_EQ(travel.drive_s(in_square, in_l), 12 * 60);          // from the matrix
  EXPECT_DOUBLE_EQ(travel.drive_s({1500, 1500}, in_l), 12 * 60);       // outside every grid: nearest centroid SQ
  const double d = std::hypot(1000.0, 1000.0);
  EXPECT_DOUBLE_EQ(travel.drive_s(in_l, in_square), d / 20);           // no L -> SQ pair: rural speed 20 m/s
  EXPECT_DOUBLE_EQ(travel.response_travel_s(in_l, in_square, true), 300 + d / 20);   // rural turnout
  EXPECT_DOUBLE_EQ(travel.response_travel_s(in_square, {1060, 1050}, true), 10.0 / 5);   // urban 5 m/s, no turnout
  EXPECT_DOUBLE_EQ(travel.road_distance_m(in_square, in_l), d);
  // Without the city the same travel section is the one coordinate mode.
  const city::TravelModel plain(s.travel);
  EXPECT_DOUBLE_EQ(plain.drive_s(in_square, in_l), d / 10);
}

TEST_F(Geo, PopulationCsvAndByGridUseGridIds) {
  write("grids.geojson", two_grids());
  write("people.csv", "grid,residents,migrant_share\nL,555,0.5\n");
  const auto s = scenario::load_scenario(scenario_file(
      "{geojson: grids.geojson}", "{csv: people.csv, by_grid: [{grid: SQ, migrant_share: 0.25}]}"));
  const auto city = city::City::build(s);
  EXPECT_DOUBLE_EQ(city.grids()[1].residents, 555);
  EXPECT_DOUBLE_EQ(city.grids()[1].migrant_share, 0.5);
  EXPECT_DOUBLE_EQ(city.grids()[0].residents, 800);
  EXPECT_DOUBLE_EQ(city.grids()[0].migrant_share, 0.25);
  // A grid with no residents from anywhere, and an unknown ID in the table.
  write("people.csv", "grid,residents\nNOPE,5\n");
  const auto found = problems(scenario_file("{geojson: grids.geojson}", "{csv: people.csv}"));
  ASSERT_EQ(found.size(), 2u) << scenario::InputError(found).what();
  EXPECT_NE(scenario::InputError(found).what(), std::string());
  const std::string all = scenario::InputError(found).what();
  EXPECT_NE(all.find("people.csv:2:1: population.csv.grid: unknown grid 'NOPE'"), std::string::npos) << all;
  EXPECT_NE(all.find("1 grids have no residents (first: L)"), std::string::npos) << all;
}

TEST_F(Geo, MissingFile) {
  const auto path = scenario_file("{geojson: nowhere.geojson}");
  expect_one(path, path, 4, "cannot open");
}

TEST_F(Geo, BadJsonAtItsLine) {
  const auto geojson = write("grids.geojson", "{\"type\": \"FeatureCollection\", \"features\": [\n  {\"type\": \"Feature\",, }\n]}\n");
  expect_one(scenario_file("{geojson: grids.geojson}"), geojson, 2, "not valid JSON");
}

TEST_F(Geo, FeatureWithoutGridIdAtItsLineAndIndex) {
  const auto geojson = write("grids.geojson", collection({feature("\"grid\": \"A\", \"community\": \"C\", \"town\": \"T\"", square_ring),
                                                          feature("\"community\": \"C\", \"town\": \"T\"", l_ring)}));
  expect_one(scenario_file("{geojson: grids.geojson}"), geojson, 3, "features.1: feature without a 'grid' property");
}

TEST_F(Geo, DuplicateGridId) {
  const auto geojson = write("grids.geojson", collection({feature("\"grid\": \"A\", \"community\": \"C\", \"town\": \"T\"", square_ring),
                                                          feature("\"grid\": \"A\", \"community\": \"C\", \"town\": \"T\"", l_ring)}));
  expect_one(scenario_file("{geojson: grids.geojson}"), geojson, 3, "features.1 (grid A): grid 'A' is defined twice");
}

TEST_F(Geo, InvalidPolygonsAreAllReported) {
  const char* bowtie = "[[3000,3000],[3100,3100],[3100,3000],[3000,3100],[3000,3000]]";
  const char* open_ring = "[[4000,4000],[4100,4000],[4100,4100],[4000,4100]]";
  const std::string overlapping = std::string("[") + square_ring + "], [[[1050,1050],[1150,1050],[1150,1150],[1050,1150],[1050,1050]]]";
  const auto geojson = write("grids.geojson", collection({feature("\"grid\": \"A\", \"community\": \"C\", \"town\": \"T\"", square_ring),
                                                          feature("\"grid\": \"B\", \"community\": \"C\", \"town\": \"T\"", bowtie),
                                                          feature("\"grid\": \"D\", \"community\": \"C\", \"town\": \"T\"", open_ring),
                                                          feature("\"grid\": \"E\", \"community\": \"C\", \"town\": \"T\"", overlapping, "MultiPolygon")}));
  const auto found = problems(scenario_file("{geojson: grids.geojson}"));
  ASSERT_EQ(found.size(), 3u) << scenario::InputError(found).what();
  EXPECT_EQ(found[2].line, 5);
  EXPECT_NE(found[2].message.find("invalid polygon"), std::string::npos) << found[2].format();
  // A symmetric bow tie has zero signed area, which Boost reports as a wrong orientation: say what it is.
  EXPECT_NE(found[0].message.find("a ring crosses itself"), std::string::npos) << found[0].format();
  EXPECT_EQ(found[0].file, geojson);
  EXPECT_EQ(found[0].line, 3);
  EXPECT_NE(found[0].format().find("features.1 (grid B): invalid polygon"), std::string::npos) << found[0].format();
  EXPECT_EQ(found[1].line, 4);
  EXPECT_NE(found[1].format().find("features.2 (grid D): polygon outer ring: ring is not closed"), std::string::npos)
      << found[1].format();
}

TEST_F(Geo, CommunityInTwoTownsAndDegrees) {
  auto geojson = write("grids.geojson", collection({feature("\"grid\": \"A\", \"community\": \"C\", \"town\": \"T1\"", square_ring),
                                                    feature("\"grid\": \"B\", \"community\": \"C\", \"town\": \"T2\"", l_ring)}));
  expect_one(scenario_file("{geojson: grids.geojson}"), geojson, 3, "community 'C' is in town 'T1' (feature 0) and in town 'T2'");
  geojson = write("grids.geojson", collection({feature("\"grid\": \"A\", \"community\": \"C\", \"town\": \"T\"",
                                                       "[[116.30,39.90],[116.31,39.90],[116.31,39.91],[116.30,39.91],[116.30,39.90]]")}));
  expect_one(scenario_file("{geojson: grids.geojson}"), geojson, 1, "look like longitude/latitude degrees");
}

TEST_F(Geo, BasesErrorsAtLineAndColumn) {
  write("grids.geojson", two_grids());
  const auto bases = write("bases.csv",
                           "level,unit,x_m,y_m\n"
                           "grid,NOPE,1,2\n"          // unknown unit
                           "town,T1,abc,5\n"          // not a number
                           "grid,SQ\n"                // too few fields
                           "county,X,1,2\n"           // not a level
                           "town,T1,1,2\n"
                           "town,T1,3,4\n");          // twice
  const auto found = problems(scenario_file("{geojson: grids.geojson, bases: bases.csv}"));
  ASSERT_EQ(found.size(), 5u) << scenario::InputError(found).what();
  const std::string all = scenario::InputError(found).what();
  EXPECT_NE(all.find(bases + ":2:6: layout.bases: unknown grid 'NOPE'"), std::string::npos) << all;
  EXPECT_NE(all.find(bases + ":3:9: layout.bases: x_m 'abc' is not a number"), std::string::npos) << all;
  EXPECT_NE(all.find(bases + ":4:1: layout.bases: expected 4 fields"), std::string::npos) << all;
  EXPECT_NE(all.find(bases + ":5:1: layout.bases: 'county' is not a level"), std::string::npos) << all;
  EXPECT_NE(all.find(bases + ":7:6: layout.bases: a second row for town 'T1' (hint: first on line 6)"), std::string::npos) << all;
}

TEST_F(Geo, MatrixErrorsAndGeoOnlyKeys) {
  write("grids.geojson", two_grids());
  const auto matrix = write("matrix.csv", "from_grid,to_grid,minutes\nSQ,XX,3\nSQ,L,-1\n");
  const auto found = problems(scenario_file("{geojson: grids.geojson}", "{residents_per_grid: 100}",
                                            "{metric: euclidean, speed: 36km/h, matrix: matrix.csv}"));
  ASSERT_EQ(found.size(), 2u) << scenario::InputError(found).what();
  EXPECT_EQ(found[0].format(), matrix + ":2:4: travel.matrix: unknown grid 'XX' (hint: a grid ID of " +
                                   (dir_ / "grids.geojson").string() + ")");
  EXPECT_EQ(found[1].line, 3);
  // Keys that only make sense with a GeoJSON layout.
  const auto rectangular = problems(scenario_file("{rows: 2, cols: 2, cell_size: 100m, bases: b.csv}",
                                                  "{residents_per_grid: 100}",
                                                  "{speed: 10km/h, urban: {speed: 5km/h}, matrix: m.csv}"));
  ASSERT_EQ(rectangular.size(), 3u) << scenario::InputError(rectangular).what();
  // Hotspots are placed by row and column.
  const auto hotspots = problems(scenario_file("{geojson: grids.geojson}",
                                               "{residents_per_grid: 100, hotspots: [{at: [0, 0], extra_residents: 5}]}"));
  ASSERT_EQ(hotspots.size(), 1u);
  EXPECT_EQ(hotspots[0].key_path, "population.hotspots");
}

// Preference lists name GeoJSON units by their IDs. A village and its only grid often share one (V1 here): a
// bare V1 is then ambiguous, and team@V1 says which; the resolved indexes are the city's.
TEST_F(Geo, PreferenceListsUseIdsAndTeamsTellAGridFromItsVillage) {
  write("grids.geojson",
        collection({feature("\"grid\": \"V1\", \"community\": \"V1\", \"town\": \"T1\"", square_ring),
                    feature("\"grid\": \"L\", \"community\": \"C2\", \"town\": \"T1\"", l_ring)}));
  const auto scenario_with = [&](const std::string& preferences) {
    return write("lists.yaml",
                 "version: 1\nname: geo\nrun: {horizon: 1d}\n"
                 "layout: {geojson: grids.geojson}\n"
                 "population: {residents_per_grid: 100}\n"
                 "travel: {metric: euclidean, speed: 36km/h}\n"
                 "teams: [{name: w, level: grid, roles: [w]}, {name: village, level: community, roles: [w]}]\n"
                 "incidents: [{type: call, rate: 1/d, service: {distribution: fixed, mean: 10min}, target: 30min, roles: [w]}]\n"
                 "dispatch: {policy: preference_list, preferences: " + preferences + "}\n");
  };
  const auto s = scenario::load_scenario(scenario_with("{V1: [w@V1, village@V1, L], default: [C2]}"));
  const auto city = city::City::build(s);
  using scenario::PreferredUnit;
  EXPECT_EQ(s.dispatch.preferences_by_grid[0],
            (std::vector<PreferredUnit>{{Level::grid, 0, 0}, {Level::community, 0, 1}, {Level::grid, 1, -1}}));
  EXPECT_EQ(city.unit_code(Level::community, 0), "V1");
  EXPECT_EQ(city.unit_code(Level::grid, 1), "L");
  EXPECT_TRUE(s.dispatch.preferences_by_grid[1].empty());   // L takes the default row
  EXPECT_EQ(s.dispatch.default_preferences, (std::vector<PreferredUnit>{{Level::community, 1, -1}}));
  const auto found = problems(scenario_with("{V1: [V1], L: [L, V1@x, NOPE]}"));
  ASSERT_EQ(found.size(), 3u) << scenario::InputError(found).what();
  EXPECT_EQ(found[0].key_path, "dispatch.preferences.V1.0");
  EXPECT_NE(found[0].message.find("'V1' names a grid and a community"), std::string::npos) << found[0].format();
  EXPECT_NE(found[0].hint.find("w@V1"), std::string::npos) << found[0].format();
  EXPECT_NE(found[1].message.find("no team 'V1'"), std::string::npos) << found[1].format();
  EXPECT_NE(found[2].message.find("unknown unit 'NOPE'"), std::string::npos) << found[2].format();
  EXPECT_NE(found[2].hint.find("grids.geojson"), std::string::npos) << found[2].format();
}

}  // namespace
}  // namespace civicgrid
