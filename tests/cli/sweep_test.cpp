// End-to-end tier for batches: sweep run tables, per-variant folders and sweep.csv, -j independence, resume
// after SIGKILL without redoing finished runs, bad sweep values mapped to the sweep file, and compare with
// common random numbers (the paired interval is narrower than the unpaired one).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <algorithm>

#include <nlohmann/json.hpp>

#include "report/html_report.hpp"
#include "support/cli_fixture.hpp"
#include "support/csv.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::replaced;
using civicgrid::testing::slurp;

class Batch : public civicgrid::testing::CliFixture {};

TEST_F(Batch, ListPrintsTheNumberedRunTable) {
  const auto outcome = civicgrid("sweep " + data("staffing.sweep.yaml") + " --list");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  std::istringstream lines(outcome.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "run,variant,replication,seed,teams.grid_worker.per_unit,teams.mediation.per_unit,travel.speed");
  int rows = 0;
  std::string last;
  while (std::getline(lines, line)) {
    ++rows;
    last = line;
  }
  EXPECT_EQ(rows, 2 * 3 * 2);   // 2 grid values x 3 zip rows x 2 replications
  EXPECT_EQ(last, "12,v0006,1,5,2,3,20km/h");
}

TEST_F(Batch, SweepWritesVariantsAndTablesIdenticallyForAnyJobs) {
  const auto a = scratch_ / "a";
  const auto b = scratch_ / "b";
  ASSERT_EQ(civicgrid("sweep " + data("staffing.sweep.yaml") + " -q -j 1 --out " + a.string()).exit_code, 0);
  ASSERT_EQ(civicgrid("sweep " + data("staffing.sweep.yaml") + " -q -j 2 --out " + b.string()).exit_code, 0);
  EXPECT_EQ(slurp(a / "sweep.csv"), slurp(b / "sweep.csv"));
  EXPECT_EQ(slurp(a / "runs.csv"), slurp(b / "runs.csv"));
  // Paired differences against v0001 (variants share replications); identical staff cannot differ.
  const auto paired = slurp(a / "paired.csv");
  EXPECT_EQ(paired.substr(0, paired.find('\n')), "kpi,unit,variant,scenario,mean,ci95_half_width,n,diff_vs_first,"
                                                  "diff_ci95_half_width,diff_unpaired_ci95_half_width,significant,"
                                                  "standard,by_mean,by_bound");
  EXPECT_NE(paired.find("staff,persons,v0002,small,24,0,2,4,0,0,yes"), std::string::npos) << paired;
  for (int v = 1; v <= 6; ++v) {
    const auto variant = a / "variants" / ("v000" + std::to_string(v));
    EXPECT_TRUE(fs::exists(variant / "summary.json")) << variant;
    EXPECT_EQ(slurp(variant / "incidents.csv"), slurp(b / "variants" / ("v000" + std::to_string(v)) / "incidents.csv"));
  }
  // More mediators cannot make disputes wait longer on the same incidents (v0001: 1 mediator, v0003: 3).
  const auto one = nlohmann::json::parse(slurp(a / "variants/v0001/summary.json"));
  const auto three = nlohmann::json::parse(slurp(a / "variants/v0003/summary.json"));
  EXPECT_EQ(one["kpis"]["incidents"]["per_replication"], three["kpis"]["incidents"]["per_replication"]);
  EXPECT_GE(one["kpis"]["wait_min_mean"]["mean"].get<double>(), three["kpis"]["wait_min_mean"]["mean"].get<double>());
  // Re-running into the same folder needs --resume.
  EXPECT_EQ(civicgrid("sweep " + data("staffing.sweep.yaml") + " -q --out " + a.string()).exit_code, 2);
}

TEST_F(Batch, ResumeAfterKillRedoesNothingFinished) {
  const auto out = scratch_ / "killed";
  const std::string args = "sweep " + data("staffing.sweep.yaml") + " -q --set run.horizon=60d --out " + out.string();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", ("exec " + std::string(CIVICGRID_BINARY) + " " + args + " >/dev/null 2>&1").c_str(),
          nullptr);
    _exit(127);
  }
  // Wait until a few runs have finished, then kill the whole command without warning.
  int finished = 0;
  for (int tries = 0; tries < 400 && finished < 3; ++tries) {
    usleep(25 * 1000);
    finished = 0;
    if (fs::exists(out / "runs"))
      for (const auto& entry : fs::recursive_directory_iterator(out / "runs"))
        finished += entry.path().filename() == "inputs.txt";
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  ASSERT_GE(finished, 3) << "the sweep did not get going";
  ASSERT_FALSE(fs::exists(out / "sweep.csv")) << "the sweep finished before it could be killed";
  usleep(500 * 1000);   // orphaned children may still finish their runs: that is allowed
  const auto resumed = civicgrid(args + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  // Everything reused matches a clean run.
  const auto clean = scratch_ / "clean";
  ASSERT_EQ(civicgrid("sweep " + data("staffing.sweep.yaml") + " -q --set run.horizon=60d --out " + clean.string()).exit_code, 0);
  EXPECT_EQ(slurp(out / "sweep.csv"), slurp(clean / "sweep.csv"));
  // A second resume reuses every run.
  const auto again = civicgrid("sweep " + data("staffing.sweep.yaml") + " --set run.horizon=60d --resume --out " + out.string());
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("12 runs (12 reused, 0 run now)"), std::string::npos) << again.err;
  // Changed inputs are redone, not reused.
  const auto changed = civicgrid("sweep " + data("staffing.sweep.yaml") + " --set run.horizon=61d --resume --out " + out.string());
  ASSERT_EQ(changed.exit_code, 0);
  EXPECT_NE(changed.err.find("(0 reused, 12 run now)"), std::string::npos) << changed.err;
}

