// End-to-end tier for --precision (Law & Kelton's sequential procedure, experiment/precision.hpp): the run stops
// at the first replication count whose relative half-width is within gamma' = gamma / (1 + gamma), the result
// is exactly what a fixed run with that many replications gives, and the resolved scenario records the count.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/summary.hpp"
#include "support/cli_fixture.hpp"

namespace fs = std::filesystem;

namespace {

using civicgrid::testing::slurp;

class Precision : public civicgrid::testing::CliFixture {};

double relative_half_width(const std::vector<double>& values) {
  const auto n = static_cast<double>(values.size());
  double mean = 0;
  for (double v : values) mean += v / n;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double half_width = civicgrid::metrics::student_t_quantile_975(static_cast<std::int64_t>(n) - 1) *
                            std::sqrt(squares / (n - 1)) / std::sqrt(n);
  return half_width / std::fabs(mean);
}

TEST_F(Precision, StopsAtTheFirstPreciseCountAndMatchesAFixedRun) {
  const double gamma = 0.01;
  const double threshold = gamma / (1 + gamma);
  const auto sequential = scratch_ / "sequential";
  const auto outcome = civicgrid("run " + data("small.yaml") + " --precision 0.01 -j 2 --no-incidents --out " +
                                 sequential.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_NE(outcome.err.find("(met)"), std::string::npos) << outcome.err;
  const auto summary = nlohmann::json::parse(slurp(sequential / "summary.json"));
  const auto values = summary["kpis"]["response_min_mean"]["per_replication"].get<std::vector<double>>();
  const int n = static_cast<int>(values.size());
  ASSERT_GT(n, 10) << "pick a tighter goal: the test must see replications being added";
  EXPECT_EQ(n % 2, 0) << "starts at 10 and adds -j (2) at a time";
  EXPECT_LE(relative_half_width(values), threshold);
  // One step earlier the goal was not met, so the procedure did not stop too late.
  EXPECT_GT(relative_half_width(std::vector<double>(values.begin(), values.end() - 2)), threshold);
  // The same replications as a fixed run of n: identical data, and a resolved file that reruns it.
  const auto fixed = scratch_ / "fixed";
  ASSERT_EQ(civicgrid("run " + data("small.yaml") + " -q --no-incidents -r " + std::to_string(n) + " --out " +
                      fixed.string()).exit_code, 0);
  EXPECT_EQ(slurp(sequential / "replications.csv"), slurp(fixed / "replications.csv"));
  EXPECT_NE(slurp(sequential / "scenario.resolved.yaml").find("replications: " + std::to_string(n)), std::string::npos);
  const auto rerun = scratch_ / "rerun";
  ASSERT_EQ(civicgrid("run " + (sequential / "scenario.resolved.yaml").string() + " -q --no-incidents --out " +
                      rerun.string()).exit_code, 0);
  EXPECT_EQ(slurp(rerun / "replications.csv"), slurp(fixed / "replications.csv"));
}

TEST_F(Precision, TheCapStopsAnUnreachableGoal) {
  const auto out = scratch_ / "capped";
  const auto outcome = civicgrid("run " + data("small.yaml") + " --precision 0.0001 --max-replications 12 -j 2 "
                                 "--no-incidents --out " + out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_NE(outcome.err.find("NOT met: cap reached"), std::string::npos) << outcome.err;
  const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
  EXPECT_EQ(summary["kpis"]["response_min_mean"]["n"].get<int>(), 12);
}

TEST_F(Precision, ComparisonsAddReplicationsToEveryVariantAlike) {
  const auto out = scratch_ / "cmp";
  const auto outcome = civicgrid("compare " + data("small.yaml") + " " + data("small.yaml") +
                                 " --set teams.mediation.per_unit=2 --precision 0.015 -j 2 --no-incidents -q --out " +
                                 out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto json = nlohmann::json::parse(slurp(out / "compare.json"));
  const int n = json["replications"].get<int>();
  EXPECT_GT(n, 10);
  for (int v = 1; v <= 2; ++v) {
    const auto summary = nlohmann::json::parse(slurp(out / ("variants/v000" + std::to_string(v)) / "summary.json"));
    EXPECT_EQ(summary["kpis"]["response_min_mean"]["n"].get<int>(), n) << "pairs need equal replications";
  }
}

TEST_F(Precision, BadGoalsAreInputErrors) {
  EXPECT_EQ(civicgrid("run " + data("small.yaml") + " --precision 1.5").exit_code, 2);
  const auto unknown = civicgrid("run " + data("small.yaml") + " --precision 0.05 --precision-kpi speed");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("'speed'"), std::string::npos) << unknown.err;
  EXPECT_EQ(civicgrid("sweep " + data("staffing.sweep.yaml") + " --precision 0.05 --shard 1/2").exit_code, 2);
}

}  // namespace
