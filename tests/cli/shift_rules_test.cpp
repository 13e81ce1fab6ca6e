// End-to-end check of the end-of-shift rule (shift.last_call): in the last hour of a 8:00-17:00 shift the only
// worker takes urgent calls but no routine ones, which wait for the next morning (or for the evening team).
// Read from incidents.csv: the rule is about when dispatches happen, which no KPI shows directly.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_fixture.hpp"

namespace {

class ShiftRules : public civicgrid::testing::CliFixture {};

TEST_F(ShiftRules, NoRoutineJobsInTheLastCall) {
  const auto scenario = write("last-call.yaml", R"(version: 1
name: last-call
run: {horizon: 60d, warmup: 1d, replications: 1, seed: 4}
layout: {rows: 1, cols: 1, cell_size: 500m, community_block: [1, 1], town_block: [1, 1]}
population: {residents_per_grid: 1000}
travel: {metric: none}
teams:
  - {name: worker, level: grid, per_unit: 1, roles: [w], shift: {start: 8h, length: 9h, last_call: 1h}}
incidents:
  - {type: routine, rate: 12/d, priority: 2, service: {distribution: exponential, mean: 10min}, target: 1h, roles: [w]}
  - {type: urgent, rate: 6/d, priority: 1, service: {distribution: exponential, mean: 10min}, target: 15min, roles: [w]}
)");
  const auto out = scratch_ / "run";
  const auto outcome = civicgrid("run " + scenario.string() + " -q --out " + out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  std::ifstream incidents(out / "incidents.csv");
  std::string line;
  std::getline(incidents, line);
  int routine_in_last_call = 0, urgent_in_last_call = 0, routine_dispatched = 0;
  while (std::getline(incidents, line)) {
    std::vector<std::string> fields;
    std::stringstream split(line);
    for (std::string field; std::getline(split, field, ',');) fields.push_back(field);
    if (fields[10].empty()) continue;   // never dispatched within the run
    const double minute_of_day = std::fmod(std::stod(fields[10]), 24 * 60);
    const bool last_call = minute_of_day >= 16 * 60 && minute_of_day < 17 * 60;
    if (fields[2] == "routine") {
      ++routine_dispatched;
      routine_in_last_call += last_call;
    } else {
      urgent_in_last_call += last_call;
    }
  }
  EXPECT_GT(routine_dispatched, 300);
  EXPECT_EQ(routine_in_last_call, 0);
  EXPECT_GT(urgent_in_last_call, 5) << "urgent calls are still taken in the last hour";
}

}  // namespace
