// Unit tier: the files of a result folder — exact CSV bytes, the summary.json contract, determinism, and the
// KPI table for people.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/summary.hpp"
#include "report/writers.hpp"

namespace civicgrid {
namespace {

namespace fs = std::filesystem;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<metrics::ReplicationResult> sample_results() {
  metrics::ReplicationResult a;
  a.replication = 0;
  a.seed = 42;
  a.kpis = {{"incidents", 12}, {"response_min_mean", 7.25}, {"within_target_rate", 0.75}};
  metrics::GridTally grid;
  grid.grid = 5;
  grid.grid_id = "G0005";
  grid.community_id = "C01";
  grid.town_id = "T00";
  grid.residents = 812.5;
  grid.incidents = 4;
  grid.responded = 3;
  grid.within_target = 2;
  grid.response_min_sum = 31.5;
  grid.static_coverage_rate = 0.75;
  grid.dynamic_coverage_rate = 0.5;
  grid.visit_coverage_rate = 0.25;
  metrics::GridTally quiet;
  quiet.grid = 6;
  quiet.grid_id = "G0006";
  quiet.community_id = "C01";
  quiet.town_id = "T00";
  quiet.residents = 400;
  quiet.static_coverage_rate = 1;
  quiet.dynamic_coverage_rate = nan;   // no sample inside the window
  quiet.visit_coverage_rate = nan;     // no visit programme there
  a.grids = {grid, quiet};
  metrics::ResponderTally responder;
  responder.responder = 2;
  responder.team = "grid_worker";
  responder.level = "grid";
  responder.unit = "G0005";
  responder.incidents_served = 3;
  responder.travel_min = 10;
  responder.on_scene_min = 45.5;
  responder.return_min = 4.5;
  responder.idle_min = 60;
  responder.on_duty_min = 120;
  a.responders = {responder};

  metrics::ReplicationResult b = a;
  b.replication = 1;
  b.kpis = {{"incidents", 10}, {"response_min_mean", nan}, {"within_target_rate", 0.8}};
  b.responders[0].team = "mediation, \"north\"";   // needs quoting
  b.responders[0].on_duty_min = 0;                 // off duty all window: utilisation undefined
  return {a, b};
}

report::RunInfo sample_info() {
  report::RunInfo info;
  info.tool_version = "0.1.0";
  info.git_revision = "abc123";
  info.scenario_name = "demo";
  info.scenario_path = "scenarios/demo.yaml";
  info.source_files = {"scenarios/demo.yaml", "models/default.yaml"};
  info.argv = {"civicgrid", "run", "scenarios/demo.yaml"};
  info.seed = 42;
  info.replications = 2;
  info.jobs = 2;
  info.wall_time_s = 1.25;
  info.started_utc = "2024-05-01T08:30:05Z";
  info.output_dir = "results/demo/20240501T083005Z";
  return info;
}

class ReportFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() / ("civicgrid-report-test-" + std::to_string(getpid()));
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }
  fs::path scratch_;
};

