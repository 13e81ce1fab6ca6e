// Result files stay well-formed and spreadsheet-safe whatever the planner names things (docs/outputs.md), and
// `civicgrid report` on a result folder that was cut short, hand-edited or re-saved in another encoding says
// which file is wrong, where, and exits 2 without writing report.html.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/cli_fixture.hpp"
#include "support/rfc4180.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::parse_rfc4180;
using civicgrid::testing::slurp;
using Json = nlohmann::json;

// The names a planner could type: CSV metacharacters, spreadsheet formulas, a sign, Chinese, line breaks.
const std::string comma_type = "burst, \"main\"\npipe";
const std::string formula = "=cmd|' /C calc'!A0";
const std::string at_formula = "@SUM(1)";
const std::string minus_formula = "-2+3";
const std::string chinese_type = "路面\n破损";

// A GeoJSON layout of six grids whose IDs (the loader allows no commas, quotes or line breaks in IDs) start
// like formulas or are Chinese, and a scenario whose teams and incident types carry every hostile name.
void write_hostile_scenario(const fs::path& dir) {
  fs::create_directories(dir / "geo");
  const char* grids[][3] = {{"G1", "社区一", "-街道"},        {"网格二", "社区一", "-街道"},
                            {"=1+2", "@社区二", "-街道"},      {"@SUM(1)", "@社区二", "-街道"},
                            {"-2+3", "=C3", "+T2"},           {"网格三", "=C3", "+T2"}};
  Json features = Json::array();
  for (int i = 0; i < 6; ++i) {
    const double x = 500000 + 400 * (i % 3), y = 3450000 + 400 * (i / 3);
    features.push_back({{"type", "Feature"},
                        {"properties",
                         {{"grid", grids[i][0]}, {"community", grids[i][1]}, {"town", grids[i][2]},
                          {"kind", "urban"}, {"residents", 1000}, {"migrant_share", 0.1}}},
                        {"geometry",
                         {{"type", "Polygon"},
                          {"coordinates", {{{x, y}, {x + 400, y}, {x + 400, y + 400}, {x, y + 400}, {x, y}}}}}}});
  }
  std::ofstream(dir / "geo" / "grids.geojson") << Json{{"type", "FeatureCollection"}, {"features", features}}.dump();
  // YAML double-quoted scalars: \" and \n are escapes.
  std::ofstream(dir / "hostile.yaml") << R"yaml(version: 1
name: hostile
description: "Names with commas, quotes, line breaks,\nformulas and 中文"
run: {horizon: 2d, warmup: 6h, replications: 2, seed: 3}
layout: {geojson: geo/grids.geojson}
population: {}
travel: {metric: manhattan, speed: 10km/h, detour_factor: 1.2, turnout: 1min}
teams:
  - {name: "grid, \"worker\"", level: grid, per_unit: 1, roles: [grid_worker]}
  - {name: "=cmd|' /C calc'!A0", level: community, per_unit: 1, roles: [mediator]}
  - {name: "@SUM(1)", level: town, per_unit: 1, roles: [grid_worker, mediator]}
incidents:
  - {type: "burst, \"main\"\npipe", rate: 20/d, service: {distribution: exponential, mean: 30min}, target: 20min,
     roles: [grid_worker]}
  - {type: "=cmd|' /C calc'!A0", rate: 6/d, service: {distribution: exponential, mean: 40min}, target: 40min,
     roles: [mediator]}
  - {type: "-2+3", rate: 6/d, service: {distribution: exponential, mean: 20min}, target: 30min, roles: [grid_worker]}
  - {type: "@SUM(1)", rate: 4/d, service: {distribution: exponential, mean: 20min}, target: 30min, roles: [grid_worker]}
  - {type: "路面\n破损", rate: 4/d, service: {distribution: exponential, mean: 20min}, target: 30min,
     roles: [grid_worker]}
dispatch: {policy: own_unit_first}
)yaml";
}

// A spreadsheet reads a cell starting with one of these as a formula.
bool starts_like_formula(const std::string& cell) {
  return !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' ||
                           cell[0] == '\r');
}

