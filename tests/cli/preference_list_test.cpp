// End-to-end check of dispatch.policy: preference_list with the lists in a CSV file beside the scenario: the
// run sends only the units the lists name (read from incidents.csv: who was sent is what the policy decides),
// the table is a recorded input of the run, and a bad table stops the command with its line and column.
#include <gtest/gtest.h>

#include <set>

#include "support/cli_fixture.hpp"
#include "support/csv.hpp"

namespace civicgrid::testing {
namespace {

class PreferenceListCli : public CliFixture {
 protected:
  // tests/cli/data/small.yaml (4 x 4 grids G01 ... G16, communities of 2 x 2 grids) with its lists in prefs.csv.
  std::filesystem::path scenario() const {
    return write("listed.yaml", replaced(slurp(data("small.yaml")), "dispatch: {policy: own_unit_first}",
                                         "dispatch: {policy: preference_list, preferences_file: prefs.csv}"));
  }
};

TEST_F(PreferenceListCli, OnlyTheListedUnitsAreSent) {
  // G01 keeps its own worker and calls C01's mediator by team; every other grid is served by G02's worker
  // and by C01 (whoever works there: the mediator), wherever the grid is.
  write("prefs.csv", "grid,rank,unit\nG01,2,mediation@C01\nG01,1,G01\ndefault,1,G02\ndefault,2,C01\n");
  const auto out = scratch_ / "run";
  const auto outcome = civicgrid("run " + scenario().string() + " -q -r 1 --set incidents.request.rate=1/d --out " +
                                 out.string());
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto incidents = read_csv(out / "incidents.csv");
  const auto type = incidents.column("type"), grid = incidents.column("grid_id"), lead = incidents.column("responder");
  std::set<std::string> sent;
  int from_g01 = 0, elsewhere = 0;
  for (const auto& row : incidents.rows) {
    if (row[lead].empty()) continue;   // not dispatched within the run
    sent.insert(row[lead]);
    if (row[type] == "dispute") {
      EXPECT_EQ(row[lead], "mediation@C01#1") << row[grid];
    } else if (row[grid] == "G01") {
      EXPECT_EQ(row[lead], "grid_worker@G01#1");
      ++from_g01;
    } else {
      EXPECT_EQ(row[lead], "grid_worker@G02#1") << row[grid];
      ++elsewhere;
    }
  }
  EXPECT_EQ(sent, (std::set<std::string>{"grid_worker@G01#1", "grid_worker@G02#1", "mediation@C01#1"}));
  EXPECT_GT(from_g01, 0);
  EXPECT_GT(elsewhere, 20);
  const std::string manifest = slurp(out / "manifest.json");
  EXPECT_NE(manifest.find("prefs.csv"), std::string::npos) << "the table is not among the run's source files";
}

TEST_F(PreferenceListCli, ABadTableIsReportedAtItsLineAndNothingRuns) {
  write("prefs.csv", "grid,rank,unit\nG01,1,G01\nG01,1,G02\nG17,1,G01\n");
  const auto out = scratch_ / "run";
  const auto outcome = civicgrid("run " + scenario().string() + " -q --out " + out.string());
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  const std::string csv = (scratch_ / "prefs.csv").string();
  EXPECT_NE(outcome.err.find(csv + ":3:5: dispatch.preferences_file.rank: rank 1 of grid G01 is given twice"),
            std::string::npos)
      << outcome.err;
  EXPECT_NE(outcome.err.find(csv + ":4:1: dispatch.preferences_file.grid: unknown grid 'G17' (hint: grids: G01 to G16"),
            std::string::npos)
      << outcome.err;
  EXPECT_NE(outcome.err.find("15 grids have no preference list (first: G02, G03, G04)"), std::string::npos) << outcome.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace civicgrid::testing
