// Fuzz tier, part 1: every hostile input that a fault campaign found (issue #10) is a regression test. Each one
// must end in exit 2 within the deadline and a memory bound, with a `file:line:col:` message that says what
// is wrong, and nothing written.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <regex>

#include "support/bounded_run.hpp"

namespace civicgrid::testing {
namespace {

namespace fs = std::filesystem;

class HostileInput : public CliFixture {
 protected:
  static std::string small() { return slurp(data("small.yaml")); }

  // Runs `civicgrid COMMAND FILE` and requires exit 2, a positioned message containing `expected`, nothing on
  // stdout, no result folder, well under the deadline and within 1 GiB.
  void expect_refused(const std::string& command, const fs::path& file, const std::string& expected,
                      std::vector<std::string> extra = {}) {
    std::vector<std::string> arguments{command, file.string(), "--results-root", (scratch_ / "results").string()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    const auto outcome = run_bounded(arguments, scratch_);
    EXPECT_FALSE(outcome.timed_out) << file << " hung";
    EXPECT_EQ(outcome.signal, 0) << file << " died of signal " << outcome.signal << "\n" << outcome.err;
    EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
    EXPECT_NE(outcome.err.find(expected), std::string::npos) << "expected '" << expected << "' in:\n" << outcome.err;
    EXPECT_TRUE(std::regex_search(outcome.err, std::regex(R"([^\s:]+:\d+:\d+: )"))) << outcome.err;
    EXPECT_EQ(outcome.out, "");
    EXPECT_LT(outcome.max_rss_kib, 1L << 20) << "peak memory " << outcome.max_rss_kib << " KiB";
    EXPECT_FALSE(fs::exists(scratch_ / "results")) << "a refused input wrote results";
  }

  // small.yaml with one line's text replaced; fails the test if the fixture no longer has it.
  fs::path small_with(const std::string& from, const std::string& to, const std::string& name = "s.yaml") {
    const std::string text = replaced(small(), from, to);
    EXPECT_FALSE(text.empty()) << "small.yaml no longer contains '" << from << "'";
    return write(name, text);
  }

  // A GeoJSON layout of two 500 m squares (communities C1, C2 of town T); `feature` replaces the second.
  fs::path geo_scenario(const std::string& second_feature = "", const std::string& bases_csv = "") {
    const std::string square =
        R"({"type": "Feature", "properties": {"grid": "G1", "community": "C1", "town": "T"},
            "geometry": {"type": "Polygon", "coordinates": [[[0,0],[500,0],[500,500],[0,500],[0,0]]]}})";
    const std::string second = second_feature.empty() ?
        R"({"type": "Feature", "properties": {"grid": "G2", "community": "C2", "town": "T"},
            "geometry": {"type": "Polygon", "coordinates": [[[500,0],[1000,0],[1000,500],[500,500],[500,0]]]}})"
        : second_feature;
    write("grids.geojson", "{\"type\": \"FeatureCollection\", \"features\": [\n" + square + ",\n" + second + "\n]}\n");
    std::string layout = "layout: {geojson: grids.geojson";
    if (!bases_csv.empty()) {
      write("bases.csv", bases_csv);
      layout += ", bases: bases.csv";
    }
    layout += "}";
    return small_with("layout: {rows: 4, cols: 4, cell_size: 300m, community_block: [2, 2], town_block: [2, 2]}", layout);
  }
};

TEST_F(HostileInput, SelfReferencingAlias) {
  expect_refused("validate", write("s.yaml", "version: 1\nname: x\nrun: &a [*a]\n"), "cycle");
}

TEST_F(HostileInput, BillionLaughs) {
  std::string text = "version: 1\nname: lol\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char level = 'b'; level <= 'i'; ++level) {
    const char previous = static_cast<char>(level - 1);
    text += std::string(1, level) + ": &" + level + " [";
    for (int k = 0; k < 9; ++k) text += std::string(k ? "," : "") + "*" + previous;
    text += "]\n";
  }
  ASSERT_LT(text.size(), 2000u);
  expect_refused("validate", write("s.yaml", text), "aliases expand to more than");
}