bool is_number(const std::string& cell) {
  if (cell.empty()) return false;
  std::size_t used = 0;
  try {
    std::stod(cell, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == cell.size();
}

// The report's data section (the JSON inside <script id="civicgrid-data">).
Json report_data(const fs::path& html) {
  const std::string page = slurp(html);
  const std::string open = "<script type=\"application/json\" id=\"civicgrid-data\">";
  const auto from = page.find(open);
  EXPECT_NE(from, std::string::npos);
  const auto to = page.find("</script>", from);
  return Json::parse(page.substr(from + open.size(), to - from - open.size()));
}

class HostileNames : public civicgrid::testing::CliFixture {
 protected:
  fs::path run_hostile() {
    write_hostile_scenario(scratch_ / "scenario");
    const fs::path folder = scratch_ / "run";
    const auto outcome = civicgrid("run " + (scratch_ / "scenario" / "hostile.yaml").string() + " -q --out " +
                                   folder.string());
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    return folder;
  }
};

TEST_F(HostileNames, EveryCsvRowHasItsHeadersFieldsAndNoCellIsAFormula) {
  const fs::path folder = run_hostile();
  int files = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() != ".csv") continue;
    ++files;
    const std::string text = slurp(entry.path());
    EXPECT_NE(text.substr(0, 3), "\xEF\xBB\xBF") << entry.path() << ": UTF-8 without a byte-order mark";
    const auto table = parse_rfc4180(text);
    ASSERT_EQ(table.error, "") << entry.path();
    ASSERT_GE(table.records.size(), 2u) << entry.path();
    const std::size_t width = table.records.front().size();
    for (std::size_t r = 0; r < table.records.size(); ++r) {
      ASSERT_EQ(table.records[r].size(), width) << entry.path() << " record " << r + 1;
      for (const std::string& cell : table.records[r])
        EXPECT_TRUE(!starts_like_formula(cell) || is_number(cell)) << entry.path() << ": " << cell;
    }
  }
  EXPECT_EQ(files, 10);   // incidents, events, grids, grid_summary, teams, levels, hours, backlog, responses,
                          // replications
}

TEST_F(HostileNames, NamesArePrefixedOrQuotedAndOrdinaryOnesLeftAlone) {
  const fs::path folder = run_hostile();
  const auto incidents = parse_rfc4180(slurp(folder / "incidents.csv"));
  ASSERT_EQ(incidents.error, "");
  const auto& header = incidents.records.front();
  auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  std::set<std::string> types, grids, towns;
  for (std::size_t r = 1; r < incidents.records.size(); ++r) {
    types.insert(incidents.records[r][column("type")]);
    grids.insert(incidents.records[r][column("grid_id")]);
    towns.insert(incidents.records[r][column("town_id")]);
  }
  EXPECT_EQ(types, (std::set<std::string>{comma_type, "'" + formula, "'" + minus_formula, "'" + at_formula,
                                          chinese_type}));
  EXPECT_EQ(grids, (std::set<std::string>{"G1", "网格二", "'=1+2", "'@SUM(1)", "'-2+3", "网格三"}));
  EXPECT_EQ(towns, (std::set<std::string>{"'-街道", "'+T2"}));

  // Byte level: quoting only where RFC 4180 needs it, the guard inside the quotes.
  const std::string text = slurp(folder / "incidents.csv");
  EXPECT_NE(text.find(",\"burst, \"\"main\"\"\npipe\","), std::string::npos);
  EXPECT_NE(text.find(",'=cmd|' /C calc'!A0,"), std::string::npos);
  EXPECT_NE(text.find(",\"路面\n破损\","), std::string::npos);
  EXPECT_NE(text.find(",G1,社区一,'-街道,"), std::string::npos);
  const std::string teams = slurp(folder / "teams.csv");
  EXPECT_NE(teams.find(",\"grid, \"\"worker\"\"\",grid,"), std::string::npos);
  EXPECT_NE(teams.find(",'=cmd|' /C calc'!A0,community,"), std::string::npos);
  EXPECT_NE(teams.find(",'@SUM(1),town,"), std::string::npos);
}

