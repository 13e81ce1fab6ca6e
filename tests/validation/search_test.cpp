// Validation of `civicgrid search` against Erlang C (Gross, Shortle, Thompson & Harris, "Fundamentals of
// Queueing Theory", 4th ed., section 2.3): in M/M/c with zero travel, within_target_rate is P(W <= t) =
// 1 - C(c, a) exp(-(c mu - lambda) t), so the least c meeting a target is known exactly. For lambda = 0.8/min,
// 1/mu = 10 min, t = 2 min and target 0.8: c = 10 gives 0.7257, c = 11 gives 0.8656, so c* = 11. The margins
// (0.07 on either side) are several times the one-sided 95 % bound's width with 10 replications of 9 days, so
// the search must find c* every time, and every plan it tried must be judged as the exact value says.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "support/cli_fixture.hpp"
#include "validation/reference.hpp"

namespace {

using civicgrid::testing::slurp;

constexpr double arrivals_per_min = 0.8;
constexpr double service_min = 10;
constexpr double target_min = 2;
constexpr double target_share = 0.8;

int least_servers() {
  int c = 9;   // the first stable count (a = 8)
  while (civicgrid::reference::erlang_c_wait_within(c, arrivals_per_min, service_min, target_min) < target_share) ++c;
  return c;
}

class SearchVsErlangC : public civicgrid::testing::CliFixture {
 protected:
  static std::string file(const std::string& name) {
    return std::string(CIVICGRID_SOURCE_DIR) + "/tests/validation/data/" + name;
  }
  nlohmann::json search(const std::string& name, const std::filesystem::path& out, const std::string& extra = "") {
    const auto outcome = civicgrid("search " + file(name) + " -j 2 --no-incidents --out " + out.string() + extra);
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    last_err_ = outcome.err;
    return nlohmann::json::parse(slurp(out / "search.json"));
  }
  std::string last_err_;
};

TEST_F(SearchVsErlangC, TheReferenceAnswerIsElevenServers) {
  EXPECT_NEAR(civicgrid::reference::erlang_c_wait_within(10, 0.8, 10, 2), 0.7257, 5e-5);
  EXPECT_NEAR(civicgrid::reference::erlang_c_wait_within(11, 0.8, 10, 2), 0.8656, 5e-5);
  EXPECT_EQ(least_servers(), 11);
}

TEST_F(SearchVsErlangC, BisectionFindsTheLeastServerCount) {
  const auto out = scratch_ / "least";
  const auto json = search("least-servers.search.yaml", out);
  ASSERT_FALSE(json["recommended"].is_null());
  EXPECT_EQ(json["recommended"]["values"]["teams.server.per_unit"], std::to_string(least_servers()));
  EXPECT_EQ(json["method"], "bisection");
  for (const auto& point : json["frontier"]) {
    const int c = std::stoi(point["values"]["teams.server.per_unit"].get<std::string>());
    const double exact = civicgrid::reference::erlang_c_wait_within(c, arrivals_per_min, service_min, target_min);
    std::printf("c = %2d: P(W <= 2 min) exact %.4f, simulated %.4f +- %.4f, bound %.4f -> %s\n", c, exact,
                point["mean"].get<double>(), point["ci95_half_width"].get<double>(), point["bound"].get<double>(),
                point["feasible"].get<bool>() ? "feasible" : "not");
    EXPECT_EQ(point["feasible"].get<bool>(), exact >= target_share) << "c = " << c;
    EXPECT_NEAR(point["mean"].get<double>(), exact, 2 * point["ci95_half_width"].get<double>() + 0.01) << "c = " << c;
  }
  // Bisection over 8 candidates needs at most 1 + 3 plans.
  EXPECT_LE(json["frontier"].size(), 4u);
  EXPECT_TRUE(std::filesystem::exists(out / "frontier.csv"));
  EXPECT_TRUE(std::filesystem::exists(out / "report.html"));
  EXPECT_TRUE(std::filesystem::exists(out / "variants/v0001/summary.json"));

  // A resumed search reuses every finished run.
  const auto again = search("least-servers.search.yaml", out, " --resume");
  EXPECT_EQ(again["runs"]["ran"].get<int>(), 0) << last_err_;
  EXPECT_EQ(again["recommended"], json["recommended"]);
}

TEST_F(SearchVsErlangC, GreedyAllocationSpendsNothingOnATeamThatCannotHelp) {
  const auto json = search("allocate.search.yaml", scratch_ / "allocate");
  ASSERT_FALSE(json["recommended"].is_null());
  EXPECT_EQ(json["method"], "greedy marginal allocation");
  EXPECT_EQ(json["recommended"]["values"]["teams.server.per_unit"], std::to_string(least_servers()));
  EXPECT_EQ(json["recommended"]["values"]["teams.bystander.per_unit"], "1");
  EXPECT_EQ(json["recommended"]["staff"].get<double>(), least_servers() + 1.0);
}

TEST_F(SearchVsErlangC, AnUnreachableTargetRecommendsNothing) {
  const auto out = scratch_ / "unreachable";
  const auto outcome = civicgrid("search " + file("least-servers.search.yaml") +
                                 " -q --no-incidents --set run.horizon=2d --set run.warmup=1d --out " + out.string() +
                                 " --set incidents.call.rate=1.58/min");   // a = 15.8 erlangs: 16 servers are not nearly enough
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto json = nlohmann::json::parse(slurp(out / "search.json"));
  EXPECT_TRUE(json["recommended"].is_null());
  EXPECT_EQ(json["frontier"].size(), 1u) << "bisection stops when the largest plan fails";
}

}  // namespace