TEST(CsvFormat, NumbersAndQuoting) {
  EXPECT_EQ(report::csv_number(12), "12");
  EXPECT_EQ(report::csv_number(0.1 + 0.2), "0.3");
  EXPECT_EQ(report::csv_number(2.0 / 3.0), "0.6666666667");
  EXPECT_EQ(report::csv_number(1234567890123.0), "1.23456789e+12");
  EXPECT_EQ(report::csv_number(-2.5e-7), "-2.5e-07");
  EXPECT_EQ(report::csv_number(12345678.25), "12345678.25");
  EXPECT_EQ(report::csv_number(nan), "");
  EXPECT_EQ(report::csv_field("G0012"), "G0012");
  EXPECT_EQ(report::csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(report::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(report::csv_field("two\nlines"), "\"two\nlines\"");
}

TEST(CsvContent, Replications) {
  EXPECT_EQ(report::replications_csv(sample_results()),
            "replication,seed,incidents,response_min_mean,within_target_rate\n"
            "0,42,12,7.25,0.75\n"
            "1,42,10,,0.8\n");
}

TEST(CsvContent, Grids) {
  const auto lines = lines_of(report::grids_csv(sample_results()));
  ASSERT_EQ(lines.size(), 5u);   // header + 2 grids x 2 replications
  EXPECT_EQ(lines[0],
            "replication,grid,grid_id,community_id,town_id,residents,incidents,responded,within_target,"
            "within_target_rate,response_min_mean,static_coverage_rate,dynamic_coverage_rate,visit_coverage_rate");
  EXPECT_EQ(lines[1], "0,5,G0005,C01,T00,812.5,4,3,2,0.6666666667,10.5,0.75,0.5,0.25");
  EXPECT_EQ(lines[2], "0,6,G0006,C01,T00,400,0,0,0,,,1,,");   // nothing responded: rates undefined
  EXPECT_EQ(lines[3], "1,5,G0005,C01,T00,812.5,4,3,2,0.6666666667,10.5,0.75,0.5,0.25");
}

TEST(CsvContent, Teams) {
  const auto lines = lines_of(report::teams_csv(sample_results()));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "replication,responder,team,level,unit,incidents_served,travel_min,on_scene_min,return_min,idle_min,"
            "on_duty_min,utilization");
  EXPECT_EQ(lines[1], "0,2,grid_worker,grid,G0005,3,10,45.5,4.5,60,120,0.5");   // (10 + 45.5 + 4.5) / 120
  EXPECT_EQ(lines[2], "1,2,\"mediation, \"\"north\"\"\",grid,G0005,3,10,45.5,4.5,60,0,");
}

// Names that start like spreadsheet formulas get the guard's apostrophe; numbers, negative ones too, do not.
TEST(CsvContent, FormulaLikeNamesAreGuarded) {
  auto results = sample_results();
  results[0].grids[0].grid_id = "=1+2";
  results[0].grids[0].community_id = "@社区";
  results[0].grids[0].town_id = "-2+3";
  results[0].grids[1].grid_id = "-7";
  results[0].responders[0].team = "=cmd|' /C calc'!A0";
  results[0].responders[0].unit = "+T2,x";
  results[0].kpis.push_back({"utilization@=team", -0.5});
  const auto grids = lines_of(report::grids_csv(results));
  EXPECT_EQ(grids[1], "0,5,'=1+2,'@社区,'-2+3,812.5,4,3,2,0.6666666667,10.5,0.75,0.5,0.25");
  EXPECT_EQ(grids[2], "0,6,-7,C01,T00,400,0,0,0,,,1,,");
  const auto teams = lines_of(report::teams_csv(results));
  EXPECT_EQ(teams[1], "0,2,'=cmd|' /C calc'!A0,grid,\"'+T2,x\",3,10,45.5,4.5,60,120,0.5");
  const auto replications = lines_of(report::replications_csv(results));
  EXPECT_EQ(replications[0], "replication,seed,incidents,response_min_mean,within_target_rate,utilization@=team");
  EXPECT_EQ(replications[1], "0,42,12,7.25,0.75,-0.5");
}

TEST(CsvContent, NoResultsGiveHeadersOnly) {
  EXPECT_EQ(report::replications_csv({}), "replication,seed\n");
  EXPECT_EQ(lines_of(report::grids_csv({})).size(), 1u);
  EXPECT_EQ(lines_of(report::teams_csv({})).size(), 1u);
}

TEST(SummaryJson, ShapeAndNullForNaN) {
  const auto results = sample_results();
  const std::string text = report::summary_json(sample_info(), metrics::summarise(results));
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["civicgrid_version"], "0.1.0");
  EXPECT_EQ(json["scenario"], "demo");
  EXPECT_EQ(json["replications"], 2);
  EXPECT_EQ(json["seed"], 42);
  ASSERT_TRUE(json["kpis"].is_object());
  EXPECT_EQ(json["kpis"].size(), 3u);

  const auto& incidents = json["kpis"]["incidents"];
  EXPECT_EQ(incidents["mean"], 11.0);
  EXPECT_NEAR(incidents["ci95_half_width"].get<double>(), 12.7062047, 1e-6);   // s = sqrt(2), n = 2
  EXPECT_EQ(incidents["n"], 2);
  EXPECT_EQ(incidents["unit"], "count");
  EXPECT_EQ(incidents["per_replication"], nlohmann::json::array({12.0, 10.0}));

  const auto& response = json["kpis"]["response_min_mean"];
  EXPECT_EQ(response["mean"], 7.25);
  EXPECT_TRUE(response["ci95_half_width"].is_null());   // one defined value
  EXPECT_EQ(response["n"], 1);
  EXPECT_EQ(response["unit"], "min");
  ASSERT_EQ(response["per_replication"].size(), 2u);
  EXPECT_EQ(response["per_replication"][0], 7.25);
  EXPECT_TRUE(response["per_replication"][1].is_null());

  // Keys in a fixed order: the header fields, then the KPIs as summarised.
  EXPECT_LT(text.find("\"civicgrid_version\""), text.find("\"scenario\""));
  EXPECT_LT(text.find("\"seed\""), text.find("\"kpis\""));
  EXPECT_LT(text.find("\"incidents\""), text.find("\"response_min_mean\""));
  EXPECT_LT(text.find("\"response_min_mean\""), text.find("\"within_target_rate\""));
  // Nothing that changes between identical runs.
  for (const char* volatile_value : {"1.25", "2024-05-01", "abc123", "hostname", "argv"})
    EXPECT_EQ(text.find(volatile_value), std::string::npos) << volatile_value;
}