TEST_F(HostileNames, ReportReadsTheNamesBackAsWritten) {
  const fs::path folder = run_hostile();
  fs::remove(folder / "report.html");
  const auto outcome = civicgrid("report " + folder.string() + " --lang en");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const Json data = report_data(folder / "report.html");
  std::set<std::string> types;
  for (const Json& row : data["types"]) types.insert(row["type"].get<std::string>());
  EXPECT_EQ(types, (std::set<std::string>{comma_type, formula, minus_formula, at_formula, chinese_type}));
  std::set<std::string> teams;
  for (const Json& team : data["teams"]["teams"]) teams.insert(team["team"].get<std::string>());
  EXPECT_EQ(teams, (std::set<std::string>{"grid, \"worker\"", formula, at_formula}));
  std::set<std::string> grids;
  for (const Json& grid : data["map"]["grids"]) grids.insert(grid["id"].get<std::string>());
  EXPECT_EQ(grids, (std::set<std::string>{"G1", "网格二", "=1+2", "@SUM(1)", "-2+3", "网格三"}));
  // The map's grids carry their statistics: the ids of grids.csv matched those of layout.geojson.
  for (const Json& grid : data["map"]["grids"]) EXPECT_TRUE(grid["residents"].is_number()) << grid["id"];
}

// ------------------------------------------------------------------------------------------ broken folders

class BrokenFolder : public civicgrid::testing::CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    folder_ = scratch_ / "run";
    const auto outcome = civicgrid("run " + data("small.yaml") + " -q --out " + folder_.string());
    ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
    fs::remove(folder_ / "report.html");
  }
  void spit(const std::string& name, const std::string& text) const {
    std::ofstream(folder_ / name, std::ios::binary) << text;
  }
  std::string file(const std::string& name) const { return slurp(folder_ / name); }
  // `civicgrid report` must refuse with exit 2, name every expected piece on stderr, and write nothing.
  void expect_refused(const std::vector<std::string>& expected) {
    const auto outcome = civicgrid("report " + folder_.string());
    EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
    EXPECT_EQ(outcome.out, "");
    for (const std::string& words : expected) EXPECT_NE(outcome.err.find(words), std::string::npos) << outcome.err;
    EXPECT_FALSE(fs::exists(folder_ / "report.html"));
    for (const auto& entry : fs::directory_iterator(folder_))
      EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
  std::string path(const std::string& name) const { return (folder_ / name).string(); }

  fs::path folder_;
};

TEST_F(BrokenFolder, IntactFolderReports) {
  const auto outcome = civicgrid("report " + folder_.string());
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_TRUE(fs::exists(folder_ / "report.html"));
}

TEST_F(BrokenFolder, MissingSummary) {
  fs::remove(folder_ / "summary.json");
  expect_refused({folder_.string(), "summary.json"});
}

// The report reads metrics' summaries (grid_summary.csv, responses.csv, levels.csv ...), never the per-incident
// or per-replication grid files, so the broken files below are ones it reads.
TEST_F(BrokenFolder, EmptyFile) {
  spit("grid_summary.csv", "");
  expect_refused({path("grid_summary.csv") + ":1:1: ", "empty"});
}

TEST_F(BrokenFolder, TruncatedFile) {
  const std::string text = file("responses.csv");
  spit("responses.csv", text.substr(0, text.size() / 2));
  expect_refused({path("responses.csv") + ":", "does not end with a line break", "cut short"});
}

TEST_F(BrokenFolder, RaggedRow) {
  std::string text = file("teams.csv");
  const auto third_line = text.find('\n', text.find('\n') + 1) + 1;
  text.insert(text.find(',', third_line), ",grid, worker");   // an unquoted name with a comma
  spit("teams.csv", text);
  expect_refused({path("teams.csv") + ":3:", "the row has 14 fields, the header 12", "RFC 4180"});
}

