// The geography of a result folder and its map: write_layout_geojson (report/writers.hpp) must carry the resolved
// scenario's polygons exactly (holes, MultiPolygons, ids), and the run report must turn a folder's layout.geojson
// into the data of its ECharts map (grids matched to grids.csv by id, community and town outlines). The map as
// drawn in a browser is checked by tests/browser/geo_report_test.sh.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "report/html_report.hpp"
#include "report/writers.hpp"
#include "scenario/loader.hpp"
#include "scenario/scenario.hpp"

namespace fs = std::filesystem;
namespace scenario = civicgrid::scenario;
namespace report = civicgrid::report;
using Json = nlohmann::json;

namespace {

const fs::path source_dir = CIVICGRID_SOURCE_DIR;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class TempDir {
 public:
  TempDir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("civicgrid-geo-" + std::string(test->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<scenario::GeoPoint> square(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

// Two grids side by side in one town, two communities: A (with a hole, odd coordinates and a quote in its id) and
// B, a MultiPolygon with a detached islet.
scenario::Scenario two_grids() {
  scenario::Scenario s;
  scenario::GeoLayout geo;
  geo.community_ids = {"C1", "C2"};
  geo.community_town = {0, 0};
  geo.town_ids = {"T1"};
  scenario::GeoGrid a;
  a.id = "A\"1";
  a.community = 0;
  a.kind = scenario::AreaKind::urban;
  a.parts.push_back({square(500000, 3450000, 500100, 3450100), {square(500040, 3450040, 500060.25, 3450060.1)}});
  scenario::GeoGrid b;
  b.id = "B";
  b.community = 1;
  b.kind = scenario::AreaKind::rural;
  b.parts.push_back({square(500100, 3450000, 500200, 3450100), {}});
  b.parts.push_back({square(500300, 3450000, 500310, 3450010), {}});
  geo.grids = {a, b};
  s.layout.geo = geo;
  return s;
}

std::vector<scenario::GeoPoint> ring_of(const Json& ring) {
  std::vector<scenario::GeoPoint> points;
  for (const Json& p : ring) points.push_back({p[0].get<double>(), p[1].get<double>()});
  return points;
}

void expect_same_ring(const std::vector<scenario::GeoPoint>& expected, const Json& actual) {
  const auto points = ring_of(actual);
  ASSERT_EQ(points.size(), expected.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(points[i].x_m, expected[i].x_m) << "point " << i;   // exact: shortest round-trip decimals
    EXPECT_EQ(points[i].y_m, expected[i].y_m) << "point " << i;
  }
}

// The edges of a set of polylines, each as "x1,y1-x2,y2" with the smaller end first, sorted: outlines compare
// equal whatever order and direction the report joined their edges in.
std::vector<std::string> edges(const Json& lines) {
  std::vector<std::string> out;
  for (const Json& line : lines)
    for (std::size_t i = 1; i < line.size(); ++i) {
      std::string a = line[i - 1].dump(), b = line[i].dump();
      out.push_back(std::min(a, b) + "-" + std::max(a, b));
    }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(ReportGeo, LayoutGeojsonRoundTrip) {
  const scenario::Scenario s = two_grids();
  TempDir dir;
  report::write_layout_geojson(dir.path(), s);
  const std::string text = slurp(dir.path() / "layout.geojson");
  EXPECT_EQ(text, report::layout_geojson(s));
  EXPECT_EQ(text.find("e+"), std::string::npos) << "fixed notation expected: " << text;
  const Json json = Json::parse(text);
  EXPECT_EQ(json["type"], "FeatureCollection");
  ASSERT_EQ(json["features"].size(), 2u);
  const Json& a = json["features"][0];
  EXPECT_EQ(a["properties"], Json({{"grid", "A\"1"}, {"community", "C1"}, {"town", "T1"}, {"kind", "urban"}}));
  EXPECT_EQ(a["geometry"]["type"], "Polygon");
  ASSERT_EQ(a["geometry"]["coordinates"].size(), 2u);   // outer ring and its hole
  expect_same_ring(s.layout.geo->grids[0].parts[0].outer, a["geometry"]["coordinates"][0]);
  expect_same_ring(s.layout.geo->grids[0].parts[0].holes[0], a["geometry"]["coordinates"][1]);
  const Json& b = json["features"][1];
  EXPECT_EQ(b["properties"]["community"], "C2");
  EXPECT_EQ(b["properties"]["kind"], "rural");
  EXPECT_EQ(b["geometry"]["type"], "MultiPolygon");
  ASSERT_EQ(b["geometry"]["coordinates"].size(), 2u);
  expect_same_ring(s.layout.geo->grids[1].parts[1].outer, b["geometry"]["coordinates"][1][0]);
  // Same scenario, same bytes.
  EXPECT_EQ(report::layout_geojson(two_grids()), text);
}

TEST(ReportGeo, NoLayoutFileForRectangularCity) {
  scenario::Scenario s;
  s.layout.rows = 2;
  s.layout.cols = 2;
  s.layout.cell_size_m = 400;
  TempDir dir;
  report::write_layout_geojson(dir.path(), s);
  EXPECT_FALSE(fs::exists(dir.path() / "layout.geojson"));
  EXPECT_EQ(report::layout_geojson(s), "");
}

// The example district: every polygon of its GeoJSON comes back exactly, in feature order.
TEST(ReportGeo, ExampleDistrictKeepsItsPolygons) {
  const fs::path file = source_dir / "scenarios/district/geo.yaml";
  const scenario::Scenario s = scenario::load_scenario(file.string());
  const Json written = Json::parse(report::layout_geojson(s));
  const Json original = Json::parse(slurp(source_dir / "scenarios/district/geo/grids.geojson"));
  ASSERT_EQ(written["features"].size(), original["features"].size());
  for (std::size_t f = 0; f < original["features"].size(); ++f) {
    const Json& w = written["features"][f];
    const Json& o = original["features"][f];
    EXPECT_EQ(w["properties"]["grid"], o["properties"]["grid"]);
    EXPECT_EQ(w["properties"]["community"], o["properties"]["community"]);
    EXPECT_EQ(w["properties"]["town"], o["properties"]["town"]);
    EXPECT_EQ(w["geometry"], o["geometry"]) << "feature " << f;
  }
}

TEST(ReportGeo, RunReportDrawsTheGeographicMap) {
  TempDir dir;
  fs::copy(source_dir / "tests/unit/data/report_fixture", dir.path(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  // The fixture's grids G1 (C1) and G3 (C2, another town) as polygons; "GX" has no row in grids.csv.
  std::ofstream(dir.path() / "layout.geojson")
      << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"grid":"G1","community":"C1","town":"T1","kind":"urban"},"geometry":{"type":"Polygon","coordinates":[[[1000,2000],[1100,2000],[1100,2100],[1000,2100],[1000,2000]],[[1040,2040],[1060,2040],[1060,2060],[1040,2060],[1040,2040]]]}},
{"type":"Feature","properties":{"grid":"G3","community":"C2","town":"T2","kind":"rural"},"geometry":{"type":"MultiPolygon","coordinates":[[[[1100,2000],[1200,2000],[1200,2100],[1100,2100],[1100,2000]]]]}},
{"type":"Feature","properties":{"grid":"GX","community":"C2","town":"T2","kind":"rural"},"geometry":{"type":"Polygon","coordinates":[[[1200,2000],[1300,2000],[1300,2100],[1200,2100],[1200,2000]]]}}
]})";
  const auto data = report::run_report_data(dir.path(), "en");
  const Json map = data["map"];
  ASSERT_TRUE(map["available"].get<bool>());
  EXPECT_TRUE(map["geo"].get<bool>());
  EXPECT_EQ(map["origin_m"], Json({1000.0, 2000.0}));
  EXPECT_EQ(map["extent_m"], Json({300.0, 100.0}));
  EXPECT_TRUE(data["run"]["files"]["layout.geojson"].get<bool>());
  ASSERT_EQ(map["grids"].size(), 3u);
  EXPECT_EQ(map["grids"][0]["id"], "G1");
  EXPECT_EQ(map["grids"][0]["kind_label"], "urban");
  EXPECT_GT(map["grids"][0]["incidents"].get<double>(), 0);
  EXPECT_TRUE(map["grids"][0]["within_target_rate"].is_number());
  EXPECT_TRUE(map["grids"][2]["within_target_rate"].is_null());   // GX: not in grids.csv
  EXPECT_TRUE(map["grids"][2]["incidents"].is_null());
  // Regions are named by grid index, coordinates shifted to the south-west corner, holes kept.
  const Json& features = map["features"]["features"];
  ASSERT_EQ(features.size(), 3u);
  EXPECT_EQ(features[0]["properties"]["name"], "0");
  EXPECT_EQ(features[0]["geometry"]["coordinates"][0][1], Json::parse("[[40,40],[60,40],[60,60],[40,60],[40,40]]"));
  // G1|G3 lies between towns; G3|GX inside one community (no line). The town lines are the city's outline,
  // the edge G1|G3 and G1's hole.
  EXPECT_TRUE(map["community_lines"].empty());
  EXPECT_EQ(edges(map["town_lines"]),
            (std::vector<std::string>{"[0.0,0.0]-[0.0,100.0]",     "[0.0,0.0]-[100.0,0.0]",     "[0.0,100.0]-[100.0,100.0]",
                                      "[100.0,0.0]-[100.0,100.0]", "[100.0,0.0]-[200.0,0.0]",   "[100.0,100.0]-[200.0,100.0]",
                                      "[200.0,0.0]-[300.0,0.0]",   "[200.0,100.0]-[300.0,100.0]", "[300.0,0.0]-[300.0,100.0]",
                                      "[40.0,40.0]-[40.0,60.0]",   "[40.0,40.0]-[60.0,40.0]",   "[40.0,60.0]-[60.0,60.0]",
                                      "[60.0,40.0]-[60.0,60.0]"}));
  EXPECT_EQ(report::run_report_data(dir.path(), "en"), data);   // deterministic
  const std::string html = report::render_run_report(dir.path(), "zh");
  EXPECT_NE(html.find("滚轮缩放"), std::string::npos);   // the geographic note, not the squares' one
}

TEST(ReportGeo, CommunityLinesBetweenCommunitiesOfOneTown) {
  TempDir dir;
  fs::copy(source_dir / "tests/unit/data/report_fixture", dir.path(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  const scenario::Scenario s = two_grids();
  report::write_layout_geojson(dir.path(), s);
  const Json map = report::run_report_data(dir.path(), "zh")["map"];
  ASSERT_TRUE(map["geo"].get<bool>());
  EXPECT_EQ(map["grids"][1]["kind_label"], "农村");
  EXPECT_EQ(edges(map["community_lines"]), std::vector<std::string>{"[100.0,0.0]-[100.0,100.0]"});
  // The hole's odd corner, shifted and rounded to 0.1 m.
  EXPECT_EQ(map["features"]["features"][0]["geometry"]["coordinates"][0][1][2], Json({60.3, 60.1}));
}
