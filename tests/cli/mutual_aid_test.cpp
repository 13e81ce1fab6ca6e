// End-to-end check of dispatch.mutual_aid on a busy 4 x 4 city: only a neighbouring grid's worker ever helps,
// never before the case waited `after` (events.csv), and the KPI and the per-grid counts in grids.csv tell the
// same story; a rule under the wrong policy stops the command with its place and writes nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <string>

#include "support/cli_fixture.hpp"
#include "support/csv.hpp"

namespace civicgrid::testing {
namespace {

class MutualAidCli : public CliFixture {
 protected:
  // tests/cli/data/small.yaml: 4 x 4 grids G01 ... G16 (row-major), a worker per grid.
  std::filesystem::path scenario(const std::string& dispatch) const {
    return write("aid.yaml", replaced(slurp(data("small.yaml")), "dispatch: {policy: own_unit_first}", dispatch));
  }
  static int grid_number(const std::string& code) { return std::stoi(code.substr(1)) - 1; }
  static bool adjacent(int a, int b) { return std::abs(a / 4 - b / 4) + std::abs(a % 4 - b % 4) == 1; }
};

TEST_F(MutualAidCli, OnlyNeighboursHelpAndOnlyAfterTheDelay) {
  const auto out = scratch_ / "run";
  const auto outcome = civicgrid(
      "run " + scenario("dispatch: {policy: own_unit_only, mutual_aid: {neighbours: adjacent, after: 10min}}").string() +
      " -q -r 2 --set incidents.request.rate=16/d --out " + out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;

  // When each incident's wait widened, from events.csv.
  const auto events = read_csv(out / "events.csv");
  const auto e_rep = events.column("replication"), e_incident = events.column("incident"),
             e_event = events.column("event"), e_t = events.column("t_min");
  std::map<std::string, double> known_min, widened_min;
  for (const auto& row : events.rows) {
    const std::string key = row[e_rep] + "/" + row[e_incident];
    if (row[e_event] == "known") known_min[key] = std::stod(row[e_t]);
    if (row[e_event] == "reach_widened") widened_min[key] = std::stod(row[e_t]);
  }
  const auto incidents = read_csv(out / "incidents.csv");
  const auto rep = incidents.column("replication"), id = incidents.column("incident"),
             type = incidents.column("type"), grid = incidents.column("grid_id"), lead = incidents.column("responder"),
             wait = incidents.column("wait_min");
  int helped = 0, own = 0;
  for (const auto& row : incidents.rows) {
    if (row[type] != "request" || row[lead].empty()) continue;
    const std::string helper = row[lead].substr(row[lead].find('@') + 1, 3);   // grid_worker@G07#1 -> G07
    if (helper == row[grid]) {
      ++own;
      continue;
    }
    ++helped;
    EXPECT_TRUE(adjacent(grid_number(helper), grid_number(row[grid]))) << row[lead] << " helped in " << row[grid];
    EXPECT_GE(std::stod(row[wait]), 10.0 - 1e-6) << row[lead] << " came before the delay";
    const std::string key = row[rep] + "/" + row[id];
    ASSERT_TRUE(widened_min.count(key)) << "no reach_widened event for " << key;
    EXPECT_NEAR(widened_min[key] - known_min[key], 10.0, 1e-6) << key;
  }
  EXPECT_GT(helped, 20);
  EXPECT_GT(own, helped);

  // The KPI and grids.csv: per replication, the assists given and received balance, and their share of the
  // responded incidents is mutual_aid_share.
  const auto grids = read_csv(out / "grids.csv");
  const auto g_rep = grids.column("replication"), given = grids.column("assists_given"),
             received = grids.column("assists_received");
  std::map<std::string, long> given_sum, received_sum;
  for (const auto& row : grids.rows) {
    given_sum[row[g_rep]] += std::stol(row[given]);
    received_sum[row[g_rep]] += std::stol(row[received]);
  }
  const auto replications = read_csv(out / "replications.csv");
  const auto r_rep = replications.column("replication"), share = replications.column("mutual_aid_share"),
             responded = replications.column("responded");
  ASSERT_EQ(replications.rows.size(), 2u);
  for (const auto& row : replications.rows) {
    EXPECT_EQ(given_sum[row[r_rep]], received_sum[row[r_rep]]);
    EXPECT_GT(received_sum[row[r_rep]], 0);
    EXPECT_NEAR(std::stod(row[share]) * std::stod(row[responded]), static_cast<double>(received_sum[row[r_rep]]), 1e-6);
  }
}

TEST_F(MutualAidCli, UnderTheWrongPolicyNothingRuns) {
  const auto out = scratch_ / "run";
  const auto path = scenario("dispatch: {policy: nearest_idle, mutual_aid: {neighbours: adjacent, after: 10min}}");
  const auto outcome = civicgrid("run " + path.string() + " -q --out " + out.string());
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_NE(outcome.err.find(path.string() + ":16:46: dispatch.mutual_aid: mutual aid lends grid staff across grids "
                                             "under policy: own_unit_only, not nearest_idle"),
            std::string::npos)
      << outcome.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace civicgrid::testing