TEST_F(BrokenFolder, NotANumber) {
  std::string text = file("grid_summary.csv");
  const auto second_line = text.find('\n') + 1;
  // grid,grid_id,community_id,town_id,residents,...: residents is the 5th field.
  std::size_t at = second_line;
  for (int i = 0; i < 4; ++i) at = text.find(',', at) + 1;
  text.replace(at, text.find(',', at) - at, "eight hundred");
  spit("grid_summary.csv", text);
  expect_refused({path("grid_summary.csv") + ":2:" + std::to_string(at - second_line + 1) +
                  ": residents: expected a number, found \"eight hundred\""});
}

TEST_F(BrokenFolder, InvalidJson) {
  spit("manifest.json", "{\n  \"seed\": 5,\n  \"jobs\": \n}\n");
  expect_refused({path("manifest.json") + ":4:1: ", "not valid JSON"});
}

TEST_F(BrokenFolder, SummaryWithTextWhereANumberBelongs) {
  std::string text = file("summary.json");
  const auto at = text.find("\"mean\": ");
  text.replace(at, text.find(',', at) - at, "\"mean\": \"fast\"");
  spit("summary.json", text);
  expect_refused({path("summary.json") + ":", ".mean: expected a number, found \"fast\""});
}

TEST_F(BrokenFolder, InvalidUtf8InACsv) {
  std::string text = file("teams.csv");
  const auto at = text.find("grid_worker");
  text.replace(at, 11, "\xCD\xF8\xB8\xF1");   // 网格 in GBK
  spit("teams.csv", text);
  expect_refused({path("teams.csv") + ":2:", "invalid UTF-8 (byte 0xCD)", "CSV UTF-8"});
}

TEST_F(BrokenFolder, InvalidUtf8InJsonAndYaml) {
  std::string summary = file("summary.json");
  summary.replace(summary.find("\"small\""), 7, "\"\xD0\xA1\xB3\xC7\"");   // 小城 in GBK
  spit("summary.json", summary);
  std::string yaml = file("scenario.resolved.yaml");
  yaml += "# \xB1\xB8\xD7\xA2\n";   // 备注 in GBK
  spit("scenario.resolved.yaml", yaml);
  expect_refused({path("summary.json") + ":", path("scenario.resolved.yaml") + ":", "UTF-8"});
}

TEST_F(BrokenFolder, UnclosedQuote) {
  std::string text = file("grid_summary.csv");
  text.insert(text.rfind('\n', text.size() - 2) + 1, "\"");   // the last row opens a quote it never closes
  spit("grid_summary.csv", text);
  expect_refused({path("grid_summary.csv") + ":", "never closed"});
}

TEST_F(BrokenFolder, MissingColumn) {
  std::string text = file("grid_summary.csv");
  text.replace(text.find("residents"), 9, "people");
  spit("grid_summary.csv", text);
  expect_refused({path("grid_summary.csv") + ":1:1: residents: the header has no column residents"});
}

TEST_F(BrokenFolder, EveryBrokenFileIsNamedAtOnce) {
  spit("levels.csv", "");
  spit("manifest.json", "[1, 2");
  std::string text = file("replications.csv");
  text.pop_back();
  spit("replications.csv", text);
  expect_refused({path("levels.csv") + ":1:1:", path("manifest.json") + ":1:", path("replications.csv") + ":",
                  "3 problems found"});
}

// What Excel's "CSV UTF-8" and Windows line ends make of a file is still read, and read the same.
TEST_F(BrokenFolder, ByteOrderMarkAndCrlfAreAccepted) {
  ASSERT_EQ(civicgrid("report " + folder_.string()).exit_code, 0);
  const Json before = report_data(folder_ / "report.html");
  fs::remove(folder_ / "report.html");
  for (const char* name : {"grids.csv", "teams.csv", "incidents.csv", "replications.csv", "levels.csv"}) {
    std::string crlf = "\xEF\xBB\xBF";
    for (const char c : file(name)) {
      if (c == '\n') crlf.push_back('\r');
      crlf.push_back(c);
    }
    spit(name, crlf);
  }
  const auto outcome = civicgrid("report " + folder_.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(report_data(folder_ / "report.html"), before);
}

}  // namespace