TEST_F(HostileInput, ModelIsDevZero) {
  expect_refused("validate", small_with("version: 1\n", "version: 1\nmodel: /dev/zero\n"), "character device");
}

TEST_F(HostileInput, DirectoryAsScenario) {
  fs::create_directories(scratch_ / "folder.yaml");
  expect_refused("validate", scratch_ / "folder.yaml", "is a directory");
}

TEST_F(HostileInput, FifoAsModelGeoJsonAndCsv) {
  ASSERT_EQ(::mkfifo((scratch_ / "pipe").c_str(), 0600), 0);
  expect_refused("validate", small_with("version: 1\n", "version: 1\nmodel: pipe\n"), "named pipe");
  expect_refused("validate", small_with("layout: {rows: 4, cols: 4, cell_size: 300m, community_block: [2, 2], town_block: [2, 2]}",
                                        "layout: {geojson: pipe}"), "named pipe");
  expect_refused("validate", small_with("population: {residents_per_grid: 800, migrant_share: 0.1}",
                                        "population: {residents_per_grid: 800, csv: pipe}"), "named pipe");
}

TEST_F(HostileInput, UrandomAsDataFile) {
  expect_refused("validate", small_with("population: {residents_per_grid: 800, migrant_share: 0.1}",
                                        "population: {residents_per_grid: 800, csv: /dev/urandom}"), "character device");
}

TEST_F(HostileInput, InfiniteOrAbsurdQuantities) {
  expect_refused("run", small_with("mean: 30min", "mean: 1e308min"), "implausibly large");
  expect_refused("run", small_with("mean: 30min", "mean: 100d"), "longer than the run's horizon");
  expect_refused("run", small_with("cell_size: 300m", "cell_size: 1e308m"), "implausibly large");
  expect_refused("run", small_with("cell_size: 300m", "cell_size: 200km"), "over 100km");
  expect_refused("run", small_with("turnout: 1min", "turnout: 1e308min"), "implausibly large");
  expect_refused("run", small_with("turnout: 1min", "turnout: 2d"), "over a day");
  expect_refused("run", small_with("speed: 10km/h", "speed: 1e-300km/h"), "under walking pace");
  expect_refused("run", small_with("rate: 4/d", "rate: 1e308/d"), "implausibly large");
}

TEST_F(HostileInput, HugeRateGivesAReadableCount) {
  const auto file = small_with("rate: 4/d", "rate: 1e5/s");
  expect_refused("validate", file, "incidents expected per replication");
  const auto outcome = run_bounded({"validate", file.string()}, scratch_);
  EXPECT_EQ(outcome.err.find("-9223372036854775808"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("about 4.15e+11 incidents"), std::string::npos) << outcome.err;
}

TEST_F(HostileInput, GbkAndInvalidUtf8Text) {
  // "网格" in GBK: what an older Windows editor writes.
  expect_refused("validate", small_with("name: grid_worker", "name: grid_\xCD\xF8\xB8\xF1"), "iconv -f GBK -t UTF-8");
  const auto outcome = run_bounded({"validate", (scratch_ / "s.yaml").string()}, scratch_);
  EXPECT_NE(outcome.err.find("s.yaml:10:17: not UTF-8 text: byte 0xCD"), std::string::npos) << "the line and column of the bad byte: " << outcome.err;
  expect_refused("validate", small_with("description: CLI test city", "description: \xFF\xFE broken"), "not UTF-8");
  expect_refused("validate", small_with("description: CLI test city", "description: \xED\xA0\x80 surrogate"), "not UTF-8");
}

TEST_F(HostileInput, GeoJsonNumbersAndTypes) {
  expect_refused("validate", geo_scenario(R"({"type": "Feature", "properties": {"grid": "G2", "community": "C2", "town": "T"},
      "geometry": {"type": "Polygon", "coordinates": [[[500,0],[1e999,0],[1000,500],[500,500],[500,0]]]}})"),
                 "numbers must fit a double");
  expect_refused("validate", geo_scenario(R"({"type": "Feature", "properties": {"grid": "G2", "community": "C2", "town": "T"},
      "geometry": {"type": {"nested": 1}, "coordinates": []}})"), "wrong JSON type");
  expect_refused("validate", geo_scenario(R"({"type": "Feature", "properties": {"grid": "G2", "community": "C2", "town": "T",
      "residents": 123456789012345678901234567890}, "geometry": {"type": "Polygon",
      "coordinates": [[[500,0],[1000,0],[1000,500],[500,500],[500,0]]]}})"), "residents");
  expect_refused("validate", geo_scenario(R"({"type": "Feature", "properties": {"grid": "G2", "community": "C2", "town": "T"},
      "geometry": {"type": "Polygon", "coordinates": [[[500,0],[{"x": 1},0],[1000,500],[500,500],[500,0]]]}})"),
                 "every position must be [x, y] in metres");
}

