// Validation of travel geometry in light traffic: every incident finds its grid worker free at the grid
// office (the centre of a square cell), so travel = turnout + mean distance from the centre / speed.
// References in reference.hpp: L1 mean distance = side / 2; L2 = side/6 (sqrt 2 + ln(1 + sqrt 2)).
// The same city given as GeoJSON squares must agree: polygon sampling and centroids against the closed form.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "scenario/geo_input.hpp"
#include "support/scenarios.hpp"
#include "validation/reference.hpp"
#include "validation/support.hpp"

namespace civicgrid {
namespace {

scenario::Scenario light_traffic(scenario::TravelMetric metric) {
  // 10 x 10 grids of 600 m, one worker per grid, own grid first; 0.02 incidents per grid per day and 6 min on
  // scene: a worker is away ~0.02% of the time, so nearly every call starts at the office.
  auto s = testing::single_grid_queue(1, 0.02 / (24 * 60), testing::fixed_min(6), 24 * 2000, 0);
  s.layout = {10, 10, 600.0, 5, 5, 2, 2};
  s.travel = {metric, 12.0 / 3.6, 1.0, 90};   // 12 km/h = 200 m/min, 1.5 min turnout
  s.dispatch.policy = scenario::DispatchPolicyName::own_unit_first;
  return s;
}

void check(scenario::TravelMetric metric, double mean_distance_m) {
  const auto run = testing::replicate(light_traffic(metric), 20, 11);
  const double expected_min = 1.5 + mean_distance_m / 200.0;
  testing::expect_matches(run, "travel_min_mean", expected_min, "travel (min)", 0.01);
  testing::expect_littles_law(run);
}

TEST(Geometry, ManhattanMeanDistanceIsHalfTheSide) {
  check(scenario::TravelMetric::manhattan, reference::mean_l1_from_centre(600));
}

// The 10 x 10 city of light_traffic() as GeoJSON: one square Polygon per grid, in projected metres.
TEST(Geometry, GeoJsonSquaresGiveTheSameManhattanMeanDistance) {
  const auto path = std::filesystem::temp_directory_path() / ("civicgrid-geo-squares-" + std::to_string(getpid()) + ".geojson");
  {
    std::ofstream out(path);
    out << "{\"type\": \"FeatureCollection\", \"features\": [\n";
    for (int row = 0; row < 10; ++row)
      for (int col = 0; col < 10; ++col) {
        const double x0 = 400000 + col * 600.0, y0 = 3000000 + row * 600.0, x1 = x0 + 600, y1 = y0 + 600;
        out << (row + col > 0 ? ",\n" : "") << "{\"type\": \"Feature\", \"properties\": {\"grid\": \"G" << row * 10 + col
            << "\", \"community\": \"C" << row / 5 * 2 + col / 5 << "\", \"town\": \"T\"}, \"geometry\": {\"type\": "
            << "\"Polygon\", \"coordinates\": [[[" << x0 << "," << y0 << "],[" << x1 << "," << y0 << "],[" << x1 << ","
            << y1 << "],[" << x0 << "," << y1 << "],[" << x0 << "," << y0 << "]]]}}";
      }
    out << "\n]}\n";
  }
  std::vector<scenario::Diagnostic> problems;
  auto geo = scenario::read_geojson_layout(path.string(), {"test", 1, 1}, problems);
  std::filesystem::remove(path);
  ASSERT_TRUE(geo && problems.empty()) << (problems.empty() ? "" : problems.front().format());
  auto s = light_traffic(scenario::TravelMetric::manhattan);
  s.layout = {};
  s.layout.geo = std::move(geo);
  const auto run = testing::replicate(s, 20, 11);
  testing::expect_matches(run, "travel_min_mean", 1.5 + reference::mean_l1_from_centre(600) / 200.0, "travel (min)", 0.01);
  testing::expect_littles_law(run);
  // A square fills its bounding box, so every draw is accepted at once: the same two uniforms as the
  // rectangular cell, the same incidents, and the same mean up to rounding of the polygon centroids.
  const auto rectangular = testing::replicate(light_traffic(scenario::TravelMetric::manhattan), 20, 11);
  EXPECT_NEAR(run.kpi.at("travel_min_mean").mean, rectangular.kpi.at("travel_min_mean").mean, 1e-9);
}

TEST(Geometry, EuclideanMeanDistanceFromTheCentre) {
  EXPECT_NEAR(reference::mean_l2_from_centre(1.0), 0.382598, 1e-6);
  check(scenario::TravelMetric::euclidean, reference::mean_l2_from_centre(600));
}

}  // namespace
}  // namespace civicgrid