TEST_F(Batch, BadSweepValuesPointAtTheSweepFile) {
  const auto file = scratch_ / "bad.sweep.yaml";
  std::ofstream(file) << "version: 1\nscenario: " << data("small.yaml") << "\ngrid:\n  teams.grid_worker.per_unit: [1, -3]\n"
                      << "  teams.nobody.per_unit: [1]\n";
  const auto outcome = civicgrid("sweep " + file.string() + " --results-root " + (scratch_ / "r").string());
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_NE(outcome.err.find("bad.sweep.yaml:4:"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("-3"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("bad.sweep.yaml:5:"), std::string::npos) << outcome.err;
  EXPECT_FALSE(fs::exists(scratch_ / "r"));
}

TEST_F(Batch, CompareOfIdenticalPlansShowsNoDifference) {
  // Same plan under another name: common random numbers make every paired difference exactly zero.
  const auto out = scratch_ / "cmp";
  const auto b = write("same.yaml", replaced(slurp(data("small.yaml")), "name: small", "name: same"));
  const auto outcome = civicgrid("compare " + data("small.yaml") + " " + b.string() + " -q -r 4 --out " + out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto json = nlohmann::json::parse(slurp(out / "compare.json"));
  const auto& diff = json["kpis"]["wait_min_mean"]["variants"][1];
  EXPECT_EQ(diff["diff_vs_first"].get<double>(), 0.0);
  EXPECT_FALSE(diff["significant"].get<bool>());
  EXPECT_TRUE(fs::exists(out / "compare.csv"));
  EXPECT_TRUE(fs::exists(out / "variants/v0002/summary.json"));
  EXPECT_FALSE(fs::exists(out / "runs"));
}

TEST_F(Batch, PairedIntervalIsNarrowerThanUnpaired) {
  const auto out = scratch_ / "crn";
  const auto b = write("more.yaml", replaced(replaced(slurp(data("small.yaml")), "name: small", "name: more"),
                                             "name: mediation, level: community, per_unit: 1",
                                             "name: mediation, level: community, per_unit: 2"));
  const auto outcome = civicgrid("compare " + data("small.yaml") + " " + b.string() + " -q -r 12 --set run.horizon=10d --out " +
                                 out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto json = nlohmann::json::parse(slurp(out / "compare.json"));
  const auto& response = json["kpis"]["response_min_mean"]["variants"][1];
  const double paired = response["diff_ci95_half_width"].get<double>();
  const double unpaired = response["diff_unpaired_ci95_half_width"].get<double>();
  std::printf("response_min_mean difference %.4f, paired CI +-%.4f, unpaired CI +-%.4f\n",
              response["diff_vs_first"].get<double>(), paired, unpaired);
  EXPECT_LT(paired, 0.5 * unpaired);
  EXPECT_LT(response["diff_vs_first"].get<double>(), 0.0);   // a second mediator shortens responses
  EXPECT_TRUE(response["significant"].get<bool>());
}

// Three plans: every pair (i < j) of every KPI in pairs.csv, Holm-adjusted per KPI; the baseline and an
// identical copy differ by exactly 0 (p = 1, not significant); people get the table on stderr, stdout stays
// the folder alone.
TEST_F(Batch, CompareOfThreePlansWritesEveryPairWithHolm) {
  const auto out = scratch_ / "three";
  const auto more = write("more.yaml", replaced(replaced(slurp(data("small.yaml")), "name: small", "name: more"),
                                                "name: mediation, level: community, per_unit: 1",
                                                "name: mediation, level: community, per_unit: 2"));
  const auto same = write("same.yaml", replaced(slurp(data("small.yaml")), "name: small", "name: same"));
  const auto outcome = civicgrid("compare " + data("small.yaml") + " " + more.string() + " " + same.string() +
                                 " -r 4 --out " + out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(std::count(outcome.out.begin(), outcome.out.end(), '\n'), 1) << outcome.out;
  EXPECT_NE(outcome.err.find("within_target_rate"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("staff"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("v0003 same: standards:"), std::string::npos) << outcome.err;

  const auto pairs = civicgrid::testing::read_csv(out / "pairs.csv");
  EXPECT_EQ(pairs.header, (std::vector<std::string>{"kpi", "unit", "variant_a", "variant_b", "diff_b_minus_a",
                                                    "diff_ci95_half_width", "p_value", "holm_p_value",
                                                    "significant_holm"}));
  std::map<std::string, int> per_kpi;
  for (const auto& row : pairs.rows) ++per_kpi[row[pairs.column("kpi")]];
  ASSERT_FALSE(per_kpi.empty());
  for (const auto& [kpi, n] : per_kpi) EXPECT_EQ(n, 3) << kpi;
  bool seen = false;
  for (const auto& row : pairs.rows)
    if (row[pairs.column("kpi")] == "response_min_mean" && row[pairs.column("variant_a")] == "v0001" &&
        row[pairs.column("variant_b")] == "v0003") {
      seen = true;
      EXPECT_EQ(std::stod(row[pairs.column("diff_b_minus_a")]), 0.0);
      EXPECT_EQ(std::stod(row[pairs.column("p_value")]), 1.0);
      EXPECT_EQ(std::stod(row[pairs.column("holm_p_value")]), 1.0);
      EXPECT_EQ(row[pairs.column("significant_holm")], "no");
    }
  EXPECT_TRUE(seen);
  const auto json = nlohmann::json::parse(slurp(out / "compare.json"));
  EXPECT_EQ(json["pairs"]["response_min_mean"]["pairs"].size(), 3u);
  EXPECT_EQ(json["name"], "compare-small-more-same");
  // What differs: the mediators' head count (and so staff), nothing else; the identical copy agrees with v0001.
  bool mediators = false;
  for (const auto& row : json["differences"]) {
    EXPECT_EQ(row["values"]["v0001"], row["values"]["v0003"]) << row.dump();
    EXPECT_TRUE(row["aspect"] == "staff" || row["aspect"] == "staff@mediation") << row.dump();
    mediators = mediators || row["aspect"] == "staff@mediation";
  }
  EXPECT_TRUE(mediators) << json["differences"].dump();
  // compare.csv keeps its columns (against the first variant only).
  const auto compare = civicgrid::testing::read_csv(out / "compare.csv");
  EXPECT_EQ(compare.header.front(), "kpi");
  EXPECT_EQ(compare.header[7], "diff_vs_first");
  // The report inside the folder is titled by the comparison, not by the temporary folder it was written in.
  const std::string report = slurp(out / "report.html");
  EXPECT_EQ(report.find(".tmp-"), std::string::npos);
}


// One verdict everywhere (metrics/standards.hpp): a variant's verdict in its summary.json, in sweep.csv, in the
// sweep report and, for a search over the same plans, in search.json are the same. The scenario's own
// standards (a time in minutes, a share in percent) replace the defaults and are named with their origin.
TEST_F(Batch, EveryTableJudgesAVariantTheSame) {
  const auto scenario = write("judged.yaml", slurp(data("small.yaml")) +
                                                 "standards:\n  - {kpi: within_target_rate, at_least: 85%}\n"
                                                 "  - {kpi: response_min_p90, at_most: 2.9min}\n");
  const auto sweep = write("judged.sweep.yaml", "version: 1\nname: judged\nscenario: " + scenario.string() +
                                                    "\nreplications: 3\nseed: 5\n"
                                                    "grid:\n  teams.grid_worker.per_unit: [1, 2, 3]\n");
  const auto out = scratch_ / "sweep";
  ASSERT_EQ(civicgrid("sweep " + sweep.string() + " -q --out " + out.string()).exit_code, 0);
  const auto table = civicgrid::testing::read_csv(out / "sweep.csv");
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(table.header.begin(), table.header.end(), name) - table.header.begin());
  };
  ASSERT_LT(column("variant_by_bound"), table.header.size());
  const auto report = civicgrid::report::sweep_report_data(out, "en");
  std::set<std::string> verdicts;
  for (int v = 1; v <= 3; ++v) {
    const std::string label = "v000" + std::to_string(v);
    const auto summary = nlohmann::json::parse(slurp(out / "variants" / label / "summary.json"));
    const auto& verdict = summary["verdict"];
    ASSERT_EQ(verdict["standards"].size(), 2u);
    EXPECT_EQ(verdict["standards"][1]["kpi"], "response_min_p90");
    EXPECT_DOUBLE_EQ(verdict["standards"][1]["value"].get<double>(), 2.9);   // minutes, the KPI's unit
    EXPECT_DOUBLE_EQ(verdict["standards"][0]["value"].get<double>(), 0.85);
    EXPECT_NE(verdict["standards"][0]["origin"].get<std::string>().find("judged.yaml:"), std::string::npos);
    verdicts.insert(verdict["by_mean"].get<std::string>());
    for (const auto& row : table.rows) {
      if (row[0] != label) continue;
      EXPECT_EQ(row[column("variant_by_mean")], verdict["by_mean"]) << label;
      EXPECT_EQ(row[column("variant_by_bound")], verdict["by_bound"]) << label;
      if (row[column("kpi")] == "within_target_rate") {
        EXPECT_EQ(row[column("by_mean")], verdict["standards"][0]["by_mean"]) << label;
      }
    }
    for (const auto& variant : report["variants"])
      if (variant["variant"] == label) {
        EXPECT_EQ(variant["feasible"].get<bool>(), verdict["by_mean"] == "met") << label;
      }
  }
  EXPECT_EQ(verdicts.size(), 2u) << "the plans should differ, or the test shows nothing";

  // search.json: each point carries the same verdict against the standards as the sweep's variant of that plan.
  const auto search = write("judged.search.yaml", "version: 1\nname: judged-search\nscenario: " + scenario.string() +
                                                      "\nreplications: 3\nseed: 5\n"
                                                      "target: {kpi: response_min_p90, at_most: 2.9min}\n"
                                                      "vary:\n  teams.grid_worker.per_unit: [1, 2, 3]\n");
  const auto found = scratch_ / "search";
  ASSERT_EQ(civicgrid("search " + search.string() + " -q --out " + found.string()).exit_code, 0);
  const auto points = nlohmann::json::parse(slurp(found / "search.json"))["frontier"];
  ASSERT_FALSE(points.empty());
  for (const auto& point : points) {
    const std::string per_unit = point["values"]["teams.grid_worker.per_unit"];
    const auto summary = nlohmann::json::parse(slurp(out / "variants" / ("v000" + per_unit) / "summary.json"));
    EXPECT_EQ(point["standards"]["by_mean"], summary["verdict"]["by_mean"]) << per_unit;
    EXPECT_EQ(point["standards"]["by_bound"], summary["verdict"]["by_bound"]) << per_unit;
    // The target is the second standard: the search's feasibility is its verdict by the bound.
    EXPECT_EQ(point["feasible"].get<bool>(), summary["verdict"]["standards"][1]["by_bound"] == "met") << per_unit;
  }
}

// A search that finds no plan says why, from what the plans it ran wrote: "widen the ranges" only when the
// KPI still improves with the staff varied; otherwise that this staff cannot help, with the saturated team
// and the weekday x hour cells that fail (search.json "no_plan" and stderr). mmc.yaml: one grid, Erlang C,
// and a bystander team whose role no incident needs.
TEST_F(Batch, SearchWithoutAPlanSaysWhatBinds) {
  const std::string mmc = std::string(CIVICGRID_SOURCE_DIR) + "/tests/validation/data/mmc.yaml";
  const auto useless = write("useless.search.yaml", "version: 1\nname: useless\nscenario: " + mmc +
                                                        "\nreplications: 3\nseed: 2\n"
                                                        "target: {kpi: within_target_rate, at_least: 0.99}\n"
                                                        "vary:\n  teams.bystander.per_unit: [1, 2, 4]\n");
  const auto a = civicgrid("search " + useless.string() + " --set run.horizon=2d --set teams.server.per_unit=9 --out " +
                           (scratch_ / "useless").string());
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto first = nlohmann::json::parse(slurp(scratch_ / "useless" / "search.json"))["no_plan"];
  EXPECT_FALSE(first["staff_moves_kpi"].get<bool>());
  EXPECT_EQ(first["saturated_teams"][0]["team"], "server");
  EXPECT_EQ(first["worst_hours"].size(), 3u);
  EXPECT_NE(a.err.find("does not move within_target_rate"), std::string::npos) << a.err;
  EXPECT_EQ(a.err.find("widen the ranges"), std::string::npos) << a.err;

  const auto short_range = write("short.search.yaml", "version: 1\nname: short\nscenario: " + mmc +
                                                          "\nreplications: 3\nseed: 2\n"
                                                          "target: {kpi: within_target_rate, at_least: 0.999}\n"
                                                          "vary:\n  teams.server.per_unit: [8, 9, 10]\n");
  const auto b = civicgrid("search " + short_range.string() + " --set run.horizon=2d --out " + (scratch_ / "short").string());
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto second = nlohmann::json::parse(slurp(scratch_ / "short" / "search.json"))["no_plan"];
  EXPECT_TRUE(second["staff_moves_kpi"].get<bool>());
  EXPECT_NE(b.err.find("widen the ranges"), std::string::npos) << b.err;
}

}  // namespace