TEST_F(HostileInput, OneFeatureInDegrees) {
  expect_refused("validate", geo_scenario(R"({"type": "Feature", "properties": {"grid": "G2", "community": "C2", "town": "T"},
      "geometry": {"type": "Polygon", "coordinates": [[[116.39,39.90],[116.40,39.90],[116.40,39.91],[116.39,39.91],[116.39,39.90]]]}})"),
                 "coordinates in degrees among features in metres");
}

TEST_F(HostileInput, BaseFarOutsideTheGrids) {
  expect_refused("validate", geo_scenario("", "level,unit,x_m,y_m\ngrid,G1,1e308,250\n"), "km outside the grids' extent");
  // Excel's "CSV UTF-8" writes a byte-order mark: accepted, and the same file without it is accepted too.
  const auto with_mark = geo_scenario("", "\xEF\xBB\xBFlevel,unit,x_m,y_m\r\ngrid,G1,250,250\r\n");
  const auto outcome = run_bounded({"validate", with_mark.string()}, scratch_);
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
}

TEST_F(HostileInput, DuplicateKeys) {
  expect_refused("validate", small_with("run: {horizon: 3d,", "run: {horizon: 5d, horizon: 3d,"), "written twice");
  expect_refused("dump", small_with("description: CLI test city", "description: a\ndescription: b"),
                 "key 'description' is written twice in this map (first at line 4)");
}

TEST_F(HostileInput, SearchShareBoundOutOfRange) {
  write("small.yaml", small());
  const auto search = write("search.yaml",
                            "version: 1\nscenario: small.yaml\nreplications: 3\n"
                            "target: {kpi: within_target_rate, at_least: 18446744073709551616}\n"
                            "vary: {teams.grid_worker.per_unit: {from: 1, to: 2, step: 1}}\n");
  expect_refused("search", search, "a share must lie between 0 and 1");
}

TEST_F(HostileInput, SweepAndSearchSyntaxErrorsInTheScenarioFormat) {
  write("small.yaml", small());
  const auto sweep = write("sweep.yaml", "version: 1\nscenario: small.yaml\nvary:\n  run.seed: [1, 2]\n bad: x: y\n");
  expect_refused("sweep", sweep, "YAML syntax error");
  const auto outcome = run_bounded({"sweep", sweep.string()}, scratch_);
  EXPECT_TRUE(std::regex_search(outcome.err, std::regex(R"(sweep\.yaml:\d+:\d+: YAML syntax error: .* \(hint: )")))
      << outcome.err;
  expect_refused("search", write("search.yaml", "version: 1\nscenario: [small.yaml\n"), "YAML syntax error");
  expect_refused("sweep", write("alias.yaml", "version: 1\nscenario: &s [*s]\n"), "cycle");
}

}  // namespace
}  // namespace civicgrid::testing
