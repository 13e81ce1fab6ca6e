// End-to-end tier for real geography: the shipped GeoJSON district runs, its grids.csv names the GeoJSON
// grids, two runs with one seed agree byte for byte, and a broken GeoJSON exits 2 naming file and feature.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>
#include <string>

#include "support/cli_fixture.hpp"
#include "support/csv.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::replaced;
using civicgrid::testing::slurp;

class GeoCli : public civicgrid::testing::CliFixture {
 protected:
  static std::string district() { return std::string(CIVICGRID_SOURCE_DIR) + "/scenarios/district/geo.yaml"; }
  static std::string district_dir() { return std::string(CIVICGRID_SOURCE_DIR) + "/scenarios/district/geo"; }
};

TEST_F(GeoCli, DistrictRunsAndNamesTheGeoJsonGrids) {
  const fs::path folder = scratch_ / "run";
  const auto outcome = civicgrid("run " + district() + " -r 2 -q --out " + folder.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto grids = civicgrid::testing::read_csv(folder / "grids.csv");
  ASSERT_GE(grids.header.size(), 5u);
  EXPECT_EQ((std::vector<std::string>(grids.header.begin(), grids.header.begin() + 5)),
            (std::vector<std::string>{"replication", "grid", "grid_id", "community_id", "town_id"}));
  std::set<std::string> ids, towns;
  for (const auto& row : grids.rows) {
    ids.insert(row[grids.column("grid_id")]);
    towns.insert(row[grids.column("town_id")]);
  }
  const auto rows = static_cast<int>(grids.rows.size());
  EXPECT_EQ(rows, 2 * 105);
  EXPECT_EQ(ids.size(), 105u);
  EXPECT_TRUE(ids.count("DC01-1") && ids.count("SH05-3")) << "GeoJSON grid IDs missing from grids.csv";
  EXPECT_EQ(towns, (std::set<std::string>{"DC", "XC", "LQ", "SH"}));
  // Every data file is reproducible from the seed.
  const fs::path again = scratch_ / "again";
  ASSERT_EQ(civicgrid("run " + district() + " -r 2 -q -j 1 --out " + again.string()).exit_code, 0);
  for (const char* file : {"summary.json", "incidents.csv", "grids.csv", "teams.csv"})
    EXPECT_EQ(slurp(folder / file), slurp(again / file)) << file;
}

TEST_F(GeoCli, BrokenGeoJsonExitsTwoWithFileAndFeature) {
  // A copy of the district whose feature 7 lost its grid ID and whose feature 18 crosses itself.
  const fs::path dir = scratch_ / "broken";
  fs::create_directories(dir / "geo");
  fs::copy_file(district_dir() + "/bases.csv", dir / "geo" / "bases.csv");
  std::string geojson = slurp(district_dir() + "/grids.geojson");
  geojson = replaced(geojson, "\"grid\":\"DC01-4\",", "");
  ASSERT_FALSE(geojson.empty());
  // DC02-1 with its second and third corners swapped: a bow tie.
  const auto at = geojson.find("\"grid\":\"DC02-1\"");
  ASSERT_NE(at, std::string::npos);
  const auto begin = geojson.find("[[[", at) + 3;
  const auto end = geojson.find("]]]", begin);
  std::vector<std::string> corners;
  for (std::size_t from = begin; from < end;) {
    const auto next = std::min(geojson.find("],[", from), end);
    corners.push_back(geojson.substr(from, next - from));
    from = next + 3;
  }
  ASSERT_EQ(corners.size(), 5u);
  std::swap(corners[1], corners[2]);
  std::string ring;
  for (const auto& corner : corners) ring += (ring.empty() ? "" : "],[") + corner;
  geojson.replace(begin, end - begin, ring);
  std::ofstream(dir / "geo" / "grids.geojson") << geojson;
  const std::string scenario = replaced(slurp(district()), "../../models/one-net.yaml",
                                        std::string(CIVICGRID_SOURCE_DIR) + "/models/one-net.yaml");
  ASSERT_FALSE(scenario.empty());
  std::ofstream(dir / "geo.yaml") << scenario;
  const fs::path root = scratch_ / "results";
  const auto outcome = civicgrid("run " + (dir / "geo.yaml").string() + " --results-root " + root.string());
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_NE(outcome.err.find((dir / "geo" / "grids.geojson").string() + ":"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("features.7: feature without a 'grid' property"), std::string::npos) << outcome.err;
  // Boost.Geometry's reason, with the crossing point in full metres (not 3.45021e+06).
  EXPECT_NE(outcome.err.find("features.18 (grid DC02-1): invalid polygon: Geometry has invalid self-intersections. "
                             "A self-intersection point was found at (501391.5, 3450205.6)"),
            std::string::npos)
      << outcome.err;
  EXPECT_FALSE(fs::exists(root));
}

}  // namespace
