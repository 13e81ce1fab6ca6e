// End-to-end tier: the civicgrid command as a planner uses it. Exit codes, messages on stderr, the result
// folder's files, determinism (same seed, -j 1 vs -j 2) and the guarantee that bad input writes nothing.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <map>
#include <vector>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/cli_fixture.hpp"
#include "support/csv.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::replaced;
using civicgrid::testing::slurp;

class Cli : public civicgrid::testing::CliFixture {};

const char* data_files[] = {"summary.json", "incidents.csv", "events.csv", "grids.csv", "teams.csv",
                            "replications.csv", "levels.csv", "scenario.resolved.yaml"};

TEST_F(Cli, RunWritesACompleteResultFolder) {
  const fs::path folder = scratch_ / "run";
  const auto outcome = civicgrid("run " + data("small.yaml") + " --out " + folder.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(outcome.out, folder.string() + "\n");   // stdout carries only the folder's path
  for (const char* file : data_files) EXPECT_TRUE(fs::exists(folder / file)) << file;
  EXPECT_TRUE(fs::exists(folder / "manifest.json"));
  EXPECT_TRUE(fs::exists(folder / "report.html"));
  EXPECT_FALSE(fs::exists(folder / ".parts"));
  const auto summary = nlohmann::json::parse(slurp(folder / "summary.json"));
  for (const char* kpi : {"incidents", "response_min_mean", "response_min_p50", "response_min_p90",
                          "response_min_p95", "wait_min_mean", "travel_min_mean", "within_target_rate",
                          "utilization", "backlog_at_end"}) {
    ASSERT_TRUE(summary["kpis"].contains(kpi)) << kpi;
    EXPECT_TRUE(summary["kpis"][kpi].contains("mean"));
    EXPECT_TRUE(summary["kpis"][kpi].contains("ci95_half_width"));
    EXPECT_EQ(summary["kpis"][kpi]["per_replication"].size(), 3u) << kpi;
  }
  // incidents.csv: a header and one row per incident counted in the summary.
  std::ifstream incidents(folder / "incidents.csv");
  std::string line;
  std::getline(incidents, line);
  EXPECT_EQ(line.rfind("replication,incident,type,grid_id,community_id,town_id,", 0), 0u);
  long rows = 0;
  while (std::getline(incidents, line)) ++rows;
  double counted = 0;
  for (const auto& value : summary["kpis"]["incidents"]["per_replication"]) counted += value.get<double>();
  EXPECT_EQ(rows, static_cast<long>(counted));
  // events.csv: the life cycle of the same incidents, in long format; each closed incident's events repeat
  // its time stamps in incidents.csv (occurred, known, dispatched, on scene ... closed), in that order.
  const auto events = civicgrid::testing::read_csv(folder / "events.csv");
  EXPECT_EQ(events.header, (std::vector<std::string>{"replication", "incident", "type", "event", "t_min", "level", "actor"}));
  std::map<std::string, std::vector<std::string>> life;   // "replication/incident" -> event names
  std::map<std::string, double> closed_at;
  for (const auto& row : events.rows) {
    life[row[0] + "/" + row[1]].push_back(row[3]);
    if (row[3] == "closed") closed_at[row[0] + "/" + row[1]] = std::stod(row[4]);
  }
  EXPECT_EQ(static_cast<long>(life.size()), rows) << "every incident of incidents.csv has its events";
  int closed_checked = 0;
  const auto incident_rows = civicgrid::testing::read_csv(folder / "incidents.csv");
  const std::size_t status_column = incident_rows.column("status");
  for (const auto& fields : incident_rows.rows) {
    const std::string key = fields[0] + "/" + fields[1];
    if (fields[status_column] != "closed") continue;
    const auto& names = life[key];
    ASSERT_GE(names.size(), 5u) << key;
    EXPECT_EQ(names[0], "occurred");
    EXPECT_EQ(names[1], "known");
    EXPECT_EQ(names[2], "dispatched");
    EXPECT_EQ(names[3], "on_scene");
    EXPECT_NE(std::find(names.begin(), names.end(), "closed"), names.end()) << key;
    EXPECT_NEAR(closed_at[key], std::stod(fields[13]), 1e-6) << key;   // t_closed_min
    ++closed_checked;
  }
  EXPECT_GT(closed_checked, 50);
  // levels.csv: a row per (replication, level); closures per level add up to the closed incidents.
  const auto levels = civicgrid::testing::read_csv(folder / "levels.csv");
  EXPECT_EQ(levels.header,
            (std::vector<std::string>{"replication", "level", "reached", "closed", "escalations_from",
                                      "routed_off_hours_from", "closure_rate", "escalation_rate",
                                      "routed_off_hours_rate", "escalation_delay_h_mean", "closure_h_mean", "closure_h_p90", "on_time_closure_rate",
                                      "on_time_disposal_rate", "full_team_response_min_mean", "reported_share_of_closed",
                                      "on_time_report_rate", "static_coverage_rate", "dynamic_coverage_rate",
                                      "responders", "on_duty_min", "busy_min", "utilization"}));
  double closed_by_levels = 0;
  const int level_rows = static_cast<int>(levels.rows.size());
  for (const auto& row : levels.rows) closed_by_levels += std::stod(row[levels.column("closed")]);
  EXPECT_EQ(level_rows, 3 * 4);
  double closed_total = 0;
  for (const auto& value : summary["kpis"]["closed"]["per_replication"]) closed_total += value.get<double>();
  EXPECT_EQ(closed_by_levels, closed_total);
  // The KPI table goes to stderr, for people.
  EXPECT_NE(outcome.err.find("within_target_rate"), std::string::npos);
}

TEST_F(Cli, SameSeedGivesByteIdenticalDataWhateverTheJobs) {
  const fs::path a = scratch_ / "a";
  const fs::path b = scratch_ / "b";
  const fs::path c = scratch_ / "c";
  ASSERT_EQ(civicgrid("run " + data("small.yaml") + " -q -j 1 --out " + a.string()).exit_code, 0);
  ASSERT_EQ(civicgrid("run " + data("small.yaml") + " -q -j 1 --out " + b.string()).exit_code, 0);
  ASSERT_EQ(civicgrid("run " + data("small.yaml") + " -q -j 2 --out " + c.string()).exit_code, 0);
  for (const char* file : data_files) {
    const std::string reference = slurp(a / file);
    EXPECT_FALSE(reference.empty()) << file;
    EXPECT_EQ(reference, slurp(b / file)) << file << " differs between two runs with the same seed";
    EXPECT_EQ(reference, slurp(c / file)) << file << " differs between -j 1 and -j 2";
  }
  // And a different seed gives different incidents.
  const fs::path d = scratch_ / "d";
  ASSERT_EQ(civicgrid("run " + data("small.yaml") + " -q --seed 6 --out " + d.string()).exit_code, 0);
  EXPECT_NE(slurp(a / "incidents.csv"), slurp(d / "incidents.csv"));
}

TEST_F(Cli, SetAndReplicationsOverrideTheFile) {
  const fs::path folder = scratch_ / "set";
  const auto outcome = civicgrid("run " + data("small.yaml") + " -q -r 2 --set teams.grid_worker.per_unit=2 --out " +
                                 folder.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto summary = nlohmann::json::parse(slurp(folder / "summary.json"));
  EXPECT_EQ(summary["kpis"]["incidents"]["per_replication"].size(), 2u);
  const std::string resolved = slurp(folder / "scenario.resolved.yaml");
  EXPECT_NE(resolved.find("per_unit: 2"), std::string::npos) << resolved;
}

TEST_F(Cli, ValidateAndDump) {
  auto outcome = civicgrid("validate " + data("small.yaml"));
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_TRUE(outcome.out.empty());
  outcome = civicgrid("dump " + data("small.yaml") + " --set run.seed=77");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_NE(outcome.out.find("seed: 77"), std::string::npos) << outcome.out;
  // The dump is itself a valid scenario.
  const fs::path dumped = write("dumped.yaml", outcome.out);
  EXPECT_EQ(civicgrid("validate " + dumped.string()).exit_code, 0);
}

struct BadInput {
  const char* name;
  const char* replace;      // text in small.yaml to replace ...
  const char* with;         // ... by this
  const char* expected[3];  // substrings the message must contain
};

std::string small_with(const BadInput& bad) {
  return replaced(slurp(std::string(CIVICGRID_SOURCE_DIR) + "/tests/cli/data/small.yaml"), bad.replace, bad.with);
}

// The catalogue of broken scenarios: each gives exit 2, a file:line:col message naming the key, and no folder.
const BadInput catalogue[] = {
    {"syntax", "run: {horizon: 3d,", "run: {horizon: [3d,", {"bad.yaml:", "", ""}},
    {"unknown_key", "replications: 3", "replicatoins: 3", {"bad.yaml:5:", "replicatoins", "replications"}},
    {"missing_unit", "target: 20min", "target: 20", {"bad.yaml:13:", "target", "min"}},
    {"negative_rate", "rate: 4/d", "rate: -4/d", {"bad.yaml:13:", "rate", ""}},
    {"unknown_role", "roles: [mediator]}", "roles: [firefighter]}", {"bad.yaml:", "firefighter", ""}},
    {"absurd_size", "rows: 4, cols: 4", "rows: 100000, cols: 100000", {"bad.yaml:6:", "layout", ""}},
    {"bad_enum", "policy: own_unit_first", "policy: own_unit_frist", {"bad.yaml:16:", "dispatch.policy", "own_unit_first"}},
    {"bad_escalation_mode", "dispatch: {policy: own_unit_first}", "dispatch: {policy: own_unit_first}\nescalation: {mode: tired}",
     {"bad.yaml:17:", "escalation.mode", "tiered"}},
    {"bad_when_busy", "dispatch: {policy: own_unit_first}", "dispatch: {policy: own_unit_first}\nescalation: {when_busy: 3}",
     {"bad.yaml:17:", "escalation.when_busy", "escalate"}},
    {"priority_zero", "target: 20min,", "target: 20min, priority: 0,", {"bad.yaml:13:", "incidents.0.priority", "1 to 9"}},
    {"failure_probability", "target: 20min,", "target: 20min, failure_probability: 1.5,",
     {"bad.yaml:13:", "incidents.0.failure_probability", "between 0 and 1"}},
    {"min_level_without_staff", "target: 20min,", "target: 20min, min_level: town,",
     {"bad.yaml:13:", "incidents.0.roles.0", "no team at level town"}},
    {"report_probability", "target: 20min,", "target: 20min, discovery: {report_probability: 2},",
     {"bad.yaml:13:", "incidents.0.discovery.report_probability", "between 0 and 1"}},
    {"reporting_key", "target: 20min,", "target: 20min, reporting: {not_reported: {handeld: 0.1}},",
     {"bad.yaml:13:", "incidents.0.reporting.not_reported.handeld", "did you mean 'handled'"}},
    {"bad_shift_day", "roles: [grid_worker]}", "roles: [grid_worker], shift: {start: 8h, length: 8h, days: [mon, funday]}}",
     {"bad.yaml:10:", "teams.0.shift.days", "'funday' is not a day"}},
    {"availability_above_one", "roles: [grid_worker]}", "roles: [grid_worker], availability: 1.5}",
     {"bad.yaml:10:", "teams.0.availability", "between 0 and 1"}},
    {"bad_shift_end", "roles: [grid_worker]}", "roles: [grid_worker], shift: {start: 8h, length: 8h, at_end: handover}}",
     {"bad.yaml:10:", "teams.0.shift.at_end", "hand_over"}},
    {"bad_preemption", "policy: own_unit_first", "policy: own_unit_first, preemption: always",
     {"bad.yaml:16:", "dispatch.preemption", "by_priority"}},
    {"deadline_without_unit", "target: 20min,", "target: 20min, deadline: 3,", {"bad.yaml:13:", "incidents.0.deadline", "has no unit"}},
};

TEST_F(Cli, BrokenScenariosExitTwoWithPositionAndWriteNothing) {
  for (const auto& bad : catalogue) {
    SCOPED_TRACE(bad.name);
    const std::string text = small_with(bad);
    ASSERT_FALSE(text.empty()) << "fixture text not found";
    const fs::path file = write("bad.yaml", text);
    const fs::path root = scratch_ / "results";
    const auto outcome = civicgrid("run " + file.string() + " --results-root " + root.string());
    EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
    for (const char* expected : bad.expected) EXPECT_NE(outcome.err.find(expected), std::string::npos) << outcome.err;
    EXPECT_TRUE(outcome.out.empty());
    EXPECT_FALSE(fs::exists(root)) << "a result folder was created for bad input";
  }
}

TEST_F(Cli, AllProblemsAreReportedAtOnce) {
  const std::string text =
      replaced(small_with({"", "target: 20min", "target: 20", {}}), "replications: 3", "replicatoins: 3");
  ASSERT_FALSE(text.empty()) << "fixture text not found";
  const auto outcome = civicgrid("validate " + write("bad.yaml", text).string());
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.err.find("replicatoins"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("target"), std::string::npos) << outcome.err;
}

TEST_F(Cli, UsageErrorsAndMissingFiles) {
  EXPECT_EQ(civicgrid("").exit_code, 2);
  EXPECT_EQ(civicgrid("fly " + data("small.yaml")).exit_code, 2);
  EXPECT_EQ(civicgrid("run " + data("small.yaml") + " --jobs 0").exit_code, 2);
  const auto missing = civicgrid("run " + (scratch_ / "nope.yaml").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.yaml"), std::string::npos);
  const auto help = civicgrid("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--set"), std::string::npos);
  // An existing --out folder is never overwritten.
  fs::create_directories(scratch_ / "exists");
  EXPECT_EQ(civicgrid("run " + data("small.yaml") + " --out " + (scratch_ / "exists").string()).exit_code, 2);
}

TEST_F(Cli, InterruptedRunLeavesNothingBehind) {
  // A long run, stopped with SIGTERM after a moment: exit 130 and no result folder, not even a temporary one.
  const fs::path root = scratch_ / "results";
  const std::string command = std::string(CIVICGRID_BINARY) + " run " + data("small.yaml") +
                              " -q -r 50 --set run.horizon=400d --results-root " + root.string();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", ("exec " + command + " >/dev/null 2>&1").c_str(), nullptr);
    _exit(127);
  }
  usleep(700 * 1000);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  bool anything = false;
  if (fs::exists(root))
    for (const auto& entry : fs::recursive_directory_iterator(root)) anything |= entry.is_regular_file();
  EXPECT_FALSE(anything) << "files were left in " << root;
}

}  // namespace

