// The run report renders what metrics wrote and computes no KPI of its own (issue 12): it reads the result
// folder's metrics files, never incidents.csv, so a folder without the per-incident files gives the same report;
// and the files it draws from agree with the KPIs (responses.csv with responded@<type> and
// within_target_rate@<type>, grid_summary.csv with grids.csv and grid_coverage_rate).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "report/html_report.hpp"
#include "support/cli_fixture.hpp"
#include "support/csv.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::read_csv;
using civicgrid::testing::slurp;

class ReportInputs : public civicgrid::testing::CliFixture {
 protected:
  // Two short replications of the tiered-platform district: several types, tiers, a platform, deadlines.
  fs::path run_district(const std::string& name, const std::string& extra = "") {
    const fs::path out = scratch_ / name;
    const auto result = civicgrid("run " + std::string(CIVICGRID_SOURCE_DIR) +
                                  "/scenarios/district/tiered-platform.yaml -r 2 --seed 5 --set run.horizon=12d"
                                  " --set run.warmup=2d -q " + extra + " --out " + out.string());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return out;
  }
};

double number(const std::string& text) { return text.empty() ? std::nan("") : std::stod(text); }

TEST_F(ReportInputs, ResponsesCsvIsTheDistributionOfTheTypeKpis) {
  const fs::path out = run_district("run");
  const auto responses = read_csv(out / "responses.csv");
  const auto replications = read_csv(out / "replications.csv");
  const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
  ASSERT_FALSE(responses.rows.empty());
  // Counts per (replication, type), in total and at or below each bin's upper edge.
  std::map<std::pair<std::string, std::string>, double> total;
  std::map<std::pair<std::string, std::string>, std::map<double, double>> by_upper;
  for (const auto& row : responses.rows) {
    const auto key = std::make_pair(row[responses.column("replication")], row[responses.column("type")]);
    const double responded = number(row[responses.column("responded")]);
    EXPECT_GT(responded, 0) << "only bins holding incidents have a row";
    EXPECT_LT(number(row[responses.column("lower_min")]),
              row[responses.column("upper_min")].empty() ? INFINITY : number(row[responses.column("upper_min")]));
    total[key] += responded;
    by_upper[key][row[responses.column("upper_min")].empty() ? INFINITY : number(row[responses.column("upper_min")])] +=
        responded;
  }
  // Targets of the scenario that sit on a bin edge: the share at or below it is within_target_rate@<type>.
  const std::map<std::string, double> targets_on_edges = {{"livelihood_request", 30}, {"public_order", 15}, {"health_call", 20}};
  std::set<std::string> types_checked;
  for (const auto& row : replications.rows) {
    const std::string replication = row[replications.column("replication")];
    for (std::size_t c = 0; c < replications.header.size(); ++c) {
      const std::string& column = replications.header[c];
      if (column.rfind("responded@", 0) != 0) continue;
      const std::string type = column.substr(10);
      const double kpi = number(row[c]);
      if (!(kpi > 0)) continue;
      EXPECT_EQ((total[{replication, type}]), kpi) << type << " in replication " << replication;
      const auto target = targets_on_edges.find(type);
      if (target == targets_on_edges.end()) continue;
      double within = 0;
      for (const auto& [upper, count] : by_upper[std::make_pair(replication, type)])
        if (upper <= target->second) within += count;
      // replications.csv rounds to 10 significant digits (docs/outputs.md).
      EXPECT_NEAR(within / kpi, number(row[replications.column("within_target_rate@" + type)]), 1e-10) << type;
      types_checked.insert(type);
    }
  }
  EXPECT_EQ(types_checked.size(), targets_on_edges.size()) << "the district's types changed: update the test";
  ASSERT_TRUE(summary["kpis"].contains("responded"));
}