TEST(SummaryJson, AllUndefinedKpiIsNullEverywhere) {
  metrics::ReplicationResult r;
  r.kpis = {{"wait_min_mean", nan}};
  const auto json = nlohmann::json::parse(report::summary_json(sample_info(), metrics::summarise({r, r})));
  const auto& kpi = json["kpis"]["wait_min_mean"];
  EXPECT_TRUE(kpi["mean"].is_null());
  EXPECT_TRUE(kpi["ci95_half_width"].is_null());
  EXPECT_EQ(kpi["n"], 0);
  EXPECT_EQ(kpi["per_replication"], nlohmann::json::parse("[null, null]"));
}

TEST_F(ReportFiles, SameInputGivesByteIdenticalFiles) {
  const fs::path a = scratch_ / "a";
  const fs::path b = scratch_ / "b";
  fs::create_directories(a);
  fs::create_directories(b);
  auto info_b = sample_info();   // only manifest fields differ
  info_b.wall_time_s = 99;
  info_b.started_utc = "2030-01-01T00:00:00Z";
  info_b.jobs = 7;
  info_b.argv.push_back("-j7");
  info_b.output_dir = "elsewhere";
  info_b.git_revision = "def456";
  const std::pair<fs::path, report::RunInfo> runs[] = {{a, sample_info()}, {b, info_b}};
  for (const auto& [dir, info] : runs) {
    const auto results = sample_results();
    report::write_summary_json(dir, info, metrics::summarise(results));
    report::write_replications_csv(dir, results);
    report::write_grids_csv(dir, results);
    report::write_teams_csv(dir, results);
    report::write_manifest_json(dir, info);
  }
  for (const char* file : {"summary.json", "replications.csv", "grids.csv", "teams.csv"}) {
    const std::string reference = slurp(a / file);
    EXPECT_FALSE(reference.empty()) << file;
    EXPECT_EQ(reference, slurp(b / file)) << file;
  }
  EXPECT_EQ(slurp(a / "summary.json"), report::summary_json(sample_info(), metrics::summarise(sample_results())));
  EXPECT_EQ(slurp(a / "grids.csv"), report::grids_csv(sample_results()));
  // No temporary files left behind.
  for (const auto& entry : fs::directory_iterator(a))
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
}

TEST_F(ReportFiles, ManifestRecordsTheRun) {
  report::write_manifest_json(scratch_, sample_info());
  const auto json = nlohmann::json::parse(slurp(scratch_ / "manifest.json"));
  EXPECT_EQ(json["civicgrid_version"], "0.1.0");
  EXPECT_EQ(json["git_revision"], "abc123");
  EXPECT_EQ(json["scenario"], "demo");
  EXPECT_EQ(json["scenario_path"], "scenarios/demo.yaml");
  EXPECT_EQ(json["source_files"], nlohmann::json::array({"scenarios/demo.yaml", "models/default.yaml"}));
  EXPECT_EQ(json["argv"], nlohmann::json::array({"civicgrid", "run", "scenarios/demo.yaml"}));
  EXPECT_EQ(json["seed"], 42);
  EXPECT_EQ(json["replications"], 2);
  EXPECT_EQ(json["jobs"], 2);
  EXPECT_EQ(json["started_utc"], "2024-05-01T08:30:05Z");
  EXPECT_EQ(json["wall_time_s"], 1.25);
  EXPECT_EQ(json["output_dir"], "results/demo/20240501T083005Z");
  ASSERT_TRUE(json["hostname"].is_string());
  EXPECT_FALSE(json["hostname"].get<std::string>().empty());
}

TEST(KpiTable, ListsEveryKpiWithUnitAndAlignedColumns) {
  const auto summaries = metrics::summarise(sample_results());
  const std::string table = report::format_kpi_table(summaries);
  for (const auto& summary : summaries) EXPECT_NE(table.find(summary.name), std::string::npos) << summary.name;
  const auto lines = lines_of(table);
  ASSERT_EQ(lines.size(), summaries.size() + 1);   // header + one per KPI
  EXPECT_EQ(lines[0].rfind("KPI", 0), 0u);
  EXPECT_NE(lines[1].find("count"), std::string::npos) << table;
  EXPECT_NE(lines[2].find("min"), std::string::npos) << table;
  EXPECT_NE(lines[3].find("share"), std::string::npos) << table;
  const auto column = lines[0].find("\u00b1");
  ASSERT_NE(column, std::string::npos) << table;
  for (const auto& line : lines) EXPECT_EQ(line.find("\u00b1"), column) << table;
  EXPECT_NE(lines[1].find("11"), std::string::npos) << table;    // incidents: mean 11
  EXPECT_NE(lines[2].find("7.25"), std::string::npos) << table;  // response: mean 7.25, no half-width
  EXPECT_NE(lines[2].find(" -  min"), std::string::npos) << table;
}

}  // namespace
}  // namespace civicgrid
