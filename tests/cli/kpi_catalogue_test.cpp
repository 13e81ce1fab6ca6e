// The KPI catalogue (metrics/kpis.hpp) is the only source of KPI keys: every key a run writes into summary.json,
// levels.csv, grids.csv and teams.csv, and every KPI its report shows, has an entry; every entry is produced
// by at least one of these runs; README's KPI table is the catalogue's (`civicgrid kpis --markdown`).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "metrics/kpis.hpp"
#include "report/html_report.hpp"
#include "support/cli_fixture.hpp"
#include "support/csv.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::slurp;

class KpiCatalogue : public civicgrid::testing::CliFixture {};

std::string source_path(const std::string& relative) { return std::string(CIVICGRID_SOURCE_DIR) + "/" + relative; }

// Columns that name a row rather than measure something.
const std::set<std::string> identifiers = {"replication", "grid", "grid_id", "community_id", "town_id", "level",
                                           "responder", "team", "unit", "weekday", "hour"};

TEST_F(KpiCatalogue, EveryOutputKeyHasAnEntryAndEveryEntryIsProduced) {
  // Runs that between them exercise every KPI: reporting rules, tiers, visits, patrols and deadlines in the
  // district models; mutual aid, pre-emption and hand-over as scenario options.
  const std::string district = source_path("scenarios/district/tiered-platform.yaml");
  const std::vector<std::string> runs = {
      "run " + district + " -r 2 --seed 3 --set run.horizon=10d --set run.warmup=7d",
      "run " + source_path("scenarios/district/one-net.yaml") +
          " -r 2 --seed 3 --set run.horizon=10d --set run.warmup=7d --set dispatch.preemption=by_priority",
      "run " + district + " -r 2 --seed 3 --set run.horizon=12d --set run.warmup=11d"
          " --set teams.grid_worker.shift.at_end=hand_over",
      "run " + data("small.yaml") + " -r 2 --seed 3 --set dispatch.policy=own_unit_only"
          " --set dispatch.mutual_aid.neighbours=adjacent --set dispatch.mutual_aid.after=5min",
  };
  std::set<std::string> produced;
  int index = 0;
  for (const auto& command : runs) {
    const fs::path out = scratch_ / ("run" + std::to_string(index++));
    const auto result = civicgrid(command + " -q --out " + out.string());
    ASSERT_EQ(result.exit_code, 0) << command << "\n" << result.err;
    const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
    for (const auto& [key, value] : summary["kpis"].items()) {
      const auto* info = civicgrid::metrics::find_kpi(key);
      ASSERT_NE(info, nullptr) << "summary.json key " << key << " has no catalogue entry";
      const auto breakdown = civicgrid::metrics::split_kpi_key(key).breakdown;
      if (breakdown.rfind("level:", 0) == 0) EXPECT_TRUE(info->scopes & civicgrid::metrics::scope_level) << key;
      else if (breakdown.rfind("role:", 0) == 0) EXPECT_TRUE(info->scopes & civicgrid::metrics::scope_role) << key;
      else if (!breakdown.empty())
        EXPECT_TRUE(info->scopes & (civicgrid::metrics::scope_type | civicgrid::metrics::scope_team)) << key;
      else EXPECT_TRUE(info->scopes & civicgrid::metrics::scope_run) << key;
      produced.insert(std::string(info->key));
    }
    for (const auto& [file, scope] : std::vector<std::pair<std::string, unsigned>>{
             {"levels.csv", civicgrid::metrics::scope_level},
             {"grids.csv", civicgrid::metrics::scope_grid},
             {"grid_summary.csv", civicgrid::metrics::scope_grid},
             {"teams.csv", civicgrid::metrics::scope_responder},
             {"hours.csv", civicgrid::metrics::scope_hour}}) {
      for (std::string column : civicgrid::testing::read_csv(out / file).header) {
        if (identifiers.count(column) > 0) continue;
        // grid_summary.csv: <kpi>, <kpi>_ci95, <kpi>_n
        for (const std::string suffix : {"_ci95", "_n"})
          if (file == "grid_summary.csv" && column.size() > suffix.size() &&
              column.compare(column.size() - suffix.size(), suffix.size(), suffix) == 0 &&
              civicgrid::metrics::find_kpi(column) == nullptr)
            column.resize(column.size() - suffix.size());
        const auto* info = civicgrid::metrics::find_kpi(column);
        ASSERT_NE(info, nullptr) << file << " column " << column << " has no catalogue entry";
        EXPECT_TRUE(info->scopes & scope) << file << " column " << column << ": the entry does not say it is there";
        produced.insert(column);
      }
    }
    // The report shows only catalogued KPIs, under their catalogue names.
    const auto report = civicgrid::report::run_report_data(out, "zh");
    for (const auto& kpi : report["kpis"]) {
      const std::string key = kpi["key"];
      ASSERT_NE(civicgrid::metrics::find_kpi(key), nullptr) << "the report shows " << key;
      EXPECT_NE(kpi["name"].get<std::string>(), key) << key << " shows its raw key in the Chinese report";
    }
  }
  for (const auto& info : civicgrid::metrics::kpi_catalogue())
    EXPECT_EQ(produced.count(std::string(info.key)), 1u) << info.key << " is catalogued but no run produced it";
}

TEST_F(KpiCatalogue, ReadmeTableIsTheCatalogue) {
  const auto printed = civicgrid("kpis --markdown");
  ASSERT_EQ(printed.exit_code, 0);
  EXPECT_EQ(printed.out, civicgrid::metrics::catalogue_markdown());
  const std::string readme = slurp(source_path("README.md"));
  const std::string begin = "<!-- kpi-table: civicgrid kpis --markdown -->\n", end = "<!-- /kpi-table -->";
  const auto from = readme.find(begin), to = readme.find(end);
  ASSERT_NE(from, std::string::npos) << "README.md has no generated KPI table";
  ASSERT_NE(to, std::string::npos);
  EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), printed.out)
      << "regenerate README's table with: build/civicgrid kpis --markdown";
  const auto json = nlohmann::json::parse(civicgrid("kpis --json").out);
  EXPECT_EQ(json.size(), civicgrid::metrics::kpi_catalogue().size());
  EXPECT_EQ(civicgrid("kpis extra").exit_code, 2);
}

}  // namespace