// incidents.csv splits each response as the KPIs do: response = registration + first wait + travel, and per
// replication the responded rows' mean registration is registration_min_mean (the platform's 受理/立案 step).
TEST_F(ReportInputs, IncidentRowsSplitTheResponseLikeTheKpis) {
  const fs::path out = run_district("split");
  const auto incidents = read_csv(out / "incidents.csv");
  const auto replications = read_csv(out / "replications.csv");
  std::map<std::string, std::pair<double, double>> registration;   // replication -> (sum, responded)
  int with_registration = 0;
  for (const auto& row : incidents.rows) {
    const double response = number(row[incidents.column("response_min")]);
    if (std::isnan(response)) continue;
    const double registration_min = number(row[incidents.column("registration_min")]);
    const double wait_min = number(row[incidents.column("wait_min")]);
    EXPECT_GE(wait_min, -1e-9);
    // Each time stamp has 10 significant digits in the file: half a unit of the last is at most 5e-10 of it.
    const double t_registered = number(row[incidents.column("t_registered_min")]);
    const double t_known = number(row[incidents.column("t_known_min")]);
    EXPECT_NEAR(t_registered - t_known, registration_min, 5e-10 * (t_registered + t_known) + 1e-9);
    const double travel_min = number(row[incidents.column("travel_min")]);
    EXPECT_NEAR(registration_min + wait_min + travel_min, response,
                5e-10 * (registration_min + wait_min + travel_min + response) + 1e-9);
    auto& [sum, count] = registration[row[incidents.column("replication")]];
    sum += registration_min;
    count += 1;
    with_registration += registration_min > 0;
  }
  EXPECT_GT(with_registration, 100) << "the district's platform registers its requests";
  for (const auto& row : replications.rows) {
    const auto& [sum, count] = registration[row[replications.column("replication")]];
    EXPECT_NEAR(sum / count, number(row[replications.column("registration_min_mean")]), 1e-6);
  }
}

// grid_summary.csv (the map) is the across-replication summary of grids.csv: each grid's within-target rate is
// the mean of its per-replication rates, with the same n and estimator as summary.json's KPIs.
TEST_F(ReportInputs, GridSummaryIsTheMeanOfTheGridsReplications) {
  const fs::path out = run_district("grids");
  const auto grids = read_csv(out / "grids.csv");
  const auto summary = read_csv(out / "grid_summary.csv");
  std::map<std::string, std::vector<double>> rates, residents;
  for (const auto& row : grids.rows) {
    const double rate = number(row[grids.column("within_target_rate")]);
    if (!std::isnan(rate)) rates[row[grids.column("grid_id")]].push_back(rate);
    residents[row[grids.column("grid_id")]].push_back(number(row[grids.column("residents")]));
  }
  ASSERT_EQ(summary.rows.size(), residents.size()) << "one row per grid";
  int with_rate = 0;
  for (const auto& row : summary.rows) {
    const std::string id = row[summary.column("grid_id")];
    const auto& values = rates[id];
    EXPECT_EQ(row[summary.column("within_target_rate_n")], std::to_string(values.size())) << id;
    if (values.empty()) {
      EXPECT_TRUE(row[summary.column("within_target_rate")].empty()) << id;
      continue;
    }
    double sum = 0;
    for (double value : values) sum += value;
    EXPECT_NEAR(number(row[summary.column("within_target_rate")]), sum / static_cast<double>(values.size()), 1e-9) << id;
    ++with_rate;
  }
  EXPECT_GT(with_rate, 10);
}

// The report's data without incidents.csv and events.csv is the report's data with them, except for the list
// of files present: no section is rebuilt from the per-incident files.
TEST_F(ReportInputs, TheReportDoesNotReadThePerIncidentFiles) {
  const fs::path full = run_district("full");
  ASSERT_TRUE(fs::exists(full / "incidents.csv"));
  const fs::path bare = scratch_ / "bare";
  fs::copy(full, bare, fs::copy_options::recursive);
  fs::remove(bare / "incidents.csv");
  fs::remove(bare / "events.csv");
  fs::remove(bare / "report.html");
  for (const std::string lang : {"en", "zh"}) {
    auto with = civicgrid::report::run_report_data(full, lang);
    auto without = civicgrid::report::run_report_data(bare, lang);
    EXPECT_TRUE(with["run"]["files"]["incidents.csv"].get<bool>());
    EXPECT_FALSE(without["run"]["files"]["incidents.csv"].get<bool>());
    with["run"].erase("files");
    without["run"].erase("files");
    EXPECT_EQ(with.dump(1), without.dump(1)) << lang;
    EXPECT_TRUE(with["response"]["available"].get<bool>());
    EXPECT_TRUE(with["flow"]["available"].get<bool>());
    EXPECT_TRUE(with["map"]["available"].get<bool>());
  }
  // And a run told not to write them has every section too.
  const fs::path quiet = run_district("quiet", "--no-incidents");
  const auto data = civicgrid::report::run_report_data(quiet, "en");
  for (const char* section : {"response", "flow", "map", "hours", "backlog"})
    EXPECT_TRUE(data[section]["available"].get<bool>()) << section;
}

}  // namespace
