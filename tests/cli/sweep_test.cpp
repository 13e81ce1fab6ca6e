// End-to-end tier for batches: sweep run tables, per-variant folders and sweep.csv, -j independence, resume
// after SIGKILL without redoing finished runs, bad sweep values mapped to the sweep file, and compare with
// common random numbers (the paired interval is narrower than the unpaired one).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/cli_fixture.hpp"

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
                                                  "diff_ci95_half_width,diff_unpaired_ci95_half_width,significant");
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

}  // namespace