namespace {

TEST_F(Cli, ExtraStaffMustNameAUnitOfTheLayout) {
  const auto file = write("extra.yaml", replaced(slurp(data("small.yaml")),
                                                 "{name: mediation, level: community, per_unit: 1, roles: [mediator]}",
                                                 "{name: mediation, level: community, per_unit: 1, roles: [mediator],\n"
                                                 "     extra_by_unit: {C09: 1}}"));
  const auto outcome = civicgrid("run " + file.string() + " --out " + (scratch_ / "out").string());
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_NE(outcome.err.find("extra.yaml:12:22: teams.1.extra_by_unit.C09"), std::string::npos) << outcome.err;
  EXPECT_NE(outcome.err.find("no community 'C09'"), std::string::npos) << outcome.err;
  EXPECT_FALSE(fs::exists(scratch_ / "out"));
  const auto fixed = write("extra-ok.yaml", replaced(slurp(file), "C09", "C01"));
  const auto ok = civicgrid("run " + fixed.string() + " -q --out " + (scratch_ / "ok").string());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  // small.yaml has 16 grid workers and 4 community mediators: one more in C01.
  const auto summary = nlohmann::json::parse(slurp(scratch_ / "ok" / "summary.json"));
  EXPECT_EQ(summary["kpis"]["staff"]["mean"].get<double>(), 21.0);
}

}  // namespace
